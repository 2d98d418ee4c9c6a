/* Read side of the vulnerability database: open read-only and immutable (the file is only ever
 * replaced by rename, never modified in place, so readers take no locks and never see "database
 * is locked"), batch lookup through one temp-table join, status and age. */
#include "core/common.h"
#include "core/buf.h"
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <sqlite3.h>
#include "hull/vulndb.h"
#include "vulndb/store.h"
#include "vulndb/vdb.h"

struct hull_vulndb {
    sqlite3 *db;
    char *path;
    const struct hull_ctx *ctx;
};

/* ---- small helpers ---- */

char *hull_vulndb_default_path(struct hull_err **err)
{
    const char *e = getenv("HULL_DB");
    if (e && *e)
        return strdup(e);
    char *p = NULL;
    const char *x = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (x && *x == '/')
        n = asprintf(&p, "%s/hull/db.sqlite", x);
    else if (home && *home)
        n = asprintf(&p, "%s/.cache/hull/db.sqlite", home);
    else {
        hull_err_set(err, HULL_E_IO, "no database path: set HULL_DB, XDG_CACHE_HOME or HOME");
        return NULL;
    }
    if (n < 0) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    return p;
}

static const char *const status_names[] = {
    [HULL_VULN_UNKNOWN] = "unknown",         [HULL_VULN_FIXED] = "fixed",
    [HULL_VULN_AFFECTED] = "affected",       [HULL_VULN_WILL_NOT_FIX] = "will_not_fix",
    [HULL_VULN_FIX_DEFERRED] = "fix_deferred", [HULL_VULN_END_OF_LIFE] = "end_of_life",
    [HULL_VULN_NOT_AFFECTED] = "not_affected",
};

const char *hull_vuln_status_name(enum hull_vuln_status s)
{
    return (unsigned)s < HULL_ARRAY_LEN(status_names) ? status_names[s] : "unknown";
}

int hull_vuln_status_parse(const char *s)
{
    for (size_t i = 0; s && i < HULL_ARRAY_LEN(status_names); i++)
        if (!strcmp(s, status_names[i]))
            return (int)i;
    return -1;
}

char *hull_vulndb_norm_package(const char *ecosystem, const char *name)
{
    char *o = strdup(name ? name : "");
    if (!o || !ecosystem)
        return o;
    if (!strcmp(ecosystem, "npm")) {
        for (char *p = o; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    } else if (!strcmp(ecosystem, "PyPI")) {
        char *w = o;
        for (const char *p = o; *p; p++) {
            char c = *p;
            if (c == '-' || c == '_' || c == '.') {
                if (w == o || w[-1] != '-')
                    *w++ = '-';
                continue;
            }
            *w++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        *w = 0;
    }
    return o;
}

int hull_vulndb_distro_ecosystem(const char *os_id, const char *version_id, char *out, size_t n)
{
    if (!os_id || !version_id || !n)
        return -1;
    unsigned major = 0, minor = 0;
    int got = sscanf(version_id, "%u.%u", &major, &minor);
    if (got < 1 || major > 10000 || minor > 10000)
        return -1;
    int w;
    if (!strcmp(os_id, "debian"))
        w = snprintf(out, n, "Debian:%u", major);
    else if (!strcmp(os_id, "alpine") && got == 2)
        w = snprintf(out, n, "Alpine:v%u.%u", major, minor);
    else if (!strcmp(os_id, "ubuntu") && got == 2)
        w = snprintf(out, n, "Ubuntu:%u.%02u", major, minor);
    else
        return -1;
    return w > 0 && (size_t)w < n ? 0 : -1;
}

int64_t hull_duration_parse(const char *s)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0)
        return -1;
    int64_t mul = 1;
    if (*end) {
        switch (*end) {
        case 's': mul = 1; break;
        case 'm': mul = 60; break;
        case 'h': mul = 3600; break;
        case 'd': mul = 86400; break;
        case 'w': mul = 7 * 86400; break;
        default: return -1;
        }
        if (end[1])
            return -1;
    }
    if (v > INT64_MAX / mul)
        return -1;
    return (int64_t)v * mul;
}

/* ---- open / close ---- */

