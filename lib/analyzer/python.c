/* Python distributions installed in site-packages or dist-packages (PyPA core metadata):
 *   DIR/NAME-VER.dist-info/METADATA   (wheels, pip)
 *   DIR/NAME-VER.egg-info/PKG-INFO    (setuptools, directory form)
 *   DIR/NAME-VER.egg-info             (setuptools, single-file form)
 * The metadata is an RFC 822 header block ending at the first blank line; Name, Version and
 * License-Expression (or License) are kept. */
#include "core/common.h"
#include "analyzer/analyzer.h"

/* Does the path sit directly in a site-packages/dist-packages directory (depth levels
 * below it)? */
static bool in_site(const char *path, int depth)
{
    const char *p = path + strlen(path);
    for (int i = 0; i <= depth; i++) {
        while (p > path && p[-1] != '/')
            p--;
        if (p == path)
            return false;
        p--;
    }
    /* p points at the '/' ending the directory that must be site-/dist-packages */
    static const char *const dirs[] = { "/site-packages", "/dist-packages" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(dirs); i++) {
        size_t n = strlen(dirs[i]);
        if ((size_t)(p - path) >= n && !memcmp(p - n, dirs[i], n))
            return true;
    }
    return false;
}

static bool parent_has_suffix(const char *path, const char *suffix)
{
    const char *b = strrchr(path, '/');
    if (!b)
        return false;
    size_t n = strlen(suffix), dn = (size_t)(b - path);
    return dn > n && !memcmp(b - n, suffix, n);
}

static bool wants(const char *path)
{
    const char *b = hull_base(path);
    if (!strcmp(b, "METADATA"))
        return parent_has_suffix(path, ".dist-info") && in_site(path, 1);
    if (!strcmp(b, "PKG-INFO"))
        return parent_has_suffix(path, ".egg-info") && in_site(path, 1);
    return hull_has_suffix(b, ".egg-info") && in_site(path, 0);
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *p = (const char *)in->data, *end = p + in->len, *l;
    size_t n;
    const char *v[4] = { 0 };
    size_t vn[4] = { 0 };
    static const char *const keys[4] = { "Name", "Version", "License-Expression", "License" };
    while (hull_next_line(&p, end, &l, &n)) {
        if (!n)
            break; /* end of the header block; the description follows */
        if (l[0] == ' ' || l[0] == '\t')
            continue;
        const char *c = memchr(l, ':', n);
        if (!c)
            continue;
        size_t kn = (size_t)(c - l);
        for (int k = 0; k < 4; k++)
            if (!v[k] && kn == strlen(keys[k]) && !strncasecmp(l, keys[k], kn)) {
                v[k] = c + 1;
                vn[k] = (size_t)(l + n - c - 1);
                hull_trim(&v[k], &vn[k]);
            }
    }
    if (!vn[0] || !vn[1])
        return hull_err_set(err, HULL_E_PARSE, "metadata lacks Name or Version");
    for (int k = 0; k < 4; k++)
        if (vn[k] > HULL_MAX_FIELD || !hull_printable(v[k] ? v[k] : "", vn[k]) ||
            (k < 2 && memchr(v[k], ' ', vn[k])))
            return hull_err_set(err, HULL_E_PARSE, "metadata has an invalid %s", keys[k]);
    int lk = vn[2] ? 2 : 3;
    char *name = strndup(v[0], vn[0]), *ver = strndup(v[1], vn[1]);
    char *lic = vn[lk] && strncmp(v[lk], "UNKNOWN", vn[lk]) ? strndup(v[lk], vn[lk]) : NULL;
    int rc = 0;
    if (!name || !ver)
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    else {
        struct hull_pkg t = { .type = HULL_PKG_PYPI, .name = name, .version = ver,
                              .license = lic };
        if (!hull_inventory_add(inv, &t, in, err))
            rc = -1;
    }
    free(name);
    free(ver);
    free(lic);
    return rc;
}

const struct hull_analyzer hull_analyzer_python = { "python", wants, parse };
