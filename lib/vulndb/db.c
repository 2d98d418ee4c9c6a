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

/* ---- result storage: a chunked bump allocator ---- */

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct store {
    struct chunk *head;
    /* advisory index: open addressing over (source, id) */
    struct hull_vuln_advisory **slots;
    uint64_t *hashes; /* hash2 of each used slot */
    size_t nslots, nused;
};

static void *st_alloc(struct store *s, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!s->head || s->head->cap - s->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        struct chunk *c = malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->next = s->head;
        c->used = 0;
        c->cap = cap;
        s->head = c;
    }
    void *p = (char *)s->head->data + s->head->used;
    s->head->used += n;
    return p;
}

static const char *st_str(struct store *s, const unsigned char *v)
{
    if (!v)
        return NULL;
    size_t n = strlen((const char *)v);
    char *p = st_alloc(s, n + 1);
    if (p)
        memcpy(p, v, n + 1);
    return p;
}

static const char *col(struct store *s, sqlite3_stmt *q, int i)
{
    return st_str(s, sqlite3_column_text(q, i));
}

/* col, sharing the copy made for the previous row when the text is the same (the ecosystem,
 * package name and rating source repeat from row to row). */
static const char *col_same(struct store *s, sqlite3_stmt *q, int i, const char **prev)
{
    const char *v = (const char *)sqlite3_column_text(q, i);
    if (!v)
        return NULL;
    if (!*prev || strcmp(*prev, v))
        *prev = st_str(s, (const unsigned char *)v);
    return *prev;
}

void hull_vuln_matches_free(struct hull_vuln_matches *m)
{
    if (!m)
        return;
    struct store *s = m->priv_;
    if (s) {
        for (struct chunk *c = s->head, *n; c; c = n) {
            n = c->next;
            free(c);
        }
        free(s->slots);
        free(s->hashes);
        free(s);
    }
    free(m->items);
    free(m);
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ull;
    /* murmur3 finaliser: FNV's low bits, which the table index uses, mix poorly */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* Find the slot of (source, id) whose hash2 is h: returns the slot index (empty or
 * matching). */
static size_t adv_slot(struct store *s, const char *src, const char *id, uint64_t h)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)h & mask;
    while (s->slots[i] && (s->hashes[i] != h || strcmp(s->slots[i]->source, src) ||
                           strcmp(s->slots[i]->id, id)))
        i = (i + 1) & mask;
    return i;
}

