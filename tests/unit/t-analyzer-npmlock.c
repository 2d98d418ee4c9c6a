/* npm lockfiles: package-lock v1/v2/v3 (nested deps, links to workspaces, dev flags),
 * yarn.lock v1 and berry, pnpm-lock v5/v6/v9; the installed tree wins over the lockfile
 * (which then only lends dev flags and names workspace links), and images (lockfiles off)
 * ignore lockfile-only entries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "core/buf.h"
#include "analyzer/analyzer.h"

static void feed_file(struct hull_inventory *inv, const char *vpath, const char *file)
{
    char *data = NULL;
    size_t len = 0;
    struct hull_err *err = NULL;
    assert_int_equal(hull_read_file(file, 1 << 20, &data, &len, &err), 0);
    struct hull_input in = { .path = vpath, .data = (const uint8_t *)data, .len = len,
                             .diff_id = "" };
    assert_true(hull_analyzers_want(vpath));
    assert_int_equal(hull_analyzers_run(&in, inv, &err), 0);
    free(data);
}

static void feed(struct hull_inventory *inv, const char *vpath, const char *s)
{
    struct hull_err *err = NULL;
    struct hull_input in = { .path = vpath, .data = (const uint8_t *)s, .len = strlen(s),
                             .diff_id = "" };
    assert_int_equal(hull_analyzers_run(&in, inv, &err), 0);
}

/* "name@version[!]" lines (! = dev), sorted, for a compact comparison */
static char *summary(struct hull_inventory *inv)
{
    struct hull_err *err = NULL;
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    struct hull_buf b = HULL_BUF_INIT(0);
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        assert_int_equal(hull_buf_printf(&b, &err, "%s@%s%s\n", p->name, p->version,
                                         p->dev ? "!" : ""), 0);
    }
    return hull_buf_detach(&b, NULL);
}

static struct hull_inventory *new_inv(bool lockfiles)
{
    struct hull_inventory *inv = hull_inventory_new(NULL);
    hull_inventory_use_lockfiles(inv, lockfiles);
    return inv;
}

static void expect(struct hull_inventory *inv, const char *want)
{
    char *got = summary(inv);
    assert_string_equal(got, want);
    free(got);
    if (hull_inventory_warning_count(inv))
        fail_msg("unexpected warning: %s", hull_inventory_warning(inv, 0));
    hull_inventory_free(inv);
}

static void test_package_lock(void **state)
{
    (void)state;
    struct hull_inventory *inv = new_inv(true);
    feed_file(inv, "/src/package-lock.json", "tests/data/npm/package-lock-v3.json");
    expect(inv, "@scope/x@1.0.0\nchai@4.2.0!\nlodash@3.10.1\nlodash@4.17.21\nws-pkg@0.1.0\n");
    inv = new_inv(true);
    feed_file(inv, "/src/package-lock.json", "tests/data/npm/package-lock-v2.json");
    expect(inv, "minimist@1.2.0\ntap@15.0.0!\n");
    inv = new_inv(true);
    feed_file(inv, "/package-lock.json", "tests/data/npm/package-lock-v1.json");
    expect(inv, "debug@2.6.9\nexpress@4.16.0\nmocha@5.0.0!\n");
}

static void test_yarn_pnpm(void **state)
{
    (void)state;
    struct hull_inventory *inv = new_inv(true);
    feed_file(inv, "/a/yarn.lock", "tests/data/npm/yarn-v1.lock");
    expect(inv, "@babel/code-frame@7.12.13\nlodash@4.17.21\n");
    inv = new_inv(true);
    feed_file(inv, "/b/yarn.lock", "tests/data/npm/yarn-berry.lock");
    expect(inv, "@types/node@20.1.0\nlodash@4.17.21\n");
    inv = new_inv(true);
    feed_file(inv, "/c/pnpm-lock.yaml", "tests/data/npm/pnpm-lock-v5.yaml");
    expect(inv, "@scope/pkg@1.2.3!\nlodash@4.17.21\n");
    inv = new_inv(true);
    feed_file(inv, "/d/pnpm-lock.yaml", "tests/data/npm/pnpm-lock-v6.yaml");
    expect(inv, "@types/node@20.1.0!\nlodash@4.17.21\nreact-dom@18.2.0\n");
    inv = new_inv(true);
    feed_file(inv, "/e/pnpm-lock.yaml", "tests/data/npm/pnpm-lock-v9.yaml");
    expect(inv, "@scope/pkg@1.2.3\nlodash@4.17.21\n");
}

