/* Image JSON documents: OCI image-spec (manifest.md, image-index.md, config.md, descriptor.md)
 * and Docker Image Manifest V2 Schema 2, plus `docker save`'s manifest.json. Every field that
 * later becomes a path or a comparison key is validated here: digests must be sha256 with 64
 * lowercase hex digits, sizes non-negative integers, strings where strings are expected. */
#include "core/common.h"
#include <sys/utsname.h>
#include "core/digest.h"
#include "core/jsonx.h"
#include "source/ocijson.h"

#define ANN_REF "org.opencontainers.image.ref.name"

static const struct {
    const char *mt;
    int kind; /* enum hull_layer_kind, or -1: refused */
} layer_types[] = {
    { "application/vnd.oci.image.layer.v1.tar", HULL_LAYER_TAR },
    { "application/vnd.oci.image.layer.v1.tar+gzip", HULL_LAYER_GZIP },
    { "application/vnd.oci.image.layer.v1.tar+zstd", HULL_LAYER_ZSTD },
    { "application/vnd.docker.image.rootfs.diff.tar", HULL_LAYER_TAR },
    { "application/vnd.docker.image.rootfs.diff.tar.gzip", HULL_LAYER_GZIP },
    { "application/vnd.docker.image.rootfs.diff.tar.zstd", HULL_LAYER_ZSTD },
};

int hull_layer_media_type(const char *mt, enum hull_layer_kind *kind, struct hull_err **err)
{
    if (!mt)
        return hull_err_set(err, HULL_E_PARSE, "layer without a mediaType");
    for (size_t i = 0; i < HULL_ARRAY_LEN(layer_types); i++)
        if (!strcmp(mt, layer_types[i].mt)) {
            *kind = (enum hull_layer_kind)layer_types[i].kind;
            return 0;
        }
    if (strstr(mt, "foreign") || strstr(mt, "nondistributable"))
        return hull_err_set(err, HULL_E_UNSUPPORTED,
                            "foreign (non-distributable) layer %.100s refused: its content is "
                            "not in the image", mt);
    return hull_err_set(err, HULL_E_UNSUPPORTED, "unsupported layer media type %.100s", mt);
}

bool hull_media_type_is_index(const char *mt)
{
    return mt && (!strcmp(mt, HULL_MT_OCI_INDEX) || !strcmp(mt, HULL_MT_DOCKER_LIST));
}

/* Descriptor at j; what names it in errors. */
static int parse_desc(json_t *j, const char *what, struct hull_descriptor *d, struct hull_err **err)
{
    memset(d, 0, sizeof(*d));
    if (!json_is_object(j))
        return hull_err_set(err, HULL_E_PARSE, "%s: descriptor is not an object", what);
    json_t *mt = json_object_get(j, "mediaType");
    if (mt && !json_is_string(mt))
        return hull_err_set(err, HULL_E_PARSE, "%s: mediaType is not a string", what);
    d->media_type = mt ? json_string_value(mt) : NULL;
    d->digest = hull_json_str(j, "digest");
    if (!d->digest)
        return hull_err_set(err, HULL_E_PARSE, "%s: missing digest", what);
    if (!hull_digest_valid(d->digest))
        return hull_err_set(err, HULL_E_PARSE,
                            "%s: invalid digest \"%.80s\" (want sha256:<64 hex>)", what, d->digest);
    json_t *sz = json_object_get(j, "size");
    if (!json_is_integer(sz) || json_integer_value(sz) < 0)
        return hull_err_set(err, HULL_E_PARSE, "%s: missing or invalid size", what);
    d->size = json_integer_value(sz);
    json_t *ann = json_object_get(j, "annotations");
    if (ann && !json_is_object(ann))
        return hull_err_set(err, HULL_E_PARSE, "%s: annotations is not an object", what);
    d->ref_name = ann ? hull_json_str(ann, ANN_REF) : NULL;
    json_t *pf = json_object_get(j, "platform");
    if (pf) {
        if (!json_is_object(pf))
            return hull_err_set(err, HULL_E_PARSE, "%s: platform is not an object", what);
        d->os = hull_json_str(pf, "os");
        d->arch = hull_json_str(pf, "architecture");
        d->variant = hull_json_str(pf, "variant");
    }
    return 0;
}