static int64_t meta_int(sqlite3 *db, const char *key, int64_t dflt)
{
    sqlite3_stmt *s = NULL;
    int64_t v = dflt;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?1", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

struct hull_vulndb *hull_vulndb_open(const struct hull_ctx *ctx, const char *path,
                                     struct hull_err **err)
{
    struct stat sb;
    if (stat(path, &sb) < 0) {
        if (errno == ENOENT)
            hull_err_set(err, HULL_E_DB, "no vulnerability database at %s: run 'hull db update' "
                         "(or 'hull db import PATH...' offline)", path);
        else
            hull_err_sys(err, HULL_E_DB, errno, "vulnerability database %s", path);
        return NULL;
    }
    struct hull_vulndb *db = calloc(1, sizeof(*db));
    char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
    if (!db || !uri || !(db->path = strdup(path))) {
        free(db);
        sqlite3_free(uri);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    db->ctx = ctx;
    /* a handle is never shared between threads: no per-call mutex */
    int rc = sqlite3_open_v2(uri, &db->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    sqlite3_free(uri);
    if (rc != SQLITE_OK) {
        hull_err_set(err, HULL_E_DB, "cannot open vulnerability database %s: %s", path,
                     sqlite3_errmsg(db->db));
        hull_vulndb_close(db);
        return NULL;
    }
    sqlite3_exec(db->db, "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY", NULL, NULL,
                 NULL);
    int64_t v = meta_int(db->db, "schema_version", -1);
    if (v != HULL_VULNDB_SCHEMA_VERSION) {
        if (v < 0)
            hull_err_set(err, HULL_E_DB, "%s is not a hull vulnerability database (run 'hull db "
                         "update' to rebuild it)", path);
        else
            hull_err_set(err, HULL_E_DB, "%s has schema version %lld, this hull needs %d (run "
                         "'hull db update' to rebuild it)", path, (long long)v,
                         HULL_VULNDB_SCHEMA_VERSION);
        hull_vulndb_close(db);
        return NULL;
    }
    return db;
}

void hull_vulndb_close(struct hull_vulndb *db)
{
    if (!db)
        return;
    sqlite3_close(db->db);
    free(db->path);
    free(db);
}

/* ---- lookup ---- */

int hull_vulndb_lookup(struct hull_vulndb *db, const struct hull_vulndb_key *keys, size_t n,
                       struct hull_vuln_matches **out, struct hull_err **err)
{
    *out = NULL;
    struct hull_vuln_matches *m = store_matches_new();
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    int r = 0;
    if (!m)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    /* one read transaction for the batch, not one per statement */
    if (sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->db, "SELECT data FROM packed WHERE ecosystem = ?1 AND"
                                   " package = ?2", -1, &q, NULL) != SQLITE_OK)
        goto dbfail;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i].ecosystem || !keys[i].package)
            continue;
        char *norm = hull_vulndb_norm_package(keys[i].ecosystem, keys[i].package);
        if (!norm)
            goto oom;
        sqlite3_bind_text(q, 1, keys[i].ecosystem, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, norm, -1, free);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            const void *blob = sqlite3_column_blob(q, 0);
            size_t len = (size_t)sqlite3_column_bytes(q, 0);
            int d = vdb_pack_decode(m, &cap, i, keys[i].ecosystem, blob, len);
            if (d == -2)
                goto oom;
            if (d < 0) {
                r = hull_err_set(err, HULL_E_DB, "vulnerability database %s: corrupt entry for "
                                 "%s package %s (run 'hull db update' to rebuild it)", db->path,
                                 keys[i].ecosystem, keys[i].package);
                goto out;
            }
        } else if (rc != SQLITE_DONE) {
            goto dbfail;
        }
        sqlite3_reset(q);
    }
    /* entries come per key in key order, each blob in (source, id, stored) order already */
    if (store_sort_items(m) < 0)
        goto oom;
    goto out;
oom:
    r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    goto out;
dbfail:
    r = hull_err_set(err, HULL_E_DB, "vulnerability database %s: lookup: %s", db->path,
                     sqlite3_errmsg(db->db));
out:
    sqlite3_finalize(q);
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
    if (r < 0) {
        hull_vuln_matches_free(m);
        return r;
    }
    *out = m;
    return 0;
}

/* ---- status and age ---- */

