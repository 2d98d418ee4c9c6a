/* rpm header decoding from hand-built blobs (good, and every kind of bad offset, count and
 * string), and the rpmdb analyzer's handling of non-SQLite input, bad write-ahead logs and
 * unsupported BerkeleyDB / ndb databases. Real SQLite rpmdbs built with rpmbuild (with and
 * without an un-checkpointed WAL) are tested in tests/cli/t2010-sbom-dir.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "analyzer_test.h"
#include "analyzer/rpmhdr.h"

struct hb {
    uint8_t idx[64 * 16];
    uint8_t data[4096];
    uint32_t il, dl;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void entry(struct hb *h, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
    uint8_t *e = h->idx + 16 * h->il++;
    put32(e, tag);
    put32(e + 4, type);
    put32(e + 8, off);
    put32(e + 12, count);
}

static void add_str(struct hb *h, uint32_t tag, const char *s)
{
    entry(h, tag, 6, h->dl, 1);
    memcpy(h->data + h->dl, s, strlen(s) + 1);
    h->dl += (uint32_t)strlen(s) + 1;
}

static void add_strv(struct hb *h, uint32_t tag, const char *const *v, uint32_t n)
{
    entry(h, tag, 8, h->dl, n);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(h->data + h->dl, v[i], strlen(v[i]) + 1);
        h->dl += (uint32_t)strlen(v[i]) + 1;
    }
}

static void add_i32(struct hb *h, uint32_t tag, const uint32_t *v, uint32_t n)
{
    while (h->dl % 4)
        h->data[h->dl++] = 0;
    entry(h, tag, 4, h->dl, n);
    for (uint32_t i = 0; i < n; i++, h->dl += 4)
        put32(h->data + h->dl, v[i]);
}

static size_t blob(const struct hb *h, uint8_t *out)
{
    put32(out, h->il);
    put32(out + 4, h->dl);
    memcpy(out + 8, h->idx, 16u * h->il);
    memcpy(out + 8 + 16u * h->il, h->data, h->dl);
    return 8 + 16u * h->il + h->dl;
}

static void good(struct hb *h)
{
    memset(h, 0, sizeof(*h));
    static const uint32_t epoch = 2, dirindex[] = { 0, 1, 1 };
    static const char *const base[] = { "curl", "libcurl.so.4", "libcurl.so.4.8.0" };
    static const char *const dirs[] = { "/usr/bin/", "/usr/lib64/" };
    add_str(h, 1000, "curl");
    add_str(h, 1001, "8.2.1");
    add_str(h, 1002, "3.fc39");
    add_i32(h, 1003, &epoch, 1);
    add_str(h, 1014, "curl");
    add_str(h, 1022, "x86_64");
    add_str(h, 1044, "curl-8.2.1-3.fc39.src.rpm");
    add_i32(h, 1116, dirindex, 3);
    add_strv(h, 1117, base, 3);
    add_strv(h, 1118, dirs, 2);
}

static void test_good_header(void **state)
{
    (void)state;
    struct hb h;
    uint8_t b[8192];
    good(&h);
    size_t n = blob(&h, b);
    struct hull_rpmhdr r;
    struct hull_err *err = NULL;
    assert_int_equal(hull_rpmhdr_parse(b, n, &r, &err), 0);
    assert_string_equal(r.name, "curl");
    assert_string_equal(r.version, "8.2.1");
    assert_string_equal(r.release, "3.fc39");
    assert_true(r.has_epoch);
    assert_int_equal(r.epoch, 2);
    assert_string_equal(r.arch, "x86_64");
    assert_string_equal(r.sourcerpm, "curl-8.2.1-3.fc39.src.rpm");
    assert_int_equal(r.n_files, 3);
    assert_string_equal(r.files[0], "/usr/bin/curl");
    assert_string_equal(r.files[2], "/usr/lib64/libcurl.so.4.8.0");
    hull_rpmhdr_release(&r);
}

static void expect_bad(const uint8_t *b, size_t n, const char *needle)
{
    struct hull_rpmhdr r;
    struct hull_err *err = NULL;
    assert_true(hull_rpmhdr_parse(b, n, &r, &err) < 0);
    assert_non_null(err);
    assert_int_equal(err->code, HULL_E_PARSE);
    if (!strstr(err->msg, needle))
        fail_msg("error '%s' lacks '%s'", err->msg, needle);
    hull_err_free(err);
    assert_null(r.name);
}

static void test_bad_headers(void **state)
{
    (void)state;
    struct hb h;
    uint8_t b[8192];
    good(&h);
    size_t n = blob(&h, b);
    expect_bad(b, 4, "too short");
    expect_bad(b, n - 1, "truncated");
    uint8_t c[8192];
    memcpy(c, b, n);
    put32(c, 0x7fffffff); /* il */
    expect_bad(c, n, "bad sizes");
    memcpy(c, b, n);
    put32(c, 0); /* no entries */
    expect_bad(c, n, "bad sizes");
    memcpy(c, b, n);
    put32(c + 8 + 8, h.dl + 100); /* NAME offset outside the data */
    expect_bad(c, n, "outside");
    memcpy(c, b, n);
    c[n - 1] = 'x'; /* last string (a DIRNAMES entry) loses its NUL */
    expect_bad(c, n, "not terminated");
    memcpy(c, b, n);
    put32(c + 8 + 4, 4); /* NAME declared as INT32 */
    expect_bad(c, n, "not a string");
    /* DIRINDEXES pointing past DIRNAMES */
    struct hb h2;
    good(&h2);
    for (uint32_t i = 0; i < h2.il; i++) {
        uint8_t *e = h2.idx + 16 * i;
        if (e[2] == 0x04 && e[3] == 0x5c) { /* tag 1116 */
            uint32_t off = (uint32_t)e[8] << 24 | (uint32_t)e[9] << 16 | (uint32_t)e[10] << 8 |
                           e[11];
            put32(h2.data + off, 7);
        }
    }
    n = blob(&h2, c);
    expect_bad(c, n, "directory index");
    /* no NAME at all */
    struct hb h3;
    memset(&h3, 0, sizeof(h3));
    add_str(&h3, 1001, "1");
    n = blob(&h3, c);
    expect_bad(c, n, "no NAME");
}

