/* `hull db import`: walk files, directories and zip archives, detect each document's feed
 * format from its content, and hand it to the right parser. Every file is read through
 * libarchive (zip, or a single file raw, optionally gzip/bzip2/xz/zstd-compressed), so Debian's
 * oval-definitions-*.xml.bz2 is streamed into the XML reader without unpacking it first. A
 * corrupt or truncated archive aborts the whole import; the old database stays untouched. */
#include "core/common.h"
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include "core/buf.h"
#include "vulndb/vdb.h"

/* ---- element-at-a-time JSON over a top-level object ---- */

static size_t skip_ws(const char *b, size_t len, size_t p)
{
    while (p < len && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r'))
        p++;
    return p;
}

int vdb_jobj_open(struct vdb_jobj *it, const char *buf, size_t len, struct hull_err **err)
{
    it->buf = buf;
    it->len = len;
    it->pos = 0;
    it->state = 0;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        it->pos = 3;
    it->pos = skip_ws(buf, len, it->pos);
    if (it->pos >= len || buf[it->pos] != '{')
        return hull_err_set(err, HULL_E_PARSE, "expected a JSON object");
    it->pos++;
    return 0;
}

static json_t *load_one(struct vdb_jobj *it, struct hull_err **err)
{
    json_error_t je;
    json_t *v = json_loadb(it->buf + it->pos, it->len - it->pos,
                           JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        hull_err_set(err, HULL_E_PARSE, "invalid JSON near byte %zu: %s", it->pos + je.position,
                     je.text);
        return NULL;
    }
    it->pos += je.position;
    return v;
}

int vdb_jobj_next(struct vdb_jobj *it, char **key, json_t **val, struct hull_err **err)
{
    *key = NULL;
    *val = NULL;
    if (it->state < 0)
        return 0;
    size_t p = skip_ws(it->buf, it->len, it->pos);
    if (p >= it->len)
        return hull_err_set(err, HULL_E_PARSE, "truncated JSON object");
    if (it->buf[p] == '}') {
        p = skip_ws(it->buf, it->len, p + 1);
        if (p != it->len)
            return hull_err_set(err, HULL_E_PARSE, "trailing data after the JSON object");
        it->state = -1;
        return 0;
    }
    if (it->state > 0) {
        if (it->buf[p] != ',')
            return hull_err_set(err, HULL_E_PARSE, "expected ',' at byte %zu", p);
        p = skip_ws(it->buf, it->len, p + 1);
    }
    if (p >= it->len || it->buf[p] != '"')
        return hull_err_set(err, HULL_E_PARSE, "expected a member name at byte %zu", p);
    it->pos = p;
    json_t *k = load_one(it, err);
    if (!k)
        return -HULL_E_PARSE;
    p = skip_ws(it->buf, it->len, it->pos);
    if (p >= it->len || it->buf[p] != ':') {
        json_decref(k);
        return hull_err_set(err, HULL_E_PARSE, "expected ':' at byte %zu", p);
    }
    it->pos = skip_ws(it->buf, it->len, p + 1);
    json_t *v = load_one(it, err);
    if (!v) {
        json_decref(k);
        return -HULL_E_PARSE;
    }
    *key = strdup(json_string_value(k));
    json_decref(k);
    if (!*key) {
        json_decref(v);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    *val = v;
    it->state = 1;
    return 1;
}

/* ---- format detection ---- */

enum fmt { F_UNKNOWN, F_OSV, F_OSV_ARRAY, F_SECDB, F_TRACKER, F_OVAL, F_CVSS, F_KEV, F_NODEWG,
           F_NVD };

static const char *skip_bom_ws(const char *b, size_t len, size_t *off)
{
    size_t p = (len >= 3 && !memcmp(b, "\xef\xbb\xbf", 3)) ? 3 : 0;
    p = skip_ws(b, len, p);
    *off = p;
    return b + p;
}

/* Tracker JSON: {"<pkg>": {"<CVE>": {... "releases": {...}}}} - looked at through its first
 * member only, so a 100 MB document is never parsed twice. */
static bool looks_tracker(const char *buf, size_t len)
{
    struct vdb_jobj it;
    char *k = NULL;
    json_t *v = NULL;
    bool yes = false;
    if (vdb_jobj_open(&it, buf, len, NULL) == 0 && vdb_jobj_next(&it, &k, &v, NULL) == 1 &&
        json_is_object(v)) {
        const char *ck;
        json_t *cv;
        json_object_foreach(v, ck, cv) {
            yes = json_is_object(cv) && json_is_object(json_object_get(cv, "releases"));
            break;
        }
    }
    free(k);
    json_decref(v);
    return yes;
}

static enum fmt classify_json(const json_t *j)
{
    if (json_is_object(j)) {
        if (json_is_array(json_object_get(j, "vulnerabilities")) &&
            json_object_get(j, "catalogVersion"))
            return F_KEV;
        if (json_is_array(json_object_get(j, "vulnerabilities")) &&
            (json_object_get(j, "format") || json_object_get(j, "resultsPerPage")))
            return F_NVD;
        if (json_is_array(json_object_get(j, "packages")) &&
            (json_object_get(j, "distroversion") || json_object_get(j, "reponame")))
            return F_SECDB;
        if (json_is_string(json_object_get(j, "id")) &&
            (json_object_get(j, "affected") || json_object_get(j, "modified") ||
             json_object_get(j, "schema_version")))
            return F_OSV;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            if (json_is_object(v) &&
                (json_object_get(v, "vulnerable") || json_object_get(v, "patched") ||
                 json_object_get(v, "module_name")))
                return F_NODEWG;
            break;
        }
    } else if (json_is_array(j) && json_array_size(j)) {
        json_t *e = json_array_get(j, 0);
        if (json_object_get(e, "module_name"))
            return F_NODEWG;
        if (json_is_string(json_object_get(e, "id")))
            return F_OSV_ARRAY;
    }
    return F_UNKNOWN;
}

struct importer {
    struct vdb_writer *w;
    size_t max_doc;
};

/* Import one whole document. explicit: named on the command line (unknown format is an error)
 * rather than found in a directory or archive (unknown formats are counted and ignored;
 * unparseable JSON is a malformed record). */
static int import_doc(struct importer *im, const char *origin, const char *buf, size_t len,
                      bool explicit, struct hull_err **err)
{
    struct vdb_writer *w = im->w;
    size_t off;
    const char *p = skip_bom_ws(buf, len, &off);
    size_t rest = len - off;
    int r;
    if (rest && *p == '<') {
        if (memmem(p, rest < 4096 ? rest : 4096, "oval_definitions", 16))
            return vdb_import_oval(w, origin, buf, len, err);
        goto unknown;
    }
    if (rest >= 7 && !memcmp(p, "cve_id,", 7))
        return vdb_import_cvss_csv(w, origin, buf, len, err);
    if (rest > 16 && p[0] == '[' && p[1] >= '0' && p[1] <= '9') {
        const char *eol = memchr(p, '\n', rest);
        size_t l = eol ? (size_t)(eol - p) : rest;
        if (memmem(p, l, "] DSA-", 6) || memmem(p, l, "] DLA-", 6))
            return vdb_import_debian_dsa(w, origin, buf, len, err);
    }
    if (rest && *p == '{' && looks_tracker(buf, len))
        return vdb_import_debian_tracker(w, origin, buf, len, err);
    if (rest && (*p == '{' || *p == '[')) {
        json_error_t je;
        json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
        if (!j) {
            if (!explicit)
                return vdb_skip(w, origin, "invalid JSON", err);
            return hull_err_set(err, HULL_E_PARSE, "%s: invalid JSON at line %d column %d: %s",
                                origin, je.line, je.column, je.text);
        }
        enum fmt f = classify_json(j);
        switch (f) {
        case F_OSV:
            r = vdb_import_osv_json(w, j, origin, err);
            break;
        case F_NVD:
            r = vdb_import_nvd(w, origin, j, err);
            break;
        case F_OSV_ARRAY: {
            size_t i;
            json_t *e;
            r = 0;
            json_array_foreach(j, i, e) {
                if ((r = vdb_import_osv_json(w, e, origin, err)) < 0)
                    break;
            }
            break;
        }
        case F_SECDB:
        case F_KEV:
        case F_NODEWG:
            json_decref(j);
            j = NULL;
            r = f == F_SECDB ? vdb_import_secdb(w, origin, buf, len, err)
                : f == F_KEV ? vdb_import_kev(w, origin, buf, len, err)
                             : vdb_import_nodewg(w, origin, buf, len, err);
            break;
        default:
            json_decref(j);
            goto unknown;
        }
        json_decref(j);
        return r;
    }
unknown:
    if (explicit)
        return hull_err_set(err, HULL_E_UNSUPPORTED, "%s: not a vulnerability feed hull knows "
                            "(OSV, Alpine secdb, Debian tracker JSON, "
                            "OVAL or DSA/DLA list, CVSS CSV, KEV, Node.js security WG)", origin);
    return 1; /* ignored */
}

/* ---- reading through libarchive ---- */

struct arc_reader {
    struct archive *a;
    const char *origin;
    const char *pre; /* bytes already read (the sniffed head) */
    size_t pre_len, pre_pos;
};

static ssize_t arc_read(void *ud, void *buf, size_t n, struct hull_err **err)
{
    struct arc_reader *r = ud;
    if (r->pre_pos < r->pre_len) {
        size_t k = r->pre_len - r->pre_pos < n ? r->pre_len - r->pre_pos : n;
        memcpy(buf, r->pre + r->pre_pos, k);
        r->pre_pos += k;
        return (ssize_t)k;
    }
    la_ssize_t got = archive_read_data(r->a, buf, n);
    if (got < 0) {
        hull_err_set(err, HULL_E_PARSE, "%s: corrupt or truncated: %s", r->origin,
                     archive_error_string(r->a) ? archive_error_string(r->a) : "read error");
        return -1;
    }
    return got;
}

/* Read the rest of the current entry into b (capped). */
static int slurp(struct archive *a, const char *origin, struct hull_buf *b, struct hull_err **err)
{
    char tmp[65536];
    for (;;) {
        la_ssize_t got = archive_read_data(a, tmp, sizeof(tmp));
        if (got < 0)
            return hull_err_set(err, HULL_E_PARSE, "%s: corrupt or truncated: %s", origin,
                                archive_error_string(a) ? archive_error_string(a) : "read error");
        if (got == 0)
            return 0;
        if (hull_buf_append(b, tmp, (size_t)got, err) < 0)
            return hull_err_wrap(err, "%s", origin);
    }
}

static struct archive *arc_open(const char *path, struct hull_err **err)
{
    struct archive *a = archive_read_new();
    if (!a) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_format_zip_seekable(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        hull_err_set(err, HULL_E_PARSE, "%s: cannot read: %s", path,
                     archive_error_string(a) ? archive_error_string(a) : "open failed");
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static int import_file(struct importer *im, const char *path, bool explicit,
                       struct hull_err **err)
{
    struct archive *a = arc_open(path, err);
    if (!a)
        return -HULL_E_PARSE;
    struct archive_entry *e;
    int r = 0, rc;
    bool is_zip = false, any = false;
    vdb_set_file(im->w, path);
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        any = true;
        is_zip = archive_format(a) != ARCHIVE_FORMAT_RAW;
        if (is_zip && archive_entry_filetype(e) != AE_IFREG)
            continue;
        char *origin = NULL;
        if (is_zip) {
            if (asprintf(&origin, "%s!%s", path, archive_entry_pathname(e) ?
                         archive_entry_pathname(e) : "?") < 0)
                origin = NULL;
        } else {
            origin = strdup(path);
        }
        if (!origin) {
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        struct hull_buf b = HULL_BUF_INIT(is_zip ? VDB_MAX_ENTRY : im->max_doc);
        /* sniff the head: XML is streamed, everything else is read whole */
        char head[4096];
        size_t hl = 0;
        while (hl < sizeof(head)) {
            la_ssize_t got = archive_read_data(a, head + hl, sizeof(head) - hl);
            if (got < 0) {
                r = hull_err_set(err, HULL_E_PARSE, "%s: corrupt or truncated: %s", origin,
                                 archive_error_string(a) ? archive_error_string(a) : "read");
                break;
            }
            if (got == 0)
                break;
            hl += (size_t)got;
        }
        if (r == 0 && !is_zip && hl >= 4 && !memcmp(head, "PK\x03\x04", 4))
            r = hull_err_set(err, HULL_E_PARSE, "%s: corrupt or truncated zip archive (no "
                             "central directory)", origin);
        size_t off = 0;
        const char *p = r == 0 ? skip_bom_ws(head, hl, &off) : NULL;
        if (r == 0 && hl - off > 0 && *p == '<' && memmem(p, hl - off, "oval_definitions", 16)) {
            struct arc_reader rd = { a, origin, head, hl, 0 };
            r = vdb_import_oval_stream(im->w, origin, arc_read, &rd, err);
            if (r == 0)
                vdb_note_document(im->w);
        } else if (r == 0) {
            if (hull_buf_append(&b, head, hl, err) < 0 || slurp(a, origin, &b, err) < 0) {
                r = -HULL_E_PARSE;
                if (err && *err && (*err)->code == HULL_E_LIMIT && is_zip) {
                    /* one oversized record inside an archive: skip it */
                    hull_err_clear(err);
                    r = vdb_skip(im->w, origin, "entry too large", err);
                }
            } else {
                r = import_doc(im, origin, b.p ? b.p : "", b.len, explicit && !is_zip, err);
                if (r == 1) {
                    r = 0;
                    vdb_note_ignored(im->w);
                } else if (r == 0) {
                    vdb_note_document(im->w);
                }
            }
        }
        hull_buf_release(&b);
        free(origin);
        if (r < 0)
            break;
        if (!is_zip)
            break;
    }
    if (r == 0 && rc != ARCHIVE_OK && rc != ARCHIVE_EOF)
        r = hull_err_set(err, HULL_E_PARSE, "%s: corrupt or truncated archive: %s", path,
                         archive_error_string(a) ? archive_error_string(a) : "read error");
    if (r == 0 && !any && explicit)
        r = hull_err_set(err, HULL_E_PARSE, "%s: empty file", path);
    vdb_set_file(im->w, NULL);
    archive_read_free(a);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_path(struct importer *im, const char *path, bool explicit, int depth,
                       struct hull_err **err)
{
    struct stat sb;
    if (stat(path, &sb) < 0)
        return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s",
                            path);
    if (S_ISREG(sb.st_mode)) {
        if (sb.st_size == 0) {
            if (explicit)
                return hull_err_set(err, HULL_E_PARSE, "%s: empty file", path);
            vdb_note_ignored(im->w);
            return 0;
        }
        return import_file(im, path, explicit, err);
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (explicit)
            return hull_err_set(err, HULL_E_UNSUPPORTED, "%s: not a file or directory", path);
        return 0;
    }
    if (depth > 32)
        return hull_err_set(err, HULL_E_LIMIT, "%s: directories nested too deeply", path);
    DIR *d = opendir(path);
    if (!d)
        return hull_err_sys(err, HULL_E_IO, errno, "%s", path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int r = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (hull_grow(&names, n, &cap, sizeof(*names), 32) < 0) {
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        if (asprintf(&names[n], "%s/%s", path, e->d_name) < 0) {
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (r == 0 && n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (r == 0)
            r = import_path(im, names[i], false, depth + 1, err);
        free(names[i]);
    }
    free(names);
    return r;
}

int vdb_import_paths(struct vdb_writer *w, const char *const *paths, size_t n, size_t max_doc,
                     struct hull_err **err)
{
    struct importer im = { w, max_doc };
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++)
        r = import_path(&im, paths[i], true, 0, err);
    return r;
}

int hull_vulndb_import(const struct hull_ctx *ctx, const char *db_path, const char *const *paths,
                       size_t n_paths, const struct hull_vulndb_import_opts *opts,
                       struct hull_vulndb_report *report, struct hull_err **err)
{
    if (!n_paths)
        return hull_err_set(err, HULL_E_USAGE, "nothing to import");
    /* check every path before building anything */
    for (size_t i = 0; i < n_paths; i++)
        if (access(paths[i], R_OK) != 0)
            return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s",
                                paths[i]);
    struct vdb_writer *w = vdb_writer_begin(ctx, db_path, opts, report, err);
    if (!w)
        return err && *err ? -(int)(*err)->code : -HULL_E_DB;
    int r = vdb_import_paths(w, paths, n_paths,
                             opts && opts->max_doc_bytes ? opts->max_doc_bytes : 512u << 20, err);
    if (r < 0) {
        vdb_writer_abort(w);
        return r;
    }
    return vdb_writer_commit(w, err);
}
