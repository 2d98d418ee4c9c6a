/* The matcher end to end through its public API: a database imported from tests/data/vuln and
 * tests/data/match/feeds, inventories built package by package, then every rule of
 * docs/matching.md: source-package matching for Debian (one finding per binary package),
 * origins for Alpine, OSV ranges (several branches, last_affected, limit, unsorted events,
 * explicit versions, withdrawn records), alias merging, statuses, severities and their
 * sources, KEV, unparseable versions, the gates and the remediation hints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "hull/match.h"
#include "hull/vulndb.h"

static char dir[64], dbpath[128];
static struct hull_vulndb *db;

static int setup(void **state)
{
    (void)state;
    const char *top = getenv("HULL_SRCDIR") ? getenv("HULL_SRCDIR") : ".";
    char p[6][512];
    const char *names[] = { "tests/data/vuln/tracker.json", "tests/data/vuln/secdb-v3.18-main.json",
                            "tests/data/vuln/osv", "tests/data/vuln/kev.json",
                            "tests/data/vuln/cvss.csv", "tests/data/match/feeds" };
    const char *paths[6];
    for (int i = 0; i < 6; i++) {
        snprintf(p[i], sizeof(p[i]), "%s/%s", top, names[i]);
        paths[i] = p[i];
    }
    snprintf(dir, sizeof(dir), "/tmp/hull-match-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(dbpath, sizeof(dbpath), "%s/db.sqlite", dir);
    struct hull_vulndb_import_opts o = { 0 };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    int r = hull_vulndb_import(NULL, dbpath, paths, 6, &o, &rep, &err);
    hull_vulndb_report_free(&rep);
    if (r < 0) {
        fprintf(stderr, "# import: %s\n", err->msg);
        hull_err_free(err);
        return -1;
    }
    db = hull_vulndb_open(NULL, dbpath, &err);
    if (!db) {
        fprintf(stderr, "# open: %s\n", err->msg);
        hull_err_free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hull_vulndb_close(db);
    unlink(dbpath);
    rmdir(dir);
    return 0;
}

struct spec {
    enum hull_pkg_type type;
    const char *name, *version, *src, *srcver, *found_in;
};

static struct hull_inventory *inventory(const char *osrel, const struct spec *s, size_t n)
{
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    assert_non_null(inv);
    if (osrel)
        assert_int_equal(hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", osrel,
                                            strlen(osrel), inv, &err), 0);
    for (size_t i = 0; i < n; i++) {
        struct hull_pkg t = { .type = s[i].type, .name = (char *)s[i].name,
                              .version = (char *)s[i].version,
                              .found_in = (char *)(s[i].found_in ? s[i].found_in
                                                                 : "/var/lib/dpkg/status") };
        if (s[i].type == HULL_PKG_APK)
            t.origin = (char *)s[i].src;
        else {
            t.source_name = (char *)s[i].src;
            t.source_version = (char *)s[i].srcver;
        }
        assert_non_null(hull_inventory_add(inv, &t, NULL, &err));
    }
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    return inv;
}

static struct hull_match_result *match(const struct hull_inventory *inv)
{
    struct hull_match_result *r = NULL;
    struct hull_err *err = NULL;
    int rc = hull_match(NULL, db, inv, &r, &err);
    if (rc < 0)
        fprintf(stderr, "# match: %s\n", err->msg);
    assert_int_equal(rc, 0);
    return r;
}

static const struct hull_finding *find(const struct hull_match_result *r, const char *pkg,
                                       const char *ver, const char *id)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *f = &r->findings[i];
        if (!strcmp(f->pkg->name, pkg) && !strcmp(f->pkg->version, ver) && !strcmp(f->id, id))
            return f;
    }
    return NULL;
}

static size_t count_pkg(const struct hull_match_result *r, const char *pkg, const char *ver)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        n += !strcmp(r->findings[i].pkg->name, pkg) && !strcmp(r->findings[i].pkg->version, ver);
    return n;
}

static const char debian12[] = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

static void test_debian(void **state)
{
    (void)state;
    const struct spec s[] = {
        { HULL_PKG_DPKG, "apt", "2.6.1", NULL, NULL, NULL },
        { HULL_PKG_DPKG, "libc6", "2.36-9+deb12u1", "glibc", "2.36-9+deb12u1", NULL },
        { HULL_PKG_DPKG, "libc-bin", "2.36-9+deb12u1", "glibc", "2.36-9+deb12u1", NULL },
        { HULL_PKG_DPKG, "zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1", NULL },
        { HULL_PKG_DPKG, "libncursesw6", "6.4-4", "ncurses", "6.4-4", NULL },
        { HULL_PKG_DPKG, "broken", "1:", NULL, NULL, NULL },
    };
    struct hull_inventory *inv = inventory(debian12, s, HULL_ARRAY_LEN(s));
    struct hull_match_result *r = match(inv);
    assert_string_equal(r->os_ecosystem, "Debian:12");
    /* open + unimportant: affected, LOW from the tracker's urgency */
    const struct hull_finding *f = find(r, "apt", "2.6.1", "CVE-2011-3374");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_AFFECTED);
    assert_int_equal(f->severity, HULL_SEV_LOW);
    assert_string_equal(f->severity_source, "debian");
    assert_null(f->fixed);
    /* resolved: fixed, each binary package of the source its own finding, KEV marked */
    for (int i = 0; i < 2; i++) {
        f = find(r, i ? "libc-bin" : "libc6", "2.36-9+deb12u1", "CVE-2023-4911");
        assert_non_null(f);
        assert_int_equal(f->status, HULL_VULN_FIXED);
        assert_string_equal(f->fixed, "2.36-9+deb12u3");
        assert_true(f->kev);
        assert_string_equal(f->target, "debian 12 (deb)");
    }
    /* ignored (no-dsa) -> will_not_fix, whatever the OSV record says; both ids kept */
    f = find(r, "zlib1g", "1:1.2.13.dfsg-1", "CVE-2023-45853");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_WILL_NOT_FIX);
    assert_int_equal(f->n_ids, 2);
    assert_string_equal(f->ids[0], "CVE-2023-45853");
    assert_string_equal(f->ids[1], "DEBIAN-CVE-2023-45853");
    assert_int_equal(f->n_sources, 2);
    /* postponed -> fix_deferred; "low**" -> LOW */
    f = find(r, "libncursesw6", "6.4-4", "CVE-2023-50495");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_FIX_DEFERRED);
    assert_int_equal(f->severity, HULL_SEV_LOW);
    /* the unparseable version is listed, not skipped silently */
    assert_int_equal(r->n_unparsed, 1);
    assert_string_equal(r->unparsed[0].pkg->name, "broken");
    assert_non_null(strstr(r->unparsed[0].reason, "cannot be parsed"));
    /* sorted by target, package, then severity */
    for (size_t i = 1; i < r->n_findings; i++)
        assert_true(strcmp(r->findings[i - 1].pkg->name, r->findings[i].pkg->name) <= 0);
    hull_match_result_free(r);
    hull_inventory_free(inv);
}

