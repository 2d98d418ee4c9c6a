#!/bin/sh
# hull db update against a real HTTP server on 127.0.0.1 (no other network): conditional GET
# with ETag, 429 + Retry-After and 5xx retries, hard failures keep the old database, mirrors,
# proxies from the environment.
. "$(dirname "$0")/lib.sh"
D="$TOP/tests/data/vuln"
DB="$TMP/u.sqlite"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export HULL_RETRY_BASE_MS=50

mkdir -p "$TMP/www"
cp "$D/kev.json" "$TMP/www/kev"
cp "$D/secdb-v3.18-main.json" "$TMP/www/alpine-v3.18-main"
cp "$D/bad/osv-truncated.zip" "$TMP/www/osv-npm"
cat > "$TMP/server.py" <<'PY'
import hashlib, http.server, os, sys, threading
root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]
seen = {}
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        path = self.path
        proxied = path.startswith('http://')
        if proxied:
            path = '/' + path.split('/', 3)[3]
        parts = path.strip('/').split('/')
        mode, name = (parts[0], parts[-1]) if len(parts) > 1 else ('plain', parts[0])
        with lock:
            n = seen.get(path, 0) + 1
            seen[path] = n
            with open(log, 'a') as f:
                f.write('%s %s inm=%s proxied=%s\n' % (mode, name, self.headers.get('If-None-Match'), proxied))
        if mode == 'flaky429' and n == 1:
            self.send_response(429); self.send_header('Retry-After', '1'); self.send_header('Content-Length', '0'); self.end_headers(); return
        if mode == 'date429' and n == 1:
            # Retry-After as an HTTP-date 2 s ahead (RFC 9110 allows both forms)
            import email.utils, time
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            self.send_response(429); self.send_header('Retry-After', when); self.send_header('Content-Length', '0'); self.end_headers(); return
        if mode == 'flaky500' and n <= 2:
            self.send_response(503); self.send_header('Content-Length', '0'); self.end_headers(); return
        if mode == 'slow':
            body = open(os.path.join(root, name), 'rb').read()
            self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
            self.wfile.write(body[:len(body) // 2]); self.wfile.flush()
            import time; time.sleep(30); return
        if mode == 'always500':
            self.send_response(500); self.send_header('Content-Length', '0'); self.end_headers(); return
        p = os.path.join(root, name)
        if not os.path.isfile(p):
            self.send_response(404); self.send_header('Content-Length', '0'); self.end_headers(); return
        body = open(p, 'rb').read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()
        if self.headers.get('If-None-Match') == etag:
            self.send_response(304); self.send_header('ETag', etag); self.end_headers(); return
        self.send_response(200)
        self.send_header('ETag', etag)
        self.send_header('Last-Modified', 'Sat, 21 Nov 2026 10:00:00 GMT')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
PY
serve_http "$TMP/server.py" "$TMP/www" "$TMP/log"

run 0 "$HULL" db update --list
like "$OUT" '^kev +https://www.cisa.gov/' "--list shows the feeds and upstream URLs"
run 2 "$HULL" db update --db "$DB" --source nosuchfeed
one_line_error "unknown feed"
run 2 "$HULL" db update --db "$DB" --mirror nonsense
one_line_error "bad --mirror"

# first download: 200 with an ETag
run 0 "$HULL" db update --db "$DB" --source kev --mirror "kev=$U/kev"
run 0 "$HULL" db status --db "$DB" --format json
like "$OUT" '"kev":2' "kev imported from the server"
like "$OUT" '"etag":"\\"[0-9a-f]{40}\\""' "ETag stored in the metadata"
like "$OUT" '"last_modified":"Sat, 21 Nov 2026 10:00:00 GMT"' "Last-Modified stored"
unlike "$ERR" '%' "no progress bar when stderr is not a terminal"
# second run: conditional GET, 304, data kept
run 0 "$HULL" db update --db "$DB" --source kev --mirror "kev=$U/kev"
like "$ERR" '1 feeds unchanged' "304 reported as unchanged"
like "$(tail -1 "$TMP/log")" 'plain kev inm="[0-9a-f]{40}"' "If-None-Match sent"
run 0 "$HULL" db status --db "$DB" --format json
like "$OUT" '"kev":2' "data kept after a 304"

# 429 with Retry-After, then 200
: > "$TMP/log"
run 0 "$HULL" db update --db "$DB" --source alpine-v3.18-main --mirror "*=$U/flaky429"
is "$(grep -c 'flaky429 alpine-v3.18-main' "$TMP/log")" 2 "429 retried once"
run 0 "$HULL" db status --db "$DB"
like "$OUT" 'alpine-secdb:v3.18/main' "secdb imported after the retry"
like "$OUT" 'kev +2' "an update of one feed keeps the others"
# 429 with Retry-After as an HTTP-date: waited for (about a second or more), not the 50 ms backoff
t0=$(date +%s%N)
run 0 "$HULL" db update --db "$DB" --source kev --mirror "*=$U/date429/"
t1=$(date +%s%N)
is "$(grep -c 'date429 kev' "$TMP/log")" 2 "429 with an HTTP-date retried once"
ok "$([ $(( (t1 - t0) / 1000000 )) -ge 900 ]; echo $?)" "the HTTP-date was waited for ($(( (t1 - t0) / 1000000 )) ms)"
# 503 twice, then 200 (exponential backoff)
run 0 "$HULL" db update --db "$DB" --source kev --mirror "*=$U/flaky500/"
is "$(grep -c 'flaky500 kev' "$TMP/log")" 3 "503 retried until 200"

# hard failures: exit 4, one line, database untouched
sum=$(cksum < "$DB")
run 4 "$HULL" db update --db "$DB" --source kev --mirror "kev=$U/always500/kev"
one_line_error "persistent 500"
like "$ERR" 'HTTP 500 \(gave up after retries\)' "500 after retries"
is "$(grep -c 'always500 kev' "$TMP/log")" 5 "4 retries then give up"
run 4 "$HULL" db update --db "$DB" --source kev --mirror "kev=$U/nothing-here"
one_line_error "404"
like "$ERR" 'HTTP 404' "404 named"
run 4 "$HULL" db update --db "$DB" --source kev --mirror "kev=http://127.0.0.1:1/kev"
one_line_error "connection refused"
# a corrupt download aborts the whole update
run 3 "$HULL" db update --db "$DB" --source kev --source osv-npm --mirror "*=$U"
one_line_error "corrupt zip download"
like "$ERR" 'feed osv-npm' "the failing feed is named"
is "$(cksum < "$DB")" "$sum" "failed updates left the database unchanged"
is "$(ls "$TMP" | grep -c 'u.sqlite.dl-')" 0 "download directory removed"

# kill -9 in the middle of a download: database intact, the next update removes the leftovers
sum=$(cksum < "$DB")
: > "$TMP/log"
"$HULL" db update --db "$DB" --source kev --mirror "kev=$U/slow/kev" >/dev/null 2>&1 &
pid=$!
i=0
while ! grep -q 'slow kev' "$TMP/log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -9 $pid; wait $pid 2>/dev/null
is "$(cksum < "$DB")" "$sum" "kill -9 during a download: database unchanged"
is "$(ls "$TMP" | grep -c 'u.sqlite.dl-')" 1 "the killed update left its download directory"
run 0 "$HULL" db update --db "$DB" --source kev --mirror "kev=$U/kev"
is "$(ls "$TMP" | grep -c 'u.sqlite.dl-')" 0 "the next update removed it"

# a progress bar when stderr is a terminal (script(1) provides one)
if command -v script >/dev/null 2>&1; then
    script -qec "\"$HULL\" db update --db \"$TMP/tty.sqlite\" --source kev --mirror kev=$U/kev" \
        /dev/null > "$TMP/tty.out" 2>&1
    like "$(cat "$TMP/tty.out")" 'kev +\[#+\] 100%' "progress bar on a terminal"
else
    pass "# SKIP script(1) not installed"
fi

# proxy from the environment: the request reaches the proxy with an absolute URL
: > "$TMP/log"
http_proxy="$U" run 0 "$HULL" db update --db "$DB" --source kev --mirror "kev=http://feeds.hull.invalid/kev"
unset http_proxy
like "$(cat "$TMP/log")" 'kev inm=.* proxied=True' "http_proxy used"
done_testing
