/* The layer walker inside libhull: the public API (hull/walk.h) plus the walks without an
 * opened image, for tests, fuzzing and tools that hold raw layer streams. */
#ifndef HULL_LAYER_WALK_H
#define HULL_LAYER_WALK_H
#include "core/common.h"
#include "core/istream.h"
#include "hull/walk.h"

/* The walk without an image (what hull_walk runs for layered images): layers come from
 * src->open(ud, i), which returns layer i's uncompressed tar stream (owned by the caller
 * of open, closed by the walker). Layers are read to EOF in order; a layer may be opened a
 * second time after all of them were read, to fetch a wanted symlink's or hardlink's target
 * bytes that were not captured in the first pass. diff_id(ud, i) names layer i in
 * deliveries and errors (may return NULL: ""). Errors the stream reports are passed on as
 * they are (the stream names its layer); the walker's own name "layer N diff_id" (N from 1). */
struct hull_layer_src {
    size_t n;
    int (*open)(void *ud, size_t i, struct hull_istream **out, struct hull_err **err);
    const char *(*diff_id)(void *ud, size_t i);
    void *ud;
};
int hull_walk_layers(struct hull_ctx *ctx, const struct hull_layer_src *src,
                     const struct hull_walk_opts *opts, struct hull_fs **fs_out,
                     struct hull_err **err);
/* The walk of a root filesystem directory (what hull_walk runs for dir: images): nothing
 * outside root is ever opened (every open is openat(O_NOFOLLOW) below a root fd). Pseudo
 * filesystems (proc, sysfs, devpts, cgroup, debugfs, ... by statfs type) and the root's
 * /proc, /sys and /dev (devtmpfs looks like tmpfs to statfs) are not descended into;
 * unreadable entries are logged as warnings and passed over. Entries get layer 0 and
 * deliveries diff_id "". Errors: HULL_E_NOTFOUND / HULL_E_IO for root itself, HULL_E_LIMIT
 * (max_entries, max_capture_total). */
int hull_walk_rootfs(struct hull_ctx *ctx, const char *root, const struct hull_walk_opts *opts,
                     struct hull_fs **fs_out, struct hull_err **err);

#endif
