/* OSV records (https://ossf.github.io/osv-schema/, 1.0-1.7): GitHub advisories, osv.dev exports
 * (all.zip per ecosystem), Debian's DEBIAN-CVE / DSA records. One record = one advisory with
 * affected (ecosystem, package) entries; ranges are kept as OSV events (introduced / fixed /
 * last_affected / limit), re-serialised from validated fields only. A record with a bad field is
 * skipped as a whole (and counted). Records are upserted by id into the cumulative "osv" source.
 *
 * Source-specific fields read: database_specific.severity (GitHub: LOW/MODERATE/HIGH/CRITICAL),
 * affected[].ecosystem_specific.urgency (Debian tracker urgency), "upstream" (Debian: the CVE
 * ids a DEBIAN-CVE record is about, treated as aliases), affected[].severity (OSV 1.5+). */
#include "core/common.h"
#include "core/jsonx.h"
#include "hull/version.h"
#include "vulndb/vdb.h"

struct rec_ctx {
    const char *id;
    const char *why; /* first problem found */
    char msg[320];   /* storage for a formatted why */
};

static const char *opt_str(const json_t *o, const char *key, size_t max, struct rec_ctx *rc)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    const char *s = json_string_value(v);
    if (!s || strlen(s) > max) {
        if (!rc->why)
            rc->why = key;
        return NULL;
    }
    return s;
}

/* Long text: kept up to VDB_MAX_TEXT bytes, cut at a UTF-8 boundary. */
static char *text(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > VDB_MAX_TEXT) {
        n = VDB_MAX_TEXT;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return strndup(s, n);
}

/* Array of short strings copied into a fresh array; NULL (and rc->why) when malformed. */
static json_t *str_list(const json_t *v, const char *what, size_t max, struct rec_ctx *rc)
{
    json_t *out = json_array();
    if (!v || json_is_null(v))
        return out;
    if (!json_is_array(v) || json_array_size(v) > VDB_MAX_LIST) {
        rc->why = rc->why ? rc->why : what;
        json_decref(out);
        return NULL;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        const char *s = json_string_value(e);
        if (!vdb_str_ok(s, max)) {
            rc->why = rc->why ? rc->why : what;
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_string(s));
    }
    return out;
}

static const char *const ev_kinds[] = { "introduced", "fixed", "last_affected", "limit" };

/* Validate ranges; returns a clean copy, and the first fixed version in *fixed. */
static json_t *clean_ranges(const json_t *v, const char **fixed, bool *has_fixed,
                            struct rec_ctx *rc)
{
    json_t *out = json_array();
    if (!v || json_is_null(v))
        return out;
    if (!json_is_array(v) || json_array_size(v) > VDB_MAX_LIST)
        goto bad;
    size_t i, k;
    json_t *r, *e;
    json_array_foreach(v, i, r) {
        const char *type = json_string_value(json_object_get(r, "type"));
        json_t *evs = json_object_get(r, "events");
        if (!vdb_str_ok(type, 32) || !json_is_array(evs) || json_array_size(evs) > VDB_MAX_LIST)
            goto bad;
        json_t *ce = json_array();
        json_t *cr = json_pack("{s:s, s:o}", "type", type, "events", ce);
        json_array_append_new(out, cr);
        const char *repo = json_string_value(json_object_get(r, "repo"));
        if (repo && vdb_str_ok(repo, 2048))
            json_object_set_new(cr, "repo", json_string(repo));
        json_array_foreach(evs, k, e) {
            if (!json_is_object(e) || json_object_size(e) != 1)
                goto bad;
            bool ok = false;
            for (size_t q = 0; q < HULL_ARRAY_LEN(ev_kinds); q++) {
                const char *ver = json_string_value(json_object_get(e, ev_kinds[q]));
                if (!ver)
                    continue;
                if (!vdb_str_ok(ver, VDB_MAX_NAME))
                    goto bad;
                json_array_append_new(ce, json_pack("{s:s}", ev_kinds[q], ver));
                if (q == 1) {
                    *has_fixed = true;
                    if (!*fixed)
                        *fixed = ver;
                }
                ok = true;
            }
            if (!ok)
                goto bad;
        }
    }
    return out;
bad:
    rc->why = rc->why ? rc->why : "ranges";
    json_decref(out);
    return NULL;
}

/* The version parser of an OSV ecosystem ("npm", "Debian:12", ...), when hull has one, as the
 * matcher would compare its versions. *vprefix: OSV spells Go versions without the 'v' that
 * golang.org/x/mod/semver requires. */
