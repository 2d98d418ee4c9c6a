/* Pinning a file: resolve each candidate through the registry, decide (pin, keep, refresh,
 * report), splice the tokens and replace the file atomically. An existing platform pin (a
 * digest that names an image manifest, not an index) is refreshed to the same platform's
 * child of the tag's new index, as Renovate does (shared/docs/dockerfile.md 4.2). */
#include "core/common.h"
#include "core/buf.h"
#include "core/jsonx.h"
#include "hull/pin.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIN_FILE_MAX (16u << 20)
#define CONFIG_MAX (8u << 20)

const char *hull_pin_status_name(enum hull_pin_status s)
{
    switch (s) {
    case HULL_PIN_PINNED: return "pinned";
    case HULL_PIN_UPDATED: return "updated";
    case HULL_PIN_CURRENT: return "current";
    case HULL_PIN_KEPT: return "kept";
    case HULL_PIN_UNPINNED: return "unpinned";
    case HULL_PIN_STALE: return "stale";
    case HULL_PIN_SKIPPED: return "skipped";
    }
    return "?";
}

void hull_pin_report_release(struct hull_pin_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->r[i].image);
        free(r->r[i].new_image);
        free(r->r[i].note);
    }
    free(r->r);
    memset(r, 0, sizeof(*r));
}

/* The platform of an image manifest: from its config blob. */
static int manifest_platform(struct hull_ctx *ctx, struct hull_registry *reg,
                             const struct hull_ref *ref, const struct hull_registry_manifest *m,
                             struct hull_platform *out, struct hull_err **err)
{
    json_t *j = hull_json_parse(m->body, m->len, ctx->limits.max_manifest_bytes, "manifest", err);
    if (!j)
        return -1;
    const char *cd = hull_json_str(json_object_get(j, "config"), "digest");
    int rc;
    char *cfg = NULL;
    size_t clen = 0;
    if (!cd) {
        rc = hull_err_set(err, HULL_E_PARSE, "manifest %s has no config digest", m->digest);
    } else {
        rc = hull_registry_get_blob(reg, ref, cd, CONFIG_MAX, &cfg, &clen, err);
    }
    json_decref(j);
    if (rc < 0)
        return rc;
    json_t *c = hull_json_parse(cfg, clen, CONFIG_MAX, "image config", err);
    free(cfg);
    if (!c)
        return -1;
    const char *os = hull_json_str(c, "os");
    const char *arch = hull_json_str(c, "architecture");
    const char *var = hull_json_str(c, "variant");
    char spec[100];
    snprintf(spec, sizeof(spec), "%.31s/%.31s%s%.15s", os ? os : "linux", arch ? arch : "amd64",
             var ? "/" : "", var ? var : "");
    json_decref(c);
    return hull_platform_parse(spec, out, err);
}

