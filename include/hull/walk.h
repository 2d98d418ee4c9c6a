/* Layer walker: applies an image's layers in order into a squashed view, exactly as a
 * container runtime would (OCI image-spec layer.md: `.wh.NAME` whiteouts, `.wh..wh..opq`
 * opaque directories, later entries replace earlier ones, hardlinks and symlinks resolved
 * inside the image root only). One streaming pass per layer; nothing is written to disk.
 *
 * Analyzers ask for file contents through `wants`; each file that survives in the final
 * view is handed to `on_file` after the walk, with the layer that gave its content.
 * The result also keeps a compact metadata index of the final tree (hull_fs) for
 * questions such as "is there a shell", "which files are setuid". */
#ifndef HULL_WALK_H
#define HULL_WALK_H
#include "hull/hull.h"
#include "hull/image.h"
#ifdef __cplusplus
extern "C" {
#endif

struct hull_fs;

enum hull_fs_type {
    HULL_FS_FILE = 'f',
    HULL_FS_DIR = 'd',
    HULL_FS_SYMLINK = 'l',
    HULL_FS_CHAR = 'c',
    HULL_FS_BLOCK = 'b',
    HULL_FS_FIFO = 'p',
    HULL_FS_SOCKET = 's',
};

struct hull_fs_entry {
    const char *path;   /* absolute and normalised: "/usr/bin/dash" */
    enum hull_fs_type type;
    uint32_t mode;      /* permission bits incl. setuid/setgid/sticky (07777) */
    uint32_t uid, gid;
    uint64_t size;
    unsigned layer;     /* index of the layer that gave this entry (0 for dir:) */
    const char *link;   /* symlink target as stored, or NULL */
};

struct hull_file {
    const char *path;     /* absolute and normalised; for a file reached through a symlink,
                             the path that was asked for (the link), not the target */
    const uint8_t *data;  /* contents, NUL-terminated for convenience (data[len] == 0) */
    size_t len;
    bool truncated;       /* larger than limits.max_file_capture: data holds the first bytes */
    unsigned layer;       /* layer that gave the content */
    const char *diff_id;  /* that layer's diff_id ("" for dir:) */
};

struct hull_walk_opts {
    /* Should this path's contents be kept? Called for regular files, and for symlinks (whose
     * target is then delivered under the link's path). Paths are absolute and normalised. */
    bool (*wants)(void *ud, const char *path);
    /* Called once per surviving wanted file, after the walk, sorted by path. A negative
     * return stops the walk with that error. */
    int (*on_file)(void *ud, const struct hull_file *f, struct hull_err **err);
    void *ud;
};

/* Walk every layer of img (or its rootfs for dir:). On success *fs_out (if not NULL) gets
 * the final tree index, owned by the caller. Errors: HULL_E_DIGEST (tampered layer),
 * HULL_E_PARSE (corrupt tar or compression), HULL_E_UNSAFE (entry escaping the root),
 * HULL_E_LIMIT (caps in ctx->limits). */
int hull_walk(struct hull_ctx *ctx, struct hull_image *img, const struct hull_walk_opts *opts,
              struct hull_fs **fs_out, struct hull_err **err);

/* Look a path up in the final tree; follow=true resolves symlinks (inside the root, with
 * loop detection: more than limits.max_link_hops links gives NULL). NULL when absent.
 * Borrowed; valid until hull_fs_free (entries are materialised on demand, so concurrent
 * lookups on one hull_fs need a lock). */
const struct hull_fs_entry *hull_fs_lookup(const struct hull_fs *fs, const char *path, bool follow);
/* Visit every entry in path order (the root "/" first; components compared bytewise, so a
 * directory is directly followed by its subtree). The entry passed to cb is valid during
 * the call only. A non-zero return from cb stops and is returned. */
int hull_fs_foreach(const struct hull_fs *fs, int (*cb)(void *ud, const struct hull_fs_entry *e),
                    void *ud);
/* Number of entries, the root included. */
size_t hull_fs_count(const struct hull_fs *fs);
void hull_fs_free(struct hull_fs *fs);
#ifdef __cplusplus
}
#endif
#endif