/* Parse a JSON object; on failure *rc is the negative error code. */
static json_t *load_rc(const void *p, size_t len, size_t max, const char *what, int *rc,
                       struct hull_err **err)
{
    struct hull_err *e = NULL;
    json_t *j = hull_json_parse(p, len, max, what, &e);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
        hull_err_set(&e, HULL_E_PARSE, "%s: not a JSON object", what);
    }
    if (!j) {
        *rc = e ? -(int)e->code : -HULL_E_NOMEM;
        if (err && !*err)
            *err = e;
        else
            hull_err_free(e);
    }
    return j;
}

#define load(p, len, max, what, err) load_rc(p, len, max, what, &load_err, err)

static int check_schema(json_t *j, const char *what, struct hull_err **err)
{
    json_t *sv = json_object_get(j, "schemaVersion");
    if (!json_is_integer(sv))
        return hull_err_set(err, HULL_E_PARSE, "%s: missing schemaVersion", what);
    if (json_integer_value(sv) != 2)
        return hull_err_set(err, HULL_E_UNSUPPORTED, "%s: schemaVersion %lld is not supported",
                            what, (long long)json_integer_value(sv));
    return 0;
}

int hull_manifest_kind(const void *p, size_t len, size_t max, struct hull_err **err)
{
    int load_err = 0;
    json_t *j = load(p, len, max, "manifest", err);
    if (!j)
        return load_err;
    const char *mt = hull_json_str(j, "mediaType");
    int kind = mt ? hull_media_type_is_index(mt) : json_object_get(j, "manifests") != NULL;
    json_decref(j);
    return kind;
}

void hull_manifest_release(struct hull_manifest *m)
{
    if (!m)
        return;
    free(m->layers);
    json_decref(m->json);
    memset(m, 0, sizeof(*m));
}

int hull_manifest_parse(const void *p, size_t len, size_t max, unsigned max_layers,
                        struct hull_manifest *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    int load_err = 0;
    json_t *j = load(p, len, max, "manifest", err);
    if (!j)
        return load_err;
    out->json = j;
    int rc = check_schema(j, "manifest", err);
    if (rc < 0)
        goto fail;
    json_t *mtj = json_object_get(j, "mediaType");
    if (mtj && !json_is_string(mtj)) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest: mediaType is not a string");
        goto fail;
    }
    const char *mt = mtj ? json_string_value(mtj) : NULL;
    if (hull_media_type_is_index(mt) || (!mt && json_object_get(j, "manifests"))) {
        rc = hull_err_set(err, HULL_E_UNSUPPORTED,
                          "manifest: expected an image manifest, got an index");
        goto fail;
    }
    if (mt && strcmp(mt, HULL_MT_OCI_MANIFEST) && strcmp(mt, HULL_MT_DOCKER_MANIFEST)) {
        rc = hull_err_set(err, HULL_E_UNSUPPORTED, "manifest: unsupported media type %.100s", mt);
        goto fail;
    }
    out->media_type = mt ? mt : HULL_MT_OCI_MANIFEST;
    if ((rc = parse_desc(json_object_get(j, "config"), "manifest config", &out->config, err)) < 0)
        goto fail;
    const char *cmt = out->config.media_type;
    if (cmt && strcmp(cmt, "application/vnd.oci.image.config.v1+json") &&
        strcmp(cmt, "application/vnd.docker.container.image.v1+json")) {
        rc = hull_err_set(err, HULL_E_UNSUPPORTED, "manifest: not a container image (config "
                          "media type %.100s)", cmt);
        goto fail;
    }
    json_t *layers = json_object_get(j, "layers");
    if (!json_is_array(layers)) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest: missing layers array");
        goto fail;
    }
    size_t n = json_array_size(layers);
    if (n > max_layers) {
        rc = hull_err_set(err, HULL_E_LIMIT, "manifest: %zu layers exceeds the limit of %u", n,
                          max_layers);
        goto fail;
    }
    out->layers = calloc(n ? n : 1, sizeof(*out->layers));
    if (!out->layers) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        char what[48];
        snprintf(what, sizeof(what), "manifest layer %zu", i + 1);
        if ((rc = parse_desc(json_array_get(layers, i), what, &out->layers[i], err)) < 0)
            goto fail;
        enum hull_layer_kind k;
        if ((rc = hull_layer_media_type(out->layers[i].media_type, &k, err)) < 0) {
            hull_err_wrap(err, "%s", what);
            goto fail;
        }
    }
    out->n_layers = n;
    return 0;
fail:
    hull_manifest_release(out);
    return rc;
}

void hull_index_release(struct hull_index *ix)
{
    if (!ix)
        return;
    free(ix->manifests);
    json_decref(ix->json);
    memset(ix, 0, sizeof(*ix));
}

