/* hull's own SBOM JSON (docs/json/sbom.md, schema_version 1): the image, the operating
 * system, every package with its attribution (file and layer), and the warnings. Fields
 * that are unknown are left out rather than written as null. */
#include "core/common.h"
#include "core/jsonout.h"
#include "report/sbompriv.h"

static json_t *pkg_json(const struct hull_pkg *p)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    HULL_JSETS(o, "type", hull_pkg_type_name(p->type));
    HULL_JSETS(o, "name", p->name);
    HULL_JSETS(o, "version", p->version);
    HULL_JSETS(o, "epoch", p->epoch);
    HULL_JSETS(o, "release", p->release);
    HULL_JSETS(o, "arch", p->arch);
    HULL_JSETS(o, "source_name", p->source_name);
    HULL_JSETS(o, "source_version", p->source_version);
    HULL_JSETS(o, "origin", p->origin);
    HULL_JSETS(o, "license", p->license);
    HULL_JSETS(o, "purl", p->purl);
    HULL_JSETS(o, "found_in", p->found_in);
    if (p->n_locations) {
        json_t *l = hull_json_text_array(p->locations, p->n_locations);
        if (!l)
            goto nomem;
        HULL_JSET(o, "locations", l);
    }
    HULL_JSET(o, "layer", json_integer(p->layer));
    HULL_JSETS(o, "diff_id", p->diff_id);
    HULL_JSET(o, "dev", json_boolean(p->dev));
    if (p->files)
        HULL_JSET(o, "file_count", json_integer((json_int_t)p->n_files));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

json_t *hull_sbom_hull_json(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                            struct hull_err **err)
{
    json_t *doc = hull_json_doc(1), *img = NULL, *os = NULL, *pk = NULL, *w = NULL;
    if (!doc)
        goto nomem;
    if (meta) {
        if (!(img = json_object()))
            goto nomem;
        HULL_JSET(doc, "image", img);
        HULL_JSETS(img, "name", meta->name);
        HULL_JSETS(img, "transport", meta->transport);
        HULL_JSETS(img, "manifest_digest", meta->manifest_digest);
        HULL_JSETS(img, "config_digest", meta->config_digest);
        HULL_JSETS(img, "os", meta->os);
        HULL_JSETS(img, "architecture", meta->architecture);
        HULL_JSETS(img, "variant", meta->variant);
        HULL_JSETS(img, "created", meta->created);
    }
    const struct hull_os *o = hull_inventory_os(inv);
    if (!(os = json_object()))
        goto nomem;
    HULL_JSET(doc, "os", os);
    HULL_JSETS(os, "family", o->family ? o->family : "unknown");
    HULL_JSETS(os, "id", o->id);
    HULL_JSETS(os, "version_id", o->version_id);
    HULL_JSETS(os, "version", o->version);
    HULL_JSETS(os, "codename", o->codename);
    HULL_JSETS(os, "pretty_name", o->pretty_name);
    HULL_JSETS(os, "source", o->source);
    HULL_JSET(os, "distroless", json_boolean(o->distroless));
    if (!(pk = json_array()))
        goto nomem;
    HULL_JSET(doc, "packages", pk);
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        json_t *p = pkg_json(hull_inventory_pkg(inv, i));
        if (!p || json_array_append_new(pk, p) < 0)
            goto nomem;
    }
    if (!(w = json_array()))
        goto nomem;
    HULL_JSET(doc, "warnings", w);
    for (size_t i = 0; i < hull_inventory_warning_count(inv); i++)
        if (json_array_append_new(w, hull_json_text(hull_inventory_warning(inv, i))) < 0)
            goto nomem;
    return doc;
nomem:
    json_decref(doc);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
