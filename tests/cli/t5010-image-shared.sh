#!/bin/sh
# hull image acceptance on the real fixtures of ../shared: for every image, the findings must
# equal an independent computation from the same feeds (tests/tools/vulncheck.py: its own feed
# parsers, dpkg --compare-versions, the npm semver package, packages from the images' ground
# truth), and the matches ../shared/data/vuln/README.md states must be there.
. "$(dirname "$0")/lib.sh"
need_shared
. "$(dirname "$0")/t5-lib.inc"
DB=$(t5_shared_db)
IM=$SHARED/images
if [ ! -s "$DB" ]; then fail "import of $SHARED/data/vuln"; done_testing; exit 1; fi
pass "database imported from $SHARED/data/vuln"

cases=""
for dir in "$IM"/oci/*/; do
    n=$(basename "$dir")
    [ -f "$IM/$n.truth.json" ] || continue
    if python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("packages") else 1)' \
        "$IM/$n.truth.json"; then
        run 0 "$HULL" -q image --db "$DB" -f json -o "$TMP/$n.json" "oci:$dir"
        cases="$cases $IM/$n.truth.json:$TMP/$n.json"
    else
        # an index: pick the platform, same findings as the image it points to
        run 0 "$HULL" -q image --db "$DB" -f json -o "$TMP/$n.json" --platform linux/amd64 \
            "oci:$dir"
        like "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["os"]["family"], d["summary"]["total"])' "$TMP/$n.json")" \
            '^alpine 4$' "$n: linux/amd64 picked from the index"
    fi
done
# docker-archives give the same findings as the OCI layouts
for t in "$IM"/docker/*.tar; do
    n=$(basename "$t" .tar)
    run 0 "$HULL" -q image --db "$DB" -f json -o "$TMP/d-$n.json" "docker-archive:$t"
    is "$(python3 -c 'import json,sys
def k(p): return sorted((v["package"]["name"], v["id"], v.get("fixed_version"), v["status"]) for r in json.load(open(p))["results"] for v in r["vulnerabilities"])
print(k(sys.argv[1]) == k(sys.argv[2]))' "$TMP/$n.json" "$TMP/d-$n.json")" True \
        "$n: docker-archive and OCI layout agree"
done

SEMVER=$(t5_npm_modules semver semver@7)
if [ -z "$SEMVER" ]; then
    echo "# SKIP npm semver not installable: node-app's npm findings are not cross-checked"
    cases=$(printf '%s\n' $cases | grep -v node-app)
fi
python3 "$TOP/tests/tools/vulncheck.py" --feeds "$SHARED/data/vuln" ${SEMVER:+--semver "$SEMVER"} \
    $cases > "$TMP/check.txt" 2>&1
ok $? "findings equal the independent computation from the feeds"
diag "$(cat "$TMP/check.txt")"
# the check itself must notice a wrong report: drop one finding, change one fixed version
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d["results"][0]["vulnerabilities"]
v.pop(0); v[0]["fixed_version"] = "99.0.0"; json.dump(d, open(sys.argv[2], "w"))' \
    "$TMP/alpine-like.json" "$TMP/broken.json"
python3 "$TOP/tests/tools/vulncheck.py" --feeds "$SHARED/data/vuln" \
    "$IM/alpine-like.truth.json:$TMP/broken.json" > "$TMP/check2.txt" 2>&1
is "$?:$(grep -c -E 'MISSING|DIFFERS' "$TMP/check2.txt")" "1:2" "the cross-check catches a wrong report"

# what the data README states
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(sorted((v["package"]["name"], v["id"], v["fixed_version"]) for r in d["results"] for v in r["vulnerabilities"]))' "$TMP/alpine-like.json")" \
    "[('libcrypto3', 'CVE-2024-6119', '3.1.7-r0'), ('libcrypto3', 'CVE-2024-9143', '3.1.7-r1'), ('libssl3', 'CVE-2024-6119', '3.1.7-r0'), ('libssl3', 'CVE-2024-9143', '3.1.7-r1')]" \
    "alpine-like: the 4 findings on libcrypto3/libssl3 (origin openssl)"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
g=sorted(i[5:9] for r in d["results"] for v in r["vulnerabilities"] for i in v["ids"] if i.startswith("GHSA-"))
print(len(g), " ".join(g))' "$TMP/node-app.json")" \
    "19 29mw 35jh 8cf7 9wv6 cm22 cph5 crh6 hjrf hrpp m6fv p6mc pxg6 qw6h qwcr qwph rv95 vh95 wf5p xvch" \
    "node-app: the 19 GHSA matches"
unlike "$(cat "$TMP/node-app.json")" 'GHSA-jf85-cpcp-j695' "node-app: lodash jf85 (fixed in 4.17.12) not matched"
unlike "$(cat "$TMP/multilayer-whiteout.json")" '"libbz2-1.0"' "multilayer-whiteout: purged libbz2 not reported"
unlike "$(cat "$TMP/multilayer-whiteout.json")" '5\.4\.1-1\+deb12u1"' \
    "multilayer-whiteout: replaced liblzma5 version not reported"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["unmatched_packages"]))' "$TMP/debian-bookworm-point.json")" \
    0 "debian-bookworm-point: every package could be matched"
done_testing
