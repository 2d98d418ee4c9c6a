/* CISA Known Exploited Vulnerabilities catalogue (known_exploited_vulnerabilities.json):
 *   {"catalogVersion", "count", "vulnerabilities": [{"cveID", "vendorProject", "product",
 *    "vulnerabilityName", "dateAdded", "knownRansomwareCampaignUse", ...}]}
 * Each CVE becomes a kev row; lookups flag advisories whose id or alias is listed. The
 * document replaces the source "kev". */
#include "core/common.h"
#include "core/jsonx.h"
#include "vulndb/vdb.h"

static const char *s64(const json_t *o, const char *k, size_t max)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && vdb_str_ok(s, max) ? s : NULL;
}

int vdb_import_kev(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                   struct hull_err **err)
{
    json_t *j = hull_json_parse(buf, len, SIZE_MAX, origin, err);
    if (!j)
        return -(int)HULL_E_PARSE;
    json_t *vs = json_object_get(j, "vulnerabilities");
    int r;
    if (!json_is_array(vs)) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: not a KEV catalogue", origin);
        goto out;
    }
    if ((r = vdb_source_begin(w, "kev", "kev", origin, true, err)) < 0)
        goto out;
    size_t i;
    json_t *e;
    json_array_foreach(vs, i, e) {
        vdb_count_record(w);
        const char *cve = s64(e, "cveID", VDB_MAX_ID);
        if (!vdb_is_cve(cve)) {
            char pos[48];
            snprintf(pos, sizeof(pos), "vulnerabilities[%zu]", i);
            if ((r = vdb_skip(w, cve ? cve : pos, "bad cveID", err)) < 0)
                goto out;
            continue;
        }
        r = vdb_put_kev(w, cve, s64(e, "dateAdded", 32), s64(e, "vendorProject", 512),
                        s64(e, "product", 512), s64(e, "vulnerabilityName", 1024),
                        s64(e, "knownRansomwareCampaignUse", 64), err);
        if (r < 0)
            goto out;
    }
    r = vdb_source_end(w, err);
out:
    json_decref(j);
    return r;
}
