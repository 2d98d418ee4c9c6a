/* Vulnerability database: import the hand-written feed excerpts of tests/data/vuln, then check
 * every quirk through the public lookup API (the matcher's view), atomic replacement, strict
 * mode, corrupt archives and the age check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/common.h"
#include <sqlite3.h>
#include "hull/vulndb.h"

static char dir[256];
static char dbpath[300];
static char data[4096];

static const char *fx(const char *name)
{
    static char buf[16][4200];
    static int i;
    i = (i + 1) % 16;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", data, name);
    return buf[i];
}

static int64_t file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

static int import_all(bool strict, struct hull_vulndb_report *rep, struct hull_err **err)
{
    const char *paths[] = { fx("secdb-v3.18-main.json"), fx("oval-bookworm.xml"), fx("osv"),
                            fx("tracker.json"), fx("cvss.csv"), fx("kev.json"),
                            fx("nodewg-core.json"), fx("dsa-list.txt") };
    struct hull_vulndb_import_opts o = { .strict = strict };
    return hull_vulndb_import(NULL, dbpath, paths, HULL_ARRAY_LEN(paths), &o, rep, err);
}

static int setup(void **state)
{
    (void)state;
    const char *top = getenv("HULL_SRCDIR") ? getenv("HULL_SRCDIR") : ".";
    snprintf(data, sizeof(data), "%s/tests/data/vuln", top);
    snprintf(dir, sizeof(dir), "/tmp/hull-vdb-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(dbpath, sizeof(dbpath), "%s/sub/db.sqlite", dir);
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    int r = import_all(false, &rep, &err);
    if (r < 0)
        fprintf(stderr, "import: %s\n", err->msg);
    hull_err_free(err);
    hull_vulndb_report_free(&rep);
    return r;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Find the entry (key k, advisory id) in m. */
static const struct hull_vuln_affected *find(const struct hull_vuln_matches *m, size_t k,
                                             const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i].key == k && !strcmp(m->items[i].adv->id, id))
            return &m->items[i];
    return NULL;
}

static struct hull_vuln_matches *lookup(const struct hull_vulndb_key *keys, size_t n)
{
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(NULL, dbpath, &err);
    assert_non_null(db);
    struct hull_vuln_matches *m = NULL;
    assert_int_equal(hull_vulndb_lookup(db, keys, n, &m, &err), 0);
    hull_vulndb_close(db); /* results stay valid */
    return m;
}

static bool has_alias(const struct hull_vuln_advisory *a, const char *alias)
{
    for (size_t i = 0; i < a->n_aliases; i++)
        if (!strcmp(a->aliases[i], alias))
            return true;
    return false;
}

static void test_secdb_quirks(void **state)
{
    (void)state;
    const struct hull_vulndb_key keys[] = {
        { "Alpine:v3.18", "runc" }, { "Alpine:v3.18", "busybox" },
        { "Alpine:v3.18", "py3-jinja2" }, { "Alpine:v3.18", "xen" }, { "Alpine:v3.17", "runc" },
    };
    struct hull_vuln_matches *m = lookup(keys, HULL_ARRAY_LEN(keys));
    /* keys sorted as strings: 1.1.12-r0 < 1.1.4-r6 < 1.1.5-r0; CVE-2023-27561 sits under two
     * keys and the lower version in apk order wins */
    const struct hull_vuln_affected *f = find(m, 0, "CVE-2023-27561");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_FIXED);
    assert_string_equal(f->fixed, "1.1.4-r6");
    assert_string_equal(f->adv->source, "alpine-secdb:v3.18/main");
    assert_int_equal(f->n_ranges, 1);
    assert_string_equal(f->ranges[0].type, "ECOSYSTEM");
    assert_int_equal(f->ranges[0].n_events, 2);
    assert_int_equal(f->ranges[0].events[1].kind, HULL_VULN_EV_FIXED);
    assert_string_equal(find(m, 0, "CVE-2024-21626")->fixed, "1.1.12-r0");
    /* "0" = never affected */
    f = find(m, 1, "CVE-2021-42373");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_NOT_AFFECTED);
    assert_null(f->fixed);
    assert_int_equal(f->n_ranges, 0);
    /* two ids in one string: the second is an alias */
    f = find(m, 2, "CVE-2024-56326");
    assert_non_null(f);
    assert_true(has_alias(f->adv, "GHSA-q2x7-8rv6-6q7h"));
    assert_null(find(m, 2, "GHSA-q2x7-8rv6-6q7h"));
    /* XSA alias kept, malformed CVE-46838 skipped */
    assert_true(has_alias(find(m, 3, "CVE-2023-20593")->adv, "XSA-433"));
    assert_null(find(m, 3, "CVE-46838"));
    /* other release: nothing */
    for (size_t i = 0; i < m->n; i++)
        assert_int_not_equal(m->items[i].key, 4);
    /* sorted by key */
    for (size_t i = 1; i < m->n; i++)
        assert_true(m->items[i - 1].key <= m->items[i].key);
    hull_vuln_matches_free(m);
}

