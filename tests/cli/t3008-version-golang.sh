#!/bin/sh
# Differential test: `hull version compare golang` against golang.org/x/mod/semver itself
# (Debian's golang-golang-x-mod-dev, built with Debian's go) on the versions of
# tests/data/version/golang.txt, the inputs of x/mod's own semver_test.go, and thousands of
# generated ones: shorthands, leading zeros, pre-release identifiers of every kind, build
# metadata and +incompatible, pseudo-versions, and malformed strings (validity must agree).
. "$(dirname "$0")/lib.sh"
XMOD=/usr/share/gocode
if ! command -v go >/dev/null 2>&1 || [ ! -f "$XMOD/src/golang.org/x/mod/semver/semver.go" ]; then
    echo "1..0 # SKIP go or golang.org/x/mod (golang-golang-x-mod-dev) is not installed"
    exit 0
fi
mkdir -p "$TMP/gocmp"
cat > "$TMP/gocmp/main.go" <<'GO'
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		p := strings.SplitN(in.Text(), " ", 2)
		if !semver.IsValid(p[0]) || !semver.IsValid(p[1]) {
			fmt.Fprintln(out, "!")
			continue
		}
		switch semver.Compare(p[0], p[1]) {
		case -1:
			fmt.Fprintln(out, "<")
		case 1:
			fmt.Fprintln(out, ">")
		default:
			fmt.Fprintln(out, "=")
		}
	}
}
GO
if ! (cd "$TMP/gocmp" && GO111MODULE=off GOPATH=$XMOD GOCACHE=$TMP/gocache GOFLAGS= \
        go build -o gocmp main.go) > "$TMP/gobuild.log" 2>&1; then
    echo "1..0 # SKIP building the x/mod driver failed: $(head -1 "$TMP/gobuild.log")"
    exit 0
fi
echo "# reference: golang.org/x/mod/semver from $XMOD, $(go version | cut -d' ' -f3)"
D=$(dirname "$0")/../data/version/golang.txt
sed -n 's/^\([^#! ][^ ]*\) [<=>] \([^ ][^ ]*\)$/\1\n\2/p' "$D" > "$TMP/v"
sed -n 's/^! \([^ ][^ ]*\)$/\1/p' "$D" >> "$TMP/v"
sed -n 's/^[[:space:]]*{"\([^" ]*\)",.*/\1/p' "$XMOD/src/golang.org/x/mod/semver/semver_test.go" >> "$TMP/v"
awk -v seed=31 'BEGIN {
    srand(seed)
    split("0 1 2 9 10 123 4 5 99999999999999999999", num, " ")
    split("alpha beta rc 0 1 2 10 11 a-b - x.y 0a A Z pre 20191109021931 daa7c04131f5", id, " ")
    for (k = 0; k < 6000; k++) {
        r = rand()
        v = (r < 0.95 ? "v" : (r < 0.97 ? "" : "V")) num[int(rand() * 9) + 1]
        n = rand() < 0.7 ? 2 : int(rand() * 4)
        if (n >= 1) v = v "." num[int(rand() * 9) + 1]
        if (n >= 2) v = v "." num[int(rand() * 9) + 1]
        if (n == 3) v = v "." num[int(rand() * 9) + 1]
        if (rand() < 0.45) {
            v = v "-" id[int(rand() * 17) + 1]
            while (rand() < 0.4) v = v "." id[int(rand() * 17) + 1]
        }
        if (rand() < 0.2) v = v "+" (rand() < 0.5 ? "incompatible" : id[int(rand() * 17) + 1])
        if (rand() < 0.03) v = v "-01"
        if (rand() < 0.03) sub(/^v1/, "v01", v)
        if (rand() < 0.03) { split("- . + .. _ é", junk, " "); v = v junk[int(rand() * 6) + 1] }
        print v
    }
}' >> "$TMP/v"
sort -u "$TMP/v" > "$TMP/all"
nall=$(wc -l < "$TMP/all")
awk -v seed=37 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (k = 0; k < 30000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/all" > "$TMP/pairs"
"$HULL" -q version sort golang < "$TMP/all" > "$TMP/sorted" 2>/dev/null
awk 'NR > 1 { print p, $0 } { p = $0 }' "$TMP/sorted" >> "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
"$HULL" -q version compare golang - < "$TMP/pairs" > "$TMP/hull.out" 2>/dev/null
"$TMP/gocmp/gocmp" < "$TMP/pairs" > "$TMP/ref.out"
is "$(wc -l < "$TMP/ref.out")" "$npairs" "x/mod answered every pair"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/ref.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# golang: checked $npairs pairs ($nall versions, $(wc -l < "$TMP/sorted") valid), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with golang.org/x/mod/semver over $npairs pairs" ||
    fail "$ndiff disagreements with golang.org/x/mod/semver" "$(head -20 "$TMP/diff")"
done_testing
