#!/bin/sh
# Differential test: `hull version compare rpm` against rpm's own rpm.vercmp (Lua, rpm 4.15+
# rules: epoch:version-release, '~' pre-releases, '^' post-releases) on real version strings
# (the Debian versions of the machine's APT lists or dpkg database) and rpm-style mutations.
# All pairs go through one rpm process (a Lua chunk reading the pair file).
. "$(dirname "$0")/lib.sh"
if ! command -v rpm >/dev/null 2>&1 ||
    [ "$(rpm --eval '%{lua: print(rpm.vercmp("1.0", "1.0~rc1"))}' 2>/dev/null)" != 1 ]; then
    echo "1..0 # SKIP rpm with Lua rpm.vercmp is not installed"
    exit 0
fi
V=$TMP/versions
lists=$(ls /var/lib/apt/lists/*_Packages /var/lib/apt/lists/*_Packages.* 2>/dev/null || true)
if [ -n "$lists" ]; then
    for f in $lists; do
        case "$f" in
        *.lz4) lz4 -dc "$f" 2>/dev/null || /usr/lib/apt/apt-helper cat-file "$f" ;;
        *.gz) gzip -dc "$f" ;;
        *.xz) xz -dc "$f" ;;
        *) cat "$f" ;;
        esac
    done | sed -n 's/^Version: *//p' | sort -u > "$V"
    src="APT lists"
else
    dpkg-query -W -f '${Version}\n' | sort -u > "$V"
    src="dpkg-query -W"
fi
echo "# version source: $src: $(wc -l < "$V") distinct versions"
# rpm-style mutations of every 5th version: ~ pre-releases, ^ snapshots, epochs, releases
awk 'NR % 5 == 0 { v = $0
    print v "~rc1"; print v "~~"; print v "^git1"; print v "^"; print v "^1~1"; print v "~1^1"
    print "1:" v; print "0:" v; print "2:" v "-1.el9"; print v "-1.fc40"; print v "-0.1.rc1"
    print v ".1"; print v "a"; print v "_1"; print v ".A"; print v "+1"
}' "$V" > "$TMP/mut"
cat "$V" "$TMP/mut" | sort -u > "$TMP/all"
nall=$(wc -l < "$TMP/all")
run 0 sh -c '"$0" version sort rpm < "$1" > "$2"' "$HULL" "$TMP/all" "$TMP/sorted"
is "$(wc -l < "$TMP/sorted")" "$nall" "hull accepts all $nall versions"
awk -v seed=7 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (i = 1; i < NR; i++) print s[i], s[i + 1]
    for (k = 0; k < 30000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/sorted" > "$TMP/pairs"
awk 'NR % 5 == 0 { v = $0; print v, v "~rc1"; print v, v "^git1"; print v "^git1", v ".1"
    print v, "1:" v; print v "-1", v "-2"; print v "~rc1", v "~rc1^1" }' "$V" >> "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
run 0 sh -c '"$0" version compare rpm - < "$1" > "$2"' "$HULL" "$TMP/pairs" "$TMP/hull.out"
cat > "$TMP/cmp.lua" <<LUA
for line in io.lines("$TMP/pairs") do
    local a, b = line:match("^(%S+) (%S+)$")
    local r = rpm.vercmp(a, b)
    io.write(r < 0 and "<" or (r > 0 and ">" or "="), "\n")
end
LUA
rpm --eval "%{lua: dofile('$TMP/cmp.lua')}" | sed '/^$/d' > "$TMP/rpm.out"
is "$(wc -l < "$TMP/rpm.out")" "$npairs" "rpm answered every pair"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/rpm.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# rpm: checked $npairs pairs ($nall versions), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with rpm.vercmp over $npairs pairs" ||
    fail "$ndiff disagreements with rpm.vercmp" "$(head -20 "$TMP/diff")"
for v in '' '1.0 1'; do
    run 3 "$HULL" version compare rpm "$v" 1.0
    one_line_error "rpm '$v'"
done
done_testing
