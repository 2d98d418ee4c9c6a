/* The database writer: a complete new database is built in a temp file beside the target
 * (starting from a copy of the current one), then fsync'd and renamed over it. Writers
 * serialise on "<db>.lock"; temp files of killed writers are removed by the next writer.
 * Affected rows are staged in a TEMP table and copied into the clustered WITHOUT ROWID table in
 * key order at commit (docs/libraries.md section 4: sorted inserts are ~10x faster). */
#include "core/common.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/buf.h"
#include "vulndb/vdb.h"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, kind TEXT NOT NULL, origin TEXT,"
    " imported_at INTEGER, fetched_at INTEGER, etag TEXT, last_modified TEXT, records INTEGER,"
    " advisories INTEGER, affected INTEGER, skipped INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS advisories(source TEXT NOT NULL, id TEXT NOT NULL, summary TEXT,"
    " details TEXT, published TEXT, modified TEXT, withdrawn TEXT, severity TEXT,"
    " severity_source TEXT, refs TEXT, cvss TEXT, PRIMARY KEY(source, id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS aliases(source TEXT NOT NULL, id TEXT NOT NULL,"
    " alias TEXT NOT NULL, PRIMARY KEY(source, id, alias)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);"
    "CREATE TABLE IF NOT EXISTS affected(ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
    " source TEXT NOT NULL, advisory TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " status TEXT NOT NULL, reason TEXT, fixed TEXT, severity TEXT, severity_source TEXT,"
    " ranges TEXT, versions TEXT,"
    " PRIMARY KEY(ecosystem, package, source, advisory, seq)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS affected_adv ON affected(source, advisory);"
    "CREATE TABLE IF NOT EXISTS cvss(cve TEXT PRIMARY KEY, v3_vector TEXT, v3_score REAL,"
    " v2_vector TEXT, v2_score REAL, published TEXT, origin TEXT, source TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS cvss_source ON cvss(source);"
    "CREATE TABLE IF NOT EXISTS kev(cve TEXT PRIMARY KEY, date_added TEXT, vendor TEXT,"
    " product TEXT, name TEXT, ransomware TEXT, source TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS kev_source ON kev(source);"
    "CREATE TABLE IF NOT EXISTS feeds(name TEXT PRIMARY KEY, url TEXT, etag TEXT,"
    " last_modified TEXT, fetched_at INTEGER, bytes INTEGER) WITHOUT ROWID;"
    /* what scans read: every package's entries resolved into one blob (pack.c) */
    "CREATE TABLE IF NOT EXISTS packed(ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
    " data BLOB NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS packed_key ON packed(ecosystem, package);";

static const char staging_sql[] =
    "CREATE TEMP TABLE staging(ecosystem TEXT, package TEXT, source TEXT, advisory TEXT,"
    " seq INTEGER, name TEXT, status TEXT, reason TEXT, fixed TEXT, severity TEXT,"
    " severity_source TEXT, ranges TEXT, versions TEXT);"
    "CREATE INDEX temp.staging_adv ON staging(source, advisory);";

enum {
    ST_ADV, ST_ALIAS, ST_AFF, ST_ADV_EXISTS, ST_DEL_ADV_AFF, ST_DEL_ADV_STAGE, ST_DEL_ADV_ALIAS,
    ST_CVSS, ST_DEL_CVSS, ST_KEV, ST_SOURCE, ST__N
};

