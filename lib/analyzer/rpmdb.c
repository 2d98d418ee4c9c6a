/* rpm databases. rpm >= 4.16 keeps its database in SQLite (rpmdb.sqlite, table Packages
 * (hnum, blob) of header blobs) under /var/lib/rpm or /usr/lib/sysimage/rpm. The captured
 * bytes are opened in memory with sqlite3_deserialize (read-only, no temp files); a file
 * left in WAL mode (header bytes 18-19 == 2) is switched to rollback mode in the copy,
 * otherwise SQLite refuses to read it (docs/libraries.md section 4). Changes still in a
 * non-empty rpmdb.sqlite-wal (delivered right after the database) are applied to the copy
 * first: every frame up to the last valid commit (salts and cumulative checksums as in
 * SQLite's file format, section 4.1) replaces its page; an unusable log is a warning. The
 * databases are therefore read in the finish hook, once both files were seen. The older
 * BerkeleyDB (Packages) and ndb (Packages.db) formats are reported as not supported, naming
 * the file. */
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "analyzer/rpmhdr.h"
#include <sqlite3.h>

#define MAX_ROWS (1u << 20)
#define MAX_PENDING 4

/* A database waiting for its write-ahead log and the finish hook. */
struct pending {
    char *path, *diff_id;
    uint8_t *db;
    size_t len;
    unsigned layer;
    bool truncated;
};

struct rpmstate {
    struct pending p[MAX_PENDING];
    size_t n;
};

static void state_free(void *v)
{
    struct rpmstate *st = v;
    for (size_t i = 0; st && i < st->n; i++) {
        free(st->p[i].path);
        free(st->p[i].diff_id);
        free(st->p[i].db);
    }
    free(st);
}

static const char *const dirs[] = { "/var/lib/rpm/", "/usr/lib/sysimage/rpm/" };

static bool wants(const char *path)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(dirs); i++) {
        if (!hull_has_prefix(path, dirs[i]))
            continue;
        const char *b = path + strlen(dirs[i]);
        return !strcmp(b, "rpmdb.sqlite") || !strcmp(b, "rpmdb.sqlite-wal") ||
               !strcmp(b, "Packages") || !strcmp(b, "Packages.db");
    }
    return false;
}

/* "glibc-2.34-60.el9.src.rpm" -> name "glibc", version "2.34-60.el9" */
static void split_srpm(const char *srpm, char **name, char **ver)
{
    *name = *ver = NULL;
    size_t n = strlen(srpm);
    if (hull_has_suffix(srpm, ".src.rpm"))
        n -= 8;
    else if (hull_has_suffix(srpm, ".nosrc.rpm"))
        n -= 10;
    else
        return;
    const char *rel = NULL, *ver_start = NULL;
    for (size_t i = n; i-- > 0;)
        if (srpm[i] == '-') {
            if (!rel) {
                rel = srpm + i;
            } else {
                ver_start = srpm + i;
                break;
            }
        }
    if (!ver_start || ver_start == srpm)
        return;
    *name = strndup(srpm, (size_t)(ver_start - srpm));
    *ver = strndup(ver_start + 1, n - (size_t)(ver_start + 1 - srpm));
    if (!*name || !*ver) {
        free(*name);
        free(*ver);
        *name = *ver = NULL;
    }
}

static int add_header(const struct hull_input *in, struct hull_inventory *inv,
                      struct hull_rpmhdr *h, struct hull_err **err)
{
    if (!strcmp(h->name, "gpg-pubkey"))
        return 0; /* imported signing keys are stored as pseudo-packages */
    char *version = NULL, *epoch = NULL, *sname = NULL, *sver = NULL;
    int rc = 0;
    if (h->has_epoch && asprintf(&epoch, "%u", h->epoch) < 0)
        epoch = NULL;
    if (asprintf(&version, "%s%s%s%s%s", epoch ? epoch : "", epoch ? ":" : "", h->version,
                 h->release ? "-" : "", h->release ? h->release : "") < 0)
        version = NULL;
    if (!version || (h->has_epoch && !epoch)) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    if (h->sourcerpm)
        split_srpm(h->sourcerpm, &sname, &sver);
    struct hull_pkg t = { .type = HULL_PKG_RPM, .name = h->name, .version = version,
                          .epoch = epoch, .release = h->release, .arch = h->arch,
                          .source_name = sname, .source_version = sver,
                          .license = h->license };
    struct hull_pkg *p = hull_inventory_add(inv, &t, in, err);
    if (!p) {
        rc = -1;
        goto out;
    }
    p->files = h->files;
    p->n_files = h->n_files;
    h->files = NULL;
    h->n_files = 0;
out:
    free(version);
    free(epoch);
    free(sname);
    free(sver);
    return rc;
}

