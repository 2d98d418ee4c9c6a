#!/bin/sh
# hull image: SARIF 2.1.0 validated against the OASIS schema with a real JSON-schema validator
# from npm (ajv + the schema file @microsoft/jest-sarif ships; skipped with one line when npm
# cannot install them), CycloneDX 1.5 against the schema @cyclonedx/cyclonedx-library ships,
# and CISA KEV marking (table and JSON) on an image whose glibc predates
# the fix of CVE-2023-4911.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t5-lib.inc"
DB=$(t5_demo_db)
IMG=$(t5_demo_image)

run 0 "$HULL" image --db "$DB" -f sarif -o "$TMP/r.sarif" "$IMG"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["runs"][0]
rules=[x["id"] for x in r["tool"]["driver"]["rules"]]
ok=all(rules[x["ruleIndex"]] == x["ruleId"] for x in r["results"])
locs=sorted({x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in r["results"]})
print(d["version"], len(rules), rules == sorted(set(rules)), len(r["results"]), ok, locs)' "$TMP/r.sarif")" \
    "2.1.0 8 True 9 True ['app/node_modules/lodash/package.json', 'app/node_modules/minimist/package.json', 'var/lib/dpkg/status']" \
    "SARIF: one rule per vulnerability, results point at the package's file in the image"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["runs"][0]
print(sorted({(x["level"], x["ruleId"]) for x in r["results"] if x["ruleId"] in ("CVE-2021-44906","CVE-2020-7598")}),
      [x["properties"]["security-severity"] for x in r["tool"]["driver"]["rules"] if x["id"]=="CVE-2021-44906"])' "$TMP/r.sarif")" \
    "[('error', 'CVE-2021-44906'), ('warning', 'CVE-2020-7598')] ['9.8']" \
    "SARIF levels and security-severity"

MODS=$(t5_npm_modules sarif @microsoft/jest-sarif@1.0.0-beta.0 ajv@8 ajv-draft-04@1 ajv-formats@2)
if [ -z "$MODS" ]; then
    echo "# SKIP npm cannot install ajv and the SARIF schema: no schema validation"
else
    SCHEMA=$(find "$MODS/@microsoft/jest-sarif" -name 'sarif-2.1.0*.json' | head -n 1)
    cat > "$TMP/validate.js" <<'X'
const [mods, schemaPath, docPath] = process.argv.slice(2);
const Ajv = require(mods + '/ajv-draft-04');
const addFormats = require(mods + '/ajv-formats');
const fs = require('fs');
// the OASIS schema is draft-04 and has patterns that are not valid in unicode mode
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
if (!validate(JSON.parse(fs.readFileSync(docPath, 'utf8')))) {
    console.log(JSON.stringify(validate.errors.slice(0, 5)));
    process.exit(1);
}
console.log('valid');
X
    run 0 node "$TMP/validate.js" "$MODS" "$SCHEMA" "$TMP/r.sarif"
    is "$OUT" "valid" "hull's SARIF is valid against $(basename "$SCHEMA")"
    printf '{"version": "2.1.0", "runs": [{"tool": {}}]}' > "$TMP/bad.sarif"
    run 1 node "$TMP/validate.js" "$MODS" "$SCHEMA" "$TMP/bad.sarif"
    like "$OUT" 'driver' "the validator rejects a SARIF log without tool.driver"
    if [ -d "$SHARED/images/oci/node-app" ]; then
        SDB=$(t5_shared_db)
        run 0 "$HULL" -q image --db "$SDB" -f sarif -o "$TMP/n.sarif" "$SHARED/images/oci/node-app"
        run 0 node "$TMP/validate.js" "$MODS" "$SCHEMA" "$TMP/n.sarif"
        is "$OUT" "valid" "node-app SARIF (29 findings, two targets) is valid"
    fi
fi

# CycloneDX 1.5 with vulnerabilities (and a VEX analysis) against the schema the CycloneDX
# library ships
CMODS=$(t5_npm_modules cdx @cyclonedx/cyclonedx-library@6 ajv@8 ajv-formats@3 --legacy-peer-deps)
if [ -z "$CMODS" ]; then
    echo "# SKIP npm cannot install the CycloneDX schemas: no CycloneDX validation"
else
    cat > "$TMP/cdxval.js" <<'X'
const [mods, dir, docPath] = process.argv.slice(2);
const Ajv = require(mods + '/ajv');
const addFormats = require(mods + '/ajv-formats');
const fs = require('fs');
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
// the BOM schema refers to these relative to its $id
for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    const s = JSON.parse(fs.readFileSync(dir + '/' + f, 'utf8'));
    delete s.$id;
    ajv.addSchema(s, 'http://cyclonedx.org/schema/' + f);
}
const validate = ajv.compile(JSON.parse(fs.readFileSync(dir + '/bom-1.5.SNAPSHOT.schema.json', 'utf8')));
if (!validate(JSON.parse(fs.readFileSync(docPath, 'utf8')))) {
    console.log(JSON.stringify(validate.errors.slice(0, 5)));
    process.exit(1);
}
console.log('valid');
X
    CDIR=$CMODS/@cyclonedx/cyclonedx-library/res/schema
    cat > "$TMP/vex.json" <<'X'
{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
  {"vulnerability": {"name": "CVE-2023-5363"}, "products": [{"@id": "pkg:deb/debian/libssl3"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
X
    run 0 "$HULL" image --db "$DB" -f cyclonedx --vex "$TMP/vex.json" -o "$TMP/r.cdx.json" "$IMG"
    run 0 node "$TMP/cdxval.js" "$CMODS" "$CDIR" "$TMP/r.cdx.json"
    is "$OUT" "valid" "hull's CycloneDX with vulnerabilities is valid CycloneDX 1.5"
    like "$(cat "$TMP/r.cdx.json")" '"state": "not_affected"' "VEX analysis carried into CycloneDX"
    printf '{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [{"ratings": [{"severity": "bad"}]}]}' \
        > "$TMP/bad.cdx.json"
    run 1 node "$TMP/cdxval.js" "$CMODS" "$CDIR" "$TMP/bad.cdx.json"
fi

# KEV: Debian 12 with glibc 2.36-9+deb12u1, before the Looney Tunables fix (+deb12u3)
cat > "$TMP/kev.json" <<X
{"layers": [{"files": {
  "etc/os-release": "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
  "etc/debian_version": "12.1\n",
  "var/lib/dpkg/status": "Package: libc6\nStatus: install ok installed\nPriority: optional\nSection: libs\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nArchitecture: amd64\nMulti-Arch: same\nSource: glibc\nVersion: 2.36-9+deb12u1\nDescription: GNU C Library: Shared libraries\n\n"
}}]}
X
python3 "$TOP/tests/tools/mkimage.py" "$TMP/kev.json" "$TMP/kev-img" --form oci >/dev/null
run 0 "$HULL" image --db "$DB" "$TMP/kev-img"
like "$OUT" '^libc6 +CVE-2023-4911 \[KEV\] +HIGH +fixed +2\.36-9\+deb12u1 +2\.36-9\+deb12u3 ' \
    "KEV marked in the table"
like "$OUT" '^libc6 +CVE-2024-2961 +HIGH' "a finding not in KEV is not marked"
run 0 "$HULL" image --db "$DB" -f json "$TMP/kev-img"
is "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(sorted((v["id"], v["kev"]) for r in d["results"] for v in r["vulnerabilities"]))')" \
    "[('CVE-2023-4911', True), ('CVE-2024-2961', False)]" "kev field in JSON"
done_testing
