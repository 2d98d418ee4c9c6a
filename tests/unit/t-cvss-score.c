/* CVSS v2 / v3.0 / v3.1 / v4.0 base scores against the specifications' published examples
 * (tests/data/vuln/cvss-examples.txt: one "SCORE VERSION VECTOR" per line). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include "core/common.h"
#include "hull/vulndb.h"

static void test_examples(void **state)
{
    (void)state;
    const char *top = getenv("HULL_SRCDIR") ? getenv("HULL_SRCDIR") : ".";
    char path[4096];
    snprintf(path, sizeof(path), "%s/tests/data/vuln/cvss-examples.txt", top);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int n = 0, bad = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        double want;
        int wver;
        char vec[400];
        if (sscanf(line, "%lf %d %399s", &want, &wver, vec) != 3)
            fail_msg("bad line: %s", line);
        int ver = -1;
        double got = hull_cvss_score(vec, &ver);
        if (fabs(got - want) > 0.001 || ver != wver) {
            print_message("# %s: got %.1f (v%d), want %.1f (v%d)\n", vec, got, ver, want, wver);
            bad++;
        }
        n++;
    }
    fclose(f);
    assert_true(n >= 30);
    assert_int_equal(bad, 0);
}

static void test_rating(void **state)
{
    (void)state;
    assert_string_equal(hull_cvss_rating(0.0), "NONE");
    assert_string_equal(hull_cvss_rating(3.9), "LOW");
    assert_string_equal(hull_cvss_rating(4.0), "MEDIUM");
    assert_string_equal(hull_cvss_rating(7.0), "HIGH");
    assert_string_equal(hull_cvss_rating(9.0), "CRITICAL");
    assert_string_equal(hull_cvss_rating(-1), "UNKNOWN");
    assert_true(hull_cvss_score(NULL, NULL) < 0);
    /* an over-long vector is rejected without reading past its end */
    char big[1024];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    assert_true(hull_cvss_score(big, NULL) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_rating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