static void test_oval_tracker_osv(void **state)
{
    (void)state;
    const struct hull_vulndb_key keys[] = {
        { "Debian:12", "openssl" }, { "Debian:12", "apt" }, { "Debian:12", "glibc" },
        { "Debian:12", "zlib" },    { "Debian:12", "ncurses" }, { "Debian:9", "ncurses" },
        { "Debian:13", "ncurses" }, { "Debian:10", "glibc" }, { "Debian:12", "chromium-browser" },
    };
    struct hull_vuln_matches *m = lookup(keys, HULL_ARRAY_LEN(keys));
    const struct hull_vuln_affected *f = find(m, 0, "CVE-2023-2650");
    assert_non_null(f);
    assert_string_equal(f->adv->source, "debian-oval:12");
    assert_int_equal(f->status, HULL_VULN_FIXED);
    assert_string_equal(f->fixed, "3.0.9-1");
    assert_non_null(f->adv->summary);
    /* CVSS enrichment from cvss.csv, score recomputed, published score kept */
    bool found = false;
    for (size_t i = 0; i < f->adv->n_cvss; i++)
        if (!strcmp(f->adv->cvss[i].source, "ubuntu-usn-oval-mantic")) {
            found = true;
            assert_true(fabs(f->adv->cvss[i].score - 6.5) < 0.01);
            assert_true(fabs(f->adv->cvss[i].published - 6.5) < 0.01);
            assert_string_equal(f->adv->cvss[i].type, "CVSS_V3");
        }
    assert_true(found);
    assert_false(f->adv->kev);
    /* OVAL "earlier than 0": open, and the tracker's view of the same CVE with its urgency */
    size_t n_apt = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i].key == 1 && !strcmp(m->items[i].adv->id, "CVE-2011-3374")) {
            n_apt++;
            assert_int_equal(m->items[i].status, HULL_VULN_AFFECTED);
            assert_null(m->items[i].fixed);
            if (!strcmp(m->items[i].adv->source, "debian-tracker")) {
                assert_string_equal(m->items[i].severity, "unimportant");
                assert_string_equal(m->items[i].reason, "unimportant");
            }
        }
    assert_int_equal(n_apt, 2); /* OVAL + tracker; "experimental" is not a release */
    /* DSA patch definition: CVE aliases, KEV through an alias */
    f = find(m, 2, "DSA-5514-1");
    assert_non_null(f);
    assert_true(has_alias(f->adv, "CVE-2023-4911"));
    assert_true(f->adv->kev);
    assert_string_equal(f->adv->kev_date_added, "2023-11-21");
    assert_string_equal(f->fixed, "2.36-9+deb12u3");
    f = find(m, 2, "CVE-2023-4911");
    assert_non_null(f);
    assert_true(f->adv->kev);
    assert_int_equal(f->status, HULL_VULN_FIXED);
    /* zlib: OSV record unfixed with explicit versions + tracker <ignored> */
    f = find(m, 3, "DEBIAN-CVE-2023-45853");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_AFFECTED);
    assert_int_equal(f->n_versions, 1);
    assert_string_equal(f->versions[0], "1:1.2.13.dfsg-1");
    assert_string_equal(f->severity, "not yet assigned");
    assert_true(has_alias(f->adv, "CVE-2023-45853")); /* "upstream" */
    f = find(m, 3, "CVE-2023-45853");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_WILL_NOT_FIX);
    assert_non_null(strstr(f->reason, "minizip"));
    assert_non_null(find(m, 3, "CVE-2022-37434"));
    /* tracker status mapping */
    assert_int_equal(find(m, 4, "CVE-2023-50495")->status, HULL_VULN_FIX_DEFERRED);
    assert_string_equal(find(m, 4, "CVE-2023-50495")->severity, "low"); /* "**" dropped */
    assert_int_equal(find(m, 5, "CVE-2023-50495")->status, HULL_VULN_END_OF_LIFE);
    assert_int_equal(find(m, 6, "CVE-2023-50495")->status, HULL_VULN_UNKNOWN);
    assert_int_equal(find(m, 7, "CVE-2023-4911")->status, HULL_VULN_NOT_AFFECTED);
    /* "releases": [] is a record without releases, not a malformed one */
    for (size_t i = 0; i < m->n; i++)
        assert_int_not_equal(m->items[i].key, 8);
    hull_vuln_matches_free(m);
}

