/* apk installed db (P V A o L, F/R file lists, bad blocks) and OS identification from
 * os-release, alpine-release, debian_version and redhat-release. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "core/buf.h"
#include "analyzer/analyzer.h"

static void feed(struct hull_inventory *inv, const struct hull_analyzer *a, const char *path,
                 const char *s)
{
    struct hull_err *err = NULL;
    assert_int_equal(hull_analyze_bytes(a, path, s, strlen(s), inv, &err), 0);
}

static const struct hull_pkg *find(const struct hull_inventory *inv, const char *name)
{
    for (size_t i = 0; i < hull_inventory_count(inv); i++)
        if (!strcmp(hull_inventory_pkg(inv, i)->name, name))
            return hull_inventory_pkg(inv, i);
    return NULL;
}

static size_t warnings_with(const struct hull_inventory *inv, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < hull_inventory_warning_count(inv); i++)
        n += strstr(hull_inventory_warning(inv, i), needle) != NULL;
    return n;
}

static void test_apk(void **state)
{
    (void)state;
    char *data = NULL;
    size_t len = 0;
    struct hull_err *err = NULL;
    assert_int_equal(hull_read_file("tests/data/apk/installed", 1 << 20, &data, &len, &err), 0);
    struct hull_inventory *inv = hull_inventory_new(NULL);
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_apk, "/lib/apk/db/installed", data, len,
                                        inv, &err), 0);
    free(data);
    feed(inv, &hull_analyzer_osrelease, "/etc/os-release",
         "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.18.8\n"
         "PRETTY_NAME=\"Alpine Linux v3.18\"\n");
    feed(inv, &hull_analyzer_osrelease, "/etc/alpine-release", "3.18.8\n");
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 3);
    const struct hull_pkg *p = find(inv, "musl");
    assert_string_equal(p->version, "1.2.4-r2");
    assert_string_equal(p->arch, "x86_64");
    assert_string_equal(p->origin, "musl");
    assert_string_equal(p->license, "MIT");
    assert_int_equal(p->n_files, 2);
    assert_string_equal(p->files[0], "/lib/ld-musl-x86_64.so.1");
    assert_string_equal(p->purl, "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.18.8");
    p = find(inv, "busybox-binsh");
    assert_string_equal(p->purl, "pkg:apk/alpine/busybox-binsh@1.36.1-r7?arch=x86_64&"
                                 "distro=3.18.8&upstream=busybox");
    assert_string_equal(p->files[0], "/bin/sh");
    p = find(inv, "ssl_client");
    assert_string_equal(p->files[0], "/usr/bin/ssl_client");
    assert_null(find(inv, "nover"));
    assert_null(find(inv, "badline"));
    assert_int_equal(warnings_with(inv, "/lib/apk/db/installed: package block"), 2);
    const struct hull_os *os = hull_inventory_os(inv);
    assert_string_equal(os->family, "alpine");
    assert_string_equal(os->version, "3.18.8");
    assert_string_equal(os->pretty_name, "Alpine Linux v3.18");
    hull_inventory_free(inv);
}

static void test_os_variants(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    static const struct {
        const char *path, *content, *family, *version;
    } cases[] = {
        { "/usr/lib/os-release", "ID='ubuntu'\nVERSION_ID=\"22.04\"\n", "ubuntu", "22.04" },
        { "/etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n", "rocky", "9.3" },
        { "/etc/os-release", "ID=amzn\nVERSION_ID=\"2023\"\n", "amazon", "2023" },
        { "/etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n", "wolfi", "20230201" },
        { "/etc/os-release", "ID=almalinux\nVERSION_ID=9.3\n", "alma", "9.3" },
        { "/etc/os-release", "ID=plan9\nID_LIKE=debian\nVERSION_ID=4\n", "unknown", "4" },
        { "/etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009" },
        { "/etc/debian_version", "12.4\n", "debian", "12.4" },
        { "/etc/debian_version", "bookworm/sid\n", "unknown", NULL },
        { "/etc/os-release", "ID=\"unterminated\nVERSION_ID=1\n", "unknown", NULL },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        struct hull_inventory *inv = hull_inventory_new(NULL);
        feed(inv, &hull_analyzer_osrelease, cases[i].path, cases[i].content);
        assert_int_equal(hull_inventory_finish(inv, &err), 0);
        const struct hull_os *os = hull_inventory_os(inv);
        assert_string_equal(os->family, cases[i].family);
        if (cases[i].version)
            assert_string_equal(os->version, cases[i].version);
        else
            assert_null(os->version);
        hull_inventory_free(inv);
    }
    /* nothing at all: unknown, not guessed */
    struct hull_inventory *inv = hull_inventory_new(NULL);
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_string_equal(hull_inventory_os(inv)->family, "unknown");
    assert_null(hull_inventory_os(inv)->id);
    hull_inventory_free(inv);
    /* /etc/os-release wins over /usr/lib/os-release; debian_version refines the version */
    inv = hull_inventory_new(NULL);
    feed(inv, &hull_analyzer_osrelease, "/etc/debian_version", "12.15\n");
    feed(inv, &hull_analyzer_osrelease, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    feed(inv, &hull_analyzer_osrelease, "/usr/lib/os-release", "ID=ubuntu\n");
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_string_equal(hull_inventory_os(inv)->id, "debian");
    assert_string_equal(hull_inventory_os(inv)->version, "12.15");
    assert_string_equal(hull_inventory_os(inv)->version_id, "12");
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apk),
        cmocka_unit_test(test_os_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
