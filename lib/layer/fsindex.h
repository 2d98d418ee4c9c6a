/* Private to lib/layer/: the squashed-view tree behind struct hull_fs, entry-name
 * normalisation, captured contents and the delivery step shared by the layer walk and the
 * dir: walk. Nothing here is visible outside libhull's layer module.
 *
 * The tree is an array of fixed-size nodes linked by 32-bit indices (parent, first child,
 * siblings, hash chain); names and symlink targets live once in a string pool, so an entry
 * costs about 80 bytes plus its own name component, never a full path string. Children are
 * found through one hash table keyed by (parent index, name). */
#ifndef HULL_LAYER_FSINDEX_H
#define HULL_LAYER_FSINDEX_H
#include "core/common.h"
#include "core/istream.h"
#include "layer/walk.h"

#define FS_NONE UINT32_MAX
#define FS_ROOT 0u

enum fs_node_flags {
    FSN_LIVE = 1 << 0,   /* slot in use (free slots are on the free list) */
    FSN_WANTED = 1 << 1, /* wants() said yes: deliver this path */
};

/* Captured bytes of one file, shared by hardlinks (refcounted). data[len] == 0. */
struct fs_capture {
    size_t refs;
    size_t alloc; /* bytes reserved against the capture budget (data holds alloc + 1) */
    size_t len;
    bool truncated;
    uint8_t data[];
};

struct fs_cached; /* a materialised hull_fs_entry handed out by hull_fs_lookup */

struct fs_node {
    uint32_t parent, child, next, prev; /* tree links (FS_NONE when absent) */
    uint32_t hnext;                     /* hash chain; free-list link for free slots */
    uint32_t name, namelen;             /* offset and length in the string pool */
    uint32_t link;                      /* symlink target offset in the pool, or FS_NONE */
    uint32_t mode, uid, gid;
    uint32_t layer;                     /* layer that gave this entry */
    uint32_t src_layer, src_ord;        /* layer and tar entry ordinal holding the bytes */
    uint64_t size;
    union {
        struct fs_capture *cap;         /* during the walk: captured contents or NULL */
        struct fs_cached *ent;          /* after it: entry materialised by hull_fs_lookup */
    } u;
    uint8_t type;                       /* enum hull_fs_type */
    uint8_t flags;                      /* enum fs_node_flags */
};

struct hull_fs {
    struct fs_node *nodes;
    uint32_t n_nodes, cap_nodes, free_head;
    size_t live;          /* live nodes, the root included */
    char *pool;
    size_t pool_len, pool_cap;
    size_t pool_garbage;  /* pool bytes of removed nodes (compacted away past half) */
    uint32_t seed;        /* hash seed, random per tree */
    uint32_t max_nodes;   /* live nodes allowed: 2 * limits.max_entries + the root */
    uint32_t *buckets;
    uint32_t n_buckets;   /* power of two */
    size_t max_path;
    unsigned max_hops;
    size_t cap_total, cap_max, file_cap_max; /* captured bytes now / at most; per file */
    struct fs_cached *cached; /* list of entries handed out by hull_fs_lookup */
    bool finalized;           /* walk done: node unions hold entries, not captures */
};

/* New tree holding only the root directory; limits copied from ctx. NULL with HULL_E_NOMEM. */
struct hull_fs *fs_new(const struct hull_ctx *ctx, struct hull_err **err);
static inline struct fs_node *fs_node(const struct hull_fs *fs, uint32_t i)
{
    return &fs->nodes[i];
}
static inline const char *fs_name(const struct hull_fs *fs, uint32_t i)
{
    return fs->pool + fs->nodes[i].name;
}
static inline const char *fs_link(const struct hull_fs *fs, uint32_t i)
{
    return fs->nodes[i].link == FS_NONE ? NULL : fs->pool + fs->nodes[i].link;
}
/* Child `name` (len bytes) of dir, or FS_NONE. */
uint32_t fs_child(const struct hull_fs *fs, uint32_t dir, const char *name, size_t len);
/* Add a child (the caller made sure none of that name exists). Returns its index with
 * every field zeroed except links, name, type and src (FS_NONE), or FS_NONE with an error. */
uint32_t fs_add(struct hull_fs *fs, uint32_t dir, const char *name, size_t len, uint8_t type,
                struct hull_err **err);
