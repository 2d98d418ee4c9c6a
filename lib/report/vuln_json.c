/* hull's vulnerability JSON (docs/json/image.md, schema_version 1): the artifact and its
 * digests, the operating system, the database, a summary, one result per target with its
 * findings and remediation hints, the suppressed findings (ignore file, VEX) and the
 * packages that could not be matched. Unknown fields are left out rather than null. */
#include "core/common.h"
#include "report/vulnpriv.h"

static json_t *counts(size_t c[HULL_SEV__COUNT], size_t total)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    HULL_JSET(o, "total", json_integer((json_int_t)total));
    for (int s = 0; s < HULL_SEV__COUNT; s++)
        HULL_JSET(o, hull_severity_name((enum hull_severity)s), json_integer((json_int_t)c[s]));
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
    HULL_JSETS(o, "package", m->pkg->name);
    HULL_JSETS(o, "purl", m->pkg->purl);
    HULL_JSETS(o, "installed_version", m->installed);
    HULL_JSETS(o, "upgrade_to", m->to);
    HULL_JSET(o, "fixes", json_integer((json_int_t)m->fixes));
    HULL_JSET(o, "findings", json_integer((json_int_t)m->total));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

json_t *hull_vuln_json(const struct hull_match_result *r, const struct hull_vuln_report_opts *o)
{
    json_t *doc = hull_json_doc(1), *art = NULL, *os = NULL, *res = NULL, *sup = NULL;
    json_t *unp = NULL, *db = NULL, *w = NULL;
    char **targets = NULL;
    size_t nt = 0;
    if (!doc)
        return NULL;
    if (!(art = json_object()))
        goto nomem;
    HULL_JSET(doc, "artifact", art);
    HULL_JSETS(art, "name", o->artifact);
    const struct hull_image_meta *m = o->meta;
    if (m) {
        HULL_JSETS(art, "type", "container_image");
        HULL_JSETS(art, "image_name", m->name);
        HULL_JSETS(art, "transport", m->transport);
        json_t *dg = json_object();
        HULL_JSET(art, "digests", dg);
        HULL_JSETS(dg, "manifest", m->manifest_digest);
        HULL_JSETS(dg, "config", m->config_digest);
        HULL_JSETS(art, "os", m->os);
        HULL_JSETS(art, "architecture", m->architecture);
        HULL_JSETS(art, "variant", m->variant);
        HULL_JSETS(art, "created", m->created);
    } else {
        HULL_JSETS(art, "type", "sbom");
    }
    const struct hull_os *hos = o->inv ? hull_inventory_os(o->inv) : NULL;
    if (!(os = json_object()))
        goto nomem;
    HULL_JSET(doc, "os", os);
    HULL_JSETS(os, "family", hos && hos->family ? hos->family : "unknown");
    HULL_JSETS(os, "version", hos ? hos->version : NULL);
    HULL_JSETS(os, "ecosystem", r->os_ecosystem);
    if (!(db = json_object()))
        goto nomem;
    HULL_JSET(doc, "database", db);
    HULL_JSETS(db, "path", o->db_path);
    if (o->db_built_at > 0)
        HULL_JSET(db, "built_at", json_integer(o->db_built_at));
    size_t tot[HULL_SEV__COUNT] = { 0 }, shown = 0;
    if (!(res = json_array()))
        goto nomem;
    if (hull_vuln_targets(r, o->inv, &targets, &nt) < 0)
        goto nomem;
    for (size_t t = 0; t < nt; t++) {
        json_t *tr = json_object(), *vl = NULL, *rm = NULL;
        if (!tr || json_array_append_new(res, tr) < 0)
            goto nomem;
        HULL_JSETS(tr, "target", targets[t]);
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
        HULL_JSETS(tr, "type", type);
        HULL_JSET(tr, "summary", counts(c, n));
        HULL_JSET(tr, "vulnerabilities", vl);
        if (!(rm = json_array()))
            goto nomem;
        HULL_JSET(tr, "remediation", rm);
        for (size_t i = 0; i < r->n_remedies; i++)
            if (!strcmp(r->remedies[i].target, targets[t])) {
                json_t *mj = remedy_json(&r->remedies[i]);
                if (!mj || json_array_append_new(rm, mj) < 0)
                    goto nomem;
            }
    }
    HULL_JSET(doc, "summary", counts(tot, shown));
    HULL_JSET(doc, "results", res);
    if (!(sup = json_array()))
        goto nomem;
    HULL_JSET(doc, "suppressed", sup);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *f = &r->findings[i];
        if (f->suppressed != HULL_SUPP_IGNOREFILE && f->suppressed != HULL_SUPP_VEX)
            continue;
        json_t *fj = hull_vuln_finding_json(f);
        if (!fj || json_array_append_new(sup, fj) < 0)
            goto nomem;
        HULL_JSETS(fj, "target", f->target);
        HULL_JSETS(fj, "suppressed_by", f->suppressed == HULL_SUPP_VEX ? "vex" : "ignorefile");
        HULL_JSETS(fj, "suppressed_reason", f->suppressed_by);
    }
    if (!(unp = json_array()))
        goto nomem;
    HULL_JSET(doc, "unmatched_packages", unp);
    for (size_t i = 0; i < r->n_unparsed; i++) {
        const struct hull_pkg *p = r->unparsed[i].pkg;
        json_t *u = json_object();
        if (!u || json_array_append_new(unp, u) < 0)
            goto nomem;
        HULL_JSETS(u, "type", hull_pkg_type_name(p->type));
        HULL_JSETS(u, "name", p->name);
        HULL_JSETS(u, "version", p->version);
        HULL_JSETS(u, "purl", p->purl);
        HULL_JSETS(u, "found_in", p->found_in);
        HULL_JSETS(u, "reason", r->unparsed[i].reason);
    }
    if (!(w = json_array()))
        goto nomem;
    HULL_JSET(doc, "warnings", w);
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
