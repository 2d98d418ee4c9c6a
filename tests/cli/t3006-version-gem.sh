#!/bin/sh
# Differential test: `hull version compare gem` against RubyGems' own Gem::Version (Debian's
# ruby) on the versions of tests/data/version/gem.txt plus thousands of generated ones:
# numeric and letter segments, case, '-' pre-releases, trailing zeros, huge numbers and
# malformed strings (both sides must reject the same ones).
. "$(dirname "$0")/lib.sh"
if ! command -v ruby >/dev/null 2>&1; then
    echo "1..0 # SKIP ruby is not installed"
    exit 0
fi
echo "# reference: rubygems $(ruby -e 'print Gem::VERSION')"
sed -n 's/^\([^#! ][^ ]*\) [<=>] \([^ ][^ ]*\)$/\1\n\2/p' "$(dirname "$0")/../data/version/gem.txt" > "$TMP/v"
sed -n 's/^! \([^ ][^ ]*\)$/\1/p' "$(dirname "$0")/../data/version/gem.txt" >> "$TMP/v"
awk -v seed=23 'BEGIN {
    srand(seed)
    split("a b rc pre beta alpha A RC Z x pre1 rc2 b3 dev", w, " ")
    split("0 1 2 3 9 10 00 01 2023 99999999999999999999", num, " ")
    for (k = 0; k < 6000; k++) {
        v = num[int(rand() * 10) + 1]
        n = int(rand() * 5)
        for (i = 0; i < n; i++) {
            r = rand()
            if (r < 0.6) v = v "." num[int(rand() * 10) + 1]
            else if (r < 0.85) v = v "." w[int(rand() * 14) + 1]
            else v = v "." num[int(rand() * 4) + 1] w[int(rand() * 14) + 1]
        }
        if (rand() < 0.15) {
            v = v "-" (rand() < 0.5 ? w[int(rand() * 14) + 1] : num[int(rand() * 10) + 1])
            if (rand() < 0.3) v = v "." w[int(rand() * 14) + 1]
        }
        if (rand() < 0.04) { split("- . .. _ + a ,", junk, " "); v = v junk[int(rand() * 7) + 1] }
        print v
    }
}' >> "$TMP/v"
sort -u "$TMP/v" > "$TMP/all"
nall=$(wc -l < "$TMP/all")
awk -v seed=29 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (k = 0; k < 30000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/all" > "$TMP/pairs"
"$HULL" -q version sort gem < "$TMP/all" > "$TMP/sorted" 2>/dev/null
awk 'NR > 1 { print p, $0 } { p = $0 }' "$TMP/sorted" >> "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
"$HULL" -q version compare gem - < "$TMP/pairs" > "$TMP/hull.out" 2>/dev/null
cat > "$TMP/ref.rb" <<'RB'
out = []
File.foreach(ARGV[0]) do |line|
  a, b = line.chomp.split(' ', 2)
  if Gem::Version.correct?(a) && Gem::Version.correct?(b)
    r = Gem::Version.new(a) <=> Gem::Version.new(b)
    out << (r < 0 ? '<' : r > 0 ? '>' : '=')
  else
    out << '!'
  end
end
puts out
RB
ruby "$TMP/ref.rb" "$TMP/pairs" > "$TMP/ref.out"
is "$(wc -l < "$TMP/ref.out")" "$npairs" "ruby answered every pair"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/ref.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# gem: checked $npairs pairs ($nall versions, $(wc -l < "$TMP/sorted") valid), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with Gem::Version over $npairs pairs" ||
    fail "$ndiff disagreements with Gem::Version" "$(head -20 "$TMP/diff")"
done_testing
