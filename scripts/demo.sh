#!/bin/sh
# make demo: build the demo image from demo/image/ and a demo database from demo/feeds/, both
# shipped in the repo, then show what hull sees: inspect, SBOM, vulnerabilities, attack surface.
#   sh scripts/demo.sh [HULL_BINARY]
set -eu
cd "$(dirname "$0")/.."
hull=${1:-build/hull}
out=build/demo
rm -rf "$out"
mkdir -p "$out"
python3 tests/tools/mkimage.py demo/image/spec.json "$out/image" --form oci --tag demo:1.0
"$hull" db import --db "$out/db.sqlite" demo/feeds >/dev/null
say() { printf '\n\033[1m$ %s\033[0m\n' "$*" | sed 's/\x1b\[[0-9;]*m//g' ; }
say hull inspect "$out/image"
"$hull" inspect "$out/image"
say hull sbom "$out/image"
"$hull" sbom "$out/image"
say hull image --db "$out/db.sqlite" "$out/image"
"$hull" image --db "$out/db.sqlite" "$out/image"
say hull image --db "$out/db.sqlite" --severity CRITICAL,HIGH --exit-code 1 "$out/image"
rc=0
"$hull" -q image --db "$out/db.sqlite" --severity CRITICAL,HIGH --exit-code 1 "$out/image" \
    >/dev/null || rc=$?
echo "exit code: $rc  (1 = the CI gate would block this image)"
say hull surface "$out/image"
"$hull" surface "$out/image"