static const char *const stmt_sql[ST__N] = {
    [ST_ADV] = "INSERT OR REPLACE INTO advisories VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [ST_ALIAS] = "INSERT OR IGNORE INTO aliases VALUES(?1,?2,?3)",
    [ST_AFF] = "INSERT INTO temp.staging VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    [ST_ADV_EXISTS] = "SELECT 1 FROM advisories WHERE source=?1 AND id=?2",
    [ST_DEL_ADV_AFF] = "DELETE FROM affected WHERE source=?1 AND advisory=?2",
    [ST_DEL_ADV_STAGE] = "DELETE FROM temp.staging WHERE source=?1 AND advisory=?2",
    [ST_DEL_ADV_ALIAS] = "DELETE FROM aliases WHERE source=?1 AND id=?2",
    [ST_CVSS] = "INSERT OR REPLACE INTO cvss VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [ST_DEL_CVSS] = "DELETE FROM cvss WHERE cve=?1 AND source=?2",
    [ST_KEV] = "INSERT OR REPLACE INTO kev VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [ST_SOURCE] = "INSERT OR REPLACE INTO sources(name,kind,origin,imported_at,fetched_at,etag,"
                  "last_modified,records,advisories,affected,skipped)"
                  " VALUES(?1,?2,?3,?4,0,NULL,NULL,0,0,0,0)",
};

/* Where a source written in this run came from. Files are the unit counted: the entries of
 * one zip archive are one file. The stored origin is the first file (the first document's
 * origin when the file holds one document of the source) plus " (+N more)" for the others. */
struct vdb_seen {
    char *name;
    char *origin;     /* first document's origin */
    char *first_file; /* its file */
    char *last_file;  /* the file the source was last fed from */
    size_t n_files;   /* files after the first one: changes of last_file */
    bool multi_doc;   /* the first file fed more than one distinct document */
};

struct vdb_writer {
    const struct hull_ctx *ctx;
    struct hull_vulndb_import_opts opts;
    struct hull_vulndb_report *report;
    sqlite3 *db;
    sqlite3_stmt *st[ST__N];
    char *path, *tmp;
    int lock_fd;
    /* sources written in this run: a second document of the same source in one run (a feed
     * and a sample of it in one directory) adds to it instead of replacing it */
    struct vdb_seen *seen;
    size_t n_seen;
    const char *file; /* file being imported (import.c), borrowed; NULL = origin is the unit */
    /* current source */
    char *src;
    size_t src_seen; /* index in seen */
    bool src_upsert;
    int64_t n_records, n_adv, n_aff, n_skipped;
    int seq;
};

const struct hull_ctx *vdb_ctx(struct vdb_writer *w) { return w->ctx; }
bool vdb_strict(struct vdb_writer *w) { return w->opts.strict; }

static int dberr(struct vdb_writer *w, struct hull_err **err, const char *what)
{
    return hull_err_set(err, HULL_E_DB, "database %s: %s: %s",
                        w->tmp ? w->tmp : w->path ? w->path : ":memory:", what,
                        sqlite3_errmsg(w->db));
}

static int exec_sql(struct vdb_writer *w, const char *sql, struct hull_err **err)
{
    char *msg = NULL;
    if (sqlite3_exec(w->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        hull_err_set(err, HULL_E_DB, "database %s: %s", w->tmp ? w->tmp : ":memory:",
                     msg ? msg : "exec failed");
        sqlite3_free(msg);
        return -HULL_E_DB;
    }
    return 0;
}

/* mkdir -p of the directory part of path. */
static int make_parent(const char *path, struct hull_err **err)
{
    char *d = strdup(path);
    if (!d)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    char *slash = strrchr(d, '/');
    if (!slash || slash == d) {
        free(d);
        return 0;
    }
    *slash = 0;
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(d, 0755) < 0 && errno != EEXIST) {
            int r = hull_err_sys(err, HULL_E_IO, errno, "cannot create %s", d);
            free(d);
            return r;
        }
        *p = '/';
    }
    if (mkdir(d, 0755) < 0 && errno != EEXIST) {
        int r = hull_err_sys(err, HULL_E_IO, errno, "cannot create %s", d);
        free(d);
        return r;
    }
    free(d);
    return 0;
}

/* Remove "<base>.tmp-<pid>-<random>" files and "<base>.dl-<pid>-<random>" download directories
 * whose process is gone (killed writers). */
