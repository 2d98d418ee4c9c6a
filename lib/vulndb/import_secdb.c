/* Alpine secdb (https://secdb.alpinelinux.org/vX.Y/{main,community}.json): per APK origin
 * package, "secfixes" maps a fixed-in version to the ids it fixes. Quirks handled (see
 * ../shared/data/vuln/README.md section 1):
 *   - "0" as the key: the package was never affected -> status not_affected;
 *   - one string holding two ids ("CVE-2017-12122 TALOS-2017-0488"): the first is the advisory,
 *     the rest are its aliases;
 *   - non-CVE ids (XSA-*, ALPINE-*, GHSA-* ...) are advisories of their own;
 *   - malformed CVE ids ("CVE-46838") are skipped and counted;
 *   - keys are sorted as strings, not versions, and an id may sit under several keys: the
 *     lowest fixed version in apk order wins.
 * The document replaces the source "alpine-secdb:<distroversion>/<reponame>". */
#include "core/common.h"
#include "core/jsonx.h"
#include "core/buf.h"
#include "hull/version.h"
#include "vulndb/vdb.h"

struct fix {
    char *id;
    char *fixed;     /* NULL for "0" */
    json_t *aliases;
};

static int fix_cmp(const void *a, const void *b)
{
    return strcmp(((const struct fix *)a)->id, ((const struct fix *)b)->id);
}

/* Is version a lower than b in apk order? Unparseable versions compare as strings. */
static bool apk_lower(const char *a, const char *b)
{
    int c;
    if (hull_version_cmp(HULL_ECO_APK, a, strlen(a), b, strlen(b), &c, NULL) < 0)
        c = strcmp(a, b);
    return c < 0;
}

static int import_package(struct vdb_writer *w, const char *eco, const json_t *pkg,
                          size_t index, struct hull_err **err)
{
    const char *name = json_string_value(json_object_get(pkg, "name"));
    json_t *sf = json_object_get(pkg, "secfixes");
    char pos[64];
    snprintf(pos, sizeof(pos), "packages[%zu]", index);
    if (!vdb_str_ok(name, VDB_MAX_NAME))
        return vdb_skip(w, pos, "missing package name", err);
    if (!json_is_object(sf))
        return vdb_skip(w, name, "missing secfixes", err);
    struct fix *fx = NULL;
    size_t n = 0, cap = 0;
    int r = 0;
    const char *ver;
    json_t *ids;
    json_object_foreach(sf, ver, ids) {
        vdb_count_record(w);
        if (!vdb_str_ok(ver, VDB_MAX_NAME) || !json_is_array(ids) ||
            json_array_size(ids) > VDB_MAX_LIST) {
            if ((r = vdb_skip(w, name, "bad secfixes entry", err)) < 0)
                goto out;
            continue;
        }
        size_t i;
        json_t *idv;
        json_array_foreach(ids, i, idv) {
            const char *s = json_string_value(idv);
            if (!vdb_str_ok(s, 1024)) {
                if ((r = vdb_skip(w, name, "bad id string", err)) < 0)
                    goto out;
                continue;
            }
            /* split on blanks: first token = advisory id, rest = aliases */
            char *copy = strdup(s), *save = NULL;
            if (!copy) {
                r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
            char *first = strtok_r(copy, " \t", &save);
            if (!first || !vdb_str_ok(first, VDB_MAX_ID) ||
                (!strncmp(first, "CVE-", 4) && !vdb_is_cve(first))) {
                r = vdb_skip(w, first ? first : name, "malformed id", err);
                free(copy);
                if (r < 0)
                    goto out;
                continue;
            }
            json_t *al = json_array();
            for (char *t; (t = strtok_r(NULL, " \t", &save));)
                if (vdb_str_ok(t, VDB_MAX_ID))
                    json_array_append_new(al, json_string(t));
            const char *fixed = strcmp(ver, "0") ? ver : NULL;
            /* the same id under several keys: keep the lowest fixed version */
            size_t k = 0;
            for (; k < n; k++)
                if (!strcmp(fx[k].id, first))
                    break;
            if (k < n) {
                if (fx[k].fixed && (!fixed || apk_lower(fixed, fx[k].fixed))) {
                    free(fx[k].fixed);
                    fx[k].fixed = fixed ? strdup(fixed) : NULL;
                }
                json_array_extend(fx[k].aliases, al);
                json_decref(al);
                free(copy);
                continue;
            }
            if (hull_grow(&fx, n, &cap, sizeof(*fx), 16) < 0) {
                json_decref(al);
                free(copy);
                r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
            fx[n].id = strdup(first);
            fx[n].fixed = fixed ? strdup(fixed) : NULL;
            fx[n].aliases = al;
            n++;
            free(copy);
        }
    }
    if (n)
        qsort(fx, n, sizeof(*fx), fix_cmp);
    for (size_t k = 0; k < n && r == 0; k++) {
        if (!fx[k].id)
            continue;
        struct vdb_adv a = { .id = fx[k].id, .aliases = fx[k].aliases };
        struct vdb_aff f = {
            .ecosystem = eco,
            .package = name,
            .status = fx[k].fixed ? HULL_VULN_FIXED : HULL_VULN_NOT_AFFECTED,
            .fixed = fx[k].fixed,
        };
        if ((r = vdb_put_advisory(w, &a, err)) == 0)
            r = vdb_put_affected(w, fx[k].id, &f, err);
    }
out:
    for (size_t k = 0; k < n; k++) {
        free(fx[k].id);
        free(fx[k].fixed);
        json_decref(fx[k].aliases);
    }
    free(fx);
    return r;
}

int vdb_import_secdb(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                     struct hull_err **err)
{
    json_t *j = hull_json_parse(buf, len, SIZE_MAX, origin, err);
    if (!j)
        return -(int)HULL_E_PARSE;
    const char *dv = json_string_value(json_object_get(j, "distroversion"));
    const char *repo = json_string_value(json_object_get(j, "reponame"));
    json_t *pkgs = json_object_get(j, "packages");
    int r;
    if (!vdb_str_ok(dv, 32) || !json_is_array(pkgs)) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: not an Alpine secdb document (no distroversion "
                         "or packages)", origin);
        goto out;
    }
    if (!vdb_str_ok(repo, 32))
        repo = "main";
    char eco[64], src[128];
    /* "v3.18" -> "Alpine:v3.18" (osv.dev's spelling) */
    snprintf(eco, sizeof(eco), "Alpine:%s%s", dv[0] == 'v' ? "" : "v", dv);
    snprintf(src, sizeof(src), "alpine-secdb:%s/%s", dv, repo);
    if ((r = vdb_source_begin(w, src, "alpine-secdb", origin, true, err)) < 0)
        goto out;
    size_t i;
    json_t *e;
    json_array_foreach(pkgs, i, e) {
        if ((r = import_package(w, eco, json_object_get(e, "pkg"), i, err)) < 0)
            break;
    }
    if (r == 0)
        r = vdb_source_end(w, err);
out:
    json_decref(j);
    return r;
}
