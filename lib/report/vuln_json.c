/* hull's vulnerability JSON (docs/json/image.md, schema_version 1): the artifact and its
 * digests, the operating system, the database, a summary, one result per target with its
 * findings and remediation hints, the suppressed findings (ignore file, VEX) and the
 * packages that could not be matched. Unknown fields are left out rather than null. */
#include "core/common.h"
#include "report/vulnpriv.h"

#define SET(o, k, v)                                                                           \
    do {                                                                                       \
        if (json_object_set_new((o), (k), (v)) < 0)                                            \
            goto nomem;                                                                        \
    } while (0)
#define SETS(o, k, s)                                                                          \
    do {                                                                                       \
        if (hull_vuln_set_str((o), (k), (s)) < 0)                                              \
            goto nomem;                                                                        \
    } while (0)

static json_t *counts(size_t c[HULL_SEV__COUNT], size_t total)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    SET(o, "total", json_integer((json_int_t)total));
    for (int s = 0; s < HULL_SEV__COUNT; s++)
        SET(o, hull_severity_name((enum hull_severity)s), json_integer((json_int_t)c[s]));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *remedy_json(const struct hull_remedy *m)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    SETS(o, "package", m->pkg->name);
    SETS(o, "purl", m->pkg->purl);
    SETS(o, "installed_version", m->installed);
    SETS(o, "upgrade_to", m->to);
    SET(o, "fixes", json_integer((json_int_t)m->fixes));
    SET(o, "findings", json_integer((json_int_t)m->total));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

json_t *hull_vuln_json(const struct hull_match_result *r, const struct hull_vuln_report_opts *o)
{
    json_t *doc = json_object(), *art = NULL, *os = NULL, *res = NULL, *sup = NULL;
    json_t *unp = NULL, *db = NULL, *w = NULL;
    char **targets = NULL;
    size_t nt = 0;
    if (!doc)
        return NULL;
    SET(doc, "schema_version", json_integer(1));
    json_t *tool = json_pack("{s:s,s:s}", "name", "hull", "version", HULL_VERSION);
    if (!tool)
        goto nomem;
    SET(doc, "tool", tool);
    if (!(art = json_object()))
        goto nomem;
    SET(doc, "artifact", art);
    SETS(art, "name", o->artifact);
    const struct hull_image_meta *m = o->meta;
    if (m) {
        SETS(art, "type", "container_image");
        SETS(art, "image_name", m->name);
        SETS(art, "transport", m->transport);
        json_t *dg = json_object();
        SET(art, "digests", dg);
        SETS(dg, "manifest", m->manifest_digest);
        SETS(dg, "config", m->config_digest);
        SETS(art, "os", m->os);
        SETS(art, "architecture", m->architecture);
        SETS(art, "variant", m->variant);
        SETS(art, "created", m->created);
    } else {
        SETS(art, "type", "sbom");
    }
    const struct hull_os *hos = o->inv ? hull_inventory_os(o->inv) : NULL;
    if (!(os = json_object()))
        goto nomem;
    SET(doc, "os", os);
    SETS(os, "family", hos && hos->family ? hos->family : "unknown");
    SETS(os, "version", hos ? hos->version : NULL);
    SETS(os, "ecosystem", r->os_ecosystem);
    if (!(db = json_object()))
        goto nomem;
    SET(doc, "database", db);
    SETS(db, "path", o->db_path);
    if (o->db_built_at > 0)
        SET(db, "built_at", json_integer(o->db_built_at));
    size_t tot[HULL_SEV__COUNT] = { 0 }, shown = 0;
    if (!(res = json_array()))
        goto nomem;
    if (hull_vuln_targets(r, o->inv, &targets, &nt) < 0)
        goto nomem;
    for (size_t t = 0; t < nt; t++) {
        json_t *tr = json_object(), *vl = NULL, *rm = NULL;
        if (!tr || json_array_append_new(res, tr) < 0)
            goto nomem;
        SETS(tr, "target", targets[t]);
        if (!(vl = json_array()))
            goto nomem;
        size_t c[HULL_SEV__COUNT] = { 0 }, n = 0;
        const char *type = NULL;
        for (size_t i = 0; i < r->n_findings; i++) {
            const struct hull_finding *f = &r->findings[i];
            if (strcmp(f->target, targets[t]))
                continue;
            type = hull_pkg_type_name(f->pkg->type);
            if (f->suppressed)
                continue;
            json_t *fj = hull_vuln_finding_json(f);
            if (!fj || json_array_append_new(vl, fj) < 0) {
                json_decref(vl);
                goto nomem;
            }
            c[f->severity]++;
            tot[f->severity]++;
            n++;
            shown++;
        }
        SETS(tr, "type", type);
        SET(tr, "summary", counts(c, n));
        SET(tr, "vulnerabilities", vl);
        if (!(rm = json_array()))
            goto nomem;
        SET(tr, "remediation", rm);
        for (size_t i = 0; i < r->n_remedies; i++)
            if (!strcmp(r->remedies[i].target, targets[t])) {
                json_t *mj = remedy_json(&r->remedies[i]);
                if (!mj || json_array_append_new(rm, mj) < 0)
                    goto nomem;
            }
    }
    SET(doc, "summary", counts(tot, shown));
    SET(doc, "results", res);
    if (!(sup = json_array()))
        goto nomem;
    SET(doc, "suppressed", sup);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *f = &r->findings[i];
        if (f->suppressed != HULL_SUPP_IGNOREFILE && f->suppressed != HULL_SUPP_VEX)
            continue;
        json_t *fj = hull_vuln_finding_json(f);
        if (!fj || json_array_append_new(sup, fj) < 0)
            goto nomem;
        SETS(fj, "target", f->target);
        SETS(fj, "suppressed_by", f->suppressed == HULL_SUPP_VEX ? "vex" : "ignorefile");
        SETS(fj, "suppressed_reason", f->suppressed_by);
    }
    if (!(unp = json_array()))
        goto nomem;
    SET(doc, "unmatched_packages", unp);
    for (size_t i = 0; i < r->n_unparsed; i++) {
        const struct hull_pkg *p = r->unparsed[i].pkg;
        json_t *u = json_object();
        if (!u || json_array_append_new(unp, u) < 0)
            goto nomem;
        SETS(u, "type", hull_pkg_type_name(p->type));
        SETS(u, "name", p->name);
        SETS(u, "version", p->version);
        SETS(u, "purl", p->purl);
        SETS(u, "found_in", p->found_in);
        SETS(u, "reason", r->unparsed[i].reason);
    }
    if (!(w = json_array()))
        goto nomem;
    SET(doc, "warnings", w);
    for (size_t i = 0; o->inv && i < hull_inventory_warning_count(o->inv); i++)
        if (json_array_append_new(w, json_string(hull_inventory_warning(o->inv, i))) < 0)
            goto nomem;
    hull_vuln_targets_free(targets, nt);
    return doc;
nomem:
    hull_vuln_targets_free(targets, nt);
    json_decref(doc);
    return NULL;
}
