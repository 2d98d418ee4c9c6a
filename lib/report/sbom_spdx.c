/* SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3): one document describing the image as a
 * CONTAINER package that CONTAINS every package found. Packages get SPDXRef-Package-N in
 * inventory order, a purl external reference, and the declared license when it reads as an
 * SPDX license expression (NOASSERTION otherwise). documentNamespace is derived from the
 * image ID and purls so that the same image gives the same document. */
#include "core/common.h"
#include "core/jsonout.h"
#include "report/sbompriv.h"
#include <ctype.h>

/* Lexically an SPDX license expression: ids (letters, digits, '.', '-', '+', ':'), AND, OR,
 * WITH and parentheses separated by blanks. */
static bool spdx_expr(const char *s)
{
    if (!s || !*s || strlen(s) > 512)
        return false;
    int depth = 0;
    bool want_id = true;
    const char *p = s;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (*p == '(') {
            if (!want_id)
                return false;
            depth++;
            p++;
            continue;
        }
        if (*p == ')') {
            if (want_id || --depth < 0)
                return false;
            p++;
            continue;
        }
        const char *b = p;
        while (*p && (isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' ||
                      *p == ':'))
            p++;
        if (p == b)
            return false;
        size_t n = (size_t)(p - b);
        bool op = (n == 3 && !strncmp(b, "AND", 3)) || (n == 2 && !strncmp(b, "OR", 2)) ||
                  (n == 4 && !strncmp(b, "WITH", 4));
        if (op == want_id)
            return false;
        want_id = op;
    }
    return !want_id && depth == 0;
}

json_t *hull_sbom_spdx(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                       struct hull_err **err)
{
    char ts[32], fp[65], ns[160], id[48];
    hull_sbom_timestamp(meta, ts);
    hull_sbom_fingerprint(inv, meta, fp);
    snprintf(ns, sizeof(ns), "https://hull.invalid/spdx/image-%s", fp);
    const char *subject = hull_sbom_subject(meta);
    json_t *doc = json_object(), *pk, *rel;
    if (!doc)
        goto nomem;
    HULL_JSETS(doc, "spdxVersion", "SPDX-2.3");
    HULL_JSETS(doc, "dataLicense", "CC0-1.0");
    HULL_JSETS(doc, "SPDXID", "SPDXRef-DOCUMENT");
    HULL_JSETS(doc, "name", subject);
    HULL_JSETS(doc, "documentNamespace", ns);
    json_t *ci = json_pack("{s:s,s:[s]}", "created", ts, "creators", "Tool: hull-" HULL_VERSION);
    HULL_JSET(doc, "creationInfo", ci);
    if (!(pk = json_array()))
        goto nomem;
    HULL_JSET(doc, "packages", pk);
    if (!(rel = json_array()))
        goto nomem;
    json_t *img = json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "name", subject, "SPDXID",
                            "SPDXRef-Image", "downloadLocation", "NOASSERTION", "filesAnalyzed",
                            0, "licenseConcluded", "NOASSERTION", "licenseDeclared",
                            "NOASSERTION", "copyrightText", "NOASSERTION",
                            "primaryPackagePurpose", "CONTAINER");
    if (!img || json_array_append_new(pk, img) < 0) {
        json_decref(rel);
        goto nomem;
    }
    if (meta && meta->config_digest)
        HULL_JSETS(img, "versionInfo", meta->config_digest);
    if (json_array_append_new(rel, json_pack("{s:s,s:s,s:s}", "spdxElementId",
                                             "SPDXRef-DOCUMENT", "relationshipType", "DESCRIBES",
                                             "relatedSpdxElement", "SPDXRef-Image")) < 0) {
        json_decref(rel);
        goto nomem;
    }
    HULL_JSET(doc, "relationships", rel);
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i + 1);
        const char *lic = spdx_expr(p->license) ? p->license : "NOASSERTION";
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "name", p->name, "SPDXID",
                              id, "versionInfo", p->version, "downloadLocation", "NOASSERTION",
                              "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION",
                              "licenseDeclared", lic, "copyrightText", "NOASSERTION",
                              "primaryPackagePurpose", "LIBRARY");
        if (!o || json_array_append_new(pk, o) < 0)
            goto nomem;
        char *info = NULL;
        if (asprintf(&info, "%s package found in %s (layer %u%s%s)", hull_pkg_type_name(p->type),
                     p->found_in ? p->found_in : "?", p->layer,
                     p->diff_id && *p->diff_id ? ", " : "", p->diff_id ? p->diff_id : "") < 0)
            goto nomem;
        int bad = hull_json_set_text(o, "sourceInfo", info);
        free(info);
        if (bad < 0)
            goto nomem;
        if (p->purl) {
            json_t *refs = json_pack("[{s:s,s:s,s:s}]", "referenceCategory", "PACKAGE-MANAGER",
                                     "referenceType", "purl", "referenceLocator", p->purl);
            HULL_JSET(o, "externalRefs", refs);
        }
        if (json_array_append_new(rel, json_pack("{s:s,s:s,s:s}", "spdxElementId",
                                                 "SPDXRef-Image", "relationshipType", "CONTAINS",
                                                 "relatedSpdxElement", id)) < 0)
            goto nomem;
    }
    return doc;
nomem:
    json_decref(doc);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
