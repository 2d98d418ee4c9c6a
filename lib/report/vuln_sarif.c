/* SARIF 2.1.0 (docs.oasis-open.org/sarif/sarif/v2.1.0) for GitHub code scanning: one rule
 * per vulnerability id (sorted), one result per shown finding whose location is the file the
 * package was read from inside the image (relative to the image root, "ROOTPATH"). Levels:
 * CRITICAL/HIGH error, MEDIUM warning, LOW/UNKNOWN note; `security-severity` is the best CVSS
 * score, else a value inside the severity's CVSS band, as GitHub expects. */
#include "core/common.h"
#include "report/vulnpriv.h"

static const char *level(enum hull_severity s)
{
    return s >= HULL_SEV_HIGH ? "error" : s == HULL_SEV_MEDIUM ? "warning" : "note";
}

static double band(enum hull_severity s)
{
    static const double v[HULL_SEV__COUNT] = { 0.0, 2.0, 5.5, 8.0, 9.5 };
    return v[s];
}

static int cmp_id(const void *a, const void *b)
{
    const struct hull_finding *x = *(const struct hull_finding *const *)a;
    const struct hull_finding *y = *(const struct hull_finding *const *)b;
    return strcmp(x->id, y->id);
}

static json_t *text(const char *s)
{
    return json_pack("{s:s}", "text", s ? s : "");
}

static json_t *rule(const struct hull_finding *f)
{
    json_t *r = json_object(), *props = NULL;
    char *help = NULL, *md = NULL;
    if (!r)
        return NULL;
    double score = hull_vuln_best_score(f);
    char sev[16];
    snprintf(sev, sizeof(sev), "%.1f", score >= 0 ? score : band(f->severity));
    const char *title = f->title ? f->title : f->id;
    const char *uri = f->n_refs ? f->refs[0] : NULL;
    if (asprintf(&help, "Vulnerability %s\nSeverity: %s\nPackage: %s\nFixed Version: %s\n%s",
                 f->id, hull_severity_name(f->severity), f->pkg->name,
                 f->fixed ? f->fixed : "none", uri ? uri : "") < 0)
        help = NULL;
    if (asprintf(&md, "**Vulnerability %s**\n\n| Severity | Package | Fixed Version |\n"
                      "| --- | --- | --- |\n| %s | %s | %s |\n",
                 f->id, hull_severity_name(f->severity), f->pkg->name,
                 f->fixed ? f->fixed : "none") < 0)
        md = NULL;
    if (!help || !md)
        goto nomem;
    HULL_JSET(r, "id", json_string(f->id));
    HULL_JSET(r, "name", json_string(f->pkg->type <= HULL_PKG_RPM
                                   ? "OsPackageVulnerability"
                                   : "LanguageSpecificPackageVulnerability"));
    HULL_JSET(r, "shortDescription", text(title));
    HULL_JSET(r, "fullDescription", text(title));
    HULL_JSET(r, "defaultConfiguration", json_pack("{s:s}", "level", level(f->severity)));
    if (uri)
        HULL_JSET(r, "helpUri", json_string(uri));
    HULL_JSET(r, "help", json_pack("{s:s,s:s}", "text", help, "markdown", md));
    if (!(props = json_object()))
        goto nomem;
    HULL_JSET(r, "properties", props);
    HULL_JSET(props, "precision", json_string("very-high"));
    HULL_JSET(props, "security-severity", json_string(sev));
    HULL_JSET(props, "tags", json_pack("[s,s,s]", "vulnerability", "security",
                                       hull_severity_name(f->severity)));
    free(help);
    free(md);
    return r;
nomem:
    free(help);
    free(md);
    json_decref(r);
    return NULL;
}

