/* Vulnerability reports of `hull image`: a table for people (one section per target), hull's
 * JSON (docs/json/image.md, "schema_version": 1), SARIF 2.1.0 and CycloneDX 1.5 with
 * vulnerabilities. Every renderer writes the findings hull_match_filter_apply left shown, in
 * the matcher's order; JSON and CycloneDX also list the ignore-file and VEX suppressions.
 * Output is deterministic: no wall-clock time (CycloneDX's timestamp is the image's created
 * time, 1970-01-01T00:00:00Z when it has none, as in `hull sbom`). */
#ifndef HULL_VULNREPORT_H
#define HULL_VULNREPORT_H
#include <stdio.h>
#include "hull/hull.h"
#include "hull/image.h"
#include "hull/inventory.h"
#include "hull/match.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_vuln_format { HULL_VULN_TABLE, HULL_VULN_JSON, HULL_VULN_SARIF, HULL_VULN_CYCLONEDX };

/* "table", "json", "sarif", "cyclonedx" (or "cyclonedx-json"); -1 when unknown. */
int hull_vuln_format_parse(const char *name);

struct hull_vuln_report_opts {
    const struct hull_image_meta *meta; /* the image; NULL for SBOM input */
    const char *artifact;        /* name of what was scanned (image spec or sbom:FILE) */
    const struct hull_inventory *inv;
    unsigned severities;         /* as in hull_match_filter; 0 = all (table header counts) */
    bool color;                  /* ANSI colours in the table */
    unsigned width;              /* table: terminal width; 0 = not a terminal */
    const char *db_path;         /* JSON: the database used, may be NULL */
    int64_t db_built_at;         /* JSON: its build time (Unix), 0 = unknown */
};

/* Write r (filtered) in fmt to f. Errors: HULL_E_IO (write failed), HULL_E_NOMEM. */
int hull_vuln_report_write(FILE *f, enum hull_vuln_format fmt,
                           const struct hull_match_result *r,
                           const struct hull_vuln_report_opts *o, struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
