/* Private interface of lib/vulndb: the database writer every importer feeds, and the feed
 * parsers themselves (each takes one document as (pointer, length)). */
#ifndef HULL_VULNDB_VDB_H
#define HULL_VULNDB_VDB_H
#include "core/common.h"
#include <jansson.h>
#include <sqlite3.h>
#include "hull/vulndb.h"

/* Caps on hostile feeds. */
#define VDB_MAX_ID 256            /* bytes of an advisory id */
#define VDB_MAX_NAME 512          /* bytes of a package name / ecosystem / version */
#define VDB_MAX_TEXT (256u << 10) /* summary, details, description */
#define VDB_MAX_LIST 100000       /* entries of one array (versions, aliases, refs, events) */
#define VDB_MAX_ENTRY (64u << 20) /* one file inside a zip */

struct vdb_writer;

/* One advisory as an importer hands it over. Strings and JSON are borrowed for the call.
 * aliases/refs: arrays of strings; cvss: array of {"type","vector"[,"published"]}. */
struct vdb_adv {
    const char *id;
    const char *summary, *details, *published, *modified, *withdrawn;
    const char *severity, *severity_source;
    json_t *aliases, *refs, *cvss;
};

/* One affected entry. ranges: OSV-shaped array ([{"type","events":[{"introduced":..}]}]) or NULL
 * to synthesise an ECOSYSTEM range from status/fixed; versions: array of strings or NULL. */
struct vdb_aff {
    const char *ecosystem, *package;
    enum hull_vuln_status status;
    const char *reason, *fixed, *severity, *severity_source;
    json_t *ranges, *versions;
};

/* Writer lifecycle (dbwrite.c). begin copies the current database (if any) into a temp file
 * beside path; commit fsyncs and renames it over path; abort removes it. A NULL path builds an
 * in-memory database that commit simply discards (fuzzers, parser tests). */
struct vdb_writer *vdb_writer_begin(const struct hull_ctx *ctx, const char *path,
                                    const struct hull_vulndb_import_opts *opts,
                                    struct hull_vulndb_report *report, struct hull_err **err);
int vdb_writer_commit(struct vdb_writer *w, struct hull_err **err);
void vdb_writer_abort(struct vdb_writer *w);
const struct hull_ctx *vdb_ctx(struct vdb_writer *w);
bool vdb_strict(struct vdb_writer *w);

/* Start a source. replace: drop the source's earlier rows (whole-feed documents); otherwise
 * records are upserted by id (OSV). origin: file path or URL. The origin stored is the first
 * one of this run plus " (+N more)" when N other files fed the same source. */
int vdb_source_begin(struct vdb_writer *w, const char *name, const char *kind, const char *origin,
                     bool replace, struct hull_err **err);
/* The file being imported (borrowed until the next call; NULL: none): documents of one file,
 * the entries of a zip, count as one origin. */
void vdb_set_file(struct vdb_writer *w, const char *path);
/* Record a downloaded feed and its HTTP validators (update.c). */
int vdb_put_feed(struct vdb_writer *w, const char *name, const char *url, const char *etag,
                 const char *last_modified, int64_t fetched_at, int64_t bytes,
                 struct hull_err **err);
/* Import files/directories/zips into an open writer (import.c; explicit = named by the user). */
int vdb_import_paths(struct vdb_writer *w, const char *const *paths, size_t n, size_t max_doc,
                     struct hull_err **err);
/* Finish the current source: store its counts. */
int vdb_source_end(struct vdb_writer *w, struct hull_err **err);

/* Add (or replace) an advisory of the current source. */
int vdb_put_advisory(struct vdb_writer *w, const struct vdb_adv *a, struct hull_err **err);
/* Add an affected entry of advisory adv_id (which must have been put). */
int vdb_put_affected(struct vdb_writer *w, const char *adv_id, const struct vdb_aff *f,
                     struct hull_err **err);
/* CVSS enrichment row for a CVE (cvss.csv, NVD). Vectors may be NULL; scores < 0 = none. */
int vdb_put_cvss(struct vdb_writer *w, const char *cve, const char *v3, double v3_score,
                 const char *v2, double v2_score, const char *published, const char *src,
                 struct hull_err **err);
/* Drop the current source's CVSS row of a CVE (an NVD record that lost its metrics). */
int vdb_del_cvss(struct vdb_writer *w, const char *cve, struct hull_err **err);
/* KEV row. */
int vdb_put_kev(struct vdb_writer *w, const char *cve, const char *date_added, const char *vendor,
                const char *product, const char *name, const char *ransomware,
                struct hull_err **err);
