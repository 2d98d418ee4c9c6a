/* The packed table: one row per (ecosystem, package) holding, in one blob, every affected entry
 * of that package with its advisory fully resolved (CVSS enrichment through aliases, KEV,
 * aliases, references). Imports rebuild it from the normalised tables (resolve.c) before
 * commit; a scan reads one blob per package and decodes it in place, without SQL joins or JSON.
 *
 * Blob format (version 1), all integers unsigned LEB128 varints:
 *   blob     = 0x01 count entry*
 *   entry    = str(name) status str(reason) str(fixed) str(severity) str(severity_source)
 *              count range* count str(version)* str(adv_source) str(adv_id) len advisory
 *   range    = str(type) str(repo) str(expr) count (kind str(version))*
 *   advisory = str(summary) str(details) str(published) str(modified) str(withdrawn)
 *              str(severity) str(severity_source) count str(alias)* count str(ref)*
 *              count cvss* kev str(kev_date_added)
 *   cvss     = str(type) str(vector) f64(score) f64(published) str(source)
 *   str      = 0 (NULL) | len+1, len bytes, NUL
 *   f64      = 8 bytes, IEEE 754 binary64 bit pattern, little-endian
 * The advisory is length-prefixed so a reader that already has it (same source and id from an
 * earlier entry) skips it. The database is input like any other: the decoder checks every
 * length and count against the bytes left and fails cleanly on anything malformed. */
#include "core/common.h"
#include "core/buf.h"
#include <sqlite3.h>
#include "vulndb/store.h"
#include "vulndb/vdb.h"

#define PACK_VERSION 1
#define PACK_MAX_BLOB (256u << 20)

/* ---- encoding ---- */

static int put_varint(struct hull_buf *b, uint64_t v, struct hull_err **err)
{
    unsigned char t[10];
    size_t n = 0;
    do {
        t[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            t[n] |= 0x80;
        n++;
    } while (v);
    return hull_buf_append(b, t, n, err);
}

static int put_str(struct hull_buf *b, const char *s, struct hull_err **err)
{
    if (!s)
        return put_varint(b, 0, err);
    size_t n = strlen(s);
    if (put_varint(b, (uint64_t)n + 1, err) < 0)
        return -1;
    return hull_buf_append(b, s, n + 1, err);
}

static int put_f64(struct hull_buf *b, double d, struct hull_err **err)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    unsigned char t[8];
    for (int i = 0; i < 8; i++)
        t[i] = (unsigned char)(u >> (8 * i));
    return hull_buf_append(b, t, 8, err);
}

