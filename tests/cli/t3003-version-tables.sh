#!/bin/sh
# `hull version`: the command line, and every case of tests/data/version/<eco>.txt driven
# through `hull version compare ECO -` (the same tables the unit test t-version-data reads).
. "$(dirname "$0")/lib.sh"
D=$(dirname "$0")/../data/version

run 0 "$HULL" version
like "$OUT" '^hull [0-9]+\.[0-9]+\.[0-9]+$' "version prints the version"
run 0 "$HULL" version --help
like "$OUT" 'hull version compare \[-q\] ECOSYSTEM A B' "--help documents compare"
run 0 "$HULL" version compare --help
like "$OUT" 'usage: hull version' "compare --help"
run 2 "$HULL" version compare
one_line_error "compare without an ecosystem"
run 2 "$HULL" version compare cargo 1 2
one_line_error "unknown ecosystem"
run 2 "$HULL" version compare deb 1.0
one_line_error "compare with one version"
run 2 "$HULL" version bogus
one_line_error "unknown subcommand"
run 2 "$HULL" version --bogus
one_line_error "unknown option"
run 0 "$HULL" version compare deb 1.0~rc1 1.0
is "$OUT" "<" "deb 1.0~rc1 < 1.0"
run 0 "$HULL" version compare golang v2.0.0+incompatible v2.0.0
is "$OUT" "=" "golang +incompatible ="
run 0 "$HULL" -q version compare maven -- 1.0 1.0-1
is "$OUT" "<" "-- ends the options"
run 3 "$HULL" version compare npm 1.0 1.0.0
one_line_error "invalid npm version"
like "$ERR" 'npm version "1.0"' "the error names the version"
run 0 "$HULL" version satisfies 1.2.3 '^1.0.0 || >=3'
is "$OUT" "true" "satisfies"
run 0 "$HULL" version satisfies 2.0.0-beta.1 '^1.0.0 || >=2.0.0'
is "$OUT" "false" "a pre-release needs a comparator naming it"
run 3 "$HULL" version satisfies 1.2.3 '>= foo'
one_line_error "invalid range"
printf '1.0\n1:0.9\n1.0~rc1\nbad version\n1.0-1\n' > "$TMP/sortin"
run 3 sh -c '"$0" version sort deb < "$1"' "$HULL" "$TMP/sortin"
is "$(printf '%s' "$OUT" | tr '\n' ' ')" "1.0~rc1 1.0 1.0-1 1:0.9" "sort orders and drops the bad line"
printf '1.0 2.0\n1.0\nx 1\n2.0 1.0\n' > "$TMP/mixed"
run 3 sh -c '"$0" version compare apk - < "$1"' "$HULL" "$TMP/mixed"
is "$(printf '%s' "$OUT" | tr '\n' ' ')" "< ! ! >" "stdin mode answers every line"
is "$(printf '%s\n' "$ERR" | grep -c '^hull: line [0-9]*: ')" "2" "one message per bad line"
run 3 sh -c '"$0" -q version compare apk - < "$1"' "$HULL" "$TMP/mixed"
is "$ERR" "" "-q silences the per-line messages"
printf '1.0 2.0\r\n2.0 1.0' > "$TMP/crlf"
run 0 sh -c '"$0" version compare apk - < "$1"' "$HULL" "$TMP/crlf"
is "$(printf '%s' "$OUT" | tr '\n' ' ')" "< >" "CRLF and a missing final newline"
{ head -c 3000000 /dev/zero | tr '\0' '1'; printf ' x\n1.0 2.0\n'; } > "$TMP/long"
run 3 sh -c '"$0" version compare apk - < "$1"' "$HULL" "$TMP/long"
is "$(printf '%s' "$OUT" | tr '\n' ' ')" "! <" "a line over 1 MiB is refused, the next one answered"
like "$ERR" 'line 1: line too long' "the long line is reported"

total=0
for eco in deb apk rpm npm pypi golang maven gem; do
    f=$D/$eco.txt
    # "A op B" -> pair and expected answer; "! V" -> "V V" and '!'; lines whose versions
    # hold white space cannot travel as white-space separated pairs and stay unit tests
    awk '/^#/ || /^$/ { next }
         /^! / { v = substr($0, 3); if (v != "" && v !~ /[ \t]/) { print v, v > P; print "!" > E }; next }
         { if (match($0, / [<=>] /)) { a = substr($0, 1, RSTART - 1); b = substr($0, RSTART + 3)
             o = substr($0, RSTART + 1, 1)
             if (a !~ /^[ \t]|[ \t]/ && b !~ /[ \t]/ && a != "" && b != "") { print a, b > P; print o > E } } }' \
        P="$TMP/$eco.pairs" E="$TMP/$eco.want" "$f"
    n=$(wc -l < "$TMP/$eco.pairs")
    total=$((total + n))
    "$HULL" -q version compare "$eco" - < "$TMP/$eco.pairs" > "$TMP/$eco.got"
    paste -d ' ' "$TMP/$eco.pairs" "$TMP/$eco.want" "$TMP/$eco.got" | awk '$3 != $4' > "$TMP/$eco.diff"
    is "$(wc -l < "$TMP/$eco.diff")" "0" "$eco: $n table cases through compare -" ||
        diag "$(head -5 "$TMP/$eco.diff")"
    [ "$n" -ge 40 ] || fail "$eco: only $n cases"
done
echo "# $total table cases checked through the CLI"
done_testing
