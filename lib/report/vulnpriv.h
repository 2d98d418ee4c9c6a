/* Internals of the vulnerability renderers (lib/report/vuln_*.c). */
#ifndef HULL_REPORT_VULNPRIV_H
#define HULL_REPORT_VULNPRIV_H
#include "core/common.h"
#include "hull/vulnreport.h"
#include <jansson.h>
#include "core/jsonout.h"

/* The unique targets of the inventory's matchable packages and of the findings: OS package
 * sections first, then the others by name.
 * *out is a malloc'd array of malloc'd strings (hull_vuln_targets_free). -1 on OOM. */
int hull_vuln_targets(const struct hull_match_result *r, const struct hull_inventory *inv,
                      char ***out, size_t *n);
void hull_vuln_targets_free(char **t, size_t n);
/* One finding as hull JSON (docs/json/image.md); NULL on OOM. */
json_t *hull_vuln_finding_json(const struct hull_finding *f);
/* The best CVSS score of a finding (v3 first, then v4, then v2), -1 when none. */
double hull_vuln_best_score(const struct hull_finding *f);
/* Write doc (stolen) to f with a newline; HULL_E_IO on failure. */
int hull_vuln_dump(FILE *f, json_t *doc, struct hull_err **err);

json_t *hull_vuln_json(const struct hull_match_result *r, const struct hull_vuln_report_opts *o);
json_t *hull_vuln_sarif(const struct hull_match_result *r, const struct hull_vuln_report_opts *o);
json_t *hull_vuln_cyclonedx(const struct hull_match_result *r,
                            const struct hull_vuln_report_opts *o, struct hull_err **err);
int hull_vuln_table(FILE *f, const struct hull_match_result *r,
                    const struct hull_vuln_report_opts *o, struct hull_err **err);
#endif