static int grow_slots(struct store *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 1024;
    struct hull_vuln_advisory **old = s->slots;
    uint64_t *oldh = s->hashes;
    size_t oldn = s->nslots;
    s->slots = calloc(n, sizeof(*s->slots));
    s->hashes = malloc(n * sizeof(*s->hashes));
    if (!s->slots || !s->hashes) {
        free(s->slots);
        free(s->hashes);
        s->slots = old;
        s->hashes = oldh;
        return -1;
    }
    s->nslots = n;
    size_t mask = n - 1;
    for (size_t i = 0; i < oldn; i++) {
        if (!old[i])
            continue;
        size_t j = (size_t)oldh[i] & mask;
        while (s->slots[j])
            j = (j + 1) & mask;
        s->slots[j] = old[i];
        s->hashes[j] = oldh[i];
    }
    free(old);
    free(oldh);
    return 0;
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
            a[(*n)++] = st_str(s, (const unsigned char *)json_string_value(v));
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
        x->type = st_str(s, (const unsigned char *)json_string_value(json_object_get(v, "type")));
        x->repo = st_str(s, (const unsigned char *)json_string_value(json_object_get(v, "repo")));
        x->expr = st_str(s, (const unsigned char *)json_string_value(json_object_get(v, "expr")));
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
                    ev[x->n_events++].version = st_str(s, (const unsigned char *)ver);
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
            .vector = st_str(s, vec),
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
            .type = st_str(s, (const unsigned char *)json_string_value(
                                  json_object_get(v, "type"))),
            .vector = st_str(s, (const unsigned char *)json_string_value(
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

static int item_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct hull_vuln_affected *items = ctx;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const struct hull_vuln_affected *a = &items[ia], *b = &items[ib];
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    int c = strcmp(a->adv->source, b->adv->source);
    if (!c)
        c = strcmp(a->adv->id, b->adv->id);
    return c ? c : (ia < ib ? -1 : ia > ib);
}

static int sort_items(struct hull_vuln_matches *m)
{
    if (m->n < 2)
        return 0;
    /* the join mostly yields rows in this order already (keys in order, each key's rows in
     * primary-key order): then there is nothing to move */
    size_t i = 1;
    while (i < m->n && item_cmp(&(size_t){ i - 1 }, &(size_t){ i }, m->items) < 0)
        i++;
    if (i == m->n)
        return 0;
    size_t *ord = malloc(m->n * sizeof(*ord));
    struct hull_vuln_affected *out = malloc(m->n * sizeof(*out));
    if (!ord || !out) {
        free(ord);
        free(out);
        return -1;
    }
    for (i = 0; i < m->n; i++)
        ord[i] = i;
    qsort_r(ord, m->n, sizeof(*ord), item_cmp, m->items);
    for (i = 0; i < m->n; i++)
        out[i] = m->items[ord[i]];
    free(ord);
    free(m->items);
    m->items = out;
    return 0;
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

int hull_vulndb_lookup(struct hull_vulndb *db, const struct hull_vulndb_key *keys, size_t n,
                       struct hull_vuln_matches **out, struct hull_err **err)
{
    *out = NULL;
    struct hull_vuln_matches *m = calloc(1, sizeof(*m));
    struct store *s = calloc(1, sizeof(*s));
    if (!m || !s) {
        free(m);
        free(s);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    m->priv_ = s;
    sqlite3_stmt *ins = NULL, *q = NULL;
    struct hull_vuln_advisory **advs = NULL;
    size_t nadv = 0, advcap = 0;
    struct cvss_rows cv = { 0 };
    const char *prev_eco = NULL, *prev_name = NULL, *prev_sevsrc = NULL;
    int r = 0;
    size_t cap = 0;
    if (sqlite3_exec(db->db, "CREATE TEMP TABLE IF NOT EXISTS q(k INTEGER, ecosystem TEXT,"
                             " package TEXT); DELETE FROM temp.q; BEGIN", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db->db, "INSERT INTO temp.q VALUES(?1,?2,?3)", -1, &ins, NULL) !=
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
    if (sqlite3_prepare_v2(db->db, lookup_sql, -1, &q, NULL) != SQLITE_OK)
        goto dbfail;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (hull_grow(&m->items, m->n, &cap, sizeof(*m->items), 64) < 0)
            goto oom;
        if (s->nused * 2 >= s->nslots && grow_slots(s) < 0)
            goto oom;
        const char *src = (const char *)sqlite3_column_text(q, C_SRC);
        const char *id = (const char *)sqlite3_column_text(q, C_ADV);
        if (!src || !id)
            continue;
        uint64_t h = hash2(src, id);
        size_t slot = adv_slot(s, src, id, h);
        if (!s->slots[slot]) {
            struct hull_vuln_advisory *a = st_alloc(s, sizeof(*a));
            if (!a)
                goto oom;
            memset(a, 0, sizeof(*a));
            a->source = st_str(s, (const unsigned char *)src);
            a->id = st_str(s, (const unsigned char *)id);
            if (nadv == advcap) {
                advcap = advcap ? advcap * 2 : 64;
                struct hull_vuln_advisory **na = realloc(advs, advcap * sizeof(*na));
                if (!na)
                    goto oom;
                advs = na;
            }
            if (!a->source || !a->id)
                goto oom;
            advs[nadv++] = a;
            s->slots[slot] = a;
            s->hashes[slot] = h;
            s->nused++;
            if (fill_advisory(s, &cv, nadv - 1, a, q) < 0)
                goto oom;
        }
        struct hull_vuln_affected *f = &m->items[m->n];
        memset(f, 0, sizeof(*f));
        f->key = (size_t)sqlite3_column_int64(q, 0);
        f->ecosystem = col_same(s, q, C_ECO, &prev_eco);
        f->package = col_same(s, q, C_NAME, &prev_name);
        f->adv = s->slots[slot];
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
        m->n++;
    }
    if (rc != SQLITE_DONE)
        goto dbfail;
    sqlite3_finalize(q);
    q = NULL;
    int lr = finish_advisories(db->db, s, advs, nadv, &cv);
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
    if (sort_items(m) < 0)
        goto oom;
    goto out;
oom:
    r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    goto out;
dbfail:
    r = hull_err_set(err, HULL_E_DB, "vulnerability database %s: lookup: %s", db->path,
                     sqlite3_errmsg(db->db));
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(q);
    free(advs);
    free(cv.v);
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
