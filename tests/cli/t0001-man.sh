#!/bin/sh
# The man page is generated from the commands' own --help (tools/mkman.sh): it must be current,
# list every command, and render without warnings.
. "$(dirname "$0")/lib.sh"
sh "$TOP/tools/mkman.sh" "$HULL" >"$TMP/hull.1"
if cmp -s "$TMP/hull.1" "$TOP/docs/hull.1"; then
    pass "docs/hull.1 is current"
else
    fail "docs/hull.1 is current (regenerate: sh tools/mkman.sh build/hull > docs/hull.1)" \
        "$(diff "$TOP/docs/hull.1" "$TMP/hull.1" | head -20)"
fi
for c in $("$HULL" --help | sed -n '/^commands:/,/^$/p' | sed '1d;/^$/d' | awk '{print $1}'); do
    like "$(cat "$TOP/docs/hull.1")" "^\\.SS \"hull $c\"" "man page has a section for hull $c"
done
like "$(cat "$TOP/docs/hull.1")" '^\.SH EXIT STATUS' "man page documents the exit codes"
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    MANWIDTH=100 man -l "$TOP/docs/hull.1" >"$TMP/man.txt" 2>"$TMP/man.err"
    is "$(cat "$TMP/man.err")" "" "man renders docs/hull.1 without warnings"
    like "$(cat "$TMP/man.txt")" 'EXIT STATUS' "rendered page has the exit status section"
fi
done_testing
