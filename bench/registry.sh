#!/bin/sh
# Registry benchmarks, against a local docker-registry loaded with the shared fixture images
# (../shared/tools/registry.sh; plain HTTP and TLS + basic auth), each as a ratio against a
# baseline measured in the same run:
#   1. `hull digest REF` vs `skopeo inspect --raw REF` (sha256 of the raw manifest, what
#      skopeo reports as Digest) over every fixture reference, 3 rounds, best round;
#   2. `hull sbom` of node-app pulled from the registry (TLS + auth) vs the same scan of its
#      docker-archive and of its OCI layout (pull-and-inventory against local inventory).
#   sh bench/registry.sh [HULL]
set -eu
cd "$(dirname "$0")/.."
HULL=${1:-build/hull}
SHARED=${HULL_SHARED:-$(pwd)/../shared}
[ -d "$SHARED/images" ] || { echo "registry bench: skipped ($SHARED absent)"; exit 0; }
for t in docker-registry skopeo python3; do
    command -v "$t" >/dev/null || { echo "registry bench: skipped ($t missing)"; exit 0; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench.XXXXXX")
STATES=""
cleanup() {
    for s in $STATES; do bash "$SHARED/tools/registry.sh" stop "$s" >/dev/null 2>&1 || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

now() { python3 -c 'import time; print(time.monotonic())'; }
secs() { python3 -c 'import sys; print("%.3f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }
ratio() { python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print("%.2f" % (a / b if b else 0))' "$1" "$2"; }

# best of 3 rounds of: CMD over every ref
time_refs() { # PREFIX CMD...: CMD PREFIX<ref> for every ref
    pre=$1
    shift
    best=""
    for _ in 1 2 3; do
        t0=$(now)
        for r in $REFS; do "$@" "$pre$NS/$r" >/dev/null; done
        t1=$(now)
        s=$(secs "$t0" "$t1")
        best=$(min "$best" "$s")
    done
    echo "$best"
}
min() { python3 -c 'import sys; a=sys.argv[1]; b=float(sys.argv[2]); print(b if not a else min(float(a), b))' "$1" "$2"; }
skopeo_raw() { skopeo inspect --raw "$@" >"$TMP/raw" && sha256sum "$TMP/raw" >/dev/null; }

for variant in plain tls-auth; do
    args=""
    [ $variant = tls-auth ] && args=--tls-auth
    # shellcheck disable=SC2086
    bash "$SHARED/tools/registry.sh" start $args >"$TMP/env" 2>/dev/null
    unset REGISTRY_USER REGISTRY_PASSWORD REGISTRY_CA_CERT
    . "$TMP/env"
    STATES="$STATES $REGISTRY_STATE"
    NS=$REGISTRY_HOST/scanner-fixtures
    REFS="alpine-like:latest alpine-like:multiarch alpine-like:multiarch-v2s2 debian-bookworm-point:latest
distroless-like:latest distroless-like-zstd:latest multilayer-whiteout:latest node-app:latest"
    n=$(echo $REFS | wc -w)
    if [ $variant = plain ]; then
        H="--insecure"
        S="--tls-verify=false"
        export DOCKER_CONFIG="$TMP/none"
        unset SSL_CERT_FILE
    else
        mkdir -p "$TMP/dc"
        printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$REGISTRY_HOST" \
            "$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64)" >"$TMP/dc/config.json"
        export DOCKER_CONFIG="$TMP/dc" SSL_CERT_FILE="$REGISTRY_CA_CERT"
        H=""
        S="--cert-dir $REGISTRY_STATE/certs --creds $REGISTRY_USER:$REGISTRY_PASSWORD"
    fi
    # shellcheck disable=SC2086
    th=$(time_refs "" "$HULL" digest $H)
    # shellcheck disable=SC2086
    ts=$(time_refs docker:// skopeo_raw $S)
    echo "digest ($variant, $n refs, best of 3): hull ${th}s, skopeo inspect --raw ${ts}s;" \
        "hull/skopeo = $(ratio "$th" "$ts")"
    if [ $variant = tls-auth ]; then
        best_r=""; best_l=""; best_a=""
        for _ in 1 2 3; do
            t0=$(now); "$HULL" -q sbom -f json "$NS/node-app:latest" >/dev/null; t1=$(now)
            best_r=$(min "$best_r" "$(secs "$t0" "$t1")")
            t0=$(now); "$HULL" -q sbom -f json "oci:$SHARED/images/oci/node-app" >/dev/null; t1=$(now)
            best_l=$(min "$best_l" "$(secs "$t0" "$t1")")
            t0=$(now); "$HULL" -q sbom -f json "docker-archive:$SHARED/images/docker/node-app.tar" \
                >/dev/null; t1=$(now)
            best_a=$(min "$best_a" "$(secs "$t0" "$t1")")
        done
        echo "sbom node-app (5.6 MB compressed, best of 3): registry ${best_r}s," \
            "docker-archive ${best_a}s, OCI layout ${best_l}s;" \
            "registry/archive = $(ratio "$best_r" "$best_a"), registry/layout = $(ratio "$best_r" "$best_l")"
    fi
done