static void clean_stale(const char *path)
{
    char *d = strdup(path);
    if (!d)
        return;
    char *slash = strrchr(d, '/');
    const char *base = slash ? slash + 1 : d;
    const char *dir = slash ? (slash == d ? "/" : d) : ".";
    if (slash)
        *slash = 0;
    static const char *const tags[] = { ".tmp-", ".dl-" };
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        size_t bl = strlen(base);
        if (strncmp(e->d_name, base, bl) != 0)
            continue;
        for (size_t t = 0; t < HULL_ARRAY_LEN(tags); t++) {
            size_t tl = strlen(tags[t]);
            if (strncmp(e->d_name + bl, tags[t], tl) != 0)
                continue;
            char *end = NULL;
            long pid = strtol(e->d_name + bl + tl, &end, 10);
            if (pid <= 0 || !end || *end != '-')
                continue;
            if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                continue;
            char full[4096];
            if (snprintf(full, sizeof(full), "%s/%s", dir, e->d_name) >= (int)sizeof(full))
                continue;
            if (t == 0) {
                unlink(full);
                continue;
            }
            DIR *sub = opendir(full);
            struct dirent *f;
            while (sub && (f = readdir(sub))) {
                char fp[4400];
                if (f->d_name[0] != '.' &&
                    snprintf(fp, sizeof(fp), "%s/%s", full, f->d_name) < (int)sizeof(fp))
                    unlink(fp);
            }
            if (sub)
                closedir(sub);
            rmdir(full);
        }
    }
    if (dh)
        closedir(dh);
    free(d);
}

/* Copy the current database into the new connection. Returns 1 when copied, 0 when there was
 * nothing usable to copy (missing, not a hull database, other schema version). */
static int copy_old(struct vdb_writer *w)
{
    if (access(w->path, F_OK) != 0)
        return 0;
    char *uri = sqlite3_mprintf("file:%s?immutable=1", w->path);
    sqlite3 *old = NULL;
    int ok = 0;
    if (uri && sqlite3_open_v2(uri, &old, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) ==
                   SQLITE_OK) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(old, "SELECT value FROM meta WHERE key='schema_version'", -1, &s,
                               NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW &&
            sqlite3_column_int(s, 0) == HULL_VULNDB_SCHEMA_VERSION)
            ok = 1;
        sqlite3_finalize(s);
        if (ok) {
            sqlite3_backup *b = sqlite3_backup_init(w->db, "main", old, "main");
            ok = b && sqlite3_backup_step(b, -1) == SQLITE_DONE;
            if (sqlite3_backup_finish(b) != SQLITE_OK)
                ok = 0;
        }
    }
    sqlite3_free(uri);
    sqlite3_close(old);
    if (!ok)
        hull_log(w->ctx, HULL_LOG_WARN,
                 "existing database %s is unreadable or of another version; rebuilding it",
                 w->path);
    return ok;
}

void vdb_writer_abort(struct vdb_writer *w)
{
    if (!w)
        return;
    for (int i = 0; i < ST__N; i++)
        sqlite3_finalize(w->st[i]);
    if (w->db)
        sqlite3_close(w->db);
    if (w->tmp)
        unlink(w->tmp);
    if (w->lock_fd >= 0)
        close(w->lock_fd);
    free(w->src);
    for (size_t i = 0; i < w->n_seen; i++) {
        free(w->seen[i].name);
        free(w->seen[i].origin);
        free(w->seen[i].first_file);
        free(w->seen[i].last_file);
    }
    free(w->seen);
    free(w->path);
    free(w->tmp);
    free(w);
}

