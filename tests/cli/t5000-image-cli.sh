#!/bin/sh
# hull image: command line, gates, ignore file, VEX and output formats on the demo image
# (demo/image, two layers built with tests/tools/mkimage.py) against the demo database
# (demo/feeds). Needs nothing from ../shared.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t5-lib.inc"
DB=$(t5_demo_db)
IMG=$(t5_demo_image)
J="python3 -c"

run 0 "$HULL" image --help
like "$OUT" '^usage: hull image' "--help prints the usage"
like "$OUT" 'sbom:FILE' "--help names sbom: input"
run 2 "$HULL" image
one_line_error "no IMAGE"
run 2 "$HULL" image --db "$DB" --format xml "$IMG"
one_line_error "unknown format"
run 2 "$HULL" image --db "$DB" --severity HIGH,SEVERE "$IMG"
one_line_error "bad severity list"
run 2 "$HULL" image --db "$DB" --exit-code abc "$IMG"
one_line_error "bad exit code"
run 2 "$HULL" image --db "$DB" --ignore-status fixed,bogus "$IMG"
one_line_error "bad status list"
run 2 "$HULL" image --db "$DB" --max-db-age soon "$IMG"
one_line_error "bad duration"

# a missing database is one line naming both ways to get one, exit 5
run 5 "$HULL" image "$IMG"
one_line_error "missing database"
like "$ERR" "hull db update" "missing database names hull db update"
like "$ERR" "hull db import" "missing database names hull db import"
sleep 2
run 5 "$HULL" image --db "$DB" --max-db-age 1s "$IMG"
one_line_error "database older than --max-db-age"

# a stale database warns (7 days), --max-db-age makes it an error
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$DB" "$TMP/old.sqlite"
    sqlite3 "$TMP/old.sqlite" \
        "UPDATE meta SET value = '$(( $(date +%s) - 30 * 86400 ))' WHERE key = 'built_at'"
    run 0 "$HULL" image --db "$TMP/old.sqlite" "$IMG"
    like "$ERR" 'warning: vulnerability database .* is 30 days old' "stale database warns"
    run 5 "$HULL" image --db "$TMP/old.sqlite" --max-db-age 7d "$IMG"
    one_line_error "database older than 7d"
else
    pass "# SKIP sqlite3 CLI missing: stale-database check"
fi

# the table: one section per target, sorted by package then severity
run 0 "$HULL" image --db "$DB" "$IMG"
like "$OUT" '^debian 12\.2 \(deb\)$' "OS section"
like "$OUT" '^/app/node_modules$' "node_modules section"
is "$(printf '%s\n' "$OUT" | grep -E '^(debian 12\.2 \(deb\)|/app/node_modules)$' | tr '\n' '|')" \
    "debian 12.2 (deb)|/app/node_modules|" "OS section first, as Trivy lists them"
like "$OUT" '^Total: 4 \(UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 3, CRITICAL: 1\)$' "OS total line"
like "$OUT" '^Total: 5 \(UNKNOWN: 0, LOW: 0, MEDIUM: 2, HIGH: 2, CRITICAL: 1\)$' "npm total line"
like "$OUT" '^Library +Vulnerability +Severity +Status +Installed Version +Fixed Version +Title$' \
    "column header"
like "$OUT" '^libssl3 +CVE-2023-5363 +HIGH +fixed +3\.0\.11-1~deb12u1 +3\.0\.11-1~deb12u2 ' \
    "libssl3 row (matched by source package openssl)"
like "$OUT" '^openssl +CVE-2023-5363 ' "each binary package of the source is its own finding"
like "$OUT" '^zlib1g +CVE-2023-45853 +CRITICAL +affected +1:1\.2\.13\.dfsg-1 ' "unfixed zlib row"
like "$OUT" '^libc6 +CVE-2024-2961 +HIGH +fixed ' "glibc iconv row"
unlike "$OUT" 'CVE-2023-4911' "glibc fixed in the installed version is not reported"
unlike "$OUT" 'CVE-2019-10744' "lodash advisory fixed in 4.17.12 is not reported"
unlike "$OUT" 'libbz2' "deinstalled package is not reported"
is "$(printf '%s\n' "$OUT" | grep -E '^(lodash|minimist) ' | awk '{print $1, $3}' | tr '\n' ' ')" \
    "lodash HIGH lodash HIGH lodash MEDIUM minimist CRITICAL minimist MEDIUM " \
    "npm rows sorted by package, then severity"
