/* CycloneDX 1.5 JSON (cyclonedx.org/docs/1.5/json): metadata (timestamp, tool, the image
 * as a "container" component), the operating system as an "operating-system" component and
 * every package as a "library" with its purl, license and hull properties (package type,
 * found_in, layer diff_id). serialNumber is a UUID derived from the image ID and purls, so
 * the same image always gives the same document. */
#include "core/common.h"
#include "core/jsonout.h"
#include "report/sbompriv.h"

static int prop(json_t *props, const char *name, const char *value)
{
    if (!value || !*value)
        return 0;
    return json_array_append_new(
        props, json_pack("{s:s,s:o}", "name", name, "value", hull_json_text(value)));
}

static json_t *component(const struct hull_pkg *p, const char *ref)
{
    json_t *c = json_object(), *props = NULL;
    if (!c)
        return NULL;
    HULL_JSETS(c, "type", "library");
    HULL_JSETS(c, "bom-ref", ref);
    const char *slash = p->type == HULL_PKG_NPM && p->name[0] == '@' ? strchr(p->name, '/') : NULL;
    if (slash) {
        json_t *g = json_stringn(p->name, (size_t)(slash - p->name));
        HULL_JSET(c, "group", g);
        HULL_JSETS(c, "name", slash + 1);
    } else {
        HULL_JSETS(c, "name", p->name);
    }
    HULL_JSETS(c, "version", p->version);
    if (p->license) {
        json_t *l = json_pack("[{s:{s:o}}]", "license", "name", hull_json_text(p->license));
        HULL_JSET(c, "licenses", l);
    }
    HULL_JSETS(c, "purl", p->purl);
    if (!(props = json_array()))
        goto nomem;
    HULL_JSET(c, "properties", props);
    char layer[32];
    snprintf(layer, sizeof(layer), "%u", p->layer);
    if (prop(props, "hull:package:type", hull_pkg_type_name(p->type)) < 0 ||
        prop(props, "hull:package:source_name", p->source_name) < 0 ||
        prop(props, "hull:package:source_version", p->source_version) < 0 ||
        prop(props, "hull:package:arch", p->arch) < 0 ||
        prop(props, "hull:package:dev", p->dev ? "true" : NULL) < 0 ||
        prop(props, "hull:found_in", p->found_in) < 0 ||
        prop(props, "hull:layer:index", layer) < 0 ||
        prop(props, "hull:layer:diff_id", p->diff_id) < 0)
        goto nomem;
    for (size_t i = 1; i < p->n_locations; i++)
        if (prop(props, "hull:location", p->locations[i]) < 0)
            goto nomem;
    return c;
nomem:
    json_decref(c);
    return NULL;
}

json_t *hull_sbom_cyclonedx(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                            struct hull_err **err)
{
    char ts[32], fp[65], uuid[64];
    hull_sbom_timestamp(meta, ts);
    hull_sbom_fingerprint(inv, meta, fp);
    /* RFC 4122 layout; version nibble 5 (name-based), variant bits 10 */
    snprintf(uuid, sizeof(uuid), "urn:uuid:%.8s-%.4s-5%.3s-%c%.3s-%.12s", fp, fp + 8, fp + 13,
             "89ab"[fp[16] % 4], fp + 17, fp + 20);
    json_t *doc = json_object(), *md, *comps, *used = json_object();
    if (!doc || !used)
        goto nomem;
    HULL_JSETS(doc, "bomFormat", "CycloneDX");
    HULL_JSETS(doc, "specVersion", "1.5");
    HULL_JSETS(doc, "serialNumber", uuid);
    HULL_JSET(doc, "version", json_integer(1));
    if (!(md = json_object()))
        goto nomem;
    HULL_JSET(doc, "metadata", md);
    HULL_JSETS(md, "timestamp", ts);
    json_t *tools = json_pack("{s:[{s:s,s:s,s:s}]}", "components", "type", "application", "name",
                              "hull", "version", HULL_VERSION);
    HULL_JSET(md, "tools", tools);
    json_t *subject = json_object();
    HULL_JSET(md, "component", subject);
    HULL_JSETS(subject, "type", "container");
    HULL_JSETS(subject, "bom-ref", "image");
    HULL_JSETS(subject, "name", hull_sbom_subject(meta));
    if (meta && meta->config_digest)
        HULL_JSETS(subject, "version", meta->config_digest);
    if (!(comps = json_array()))
        goto nomem;
    HULL_JSET(doc, "components", comps);
    const struct hull_os *os = hull_inventory_os(inv);
    if (os->id) {
        json_t *c = json_pack("{s:s,s:s,s:s}", "type", "operating-system", "bom-ref", "os",
                              "name", os->id);
        if (!c || (os->version && json_object_set_new(c, "version", hull_json_text(os->version))) ||
            json_array_append_new(comps, c) < 0)
            goto nomem;
    }
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        /* bom-refs must be unique: the purl, suffixed when two packages share one */
        char ref[64];
        const char *r = p->purl ? p->purl : p->name;
        char *owned = NULL;
        if (json_object_get(used, r)) {
            snprintf(ref, sizeof(ref), "#%zu", i);
            if (asprintf(&owned, "%s%s", r, ref) < 0)
                goto nomem;
            r = owned;
        }
        json_t *c = component(p, r);
        int bad = !c || json_object_set_new(used, r, json_true()) < 0 ||
                  json_array_append_new(comps, c) < 0;
        free(owned);
        if (bad)
            goto nomem;
    }
    json_decref(used);
    return doc;
nomem:
    json_decref(doc);
    json_decref(used);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