static void test_npm(void **state)
{
    (void)state;
    const struct hull_vulndb_key keys[] = {
        { "npm", "axios" }, { "npm", "AXIOS" }, { "npm", "lodash.trim" }, { "npm", "lodash" },
        { "Node.js", "node" }, { "PyPI", "lodash" },
    };
    struct hull_vuln_matches *m = lookup(keys, HULL_ARRAY_LEN(keys));
    /* GitHub's "Axios" (capital A) is found by the lower-case name and any other case */
    const struct hull_vuln_affected *f = find(m, 0, "GHSA-8hc4-vh64-cxmj");
    assert_non_null(f);
    assert_string_equal(f->package, "Axios");
    assert_non_null(find(m, 1, "GHSA-8hc4-vh64-cxmj"));
    assert_string_equal(f->adv->severity, "HIGH");
    assert_string_equal(f->adv->severity_source, "ghsa");
    assert_string_equal(f->ranges[0].events[0].version, "1.3.2");
    assert_int_equal(f->ranges[0].events[0].kind, HULL_VULN_EV_INTRODUCED);
    /* "severity": [] - no vectors of its own; cvss.csv enriches through the CVE alias */
    assert_int_equal(f->adv->n_cvss, 1);
    assert_string_equal(f->adv->cvss[0].source, "cve5-adp-CISA-ADP");
    assert_true(f->adv->n_refs == 2);
    assert_non_null(f->adv->published);
    /* last_affected */
    f = find(m, 2, "GHSA-29mw-wpgm-hmr9");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_AFFECTED);
    assert_int_equal(f->ranges[0].events[1].kind, HULL_VULN_EV_LAST_AFFECTED);
    assert_string_equal(f->ranges[0].events[1].version, "4.5.1");
    f = find(m, 3, "GHSA-29mw-wpgm-hmr9");
    assert_string_equal(f->fixed, "4.17.21");
    assert_true(f->adv->cvss[0].score > 5.29 && f->adv->cvss[0].score < 5.31);
    assert_string_equal(f->adv->cvss[0].source, "advisory");
    /* Node.js WG core: an npm range expression */
    f = find(m, 4, "NSWG-CORE-1");
    assert_non_null(f);
    assert_string_equal(f->ranges[0].type, "NPM_EXPR");
    assert_string_equal(f->ranges[0].expr, "8.x || 7.x || 4.x || 6.x || 5.x");
    assert_true(has_alias(f->adv, "CVE-2017-1000381"));
    assert_string_equal(f->adv->severity, "high");
    for (size_t i = 0; i < m->n; i++)
        assert_int_not_equal(m->items[i].key, 5);
    hull_vuln_matches_free(m);
}

