#!/bin/sh
# hull lint over the Dockerfile corpus (../shared/data/dockerfiles, 378 files), time per file,
# side by side with dockerfilelint (npm, installed at bench time under the build directory)
# linting the same files in the same run. Both tools get all files in one invocation, and
# once per file (process start-up included).
#   sh bench/lint.sh path/to/hull
set -eu
hull=${1:-build/hull}
top=$(cd "$(dirname "$0")/.." && pwd)
C=${HULL_SHARED:-$top/../shared}/data/dockerfiles
if [ ! -d "$C" ]; then echo "bench lint: ../shared not present ($C), skipped"; exit 0; fi
bdir=$(cd "$(dirname "$hull")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hull-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
ms_per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.3f", (b - a) * 1000 / n }'; }
set -- "$C"/*.Dockerfile
n=$#
echo "lint: $n Dockerfiles from $C"

t0=$(now); "$hull" lint --no-shellcheck -f json "$@" > "$tmp/hull.json" || true; t1=$(now)
hull_batch=$(ms_per "$t0" "$t1" "$n")
nf=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/hull.json" 2>/dev/null || echo "?")
sc_batch="n/a"
if command -v shellcheck >/dev/null 2>&1; then
    t0=$(now); "$hull" lint -f json "$@" > "$tmp/hull-sc.json" || true; t1=$(now)
    sc_batch=$(ms_per "$t0" "$t1" "$n")
fi
t0=$(now); for f in "$@"; do "$hull" lint --no-shellcheck -f json "$f" > /dev/null || true; done; t1=$(now)
hull_each=$(ms_per "$t0" "$t1" "$n")

dfl="$bdir/bench-npm/node_modules/.bin/dockerfilelint"
if [ ! -x "$dfl" ] && command -v npm >/dev/null 2>&1; then
    npm install --silent --no-audit --no-fund --prefix "$bdir/bench-npm" dockerfilelint@1.8.0 \
        > "$tmp/npm.log" 2>&1 || true
fi
printf '%-34s %12s %14s\n' "tool" "ms/file (all" "ms/file (one" 
printf '%-34s %12s %14s\n' "" "at once)" "process each)"
printf '%-34s %12s %14s\n' "hull lint (findings: $nf)" "$hull_batch" "$hull_each"
printf '%-34s %12s %14s\n' "hull lint + shellcheck" "$sc_batch" "-"
if [ -x "$dfl" ]; then
    t0=$(now); "$dfl" -o json "$@" > "$tmp/dfl.json" 2>/dev/null || true; t1=$(now)
    dfl_batch=$(ms_per "$t0" "$t1" "$n")
    # one process per file on a sample of 40 files (node start-up dominates)
    i=0; t0=$(now)
    for f in "$@"; do i=$((i + 1)); [ $i -le 40 ] || break; "$dfl" -o json "$f" > /dev/null 2>&1 || true; done
    t1=$(now)
    dfl_each=$(ms_per "$t0" "$t1" 40)
    printf '%-34s %12s %14s\n' "dockerfilelint 1.8.0" "$dfl_batch" "$dfl_each"
    awk -v h="$hull_batch" -v d="$dfl_batch" -v he="$hull_each" -v de="$dfl_each" 'BEGIN {
        printf "ratio dockerfilelint/hull: %.1fx (all at once), %.1fx (process per file)\n", d / h, de / he }'
else
    echo "dockerfilelint: unavailable (npm install failed or npm missing; see the npm log), no baseline"
fi
