/* Fuzz the layer walker: the input is one layer's uncompressed tar stream; every regular
 * file and symlink is wanted, so captures, hardlinks, whiteouts, symlink delivery and the
 * second read all run. Then the index is queried and visited. */
#include "core/common.h"
#include "core/istream.h"
#include "layer/walk.h"

struct fz_in {
    struct hull_istream base;
    const uint8_t *p;
    size_t len, pos;
};

static ssize_t fz_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    (void)err;
    struct fz_in *m = (struct fz_in *)s;
    size_t k = m->len - m->pos;
    if (k > n)
        k = n;
    if (k > 4096)
        k = 4096; /* several reads per input: exercise buffer boundaries */
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (ssize_t)k;
}

static void fz_close(struct hull_istream *s)
{
    free(s);
}

static const struct hull_istream_ops fz_ops = { fz_read, fz_close };

struct fz_data {
    const uint8_t *p;
    size_t len;
};

static int fz_open(void *ud, size_t i, struct hull_istream **out, struct hull_err **err)
{
    (void)i;
    struct fz_data *d = ud;
    struct fz_in *m = calloc(1, sizeof(*m));
    if (!m)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    m->base.ops = &fz_ops;
    m->p = d->p;
    m->len = d->len;
    *out = &m->base;
    return 0;
}

static bool fz_wants(void *ud, const char *path)
{
    (void)ud;
    (void)path;
    return true;
}

static int fz_on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    (void)err;
    size_t *sum = ud;
    if (f->len)
        *sum += f->data[0] + f->data[f->len - 1];
    *sum += f->data[f->len]; /* must be the NUL terminator */
    return 0;
}

static int fz_visit(void *ud, const struct hull_fs_entry *e)
{
    const struct hull_fs *fs = ud;
    if (e->type == HULL_FS_SYMLINK)
        (void)hull_fs_lookup(fs, e->path, true);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    ctx.limits.max_capture_total = 1u << 20;
    ctx.limits.max_file_capture = 64u << 10;
    ctx.limits.max_entries = 10000;
    ctx.limits.max_link_hops = 16;
    struct fz_data d = { data, size };
    struct hull_layer_src src = { 1, fz_open, NULL, &d };
    size_t sum = 0;
    struct hull_walk_opts o = { fz_wants, fz_on_file, &sum };
    struct hull_fs *fs = NULL;
    struct hull_err *err = NULL;
    if (hull_walk_layers(&ctx, &src, &o, &fs, &err) == 0) {
        hull_fs_foreach(fs, fz_visit, fs);
        (void)hull_fs_lookup(fs, "/etc/os-release", true);
        (void)hull_fs_lookup(fs, "/../a/./b/..", false);
        (void)hull_fs_count(fs);
        hull_fs_free(fs);
    }
    hull_err_free(err);
    return 0;
}
