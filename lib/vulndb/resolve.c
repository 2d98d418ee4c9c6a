/* The normalised lookup: one join of the requested keys with affected, advisories, CVSS
 * enrichment, KEV and aliases, then CVSS/KEV enrichment through aliases. It is the reference
 * the packed table (pack.c) is built from at import time; scans read the packed table. */
#include "core/common.h"
#include "core/buf.h"
#include <jansson.h>
#include <sqlite3.h>
#include "vulndb/store.h"
#include "vulndb/vdb.h"

static const char *col(struct store *s, sqlite3_stmt *q, int i)
{
    return st_str(s, (const char *)sqlite3_column_text(q, i));
}

/* col, sharing the copy made for the previous row when the text is the same (the ecosystem,
 * package name and rating source repeat from row to row). */
static const char *col_same(struct store *s, sqlite3_stmt *q, int i, const char **prev)
{
    const char *v = (const char *)sqlite3_column_text(q, i);
    if (!v)
        return NULL;
    if (!*prev || strcmp(*prev, v))
        *prev = st_str(s, v);
    return *prev;
}

static const unsigned char *skip_ws(const unsigned char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* The common case of str_array without a JSON tree: an array of printable ASCII strings
 * without escapes, as the writer stores refs and versions. Returns 1 when txt had that shape
 * (the result in *out, *n; NULL when empty or out of memory, as str_array), 0 to leave txt
 * to the JSON parser. */
static int str_array_fast(struct store *s, const unsigned char *txt, const char *const **out,
                          size_t *n)
{
    const unsigned char *p = skip_ws(txt);
    if (*p++ != '[')
        return 0;
    size_t cnt = 0;
    p = skip_ws(p);
    if (*p != ']') {
        for (;;) {
            if (*p++ != '"')
                return 0;
            while (*p != '"') {
                if (*p < 0x20 || *p >= 0x80 || *p == '\\')
                    return 0;
                p++;
            }
            cnt++;
            p = skip_ws(p + 1);
            if (*p == ']')
                break;
            if (*p++ != ',')
                return 0;
            p = skip_ws(p);
        }
    }
    if (*skip_ws(p + 1))
        return 0;
    if (!cnt)
        return 1;
    const char **a = st_alloc(s, cnt * sizeof(*a));
    if (!a)
        return 1;
    for (p = txt; *p != '"'; p++)
        ;
    for (size_t i = 0; i < cnt; i++) {
        const unsigned char *e = (const unsigned char *)strchr((const char *)p + 1, '"');
        size_t len = (size_t)(e - p - 1);
        char *v = st_alloc(s, len + 1);
        if (v) {
            memcpy(v, p + 1, len);
            v[len] = 0;
        }
        a[(*n)++] = v;
        if (i + 1 < cnt)
            p = (const unsigned char *)strchr((const char *)e + 1, '"');
    }
    *out = a;
    return 1;
}

/* JSON array of strings -> arena array. */
static const char *const *str_array(struct store *s, const unsigned char *txt, size_t *n)
{
    *n = 0;
    if (!txt)
        return NULL;
    const char *const *fast = NULL;
    if (str_array_fast(s, txt, &fast, n))
        return fast;
    json_t *j = json_loads((const char *)txt, 0, NULL);
    if (!json_is_array(j) || !json_array_size(j)) {
        json_decref(j);
        return NULL;
    }
    const char **a = st_alloc(s, json_array_size(j) * sizeof(*a));
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) {
        if (a && json_is_string(v))
            a[(*n)++] = st_str(s, (const char *)json_string_value(v));
    }
    json_decref(j);
    return a;
}