static int parse_sqlite(const struct hull_input *in, struct hull_inventory *inv,
                        struct hull_err **err)
{
    if (in->truncated)
        return hull_err_set(err, HULL_E_LIMIT, "rpm database larger than the capture limit");
    if (in->len < 100 || memcmp(in->data, "SQLite format 3", 16))
        return hull_err_set(err, HULL_E_PARSE, "not an SQLite database");
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    unsigned char *copy = sqlite3_malloc64(in->len);
    if (!copy)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    memcpy(copy, in->data, in->len);
    if (copy[18] == 2 && copy[19] == 2)
        copy[18] = copy[19] = 1; /* WAL -> rollback journal: readable in memory */
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_free(copy);
        rc = hull_err_set(err, HULL_E_NOMEM, "sqlite: cannot open an in-memory database");
        goto out;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)in->len, (sqlite3_int64)in->len,
                            SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) !=
        SQLITE_OK) {
        rc = hull_err_set(err, HULL_E_PARSE, "sqlite: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages ORDER BY hnum", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = hull_err_set(err, HULL_E_PARSE, "sqlite: %s", sqlite3_errmsg(db));
        goto out;
    }
    unsigned rows = 0, bad = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (++rows > MAX_ROWS) {
            hull_inventory_warn(inv, "%s: more than %u packages, rest ignored", in->path,
                                MAX_ROWS);
            break;
        }
        const void *blob = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        struct hull_rpmhdr h;
        struct hull_err *e = NULL;
        if (!blob || n <= 0 || hull_rpmhdr_parse(blob, (size_t)n, &h, &e) < 0) {
            if (e && e->code == HULL_E_NOMEM) {
                hull_err_free(e);
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
            if (bad++ < 5)
                hull_inventory_warn(inv, "%s: package row %u skipped: %s", in->path, rows,
                                    e ? e->msg : "empty header blob");
            hull_err_free(e);
            continue;
        }
        rc = add_header(in, inv, &h, err);
        hull_rpmhdr_release(&h);
        if (rc < 0)
            goto out;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        hull_inventory_warn(inv, "%s: sqlite: %s (packages after row %u not read)", in->path,
                            sqlite3_errmsg(db), rows);
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static uint32_t rd32(const uint8_t *p, bool big)
{
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* SQLite's WAL checksum: over 32-bit words in pairs, continuing from s[0], s[1]. */
static void wal_sum(const uint8_t *p, size_t n, bool big, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        s[0] += rd32(p + i, big) + s[1];
        s[1] += rd32(p + i + 4, big) + s[0];
    }
}

/* Apply the committed frames of a WAL to the database copy *db. Returns the number of
 * frames applied (0: nothing committed), or -1 with *why. */
static long wal_apply(uint8_t **db, size_t *len, const uint8_t *w, size_t wn, size_t max,
                      const char **why)
{
    if (wn < 32) {
        *why = "log shorter than its header";
        return -1;
    }
    uint32_t magic = rd32(w, true);
    if (magic != 0x377f0682 && magic != 0x377f0683) {
        *why = "not an SQLite write-ahead log";
        return -1;
    }
    bool big = magic & 1;
    uint32_t psz = rd32(w + 8, true);
    if (rd32(w + 4, true) != 3007000 || psz < 512 || psz > 65536 || (psz & (psz - 1))) {
        *why = "unsupported log version or page size";
        return -1;
    }
    uint32_t dbpsz = *len >= 100 ? ((uint32_t)(*db)[16] << 8 | (*db)[17]) : 0;
    if (dbpsz == 1)
        dbpsz = 65536;
    if (dbpsz != psz) {
        *why = "log page size differs from the database's";
        return -1;
    }
    uint32_t sum[2] = { 0, 0 };
    wal_sum(w, 24, big, sum);
    if (sum[0] != rd32(w + 24, true) || sum[1] != rd32(w + 28, true)) {
        *why = "log header checksum mismatch";
        return -1;
    }
    uint32_t salt1 = rd32(w + 16, true), salt2 = rd32(w + 20, true);
    size_t off = 32, end_ok = 32, frames = 0, committed = 0;
    uint32_t pages = 0;
    while (off + 24 + psz <= wn) {
        const uint8_t *f = w + off;
        if (rd32(f + 8, true) != salt1 || rd32(f + 12, true) != salt2)
            break;
        wal_sum(f, 8, big, sum);
        wal_sum(f + 24, psz, big, sum);
        if (sum[0] != rd32(f + 16, true) || sum[1] != rd32(f + 20, true))
            break;
        frames++;
        off += 24 + (size_t)psz;
        if (rd32(f + 4, true)) { /* a commit frame: the database size after it, in pages */
            pages = rd32(f + 4, true);
            committed = frames;
            end_ok = off;
        }
    }
    if (!committed)
        return 0;
    if ((uint64_t)pages * psz > max) {
        *why = "database with the log applied exceeds the capture limit";
        return -1;
    }
    size_t nlen = (size_t)pages * psz;
    if (nlen != *len) {
        uint8_t *n = realloc(*db, nlen);
        if (!n) {
            *why = "out of memory";
            return -1;
        }
        if (nlen > *len)
            memset(n + *len, 0, nlen - *len);
        *db = n;
        *len = nlen;
    }
    for (size_t o = 32; o < end_ok; o += 24 + (size_t)psz) {
        uint32_t pg = rd32(w + o, true);
        if (pg >= 1 && pg <= pages)
            memcpy(*db + (size_t)(pg - 1) * psz, w + o + 24, psz);
    }
    return (long)committed;
}

static struct rpmstate *get_state(struct hull_inventory *inv, struct hull_err **err)
{
    struct rpmstate *st = hull_inventory_state(inv, &hull_analyzer_rpmdb);
    if (st)
        return st;
    st = calloc(1, sizeof(*st));
    if (!st || hull_inventory_set_state(inv, &hull_analyzer_rpmdb, st, state_free) < 0) {
        free(st);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    return st;
}

static int defer(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    struct rpmstate *st = get_state(inv, err);
    if (!st)
        return -1;
    if (st->n == MAX_PENDING)
        return hull_err_set(err, HULL_E_LIMIT, "more than %d rpm databases", MAX_PENDING);
    struct pending *p = &st->p[st->n];
    p->path = strdup(in->path);
    p->diff_id = strdup(in->diff_id ? in->diff_id : "");
    p->db = malloc(in->len ? in->len : 1);
    if (!p->path || !p->diff_id || !p->db) {
        free(p->path);
        free(p->diff_id);
        free(p->db);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    memcpy(p->db, in->data, in->len);
    p->len = in->len;
    p->layer = in->layer;
    p->truncated = in->truncated;
    st->n++;
    return 0;
}

static int apply_wal(const struct hull_input *in, struct hull_inventory *inv,
                     struct hull_err **err)
{
    if (!in->len)
        return 0;
    struct rpmstate *st = hull_inventory_state(inv, &hull_analyzer_rpmdb);
    size_t dn = strlen(in->path) - 4; /* without "-wal" */
    struct pending *p = NULL;
    for (size_t i = 0; st && i < st->n; i++)
        if (strlen(st->p[i].path) == dn && !strncmp(st->p[i].path, in->path, dn))
            p = &st->p[i];
    if (!p || p->truncated)
        return 0; /* no usable database next to it: nothing to apply the log to */
    const char *why = NULL;
    size_t max = inv->ctx ? inv->ctx->limits.max_file_capture : (64u << 20);
    if (in->truncated) {
        hull_inventory_warn(inv, "%s: log larger than the capture limit, changes not read",
                            in->path);
        return 0;
    }
    if (wal_apply(&p->db, &p->len, in->data, in->len, max, &why) < 0) {
        if (!strcmp(why, "out of memory"))
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        hull_inventory_warn(inv, "%s: %s; packages changed since the last checkpoint may be "
                            "missing", in->path, why);
    }
    return 0;
}

static int finish(struct hull_inventory *inv, struct hull_err **err)
{
    struct rpmstate *st = hull_inventory_state(inv, &hull_analyzer_rpmdb);
    int rc = 0;
    for (size_t i = 0; st && i < st->n && rc == 0; i++) {
        struct pending *p = &st->p[i];
        struct hull_input in = { .path = p->path, .data = p->db, .len = p->len,
                                 .truncated = p->truncated, .layer = p->layer,
                                 .diff_id = p->diff_id };
        struct hull_err *e = NULL;
        if (parse_sqlite(&in, inv, &e) < 0) {
            if (e && e->code == HULL_E_NOMEM) {
                hull_err_free(e);
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                break;
            }
            hull_inventory_warn(inv, "%s: %s", p->path, e ? e->msg : "unreadable");
        }
        hull_err_free(e);
    }
    hull_inventory_set_state(inv, &hull_analyzer_rpmdb, NULL, NULL);
    return rc;
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *b = hull_base(in->path);
    if (!strcmp(b, "rpmdb.sqlite"))
        return defer(in, inv, err);
    if (!strcmp(b, "rpmdb.sqlite-wal"))
        return apply_wal(in, inv, err);
    if (!in->len)
        return 0;
    return hull_err_set(err, HULL_E_UNSUPPORTED, "rpm %s database: not supported yet "
                        "(only the SQLite rpmdb of rpm >= 4.16 is read)",
                        !strcmp(b, "Packages") ? "BerkeleyDB" : "ndb");
}

const struct hull_analyzer hull_analyzer_rpmdb = { "rpmdb", wants, parse, finish };
