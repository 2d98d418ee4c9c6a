/* hull_walk: the walk of an opened image, layered (hull_walk_layers over the source's
 * verified layer streams) or a root filesystem (hull_walk_rootfs). Kept apart from walk.c
 * so the walker itself links without the image sources. */
#include "core/common.h"
#include "layer/walk.h"

static int open_layer(void *ud, size_t i, struct hull_istream **out, struct hull_err **err)
{
    return hull_image_open_layer(ud, i, out, err);
}

static const char *layer_diff_id(void *ud, size_t i)
{
    const struct hull_layer_desc *d = hull_image_layer(ud, i);
    return d ? d->diff_id : NULL;
}

int hull_walk(struct hull_ctx *ctx, struct hull_image *img, const struct hull_walk_opts *opts,
              struct hull_fs **fs_out, struct hull_err **err)
{
    const char *root = hull_image_rootfs(img);
    if (root)
        return hull_walk_rootfs(ctx, root, opts, fs_out, err);
    struct hull_layer_src src = { .n = hull_image_layer_count(img), .open = open_layer,
                                  .diff_id = layer_diff_id, .ud = img };
    return hull_walk_layers(ctx, &src, opts, fs_out, err);
}
