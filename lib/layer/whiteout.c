/* OCI whiteouts (image-spec layer.md): ".wh.NAME" removes NAME and its subtree from the
 * lower layers, ".wh..wh..opq" hides everything the lower layers put below its directory.
 * Entries of the layer that carries the whiteout stay, whatever their order in the tar. */
#include "core/common.h"
#include "layer/fsindex.h"

#define WH_PREFIX ".wh."
#define WH_META_PREFIX ".wh..wh."
#define WH_OPQ_NAME ".wh..wh..opq"

enum layer_whiteout layer_whiteout_kind(const char *base, const char **target)
{
    *target = NULL;
    if (strncmp(base, WH_PREFIX, 4) != 0)
        return WH_NONE;
    if (strcmp(base, WH_OPQ_NAME) == 0)
        return WH_OPAQUE;
    if (strncmp(base, WH_META_PREFIX, 8) == 0)
        return WH_META; /* aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): never in the view */
    *target = base + 4;
    return WH_FILE;
}

void layer_whiteout_apply(struct hull_fs *fs, uint32_t dir, enum layer_whiteout kind,
                          const char *target, uint32_t layer)
{
    if (dir == FS_NONE || fs_node(fs, dir)->type != HULL_FS_DIR)
        return;
    if (kind == WH_OPAQUE) {
        fs_prune_lower(fs, dir, layer);
        return;
    }
    if (kind != WH_FILE || !target[0] || strcmp(target, ".") == 0 || strcmp(target, "..") == 0)
        return;
    uint32_t n = fs_child(fs, dir, target, strlen(target));
    if (n == FS_NONE)
        return;
    if (fs_node(fs, n)->layer != layer)
        fs_remove(fs, n);
    else if (fs_node(fs, n)->type == HULL_FS_DIR)
        fs_prune_lower(fs, n, layer); /* same-layer dir stays; what lower layers put in it goes */
}