static json_t *result(const struct hull_finding *f, size_t rule_index)
{
    json_t *r = json_object();
    char *msg = NULL;
    if (!r)
        return NULL;
    if (asprintf(&msg, "Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\n"
                       "Status: %s\nFixed Version: %s\nTarget: %s",
                 f->pkg->name, f->installed, f->id, hull_severity_name(f->severity),
                 hull_vuln_status_name(f->status), f->fixed ? f->fixed : "none", f->target) < 0)
        msg = NULL;
    if (!msg)
        goto nomem;
    const char *file = f->pkg->found_in && *f->pkg->found_in ? f->pkg->found_in : f->target;
    while (*file == '/')
        file++;
    if (!*file)
        file = "image";
    HULL_JSET(r, "ruleId", json_string(f->id));
    HULL_JSET(r, "ruleIndex", json_integer((json_int_t)rule_index));
    HULL_JSET(r, "level", json_string(level(f->severity)));
    HULL_JSET(r, "message", text(msg));
    json_t *loc = json_pack("[{s:{s:{s:s,s:s},s:{s:i,s:i,s:i,s:i}},s:{s:s}}]",
                            "physicalLocation", "artifactLocation", "uri", file, "uriBaseId",
                            "ROOTPATH", "region", "startLine", 1, "startColumn", 1, "endLine",
                            1, "endColumn", 1, "message", "text", f->target);
    HULL_JSET(r, "locations", loc);
    char fp[512];
    snprintf(fp, sizeof(fp), "%s@%s:%s", f->pkg->name, f->installed, f->id);
    HULL_JSET(r, "partialFingerprints", json_pack("{s:s}", "hull/v1", fp));
    free(msg);
    return r;
nomem:
    free(msg);
    json_decref(r);
    return NULL;
}

json_t *hull_vuln_sarif(const struct hull_match_result *r, const struct hull_vuln_report_opts *o)
{
    json_t *doc = NULL, *rules = NULL, *results = NULL;
    const struct hull_finding **shown = r->n_findings ? calloc(r->n_findings, sizeof(*shown))
                                                      : NULL;
    size_t ns = 0;
    if (r->n_findings && !shown)
        return NULL;
    for (size_t i = 0; i < r->n_findings; i++)
        if (!r->findings[i].suppressed)
            shown[ns++] = &r->findings[i];
    const struct hull_finding **byid = ns ? calloc(ns, sizeof(*byid)) : NULL;
    size_t *ridx = ns ? calloc(ns, sizeof(*ridx)) : NULL;
    if (ns && (!byid || !ridx))
        goto nomem;
    memcpy(byid, shown, ns * sizeof(*byid));
    if (ns > 1)
        qsort(byid, ns, sizeof(*byid), cmp_id);
    if (!(doc = json_object()) || !(rules = json_array()) || !(results = json_array()))
        goto nomem;
    HULL_JSET(doc, "version", json_string("2.1.0"));
    HULL_JSET(doc, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    size_t nrules = 0;
    for (size_t i = 0; i < ns; i++) {
        if (i && !strcmp(byid[i]->id, byid[i - 1]->id))
            continue;
        json_t *ru = rule(byid[i]);
        if (!ru || json_array_append_new(rules, ru) < 0)
            goto nomem;
        nrules++;
    }
    for (size_t i = 0; i < ns; i++) {
        /* rule index: position of the id among the unique sorted ids */
        size_t k = 0;
        for (size_t j = 0; j < ns && strcmp(byid[j]->id, shown[i]->id); j++)
            if (!j || strcmp(byid[j]->id, byid[j - 1]->id))
                k++;
        ridx[i] = k;
        json_t *re = result(shown[i], ridx[i]);
        if (!re || json_array_append_new(results, re) < 0)
            goto nomem;
    }
    json_t *driver = json_pack("{s:s,s:s,s:s,s:s,s:o}", "name", "hull", "fullName",
                               "hull container image scanner", "version", HULL_VERSION,
                               "informationUri", "https://github.com/hull-scanner/hull",
                               "rules", rules);
    rules = NULL;
    if (!driver)
        goto nomem;
    json_t *run = json_pack("{s:{s:o},s:o,s:{s:{s:s}}}", "tool", "driver", driver, "results",
                            results, "originalUriBaseIds", "ROOTPATH", "uri", "file:///");
    results = NULL;
    if (!run)
        goto nomem;
    json_object_set_new(run, "automationDetails",
                        json_pack("{s:s}", "id", o->artifact ? o->artifact : "image"));
    json_t *props = json_object();
    if (!props)
        goto nomem;
    json_object_set_new(props, "imageName", json_string(o->artifact ? o->artifact : "image"));
    if (o->meta && o->meta->config_digest)
        json_object_set_new(props, "imageID", json_string(o->meta->config_digest));
    if (o->meta && o->meta->manifest_digest)
        json_object_set_new(props, "repoDigests",
                            json_pack("[s]", o->meta->manifest_digest));
    json_object_set_new(run, "properties", props);
    HULL_JSET(doc, "runs", json_pack("[o]", run));
    free(shown);
    free(byid);
    free(ridx);
    return doc;
nomem:
    free(shown);
    free(byid);
    free(ridx);
    json_decref(rules);
    json_decref(results);
    json_decref(doc);
    return NULL;
}
