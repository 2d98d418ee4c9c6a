/* OpenVEX documents (https://github.com/openvex/spec, v0.2.0; the v0.0.x string form of
 * "vulnerability" is read too) for `hull image --vex`.
 *
 *   {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "...", "statements": [
 *     {"vulnerability": {"name": "CVE-2023-5363", "aliases": ["GHSA-..."]},
 *      "products": [{"@id": "pkg:oci/app@sha256:...",
 *                    "subcomponents": [{"@id": "pkg:deb/debian/libssl3"}]}],
 *      "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
 *
 * Hostile input is expected: every member is type-checked, a statement the reader does not
 * understand is an error rather than a silent no-op. */
#include "core/common.h"
#include "core/buf.h"
#include <errno.h>
#include <strings.h>
#include "core/jsonx.h"
#include "hull/inventory.h"
#include "hull/match.h"

#define MAX_VEX (64u << 20)
#define MAX_ID 2048

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void hull_vex_free(struct hull_vex *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n_stmts; i++) {
        struct hull_vex_stmt *s = &v->stmts[i];
        strv_free(s->vulns, s->n_vulns);
        strv_free(s->products, s->n_products);
        free(s->status);
        free(s->justification);
    }
    free(v->stmts);
    free(v->name);
    free(v);
}

static int push(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof(**v));
    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

static bool is_image_id(const char *id)
{
    /* the purl scheme is case-insensitive: "PKG:npm/x" names a package, not the image */
    return strncasecmp(id, "pkg:", 4) || !strncasecmp(id, "pkg:oci/", 8) ||
           !strncasecmp(id, "pkg:docker/", 11);
}

/* A product's identifier: "@id", else identifiers.purl. NULL when it has none. */
static const char *product_id(const json_t *p)
{
    if (json_is_string(p))
        return json_string_value(p);
    const char *id = hull_json_str(p, "@id");
    if (id)
        return id;
    return hull_json_str(json_object_get(p, "identifiers"), "purl");
}

static int perr(struct hull_err **err, const char *name, size_t i, const char *what)
{
    return hull_err_set(err, HULL_E_PARSE, "%s: statement %zu: %s", name, i + 1, what);
}