/* Store a symlink target for node i (copied into the pool). */
int fs_set_link(struct hull_fs *fs, uint32_t i, const char *target, struct hull_err **err);
/* Remove node i and its whole subtree (never the root), dropping captured contents. */
void fs_remove(struct hull_fs *fs, uint32_t i);
/* Remove every node below dir whose layer differs from `layer`, keeping the ancestors of
 * the nodes that stay (an opaque directory, or a whiteout applied to a same-layer dir). */
void fs_prune_lower(struct hull_fs *fs, uint32_t dir, uint32_t layer);
/* Resolve `path` (len bytes, absolute or relative to start) inside the tree. Symlinks of
 * intermediate components are always followed, the last one only when follow; absolute
 * targets restart at the root, ".." clamps at the root. *hops counts links followed
 * (more than max_hops, a missing component or a non-directory in the middle: FS_NONE). */
uint32_t fs_resolve(const struct hull_fs *fs, uint32_t start, const char *path, size_t len,
                    bool follow, unsigned *hops);
/* Absolute path of node i into buf (cap bytes). Returns its length, or 0 if it does not fit. */
size_t fs_path(const struct hull_fs *fs, uint32_t i, char *buf, size_t cap);

/* Drop a reference; frees the bytes (and takes them off cap_total) on the last one. */
void fs_cap_put(struct hull_fs *fs, struct fs_capture *c);
/* New capture of up to want bytes (zeroed, len = 0), counted against cap_max.
 * HULL_E_LIMIT past limits.max_capture_total. */
struct fs_capture *fs_cap_new(struct hull_fs *fs, size_t want, struct hull_err **err);
/* Drop every capture still attached to nodes. */
void fs_cap_clear(struct hull_fs *fs);

/* Visit every live node in path order (components compared bytewise, so a directory is
 * followed by its subtree). path is absolute, NUL-terminated, valid during the call.
 * A non-zero return from cb stops the walk and is returned. Allocation failure: -HULL_E_NOMEM. */
int fs_visit(const struct hull_fs *fs, int (*cb)(void *ud, uint32_t node, const char *path,
                                                 size_t len), void *ud);

/* Normalise a tar entry name: strip leading "./" and "/", collapse "//" and "." and apply
 * "..". out gets the relative result (no leading or trailing '/'; "" for the root) and must
 * hold max_path + 1 bytes. Returns 0, -HULL_E_LIMIT when name is longer than max_path, or
 * -HULL_E_UNSAFE when ".." would leave the root. Bytes are kept as they are (not UTF-8
 * checked). */
int layer_name_normalize(const char *name, size_t max_path, char *out, size_t *out_len);
/* Quote a name for messages: printable ASCII kept, everything else as \xNN, cut at 200
 * bytes with "...". out must hold 4 * 200 + 4 bytes. */
const char *layer_name_quote(const char *name, char *out, size_t cap);
#define LAYER_QUOTE_CAP (4 * 200 + 4)

/* Tar whiteouts (whiteout.c). The name is a final path component. */
enum layer_whiteout { WH_NONE, WH_FILE, WH_OPAQUE, WH_META };
/* Classify a basename: ".wh..wh..opq" opaque, other ".wh..wh." aufs metadata, ".wh.NAME"
 * a whiteout of NAME (*target points into base), anything else WH_NONE. */
enum layer_whiteout layer_whiteout_kind(const char *base, const char **target);
/* Apply a whiteout found in directory dir while reading layer `layer`. */
void layer_whiteout_apply(struct hull_fs *fs, uint32_t dir, enum layer_whiteout kind,
                          const char *target, uint32_t layer);

/* Second pass: contents that were not captured during the walk but must be delivered
 * (symlink targets, hardlink originals). One record per node needing bytes. */
struct layer_need {
    uint32_t layer, ord; /* where the bytes are */
    uint32_t node;       /* node that gets the capture */
};
/* Backend hooks for delivery: fill needs[0..n) (sorted by layer, ord) with captures. */
struct layer_backend {
    int (*fetch)(void *ud, struct hull_fs *fs, struct layer_need *needs, size_t n,
                 struct hull_err **err);
    const char *(*diff_id)(void *ud, uint32_t layer);
    void *ud;
};
/* After the walk: fetch missing contents, call opts->on_file for every wanted survivor in
 * path order, then drop all captures. */
int layer_deliver(struct hull_ctx *ctx, struct hull_fs *fs, const struct hull_walk_opts *opts,
                  const struct layer_backend *be, struct hull_err **err);
/* End of a walk: the return value is -code of e (the walk's own error, taken) or 0; e goes
 * to *err (when err is not NULL and *err is NULL) or is freed. */
int layer_err_finish(int rc, struct hull_err *e, struct hull_err **err);
#endif
