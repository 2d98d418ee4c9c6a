/* hull_image: the transport-independent half of image reading (include/hull/image.h).
 * Picks the transport from the spec, lets it select and verify the manifest, then verifies
 * and parses the config, pairs layers with diff_ids and non-empty history entries, and builds
 * each layer's verified stream: blob -> verify(digest, size) -> decode -> verify(diff_id). */
#include "core/common.h"
#include "core/digest.h"
#include "core/istream.h"
#include "source/container.h"
#include "source/ocijson.h"
#include "source/source.h"
#include "stream/stream.h"

struct layer {
    struct hull_layer_desc d;
    struct hull_image *img;
    size_t index;
    const struct hull_source_layer *sl;
    bool blob_known;       /* the transport stated the blob digest */
    bool media_known;      /* the transport stated the media type */
    enum hull_compression comp;
    char blob_digest[HULL_DIGEST_STRLEN + 1];
};

struct hull_image {
    struct hull_ctx *ctx;
    struct hull_source src;
    struct hull_source_image si;
    struct hull_config cfg;
    bool have_cfg;
    char *config_raw;
    size_t config_len;
    char config_digest[HULL_DIGEST_STRLEN + 1];
    char *spec;
    struct hull_image_meta meta;
    struct layer *layers;
    size_t n_layers;
    uint64_t total_read;
};

static const char *const empty_list[] = { NULL };

/* Transports named in other tools' specs that hull does not read (yet). */
static const char *const foreign_transports[] = {
    "registry", "containers-storage", "ostree", "sif", "podman", NULL,
};

void hull_image_free(struct hull_image *img)
{
    if (!img)
        return;
    if (img->src.ops)
        img->src.ops->close(&img->src);
    hull_container_free(img->src.box);
    free(img->src.path);
    free(img->src.ref);
    free(img->src.rootfs);
    hull_source_image_release(&img->si);
    if (img->have_cfg)
        hull_config_release(&img->cfg);
    free(img->config_raw);
    free(img->layers);
    free(img->spec);
    free(img);
}

static int pick_transport(struct hull_image *img, const char *spec, const char **arg,
                          struct hull_err **err)
{
    for (const struct hull_source_ops *const *t = hull_source_table; *t; t++) {
        size_t n = strlen((*t)->transport);
        if (!strncmp(spec, (*t)->transport, n) && spec[n] == ':') {
            img->src.ops = *t;
            *arg = spec + n + 1;
            return 0;
        }
    }
    for (const char *const *t = foreign_transports; *t; t++) {
        size_t n = strlen(*t);
        if (!strncmp(spec, *t, n) && spec[n] == ':')
            return hull_err_set(err, HULL_E_UNSUPPORTED, "%s: transport %s: is not supported "
                                "(use docker-archive:, oci:, oci-archive:, dir:, docker:// or "
                                "docker-daemon:)", spec, *t);
    }
    if (hull_source_registry_claims(spec)) { /* "node:18", "ghcr.io/a/b": a registry */
        img->src.ops = &hull_source_registry;
        *arg = spec;
        return 0;
    }
    *arg = NULL; /* a bare path: detect by content */
    return hull_source_detect(&img->src, spec, err);
}

static int load_config(struct hull_image *img, struct hull_err **err)
{
    const struct hull_limits *lim = &img->ctx->limits;
    struct hull_source_image *si = &img->si;
    if (si->config_size > (int64_t)lim->max_json_bytes)
        return hull_err_set(err, HULL_E_LIMIT, "config %s: %lld bytes exceeds the %zu-byte limit",
                            si->config_digest ? si->config_digest : si->config_key,
                            (long long)si->config_size, lim->max_json_bytes);
    int rc = img->src.ops->read_blob(&img->src, si->config_key, lim->max_json_bytes,
                                     &img->config_raw, &img->config_len, err);
    if (rc < 0)
        return hull_err_wrap(err, "config %s", si->config_key);
    hull_sha256_digest(img->config_raw, img->config_len, img->config_digest);
    if (si->config_digest && strcmp(si->config_digest, img->config_digest))
        return hull_err_set(err, HULL_E_DIGEST, "config %s: digest mismatch (got %s)",
                            si->config_digest, img->config_digest);
    if (si->config_size >= 0 && (int64_t)img->config_len != si->config_size)
        return hull_err_set(err, HULL_E_PARSE,
                            "config %s: size mismatch (want %lld bytes, got %zu)",
                            img->config_digest, (long long)si->config_size, img->config_len);
    rc = hull_config_parse(img->config_raw, img->config_len, lim->max_json_bytes, &img->cfg, err);
    if (rc < 0)
        return hull_err_wrap(err, "config %s", img->config_digest);
    img->have_cfg = true;
    if (img->cfg.n_diff_ids != si->n_layers)
        return hull_err_set(err, HULL_E_PARSE, "config %s has %zu diff_ids but the manifest lists "
                            "%zu layers", img->config_digest, img->cfg.n_diff_ids, si->n_layers);
    return 0;
}

