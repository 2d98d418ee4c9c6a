#!/bin/sh
# hull inspect (open + verify every blob: compressed digest, decompression, diff_id) of the
# largest shared images, against plain `zcat` / `zstd -dc` of the same layer blobs to
# /dev/null, measured in the same run (best of 3 wall times). Also the gzipped docker-archive
# (31 MB, re-streamed per member) and peak RSS of each hull run.
#   sh bench/inspect.sh path/to/hull
set -eu
hull=${1:?usage: inspect.sh HULL}
img=$(cd "$(dirname "$0")/.." && pwd)/../shared/images
[ -d "$img" ] || { echo "bench inspect: SKIP (no ../shared/images)"; exit 0; }
best() { # best of 3 wall-clock seconds of "$@"
    b=""
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || { echo "bench inspect: command failed: $*" >&2; exit 1; }
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
layers() { # blob paths of an OCI layout's layers
    python3 -c 'import json,sys,os
d=sys.argv[1]; ix=json.load(open(d+"/index.json"))
m=json.load(open(d+"/blobs/sha256/"+ix["manifests"][0]["digest"][7:]))
print(" ".join(d+"/blobs/sha256/"+l["digest"][7:] for l in m["layers"]))' "$1"
}
one() { # NAME DECOMPRESSOR SPEC [BASELINE FILES]
    blobs=${4:-$(layers "$img/oci/$1")}
    # shellcheck disable=SC2086
    base=$(best sh -c "$2 $blobs")
    h=$(best "$hull" inspect -q --format json "$3")
    kb=$(rss "$hull" inspect -q --format json "$3")
    printf '%-34s hull %6.3fs  %-10s %6.3fs  ratio %5.2fx  peak RSS %s KiB\n' \
        "$1" "$h" "$(echo "$2" | cut -d' ' -f1)" "$base" "$(echo "$h / $base" | bc -l)" "$kb"
}
one debian-bookworm-point "zcat" "oci:$img/oci/debian-bookworm-point"
one node-app "zcat" "oci:$img/oci/node-app"
one distroless-like-zstd "zstd -dcq" "oci:$img/oci/distroless-like-zstd"
one debian-bookworm-point.tar.gz "zcat" "docker-archive:$img/docker/debian-bookworm-point.tar.gz" \
    "$img/docker/debian-bookworm-point.tar.gz"