static int put_strs(struct hull_buf *b, const char *const *v, size_t n, struct hull_err **err)
{
    if (put_varint(b, n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (put_str(b, v[i], err) < 0)
            return -1;
    return 0;
}

static int put_advisory(struct hull_buf *b, const struct hull_vuln_advisory *a,
                        struct hull_err **err)
{
    const char *s[] = { a->summary, a->details, a->published, a->modified, a->withdrawn,
                        a->severity, a->severity_source };
    for (size_t i = 0; i < HULL_ARRAY_LEN(s); i++)
        if (put_str(b, s[i], err) < 0)
            return -1;
    if (put_strs(b, a->aliases, a->n_aliases, err) < 0 ||
        put_strs(b, a->refs, a->n_refs, err) < 0 || put_varint(b, a->n_cvss, err) < 0)
        return -1;
    for (size_t i = 0; i < a->n_cvss; i++) {
        const struct hull_vuln_cvss *c = &a->cvss[i];
        if (put_str(b, c->type, err) < 0 || put_str(b, c->vector, err) < 0 ||
            put_f64(b, c->score, err) < 0 || put_f64(b, c->published, err) < 0 ||
            put_str(b, c->source, err) < 0)
            return -1;
    }
    if (put_varint(b, a->kev, err) < 0 || put_str(b, a->kev ? a->kev_date_added : NULL, err) < 0)
        return -1;
    return 0;
}

int vdb_pack_encode(const struct hull_vuln_affected *items, size_t n, struct hull_buf *b,
                    struct hull_err **err)
{
    struct hull_buf adv = HULL_BUF_INIT(PACK_MAX_BLOB);
    int r = -1;
    if (put_varint(b, PACK_VERSION, err) < 0 || put_varint(b, n, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct hull_vuln_affected *f = &items[i];
        if (put_str(b, f->package, err) < 0 || put_varint(b, f->status, err) < 0 ||
            put_str(b, f->reason, err) < 0 || put_str(b, f->fixed, err) < 0 ||
            put_str(b, f->severity, err) < 0 || put_str(b, f->severity_source, err) < 0 ||
            put_varint(b, f->n_ranges, err) < 0)
            goto out;
        for (size_t k = 0; k < f->n_ranges; k++) {
            const struct hull_vuln_range *g = &f->ranges[k];
            if (put_str(b, g->type, err) < 0 || put_str(b, g->repo, err) < 0 ||
                put_str(b, g->expr, err) < 0 || put_varint(b, g->n_events, err) < 0)
                goto out;
            for (size_t e = 0; e < g->n_events; e++)
                if (put_varint(b, g->events[e].kind, err) < 0 ||
                    put_str(b, g->events[e].version, err) < 0)
                    goto out;
        }
        adv.len = 0;
        if (put_strs(b, f->versions, f->n_versions, err) < 0 ||
            put_str(b, f->adv->source, err) < 0 || put_str(b, f->adv->id, err) < 0 ||
            put_advisory(&adv, f->adv, err) < 0 || put_varint(b, adv.len, err) < 0 ||
            hull_buf_append(b, adv.p, adv.len, err) < 0)
            goto out;
    }
    r = 0;
out:
    hull_buf_release(&adv);
    return r;
}

/* ---- decoding ---- */

struct cur {
    const unsigned char *p, *end;
};

static bool get_varint(struct cur *c, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end)
            return false;
        unsigned char b = *c->p++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* A count of items that take at least `each` bytes apiece: never more than the bytes left. */
static bool get_count(struct cur *c, size_t each, size_t *n)
{
    uint64_t v;
    if (!get_varint(c, &v) || v > (uint64_t)(c->end - c->p) / each)
        return false;
    *n = (size_t)v;
    return true;
}

static bool get_str(struct cur *c, const char **s)
{
    uint64_t v;
    if (!get_varint(c, &v))
        return false;
    if (!v) {
        *s = NULL;
        return true;
    }
    if (v > (uint64_t)(c->end - c->p) || c->p[v - 1] != 0)
        return false;
    *s = (const char *)c->p;
    c->p += v;
    return true;
}

static bool get_f64(struct cur *c, double *d)
{
    if (c->end - c->p < 8)
        return false;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)c->p[i] << (8 * i);
    memcpy(d, &u, sizeof(*d));
    c->p += 8;
    return true;
}

/* n strings into a new array (NULL when n is 0). -1 malformed, -2 OOM. */
static int get_strs(struct store *s, struct cur *c, const char *const **out, size_t *n)
{
    *out = NULL;
    if (!get_count(c, 1, n))
        return -1;
    if (!*n)
        return 0;
    const char **a = st_alloc(s, *n * sizeof(*a));
    if (!a)
        return -2;
    for (size_t i = 0; i < *n; i++)
        if (!get_str(c, &a[i]) || !a[i])
            return -1;
    *out = a;
    return 0;
}

static int get_advisory(struct store *s, struct cur *c, struct hull_vuln_advisory *a)
{
    const char **f[] = { &a->summary, &a->details, &a->published, &a->modified, &a->withdrawn,
                         &a->severity, &a->severity_source };
    for (size_t i = 0; i < HULL_ARRAY_LEN(f); i++)
        if (!get_str(c, f[i]))
            return -1;
    int r;
    if ((r = get_strs(s, c, &a->aliases, &a->n_aliases)) < 0 ||
        (r = get_strs(s, c, &a->refs, &a->n_refs)) < 0)
        return r;
    if (!get_count(c, 18, &a->n_cvss))
        return -1;
    if (a->n_cvss) {
        struct hull_vuln_cvss *v = st_alloc(s, a->n_cvss * sizeof(*v));
        if (!v)
            return -2;
        for (size_t i = 0; i < a->n_cvss; i++)
            if (!get_str(c, &v[i].type) || !get_str(c, &v[i].vector) ||
                !get_f64(c, &v[i].score) || !get_f64(c, &v[i].published) ||
                !get_str(c, &v[i].source) || !v[i].type || !v[i].vector || !v[i].source)
                return -1;
        a->cvss = v;
    }
    uint64_t kev;
    if (!get_varint(c, &kev) || kev > 1 || !get_str(c, &a->kev_date_added))
        return -1;
    a->kev = kev;
    return c->p == c->end ? 0 : -1;
}

static int get_ranges(struct store *s, struct cur *c, struct hull_vuln_affected *f)
{
    if (!get_count(c, 4, &f->n_ranges))
        return -1;
    if (!f->n_ranges)
        return 0;
    struct hull_vuln_range *r = st_alloc(s, f->n_ranges * sizeof(*r));
    if (!r)
        return -2;
    for (size_t k = 0; k < f->n_ranges; k++) {
        struct hull_vuln_range *g = &r[k];
        if (!get_str(c, &g->type) || !g->type || !get_str(c, &g->repo) ||
            !get_str(c, &g->expr) || !get_count(c, 2, &g->n_events))
            return -1;
        struct hull_vuln_event *ev = NULL;
        if (g->n_events && !(ev = st_alloc(s, g->n_events * sizeof(*ev))))
            return -2;
        for (size_t e = 0; e < g->n_events; e++) {
            uint64_t kind;
            if (!get_varint(c, &kind) || kind > HULL_VULN_EV_LIMIT ||
                !get_str(c, &ev[e].version) || !ev[e].version)
                return -1;
            ev[e].kind = (enum hull_vuln_event_kind)kind;
        }
        g->events = ev;
    }
    f->ranges = r;
    return 0;
}

int vdb_pack_decode(struct hull_vuln_matches *m, size_t *cap, size_t key, const char *ecosystem,
                    const void *blob, size_t len)
{
    struct store *s = store_of(m);
    /* one copy of the whole blob: every string of the result points into it */
    unsigned char *copy = st_alloc(s, len ? len : 1);
    const char *eco = st_str(s, ecosystem);
    if (!copy || !eco)
        return -2;
    if (len)
        memcpy(copy, blob, len);
    struct cur c = { copy, copy + len };
    uint64_t ver;
    size_t n;
    if (!get_varint(&c, &ver) || ver != PACK_VERSION || !get_count(&c, 12, &n))
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct hull_vuln_affected *f = store_push_item(m, cap);
        if (!f)
            return -2;
        f->key = key;
        f->ecosystem = eco;
        uint64_t st;
        int r;
        if (!get_str(&c, &f->package) || !f->package || !get_varint(&c, &st) ||
            st > HULL_VULN_NOT_AFFECTED || !get_str(&c, &f->reason) ||
            !get_str(&c, &f->fixed) || !get_str(&c, &f->severity) ||
            !get_str(&c, &f->severity_source))
            return -1;
        f->status = (enum hull_vuln_status)st;
        if ((r = get_ranges(s, &c, f)) < 0 ||
            (r = get_strs(s, &c, &f->versions, &f->n_versions)) < 0)
            return r;
        const char *src, *id;
        uint64_t alen;
        if (!get_str(&c, &src) || !src || !get_str(&c, &id) || !id || !get_varint(&c, &alen) ||
            alen > (uint64_t)(c.end - c.p))
            return -1;
        bool created;
        struct hull_vuln_advisory *a = store_advisory(s, src, id, &created);
        if (!a)
            return -2;
        struct cur ac = { c.p, c.p + alen };
        if (created && (r = get_advisory(s, &ac, a)) < 0)
            return r;
        c.p += alen;
        f->adv = a;
    }
    return c.p == c.end ? 0 : -1;
}

/* ---- building the table ---- */

#define PACK_BATCH 2048

static int insert_key(sqlite3_stmt *ins, const char *eco, const char *pkg,
                      const struct hull_vuln_affected *items, size_t n, struct hull_buf *b,
                      struct hull_err **err)
{
    b->len = 0;
    if (vdb_pack_encode(items, n, b, err) < 0)
        return -1;
    sqlite3_bind_text(ins, 1, eco, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, pkg, -1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 3, b->p, (int)b->len, SQLITE_STATIC);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc == SQLITE_DONE ? 0 : 1;
}

int vdb_pack_build(sqlite3 *h, const char *path, struct hull_err **err)
{
    sqlite3_stmt *q = NULL, *ins = NULL;
    struct hull_vulndb_key *keys = NULL;
    size_t n = 0, cap = 0;
    struct hull_buf b = HULL_BUF_INIT(PACK_MAX_BLOB);
    int r = 0;
    if (sqlite3_exec(h, "DELETE FROM packed", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "SELECT DISTINCT ecosystem, package FROM affected", -1, &q,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO packed(ecosystem, package, data)"
                              " VALUES(?1,?2,?3)", -1, &ins, NULL) != SQLITE_OK)
        goto dbfail;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (hull_grow(&keys, n, &cap, sizeof(*keys), 1024) < 0)
            goto oom;
        const char *e = (const char *)sqlite3_column_text(q, 0);
        const char *p = (const char *)sqlite3_column_text(q, 1);
        keys[n].ecosystem = e ? strdup(e) : NULL;
        keys[n].package = p ? hull_vulndb_norm_package(e, p) : NULL;
        if (!keys[n].ecosystem || !keys[n].package) {
            free((char *)keys[n].ecosystem);
            free((char *)keys[n].package);
            goto oom;
        }
        n++;
    }
    if (rc != SQLITE_DONE)
        goto dbfail;
    for (size_t off = 0; off < n; off += PACK_BATCH) {
        size_t nb = n - off < PACK_BATCH ? n - off : PACK_BATCH;
        struct hull_vuln_matches *m = NULL;
        if ((r = vdb_resolve(h, path, keys + off, nb, &m, err)) < 0)
            goto out;
        for (size_t i = 0; i < m->n && r == 0;) {
            size_t j = i;
            while (j < m->n && m->items[j].key == m->items[i].key)
                j++;
            const struct hull_vulndb_key *k = &keys[off + m->items[i].key];
            r = insert_key(ins, k->ecosystem, k->package, &m->items[i], j - i, &b, err);
            i = j;
        }
        hull_vuln_matches_free(m);
        if (r > 0)
            goto dbfail;
        if (r < 0)
            goto out;
    }
    goto out;
oom:
    r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    goto out;
dbfail:
    r = hull_err_set(err, HULL_E_DB, "vulnerability database %s: packing: %s",
                     path ? path : ":memory:", sqlite3_errmsg(h));
out:
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    for (size_t i = 0; i < n; i++) {
        free((char *)keys[i].ecosystem);
        free((char *)keys[i].package);
    }
    free(keys);
    hull_buf_release(&b);
    return r;
}
