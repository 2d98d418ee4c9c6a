/* dpkg analyzer: status (installed-only filter, Source with and without version, epochs),
 * distroless status.d stanzas, info/NAME.list file lists, and bad input becoming warnings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "core/buf.h"
#include "analyzer/analyzer.h"
#include "analyzer_test.h"

static struct hull_inventory *inv_from(const char *vpath, const char *file)
{
    char *data = NULL;
    size_t len = 0;
    struct hull_err *err = NULL;
    assert_int_equal(hull_read_file(file, 1 << 20, &data, &len, &err), 0);
    struct hull_inventory *inv = hull_inventory_new(NULL);
    assert_non_null(inv);
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_dpkg, vpath, data, len, inv, &err), 0);
    free(data);
    return inv;
}

static const struct hull_pkg *find(const struct hull_inventory *inv, const char *name)
{
    for (size_t i = 0; i < hull_inventory_count(inv); i++)
        if (!strcmp(hull_inventory_pkg(inv, i)->name, name))
            return hull_inventory_pkg(inv, i);
    return NULL;
}

static void test_status(void **state)
{
    (void)state;
    struct hull_inventory *inv = inv_from("/var/lib/dpkg/status", "tests/data/dpkg/status-mixed");
    struct hull_err *err = NULL;
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    /* installed: libc6, bsdutils, held, zlib1g; not: removed-pkg, half; bad: noversion, broken */
    assert_int_equal(hull_inventory_count(inv), 4);
    const struct hull_pkg *p = find(inv, "libc6");
    assert_non_null(p);
    assert_string_equal(p->version, "2.36-9+deb12u4");
    assert_string_equal(p->source_name, "glibc");
    assert_string_equal(p->source_version, "2.36-9+deb12u4");
    assert_string_equal(p->arch, "amd64");
    assert_null(p->epoch);
    assert_string_equal(p->found_in, "/var/lib/dpkg/status");
    assert_string_equal(p->purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc");
    p = find(inv, "bsdutils");
    assert_non_null(p);
    assert_string_equal(p->version, "1:2.38.1-5+deb12u3");
    assert_string_equal(p->epoch, "1");
    assert_string_equal(p->source_name, "util-linux");
    assert_string_equal(p->source_version, "2.38.1-5+deb12u3");
    p = find(inv, "zlib1g");
    assert_string_equal(p->source_name, "zlib");
    assert_string_equal(p->source_version, "1:1.2.13.dfsg-1");
    assert_non_null(find(inv, "held"));
    assert_null(find(inv, "removed-pkg"));
    assert_null(find(inv, "half"));
    assert_null(find(inv, "noversion"));
    assert_null(find(inv, "broken"));
    assert_true(warned(inv, "noversion"));
    assert_true(warned(inv, "malformed line"));
    /* sorted by name */
    assert_string_equal(hull_inventory_pkg(inv, 0)->name, "bsdutils");
    assert_string_equal(hull_inventory_pkg(inv, 3)->name, "zlib1g");
    hull_inventory_free(inv);
}

static void test_status_d_and_lists(void **state)
{
    (void)state;
    struct hull_inventory *inv = inv_from("/var/lib/dpkg/status.d/libssl3",
                                          "tests/data/dpkg/status.d-libssl3");
    char *data = NULL;
    size_t len = 0;
    struct hull_err *err = NULL;
    assert_int_equal(hull_read_file("tests/data/dpkg/libc6_amd64.list", 1 << 20, &data, &len,
                                    &err), 0);
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_dpkg, "/var/lib/dpkg/info/libc6:amd64.list",
                                        data, len, inv, &err), 0);
    free(data);
    static const char libc[] = "Package: libc6\nVersion: 2.36-9\nArchitecture: amd64\n"
                               "Source: glibc\n";
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_dpkg, "/var/lib/dpkg/status.d/libc6", libc,
                                        sizeof(libc) - 1, inv, &err), 0);
    static const char os[] = "ID=debian\nVERSION_ID=\"12\"\n";
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", os,
                                        sizeof(os) - 1, inv, &err), 0);
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 2);
    const struct hull_pkg *p = find(inv, "libssl3");
    assert_string_equal(p->version, "3.0.11-1~deb12u2");
    assert_string_equal(p->source_name, "openssl");
    assert_string_equal(p->purl, "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&"
                                 "distro=debian-12&upstream=openssl");
    p = find(inv, "libc6");
    assert_int_equal(p->n_files, 4); /* "/." is not a file */
    assert_string_equal(p->files[2], "/usr/lib/x86_64-linux-gnu/libc.so.6");
    assert_true(hull_inventory_os(inv)->distroless);
    hull_inventory_free(inv);
}

static void test_wants(void **state)
{
    (void)state;
    const struct hull_analyzer *a = &hull_analyzer_dpkg;
    assert_true(a->wants("/var/lib/dpkg/status"));
    assert_false(a->wants("/var/lib/dpkg/status-old"));
    assert_true(a->wants("/var/lib/dpkg/status.d/libc6"));
    assert_false(a->wants("/var/lib/dpkg/status.d/libc6.md5sums"));
    assert_false(a->wants("/var/lib/dpkg/status.d/sub/x"));
    assert_true(a->wants("/var/lib/dpkg/info/bash.list"));
    assert_false(a->wants("/var/lib/dpkg/info/bash.md5sums"));
}

static void test_bad_input(void **state)
{
    (void)state;
    struct hull_inventory *inv = inv_from("/var/lib/dpkg/status",
                                          "tests/data/dpkg/status-binary-junk");
    struct hull_err *err = NULL;
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 1);
    assert_string_equal(hull_inventory_pkg(inv, 0)->name, "fine");
    assert_true(warned(inv, "/var/lib/dpkg/status: contains NUL bytes"));
    hull_inventory_free(inv);

    inv = inv_from("/var/lib/dpkg/status", "tests/data/dpkg/status-truncated-tail");
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 1);
    assert_true(warned(inv, "/var/lib/dpkg/status: stanza at line 6"));
    hull_inventory_free(inv);

    /* a huge field: skipped with a warning, no crash */
    size_t n = 200000;
    char *big = malloc(n + 64);
    int k = snprintf(big, 64, "Package: ");
    memset(big + k, 'a', n);
    memcpy(big + k + n, "\nStatus: install ok installed\nVersion: 1\n", 41);
    inv = hull_inventory_new(NULL);
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_dpkg, "/var/lib/dpkg/status", big,
                                        (size_t)k + n + 41, inv, &err), 0);
    free(big);
    assert_int_equal(hull_inventory_count(inv), 0);
    assert_true(warned(inv, "oversized"));
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_status_d_and_lists),
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
