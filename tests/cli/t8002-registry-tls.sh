#!/bin/sh
# Registry over TLS with a generated CA and htpasswd basic auth: CA trust (--ca-cert,
# SSL_CERT_FILE), credentials (--username/--password-stdin, config.json auths, credHelpers
# through a real docker-credential-* helper program, credsStore), wrong and missing
# credentials; the password never shows up in any output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t8-lib.inc"
need_registry_tools
cat >"$TMP/spec.json" <<'J'
{"layers": [{"created_by": "ADD rootfs", "files": {"etc/os-release": "ID=hulltls\n"}}]}
J
mkimg "$TMP/spec.json" "$TMP/img" --platforms linux/amd64,linux/arm64
reg_start --tls-auth
reg_push "oci:$TMP/img:latest" priv/app:2 --all
R=$REG_HOST/priv/app:2
WANT=$(skopeo_digest "$R" --cert-dir "$REG_DIR" --creds tester:s3cret-pass)
PASS=s3cret-pass
export DOCKER_CONFIG="$TMP/noconfig"

printf '%s\n' "$PASS" >"$TMP/pw"
run 0 "$HULL" digest --ca-cert "$REG_CA" --username tester --password-stdin "$R" <"$TMP/pw"
is "$OUT" "$WANT" "--ca-cert + --username/--password-stdin: digest equals skopeo's"
run 0 env SSL_CERT_FILE="$REG_CA" "$HULL" digest --username tester --password-stdin "$R" <"$TMP/pw"
is "$OUT" "$WANT" "SSL_CERT_FILE trusts the CA"
run 4 "$HULL" digest --username tester --password-stdin "$R" <"$TMP/pw"
one_line_error "untrusted certificate"
like "$ERR" 'ca-cert' "the TLS error hints at --ca-cert"
run 6 "$HULL" digest --ca-cert "$TMP/no-such-ca.pem" "$R"
one_line_error "missing CA file"

printf 'wrong-pass\n' >"$TMP/badpw"
run 4 "$HULL" digest --ca-cert "$REG_CA" --username tester --password-stdin "$R" <"$TMP/badpw"
one_line_error "wrong password"
like "$ERR" 'authentication failed' "wrong password: authentication failed"
unlike "$ERR$OUT" 'wrong-pass' "the wrong password is not printed"
run 4 "$HULL" digest --ca-cert "$REG_CA" "$R"
one_line_error "no credentials"
like "$ERR" 'no credentials' "no credentials: says so"
run 6 "$HULL" -d digest --ca-cert "$REG_CA" --username tester --password-stdin "$REG_HOST/priv/app:nope" <"$TMP/pw"
unlike "$ERR$OUT" "$PASS" "debug output never shows the password"

# a token realm on plain http behind a TLS registry: credentials must not go there
HTTPD_CERT="$REG_CA" HTTPD_KEY="$REG_DIR/key.pem" python3 "$TOP/tests/cli/t8-httpd.py" \
    >"$TMP/port" 2>"$TMP/httpd.log" &
REG_PIDS="$REG_PIDS $!"
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run 4 "$HULL" digest --ca-cert "$REG_CA" --username tester --password-stdin \
    "127.0.0.1:$(cat "$TMP/port")/httprealm:1" <"$TMP/pw"
one_line_error "plain-http realm"
like "$ERR" 'not https; refusing' "an http realm behind https is refused"

# config.json auths (base64 user:password), keyed by host
mkdir -p "$TMP/dc"
auth=$(printf 'tester:%s' "$PASS" | base64)
printf '{"auths": {"https://%s": {"auth": "%s"}}}\n' "$REG_HOST" "$auth" >"$TMP/dc/config.json"
run 0 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
is "$OUT" "$WANT" "credentials from DOCKER_CONFIG/config.json auths"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$REG_HOST" "$(printf 'tester:nope' | base64)" \
    >"$TMP/dc/config.json"
run 4 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
one_line_error "wrong password from config.json"
printf '{"auths": {"%s": {"auth": "%%%%%%"}}}\n' "$REG_HOST" >"$TMP/dc/config.json"
run 3 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
one_line_error "auth that is not base64"
printf '{"auths": ' >"$TMP/dc/config.json"
run 3 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
one_line_error "broken config.json"

# a credential helper: docker-credential-NAME get, server URL on stdin, JSON on stdout
mkdir -p "$TMP/bin"
cat >"$TMP/bin/docker-credential-hulltest" <<H
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r server
echo "\$server" >"$TMP/helper-asked"
printf '{"ServerURL":"%s","Username":"tester","Secret":"$PASS"}\n' "\$server"
H
chmod +x "$TMP/bin/docker-credential-hulltest"
printf '{"credHelpers": {"%s": "hulltest"}, "auths": {"%s": {"auth": "%s"}}}\n' "$REG_HOST" \
    "$REG_HOST" "$(printf 'tester:nope' | base64)" >"$TMP/dc/config.json"
run 0 env PATH="$TMP/bin:$PATH" DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
is "$OUT" "$WANT" "credHelpers: the helper's credentials are used"
is "$(cat "$TMP/helper-asked")" "$REG_HOST" "the helper was asked for this registry"
printf '{"credsStore": "hulltest"}\n' >"$TMP/dc/config.json"
run 0 env PATH="$TMP/bin:$PATH" DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
is "$OUT" "$WANT" "credsStore: the default helper is used"
printf '{"credsStore": "absent-helper"}\n' >"$TMP/dc/config.json"
run 4 env DOCKER_CONFIG="$TMP/dc" "$HULL" digest --ca-cert "$REG_CA" "$R"
like "$ERR" 'warning: .*absent-helper' "a missing helper is a warning, then anonymous"
like "$ERR" 'no credentials' "... and the login fails clearly"
done_testing
