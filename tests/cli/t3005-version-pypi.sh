#!/bin/sh
# Differential test: `hull version compare pypi` against packaging.version.Version (the
# PEP 440 implementation pip uses; Debian's python3-packaging) on the versions of
# tests/data/version/pypi.txt plus thousands of generated ones: epochs, release segments
# of every size, pre/post/dev parts in all their spellings, separators and case, local
# versions, and malformed strings (both sides must reject the same ones).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import packaging.version' 2>/dev/null; then
    echo "1..0 # SKIP python3-packaging is not installed"
    exit 0
fi
echo "# reference: packaging $("$PY" -c 'import packaging; print(packaging.__version__)')"
sed -n 's/^\([^#! ][^ ]*\) [<=>] \([^ ][^ ]*\)$/\1\n\2/p' "$(dirname "$0")/../data/version/pypi.txt" > "$TMP/v"
sed -n 's/^! \([^ ][^ ]*\)$/\1/p' "$(dirname "$0")/../data/version/pypi.txt" >> "$TMP/v"
awk -v seed=17 'BEGIN {
    srand(seed)
    split("a alpha b beta c rc pre preview A Alpha RC Pre", pl, " ")
    split(". - _", sp, " ")
    split("0 1 2 3 9 10 11 00 010 2023 99999999999999999999", num, " ")
    for (k = 0; k < 6000; k++) {
        v = ""
        if (rand() < 0.05) v = "v"
        if (rand() < 0.1) v = v num[int(rand() * 11) + 1] "!"
        n = int(rand() * 4) + 1
        for (i = 0; i < n; i++) v = v (i ? "." : "") num[int(rand() * 11) + 1]
        if (rand() < 0.35) {
            if (rand() < 0.4) v = v sp[int(rand() * 3) + 1]
            v = v pl[int(rand() * 12) + 1]
            if (rand() < 0.3) v = v sp[int(rand() * 3) + 1]
            if (rand() < 0.8) v = v num[int(rand() * 6) + 1]
        }
        if (rand() < 0.25) {
            r = rand()
            if (r < 0.3) v = v "-" num[int(rand() * 6) + 1]
            else {
                if (rand() < 0.7) v = v sp[int(rand() * 3) + 1]
                split("post rev r POST", po, " "); v = v po[int(rand() * 4) + 1]
                if (rand() < 0.3) v = v sp[int(rand() * 3) + 1]
                if (rand() < 0.8) v = v num[int(rand() * 6) + 1]
            }
        }
        if (rand() < 0.25) {
            if (rand() < 0.7) v = v sp[int(rand() * 3) + 1]
            v = v (rand() < 0.8 ? "dev" : "DEV")
            if (rand() < 0.8) v = v num[int(rand() * 6) + 1]
        }
        if (rand() < 0.15) {
            split("abc 1 ubuntu1 Z 2 10 a.b 1.2 abc-1 x_y_z 001", lo, " ")
            v = v "+" lo[int(rand() * 11) + 1]
            if (rand() < 0.3) v = v sp[int(rand() * 3) + 1] lo[int(rand() * 11) + 1]
        }
        if (rand() < 0.04) { split("- . + .. x ! _ -1-1", junk, " "); v = v junk[int(rand() * 8) + 1] }
        print v
    }
}' >> "$TMP/v"
sort -u "$TMP/v" > "$TMP/all"
nall=$(wc -l < "$TMP/all")
awk -v seed=19 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (k = 0; k < 30000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/all" > "$TMP/pairs"
# hull's own order of the valid ones, adjacent pairs checked too
"$HULL" -q version sort pypi < "$TMP/all" > "$TMP/sorted" 2>/dev/null
awk 'NR > 1 { print p, $0 } { p = $0 }' "$TMP/sorted" >> "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
"$HULL" -q version compare pypi - < "$TMP/pairs" > "$TMP/hull.out" 2>/dev/null
cat > "$TMP/ref.py" <<'PY'
import sys
from packaging.version import Version, InvalidVersion
def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None
out = []
for line in open(sys.argv[1]):
    a, b = line.rstrip('\n').split(' ', 1)
    x, y = parse(a), parse(b)
    out.append('!' if x is None or y is None else '<' if x < y else '>' if x > y else '=')
sys.stdout.write('\n'.join(out) + '\n')
PY
"$PY" "$TMP/ref.py" "$TMP/pairs" > "$TMP/ref.out"
is "$(wc -l < "$TMP/ref.out")" "$npairs" "packaging answered every pair"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/ref.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
ninv=$(grep -c '!' "$TMP/ref.out" || true)
echo "# pypi: checked $npairs pairs ($nall versions, $(wc -l < "$TMP/sorted") valid; $ninv pairs with an invalid side), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with packaging over $npairs pairs" ||
    fail "$ndiff disagreements with packaging" "$(head -20 "$TMP/diff")"
done_testing
