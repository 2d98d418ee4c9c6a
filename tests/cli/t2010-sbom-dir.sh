#!/bin/sh
# hull sbom on a generated root filesystem holding every kind of package database (dpkg,
# apk, real rpm sqlite dbs built with rpmbuild, one with changes only in its write-ahead
# log, npm installed and lockfile-only, Python) plus broken ones: every package
# found with its attribution, each bad file named in exactly one warning, -q silences them,
# output deterministic, -o, usage and I/O errors with their exit codes.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
R=$TMP/root
sh "$TOP/tests/data/mkrootfs.sh" "$R"
have_rpm=0
[ -f "$R/usr/lib/sysimage/rpm/rpmdb.sqlite" ] && have_rpm=1

run 0 "$HULL" sbom --format json "dir:$R"
printf '%s\n' "$OUT" > "$TMP/sbom.json"
like "$ERR" '^hull: warning: /var/lib/rpm/Packages: rpm BerkeleyDB database: not supported yet' \
    "unsupported BerkeleyDB rpmdb is a warning naming the file"
like "$ERR" 'warning: /app/node_modules/broken/package.json: package.json: invalid JSON' \
    "broken package.json is a warning naming the file"
like "$ERR" 'warning: /var/lib/dpkg/status: package noversion \(line 38\) has no Version' \
    "dpkg stanza without Version is a warning"
is "$(printf '%s\n' "$ERR" | grep -c 'warning:')" 6 "six warnings, one per problem"

python3 - "$TMP/sbom.json" "$have_rpm" <<'EOF' > "$TMP/check.out" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
have_rpm = sys.argv[2] == "1"
got = {}
for p in d["packages"]:
    got.setdefault(p["type"], set()).add((p["name"], p["version"]))
want = {
    "deb": {("bsdutils", "1:2.38.1-5+deb12u3"), ("held", "3.0-1"), ("libc6", "2.36-9+deb12u4"),
            ("zlib1g", "1:1.2.13.dfsg-1")},
    "apk": {("busybox-binsh", "1.36.1-r7"), ("musl", "1.2.4-r2"), ("ssl_client", "1.36.1-r7")},
    "npm": {("@scope/pkg", "1.0.0+build.1"), ("a", "1.0.0"), ("b", "1.0.0"), ("ms", "2.0.0"),
            ("ms", "2.1.3"), ("debug", "2.6.9"), ("express", "4.16.0"), ("mocha", "5.0.0")},
    "pypi": {("six", "1.16.0"), ("Old_Egg", "0.1")},
}
if have_rpm:
    want["rpm"] = {("epoch-lib", "3:2.0-1.fc39"), ("hello-tool", "1.2.3-4.fc39"),
                   ("noarch-data", "0.9-2.fc39"), ("hello-wall", "1.2.3-4.fc39")}
assert got == want, "packages differ:\n got %s\nwant %s" % (sorted(got.items()),
                                                             sorted(want.items()))
by = {(p["type"], p["name"], p["version"]): p for p in d["packages"]}
ms = by[("npm", "ms", "2.0.0")]
assert ms["locations"] == ["/app/node_modules/a/node_modules/ms/package.json",
                           "/app/node_modules/b/node_modules/ms/package.json"], ms
assert by[("npm", "@scope/pkg", "1.0.0+build.1")]["purl"] == "pkg:npm/%40scope/pkg@1.0.0%2Bbuild.1"
libc = by[("deb", "libc6", "2.36-9+deb12u4")]
assert libc["purl"] == ("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4"
                        "?arch=amd64&distro=debian-12.4&upstream=glibc"), libc["purl"]
assert libc["file_count"] == 4 and libc["found_in"] == "/var/lib/dpkg/status"
bsd = by[("deb", "bsdutils", "1:2.38.1-5+deb12u3")]["purl"]
assert bsd.endswith("upstream=util-linux%402.38.1-5%2Bdeb12u3"), bsd
assert by[("pypi", "Old_Egg", "0.1")]["purl"] == "pkg:pypi/old-egg@0.1"
mocha = by[("npm", "mocha", "5.0.0")]
assert mocha["dev"] is True and mocha["found_in"] == "/srv/api/package-lock.json", mocha
assert by[("npm", "express", "4.16.0")]["dev"] is False
if have_rpm:
    e = by[("rpm", "epoch-lib", "3:2.0-1.fc39")]
    assert e["purl"] == ("pkg:rpm/debian/epoch-lib@2.0-1.fc39"
                         "?arch=x86_64&distro=debian-12.4&epoch=3"), e["purl"]
    assert e["epoch"] == "3" and e["release"] == "1.fc39" and e["file_count"] == 2
    assert e["license"] == "GPL-2.0-or-later AND LGPL-2.1-only"
    assert e["found_in"] == "/usr/lib/sysimage/rpm/rpmdb.sqlite"
    # only in the write-ahead log of the second database
    assert by[("rpm", "hello-wall", "1.2.3-4.fc39")]["found_in"] == "/var/lib/rpm/rpmdb.sqlite"
assert d["schema_version"] == 1 and d["os"]["family"] == "debian" and d["os"]["version"] == "12.4"
assert len(d["warnings"]) == 6
print("fine")
EOF
is "$(cat "$TMP/check.out")" fine "json inventory of every ecosystem, purls, attribution"

run 0 "$HULL" sbom -q -f json "dir:$R"
is "$ERR" "" "-q: no warnings on stderr"
cmp -s "$TMP/sbom.json" - <<EOF
$OUT
EOF
ok $? "same output on a second run (deterministic)"
run 0 "$HULL" -q sbom "dir:$R" -f json -o "$TMP/out.json"
cmp -s "$TMP/sbom.json" "$TMP/out.json"
ok $? "-o FILE (option after IMAGE) writes the same document"

run 0 "$HULL" sbom -q "dir:$R"
like "$OUT" 'OS: +debian 12.4' "table names the OS"
like "$OUT" '^ms +2\.0\.0 +npm +- +0$' "table lists npm packages"
like "$OUT" '21 packages, 6 warnings|17 packages, 6 warnings' "table summary line"
if [ "$have_rpm" = 1 ]; then
    # the same database without its log: the un-checkpointed package is not there
    rm "$R/var/lib/rpm/rpmdb.sqlite-wal"
    run 0 "$HULL" sbom -q "dir:$R"
    unlike "$OUT" 'hello-wall' "without the -wal file the logged change is absent"
    like "$OUT" '^hello-tool ' "the checkpointed packages are still read"
fi

run 2 "$HULL" sbom -f xml "dir:$R"
one_line_error "unknown format"
run 2 "$HULL" sbom
one_line_error "missing IMAGE"
run 2 "$HULL" sbom a b
one_line_error "too many arguments"
run 6 "$HULL" sbom -f json "$TMP/does-not-exist"
one_line_error "missing image"
run 0 "$HULL" sbom --help
like "$OUT" '^usage: hull sbom' "--help prints usage"
done_testing