static int open_tmp(struct vdb_writer *w, struct hull_err **err)
{
    if (sqlite3_open_v2(w->tmp, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return dberr(w, err, "open");
    sqlite3_extended_result_codes(w->db, 1);
    return exec_sql(w, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                       "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", err);
}

struct vdb_writer *vdb_writer_begin(const struct hull_ctx *ctx, const char *path,
                                    const struct hull_vulndb_import_opts *opts,
                                    struct hull_vulndb_report *report, struct hull_err **err)
{
    struct vdb_writer *w = calloc(1, sizeof(*w));
    if (!w) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    w->ctx = ctx;
    w->lock_fd = -1;
    if (opts)
        w->opts = *opts;
    if (!w->opts.max_doc_bytes)
        w->opts.max_doc_bytes = 512u << 20;
    w->report = report;
    if (!path) {
        /* in-memory database (fuzzers, unit tests of the parsers): nothing is ever renamed */
        if (sqlite3_open_v2(":memory:", &w->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
            hull_err_set(err, HULL_E_DB, "cannot open an in-memory database");
            goto fail;
        }
        goto schema;
    }
    w->path = strdup(path);
    if (!w->path)
        goto oom;
    if (make_parent(path, err) < 0)
        goto fail;
    char *lock = NULL;
    if (asprintf(&lock, "%s.lock", path) < 0)
        goto oom;
    w->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (w->lock_fd < 0) {
        hull_err_sys(err, HULL_E_IO, errno, "cannot open %s", lock);
        free(lock);
        goto fail;
    }
    if (flock(w->lock_fd, LOCK_EX) < 0) {
        hull_err_sys(err, HULL_E_IO, errno, "cannot lock %s", lock);
        free(lock);
        goto fail;
    }
    free(lock);
    clean_stale(path);
    int fd = vdb_create_unique(path, ".tmp", &w->tmp, false);
    if (fd < 0) {
        hull_err_sys(err, HULL_E_IO, errno, "cannot create a temporary file beside %s", path);
        goto fail;
    }
    close(fd);
    if (open_tmp(w, err) < 0)
        goto fail;
    if (!copy_old(w)) {
        /* start from an empty file */
        sqlite3_close(w->db);
        w->db = NULL;
        if (truncate(w->tmp, 0) < 0) {
            hull_err_sys(err, HULL_E_IO, errno, "cannot truncate %s", w->tmp);
            goto fail;
        }
        if (open_tmp(w, err) < 0)
            goto fail;
    }
schema:
    if (exec_sql(w, schema_sql, err) < 0 || exec_sql(w, staging_sql, err) < 0 ||
        exec_sql(w, "BEGIN", err) < 0)
        goto fail;
    for (int i = 0; i < ST__N; i++)
        if (sqlite3_prepare_v2(w->db, stmt_sql[i], -1, &w->st[i], NULL) != SQLITE_OK) {
            dberr(w, err, "prepare");
            goto fail;
        }
    return w;
oom:
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
fail:
    vdb_writer_abort(w);
    return NULL;
}

static int fsync_path(const char *p, int flags, struct hull_err **err)
{
    int fd = open(p, flags | O_CLOEXEC);
    if (fd < 0)
        return hull_err_sys(err, HULL_E_IO, errno, "cannot open %s", p);
    int r = fsync(fd);
    int e = errno;
    close(fd);
    if (r < 0 && e != EINVAL)
        return hull_err_sys(err, HULL_E_IO, e, "fsync %s", p);
    return 0;
}

int vdb_writer_commit(struct vdb_writer *w, struct hull_err **err)
{
    int r;
    if ((r = vdb_source_end(w, err)) < 0)
        goto out;
    if ((r = exec_sql(w, "INSERT OR REPLACE INTO affected SELECT * FROM temp.staging"
                    " ORDER BY ecosystem, package, source, advisory, seq, rowid;"
                    "DELETE FROM temp.staging;", err)) < 0 ||
        (r = vdb_pack_build(w->db, w->path, err)) < 0)
        goto out;
    char *sql = sqlite3_mprintf("INSERT OR REPLACE INTO meta VALUES('schema_version','%d'),"
                                "('built_at','%lld'),('hull_version','%q')",
                                HULL_VULNDB_SCHEMA_VERSION, (long long)time(NULL), HULL_VERSION);
    if (!sql) {
        r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    r = exec_sql(w, sql, err);
    sqlite3_free(sql);
    if (r < 0 || (r = exec_sql(w, "COMMIT; ANALYZE;", err)) < 0)
        goto out;
    for (int i = 0; i < ST__N; i++) {
        sqlite3_finalize(w->st[i]);
        w->st[i] = NULL;
    }
    if (!w->path) {
        r = 0;
        goto out;
    }
    if (sqlite3_close(w->db) != SQLITE_OK) {
        r = dberr(w, err, "close");
        goto out;
    }
    w->db = NULL;
    if ((r = fsync_path(w->tmp, O_RDONLY, err)) < 0)
        goto out;
    if (chmod(w->tmp, 0644) < 0 || rename(w->tmp, w->path) < 0) {
        r = hull_err_sys(err, HULL_E_IO, errno, "cannot replace %s", w->path);
        goto out;
    }
    free(w->tmp);
    w->tmp = NULL;
    char *dir = strdup(w->path);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = 0;
        fsync_path(slash ? dir : ".", O_RDONLY | O_DIRECTORY, NULL);
        free(dir);
    }
    r = 0;
out:
    vdb_writer_abort(w);
    return r < 0 ? r : 0;
}

/* ---- sources ---- */

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static int step_done(struct vdb_writer *w, sqlite3_stmt *s, struct hull_err **err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return dberr(w, err, "write");
    return 0;
}

static int report_add_source(struct hull_vulndb_report *r, const char *name)
{
    if (!r)
        return 0;
    for (size_t i = 0; i < r->n_sources; i++)
        if (!strcmp(r->sources[i], name))
            return 0;
    char **n = realloc(r->sources, (r->n_sources + 1) * sizeof(*n));
    if (!n)
        return -1;
    r->sources = n;
    if (!(n[r->n_sources] = strdup(name)))
        return -1;
    r->n_sources++;
    return 0;
}

void vdb_set_file(struct vdb_writer *w, const char *path)
{
    w->file = path;
}

/* Note that the open source is fed from origin (in w->file). Files are imported one after
 * the other, so a file that differs from the last one is another file. */
static int seen_note(struct vdb_writer *w, struct vdb_seen *sn, const char *origin)
{
    const char *file = w->file ? w->file : origin ? origin : "?";
    if (!sn->origin) {
        if (!(sn->origin = strdup(origin ? origin : "?")) || !(sn->first_file = strdup(file)) ||
            !(sn->last_file = strdup(file)))
            return -1;
        return 0;
    }
    if (!strcmp(sn->last_file, file)) {
        if (sn->n_files == 0 && origin && strcmp(sn->origin, origin))
            sn->multi_doc = true;
        return 0;
    }
    char *f = strdup(file);
    if (!f)
        return -1;
    free(sn->last_file);
    sn->last_file = f;
    if (strcmp(sn->first_file, file))
        sn->n_files++;
    return 0;
}

int vdb_source_begin(struct vdb_writer *w, const char *name, const char *kind, const char *origin,
                     bool replace, struct hull_err **err)
{
    if (w->src) {
        if (!strcmp(w->src, name) && !replace) {
            /* OSV records keep adding to the open source */
            if (seen_note(w, &w->seen[w->src_seen], origin) < 0)
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            return 0;
        }
        if (vdb_source_end(w, err) < 0)
            return -HULL_E_DB;
    }
    if (!(w->src = strdup(name)) || report_add_source(w->report, name) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    bool again = false;
    size_t si = 0;
    for (; si < w->n_seen && !again; si++)
        again = !strcmp(w->seen[si].name, name);
    if (again) {
        si--;
    } else {
        struct vdb_seen *n = realloc(w->seen, (w->n_seen + 1) * sizeof(*n));
        if (!n)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        w->seen = n;
        n[w->n_seen] = (struct vdb_seen){ .name = strdup(name) };
        if (!n[w->n_seen].name)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        si = w->n_seen++;
    }
    w->src_seen = si;
    if (seen_note(w, &w->seen[si], origin) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    /* OSV records replace the record with the same id; a merged document only adds rows
     * (INSERT OR REPLACE by key), since one secdb/OVAL advisory spans several packages */
    w->src_upsert = !replace;
    w->n_records = w->n_adv = w->n_aff = w->n_skipped = 0;
    if (replace && !again) {
        char *sql = sqlite3_mprintf(
            "DELETE FROM affected WHERE source=%Q; DELETE FROM temp.staging WHERE source=%Q;"
            "DELETE FROM advisories WHERE source=%Q; DELETE FROM aliases WHERE source=%Q;"
            "DELETE FROM cvss WHERE source=%Q; DELETE FROM kev WHERE source=%Q;",
            name, name, name, name, name, name);
        if (!sql)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        int r = exec_sql(w, sql, err);
        sqlite3_free(sql);
        if (r < 0)
            return r;
    } else {
        /* cumulative source: keep the counts of earlier imports */
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(w->db, "SELECT records, advisories, affected, skipped FROM sources"
                                      " WHERE name=?1", -1, &s, NULL) == SQLITE_OK) {
            sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(s) == SQLITE_ROW) {
                w->n_records = sqlite3_column_int64(s, 0);
                w->n_skipped = sqlite3_column_int64(s, 3);
            }
        }
        sqlite3_finalize(s);
    }
    sqlite3_stmt *s = w->st[ST_SOURCE];
    bind_text(s, 1, name);
    bind_text(s, 2, kind);
    bind_text(s, 3, origin);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)time(NULL));
    return step_done(w, s, err);
}

int vdb_put_feed(struct vdb_writer *w, const char *name, const char *url, const char *etag,
                 const char *last_modified, int64_t fetched_at, int64_t bytes,
                 struct hull_err **err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(w->db, "INSERT OR REPLACE INTO feeds VALUES(?1,?2,?3,?4,?5,?6)", -1,
                           &s, NULL) != SQLITE_OK)
        return dberr(w, err, "prepare");
    bind_text(s, 1, name);
    bind_text(s, 2, url);
    bind_text(s, 3, etag);
    bind_text(s, 4, last_modified);
    sqlite3_bind_int64(s, 5, fetched_at);
    sqlite3_bind_int64(s, 6, bytes);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : dberr(w, err, "record feed");
}