int hull_index_parse(const void *p, size_t len, size_t max, struct hull_index *out,
                     struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    int load_err = 0;
    json_t *j = load(p, len, max, "index", err);
    if (!j)
        return load_err;
    out->json = j;
    int rc = check_schema(j, "index", err);
    if (rc < 0)
        goto fail;
    json_t *mtj = json_object_get(j, "mediaType");
    if (mtj && !json_is_string(mtj)) {
        rc = hull_err_set(err, HULL_E_PARSE, "index: mediaType is not a string");
        goto fail;
    }
    out->media_type = mtj ? json_string_value(mtj) : HULL_MT_OCI_INDEX;
    if (!hull_media_type_is_index(out->media_type)) {
        rc = hull_err_set(err, HULL_E_PARSE, "index: unexpected media type %.100s",
                          out->media_type);
        goto fail;
    }
    json_t *ms = json_object_get(j, "manifests");
    if (!json_is_array(ms)) {
        rc = hull_err_set(err, HULL_E_PARSE, "index: missing manifests array");
        goto fail;
    }
    size_t n = json_array_size(ms);
    out->manifests = calloc(n ? n : 1, sizeof(*out->manifests));
    if (!out->manifests) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        char what[48];
        snprintf(what, sizeof(what), "index entry %zu", i + 1);
        if ((rc = parse_desc(json_array_get(ms, i), what, &out->manifests[i], err)) < 0)
            goto fail;
    }
    out->n = n;
    return 0;
fail:
    hull_index_release(out);
    return rc;
}

const char *hull_host_platform(void)
{
#if defined(__x86_64__)
    return "linux/amd64";
#elif defined(__aarch64__)
    return "linux/arm64/v8";
#elif defined(__i386__)
    return "linux/386";
#elif defined(__arm__)
    return "linux/arm/v7";
#elif defined(__s390x__)
    return "linux/s390x";
#elif defined(__powerpc64__)
    return "linux/ppc64le";
#else
    return "linux/amd64";
#endif
}

struct platform {
    char os[32], arch[32], variant[32];
};

static int parse_platform(const char *s, struct platform *p, struct hull_err **err)
{
    memset(p, 0, sizeof(*p));
    const char *a = strchr(s, '/');
    if (!a || a == s || strlen(s) >= 90)
        return hull_err_set(err, HULL_E_USAGE,
                            "invalid platform \"%.90s\" (want os/arch[/variant])", s);
    const char *v = strchr(a + 1, '/');
    size_t alen = v ? (size_t)(v - a - 1) : strlen(a + 1);
    if ((size_t)(a - s) >= sizeof(p->os) || alen == 0 || alen >= sizeof(p->arch) ||
        (v && (strlen(v + 1) == 0 || strlen(v + 1) >= sizeof(p->variant) || strchr(v + 1, '/'))))
        return hull_err_set(err, HULL_E_USAGE,
                            "invalid platform \"%.90s\" (want os/arch[/variant])", s);
    memcpy(p->os, s, (size_t)(a - s));
    memcpy(p->arch, a + 1, alen);
    if (v)
        snprintf(p->variant, sizeof(p->variant), "%s", v + 1);
    return 0;
}

static bool variant_eq(const char *arch, const char *want, const char *have)
{
    const char *dflt = !strcmp(arch, "arm64") ? "v8" : "";
    if (!want || !*want)
        return true; /* no variant asked: any */
    if (!have || !*have)
        have = dflt;
    return !strcmp(want, have);
}

static bool platform_match(const struct hull_descriptor *d, const struct platform *p)
{
    return d->os && d->arch && !strcmp(d->os, p->os) && !strcmp(d->arch, p->arch) &&
           variant_eq(p->arch, p->variant, d->variant);
}

static bool ignored(const struct hull_descriptor *d)
{
    return d->os && !strcmp(d->os, "unknown");
}

static void list_entries(const struct hull_index *ix, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ix->n && used + 1 < cap; i++) {
        const struct hull_descriptor *d = &ix->manifests[i];
        if (ignored(d))
            continue;
        int w;
        if (d->os && d->arch)
            w = snprintf(buf + used, cap - used, "%s%s/%s%s%s%s%s%s", used ? ", " : "", d->os,
                         d->arch, d->variant ? "/" : "", d->variant ? d->variant : "",
                         d->ref_name ? " (" : "", d->ref_name ? d->ref_name : "",
                         d->ref_name ? ")" : "");
        else
            w = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
                         d->ref_name ? d->ref_name : d->digest);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
}

