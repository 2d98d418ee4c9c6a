#!/bin/sh
# A registry that misbehaves (tests/cli/t8-httpd.py, a real HTTP server on 127.0.0.1): missing
# or wrong Docker-Content-Digest, tampered bytes, HTML pages, slow replies, 429 with
# Retry-After, oversized and schema-1 manifests, redirects, and the Bearer token dance.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t8-lib.inc"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
cat >"$TMP/spec.json" <<'J'
{"config": {"User": "7"}, "layers": [{"files": {"etc/os-release": "ID=served\n"}},
  {"files": {"app/data": "payload\n"}}]}
J
mkimg "$TMP/spec.json" "$TMP/layout"
python3 "$TOP/tests/cli/t8-httpd.py" "$TMP/layout" >"$TMP/port" 2>"$TMP/httpd.log" &
REG_PIDS="$!"
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
H=127.0.0.1:$(cat "$TMP/port")
A64=$(printf 'a%.0s' $(seq 64))
B64=$(printf 'b%.0s' $(seq 64))
MAN='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
MAN=$MAN'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'$A64'",'
MAN=$MAN'"size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",'
MAN=$MAN'"digest":"sha256:'$B64'","size":3}]}'
D="sha256:$(printf '%s' "$MAN" | sha256sum | cut -d' ' -f1)"
d() { "$HULL" digest --insecure --timeout 10 "$@"; }

run 0 d "$H/ok:1"
is "$OUT" "$D" "Docker-Content-Digest from HEAD"
run 0 d "$H/nodigest:1"
is "$OUT" "$D" "no Docker-Content-Digest: the exact bytes are hashed"
run 0 d --platform linux/amd64 "$H/nodigest:1"
is "$OUT" "$D" "no header, GET path: hashed bytes"
run 3 d --platform linux/amd64 "$H/baddigest:1"
one_line_error "Docker-Content-Digest mismatch"
like "$ERR" 'does not match' "header mismatch is reported"
run 3 d "$H/tamper@sha256:$(printf 'c%.0s' $(seq 64))"
one_line_error "bytes that do not hash to the requested digest"
like "$ERR" 'tampered' "by-digest mismatch says tampered"
run 4 d "$H/html:1"
one_line_error "HTML page with 200"
like "$ERR" 'HTML' "the error says HTML"
run 4 d "$H/html502:1"
one_line_error "HTML 502"
like "$ERR" 'HTML page' "502 with an HTML page"
run 4 d --timeout 1 "$H/slow:1"
one_line_error "slow reply"
like "$ERR" 'timed out' "slow reply: timed out"
run 0 d "$H/ratelimit:1"
is "$OUT" "$D" "429 with Retry-After: retried, then success"
is "$(curl -s "http://$H/count/ratelimit")" 3 "... after exactly two 429s"
run 4 d "$H/ratelong:1"
one_line_error "429 with a long Retry-After"
like "$ERR" 'rate limited.*3600' "the wait is reported, not slept"
is "$(curl -s "http://$H/count/ratelong")" 1 "... and no retry loop"
run 0 d --platform linux/amd64 "$H/ratelow:1"
like "$ERR" 'warning: .*only 3 manifest pulls left' "a nearly used-up rate limit is a warning"
run 0 "$HULL" -q digest --insecure --platform linux/amd64 "$H/ratelow:1"
is "$ERR" "" "... which -q silences"
run 3 d "$H/big:1"
one_line_error "5 MiB manifest"
like "$ERR" 'limit' "oversized manifest hits the limit"
run 7 d "$H/schema1:1"
one_line_error "schema 1"
like "$ERR" 'schema 1' "schema 1 is refused by name"
run 3 d --platform linux/amd64 "$H/notjson:1"
one_line_error "not JSON"
run 0 d --platform linux/amd64 "$H/redirect:1"
is "$OUT" "$D" "redirects are followed"
run 6 d "$H/absent:1"
one_line_error "404"

run 0 d "$H/public:1"
is "$OUT" "$D" "anonymous Bearer token dance"
printf 'tok-pass\n' >"$TMP/pw"
run 0 d --username tester --password-stdin "$H/private:1" <"$TMP/pw"
is "$OUT" "$D" "Bearer token with Basic credentials"
run 4 d "$H/private:1"
one_line_error "anonymous token refused"
printf 'nope-pass\n' >"$TMP/bad"
run 4 d --username tester --password-stdin "$H/private:1" <"$TMP/bad"
one_line_error "token server refuses wrong credentials"
like "$ERR" 'refused the credentials' "says the credentials were refused"
unlike "$ERR" 'nope-pass' "the password is not printed"
mkdir -p "$TMP/dc"
printf '{"auths": {"%s": {"identitytoken": "refresh-123"}}}\n' "$H" >"$TMP/dc/config.json"
run 0 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --insecure "$H/oauth:1"
is "$OUT" "$D" "identitytoken: OAuth2 refresh-token POST"
printf '{"auths": {"%s": {"identitytoken": "revoked"}}}\n' "$H" >"$TMP/dc/config.json"
run 4 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --insecure "$H/oauth:1"
one_line_error "revoked identity token"
unlike "$ERR" 'revoked' "the identity token is not printed"
# whole images: blobs behind redirects, and Bearer tokens that expire during the scan
cfg() { printf '%s\n' "$1" | sed -n 's/^Config: *//p'; }
run 0 "$HULL" inspect "oci:$TMP/layout"
want=$(cfg "$OUT")
run 0 "$HULL" inspect --insecure "$H/img:1"
is "$(cfg "$OUT")" "$want" "scan through blob redirects: same config as the layout"
like "$OUT" 'User: *7' "config fetched through the redirect"
run 0 "$HULL" inspect --insecure "$H/img-expiring:1"
is "$(cfg "$OUT")" "$want" "scan with tokens expiring mid-scan"
tokens=$(curl -s "http://$H/count/token")
[ "$tokens" -ge 2 ] && pass "a fresh token was fetched when the first expired ($tokens)" ||
    fail "a fresh token was fetched when the first expired" "tokens: $tokens"
run 4 d "$H/badchallenge:1"
one_line_error "unparsable challenge"
run 4 d "$H/nochallenge:1"
one_line_error "401 without a challenge"
done_testing
