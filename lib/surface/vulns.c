/* Known vulnerabilities of an image for its attack surface (docs/surface.md): the inventory
 * is matched against the database exactly as `hull image` matches it (hull_match), and every
 * finding is counted by severity. No gate applies here (no severity filter, ignore file or
 * VEX): the count is what the database knows about the packages in the image. */
#include "core/common.h"
#include "surface/surfpriv.h"

int hull_surface_count_vulns(const struct hull_ctx *ctx, struct hull_vulndb *db,
                             const struct hull_inventory *inv, struct hull_surface *s,
                             struct hull_err **err)
{
    struct hull_match_result *res = NULL;
    if (hull_match(ctx, db, inv, &res, err) < 0)
        return -1;
    s->vulns_total = 0;
    memset(s->vulns_by_severity, 0, sizeof(s->vulns_by_severity));
    for (size_t i = 0; i < res->n_findings; i++) {
        unsigned sev = (unsigned)res->findings[i].severity;
        s->vulns_by_severity[sev < HULL_SEV__COUNT ? sev : HULL_SEV_UNKNOWN]++;
        s->vulns_total++;
    }
    s->vulns_known = true;
    hull_match_result_free(res);
    return hull_surface_rate(s, err) < 0 ? -1 : 0;
}