static int64_t count_q(struct vdb_writer *w, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, w->src, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

int vdb_source_end(struct vdb_writer *w, struct hull_err **err)
{
    if (!w->src)
        return 0;
    /* counts from the tables: records repeated in a feed are counted once */
    w->n_adv = count_q(w, "SELECT count(*) FROM advisories WHERE source=?1") +
               count_q(w, "SELECT count(*) FROM cvss WHERE source=?1") +
               count_q(w, "SELECT count(*) FROM kev WHERE source=?1");
    w->n_aff = count_q(w, "SELECT count(*) FROM affected WHERE source=?1") +
               count_q(w, "SELECT count(*) FROM temp.staging WHERE source=?1");
    /* the origin of everything that fed the source in this run */
    const struct vdb_seen *sn = &w->seen[w->src_seen];
    const char *base = sn->multi_doc ? sn->first_file : sn->origin;
    char *origin = sn->n_files ? sqlite3_mprintf("%s (+%lld more)", base,
                                                 (long long)sn->n_files)
                               : sqlite3_mprintf("%s", base);
    if (!origin)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    sqlite3_stmt *s = NULL;
    int r = 0;
    if (sqlite3_prepare_v2(w->db, "UPDATE sources SET records=?2, advisories=?3, affected=?4,"
                                  " skipped=?5, origin=?6 WHERE name=?1", -1, &s, NULL)
        != SQLITE_OK) {
        sqlite3_free(origin);
        return dberr(w, err, "prepare");
    }
    bind_text(s, 1, w->src);
    sqlite3_bind_int64(s, 2, w->n_records);
    sqlite3_bind_int64(s, 3, w->n_adv);
    sqlite3_bind_int64(s, 4, w->n_aff);
    sqlite3_bind_int64(s, 5, w->n_skipped);
    bind_text(s, 6, origin);
    if (sqlite3_step(s) != SQLITE_DONE)
        r = dberr(w, err, "update source");
    sqlite3_finalize(s);
    sqlite3_free(origin);
    free(w->src);
    w->src = NULL;
    return r;
}

void vdb_note_document(struct vdb_writer *w)
{
    if (w->report)
        w->report->documents++;
}

void vdb_note_ignored(struct vdb_writer *w)
{
    if (w->report)
        w->report->ignored++;
}

void vdb_count_record(struct vdb_writer *w)
{
    w->n_records++;
    if (w->report)
        w->report->records++;
}

int vdb_skip(struct vdb_writer *w, const char *what, const char *why, struct hull_err **err)
{
    w->n_skipped++;
    struct hull_vulndb_report *r = w->report;
    if (r) {
        r->skipped++;
        char *s = NULL;
        if (r->n_skipped_ids < HULL_ARRAY_LEN(r->skipped_ids) &&
            asprintf(&s, "%.200s (%.200s)", what ? what : "?", why) >= 0) {
            /* distinct ones: the same bad id in a feed and its sample is listed once */
            for (size_t i = 0; i < r->n_skipped_ids && s; i++)
                if (!strcmp(r->skipped_ids[i], s)) {
                    free(s);
                    s = NULL;
                }
            if (s)
                r->skipped_ids[r->n_skipped_ids++] = s;
        }
    }
    hull_log(w->ctx, HULL_LOG_DEBUG, "skipped malformed record %.200s: %.200s",
             what ? what : "?", why);
    if (w->opts.strict)
        return hull_err_set(err, HULL_E_PARSE, "malformed record %.200s: %.200s (--strict)",
                            what ? what : "?", why);
    return 0;
}

/* ---- advisories and affected rows ---- */

static char *dump_json(const json_t *j)
{
    if (!j || (json_is_array(j) && json_array_size(j) == 0))
        return NULL;
    return json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(4));
}

