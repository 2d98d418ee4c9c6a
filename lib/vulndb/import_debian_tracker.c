/* Debian security-tracker JSON (https://security-tracker.debian.org/tracker/data/json):
 *   { "<source package>": { "<CVE or TEMP id>": { "description", "releases": { "<codename>":
 *     { "status": resolved|open|undetermined, "fixed_version", "urgency", "nodsa",
 *       "nodsa_reason" } } } } }
 * The document is large (tens of MB), so it is read one package at a time (element-at-a-time
 * jansson). Status mapping:
 *   resolved + fixed_version "0"            -> not_affected
 *   resolved                                -> fixed (fixed_version)
 *   open + urgency end-of-life              -> end_of_life
 *   open + nodsa_reason "ignored"           -> will_not_fix
 *   open + nodsa_reason "postponed"         -> fix_deferred
 *   open (including no-dsa, unimportant)    -> affected
 *   undetermined                            -> unknown
 * The urgency ("low", "unimportant", "not yet assigned"; "**" marks a guess and is dropped) is the
 * per-package severity; nodsa / nodsa_reason / unimportant become the reason. Releases with a
 * codename hull does not know are ignored. The document replaces the source "debian-tracker". */
#include "core/common.h"
#include "vulndb/vdb.h"

static int import_release(struct vdb_writer *w, const char *pkg, const char *id,
                          const char *codename, const json_t *r, struct hull_err **err)
{
    const char *num = vdb_debian_release_number(codename);
    if (!num)
        return 0;
    const char *st = json_string_value(json_object_get(r, "status"));
    const char *fv = json_string_value(json_object_get(r, "fixed_version"));
    const char *urg = json_string_value(json_object_get(r, "urgency"));
    const char *nodsa = json_string_value(json_object_get(r, "nodsa"));
    const char *why = json_string_value(json_object_get(r, "nodsa_reason"));
    if (!st || (fv && !vdb_str_ok(fv, VDB_MAX_NAME)) || (urg && !vdb_str_ok(urg, 64)))
        return vdb_skip(w, id, "bad release entry", err);
    char sev[65] = "";
    if (urg) {
        snprintf(sev, sizeof(sev), "%s", urg);
        size_t n = strlen(sev);
        while (n && sev[n - 1] == '*')
            sev[--n] = 0;
    }
    struct vdb_aff f = { .package = pkg, .severity = sev[0] ? sev : NULL,
                         .severity_source = sev[0] ? "debian" : NULL };
    if (!strcmp(st, "resolved")) {
        if (!fv)
            return vdb_skip(w, id, "resolved without fixed_version", err);
        f.status = strcmp(fv, "0") ? HULL_VULN_FIXED : HULL_VULN_NOT_AFFECTED;
        f.fixed = strcmp(fv, "0") ? fv : NULL;
    } else if (!strcmp(st, "open")) {
        if (!strcmp(sev, "end-of-life"))
            f.status = HULL_VULN_END_OF_LIFE;
        else if (why && !strcmp(why, "ignored"))
            f.status = HULL_VULN_WILL_NOT_FIX;
        else if (why && !strcmp(why, "postponed"))
            f.status = HULL_VULN_FIX_DEFERRED;
        else
            f.status = HULL_VULN_AFFECTED;
    } else if (!strcmp(st, "undetermined")) {
        f.status = HULL_VULN_UNKNOWN;
    } else {
        return vdb_skip(w, id, "unknown release status", err);
    }
    char reason[600] = "";
    if (nodsa && why)
        snprintf(reason, sizeof(reason), "no-dsa (%.64s): %.500s", why, nodsa);
    else if (nodsa)
        snprintf(reason, sizeof(reason), "no-dsa: %.500s", nodsa);
    else if (why)
        snprintf(reason, sizeof(reason), "%.64s", why);
    else if (!strcmp(sev, "unimportant") || !strcmp(sev, "end-of-life"))
        snprintf(reason, sizeof(reason), "%s", sev);
    f.reason = reason[0] ? reason : NULL;
    char eco[32];
    snprintf(eco, sizeof(eco), "Debian:%s", num);
    f.ecosystem = eco;
    return vdb_put_affected(w, id, &f, err);
}

static int import_cve(struct vdb_writer *w, const char *pkg, const char *id, const json_t *c,
                      struct hull_err **err)
{
    vdb_count_record(w);
    json_t *rels = json_object_get(c, "releases");
    /* the tracker writes an empty "releases" as [] (e.g. chromium-browser CVE-2022-0358) */
    bool empty = json_is_array(rels) && json_array_size(rels) == 0;
    if (!vdb_str_ok(id, VDB_MAX_ID) || !json_is_object(c) || (!json_is_object(rels) && !empty))
        return vdb_skip(w, id, "bad CVE entry", err);
    const char *desc = json_string_value(json_object_get(c, "description"));
    char *d = desc ? strndup(desc, VDB_MAX_TEXT) : NULL;
    struct vdb_adv a = { .id = id, .summary = d };
    int r = vdb_put_advisory(w, &a, err);
    free(d);
    const char *code;
    json_t *rel;
    json_object_foreach(rels, code, rel) {
        if (r < 0)
            break;
        r = import_release(w, pkg, id, code, rel, err);
    }
    return r;
}

int vdb_import_debian_tracker(struct vdb_writer *w, const char *origin, const char *buf,
                              size_t len, struct hull_err **err)
{
    struct vdb_jobj it;
    int r = vdb_jobj_open(&it, buf, len, err);
    if (r < 0)
        return hull_err_wrap(err, "%s", origin);
    if ((r = vdb_source_begin(w, "debian-tracker", "debian-tracker", origin, true, err)) < 0)
        return r;
    char *pkg;
    json_t *v;
    while ((r = vdb_jobj_next(&it, &pkg, &v, err)) == 1) {
        if (!vdb_str_ok(pkg, VDB_MAX_NAME) || !json_is_object(v)) {
            r = vdb_skip(w, pkg, "bad package entry", err);
        } else {
            const char *id;
            json_t *c;
            json_object_foreach(v, id, c) {
                if ((r = import_cve(w, pkg, id, c, err)) < 0)
                    break;
            }
        }
        free(pkg);
        json_decref(v);
        if (r < 0)
            return r;
    }
    if (r < 0)
        return hull_err_wrap(err, "%s", origin);
    return vdb_source_end(w, err);
}
