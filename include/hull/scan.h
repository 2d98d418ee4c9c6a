/* Scan orchestration: open an image, walk its layers once with every analyzer's wants,
 * run the analyzers on the surviving files, and return the inventory, the operating system,
 * the image metadata and the final file tree together. `hull sbom` renders the result;
 * the matcher and the attack-surface report consume the same struct. */
#ifndef HULL_SCAN_H
#define HULL_SCAN_H
#include "hull/hull.h"
#include "hull/image.h"
#include "hull/inventory.h"
#ifdef __cplusplus
extern "C" {
#endif

struct hull_fs; /* final tree index of the layer walker (lib/layer/walk.h) */

struct hull_scan_opts {
    const char *platform; /* "os/arch[/variant]" to pick from an index; NULL: host's */
    const struct hull_registry_opts *registry; /* registry references: TLS, credentials,
                                                  blob cache (NULL: defaults) */
    /* Extra consumers sharing the same single walk (may be NULL): their wants are OR-ed
     * with the analyzers', and every delivered file the extra wants is passed to
     * extra_file before the analyzers see it. */
    bool (*extra_wants)(void *ud, const char *path);
    int (*extra_file)(void *ud, const char *path, const uint8_t *data, size_t len,
                      unsigned layer, const char *diff_id, struct hull_err **err);
    void *extra_ud;
};

struct hull_scan {
    struct hull_image *image;     /* owned */
    struct hull_fs *fs;           /* owned: the final tree (hull_fs_lookup & co.) */
    struct hull_inventory *inv;   /* owned: packages, os, warnings (hull/inventory.h) */
};

/* Open spec (see hull/image.h), walk it and inventory it. On success *out is owned by the
 * caller (hull_scan_free). Package database problems are warnings in the inventory, not
 * errors; errors are those of opening and walking the image (HULL_E_DIGEST, HULL_E_PARSE,
 * HULL_E_NOTFOUND, HULL_E_LIMIT, ...) and HULL_E_NOMEM. ctx is borrowed and must outlive
 * the result. */
int hull_scan_image(struct hull_ctx *ctx, const char *spec, const struct hull_scan_opts *opts,
                    struct hull_scan **out, struct hull_err **err);
/* Inventory an already open image (taken: freed with the scan, also on failure). */
int hull_scan_open_image(struct hull_ctx *ctx, struct hull_image *img,
                         const struct hull_scan_opts *opts, struct hull_scan **out,
                         struct hull_err **err);
void hull_scan_free(struct hull_scan *s);

#ifdef __cplusplus
}
#endif
#endif
