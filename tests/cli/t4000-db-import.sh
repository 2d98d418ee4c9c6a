#!/bin/sh
# hull db import / status: formats detected from content, zips, exit codes, one-line errors,
# strict mode, corrupt archives keep the old database, the default path.
. "$(dirname "$0")/lib.sh"
D="$TOP/tests/data/vuln"
DB="$TMP/db/v.sqlite"

run 0 "$HULL" db --help
like "$OUT" 'hull db import' "db --help shows import"
like "$OUT" 'exit status' "db --help documents exit codes"
run 2 "$HULL" db
run 2 "$HULL" db frobnicate
one_line_error "unknown subcommand"
run 2 "$HULL" db import --db "$DB"
one_line_error "import without paths"
run 2 "$HULL" db status --bogus
one_line_error "unknown option"

# missing database: exit 5 with the command to run
run 5 "$HULL" db status --db "$DB"
one_line_error "missing database"
like "$ERR" "hull db update" "missing database names the command"

# a zip of OSV records, built here
python3 -c "
import zipfile, glob, sys
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for f in sorted(glob.glob(sys.argv[2] + '/*.json')):
    z.write(f, f.split('/')[-1])
z.writestr('README.txt', 'not a feed')
z.close()" "$TMP/all.zip" "$D/osv"
bzip2 -kc "$D/oval-bookworm.xml" > "$TMP/oval-definitions-bookworm.xml.bz2"
gzip -c "$D/tracker.json" > "$TMP/tracker.json.gz"

run 0 "$HULL" db import --db "$DB" "$D/secdb-v3.18-main.json" "$TMP/oval-definitions-bookworm.xml.bz2" \
    "$TMP/all.zip" "$TMP/tracker.json.gz" "$D/cvss.csv" "$D/kev.json" "$D/nodewg-core.json"
like "$ERR" 'skipped 2 malformed records \(first: CVE-46838' "malformed records counted with ids"
like "$ERR" '1 files ignored' "non-feed zip entry ignored"
run 0 "$HULL" db status --db "$DB"
like "$OUT" 'alpine-secdb:v3.18/main +alpine-secdb +10 +10 +10 +1' "secdb source row"
like "$OUT" 'debian-oval:12 +debian-oval +4 +4 +4 +0' "oval source row"
like "$OUT" 'osv +osv +3 +3 +6 +0' "osv from the zip"
like "$OUT" 'kev +2' "kev count"
run 0 "$HULL" db status --db "$DB" --format json
printf '%s\n' "$OUT" > "$TMP/st.json"
run 0 python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['schema_version'] == 2 and d['counts']['kev'] == 2 and d['counts']['cvss'] == 4, d
assert d['stale'] is False and d['age_seconds'] < 600
names = [s['name'] for s in d['sources']]
assert 'debian-tracker' in names and 'nodejs-wg:core' in names, names
" "$TMP/st.json"
run 2 "$HULL" db status --db "$DB" --format xml
one_line_error "bad --format"

# HULL_DB and XDG_CACHE_HOME select the default path
HULL_DB="$DB" run 0 "$HULL" db status
like "$OUT" "database +$DB" "HULL_DB is used"
unset HULL_DB
run 0 "$HULL" db import -q "$D/kev.json"
is "$ERR" "" "-q: no report"
run 0 test -f "$XDG_CACHE_HOME/hull/db.sqlite"
export HULL_DB="$TMP/no-such-db.sqlite"

# failures: one line, distinct exit codes, old database untouched
sum_before=$(cksum < "$DB")
run 3 "$HULL" db import --db "$DB" "$D/bad/oval-truncated.xml.bz2"
one_line_error "truncated bz2"
like "$ERR" 'truncated' "truncated bz2 message"
run 3 "$HULL" db import --db "$DB" "$D/bad/osv-truncated.zip"
one_line_error "truncated zip"
run 3 "$HULL" db import --db "$DB" "$D/bad/truncated-tracker.json"
one_line_error "truncated JSON"
run 3 "$HULL" db import --db "$DB" --strict "$D/secdb-v3.18-main.json"
one_line_error "--strict"
like "$ERR" 'CVE-46838.*--strict' "--strict names the record"
run 7 "$HULL" db import --db "$DB" "$D/README.md"
one_line_error "unknown format"
run 6 "$HULL" db import --db "$DB" "$D/no-such.json"
one_line_error "missing file"
is "$(cksum < "$DB")" "$sum_before" "failed imports left the database unchanged"
left=$(ls "$TMP/db" | grep -v -x -e v.sqlite -e v.sqlite.lock)
is "$left" "" "no temp files left behind"

# a database built ten days ago is reported stale
cp "$DB" "$TMP/old.sqlite"
sqlite3 "$TMP/old.sqlite" "update meta set value = strftime('%s', 'now') - 10 * 86400 where key = 'built_at'"
run 0 "$HULL" db status --db "$TMP/old.sqlite"
like "$OUT" "built .*\\(10 days ago, stale: run 'hull db update'\\)" "stale database flagged"
run 0 "$HULL" db status --db "$TMP/old.sqlite" --format json
like "$OUT" '"stale":true' "stale in JSON"

# a database of an older schema: scans refuse it (exit 5, naming the fix); an import rebuilds it
cp "$DB" "$TMP/v1.sqlite"
sqlite3 "$TMP/v1.sqlite" "update meta set value = '1' where key = 'schema_version'; drop table packed"
run 5 "$HULL" image --db "$TMP/v1.sqlite" sbom:"$TOP/tests/data/match/sbom/trivy-cyclonedx.json"
one_line_error "old schema refused"
like "$ERR" "schema version 1, this hull needs 2 \(run 'hull db update'" "old schema names the fix"
run 0 "$HULL" db import --db "$TMP/v1.sqlite" "$D/kev.json"
like "$ERR" "of another version; rebuilding it" "import rebuilds an old-schema database"
run 0 "$HULL" db status --db "$TMP/v1.sqlite" --format json
like "$OUT" '"schema_version":2' "rebuilt at the current schema"

# a database path whose directory cannot be created
run 6 "$HULL" db import --db /proc/hull-no/db.sqlite "$D/kev.json"
one_line_error "unwritable db dir"
done_testing
