#!/bin/sh
# Acceptance: import every dataset of ../shared/data/vuln and compare with the counts its
# README documents. The ASan build imports the small samples instead of the 51 MB OVAL file.
. "$(dirname "$0")/lib.sh"
V="$SHARED/data/vuln"
if [ ! -f "$V/README.md" ]; then echo "1..0 # SKIP ../shared/data/vuln not present ($V)"; exit 0; fi
DB="$TMP/shared.sqlite"
q() { sqlite3 "$DB" "$1"; }
case "${HULL_BUILD:-}" in
*-asan) full=0; echo "# ASan build: Debian OVAL from samples/ (the full file runs in the plain build)" ;;
*) full=1 ;;
esac

oval="$V/samples/debian/oval-definitions-bookworm.sample.xml"
[ $full = 1 ] && oval="$V/debian/oval/oval-definitions-bookworm.xml.bz2"
run 0 "$HULL" db import --db "$DB" "$V/alpine/secdb" "$oval" "$V/npm/ghsa" "$V/nodejs-security-wg" \
    "$V/cvss/cvss.csv" "$V/kev/known_exploited_vulnerabilities.json" "$V/samples/debian/osv" \
    "$V/samples/debian/tracker-json-excerpt.json"
# the only malformed records in these feeds: the secdb's broken CVE ids (3x CVE-46838, and two
# CVE-????-????? placeholders)
like "$ERR" 'skipped 5 malformed records \(first: CVE-46838 \(malformed id\), CVE-\?' \
    "secdb malformed ids"

# Alpine secdb, README section 1: per file packages / fix-version keys / distinct CVEs / "0" keys
for row in "v3.17/main 248 1128 2385 21" "v3.17/community 328 1292 3426 10" \
           "v3.18/main 246 1143 2425 22" "v3.18/community 355 1496 3922 10" \
           "v3.19/main 257 1164 2481 23" "v3.19/community 383 1584 4080 11" \
           "v3.20/main 255 1165 2476 23" "v3.20/community 408 1673 4298 13" \
           "v3.21/main 256 1142 2437 23" "v3.21/community 414 1619 4078 12"; do
    set -- $row
    s="alpine-secdb:$1"
    got="$(q "select count(distinct package) from affected where source='$s'") \
$(q "select records from sources where name='$s'") \
$(q "select count(distinct x) from (select id x from advisories where source='$s' and id like 'CVE-%'
      union select alias from aliases where source='$s' and alias like 'CVE-%')") \
$(q "select count(distinct package) from affected where source='$s' and status='not_affected'")"
    is "$got" "$2 $3 $4 $5" "alpine $1: packages, keys, CVEs, \"0\" keys"
done
is "$(q "select count(distinct x) from (select id x from advisories where source like 'alpine-secdb:%'
        and id like 'CVE-%' union select alias from aliases where source like 'alpine-secdb:%'
        and alias like 'CVE-%')")" 6808 "alpine: 6,808 distinct CVEs over ten files"
is "$(q "select count(*) from advisories where source like 'alpine-secdb:%' and id like 'TALOS-%'")" 0 \
   "double-id strings: the second id is no advisory of its own"
run 0 test "$(q "select count(*) from aliases where source like 'alpine-secdb:%' and alias like 'TALOS-%'")" -gt 0
run 0 test "$(q "select count(*) from advisories where source like 'alpine-secdb:%' and id like 'XSA-%'")" -gt 0

# Debian OVAL, README 2a
if [ $full = 1 ]; then
    is "$(q "select records, advisories, affected from sources where name='debian-oval:12'")" \
       "25932|24136|25932" "oval: 25,932 definitions, 24,136 ids"
    is "$(q "select count(distinct package) from affected where source='debian-oval:12'")" 2767 \
       "oval: 2,767 source packages"
    is "$(q "select count(*) from affected where source='debian-oval:12' and status='affected'")" \
       1533 "oval: 1,533 definitions without a fix"
    is "$(q "select count(*) from advisories where source='debian-oval:12' and id like 'DSA-%'")" 26 \
       "oval: 26 patch (DSA) definitions"
    for p in "linux 2158" "chromium 1351" "openssl 210" "glibc 128" "curl 128" "zlib 10"; do
        set -- $p
        is "$(q "select count(*) from affected where source='debian-oval:12' and package='$1'")" "$2" \
           "oval: $1 has $2 definitions"
    done
