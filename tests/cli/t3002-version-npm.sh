#!/bin/sh
# Differential test: `hull version compare npm` and `hull version satisfies` against the
# `semver` package from the npm registry (what npm itself uses), on the real version lists
# of popular packages (many pre-releases: typescript, next, react, ...): every adjacent pair
# of hull's order, random pairs, and a table of ranges over a sample of the versions.
# The semver package and the version lists are fetched once into $HULL_BUILD/t-npm.
. "$(dirname "$0")/lib.sh"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "1..0 # SKIP npm or node is not installed"
    exit 0
fi
NPMDIR=${HULL_BUILD:-$TMP}/t-npm
mkdir -p "$NPMDIR"
if [ ! -f "$NPMDIR/node_modules/semver/package.json" ]; then
    if ! timeout 90 npm install --no-save --no-audit --no-fund --prefix "$NPMDIR" semver \
        >"$TMP/npm.log" 2>&1; then
        echo "1..0 # SKIP the npm registry is unavailable (npm install semver failed)"
        exit 0
    fi
fi
PKGS="typescript next react react-dom vue @angular/core webpack eslint lodash @babel/core"
for p in $PKGS; do
    f="$NPMDIR/$(echo "$p" | tr '/@' '__').json"
    [ -s "$f" ] && continue
    if ! timeout 45 npm view "$p" versions --json > "$f.tmp" 2>/dev/null; then
        rm -f "$f.tmp"
        echo "1..0 # SKIP the npm registry is unavailable (npm view $p failed)"
        exit 0
    fi
    mv "$f.tmp" "$f"
done
semver_ver=$(node -e "console.log(require('$NPMDIR/node_modules/semver/package.json').version)")
echo "# reference: semver $semver_ver from the npm registry; packages: $PKGS"

# The reference side: one node process answers a file of requests.
cat > "$TMP/ref.js" <<'JS'
const semver = require(process.argv[2]);
const fs = require('fs');
const mode = process.argv[3];
const lines = fs.readFileSync(process.argv[4], 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const out = [];
if (mode === 'versions') {
  const seen = new Set();
  for (const f of process.argv.slice(5)) for (const v of JSON.parse(fs.readFileSync(f))) seen.add(v);
  for (const v of seen) (semver.valid(v) !== null ? out : lines).push(v);
  fs.writeFileSync(process.argv[4] + '.invalid', lines.join('\n') + (lines.length ? '\n' : ''));
} else if (mode === 'compare') {
  for (const l of lines) {
    const [a, b] = l.split(' ');
    const r = semver.compare(a, b);
    out.push(r < 0 ? '<' : r > 0 ? '>' : '=');
  }
} else {
  for (const l of lines) {
    const t = l.indexOf('\t');
    const v = l.slice(0, t), r = l.slice(t + 1);
    if (semver.valid(v) === null || semver.validRange(r) === null) out.push('!');
    else out.push(semver.satisfies(v, r) ? 'true' : 'false');
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
JS
S=$NPMDIR/node_modules/semver
: > "$TMP/none"
node "$TMP/ref.js" "$S" versions "$TMP/none" "$NPMDIR"/*.json > "$TMP/real"
nreal=$(wc -l < "$TMP/real")
ninval=$(grep -c . "$TMP/none.invalid" || true)
echo "# $nreal versions valid for semver ($ninval rejected by semver)"
[ "$nreal" -gt 1000 ] && pass "more than 1000 real versions ($nreal)" || fail "too few versions ($nreal)"
# a 'v' prefix and build metadata on some of them (both allowed, both ignored)
awk 'NR % 11 == 0 { print "v" $0 } NR % 13 == 0 { print $0 "+build." NR } { print }' \
    "$TMP/real" > "$TMP/all"
nall=$(wc -l < "$TMP/all")
run 0 sh -c '"$0" version sort npm < "$1" > "$2"' "$HULL" "$TMP/all" "$TMP/sorted"
is "$(wc -l < "$TMP/sorted")" "$nall" "hull accepts all $nall versions"
if [ "$ninval" -gt 0 ]; then
    awk '{ print $0, "1.0.0" }' "$TMP/none.invalid" | grep -v ' .* ' > "$TMP/invpairs" || true
    "$HULL" -q version compare npm - < "$TMP/invpairs" > "$TMP/inv.out" 2>/dev/null
    is "$(grep -vc '^!$' "$TMP/inv.out")" "0" "hull rejects the versions semver rejects"
fi

awk -v seed=11 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (i = 1; i < NR; i++) print s[i], s[i + 1]
    for (k = 0; k < 20000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/sorted" > "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
run 0 sh -c '"$0" version compare npm - < "$1" > "$2"' "$HULL" "$TMP/pairs" "$TMP/hull.out"
node "$TMP/ref.js" "$S" compare "$TMP/pairs" > "$TMP/ref.out"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/ref.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# npm compare: checked $npairs pairs ($nall versions), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with semver.compare over $npairs pairs" ||
    fail "$ndiff disagreements with semver.compare" "$(head -20 "$TMP/diff")"

# ranges: every range of tests/data/version/npm-ranges.txt against a sample of versions
awk 'NR % 60 == 1' "$TMP/sorted" > "$TMP/sample"
cat >> "$TMP/sample" <<'V'
0.0.0
0.0.0-0
0.0.3
0.0.4
0.2.5
1.0.0
1.2.3
1.2.3-alpha.4
1.2.7
1.2.8
1.3.0
2.0.0
2.0.0-0
3.0.0
4.0.0-beta.1
5.0.0-rc.2
16.0.0-beta.1
v1.2.3
1.2.3+build.7
V
grep -v '^#' "$(dirname "$0")/../data/version/npm-ranges.txt" > "$TMP/ranges"
awk 'NR == FNR { r[++n] = $0; next } { for (i = 1; i <= n; i++) printf "%s\t%s\n", $0, r[i] }' \
    "$TMP/ranges" "$TMP/sample" > "$TMP/checks"
nchecks=$(wc -l < "$TMP/checks")
"$HULL" -q version satisfies - < "$TMP/checks" > "$TMP/hull.sat"
node "$TMP/ref.js" "$S" satisfies "$TMP/checks" > "$TMP/ref.sat"
paste "$TMP/checks" "$TMP/hull.sat" "$TMP/ref.sat" | awk -F '\t' '$3 != $4' > "$TMP/sdiff"
nsdiff=$(wc -l < "$TMP/sdiff")
echo "# hull answers: $(sort "$TMP/hull.sat" | uniq -c | tr -s " \n" " ")"
echo "# npm ranges: checked $nchecks (version, range) pairs, $(wc -l < "$TMP/ranges") ranges, $nsdiff disagreements"
[ "$nsdiff" -eq 0 ] && pass "0 disagreements with semver.satisfies over $nchecks checks" ||
    fail "$nsdiff disagreements with semver.satisfies" "$(head -30 "$TMP/sdiff")"
done_testing
