/* Delivery after a walk: fetch the bytes that are still missing (targets of wanted symlinks,
 * originals of wanted hardlinks), then hand every wanted survivor to on_file in path order. */
#include "core/common.h"
#include "layer/fsindex.h"

struct deliver {
    struct hull_ctx *ctx;
    struct hull_fs *fs;
    const struct hull_walk_opts *opts;
    const struct layer_backend *be;
    struct layer_need *needs;
    size_t n, cap;
    struct hull_err **err;
};

/* The node whose bytes a wanted node delivers: itself for a file, the resolved target for
 * a symlink (when that is a regular file inside the root), else FS_NONE. */
static uint32_t content_node(const struct hull_fs *fs, uint32_t i, const char *path, size_t len)
{
    const struct fs_node *n = fs_node(fs, i);
    if (n->type == HULL_FS_FILE)
        return i;
    if (n->type != HULL_FS_SYMLINK)
        return FS_NONE;
    unsigned hops = 0;
    uint32_t t = fs_resolve(fs, FS_ROOT, path, len, true, &hops);
    if (t == FS_NONE || fs_node(fs, t)->type != HULL_FS_FILE)
        return FS_NONE;
    return t;
}

static int collect(void *ud, uint32_t i, const char *path, size_t len)
{
    struct deliver *d = ud;
    if (!(fs_node(d->fs, i)->flags & FSN_WANTED))
        return 0;
    uint32_t c = content_node(d->fs, i, path, len);
    if (c == FS_NONE) {
        hull_log(d->ctx, HULL_LOG_DEBUG, "%s: no regular file behind this link; not delivered",
                 path);
        return 0;
    }
    const struct fs_node *cn = fs_node(d->fs, c);
    if (cn->u.cap || cn->src_layer == FS_NONE)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 64;
        struct layer_need *p = realloc(d->needs, cap * sizeof(*p));
        if (!p)
            return hull_err_set(d->err, HULL_E_NOMEM, "out of memory");
        d->needs = p;
        d->cap = cap;
    }
    d->needs[d->n++] = (struct layer_need){ cn->src_layer, cn->src_ord, c };
    return 0;
}

static int cmp_need(const void *a, const void *b)
{
    const struct layer_need *x = a, *y = b;
    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static int deliver_one(void *ud, uint32_t i, const char *path, size_t len)
{
    struct deliver *d = ud;
    if (!(fs_node(d->fs, i)->flags & FSN_WANTED))
        return 0;
    uint32_t c = content_node(d->fs, i, path, len);
    if (c == FS_NONE || !fs_node(d->fs, c)->u.cap)
        return 0;
    const struct fs_node *cn = fs_node(d->fs, c);
    const struct fs_capture *cap = cn->u.cap;
    uint32_t layer = cn->src_layer == FS_NONE ? cn->layer : cn->src_layer;
    const char *diff_id = d->be->diff_id ? d->be->diff_id(d->be->ud, layer) : NULL;
    struct hull_file f = { .path = path, .data = cap->data, .len = cap->len,
                           .truncated = cap->truncated, .layer = layer,
                           .diff_id = diff_id ? diff_id : "" };
    int r = d->opts->on_file(d->opts->ud, &f, d->err);
    if (r < 0) {
        if (d->err && !*d->err)
            hull_err_set(d->err, HULL_E_INTERNAL, "%s: file handler failed", path);
        return r;
    }
    return 0;
}

int layer_deliver(struct hull_ctx *ctx, struct hull_fs *fs, const struct hull_walk_opts *opts,
                  const struct layer_backend *be, struct hull_err **err)
{
    struct deliver d = { .ctx = ctx, .fs = fs, .opts = opts, .be = be, .err = err };
    int rc = 0;
    if (opts && opts->on_file) {
        rc = fs_visit(fs, collect, &d);
        if (rc == 0 && d.n) {
            qsort(d.needs, d.n, sizeof(*d.needs), cmp_need);
            size_t m = 0; /* one record per node */
            for (size_t i = 0; i < d.n; i++)
                if (m == 0 || d.needs[i].node != d.needs[m - 1].node)
                    d.needs[m++] = d.needs[i];
            rc = be->fetch(be->ud, fs, d.needs, m, err);
        }
        if (rc == 0)
            rc = fs_visit(fs, deliver_one, &d);
        if (rc == -HULL_E_NOMEM && err && !*err)
            hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    free(d.needs);
    fs_cap_clear(fs);
    for (uint32_t i = 0; i < fs->n_nodes; i++)
        fs_node(fs, i)->u.ent = NULL;
    fs->finalized = true;
    return rc < 0 ? rc : 0;
}

int layer_err_finish(int rc, struct hull_err *e, struct hull_err **err)
{
    if (rc >= 0 && !e)
        return 0;
    if (!e)
        hull_err_set(&e, HULL_E_INTERNAL, "layer walk failed without a reason");
    rc = -(int)e->code;
    if (err && !*err)
        *err = e;
    else
        hull_err_free(e);
    return rc;
}