/* cvss entries with computed scores: [{"type","vector","score"[,"published"]}]. */
static char *cvss_json(const json_t *in)
{
    if (!json_is_array(in) || !json_array_size(in))
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(in, i, v) {
        const char *type = json_string_value(json_object_get(v, "type"));
        const char *vec = json_string_value(json_object_get(v, "vector"));
        if (!type || !vec)
            continue;
        json_t *o = json_pack("{s:s, s:s, s:f}", "type", type, "vector", vec, "score",
                              hull_cvss_score(vec, NULL));
        json_t *pub = json_object_get(v, "published");
        if (o && json_is_number(pub))
            json_object_set(o, "published", pub);
        if (o)
            json_array_append_new(out, o);
    }
    char *s = dump_json(out);
    json_decref(out);
    return s;
}

int vdb_put_advisory(struct vdb_writer *w, const struct vdb_adv *a, struct hull_err **err)
{
    if (!w->src)
        return hull_err_set(err, HULL_E_INTERNAL, "advisory outside a source");
    w->seq = 0;
    if (w->src_upsert) {
        sqlite3_stmt *s = w->st[ST_ADV_EXISTS];
        bind_text(s, 1, w->src);
        bind_text(s, 2, a->id);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc == SQLITE_ROW) {
            for (int k = ST_DEL_ADV_AFF; k <= ST_DEL_ADV_ALIAS; k++) {
                bind_text(w->st[k], 1, w->src);
                bind_text(w->st[k], 2, a->id);
                if (step_done(w, w->st[k], err) < 0)
                    return -HULL_E_DB;
            }
        }
    }
    char *refs = dump_json(a->refs), *cvss = cvss_json(a->cvss);
    sqlite3_stmt *s = w->st[ST_ADV];
    bind_text(s, 1, w->src);
    bind_text(s, 2, a->id);
    bind_text(s, 3, a->summary);
    bind_text(s, 4, a->details);
    bind_text(s, 5, a->published);
    bind_text(s, 6, a->modified);
    bind_text(s, 7, a->withdrawn);
    bind_text(s, 8, a->severity);
    bind_text(s, 9, a->severity_source);
    bind_text(s, 10, refs);
    bind_text(s, 11, cvss);
    int r = step_done(w, s, err);
    free(refs);
    free(cvss);
    if (r < 0)
        return r;
    size_t i;
    json_t *v;
    json_array_foreach(a->aliases, i, v) {
        if (!json_is_string(v) || !strcmp(json_string_value(v), a->id))
            continue;
        s = w->st[ST_ALIAS];
        bind_text(s, 1, w->src);
        bind_text(s, 2, a->id);
        bind_text(s, 3, json_string_value(v));
        if (step_done(w, s, err) < 0)
            return -HULL_E_DB;
    }
    return 0;
}

