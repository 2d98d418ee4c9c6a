#!/bin/sh
# Differential test: `hull version compare deb` against `dpkg --compare-versions` on every
# version string of the machine's APT lists (or the dpkg database plus apt-cache dumpavail)
# and mutations of them (epochs, tildes, revisions). hull sorts the whole set; adjacent pairs
# of that order, random pairs and version/mutation pairs are then checked with dpkg itself.
. "$(dirname "$0")/lib.sh"
if ! command -v dpkg >/dev/null 2>&1; then
    echo "1..0 # SKIP dpkg is not installed"
    exit 0
fi
V=$TMP/versions
lists=$(ls /var/lib/apt/lists/*_Packages /var/lib/apt/lists/*_Packages.* 2>/dev/null || true)
if [ -n "$lists" ]; then
    nlists=$(printf '%s\n' $lists | wc -l)
    for f in $lists; do
        case "$f" in
        *.lz4) lz4 -dc "$f" 2>/dev/null || /usr/lib/apt/apt-helper cat-file "$f" ;;
        *.gz) gzip -dc "$f" ;;
        *.xz) xz -dc "$f" ;;
        *) cat "$f" ;;
        esac
    done | sed -n 's/^Version: *//p' | sort -u > "$V"
    src="APT lists (/var/lib/apt/lists, $nlists files)"
else
    { dpkg-query -W -f '${Version}\n'; apt-cache dumpavail 2>/dev/null | sed -n 's/^Version: *//p'; } |
        sort -u > "$V"
    src="dpkg-query -W plus apt-cache dumpavail"
fi
nreal=$(wc -l < "$V")
echo "# version source: $src: $nreal distinct versions"
[ "$nreal" -gt 100 ] && pass "at least 100 real versions ($nreal)" || fail "too few versions ($nreal)"

# mutations of every 7th version: epochs, tildes, revisions, Debian-style suffixes
awk 'NR % 7 == 0 {
    v = $0; e = ""; up = v
    if (index(v, ":")) { e = substr(v, 1, index(v, ":")); up = substr(v, index(v, ":") + 1) }
    print "1:" up; print "0:" up; print "10:" up; print e up "~rc1"; print e up "~"
    print e up "~~"; print e up "+b1"; print e up ".0"; print e up "a"
    if (index(up, "-")) { print e up "~deb12u1"; print e up ".1"; print e up "+1~" }
    else { print e up "-0"; print e up "-1"; print e up "-0~1"; print e up "-1ubuntu0.1" }
}' "$V" > "$TMP/mut"
cat "$V" "$TMP/mut" | sort -u > "$TMP/all"
nall=$(wc -l < "$TMP/all")
run 0 sh -c '"$0" version sort deb < "$1" > "$2"' "$HULL" "$TMP/all" "$TMP/sorted"
is "$(wc -l < "$TMP/sorted")" "$nall" "hull accepts all $nall versions"

# pairs to check: 2500 adjacent pairs of hull's order, 1500 random pairs, every version with
# its own mutations (sampled)
awk -v seed=4 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (k = 0; k < 2500; k++) { i = int(rand() * (NR - 1)) + 1; print s[i], s[i + 1] }
    for (k = 0; k < 1500; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/sorted" > "$TMP/pairs"
awk 'NR % 7 == 0 && NR % 5 == 0 { v = $0; up = v; e = ""
    if (index(v, ":")) { e = substr(v, 1, index(v, ":")); up = substr(v, index(v, ":") + 1) }
    print v, e up "~rc1"; print v, "1:" up; print v, e up "+b1" }' "$V" >> "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
run 0 sh -c '"$0" version compare deb - < "$1" > "$2"' "$HULL" "$TMP/pairs" "$TMP/hull.out"
while read -r a b; do
    if dpkg --compare-versions "$a" lt "$b"; then echo '<'
    elif dpkg --compare-versions "$a" gt "$b"; then echo '>'
    else echo '='; fi
done < "$TMP/pairs" > "$TMP/dpkg.out"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/dpkg.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# dpkg: checked $npairs pairs ($nall versions sorted), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with dpkg over $npairs pairs" ||
    fail "$ndiff disagreements with dpkg" "$(head -20 "$TMP/diff")"

# the sorted order itself: no adjacent pair may be out of order according to hull
awk 'NR > 1 { print p, $0 } { p = $0 }' "$TMP/sorted" > "$TMP/adj"
"$HULL" version compare deb - < "$TMP/adj" | grep -c '>' > "$TMP/bad" || true
is "$(cat "$TMP/bad")" "0" "hull's sort is consistent over all $(wc -l < "$TMP/adj") adjacent pairs"

# invalid versions are errors, never guesses
for v in '' ':1.0' '1.0-' 'a:1.0' '1:' '1.0 2' '99999999999:1' '1.0_1' '1.0-a_b'; do
    run 3 "$HULL" version compare deb "$v" 1.0
    one_line_error "deb '$v'"
done
done_testing
