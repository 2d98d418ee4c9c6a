/* The layer walk: each layer's uncompressed tar stream is fed to libarchive's tar reader
 * (format only, no filters: decompression and digests happen in the source's stream) and
 * every entry is applied to the squashed view (fsindex.c) as a container runtime would. */
#include "core/common.h"
#include <archive.h>
#include <archive_entry.h>
#include "layer/fsindex.h"

#define WALK_CHUNK (256u * 1024)

struct walker {
    struct hull_ctx *ctx;
    const struct hull_walk_opts *opts;
    const struct hull_layer_src *src;
    struct hull_fs *fs;
    size_t entries;
    uint64_t image_bytes;
    bool second_pass;      /* re-reading a layer for missing contents: no caps recounted */
    /* the layer being read */
    uint32_t layer;
    struct hull_istream *in;
    struct hull_err *in_err; /* what the stream (or a byte cap) reported */
    bool stream_failed;      /* the error came from the stream, which names the layer itself */
    bool in_eof;
    uint64_t layer_bytes;
    uint8_t *buf;
    char what[48]; /* "layer N/M" for ctx->progress */
    char *name;  /* "/" + normalised entry name (max_path + 2 bytes) */
    char *lname; /* normalised hardlink target (max_path + 1 bytes) */
    char *path;  /* view path of a new node (path_cap bytes) */
    size_t path_cap;
};

static ssize_t pull(struct walker *w)
{
    if (w->in_eof)
        return 0;
    ssize_t r = hull_istream_read(w->in, w->buf, WALK_CHUNK, &w->in_err);
    if (r < 0) {
        if (!w->in_err)
            hull_err_set(&w->in_err, HULL_E_INTERNAL, "layer stream failed without a reason");
        w->stream_failed = true;
        return -1;
    }
    if (r == 0) {
        w->in_eof = true;
        return 0;
    }
    const struct hull_limits *l = &w->ctx->limits;
    w->layer_bytes += (uint64_t)r;
    if (l->max_layer_bytes && w->layer_bytes > l->max_layer_bytes) {
        hull_err_set(&w->in_err, HULL_E_LIMIT, "uncompressed layer exceeds the %llu-byte limit",
                     (unsigned long long)l->max_layer_bytes);
        return -1;
    }
    if (!w->second_pass) {
        if (w->ctx->progress) /* total unknown (0): uncompressed sizes come from reading */
            w->ctx->progress(w->ctx->progress_ud, w->what, w->layer_bytes, 0);
        w->image_bytes += (uint64_t)r;
        if (l->max_image_bytes && w->image_bytes > l->max_image_bytes) {
            hull_err_set(&w->in_err, HULL_E_LIMIT,
                         "uncompressed image exceeds the %llu-byte limit",
                         (unsigned long long)l->max_image_bytes);
            return -1;
        }
    }
    return r;
}

static la_ssize_t read_cb(struct archive *a, void *ud, const void **out)
{
    struct walker *w = ud;
    *out = w->buf;
    ssize_t r = pull(w);
    if (r < 0)
        archive_set_error(a, EIO, "%s", w->in_err->msg);
    return r;
}

/* The error after libarchive failed: the stream's own when it caused it, else the tar's. */
static int tar_fail(struct walker *w, struct archive *a, struct hull_err **err)
{
    if (w->in_err) {
        int code = -(int)w->in_err->code;
        if (err && !*err) {
            *err = w->in_err;
            w->in_err = NULL;
        }
        return code;
    }
    const char *m = archive_error_string(a);
    return hull_err_set(err, HULL_E_PARSE, "tar: %s", m ? m : "unreadable archive");
}

/* A zero-byte layer is an empty tree, as Go's archive/tar (containerd) reads it; libarchive
 * calls it an unrecognised format. Its digest was still checked (the stream hit EOF). */
static bool empty_stream(const struct walker *w)
{
    return w->in_eof && w->layer_bytes == 0 && !w->in_err;
}

static uint8_t entry_type(mode_t ft)
{
    switch (ft) {
    case AE_IFDIR: return HULL_FS_DIR;
    case AE_IFLNK: return HULL_FS_SYMLINK;
    case AE_IFCHR: return HULL_FS_CHAR;
    case AE_IFBLK: return HULL_FS_BLOCK;
    case AE_IFIFO: return HULL_FS_FIFO;
    case AE_IFSOCK: return HULL_FS_SOCKET;
    default: return HULL_FS_FILE; /* libarchive reads unknown typeflags as regular files */
    }
}

