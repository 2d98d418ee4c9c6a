/* Python package versions: PEP 440 ("Version Identification and Dependency Specification")
 * as packaging.version.Version parses and orders them (its VERSION_PATTERN and _cmpkey).
 *
 *   [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 *
 * with the normalisations PEP 440 allows: case-insensitive, surrounding white space, a
 * leading 'v', optional '.', '-' or '_' separators around the pre/post/dev parts, implicit
 * numbers (1.0a = 1.0a0), alpha/beta/c/pre/preview spellings (a, b, rc), rev/r for post and
 * the "1.0-1" post-release form. Ordering: epoch, then the release with trailing zeros
 * ignored (1.0 == 1.0.0), then pre-release (a < b < rc; a dev-only release sorts before any
 * pre-release of it), post-release, dev-release (before the non-dev one), then the local
 * version (absent < present; segments numeric above alphanumeric, numbers numerically,
 * strings case-folded). Numbers are compared exactly at any length. */
#include "core/common.h"
#include "version/verpriv.h"

struct pyver {
    const char *epoch, *rel, *pre_n, *post_n, *dev_n, *local;
    size_t epochlen, rellen, pre_nlen, post_nlen, dev_nlen, locallen;
    int pre_l; /* -1 none, 0 a, 1 b, 2 rc */
    bool post, dev;
};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive match of word at s[*i]; advances on success. */
static bool word(const char *s, size_t n, size_t *i, const char *w)
{
    size_t l = strlen(w);
    if (n - *i < l)
        return false;
    for (size_t k = 0; k < l; k++)
        if (lower((unsigned char)s[*i + k]) != w[k])
            return false;
    *i += l;
    return true;
}

static bool sep(int c) { return c == '-' || c == '_' || c == '.'; }

static size_t digits(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && hull_ver_isdigit((unsigned char)s[k]))
        k++;
    return k - i;
}

static bool alnum_l(int c) { return hull_ver_isdigit(c) || hull_ver_isalpha(c); }

static const char *parse(const char *s, size_t n, struct pyver *v)
{
    memset(v, 0, sizeof(*v));
    v->pre_l = -1;
    while (n > 0 && hull_ver_isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && hull_ver_isspace((unsigned char)s[n - 1]))
        n--;
    size_t i = 0;
    if (i < n && lower((unsigned char)s[i]) == 'v')
        i++;
    size_t d = digits(s, n, i);
    if (d && i + d < n && s[i + d] == '!') {
        v->epoch = s + i;
        v->epochlen = d;
        i += d + 1;
        d = digits(s, n, i);
    }
    if (!d)
        return "no release number (PEP 440: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local])";
    v->rel = s + i;
    i += d;
    while (i + 1 < n && s[i] == '.' && hull_ver_isdigit((unsigned char)s[i + 1]))
        i += 1 + digits(s, n, i + 1);
    v->rellen = (size_t)(s + i - v->rel);

    /* pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N? */
    {
        size_t k = i;
        if (k < n && sep((unsigned char)s[k]))
            k++;
        static const struct { const char *w; int l; } pre[] = {
            { "alpha", 0 }, { "a", 0 }, { "beta", 1 }, { "b", 1 }, { "preview", 2 },
            { "pre", 2 },   { "c", 2 }, { "rc", 2 },
        };
        for (size_t p = 0; p < HULL_ARRAY_LEN(pre); p++) {
            if (word(s, n, &k, pre[p].w)) {
                v->pre_l = pre[p].l;
                break;
            }
        }
        if (v->pre_l >= 0) {
            if (k < n && sep((unsigned char)s[k]))
                k++;
            size_t nd = digits(s, n, k);
            v->pre_n = s + k;
            v->pre_nlen = nd;
            i = k + nd;
        }
    }
    /* post-release: -N | [-_.]?(post|rev|r)[-_.]?N? */
    {
        size_t k = i;
        size_t nd = (k < n && s[k] == '-') ? digits(s, n, k + 1) : 0;
        if (nd) {
            v->post = true;
            v->post_n = s + k + 1;
            v->post_nlen = nd;
            i = k + 1 + nd;
        } else {
            if (k < n && sep((unsigned char)s[k]))
                k++;
            if (word(s, n, &k, "post") || word(s, n, &k, "rev") || word(s, n, &k, "r")) {
                if (k < n && sep((unsigned char)s[k]))
                    k++;
                nd = digits(s, n, k);
                v->post = true;
                v->post_n = s + k;
                v->post_nlen = nd;
                i = k + nd;
            }
        }
    }
    /* dev-release: [-_.]?dev[-_.]?N? */
    {
        size_t k = i;
        if (k < n && sep((unsigned char)s[k]))
            k++;
        if (word(s, n, &k, "dev")) {
            if (k < n && sep((unsigned char)s[k]))
                k++;
            size_t nd = digits(s, n, k);
            v->dev = true;
            v->dev_n = s + k;
            v->dev_nlen = nd;
            i = k + nd;
        }
    }
    /* local: +[a-z0-9]+([-_.][a-z0-9]+)* */
    if (i < n && s[i] == '+') {
        size_t k = ++i;
        for (;;) {
            size_t st = k;
            while (k < n && alnum_l((unsigned char)s[k]))
                k++;
            if (k == st)
                return "invalid local version label";
            if (k + 1 < n && sep((unsigned char)s[k]) && alnum_l((unsigned char)s[k + 1])) {
                k++;
                continue;
            }
            break;
        }
        v->local = s + i;
        v->locallen = k - i;
        i = k;
    }
    if (i != n)
        return "not a PEP 440 version";
    return NULL;
}

