#!/bin/sh
# Layer walk throughput: walk every layer of the largest shared image (debian-bookworm-point,
# OCI gzip) and of distroless-like-zstd, and compare wall and CPU time with plain `zcat` /
# `zstd -dc` of the same blobs to /dev/null, measured in the same run (best of 3 each).
# Also prints the walk's peak RSS. Target: ratio <= 1.0x, RSS flat and < 64 MiB.
#   sh bench/walk.sh [path/to/hull]      (libhull.a is taken from the hull binary's directory)
set -eu
cd "$(dirname "$0")/.."
hull=${1:-build/hull}
build=$(dirname "$hull")
shared=${HULL_SHARED:-../shared}
images=$shared/images
if [ ! -d "$images/oci/debian-bookworm-point" ]; then
    echo "walk: SKIP $images absent"
    exit 0
fi
[ -f "$build/libhull.a" ] || { echo "walk: $build/libhull.a missing (make first)" >&2; exit 1; }
pkgs="jansson libarchive zlib libzstd libcurl libcrypto sqlite3 libxml-2.0 yaml-0.1"
def=""
if pkg-config --exists libisal; then pkgs="$pkgs libisal"; def="-DHAVE_ISAL=1"; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench-walk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=gnu11 -O2 -g $def -Iinclude -Ilib $(pkg-config --cflags $pkgs) \
    -o "$tmp/walk-bench" bench/walk-bench.c "$build/libhull.a" $(pkg-config --libs $pkgs) \
    -lm -lpthread

# best of 3: prints "wall cpu maxrss_kb"
best() {
    b=""
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || {
            cat "$tmp/err" >&2; return 1; }
        r=$(awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' "$tmp/t")
        b=$(printf '%s\n%s\n' "$b" "$r" |
            awk 'NF { if (!n || $1 < w) { w = $1; c = $2; m = $3 } n++ }
                 END { printf "%.3f %.3f %d\n", w, c, m }')
    done
    echo "$b"
}

blobs() { # layer blob paths of an OCI image, from its truth file
    python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))
for l in t["layers"]:
    print(sys.argv[2] + "/blobs/sha256/" + l["digest"].split(":")[1])' "$images/$1.truth.json" \
        "$images/oci/$1"
}

run() { # NAME DECOMPRESSOR REPEAT (small images are repeated so times are measurable)
    name=$1; tool=$2; rep=$3
    files=$(blobs "$name" | tr '\n' ' ')
    # shellcheck disable=SC2086
    cat $files >/dev/null # warm the page cache for both sides
    spec="oci:$images/oci/$name"
    printf '#!/bin/sh\nfor i in $(seq %s); do %s -dc %s; done\n' "$rep" "$tool" "$files" \
        > "$tmp/base.sh"
    printf '#!/bin/sh\nfor i in $(seq %s); do "%s" "%s" || exit 1; done\n' "$rep" \
        "$tmp/walk-bench" "$spec" > "$tmp/walk.sh"
    printf '#!/bin/sh\nfor i in $(seq %s); do "%s" --drain "%s" || exit 1; done\n' "$rep" \
        "$tmp/walk-bench" "$spec" > "$tmp/drain.sh"
    base=$(best sh "$tmp/base.sh")
    drain=$(best sh "$tmp/drain.sh")
    walk=$(best sh "$tmp/walk.sh")
    echo "$name ($rep run(s) each): $("$tmp/walk-bench" "$spec")"
    echo "$base $drain $walk" | awk -v t="$tool" '{
        printf "  %-22s wall %.3fs cpu %.3fs\n", t " -dc (baseline)", $1, $2
        f = "  %-22s wall %.3fs cpu %.3fs  peak RSS %.1f MiB\n"
        printf f, "hull layer streams", $4, $5, $6 / 1024
        printf f, "hull walk", $7, $8, $9 / 1024
        printf "  ratio walk/%s: wall %.2fx cpu %.2fx (target <= 1.0x); tar walk adds %.0f%% cpu\n",
            t, $7 / $1, $8 / $2, ($5 > 0 ? 100 * ($8 - $5) / $5 : 0) }'
}

run debian-bookworm-point zcat 1
if command -v zstd >/dev/null; then run distroless-like-zstd zstd 10; fi