static void test_installed_wins(void **state)
{
    (void)state;
    /* node_modules present: lockfile-only entries are not inventoried, but a dev flag in
     * the (hidden) lockfile marks the installed copy at the same path */
    struct hull_inventory *inv = new_inv(true);
    feed_file(inv, "/app/package-lock.json", "tests/data/npm/package-lock-v3.json");
    feed(inv, "/app/node_modules/lodash/package.json",
         "{\"name\":\"lodash\",\"version\":\"4.17.21\"}");
    feed(inv, "/app/node_modules/chai/package.json", "{\"name\":\"chai\",\"version\":\"4.2.0\"}");
    /* ws-pkg: a workspace package installed as a symlink, known from the lockfile's link */
    expect(inv, "chai@4.2.0!\nlodash@4.17.21\nws-pkg@0.1.0\n");
    /* images: a lockfile alone is not an installation */
    inv = new_inv(false);
    feed_file(inv, "/srv/package-lock.json", "tests/data/npm/package-lock-v3.json");
    feed_file(inv, "/srv/yarn.lock", "tests/data/npm/yarn-v1.lock");
    expect(inv, "");
    assert_true(hull_analyzer_npmlock.wants("/app/node_modules/.package-lock.json"));
    assert_false(
        hull_analyzer_npmlock.wants("/app/node_modules/x/node_modules/.package-lock.json"));
    assert_false(hull_analyzer_npmlock.wants("/app/node_modules/x/package-lock.json"));
}

static void test_bad_lockfiles(void **state)
{
    (void)state;
    struct hull_inventory *inv = new_inv(true);
    struct hull_err *err = NULL;
    feed(inv, "/x/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": ");
    feed(inv, "/y/pnpm-lock.yaml", "packages:\n  /a@1:\n    dev: [unclosed\n");
    feed(inv, "/z/yarn.lock", "\x01\x02junk:\n  version \"1\"\n");
    /* deep nesting is capped, not recursed without bound */
    struct hull_buf b = HULL_BUF_INIT(0);
    assert_int_equal(hull_buf_appends(&b, "{\"dependencies\":", &err), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(
            hull_buf_printf(&b, &err, "{\"d%d\":{\"version\":\"1\",\"dependencies\":", i), 0);
    assert_int_equal(hull_buf_appends(&b, "{}", &err), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(hull_buf_appends(&b, "}}", &err), 0);
    assert_int_equal(hull_buf_appends(&b, "}", &err), 0);
    feed(inv, "/w/package-lock.json", b.p);
    hull_buf_release(&b);
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_warning_count(inv), 4);
    static const char *const want[] = {
        "/x/package-lock.json: lockfile: invalid JSON",
        "/y/pnpm-lock.yaml: YAML",
        "/z/yarn.lock: 1 entry without a package name",
        "/w/package-lock.json: dependencies nested deeper",
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(want); i++)
        if (!strstr(hull_inventory_warning(inv, i), want[i]))
            fail_msg("warning %zu '%s' lacks '%s'", i, hull_inventory_warning(inv, i), want[i]);
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_lock),
        cmocka_unit_test(test_yarn_pnpm),
        cmocka_unit_test(test_installed_wins),
        cmocka_unit_test(test_bad_lockfiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
