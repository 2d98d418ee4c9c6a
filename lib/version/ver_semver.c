/* Semantic Versioning 2.0.0 (semver.org) in two dialects:
 *
 * npm: node-semver's strict parse (classes/semver.js with internal/re.js FULL): at most 256
 * bytes, surrounding white space trimmed, an optional leading 'v', MAJOR.MINOR.PATCH without
 * leading zeros and at most Number.MAX_SAFE_INTEGER, optional -pre-release identifiers
 * ([0-9A-Za-z-], numeric ones without leading zeros) and +build identifiers (ignored when
 * comparing). Pre-release identifiers compare numerically when all digits (as JavaScript
 * numbers, so beyond 2^53 they compare as doubles, exactly like node), numeric below
 * alphanumeric, alphanumeric ones by ASCII; a shorter identifier list that is a prefix of a
 * longer one sorts first, and a version with a pre-release sorts before the release.
 *
 * golang: golang.org/x/mod/semver: the 'v' prefix is required, "vMAJOR" and "vMAJOR.MINOR"
 * are shorthands for .0 (without pre-release or build), numbers have any length and compare
 * exactly, build metadata (including "+incompatible") is ignored, and pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5, v1.2.4-0.2019...) are ordinary pre-releases. */
#include "core/common.h"
#include "version/verpriv.h"

#define NPM_MAX_LENGTH 256
#define MAX_SAFE_INTEGER 9007199254740991ULL

static bool identch(int c) { return hull_ver_isdigit(c) || hull_ver_isalpha(c) || c == '-'; }

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!hull_ver_isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* NUMERICIDENTIFIER: 0|[1-9]\d*, value <= MAX_SAFE_INTEGER. Advances *i. */
static bool npm_num(const char *s, size_t n, size_t *i, unsigned long long *out)
{
    size_t k = *i;
    if (k >= n || !hull_ver_isdigit((unsigned char)s[k]))
        return false;
    if (s[k] == '0') {
        *out = 0;
        *i = k + 1;
        return true;
    }
    unsigned long long v = 0;
    while (k < n && hull_ver_isdigit((unsigned char)s[k])) {
        if (v > MAX_SAFE_INTEGER)
            return false;
        v = v * 10 + (unsigned long long)(s[k] - '0');
        k++;
    }
    if (v > MAX_SAFE_INTEGER)
        return false;
    *out = v;
    *i = k;
    return true;
}

/* Dot-separated identifiers from s[*i] up to a byte not in [0-9A-Za-z.-]; strict pre-release
 * rules when pre is true (numeric identifiers without leading zeros). */
static bool idents(const char *s, size_t n, size_t *i, bool pre)
{
    size_t k = *i, start = k;
    for (;;) {
        if (k < n && identch((unsigned char)s[k])) {
            k++;
            continue;
        }
        size_t len = k - start;
        if (len == 0)
            return false;
        if (pre && len > 1 && s[start] == '0' && all_digits(s + start, len))
            return false;
        if (k < n && s[k] == '.') {
            k++;
            start = k;
            continue;
        }
        break;
    }
    *i = k;
    return true;
}

const char *hull_semver_parse(const char *v, size_t n, struct hull_semver *out)
{
    if (n > NPM_MAX_LENGTH)
        return "version is longer than 256 characters";
    while (n > 0 && hull_ver_isspace((unsigned char)*v))
        v++, n--;
    while (n > 0 && hull_ver_isspace((unsigned char)v[n - 1]))
        n--;
    size_t i = 0;
    if (i < n && v[i] == 'v')
        i++;
    if (!npm_num(v, n, &i, &out->major) || i >= n || v[i++] != '.' ||
        !npm_num(v, n, &i, &out->minor) || i >= n || v[i++] != '.' ||
        !npm_num(v, n, &i, &out->patch))
        return "not MAJOR.MINOR.PATCH (numbers without leading zeros, at most 2^53-1)";
    out->pre = NULL;
    out->prelen = 0;
    if (i < n && v[i] == '-') {
        size_t s = ++i;
        if (!idents(v, n, &i, true))
            return "invalid pre-release";
        out->pre = v + s;
        out->prelen = i - s;
    }
    if (i < n && v[i] == '+') {
        i++;
        if (!idents(v, n, &i, false))
            return "invalid build metadata";
    }
    if (i != n)
        return "unexpected characters after the version";
    return NULL;
}

static size_t ident_end(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] != '.')
        i++;
    return i;
}

/* compareIdentifiers over all-digit identifiers: JavaScript's +a, i.e. a double. */
static double js_number(const char *s, size_t n)
{
    char buf[NPM_MAX_LENGTH + 1];
    if (n > NPM_MAX_LENGTH)
        n = NPM_MAX_LENGTH;
    memcpy(buf, s, n);
    buf[n] = 0;
    return strtod(buf, NULL);
}

