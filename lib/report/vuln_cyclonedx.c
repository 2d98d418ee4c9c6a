/* CycloneDX 1.5 JSON with vulnerabilities: the SBOM of `hull sbom --format cyclonedx`
 * (components with the same bom-refs) plus one vulnerability per id, whose `affects` lists
 * every affected component and version. VEX-suppressed findings are kept with an `analysis`
 * (not_affected / resolved and the justification), so the document is VEX-ready. */
#include "core/common.h"
#include "report/sbompriv.h"
#include "report/vulnpriv.h"

static const char *cdx_sev(enum hull_severity s)
{
    static const char *const n[HULL_SEV__COUNT] = { "unknown", "low", "medium", "high",
                                                    "critical" };
    return n[s];
}

static const char *method(const struct hull_finding_cvss *c)
{
    if (!c->type)
        return "other";
    if (!strcmp(c->type, "CVSS_V2"))
        return "CVSSv2";
    if (!strcmp(c->type, "CVSS_V4"))
        return "CVSSv4";
    if (c->vector && !strncmp(c->vector, "CVSS:3.1/", 9))
        return "CVSSv31";
    return "CVSSv3";
}

/* the same bom-refs as sbom_cyclonedx.c: purl, suffixed "#i" when two packages share one */
static json_t *ref_map(const struct hull_inventory *inv)
{
    json_t *used = json_object(), *map = json_object();
    if (!used || !map)
        goto nomem;
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        const char *r = p->purl ? p->purl : p->name;
        char *owned = NULL, key[32];
        if (json_object_get(used, r)) {
            if (asprintf(&owned, "%s#%zu", r, i) < 0)
                goto nomem;
            r = owned;
        }
        snprintf(key, sizeof(key), "%p", (const void *)p);
        int bad = json_object_set_new(used, r, json_true()) < 0 ||
                  json_object_set_new(map, key, json_string(r)) < 0;
        free(owned);
        if (bad)
            goto nomem;
    }
    json_decref(used);
    return map;
nomem:
    json_decref(used);
    json_decref(map);
    return NULL;
}

static bool in_group(const struct hull_finding *f, const struct hull_finding *g)
{
    bool fv = f->suppressed == HULL_SUPP_VEX, gv = g->suppressed == HULL_SUPP_VEX;
    return fv == gv && !strcmp(f->id, g->id);
}

static bool wanted(const struct hull_finding *f)
{
    return f->suppressed == HULL_SUPP_NONE || f->suppressed == HULL_SUPP_VEX;
}

