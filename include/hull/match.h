/* Matcher: an inventory against the vulnerability database, exactly per source.
 *
 * - Debian and derivatives: by source package and source version (binary name and version
 *   when the package records no source), in the release the image runs ("Debian:12").
 *   Each affected binary package is its own finding.
 * - Alpine: by the package's origin in the image's vMAJOR.MINOR branch ("Alpine:v3.18").
 * - npm and PyPI (OSV): by name; every range type the database stores (ECOSYSTEM, SEMVER,
 *   npm range expressions), explicit version lists; withdrawn advisories are ignored.
 * - One finding per (package, vulnerability): advisories that share a CVE alias (a GHSA and
 *   its CVE, a DEBIAN-CVE record and the OVAL definition) are merged, all ids kept.
 * - Severity: the vendor's rating when the source gives one, else the CVSS v3 (then v4)
 *   rating, else UNKNOWN; the source of the severity is recorded.
 * Packages whose installed version cannot be parsed are listed, never silently skipped.
 * docs/matching.md states the rules in full. */
#ifndef HULL_MATCH_H
#define HULL_MATCH_H
#include "hull/hull.h"
#include "hull/inventory.h"
#include "hull/vulndb.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_severity {
    HULL_SEV_UNKNOWN = 0,
    HULL_SEV_LOW,
    HULL_SEV_MEDIUM,
    HULL_SEV_HIGH,
    HULL_SEV_CRITICAL,
    HULL_SEV__COUNT
};

/* "UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL". */
const char *hull_severity_name(enum hull_severity s);
/* Case-insensitive; accepts "MODERATE" (GitHub) for MEDIUM and "IMPORTANT" (Red Hat) for HIGH.
 * Returns -1 for an unknown word. */
int hull_severity_parse(const char *s);

struct hull_finding_cvss {
    char *type;   /* "CVSS_V3", "CVSS_V4", "CVSS_V2" */
    char *vector;
    double score; /* computed from the vector; -1 when invalid */
};

struct hull_finding {
    const struct hull_pkg *pkg;   /* borrowed from the inventory */
    char *target;                 /* section: "debian 12 (dpkg)", "/app/node_modules", lockfile */
    char *id;                     /* the id shown: the CVE when one is known, else the advisory id */
    char **ids;                   /* every id (advisory ids and aliases), sorted, unique */
    size_t n_ids;
    enum hull_severity severity;
    char *severity_source;        /* "debian", "ghsa", "nodejs-security-wg", "cvss-v3", ... */
    enum hull_vuln_status status; /* fixed, affected, will_not_fix, fix_deferred, end_of_life */
    char *status_reason;          /* the source's reason text, may be NULL */
    char *installed;              /* the version compared (source version for Debian) */
    char *fixed;                  /* NULL when no fix is known */
    char *title;                  /* summary or first line of the details, may be NULL */
    char *published;              /* may be NULL */
    char **refs;
    size_t n_refs;
    struct hull_finding_cvss *cvss;
    size_t n_cvss;
    char **sources;               /* database sources that reported it */
    size_t n_sources;
    bool kev;                     /* listed in CISA's known-exploited catalogue */
};

struct hull_unparsed {
    const struct hull_pkg *pkg; /* borrowed */
    char *reason;               /* why the version cannot be compared */
};

struct hull_match_result {
    struct hull_finding *findings; /* sorted: target, package name, severity (high first), id */
    size_t n_findings;
    struct hull_unparsed *unparsed; /* packages that could not be matched */
    size_t n_unparsed;
    char *os_ecosystem;            /* "Debian:12", "Alpine:v3.18" or NULL when the OS is unknown */
    size_t packages_checked;       /* packages with a database ecosystem */
};

/* Match every package of inv (finished) against db. The result borrows inv's packages: free
 * it (hull_match_result_free) before the inventory. Errors: HULL_E_DB, HULL_E_NOMEM. */
int hull_match(const struct hull_ctx *ctx, struct hull_vulndb *db,
               const struct hull_inventory *inv, struct hull_match_result **out,
               struct hull_err **err);
void hull_match_result_free(struct hull_match_result *r);

/* The database ecosystem and package name a package is matched under, or NULL/false when its
 * type has no source in the database (e.g. rpm today, or an unknown OS). *eco and *name are
 * malloc'd. */
bool hull_match_key(const struct hull_inventory *inv, const struct hull_pkg *p, char **eco,
                    char **name);

#ifdef __cplusplus
}
#endif
#endif