static void test_debian_fixed_and_other_release(void **state)
{
    (void)state;
    const struct spec s[] = {
        { HULL_PKG_DPKG, "libc6", "2.36-9+deb12u3", "glibc", "2.36-9+deb12u3", NULL },
    };
    struct hull_inventory *inv = inventory(debian12, s, 1);
    struct hull_match_result *r = match(inv);
    assert_null(find(r, "libc6", "2.36-9+deb12u3", "CVE-2023-4911"));
    hull_match_result_free(r);
    hull_inventory_free(inv);
    /* buster: fixed_version "0" = never affected */
    inv = inventory("ID=debian\nVERSION_ID=\"10\"\n", s, 1);
    r = match(inv);
    assert_int_equal(r->n_findings, 0);
    assert_string_equal(r->os_ecosystem, "Debian:10");
    hull_match_result_free(r);
    hull_inventory_free(inv);
    /* no OS at all: OS packages are listed as unmatched */
    inv = inventory(NULL, s, 1);
    r = match(inv);
    assert_int_equal(r->n_findings, 0);
    assert_int_equal(r->n_unparsed, 1);
    hull_match_result_free(r);
    hull_inventory_free(inv);
}

static void test_alpine(void **state)
{
    (void)state;
    const struct spec s[] = {
        { HULL_PKG_APK, "libssl3", "3.1.6-r0", "openssl", NULL, "/lib/apk/db/installed" },
        { HULL_PKG_APK, "libcrypto3", "3.1.7-r0", "openssl", NULL, "/lib/apk/db/installed" },
        { HULL_PKG_APK, "openssl-doc", "3.1.6-r0", NULL, NULL, "/lib/apk/db/installed" },
    };
    struct hull_inventory *inv = inventory("ID=alpine\nVERSION_ID=3.18.8\n", s, 3);
    struct hull_match_result *r = match(inv);
    assert_string_equal(r->os_ecosystem, "Alpine:v3.18");
    assert_int_equal(count_pkg(r, "libssl3", "3.1.6-r0"), 2);
    assert_string_equal(find(r, "libssl3", "3.1.6-r0", "CVE-2024-6119")->fixed, "3.1.7-r0");
    assert_string_equal(find(r, "libssl3", "3.1.6-r0", "CVE-2024-9143")->fixed, "3.1.7-r1");
    assert_int_equal(count_pkg(r, "libcrypto3", "3.1.7-r0"), 1); /* -r1 still needed */
    assert_int_equal(count_pkg(r, "openssl-doc", "3.1.6-r0"), 0); /* no origin: own name */
    hull_match_result_free(r);
    hull_inventory_free(inv);
}

