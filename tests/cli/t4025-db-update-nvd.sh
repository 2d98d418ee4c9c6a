#!/bin/sh
# hull db update --source nvd against a real HTTP server on 127.0.0.1 serving NVD CVE API 2.0
# pages built here from a few records: paging (the server returns fewer results than asked
# for), the apiKey header, 429/403 retried, incremental updates (lastModStartDate/EndDate)
# upserting into the cvss rows a scan reads, and inconsistent or malformed pages failing with
# the old database kept.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t5-lib.inc"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset NVD_API_KEY
export HULL_RETRY_BASE_MS=20 HULL_NVD_DELAY_MS=0
J="python3 -c"
DB="$TMP/n.sqlite"
cp "$(t5_demo_db)" "$DB"
IMG=$(t5_demo_image)

mkdir -p "$TMP/www"
# full.json: what a full download returns; changes.json: what an incremental one returns
cat > "$TMP/mk.py" <<'PY'
import json, sys
def cve(i, v3=None, v2=None):
    m = {}
    if v3:
        m["cvssMetricV31"] = [{"source": "nvd@nist.gov", "type": "Primary",
                               "cvssData": {"version": "3.1", "vectorString": v3}}]
    if v2:
        m["cvssMetricV2"] = [{"source": "nvd@nist.gov", "type": "Primary",
                              "cvssData": {"version": "2.0", "vectorString": v2}}]
    return {"cve": {"id": i, "published": "2023-10-25T18:17:43.613", "metrics": m}}
