/* Registry transport: `docker://REF` and bare references ("node:18", "ghcr.io/a/b:1",
 * "host:5000/x@sha256:..."). The top-level manifest is fetched and verified (lib/registry),
 * an index is resolved to the requested platform (the host's by default) and that manifest
 * fetched by digest; the config is read whole, layers stream from the registry (redirects to
 * blob storage followed) through image.c's verify -> decode -> verify(diff_id) chain, so they
 * never land on disk unless a blob cache is configured (opts.blob_cache, else the directory
 * named by $HULL_BLOB_CACHE): then verified layers are kept by digest and read from there. */
#include "core/common.h"
#include "core/digest.h"
#include "hull/registry.h"
#include "source/ocijson.h"
#include "source/source.h"
#include <sys/stat.h>

#define MAX_INDEX_DEPTH 4

struct reg_priv {
    struct hull_registry *reg;
    struct hull_ref ref;
};

bool hull_source_registry_claims(const char *spec)
{
    struct stat st;
    if (!spec || !*spec || stat(spec, &st) == 0 || errno != ENOENT)
        return false;
    const char *colon = strrchr(spec, ':');
    if (colon && colon != spec) { /* "image.tar:latest" next to image.tar is a path with a ref */
        char *prefix = strndup(spec, (size_t)(colon - spec));
        bool exists = prefix && stat(prefix, &st) == 0;
        free(prefix);
        if (exists)
            return false;
    }
    struct hull_ref r;
    if (hull_ref_parse(spec, strlen(spec), &r, NULL) < 0)
        return false;
    /* a tag, a digest or a registry host: "image.tar" stays a (missing) file */
    const char *slash = strchr(spec, '/');
    bool host = slash && (memchr(spec, '.', (size_t)(slash - spec)) ||
                          memchr(spec, ':', (size_t)(slash - spec)) ||
                          !strncmp(spec, "localhost/", 10));
    bool claimed = !r.implicit_tag || r.digest || host;
    hull_ref_release(&r);
    return claimed;
}

static int reg_open(struct hull_source *src, const char *arg, struct hull_err **err)
{
    if (!strncmp(arg, "//", 2))
        arg += 2;
    struct reg_priv *p = calloc(1, sizeof(*p));
    if (!p)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    src->priv = p;
    int rc = hull_ref_parse(arg, strlen(arg), &p->ref, err);
    if (rc < 0)
        return rc;
    struct hull_registry_opts o;
    if (src->registry)
        o = *src->registry;
    else
        memset(&o, 0, sizeof(o));
    const char *cache = getenv("HULL_BLOB_CACHE");
    if (!o.blob_cache && cache && *cache)
        o.blob_cache = cache;
    return hull_registry_new(src->ctx, &o, &p->reg, err);
}

static int dup_str(const char *s, char **out, struct hull_err **err)
{
    *out = NULL;
    if (s && !(*out = strdup(s)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return 0;
}

static int reg_manifest(struct hull_source *src, struct hull_source_image *out,
                        struct hull_err **err)
{
    struct reg_priv *p = src->priv;
    const struct hull_limits *lim = &src->ctx->limits;
    memset(out, 0, sizeof(*out));
    struct hull_platform plat;
    if (src->platform) {
        if (hull_platform_parse(src->platform, &plat, err) < 0)
            return -1;
    } else {
        hull_platform_host(&plat);
    }
    struct hull_registry_manifest m;
    int rc = hull_registry_get_manifest(p->reg, &p->ref, NULL, &m, err);
    for (int depth = 0; rc == 0 && m.is_index; depth++) {
        char child[HULL_REF_DIGEST_BUF];
        if (depth + 1 >= MAX_INDEX_DEPTH)
            rc = hull_err_set(err, HULL_E_LIMIT, "indexes nested deeper than %d levels",
                              MAX_INDEX_DEPTH);
        else
            rc = hull_registry_index_select(src->ctx, m.body, m.len, &plat, child, err);
        hull_registry_manifest_release(&m);
        if (rc < 0) {
            char *name = hull_ref_format(&p->ref, true, true);
            hull_err_wrap(err, "%s", name ? name : "image");
            free(name);
            return rc;
        }
        rc = hull_registry_get_manifest(p->reg, &p->ref, child, &m, err);
    }
    if (rc < 0)
        return rc;
    struct hull_manifest man;
    rc = hull_manifest_parse(m.body, m.len, lim->max_manifest_bytes, lim->max_layers, &man, err);
    if (rc < 0) {
        hull_err_wrap(err, "manifest %s", m.digest);
        hull_registry_manifest_release(&m);
        return rc;
    }
    out->manifest_size = (int64_t)m.len;
    out->config_size = man.config.size;
    out->layers = calloc(man.n_layers + 1, sizeof(*out->layers));
    if (!out->layers || dup_str(m.digest, &out->manifest_digest, err) < 0 ||
        dup_str(man.media_type, &out->manifest_media_type, err) < 0 ||
        dup_str(man.config.digest, &out->config_key, err) < 0 ||
        dup_str(man.config.digest, &out->config_digest, err) < 0 ||
        !(out->name = hull_ref_format(&p->ref, true, false))) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < man.n_layers; i++) {
        struct hull_source_layer *l = &out->layers[i];
        out->n_layers = i + 1;
        l->size = man.layers[i].size;
        if (dup_str(man.layers[i].digest, &l->key, err) < 0 ||
            dup_str(man.layers[i].digest, &l->digest, err) < 0 ||
            dup_str(man.layers[i].media_type, &l->media_type, err) < 0) {
            rc = -HULL_E_NOMEM;
            goto fail;
        }
    }
    hull_manifest_release(&man);
    hull_registry_manifest_release(&m);
    /* set last: image.c prefixes errors with the spec once a path is known, and the
     * registry's errors already name host and repository */
    if (!(src->path = hull_ref_format(&p->ref, true, true)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return 0;
fail:
    hull_manifest_release(&man);
    hull_registry_manifest_release(&m);
    hull_source_image_release(out);
    return rc;
}

static int reg_read_blob(struct hull_source *src, const char *key, size_t max, char **out,
                         size_t *len, struct hull_err **err)
{
    struct reg_priv *p = src->priv;
    return hull_registry_get_blob(p->reg, &p->ref, key, max, out, len, err);
}

static int reg_open_blob(struct hull_source *src, const char *key, struct hull_istream **out,
                         int64_t *size, struct hull_err **err)
{
    struct reg_priv *p = src->priv;
    *size = -1;
    return hull_registry_open_blob(p->reg, &p->ref, key, -1, out, err);
}

static void reg_close(struct hull_source *src)
{
    struct reg_priv *p = src->priv;
    if (!p)
        return;
    hull_registry_free(p->reg);
    hull_ref_release(&p->ref);
    free(p);
    src->priv = NULL;
}

const struct hull_source_ops hull_source_registry = {
    .transport = "docker",
    .open = reg_open,
    .manifest = reg_manifest,
    .read_blob = reg_read_blob,
    .open_blob = reg_open_blob,
    .close = reg_close,
};