static const struct hull_vuln_range *parse_ranges(struct store *s, const unsigned char *txt,
                                                  size_t *n)
{
    *n = 0;
    if (!txt)
        return NULL;
    json_t *j = json_loads((const char *)txt, 0, NULL);
    if (!json_is_array(j) || !json_array_size(j)) {
        json_decref(j);
        return NULL;
    }
    struct hull_vuln_range *r = st_alloc(s, json_array_size(j) * sizeof(*r));
    size_t i, k;
    json_t *v, *e;
    json_array_foreach(j, i, v) {
        if (!r)
            break;
        struct hull_vuln_range *x = &r[(*n)++];
        memset(x, 0, sizeof(*x));
        x->type = st_str(s, (const char *)json_string_value(json_object_get(v, "type")));
        x->repo = st_str(s, (const char *)json_string_value(json_object_get(v, "repo")));
        x->expr = st_str(s, (const char *)json_string_value(json_object_get(v, "expr")));
        json_t *evs = json_object_get(v, "events");
        size_t ne = json_array_size(evs);
        struct hull_vuln_event *ev = ne ? st_alloc(s, ne * sizeof(*ev)) : NULL;
        json_array_foreach(evs, k, e) {
            if (!ev)
                break;
            static const char *const kinds[] = { "introduced", "fixed", "last_affected",
                                                 "limit" };
            for (size_t q = 0; q < HULL_ARRAY_LEN(kinds); q++) {
                const char *ver = json_string_value(json_object_get(e, kinds[q]));
                if (ver) {
                    ev[x->n_events].kind = (enum hull_vuln_event_kind)q;
                    ev[x->n_events++].version = st_str(s, (const char *)ver);
                    break;
                }
            }
        }
        x->events = ev;
    }
    json_decref(j);
    return r;
}

/* Advisory details come with the lookup join itself: each affected row carries its advisory row,
 * the CVSS enrichment and KEV entry of the advisory id, and its aliases (NUL-separated); the
 * first row of an advisory fills it. Enrichment through aliases is looked up afterwards. */
struct cvss_row {
    size_t adv, seq;
    struct hull_vuln_cvss c;
};

struct cvss_rows {
    struct cvss_row *v;
    size_t n, cap;
};

static int cv_push(struct cvss_rows *r, size_t adv, struct hull_vuln_cvss c)
{
    if (!c.vector || !c.type)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct cvss_row *n = realloc(r->v, cap * sizeof(*n));
        if (!n)
            return -1;
        r->v = n;
        r->cap = cap;
    }
    r->v[r->n] = (struct cvss_row){ adv, r->n, c };
    r->n++;
    return 0;
}