int hull_index_select(const struct hull_index *ix, const char *ref, const char *platform,
                      size_t *which, struct hull_err **err)
{
    struct platform want;
    const char *pstr = platform ? platform : hull_host_platform();
    int rc = parse_platform(pstr, &want, err);
    if (rc < 0)
        return rc;
    char avail[512];
    size_t cand = 0, ncand = 0, nref = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const struct hull_descriptor *d = &ix->manifests[i];
        if (ignored(d))
            continue;
        if (ref && (!d->ref_name || strcmp(d->ref_name, ref)))
            continue;
        nref++;
        if (!d->os) { /* no platform: a match only by ref or when it is alone */
            cand = i;
            ncand++;
            continue;
        }
        if (platform_match(d, &want)) {
            cand = i;
            ncand++;
        }
    }
    if (ncand == 0 && nref == 1 && !platform) {
        /* One image and no platform asked: take it whatever it was built for. */
        for (size_t i = 0; i < ix->n; i++) {
            const struct hull_descriptor *d = &ix->manifests[i];
            if (!ignored(d) && (!ref || (d->ref_name && !strcmp(d->ref_name, ref)))) {
                *which = i;
                return 0;
            }
        }
    }
    list_entries(ix, avail, sizeof(avail));
    if (ncand == 0) {
        if (ref && nref == 0)
            return hull_err_set(err, HULL_E_NOTFOUND, "no image named \"%.100s\" in the index "
                                "(available: %s)", ref, avail[0] ? avail : "none");
        return hull_err_set(err, HULL_E_NOTFOUND, "no image for platform %s in the index "
                            "(available: %s)", pstr, avail[0] ? avail : "none");
    }
    if (ncand > 1)
        return hull_err_set(err, HULL_E_USAGE, "the index holds %zu matching images; choose one "
                            "by reference or --platform (available: %s)", ncand, avail);
    *which = cand;
    return 0;
}

void hull_config_release(struct hull_config *c)
{
    if (!c)
        return;
    free(c->env);
    free(c->entrypoint);
    free(c->cmd);
    free(c->exposed_ports);
    free(c->label_keys);
    free(c->label_values);
    free(c->diff_ids);
    free(c->history);
    json_decref(c->json);
    memset(c, 0, sizeof(*c));
}