static const char *media_for(enum hull_compression c)
{
    return c == HULL_COMP_GZIP   ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
           : c == HULL_COMP_ZSTD ? "application/vnd.docker.image.rootfs.diff.tar.zstd"
                                 : HULL_MT_DOCKER_LAYER_TAR;
}

static int build_layers(struct hull_image *img, struct hull_err **err)
{
    size_t n = img->si.n_layers;
    img->layers = calloc(n + 1, sizeof(*img->layers));
    if (!img->layers)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    img->n_layers = n;
    size_t h = 0;
    for (size_t i = 0; i < n; i++) {
        struct layer *l = &img->layers[i];
        const struct hull_source_layer *sl = &img->si.layers[i];
        l->img = img;
        l->index = i;
        l->sl = sl;
        l->blob_known = sl->digest != NULL;
        l->media_known = sl->media_type != NULL;
        l->d.diff_id = img->cfg.diff_ids[i];
        l->d.digest = sl->digest ? sl->digest : img->cfg.diff_ids[i];
        l->d.media_type = sl->media_type ? sl->media_type : HULL_MT_DOCKER_LAYER_TAR;
        l->d.size = sl->size;
        l->d.uncompressed_size = -1;
        while (h < img->cfg.n_history && img->cfg.history[h].empty_layer)
            h++;
        if (h < img->cfg.n_history) {
            l->d.created_by = img->cfg.history[h].created_by;
            h++;
        }
    }
    return 0;
}

static void fill_meta(struct hull_image *img)
{
    struct hull_image_meta *m = &img->meta;
    m->spec = img->spec;
    m->transport = img->src.ops->transport;
    m->path = img->src.path;
    m->name = img->si.name;
    m->manifest_digest = img->si.manifest_digest;
    m->manifest_media_type = img->si.manifest_media_type;
    m->manifest_size = img->si.manifest_size;
    m->env = m->entrypoint = m->cmd = m->exposed_ports = empty_list;
    m->label_keys = m->label_values = empty_list;
    m->user = m->workdir = "";
    m->config_size = -1;
    if (!img->have_cfg)
        return;
    struct hull_config *c = &img->cfg;
    m->config_digest = img->config_digest;
    m->config_size = (int64_t)img->config_len;
    m->os = c->os;
    m->architecture = c->architecture;
    m->variant = c->variant;
    m->created = c->created;
    m->user = c->user;
    m->workdir = c->workdir;
    m->env = c->env;
    m->entrypoint = c->entrypoint;
    m->cmd = c->cmd;
    m->exposed_ports = c->exposed_ports;
    m->label_keys = c->label_keys;
    m->label_values = c->label_values;
    m->n_history = c->n_history;
}

