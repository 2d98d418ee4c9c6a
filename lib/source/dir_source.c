/* dir: a root filesystem directory. It has no manifest, config or layers; the layer walker
 * walks hull_image_rootfs() directly. */
#include "core/common.h"
#include <sys/stat.h>
#include "source/source.h"

static int dir_open(struct hull_source *src, const char *arg, struct hull_err **err)
{
    if (arg && !(src->path = strdup(arg)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (!src->path || !src->path[0])
        return hull_err_set(err, HULL_E_USAGE, "dir: missing path");
    struct stat st;
    if (stat(src->path, &st) != 0)
        return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s",
                            src->path);
    if (!S_ISDIR(st.st_mode))
        return hull_err_set(err, HULL_E_USAGE, "dir:%s: not a directory", src->path);
    char *real = realpath(src->path, NULL);
    if (!real)
        return hull_err_sys(err, HULL_E_IO, errno, "%s", src->path);
    src->rootfs = real;
    return 0;
}

static int dir_manifest(struct hull_source *src, struct hull_source_image *out,
                        struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    out->manifest_size = -1;
    out->config_size = -1;
    return 0;
}

static int dir_read_blob(struct hull_source *src, const char *key, size_t max, char **out,
                         size_t *len, struct hull_err **err)
{
    return hull_err_set(err, HULL_E_NOTFOUND, "dir: has no blobs (%.80s)", key);
}

static int dir_open_blob(struct hull_source *src, const char *key, struct hull_istream **out,
                         int64_t *size, struct hull_err **err)
{
    return hull_err_set(err, HULL_E_NOTFOUND, "dir: has no layers (%.80s)", key);
}

static void dir_close(struct hull_source *src) { (void)src; }

const struct hull_source_ops hull_source_dir = {
    .transport = "dir",
    .open = dir_open,
    .manifest = dir_manifest,
    .read_blob = dir_read_blob,
    .open_blob = dir_open_blob,
    .close = dir_close,
};
