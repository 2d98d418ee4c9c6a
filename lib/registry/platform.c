/* Manifest kinds and platform selection in an index (OCI image-spec image-index.md; Docker
 * manifest list v2.2). Attestation manifests (platform unknown/unknown, annotation
 * vnd.docker.reference.type=attestation-manifest) are never selected; a child without a
 * platform counts as linux/amd64, as crane does. */
#include "core/common.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/jsonx.h"
#include "hull/registry.h"
#include "registry/regdoc.h"

#define INDEX_MAX_CHILDREN 4096

const char hull_registry_accept[] =
    "Accept: " HULL_RMT_OCI_INDEX ", " HULL_RMT_DOCKER_LIST ", " HULL_RMT_OCI_MANIFEST
    ", " HULL_RMT_DOCKER_V2 ", " HULL_RMT_DOCKER_V1S ";q=0.1, " HULL_RMT_DOCKER_V1 ";q=0.1";

static const char *known_type(const char *mt, bool *is_index)
{
    static const char *const idx[] = { HULL_RMT_OCI_INDEX, HULL_RMT_DOCKER_LIST };
    static const char *const man[] = { HULL_RMT_OCI_MANIFEST, HULL_RMT_DOCKER_V2 };
    for (size_t i = 0; i < 2; i++) {
        if (!strcmp(mt, idx[i])) {
            *is_index = true;
            return idx[i];
        }
        if (!strcmp(mt, man[i])) {
            *is_index = false;
            return man[i];
        }
    }
    return NULL;
}

static bool schema1_type(const char *mt)
{
    return !strcmp(mt, HULL_RMT_DOCKER_V1) || !strcmp(mt, HULL_RMT_DOCKER_V1S);
}

static int schema1_error(struct hull_err **err)
{
    return hull_err_set(err, HULL_E_UNSUPPORTED,
                        "manifest is Docker schema 1 (deprecated and unsupported); re-push the "
                        "image as schema 2 or OCI");
}

int hull_regdoc_classify(const char *body, size_t len, const char *content_type, size_t max,
                         const char **media_type, bool *is_index, struct hull_err **err)
{
    *media_type = NULL;
    *is_index = false;
    if (content_type && schema1_type(content_type))
        return schema1_error(err);
    json_t *j = hull_json_parse(body, len, max, "manifest", err);
    if (!j)
        return -1;
    int rc = 0;
    if (!json_is_object(j)) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest: not a JSON object");
        goto out;
    }
    json_int_t sv = hull_json_int(j, "schemaVersion", -1);
    const char *mt = hull_json_str(j, "mediaType");
    if (sv == 1 || (mt && schema1_type(mt))) {
        rc = schema1_error(err);
        goto out;
    }
    if (sv != 2) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest: schemaVersion is not 2");
        goto out;
    }
    const char *t = mt ? known_type(mt, is_index) : NULL;
    if (mt && !t) {
        rc = hull_err_set(err, HULL_E_UNSUPPORTED, "manifest media type \"%.100s\" is not an "
                                                   "image manifest or index", mt);
        goto out;
    }
    if (!t && content_type && *content_type)
        t = known_type(content_type, is_index);
    if (!t) { /* OCI allows a missing mediaType: decide by shape */
        bool has_m = json_is_array(json_object_get(j, "manifests"));
        bool has_l = json_is_array(json_object_get(j, "layers"));
        if (has_m == has_l) {
            rc = hull_err_set(err, HULL_E_PARSE, "manifest: neither an image manifest nor an "
                                                 "index");
            goto out;
        }
        *is_index = has_m;
        t = has_m ? HULL_RMT_OCI_INDEX : HULL_RMT_OCI_MANIFEST;
    }
    bool idx_shape = json_is_array(json_object_get(j, "manifests"));
    if (idx_shape != *is_index) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest: content does not match its media type %s",
                          t);
        goto out;
    }
    *media_type = t;
out:
    json_decref(j);
    return rc;
}

static bool is_attestation(const json_t *m, const char *os, const char *arch)
{
    const char *rt = hull_json_str(json_object_get(m, "annotations"), "vnd.docker.reference.type");
    if (rt && !strcmp(rt, "attestation-manifest"))
        return true;
    return os && arch && !strcmp(os, "unknown") && !strcmp(arch, "unknown");
}

struct child {
    const char *digest, *os, *arch, *variant;
    bool attestation;
};