int hull_image_open(struct hull_ctx *ctx, const char *spec, const struct hull_image_opts *opts,
                    struct hull_image **out, struct hull_err **err)
{
    if (!spec || !*spec)
        return hull_err_set(err, HULL_E_USAGE, "no image given");
    struct hull_image *img = calloc(1, sizeof(*img));
    if (!img || !(img->spec = strdup(spec))) {
        free(img);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    img->ctx = ctx;
    img->src.ctx = ctx;
    img->src.platform = opts ? opts->platform : NULL;
    img->src.registry = opts ? opts->registry : NULL;
    const char *arg;
    int rc = pick_transport(img, spec, &arg, err);
    if (rc >= 0)
        rc = img->src.ops->open(&img->src, arg, err);
    if (rc >= 0)
        rc = img->src.ops->manifest(&img->src, &img->si, err);
    if (rc >= 0 && img->si.config_key)
        rc = load_config(img, err);
    if (rc >= 0)
        rc = build_layers(img, err);
    if (rc >= 0 && img->have_cfg && img->src.platform && img->cfg.os && img->cfg.architecture) {
        /* An image reached without an index (or through a platform-less entry) is what it
         * is; say so when it is not what was asked for. */
        char have[160];
        snprintf(have, sizeof(have), "%s/%s", img->cfg.os, img->cfg.architecture);
        size_t n = strlen(have);
        if (strncmp(img->src.platform, have, n) ||
            (img->src.platform[n] && img->src.platform[n] != '/'))
            hull_log(ctx, HULL_LOG_WARN, "%s: the image is for %s%s%s, not %s", spec, have,
                     img->cfg.variant ? "/" : "", img->cfg.variant ? img->cfg.variant : "",
                     img->src.platform);
    }
    if (rc < 0) {
        if (img->src.path && img->src.ops && strcmp(img->src.ops->transport, "dir"))
            hull_err_wrap(err, "%s", spec);
        hull_image_free(img);
        return rc;
    }
    fill_meta(img);
    *out = img;
    return 0;
}

const struct hull_image_meta *hull_image_meta(const struct hull_image *img) { return &img->meta; }
size_t hull_image_layer_count(const struct hull_image *img) { return img->n_layers; }

const struct hull_layer_desc *hull_image_layer(const struct hull_image *img, size_t i)
{
    return i < img->n_layers ? &img->layers[i].d : NULL;
}

const char *hull_image_history(const struct hull_image *img, size_t i, bool *empty_layer)
{
    if (!img->have_cfg || i >= img->cfg.n_history)
        return NULL;
    if (empty_layer)
        *empty_layer = img->cfg.history[i].empty_layer;
    const char *s = img->cfg.history[i].created_by;
    return s ? s : "";
}

const char *hull_image_config_raw(const struct hull_image *img, size_t *len)
{
    if (len)
        *len = img->config_len;
    return img->config_raw;
}

const char *hull_image_rootfs(const struct hull_image *img) { return img->src.rootfs; }

/* After a layer has been read and verified: what the bytes showed. */
static void layer_done(void *ud)
{
    struct layer *l = ud;
    if (!l->blob_known)
        l->d.digest = l->blob_digest;
    if (!l->media_known)
        l->d.media_type = media_for(l->comp);
}

/* The outermost stage of a layer stream. When the chain fails for a reason other than a
 * digest (corrupt gzip, size) and the blob digest is known, the raw blob is hashed once more:
 * a tampered blob is then reported as what it is, a digest mismatch, rather than as the
 * decompression error the tampering happened to cause. */
struct layer_stream {
    struct hull_istream base;
    struct hull_istream *in;
    struct layer *l;
};

static void explain_failure(struct layer *l, struct hull_err **err)
{
    if (!l->blob_known || !err || !*err || (*err)->code == HULL_E_DIGEST ||
        (*err)->code == HULL_E_NOMEM)
        return;
    struct hull_image *img = l->img;
    struct hull_istream *raw = NULL;
    struct hull_err *e2 = NULL;
    int64_t size;
    if (img->src.ops->open_blob(&img->src, l->sl->key, &raw, &size, &e2) < 0) {
        hull_err_free(e2);
        return;
    }
    struct hull_verify_opts o = { .expect = l->sl->digest, .expect_size = -1 };
    raw = hull_stream_verify(raw, &o, &e2);
    if (raw && hull_stream_drain(raw, &e2) < 0 && e2 && e2->code == HULL_E_DIGEST) {
        hull_err_clear(err);
        hull_err_set(err, HULL_E_DIGEST, "layer %zu %s: %s", l->index + 1, l->sl->digest, e2->msg);
    }
    hull_istream_close(raw);
    hull_err_free(e2);
}

static ssize_t layer_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct layer_stream *ls = (struct layer_stream *)s;
    struct hull_err *mine = NULL;
    ssize_t got = hull_istream_read(ls->in, buf, n, &mine);
    if (got < 0) {
        explain_failure(ls->l, &mine);
        got = mine ? -(ssize_t)mine->code : got;
        if (err && !*err)
            *err = mine;
        else
            hull_err_free(mine);
    }
    return got;
}

