/* The ecosystem table behind hull_version_cmp: one row per purl type, each row a comparator
 * file in this directory. docs/versions.md documents the rules each file follows. */
#include "core/common.h"
#include "version/verpriv.h"

static const struct hull_ver_ops *const ops_table[HULL_ECO__COUNT] = {
    [HULL_ECO_DEB] = &hull_ver_deb,     [HULL_ECO_APK] = &hull_ver_apk,
    [HULL_ECO_RPM] = &hull_ver_rpm,     [HULL_ECO_NPM] = &hull_ver_npm,
    [HULL_ECO_PYPI] = &hull_ver_pypi,   [HULL_ECO_GOLANG] = &hull_ver_golang,
    [HULL_ECO_MAVEN] = &hull_ver_maven, [HULL_ECO_GEM] = &hull_ver_gem,
};

int hull_eco_from_name(const char *purl_type, enum hull_eco *out)
{
    if (!purl_type)
        return -1;
    for (size_t i = 0; i < HULL_ECO__COUNT; i++) {
        if (!strcmp(purl_type, ops_table[i]->name)) {
            *out = (enum hull_eco)i;
            return 0;
        }
    }
    return -1;
}

const char *hull_eco_name(enum hull_eco eco)
{
    if ((unsigned)eco >= HULL_ECO__COUNT)
        return "?";
    return ops_table[eco]->name;
}

int hull_ver_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 0 && *a == '0')
        a++, an--;
    while (bn > 0 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    return hull_ver_sign(memcmp(a, b, an));
}

/* Quote at most 64 bytes of a hostile version for an error message (err.c folds control
 * characters). */
static int quoted_len(size_t n) { return n > 64 ? 64 : (int)n; }

int hull_version_cmp(enum hull_eco eco, const char *a, size_t alen, const char *b, size_t blen,
                     int *cmp, struct hull_err **err)
{
    if ((unsigned)eco >= HULL_ECO__COUNT)
        return hull_err_set(err, HULL_E_USAGE, "unknown version ecosystem %d", (int)eco);
    const struct hull_ver_ops *ops = ops_table[eco];
    const char *why = "invalid";
    int r = ops->cmp(a ? a : "", a ? alen : 0, b ? b : "", b ? blen : 0, cmp, &why);
    if (r == 0)
        return 0;
    const char *v = r == 1 ? a : b;
    size_t n = r == 1 ? alen : blen;
    if (!v)
        n = 0;
    return hull_err_set(err, HULL_E_PARSE, "%s version \"%.*s%s\": %s", ops->name,
                        quoted_len(n), v ? v : "", n > 64 ? "..." : "", why);
}

bool hull_version_check(enum hull_eco eco, const char *v, size_t len, const char **why)
{
    const char *w;
    if ((unsigned)eco >= HULL_ECO__COUNT)
        w = "unknown ecosystem";
    else
        w = ops_table[eco]->check(v ? v : "", v ? len : 0);
    if (why)
        *why = w;
    return w == NULL;
}

bool hull_version_valid(enum hull_eco eco, const char *v, size_t len)
{
    return hull_version_check(eco, v, len, NULL);
}
