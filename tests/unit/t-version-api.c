/* The version API beyond the data tables: ecosystem names, error values and messages,
 * (pointer, length) inputs without a NUL or with an embedded NUL, white space, and npm range
 * satisfaction cases (the differential test t3002 checks thousands more against node). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/version.h"

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = { "deb", "apk", "rpm", "npm", "pypi", "golang", "maven",
                                         "gem" };
    static const enum hull_eco ecos[] = { HULL_ECO_DEB,  HULL_ECO_APK,    HULL_ECO_RPM,
                                          HULL_ECO_NPM,  HULL_ECO_PYPI,   HULL_ECO_GOLANG,
                                          HULL_ECO_MAVEN, HULL_ECO_GEM };
    for (size_t i = 0; i < HULL_ARRAY_LEN(names); i++) {
        enum hull_eco e = HULL_ECO__COUNT;
        assert_int_equal(hull_eco_from_name(names[i], &e), 0);
        assert_int_equal(e, ecos[i]);
        assert_string_equal(hull_eco_name(e), names[i]);
    }
    enum hull_eco e;
    assert_int_equal(hull_eco_from_name("cargo", &e), -1);
    assert_int_equal(hull_eco_from_name("", &e), -1);
    assert_int_equal(hull_eco_from_name("DEB", &e), -1);
    assert_int_equal(hull_eco_from_name(NULL, &e), -1);
    assert_string_equal(hull_eco_name(HULL_ECO__COUNT), "?");
}

static int cmp(enum hull_eco eco, const char *a, const char *b)
{
    int c = 9;
    struct hull_err *err = NULL;
    int r = hull_version_cmp(eco, a, strlen(a), b, strlen(b), &c, &err);
    if (r < 0) {
        hull_err_free(err);
        return 99;
    }
    return c;
}

static void test_errors(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    int c = 7;
    assert_int_equal(hull_version_cmp(HULL_ECO_NPM, "1.0", 3, "1.0.0", 5, &c, &err),
                     -HULL_E_PARSE);
    assert_int_equal(c, 7); /* untouched on failure */
    assert_non_null(strstr(err->msg, "npm version \"1.0\""));
    hull_err_free(err);
    err = NULL;
    /* the second version is named when it is the bad one */
    assert_int_equal(hull_version_cmp(HULL_ECO_DEB, "1.0", 3, "1:", 2, &c, &err), -HULL_E_PARSE);
    assert_non_null(strstr(err->msg, "\"1:\""));
    assert_non_null(strstr(err->msg, "nothing after colon"));
    hull_err_free(err);
    err = NULL;
    assert_int_equal(hull_version_cmp(HULL_ECO__COUNT, "1", 1, "1", 1, &c, &err), -HULL_E_USAGE);
    hull_err_free(err);
    /* a long hostile version is quoted shortened, control bytes folded by err.c */
    char big[300];
    memset(big, '\x01', sizeof(big));
    err = NULL;
    assert_int_equal(hull_version_cmp(HULL_ECO_MAVEN, big, sizeof(big), "1", 1, &c, &err),
                     -HULL_E_PARSE);
    assert_true(strlen(err->msg) < 200);
    assert_null(strchr(err->msg, '\x01'));
    hull_err_free(err);
    /* err may be NULL */
    assert_int_equal(hull_version_cmp(HULL_ECO_APK, "x", 1, "1", 1, &c, NULL), -HULL_E_PARSE);
    const char *why = NULL;
    assert_false(hull_version_check(HULL_ECO_GOLANG, "1.0.0", 5, &why));
    assert_non_null(why);
    assert_true(hull_version_check(HULL_ECO_GOLANG, "v1.0.0", 6, &why));
    assert_null(why);
}

static void test_lengths(void **state)
{
    (void)state;
    /* no NUL needed: the length bounds the version */
    const char buf[] = { '1', '.', '0', '~', 'r', 'c', '1', 'X' };
    int c = 9;
    assert_int_equal(hull_version_cmp(HULL_ECO_DEB, buf, 7, "1.0", 3, &c, NULL), 0);
    assert_int_equal(c, -1);
    assert_int_equal(hull_version_cmp(HULL_ECO_DEB, buf, 3, "1.0", 3, &c, NULL), 0);
    assert_int_equal(c, 0);
    /* an embedded NUL is an invalid byte, never an early end */
    for (int e = 0; e < HULL_ECO__COUNT; e++) {
        assert_false(hull_version_valid((enum hull_eco)e, "1.0\0.1", 6));
        assert_false(hull_version_valid((enum hull_eco)e, "", 0) && e != HULL_ECO_GEM);
        assert_false(hull_version_valid((enum hull_eco)e, NULL, 0) && e != HULL_ECO_GEM);
    }
    /* gem: blank means 0 */
    assert_int_equal(cmp(HULL_ECO_GEM, "", "0"), 0);
}

