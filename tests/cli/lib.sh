# TAP helpers for CLI tests (sourced). Each test drives the real binary: $HULL.
#   . "$(dirname "$0")/lib.sh"
#   plan 3 ; run 0 "$HULL" --version ; like "$OUT" 'hull ' "prints version" ; done_testing
set -u
: "${HULL:?HULL must name the hull binary}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${HULL_SHARED:-$TOP/../shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hull-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
_n=0
_failed=0
_planned=""
export NO_COLOR=1
export HULL_DB="$TMP/no-such-db.sqlite"
export XDG_CACHE_HOME="$TMP/cache"

plan() { _planned=$1; echo "1..$1"; }
ok() { # ok COND_STATUS NAME
    _n=$((_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
pass() { ok 0 "$1"; }
fail() { ok 1 "$1"; [ $# -gt 1 ] && diag "$2"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
# run EXPECTED_EXIT CMD...: runs CMD, stdout in $OUT, stderr in $ERR, status in $RC; records a test
run() {
    _want=$1; shift
    set +e
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    RC=$?
    set -e 2>/dev/null || true
    set +e
    OUT=$(cat "$TMP/.out"); ERR=$(cat "$TMP/.err")
    if [ "$RC" -eq "$_want" ]; then pass "exit $_want: $*"
    else fail "exit $_want: $* (got $RC)" "stderr: $ERR"; fi
}
is() { # is GOT WANT NAME
    if [ "$1" = "$2" ]; then pass "$3"; else fail "$3" "got:  $1" "want: $2"; fi
}
like() { # like TEXT REGEX NAME (grep -E)
    if printf '%s\n' "$1" | grep -qE -- "$2"; then pass "$3"; else fail "$3" "no match for /$2/ in:" "$1"; fi
}
unlike() {
    if printf '%s\n' "$1" | grep -qE -- "$2"; then fail "$3" "unexpected match for /$2/"; else pass "$3"; fi
}
# The stderr of a failure must be exactly one line, "hull: ...".
one_line_error() {
    _lines=$(printf '%s\n' "$ERR" | grep -c .)
    if [ "$_lines" -eq 1 ] && printf '%s' "$ERR" | grep -q '^hull'; then pass "$1: one-line error"
    else fail "$1: one-line error" "$ERR"; fi
}
need_shared() { # skip the whole file when ../shared is missing
    if [ ! -d "$SHARED/images" ]; then echo "1..0 # SKIP ../shared not present ($SHARED)"; exit 0; fi
}
# serve_http SCRIPT ROOT LOG: run the python3 HTTP handler SCRIPT (it defines class H and reads
# root, portfile, log from argv) on 127.0.0.1 at a free port; sets SRV (its pid) and U (its
# base URL). The server is stopped when the test exits.
serve_http() {
    cat >> "$1" <<'PY'
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(s.server_address[1]))
os.rename(portfile + '.tmp', portfile)
s.serve_forever()
PY
    rm -f "$TMP/port"
    python3 "$1" "$2" "$TMP/port" "$3" &
    SRV=$!
    trap 'kill $SRV 2>/dev/null; rm -rf "$TMP"' EXIT
    _i=0
    while [ ! -s "$TMP/port" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
    U="http://127.0.0.1:$(cat "$TMP/port")"
}

done_testing() {
    [ -z "$_planned" ] && echo "1..$_n"
    [ "$_failed" -eq 0 ]
}