int vdb_put_affected(struct vdb_writer *w, const char *adv_id, const struct vdb_aff *f,
                     struct hull_err **err)
{
    char *norm = hull_vulndb_norm_package(f->ecosystem, f->package);
    if (!norm)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    /* ranges NULL = the ECOSYSTEM range implied by status and fixed (introduced 0[, fixed]),
     * rebuilt at lookup without parsing JSON: the common case of distribution feeds */
    char *ranges = f->ranges ? dump_json(f->ranges) : NULL;
    char *versions = dump_json(f->versions);
    sqlite3_stmt *s = w->st[ST_AFF];
    bind_text(s, 1, f->ecosystem);
    bind_text(s, 2, norm);
    bind_text(s, 3, w->src);
    bind_text(s, 4, adv_id);
    sqlite3_bind_int(s, 5, w->seq++);
    bind_text(s, 6, f->package);
    bind_text(s, 7, hull_vuln_status_name(f->status));
    bind_text(s, 8, f->reason);
    bind_text(s, 9, f->fixed);
    bind_text(s, 10, f->severity);
    bind_text(s, 11, f->severity_source);
    bind_text(s, 12, ranges);
    bind_text(s, 13, versions);
    int r = step_done(w, s, err);
    free(norm);
    free(ranges);
    free(versions);
    if (r == 0) {
        if (w->report)
            w->report->affected++;
    }
    return r;
}

