/* SBOM input (include/hull/sbomin.h): CycloneDX or SPDX JSON -> inventory.
 *
 * Everything is read from purls (purl-spec: pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS),
 * which every SBOM tool writes, plus the few properties that carry what purls lack. Unknown
 * components are counted, not guessed; a document that is neither format is an error. */
#include "core/common.h"
#include "core/buf.h"
#include <ctype.h>
#include <errno.h>
#include "analyzer/analyzer.h"
#include "core/jsonx.h"
#include "hull/inventory.h"
#include "hull/sbomin.h"

#define MAX_DEPTH 32
#define FIELD 1024

struct rd {
    struct hull_inventory *inv;
    const char *name;
    char os_id[64], os_ver[64];     /* from the operating-system component */
    char d_id[64], d_ver[64];       /* from a purl's distro qualifier */
    size_t skipped;
    size_t added;
};

struct purl {
    char type[16];
    char ns[FIELD], name[FIELD], version[FIELD];
    char arch[128], distro[128], upstream[FIELD], epoch[32];
};

/* Decoded components, control bytes replaced; the qualifiers hull reads. */
static bool purl_parse(const char *s, struct purl *p)
{
    struct hull_purl_parts pp;
    memset(p, 0, sizeof(*p));
    if (!hull_purl_split(s, &pp) || pp.type_len >= sizeof(p->type))
        return false;
    const char *k, *v, *cur = pp.quals, *end = cur ? cur + pp.quals_len : NULL;
    size_t kl, vl;
    while (pp.quals && hull_purl_next_qual(&cur, end, &k, &kl, &v, &vl)) {
        char *dst = NULL;
        size_t cap = 0;
        if (!v)
            continue;
        if (kl == 4 && !strncmp(k, "arch", 4))
            dst = p->arch, cap = sizeof(p->arch);
        else if (kl == 6 && !strncmp(k, "distro", 6))
            dst = p->distro, cap = sizeof(p->distro);
        else if (kl == 8 && !strncmp(k, "upstream", 8))
            dst = p->upstream, cap = sizeof(p->upstream);
        else if (kl == 5 && !strncmp(k, "epoch", 5))
            dst = p->epoch, cap = sizeof(p->epoch);
        if (dst)
            hull_purl_decode(v, vl, dst, cap, HULL_PURL_CTRL);
    }
    for (size_t i = 0; i < pp.type_len; i++)
        p->type[i] = (char)tolower((unsigned char)pp.type[i]);
    hull_purl_decode(pp.version, pp.version_len, p->version, sizeof(p->version), HULL_PURL_CTRL);
    hull_purl_decode(pp.ns, pp.ns_len, p->ns, sizeof(p->ns), HULL_PURL_CTRL);
    hull_purl_decode(pp.name, pp.name_len, p->name, sizeof(p->name), HULL_PURL_CTRL);
    return p->name[0] != 0;
}

/* bounded copy, control bytes replaced */
static void copy(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++)
        dst[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    dst[i] = 0;
}

/* properties: CycloneDX [{name, value}] */
static const char *prop(const json_t *c, const char *key)
{
    const json_t *props = json_object_get(c, "properties"), *p;
    size_t i;
    if (!json_is_array(props))
        return NULL;
    json_array_foreach(props, i, p) {
        const char *n = hull_json_str(p, "name");
        if (n && !strcmp(n, key))
            return hull_json_str(p, "value");
    }
    return NULL;
}

struct extra {
    const char *src_name, *src_version, *found_in, *diff_id;
};