full = [cve("CVE-2023-5363", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
        cve("CVE-2021-44228", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            "AV:N/AC:M/Au:N/C:C/I:C/A:C"),
        cve("CVE-2014-6271", None, "AV:N/AC:L/Au:N/C:C/I:C/A:C"),
        cve("CVE-2099-0001", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"),
        cve("CVE-2024-56326")]
changes = [cve("CVE-2023-5363", "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"),
           cve("CVE-2099-0001"),
           cve("CVE-2099-0002", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L")]
json.dump(full, open(sys.argv[1] + "/full.json", "w"))
json.dump(changes, open(sys.argv[1] + "/changes.json", "w"))
PY
python3 "$TMP/mk.py" "$TMP/www"
cat > "$TMP/server.py" <<'PY'
import json, http.server, os, sys, threading, urllib.parse
root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]
seen = {}
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def reply(self, code, body=b''):
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        mode = u.path.strip('/').split('/')[0] if u.path.count('/') > 1 else 'plain'
        start, rpp = int(q.get('startIndex', -1)), int(q.get('resultsPerPage', -1))
        with lock:
            n = seen.get(mode, 0) + 1
            seen[mode] = n
            with open(log, 'a') as f:
                f.write('%s start=%d rpp=%d key=%s lms=%s lme=%s\n' % (mode, start, rpp,
                        self.headers.get('apiKey'), q.get('lastModStartDate'),
                        q.get('lastModEndDate')))
        if mode == 'notmod':   # every other feed: "not modified"
            self.send_response(304); self.end_headers(); return
        if mode == 'flaky' and n == 1:
            return self.reply(429)
        if mode == 'forbidden' and n == 1:
            return self.reply(403)
        if mode == 'always403':
            return self.reply(403)
        data = json.load(open(os.path.join(root, 'changes.json' if 'lastModStartDate' in q
                                           else 'full.json')))
        total = len(data)
        if mode == 'lie':
            total += 3
        if mode == 'bad' and start > 0:
            return self.reply(200, b'{"resultsPerPage": 2, "vulnerabilities": [')
        if mode == 'shifted':
            start += 1
        page = data[start:start + min(rpp, 2)]   # fewer than asked for, as NVD does
        body = {"resultsPerPage": len(page), "startIndex": int(q.get('startIndex', 0)),
                "totalResults": total, "format": "NVD_CVE", "version": "2.0",
                "timestamp": "2026-01-01T00:00:00.000", "vulnerabilities": page}
        self.reply(200, json.dumps(body).encode())
PY
serve_http "$TMP/server.py" "$TMP/www" "$TMP/log"

# the vectors a scan reports for libssl3's CVE-2023-5363, and the database's counts
vectors() {
    "$HULL" image --db "$DB" -f json "$IMG" > "$TMP/scan.json" 2>/dev/null
    $J 'import json,sys; d=json.load(open(sys.argv[1]))
v=[x for r in d["results"] for x in r["vulnerabilities"] if x["id"]=="CVE-2023-5363" and x["package"]["name"]=="libssl3"][0]
print(" ".join(sorted(c["vector"] for c in v["cvss"])))' "$TMP/scan.json"
}
counts() {
    "$HULL" db status --db "$DB" --format json | $J 'import json,sys; d=json.load(sys.stdin)
s=[x for x in d["sources"] if x["name"]=="nvd"]
f=[x for x in d["feeds"] if x["name"]=="nvd"]
print(d["counts"]["cvss"], s[0]["advisories"] if s else "-", s[0]["origin"] if s else "-",
      f[0]["url"] if f else "-")'
}

run 0 "$HULL" db update --list
printf '%s\n' "$OUT" > "$TMP/list"
like "$OUT" '^nvd +https://services.nvd.nist.gov/rest/json/cves/2.0  \(on request\)$' \
    "--list shows nvd, its URL, on request"
run 0 "$HULL" db update --help
like "$OUT" 'NVD_API_KEY' "--help names NVD_API_KEY"
before=$(vectors)
is "$before" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" "demo database: CSV vector"
is "$(counts)" "11 - - -" "demo database: no nvd source yet"

# the default set does not include nvd
: > "$TMP/log"
run 0 "$HULL" db update --db "$DB" --mirror "*=$U/notmod"
is "$(grep -c '^notmod start=-1 ' "$TMP/log")" "$(grep -vc '^nvd ' "$TMP/list")" \
    "no --source: every feed but nvd fetched"
is "$(grep -c 'start=0' "$TMP/log")" 0 "no --source: nvd not fetched"

# full download: 5 CVEs in 3 pages of 2 (the client asks for 2000), a 429 first, the API key
sum=$(cksum < "$DB")
: > "$TMP/log"
NVD_API_KEY=s3cret-key run 0 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/flaky/nvd"
is "$(cat "$TMP/log" | sed 's/ lms=.*//')" "flaky start=0 rpp=2000 key=s3cret-key
flaky start=0 rpp=2000 key=s3cret-key
flaky start=2 rpp=2000 key=s3cret-key
flaky start=4 rpp=2000 key=s3cret-key" "429 retried, then pages at startIndex 0, 2, 4 with apiKey"
unlike "$(cat "$TMP/log")" 'lms=20' "first download: no lastModStartDate"
unlike "$ERR" 's3cret' "the API key is not printed"
like "$ERR" '3 documents, 5 records' "3 pages imported"
# 11 CSV rows, CVE-2023-5363 now from NVD, 3 new scored CVEs (one unscored)
is "$(counts)" "14 4 $U/flaky/nvd $U/flaky/nvd" "status: cvss rows, nvd source and feed"
is "$(vectors)" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" "scan: NVD vector"
fetched=$("$HULL" db status --db "$DB" --format json | $J 'import json,sys
print([f["fetched_at"] for f in json.load(sys.stdin)["feeds"] if f["name"]=="nvd"][0])')

# incremental: the changes since the last fetch, upserted (a 403 first: rate limited)
sleep 1
: > "$TMP/log"
run 0 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/flaky/nvd"
like "$(cat "$TMP/log")" "^flaky start=0 rpp=2000 key=None lms=${fetched%Z}\\.000\\+00:00 lme=20[0-9-]+T[0-9:]+\\.000\\+00:00$" \
    "incremental: lastModStartDate is the last fetch, lastModEndDate now, no key unset"
is "$(grep -c . "$TMP/log")" 2 "incremental: 2 pages"
is "$(counts)" "14 4 $U/flaky/nvd $U/flaky/nvd" \
    "incremental: one CVE changed, one lost its metrics, one added; the others kept"
# the record's own vector, and the enrichment's, now the updated one
is "$(vectors)" "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N $before" "scan: the updated vector"
if command -v sqlite3 >/dev/null 2>&1; then
    is "$(sqlite3 "$DB" "SELECT cve FROM cvss WHERE source='nvd' ORDER BY cve" | tr '\n' ' ')" \
        "CVE-2014-6271 CVE-2021-44228 CVE-2023-5363 CVE-2099-0002 " "incremental: rows upserted"
fi
# without --source, a database holding nvd keeps it current (the other feeds answer 304)
: > "$TMP/log"
run 0 "$HULL" db update --db "$DB" --mirror "*=$U/notmod" --mirror "nvd=$U/flaky/nvd"
like "$(cat "$TMP/log")" '^flaky start=0 .*lms=20' "no --source: nvd kept current once in the database"
# another URL than the last fetch: a full download (a 403 first: rate limited)
: > "$TMP/log"
run 0 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/forbidden/nvd"
is "$(sed 's/ key.*//' "$TMP/log" | tr '\n' ' ')" \
    "forbidden start=0 rpp=2000 forbidden start=0 rpp=2000 forbidden start=2 rpp=2000 forbidden start=4 rpp=2000 " \
    "403 retried"
unlike "$(cat "$TMP/log")" 'lms=20' "another URL than the last fetch: full download"
if command -v sqlite3 >/dev/null 2>&1; then
    is "$(sqlite3 "$DB" "SELECT cve FROM cvss WHERE source='nvd' ORDER BY cve" | tr '\n' ' ')" \
        "CVE-2014-6271 CVE-2021-44228 CVE-2023-5363 CVE-2099-0001 " "full download: rows replaced"
fi

# failures: exit 3 (4 for HTTP), one line, database untouched
sum=$(cksum < "$DB")
run 3 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/lie/nvd"
one_line_error "totalResults lie"
like "$ERR" 'no results at startIndex 5 of totalResults 8' "the empty page is named"
run 3 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/bad/nvd"
one_line_error "malformed page"
like "$ERR" 'feed nvd: .*invalid JSON' "invalid JSON named"
run 3 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/shifted/nvd"
one_line_error "page that runs past totalResults"
run 4 "$HULL" db update --db "$DB" --source nvd --mirror "nvd=$U/always403/nvd"
like "$ERR" 'HTTP 403 \(gave up after retries\)' "persistent 403"
is "$(cksum < "$DB")" "$sum" "failed NVD updates left the database unchanged"
is "$(ls "$TMP" | grep -c 'n.sqlite.dl-')" 0 "download directory removed"
done_testing
