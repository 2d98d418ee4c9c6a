/* Internals of the SBOM renderers (lib/report/sbom_*.c). */
#ifndef HULL_REPORT_SBOMPRIV_H
#define HULL_REPORT_SBOMPRIV_H
#include "core/common.h"
#include "hull/sbom.h"
#include <jansson.h>

/* Each builds the whole document as a new JSON reference; NULL with *err on failure. */
json_t *hull_sbom_hull_json(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                            struct hull_err **err);
json_t *hull_sbom_cyclonedx(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                            struct hull_err **err);
json_t *hull_sbom_spdx(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                       struct hull_err **err);
int hull_sbom_table(FILE *f, const struct hull_inventory *inv, const struct hull_image_meta *meta,
                    struct hull_err **err);

/* "YYYY-MM-DDThh:mm:ssZ" from the image's created time, or the fixed epoch value. */
void hull_sbom_timestamp(const struct hull_image_meta *meta, char out[32]);
/* A name for the subject: the image name, else its config digest, else the spec as given
 * (dir: scans), else "image". */
const char *hull_sbom_subject(const struct hull_image_meta *meta);
/* Stable hex digest of everything that identifies the document (image + purls). */
void hull_sbom_fingerprint(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                           char hex[65]);
#endif