int vdb_put_cvss(struct vdb_writer *w, const char *cve, const char *v3, double v3_score,
                 const char *v2, double v2_score, const char *published, const char *src,
                 struct hull_err **err)
{
    sqlite3_stmt *s = w->st[ST_CVSS];
    bind_text(s, 1, cve);
    bind_text(s, 2, v3);
    if (v3_score >= 0)
        sqlite3_bind_double(s, 3, v3_score);
    bind_text(s, 4, v2);
    if (v2_score >= 0)
        sqlite3_bind_double(s, 5, v2_score);
    bind_text(s, 6, published);
    bind_text(s, 7, src);
    bind_text(s, 8, w->src);
    return step_done(w, s, err);
}

int vdb_del_cvss(struct vdb_writer *w, const char *cve, struct hull_err **err)
{
    sqlite3_stmt *s = w->st[ST_DEL_CVSS];
    bind_text(s, 1, cve);
    bind_text(s, 2, w->src);
    return step_done(w, s, err);
}

int vdb_put_kev(struct vdb_writer *w, const char *cve, const char *date_added, const char *vendor,
                const char *product, const char *name, const char *ransomware,
                struct hull_err **err)
{
    sqlite3_stmt *s = w->st[ST_KEV];
    bind_text(s, 1, cve);
    bind_text(s, 2, date_added);
    bind_text(s, 3, vendor);
    bind_text(s, 4, product);
    bind_text(s, 5, name);
    bind_text(s, 6, ransomware);
    bind_text(s, 7, w->src);
    return step_done(w, s, err);
}

/* ---- helpers shared by importers ---- */

int vdb_create_unique(const char *base, const char *tag, char **out, bool dir)
{
    *out = NULL;
    uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)out;
    for (int attempt = 0; attempt < 100; attempt++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        char *p = NULL;
        if (asprintf(&p, "%s%s-%ld-%08x", base, tag, (long)getpid(),
                     (unsigned)(seed >> 33)) < 0)
            return -1;
        int fd = dir ? mkdir(p, 0700) : open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            *out = p;
            return fd;
        }
        int e = errno;
        free(p);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

bool vdb_str_ok(const char *s, size_t max)
{
    if (!s || !*s)
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f || n >= max)
            return false;
    return true;
}

bool vdb_is_cve(const char *s)
{
    if (!s || strncmp(s, "CVE-", 4) != 0)
        return false;
    const char *p = s + 4;
    for (int i = 0; i < 4; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    if (p[4] != '-')
        return false;
    p += 5;
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9')
        n++;
    return n >= 4 && n <= 19 && p[n] == 0;
}

const char *vdb_debian_release_number(const char *codename)
{
    static const char *const map[][2] = {
        { "buzz", "1.1" }, { "rex", "1.2" }, { "bo", "1.3" }, { "hamm", "2" }, { "slink", "2.1" },
        { "potato", "2.2" }, { "woody", "3.0" }, { "sarge", "3.1" }, { "etch", "4" },
        { "lenny", "5" }, { "squeeze", "6" }, { "wheezy", "7" }, { "jessie", "8" },
        { "stretch", "9" }, { "buster", "10" }, { "bullseye", "11" }, { "bookworm", "12" },
        { "trixie", "13" }, { "forky", "14" }, { "duke", "15" }, { "sid", "unstable" },
    };
    for (size_t i = 0; codename && i < HULL_ARRAY_LEN(map); i++)
        if (!strcmp(codename, map[i][0]))
            return map[i][1];
    return NULL;
}