#define NPM(n, v) { HULL_PKG_NPM, n, v, NULL, NULL, "/app/node_modules/" n "/package.json" }

static void test_osv_ranges(void **state)
{
    (void)state;
    const struct spec s[] = {
        NPM("semver", "5.7.1"), NPM("semver", "6.3.0"), NPM("semver", "7.0.0"),
        NPM("semver", "7.5.2"), NPM("semver", "6.3.1"),
        NPM("hull-test-limit", "1.9.9"), NPM("hull-test-limit", "2.5.0"),
        NPM("hull-test-limit", "3.0.0"),
        NPM("hull-test-unsorted", "1.2.0"), NPM("hull-test-unsorted", "1.5.0"),
        NPM("hull-test-unsorted", "2.1.0"),
        NPM("hull-test-versions", "1.0.2"), NPM("hull-test-versions", "1.0.3"),
        NPM("hull-test-branches", "2.0.1"),
        NPM("lodash", "4.17.20"), NPM("lodash", "4.17.21"),
        NPM("lodash.trim", "4.5.1"), NPM("lodash.trim", "4.5.2"),
        NPM("left-pad", "latest"),
        { HULL_PKG_PYPI, "Hull.Test_Pkg", "1.9", NULL, NULL,
          "/usr/lib/python3/site-packages/Hull.Test_Pkg-1.9.dist-info/METADATA" },
        { HULL_PKG_PYPI, "hull-test-pkg", "2.0", NULL, NULL,
          "/usr/lib/python3/site-packages/hull_test_pkg-2.0.dist-info/METADATA" },
    };
    struct hull_inventory *inv = inventory(NULL, s, HULL_ARRAY_LEN(s));
    struct hull_match_result *r = match(inv);
    const struct hull_finding *f = find(r, "semver", "5.7.1", "CVE-2022-25883");
    assert_non_null(f);
    assert_string_equal(f->fixed, "5.7.2");
    assert_int_equal(f->severity, HULL_SEV_MEDIUM);
    assert_string_equal(f->severity_source, "ghsa");
    assert_string_equal(f->target, "/app/node_modules");
    assert_int_equal(f->n_ids, 2);
    assert_string_equal(f->ids[1], "GHSA-c2qf-rxjj-qqgw");
    assert_string_equal(find(r, "semver", "6.3.0", "CVE-2022-25883")->fixed, "6.3.1");
    assert_string_equal(find(r, "semver", "7.0.0", "CVE-2022-25883")->fixed, "7.5.2");
    assert_int_equal(count_pkg(r, "semver", "7.5.2"), 0);
    assert_int_equal(count_pkg(r, "semver", "6.3.1"), 0);
    /* introduced 2.0.0, limit 3.0.0; the withdrawn record (introduced 0) is ignored */
    assert_int_equal(count_pkg(r, "hull-test-limit", "1.9.9"), 0);
    f = find(r, "hull-test-limit", "2.5.0", "HULL-TEST-2024-0001");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_AFFECTED);
    assert_null(f->fixed);
    assert_int_equal(count_pkg(r, "hull-test-limit", "3.0.0"), 0);
    /* events given out of order */
    assert_string_equal(find(r, "hull-test-unsorted", "1.2.0", "HULL-TEST-2024-0001")->fixed,
                        "1.4.0");
    assert_int_equal(count_pkg(r, "hull-test-unsorted", "1.5.0"), 0);
    assert_string_equal(find(r, "hull-test-unsorted", "2.1.0", "HULL-TEST-2024-0001")->fixed,
                        "2.2.0");
    /* explicit versions */
    assert_int_equal(count_pkg(r, "hull-test-versions", "1.0.2"), 0);
    assert_non_null(find(r, "hull-test-versions", "1.0.3", "CVE-2024-99999"));
    /* listed version on the second branch: the fix of that branch, not the first one */
    f = find(r, "hull-test-branches", "2.0.1", "CVE-2024-99999");
    assert_non_null(f);
    assert_string_equal(f->fixed, "2.0.3");
    assert_int_equal(f->status, HULL_VULN_FIXED);
    /* fixed / last_affected */
    assert_string_equal(find(r, "lodash", "4.17.20", "CVE-2020-28500")->fixed, "4.17.21");
    assert_int_equal(count_pkg(r, "lodash", "4.17.21"), 0);
    f = find(r, "lodash.trim", "4.5.1", "CVE-2020-28500");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_AFFECTED);
    assert_int_equal(count_pkg(r, "lodash.trim", "4.5.2"), 0);
    /* PyPI: PEP 503 names, PEP 440 pre-releases */
    assert_string_equal(find(r, "Hull.Test_Pkg", "1.9", "CVE-2024-99999")->fixed, "2.0rc1");
    assert_int_equal(count_pkg(r, "hull-test-pkg", "2.0"), 0);
    /* "latest" is no npm version */
    assert_int_equal(r->n_unparsed, 1);
    assert_string_equal(r->unparsed[0].pkg->name, "left-pad");
    hull_match_result_free(r);
    hull_inventory_free(inv);
}

