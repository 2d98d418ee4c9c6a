#!/bin/sh
# hull image (and hull surface) --download-db / --db-mirror against a real HTTP server on 127.0.0.1 (no other
# network), as t4020 does for hull db update: a missing database is built from the mirror and
# the scan finds the demo image's vulnerabilities; the next run sends conditional requests
# (304); a download that keeps failing fails the scan (exit 4, one line) and leaves the
# database as it was; --db-mirror needs --download-db; without --download-db nothing is
# downloaded and a missing database stays exit 5.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t5-lib.inc"
IMG=$(t5_demo_image)
F="$TOP/demo/feeds"
D="$TOP/tests/data/vuln"
DB="$TMP/dl/db.sqlite"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export HULL_RETRY_BASE_MS=50

# The mirror: one document per default feed (every feed hull db update fetches without
# --source). The importer detects formats from content, so the demo's Debian OSV records ride
# in the osv-pypi zip; the other Alpine feeds are empty secdb documents.
mkdir -p "$TMP/www"
for name in $("$HULL" db update --list | awk '{print $1}'); do
    case $name in
    alpine-v3.18-main) cp "$F/alpine-v3.18-main.json" "$TMP/www/$name" ;;
    alpine-*)
        v=${name#alpine-}
        printf '{"distroversion":"%s","reponame":"%s","urlprefix":"https://dl-cdn.alpinelinux.org/alpine","archs":["x86_64"],"packages":[]}\n' \
            "${v%%-*}" "${v#*-}" > "$TMP/www/$name" ;;
    debian-tracker) cp "$D/tracker.json" "$TMP/www/$name" ;;
    debian-oval-bookworm) cp "$D/oval-bookworm.xml" "$TMP/www/$name" ;;
    osv-npm) python3 -c 'import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1], "w")
for p in sys.argv[2:]: z.write(p, os.path.basename(p))' "$TMP/www/$name" "$F"/ghsa/*.json ;;
    osv-pypi) python3 -c 'import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1], "w")
for p in sys.argv[2:]: z.write(p, os.path.basename(p))' "$TMP/www/$name" "$F"/debian-osv/*.json ;;
    nodejs-core) cp "$D/nodewg-core.json" "$TMP/www/$name" ;;
    kev) cp "$F/kev.json" "$TMP/www/$name" ;;
    esac
done
# GET /NAME serves www/NAME with an ETag (304 on If-None-Match); GET /always500/NAME fails.
cat > "$TMP/server.py" <<'PY'
import hashlib, http.server, os, sys, threading
root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        parts = self.path.split('?')[0].strip('/').split('/')
        mode, name = (parts[0], parts[-1]) if len(parts) > 1 else ('plain', parts[0])
        p = os.path.join(root, name)
        body = open(p, 'rb').read() if os.path.isfile(p) else None
        etag = '"%s"' % hashlib.sha1(body).hexdigest() if body is not None else None
        inm = self.headers.get('If-None-Match')
        if mode == 'always500':
            code = 500
        elif body is None:
            code = 404
        elif inm == etag:
            code = 304
        else:
            code = 200
        with lock:
            with open(log, 'a') as f:
                f.write('%s %s inm=%s %d\n' % (mode, name, inm, code))
        self.send_response(code)
        if code in (200, 304):
            self.send_header('ETag', etag)
        if code != 304:
            self.send_header('Content-Length', str(len(body) if code == 200 else 0))
        self.end_headers()
        if code == 200:
            self.wfile.write(body)
PY
serve_http "$TMP/server.py" "$TMP/www" "$TMP/log"
NFEEDS=$(ls "$TMP/www" | wc -l)

run 0 "$HULL" image --help
like "$OUT" '--download-db' "--help names --download-db"
like "$OUT" '--db-mirror NAME=URL' "--help names --db-mirror"

# usage errors: nothing is downloaded
run 2 "$HULL" image --db "$DB" --db-mirror "*=$U" "$IMG"
one_line_error "--db-mirror without --download-db"
like "$ERR" 'needs --download-db' "the error names --download-db"
run 2 "$HULL" image --db "$DB" --download-db --db-mirror nonsense "$IMG"
one_line_error "bad --db-mirror"
run 2 "$HULL" image --db "$DB" --download-db --db-mirror "nosuchfeed=$U/x" "$IMG"
one_line_error "--db-mirror naming an unknown feed"
is "$(cat "$TMP/log" 2>/dev/null | wc -l | tr -d ' ')" 0 "no request before the usage errors"

# without --download-db a scan never downloads: a missing database is exit 5 naming the command
run 5 "$HULL" image --db "$DB" "$IMG"
one_line_error "missing database"
like "$ERR" 'hull db update' "missing database names hull db update"
is "$(cat "$TMP/log" 2>/dev/null | wc -l | tr -d ' ')" 0 "no request without --download-db"
[ ! -e "$DB" ]; ok $? "no database created"

# missing database + --download-db: every feed fetched from the mirror, then the scan
run 0 "$HULL" image --db "$DB" --download-db --db-mirror "*=$U" "$IMG"
is "$(grep -c ' 200$' "$TMP/log")" "$NFEEDS" "every default feed downloaded once (200)"
like "$ERR" "^hull: $DB: .* documents, .* affected entries" "one summary line on stderr"
unlike "$ERR" '%' "no progress bar when stderr is not a terminal"
like "$OUT" '^Total: 4 \(UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 3, CRITICAL: 1\)$' \
    "OS findings as from the demo database"
