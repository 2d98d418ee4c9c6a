#!/bin/sh
# hull db status origins: several files feeding one source in one import are all named (the
# first, then "(+N more)"), a zip counts as one file, and the end-of-import list of skipped
# records names each malformed id once.
. "$(dirname "$0")/lib.sh"
D="$TOP/tests/data/vuln"
DB="$TMP/v.sqlite"
J=python3

# the source's origin and counts from db status --format json
src() {
    "$HULL" db status --db "$DB" --format json | $J -c 'import json,sys
d=json.load(sys.stdin)
s=[x for x in d["sources"] if x["name"]==sys.argv[1]][0]
print("%s|%d|%d" % (s["origin"], s["records"], s["skipped"]))' "$1"
}

# a feed and a sample of the same source (alpine-secdb:v3.18/main), both with CVE-46838
mkdir -p "$TMP/feed/samples"
cp "$D/secdb-v3.18-main.json" "$TMP/feed/main.json"
cat > "$TMP/feed/samples/main.sample.json" <<'JSON'
{"reponame":"main","distroversion":"v3.18","packages":[
 {"pkg":{"name":"curl","secfixes":{"8.4.0-r0":["CVE-2023-38545"]}}},
 {"pkg":{"name":"xen","secfixes":{"4.17.3-r0":["CVE-46838"]}}}]}
JSON

run 0 "$HULL" db import --db "$DB" "$TMP/feed"
like "$ERR" 'skipped 2 malformed records \(first: CVE-46838 \(malformed id\)\)$' \
    "skipped ids listed once each"
is "$(printf '%s\n' "$ERR" | grep -o 'CVE-46838' | wc -l | tr -d ' ')" 1 "CVE-46838 named once"
is "$(src alpine-secdb:v3.18/main)" "$TMP/feed/main.json (+1 more)|12|2" \
    "origin names the first file and counts the other; counts cover both"

# a single file: its path, nothing more
run 0 "$HULL" db import --db "$DB" "$D/secdb-v3.18-main.json"
is "$(src alpine-secdb:v3.18/main)" "$D/secdb-v3.18-main.json|10|1" "one file: its path"

# OSV: records of several files add up to one source
run 0 "$HULL" db import --db "$DB" "$D/osv/GHSA-29mw-wpgm-hmr9.json" "$D/osv/GHSA-8hc4-vh64-cxmj.json"
is "$(src osv)" "$D/osv/GHSA-29mw-wpgm-hmr9.json (+1 more)|2|0" "osv: two files"

# a zip of OSV records is one file: its path, without an entry name
$J -c "
import zipfile, glob, sys
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for f in sorted(glob.glob(sys.argv[2] + '/*.json')):
    z.write(f, f.split('/')[-1])
z.close()" "$TMP/all.zip" "$D/osv"
rm -f "$DB"
run 0 "$HULL" db import --db "$DB" "$TMP/all.zip"
is "$(src osv)" "$TMP/all.zip|3|0" "zip: the archive"

# a zip with one record keeps the entry's name
$J -c "
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1], 'w')
z.write(sys.argv[2], 'one.json')
z.close()" "$TMP/one.zip" "$D/osv/GHSA-29mw-wpgm-hmr9.json"
rm -f "$DB"
run 0 "$HULL" db import --db "$DB" "$TMP/one.zip" "$TMP/all.zip"
is "$(src osv)" "$TMP/one.zip!one.json (+1 more)|4|0" "zip entry, then another zip"

# the table still lines up
run 0 "$HULL" db status --db "$DB"
like "$OUT" '^osv +osv +4 +3 ' "status table row"
done_testing
