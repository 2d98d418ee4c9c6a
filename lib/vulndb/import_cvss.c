/* CVSS enrichment for CVE ids, from
 *   - a CSV of "cve_id,cvss3_vector,cvss3_score,cvss2_vector,cvss2_score,published,source"
 *     (../shared/data/vuln/cvss/cvss.csv), replacing the source "cvss";
 *   - NVD API 2.0 responses ({"format":"NVD_CVE","vulnerabilities":[{"cve":{"id","published",
 *     "metrics":{"cvssMetricV40"|"cvssMetricV31"|"cvssMetricV30"|"cvssMetricV2":[{"source",
 *     "type":"Primary"|"Secondary","cvssData":{"vectorString","baseScore"}}]}}}]}), one page
 *     per document, added to the source "nvd" (pages of one run add up; a CVE seen again is
 *     replaced, and one without metrics any more loses its row). The Primary metric wins, v4.0 over v3.1 over v3.0 for the v3/v4 column.
 * Vectors are kept as published; scores are recomputed at lookup time and the published score
 * kept beside them (some sources publish scores that do not match their vector). A row with a
 * malformed CVE id or score is skipped and counted. */
#include "core/common.h"
#include "vulndb/vdb.h"

#define NCOL 7

/* Split one CSV line (RFC 4180 quoting) into at most NCOL fields, in place. */
static int split_csv(char *line, char **f)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == NCOL)
            return -1;
        if (*p == '"') {
            char *o = ++p;
            f[n++] = o;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *o++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
            *o = 0;
            if (*p == ',') {
                p++;
                continue;
            }
            return *p ? -1 : n;
        }
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            return n;
        *c = 0;
        p = c + 1;
    }
}

static double score(const char *s, bool *bad)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    double v = strtod(s, &end);
    if (!end || *end || v < 0 || v > 10)
        *bad = true;
    return v;
}

int vdb_import_cvss_csv(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                        struct hull_err **err)
{
    int r = vdb_source_begin(w, "cvss", "cvss", origin, true, err);
    if (r < 0)
        return r;
    size_t pos = 0, lineno = 0;
    char *line = NULL;
    while (pos < len && r == 0) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        free(line);
        line = strndup(buf + pos, l);
        pos += l + (nl ? 1 : 0);
        lineno++;
        if (!line)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        size_t ll = strlen(line);
        if (ll != l) {
            r = vdb_skip(w, "line", "NUL byte", err);
            continue;
        }
        if (ll && line[ll - 1] == '\r')
            line[--ll] = 0;
        if (!ll)
            continue;
        if (lineno == 1) {
            if (strncmp(line, "cve_id,", 7) != 0) {
                free(line);
                return hull_err_set(err, HULL_E_PARSE, "%s: not a CVSS CSV (no cve_id header)",
                                    origin);
            }
            continue;
        }
        vdb_count_record(w);
        char *f[NCOL] = { 0 };
        char pos_s[48];
        snprintf(pos_s, sizeof(pos_s), "line %zu", lineno);
        int n = split_csv(line, f);
        bool bad = n < 3;
        const char *cve = n > 0 ? f[0] : NULL;
        if (!bad && !vdb_is_cve(cve))
            bad = true;
        double s3 = n > 2 ? score(f[2], &bad) : -1, s2 = n > 4 ? score(f[4], &bad) : -1;
        const char *v3 = n > 1 && f[1][0] ? f[1] : NULL, *v2 = n > 3 && f[3][0] ? f[3] : NULL;
        if (!bad && ((v3 && !vdb_str_ok(v3, 400)) || (v2 && !vdb_str_ok(v2, 400)) || (!v3 && !v2)))
            bad = true;
        if (bad) {
            r = vdb_skip(w, cve && vdb_str_ok(cve, VDB_MAX_ID) ? cve : pos_s, "bad CVSS row", err);
            continue;
        }
        const char *pub = n > 5 && vdb_str_ok(f[5], 64) ? f[5] : NULL;
        const char *src = n > 6 && vdb_str_ok(f[6], 64) ? f[6] : NULL;
        r = vdb_put_cvss(w, cve, v3, s3, v2, s2, pub, src ? src : "cvss", err);
    }
    free(line);
    if (r < 0)
        return r;
    return vdb_source_end(w, err);
}

/* The vector and score of the best metric in one "cvssMetricVxx" array: Primary first. */
static bool nvd_metric(const json_t *arr, const char **vec, double *score)
{
    const json_t *best = NULL;
    size_t i;
    json_t *m;
    json_array_foreach(arr, i, m) {
        const char *type = json_string_value(json_object_get(m, "type"));
        if (!best || (type && !strcmp(type, "Primary")))
            best = m;
        if (type && !strcmp(type, "Primary"))
            break;
    }
    json_t *d = json_object_get(best, "cvssData");
    const char *v = json_string_value(json_object_get(d, "vectorString"));
    json_t *sc = json_object_get(d, "baseScore");
    if (!v || !vdb_str_ok(v, 400))
        return false;
    *vec = v;
    *score = json_is_number(sc) ? json_number_value(sc) : -1;
    return true;
}

int vdb_import_nvd(struct vdb_writer *w, const char *origin, const json_t *doc,
                   struct hull_err **err)
{
    json_t *vs = json_object_get(doc, "vulnerabilities");
    if (!json_is_array(vs))
        return hull_err_set(err, HULL_E_PARSE, "%s: not an NVD API 2.0 response", origin);
    int r = vdb_source_begin(w, "nvd", "nvd", origin, false, err);
    size_t i;
    json_t *e;
    json_array_foreach(vs, i, e) {
        if (r < 0)
            break;
        vdb_count_record(w);
        json_t *cve = json_object_get(e, "cve");
        const char *id = json_string_value(json_object_get(cve, "id"));
        json_t *mx = json_object_get(cve, "metrics");
        if (!vdb_is_cve(id)) {
            char pos[48];
            snprintf(pos, sizeof(pos), "vulnerabilities[%zu]", i);
            r = vdb_skip(w, id && vdb_str_ok(id, VDB_MAX_ID) ? id : pos, "bad CVE id", err);
            continue;
        }
        const char *v3 = NULL, *v2 = NULL;
        double s3 = -1, s2 = -1;
        static const char *const newer[] = { "cvssMetricV40", "cvssMetricV31", "cvssMetricV30" };
        for (size_t k = 0; k < HULL_ARRAY_LEN(newer) && !v3; k++)
            nvd_metric(json_object_get(mx, newer[k]), &v3, &s3);
        nvd_metric(json_object_get(mx, "cvssMetricV2"), &v2, &s2);
        if (!v3 && !v2) {
            /* not scored (yet, or any more: rejected, metrics withdrawn): an earlier row of
             * this source goes, so an incremental page can take a score away */
            r = vdb_del_cvss(w, id, err);
            continue;
        }
        const char *pub = json_string_value(json_object_get(cve, "published"));
        char day[11] = "";
        if (pub && strlen(pub) >= 10)
            snprintf(day, sizeof(day), "%.10s", pub);
        r = vdb_put_cvss(w, id, v3, s3, v2, s2, day[0] ? day : NULL, "nvd", err);
    }
    if (r < 0)
        return r;
    return vdb_source_end(w, err);
}
