/* OCI image layout (image-layout.md) in a directory (oci:) or a tar (oci-archive:).
 * index.json is the entry point: its entries are selected by the ref-name annotation and by
 * platform; an entry may itself be an index (nested, up to MAX_INDEX_DEPTH levels). Every
 * index and manifest blob is checked against its descriptor's digest and size before it is
 * parsed. Blob paths are built from validated digests only: blobs/sha256/<64 hex>. */
#include "core/common.h"
#include "core/digest.h"
#include "core/jsonx.h"
#include "source/container.h"
#include "source/ocijson.h"
#include "source/source.h"

#define MAX_INDEX_DEPTH 4

static int oci_open(struct hull_source *src, const char *arg, struct hull_err **err)
{
    int rc = hull_source_open_container(src, arg, err);
    if (rc < 0)
        return rc;
    bool want_dir = src->ops == &hull_source_oci;
    if (hull_container_is_dir(src->box) != want_dir)
        return hull_err_set(err, HULL_E_PARSE, "%s: %s", src->path,
                            want_dir ? "oci: wants a directory (use oci-archive: for a tar)"
                                     : "oci-archive: wants a tar file (use oci: for a directory)");
    char *buf = NULL;
    size_t len;
    rc = hull_container_read(src->box, "oci-layout", 4096, &buf, &len, err);
    if (rc < 0) {
        if (err && *err && (*err)->code == HULL_E_NOTFOUND) {
            hull_err_clear(err);
            return hull_err_set(err, HULL_E_NOTFOUND, "%s: not an OCI layout (no oci-layout file)",
                                src->path);
        }
        return rc;
    }
    json_t *j = hull_json_parse(buf, len, 4096, "oci-layout", err);
    free(buf);
    if (!j)
        return hull_err_wrap(err, "%s", src->path);
    const char *v = hull_json_str(j, "imageLayoutVersion");
    if (!v || strncmp(v, "1.", 2)) {
        json_decref(j);
        return hull_err_set(err, HULL_E_UNSUPPORTED, "%s: unsupported imageLayoutVersion",
                            src->path);
    }
    json_decref(j);
    return 0;
}

static void blob_path(const char *digest, char out[13 + HULL_SHA256_HEX + 1])
{
    snprintf(out, 13 + HULL_SHA256_HEX + 1, "blobs/sha256/%s", digest + 7);
}