static int add_purl(struct rd *r, const char *purl, const struct extra *x,
                    struct hull_err **err)
{
    struct purl p;
    if (!purl_parse(purl, &p)) {
        r->skipped++;
        return 0;
    }
    struct hull_pkg t = { 0 };
    char epoch[32] = "", version[FIELD + 40], src[FIELD] = "", srcver[FIELD] = "";
    char name[2 * FIELD + 2];
    copy(version, sizeof(version), p.version);
    if (!strcmp(p.type, "deb")) {
        t.type = HULL_PKG_DPKG;
        const char *c = strchr(p.version, ':');
        if (c)
            snprintf(epoch, sizeof(epoch), "%.*s", (int)(c - p.version), p.version);
        else if (p.epoch[0]) {
            snprintf(epoch, sizeof(epoch), "%s", p.epoch);
            snprintf(version, sizeof(version), "%s:%s", p.epoch, p.version);
        }
    } else if (!strcmp(p.type, "apk")) {
        t.type = HULL_PKG_APK;
    } else if (!strcmp(p.type, "rpm")) {
        t.type = HULL_PKG_RPM;
        if (p.epoch[0]) {
            snprintf(epoch, sizeof(epoch), "%s", p.epoch);
            snprintf(version, sizeof(version), "%s:%s", p.epoch, p.version);
        }
    } else if (!strcmp(p.type, "npm")) {
        t.type = HULL_PKG_NPM;
    } else if (!strcmp(p.type, "pypi")) {
        t.type = HULL_PKG_PYPI;
    } else {
        r->skipped++;
        return 0;
    }
    if (t.type == HULL_PKG_NPM && p.ns[0])
        snprintf(name, sizeof(name), "%s/%s", p.ns, p.name);
    else
        snprintf(name, sizeof(name), "%s", p.name);
    if (p.upstream[0]) {
        char *at = strchr(p.upstream, '@');
        if (at) {
            *at = 0;
            copy(srcver, sizeof(srcver), at + 1);
        }
        copy(src, sizeof(src), p.upstream);
    }
    if (x->src_name && *x->src_name)
        copy(src, sizeof(src), x->src_name);
    if (x->src_version && *x->src_version)
        copy(srcver, sizeof(srcver), x->src_version);
    t.name = name;
    t.version = version;
    t.epoch = epoch[0] ? epoch : NULL;
    t.arch = p.arch[0] ? p.arch : NULL;
    if (t.type == HULL_PKG_APK) {
        t.origin = src[0] ? src : NULL;
    } else if (src[0]) {
        t.source_name = src;
        t.source_version = srcver[0] ? srcver : version;
    }
    t.found_in = (char *)(x->found_in && *x->found_in ? x->found_in : "sbom");
    t.diff_id = (char *)(x->diff_id ? x->diff_id : "");
    if ((t.type == HULL_PKG_DPKG || t.type == HULL_PKG_APK) && p.distro[0] && !r->d_id[0]) {
        /* "debian-12.15", "alpine-3.18.8", or a bare "3.18.8" for apk */
        const char *dash = strrchr(p.distro, '-');
        if (dash && isdigit((unsigned char)dash[1])) {
            snprintf(r->d_id, sizeof(r->d_id), "%.*s", (int)(dash - p.distro), p.distro);
            copy(r->d_ver, sizeof(r->d_ver), dash + 1);
        } else if (isdigit((unsigned char)p.distro[0])) {
            copy(r->d_id, sizeof(r->d_id), t.type == HULL_PKG_APK ? "alpine" : p.ns);
            copy(r->d_ver, sizeof(r->d_ver), p.distro);
        }
    }
    if (!hull_inventory_add(r->inv, &t, NULL, err))
        return -1;
    r->added++;
    return 0;
}

