/* Orchestration of one inventory scan: image -> one walk -> analyzers -> inventory.
 * The walker keeps only the files some analyzer (or the caller's extra consumer) wants,
 * applies whiteouts and overwrites across layers, and delivers each surviving file once
 * with the layer that gave its content, so every package is attributed to that layer. */
#include "core/common.h"
#include "hull/scan.h"
#include "layer/walk.h"
#include "analyzer/analyzer.h"

struct walk_ud {
    struct hull_inventory *inv;
    const struct hull_scan_opts *opts;
};

static bool want(void *ud, const char *path)
{
    struct walk_ud *w = ud;
    if (hull_analyzers_want(path))
        return true;
    return w->opts && w->opts->extra_wants && w->opts->extra_wants(w->opts->extra_ud, path);
}

static int on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    struct walk_ud *w = ud;
    const struct hull_scan_opts *o = w->opts;
    if (o && o->extra_wants && o->extra_file && o->extra_wants(o->extra_ud, f->path) &&
        o->extra_file(o->extra_ud, f->path, f->data, f->len, f->layer, f->diff_id, err) < 0)
        return -1;
    struct hull_input in = { .path = f->path, .data = f->data, .len = f->len,
                             .truncated = f->truncated, .layer = f->layer,
                             .diff_id = f->diff_id ? f->diff_id : "" };
    return hull_analyzers_run(&in, w->inv, err);
}

int hull_scan_open_image(struct hull_ctx *ctx, struct hull_image *img,
                         const struct hull_scan_opts *opts, struct hull_scan **out,
                         struct hull_err **err)
{
    struct hull_scan *s = calloc(1, sizeof(*s));
    if (!s) {
        hull_image_free(img);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    s->image = img;
    s->inv = hull_inventory_new(ctx);
    if (!s->inv) {
        hull_scan_free(s);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    /* a source directory's lockfiles count where nothing is installed; images inventory what
     * is installed only */
    hull_inventory_use_lockfiles(s->inv, hull_image_rootfs(img) != NULL);
    struct walk_ud w = { s->inv, opts };
    struct hull_walk_opts wo = { .wants = want, .on_file = on_file, .ud = &w };
    if (hull_walk(ctx, img, &wo, &s->fs, err) < 0 || hull_analyzers_finish(s->inv, err) < 0 ||
        hull_inventory_finish(s->inv, err) < 0) {
        hull_scan_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int hull_scan_image(struct hull_ctx *ctx, const char *spec, const struct hull_scan_opts *opts,
                    struct hull_scan **out, struct hull_err **err)
{
    struct hull_image_opts io = { .platform = opts ? opts->platform : NULL,
                                  .registry = opts ? opts->registry : NULL };
    struct hull_image *img = NULL;
    if (hull_image_open(ctx, spec, &io, &img, err) < 0)
        return -1;
    return hull_scan_open_image(ctx, img, opts, out, err);
}

void hull_scan_free(struct hull_scan *s)
{
    if (!s)
        return;
    hull_inventory_free(s->inv);
    if (s->fs)
        hull_fs_free(s->fs);
    hull_image_free(s->image);
    free(s);
}