like "$OUT" 'upgrade lodash 4\.17\.15 -> 4\.17\.21 \(fixes 3 of 3\)' "remediation hint (lodash)"
like "$OUT" 'upgrade libc6 2\.36-9\+deb12u3 -> 2\.36-9\+deb12u6' "remediation hint (libc6)"
unlike "$OUT" "$(printf '\033')" "no colour when NO_COLOR is set / not a terminal"

# gates
run 0 "$HULL" image --db "$DB" --severity CRITICAL,HIGH "$IMG"
like "$OUT" '^Total: 3 \(HIGH: 2, CRITICAL: 1\)$' "header counts only the selected severities"
unlike "$OUT" 'MEDIUM' "MEDIUM findings hidden"
run 1 "$HULL" -q image --db "$DB" --severity CRITICAL,HIGH --exit-code 1 "$IMG"
run 0 "$HULL" image --db "$DB" --severity LOW --exit-code 1 "$IMG"
run 7 "$HULL" image --db "$DB" --exit-code 7 "$IMG"
run 0 "$HULL" image --db "$DB" --ignore-unfixed "$IMG"
unlike "$OUT" 'CVE-2023-45853' "--ignore-unfixed hides the unfixed zlib finding"
like "$OUT" 'CVE-2023-5363' "--ignore-unfixed keeps fixed findings"
run 0 "$HULL" image --db "$DB" --ignore-status fixed "$IMG"
is "$(printf '%s\n' "$OUT" | grep -cE '^[a-z0-9]+ +CVE-')" 1 "--ignore-status fixed leaves one finding"

# ignore file: id or alias, optional package, optional expiry, comments; default .hullignore
cat > "$TMP/ign" <<'X'
# accepted risk, reviewed
CVE-2023-5363 libssl3          # only libssl3
GHSA-29mw-wpgm-hmr9            # lodash ReDoS, by its GHSA alias
CVE-2024-2961 exp:2001-01-01   # expired long ago: no longer applies
CVE-2021-44906 minimist exp:2999-12-31
X
run 0 "$HULL" image --db "$DB" --ignorefile "$TMP/ign" "$IMG"
unlike "$OUT" '^libssl3 +CVE-2023-5363' "ignored for libssl3"
like "$OUT" '^openssl +CVE-2023-5363' "not ignored for the other package"
unlike "$OUT" 'CVE-2020-28500' "ignored by GHSA alias"
unlike "$OUT" 'CVE-2021-44906' "ignore with a future expiry applies"
like "$OUT" 'CVE-2024-2961' "expired ignore no longer applies"
like "$ERR" 'ign:4: ignore rule for CVE-2024-2961 expired on 2001-01-01' "expired rule warned"
like "$OUT" '3 findings suppressed' "table counts the suppressed findings"
mkdir -p "$TMP/cwd"
printf 'CVE-2023-45853\n' > "$TMP/cwd/.hullignore"
(cd "$TMP/cwd" && "$HULL" image --db "$DB" "$IMG" > "$TMP/o.txt" 2>&1)
unlike "$(cat "$TMP/o.txt")" 'CVE-2023-45853' ".hullignore in the working directory is the default"
printf 'CVE-2023-5363\nCVE-1 pkg extra words\n' > "$TMP/bad-ign"
run 3 "$HULL" image --db "$DB" --ignorefile "$TMP/bad-ign" "$IMG"
one_line_error "malformed ignore file"
like "$ERR" 'bad-ign:2: ' "the error names file and line"
printf 'CVE-2023-5363 exp:2024-02-30\n' > "$TMP/bad-date"
run 3 "$HULL" image --db "$DB" --ignorefile "$TMP/bad-date" "$IMG"
one_line_error "invalid expiry date"
run 6 "$HULL" image --db "$DB" --ignorefile "$TMP/none" "$IMG"
one_line_error "missing ignore file"