like "$OUT" '^Total: 5 \(UNKNOWN: 0, LOW: 0, MEDIUM: 2, HIGH: 2, CRITICAL: 1\)$' \
    "npm findings as from the demo database"
like "$OUT" '^zlib1g +CVE-2023-45853 +CRITICAL ' "zlib1g row (downloaded Debian OSV + tracker)"
like "$OUT" '^lodash +CVE-2021-23337 +HIGH +fixed ' "lodash row (downloaded GHSA records)"
run 0 "$HULL" db status --db "$DB" --format json
like "$OUT" '"kev":[1-9]' "kev imported"
like "$OUT" '"etag":"\\"[0-9a-f]{40}\\""' "ETags stored for the next run"
counts() { "$HULL" db status --db "$1" --format json | sed 's/.*"counts":\({[^}]*}\).*/\1/'; }
before=$(counts "$DB")

# second run: conditional requests only, 304 everywhere, same findings, database unchanged
: > "$TMP/log"
run 0 "$HULL" image --db "$DB" --download-db --db-mirror "*=$U/" -f json "$IMG"
is "$(grep -c ' 304$' "$TMP/log")" "$NFEEDS" "every feed answered 304"
is "$(grep -c 'inm=None' "$TMP/log")" 0 "every request carried If-None-Match"
like "$ERR" "$NFEEDS feeds unchanged" "304s reported as unchanged"
like "$OUT" '"CVE-2023-45853"' "same findings after the 304s"
is "$(counts "$DB")" "$before" "the database keeps its content after the 304s"
# -q: no summary line
run 0 "$HULL" image -q --db "$DB" --download-db --db-mirror "*=$U" "$IMG"
is "$ERR" "" "-q: nothing on stderr"
# $HULL_DB is the path the download and the scan use when there is no --db
: > "$TMP/log"
HULL_DB="$TMP/env/db.sqlite" run 0 "$HULL" image --download-db --db-mirror "*=$U" "$IMG"
[ -s "$TMP/env/db.sqlite" ]; ok $? "--download-db builds \$HULL_DB"
is "$(grep -c ' 200$' "$TMP/log")" "$NFEEDS" "a new database downloads every feed"

# a mirror that keeps answering 500: exit 4, one line, old database kept
sum=$(cksum < "$DB")
: > "$TMP/log"
run 4 "$HULL" image --db "$DB" --download-db --db-mirror "*=$U/always500" "$IMG"
one_line_error "persistent 500"
like "$ERR" 'updating the vulnerability database: feed .*HTTP 500' "error names the feed and the 500"
is "$(grep -c 'always500' "$TMP/log")" 5 "4 retries then give up"
is "$OUT" "" "no report after a failed download"
is "$(cksum < "$DB")" "$sum" "failed download left the database unchanged"
is "$(ls "$TMP/dl" | grep -c 'dl-')" 0 "download directory removed"
# ... and no database at all when there was none
run 4 "$HULL" image --db "$TMP/none/db.sqlite" --download-db --db-mirror "kev=$U/always500/kev" \
    --db-mirror "*=$U" "$IMG"
one_line_error "persistent 500, no database yet"
like "$ERR" 'feed kev' "the failing feed is named"
[ ! -e "$TMP/none/db.sqlite" ]; ok $? "no database left behind"

# hull surface takes the same two options
run 2 "$HULL" surface --db-mirror "*=$U" "$IMG"
one_line_error "surface: --db-mirror without --download-db"
: > "$TMP/log"
run 0 "$HULL" surface --db "$TMP/surface/db.sqlite" --download-db --db-mirror "*=$U" "$IMG"
is "$(grep -c ' 200$' "$TMP/log")" "$NFEEDS" "surface --download-db downloads every feed"
like "$OUT" '9 \(C:2 H:5 M:2\)' "surface counts the vulnerabilities of the downloaded database"
run 4 "$HULL" surface --db "$TMP/surface/db.sqlite" --download-db --db-mirror "*=$U/always500" "$IMG"
one_line_error "surface: persistent 500"

# a progress bar when stderr is a terminal (script(1) provides one)
if command -v script >/dev/null 2>&1; then
    script -qec "\"$HULL\" image --db \"$TMP/tty.sqlite\" --download-db --db-mirror \"*=$U\" \"$IMG\"" \
        /dev/null > "$TMP/tty.out" 2>&1
    like "$(cat "$TMP/tty.out")" 'kev +\[#+\] 100%' "progress bar on a terminal"
    script -qec "\"$HULL\" image -q --db \"$TMP/tty2.sqlite\" --download-db --db-mirror \"*=$U\" \"$IMG\"" \
        /dev/null > "$TMP/tty2.out" 2>&1
    unlike "$(cat "$TMP/tty2.out")" '\[#+\]' "-q: no progress bar on a terminal"
else
    pass "# SKIP script(1) not installed"
    pass "# SKIP script(1) not installed"
fi
done_testing