static void layer_close(struct hull_istream *s)
{
    struct layer_stream *ls = (struct layer_stream *)s;
    hull_istream_close(ls->in);
    free(ls);
}

static const struct hull_istream_ops layer_ops = { layer_read, layer_close };

int hull_image_open_layer(struct hull_image *img, size_t i, struct hull_istream **out,
                          struct hull_err **err)
{
    if (i >= img->n_layers)
        return hull_err_set(err, HULL_E_USAGE, "layer %zu: the image has %zu layers", i + 1,
                            img->n_layers);
    struct layer *l = &img->layers[i];
    const struct hull_limits *lim = &img->ctx->limits;
    char wrap[64 + HULL_DIGEST_STRLEN], what[32 + HULL_DIGEST_STRLEN];
    snprintf(wrap, sizeof(wrap), "layer %zu %s", i + 1,
             l->blob_known ? l->sl->digest : l->d.diff_id);
    snprintf(what, sizeof(what), "diff_id %s", l->d.diff_id);
    if (l->sl->media_type) {
        enum hull_layer_kind k;
        int rc = hull_layer_media_type(l->sl->media_type, &k, err);
        if (rc < 0)
            return hull_err_wrap(err, "%s", wrap);
    }
    struct hull_istream *s = NULL;
    int64_t size = -1;
    int rc = img->src.ops->open_blob(&img->src, l->sl->key, &s, &size, err);
    if (rc < 0)
        return hull_err_wrap(err, "%s", wrap);
    if (l->sl->size >= 0 && size >= 0 && size != l->sl->size) {
        hull_istream_close(s);
        return hull_err_set(err, HULL_E_PARSE, "%s: size mismatch (want %lld bytes, got %lld)",
                            wrap, (long long)l->sl->size, (long long)size);
    }
    struct hull_verify_opts blob = {
        .expect = l->sl->digest,
        .expect_size = l->sl->size,
        .digest_out = l->blob_digest,
    };
    s = hull_stream_verify(s, &blob, err);
    if (s)
        s = hull_stream_decode(s, lim->max_layer_bytes, &l->comp, err);
    struct hull_verify_opts diff = {
        .expect = l->d.diff_id,
        .expect_size = -1,
        .max_bytes = lim->max_layer_bytes,
        .total = l->d.uncompressed_size < 0 ? &img->total_read : NULL, /* count once */
        .total_max = lim->max_image_bytes,
        .what = what,
        .wrap = wrap,
        .size_out = &l->d.uncompressed_size,
        .on_eof = layer_done,
        .ud = l,
    };
    if (s)
        s = hull_stream_verify(s, &diff, err);
    if (!s)
        return hull_err_wrap(err, "%s", wrap);
    struct layer_stream *ls = calloc(1, sizeof(*ls));
    if (!ls) {
        hull_istream_close(s);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    ls->base.ops = &layer_ops;
    ls->in = s;
    ls->l = l;
    *out = &ls->base;
    return 0;
}

int hull_image_verify(struct hull_image *img, struct hull_err **err)
{
    char *buf = malloc(HULL_STREAM_CHUNK);
    if (!buf)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    const struct hull_ctx *ctx = img->ctx;
    int rc = 0;
    for (size_t i = 0; i < img->n_layers && rc >= 0; i++) {
        struct hull_istream *s;
        if ((rc = hull_image_open_layer(img, i, &s, err)) < 0)
            break;
        char what[64];
        snprintf(what, sizeof(what), "layer %zu/%zu", i + 1, img->n_layers);
        uint64_t done = 0, next = 0;
        for (;;) {
            ssize_t got = hull_istream_read(s, buf, HULL_STREAM_CHUNK, err);
            if (got <= 0) {
                rc = (int)got;
                break;
            }
            done += (uint64_t)got;
            if (ctx->progress && done >= next) { /* every 8 MiB, total unknown (0) */
                ctx->progress(ctx->progress_ud, what, done, 0);
                next = done + (8u << 20);
            }
        }
        hull_istream_close(s);
    }
    free(buf);
    return rc;
}