static int64_t count_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *dupcol(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

int hull_vulndb_get_status(struct hull_vulndb *db, struct hull_vulndb_status *st,
                           struct hull_err **err)
{
    memset(st, 0, sizeof(*st));
    struct stat sb;
    st->path = strdup(db->path);
    st->size_bytes = stat(db->path, &sb) == 0 ? (int64_t)sb.st_size : -1;
    st->schema_version = (int)meta_int(db->db, "schema_version", -1);
    st->built_at = meta_int(db->db, "built_at", 0);
    st->advisories = count_of(db->db, "SELECT count(*) FROM advisories");
    st->affected = count_of(db->db, "SELECT count(*) FROM affected");
    st->packages = count_of(db->db, "SELECT count(*) FROM (SELECT DISTINCT ecosystem, package"
                                    " FROM affected)");
    st->cvss = count_of(db->db, "SELECT count(*) FROM cvss");
    st->kev = count_of(db->db, "SELECT count(*) FROM kev");
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT name, kind, origin, imported_at, records,"
                                   " advisories, affected, skipped FROM sources"
                                   " ORDER BY name", -1, &s, NULL) != SQLITE_OK) {
        hull_vulndb_status_free(st);
        return hull_err_set(err, HULL_E_DB, "vulnerability database %s: %s", db->path,
                            sqlite3_errmsg(db->db));
    }
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (hull_grow(&st->sources, st->n_sources, &cap, sizeof(*st->sources), 16) < 0)
            break;
        struct hull_vulndb_source_info *i = &st->sources[st->n_sources++];
        i->name = dupcol(s, 0);
        i->kind = dupcol(s, 1);
        i->origin = dupcol(s, 2);
        i->imported_at = sqlite3_column_int64(s, 3);
        i->records = sqlite3_column_int64(s, 4);
        i->advisories = sqlite3_column_int64(s, 5);
        i->affected = sqlite3_column_int64(s, 6);
        i->skipped = sqlite3_column_int64(s, 7);
    }
    sqlite3_finalize(s);
    s = NULL;
    cap = 0;
    if (sqlite3_prepare_v2(db->db, "SELECT name, url, etag, last_modified, fetched_at, bytes"
                                   " FROM feeds ORDER BY name", -1, &s, NULL) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            if (hull_grow(&st->feeds, st->n_feeds, &cap, sizeof(*st->feeds), 16) < 0)
                break;
            struct hull_vulndb_feed_info *f = &st->feeds[st->n_feeds++];
            f->name = dupcol(s, 0);
            f->url = dupcol(s, 1);
            f->etag = dupcol(s, 2);
            f->last_modified = dupcol(s, 3);
            f->fetched_at = sqlite3_column_int64(s, 4);
            f->bytes = sqlite3_column_int64(s, 5);
        }
    }
    sqlite3_finalize(s);
    return 0;
}

void hull_vulndb_status_free(struct hull_vulndb_status *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n_sources; i++) {
        struct hull_vulndb_source_info *s = &st->sources[i];
        free(s->name);
        free(s->kind);
        free(s->origin);
    }
    free(st->sources);
    for (size_t i = 0; i < st->n_feeds; i++) {
        free(st->feeds[i].name);
        free(st->feeds[i].url);
        free(st->feeds[i].etag);
        free(st->feeds[i].last_modified);
    }
    free(st->feeds);
    free(st->path);
    memset(st, 0, sizeof(*st));
}

/* "3 days", "5 hours", "12 minutes", "40 seconds" */
static void fmt_age(char *b, size_t n, int64_t s)
{
    if (s >= 2 * 86400)
        snprintf(b, n, "%lld days", (long long)(s / 86400));
    else if (s >= 2 * 3600)
        snprintf(b, n, "%lld hours", (long long)(s / 3600));
    else if (s >= 120)
        snprintf(b, n, "%lld minutes", (long long)(s / 60));
    else
        snprintf(b, n, "%lld seconds", (long long)s);
}

int hull_vulndb_check_age(struct hull_vulndb *db, const struct hull_ctx *ctx, time_t now,
                          int64_t max_age_seconds, int64_t *age_seconds, struct hull_err **err)
{
    int64_t built = meta_int(db->db, "built_at", 0);
    int64_t age = (int64_t)now - built;
    if (age < 0)
        age = 0;
    if (age_seconds)
        *age_seconds = age;
    char a[48], l[48];
    fmt_age(a, sizeof(a), age);
    if (max_age_seconds > 0 && age > max_age_seconds) {
        fmt_age(l, sizeof(l), max_age_seconds);
        return hull_err_set(err, HULL_E_DB, "vulnerability database %s is %s old (--max-db-age "
                            "%s): run 'hull db update'", db->path, a, l);
    }
    if (age > HULL_VULNDB_STALE_SECONDS)
        hull_log(ctx, HULL_LOG_WARN, "vulnerability database %s is %s old; run 'hull db update'",
                 db->path, a);
    return 0;
}

void hull_vulndb_report_free(struct hull_vulndb_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_skipped_ids; i++)
        free(r->skipped_ids[i]);
    for (size_t i = 0; i < r->n_sources; i++)
        free(r->sources[i]);
    free(r->sources);
    memset(r, 0, sizeof(*r));
}
