/* Node.js security working group indexes (github.com/nodejs/security-wg,
 * vuln/{core,npm}/index.json):
 *   core: {"<n>": {"cve": [...], "vulnerable": "20.x || 22.x", "patched": "^20.20.2 || ...",
 *          "severity", "overview", "ref"}}  -> advisory NSWG-CORE-<n>, ecosystem "Node.js",
 *          package "node" (the runtime binary);
 *   npm:  {"<n>": {"id", "module_name", "vulnerable_versions", "patched_versions", "cves",
 *          "cvss_vector", "cvss_score", "title", "overview", "references"}}
 *          -> advisory NSWG-ECO-<id>, ecosystem "npm".
 * Versions are npm semver range expressions, stored as one range of type "NPM_EXPR" whose expr
 * is the vulnerable range; the patched range is kept as the reason ("patched: ..."). The
 * documents replace the sources "nodejs-wg:core" / "nodejs-wg:npm". */
#include "core/common.h"
#include "core/jsonx.h"
#include "vulndb/vdb.h"

static const char *str(const json_t *o, const char *k, size_t max)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && vdb_str_ok(s, max) ? s : NULL;
}

static json_t *ids(const json_t *v)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        const char *s = json_string_value(e);
        if (vdb_str_ok(s, VDB_MAX_ID))
            json_array_append_new(out, json_string(s));
    }
    return out;
}

static int one(struct vdb_writer *w, bool core, const char *key, const json_t *e,
               struct hull_err **err)
{
    vdb_count_record(w);
    char id[96];
    if (!json_is_object(e) || !vdb_str_ok(key, 32))
        return vdb_skip(w, key, "bad entry", err);
    const char *vuln = str(e, core ? "vulnerable" : "vulnerable_versions", 1024);
    const char *patched = str(e, core ? "patched" : "patched_versions", 1024);
    const char *pkg = core ? "node" : str(e, "module_name", VDB_MAX_NAME);
    if (!vuln || !pkg)
        return vdb_skip(w, key, "no package or vulnerable range", err);
    snprintf(id, sizeof(id), "NSWG-%s-%s", core ? "CORE" : "ECO", key);
    json_t *aliases = ids(json_object_get(e, core ? "cve" : "cves"));
    json_t *refs = json_array();
    const char *ref = str(e, "ref", 4096);
    if (ref)
        json_array_append_new(refs, json_string(ref));
    json_t *rl = json_object_get(e, "references");
    size_t i;
    json_t *x;
    json_array_foreach(rl, i, x) {
        if (vdb_str_ok(json_string_value(x), 4096) && json_array_size(refs) < 64)
            json_array_append_new(refs, json_string(json_string_value(x)));
    }
    json_t *cvss = json_array();
    const char *vec = str(e, "cvss_vector", 400);
    if (vec) {
        json_t *c = json_pack("{s:s, s:s}", "type",
                              strncmp(vec, "CVSS:4", 6) ? "CVSS_V3" : "CVSS_V4", "vector", vec);
        json_t *sc = json_object_get(e, "cvss_score");
        if (json_is_number(sc))
            json_object_set(c, "published", sc);
        json_array_append_new(cvss, c);
    }
    const char *title = str(e, core ? "description" : "title", VDB_MAX_TEXT);
    const char *over = json_string_value(json_object_get(e, "overview"));
    char *details = over ? strndup(over, VDB_MAX_TEXT) : NULL;
    const char *sev = str(e, "severity", 32);
    struct vdb_adv a = {
        .id = id, .summary = title, .details = details,
        .published = str(e, core ? "published" : "publish_date", 64),
        .modified = str(e, "updated_at", 64),
        .severity = sev, .severity_source = sev ? "nodejs-security-wg" : NULL,
        .aliases = aliases, .refs = refs, .cvss = cvss,
    };
    json_t *ranges = json_pack("[{s:s, s:s, s:[]}]", "type", "NPM_EXPR", "expr", vuln, "events");
    char reason[1100] = "";
    if (patched)
        snprintf(reason, sizeof(reason), "patched: %s", patched);
    struct vdb_aff f = {
        .ecosystem = core ? "Node.js" : "npm", .package = pkg,
        .status = patched ? HULL_VULN_FIXED : HULL_VULN_AFFECTED,
        .reason = patched ? reason : NULL, .ranges = ranges,
    };
    int r = vdb_put_advisory(w, &a, err);
    if (r == 0)
        r = vdb_put_affected(w, id, &f, err);
    json_decref(ranges);
    json_decref(aliases);
    json_decref(refs);
    json_decref(cvss);
    free(details);
    return r;
}

int vdb_import_nodewg(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                      struct hull_err **err)
{
    json_t *j = hull_json_parse(buf, len, SIZE_MAX, origin, err);
    if (!j)
        return -(int)HULL_E_PARSE;
    int r = 0;
    bool core = true;
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        core = !json_object_get(v, "module_name");
        break;
    }
    if (!json_is_object(j)) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: not a Node.js security WG index", origin);
        goto out;
    }
    if ((r = vdb_source_begin(w, core ? "nodejs-wg:core" : "nodejs-wg:npm", "nodejs-wg", origin,
                              true, err)) < 0)
        goto out;
    json_object_foreach(j, k, v) {
        if ((r = one(w, core, k, v, err)) < 0)
            goto out;
    }
    r = vdb_source_end(w, err);
out:
    json_decref(j);
    return r;
}
