/* SBOM renderers for an inventory: a table for people, hull's own JSON (docs/json/sbom.md,
 * "schema_version": 1), CycloneDX 1.5 JSON and SPDX 2.3 JSON. Output is deterministic:
 * packages are in inventory order (sorted), and the only timestamp (CycloneDX
 * metadata.timestamp, SPDX creationInfo.created) is the image's created time, or
 * 1970-01-01T00:00:00Z when the image has none. */
#ifndef HULL_SBOM_H
#define HULL_SBOM_H
#include <stdio.h>
#include "hull/hull.h"
#include "hull/image.h"
#include "hull/inventory.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_sbom_format { HULL_SBOM_TABLE, HULL_SBOM_JSON, HULL_SBOM_CYCLONEDX, HULL_SBOM_SPDX };

/* "table", "json", "cyclonedx" (or "cyclonedx-json"), "spdx-json"; -1 when unknown. */
int hull_sbom_format_parse(const char *name);

/* Write the SBOM of inv (finished) to f. meta describes the image (borrowed, may be NULL
 * when there is none). Errors: HULL_E_IO when writing fails, HULL_E_NOMEM. */
int hull_sbom_write(FILE *f, enum hull_sbom_format fmt, const struct hull_inventory *inv,
                    const struct hull_image_meta *meta, struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
