#!/bin/sh
# Never lose the database: kill -9 an import at several random moments (the old database stays
# intact and usable, the next import cleans up), and read while an import runs (no lock waits,
# no "database is locked", readers see the old or the new database, never a half-built one).
. "$(dirname "$0")/lib.sh"
V="$SHARED/data/vuln"
if [ ! -f "$V/README.md" ]; then echo "1..0 # SKIP ../shared/data/vuln not present ($V)"; exit 0; fi
D="$TOP/tests/data/vuln"
DB="$TMP/a/db.sqlite"
BIG="$V/debian/oval/oval-definitions-bookworm.xml.bz2"
counts() { "$HULL" db status --db "$DB" --format json | sed 's/.*"counts":\({[^}]*}\).*/\1/'; }

run 0 "$HULL" db import --db "$DB" "$D/secdb-v3.18-main.json" "$D/kev.json"
base=$(counts)
like "$base" '"kev":2' "base database"

seed=$(date +%s)
for i in 1 2 3 4 5; do
    # a random moment between 0.05 s and ~2 s into the import
    delay=$(awk -v s="$seed" -v i="$i" 'BEGIN { srand(s + i); printf "%.2f", 0.05 + rand() * 2 }')
    "$HULL" db import --db "$DB" "$BIG" "$V/alpine/secdb" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    got=$(counts)
    if [ "$got" = "$base" ]; then pass "kill -9 after ${delay}s: old database intact"
    else
        # the import may have finished before the kill; then it must be complete
        like "$got" '"kev":2' "kill -9 after ${delay}s: import had completed"
        run 0 "$HULL" db import --db "$DB" "$D/secdb-v3.18-main.json" "$D/kev.json"
    fi
done
run 0 "$HULL" db status --db "$DB"
# the next writer removes temp files of killed writers
run 0 "$HULL" db import --db "$DB" "$D/nodewg-core.json"
left=$(ls "$TMP/a" | grep -v -x -e db.sqlite -e db.sqlite.lock)
is "$left" "" "temp files of killed imports cleaned up"
before=$(counts)

# readers during an import: every read succeeds and sees a complete database
"$HULL" db import --db "$DB" "$BIG" >/dev/null 2>"$TMP/imp.err" &
pid=$!
reads=0; bad=0
while kill -0 $pid 2>/dev/null; do
    c=$("$HULL" db status --db "$DB" --format json 2>"$TMP/r.err")
    rc=$?
    reads=$((reads + 1))
    if [ $rc -ne 0 ] || grep -q locked "$TMP/r.err"; then bad=$((bad + 1)); diag "read failed: $(cat "$TMP/r.err")"; fi
    case "$c" in *'"kev":2'*) ;; *) bad=$((bad + 1)); diag "unexpected counts: $c" ;; esac
    sleep 0.05
done
wait $pid
ok $? "import finished"
is "$bad" 0 "$reads reads during the import: no failure, no lock error"
run 0 test "$reads" -gt 1
after=$(counts)
unlike "$after" "^$(printf '%s' "$before" | sed 's/[][\.*^$]/\\&/g')\$" "readers now see the new database"

# two writers at once: the second waits for the first (flock) and keeps its work
"$HULL" db import --db "$DB" "$V/alpine/secdb/v3.19/main.json" >/dev/null 2>&1 &
w1=$!
run 0 "$HULL" db import --db "$DB" "$D/tracker.json"
wait $w1
ok $? "first writer finished"
run 0 "$HULL" db status --db "$DB"
like "$OUT" 'alpine-secdb:v3.19/main' "first writer's feed kept"
like "$OUT" 'debian-tracker' "second writer's feed kept"
done_testing
