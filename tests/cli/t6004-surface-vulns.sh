#!/bin/sh
# hull surface with a vulnerability database: the demo image (demo/image) against the demo
# database (demo/feeds) shows the same total and per-severity counts as `hull image`, in a
# VULNS column and a `vulnerabilities` JSON object; without a database neither appears and
# the exit status stays 0; a missing or broken --db is one line, exit 5. Also --source.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
. "$(dirname "$0")/t5-lib.inc"
DB=$(t5_demo_db)
IMG=$(t5_demo_image)
cd "$TMP" || exit 1 # no .hullignore from the caller's directory in the hull image count
J="python3 -c"

run 0 "$HULL" image --db "$DB" -f json "$IMG"
want=$(printf '%s' "$OUT" | $J 'import json,sys; s=json.load(sys.stdin)["summary"]
print(s["total"], *(s[k] for k in ("CRITICAL","HIGH","MEDIUM","LOW","UNKNOWN")))')
like "$want" '^[1-9][0-9]* ' "hull image finds vulnerabilities in the demo image"

run 0 "$HULL" surface --db "$DB" -f json --today 2025-06-01 "$IMG"
got=$(printf '%s' "$OUT" | $J 'import json,sys; v=json.load(sys.stdin)["images"][0]
v=v["vulnerabilities"]; s=v["by_severity"]
print(v["total"], *(s[k] for k in ("CRITICAL","HIGH","MEDIUM","LOW","UNKNOWN")))')
is "$got" "$want" "surface JSON counts agree with hull image's summary"
reasons=$(printf '%s' "$OUT" | $J 'import json,sys; i=json.load(sys.stdin)["images"][0]
print(" ".join("%s:%d" % (r["id"], r["points"]) for r in i["reasons"]))')
crit=$(echo "$want" | cut -d' ' -f2)
if [ "$crit" -gt 0 ]; then
    like "$reasons" 'vulnerabilities:2' "a CRITICAL finding adds 2 points, listed as a reason"
fi

run 0 "$HULL" surface --db "$DB" --today 2025-06-01 "$IMG"
like "$(printf '%s\n' "$OUT" | sed -n 1p)" ' USER +VULNS +ATTACK SURFACE$' "table has VULNS"
total=$(echo "$want" | cut -d' ' -f1)
like "$(printf '%s\n' "$OUT" | sed -n 2p)" " $total \\(C:$crit " "row shows the total"
like "$OUT" "$total known vulnerabilities" "reason names the count"

# HULL_DB (lib.sh: a missing file) as the default database: no count, no error
run 0 "$HULL" surface -f json --today 2025-06-01 "$IMG"
has=$(printf '%s' "$OUT" | $J 'import json,sys
print("vulnerabilities" in json.load(sys.stdin)["images"][0])')
is "$has" "False" "no database: no vulnerabilities key"
is "$ERR" "" "no database: no warning"
run 0 "$HULL" surface --today 2025-06-01 "$IMG"
unlike "$(printf '%s\n' "$OUT" | sed -n 1p)" 'VULNS' "no database: no VULNS column"
run 0 env HULL_DB="$DB" "$HULL" surface -f json --today 2025-06-01 "$IMG"
like "$OUT" '"vulnerabilities"' "the default database (\$HULL_DB) is used when it exists"

run 5 "$HULL" surface --db "$TMP/no-such.sqlite" "$IMG"
one_line_error "missing explicit --db"
echo "not a database" > "$TMP/broken.sqlite"
run 5 "$HULL" surface --db "$TMP/broken.sqlite" "$IMG"
one_line_error "broken explicit --db"

# a stale database warns like hull image, and -q silences it
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$DB" "$TMP/old.sqlite"
    sqlite3 "$TMP/old.sqlite" \
        "UPDATE meta SET value = '$(( $(date +%s) - 30 * 86400 ))' WHERE key = 'built_at'"
    run 0 "$HULL" surface --db "$TMP/old.sqlite" "$IMG"
    like "$ERR" 'days old' "stale database warns"
    run 0 "$HULL" surface -q --db "$TMP/old.sqlite" "$IMG"
    is "$ERR" "" "-q silences the stale warning"
    run 5 "$HULL" surface --db "$TMP/old.sqlite" --max-db-age 7d "$IMG"
    one_line_error "database older than --max-db-age"
    like "$ERR" "hull db update" "the age error names the command"
    run 0 "$HULL" surface -q --db "$TMP/old.sqlite" --max-db-age 60d "$IMG"
fi
run 2 "$HULL" surface --db "$DB" --max-db-age soon "$IMG"
one_line_error "bad --max-db-age"

run 0 "$HULL" surface --help
like "$OUT" '--db PATH' "--help names --db"
like "$OUT" '--source SRC' "--help names --source"
like "$OUT" '--blob-cache DIR' "--help names --blob-cache"
run 2 "$HULL" surface --source sideways "$IMG"
one_line_error "unknown --source"
run 0 "$HULL" surface --source auto --today 2025-06-01 "$IMG"
like "$OUT" '^IMAGE ' "--source auto opens a local path"
done_testing