static int cdx_component(struct rd *r, const json_t *c, int depth, struct hull_err **err)
{
    if (depth > MAX_DEPTH)
        return hull_err_set(err, HULL_E_LIMIT, "%s: components nested deeper than %d", r->name,
                            MAX_DEPTH);
    if (!json_is_object(c))
        return hull_err_set(err, HULL_E_PARSE, "%s: a component is not an object", r->name);
    const char *type = hull_json_str(c, "type");
    const char *purl = hull_json_str(c, "purl");
    if (type && !strcmp(type, "container")) {
        /* the image itself (pkg:oci purl): its packages are the other components */
    } else if (type && !strcmp(type, "operating-system")) {
        const char *n = hull_json_str(c, "name"), *v = hull_json_str(c, "version");
        if (n && !r->os_id[0]) {
            copy(r->os_id, sizeof(r->os_id), n);
            copy(r->os_ver, sizeof(r->os_ver), v);
        }
    } else if (purl) {
        char buf[FIELD * 2 + 40];
        struct extra x = { 0 };
        x.src_name = prop(c, "hull:package:source_name");
        x.src_version = prop(c, "hull:package:source_version");
        if (!x.src_name)
            x.src_name = prop(c, "aquasecurity:trivy:SrcName");
        if (!x.src_version) {
            const char *sv = prop(c, "aquasecurity:trivy:SrcVersion");
            const char *sr = prop(c, "aquasecurity:trivy:SrcRelease");
            const char *se = prop(c, "aquasecurity:trivy:SrcEpoch");
            if (sv) {
                snprintf(buf, sizeof(buf), "%s%s%s%s%s", se && strcmp(se, "0") ? se : "",
                         se && strcmp(se, "0") ? ":" : "", sv, sr ? "-" : "", sr ? sr : "");
                x.src_version = buf;
            }
        }
        x.found_in = prop(c, "hull:found_in");
        if (!x.found_in)
            x.found_in = prop(c, "aquasecurity:trivy:FilePath");
        x.diff_id = prop(c, "hull:layer:diff_id");
        if (!x.diff_id)
            x.diff_id = prop(c, "aquasecurity:trivy:LayerDiffID");
        if (add_purl(r, purl, &x, err) < 0)
            return -1;
    } else {
        r->skipped++;
    }
    const json_t *sub = json_object_get(c, "components"), *s;
    size_t i;
    if (sub && !json_is_array(sub))
        return hull_err_set(err, HULL_E_PARSE, "%s: components is not an array", r->name);
    json_array_foreach(sub, i, s)
        if (cdx_component(r, s, depth + 1, err) < 0)
            return -1;
    return 0;
}

static int read_cdx(struct rd *r, const json_t *doc, struct hull_err **err)
{
    const json_t *md = json_object_get(doc, "metadata");
    const json_t *mc = json_is_object(md) ? json_object_get(md, "component") : NULL;
    if (mc && cdx_component(r, mc, 0, err) < 0)
        return -1;
    const json_t *comps = json_object_get(doc, "components"), *c;
    size_t i;
    if (comps && !json_is_array(comps))
        return hull_err_set(err, HULL_E_PARSE, "%s: components is not an array", r->name);
    json_array_foreach(comps, i, c)
        if (cdx_component(r, c, 1, err) < 0)
            return -1;
    return 0;
}

static int read_spdx(struct rd *r, const json_t *doc, struct hull_err **err)
{
    const json_t *pk = json_object_get(doc, "packages"), *p;
    size_t i;
    if (pk && !json_is_array(pk))
        return hull_err_set(err, HULL_E_PARSE, "%s: packages is not an array", r->name);
    json_array_foreach(pk, i, p) {
        if (!json_is_object(p))
            return hull_err_set(err, HULL_E_PARSE, "%s: a package is not an object", r->name);
        const char *purpose = hull_json_str(p, "primaryPackagePurpose");
        if (purpose && !strcmp(purpose, "OPERATING-SYSTEM")) {
            const char *n = hull_json_str(p, "name"), *v = hull_json_str(p, "versionInfo");
            if (n && !r->os_id[0]) {
                copy(r->os_id, sizeof(r->os_id), n);
                copy(r->os_ver, sizeof(r->os_ver), v);
            }
            continue;
        }
        const json_t *refs = json_object_get(p, "externalRefs"), *e;
        const char *purl = NULL;
        size_t j;
        if (refs && !json_is_array(refs))
            return hull_err_set(err, HULL_E_PARSE, "%s: externalRefs is not an array",
                                r->name);
        json_array_foreach(refs, j, e) {
            const char *rt = hull_json_str(e, "referenceType");
            if (rt && !strcmp(rt, "purl") && (purl = hull_json_str(e, "referenceLocator")))
                break;
        }
        if (!purl) {
            if (!purpose || strcmp(purpose, "CONTAINER"))
                r->skipped++;
            continue;
        }
        /* hull's sourceInfo: "<type> package found in <path> (layer N, sha256:...)" */
        char found[FIELD] = "", diff[128] = "";
        const char *si = hull_json_str(p, "sourceInfo");
        const char *fi = si ? strstr(si, " package found in ") : NULL;
        if (fi) {
            fi += strlen(" package found in ");
            const char *lp = strstr(fi, " (layer ");
            size_t n = lp ? (size_t)(lp - fi) : strlen(fi);
            snprintf(found, sizeof(found), "%.*s", (int)(n < FIELD - 1 ? n : FIELD - 1), fi);
            const char *sd = lp ? strstr(lp, "sha256:") : NULL;
            if (sd)
                snprintf(diff, sizeof(diff), "%.71s", sd);
        } else if (si && (fi = strstr(si, ": /")) != NULL) {
            /* Syft: "acquired package info from <what>: /path[, /other]" */
            fi += 2;
            size_t n = strcspn(fi, ", \t");
            snprintf(found, sizeof(found), "%.*s", (int)(n < FIELD - 1 ? n : FIELD - 1), fi);
        }
        struct extra x = { .found_in = found[0] ? found : NULL, .diff_id = diff };
        if (add_purl(r, purl, &x, err) < 0)
            return -1;
    }
    return 0;
}

