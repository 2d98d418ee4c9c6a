#!/bin/sh
# hull digest against a real registry (Debian's docker-registry on 127.0.0.1, plain HTTP)
# loaded with fixture images built here: single-arch OCI, a multi-arch OCI index and the same
# index converted to a Docker manifest list by skopeo. Every digest must equal skopeo's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t8-lib.inc"
need_registry_tools
cat >"$TMP/spec.json" <<'J'
{"layers": [{"created_by": "ADD rootfs", "files": {"etc/os-release": "ID=hulltest\nVERSION_ID=1\n",
  "bin/hello": {"data": "hello v1\n", "mode": 493}}}]}
J
mkimg "$TMP/spec.json" "$TMP/single"
mkimg "$TMP/spec.json" "$TMP/multi" --platforms linux/amd64,linux/arm64/v8
reg_start
reg_push "oci:$TMP/single:latest" t/single:1
reg_push "oci:$TMP/multi:latest" t/multi:1 --all
reg_push "oci:$TMP/multi:latest" t/multi:v2s2 --all --format v2s2
R=$REG_HOST/t
SK="--tls-verify=false"

for ref in single:1 multi:1 multi:v2s2; do
    run 0 "$HULL" digest --insecure "$R/$ref"
    is "$OUT" "$(skopeo_digest "$R/$ref" $SK)" "digest of $ref equals skopeo's"
done
# the registry must serve what it reports (Docker-Content-Digest path vs bytes)
run 0 "$HULL" digest --insecure "$R/multi:v2s2"
is "$(skopeo_digest "$R/multi@$OUT" $SK)" "$OUT" "the v2s2 list digest names those bytes"

# platform children: an independent pick from skopeo's raw index
pick() { # REF ARCH
    skopeo inspect --raw $SK "docker://$1" | python3 -c '
import json, sys
ix = json.load(sys.stdin)
print([m["digest"] for m in ix["manifests"] if m.get("platform", {}).get("architecture") == sys.argv[1]][0])' "$2"
}
for ref in multi:1 multi:v2s2; do
    for arch in amd64 arm64; do
        run 0 "$HULL" digest --insecure --platform "linux/$arch" "$R/$ref"
        want=$(pick "$R/$ref" $arch)
        is "$OUT" "$want" "--platform linux/$arch of $ref is the $arch child"
        is "$(skopeo_digest "$R/${ref%%:*}@$want" $SK)" "$want" \
            "the registry serves the $arch child of $ref under that digest"
    done
done
run 0 "$HULL" digest --insecure --platform linux/arm64/v8 "$R/multi:1"
is "$OUT" "$(pick "$R/multi:1" arm64)" "linux/arm64/v8 equals linux/arm64"
run 0 "$HULL" digest --insecure --platform x86_64 "$R/multi:1"
is "$OUT" "$(pick "$R/multi:1" amd64)" "x86_64 is normalised to linux/amd64"
run 0 "$HULL" digest --insecure --platform linux/arm64 "$R/single:1"
is "$OUT" "$(skopeo_digest "$R/single:1" $SK)" "--platform on a single-arch image gives its manifest"

run 0 "$HULL" digest --insecure --full "$R/multi:1"
is "$OUT" "$R/multi:1@$(skopeo_digest "$R/multi:1" $SK)" "--full prints name:tag@digest"
d=$(skopeo_digest "$R/single:1" $SK)
run 0 "$HULL" digest --insecure "$R/single@$d"
is "$OUT" "$d" "a reference by digest resolves to itself"
run 0 "$HULL" digest --insecure "docker://$R/single:1" "$R/multi:1"
is "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 2 "several references, one line each"

run 6 "$HULL" digest --insecure --platform linux/s390x "$R/multi:1"
one_line_error "platform missing from the index"
like "$ERR" 'linux/amd64, linux/arm64/v8' "the error lists the platforms the index has"
run 6 "$HULL" digest --insecure "$R/single:nope"
one_line_error "unknown tag"
like "$ERR" 'not found' "unknown tag says not found"
run 6 "$HULL" digest --insecure "$R/missing:1"
one_line_error "unknown repository"
run 6 "$HULL" digest --insecure "$R/single@sha256:$(printf '0%.0s' $(seq 64))"
one_line_error "unknown digest"
run 4 "$HULL" digest "$R/single:1"
one_line_error "TLS to a plain-HTTP registry"
like "$ERR" 'insecure' "the TLS error hints at --insecure"
run 2 "$HULL" digest "Bad/Ref:1"
one_line_error "invalid reference"
run 2 "$HULL" digest --insecure --platform 'linux//x' "$R/single:1"
run 2 "$HULL" digest
run 2 "$HULL" digest --username u "$R/single:1"
one_line_error "--username without --password-stdin"
run 0 "$HULL" digest --help
like "$OUT" '^usage: hull digest' "--help prints usage"
run 4 "$HULL" digest --insecure --timeout 2 "127.0.0.1:$(free_port)/x/y:1"
one_line_error "connection refused"
# the image commands read the same registry with the same options (plain HTTP only when asked)
run 0 "$HULL" sbom --insecure -f json -o "$TMP/reg.json" "$R/single:1"
run 0 "$HULL" sbom -f json -o "$TMP/oci.json" "oci:$TMP/single"
like "$(cat "$TMP/reg.json")" '"id": "hulltest"' "hull sbom --insecure reads the registry image's OS"
run 0 "$HULL" sbom --insecure --source registry -q "$R/single:1"
run 4 "$HULL" sbom "$R/single:1"
one_line_error "hull sbom refuses plain HTTP without --insecure"
"$HULL" db import --db "$TMP/demo.db" "$TOP/demo/feeds" >/dev/null 2>&1
run 0 "$HULL" image --insecure --db "$TMP/demo.db" "$R/single:1"
run 0 "$HULL" inspect --insecure --source registry "$R/multi:1"
done_testing
