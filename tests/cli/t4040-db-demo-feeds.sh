#!/bin/sh
# The demo feeds the repo ships (demo/feeds) import cleanly and hold the entries the demo image
# is meant to meet.
. "$(dirname "$0")/lib.sh"
DB="$TMP/demo.sqlite"
q() { sqlite3 "$DB" "$1"; }
run 0 "$HULL" db import --db "$DB" "$TOP/demo/feeds"
unlike "$ERR" 'skipped' "no malformed record in the demo feeds"
like "$ERR" '1 files ignored' "the README is not a feed"
is "$(q "select fixed from affected where ecosystem='Debian:12' and package='openssl'")" \
   "3.0.11-1~deb12u2" "openssl CVE-2023-5363 fixed after the demo's 3.0.11-1~deb12u1"
is "$(q "select count(*) from affected where ecosystem='Debian:12' and package='zlib' and status='affected'")" 1 \
   "zlib CVE-2023-45853 open in bookworm"
is "$(q "select group_concat(advisory || '=' || fixed, ' ') from (select * from affected where ecosystem='npm'
        and package='lodash' order by advisory)")" \
   "GHSA-29mw-wpgm-hmr9=4.17.21 GHSA-35jh-r3h4-6jhm=4.17.21 GHSA-jf85-cpcp-j695=4.17.12 GHSA-p6mc-m468-83gw=4.17.20" \
   "lodash advisories"
is "$(q "select count(*) from affected where ecosystem='npm' and package='minimist'")" 4 "minimist ranges"
is "$(q "select count(*) from kev where cve='CVE-2023-4911'")" 1 "KEV marks CVE-2023-4911"
is "$(q "select count(*) from cvss")" 11 "cvss rows"
is "$(q "select fixed from affected where ecosystem='Alpine:v3.18' and advisory='CVE-2024-9143'")" "3.1.7-r1" \
   "alpine openssl"
done_testing