/* NULL-terminated array of the strings of a JSON string array (non-strings rejected). */
static int str_array(json_t *a, const char *what, const char ***out, struct hull_err **err)
{
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    if (a && !json_is_null(a) && !json_is_array(a))
        return hull_err_set(err, HULL_E_PARSE, "config: %s is not an array", what);
    const char **v = calloc(n + 1, sizeof(*v));
    if (!v)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s)) {
            free(v);
            return hull_err_set(err, HULL_E_PARSE, "config: %s[%zu] is not a string", what, i);
        }
        v[i] = json_string_value(s);
    }
    *out = v;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *opt_str(json_t *o, const char *key, const char *what, int *rc,
                           struct hull_err **err)
{
    json_t *v = json_object_get(o, key);
    if (v && !json_is_null(v) && !json_is_string(v))
        *rc = hull_err_set(err, HULL_E_PARSE, "config: %s is not a string", what);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int hull_config_parse(const void *p, size_t len, size_t max, struct hull_config *out,
                      struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    int load_err = 0;
    json_t *j = load(p, len, max, "config", err);
    if (!j)
        return load_err;
    out->json = j;
    int rc = 0;
    out->os = opt_str(j, "os", "os", &rc, err);
    out->architecture = opt_str(j, "architecture", "architecture", &rc, err);
    out->variant = opt_str(j, "variant", "variant", &rc, err);
    out->created = opt_str(j, "created", "created", &rc, err);
    json_t *cfg = json_object_get(j, "config");
    if (cfg && !json_is_null(cfg) && !json_is_object(cfg))
        rc = hull_err_set(err, HULL_E_PARSE, "config: config is not an object");
    if (rc < 0)
        goto fail;
    if (!json_is_object(cfg))
        cfg = NULL;
    out->user = opt_str(cfg, "User", "User", &rc, err);
    out->workdir = opt_str(cfg, "WorkingDir", "WorkingDir", &rc, err);
    if (rc < 0)
        goto fail;
    if (!out->user)
        out->user = "";
    if (!out->workdir)
        out->workdir = "";
    json_t *ep = json_object_get(cfg, "Entrypoint"), *cmd = json_object_get(cfg, "Cmd");
    out->has_entrypoint = json_is_array(ep);
    out->has_cmd = json_is_array(cmd);
    if ((rc = str_array(json_object_get(cfg, "Env"), "Env", &out->env, err)) < 0 ||
        (rc = str_array(ep, "Entrypoint", &out->entrypoint, err)) < 0 ||
        (rc = str_array(cmd, "Cmd", &out->cmd, err)) < 0)
        goto fail;

    json_t *ports = json_object_get(cfg, "ExposedPorts"), *labels = json_object_get(cfg, "Labels");
    if ((ports && !json_is_null(ports) && !json_is_object(ports)) ||
        (labels && !json_is_null(labels) && !json_is_object(labels))) {
        rc = hull_err_set(err, HULL_E_PARSE, "config: ExposedPorts/Labels is not an object");
        goto fail;
    }
    size_t np = json_is_object(ports) ? json_object_size(ports) : 0;
    size_t nl = json_is_object(labels) ? json_object_size(labels) : 0;
    out->exposed_ports = calloc(np + 1, sizeof(char *));
    out->label_keys = calloc(nl + 1, sizeof(char *));
    out->label_values = calloc(nl + 1, sizeof(char *));
    if (!out->exposed_ports || !out->label_keys || !out->label_values) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    const char *key;
    json_t *val;
    size_t i = 0;
    if (np) {
        json_object_foreach(ports, key, val) out->exposed_ports[i++] = key;
        qsort(out->exposed_ports, np, sizeof(char *), cmp_str);
    }
    i = 0;
    if (nl) {
        json_object_foreach(labels, key, val) {
            if (!json_is_string(val)) {
                rc = hull_err_set(err, HULL_E_PARSE, "config: label %.100s is not a string", key);
                goto fail;
            }
            out->label_keys[i++] = key;
        }
        qsort(out->label_keys, nl, sizeof(char *), cmp_str);
        for (i = 0; i < nl; i++)
            out->label_values[i] = json_string_value(json_object_get(labels, out->label_keys[i]));
    }

    json_t *rootfs = json_object_get(j, "rootfs");
    json_t *ids = json_object_get(rootfs, "diff_ids");
    if (!json_is_object(rootfs) || !json_is_array(ids)) {
        rc = hull_err_set(err, HULL_E_PARSE, "config: missing rootfs.diff_ids");
        goto fail;
    }
    const char *rtype = hull_json_str(rootfs, "type");
    if (!rtype || strcmp(rtype, "layers")) {
        rc = hull_err_set(err, HULL_E_PARSE, "config: rootfs.type is not \"layers\"");
        goto fail;
    }
    size_t nd = json_array_size(ids);
    out->diff_ids = calloc(nd + 1, sizeof(char *));
    if (!out->diff_ids) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < nd; i++) {
        const char *d = json_string_value(json_array_get(ids, i));
        if (!hull_digest_valid(d)) {
            rc = hull_err_set(err, HULL_E_PARSE, "config: rootfs.diff_ids[%zu] is not a sha256 "
                              "digest", i);
            goto fail;
        }
        out->diff_ids[i] = d;
    }
    out->n_diff_ids = nd;

    json_t *hist = json_object_get(j, "history");
    if (hist && !json_is_null(hist) && !json_is_array(hist)) {
        rc = hull_err_set(err, HULL_E_PARSE, "config: history is not an array");
        goto fail;
    }
    size_t nh = json_is_array(hist) ? json_array_size(hist) : 0;
    out->history = calloc(nh + 1, sizeof(*out->history));
    if (!out->history) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < nh; i++) {
        json_t *h = json_array_get(hist, i);
        if (!json_is_object(h)) {
            rc = hull_err_set(err, HULL_E_PARSE, "config: history[%zu] is not an object", i);
            goto fail;
        }
        out->history[i].created = hull_json_str(h, "created");
        out->history[i].created_by = hull_json_str(h, "created_by");
        out->history[i].empty_layer = json_is_true(json_object_get(h, "empty_layer"));
    }
    out->n_history = nh;
    return 0;
fail:
    hull_config_release(out);
    return rc;
}

void hull_docker_manifest_release(struct hull_docker_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->images && i < m->n; i++) {
        free(m->images[i].repo_tags);
        free(m->images[i].layers);
    }
    free(m->images);
    json_decref(m->json);
    memset(m, 0, sizeof(*m));
}