/* Count a document imported / a file in a directory that was not a feed. */
void vdb_note_document(struct vdb_writer *w);
void vdb_note_ignored(struct vdb_writer *w);
/* Count one record read. */
void vdb_count_record(struct vdb_writer *w);
/* A malformed record: counted and remembered (first few ids); fatal (HULL_E_PARSE) with strict.
 * `what` is the record id or position, `why` the reason. Returns 0 or <0 (strict). */
int vdb_skip(struct vdb_writer *w, const char *what, const char *why, struct hull_err **err);

/* Feed parsers: one document each. `origin` names it in messages and metadata. Whole-document
 * errors (not JSON, wrong shape) fail with HULL_E_PARSE; bad records go through vdb_skip. */
int vdb_import_osv(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                   struct hull_err **err);
/* OSV record already parsed (used for arrays and zips). */
int vdb_import_osv_json(struct vdb_writer *w, const json_t *rec, const char *origin,
                        struct hull_err **err);
int vdb_import_secdb(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                     struct hull_err **err);
int vdb_import_debian_tracker(struct vdb_writer *w, const char *origin, const char *buf,
                              size_t len, struct hull_err **err);
int vdb_import_cvss_csv(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                        struct hull_err **err);
/* NVD API 2.0 response (already parsed). */
int vdb_import_nvd(struct vdb_writer *w, const char *origin, const json_t *doc,
                   struct hull_err **err);
int vdb_import_kev(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                   struct hull_err **err);
int vdb_import_debian_dsa(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                          struct hull_err **err);
int vdb_import_nodewg(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                      struct hull_err **err);
/* OVAL is streamed: read(ud, buf, n) returns bytes, 0 at end, <0 on error (with *err set). */
typedef ssize_t (*vdb_read_fn)(void *ud, void *buf, size_t n, struct hull_err **err);
int vdb_import_oval_stream(struct vdb_writer *w, const char *origin, vdb_read_fn rd, void *ud,
                           struct hull_err **err);
int vdb_import_oval(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                    struct hull_err **err);

/* Element-at-a-time JSON: iterate the members of a top-level object in buf without building
 * the whole tree. Call vdb_jobj_next until it returns 0 (end) or <0 (error). *key is a malloc'd
 * string and *val a new reference the caller releases. */
struct vdb_jobj { const char *buf; size_t len, pos; int state; };
int vdb_jobj_open(struct vdb_jobj *it, const char *buf, size_t len, struct hull_err **err);
int vdb_jobj_next(struct vdb_jobj *it, char **key, json_t **val, struct hull_err **err);

/* Create "<base><tag>-<pid>-<random>" exclusively (a file opened O_RDWR, or a directory when
 * dir); *out receives the malloc'd name. Returns the fd (0 for a directory) or -1 (errno). */
int vdb_create_unique(const char *base, const char *tag, char **out, bool dir);

/* Helpers shared by importers. */
bool vdb_str_ok(const char *s, size_t max);        /* non-empty, <= max, no control chars */
bool vdb_is_cve(const char *s);                     /* CVE-YYYY-NNNN+ */
const char *vdb_debian_release_number(const char *codename); /* "bookworm" -> "12", or NULL */
/* The normalised lookup (resolve.c): keys joined with affected, advisories, enrichment, KEV and
 * aliases on handle h (read-only or the writer's, inside its transaction). path names the
 * database in messages. Same result contract as hull_vulndb_lookup. */
int vdb_resolve(sqlite3 *h, const char *path, const struct hull_vulndb_key *keys, size_t n,
                struct hull_vuln_matches **out, struct hull_err **err);

/* The packed table (pack.c). build: rebuild every row from the normalised tables (the writer
 * calls it before commit). encode: one package's entries (all of one key, in result order)
 * appended to b. decode: one blob appended to m as entries of `key` (capacity *cap), every
 * string pointing into a copy of the blob in m's storage; returns 0, -1 when the blob is
 * malformed, -2 on OOM. */
struct hull_buf;
int vdb_pack_build(sqlite3 *h, const char *path, struct hull_err **err);
int vdb_pack_encode(const struct hull_vuln_affected *items, size_t n, struct hull_buf *b,
                    struct hull_err **err);
int vdb_pack_decode(struct hull_vuln_matches *m, size_t *cap, size_t key, const char *ecosystem,
                    const void *blob, size_t len);
#endif
