/* Reading SBOMs back into an inventory, for `hull image sbom:FILE`: match a stored SBOM
 * without the image (the basis of re-scanning shipped images later).
 *
 * Accepted: CycloneDX JSON (1.2-1.6; components nested at any depth, metadata.component's
 * too) and SPDX 2.2/2.3 JSON, as hull writes them and as other tools (Trivy, Syft) do.
 * Packages come from purls (CycloneDX `purl`, SPDX externalRefs of type purl): deb, apk,
 * rpm, npm and pypi; others are counted in a warning. Source packages come from the purl's
 * `upstream` qualifier, hull's `hull:package:source_*` properties or Trivy's
 * `aquasecurity:trivy:Src*` properties; the file a package was found in from `hull:found_in`,
 * Trivy's `aquasecurity:trivy:FilePath` or the SPDX sourceInfo (hull's, Syft's). The OS from
 * the operating-system component / package, else the purls' `distro` qualifier. */
#ifndef HULL_SBOMIN_H
#define HULL_SBOMIN_H
#include "hull/hull.h"
#include "hull/inventory.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Parse buf[0..len) (name is used in messages) into a new finished inventory. Errors:
 * HULL_E_PARSE (not JSON, neither CycloneDX nor SPDX, malformed components), HULL_E_LIMIT,
 * HULL_E_NOMEM. Free the result with hull_inventory_free. */
struct hull_inventory *hull_sbomin_parse(const struct hull_ctx *ctx, const char *name,
                                         const void *buf, size_t len, struct hull_err **err);
/* Read path (at most ctx->limits.max_json_bytes, or 256 MiB without ctx) and parse it.
 * HULL_E_NOTFOUND / HULL_E_IO for the file. */
struct hull_inventory *hull_sbomin_load(const struct hull_ctx *ctx, const char *path,
                                        struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
