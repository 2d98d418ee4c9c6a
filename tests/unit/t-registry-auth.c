/* WWW-Authenticate parsing, config.json credentials, Basic headers, realm address checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "registry/auth.h"
#include <sys/stat.h>
#include <unistd.h>

static void test_challenges(void **state)
{
    (void)state;
    struct hull_challenge c[HULL_MAX_CHALLENGES];
    size_t n = 0;
    struct hull_err *e = NULL;
    const char *h = "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    "scope=\"repository:library/node:pull\"";
    assert_int_equal(hull_wwwauth_parse(h, strlen(h), c, HULL_MAX_CHALLENGES, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].scheme, "bearer");
    assert_string_equal(c[0].realm, "https://auth.docker.io/token");
    assert_string_equal(c[0].service, "registry.docker.io");
    assert_string_equal(c[0].scope, "repository:library/node:pull");
    hull_challenge_release(&c[0]);

    /* two challenges in one header (Codeberg), token values, escapes, odd spacing */
    h = "Basic realm=\"x \\\"q\\\" y\" , BEARER realm=https://t.example/token, service=svc,"
        "error=insufficient_scope";
    assert_int_equal(hull_wwwauth_parse(h, strlen(h), c, HULL_MAX_CHALLENGES, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].scheme, "basic");
    assert_string_equal(c[0].realm, "x \"q\" y");
    assert_string_equal(c[1].scheme, "bearer");
    assert_string_equal(c[1].realm, "https://t.example/token");
    assert_string_equal(c[1].service, "svc");
    assert_null(c[1].scope);
    hull_challenge_release(&c[0]);
    hull_challenge_release(&c[1]);

    /* token68 and a bare scheme */
    h = "Negotiate abc123==, Basic";
    assert_int_equal(hull_wwwauth_parse(h, strlen(h), c, HULL_MAX_CHALLENGES, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].scheme, "negotiate");
    assert_string_equal(c[1].scheme, "basic");
    hull_challenge_release(&c[0]);
    hull_challenge_release(&c[1]);

    static const char *const bad[] = {
        "Bearer realm=\"unterminated", "Bearer realm=\"a\" junk", "=x", "Bearer realm=\"a\",=b",
        "Bearer realm=\"a\x01\"",
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        n = 99;
        if (hull_wwwauth_parse(bad[i], strlen(bad[i]), c, HULL_MAX_CHALLENGES, &n, &e) == 0)
            fail_msg("accepted malformed challenge '%s'", bad[i]);
        assert_int_equal(e->code, HULL_E_PARSE);
        assert_int_equal(n, 0);
        hull_err_clear(&e);
    }
    /* the length bounds the parse: no reading past len */
    h = "Bearer realm=\"https://a/t\"ZZZZ";
    assert_int_equal(hull_wwwauth_parse(h, strlen(h) - 4, c, HULL_MAX_CHALLENGES, &n, &e), 0);
    assert_string_equal(c[0].realm, "https://a/t");
    hull_challenge_release(&c[0]);
}

static char dir[64];

static void write_config(const char *json)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/config.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
}

static void test_config(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/hull-t-auth.123456");
    memset(dir + strlen(dir) - 6, 'X', 6); /* mkdtemp's template */
    assert_non_null(mkdtemp(dir));
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_creds cr;
    struct hull_err *e = NULL;

    /* "dXNlcjpwYTpzcw==" is base64("user:pa:ss"): split on the first colon */
    write_config("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"dXNlcjpwYTpzcw==\"},"
                 " \"http://reg.example:5000/v2/\": {\"username\": \"u2\", \"password\": \"p2\"},"
                 " \"tok.example\": {\"registrytoken\": \"rt\"}}}");
    assert_int_equal(hull_creds_lookup(&ctx, dir, "docker.io", &cr, &e), 0);
    assert_string_equal(cr.username, "user");
    assert_string_equal(cr.password, "pa:ss");
    hull_creds_release(&cr);
    assert_int_equal(hull_creds_lookup(&ctx, dir, "reg.example:5000", &cr, &e), 0);
    assert_string_equal(cr.username, "u2");
    assert_string_equal(cr.password, "p2");
    hull_creds_release(&cr);
    assert_int_equal(hull_creds_lookup(&ctx, dir, "tok.example", &cr, &e), 0);
    assert_string_equal(cr.registry_token, "rt");
    assert_true(hull_creds_present(&cr));
    hull_creds_release(&cr);
    assert_int_equal(hull_creds_lookup(&ctx, dir, "other.example", &cr, &e), 0);
    assert_false(hull_creds_present(&cr));
    hull_creds_release(&cr);

    write_config("{\"auths\": {\"a.example\": {\"auth\": \"bm9jb2xvbg==\"}}}"); /* "nocolon" */
    assert_true(hull_creds_lookup(&ctx, dir, "a.example", &cr, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_null(strstr(e->msg, "nocolon"));
    hull_err_clear(&e);
    write_config("{\"auths\": ");
    assert_true(hull_creds_lookup(&ctx, dir, "a.example", &cr, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    /* a helper that does not exist: warning, anonymous */
    write_config("{\"credHelpers\": {\"a.example\": \"hull-no-such-helper\"}}");
    assert_int_equal(hull_creds_lookup(&ctx, dir, "a.example", &cr, &e), 0);
    assert_false(hull_creds_present(&cr));
    hull_creds_release(&cr);
    write_config("{\"credsStore\": \"../../bin/sh\"}");
    assert_int_equal(hull_creds_lookup(&ctx, dir, "a.example", &cr, &e), 0);
    assert_false(hull_creds_present(&cr));
    hull_creds_release(&cr);

    char path[128];
    snprintf(path, sizeof(path), "%s/config.json", dir);
    unlink(path);
    assert_int_equal(hull_creds_lookup(&ctx, dir, "a.example", &cr, &e), 0);
    assert_false(hull_creds_present(&cr));
    rmdir(dir);
}

static void test_basic_and_urls(void **state)
{
    (void)state;
    char *b = hull_auth_basic("Aladdin", "open sesame");
    assert_string_equal(b, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    free(b);
    assert_true(hull_http_url_is_local("http://127.0.0.1:5000/token"));
    assert_true(hull_http_url_is_local("https://localhost/token"));
    assert_true(hull_http_url_is_local("https://10.1.2.3/t"));
    assert_true(hull_http_url_is_local("https://172.20.0.1/t"));
    assert_true(hull_http_url_is_local("https://192.168.1.1/t"));
    assert_true(hull_http_url_is_local("https://169.254.169.254/latest"));
    assert_true(hull_http_url_is_local("https://[::1]:8443/t"));
    assert_true(hull_http_url_is_local("https://[fe80::1]/t"));
    assert_false(hull_http_url_is_local("https://auth.docker.io/token"));
    assert_false(hull_http_url_is_local("https://172.32.0.1/t"));
    assert_false(hull_http_url_is_local("https://8.8.8.8/t"));
    char o[64];
    assert_true(hull_http_url_origin("HTTPS://Auth.Example:443/token?x=1", o, sizeof(o)));
    assert_string_equal(o, "https://auth.example:443");
    assert_false(hull_http_url_origin("ftp://x/y", o, sizeof(o)));
    assert_false(hull_http_url_origin("https://user:pw@x/y", o, sizeof(o)));
    assert_false(hull_http_url_origin("https:///y", o, sizeof(o)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenges),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_basic_and_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