static int children(const json_t *j, struct child **out, size_t *n, struct hull_err **err)
{
    json_t *arr = json_object_get(j, "manifests");
    if (!json_is_array(arr))
        return hull_err_set(err, HULL_E_PARSE, "index: \"manifests\" is not an array");
    size_t cnt = json_array_size(arr);
    if (cnt > INDEX_MAX_CHILDREN)
        return hull_err_set(err, HULL_E_LIMIT, "index: %zu manifests (limit %d)", cnt,
                            INDEX_MAX_CHILDREN);
    struct child *c = calloc(cnt ? cnt : 1, sizeof(*c));
    if (!c)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    for (size_t i = 0; i < cnt; i++) {
        json_t *m = json_array_get(arr, i);
        const char *d = json_is_object(m) ? hull_json_str(m, "digest") : NULL;
        if (!d || !hull_digest_valid(d)) {
            free(c);
            return hull_err_set(err, HULL_E_PARSE, "index: entry %zu has no valid sha256 digest",
                                i);
        }
        json_t *p = json_object_get(m, "platform");
        c[i].digest = d;
        if (json_is_object(p)) {
            c[i].os = hull_json_str(p, "os");
            c[i].arch = hull_json_str(p, "architecture");
            c[i].variant = hull_json_str(p, "variant");
        }
        c[i].attestation = is_attestation(m, c[i].os, c[i].arch);
    }
    *out = c;
    *n = cnt;
    return 0;
}

int hull_registry_index_select(struct hull_ctx *ctx, const char *body, size_t len,
                               const struct hull_platform *want, char out[HULL_REF_DIGEST_BUF],
                               struct hull_err **err)
{
    size_t max = ctx ? ctx->limits.max_manifest_bytes : (4u << 20);
    json_t *j = hull_json_parse(body, len, max, "index", err);
    if (!j)
        return -1;
    struct child *c = NULL;
    size_t n = 0;
    int rc = children(j, &c, &n, err);
    if (rc < 0) {
        json_decref(j);
        return rc;
    }
    /* pass 0: exact (variant equal after normalisation); pass 1: any variant */
    const char *pick = NULL;
    for (int pass = 0; pass < 2 && !pick; pass++)
        for (size_t i = 0; i < n && !pick; i++) {
            if (c[i].attestation)
                continue;
            if (!hull_platform_match(want, c[i].os, c[i].arch, c[i].variant))
                continue;
            if (pass == 0) {
                struct hull_platform got;
                struct hull_err *pe = NULL;
                char spec[100];
                snprintf(spec, sizeof(spec), "%.31s/%.31s%s%.15s", c[i].os ? c[i].os : "linux",
                         c[i].arch ? c[i].arch : "amd64", c[i].variant ? "/" : "",
                         c[i].variant ? c[i].variant : "");
                if (hull_platform_parse(spec, &got, &pe) < 0) {
                    hull_err_free(pe);
                    continue;
                }
                if (strcmp(got.variant, want->variant))
                    continue;
            }
            pick = c[i].digest;
        }
    if (pick) {
        snprintf(out, HULL_REF_DIGEST_BUF, "%s", pick);
    } else {
        struct hull_buf have = HULL_BUF_INIT(1024);
        for (size_t i = 0; i < n; i++) {
            if (c[i].attestation)
                continue;
            hull_buf_printf(&have, NULL, "%s%.31s/%.31s%s%.15s", have.len ? ", " : "",
                            c[i].os ? c[i].os : "linux", c[i].arch ? c[i].arch : "amd64",
                            c[i].variant ? "/" : "", c[i].variant ? c[i].variant : "");
        }
        rc = hull_err_set(err, HULL_E_NOTFOUND, "no image for platform %s/%s%s%s in the index "
                          "(it has: %s)", want->os, want->arch, want->variant[0] ? "/" : "",
                          want->variant, have.len ? have.p : "nothing");
        hull_buf_release(&have);
    }
    free(c);
    json_decref(j);
    return rc;
}

bool hull_registry_index_has(const char *body, size_t len, const char *digest)
{
    json_t *j = hull_json_parse(body, len, 64u << 20, "index", NULL);
    if (!j)
        return false;
    bool found = false;
    json_t *arr = json_object_get(j, "manifests");
    size_t i;
    json_t *m;
    if (json_is_array(arr))
        json_array_foreach(arr, i, m) {
            const char *d = hull_json_str(m, "digest");
            if (d && !strcmp(d, digest))
                found = true;
        }
    json_decref(j);
    return found;
}
