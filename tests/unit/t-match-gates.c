/* The ignore file (.hullignore) and OpenVEX readers and their matching rules, from byte
 * arrays: every accepted form, every rejected line with its line number, expiry, alias and
 * package matching, VEX statuses, purl matching (version and qualifiers only when the product
 * names them) and statements that cover a whole image. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/match.h"

static struct hull_pkg lodash = { .type = HULL_PKG_NPM, .name = (char *)"lodash",
                                  .version = (char *)"4.17.15",
                                  .purl = (char *)"pkg:npm/lodash@4.17.15" };
static struct hull_pkg libssl = {
    .type = HULL_PKG_DPKG, .name = (char *)"libssl3", .version = (char *)"3.0.11-1~deb12u1",
    .purl = (char *)"pkg:deb/debian/libssl3@3.0.11-1~deb12u1"
                    "?arch=amd64&distro=debian-12.2&upstream=openssl" };
static char *lodash_ids[] = { (char *)"CVE-2020-8203", (char *)"GHSA-p6mc-m468-83gw" };
static char *ssl_ids[] = { (char *)"CVE-2023-5363", (char *)"DEBIAN-CVE-2023-5363" };

static struct hull_finding fd_lodash(void)
{
    return (struct hull_finding){ .pkg = &lodash, .id = lodash_ids[0], .ids = lodash_ids,
                                  .n_ids = 2 };
}

static struct hull_finding fd_ssl(void)
{
    return (struct hull_finding){ .pkg = &libssl, .id = ssl_ids[0], .ids = ssl_ids,
                                  .n_ids = 2 };
}

static struct hull_ignorefile *ign(const char *text, struct hull_err **err)
{
    return hull_ignorefile_parse("t.ignore", text, strlen(text), err);
}

static void test_ignore_parse(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_ignorefile *f =
        ign("\xef\xbb\xbf# header\n\n  CVE-2023-5363\tlibssl3 # why\r\n"
            "ghsa-p6mc-m468-83gw\nCVE-2024-1 pkg exp:2024-02-29\nCVE-2024-2 exp:2030-01-01", &err);
    assert_non_null(f);
    assert_int_equal(f->n_rules, 4);
    assert_string_equal(f->rules[0].id, "CVE-2023-5363");
    assert_string_equal(f->rules[0].pkg, "libssl3");
    assert_int_equal(f->rules[0].line, 3);
    assert_null(f->rules[1].pkg);
    assert_int_equal(f->rules[2].exp_ymd, 20240229);
    assert_string_equal(f->rules[2].pkg, "pkg");
    assert_null(f->rules[3].pkg);
    assert_int_equal(f->rules[3].exp_ymd, 20300101);
    hull_ignorefile_free(f);

    static const struct { const char *text, *want; } bad[] = {
        { "CVE-1\nCVE-2 a b\n", "t.ignore:2: too many fields" },
        { "CVE-1 exp:2023-02-29\n", "t.ignore:1: invalid expiry date" },
        { "CVE-1 exp:2023-13-01\n", "t.ignore:1: invalid expiry" },
        { "CVE-1 exp:20230101\n", "t.ignore:1: invalid expiry" },
        { "CVE-1 exp:2023-01-01 pkg\n", "t.ignore:1: exp:YYYY-MM-DD must be the last field" },
        { "exp:2023-01-01\n", "t.ignore:1: the line starts with an expiry date" },
        { "\n\nCVE-1\x01x\n", "t.ignore:3: control character" },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        err = NULL;
        assert_null(ign(bad[i].text, &err));
        assert_non_null(err);
        assert_int_equal(err->code, HULL_E_PARSE);
        assert_non_null(strstr(err->msg, bad[i].want));
        hull_err_free(err);
    }
    char *big = malloc(5000);
    memset(big, 'A', 4999);
    big[4999] = 0;
    err = NULL;
    assert_null(ign(big, &err));
    assert_non_null(strstr(err->msg, "line too long"));
    hull_err_free(err);
    free(big);
    err = NULL;
    assert_null(hull_ignorefile_load("/nonexistent/.hullignore", &err));
    assert_int_equal(err->code, HULL_E_NOTFOUND);
    hull_err_free(err);
}

static void test_ignore_match(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_ignorefile *f = ign("CVE-2023-5363 openssl\nghsa-p6mc-m468-83gw exp:2024-06-30\n",
                                    &err);
    struct hull_finding a = fd_lodash(), b = fd_ssl();
    assert_non_null(hull_ignorefile_match(f, &a, 20240630)); /* alias, case-insensitive */
    assert_null(hull_ignorefile_match(f, &a, 20240701));     /* expired the day after */
    assert_null(hull_ignorefile_match(f, &b, 20240101));     /* other package */
    hull_ignorefile_free(f);
    f = ign("DEBIAN-CVE-2023-5363\n", &err);
    assert_non_null(hull_ignorefile_match(f, &b, 20240101));
    assert_null(hull_ignorefile_match(f, &a, 20240101));
    hull_ignorefile_free(f);
}

static struct hull_vex *vex(const char *text, struct hull_err **err)
{
    return hull_vex_parse("t.vex", text, strlen(text), err);
}

