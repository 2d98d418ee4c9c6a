/* Data-driven comparator tests: every tests/data/version/<ecosystem>.txt line is
 * "A < B", "A = B", "A > B" (checked both ways round, and A against itself) or "! V" (V must
 * be rejected: hull_version_valid false and hull_version_cmp failing with HULL_E_PARSE).
 * '#' starts a comment line. HULL_SRCDIR (default ".") locates the data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/version.h"

static int run_file(enum hull_eco eco, const char *name, int min_cases)
{
    const char *top = getenv("HULL_SRCDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/tests/data/version/%s.txt", top ? top : ".", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        print_error("cannot open %s\n", path);
        return -1;
    }
    char line[4096];
    int cases = 0, bad = 0, lineno = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n == 0 || line[0] == '#')
            continue;
        cases++;
        if (line[0] == '!' && line[1] == ' ') {
            const char *v = line + 2;
            struct hull_err *err = NULL;
            int c = 9;
            int r1 = hull_version_cmp(eco, v, strlen(v), "1", 1, &c, &err);
            bool ok = r1 == -HULL_E_PARSE && err && err->code == HULL_E_PARSE &&
                      !hull_version_valid(eco, v, strlen(v));
            hull_err_free(err);
            if (!ok) {
                print_error("%s:%d: \"%s\" should be invalid\n", name, lineno, v);
                bad++;
            }
            continue;
        }
        char *op = NULL;
        int want = 0;
        for (char *p = line; *p; p++) {
            if (p[0] == ' ' && (p[1] == '<' || p[1] == '=' || p[1] == '>') && p[2] == ' ') {
                op = p;
                want = p[1] == '<' ? -1 : p[1] == '>' ? 1 : 0;
                break;
            }
        }
        if (!op) {
            print_error("%s:%d: malformed line\n", name, lineno);
            bad++;
            continue;
        }
        *op = 0;
        const char *a = line, *b = op + 3;
        int c1 = 9, c2 = 9, c3 = 9;
        struct hull_err *err = NULL;
        if (hull_version_cmp(eco, a, strlen(a), b, strlen(b), &c1, &err) < 0 ||
            hull_version_cmp(eco, b, strlen(b), a, strlen(a), &c2, &err) < 0 ||
            hull_version_cmp(eco, a, strlen(a), a, strlen(a), &c3, &err) < 0) {
            print_error("%s:%d: %s\n", name, lineno, err ? err->msg : "error");
            hull_err_free(err);
            bad++;
            continue;
        }
        if (c1 != want || c2 != -want || c3 != 0) {
            print_error("%s:%d: %s %c %s expected, got %d (reverse %d)\n", name, lineno, a,
                        op[1], b, c1, c2);
            bad++;
        }
    }
    fclose(f);
    if (cases < min_cases) {
        print_error("%s: only %d cases (want at least %d)\n", name, cases, min_cases);
        bad++;
    }
    print_message("# %s: %d cases, %d failures\n", name, cases, bad);
    return bad;
}

#define ECO_TEST(fn, eco, name, min)                                                        \
    static void fn(void **state)                                                             \
    {                                                                                        \
        (void)state;                                                                         \
        assert_int_equal(run_file(eco, name, min), 0);                                       \
    }
ECO_TEST(test_deb, HULL_ECO_DEB, "deb", 50)
ECO_TEST(test_apk, HULL_ECO_APK, "apk", 100)
ECO_TEST(test_rpm, HULL_ECO_RPM, "rpm", 50)
ECO_TEST(test_npm, HULL_ECO_NPM, "npm", 50)
ECO_TEST(test_pypi, HULL_ECO_PYPI, "pypi", 100)
ECO_TEST(test_golang, HULL_ECO_GOLANG, "golang", 100)
ECO_TEST(test_maven, HULL_ECO_MAVEN, "maven", 100)
ECO_TEST(test_gem, HULL_ECO_GEM, "gem", 100)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deb),  cmocka_unit_test(test_apk),    cmocka_unit_test(test_rpm),
        cmocka_unit_test(test_npm),  cmocka_unit_test(test_pypi),   cmocka_unit_test(test_golang),
        cmocka_unit_test(test_maven), cmocka_unit_test(test_gem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