/* os-release text for the OS found, run through the os-release analyzer */
static int set_os(struct rd *r, struct hull_err **err)
{
    const char *id = r->os_id[0] ? r->os_id : r->d_id;
    const char *ver = r->os_id[0] ? r->os_ver : r->d_ver;
    if (!id[0])
        return 0;
    char lid[64];
    size_t n = 0;
    for (; id[n] && n < sizeof(lid) - 1; n++)
        lid[n] = isalnum((unsigned char)id[n]) || id[n] == '-' || id[n] == '.'
                     ? (char)tolower((unsigned char)id[n]) : '_';
    lid[n] = 0;
    char text[256];
    char safe[64];
    size_t k = 0;
    for (; ver[k] && k < sizeof(safe) - 1; k++)
        safe[k] = isalnum((unsigned char)ver[k]) || ver[k] == '.' || ver[k] == '-' ? ver[k] : '_';
    safe[k] = 0;
    int len = snprintf(text, sizeof(text), "ID=%s\nVERSION_ID=\"%s\"\n", lid, safe);
    return hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", text, (size_t)len,
                              r->inv, err);
}

struct hull_inventory *hull_sbomin_parse(const struct hull_ctx *ctx, const char *name,
                                         const void *buf, size_t len, struct hull_err **err)
{
    struct rd r = { .name = name ? name : "sbom" };
    size_t max = ctx ? ctx->limits.max_json_bytes : (256u << 20);
    json_t *doc = hull_json_parse(buf, len, max, r.name, err);
    if (!doc)
        return NULL;
    if (!(r.inv = hull_inventory_new(ctx))) {
        json_decref(doc);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *bf = hull_json_str(doc, "bomFormat");
    const char *sv = hull_json_str(doc, "spdxVersion");
    int rc;
    if (json_is_object(doc) && bf && !strcmp(bf, "CycloneDX"))
        rc = read_cdx(&r, doc, err);
    else if (json_is_object(doc) && sv && !strncmp(sv, "SPDX-", 5))
        rc = read_spdx(&r, doc, err);
    else
        rc = hull_err_set(err, HULL_E_PARSE, "%s: neither a CycloneDX JSON BOM (bomFormat) nor "
                          "an SPDX JSON document (spdxVersion)", r.name);
    json_decref(doc);
    if (rc < 0 || set_os(&r, err) < 0 || hull_inventory_finish(r.inv, err) < 0) {
        hull_inventory_free(r.inv);
        return NULL;
    }
    if (r.skipped)
        hull_inventory_warn(r.inv, "%s: %zu component%s without a deb, apk, rpm, npm or pypi "
                            "purl not matched", r.name, r.skipped, r.skipped == 1 ? "" : "s");
    return r.inv;
}

struct hull_inventory *hull_sbomin_load(const struct hull_ctx *ctx, const char *path,
                                        struct hull_err **err)
{
    size_t max = ctx ? ctx->limits.max_json_bytes : (256u << 20);
    char *buf = NULL;
    size_t len = 0;
    if (hull_read_file(path, max, &buf, &len, err) < 0) {
        hull_err_wrap(err, "SBOM");
        return NULL;
    }
    struct hull_inventory *out = hull_sbomin_parse(ctx, path, buf, len, err);
    free(buf);
    return out;
}