static uint32_t clamp_id(la_int64_t v)
{
    return v < 0 ? 0 : v > (la_int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void set_meta(struct fs_node *n, struct archive_entry *ae, uint32_t layer)
{
    n->mode = (uint32_t)archive_entry_perm(ae) & 07777;
    n->uid = clamp_id(archive_entry_uid(ae));
    n->gid = clamp_id(archive_entry_gid(ae));
    n->layer = layer;
}

/* Directory rel[0, dlen) of the view, made on the way when create (missing components
 * become directories; a symlink is followed inside the root when it leads to a directory;
 * other non-directories in the way are replaced, as extracting the layer would).
 * FS_NONE: absent (create == false) or an error (create == true, *err set). */
static uint32_t parent_dir(struct walker *w, const char *rel, size_t dlen, bool create,
                           struct hull_err **err)
{
    struct hull_fs *fs = w->fs;
    uint32_t cur = FS_ROOT;
    size_t p = 0;
    while (p < dlen) {
        size_t q = p;
        while (q < dlen && rel[q] != '/')
            q++;
        const char *comp = rel + p;
        size_t clen = q - p;
        p = q + 1;
        uint32_t c = fs_child(fs, cur, comp, clen);
        if (c != FS_NONE && fs_node(fs, c)->type == HULL_FS_SYMLINK) {
            unsigned hops = 0;
            uint32_t t = fs_resolve(fs, cur, comp, clen, true, &hops);
            if (t != FS_NONE && fs_node(fs, t)->type == HULL_FS_DIR) {
                cur = t;
                continue;
            }
        }
        if (c != FS_NONE && fs_node(fs, c)->type == HULL_FS_DIR) {
            cur = c;
            continue;
        }
        if (!create)
            return FS_NONE;
        if (c != FS_NONE)
            fs_remove(fs, c);
        c = fs_add(fs, cur, comp, clen, HULL_FS_DIR, err);
        if (c == FS_NONE)
            return FS_NONE;
        struct fs_node *n = fs_node(fs, c);
        n->mode = 0755;
        n->layer = w->layer;
        cur = c;
    }
    return cur;
}

static bool wanted(struct walker *w, uint32_t node)
{
    if (!w->opts || !w->opts->wants || !w->opts->on_file)
        return false;
    size_t len = fs_path(w->fs, node, w->path, w->path_cap);
    if (!len) {
        hull_log(w->ctx, HULL_LOG_WARN, "layer %u: a path deeper than %zu bytes is not analysed",
                 w->layer + 1, w->path_cap);
        return false;
    }
    return w->opts->wants(w->opts->ud, w->path);
}

/* Read the data of the current entry (size bytes) into a new capture. */
static struct fs_capture *capture(struct walker *w, struct archive *a, int64_t size,
                                  struct hull_err **err)
{
    if (size < 0)
        size = 0;
    size_t want = (uint64_t)size > w->fs->file_cap_max ? w->fs->file_cap_max : (size_t)size;
    struct fs_capture *c = fs_cap_new(w->fs, want, err);
    if (!c)
        return NULL;
    size_t got = 0;
    while (got < want) {
        la_ssize_t r = archive_read_data(a, c->data + got, want - got);
        if (r < 0) {
            tar_fail(w, a, err);
            fs_cap_put(w->fs, c);
            return NULL;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    c->len = got;
    c->data[got] = 0;
    c->truncated = (uint64_t)size > got;
    return c;
}

static int apply_hardlink(struct walker *w, uint32_t dir, const char *base, size_t blen,
                          const char *target, struct hull_err **err)
{
    struct hull_fs *fs = w->fs;
    char q1[LAYER_QUOTE_CAP], q2[LAYER_QUOTE_CAP];
    size_t llen;
    uint32_t t = FS_NONE;
    if (layer_name_normalize(target, fs->max_path, w->lname, &llen) == 0 && llen) {
        unsigned hops = 0;
        t = fs_resolve(fs, FS_ROOT, w->lname, llen, false, &hops);
    }
    if (t == FS_NONE || fs_node(fs, t)->type == HULL_FS_DIR) {
        hull_log(w->ctx, HULL_LOG_WARN,
                 "layer %u: hardlink %s -> %s: no such file inside the image; skipped",
                 w->layer + 1, layer_name_quote(w->name, q1, sizeof(q1)),
                 layer_name_quote(target, q2, sizeof(q2)));
        return 0;
    }
    uint32_t ex = fs_child(fs, dir, base, blen);
    if (ex == t)
        return 0;
    struct fs_node tn = *fs_node(fs, t);
    char *lk = NULL; /* a link target: copied, since fs_add may compact the pool */
    if (tn.link != FS_NONE && !(lk = strdup(fs->pool + tn.link)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (tn.u.cap)
        tn.u.cap->refs++;
    if (ex != FS_NONE)
        fs_remove(fs, ex); /* t may go with it: tn and its capture reference survive */
    uint32_t n = fs_add(fs, dir, base, blen, tn.type, err);
    if (n == FS_NONE || (lk && fs_set_link(fs, n, lk, err) < 0)) {
        fs_cap_put(fs, tn.u.cap);
        free(lk);
        return -1;
    }
    free(lk);
    struct fs_node *nn = fs_node(fs, n);
    nn->mode = tn.mode;
    nn->uid = tn.uid;
    nn->gid = tn.gid;
    nn->size = tn.size;
    nn->src_layer = tn.src_layer;
    nn->src_ord = tn.src_ord;
    nn->layer = w->layer;
    nn->u.cap = tn.u.cap;
    if ((tn.type == HULL_FS_FILE || tn.type == HULL_FS_SYMLINK) && wanted(w, n)) {
        fs_node(fs, n)->flags |= FSN_WANTED;
    } else if (tn.u.cap) {
        fs_cap_put(fs, tn.u.cap);
        fs_node(fs, n)->u.cap = NULL;
    }
    return 0;
}

static int apply_entry(struct walker *w, struct archive *a, struct archive_entry *ae,
                       uint32_t ord, struct hull_err **err)
{
    struct hull_fs *fs = w->fs;
    char q[LAYER_QUOTE_CAP];
    const char *raw = archive_entry_pathname(ae);
    if (!raw)
        raw = archive_entry_pathname_utf8(ae);
    if (!raw) {
        hull_log(w->ctx, HULL_LOG_WARN, "layer %u: entry %u has no readable name; skipped",
                 w->layer + 1, ord + 1);
        return 0;
    }
    size_t len;
    char *rel = w->name + 1;
    int r = layer_name_normalize(raw, fs->max_path, rel, &len);
    if (r == -HULL_E_UNSAFE)
        return hull_err_set(err, HULL_E_UNSAFE, "entry \"%s\" escapes the image root",
                            layer_name_quote(raw, q, sizeof(q)));
    if (r < 0)
        return hull_err_set(err, HULL_E_LIMIT, "entry name longer than %zu bytes: \"%s\"",
                            fs->max_path, layer_name_quote(raw, q, sizeof(q)));
    const char *hl = archive_entry_hardlink(ae);
    uint8_t type = entry_type(archive_entry_filetype(ae));
    if (len == 0) { /* "./": the root directory itself */
        if (!hl && type == HULL_FS_DIR)
            set_meta(fs_node(fs, FS_ROOT), ae, 0);
        return 0;
    }
    const char *slash = memrchr(rel, '/', len);
    const char *base = slash ? slash + 1 : rel;
    size_t dlen = slash ? (size_t)(slash - rel) : 0;
    size_t blen = len - (size_t)(base - rel);
    const char *wt;
    enum layer_whiteout wk = layer_whiteout_kind(base, &wt);
    if (wk != WH_NONE) {
        layer_whiteout_apply(fs, parent_dir(w, rel, dlen, false, err), wk, wt, w->layer);
        return 0;
    }
    uint32_t dir = parent_dir(w, rel, dlen, true, err);
    if (dir == FS_NONE)
        return -1;
    if (hl)
        return apply_hardlink(w, dir, base, blen, hl, err);
    uint32_t ex = fs_child(fs, dir, base, blen);
    if (ex != FS_NONE) {
        if (type == HULL_FS_DIR && fs_node(fs, ex)->type == HULL_FS_DIR) {
            set_meta(fs_node(fs, ex), ae, w->layer); /* a directory over a directory merges */
            return 0;
        }
        fs_remove(fs, ex);
    }
    uint32_t n = fs_add(fs, dir, base, blen, type, err);
    if (n == FS_NONE)
        return -1;
    struct fs_node *nn = fs_node(fs, n);
    set_meta(nn, ae, w->layer);
    nn->src_layer = w->layer;
    nn->src_ord = ord;
    if (type == HULL_FS_FILE) {
        la_int64_t sz = archive_entry_size(ae);
        nn->size = sz > 0 ? (uint64_t)sz : 0;
    }
    if (type == HULL_FS_SYMLINK) {
        const char *t = archive_entry_symlink(ae);
        if (!t)
            t = archive_entry_symlink_utf8(ae);
        if (!t)
            t = "";
        size_t tl = strlen(t);
        if (tl > fs->max_path)
            return hull_err_set(err, HULL_E_LIMIT,
                                "symlink target of \"%s\" longer than %zu bytes",
                                layer_name_quote(raw, q, sizeof(q)), fs->max_path);
        if (fs_set_link(fs, n, t, err) < 0)
            return -1;
        fs_node(fs, n)->size = tl;
    }
    if ((type == HULL_FS_FILE || type == HULL_FS_SYMLINK) && wanted(w, n)) {
        fs_node(fs, n)->flags |= FSN_WANTED;
        if (type == HULL_FS_FILE) {
            struct fs_capture *c = capture(w, a, archive_entry_size(ae), err);
            if (!c)
                return hull_err_wrap(err, "\"%s\"", layer_name_quote(w->name, q, sizeof(q)));
            fs_node(fs, n)->u.cap = c;
        }
    }
    return 0;
}

/* Attach the contents of the current entry to every need at needs[k, end) with this ord. */
static int fetch_entry(struct walker *w, struct archive *a, struct archive_entry *ae,
                       struct layer_need *needs, size_t k, size_t end, struct hull_err **err)
{
    if (archive_entry_hardlink(ae) || entry_type(archive_entry_filetype(ae)) != HULL_FS_FILE) {
        hull_log(w->ctx, HULL_LOG_WARN, "layer %u: entry %u changed between reads; skipped",
                 w->layer + 1, needs[k].ord + 1);
        return 0;
    }
    struct fs_capture *c = capture(w, a, archive_entry_size(ae), err);
    if (!c)
        return -1;
    for (size_t m = k; m < end; m++) {
        struct fs_node *n = fs_node(w->fs, needs[m].node);
        if (n->u.cap)
            continue;
        n->u.cap = c;
        c->refs++;
    }
    fs_cap_put(w->fs, c);
    return 0;
}

/* Read layer i to EOF. Pass 1 (needs == NULL) applies every entry; pass 2 captures the
 * entries named by needs[0, n) (sorted by ord). */
static int read_layer(struct walker *w, uint32_t i, struct layer_need *needs, size_t n,
                      struct hull_err **err)
{
    struct hull_istream *in = NULL;
    if (w->src->open(w->src->ud, i, &in, err) < 0)
        return -1;
    w->in = in;
    w->in_eof = false;
    w->in_err = NULL;
    w->stream_failed = false;
    w->layer_bytes = 0;
    w->layer = i;
    snprintf(w->what, sizeof(w->what), "layer %u/%zu", i + 1, w->src->n);
    int rc = 0;
    struct archive *a = archive_read_new();
    if (!a) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    archive_read_support_format_tar(a);
    if (archive_read_open(a, w, NULL, read_cb, NULL) != ARCHIVE_OK) {
        if (!empty_stream(w))
            rc = tar_fail(w, a, err);
        goto out;
    }
    uint32_t ord = 0;
    size_t k = 0;
    for (;;) {
        struct archive_entry *ae;
        int r = archive_read_next_header(a, &ae);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_WARN) {
            const char *m = archive_error_string(a);
            hull_log(w->ctx, HULL_LOG_DEBUG, "layer %u: tar: %s", i + 1, m ? m : "warning");
        } else if (r != ARCHIVE_OK) {
            if (!empty_stream(w))
                rc = tar_fail(w, a, err);
            goto out;
        }
        if (ord == UINT32_MAX) {
            rc = hull_err_set(err, HULL_E_LIMIT, "too many tar entries in one layer");
            goto out;
        }
        if (!needs) {
            if (++w->entries > w->ctx->limits.max_entries) {
                rc = hull_err_set(err, HULL_E_LIMIT, "image has more than %zu tar entries",
                                  w->ctx->limits.max_entries);
                goto out;
            }
            rc = apply_entry(w, a, ae, ord, err);
        } else {
            while (k < n && needs[k].ord < ord)
                k++;
            size_t end = k;
            while (end < n && needs[end].ord == ord)
                end++;
            if (end > k)
                rc = fetch_entry(w, a, ae, needs, k, end, err);
            k = end;
        }
        if (rc < 0)
            goto out;
        ord++;
    }
    /* libarchive stops at the end-of-archive blocks: read the rest so digests get checked. */
    for (;;) {
        ssize_t r = pull(w);
        if (r < 0) {
            rc = tar_fail(w, a, err);
            goto out;
        }
        if (r == 0)
            break;
    }
out:
    if (a)
        archive_read_free(a);
    hull_istream_close(in);
    w->in = NULL;
    hull_err_free(w->in_err);
    w->in_err = NULL;
    return rc < 0 ? rc : 0;
}

static const char *layer_diff_id(struct walker *w, uint32_t i)
{
    const char *d = w->src->diff_id ? w->src->diff_id(w->src->ud, i) : NULL;
    return d ? d : "";
}

/* Name the layer (1-based, as people count them) in an error, unless it came from the layer
 * stream, whose errors already say which layer and blob they are about. */
static int wrap_layer(struct walker *w, uint32_t i, const char *what, struct hull_err **err)
{
    if (w->stream_failed)
        return err && *err ? -(int)(*err)->code : -HULL_E_INTERNAL;
    const char *d = layer_diff_id(w, i);
    return hull_err_wrap(err, "layer %u%s%s%s", i + 1, *d ? " " : "", d, what);
}

static int fetch_layers(void *ud, struct hull_fs *fs, struct layer_need *needs, size_t n,
                        struct hull_err **err)
{
    struct walker *w = ud;
    w->second_pass = true;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && needs[j].layer == needs[i].layer)
            j++;
        uint32_t layer = needs[i].layer;
        if (read_layer(w, layer, needs + i, j - i, err) < 0)
            return wrap_layer(w, layer, " (second read)", err);
        i = j;
    }
    return 0;
}

static const char *be_diff_id(void *ud, uint32_t layer)
{
    return layer_diff_id(ud, layer);
}

static int walk_layers(struct hull_ctx *ctx, const struct hull_layer_src *src,
                       const struct hull_walk_opts *opts, struct hull_fs **fs_out,
                       struct hull_err **err)
{
    if (src->n > ctx->limits.max_layers || src->n >= UINT32_MAX)
        return hull_err_set(err, HULL_E_LIMIT, "image has %zu layers (limit %u)", src->n,
                            ctx->limits.max_layers);
    struct walker w = { .ctx = ctx, .opts = opts, .src = src };
    int rc = 0;
    w.fs = fs_new(ctx, err);
    if (!w.fs)
        return -HULL_E_NOMEM;
    w.path_cap = 4 * w.fs->max_path + 16;
    w.buf = malloc(WALK_CHUNK);
    w.name = malloc(w.fs->max_path + 2);
    w.lname = malloc(w.fs->max_path + 1);
    w.path = malloc(w.path_cap);
    if (!w.buf || !w.name || !w.lname || !w.path) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    w.name[0] = '/';
    for (size_t i = 0; i < src->n; i++) {
        rc = read_layer(&w, (uint32_t)i, NULL, 0, err);
        if (rc < 0) {
            wrap_layer(&w, (uint32_t)i, "", err);
            goto out;
        }
    }
    struct layer_backend be = { fetch_layers, be_diff_id, &w };
    rc = layer_deliver(ctx, w.fs, opts, &be, err);
    if (rc == 0 && fs_out) {
        *fs_out = w.fs;
        w.fs = NULL;
    }
out:
    hull_fs_free(w.fs);
    free(w.buf);
    free(w.name);
    free(w.lname);
    free(w.path);
    return rc;
}

int hull_walk_layers(struct hull_ctx *ctx, const struct hull_layer_src *src,
                     const struct hull_walk_opts *opts, struct hull_fs **fs_out,
                     struct hull_err **err)
{
    if (fs_out)
        *fs_out = NULL;
    struct hull_err *e = NULL; /* internal steps always get somewhere to put their error */
    int rc = walk_layers(ctx, src, opts, fs_out, &e);
    return layer_err_finish(rc, e, err);
}