static json_t *vuln(const struct hull_match_result *r, size_t first, json_t *refs, size_t seq)
{
    const struct hull_finding *f = &r->findings[first];
    json_t *v = json_object(), *aff = NULL, *rat = NULL, *al = NULL, *adv = NULL;
    if (!v)
        return NULL;
    char bref[64];
    snprintf(bref, sizeof(bref), "vuln-%zu", seq);
    HULL_JSET(v, "bom-ref", json_string(bref));
    HULL_JSET(v, "id", json_string(f->id));
    HULL_JSET(v, "source", json_pack("{s:s}", "name", f->n_sources ? f->sources[0] : "hull"));
    if (!(al = json_array()))
        goto nomem;
    HULL_JSET(v, "references", al);
    for (size_t i = 0; i < f->n_ids; i++)
        if (strcmp(f->ids[i], f->id) &&
            json_array_append_new(al, json_pack("{s:s,s:{s:s}}", "id", f->ids[i], "source",
                                                "name", f->n_sources ? f->sources[0]
                                                                     : "hull")) < 0)
            goto nomem;
    if (!(rat = json_array()))
        goto nomem;
    HULL_JSET(v, "ratings", rat);
    if (f->severity_source && strncmp(f->severity_source, "cvss-", 5))
        if (json_array_append_new(rat, json_pack("{s:{s:s},s:s,s:s}", "source", "name",
                                                 f->severity_source, "severity",
                                                 cdx_sev(f->severity), "method", "other")) < 0)
            goto nomem;
    for (size_t i = 0; i < f->n_cvss; i++) {
        const struct hull_finding_cvss *c = &f->cvss[i];
        json_t *ro = json_pack("{s:{s:s},s:s,s:s}", "source", "name", "cvss", "method",
                               method(c), "vector", c->vector);
        if (!ro || json_array_append_new(rat, ro) < 0)
            goto nomem;
        if (c->score >= 0) {
            json_object_set_new(ro, "score", json_real(c->score));
            int s = hull_severity_parse(hull_cvss_rating(c->score));
            json_object_set_new(ro, "severity", json_string(s < 0 ? "none"
                                                            : cdx_sev((enum hull_severity)s)));
        }
    }
    if (f->title)
        HULL_JSET(v, "description", json_string(f->title));
    if (f->fixed) {
        char rec[512];
        snprintf(rec, sizeof(rec), "Upgrade %s to %s or later.", f->pkg->name, f->fixed);
        HULL_JSET(v, "recommendation", json_string(rec));
    }
    if (!(adv = json_array()))
        goto nomem;
    HULL_JSET(v, "advisories", adv);
    for (size_t i = 0; i < f->n_refs; i++)
        if (json_array_append_new(adv, json_pack("{s:s}", "url", f->refs[i])) < 0)
            goto nomem;
    if (f->published && strlen(f->published) >= 10)
        HULL_JSET(v, "published", json_string(f->published));
    if (f->suppressed == HULL_SUPP_VEX) {
        bool fixed = f->suppressed_by && strstr(f->suppressed_by, ": fixed");
        json_t *an = json_pack("{s:s}", "state", fixed ? "resolved" : "not_affected");
        if (!an)
            goto nomem;
        HULL_JSET(v, "analysis", an);
        if (f->suppressed_by)
            HULL_JSET(an, "detail", json_string(f->suppressed_by));
    }
    if (!(aff = json_array()))
        goto nomem;
    HULL_JSET(v, "affects", aff);
    for (size_t i = first; i < r->n_findings; i++) {
        const struct hull_finding *g = &r->findings[i];
        if (!wanted(g) || !in_group(f, g))
            continue;
        char key[32];
        snprintf(key, sizeof(key), "%p", (const void *)g->pkg);
        const char *ref = json_string_value(json_object_get(refs, key));
        json_t *a = json_pack("{s:s,s:[{s:s,s:s}]}", "ref", ref ? ref : g->pkg->name,
                              "versions", "version", g->pkg->version, "status",
                              g->suppressed == HULL_SUPP_VEX ? "unaffected" : "affected");
        if (!a || json_array_append_new(aff, a) < 0)
            goto nomem;
    }
    if (f->kev)
        HULL_JSET(v, "properties", json_pack("[{s:s,s:s}]", "name", "hull:kev", "value", "true"));
    return v;
nomem:
    json_decref(v);
    return NULL;
}

json_t *hull_vuln_cyclonedx(const struct hull_match_result *r,
                            const struct hull_vuln_report_opts *o, struct hull_err **err)
{
    json_t *doc = hull_sbom_cyclonedx(o->inv, o->meta, err);
    json_t *refs = NULL, *vl = NULL;
    bool *done = r->n_findings ? calloc(r->n_findings, sizeof(*done)) : NULL;
    if (!doc) {
        free(done);
        return NULL;
    }
    if ((r->n_findings && !done) || !(refs = ref_map(o->inv)) || !(vl = json_array()))
        goto nomem;
    size_t seq = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        if (done[i] || !wanted(&r->findings[i]))
            continue;
        /* findings are sorted by package: collect the whole group of this id first */
        for (size_t j = i; j < r->n_findings; j++)
            if (wanted(&r->findings[j]) && in_group(&r->findings[i], &r->findings[j]))
                done[j] = true;
        json_t *v = vuln(r, i, refs, ++seq);
        if (!v || json_array_append_new(vl, v) < 0)
            goto nomem;
    }
    HULL_JSET(doc, "vulnerabilities", vl);
    vl = NULL;
    json_decref(refs);
    free(done);
    return doc;
nomem:
    free(done);
    json_decref(refs);
    json_decref(vl);
    json_decref(doc);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
