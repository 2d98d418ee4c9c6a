#!/bin/sh
# The versions and ranges of real vulnerability feeds (../shared/data/vuln): every Alpine
# secdb fix version and every Debian DSA/DLA fixed version must parse (except the malformed
# ones known below, which must be refused, never guessed), and every npm range of the Node.js
# security WG feeds must evaluate exactly like node-semver's satisfies() over a set of
# versions (when npm's semver package is available).
. "$(dirname "$0")/lib.sh"
need_shared
F=$SHARED/data/vuln
[ -d "$F/alpine/secdb" ] || { echo "1..0 # SKIP no vulnerability feeds in $F"; exit 0; }
if ! command -v node >/dev/null 2>&1; then
    echo "1..0 # SKIP node is not installed (needed to read the JSON feeds)"
    exit 0
fi

# Alpine: the secfixes keys ("0" means never affected and is a valid apk version too)
node -e '
const fs = require("fs"), d = process.argv[1], out = new Set();
for (const v of fs.readdirSync(d)) for (const f of fs.readdirSync(d + "/" + v)) {
  const j = JSON.parse(fs.readFileSync(d + "/" + v + "/" + f));
  for (const p of j.packages) for (const k of Object.keys(p.pkg.secfixes || {})) out.add(k);
}
console.log([...out].join("\n"));' "$F/alpine/secdb" | sort > "$TMP/apk"
napk=$(wc -l < "$TMP/apk")
"$HULL" version sort apk < "$TMP/apk" > "$TMP/apk.sorted" 2> "$TMP/apk.err"
sed -n 's/.*apk version "\([^"]*\)".*/\1/p' "$TMP/apk.err" | sort > "$TMP/apk.bad"
# malformed in the feed itself: a letter followed by digits, an empty number, dashes
printf '%s\n' '10.0.11-0' '1.9.5p2-r0' '2021-03-27-r5' '4.8.0.-r1' '6.6.2p1-r0' | sort > "$TMP/apk.known"
is "$(cat "$TMP/apk.bad")" "$(cat "$TMP/apk.known")" "alpine secdb: exactly the malformed fix versions are refused"
is "$(wc -l < "$TMP/apk.sorted")" "$((napk - 5))" "alpine secdb: the other $((napk - 5)) versions parse and sort"

# Debian: "[release] - package VERSION" lines of the DSA and DLA lists
cat "$F/debian/security-tracker/data/DSA/list" "$F/debian/security-tracker/data/DLA/list" |
    awk -F '\t' '/^\t\[/ { split($2, w, " "); if (w[4] != "" && w[4] !~ /^</) print w[4] }' |
    sort -u > "$TMP/deb"
ndeb=$(wc -l < "$TMP/deb")
run 0 sh -c '"$0" version sort deb < "$1" > "$2"' "$HULL" "$TMP/deb" "$TMP/deb.sorted"
is "$(wc -l < "$TMP/deb.sorted")" "$ndeb" "debian security tracker: all $ndeb fixed versions parse"

# npm ranges of the Node.js security WG (core: node's own versions; npm: packages)
NPMDIR=${HULL_BUILD:-$TMP}/t-npm
S=$NPMDIR/node_modules/semver
if [ ! -f "$S/package.json" ] && command -v npm >/dev/null 2>&1; then
    timeout 90 npm install --no-save --no-audit --no-fund --prefix "$NPMDIR" semver \
        >/dev/null 2>&1 || true
fi
if [ ! -f "$S/package.json" ]; then
    pass "# SKIP npm ranges: the semver package is unavailable"
    done_testing
    exit $?
fi
node -e '
const fs = require("fs"), d = process.argv[1], r = new Set(), v = new Set();
const core = JSON.parse(fs.readFileSync(d + "/core/index.json"));
const npm = JSON.parse(fs.readFileSync(d + "/npm/index.json"));
for (const k in core) for (const f of ["vulnerable", "patched"]) if (core[k][f]) r.add(core[k][f]);
for (const k in npm) for (const f of ["vulnerable_versions", "patched_versions"]) if (npm[k][f]) r.add(npm[k][f]);
for (const x of r) for (const m of x.matchAll(/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?/g)) {
  const [a, b, c] = m[0].split("-")[0].split(".").map(Number);
  v.add(m[0]); v.add(`${a}.${b}.${c + 1}`); if (c > 0) v.add(`${a}.${b}.${c - 1}`);
  v.add(`${a}.${b + 1}.0`); v.add(`${a + 1}.0.0`); v.add(`${a}.${b}.${c}-rc.1`);
}
fs.writeFileSync(process.argv[2], [...r].join("\n") + "\n");
fs.writeFileSync(process.argv[3], [...v].join("\n") + "\n");' \
    "$F/nodejs-security-wg/vuln" "$TMP/ranges" "$TMP/versions"
nr=$(wc -l < "$TMP/ranges")
# every range against every 4th of those versions (about 240,000 checks)
awk 'NR % 4 == 1' "$TMP/versions" > "$TMP/sample"
awk 'NR == FNR { r[++n] = $0; next } { for (i = 1; i <= n; i++) printf "%s\t%s\n", $0, r[i] }' \
    "$TMP/ranges" "$TMP/sample" > "$TMP/checks"
nc=$(wc -l < "$TMP/checks")
"$HULL" -q version satisfies - < "$TMP/checks" > "$TMP/hull.sat"
node -e '
const semver = require(process.argv[1]), fs = require("fs");
const out = [];
for (const l of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
  if (!l) continue;
  const t = l.indexOf("\t"), v = l.slice(0, t), r = l.slice(t + 1);
  out.push(semver.valid(v) === null || semver.validRange(r) === null ? "!" : semver.satisfies(v, r) ? "true" : "false");
}
fs.writeFileSync(process.argv[3], out.join("\n") + "\n");' "$S" "$TMP/checks" "$TMP/ref.sat"
paste "$TMP/checks" "$TMP/hull.sat" "$TMP/ref.sat" | awk -F '\t' '$3 != $4' > "$TMP/diff"
nd=$(wc -l < "$TMP/diff")
echo "# node security WG: $nr ranges x $(wc -l < "$TMP/sample") versions = $nc checks, $nd disagreements"
echo "# hull answers: $(sort "$TMP/hull.sat" | uniq -c | tr -s ' \n' ' ')"
[ "$nd" -eq 0 ] && pass "0 disagreements with semver.satisfies on the security WG ranges" ||
    fail "$nd disagreements with semver.satisfies" "$(head -20 "$TMP/diff")"
done_testing