/* Decide one candidate. ref is parsed from it->image. */
static int decide(struct hull_ctx *ctx, struct hull_registry *reg, const struct hull_pin_opts *o,
                  const struct hull_pin_item *it, struct hull_ref *ref,
                  struct hull_pin_result *res, char **new_text, struct hull_err **err)
{
    char d[HULL_REF_DIGEST_BUF];
    *new_text = NULL;
    if (!ref->digest) {
        if (hull_registry_digest(reg, ref, o->platform, d, err) < 0)
            return -1;
        *new_text = hull_pin_token(it->image, d);
        if (!*new_text)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        res->status = o->check ? HULL_PIN_UNPINNED : HULL_PIN_PINNED;
        return 0;
    }
    if (!ref->tag) {
        /* pinned, but no tag to re-resolve: --check and --update leave it */
        res->status = HULL_PIN_KEPT;
        res->note = strdup("pinned by digest without a tag: nothing to follow");
        return res->note ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    if (!o->check && !o->update) {
        res->status = HULL_PIN_KEPT;
        return 0;
    }
    char *pinned = ref->digest;
    ref->digest = NULL; /* resolve the tag: HEAD first (GETs count against rate limits) */
    int rc = hull_registry_digest(reg, ref, NULL, d, err);
    if (rc == 0 && !strcmp(d, pinned)) {
        ref->digest = pinned;
        res->status = HULL_PIN_CURRENT;
        return 0;
    }
    struct hull_registry_manifest top;
    if (rc == 0)
        rc = hull_registry_get_manifest(reg, ref, ref->tag, &top, err);
    ref->digest = pinned;
    if (rc < 0)
        return rc;
    if (!strcmp(top.digest, pinned) ||
        (top.is_index && hull_registry_index_has(top.body, top.len, pinned))) {
        res->status = HULL_PIN_CURRENT; /* the index, or one of its platform manifests */
        hull_registry_manifest_release(&top);
        return 0;
    }
    /* the tag moved: which kind was pinned? A platform pin follows its own platform; an index
     * pin stays an index pin, and with --platform it only counts as stale when that
     * platform's manifest changed (CI does not flap when another architecture is rebuilt) */
    struct hull_platform plat;
    const struct hull_platform *want = NULL;
    bool same_for_platform = false;
    struct hull_registry_manifest old;
    struct hull_err *oe = NULL;
    if (hull_registry_get_manifest(reg, ref, pinned, &old, &oe) == 0) {
        if (!old.is_index) {
            rc = manifest_platform(ctx, reg, ref, &old, &plat, err);
            if (rc == 0)
                want = &plat;
        } else if (o->platform && top.is_index) {
            char c_old[HULL_REF_DIGEST_BUF], c_new[HULL_REF_DIGEST_BUF];
            struct hull_err *se = NULL;
            if (hull_registry_index_select(ctx, old.body, old.len, o->platform, c_old, &se) == 0 &&
                hull_registry_index_select(ctx, top.body, top.len, o->platform, c_new, &se) == 0)
                same_for_platform = !strcmp(c_old, c_new);
            hull_err_free(se);
        }
        hull_registry_manifest_release(&old);
    } else {
        hull_log(ctx, HULL_LOG_DEBUG, "old pin %s: %s; pinning the index", pinned, oe->msg);
        hull_err_free(oe);
    }
    if (rc == 0) {
        if (want && top.is_index)
            rc = hull_registry_index_select(ctx, top.body, top.len, want, d, err);
        else
            snprintf(d, sizeof(d), "%s", top.digest);
    }
    hull_registry_manifest_release(&top);
    if (rc < 0)
        return rc;
    if (!strcmp(d, pinned)) {
        res->status = HULL_PIN_CURRENT;
        return 0;
    }
    if (same_for_platform) {
        res->status = HULL_PIN_CURRENT;
        if (asprintf(&res->note, "the index moved; %s/%s%s%s is unchanged", o->platform->os,
                     o->platform->arch, o->platform->variant[0] ? "/" : "",
                     o->platform->variant) < 0)
            res->note = NULL;
        return 0;
    }
    *new_text = hull_pin_token(it->image, d);
    if (!*new_text)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    res->status = o->check ? HULL_PIN_STALE : HULL_PIN_UPDATED;
    return 0;
}

static int write_atomic(const char *path, const char *data, size_t len, struct hull_err **err)
{
    char *real = realpath(path, NULL);
    if (!real)
        return hull_err_sys(err, HULL_E_IO, errno, "%s", path);
    struct stat st;
    char *tmp = NULL;
    int rc = 0;
    if (stat(real, &st) < 0) {
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s", path);
        goto out;
    }
    int tl = asprintf(&tmp, "%s.hull-pin.123456", real);
    if (tl < 0) {
        tmp = NULL;
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    memset(tmp + tl - 6, 'X', 6); /* mkstemp's template */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s: cannot create a temporary file", path);
        goto out;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = hull_err_sys(err, HULL_E_IO, errno, "%s: write", path);
            break;
        }
        off += (size_t)w;
    }
    if (rc == 0 && fchmod(fd, st.st_mode & 07777) < 0)
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s: chmod", path);
    if (rc == 0 && fsync(fd) < 0)
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s: fsync", path);
    if (close(fd) < 0 && rc == 0)
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s: close", path);
    if (rc == 0 && rename(tmp, real) < 0)
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s: rename", path);
    if (rc < 0)
        unlink(tmp);
out:
    free(tmp);
    free(real);
    return rc;
}