static void test_dsa_list(void **state)
{
    (void)state;
    const struct hull_vulndb_key keys[] = {
        { "Debian:11", "xorg-server" }, { "Debian:5", "lxr-cvs" }, { "Debian:4", "proftpd" },
        { "Debian:5", "proftpd-dfsg" }, { "Debian:5", "collectd" },
    };
    struct hull_vuln_matches *m = lookup(keys, HULL_ARRAY_LEN(keys));
    const struct hull_vuln_affected *f = find(m, 0, "DSA-5380-1");
    assert_non_null(f);
    assert_string_equal(f->adv->source, "debian-dsa");
    assert_string_equal(f->fixed, "2:1.20.11-1+deb11u6");
    assert_string_equal(f->adv->published, "2023-03-29");
    assert_true(has_alias(f->adv, "CVE-2023-1393"));
    /* two spaces before the package */
    f = find(m, 1, "DSA-2092-1");
    assert_non_null(f);
    assert_string_equal(f->adv->summary, "lxr-cvs: cross-site scripting");
    assert_int_equal(f->adv->n_aliases, 5);
    /* no package in the header; <not-affected> with its reason */
    f = find(m, 2, "DSA-1727-1");
    assert_non_null(f);
    assert_int_equal(f->status, HULL_VULN_NOT_AFFECTED);
    assert_string_equal(f->reason, "Vulnerable code not present");
    assert_string_equal(find(m, 3, "DSA-1727-1")->fixed, "1.3.1-17lenny1");
    assert_int_equal(find(m, 4, "DSA-2133-1")->status, HULL_VULN_END_OF_LIFE);
    hull_vuln_matches_free(m);
}

/* OSV fields no excerpt above carries: withdrawn, GIT ranges with repo and limit. The record is
 * written here with an id that says it is a test record. */
