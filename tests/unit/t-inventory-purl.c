/* Package URLs: percent-encoding per component, sorted qualifiers, per-type rules; and the
 * inventory's dedupe, sort, warnings cap and dev-flag merge. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "inventory/invpriv.h"

static void check(const char *want, const char *type, const char *ns, const char *name,
                  const char *ver, const char *const *q)
{
    struct hull_err *err = NULL;
    char *got = hull_purl_build(type, ns, name, ver, q, &err);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_build(void **state)
{
    (void)state;
    const char *q1[] = { "distro", "debian-12.4", "arch", "amd64", NULL };
    check("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.4", "deb", "debian",
          "libc6", "2.36-9+deb12u4", q1);
    check("pkg:npm/%40scope/name@1.0.0", "npm", "@scope", "name", "1.0.0", NULL);
    check("pkg:npm/name", "npm", NULL, "name", NULL, NULL);
    const char *q2[] = { "upstream", "", "arch", NULL, "epoch", "1", NULL };
    check("pkg:rpm/fedora/curl@7.50.3-1.fc25?epoch=1", "rpm", "fedora", "curl", "7.50.3-1.fc25",
          q2);
    /* ':' stays (dpkg epochs); space, '/', '?', '#', '@', '%', non-ASCII are encoded */
    check("pkg:deb/debian/a%2Fb@1:2.0%20x%3F%23%40%25%C3%A9", "deb", "debian", "a/b",
          "1:2.0 x?#@%\xc3\xa9", NULL);
    const char *q3[] = { "distro", "a&b=c", NULL };
    check("pkg:apk/alpine/x@1?distro=a%26b%3Dc", "apk", "alpine", "x", "1", q3);
    char *e = hull_purl_encode("a/b c", true);
    assert_string_equal(e, "a/b%20c");
    free(e);
}

static void test_inventory_merge(void **state)
{
    (void)state;
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    struct hull_pkg t = { .type = HULL_PKG_NPM, .name = "b", .version = "1.0.0", .dev = true };
    struct hull_input in1 = { .path = "/z/node_modules/b/package.json", .layer = 3,
                              .diff_id = "sha256:3" };
    struct hull_input in2 = { .path = "/a/node_modules/b/package.json", .layer = 1,
                              .diff_id = "sha256:1" };
    assert_non_null(hull_inventory_add(inv, &t, &in1, &err));
    t.dev = false;
    assert_non_null(hull_inventory_add(inv, &t, &in2, &err));
    struct hull_pkg a = { .type = HULL_PKG_DPKG, .name = "zz", .version = "1", .arch = "all" };
    assert_non_null(hull_inventory_add(inv, &a, NULL, &err));
    struct hull_pkg bad = { .type = HULL_PKG_NPM, .name = "bad\xff\x01", .version = "1" };
    assert_non_null(hull_inventory_add(inv, &bad, NULL, &err));
    for (int i = 0; i < 600; i++)
        hull_inventory_warn(inv, "w%d", i);
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_finish(inv, &err), 0); /* idempotent */
    assert_int_equal(hull_inventory_count(inv), 3);
    /* deb sorts before npm */
    assert_string_equal(hull_inventory_pkg(inv, 0)->name, "zz");
    assert_string_equal(hull_inventory_pkg(inv, 0)->purl, "pkg:deb/debian/zz@1?arch=all");
    const struct hull_pkg *p = hull_inventory_pkg(inv, 1);
    assert_string_equal(p->name, "b");
    assert_false(p->dev); /* one non-dev copy makes it non-dev */
    assert_int_equal(p->n_locations, 2);
    assert_string_equal(p->found_in, "/a/node_modules/b/package.json");
    assert_int_equal(p->layer, 1);
    assert_string_equal(hull_inventory_pkg(inv, 2)->name, "bad??"); /* sanitised */
    assert_int_equal(hull_inventory_warning_count(inv), 501);
    assert_string_equal(hull_inventory_warning(inv, 500), "further warnings suppressed");
    assert_null(hull_inventory_warning(inv, 501));
    hull_inventory_free(inv);
}

static void test_rpm_purl(void **state)
{
    (void)state;
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    inv->osrel[HULL_OSREL_ETC] = (struct hull_osrel){ .set = true, .id = strdup("rhel"),
                                                      .version_id = strdup("9.3") };
    struct hull_pkg t = { .type = HULL_PKG_RPM, .name = "openssl-libs", .version = "1:3.0.7-24.el9",
                          .epoch = "1", .release = "24.el9", .arch = "x86_64",
                          .source_name = "openssl", .source_version = "3.0.7-24.el9" };
    assert_non_null(hull_inventory_add(inv, &t, NULL, &err));
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_string_equal(hull_inventory_os(inv)->family, "rhel");
    assert_string_equal(hull_inventory_pkg(inv, 0)->purl,
                        "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.3"
                        "&epoch=1&upstream=openssl");
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_inventory_merge),
        cmocka_unit_test(test_rpm_purl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
