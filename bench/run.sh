#!/bin/sh
# Run every benchmark: bench/*.sh, each given the hull binary. Each prints its own ratios.
set -eu
cd "$(dirname "$0")/.."
hull=${1:-build/hull}
for b in bench/*.sh; do
    [ "$b" = bench/run.sh ] && continue
    echo "== $b"
    sh "$b" "$hull" || echo "bench: $b failed" >&2
done