/* Read the blob of d (a manifest or index) and verify it. */
static int fetch_verified(struct hull_source *src, const struct hull_descriptor *d,
                          const char *what, char **out, size_t *len, struct hull_err **err)
{
    size_t max = src->ctx->limits.max_manifest_bytes;
    if (d->size > (int64_t)max)
        return hull_err_set(err, HULL_E_LIMIT, "%s %s: %lld bytes exceeds the %zu-byte limit",
                            what, d->digest, (long long)d->size, max);
    char path[13 + HULL_SHA256_HEX + 1];
    blob_path(d->digest, path);
    int rc = hull_container_read(src->box, path, max, out, len, err);
    if (rc < 0)
        return hull_err_wrap(err, "%s %s", what, d->digest);
    char got[HULL_DIGEST_STRLEN + 1];
    hull_sha256_digest(*out, *len, got);
    if (strcmp(got, d->digest))
        rc = hull_err_set(err, HULL_E_DIGEST, "%s %s: digest mismatch (got %s)", what, d->digest,
                          got);
    else if ((int64_t)*len != d->size)
        rc = hull_err_set(err, HULL_E_PARSE, "%s %s: size mismatch (want %lld bytes, got %zu)",
                          what, d->digest, (long long)d->size, *len);
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static int dup_desc_str(const char *s, char **out, struct hull_err **err)
{
    *out = NULL;
    if (s && !(*out = strdup(s)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return 0;
}

static int oci_manifest(struct hull_source *src, struct hull_source_image *out,
                        struct hull_err **err)
{
    const struct hull_limits *lim = &src->ctx->limits;
    memset(out, 0, sizeof(*out));
    char *buf = NULL, *name = NULL;
    size_t len = 0;
    int rc = hull_container_read(src->box, "index.json", lim->max_json_bytes, &buf, &len, err);
    if (rc < 0)
        return rc;
    struct hull_index ix;
    rc = hull_index_parse(buf, len, lim->max_json_bytes, &ix, err);
    free(buf);
    buf = NULL;
    if (rc < 0)
        return hull_err_wrap(err, "index.json");
    struct hull_descriptor d;
    for (int depth = 0;; depth++) {
        size_t which;
        rc = hull_index_select(&ix, depth == 0 ? src->ref : NULL, src->platform, &which, err);
        if (rc < 0) {
            hull_index_release(&ix);
            goto fail;
        }
        d = ix.manifests[which];
        if (depth == 0 && d.ref_name && !name && !(name = strdup(d.ref_name))) {
            hull_index_release(&ix);
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto fail;
        }
        const char *what = depth == 0 ? "index.json entry" : "index entry";
        rc = fetch_verified(src, &d, "manifest", &buf, &len, err);
        /* d's strings live in ix.json: copy what is needed before releasing it. */
        char digest[HULL_DIGEST_STRLEN + 1];
        snprintf(digest, sizeof(digest), "%s", d.digest);
        bool is_index = hull_media_type_is_index(d.media_type), has_mt = d.media_type != NULL;
        hull_index_release(&ix);
        if (rc < 0)
            goto fail;
        if (!has_mt || !is_index) {
            int k = hull_manifest_kind(buf, len, lim->max_manifest_bytes, err);
            if (k < 0) {
                rc = k;
                hull_err_wrap(err, "%s %s", what, digest);
                goto fail;
            }
            is_index = k == 1;
        }
        if (!is_index) {
            if (!(out->manifest_digest = strdup(digest))) {
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto fail;
            }
            break;
        }
        if (depth + 1 >= MAX_INDEX_DEPTH) {
            rc = hull_err_set(err, HULL_E_LIMIT, "indexes nested deeper than %d levels",
                              MAX_INDEX_DEPTH);
            goto fail;
        }
        rc = hull_index_parse(buf, len, lim->max_manifest_bytes, &ix, err);
        free(buf);
        buf = NULL;
        if (rc < 0) {
            hull_err_wrap(err, "index %s", digest);
            goto fail;
        }
    }
    struct hull_manifest m;
    rc = hull_manifest_parse(buf, len, lim->max_manifest_bytes, lim->max_layers, &m, err);
    if (rc < 0) {
        hull_err_wrap(err, "manifest %s", out->manifest_digest);
        goto fail;
    }
    out->name = name;
    name = NULL;
    out->manifest_size = (int64_t)len;
    out->config_size = m.config.size;
    out->layers = calloc(m.n_layers + 1, sizeof(*out->layers));
    if (!out->layers || dup_desc_str(m.media_type, &out->manifest_media_type, err) < 0 ||
        dup_desc_str(m.config.digest, &out->config_key, err) < 0 ||
        dup_desc_str(m.config.digest, &out->config_digest, err) < 0) {
        hull_manifest_release(&m);
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m.n_layers; i++) {
        struct hull_source_layer *l = &out->layers[i];
        out->n_layers = i + 1;
        l->size = m.layers[i].size;
        if (dup_desc_str(m.layers[i].digest, &l->key, err) < 0 ||
            dup_desc_str(m.layers[i].digest, &l->digest, err) < 0 ||
            dup_desc_str(m.layers[i].media_type, &l->media_type, err) < 0) {
            hull_manifest_release(&m);
            rc = -HULL_E_NOMEM;
            goto fail;
        }
    }
    hull_manifest_release(&m);
    free(buf);
    return 0;
fail:
    free(buf);
    free(name);
    hull_source_image_release(out);
    return rc;
}

static int oci_read_blob(struct hull_source *src, const char *key, size_t max, char **out,
                         size_t *len, struct hull_err **err)
{
    if (!hull_digest_valid(key))
        return hull_err_set(err, HULL_E_PARSE, "invalid blob digest %.80s", key);
    char path[13 + HULL_SHA256_HEX + 1];
    blob_path(key, path);
    return hull_container_read(src->box, path, max, out, len, err);
}

static int oci_open_blob(struct hull_source *src, const char *key, struct hull_istream **out,
                         int64_t *size, struct hull_err **err)
{
    if (!hull_digest_valid(key))
        return hull_err_set(err, HULL_E_PARSE, "invalid blob digest %.80s", key);
    char path[13 + HULL_SHA256_HEX + 1];
    blob_path(key, path);
    return hull_container_open_member(src->box, path, out, size, err);
}

static void oci_close(struct hull_source *src) { (void)src; }

const struct hull_source_ops hull_source_oci = {
    .transport = "oci",
    .open = oci_open,
    .manifest = oci_manifest,
    .read_blob = oci_read_blob,
    .open_blob = oci_open_blob,
    .close = oci_close,
};

const struct hull_source_ops hull_source_oci_archive = {
    .transport = "oci-archive",
    .open = oci_open,
    .manifest = oci_manifest,
    .read_blob = oci_read_blob,
    .open_blob = oci_open_blob,
    .close = oci_close,
};
