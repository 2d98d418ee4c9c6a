/* CVSS enrichment from a CSV of "cve_id,cvss3_vector,cvss3_score,cvss2_vector,cvss2_score,
 * published,source" (../shared/data/vuln/cvss/cvss.csv; the same columns can be produced from
 * NVD API 2.0 records). Vectors are kept as published; scores are recomputed at lookup time and
 * the published score kept beside them (some sources publish scores that do not match their
 * vector). A row with a malformed CVE id or score is skipped and counted. The document replaces
 * the source "cvss". */
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
