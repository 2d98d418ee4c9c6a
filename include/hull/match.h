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

/* Why hull_match_filter_apply hid a finding. Severity and status filters only hide; the
 * ignore file and VEX suppress (reports list those as suppressed). */
enum hull_suppress {
    HULL_SUPP_NONE = 0,
    HULL_SUPP_SEVERITY,   /* severity not selected */
    HULL_SUPP_UNFIXED,    /* no fix published (--ignore-unfixed) */
    HULL_SUPP_STATUS,     /* status ignored (--ignore-status) */
    HULL_SUPP_IGNOREFILE, /* a rule of the ignore file */
    HULL_SUPP_VEX,        /* a VEX not_affected / fixed statement */
};

struct hull_finding_cvss {
    char *type;   /* "CVSS_V3", "CVSS_V4", "CVSS_V2" */
    char *vector;
    double score; /* computed from the vector; -1 when invalid */
};

struct hull_finding {
    const struct hull_pkg *pkg;   /* borrowed from the inventory */
    char *target;                 /* section: "debian 12.2 (deb)", "/app/node_modules", ... */
    char *id;                     /* the id shown: the CVE when known, else the advisory id */
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
    enum hull_suppress suppressed; /* set by hull_match_filter_apply; NONE = shown */
    char *suppressed_by;          /* ".hullignore:3", "vex.json: not_affected (...)", or NULL */
};

struct hull_unparsed {
    const struct hull_pkg *pkg; /* borrowed */
    char *reason;               /* why the version cannot be compared */
};

/* Remediation hint for one package of one target: the upgrade that fixes the most of its
 * shown findings (the lowest such version). */
struct hull_remedy {
    const struct hull_pkg *pkg; /* borrowed */
    const char *target;         /* borrowed from the first finding */
    const char *installed;      /* borrowed */
    char *to;                   /* version to upgrade to */
    size_t fixes;               /* shown findings that version fixes */
    size_t total;               /* shown findings of the package */
};

/* Every string and array of a result's findings belongs to the result (many point into the
 * database lookup it keeps): read them, never free or modify them one by one. */
struct hull_match_result {
    struct hull_finding *findings; /* sorted: target, package name, severity (high first), id */
    size_t n_findings;
    struct hull_unparsed *unparsed; /* packages that could not be matched */
    size_t n_unparsed;
    char *os_ecosystem;            /* "Debian:12", "Alpine:v3.18" or NULL when the OS is unknown */
    size_t packages_checked;       /* packages with a database ecosystem */
    struct hull_remedy *remedies;  /* filled by hull_match_filter_apply, sorted like findings */
    size_t n_remedies;
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

/* The report section ("target") a package belongs to: "debian 12.2 (deb)" for OS packages,
 * the node_modules tree or site-packages directory for language packages. malloc'd; NULL on
 * out of memory. */
char *hull_match_target(const struct hull_inventory *inv, const struct hull_pkg *p);

/* ---- ignore files (.hullignore) ----
 * One rule a line: `ID [PACKAGE] [exp:YYYY-MM-DD]`, `#` starts a comment. ID matches any id
 * or alias of a finding (case-insensitive); PACKAGE, when given, the package name; after the
 * expiry date the rule no longer applies. */
struct hull_ignore_rule {
    char *id;
    char *pkg;        /* NULL: any package */
    int exp_ymd;      /* YYYYMMDD, 0 = never expires */
    unsigned line;
};

struct hull_ignorefile {
    char *name;       /* path as given, for messages */
    struct hull_ignore_rule *rules;
    size_t n_rules;
};

/* Parse an ignore file from buf[0..len) (no NUL needed). name is used in messages. A line
 * that is not a rule (bad date, too many fields, control bytes, over 4 KiB) is an error:
 * HULL_E_PARSE "NAME:LINE: ...". Free with hull_ignorefile_free. */
struct hull_ignorefile *hull_ignorefile_parse(const char *name, const void *buf, size_t len,
                                              struct hull_err **err);
/* Read and parse path (at most 16 MiB). HULL_E_NOTFOUND when it does not exist. */
struct hull_ignorefile *hull_ignorefile_load(const char *path, struct hull_err **err);
void hull_ignorefile_free(struct hull_ignorefile *f);
/* The rule that ignores finding f on date ymd (YYYYMMDD), or NULL. */
const struct hull_ignore_rule *hull_ignorefile_match(const struct hull_ignorefile *f,
                                                     const struct hull_finding *fd, int ymd);

/* ---- OpenVEX ----
 * Statements of an OpenVEX document (v0.2.0, and the older string form of "vulnerability").
 * Only `not_affected` and `fixed` suppress findings; `affected` and `under_investigation` are
 * kept and change nothing. */
struct hull_vex_stmt {
    char **vulns;      /* vulnerability name, @id and aliases */
    size_t n_vulns;
    char **products;   /* package ids: product @ids, or their subcomponents' @ids */
    size_t n_products;
    bool all_packages; /* a product names the image itself (pkg:oci, pkg:docker or a non-purl
                          id) without subcomponents: the statement covers every package */
    char *status;      /* "not_affected", "fixed", "affected", "under_investigation" */
    char *justification; /* may be NULL */
};

struct hull_vex {
    char *name;
    struct hull_vex_stmt *stmts;
    size_t n_stmts;
};

/* Parse an OpenVEX JSON document from buf[0..len). Errors: HULL_E_PARSE (not JSON, not
 * OpenVEX, a statement without vulnerability, products or a known status), HULL_E_LIMIT. */
struct hull_vex *hull_vex_parse(const char *name, const void *buf, size_t len,
                                struct hull_err **err);
/* Read and parse path (at most 64 MiB). HULL_E_NOTFOUND when it does not exist. */
struct hull_vex *hull_vex_load(const char *path, struct hull_err **err);
void hull_vex_free(struct hull_vex *v);
/* The suppressing statement (not_affected / fixed) for finding f, or NULL. The vulnerability
 * matches when any of the statement's names equals any id or alias of f (case-insensitive);
 * a product when it is the package's purl (type, namespace and name; version and qualifiers
 * only when the product names them), or when the statement covers every package. */
const struct hull_vex_stmt *hull_vex_match(const struct hull_vex *v, const struct hull_finding *f);

/* ---- gates ---- */
struct hull_match_filter {
    unsigned severities;     /* bit (1u << severity) per shown severity; 0 = all */
    bool ignore_unfixed;     /* hide affected, will_not_fix, fix_deferred, end_of_life */
    unsigned statuses;       /* bit (1u << status) per hidden status */
    const struct hull_ignorefile *ignore; /* may be NULL */
    const struct hull_vex *vex;           /* may be NULL */
    int today_ymd;           /* YYYYMMDD for ignore-rule expiry */
};

/* Mark every finding's `suppressed` (severity, then status filters, then ignore file, then
 * VEX) and compute the remediation hints over the findings still shown. Returns the number of
 * findings shown, or -1 with HULL_E_NOMEM. */
long hull_match_filter_apply(struct hull_match_result *r, const struct hull_match_filter *flt,
                             struct hull_err **err);

/* "low,HIGH" -> severity bit mask (as in hull_match_filter.severities); -1 when a word is
 * not a severity or the list is empty. */
long hull_severity_mask_parse(const char *list);
/* "affected,will_not_fix" -> status bit mask; -1 when a word is not a status or the list is
 * empty. */
long hull_status_mask_parse(const char *list);

#ifdef __cplusplus
}
#endif
#endif