int hull_pin_file(struct hull_ctx *ctx, struct hull_registry *reg, const char *path,
                  const struct hull_pin_opts *opts, struct hull_pin_report *out,
                  struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    char *data = NULL;
    size_t len = 0;
    if (hull_read_file(path, PIN_FILE_MAX, &data, &len, err) < 0)
        return -1;
    struct hull_pin_scan sc;
    int rc = hull_pin_scan(path, data, len, opts->format, &sc, err);
    if (rc < 0) {
        hull_err_wrap(err, "%s", path);
        free(data);
        return rc;
    }
    struct hull_pin_edit *edits = calloc(sc.n ? sc.n : 1, sizeof(*edits));
    char **texts = calloc(sc.n ? sc.n : 1, sizeof(*texts));
    out->r = calloc(sc.n ? sc.n : 1, sizeof(*out->r));
    size_t ne = 0;
    if (!edits || !texts || !out->r) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < sc.n && rc == 0; i++) {
        const struct hull_pin_item *it = &sc.items[i];
        struct hull_pin_result *res = &out->r[out->n++];
        res->line = it->line;
        res->kind = it->kind;
        res->image = strdup(it->image);
        if (!res->image) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        if (it->state != HULL_PIN_CANDIDATE) {
            res->status = HULL_PIN_SKIPPED;
            if (it->note && !(res->note = strdup(it->note)))
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            if (it->state == HULL_PIN_SKIP_VARIABLE)
                hull_log(ctx, HULL_LOG_WARN, "%s:%zu: %s not pinned: %s", path, it->line,
                         it->image, it->note ? it->note : "uses variables");
            continue;
        }
        struct hull_ref ref;
        if (hull_ref_parse(it->image, strlen(it->image), &ref, err) < 0) {
            rc = hull_err_wrap(err, "%s:%zu", path, it->line);
            break;
        }
        char *text = NULL;
        rc = decide(ctx, reg, opts, it, &ref, res, &text, err);
        hull_ref_release(&ref);
        if (rc < 0) {
            hull_err_wrap(err, "%s:%zu: %s", path, it->line, it->image);
            break;
        }
        if (text) {
            res->new_image = strdup(text);
            edits[ne].off = it->off;
            edits[ne].len = it->len;
            edits[ne].text = text;
            texts[ne++] = text;
            if (!res->new_image)
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
    }
    if (rc == 0 && ne) {
        out->changed = true;
        /* edits were found in scan order; ARG spans come before the FROM lines using them,
         * YAML and FROM spans ascend, so a sort by offset keeps them ordered */
        for (size_t a = 1; a < ne; a++)
            for (size_t b = a; b > 0 && edits[b - 1].off > edits[b].off; b--) {
                struct hull_pin_edit t = edits[b];
                edits[b] = edits[b - 1];
                edits[b - 1] = t;
            }
        if (!opts->check) {
            char *nd = NULL;
            size_t nl = 0;
            rc = hull_pin_apply(data, len, edits, ne, &nd, &nl, err);
            if (rc == 0)
                rc = write_atomic(path, nd, nl, err);
            if (rc == 0)
                out->written = true;
            free(nd);
        }
    }
done:
    for (size_t i = 0; texts && i < ne; i++)
        free(texts[i]);
    free(texts);
    free(edits);
    hull_pin_scan_release(&sc);
    free(data);
    return rc;
}
