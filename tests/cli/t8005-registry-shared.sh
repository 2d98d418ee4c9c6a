#!/bin/sh
# The shared fixture images in a real registry over TLS with basic auth
# (../shared/tools/registry.sh start --tls-auth): `hull digest` equals skopeo for every image
# and platform; scanning from the registry gives the same inventory as scanning the OCI
# layout; a blob corrupted on the registry's disk is rejected with exit 3.
. "$(dirname "$0")/lib.sh"
need_shared
. "$(dirname "$0")/t8-lib.inc"
need_registry_tools
bash "$SHARED/tools/registry.sh" start --tls-auth >"$TMP/reg.env" 2>"$TMP/reg.err" ||
    { echo "Bail out! registry.sh start failed: $(tail -3 "$TMP/reg.err")"; exit 1; }
. "$TMP/reg.env"
REG_PIDS="$REGISTRY_PID"
trap 'bash "$SHARED/tools/registry.sh" stop "$REGISTRY_STATE"; reg_cleanup' EXIT
NS=$REGISTRY_HOST/scanner-fixtures
SK="--cert-dir $REGISTRY_STATE/certs --creds $REGISTRY_USER:$REGISTRY_PASSWORD"
mkdir -p "$TMP/dc"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$REGISTRY_HOST" \
    "$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64)" >"$TMP/dc/config.json"
export DOCKER_CONFIG="$TMP/dc" SSL_CERT_FILE="$REGISTRY_CA_CERT"

