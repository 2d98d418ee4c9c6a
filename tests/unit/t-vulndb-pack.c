/* The packed table (lib/vulndb/pack.c): what a scan reads must equal, field by field, what the
 * normalised tables give through the reference join (vdb_resolve), for every key of databases
 * built from tests/data/vuln and, when ../shared is present, from its feed samples. The
 * decoder must refuse every truncation and survive any corruption of a blob, and a corrupt row
 * fails the lookup with HULL_E_DB naming the package. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include "core/common.h"
#include "core/buf.h"
#include "hull/vulndb.h"
#include "vulndb/vdb.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/hull-vpack-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void build(const char *db, const char *const *paths, size_t n)
{
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    int r = hull_vulndb_import(NULL, db, paths, n, NULL, &rep, &err);
    if (r < 0)
        fail_msg("import: %s", err->msg);
    hull_vulndb_report_free(&rep);
}

static void same_str(const char *a, const char *b, const char *what)
{
    if (!a || !b) {
        if (a != b)
            fail_msg("%s: %s vs %s", what, a ? a : "NULL", b ? b : "NULL");
        return;
    }
    if (strcmp(a, b))
        fail_msg("%s: '%s' vs '%s'", what, a, b);
}

static void same_strs(const char *const *a, size_t na, const char *const *b, size_t nb,
                      const char *what)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        same_str(a[i], b[i], what);
}

static void same_double(double a, double b, const char *what)
{
    if (memcmp(&a, &b, sizeof(a)))
        fail_msg("%s: %g vs %g", what, a, b);
}

static void same_adv(const struct hull_vuln_advisory *a, const struct hull_vuln_advisory *b)
{
    same_str(a->source, b->source, "source");
    same_str(a->id, b->id, "id");
    same_strs(a->aliases, a->n_aliases, b->aliases, b->n_aliases, "alias");
    same_str(a->summary, b->summary, "summary");
    same_str(a->details, b->details, "details");
    same_str(a->published, b->published, "published");
    same_str(a->modified, b->modified, "modified");
    same_str(a->withdrawn, b->withdrawn, "withdrawn");
    same_str(a->severity, b->severity, "adv severity");
    same_str(a->severity_source, b->severity_source, "adv severity source");
    same_strs(a->refs, a->n_refs, b->refs, b->n_refs, "ref");
    assert_int_equal(a->n_cvss, b->n_cvss);
    for (size_t i = 0; i < a->n_cvss; i++) {
        same_str(a->cvss[i].type, b->cvss[i].type, "cvss type");
        same_str(a->cvss[i].vector, b->cvss[i].vector, "cvss vector");
        same_double(a->cvss[i].score, b->cvss[i].score, "cvss score");
        same_double(a->cvss[i].published, b->cvss[i].published, "cvss published");
        same_str(a->cvss[i].source, b->cvss[i].source, "cvss source");
    }
    assert_int_equal(a->kev, b->kev);
    same_str(a->kev_date_added, b->kev_date_added, "kev date");
}

static void same_item(const struct hull_vuln_affected *a, const struct hull_vuln_affected *b)
{
    assert_int_equal(a->key, b->key);
    same_str(a->ecosystem, b->ecosystem, "ecosystem");
    same_str(a->package, b->package, "package");
    same_adv(a->adv, b->adv);
    assert_int_equal(a->status, b->status);
    same_str(a->reason, b->reason, "reason");
    same_str(a->fixed, b->fixed, "fixed");
    same_str(a->severity, b->severity, "severity");
    same_str(a->severity_source, b->severity_source, "severity source");
    assert_int_equal(a->n_ranges, b->n_ranges);
    for (size_t r = 0; r < a->n_ranges; r++) {
        const struct hull_vuln_range *x = &a->ranges[r], *y = &b->ranges[r];
        same_str(x->type, y->type, "range type");
        same_str(x->repo, y->repo, "range repo");
        same_str(x->expr, y->expr, "range expr");
        assert_int_equal(x->n_events, y->n_events);
        for (size_t e = 0; e < x->n_events; e++) {
            assert_int_equal(x->events[e].kind, y->events[e].kind);
            same_str(x->events[e].version, y->events[e].version, "event version");
        }
    }
    same_strs(a->versions, a->n_versions, b->versions, b->n_versions, "version");
}

/* Every key of the database (plus one miss and a duplicate), looked up both ways. Returns the
 * number of entries compared. */