# OpenVEX: not_affected / fixed suppress by vulnerability name or alias and product purl
cat > "$TMP/vex.json" <<'X'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
 "author": "test", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
 "statements": [
  {"vulnerability": {"name": "CVE-2023-5363"},
   "products": [{"@id": "pkg:deb/debian/libssl3"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
  {"vulnerability": {"name": "GHSA-xvch-5gv4-984h"},
   "products": [{"@id": "pkg:oci/demo", "subcomponents": [{"@id": "pkg:npm/minimist@1.2.0"}]}],
   "status": "fixed"},
  {"vulnerability": {"name": "CVE-2024-2961"},
   "products": [{"@id": "pkg:deb/debian/libc6"}], "status": "under_investigation"},
  {"vulnerability": "CVE-2023-45853", "products": ["pkg:oci/demo"], "status": "not_affected"}
 ]}
X
run 0 "$HULL" image --db "$DB" --vex "$TMP/vex.json" -f json "$IMG"
printf '%s\n' "$OUT" > "$TMP/vex-out.json"
is "$($J 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted((s["package"]["name"], s["id"], s["suppressed_by"]) for s in d["suppressed"]))' \
    "$TMP/vex-out.json")" \
    "[('libssl3', 'CVE-2023-5363', 'vex'), ('minimist', 'CVE-2021-44906', 'vex'), ('zlib1g', 'CVE-2023-45853', 'vex')]" \
    "VEX suppressions listed in JSON"
is "$($J 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted(v["package"]["name"]+" "+v["id"] for r in d["results"] for v in r["vulnerabilities"] if v["id"] in ("CVE-2023-5363","CVE-2024-2961")))' \
    "$TMP/vex-out.json")" "['libc6 CVE-2024-2961', 'openssl CVE-2023-5363']" \
    "other packages and under_investigation statements are not suppressed"
printf '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"products": [], "status": "fixed"}]}' \
    > "$TMP/bad-vex.json"
run 3 "$HULL" image --db "$DB" --vex "$TMP/bad-vex.json" "$IMG"
one_line_error "malformed VEX"
printf '{"statements": [' > "$TMP/trunc-vex.json"
run 3 "$HULL" image --db "$DB" --vex "$TMP/trunc-vex.json" "$IMG"
one_line_error "truncated VEX"

# JSON report
run 0 "$HULL" image --db "$DB" -f json -o "$TMP/r.json" "$IMG"
is "$OUT" "" "-o writes nothing to stdout"
is "$($J 'import json,sys; d=json.load(open(sys.argv[1])); a=d["artifact"]
v=[x for r in d["results"] for x in r["vulnerabilities"]]
s=[x for x in v if x["package"]["name"]=="libssl3"][0]
print(d["schema_version"], a["digests"]["config"][:7], d["os"]["ecosystem"], d["summary"]["total"],
      len(d["results"]), s["package"]["purl"].split("?")[0], s["package"]["diff_id"][:7],
      s["status"], s["fixed_version"], s["severity_source"], s["kev"], len(s["cvss"]) > 0,
      "CVE-2023-5363" in s["ids"] and "DEBIAN-CVE-2023-5363" in s["ids"], len(s["references"]) > 0)' \
    "$TMP/r.json")" \
    "1 sha256: Debian:12 9 2 pkg:deb/debian/libssl3@3.0.11-1~deb12u1 sha256: fixed 3.0.11-1~deb12u2 cvss-v3 False True True True" \
    "JSON carries artifact, os, package, layer, ids, status, fix, severity source, CVSS"
run 0 "$HULL" image --db "$DB" -f json "$IMG"
is "$OUT" "$(cat "$TMP/r.json")" "JSON output is deterministic"
is "$($J 'import json,sys; print("|".join(r["target"] for r in json.load(open(sys.argv[1]))["results"]))' \
    "$TMP/r.json")" "debian 12.2 (deb)|/app/node_modules" "JSON results: the OS target first"

# CycloneDX with vulnerabilities
run 0 "$HULL" image --db "$DB" -f cyclonedx "$IMG"
printf '%s\n' "$OUT" > "$TMP/cdx.json"
is "$($J 'import json,sys; d=json.load(open(sys.argv[1]))
refs={c["bom-ref"] for c in d["components"]}
vs={v["id"]: sorted(a["ref"].split("@")[0] for a in v["affects"]) for v in d["vulnerabilities"]}
print(d["bomFormat"], d["specVersion"], len(vs), vs["CVE-2023-5363"],
      all(a["ref"] in refs for v in d["vulnerabilities"] for a in v["affects"]))' "$TMP/cdx.json")" \
    "CycloneDX 1.5 8 ['pkg:deb/debian/libssl3', 'pkg:deb/debian/openssl'] True" \
    "CycloneDX: one vulnerability per id, affects point at components"

# sbom: input, round trip through hull's own SBOM formats
for f in cyclonedx spdx-json; do
    "$HULL" sbom -f $f -o "$TMP/sbom-$f.json" "$IMG"
    run 0 "$HULL" image --db "$DB" -f json -o "$TMP/from-$f.json" "sbom:$TMP/sbom-$f.json"
    is "$($J 'import json,sys
def k(p): return sorted((v["package"]["name"], v["id"], v["installed_version"], v.get("fixed_version"), v["status"], r["target"]) for r in json.load(open(p))["results"] for v in r["vulnerabilities"])
print(k(sys.argv[1]) == k(sys.argv[2]), len(k(sys.argv[1])))' "$TMP/r.json" "$TMP/from-$f.json")" \
        "True 9" "sbom:$f gives the same findings as the image"
done
run 3 "$HULL" image --db "$DB" "sbom:$TMP/vex.json"
one_line_error "sbom: input that is no SBOM"
run 6 "$HULL" image --db "$DB" "sbom:$TMP/none.json"
one_line_error "sbom: input missing"
for f in "$TOP"/tests/data/match/sbom/*.json; do
    n=$(basename "$f" .json)
    run 0 "$HULL" image --db "$DB" -f json -o "$TMP/foreign.json" "sbom:$f"
    is "$($J 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted(v["package"]["name"]+" "+v["id"] for r in d["results"] for v in r["vulnerabilities"]))' \
        "$TMP/foreign.json")" "$(sed -n 1p "$TOP/tests/data/match/sbom/$n.expect")" \
        "foreign SBOM $n: findings"
    is "$($J 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted(r["target"] for r in d["results"] if r["vulnerabilities"]))' "$TMP/foreign.json")" \
        "$(sed -n 2p "$TOP/tests/data/match/sbom/$n.expect")" "foreign SBOM $n: targets"
done

# a tampered image is one error line, exit 3, no report
python3 "$TOP/tests/tools/mkimage.py" "$TOP/demo/image/spec.json" "$TMP/tampered" --form oci \
    --tamper diff-id >/dev/null
run 3 "$HULL" image --db "$DB" "$TMP/tampered"
one_line_error "diff_id mismatch"
is "$OUT" "" "no report for a tampered image"
run 6 "$HULL" image --db "$DB" "$TMP/no-such-image"
one_line_error "missing image"

# versions that cannot be parsed are listed (stderr and JSON), never skipped silently
printf '%s' '{"bomFormat": "CycloneDX", "components": [
  {"type": "operating-system", "name": "debian", "version": "12.2"},
  {"type": "library", "purl": "pkg:npm/lodash@latest"},
  {"type": "library", "purl": "pkg:deb/debian/zlib1g@1:?upstream=zlib"},
  {"type": "library", "purl": "pkg:npm/minimist@1.2.0"}]}' > "$TMP/unparsed.json"
run 0 "$HULL" image --db "$DB" -f json "sbom:$TMP/unparsed.json"
like "$ERR" "lodash latest \(npm\): not matched: version 'latest' cannot be parsed" \
    "unparseable npm version on stderr"
like "$ERR" "zlib1g 1: \(deb\): not matched" "unparseable dpkg version on stderr"
is "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(sorted(u["name"] for u in d["unmatched_packages"]), d["summary"]["total"])')" \
    "['lodash', 'zlib1g'] 2" "unmatched packages in JSON; the rest is still matched"
run 0 "$HULL" -q image --db "$DB" "sbom:$TMP/unparsed.json"
is "$ERR" "" "-q silences the unmatched warnings"

# a terminal: colour unless NO_COLOR, titles cut to COLUMNS
if command -v script >/dev/null 2>&1; then
    env -u NO_COLOR COLUMNS=100 script -qec "'$HULL' image --db '$DB' '$IMG'" /dev/null \
        > "$TMP/tty.txt" 2>&1
    like "$(cat "$TMP/tty.txt")" "$(printf '\033')\\[" "colour on a terminal"
    maxw=$(sed 's/\x1b\[[0-9;]*m//g; s/\r$//' "$TMP/tty.txt" | grep -E ' CVE-[0-9]' |
        awk '{ if (length > m) m = length } END { print m }')
    ok "$([ "$maxw" -le 100 ] && echo 0 || echo 1)" "table rows fit COLUMNS=100 (longest $maxw)"
    like "$(cat "$TMP/tty.txt")" '\.\.\.' "long titles are cut with ..."
    COLUMNS=100 script -qec "'$HULL' image --db '$DB' '$IMG'" /dev/null > "$TMP/tty2.txt" 2>&1
    unlike "$(cat "$TMP/tty2.txt")" "$(printf '\033')\\[" "NO_COLOR turns colour off"
else
    pass "# SKIP script(1) not installed"
fi
done_testing
