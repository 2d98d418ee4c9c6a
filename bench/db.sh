#!/bin/sh
# Vulnerability database: import time and size for every dataset of ../shared/data/vuln, and
# lookups per second, against baselines measured in the same run:
#   import   `hull db import` of all feeds into a fresh database (wall and CPU seconds),
#            against merely reading the same bytes (bzip2 -dc of the OVAL + cat of the rest)
#   lookup   every (ecosystem, package) of the database plus as many misses, looked up in
#            batches of 10,000 (one read transaction per batch) against one key per call
#   sh bench/db.sh [path/to/hull]       (libhull.a is taken from the hull binary's dir)
set -eu
cd "$(dirname "$0")/.."
hull=${1:-build/hull}
build=$(dirname "$hull")
v=${HULL_SHARED:-../shared}/data/vuln
if [ ! -f "$v/README.md" ]; then echo "db: SKIP $v absent"; exit 0; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench-db.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
feeds="$v/alpine/secdb $v/debian/oval/oval-definitions-bookworm.xml.bz2 $v/npm/ghsa
$v/nodejs-security-wg $v/cvss/cvss.csv $v/kev/known_exploited_vulnerabilities.json
$v/samples/debian/osv $v/samples/debian/tracker-json-excerpt.json $v/debian/security-tracker/data"

t0=$(now)
# shellcheck disable=SC2086
bzip2 -dc "$v/debian/oval/oval-definitions-bookworm.xml.bz2" > /dev/null
find $feeds -type f ! -name '*.bz2' -exec cat {} + > /dev/null
t1=$(now)
# shellcheck disable=SC2086
/usr/bin/time -f '%U %S %M' -o "$tmp/time" "$hull" -q db import --db "$tmp/db.sqlite" $feeds
t2=$(now)
read -r usr sys rss < "$tmp/time"
size=$(stat -c %s "$tmp/db.sqlite")
awk -v r="$t0" -v a="$t1" -v b="$t2" -v u="$usr" -v s="$sys" -v m="$rss" -v z="$size" 'BEGIN {
    printf "import: %.2f s wall, %.2f s CPU, %.0f MiB max RSS; database %.1f MiB\n", b - a, u + s, m / 1024, z / 1048576
    printf "baseline (read/decompress the same feeds): %.2f s; import/baseline %.1fx\n", a - r, (b - a) / (a - r) }'
"$hull" db status --db "$tmp/db.sqlite" | sed -n '5,9p' | tr -s ' ' | paste -sd ' ' | sed 's/^/records: /'

# lookups
pkgs="jansson libarchive zlib libzstd libcurl libcrypto sqlite3 libxml-2.0 yaml-0.1"
def=""
if pkg-config --exists libisal; then pkgs="$pkgs libisal"; def="-DHAVE_ISAL=1"; fi
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=gnu11 -O2 $def -Iinclude -Ilib $(pkg-config --cflags $pkgs) -o "$tmp/db-bench" \
    bench/db-bench.c "$build/libhull.a" $(pkg-config --libs $pkgs) -lm -lpthread
sqlite3 -separator '	' "$tmp/db.sqlite" \
    "SELECT DISTINCT ecosystem, name FROM affected; SELECT DISTINCT ecosystem, name || '-nomatch' FROM affected" \
    > "$tmp/keys"
"$tmp/db-bench" "$tmp/db.sqlite" 10000 < "$tmp/keys"