static size_t compare_all(const char *db)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT DISTINCT ecosystem, package FROM affected",
                                        -1, &q, NULL), SQLITE_OK);
    struct hull_vulndb_key *keys = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        assert_int_equal(hull_grow(&keys, n, &cap, sizeof(*keys), 64), 0);
        keys[n].ecosystem = strdup((const char *)sqlite3_column_text(q, 0));
        keys[n].package = strdup((const char *)sqlite3_column_text(q, 1));
        n++;
    }
    sqlite3_finalize(q);
    assert_true(n > 0);
    assert_int_equal(hull_grow(&keys, n, &cap, sizeof(*keys), 64), 0);
    keys[n++] = (struct hull_vulndb_key){ strdup("npm"), strdup("no-such-package-anywhere") };
    assert_int_equal(hull_grow(&keys, n, &cap, sizeof(*keys), 64), 0);
    keys[n] = (struct hull_vulndb_key){ strdup(keys[0].ecosystem), strdup(keys[0].package) };
    n++;

    struct hull_err *err = NULL;
    struct hull_vuln_matches *want = NULL, *got = NULL;
    assert_int_equal(vdb_resolve(h, db, keys, n, &want, &err), 0);
    sqlite3_close(h);
    struct hull_vulndb *v = hull_vulndb_open(NULL, db, &err);
    assert_non_null(v);
    assert_int_equal(hull_vulndb_lookup(v, keys, n, &got, &err), 0);
    hull_vulndb_close(v);
    assert_int_equal(got->n, want->n);
    for (size_t i = 0; i < got->n; i++)
        same_item(&got->items[i], &want->items[i]);
    /* advisories are shared inside one result, as the reference shares them */
    for (size_t i = 1; i < got->n; i++)
        assert_int_equal(got->items[i].adv == got->items[i - 1].adv,
                         want->items[i].adv == want->items[i - 1].adv);
    size_t count = got->n;
    hull_vuln_matches_free(want);
    hull_vuln_matches_free(got);
    for (size_t i = 0; i < n; i++) {
        free((char *)keys[i].ecosystem);
        free((char *)keys[i].package);
    }
    free(keys);
    return count;
}

static char fixture[4200];

static const char *fx(const char *name)
{
    static char buf[16][4300];
    static int i;
    i = (i + 1) % 16;
    const char *top = getenv("HULL_SRCDIR") ? getenv("HULL_SRCDIR") : ".";
    snprintf(buf[i], sizeof(buf[i]), "%s/tests/data/vuln/%s", top, name);
    return buf[i];
}

static void test_fixtures_equal_reference(void **state)
{
    (void)state;
    snprintf(fixture, sizeof(fixture), "%s/fx.sqlite", dir);
    const char *paths[] = { fx("secdb-v3.18-main.json"), fx("oval-bookworm.xml"), fx("osv"),
                            fx("tracker.json"), fx("cvss.csv"), fx("kev.json"),
                            fx("nodewg-core.json"), fx("dsa-list.txt") };
    build(fixture, paths, HULL_ARRAY_LEN(paths));
    size_t n = compare_all(fixture);
    assert_true(n >= 30);
    print_message("fixtures: %zu entries equal the reference\n", n);
}

static void test_shared_samples_equal_reference(void **state)
{
    (void)state;
    const char *s = getenv("HULL_SHARED");
    char base[4096], db[4300];
    snprintf(base, sizeof(base), "%s/data/vuln/samples", s && *s ? s : "../shared");
    struct stat sb;
    if (stat(base, &sb) != 0) {
        print_message("shared samples absent (%s): nothing to compare\n", base);
        return;
    }
    snprintf(db, sizeof(db), "%s/samples.sqlite", dir);
    const char *paths[] = { base };
    build(db, paths, 1);
    size_t n = compare_all(db);
    assert_true(n >= 50);
    print_message("shared samples: %zu entries equal the reference\n", n);
}

/* Encode the first key's entries of the fixture database, then decode every prefix (all must
 * fail cleanly) and every single-byte corruption (must not crash; ASan watches). */
