#!/bin/sh
# hull db import --strict: an OSV range or versions entry that does not parse in its
# ecosystem (SEMVER ranges: semver) makes the record malformed, so the import fails (exit 3)
# naming the record and the version. The default import keeps such records exactly as before
# (the matcher skips the entry at scan time).
. "$(dirname "$0")/lib.sh"
B="$TOP/tests/data/vuln/bad"
q() { sqlite3 "$1" "$2"; }

for f in osv-bad-semver:GHSA-zzzz-semv-er00:'SEMVER range: introduced "zz" is no version' \
         osv-bad-npm-version:GHSA-zzzz-npmv-er00:'npm ECOSYSTEM range: fixed "1\.x\.y" is no version'; do
    file=${f%%:*} rest=${f#*:}
    id=${rest%%:*} what=${rest#*:}
    DB="$TMP/$file.sqlite"
    run 0 "$HULL" db import --db "$DB" "$B/$file.json"
    unlike "$ERR" 'skipped' "$file: default import skips nothing"
    is "$(q "$DB" "select records || ' ' || advisories || ' ' || affected from sources where name='osv'")" \
       "1 1 1" "$file: default import keeps the record"
    is "$(q "$DB" "select id from advisories")" "$id" "$file: stored under its id"
    sum=$(cksum < "$DB")
    run 3 "$HULL" db import --db "$DB" --strict "$B/$file.json"
    one_line_error "$file --strict"
    like "$ERR" "malformed record $id: .*$what.*--strict" "$file --strict names the id and version"
    is "$(cksum < "$DB")" "$sum" "$file --strict: database unchanged"
done

# valid versions of every ecosystem with a parser; placeholders and GIT hashes are no versions;
# ecosystems without a parser are not checked
cat > "$TMP/good.json" <<'JSON'
[{"id": "TEST-GOOD-1", "affected": [
  {"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.17.0"}]}],
   "versions": ["0.1.0", "0.0.0-20191109021931-daa7c04131f5"]},
  {"package": {"ecosystem": "Go", "name": "stdlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.21.0"}, {"limit": "*"}]}]},
  {"package": {"ecosystem": "npm", "name": "left-pad"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0.0-rc.1"}, {"last_affected": "1.3.0"}]},
              {"type": "GIT", "repo": "https://example.org/x", "events": [{"introduced": "0"}, {"fixed": "deadbeef"}]}]},
  {"package": {"ecosystem": "Debian:12", "name": "glibc"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u3"}]}]},
  {"package": {"ecosystem": "Alpine:v3.18", "name": "musl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.4-r1"}]}]},
  {"package": {"ecosystem": "PyPI", "name": "requests"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.31.0"}]}],
   "versions": ["2.0.0", "2.30.0rc1", "1.0.post1"]},
  {"package": {"ecosystem": "Maven", "name": "org.example:lib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.17.1"}]}]},
  {"package": {"ecosystem": "RubyGems", "name": "rack"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.2.6.4"}]}]},
  {"package": {"ecosystem": "crates.io", "name": "x"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "whatever"}]}]}]}]
JSON
run 0 "$HULL" db import --db "$TMP/good.sqlite" --strict "$TMP/good.json"
unlike "$ERR" 'skipped' "--strict accepts valid versions of every ecosystem"

# the versions list is checked too
cat > "$TMP/badlist.json" <<'JSON'
{"id": "TEST-BAD-LIST", "affected": [
  {"package": {"ecosystem": "PyPI", "name": "requests"}, "versions": ["2.0.0", "not a version"]}]}
JSON
run 0 "$HULL" db import --db "$TMP/badlist.sqlite" "$TMP/badlist.json"
unlike "$ERR" 'skipped' "bad versions entry: default import skips nothing"
run 3 "$HULL" db import --db "$TMP/badlist.sqlite" --strict "$TMP/badlist.json"
one_line_error "bad versions entry --strict"
like "$ERR" 'malformed record TEST-BAD-LIST: PyPI versions: "not a version" is no version' \
     "bad versions entry --strict names it"
done_testing