static void test_whitespace(void **state)
{
    (void)state;
    assert_int_equal(cmp(HULL_ECO_PYPI, " 1.0\t", "1.0"), 0);
    assert_int_equal(cmp(HULL_ECO_NPM, "\n1.0.0 ", "1.0.0"), 0);
    assert_int_equal(cmp(HULL_ECO_GEM, " 1.0 ", "1"), 0);
    assert_int_equal(cmp(HULL_ECO_DEB, " 1.0\t", "1.0"), 0);
    assert_int_equal(cmp(HULL_ECO_DEB, "1. 0", "1.0"), 99);
    assert_int_equal(cmp(HULL_ECO_GOLANG, " v1.0.0", "v1.0.0"), 99);
    assert_int_equal(cmp(HULL_ECO_APK, "1.0 ", "1.0"), 99);
    assert_int_equal(cmp(HULL_ECO_RPM, "1.0 ", "1.0"), 99);
    assert_int_equal(cmp(HULL_ECO_MAVEN, "1.0 ", "1.0"), 99);
    /* npm: at most 256 bytes, counted before trimming, like node-semver */
    char v[300];
    memset(v, ' ', sizeof(v));
    memcpy(v + 100, "1.2.3", 5);
    v[299] = 0;
    assert_int_equal(cmp(HULL_ECO_NPM, v, "1.2.3"), 99);
    v[250] = 0;
    assert_int_equal(cmp(HULL_ECO_NPM, v, "1.2.3"), 0);
}

static int sat(const char *v, const char *r)
{
    bool ok = false;
    struct hull_err *err = NULL;
    if (hull_semver_satisfies(v, r, &ok, &err) < 0) {
        assert_int_equal(err->code, HULL_E_PARSE);
        hull_err_free(err);
        return -1;
    }
    return ok;
}

static void test_satisfies(void **state)
{
    (void)state;
    assert_int_equal(sat("1.2.3", "^1.2.3"), 1);
    assert_int_equal(sat("2.0.0", "^1.2.3"), 0);
    assert_int_equal(sat("0.2.9", "^0.2.3"), 1);
    assert_int_equal(sat("0.3.0", "^0.2.3"), 0);
    assert_int_equal(sat("0.0.3", "^0.0.3"), 1);
    assert_int_equal(sat("0.0.4", "^0.0.3"), 0);
    assert_int_equal(sat("1.2.9", "~1.2.3"), 1);
    assert_int_equal(sat("1.3.0", "~1.2.3"), 0);
    assert_int_equal(sat("1.9.9", "1.x"), 1);
    assert_int_equal(sat("2.0.0", "1.x"), 0);
    assert_int_equal(sat("2.3.4", "1.2 - 2.3.4"), 1);
    assert_int_equal(sat("2.3.5", "1.2 - 2.3.4"), 0);
    assert_int_equal(sat("2.3.9", "1.2.3 - 2.3"), 1);
    assert_int_equal(sat("3.0.0", ">=1 <2 || >=3"), 1);
    assert_int_equal(sat("1.2.4-beta", "^1.2.3"), 0);        /* pre-release of another tuple */
    assert_int_equal(sat("1.2.3-beta.2", "^1.2.3-beta.1"), 1); /* same tuple */
    assert_int_equal(sat("1.2.3-alpha", "*"), 0);
    assert_int_equal(sat("1.2.3-alpha", "* || 1.2.3-alpha"), 0); /* "*" set wins */
    assert_int_equal(sat("1.2.3-alpha", "1.2.3-alpha || 2"), 1);
    assert_int_equal(sat("1.0.0", ""), 1);
    assert_int_equal(sat("1.0.0", "<0.0.0-0"), 0);
    assert_int_equal(sat("1.0.0", ">*"), 0);
    assert_int_equal(sat("v1.0.0", "=1.0.0"), 1);
    assert_int_equal(sat("1.0.0", ">= foo"), -1);
    assert_int_equal(sat("1.0.0", "1.x.3"), -1);
    assert_int_equal(sat("1.0", "*"), -1);
    bool ok;
    assert_int_equal(hull_semver_satisfies(NULL, "*", &ok, NULL), -HULL_E_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_lengths),    cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_satisfies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