static void test_rpmdb_inputs(void **state)
{
    (void)state;
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    static const char junk[] = "this is not an sqlite database at all, just some text......"
                               "......................................................";
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_rpmdb, "/var/lib/rpm/rpmdb.sqlite", junk,
                                         sizeof(junk) - 1, inv, &err), 0);
    assert_true(warned(inv, "/var/lib/rpm/rpmdb.sqlite: not an SQLite database"));
    static const char bdb[] = "\0\0\0\0\1\0\0\0\0\0\0\0\x61\x15\x06\0";
    assert_true(hull_analyze_bytes(&hull_analyzer_rpmdb, "/var/lib/rpm/Packages", bdb,
                                   sizeof(bdb) - 1, inv, &err) < 0);
    assert_int_equal(err->code, HULL_E_UNSUPPORTED);
    assert_non_null(strstr(err->msg, "BerkeleyDB"));
    assert_non_null(strstr(err->msg, "not supported yet"));
    hull_err_clear(&err);
    assert_true(hull_analyze_bytes(&hull_analyzer_rpmdb, "/usr/lib/sysimage/rpm/Packages.db",
                                   bdb, sizeof(bdb) - 1, inv, &err) < 0);
    assert_non_null(strstr(err->msg, "ndb"));
    hull_err_clear(&err);
    /* the dispatcher turns analyzer errors into warnings naming the file */
    struct hull_input in = { .path = "/var/lib/rpm/Packages", .data = (const uint8_t *)bdb,
                             .len = sizeof(bdb) - 1, .diff_id = "" };
    assert_int_equal(hull_analyzers_run(&in, inv, &err), 0);
    assert_true(warned(inv, "/var/lib/rpm/Packages: rpm BerkeleyDB database: not supported yet"));
    /* a log that is not a WAL, next to a database: a warning, the database is still read */
    static const char sqlite_hdr[100] = "SQLite format 3";
    struct hull_input db = { .path = "/var/lib/rpm/rpmdb.sqlite",
                             .data = (const uint8_t *)sqlite_hdr, .len = sizeof(sqlite_hdr),
                             .diff_id = "" };
    static const char wal[] = "WAL bytes that are not a write-ahead log at all.....";
    struct hull_input w = { .path = "/var/lib/rpm/rpmdb.sqlite-wal", .data = (const uint8_t *)wal,
                            .len = sizeof(wal) - 1, .diff_id = "" };
    assert_int_equal(hull_analyzers_run(&db, inv, &err), 0);
    assert_int_equal(hull_analyzers_run(&w, inv, &err), 0);
    assert_int_equal(hull_analyzers_finish(inv, &err), 0);
    assert_true(warned(inv, "rpmdb.sqlite-wal: not an SQLite write-ahead log; packages changed"));
    assert_true(warned(inv, "/var/lib/rpm/rpmdb.sqlite: sqlite:"));
    assert_true(hull_analyzer_rpmdb.wants("/usr/lib/sysimage/rpm/rpmdb.sqlite"));
    assert_false(hull_analyzer_rpmdb.wants("/var/lib/rpm/Basenames"));
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_header),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_rpmdb_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
