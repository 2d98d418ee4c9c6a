#!/bin/sh
# CycloneDX 1.5 output validated against the official schema with CycloneDX's own strict
# validator (@cyclonedx/cyclonedx-library, which ships bom-1.5 + spdx + jsf schemas, driving
# ajv), installed from npm under the build directory at test time; a broken document must
# be rejected by the same validator. SPDX 2.3 output is checked against the spec's rules
# (required fields, SPDXID and date formats, unique ids, relationships that resolve, purl
# external refs). Inputs: a generated rootfs with every ecosystem, plus the shared images.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
R=$TMP/root
sh "$TOP/tests/data/mkrootfs.sh" "$R"
set -- "dir:$R"
if [ -d "$SHARED/images" ]; then
    set -- "$@" "oci:$SHARED/images/oci/alpine-like" "oci:$SHARED/images/oci/node-app" \
        "$SHARED/images/docker/multilayer-whiteout.tar"
fi
i=0
for img in "$@"; do
    i=$((i + 1))
    run 0 "$HULL" sbom -q -f cyclonedx "$img"
    printf '%s\n' "$OUT" > "$TMP/cdx$i.json"
    run 0 "$HULL" sbom -q -f spdx-json "$img"
    printf '%s\n' "$OUT" > "$TMP/spdx$i.json"
done

# --- CycloneDX: the official schema through CycloneDX's validator ---
# Not under the build dir: the Makefile includes every *.d found there, and the package
# ships a dist.d directory. Not in the work tree either; kept between runs.
NPMDIR=${HULL_NPM_CACHE:-${TMPDIR:-/tmp}/hull-npm-sbom-validate}
if [ ! -d "$NPMDIR/node_modules/@cyclonedx/cyclonedx-library" ] && command -v npm >/dev/null; then
    mkdir -p "$NPMDIR"
    timeout 300 npm install --no-audit --no-fund --silent --prefix "$NPMDIR" \
        ajv@8 ajv-formats@3 ajv-formats-draft2019 @cyclonedx/cyclonedx-library@10 \
        >"$TMP/npm.log" 2>&1 || true
fi
if [ -d "$NPMDIR/node_modules/@cyclonedx/cyclonedx-library" ] && command -v node >/dev/null; then
    cat > "$TMP/validate.js" <<'EOF'
const CDX = require('@cyclonedx/cyclonedx-library');
const fs = require('fs');
const v = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5);
(async () => {
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    const err = await v.validate(fs.readFileSync(f, 'utf8'));
    if (err !== null) { bad++; console.log(f + ': ' + JSON.stringify(err).slice(0, 1500)); }
  }
  process.exit(bad ? 1 : 0);
})().catch(e => { console.log('validator error: ' + e); process.exit(2); });
EOF
    for f in "$TMP"/cdx*.json; do
        out=$(NODE_PATH="$NPMDIR/node_modules" node "$TMP/validate.js" "$f" 2>&1)
        ok $? "CycloneDX 1.5 schema (strict): $(basename "$f")"
        [ -n "$out" ] && diag "$out"
    done
    # negative control: the validator must reject a document that breaks the schema
    python3 -c "import json, sys; d = json.load(open(sys.argv[1]))
d['components'][0]['type'] = 'gadget'; json.dump(d, open(sys.argv[2], 'w'))" \
        "$TMP/cdx1.json" "$TMP/broken.json"
    NODE_PATH="$NPMDIR/node_modules" node "$TMP/validate.js" "$TMP/broken.json" >/dev/null 2>&1
    [ $? -eq 1 ]
    ok $? "the validator rejects a broken CycloneDX document"
else
    echo "# SKIP CycloneDX schema validation: npm registry unreachable or node missing"
fi

# --- SPDX 2.3: the spec's rules ---
for f in "$TMP"/spdx*.json; do
    python3 - "$f" <<'EOF' > "$TMP/spdx.out" 2>&1
import json, re, sys
d = json.load(open(sys.argv[1]))
errs = []
def need(obj, keys, where):
    for k in keys:
        if k not in obj:
            errs.append("%s: missing %s" % (where, k))
need(d, ["spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace", "creationInfo"],
     "document")
if d.get("spdxVersion") != "SPDX-2.3": errs.append("spdxVersion")
if d.get("dataLicense") != "CC0-1.0": errs.append("dataLicense")
if d.get("SPDXID") != "SPDXRef-DOCUMENT": errs.append("document SPDXID")
ns = d.get("documentNamespace", "")
if not re.match(r"^[a-z][a-z0-9+.-]*://[^#\s]+$", ns): errs.append("documentNamespace %r" % ns)
ci = d.get("creationInfo", {})
if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ci.get("created", "")): errs.append("created")
creator = re.compile(r"^(Tool|Person|Organization): .+")
if not ci.get("creators") or not all(creator.match(c) for c in ci["creators"]):
    errs.append("creators")
ids = {"SPDXRef-DOCUMENT"}
purl = re.compile(r"^pkg:[a-z][a-z0-9.+-]*/[^?#@]+(@[^?#]+)?(\?[^#]+)?$")
for p in d.get("packages", []):
    need(p, ["name", "SPDXID", "downloadLocation"], "package %s" % p.get("name"))
    sid = p.get("SPDXID", "")
    if not re.match(r"^SPDXRef-[A-Za-z0-9.-]+$", sid): errs.append("bad SPDXID %r" % sid)
    if sid in ids: errs.append("duplicate SPDXID %s" % sid)
    ids.add(sid)
    if p.get("filesAnalyzed") is not False: errs.append("%s: filesAnalyzed" % sid)
    for r in p.get("externalRefs", []):
        if r.get("referenceCategory") != "PACKAGE-MANAGER" or r.get("referenceType") != "purl" \
           or not purl.match(r.get("referenceLocator", "")):
            errs.append("%s: external ref %r" % (sid, r))
    if p.get("primaryPackagePurpose") not in (None, "APPLICATION", "FRAMEWORK", "LIBRARY",
            "CONTAINER", "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE", "ARCHIVE", "FILE",
            "INSTALL", "OTHER"):
        errs.append("%s: purpose" % sid)
rels = d.get("relationships", [])
if not any(r["spdxElementId"] == "SPDXRef-DOCUMENT" and r["relationshipType"] == "DESCRIBES"
           for r in rels):
    errs.append("nothing DESCRIBED")
for r in rels:
    if r["spdxElementId"] not in ids or r["relatedSpdxElement"] not in ids:
        errs.append("dangling relationship %r" % r)
contained = {r["relatedSpdxElement"] for r in rels if r["relationshipType"] == "CONTAINS"}
if contained != ids - {"SPDXRef-DOCUMENT", "SPDXRef-Image"}:
    errs.append("CONTAINS does not cover every package")
print("\n".join(errs[:20]) if errs else "fine")
EOF
    is "$(cat "$TMP/spdx.out")" fine "SPDX 2.3 rules: $(basename "$f")"
done
done_testing
