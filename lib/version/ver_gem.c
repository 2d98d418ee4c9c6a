/* RubyGems versions as Gem::Version (rubygems/version.rb) validates and orders them.
 *
 * Valid: optional white space around [0-9]+(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
 * or an empty/blank string (which means "0"). Each '-' becomes ".pre.", then the segments
 * are the runs of digits (numbers) and of letters (strings). Comparison uses the canonical
 * segments: the numeric segments before the first string and the segments from the first
 * string on each lose their trailing zeros (1.0 == 1, 1.0.a == 1.a). Segments compare left
 * to right with a missing segment counting as 0: a string sorts before any number (so
 * 1.0.a < 1.0 and strings mark pre-releases), strings compare bytewise (case-sensitive),
 * numbers numerically at any size. */
#include "core/common.h"
#include "version/verpriv.h"

struct gseg {
    const char *s;
    size_t n;
    bool num;
};

struct gver {
    const char *v;
    size_t n;
    size_t total, num_end, str_start, str_end; /* segment indexes of the canonical form */
};

static bool alnum(int c) { return hull_ver_isdigit(c) || hull_ver_isalpha(c); }

static const char *validate(const char *s, size_t n)
{
    size_t i = 0;
    if (!hull_ver_isdigit((unsigned char)s[0]))
        return "not a gem version (N(.X)*(-X(.X)*)? with X alphanumeric)";
    while (i < n && hull_ver_isdigit((unsigned char)s[i]))
        i++;
    while (i + 1 < n && s[i] == '.' && alnum((unsigned char)s[i + 1])) {
        i++;
        while (i < n && alnum((unsigned char)s[i]))
            i++;
    }
    if (i < n && s[i] == '-') {
        size_t st = ++i;
        for (;;) {
            while (i < n && (alnum((unsigned char)s[i]) || s[i] == '-'))
                i++;
            if (i == st)
                return "empty pre-release segment";
            if (i + 1 < n && s[i] == '.' &&
                (alnum((unsigned char)s[i + 1]) || s[i + 1] == '-')) {
                st = ++i;
                continue;
            }
            break;
        }
    }
    return i == n ? NULL : "not a gem version (N(.X)*(-X(.X)*)? with X alphanumeric)";
}

/* Next segment from *i: a digit run, a letter run, or "pre" for a '-'. */
static bool next_seg(const char *s, size_t n, size_t *i, struct gseg *g)
{
    size_t k = *i;
    while (k < n && s[k] == '.')
        k++;
    if (k >= n)
        return false;
    if (s[k] == '-') {
        g->s = "pre";
        g->n = 3;
        g->num = false;
        *i = k + 1;
        return true;
    }
    size_t st = k;
    g->num = hull_ver_isdigit((unsigned char)s[k]);
    if (g->num)
        while (k < n && hull_ver_isdigit((unsigned char)s[k]))
            k++;
    else
        while (k < n && hull_ver_isalpha((unsigned char)s[k]))
            k++;
    g->s = s + st;
    g->n = k - st;
    *i = k;
    return true;
}

static bool is_zero(const struct gseg *g)
{
    if (!g->num)
        return false;
    for (size_t i = 0; i < g->n; i++)
        if (g->s[i] != '0')
            return false;
    return true;
}

static const char *parse(const char *s, size_t n, struct gver *v)
{
    while (n > 0 && hull_ver_isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && hull_ver_isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0) {
        s = "0";
        n = 1;
    }
    const char *why = validate(s, n);
    if (why)
        return why;
    v->v = s;
    v->n = n;
    size_t i = 0, k = 0;
    struct gseg g;
    bool seen_str = false;
    v->num_end = v->str_end = 0;
    v->str_start = SIZE_MAX;
    while (next_seg(s, n, &i, &g)) {
        if (!g.num && !seen_str) {
            seen_str = true;
            v->str_start = k;
        }
        if (!seen_str && !is_zero(&g))
            v->num_end = k + 1;
        if (seen_str && !is_zero(&g))
            v->str_end = k + 1;
        k++;
    }
    v->total = k;
    if (!seen_str)
        v->str_start = v->str_end = k;
    return NULL;
}

struct gcursor {
    const struct gver *v;
    size_t i, k;
};

/* Next canonical segment, or false at the end. */
static bool cursor_next(struct gcursor *c, struct gseg *g)
{
    const struct gver *v = c->v;
    for (;;) {
        if (c->k >= v->str_end && c->k >= v->num_end && (c->k >= v->str_start))
            return false;
        if (!next_seg(v->v, v->n, &c->i, g))
            return false;
        size_t k = c->k++;
        if (k < v->num_end || (k >= v->str_start && k < v->str_end))
            return true;
    }
}

static int gcmp(const struct gver *a, const struct gver *b)
{
    if (a->n == b->n && !memcmp(a->v, b->v, a->n))
        return 0;
    struct gcursor ca = { a, 0, 0 }, cb = { b, 0, 0 };
    static const struct gseg zero = { "0", 1, true };
    for (;;) {
        struct gseg x, y;
        bool hx = cursor_next(&ca, &x), hy = cursor_next(&cb, &y);
        if (!hx && !hy)
            return 0;
        if (!hx)
            x = zero;
        if (!hy)
            y = zero;
        if (x.num != y.num)
            return x.num ? 1 : -1;
        int r;
        if (x.num) {
            r = hull_ver_numcmp(x.s, x.n, y.s, y.n);
        } else {
            r = memcmp(x.s, y.s, x.n < y.n ? x.n : y.n);
            r = r ? hull_ver_sign(r) : (x.n < y.n ? -1 : x.n > y.n);
        }
        if (r)
            return r;
    }
}

static const char *check(const char *v, size_t n)
{
    struct gver g;
    return parse(v, n, &g);
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    struct gver x, y;
    if ((*why = parse(a, an, &x)))
        return 1;
    if ((*why = parse(b, bn, &y)))
        return 2;
    *res = gcmp(&x, &y);
    return 0;
}

const struct hull_ver_ops hull_ver_gem = { "gem", check, cmp };