else
    is "$(q "select records, affected from sources where name='debian-oval:12'")" "20|20" \
       "oval sample: 20 definitions"
    is "$(q "select count(*) from affected where source='debian-oval:12' and status='affected'")" 4 \
       "oval sample: 4 unfixed"
fi

# GHSA (31 records) and the Debian OSV samples (20)
is "$(q "select count(*) from advisories where source='osv' and id like 'GHSA-%'")" 31 "ghsa: 31 advisories"
is "$(q "select count(*) from advisories where source='osv' and (id like 'DEBIAN-%' or id like 'DSA-%')")" 20 \
   "debian osv: 20 records"
is "$(q "select name from affected where ecosystem='npm' and package='axios' and advisory='GHSA-8hc4-vh64-cxmj'")" \
   "Axios" "ghsa: capital-A Axios stored under its normalised name"
is "$(q "select count(*) from affected where source='osv' and ecosystem='Debian:12' and package='xz-utils'")" 0 \
   "CVE-2024-3094 lists only Debian 13/14"
# Node.js security WG, README 3b
is "$(q "select records from sources where name='nodejs-wg:core'")" 171 "node core: 171"
is "$(q "select records from sources where name='nodejs-wg:npm'")" 467 "node npm: 467 advisories"
is "$(q "select count(distinct name) from affected where source='nodejs-wg:npm'")" 408 \
   "node npm: 408 modules"
is "$(q "select count(distinct package) from affected where source='nodejs-wg:npm'")" 407 \
   "node npm: jQuery and jquery share one normalised npm name"
# CVSS (3,120 rows) and KEV (1,674)
is "$(q "select count(*) from cvss")" 3120 "cvss: 3,120 rows"
is "$(q "select count(*) from kev")" 1674 "kev: 1,674 entries"
# tracker excerpt, README 2d: 6 packages, 7 CVEs
is "$(q "select records from sources where name='debian-tracker'")" 7 "tracker: 7 CVEs"
is "$(q "select count(distinct package) from affected where source='debian-tracker'")" 5 \
   "tracker: 5 packages with releases (chromium-browser has \"releases\": [])"

# Debian security-tracker raw lists, README 2b. The README's 5,403 DSAs leave out three headers
# its pattern missed (DSA-2092-1 has two spaces before the package, DSA-1727-1 and DSA-1724-1
# none); hull reads all 5,406.
T="$V/debian/security-tracker/data"
run 0 "$HULL" db import --db "$TMP/dsa.sqlite" "$T/DSA/list" "$T/DLA/list"
unlike "$ERR" 'skipped' "DSA/DLA lists: no malformed record"
qd() { sqlite3 "$TMP/dsa.sqlite" "$1"; }
is "$(qd "select count(*) from advisories where source='debian-dsa'")" 5406 "DSA: 5,406 advisories"
is "$(qd "select count(distinct substr(summary, 1, instr(summary, ':') - 1)) from advisories
         where source='debian-dsa' and summary not like '?:%'")" 1630 "DSA: 1,630 packages"
is "$(qd "select count(*) from advisories where source='debian-dla'")" 3534 "DLA: 3,534 advisories"
is "$(qd "select count(distinct substr(summary, 1, instr(summary, ':') - 1)) from advisories
         where source='debian-dla'")" 1136 "DLA: 1,136 packages"
is "$(qd "select count(*) from affected where ecosystem='Debian:12'")" 0 "no [bookworm] lines"
is "$(qd "select min(published) || ' ' || max(published) from advisories where source='debian-dsa'")" \
   "2002-07-02 2023-03-29" "DSA dates"

# importing the whole folder works too (unknown files are ignored, not fatal)
if [ $full = 1 ]; then
    run 0 "$HULL" db import --db "$TMP/all.sqlite" "$V"
    like "$ERR" '1 files ignored' "whole folder: only the README is ignored"
    # samples/ holds excerpts of the same feeds: in one run they add to the full feeds
    is "$(sqlite3 "$TMP/all.sqlite" "select count(distinct package) from affected
          where source='alpine-secdb:v3.20/main'")" 255 "whole folder: the secdb sample does not replace v3.20/main"
    is "$(sqlite3 "$TMP/all.sqlite" "select count(*) from advisories where source='debian-dsa'")" 5406 \
       "whole folder: the DSA sample does not replace the list"
fi
done_testing