#define CTX "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["

static void test_vex_parse(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_vex *v = vex(CTX
        "{\"vulnerability\": {\"name\": \"CVE-2020-8203\", \"aliases\": [\"GHSA-x\"]},"
        " \"products\": [{\"@id\": \"pkg:npm/lodash\"}], \"status\": \"not_affected\","
        " \"justification\": \"inline_mitigations_already_exist\"},"
        "{\"vulnerability\": \"CVE-2023-5363\", \"products\": [\"pkg:oci/app@sha256:ab\"],"
        " \"status\": \"fixed\"},"
        "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:oci/app\","
        " \"subcomponents\": [{\"@id\": \"pkg:npm/lodash@4.17.15\"}]}],"
        " \"status\": \"affected\"}]}",
        &err);
    assert_non_null(v);
    assert_int_equal(v->n_stmts, 3);
    assert_int_equal(v->stmts[0].n_vulns, 2);
    assert_string_equal(v->stmts[0].justification, "inline_mitigations_already_exist");
    assert_true(v->stmts[1].all_packages);
    assert_false(v->stmts[2].all_packages);
    assert_string_equal(v->stmts[2].products[0], "pkg:npm/lodash@4.17.15");
    hull_vex_free(v);

    static const char *const bad[] = {
        "[]",
        "{\"statements\": []}",
        CTX "{\"products\": [\"pkg:npm/a\"], \"status\": \"fixed\"}]}",
        CTX "{\"vulnerability\": \"CVE-1\", \"products\": [], \"status\": \"fixed\"}]}",
        CTX "{\"vulnerability\": \"CVE-1\", \"products\": [\"pkg:npm/a\"], \"status\": \"ok\"}]}",
        CTX "{\"vulnerability\": \"CVE-1\", \"products\": [{}], \"status\": \"fixed\"}]}",
        CTX "{\"vulnerability\": {\"name\": \"CVE-1\", \"aliases\": \"x\"},"
            " \"products\": [\"pkg:npm/a\"], \"status\": \"fixed\"}]}",
        CTX "7]}",
        CTX,
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        err = NULL;
        assert_null(vex(bad[i], &err));
        assert_non_null(err);
        assert_int_equal(err->code, HULL_E_PARSE);
        assert_non_null(strstr(err->msg, "t.vex"));
        hull_err_free(err);
    }
}

static void test_vex_match(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_finding a = fd_lodash(), b = fd_ssl();
    static const struct { const char *product; bool lodash, ssl; } cases[] = {
        { "\"pkg:npm/lodash\"", true, false },
        { "\"pkg:npm/lodash@4.17.15\"", true, false },
        { "\"pkg:npm/lodash@4.17.16\"", false, false },
        { "\"pkg:npm/LODASH\"", true, false },
        { "\"pkg:deb/debian/libssl3\"", false, true },
        { "\"pkg:deb/debian/libssl3?arch=amd64\"", false, true },
        { "\"pkg:deb/debian/libssl3?arch=arm64\"", false, false },
        { "\"pkg:deb/ubuntu/libssl3\"", false, false },
        /* one qualifier whose value holds an encoded '&' is not two qualifiers */
        { "\"pkg:deb/debian/libssl3?arch=amd64%26distro=debian-12.2\"", false, false },
        { "\"pkg:deb/debian/libssl3?distro=debian-12.2&arch=amd64\"", false, true },
        { "\"PKG:npm/lodash\"", true, false },
        { "\"pkg:oci/app\"", true, true },
        { "{\"@id\": \"pkg:oci/app\", \"subcomponents\": [{\"@id\": \"pkg:deb/debian/libssl3\"}]}",
          false, true },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        char doc[1024];
        snprintf(doc, sizeof(doc), CTX "{\"vulnerability\": {\"name\": \"X\", \"aliases\": "
                 "[\"GHSA-p6mc-m468-83gw\", \"DEBIAN-CVE-2023-5363\"]}, \"products\": [%s], "
                 "\"status\": \"not_affected\"}]}", cases[i].product);
        struct hull_vex *v = vex(doc, &err);
        assert_non_null(v);
        assert_int_equal(hull_vex_match(v, &a) != NULL, cases[i].lodash);
        assert_int_equal(hull_vex_match(v, &b) != NULL, cases[i].ssl);
        hull_vex_free(v);
    }
    /* affected / under_investigation never suppress; another vulnerability never matches */
    struct hull_vex *v = vex(CTX "{\"vulnerability\": \"CVE-2020-8203\", \"products\": "
                             "[\"pkg:npm/lodash\"], \"status\": \"under_investigation\"},"
                             "{\"vulnerability\": \"CVE-2020-9999\", \"products\": "
                             "[\"pkg:npm/lodash\"], \"status\": \"fixed\"}]}", &err);
    assert_non_null(v);
    assert_null(hull_vex_match(v, &a));
    hull_vex_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ignore_parse),
        cmocka_unit_test(test_ignore_match),
        cmocka_unit_test(test_vex_parse),
        cmocka_unit_test(test_vex_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