static bool osv_eco_parser(const char *eco, enum hull_eco *out, bool *vprefix)
{
    static const struct { const char *name; enum hull_eco eco; } tab[] = {
        { "npm", HULL_ECO_NPM },      { "PyPI", HULL_ECO_PYPI },   { "Debian", HULL_ECO_DEB },
        { "Ubuntu", HULL_ECO_DEB },   { "Alpine", HULL_ECO_APK },  { "Go", HULL_ECO_GOLANG },
        { "Maven", HULL_ECO_MAVEN },  { "RubyGems", HULL_ECO_GEM },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(tab); i++) {
        size_t n = strlen(tab[i].name);
        /* "Debian:12", "Alpine:v3.18", "Ubuntu:22.04:LTS": a release after the colon */
        if (!strncmp(eco, tab[i].name, n) && (eco[n] == '\0' || eco[n] == ':')) {
            *out = tab[i].eco;
            *vprefix = tab[i].eco == HULL_ECO_GOLANG;
            return true;
        }
    }
    return false;
}

/* Whether v parses as a version of eco (a 'v' prepended when vprefix and missing). */
static bool ver_ok(enum hull_eco eco, bool vprefix, const char *v, const char **why)
{
    size_t n = strlen(v);
    if (vprefix && v[0] != 'v') {
        char buf[VDB_MAX_NAME + 2];
        buf[0] = 'v';
        memcpy(buf + 1, v, n); /* n <= VDB_MAX_NAME: vdb_str_ok */
        return hull_version_check(eco, buf, n + 1, why);
    }
    return hull_version_check(eco, v, n, why);
}

/* --strict only: every event version of SEMVER ranges (semver) and ECOSYSTEM ranges (the
 * ecosystem's parser, when hull has one), and every `versions` entry, must parse; otherwise
 * the record is malformed (rc->why names the version). Introduced "0" and limit "*" are
 * OSV's placeholders; GIT and other range types are not versions. */
static void strict_versions(const char *eco, const json_t *ranges, const json_t *versions,
                            struct rec_ctx *rc)
{
    enum hull_eco ee = HULL_ECO_NPM;
    bool vprefix = false, have = osv_eco_parser(eco, &ee, &vprefix);
    const char *why = NULL;
    size_t i, k;
    json_t *r, *e;
    json_array_foreach(ranges, i, r) {
        const char *type = json_string_value(json_object_get(r, "type"));
        bool semver = !strcmp(type, "SEMVER");
        if (!semver && !(have && !strcmp(type, "ECOSYSTEM")))
            continue;
        json_array_foreach(json_object_get(r, "events"), k, e) {
            const char *kind = json_object_iter_key(json_object_iter(e));
            const char *v = json_string_value(json_object_iter_value(json_object_iter(e)));
            if ((!strcmp(kind, "introduced") && !strcmp(v, "0")) ||
                (!strcmp(kind, "limit") && !strcmp(v, "*")))
                continue;
            if (semver ? ver_ok(HULL_ECO_NPM, false, v, &why) : ver_ok(ee, vprefix, v, &why))
                continue;
            snprintf(rc->msg, sizeof(rc->msg),
                     "%.64s %.32s range: %s \"%.64s\" is no version: %.96s", eco, type, kind, v,
                     why ? why : "invalid");
            rc->why = rc->msg;
            return;
        }
    }
    if (!have)
        return;
    json_array_foreach(versions, i, e) {
        const char *v = json_string_value(e);
        if (ver_ok(ee, vprefix, v, &why))
            continue;
        snprintf(rc->msg, sizeof(rc->msg), "%.64s versions: \"%.64s\" is no version: %.96s", eco,
                 v, why ? why : "invalid");
        rc->why = rc->msg;
        return;
    }
}

/* severity: [{"type":"CVSS_V3","score":"CVSS:3.1/..."}] appended to cvss as {type, vector}. */
static int add_severity(json_t *cvss, const json_t *sev, struct rec_ctx *rc)
{
    if (!sev || json_is_null(sev))
        return 0;
    if (!json_is_array(sev) || json_array_size(sev) > 64) {
        rc->why = rc->why ? rc->why : "severity";
        return -1;
    }
    size_t i, k;
    json_t *s, *c;
    json_array_foreach(sev, i, s) {
        const char *type = json_string_value(json_object_get(s, "type"));
        const char *score = json_string_value(json_object_get(s, "score"));
        if (!vdb_str_ok(type, 32) || !vdb_str_ok(score, 400)) {
            rc->why = rc->why ? rc->why : "severity";
            return -1;
        }
        if (strncmp(type, "CVSS_", 5) != 0)
            continue; /* Ubuntu / qualitative ratings: not a vector */
        bool dup = false;
        json_array_foreach(cvss, k, c)
            dup |= !strcmp(json_string_value(json_object_get(c, "vector")), score);
        if (!dup)
            json_array_append_new(cvss, json_pack("{s:s, s:s}", "type", type, "vector", score));
    }
    return 0;
}

int vdb_import_osv_json(struct vdb_writer *w, const json_t *rec, const char *origin,
                        struct hull_err **err)
{
    struct rec_ctx rc = { 0 };
    int r = vdb_source_begin(w, "osv", "osv", origin, false, err);
    if (r < 0)
        return r;
    vdb_count_record(w);
    if (!json_is_object(rec))
        return vdb_skip(w, origin, "record is not a JSON object", err);
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (!vdb_str_ok(id, VDB_MAX_ID))
        return vdb_skip(w, origin, "missing or invalid id", err);
    rc.id = id;

