/* hull vulnerability database: import upstream feeds into SQLite, update atomically, look up
 * affected entries by (ecosystem, package) in one batch (docs/vulndb.md).
 *
 * Readers open the file read-only and immutable: a database file is never modified in place.
 * Writers build a complete new file beside the target (copying the old content first), fsync it
 * and rename() it over the target, so readers keep their handle and a kill -9 at any moment
 * leaves the previous database intact. Writers serialise on "<db>.lock" (flock).
 *
 * Ecosystems use OSV names: "Debian:12", "Alpine:v3.18", "npm", "PyPI", "Go", "Maven" ...
 * Packages are source packages for Debian, APK origins for Alpine. Names are stored and looked
 * up normalised (hull_vulndb_norm_package): npm and PyPI names compare case-insensitively. */
#ifndef HULL_VULNDB_H
#define HULL_VULNDB_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <time.h>
#include "hull/hull.h"
#ifdef __cplusplus
extern "C" {
#endif

#define HULL_VULNDB_SCHEMA_VERSION 2
/* Age after which scans warn that the database is stale (7 days). */
#define HULL_VULNDB_STALE_SECONDS (7 * 24 * 3600)

struct hull_vulndb; /* an open read-only database */

enum hull_vuln_status {
    HULL_VULN_UNKNOWN = 0,  /* the source has not decided ("undetermined") */
    HULL_VULN_FIXED,        /* versions before `fixed` are affected */
    HULL_VULN_AFFECTED,     /* affected, no fix published */
    HULL_VULN_WILL_NOT_FIX, /* affected, the vendor will not fix (Debian "ignored") */
    HULL_VULN_FIX_DEFERRED, /* affected, fix postponed (Debian "postponed") */
    HULL_VULN_END_OF_LIFE,  /* affected, package no longer supported */
    HULL_VULN_NOT_AFFECTED, /* the source says this package never was affected */
};

enum hull_vuln_event_kind {
    HULL_VULN_EV_INTRODUCED,
    HULL_VULN_EV_FIXED,
    HULL_VULN_EV_LAST_AFFECTED,
    HULL_VULN_EV_LIMIT,
};

struct hull_vuln_event {
    enum hull_vuln_event_kind kind;
    const char *version; /* "0" for introduced means "since the beginning" */
};

/* One OSV range. type is "ECOSYSTEM", "SEMVER", "GIT", or "NPM_EXPR" (Node.js security WG:
 * `expr` holds an npm semver range of vulnerable versions, e.g. "<4.6.0 || >=5 <5.0.3", and
 * events is empty). */
struct hull_vuln_range {
    const char *type;
    const char *repo; /* GIT ranges only, else NULL */
    const char *expr; /* NPM_EXPR only, else NULL */
    const struct hull_vuln_event *events;
    size_t n_events;
};

struct hull_vuln_cvss {
    const char *type;    /* "CVSS_V2", "CVSS_V3" (3.0 and 3.1), "CVSS_V4" */
    const char *vector;  /* as published */
    double score;        /* computed by hull_cvss_score(); -1 when the vector is invalid */
    double published;    /* score the source published; -1 when none */
    const char *source;  /* "advisory" (from the record itself) or the enrichment source */
};

/* Shared by every affected entry of the same advisory inside one lookup result. */
struct hull_vuln_advisory {
    const char *source;   /* source that delivered it: "osv", "alpine-secdb:v3.18/main", ... */
    const char *id;       /* GHSA-..., DEBIAN-CVE-..., CVE-..., DSA-..., NSWG-CORE-... */
    const char *const *aliases; size_t n_aliases; /* CVE ids etc. */
    const char *summary;  /* may be NULL */
    const char *details;  /* may be NULL */
    const char *published, *modified; /* RFC 3339 as published, may be NULL */
    const char *withdrawn; /* RFC 3339 when withdrawn, else NULL */
    const char *severity;  /* vendor rating ("HIGH", "MODERATE", ...), may be NULL */
    const char *severity_source; /* who rated it ("ghsa", "nodejs-security-wg", ...) */
    const char *const *refs; size_t n_refs;  /* URLs */
    const struct hull_vuln_cvss *cvss; size_t n_cvss; /* record vectors, then enrichment */
    bool kev;              /* the id or an alias is in CISA's known-exploited catalogue */
    const char *kev_date_added; /* when kev */
};

struct hull_vuln_affected {
    size_t key;            /* index into the keys passed to hull_vulndb_lookup */
    const char *ecosystem; /* as stored (normalised) */
    const char *package;   /* the name the source used */
    const struct hull_vuln_advisory *adv;
    enum hull_vuln_status status;
    const char *reason;    /* source's reason text (Debian no-dsa note, urgency), may be NULL */
    const char *fixed;     /* first fixed version when the source gives one, else NULL */
    const char *severity;  /* per-package urgency (Debian), else the advisory's, may be NULL */
    const char *severity_source;
    const struct hull_vuln_range *ranges; size_t n_ranges;
    const char *const *versions; size_t n_versions; /* explicitly listed affected versions */
};

/* Result of one batch lookup: entries sorted by key index, then source, advisory id. */
struct hull_vuln_matches {
    struct hull_vuln_affected *items;
    size_t n;
    void *priv_; /* storage for every string and array above */
};

struct hull_vulndb_key {
    const char *ecosystem;
    const char *package;
};

struct hull_vulndb_source_info {
    char *name;        /* "osv", "alpine-secdb:v3.18/main", "debian-oval:12", "kev", ... */
    char *kind;        /* importer: osv, alpine-secdb, debian-oval, debian-tracker, cvss, ... */
    char *origin;      /* file path (or downloaded copy) it came from; "PATH (+N more)" when N
                          other files fed it in the same import */
    int64_t imported_at;  /* Unix time */
    int64_t records, advisories, affected, skipped; /* records read, rows kept, records skipped */
};

/* A feed downloaded by `hull db update` and its HTTP validators. */
struct hull_vulndb_feed_info {
    char *name, *url;
    char *etag, *last_modified; /* may be NULL */
    int64_t fetched_at;         /* Unix time of the last 200 or 304 */
    int64_t bytes;              /* size of the last download (0 after a 304) */
};

struct hull_vulndb_status {
    char *path;
    int schema_version;
    int64_t built_at;   /* Unix time of the last successful import/update */
    int64_t size_bytes;
    int64_t advisories, affected, packages, cvss, kev;
    struct hull_vulndb_source_info *sources;
    size_t n_sources;
    struct hull_vulndb_feed_info *feeds;
    size_t n_feeds;
};

/* Default database path: $HULL_DB, else $XDG_CACHE_HOME/hull/db.sqlite, else
 * ~/.cache/hull/db.sqlite. Returns a malloc'd string (caller frees) or NULL with HULL_E_IO when
 * no home directory is known. */
char *hull_vulndb_default_path(struct hull_err **err);

/* Open an existing database read-only (immutable, mmap_size 256 MiB). A missing file fails with
 * HULL_E_DB and a message naming `hull db update` / `hull db import`; a file that is not a hull
 * database or has another schema version fails with HULL_E_DB. Free with hull_vulndb_close. */
struct hull_vulndb *hull_vulndb_open(const struct hull_ctx *ctx, const char *path,
                                     struct hull_err **err);
/* Close a database opened by hull_vulndb_open; NULL is a no-op. Lookup results stay valid. */
void hull_vulndb_close(struct hull_vulndb *db);

/* Look up every affected entry for keys[0..n): one indexed read of the packed table per key
 * (one blob per package, resolved at import time). Keys are normalised (package names per
 * ecosystem) first. *out receives a result the caller frees with
 * hull_vuln_matches_free (it stays valid after hull_vulndb_close). Errors: HULL_E_DB (also for a
 * malformed packed entry). */
int hull_vulndb_lookup(struct hull_vulndb *db, const struct hull_vulndb_key *keys, size_t n,
                       struct hull_vuln_matches **out, struct hull_err **err);
/* Free a lookup result and every string it points to; NULL is a no-op. */
void hull_vuln_matches_free(struct hull_vuln_matches *m);

/* Metadata and counts into *st (the caller's struct; its members are owned by it and released
 * with hull_vulndb_status_free). Errors: HULL_E_DB. */
int hull_vulndb_get_status(struct hull_vulndb *db, struct hull_vulndb_status *st,
                           struct hull_err **err);
void hull_vulndb_status_free(struct hull_vulndb_status *st);

/* Age check for scans: with max_age_seconds > 0, a database built more than that long before
 * `now` fails with HULL_E_DB ("database is N days old (limit ...)"). Otherwise an age over
 * HULL_VULNDB_STALE_SECONDS logs one warning through ctx. *age_seconds (may be NULL) receives
 * the age. */
int hull_vulndb_check_age(struct hull_vulndb *db, const struct hull_ctx *ctx, time_t now,
                          int64_t max_age_seconds, int64_t *age_seconds, struct hull_err **err);

/* Parse "90s", "30m", "12h", "7d", "2w" or plain seconds. Returns seconds or -1 (invalid). */
int64_t hull_duration_parse(const char *s);

/* Normalise a package name for ecosystem as the database stores it: npm lower-cased, PyPI per
 * PEP 503, others unchanged. Returns a malloc'd string or NULL on OOM. */
char *hull_vulndb_norm_package(const char *ecosystem, const char *name);

/* The ecosystem name the database uses for an OS release, from os-release ID and VERSION_ID:
 * ("debian", "12.4") -> "Debian:12", ("alpine", "3.18.8") -> "Alpine:v3.18",
 * ("ubuntu", "22.04") -> "Ubuntu:22.04". Writes into out (n bytes). Returns 0, or -1 for an
 * OS the feeds do not cover or a version that does not parse. */
int hull_vulndb_distro_ecosystem(const char *os_id, const char *version_id, char *out, size_t n);

/* Status names ("fixed", "affected", "will_not_fix", ...) and their inverse (-1 if unknown). */
const char *hull_vuln_status_name(enum hull_vuln_status s);
int hull_vuln_status_parse(const char *s);

/* ---- import and update ---- */

struct hull_vulndb_import_opts {
    bool strict;       /* any malformed record is fatal (HULL_E_PARSE, CLI exit 3) */
    size_t max_doc_bytes; /* one feed document; 0 = 512 MiB */
};

/* Outcome of one import/update run (every field owned by the struct; free with
 * hull_vulndb_report_free). */
struct hull_vulndb_report {
    int64_t records;      /* records (advisories, secdb fix keys, OVAL definitions...) read */
    int64_t affected;     /* affected rows written */
    int64_t skipped;      /* malformed records skipped */
    char *skipped_ids[5]; /* the first few distinct skipped record ids (or positions) */
    size_t n_skipped_ids;
    int64_t documents;    /* feed documents imported */
    int64_t ignored;      /* files in directories that were not a feed format */
    char **sources; size_t n_sources; /* source names that were (re)written */
    int64_t unchanged;    /* update: feeds the server reported unchanged (304) */
};

/* Free what a report owns and zero it (the struct itself is the caller's). */
void hull_vulndb_report_free(struct hull_vulndb_report *r);

/* Import files, directories (recursively) and zip archives into the database at db_path.
 * Formats are detected from content: OSV JSON (record, array, zip of records), Alpine secdb,
 * Debian security-tracker JSON, Debian OVAL XML (plain or .bz2/.gz/.xz), CVSS CSV, CISA KEV
 * JSON, Node.js security-WG indexes. A whole-feed document replaces the earlier content of its
 * source; OSV records replace records with the same id. The new database is built beside
 * db_path and renamed over it only when everything succeeded: on any error the old database
 * is untouched. Errors: HULL_E_NOTFOUND/IO (paths), HULL_E_UNSUPPORTED (explicit file of an
 * unknown format), HULL_E_PARSE (corrupt archive or document; any bad record with strict),
 * HULL_E_DB (SQLite). */
int hull_vulndb_import(const struct hull_ctx *ctx, const char *db_path, const char *const *paths,
                       size_t n_paths, const struct hull_vulndb_import_opts *opts,
                       struct hull_vulndb_report *report, struct hull_err **err);

/* A feed `hull db update` knows. */
struct hull_vulndb_feed {
    const char *name;  /* "alpine-v3.18-main", "debian-oval-bookworm", "kev", ... */
    const char *url;   /* default upstream URL */
    bool on_request;   /* not in the default set: fetched when named by a source (or already
                          in the database being updated); "nvd" */
};
/* The built-in feed list, terminated by an entry whose name is NULL. */
const struct hull_vulndb_feed *hull_vulndb_feeds(void);

struct hull_vulndb_mirror {
    const char *name;  /* feed name, or "*" for a base URL replacing every feed's scheme+host
                          prefix ("*=http://mirror.local/hull" + "/" + feed name) */
    const char *url;
};

struct hull_vulndb_update_opts {
    const char *const *sources; size_t n_sources; /* feed names or prefixes; none = every
                                                     feed but the on-request ones the
                                                     database does not hold yet */
    const struct hull_vulndb_mirror *mirrors; size_t n_mirrors;
    unsigned max_retries;      /* on 429/5xx/transport errors; 0 = 4 */
    unsigned retry_base_ms;    /* first backoff; 0 = 1000, doubles, capped by Retry-After <= 60s */
    long timeout_seconds;      /* per transfer; 0 = 300 */
    bool strict;
    const char *nvd_api_key;   /* sent as the "apiKey" header to NVD; NULL = $NVD_API_KEY */
    long nvd_delay_ms;         /* pause between NVD requests; 0 = NVD's (6 s, 0.6 s with a key),
                                  < 0 = none */
};

/* Download the chosen feeds with conditional GETs (ETag / Last-Modified kept in the source
 * metadata), retries with backoff on 429/5xx honouring Retry-After, proxies from the
 * environment (libcurl), progress through ctx->progress. Downloads land in a temporary
 * directory beside the database; then everything is imported atomically as in
 * hull_vulndb_import. If every feed answers 304 the database is left as is.
 * The "nvd" feed (NVD CVE API 2.0, CVSS enrichment) is paged: resultsPerPage=2000&startIndex=N
 * until totalResults, pausing nvd_delay_ms between requests, 403/429 retried as rate limiting.
 * After a full download the next update asks only for CVEs modified since the last fetch
 * (lastModStartDate/lastModEndDate, at most 120 days; older = a full download again) and
 * upserts them; a full download replaces the source's rows. Errors: HULL_E_NET (transport,
 * HTTP errors after retries), HULL_E_USAGE (unknown source name), HULL_E_PARSE (a malformed
 * NVD page or inconsistent paging), HULL_E_LIMIT, plus those of hull_vulndb_import. */
int hull_vulndb_update(const struct hull_ctx *ctx, const char *db_path,
                       const struct hull_vulndb_update_opts *opts,
                       struct hull_vulndb_report *report, struct hull_err **err);

/* ---- CVSS ---- */

/* Base score of a CVSS v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally "(...)"), v3.0/v3.1
 * ("CVSS:3.1/...") or v4.0 ("CVSS:4.0/...") vector, per the FIRST specifications. Returns the
 * score (0.0-10.0) or -1 when the vector is invalid (unknown metric or value, missing or
 * repeated base metric). *version (may be NULL) receives 2, 30, 31 or 40. */
double hull_cvss_score(const char *vector, int *version);
/* Qualitative rating of a v3/v4 score: "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL". */
const char *hull_cvss_rating(double score);

#ifdef __cplusplus
}
#endif
#endif