/* Release segments, trailing zeros ignored: segment by segment, a missing one counts 0. */
static int release_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    while (i < an || j < bn) {
        size_t x = i < an ? digits(a, an, i) : 0, y = j < bn ? digits(b, bn, j) : 0;
        int r = hull_ver_numcmp(i < an ? a + i : "0", x ? x : 1, j < bn ? b + j : "0", y ? y : 1);
        if (r)
            return r;
        i += x + 1;
        j += y + 1;
    }
    return 0;
}

static int num_or0(const char *a, size_t an, const char *b, size_t bn)
{
    return hull_ver_numcmp(an ? a : "0", an ? an : 1, bn ? b : "0", bn ? bn : 1);
}

static size_t local_seg(const char *s, size_t n, size_t i)
{
    while (i < n && !sep((unsigned char)s[i]))
        i++;
    return i;
}

static int local_cmp(const struct pyver *x, const struct pyver *y)
{
    if (!x->local || !y->local)
        return x->local ? 1 : y->local ? -1 : 0;
    const char *a = x->local, *b = y->local;
    size_t an = x->locallen, bn = y->locallen, i = 0, j = 0;
    while (i <= an && j <= bn) {
        size_t ie = local_seg(a, an, i), je = local_seg(b, bn, j);
        size_t al = ie - i, bl = je - j;
        bool anum = digits(a, an, i) == al, bnum = digits(b, bn, j) == bl;
        int r;
        if (anum && bnum) {
            r = hull_ver_numcmp(a + i, al, b + j, bl);
        } else if (anum != bnum) {
            r = anum ? 1 : -1;
        } else {
            r = 0;
            for (size_t k = 0; k < al && k < bl && !r; k++)
                r = hull_ver_sign(lower((unsigned char)a[i + k]) - lower((unsigned char)b[j + k]));
            if (!r)
                r = al < bl ? -1 : al > bl;
        }
        if (r)
            return r;
        i = ie + 1, j = je + 1;
    }
    if (i > an && j > bn)
        return 0;
    return i > an ? -1 : 1;
}

/* _cmpkey's pre component: dev-only releases -inf, no pre-release +inf. */
static int pre_rank(const struct pyver *v)
{
    if (v->pre_l < 0 && !v->post && v->dev)
        return -1;
    if (v->pre_l < 0)
        return 1;
    return 0;
}

static int pycmp(const struct pyver *x, const struct pyver *y)
{
    int r = num_or0(x->epoch, x->epochlen, y->epoch, y->epochlen);
    if (r)
        return r;
    if ((r = release_cmp(x->rel, x->rellen, y->rel, y->rellen)))
        return r;
    int px = pre_rank(x), py = pre_rank(y);
    if (px != py)
        return px < py ? -1 : 1;
    if (px == 0) {
        if (x->pre_l != y->pre_l)
            return x->pre_l < y->pre_l ? -1 : 1;
        if ((r = num_or0(x->pre_n, x->pre_nlen, y->pre_n, y->pre_nlen)))
            return r;
    }
    if (x->post != y->post)
        return x->post ? 1 : -1;
    if (x->post && (r = num_or0(x->post_n, x->post_nlen, y->post_n, y->post_nlen)))
        return r;
    if (x->dev != y->dev)
        return x->dev ? -1 : 1;
    if (x->dev && (r = num_or0(x->dev_n, x->dev_nlen, y->dev_n, y->dev_nlen)))
        return r;
    return local_cmp(x, y);
}

static const char *check(const char *v, size_t n)
{
    struct pyver p;
    return parse(v, n, &p);
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    struct pyver x, y;
    if ((*why = parse(a, an, &x)))
        return 1;
    if ((*why = parse(b, bn, &y)))
        return 2;
    *res = pycmp(&x, &y);
    return 0;
}

const struct hull_ver_ops hull_ver_pypi = { "pypi", check, cmp };