    struct vdb_adv a = { .id = id };
    a.published = opt_str(rec, "published", 64, &rc);
    a.modified = opt_str(rec, "modified", 64, &rc);
    a.withdrawn = opt_str(rec, "withdrawn", 64, &rc);
    char *summary = text(rec, "summary"), *details = text(rec, "details");
    a.summary = summary;
    a.details = details;
    a.aliases = str_list(json_object_get(rec, "aliases"), "aliases", VDB_MAX_ID, &rc);
    json_t *up = str_list(json_object_get(rec, "upstream"), "upstream", VDB_MAX_ID, &rc);
    if (a.aliases && up)
        json_array_extend(a.aliases, up);
    json_decref(up);
    a.refs = json_array();
    a.cvss = json_array();
    json_t *refs = json_object_get(rec, "references");
    if (json_is_array(refs)) {
        size_t i;
        json_t *e;
        json_array_foreach(refs, i, e) {
            const char *url = json_string_value(json_object_get(e, "url"));
            if (vdb_str_ok(url, 4096) && json_array_size(a.refs) < 256)
                json_array_append_new(a.refs, json_string(url));
        }
    } else if (refs && !json_is_null(refs)) {
        rc.why = "references";
    }
    add_severity(a.cvss, json_object_get(rec, "severity"), &rc);
    json_t *dbs = json_object_get(rec, "database_specific");
    const char *gh = json_string_value(json_object_get(dbs, "severity"));
    if (gh && vdb_str_ok(gh, 32)) {
        a.severity = gh;
        a.severity_source = !strncmp(id, "GHSA-", 5) ? "ghsa" : "osv";
    }

    json_t *aff = json_object_get(rec, "affected");
    if (aff && !json_is_null(aff) && (!json_is_array(aff) || json_array_size(aff) > VDB_MAX_LIST))
        rc.why = rc.why ? rc.why : "affected";
    size_t n_aff = json_array_size(aff);
    struct vdb_aff *fs = calloc(n_aff ? n_aff : 1, sizeof(*fs));
    if (!fs) {
        r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_aff && !rc.why; i++) {
        json_t *e = json_array_get(aff, i);
        json_t *pkg = json_object_get(e, "package");
        const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
        const char *name = json_string_value(json_object_get(pkg, "name"));
        if (!vdb_str_ok(eco, 64) || !vdb_str_ok(name, VDB_MAX_NAME)) {
            rc.why = "affected package";
            break;
        }
        bool has_fixed = false;
        struct vdb_aff *f = &fs[i];
        f->ecosystem = eco;
        f->package = name;
        f->ranges = clean_ranges(json_object_get(e, "ranges"), &f->fixed, &has_fixed, &rc);
        f->versions = str_list(json_object_get(e, "versions"), "versions", VDB_MAX_NAME, &rc);
        if (!f->ranges || !f->versions)
            break;
        if (vdb_strict(w))
            strict_versions(eco, f->ranges, f->versions, &rc);
        if (rc.why)
            break;
        f->status = has_fixed ? HULL_VULN_FIXED : HULL_VULN_AFFECTED;
        json_t *es = json_object_get(e, "ecosystem_specific");
        const char *urg = json_string_value(json_object_get(es, "urgency"));
        if (urg && vdb_str_ok(urg, 64)) {
            f->severity = urg;
            f->severity_source = "debian";
        }
        add_severity(a.cvss, json_object_get(e, "severity"), &rc);
    }
    if (!a.aliases || rc.why) {
        r = vdb_skip(w, id, rc.why ? rc.why : "aliases", err);
        goto free_aff;
    }
    if ((r = vdb_put_advisory(w, &a, err)) < 0)
        goto free_aff;
    for (size_t i = 0; i < n_aff && r == 0; i++)
        r = vdb_put_affected(w, id, &fs[i], err);
free_aff:
    for (size_t i = 0; i < n_aff; i++) {
        json_decref(fs[i].ranges);
        json_decref(fs[i].versions);
    }
    free(fs);
out:
    free(summary);
    free(details);
    json_decref(a.aliases);
    json_decref(a.refs);
    json_decref(a.cvss);
    return r;
}

int vdb_import_osv(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                   struct hull_err **err)
{
    json_t *j = hull_json_parse(buf, len, SIZE_MAX, origin, err);
    if (!j)
        return -(int)HULL_E_PARSE;
    int r = 0;
    if (json_is_array(j)) {
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            if ((r = vdb_import_osv_json(w, e, origin, err)) < 0)
                break;
        }
    } else {
        r = vdb_import_osv_json(w, j, origin, err);
    }
    json_decref(j);
    return r;
}