static int cv_cmp(const void *pa, const void *pb)
{
    const struct cvss_row *a = pa, *b = pb;
    if (a->adv != b->adv)
        return a->adv < b->adv ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int str_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Columns of the lookup join (lookup_sql). */
enum {
    C_KEY, C_ECO, C_NAME, C_SRC, C_ADV, C_STATUS, C_REASON, C_FIXED, C_SEV, C_SEVSRC, C_RANGES,
    C_VERSIONS,
    C_SUMMARY, C_DETAILS, C_PUBLISHED, C_MODIFIED, C_WITHDRAWN, C_ASEV, C_ASEVSRC, C_REFS,
    C_CVSS,
    C_EV3, C_EV3SCORE, C_EV2, C_EV2SCORE, C_EORIGIN,
    C_KEV, C_KEVDATE, C_ALIASES,
};

/* CVSS enrichment row (v3_vector, v3_score, v2_vector, v2_score, origin from column base). */
static int push_enrich(struct store *s, struct cvss_rows *cv, size_t i, sqlite3_stmt *q,
                       int base)
{
    const char *origin = col(s, q, base + 4);
    for (int c = 0; c < 2; c++) {
        const unsigned char *vec = sqlite3_column_text(q, base + c * 2);
        if (!vec)
            continue;
        struct hull_vuln_cvss e = {
            .type = c == 0 ? (strncmp((const char *)vec, "CVSS:4", 6) ? "CVSS_V3" : "CVSS_V4")
                           : "CVSS_V2",
            .vector = st_str(s, (const char *)vec),
            .score = hull_cvss_score((const char *)vec, NULL),
            .published = sqlite3_column_type(q, base + 1 + c * 2) == SQLITE_NULL
                             ? -1 : sqlite3_column_double(q, base + 1 + c * 2),
            .source = origin ? origin : "cvss",
        };
        if (cv_push(cv, i, e) < 0)
            return -1;
    }
    return 0;
}

/* Fill advisory a (number i) from the first lookup row naming it. Returns 0 or -1 (OOM). */
static int fill_advisory(struct store *s, struct cvss_rows *cv, size_t i,
                         struct hull_vuln_advisory *a, sqlite3_stmt *q)
{
    a->summary = col(s, q, C_SUMMARY);
    a->details = col(s, q, C_DETAILS);
    a->published = col(s, q, C_PUBLISHED);
    a->modified = col(s, q, C_MODIFIED);
    a->withdrawn = col(s, q, C_WITHDRAWN);
    a->severity = col(s, q, C_ASEV);
    a->severity_source = col(s, q, C_ASEVSRC);
    a->refs = str_array(s, sqlite3_column_text(q, C_REFS), &a->n_refs);
    /* the record's own CVSS vectors */
    const unsigned char *cj = sqlite3_column_text(q, C_CVSS);
    json_t *j = cj ? json_loads((const char *)cj, 0, NULL) : NULL;
    size_t k;
    json_t *v;
    json_array_foreach(j, k, v) {
        json_t *pub = json_object_get(v, "published");
        struct hull_vuln_cvss c = {
            .type = st_str(s, (const char *)json_string_value(
                                  json_object_get(v, "type"))),
            .vector = st_str(s, (const char *)json_string_value(
                                    json_object_get(v, "vector"))),
            .score = json_number_value(json_object_get(v, "score")),
            .published = json_is_number(pub) ? json_number_value(pub) : -1,
            .source = "advisory",
        };
        if (cv_push(cv, i, c) < 0) {
            json_decref(j);
            return -1;
        }
    }
    json_decref(j);
    /* enrichment and KEV entry of the id itself */
    if (push_enrich(s, cv, i, q, C_EV3) < 0)
        return -1;
    if (sqlite3_column_type(q, C_KEV) != SQLITE_NULL) {
        a->kev = true;
        a->kev_date_added = col(s, q, C_KEVDATE);
    }
    /* aliases, sorted */
    if (sqlite3_column_type(q, C_ALIASES) == SQLITE_NULL)
        return 0;
    const char *al = (const char *)sqlite3_column_blob(q, C_ALIASES);
    size_t len = al ? (size_t)sqlite3_column_bytes(q, C_ALIASES) : 0;
    size_t na = 1;
    for (size_t x = 0; x < len; x++)
        na += !al[x];
    char *copy = st_alloc(s, len + 1);
    const char **arr = st_alloc(s, na * sizeof(*arr));
    if (!copy || !arr)
        return -1;
    if (len)
        memcpy(copy, al, len);
    copy[len] = 0;
    size_t n = 0;
    for (char *p = copy; p <= copy + len; p += strlen(p) + 1)
        arr[n++] = p;
    if (n > 1)
        qsort(arr, n, sizeof(*arr), str_cmp);
    a->aliases = arr;
    a->n_aliases = n;
    return 0;
}

static const char alias_cvss_sql[] =
    "SELECT v3_vector, v3_score, v2_vector, v2_score, origin FROM cvss WHERE cve = ?1";
static const char alias_kev_sql[] = "SELECT date_added FROM kev WHERE cve = ?1";

/* CVSS enrichment and KEV entries through the aliases of advs[0..n), then each advisory's
 * vectors: its own first, then the enrichment of its id, then of its aliases, each vector once.
 * Returns 0, -1 on OOM, -2 on a database error. */
static int finish_advisories(sqlite3 *db, struct store *s, struct hull_vuln_advisory **advs,
                             size_t n, struct cvss_rows *cv)
{
    sqlite3_stmt *qc = NULL, *qk = NULL;
    int r = -2;
    for (size_t i = 0; i < n; i++) {
        struct hull_vuln_advisory *a = advs[i];
        for (size_t x = 0; x < a->n_aliases; x++) {
            if ((!qc && sqlite3_prepare_v2(db, alias_cvss_sql, -1, &qc, NULL) != SQLITE_OK) ||
                (!qk && sqlite3_prepare_v2(db, alias_kev_sql, -1, &qk, NULL) != SQLITE_OK))
                goto out;
            sqlite3_bind_text(qc, 1, a->aliases[x], -1, SQLITE_STATIC);
            int rc = sqlite3_step(qc);
            if (rc == SQLITE_ROW && push_enrich(s, cv, i, qc, 0) < 0) {
                r = -1;
                goto out;
            }
            sqlite3_reset(qc);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                goto out;
            if (a->kev)
                continue;
            sqlite3_bind_text(qk, 1, a->aliases[x], -1, SQLITE_STATIC);
            rc = sqlite3_step(qk);
            if (rc == SQLITE_ROW) {
                a->kev = true;
                a->kev_date_added = col(s, qk, 0);
            }
            sqlite3_reset(qk);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                goto out;
        }
    }
    if (cv->n)
        qsort(cv->v, cv->n, sizeof(*cv->v), cv_cmp);
    for (size_t a = 0; a < cv->n;) {
        size_t b = a;
        while (b < cv->n && cv->v[b].adv == cv->v[a].adv)
            b++;
        struct hull_vuln_cvss *arr = st_alloc(s, (b - a) * sizeof(*arr));
        if (!arr) {
            r = -1;
            goto out;
        }
        size_t k = 0;
        for (size_t x = a; x < b; x++) {
            bool dup = false;
            for (size_t y = 0; y < k && !dup; y++)
                dup = !strcmp(arr[y].vector, cv->v[x].c.vector);
            if (!dup)
                arr[k++] = cv->v[x].c;
        }
        advs[cv->v[a].adv]->cvss = arr;
        advs[cv->v[a].adv]->n_cvss = k;
        a = b;
    }
    r = 0;
out:
    sqlite3_finalize(qc);
    sqlite3_finalize(qk);
    return r;
}

/* Build the range a distribution feed implies (introduced 0, then fixed when there is one). */
static bool implied_range(struct store *s, struct hull_vuln_affected *f)
{
    if (f->status == HULL_VULN_NOT_AFFECTED || f->status == HULL_VULN_UNKNOWN)
        return true;
    struct hull_vuln_range *r = st_alloc(s, sizeof(*r));
    struct hull_vuln_event *ev = st_alloc(s, 2 * sizeof(*ev));
    if (!r || !ev)
        return false;
    memset(r, 0, sizeof(*r));
    r->type = "ECOSYSTEM";
    ev[0] = (struct hull_vuln_event){ HULL_VULN_EV_INTRODUCED, "0" };
    r->n_events = 1;
    if (f->fixed)
        ev[r->n_events++] = (struct hull_vuln_event){ HULL_VULN_EV_FIXED, f->fixed };
    r->events = ev;
    f->ranges = r;
    f->n_ranges = 1;
    return true;
}

static const char lookup_sql[] =
    "SELECT q.k, a.ecosystem, a.name, a.source, a.advisory, a.status, a.reason, a.fixed,"
    " a.severity, a.severity_source, a.ranges, a.versions,"
    " v.summary, v.details, v.published, v.modified, v.withdrawn, v.severity,"
    " v.severity_source, v.refs, v.cvss,"
    " c.v3_vector, c.v3_score, c.v2_vector, c.v2_score, c.origin, k.cve, k.date_added,"
    " (SELECT group_concat(al.alias, char(0)) FROM aliases al"
    "  WHERE al.source = a.source AND al.id = a.advisory)"
    " FROM temp.q q JOIN affected a ON a.ecosystem = q.ecosystem AND a.package = q.package"
    " LEFT JOIN advisories v ON v.source = a.source AND v.id = a.advisory"
    " LEFT JOIN cvss c ON c.cve = a.advisory LEFT JOIN kev k ON k.cve = a.advisory";

int vdb_resolve(sqlite3 *h, const char *path, const struct hull_vulndb_key *keys, size_t n,
                struct hull_vuln_matches **out, struct hull_err **err)
{
    *out = NULL;
    struct hull_vuln_matches *m = store_matches_new();
    if (!m)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    struct store *s = store_of(m);
    sqlite3_stmt *ins = NULL, *q = NULL;
    struct hull_vuln_advisory **advs = NULL;
    size_t nadv = 0, advcap = 0;
    struct cvss_rows cv = { 0 };
    const char *prev_eco = NULL, *prev_name = NULL, *prev_sevsrc = NULL;
    int r = 0;
    size_t cap = 0;
    /* inside the writer's transaction the temp table joins it; a reader opens its own */
    bool own_tx = sqlite3_get_autocommit(h);
    if (sqlite3_exec(h, "CREATE TEMP TABLE IF NOT EXISTS q(k INTEGER, ecosystem TEXT,"
                        " package TEXT); DELETE FROM temp.q", NULL, NULL, NULL) != SQLITE_OK ||
        (own_tx && sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_prepare_v2(h, "INSERT INTO temp.q VALUES(?1,?2,?3)", -1, &ins, NULL) !=
            SQLITE_OK)
        goto dbfail;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i].ecosystem || !keys[i].package)
            continue;
        char *norm = hull_vulndb_norm_package(keys[i].ecosystem, keys[i].package);
        if (!norm) {
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
        sqlite3_bind_text(ins, 2, keys[i].ecosystem, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, norm, -1, free);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE)
            goto dbfail;
    }
    if (sqlite3_prepare_v2(h, lookup_sql, -1, &q, NULL) != SQLITE_OK)
        goto dbfail;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(q, C_SRC);
        const char *id = (const char *)sqlite3_column_text(q, C_ADV);
        if (!src || !id)
            continue;
        bool created;
        struct hull_vuln_advisory *a = store_advisory(s, src, id, &created);
        if (!a)
            goto oom;
        if (created) {
            if (nadv == advcap) {
                advcap = advcap ? advcap * 2 : 64;
                struct hull_vuln_advisory **na = realloc(advs, advcap * sizeof(*na));
                if (!na)
                    goto oom;
                advs = na;
            }
            advs[nadv++] = a;
            if (fill_advisory(s, &cv, nadv - 1, a, q) < 0)
                goto oom;
        }
        struct hull_vuln_affected *f = store_push_item(m, &cap);
        if (!f)
            goto oom;
        f->key = (size_t)sqlite3_column_int64(q, 0);
        f->ecosystem = col_same(s, q, C_ECO, &prev_eco);
        f->package = col_same(s, q, C_NAME, &prev_name);
        f->adv = a;
        int st = hull_vuln_status_parse((const char *)sqlite3_column_text(q, 5));
        f->status = st < 0 ? HULL_VULN_UNKNOWN : (enum hull_vuln_status)st;
        f->reason = col(s, q, 6);
        f->fixed = col(s, q, 7);
        f->severity = col(s, q, 8);
        f->severity_source = col_same(s, q, C_SEVSRC, &prev_sevsrc);
        f->versions = str_array(s, sqlite3_column_text(q, 11), &f->n_versions);
        /* an OSV entry with only a versions list has no range: implying "introduced 0"
         * would make every version affected */
        if (sqlite3_column_type(q, 10) != SQLITE_NULL)
            f->ranges = parse_ranges(s, sqlite3_column_text(q, 10), &f->n_ranges);
        else if (!f->n_versions && !implied_range(s, f))
            goto oom;
    }
    if (rc != SQLITE_DONE)
        goto dbfail;
    sqlite3_finalize(q);
    q = NULL;
    int lr = finish_advisories(h, s, advs, nadv, &cv);
    if (lr == -1)
        goto oom;
    if (lr < 0)
        goto dbfail;
    for (size_t i = 0; i < m->n; i++) {
        struct hull_vuln_affected *f = &m->items[i];
        if (!f->severity) {
            f->severity = f->adv->severity;
            f->severity_source = f->adv->severity_source;
        }
    }
    /* deterministic order: key, source, advisory id, then the stored order */
    if (store_sort_items(m) < 0)
        goto oom;
    goto out;
oom:
    r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    goto out;
dbfail:
    r = hull_err_set(err, HULL_E_DB, "vulnerability database %s: lookup: %s", path,
                     sqlite3_errmsg(h));
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(q);
    free(advs);
    free(cv.v);
    if (own_tx)
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    if (r < 0) {
        hull_vuln_matches_free(m);
        return r;
    }
    *out = m;
    return 0;
}
