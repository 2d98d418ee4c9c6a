#!/bin/sh
# Version comparison throughput: pairs per second through `hull version compare ECO -` on
# 1,000,000 generated pairs per ecosystem, against two baselines measured in the same run
# on the same input: `wc -l` over the pairs (just reading the bytes) and GNU `sort -V` (a
# version-aware sort) over the first 200,000 of the version strings, whose n log n
# comparisons (~3.5 million) are compared with hull's per-pair rate.
#   sh bench/version.sh path/to/hull [PAIRS]
set -eu
hull=${1:-build/hull}
pairs=${2:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
gen() { # gen ECO: $pairs lines "A B"
    awk -v eco="$1" -v n="$pairs" 'BEGIN {
        srand(42)
        for (i = 0; i < n; i++) print v(), v()
    }
    function r(k) { return int(rand() * k) }
    function v(  s) {
        if (eco == "deb") { s = (r(10) == 0 ? r(3) ":" : "") r(20) "." r(30) "." r(100); if (r(4) == 0) s = s "~rc" r(5); return s "-" r(10) (r(3) == 0 ? "+deb12u" r(9) : "") }
        if (eco == "apk") { s = r(20) "." r(30) "." r(100); if (r(4) == 0) s = s "_rc" r(5); if (r(6) == 0) s = s "_p" r(9); return s "-r" r(20) }
        if (eco == "rpm") { s = (r(10) == 0 ? r(3) ":" : "") r(20) "." r(30) "." r(100); if (r(5) == 0) s = s "~rc" r(5); return s "-" r(30) ".el9" (r(3) == 0 ? "_" r(9) : "") }
        if (eco == "npm") { s = r(20) "." r(30) "." r(100); if (r(4) == 0) s = s "-beta." r(20); return s }
        if (eco == "pypi") { s = r(20) "." r(30) "." r(100); if (r(4) == 0) s = s "rc" r(5); if (r(6) == 0) s = s ".post" r(3); if (r(8) == 0) s = s ".dev" r(9); return s }
        if (eco == "golang") { s = "v" r(20) "." r(30) "." r(100); if (r(4) == 0) s = s "-rc." r(9); if (r(8) == 0) s = "v0.0.0-2023" 1000000 + r(8999999) "-abcdef123456"; return s }
        if (eco == "maven") { s = r(20) "." r(30) "." r(100); if (r(4) == 0) s = s (r(2) ? "-RC" r(5) : "-SNAPSHOT"); return s }
        if (eco == "gem") { s = r(20) "." r(30) "." r(100); if (r(4) == 0) s = s ".rc" r(5); return s }
    }'
}
printf '%-7s %9s %8s %10s %8s %9s %11s %9s\n' eco pairs hull_s pairs/s wc-l_s sort-V_s sortV_cmp/s hull/sortV
for eco in deb apk rpm npm pypi golang maven gem; do
    gen "$eco" > "$tmp/pairs"
    head -n 100000 "$tmp/pairs" | tr ' ' '\n' > "$tmp/strings"
    t0=$(now); "$hull" version compare "$eco" - < "$tmp/pairs" > "$tmp/out"; t1=$(now)
    wc -l < "$tmp/pairs" > /dev/null; t2=$(now)
    LC_ALL=C sort -V "$tmp/strings" > /dev/null; t3=$(now)
    n=$(wc -l < "$tmp/out")
    [ "$n" -eq "$pairs" ] || { echo "bench: $eco answered $n of $pairs" >&2; exit 1; }
    h=$(secs "$t0" "$t1"); w=$(secs "$t1" "$t2"); s=$(secs "$t2" "$t3")
    awk -v e="$eco" -v p="$pairs" -v h="$h" -v w="$w" -v s="$s" 'BEGIN {
        hr = p / (h > 0 ? h : 1e-9); sr = 200000 * log(200000) / log(2) / (s > 0 ? s : 1e-9)
        printf "%-7s %9d %8.3f %10.0f %8.3f %9.3f %11.0f %8.2fx\n", e, p, h, hr, w, s, sr, hr / sr }'
done
echo "(sortV_cmp/s: sort -V's comparisons per second, n log2 n over its run time; hull/sortV:"
echo " hull's pairs per second, parsing and I/O included, over that rate)"
