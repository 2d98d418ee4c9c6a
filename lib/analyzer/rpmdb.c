/* rpm databases. rpm >= 4.16 keeps its database in SQLite (rpmdb.sqlite, table Packages
 * (hnum, blob) of header blobs) under /var/lib/rpm or /usr/lib/sysimage/rpm. The captured
 * bytes are opened in memory with sqlite3_deserialize (read-only, no temp files); a file
 * left in WAL mode (header bytes 18-19 == 2) is switched to rollback mode in the copy,
 * otherwise SQLite refuses to read it (docs/libraries.md section 4). Changes still in a
 * non-empty rpmdb.sqlite-wal are not read and a warning says so. The older BerkeleyDB
 * (Packages) and ndb (Packages.db) formats are reported as not supported, naming the file. */
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "analyzer/rpmhdr.h"
#include <sqlite3.h>

#define MAX_ROWS (1u << 20)

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

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *b = hull_base(in->path);
    if (!strcmp(b, "rpmdb.sqlite"))
        return parse_sqlite(in, inv, err);
    if (!strcmp(b, "rpmdb.sqlite-wal")) {
        if (in->len)
            hull_inventory_warn(inv, "%s: %zu bytes of write-ahead log not read: packages "
                                "changed since the last checkpoint may be missing", in->path,
                                in->len);
        return 0;
    }
    if (!in->len)
        return 0;
    return hull_err_set(err, HULL_E_UNSUPPORTED, "rpm %s database: not supported yet "
                        "(only the SQLite rpmdb of rpm >= 4.16 is read)",
                        !strcmp(b, "Packages") ? "BerkeleyDB" : "ndb");
}

const struct hull_analyzer hull_analyzer_rpmdb = { "rpmdb", wants, parse };
