/* Vulnerability report output: format names, shared helpers and the writer that picks a
 * renderer (include/hull/vulnreport.h). */
#include "core/common.h"
#include <errno.h>
#include "core/buf.h"
#include "report/vulnpriv.h"

int hull_vuln_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "table"))
        return HULL_VULN_TABLE;
    if (!strcmp(name, "json"))
        return HULL_VULN_JSON;
    if (!strcmp(name, "sarif"))
        return HULL_VULN_SARIF;
    if (!strcmp(name, "cyclonedx") || !strcmp(name, "cyclonedx-json"))
        return HULL_VULN_CYCLONEDX;
    return -1;
}

void hull_vuln_targets_free(char **t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i]);
    free(t);
}

static bool matchable(const struct hull_pkg *p)
{
    return p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK || p->type == HULL_PKG_RPM ||
           p->type == HULL_PKG_NPM || p->type == HULL_PKG_PYPI;
}

static bool os_type(enum hull_pkg_type t)
{
    return t == HULL_PKG_DPKG || t == HULL_PKG_APK || t == HULL_PKG_RPM;
}

/* A section and its place: the OS packages first (as Trivy lists them), then the language
 * package trees by name. */
struct target {
    char *name;
    bool os;
};

static int cmp_target(const void *pa, const void *pb)
{
    const struct target *a = pa, *b = pb;
    if (a->os != b->os)
        return a->os ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int add_target(struct target **v, size_t *n, size_t *cap, char *t, bool os)
{
    if (!t || hull_grow(v, *n, cap, sizeof(**v), 16) < 0) {
        free(t);
        return -1;
    }
    (*v)[(*n)++] = (struct target){ t, os };
    return 0;
}

int hull_vuln_targets(const struct hull_match_result *r, const struct hull_inventory *inv,
                      char ***out, size_t *n)
{
    struct target *v = NULL;
    size_t nv = 0, cap = 0;
    char **names = NULL;
    for (size_t i = 0; inv && i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        if (matchable(p) &&
            add_target(&v, &nv, &cap, hull_match_target(inv, p), os_type(p->type)) < 0)
            goto nomem;
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *f = &r->findings[i];
        if (add_target(&v, &nv, &cap, strdup(f->target), f->pkg && os_type(f->pkg->type)) < 0)
            goto nomem;
    }
    if (nv > 1)
        qsort(v, nv, sizeof(*v), cmp_target);
    names = malloc((nv ? nv : 1) * sizeof(*names));
    if (!names)
        goto nomem;
    size_t w = 0;
    for (size_t i = 0; i < nv; i++) {
        if (w && !strcmp(names[w - 1], v[i].name))
            free(v[i].name);
        else
            names[w++] = v[i].name;
    }
    free(v);
    *out = names;
    *n = w;
    return 0;
nomem:
    for (size_t i = 0; i < nv; i++)
        free(v[i].name);
    free(v);
    return -1;
}

double hull_vuln_best_score(const struct hull_finding *f)
{
    static const char *const order[] = { "CVSS_V3", "CVSS_V4", "CVSS_V2" };
    for (size_t k = 0; k < 3; k++) {
        double best = -1;
        for (size_t i = 0; i < f->n_cvss; i++)
            if (f->cvss[i].type && !strcmp(f->cvss[i].type, order[k]) &&
                f->cvss[i].score > best)
                best = f->cvss[i].score;
        if (best >= 0)
            return best;
    }
    return -1;
}

json_t *hull_vuln_finding_json(const struct hull_finding *f)
{
    json_t *o = json_object(), *pk = NULL, *cv = NULL;
    if (!o)
        return NULL;
    const struct hull_pkg *p = f->pkg;
    if (!(pk = json_object()))
        goto nomem;
    HULL_JSET(o, "package", pk);
    HULL_JSETS(pk, "type", hull_pkg_type_name(p->type));
    HULL_JSETS(pk, "name", p->name);
    HULL_JSETS(pk, "version", p->version);
    HULL_JSETS(pk, "arch", p->arch);
    HULL_JSETS(pk, "source_name", p->source_name);
    HULL_JSETS(pk, "source_version", p->source_version);
    HULL_JSETS(pk, "origin", p->origin);
    HULL_JSETS(pk, "purl", p->purl);
    HULL_JSETS(pk, "found_in", p->found_in);
    HULL_JSET(pk, "layer", json_integer(p->layer));
    HULL_JSETS(pk, "diff_id", p->diff_id);
    HULL_JSETS(o, "id", f->id);
    HULL_JSET(o, "ids", hull_json_text_array(f->ids, f->n_ids));
    HULL_JSETS(o, "severity", hull_severity_name(f->severity));
    HULL_JSETS(o, "severity_source", f->severity_source);
    HULL_JSETS(o, "status", hull_vuln_status_name(f->status));
    HULL_JSETS(o, "status_reason", f->status_reason);
    HULL_JSETS(o, "installed_version", f->installed);
    HULL_JSETS(o, "fixed_version", f->fixed);
    HULL_JSETS(o, "title", f->title);
    HULL_JSETS(o, "published", f->published);
    HULL_JSET(o, "references", hull_json_text_array(f->refs, f->n_refs));
    if (!(cv = json_array()))
        goto nomem;
    HULL_JSET(o, "cvss", cv);
    for (size_t i = 0; i < f->n_cvss; i++) {
        json_t *c = json_object();
        if (!c || json_array_append_new(cv, c) < 0)
            goto nomem;
        HULL_JSETS(c, "type", f->cvss[i].type);
        HULL_JSETS(c, "vector", f->cvss[i].vector);
        if (f->cvss[i].score >= 0)
            HULL_JSET(c, "score", json_real(f->cvss[i].score));
    }
    HULL_JSET(o, "kev", json_boolean(f->kev));
    HULL_JSET(o, "sources", hull_json_text_array(f->sources, f->n_sources));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

int hull_vuln_dump(FILE *f, json_t *doc, struct hull_err **err)
{
    int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII |
                                    JSON_REAL_PRECISION(3));
    json_decref(doc);
    if (rc < 0 || fputc('\n', f) == EOF || fflush(f) == EOF)
        return hull_err_sys(err, HULL_E_IO, errno, "writing the report");
    return 0;
}

int hull_vuln_report_write(FILE *f, enum hull_vuln_format fmt,
                           const struct hull_match_result *r,
                           const struct hull_vuln_report_opts *o, struct hull_err **err)
{
    json_t *doc = NULL;
    switch (fmt) {
    case HULL_VULN_TABLE:
        return hull_vuln_table(f, r, o, err);
    case HULL_VULN_JSON:
        doc = hull_vuln_json(r, o);
        break;
    case HULL_VULN_SARIF:
        doc = hull_vuln_sarif(r, o);
        break;
    case HULL_VULN_CYCLONEDX:
        doc = hull_vuln_cyclonedx(r, o, err);
        if (!doc && err && *err)
            return -(int)(*err)->code;
        break;
    default:
        return hull_err_set(err, HULL_E_USAGE, "unknown report format %d", (int)fmt);
    }
    if (!doc)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return hull_vuln_dump(f, doc, err);
}
