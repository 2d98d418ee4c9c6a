#!/bin/sh
# Cost of package analysis: inventory of the node-app image (3 layers, 5 dpkg + 70 npm
# packages, ~300 package.json files) against the walk of the same image alone, measured in
# the same run (best of 5, each run repeated so times are measurable):
#   walk     every layer decompressed, verified and walked, no file contents kept
#   capture  the same walk keeping every file an analyzer asks for
#   scan     walk + analyzers + inventory finish + hull JSON (what `hull sbom -f json` does)
# Prints seconds and the ratios scan/walk (the whole cost of analysis) and scan/capture.
#   sh bench/inventory.sh [path/to/hull]      (libhull.a is taken from the hull binary's dir)
set -eu
cd "$(dirname "$0")/.."
hull=${1:-build/hull}
build=$(dirname "$hull")
shared=${HULL_SHARED:-../shared}
image=$shared/images/oci/node-app
if [ ! -d "$image" ]; then
    echo "inventory: SKIP $image absent"
    exit 0
fi
if [ ! -f "$build/libhull.a" ]; then
    echo "inventory: $build/libhull.a missing (make first)" >&2
    exit 1
fi
pkgs="jansson libarchive zlib libzstd libcurl libcrypto sqlite3 libxml-2.0 yaml-0.1"
def=""
if pkg-config --exists libisal; then pkgs="$pkgs libisal"; def="-DHAVE_ISAL=1"; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench-inv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=gnu11 -O2 -g $def -Iinclude -Ilib $(pkg-config --cflags $pkgs) \
    -o "$tmp/inv-bench" bench/inventory-bench.c "$build/libhull.a" \
    $(pkg-config --libs $pkgs) -lm -lpthread
rep=10
spec="oci:$image"
cat "$image"/blobs/sha256/* >/dev/null # warm the page cache
best() { # MODE -> "wall cpu maxrss_kb", best wall of 5
    printf '#!/bin/sh\nfor i in $(seq %s); do "%s" %s "%s" >/dev/null || exit 1; done\n' \
        "$rep" "$tmp/inv-bench" "$1" "$spec" > "$tmp/$1.sh"
    b=""
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" sh "$tmp/$1.sh" 2>"$tmp/err" || {
            cat "$tmp/err" >&2; exit 1; }
        r=$(awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' "$tmp/t")
        b=$(printf '%s\n%s\n' "$b" "$r" | awk 'NF { if (!n || $1 < w) { w = $1; c = $2; m = $3 } n++ }
            END { printf "%.3f %.3f %d\n", w, c, m }')
    done
    echo "$b"
}
walk=$(best walk)
capture=$(best capture)
scan=$(best scan)
w=$("$tmp/inv-bench" walk "$spec")
c=$("$tmp/inv-bench" capture "$spec" | sed 's/.*, //')
echo "node-app ($rep runs each): walk $w; $c; scan $("$tmp/inv-bench" scan "$spec")"
echo "$walk $capture $scan" | awk '{
    printf "  %-8s wall %.3fs cpu %.3fs peak RSS %.1f MiB\n", "walk", $1, $2, $3 / 1024
    printf "  %-8s wall %.3fs cpu %.3fs peak RSS %.1f MiB\n", "capture", $4, $5, $6 / 1024
    printf "  %-8s wall %.3fs cpu %.3fs peak RSS %.1f MiB\n", "scan", $7, $8, $9 / 1024
    printf "  ratio scan/walk: wall %.2fx cpu %.2fx (cost of analysis incl. capture)\n",
        $7 / $1, $8 / $2
    printf "  ratio scan/capture: wall %.2fx cpu %.2fx (parsing + inventory + JSON)\n",
        $7 / $4, $8 / $5 }'