int hull_docker_manifest_parse(const void *p, size_t len, size_t max, unsigned max_layers,
                               struct hull_docker_manifest *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    struct hull_err *perr = NULL;
    json_t *j = hull_json_parse(p, len, max, "manifest.json", &perr);
    if (!j) {
        int code = perr ? -(int)perr->code : -HULL_E_NOMEM;
        if (err && !*err)
            *err = perr;
        else
            hull_err_free(perr);
        return code;
    }
    out->json = j;
    int rc;
    if (!json_is_array(j) || json_array_size(j) == 0) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest.json: not a non-empty array");
        goto fail;
    }
    size_t n = json_array_size(j);
    out->images = calloc(n, sizeof(*out->images));
    if (!out->images) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(j, i);
        struct hull_docker_image *im = &out->images[i];
        im->config = hull_json_str(e, "Config");
        json_t *layers = json_object_get(e, "Layers");
        if (!json_is_object(e) || !im->config || !json_is_array(layers)) {
            rc = hull_err_set(err, HULL_E_PARSE, "manifest.json: image %zu lacks Config or Layers",
                              i + 1);
            goto fail;
        }
        json_t *tags = json_object_get(e, "RepoTags");
        if (tags && !json_is_null(tags) && !json_is_array(tags)) {
            rc = hull_err_set(err, HULL_E_PARSE, "manifest.json: RepoTags is not an array");
            goto fail;
        }
        if ((rc = str_array(tags, "RepoTags", &im->repo_tags, err)) < 0) {
            hull_err_wrap(err, "manifest.json");
            goto fail;
        }
        size_t nl = json_array_size(layers);
        if (nl > max_layers) {
            rc = hull_err_set(err, HULL_E_LIMIT,
                              "manifest.json: %zu layers exceeds the limit of %u", nl, max_layers);
            goto fail;
        }
        if ((rc = str_array(layers, "Layers", &im->layers, err)) < 0) {
            hull_err_wrap(err, "manifest.json");
            goto fail;
        }
        im->n_layers = nl;
    }
    return 0;
fail:
    hull_docker_manifest_release(out);
    return rc;
}

/* Normalise a docker reference for comparison: drop "docker.io/" and "library/", add
 * ":latest" when there is neither tag nor digest. */
static void norm_ref(const char *in, char *out, size_t cap)
{
    if (!strncmp(in, "docker.io/", 10))
        in += 10;
    else if (!strncmp(in, "index.docker.io/", 16))
        in += 16;
    if (!strncmp(in, "library/", 8))
        in += 8;
    const char *slash = strrchr(in, '/');
    const char *last = slash ? slash + 1 : in;
    bool tagged = strchr(last, ':') || strchr(in, '@');
    snprintf(out, cap, "%s%s", in, tagged ? "" : ":latest");
}

int hull_docker_manifest_select(const struct hull_docker_manifest *m, const char *ref,
                                size_t *which, struct hull_err **err)
{
    char avail[512];
    size_t used = 0;
    avail[0] = 0;
    for (size_t i = 0; i < m->n && used < sizeof(avail); i++) {
        const char *t = m->images[i].repo_tags[0] ? m->images[i].repo_tags[0] : "(untagged)";
        int w = snprintf(avail + used, sizeof(avail) - used, "%s%s", used ? ", " : "", t);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= sizeof(avail))
        memcpy(avail + sizeof(avail) - 4, "...", 4);
    if (!ref) {
        if (m->n == 1) {
            *which = 0;
            return 0;
        }
        return hull_err_set(err, HULL_E_USAGE, "the archive holds %zu images; choose one with "
                            "docker-archive:PATH:REF (available: %s)", m->n, avail);
    }
    if (ref[0] == '@') {
        char *end;
        errno = 0;
        unsigned long k = strtoul(ref + 1, &end, 10);
        if (errno || end == ref + 1 || *end || k >= m->n)
            return hull_err_set(err, HULL_E_NOTFOUND,
                                "no image %.40s in the archive (it holds %zu)", ref, m->n);
        *which = k;
        return 0;
    }
    char want[512], have[512];
    norm_ref(ref, want, sizeof(want));
    for (size_t i = 0; i < m->n; i++)
        for (const char **t = m->images[i].repo_tags; *t; t++) {
            norm_ref(*t, have, sizeof(have));
            if (!strcmp(want, have)) {
                *which = i;
                return 0;
            }
        }
    return hull_err_set(err, HULL_E_NOTFOUND, "no image \"%.100s\" in the archive (available: %s)",
                        ref, avail);
}