static void test_decoder_rejects_truncation_and_survives_corruption(void **state)
{
    (void)state;
    struct hull_err *err = NULL;
    struct hull_vulndb *v = hull_vulndb_open(NULL, fixture, &err);
    assert_non_null(v);
    /* a key with CVSS, aliases and ranges: the OSV fixtures */
    struct hull_vulndb_key k[] = { { "npm", "lodash" }, { "npm", "minimist" },
                                   { "Debian:12", "openssl" } };
    struct hull_vuln_matches *m = NULL;
    assert_int_equal(hull_vulndb_lookup(v, k, HULL_ARRAY_LEN(k), &m, &err), 0);
    hull_vulndb_close(v);
    assert_true(m->n > 0);
    size_t first = m->items[0].key, cnt = 0;
    while (cnt < m->n && m->items[cnt].key == first)
        cnt++;
    struct hull_buf b = HULL_BUF_INIT(0);
    assert_int_equal(vdb_pack_encode(m->items, cnt, &b, &err), 0);
    assert_true(b.len > 20);

    /* the whole blob decodes to the same entries */
    struct hull_vuln_matches *d = NULL;
    {
        struct hull_vulndb *v2 = hull_vulndb_open(NULL, fixture, &err);
        assert_int_equal(hull_vulndb_lookup(v2, k, 0, &d, &err), 0); /* an empty result */
        hull_vulndb_close(v2);
    }
    size_t cap = 0;
    assert_int_equal(vdb_pack_decode(d, &cap, first, m->items[0].ecosystem, b.p, b.len), 0);
    assert_int_equal(d->n, cnt);
    for (size_t i = 0; i < cnt; i++)
        same_item(&d->items[i], &m->items[i]);
    hull_vuln_matches_free(d);

    unsigned char *copy = malloc(b.len);
    assert_non_null(copy);
    for (size_t len = 0; len < b.len; len++) {
        struct hull_vulndb *v2 = hull_vulndb_open(NULL, fixture, &err);
        assert_int_equal(hull_vulndb_lookup(v2, k, 0, &d, &err), 0);
        hull_vulndb_close(v2);
        cap = 0;
        memcpy(copy, b.p, len);
        assert_int_equal(vdb_pack_decode(d, &cap, 0, "npm", copy, len), -1);
        hull_vuln_matches_free(d);
    }
    size_t ok = 0;
    for (size_t pos = 0; pos < b.len; pos++) {
        static const unsigned char flips[] = { 0x00, 0xff, 0x80, 0x01 };
        for (size_t f = 0; f < sizeof(flips); f++) {
            struct hull_vulndb *v2 = hull_vulndb_open(NULL, fixture, &err);
            assert_int_equal(hull_vulndb_lookup(v2, k, 0, &d, &err), 0);
            hull_vulndb_close(v2);
            cap = 0;
            memcpy(copy, b.p, b.len);
            copy[pos] = flips[f];
            int r = vdb_pack_decode(d, &cap, 0, "npm", copy, b.len);
            assert_true(r == 0 || r == -1);
            if (r == 0) {
                ok++;
                /* whatever decoded is self-consistent: strings readable, counts bounded */
                for (size_t i = 0; i < d->n; i++) {
                    assert_non_null(d->items[i].package);
                    assert_non_null(d->items[i].adv);
                    for (size_t x = 0; x < d->items[i].n_versions; x++)
                        assert_true(strlen(d->items[i].versions[x]) < b.len);
                }
            }
            hull_vuln_matches_free(d);
        }
    }
    print_message("%zu-byte blob: every truncation refused, %zu of %zu corruptions decoded "
                  "(text bytes), none crashed\n", b.len, ok, 4 * b.len);
    free(copy);
    hull_buf_release(&b);
    hull_vuln_matches_free(m);
}

/* A corrupt row in the file: the scan's lookup fails with HULL_E_DB naming the package. */
static void test_corrupt_row_is_a_db_error(void **state)
{
    (void)state;
    char db[400], cmd[9000];
    snprintf(db, sizeof(db), "%s/corrupt.sqlite", dir);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", fixture, db);
    assert_int_equal(system(cmd), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "UPDATE packed SET data = substr(data, 1, length(data) / 2)"
                                     " WHERE ecosystem = 'npm' AND package = 'lodash'",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(h), 1);
    sqlite3_close(h);
    struct hull_err *err = NULL;
    struct hull_vulndb *v = hull_vulndb_open(NULL, db, &err);
    assert_non_null(v);
    struct hull_vulndb_key k[] = { { "npm", "minimist" }, { "npm", "LoDash" } };
    struct hull_vuln_matches *m = NULL;
    assert_int_equal(hull_vulndb_lookup(v, k, 2, &m, &err), -HULL_E_DB);
    assert_null(m);
    assert_non_null(strstr(err->msg, "corrupt entry for npm package LoDash"));
    hull_err_free(err);
    hull_vulndb_close(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_equal_reference),
        cmocka_unit_test(test_shared_samples_equal_reference),
        cmocka_unit_test(test_decoder_rejects_truncation_and_survives_corruption),
        cmocka_unit_test(test_corrupt_row_is_a_db_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
