/* docker-archive: `docker save` / `skopeo copy docker-archive:` output. manifest.json lists
 * each image's config and layer paths: "<hex>.json" + "<id>/layer.tar" (classic; layer.tar may
 * be a symlink to "../<diffid>.tar") or "blobs/sha256/<hex>" (Docker 25+). The archive has no
 * manifest blob, so what can be verified is: a config path naming its own digest, blob paths
 * naming theirs, and every layer's uncompressed bytes against the config's diff_ids. */
#include "core/common.h"
#include "core/digest.h"
#include "source/container.h"
#include "source/ocijson.h"
#include "source/source.h"

static int da_open(struct hull_source *src, const char *arg, struct hull_err **err)
{
    /* An unpacked `docker save` directory works too (explicit docker-archive: only; a bare
     * directory is a root filesystem or an OCI layout). */
    return hull_source_open_container(src, arg, err);
}

/* "sha256:<hex>" when the archive path names its content: "<64 hex>.json", "<64 hex>.tar",
 * "blobs/sha256/<64 hex>"; else NULL. */
static char *digest_from_path(const char *path, const char *ext)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t elen = ext ? strlen(ext) : 0, blen = strlen(base);
    char d[HULL_DIGEST_STRLEN + 1];
    bool blob = !strncmp(path, "blobs/sha256/", 13) && strlen(path) == 13 + HULL_SHA256_HEX;
    if (!blob && !(ext && blen == HULL_SHA256_HEX + elen && !strcmp(base + HULL_SHA256_HEX, ext)))
        return NULL;
    snprintf(d, sizeof(d), "sha256:%.*s", HULL_SHA256_HEX, base);
    return hull_digest_valid(d) ? strdup(d) : NULL;
}

static int da_manifest(struct hull_source *src, struct hull_source_image *out,
                       struct hull_err **err)
{
    const struct hull_limits *lim = &src->ctx->limits;
    memset(out, 0, sizeof(*out));
    char *buf = NULL;
    size_t len = 0;
    int rc = hull_container_read(src->box, "manifest.json", lim->max_json_bytes, &buf, &len, err);
    if (rc < 0)
        return rc;
    struct hull_docker_manifest dm;
    rc = hull_docker_manifest_parse(buf, len, lim->max_json_bytes, lim->max_layers, &dm, err);
    free(buf);
    if (rc < 0)
        return rc;
    size_t which;
    if ((rc = hull_docker_manifest_select(&dm, src->ref, &which, err)) < 0)
        goto out;
    const struct hull_docker_image *im = &dm.images[which];
    out->manifest_size = -1;
    out->config_size = -1;
    const char *name = src->ref && src->ref[0] != '@' ? src->ref : im->repo_tags[0];
    if ((name && !(out->name = strdup(name))) || !(out->config_key = strdup(im->config)) ||
        !(out->layers = calloc(im->n_layers + 1, sizeof(*out->layers)))) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    out->config_digest = digest_from_path(im->config, ".json");
    for (size_t i = 0; i < im->n_layers; i++) {
        struct hull_source_layer *l = &out->layers[i];
        out->n_layers = i + 1;
        if (!(l->key = strdup(im->layers[i]))) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        if (!strncmp(l->key, "blobs/", 6))
            l->digest = digest_from_path(l->key, NULL);
        struct hull_istream *s;
        if ((rc = hull_container_open_member(src->box, l->key, &s, &l->size, err)) < 0) {
            hull_err_wrap(err, "layer %zu", i + 1);
            goto out;
        }
        hull_istream_close(s);
    }
    rc = 0;
out:
    hull_docker_manifest_release(&dm);
    if (rc < 0)
        hull_source_image_release(out);
    return rc;
}

static int da_read_blob(struct hull_source *src, const char *key, size_t max, char **out,
                        size_t *len, struct hull_err **err)
{
    return hull_container_read(src->box, key, max, out, len, err);
}

static int da_open_blob(struct hull_source *src, const char *key, struct hull_istream **out,
                        int64_t *size, struct hull_err **err)
{
    return hull_container_open_member(src->box, key, out, size, err);
}

static void da_close(struct hull_source *src) { (void)src; }

const struct hull_source_ops hull_source_docker_archive = {
    .transport = "docker-archive",
    .open = da_open,
    .manifest = da_manifest,
    .read_blob = da_read_blob,
    .open_blob = da_open_blob,
    .close = da_close,
};