static int read_stmt(struct hull_vex *v, size_t idx, const json_t *js, struct hull_err **err)
{
    struct hull_vex_stmt *s = &v->stmts[v->n_stmts];
    memset(s, 0, sizeof(*s));
    v->n_stmts++;
    if (!json_is_object(js))
        return perr(err, v->name, idx, "not an object");
    const json_t *vu = json_object_get(js, "vulnerability");
    if (json_is_string(vu)) {
        if (push(&s->vulns, &s->n_vulns, json_string_value(vu)) < 0)
            goto nomem;
    } else if (json_is_object(vu)) {
        const char *keys[] = { "name", "@id" };
        for (size_t k = 0; k < 2; k++) {
            const char *x = hull_json_str(vu, keys[k]);
            if (x && *x && push(&s->vulns, &s->n_vulns, x) < 0)
                goto nomem;
        }
        const json_t *al = json_object_get(vu, "aliases");
        size_t i;
        const json_t *a;
        if (al && !json_is_array(al))
            return perr(err, v->name, idx, "vulnerability aliases is not an array");
        json_array_foreach(al, i, a) {
            if (!json_is_string(a))
                return perr(err, v->name, idx, "an alias is not a string");
            if (push(&s->vulns, &s->n_vulns, json_string_value(a)) < 0)
                goto nomem;
        }
    }
    if (!s->n_vulns)
        return perr(err, v->name, idx, "no vulnerability name");
    const json_t *prods = json_object_get(js, "products");
    if (!json_is_array(prods) || !json_array_size(prods))
        return perr(err, v->name, idx, "no products");
    size_t i;
    const json_t *p;
    json_array_foreach(prods, i, p) {
        const char *id = product_id(p);
        if (!id || !*id || strlen(id) > MAX_ID)
            return perr(err, v->name, idx, "a product has no usable @id");
        const json_t *subs = json_is_object(p) ? json_object_get(p, "subcomponents") : NULL;
        if (subs && !json_is_array(subs))
            return perr(err, v->name, idx, "subcomponents is not an array");
        if (subs && json_array_size(subs)) {
            size_t j;
            const json_t *sc;
            json_array_foreach(subs, j, sc) {
                const char *sid = product_id(sc);
                if (!sid || !*sid || strlen(sid) > MAX_ID)
                    return perr(err, v->name, idx, "a subcomponent has no usable @id");
                if (push(&s->products, &s->n_products, sid) < 0)
                    goto nomem;
            }
        } else if (is_image_id(id)) {
            s->all_packages = true;
        } else if (push(&s->products, &s->n_products, id) < 0) {
            goto nomem;
        }
    }
    const char *st = hull_json_str(js, "status");
    if (!st || (strcmp(st, "not_affected") && strcmp(st, "fixed") && strcmp(st, "affected") &&
                strcmp(st, "under_investigation")))
        return perr(err, v->name, idx, "status is not not_affected, affected, fixed or "
                                       "under_investigation");
    if (!(s->status = strdup(st)))
        goto nomem;
    const char *ju = hull_json_str(js, "justification");
    if (!ju)
        ju = hull_json_str(js, "impact_statement");
    if (ju && !(s->justification = strndup(ju, 200)))
        goto nomem;
    return 0;
nomem:
    return hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

struct hull_vex *hull_vex_parse(const char *name, const void *buf, size_t len,
                                struct hull_err **err)
{
    struct hull_vex *v = calloc(1, sizeof(*v));
    json_t *doc = NULL;
    if (!v || !(v->name = strdup(name ? name : "vex"))) {
        free(v);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    if (!(doc = hull_json_parse(buf, len, MAX_VEX, v->name, err)))
        goto fail;
    const char *ctxs = hull_json_str(doc, "@context");
    const json_t *stmts = json_object_get(doc, "statements");
    if (!json_is_object(doc) || !ctxs || !strstr(ctxs, "openvex") || !json_is_array(stmts)) {
        hull_err_set(err, HULL_E_PARSE, "%s: not an OpenVEX document (want @context "
                     "https://openvex.dev/ns/... and a statements array)", v->name);
        goto fail;
    }
    size_t n = json_array_size(stmts);
    if (n && !(v->stmts = calloc(n, sizeof(*v->stmts)))) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    size_t i;
    const json_t *s;
    json_array_foreach(stmts, i, s)
        if (read_stmt(v, i, s, err) < 0)
            goto fail;
    json_decref(doc);
    return v;
fail:
    json_decref(doc);
    hull_vex_free(v);
    return NULL;
}

struct hull_vex *hull_vex_load(const char *path, struct hull_err **err)
{
    char *buf = NULL;
    size_t len = 0;
    if (hull_read_file(path, MAX_VEX, &buf, &len, err) < 0) {
        hull_err_wrap(err, "VEX file");
        return NULL;
    }
    struct hull_vex *out = hull_vex_parse(path, buf, len, err);
    free(buf);
    return out;
}

/* ---- purl comparison ---- */

struct purl {
    char type[32];
    char path[512]; /* namespace/name, percent-decoded */
    char version[256];
    const char *quals; /* "k=v&k=v" as written (borrowed) */
    size_t quals_len;
};

static bool purl_split(const char *s, struct purl *p)
{
    struct hull_purl_parts pp;
    memset(p, 0, sizeof(*p));
    if (!hull_purl_split(s, &pp) || pp.type_len >= sizeof(p->type))
        return false;
    p->quals = pp.quals;
    p->quals_len = pp.quals_len;
    hull_purl_decode(pp.type, pp.type_len, p->type, sizeof(p->type), HULL_PURL_LOWER);
    bool lower = !strcmp(p->type, "npm") || !strcmp(p->type, "pypi");
    hull_purl_decode(pp.path, pp.path_len, p->path, sizeof(p->path), lower ? HULL_PURL_LOWER : 0);
    hull_purl_decode(pp.version, pp.version_len, p->version, sizeof(p->version), 0);
    return p->path[0] != 0;
}

#define QUAL_MAX 512

/* The next qualifier of [*cur, end) as a decoded "k=v" (or "k") string in out[QUAL_MAX]. */
static bool next_qual(const char **cur, const char *end, char *out)
{
    const char *k, *v;
    size_t kl, vl;
    if (!*cur || !hull_purl_next_qual(cur, end, &k, &kl, &v, &vl))
        return false;
    hull_purl_decode(k, v ? (size_t)(v + vl - k) : kl, out, QUAL_MAX, 0);
    return true;
}

/* every k=v of want appears in have (split at '&' before decoding, so "%26" stays a value) */
static bool quals_subset(const struct purl *want, const struct purl *have)
{
    char w[QUAL_MAX], h[QUAL_MAX];
    const char *wc = want->quals, *wend = wc ? wc + want->quals_len : NULL;
    while (next_qual(&wc, wend, w)) {
        bool found = false;
        const char *hc = have->quals, *hend = hc ? hc + have->quals_len : NULL;
        while (!found && next_qual(&hc, hend, h))
            found = !strcmp(w, h);
        if (!found && w[0])
            return false;
    }
    return true;
}

static bool purl_covers(const char *product, const char *pkg_purl)
{
    struct purl a, b;
    if (!pkg_purl || !purl_split(product, &a) || !purl_split(pkg_purl, &b))
        return false;
    if (strcmp(a.type, b.type) || strcmp(a.path, b.path))
        return false;
    if (a.version[0] && strcmp(a.version, b.version))
        return false;
    return quals_subset(&a, &b);
}

const struct hull_vex_stmt *hull_vex_match(const struct hull_vex *v, const struct hull_finding *f)
{
    for (size_t i = 0; v && i < v->n_stmts; i++) {
        const struct hull_vex_stmt *s = &v->stmts[i];
        if (strcmp(s->status, "not_affected") && strcmp(s->status, "fixed"))
            continue;
        bool vhit = false;
        for (size_t k = 0; k < s->n_vulns && !vhit; k++) {
            vhit = !strcasecmp(s->vulns[k], f->id);
            for (size_t j = 0; j < f->n_ids && !vhit; j++)
                vhit = !strcasecmp(s->vulns[k], f->ids[j]);
        }
        if (!vhit)
            continue;
        bool phit = s->all_packages;
        for (size_t k = 0; k < s->n_products && !phit; k++)
            phit = purl_covers(s->products[k], f->pkg->purl);
        if (phit)
            return s;
    }
    return NULL;
}