refs=""
for lay in "$SHARED"/images/oci/*/; do
    n=$(basename "$lay")
    case $n in
        *-multiarch) refs="$refs ${n%-multiarch}:multiarch ${n%-multiarch}:multiarch-v2s2" ;;
        *) refs="$refs $n:latest" ;;
    esac
done
for r in $refs; do
    run 0 "$HULL" digest "$NS/$r"
    # shellcheck disable=SC2086
    is "$OUT" "$(skopeo_digest "$NS/$r" $SK)" "digest of $r equals skopeo inspect --raw | sha256sum"
done
for tag in multiarch multiarch-v2s2; do
    for arch in amd64 arm64; do
        run 0 "$HULL" digest --platform "linux/$arch" "$NS/alpine-like:$tag"
        # shellcheck disable=SC2086
        a=$(skopeo inspect --raw $SK "docker://$NS/alpine-like@$OUT" | python3 -c '
import json, sys; print(json.load(sys.stdin)["config"]["digest"])')
        # shellcheck disable=SC2086
        c=$(skopeo inspect --raw --config $SK "docker://$NS/alpine-like@$OUT" | python3 -c '
import json, sys; print(json.load(sys.stdin)["architecture"])')
        is "$c" "$arch" "--platform linux/$arch on :$tag gives a manifest whose config is $arch ($a)"
    done
done
truth=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["index"]["digest"])' \
    "$SHARED/images/alpine-like-multiarch.truth.json")
run 0 "$HULL" digest "$NS/alpine-like:multiarch"
is "$OUT" "$truth" "the OCI index digest equals the truth file"

# scanning from the registry equals scanning the layout
strip() { python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
def drop(o):
    if isinstance(o, dict):
        for k in ("name", "transport", "path", "spec", "reference", "source"):
            if "transport" in o and k in o:
                del o[k]
        for v in o.values(): drop(v)
    elif isinstance(o, list):
        for v in o: drop(v)
drop(d)
print(json.dumps(d, sort_keys=True, indent=1))' "$1"; }
for n in node-app multilayer-whiteout; do
    run 0 "$HULL" sbom -f json -o "$TMP/reg-$n.json" "$NS/$n:latest"
    run 0 "$HULL" sbom -f json -o "$TMP/oci-$n.json" "oci:$SHARED/images/oci/$n"
    if [ "$(strip "$TMP/reg-$n.json")" = "$(strip "$TMP/oci-$n.json")" ]; then
        pass "sbom of $n from the registry equals the OCI layout's"
    else
        fail "sbom of $n from the registry equals the OCI layout's" \
            "$(diff "$TMP/reg-$n.json" "$TMP/oci-$n.json" | head -20)"
    fi
done
# `hull image` from the registry finds exactly what it finds in the OCI layout
"$HULL" db import --db "$TMP/demo.db" "$TOP/demo/feeds" >/dev/null 2>&1
findings() { python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sorted((v["package"]["name"], v["installed_version"], v["id"])
             for r in d["results"] for v in r["vulnerabilities"]))' "$1"; }
run 0 "$HULL" image --db "$TMP/demo.db" -f json -o "$TMP/img-reg.json" "$NS/node-app:latest"
run 0 "$HULL" image --db "$TMP/demo.db" -f json -o "$TMP/img-oci.json" \
    "oci:$SHARED/images/oci/node-app"
a=$(findings "$TMP/img-reg.json"); b=$(findings "$TMP/img-oci.json")
is "$a" "$b" "hull image from the registry equals the OCI layout's findings"
like "$a" "CVE-2020-8203" "the registry scan finds lodash's CVE-2020-8203"
run 0 "$HULL" inspect "docker://$NS/distroless-like-zstd:latest"
like "$OUT" 'zstd' "docker:// with zstd layers"
run 0 "$HULL" inspect --platform linux/arm64 "$NS/alpine-like:multiarch-v2s2"
like "$OUT" 'linux/arm64' "platform selection through the image API"
run 6 "$HULL" inspect "$NS/no-such-image:latest"
one_line_error "image missing from the registry"
run 4 env DOCKER_CONFIG="$TMP/none" "$HULL" inspect "$NS/node-app:latest"
one_line_error "scan without credentials"

# the blob cache: a re-scan reads the layers from the cache, not from the registry
export HULL_BLOB_CACHE="$TMP/cache"
run 0 "$HULL" sbom -f json -o "$TMP/c1.json" "$NS/distroless-like:latest"
layers=$(python3 -c 'import json,sys; print(" ".join(l["digest"][7:] for l in json.load(open(sys.argv[1]))["layers"]))' \
    "$SHARED/images/distroless-like.truth.json")
n=0
for l in $layers; do
    [ "$(sha256sum <"$TMP/cache/sha256/$l" | cut -d' ' -f1)" = "$l" ] && n=$((n + 1))
done
is "$n" 2 "both layers are in the cache under their digests"
for l in $layers; do
    rm -rf "$REGISTRY_STATE/data/docker/registry/v2/blobs/sha256/$(echo "$l" | cut -c1-2)/$l"
done
run 0 "$HULL" sbom -f json -o "$TMP/c2.json" "$NS/distroless-like:latest"
is "$(cat "$TMP/c2.json")" "$(cat "$TMP/c1.json")" "re-scan with the layers gone from the registry: same result"
first=$(echo $layers | cut -d' ' -f1)
python3 -c '
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff
open(p, "wb").write(bytes(b))' "$TMP/cache/sha256/$first"
run 3 "$HULL" sbom "$NS/distroless-like:latest"
like "$ERR" "layer 1" "the error names the corrupted layer"
one_line_error "corrupted cache entry"
unset HULL_BLOB_CACHE
"$HULL" sbom "$NS/distroless-like:latest" >/dev/null 2>"$TMP/nocache.err"
rc=$?
if [ $rc -ne 0 ]; then pass "without the cache the missing layers fail the scan (exit $rc)"
else fail "without the cache the missing layers fail the scan"; fi

# corrupt the last layer of multilayer-whiteout on the registry's disk
layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][-1]["digest"][7:])' \
    "$SHARED/images/multilayer-whiteout.truth.json")
blob="$REGISTRY_STATE/data/docker/registry/v2/blobs/sha256/$(echo "$layer" | cut -c1-2)/$layer/data"
if [ -f "$blob" ]; then
    python3 -c '
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff
open(p, "wb").write(bytes(b))' "$blob"
    run 3 "$HULL" sbom "$NS/multilayer-whiteout:latest"
    one_line_error "corrupted blob"
    like "$ERR" 'digest mismatch' "the corrupted blob is a digest mismatch"
else
    fail "layer blob found in the registry storage" "$blob"
fi
done_testing
