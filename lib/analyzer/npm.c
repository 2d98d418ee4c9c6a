/* npm packages as installed: every node_modules/NAME/package.json and
 * node_modules/@SCOPE/NAME/package.json, at any nesting depth. What is on disk is the
 * inventory; each installed copy is one location of its name@version, and copies of the same
 * name@version are merged by hull_inventory_finish(). package.json "name" wins over the
 * directory name (the directory name is used when the manifest has none); "license" may be
 * a string, {"type": ...}, or the legacy "licenses" array. */
#include "core/common.h"
#include "core/jsonx.h"
#include "analyzer/analyzer.h"

#define NM "/node_modules/"
#define MAX_NAME 214 /* npm's own limit */

/* The package directory part after the last /node_modules/: "name" or "@scope/name",
 * followed by "/package.json"; false for any other file. */
static bool pkg_dir(const char *path, const char **dir, size_t *n)
{
    const char *nm = NULL;
    for (const char *s = strstr(path, NM); s; s = strstr(s + 1, NM))
        nm = s;
    if (!nm || !hull_has_suffix(path, "/package.json"))
        return false;
    const char *d = nm + strlen(NM);
    const char *slash = strchr(d, '/');
    if (!slash || d[0] == '.' || slash == d)
        return false;
    if (d[0] == '@') {
        if (slash == d + 1)
            return false;
        const char *s2 = strchr(slash + 1, '/');
        if (!s2 || s2 == slash + 1 || slash[1] == '.' || strcmp(s2, "/package.json"))
            return false;
        *dir = d;
        *n = (size_t)(s2 - d);
        return true;
    }
    if (strcmp(slash, "/package.json"))
        return false;
    *dir = d;
    *n = (size_t)(slash - d);
    return true;
}

static bool wants(const char *path)
{
    const char *d;
    size_t n;
    return pkg_dir(path, &d, &n);
}

static bool ok_string(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n && n <= max && hull_printable(s, n);
}

/* License text of a package.json; heap string or NULL. */
static char *license_of(json_t *root)
{
    json_t *l = json_object_get(root, "license");
    if (json_is_object(l))
        l = json_object_get(l, "type");
    if (json_is_string(l) && ok_string(json_string_value(l), HULL_MAX_FIELD))
        return strdup(json_string_value(l));
    json_t *arr = json_object_get(root, "licenses");
    if (!json_is_array(arr) || !json_array_size(arr))
        return NULL;
    char *out = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        json_t *t = json_is_object(e) ? json_object_get(e, "type") : e;
        if (!json_is_string(t) || !ok_string(json_string_value(t), 128) || i >= 8)
            continue;
        char *n = NULL;
        if (asprintf(&n, "%s%s%s", out ? out : "", out ? " OR " : "", json_string_value(t)) < 0)
            break;
        free(out);
        out = n;
    }
    return out;
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *dir;
    size_t dn;
    if (!pkg_dir(in->path, &dir, &dn))
        return 0;
    if (in->truncated)
        return hull_err_set(err, HULL_E_LIMIT, "package.json larger than the capture limit");
    size_t max = inv->ctx ? inv->ctx->limits.max_json_bytes : (64u << 20);
    json_t *root = hull_json_parse(in->data, in->len, max, "package.json", err);
    if (!root)
        return -1;
    int rc = 0;
    char *dirname = NULL, *lic = NULL;
    if (!json_is_object(root)) {
        rc = hull_err_set(err, HULL_E_PARSE, "package.json is not a JSON object");
        goto out;
    }
    const char *name = hull_json_str(root, "name");
    const char *version = hull_json_str(root, "version");
    if (!name) {
        if (!(dirname = strndup(dir, dn))) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        name = dirname;
    }
    if (!version) {
        rc = hull_err_set(err, HULL_E_PARSE, "package.json has no version");
        goto out;
    }
    if (!ok_string(name, MAX_NAME) || !ok_string(version, HULL_MAX_FIELD) ||
        strchr(version, ' ')) {
        rc = hull_err_set(err, HULL_E_PARSE, "package.json has an invalid name or version");
        goto out;
    }
    lic = license_of(root);
    struct hull_pkg t = { .type = HULL_PKG_NPM, .name = (char *)name, .version = (char *)version,
                          .license = lic };
    if (!hull_inventory_add(inv, &t, in, err))
        rc = -1;
out:
    free(dirname);
    free(lic);
    json_decref(root);
    return rc;
}

const struct hull_analyzer hull_analyzer_npm = { "npm", wants, parse };