static int npm_pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a && !b)
        return 0;
    if (!a)
        return 1;
    if (!b)
        return -1;
    size_t i = 0, j = 0;
    for (;;) {
        if (i > an && j > bn)
            return 0;
        if (j > bn)
            return 1;
        if (i > an)
            return -1;
        size_t ie = ident_end(a, an, i), je = ident_end(b, bn, j);
        const char *x = a + i, *y = b + j;
        size_t xl = ie - i, yl = je - j;
        bool xn = all_digits(x, xl), yn = all_digits(y, yl);
        if (xl == yl && !memcmp(x, y, xl)) {
            i = ie + 1, j = je + 1;
            continue;
        }
        if (xn && yn) {
            if (xl <= 15 && yl <= 15)
                return hull_ver_numcmp(x, xl, y, yl);
            double dx = js_number(x, xl), dy = js_number(y, yl);
            return dx < dy ? -1 : dx > dy;
        }
        if (xn != yn)
            return xn ? -1 : 1;
        int r = memcmp(x, y, xl < yl ? xl : yl);
        if (r)
            return hull_ver_sign(r);
        return xl < yl ? -1 : 1;
    }
}

int hull_semver_cmp(const struct hull_semver *a, const struct hull_semver *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->patch != b->patch)
        return a->patch < b->patch ? -1 : 1;
    return npm_pre_cmp(a->pre, a->prelen, b->pre, b->prelen);
}

static const char *npm_check(const char *v, size_t n)
{
    struct hull_semver s;
    return hull_semver_parse(v, n, &s);
}

static int npm_cmp(const char *a, size_t an, const char *b, size_t bn, int *res,
                   const char **why)
{
    struct hull_semver x, y;
    if ((*why = hull_semver_parse(a, an, &x)))
        return 1;
    if ((*why = hull_semver_parse(b, bn, &y)))
        return 2;
    *res = hull_semver_cmp(&x, &y);
    return 0;
}

const struct hull_ver_ops hull_ver_npm = { "npm", npm_check, npm_cmp };

/* ---- golang.org/x/mod/semver ---- */

struct gover {
    const char *num[3];
    size_t numlen[3];
    const char *pre; /* without the '-', NULL when none */
    size_t prelen;
};

static bool go_int(const char *s, size_t n, size_t *i, const char **out, size_t *len)
{
    size_t k = *i;
    if (k >= n || !hull_ver_isdigit((unsigned char)s[k]))
        return false;
    size_t st = k++;
    while (k < n && hull_ver_isdigit((unsigned char)s[k]))
        k++;
    if (s[st] == '0' && k - st != 1)
        return false;
    *out = s + st;
    *len = k - st;
    *i = k;
    return true;
}

static const char *go_parse(const char *s, size_t n, struct gover *g)
{
    if (n == 0 || s[0] != 'v')
        return "Go module versions start with 'v'";
    size_t i = 1;
    g->pre = NULL;
    g->prelen = 0;
    g->num[1] = g->num[2] = "0";
    g->numlen[1] = g->numlen[2] = 1;
    const char *bad = "not vMAJOR[.MINOR[.PATCH[-pre][+build]]]";
    if (!go_int(s, n, &i, &g->num[0], &g->numlen[0]))
        return bad;
    if (i == n)
        return NULL;
    if (s[i++] != '.' || !go_int(s, n, &i, &g->num[1], &g->numlen[1]))
        return bad;
    if (i == n)
        return NULL;
    if (s[i++] != '.' || !go_int(s, n, &i, &g->num[2], &g->numlen[2]))
        return bad;
    if (i < n && s[i] == '-') {
        size_t st = ++i;
        if (!idents(s, n, &i, true))
            return "invalid pre-release";
        g->pre = s + st;
        g->prelen = i - st;
    }
    if (i < n && s[i] == '+') {
        i++;
        if (!idents(s, n, &i, false))
            return "invalid build metadata";
    }
    return i == n ? NULL : bad;
}

static int go_pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a && !b)
        return 0;
    if (!a)
        return 1;
    if (!b)
        return -1;
    size_t i = 0, j = 0;
    while (i <= an && j <= bn) {
        size_t ie = ident_end(a, an, i), je = ident_end(b, bn, j);
        const char *x = a + i, *y = b + j;
        size_t xl = ie - i, yl = je - j;
        if (!(xl == yl && !memcmp(x, y, xl))) {
            bool xn = all_digits(x, xl), yn = all_digits(y, yl);
            if (xn != yn)
                return xn ? -1 : 1;
            if (xn)
                return hull_ver_numcmp(x, xl, y, yl);
            int r = memcmp(x, y, xl < yl ? xl : yl);
            if (r)
                return hull_ver_sign(r);
            return xl < yl ? -1 : 1;
        }
        i = ie + 1, j = je + 1;
    }
    if (i > an && j > bn)
        return 0;
    return i > an ? -1 : 1;
}

static const char *go_check(const char *v, size_t n)
{
    struct gover g;
    return go_parse(v, n, &g);
}

static int go_cmp(const char *a, size_t an, const char *b, size_t bn, int *res,
                  const char **why)
{
    struct gover x, y;
    if ((*why = go_parse(a, an, &x)))
        return 1;
    if ((*why = go_parse(b, bn, &y)))
        return 2;
    for (int k = 0; k < 3; k++) {
        int r = hull_ver_numcmp(x.num[k], x.numlen[k], y.num[k], y.numlen[k]);
        if (r) {
            *res = r;
            return 0;
        }
    }
    *res = go_pre_cmp(x.pre, x.prelen, y.pre, y.prelen);
    return 0;
}

const struct hull_ver_ops hull_ver_golang = { "golang", go_check, go_cmp };