static void test_gates_and_remedies(void **state)
{
    (void)state;
    const struct spec s[] = {
        { HULL_PKG_DPKG, "apt", "2.6.1", NULL, NULL, NULL },
        { HULL_PKG_DPKG, "libc6", "2.36-9+deb12u1", "glibc", "2.36-9+deb12u1", NULL },
        { HULL_PKG_DPKG, "zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1", NULL },
        NPM("lodash", "4.17.20"), NPM("semver", "7.0.0"),
    };
    struct hull_inventory *inv = inventory(debian12, s, HULL_ARRAY_LEN(s));
    struct hull_match_result *r = match(inv);
    struct hull_err *err = NULL;
    size_t all = r->n_findings;
    struct hull_match_filter flt = { .today_ymd = 20240101 };
    assert_int_equal(hull_match_filter_apply(r, &flt, &err), (long)all);
    flt.ignore_unfixed = true;
    long shown = hull_match_filter_apply(r, &flt, &err);
    assert_true(shown > 0 && shown < (long)all);
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].status != HULL_VULN_FIXED)
            assert_int_equal(r->findings[i].suppressed, HULL_SUPP_UNFIXED);
    flt.ignore_unfixed = false;
    flt.severities = (unsigned)hull_severity_mask_parse("LOW");
    assert_int_equal(hull_match_filter_apply(r, &flt, &err), 1); /* apt, unimportant */
    flt.severities = 0;
    flt.statuses = (unsigned)hull_status_mask_parse("fixed,will-not-fix");
    assert_int_equal(hull_match_filter_apply(r, &flt, &err), 1); /* apt: affected */
    assert_int_equal(hull_severity_mask_parse("HIGH,bogus"), -1);
    assert_int_equal(hull_severity_mask_parse(""), -1);
    assert_int_equal(hull_status_mask_parse("fixed,"), 1L << HULL_VULN_FIXED);
    assert_int_equal(hull_status_mask_parse("done"), -1);
    /* remediation: one hint per package with a fix; lodash to 4.17.21 */
    flt.statuses = 0;
    assert_int_equal(hull_match_filter_apply(r, &flt, &err), (long)all);
    bool lodash = false;
    for (size_t i = 0; i < r->n_remedies; i++) {
        const struct hull_remedy *m = &r->remedies[i];
        assert_true(m->fixes >= 1 && m->fixes <= m->total);
        if (!strcmp(m->pkg->name, "lodash")) {
            lodash = true;
            assert_string_equal(m->to, "4.17.21");
        }
        assert_string_not_equal(m->pkg->name, "apt"); /* no fix: no hint */
    }
    assert_true(lodash);
    hull_match_result_free(r);
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debian),
        cmocka_unit_test(test_debian_fixed_and_other_release),
        cmocka_unit_test(test_alpine),
        cmocka_unit_test(test_osv_ranges),
        cmocka_unit_test(test_gates_and_remedies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
