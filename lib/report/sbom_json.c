/* hull's own SBOM JSON (docs/json/sbom.md, schema_version 1): the image, the operating
 * system, every package with its attribution (file and layer), and the warnings. Fields
 * that are unknown are left out rather than written as null. */
#include "core/common.h"
#include "report/sbompriv.h"

#define SET(o, k, v)                                                                           \
    do {                                                                                       \
        if (json_object_set_new((o), (k), (v)) < 0)                                            \
            goto nomem;                                                                        \
    } while (0)
#define SETS(o, k, s)                                                                          \
    do {                                                                                       \
        if (hull_sbom_set_str((o), (k), (s)) < 0)                                              \
            goto nomem;                                                                        \
    } while (0)

static json_t *strv(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *pkg_json(const struct hull_pkg *p)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    SETS(o, "type", hull_pkg_type_name(p->type));
    SETS(o, "name", p->name);
    SETS(o, "version", p->version);
    SETS(o, "epoch", p->epoch);
    SETS(o, "release", p->release);
    SETS(o, "arch", p->arch);
    SETS(o, "source_name", p->source_name);
    SETS(o, "source_version", p->source_version);
    SETS(o, "origin", p->origin);
    SETS(o, "license", p->license);
    SETS(o, "purl", p->purl);
    SETS(o, "found_in", p->found_in);
    if (p->n_locations) {
        json_t *l = strv(p->locations, p->n_locations);
        if (!l)
            goto nomem;
        SET(o, "locations", l);
    }
    SET(o, "layer", json_integer(p->layer));
    SETS(o, "diff_id", p->diff_id);
    SET(o, "dev", json_boolean(p->dev));
    if (p->files)
        SET(o, "file_count", json_integer((json_int_t)p->n_files));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

json_t *hull_sbom_hull_json(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                            struct hull_err **err)
{
    json_t *doc = json_object(), *img = NULL, *os = NULL, *pk = NULL, *w = NULL;
    if (!doc)
        goto nomem;
    SET(doc, "schema_version", json_integer(1));
    json_t *tool = json_pack("{s:s,s:s}", "name", "hull", "version", HULL_VERSION);
    if (!tool)
        goto nomem;
    SET(doc, "tool", tool);
    if (meta) {
        if (!(img = json_object()))
            goto nomem;
        SET(doc, "image", img);
        SETS(img, "name", meta->name);
        SETS(img, "transport", meta->transport);
        SETS(img, "manifest_digest", meta->manifest_digest);
        SETS(img, "config_digest", meta->config_digest);
        SETS(img, "os", meta->os);
        SETS(img, "architecture", meta->architecture);
        SETS(img, "variant", meta->variant);
        SETS(img, "created", meta->created);
    }
    const struct hull_os *o = hull_inventory_os(inv);
    if (!(os = json_object()))
        goto nomem;
    SET(doc, "os", os);
    SETS(os, "family", o->family ? o->family : "unknown");
    SETS(os, "id", o->id);
    SETS(os, "version_id", o->version_id);
    SETS(os, "version", o->version);
    SETS(os, "codename", o->codename);
    SETS(os, "pretty_name", o->pretty_name);
    SETS(os, "source", o->source);
    SET(os, "distroless", json_boolean(o->distroless));
    if (!(pk = json_array()))
        goto nomem;
    SET(doc, "packages", pk);
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        json_t *p = pkg_json(hull_inventory_pkg(inv, i));
        if (!p || json_array_append_new(pk, p) < 0)
            goto nomem;
    }
    if (!(w = json_array()))
        goto nomem;
    SET(doc, "warnings", w);
    for (size_t i = 0; i < hull_inventory_warning_count(inv); i++)
        if (json_array_append_new(w, json_string(hull_inventory_warning(inv, i))) < 0)
            goto nomem;
    return doc;
nomem:
    json_decref(doc);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