static void test_osv_withdrawn_git(void **state)
{
    (void)state;
    char p[400];
    snprintf(p, sizeof(p), "%s/withdrawn.json", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("{\"id\":\"HULL-TEST-0001\",\"modified\":\"2024-01-02T00:00:00Z\","
          "\"withdrawn\":\"2024-01-03T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":"
          "\"Go\",\"name\":\"example.com/mod\"},\"ranges\":[{\"type\":\"GIT\",\"repo\":"
          "\"https://example.com/mod.git\",\"events\":[{\"introduced\":\"0\"},{\"limit\":"
          "\"4b825dc\"}]}]}]}", f);
    fclose(f);
    const char *paths[] = { p };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    assert_int_equal(hull_vulndb_import(NULL, dbpath, paths, 1, NULL, &rep, &err), 0);
    hull_vulndb_report_free(&rep);
    const struct hull_vulndb_key keys[] = { { "Go", "example.com/mod" } };
    struct hull_vuln_matches *m = lookup(keys, 1);
    assert_int_equal(m->n, 1);
    const struct hull_vuln_affected *a = &m->items[0];
    assert_string_equal(a->adv->withdrawn, "2024-01-03T00:00:00Z");
    assert_string_equal(a->ranges[0].type, "GIT");
    assert_string_equal(a->ranges[0].repo, "https://example.com/mod.git");
    assert_int_equal(a->ranges[0].events[1].kind, HULL_VULN_EV_LIMIT);
    assert_int_equal(a->status, HULL_VULN_AFFECTED);
    hull_vuln_matches_free(m);
}

/* NVD API 2.0 page: Primary v3.1 and v2 vectors with NVD's scores; unscored CVEs add nothing,
 * a malformed id is counted. */
static void test_nvd(void **state)
{
    (void)state;
    char db2[400];
    snprintf(db2, sizeof(db2), "%s/nvd.sqlite", dir);
    const char *paths[] = { fx("nvd-page.json"), fx("kev.json") };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    assert_int_equal(hull_vulndb_import(NULL, db2, paths, 2, NULL, &rep, &err), 0);
    assert_int_equal(rep.skipped, 1);
    hull_vulndb_report_free(&rep);
    struct hull_vulndb *db = hull_vulndb_open(NULL, db2, &err);
    assert_non_null(db);
    struct hull_vulndb_status st;
    assert_int_equal(hull_vulndb_get_status(db, &st, &err), 0);
    assert_int_equal(st.cvss, 2);
    bool nvd = false;
    for (size_t i = 0; i < st.n_sources; i++)
        if (!strcmp(st.sources[i].name, "nvd")) {
            nvd = true;
            assert_int_equal(st.sources[i].records, 4);
            assert_int_equal(st.sources[i].advisories, 2);
        }
    assert_true(nvd);
    hull_vulndb_status_free(&st);
    hull_vulndb_close(db);
}

/* A later NVD page (an incremental update) upserts: a CVE seen again is replaced, one whose
 * metrics are gone loses its row, the others stay. */
static void test_nvd_upsert(void **state)
{
    (void)state;
    char db2[400], p[400];
    snprintf(db2, sizeof(db2), "%s/nvd.sqlite", dir); /* built by test_nvd */
    snprintf(p, sizeof(p), "%s/nvd-changes.json", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("{\"resultsPerPage\":2,\"startIndex\":0,\"totalResults\":2,\"format\":\"NVD_CVE\","
          "\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2014-6271\",\"metrics\":{}}},"
          "{\"cve\":{\"id\":\"CVE-2021-44228\",\"metrics\":{\"cvssMetricV31\":[{\"type\":"
          "\"Primary\",\"cvssData\":{\"vectorString\":"
          "\"CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\",\"baseScore\":4.0}}]}}}]}", f);
    fclose(f);
    const char *paths[] = { p };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    assert_int_equal(hull_vulndb_import(NULL, db2, paths, 1, NULL, &rep, &err), 0);
    hull_vulndb_report_free(&rep);
    struct hull_vulndb *db = hull_vulndb_open(NULL, db2, &err);
    assert_non_null(db);
    struct hull_vulndb_status st;
    assert_int_equal(hull_vulndb_get_status(db, &st, &err), 0);
    assert_int_equal(st.cvss, 1);
    hull_vulndb_status_free(&st);
    hull_vulndb_close(db);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db2, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT cve, v3_vector FROM cvss", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "CVE-2021-44228");
    assert_string_equal((const char *)sqlite3_column_text(s, 1),
                        "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N");
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(h);
}

static void test_status_and_age(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(NULL, dbpath, &err);
    assert_non_null(db);
    struct hull_vulndb_status st;
    assert_int_equal(hull_vulndb_get_status(db, &st, &err), 0);
    assert_int_equal(st.schema_version, HULL_VULNDB_SCHEMA_VERSION);
    assert_int_equal(st.kev, 2);
    assert_int_equal(st.cvss, 4); /* CVE-46838 row skipped */
    assert_true(st.built_at > 0);
    bool secdb = false;
    for (size_t i = 0; i < st.n_sources; i++)
        if (!strcmp(st.sources[i].name, "alpine-secdb:v3.18/main")) {
            secdb = true;
            assert_int_equal(st.sources[i].skipped, 1);
            assert_int_equal(st.sources[i].records, 10); /* fix-version keys */
        }
    assert_true(secdb);
    int64_t built = st.built_at;
    hull_vulndb_status_free(&st);
    int64_t age = -1;
    assert_int_equal(hull_vulndb_check_age(db, NULL, (time_t)built + 60, 0, &age, &err), 0);
    assert_int_equal(age, 60);
    /* older than the limit: an error naming the command */
    assert_true(hull_vulndb_check_age(db, NULL, (time_t)built + 9 * 86400, 8 * 86400, &age,
                                      &err) < 0);
    assert_int_equal(err->code, HULL_E_DB);
    assert_non_null(strstr(err->msg, "hull db update"));
    hull_err_clear(&err);
    /* stale without a limit: only a warning */
    assert_int_equal(hull_vulndb_check_age(db, NULL, (time_t)built + 9 * 86400, 0, &age, &err),
                     0);
    hull_vulndb_close(db);
    assert_int_equal(hull_duration_parse("7d"), 7 * 86400);
    assert_int_equal(hull_duration_parse("12h"), 12 * 3600);
    assert_int_equal(hull_duration_parse("90"), 90);
    assert_int_equal(hull_duration_parse("2w"), 14 * 86400);
    assert_true(hull_duration_parse("7x") < 0);
    assert_true(hull_duration_parse("-1d") < 0);
    assert_true(hull_duration_parse("") < 0);
    char eco[32];
    assert_int_equal(hull_vulndb_distro_ecosystem("debian", "12.4", eco, sizeof(eco)), 0);
    assert_string_equal(eco, "Debian:12");
    assert_int_equal(hull_vulndb_distro_ecosystem("alpine", "3.18.8", eco, sizeof(eco)), 0);
    assert_string_equal(eco, "Alpine:v3.18");
    assert_int_equal(hull_vulndb_distro_ecosystem("ubuntu", "22.04", eco, sizeof(eco)), 0);
    assert_string_equal(eco, "Ubuntu:22.04");
    assert_true(hull_vulndb_distro_ecosystem("plan9", "4", eco, sizeof(eco)) < 0);
    assert_true(hull_vulndb_distro_ecosystem("debian", "sid", eco, sizeof(eco)) < 0);
    assert_true(hull_vulndb_distro_ecosystem("alpine", "3.18", eco, 4) < 0);
    char *n = hull_vulndb_norm_package("PyPI", "Foo__Bar.baz");
    assert_string_equal(n, "foo-bar-baz");
    free(n);
    n = hull_vulndb_norm_package("Debian:12", "Foo");
    assert_string_equal(n, "Foo");
    free(n);
}

static void test_missing_db(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    char p[400];
    snprintf(p, sizeof(p), "%s/nope.sqlite", dir);
    assert_null(hull_vulndb_open(NULL, p, &err));
    assert_int_equal(err->code, HULL_E_DB);
    assert_non_null(strstr(err->msg, "hull db update"));
    hull_err_free(err);
    err = NULL;
    /* a file that is not a database */
    assert_null(hull_vulndb_open(NULL, fx("cvss.csv"), &err));
    assert_int_equal(err->code, HULL_E_DB);
    hull_err_free(err);
}

/* A failed import leaves the database byte for byte as it was. */
static void expect_fail_keeps_db(const char *path, bool strict, enum hull_errc code)
{
    int64_t before = file_size(dbpath);
    struct stat s1, s2;
    assert_int_equal(stat(dbpath, &s1), 0);
    const char *paths[] = { fx("kev.json"), path };
    struct hull_vulndb_import_opts o = { .strict = strict };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    assert_true(hull_vulndb_import(NULL, dbpath, paths, 2, &o, &rep, &err) < 0);
    assert_int_equal(err->code, code);
    hull_err_free(err);
    hull_vulndb_report_free(&rep);
    assert_int_equal(stat(dbpath, &s2), 0);
    assert_int_equal(s1.st_ino, s2.st_ino); /* not replaced */
    assert_int_equal(file_size(dbpath), before);
}

static void test_failures_keep_db(void **state)
{
    (void)state;
    expect_fail_keeps_db(fx("bad/oval-truncated.xml.bz2"), false, HULL_E_PARSE);
    expect_fail_keeps_db(fx("bad/osv-truncated.zip"), false, HULL_E_PARSE);
    expect_fail_keeps_db(fx("bad/truncated-tracker.json"), false, HULL_E_PARSE);
    expect_fail_keeps_db(fx("secdb-v3.18-main.json"), true, HULL_E_PARSE); /* CVE-46838 */
    expect_fail_keeps_db(fx("README.md"), false, HULL_E_UNSUPPORTED);
    expect_fail_keeps_db(fx("no-such-file.json"), false, HULL_E_NOTFOUND);
    /* no temp files left behind */
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "ls '%s/sub' | grep -v -x -e db.sqlite -e db.sqlite.lock", dir);
    FILE *p = popen(cmd, "r");
    char line[256];
    assert_null(fgets(line, sizeof(line), p));
    pclose(p);
}

static void test_reimport_replaces(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(NULL, dbpath, &err);
    struct hull_vulndb_status a, b;
    hull_vulndb_get_status(db, &a, &err);
    hull_vulndb_close(db);
    struct hull_vulndb_report rep = { 0 };
    assert_int_equal(import_all(false, &rep, &err), 0);
    /* CVE-46838 in the secdb and in the CSV, the DSA list's broken header */
    assert_int_equal(rep.skipped, 3);
    assert_non_null(strstr(rep.skipped_ids[0], "CVE-46838"));
    hull_vulndb_report_free(&rep);
    db = hull_vulndb_open(NULL, dbpath, &err);
    hull_vulndb_get_status(db, &b, &err);
    hull_vulndb_close(db);
    assert_int_equal(a.advisories, b.advisories);
    assert_int_equal(a.affected, b.affected);
    assert_int_equal(a.cvss, b.cvss);
    hull_vulndb_status_free(&a);
    hull_vulndb_status_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secdb_quirks),
        cmocka_unit_test(test_oval_tracker_osv),
        cmocka_unit_test(test_npm),
        cmocka_unit_test(test_dsa_list),
        cmocka_unit_test(test_osv_withdrawn_git),
        cmocka_unit_test(test_nvd),
        cmocka_unit_test(test_nvd_upsert),
        cmocka_unit_test(test_status_and_age),
        cmocka_unit_test(test_missing_db),
        cmocka_unit_test(test_failures_keep_db),
        cmocka_unit_test(test_reimport_replaces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
