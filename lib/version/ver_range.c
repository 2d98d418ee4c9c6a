/* npm version ranges as node-semver 7.x evaluates satisfies(version, range) without the
 * loose and includePrerelease options (classes/range.js, classes/comparator.js, the range
 * grammar in range.bnf and the regular expressions of internal/re.js).
 *
 * The range is trimmed, runs of white space become one space, and it is split on "||" into
 * comparator sets. In each set build metadata is removed; a whole set "A - B" is a hyphen
 * range; otherwise white space after an operator (>, >=, <, <=, =, ~, ~>, ^) is dropped and
 * the set splits on spaces into comparators, each desugared as node-semver does:
 *   ^1.2.3 >=1.2.3 <2.0.0-0    ^0.2.3 >=0.2.3 <0.3.0-0    ^0.0.3 >=0.0.3 <0.0.4-0
 *   ~1.2.3 >=1.2.3 <1.3.0-0    ~1 >=1.0.0 <2.0.0-0        1.x / 1.2.* / 1 partial ranges
 *   >1.2 >=1.3.0     <=1.2 <1.3.0-0     <1.2 <1.2.0-0      * / x / "" any version
 *   1.2 - 2.3.4 >=1.2.0 <=2.3.4         1.2.3 - 2.3 >=1.2.3 <2.4.0-0
 * A version satisfies the range when it satisfies every comparator of some set and, if it is
 * a pre-release, that set names a pre-release of the same major.minor.patch. Sets holding
 * the empty range (<0.0.0-0) are dropped when others exist, and a set that is only "any"
 * makes the whole range "any", as node-semver does.
 *
 * Where node-semver treats malformed input as "no match", hull returns an error. */
#include "core/common.h"
#include "version/verpriv.h"

#define RANGE_MAX 65536
#define MAX_SAFE 9007199254740991ULL
#define SEMVER_MAX 256

enum op { OP_ANY, OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

struct comp {
    enum op op;
    struct hull_semver v;
};

struct rset {
    size_t first, count; /* into the comparator array */
    bool null_set, any_only;
};

struct rparse {
    struct comp *comps;
    size_t ncomps, cap;
    char *arena; /* scratch text that comparators may point into */
    size_t alen, acap;
    const char *why;
};

/* Scratch space for len bytes, or NULL (with rp->why set) when the arena is exhausted (the
 * arena is sized so that this cannot happen; the check keeps it so). */
static char *arena_take(struct rparse *rp, size_t len)
{
    if (rp->acap - rp->alen < len) {
        rp->why = "range too complex";
        return NULL;
    }
    char *p = rp->arena + rp->alen;
    rp->alen += len;
    return p;
}

/* Room for two more comparators (the most one token adds)? */
static bool comps_room(struct rparse *rp)
{
    if (rp->cap - rp->ncomps < 2) {
        rp->why = "range too complex";
        return false;
    }
    return true;
}

/* A partial version: x-range identifiers (NULL ptr = missing), pre-release view. */
struct xr {
    const char *id[3];
    size_t idl[3];
    const char *pre;
    size_t prelen;
    const char *prefix; /* the [v=]* run */
    size_t prefixlen;
};

static bool identch(int c) { return hull_ver_isdigit(c) || hull_ver_isalpha(c) || c == '-'; }

static bool is_x(const struct xr *x, int k)
{
    if (!x->id[k])
        return true;
    return x->idl[k] == 1 && (x->id[k][0] == 'x' || x->id[k][0] == 'X' || x->id[k][0] == '*');
}

/* XRANGEIDENTIFIER: 0|[1-9]\d*|x|X|\* */
static bool xid(const char *s, size_t n, size_t *i, const char **id, size_t *l)
{
    size_t k = *i;
    if (k >= n)
        return false;
    if (s[k] == 'x' || s[k] == 'X' || s[k] == '*') {
        k++;
    } else if (s[k] == '0') {
        k++;
    } else if (s[k] >= '1' && s[k] <= '9') {
        while (k < n && hull_ver_isdigit((unsigned char)s[k]))
            k++;
    } else {
        return false;
    }
    *id = s + *i;
    *l = k - *i;
    *i = k;
    return true;
}

/* Dot-separated identifiers; numeric ones without leading zeros when pre. */
static bool idents(const char *s, size_t n, size_t *i, bool pre)
{
    size_t k = *i, start = k;
    for (;;) {
        while (k < n && identch((unsigned char)s[k]))
            k++;
        size_t len = k - start;
        if (len == 0)
            return false;
        if (pre && len > 1 && s[start] == '0') {
            bool digits = true;
            for (size_t j = start; j < k; j++)
                digits = digits && hull_ver_isdigit((unsigned char)s[j]);
            if (digits)
                return false;
        }
        if (k + 1 < n && s[k] == '.' && identch((unsigned char)s[k + 1])) {
            start = ++k;
            continue;
        }
        break;
    }
    *i = k;
    return true;
}

/* XRANGEPLAIN over all of s: [v=]*id(.id(.id(-pre)?(+build)?)?)? */
static bool xrange_plain(const char *s, size_t n, struct xr *x)
{
    memset(x, 0, sizeof(*x));
    size_t i = 0;
    while (i < n && (s[i] == 'v' || s[i] == '='))
        i++;
    x->prefix = s;
    x->prefixlen = i;
    if (!xid(s, n, &i, &x->id[0], &x->idl[0]))
        return false;
    if (i < n && s[i] == '.') {
        i++;
        if (!xid(s, n, &i, &x->id[1], &x->idl[1]))
            return false;
        if (i < n && s[i] == '.') {
            i++;
            if (!xid(s, n, &i, &x->id[2], &x->idl[2]))
                return false;
            if (i < n && s[i] == '-') {
                size_t st = ++i;
                if (!idents(s, n, &i, true))
                    return false;
                x->pre = s + st;
                x->prelen = i - st;
            }
            if (i < n && s[i] == '+') {
                i++;
                if (!idents(s, n, &i, false))
                    return false;
            }
        }
    }
    return i == n;
}

/* A numeric identifier's value, or MAX_SAFE + 1 when larger than Number.MAX_SAFE_INTEGER. */
static unsigned long long idval(const struct xr *x, int k)
{
    unsigned long long v = 0;
    for (size_t i = 0; i < x->idl[k]; i++) {
        v = v * 10 + (unsigned long long)(x->id[k][i] - '0');
        if (v > MAX_SAFE)
            return MAX_SAFE + 1;
    }
    return v;
}

static size_t ndigits(unsigned long long v)
{
    size_t n = 1;
    while (v >= 10)
        v /= 10, n++;
    return n;
}

static bool add_comp(struct rparse *rp, enum op op, unsigned long long M, unsigned long long m,
                     unsigned long long p, const char *pre, size_t prelen)
{
    if (M > MAX_SAFE || m > MAX_SAFE || p > MAX_SAFE) {
        rp->why = "version number above 2^53-1 in range";
        return false;
    }
    size_t len = ndigits(M) + ndigits(m) + ndigits(p) + 2 + (pre ? prelen + 1 : 0);
    if (len > SEMVER_MAX) {
        rp->why = "version in range is longer than 256 characters";
        return false;
    }
    struct comp *c = &rp->comps[rp->ncomps++];
    c->op = op;
    c->v.major = M;
    c->v.minor = m;
    c->v.patch = p;
    c->v.pre = pre;
    c->v.prelen = prelen;
    return true;
}

static void add_any(struct rparse *rp)
{
    struct comp *c = &rp->comps[rp->ncomps++];
    memset(c, 0, sizeof(*c));
    c->op = OP_ANY;
}

/* GTLT: (<|>)?=? */
static size_t gtlt(const char *s, size_t n, enum op *op)
{
    size_t i = 0;
    if (i < n && (s[i] == '<' || s[i] == '>'))
        i++;
    bool eq = i < n && s[i] == '=';
    if (i == 0)
        *op = eq ? OP_EQ : OP_ANY;
    else if (s[0] == '<')
        *op = eq ? OP_LE : OP_LT;
    else
        *op = eq ? OP_GE : OP_GT;
    return i + eq;
}

/* Comparator(text): ^GTLT\s*(v?FULL)$ or empty; ">=0.0.0" written exactly is "any". */
static bool plain_comparator(struct rparse *rp, const char *s, size_t n)
{
    if (n == 0) {
        add_any(rp);
        return true;
    }
    enum op op;
    size_t i = gtlt(s, n, &op);
    if (op == OP_ANY)
        op = OP_EQ;
    struct hull_semver v;
    const char *why = i < n ? hull_semver_parse(s + i, n - i, &v) : "missing version";
    if (why) {
        rp->why = "invalid comparator";
        return false;
    }
    if (n == 7 && !memcmp(s, ">=0.0.0", 7)) {
        add_any(rp);
        return true;
    }
    struct comp *c = &rp->comps[rp->ncomps++];
    c->op = op;
    c->v = v;
    return true;
}

static const char zero_pre[] = "0";

/* replaceTilde, replaceCaret and replaceXRange on a token known to match. */
static bool tilde(struct rparse *rp, const struct xr *x)
{
    if (is_x(x, 0)) {
        add_any(rp);
        return true;
    }
    unsigned long long M = idval(x, 0), m = is_x(x, 1) ? 0 : idval(x, 1);
    if (is_x(x, 1))
        return add_comp(rp, OP_GE, M, 0, 0, NULL, 0) &&
               add_comp(rp, OP_LT, M + 1, 0, 0, zero_pre, 1);
    if (is_x(x, 2))
        return add_comp(rp, OP_GE, M, m, 0, NULL, 0) &&
               add_comp(rp, OP_LT, M, m + 1, 0, zero_pre, 1);
    return add_comp(rp, OP_GE, M, m, idval(x, 2), x->pre, x->prelen) &&
           add_comp(rp, OP_LT, M, m + 1, 0, zero_pre, 1);
}

static bool caret(struct rparse *rp, const struct xr *x)
{
    if (is_x(x, 0)) {
        add_any(rp);
        return true;
    }
    unsigned long long M = idval(x, 0);
    if (is_x(x, 1))
        return add_comp(rp, OP_GE, M, 0, 0, NULL, 0) &&
               add_comp(rp, OP_LT, M + 1, 0, 0, zero_pre, 1);
    unsigned long long m = idval(x, 1);
    if (is_x(x, 2)) {
        if (!add_comp(rp, OP_GE, M, m, 0, NULL, 0))
            return false;
        if (M == 0)
            return add_comp(rp, OP_LT, M, m + 1, 0, zero_pre, 1);
        return add_comp(rp, OP_LT, M + 1, 0, 0, zero_pre, 1);
    }
    unsigned long long p = idval(x, 2);
    if (!add_comp(rp, OP_GE, M, m, p, x->pre, x->prelen))
        return false;
    if (M == 0 && m == 0)
        return add_comp(rp, OP_LT, M, m, p + 1, zero_pre, 1);
    if (M == 0)
        return add_comp(rp, OP_LT, M, m + 1, 0, zero_pre, 1);
    return add_comp(rp, OP_LT, M + 1, 0, 0, zero_pre, 1);
}

/* Returns 1 when handled, 0 when the token is not an x-range (left for the fallback), -1 on
 * an error. */
static int xrange(struct rparse *rp, const char *s, size_t n)
{
    enum op op;
    size_t i = gtlt(s, n, &op);
    struct xr x;
    if (!xrange_plain(s + i, n - i, &x))
        return 0;
    bool xM = is_x(&x, 0), xm = xM || is_x(&x, 1), xp = xm || is_x(&x, 2);
    /* invalidXRangeOrder: 1.x.3 and *.1 are left alone (and then fail) */
    if ((is_x(&x, 0) && !is_x(&x, 1)) || (is_x(&x, 1) && x.id[2] && !is_x(&x, 2)))
        return 0;
    if (op == OP_EQ && xp)
        op = OP_ANY;
    if (xM) {
        if (op == OP_GT || op == OP_LT)
            return add_comp(rp, OP_LT, 0, 0, 0, zero_pre, 1) ? 1 : -1;
        add_any(rp);
        return 1;
    }
    unsigned long long M = idval(&x, 0);
    if (op != OP_ANY && xp) {
        unsigned long long m = xm ? 0 : idval(&x, 1), p = 0;
        if (op == OP_GT) {
            op = OP_GE;
            if (xm)
                M = M + 1, m = 0;
            else
                m = m + 1;
        } else if (op == OP_LE) {
            op = OP_LT;
            if (xm)
                M = M + 1;
            else
                m = m + 1;
        }
        if (op == OP_LT)
            return add_comp(rp, op, M, m, p, zero_pre, 1) ? 1 : -1;
        if (op == OP_GE && M == 0 && m == 0 && p == 0) {
            add_any(rp); /* ">=0.0.0" is "any" */
            return 1;
        }
        return add_comp(rp, op, M, m, p, NULL, 0) ? 1 : -1;
    }
    if (xm) {
        if (M == 0)
            add_any(rp);
        else if (!add_comp(rp, OP_GE, M, 0, 0, NULL, 0))
            return -1;
        return add_comp(rp, OP_LT, M + 1, 0, 0, zero_pre, 1) ? 1 : -1;
    }
    if (xp) {
        unsigned long long m = idval(&x, 1);
        if (M == 0 && m == 0)
            add_any(rp);
        else if (!add_comp(rp, OP_GE, M, m, 0, NULL, 0))
            return -1;
        return add_comp(rp, OP_LT, M, m + 1, 0, zero_pre, 1) ? 1 : -1;
    }
    /* a full version: the comparator keeps its text (prefix at most one 'v') */
    return plain_comparator(rp, s, n) ? 1 : -1;
}

/* The first match of (<|>)?=?\*, removed; returns false when there is none. */
static bool strip_star(const char *s, size_t n, char *out, size_t *on)
{
    for (size_t p = 0; p < n; p++) {
        size_t q = p;
        size_t e = 0;
        if (q < n && (s[q] == '<' || s[q] == '>'))
            q++;
        if (q < n && s[q] == '=')
            q++;
        if (q < n && s[q] == '*')
            e = q + 1;
        else if (s[p] == '=' && p + 1 < n && s[p + 1] == '*')
            e = p + 2;
        else if (s[p] == '*')
            e = p + 1;
        if (e) {
            memcpy(out, s, p);
            memcpy(out + p, s + e, n - e);
            *on = n - (e - p);
            return true;
        }
    }
    return false;
}

static bool ge0(struct rparse *rp, unsigned long long M, unsigned long long m,
                unsigned long long p)
{
    if (M == 0 && m == 0 && p == 0) {
        add_any(rp);
        return true;
    }
    return add_comp(rp, OP_GE, M, m, p, NULL, 0);
}

/* One space-free token: caret, tilde, x-range or plain comparator (parseComparator). */
static bool token(struct rparse *rp, const char *s, size_t n)
{
    struct xr x;
    size_t before = rp->ncomps;
    bool ok;
    if (!comps_room(rp))
        return false;
    if (n > 0 && s[0] == '^' && xrange_plain(s + 1, n - 1, &x)) {
        ok = caret(rp, &x);
    } else if (n > 1 && s[0] == '~' && s[1] == '>' && xrange_plain(s + 2, n - 2, &x)) {
        ok = tilde(rp, &x);
    } else if (n > 0 && s[0] == '~' && xrange_plain(s + 1, n - 1, &x)) {
        ok = tilde(rp, &x);
    } else {
        int r = xrange(rp, s, n);
        if (r != 0)
            return r > 0;
        char *buf = arena_take(rp, n);
        size_t bl;
        if (!buf)
            return false;
        if (!strip_star(s, n, buf, &bl)) {
            memcpy(buf, s, n);
            bl = n;
        }
        return plain_comparator(rp, buf, bl);
    }
    /* replaceGTE0 on what ^ and ~ wrote: ">=0.0.0" becomes "any" */
    for (size_t i = before; ok && i < rp->ncomps; i++) {
        struct comp *c = &rp->comps[i];
        if (c->op == OP_GE && !c->v.major && !c->v.minor && !c->v.patch && !c->v.pre)
            c->op = OP_ANY;
    }
    return ok;
}

/* hyphenReplace: from - to. */
static bool hyphen(struct rparse *rp, const struct xr *f, const char *ftext, size_t flen,
                   const struct xr *t, const char *ttext, size_t tlen)
{
    if (!comps_room(rp))
        return false;
    if (is_x(f, 0)) {
        /* no lower bound */
    } else if (is_x(f, 1)) {
        if (!ge0(rp, idval(f, 0), 0, 0))
            return false;
    } else if (is_x(f, 2)) {
        if (!ge0(rp, idval(f, 0), idval(f, 1), 0))
            return false;
    } else {
        /* ">=" + the text as written */
        char *buf = arena_take(rp, flen + 2);
        if (!buf)
            return false;
        buf[0] = '>';
        buf[1] = '=';
        memcpy(buf + 2, ftext, flen);
        if (!plain_comparator(rp, buf, flen + 2))
            return false;
    }
    if (is_x(t, 0))
        return true;
    if (is_x(t, 1))
        return add_comp(rp, OP_LT, idval(t, 0) + 1, 0, 0, zero_pre, 1);
    if (is_x(t, 2))
        return add_comp(rp, OP_LT, idval(t, 0), idval(t, 1) + 1, 0, zero_pre, 1);
    if (t->pre)
        return add_comp(rp, OP_LE, idval(t, 0), idval(t, 1), idval(t, 2), t->pre, t->prelen);
    char *buf = arena_take(rp, tlen + 2);
    if (!buf)
        return false;
    buf[0] = '<';
    buf[1] = '=';
    memcpy(buf + 2, ttext, tlen);
    return plain_comparator(rp, buf, tlen + 2);
}

static bool is_op_only(const char *s, size_t n)
{
    return (n == 1 && (s[0] == '<' || s[0] == '>' || s[0] == '=')) ||
           (n == 2 && (s[0] == '<' || s[0] == '>') && s[1] == '=');
}

static bool starts_version(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == 'v' || s[i] == '='))
        i++;
    return i < n && (hull_ver_isdigit((unsigned char)s[i]) || s[i] == 'x' || s[i] == 'X' ||
                     s[i] == '*');
}

/* One "||" part, already trimmed: s[0..n) in the arena. */
static bool parse_set(struct rparse *rp, char *s, size_t n)
{
    /* strip build metadata: \+ident(\.ident)* anywhere */
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '+' && i + 1 < n && identch((unsigned char)s[i + 1])) {
            i++;
            while (i < n && identch((unsigned char)s[i]))
                i++;
            while (i + 1 < n && s[i] == '.' && identch((unsigned char)s[i + 1])) {
                i++;
                while (i < n && identch((unsigned char)s[i]))
                    i++;
            }
            continue;
        }
        s[w++] = s[i++];
    }
    n = w;
    /* tokens */
    size_t ntok = 0;
    const char **tp = (const char **)malloc((n + 1) * sizeof(*tp));
    size_t *tl = malloc((n + 1) * sizeof(*tl));
    bool ok = false;
    if (!tp || !tl) {
        rp->why = "out of memory";
        goto out;
    }
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ')
            i++;
        tp[ntok] = s + st;
        tl[ntok++] = i - st;
    }
    struct xr f, t;
    if (ntok == 3 && tl[1] == 1 && tp[1][0] == '-' && xrange_plain(tp[0], tl[0], &f) &&
        xrange_plain(tp[2], tl[2], &t)) {
        ok = hyphen(rp, &f, tp[0], tl[0], &t, tp[2], tl[2]);
        goto out;
    }
    /* join an operator to the version after it ("> 1.2" is ">1.2"), then ~ and ^ to what
     * follows them, in the arena */
    for (int pass = 0; pass < 2; pass++) {
        size_t k = 0;
        for (size_t i = 0; i < ntok; i++) {
            bool join;
            if (i + 1 >= ntok)
                join = false;
            else if (pass == 0)
                join = is_op_only(tp[i], tl[i]) && starts_version(tp[i + 1], tl[i + 1]);
            else
                join = (tl[i] == 1 && (tp[i][0] == '~' || tp[i][0] == '^')) ||
                       (tl[i] == 2 && tp[i][0] == '~' && tp[i][1] == '>');
            if (join) {
                char *buf = arena_take(rp, tl[i] + tl[i + 1]);
                if (!buf)
                    goto out;
                memcpy(buf, tp[i], tl[i]);
                memcpy(buf + tl[i], tp[i + 1], tl[i + 1]);
                tp[k] = buf;
                tl[k++] = tl[i] + tl[i + 1];
                i++;
            } else {
                tp[k] = tp[i];
                tl[k++] = tl[i];
            }
        }
        ntok = k;
    }
    if (ntok == 0) {
        add_any(rp);
        ok = true;
        goto out;
    }
    ok = true;
    for (size_t i = 0; i < ntok && ok; i++)
        ok = token(rp, tp[i], tl[i]);
out:
    free(tp);
    free(tl);
    return ok;
}

static int cmp_op(const struct comp *c, const struct hull_semver *v)
{
    if (c->op == OP_ANY)
        return true;
    int r = hull_semver_cmp(v, &c->v);
    switch (c->op) {
    case OP_EQ: return r == 0;
    case OP_LT: return r < 0;
    case OP_LE: return r <= 0;
    case OP_GT: return r > 0;
    default: return r >= 0;
    }
}

static bool test_set(const struct rparse *rp, const struct rset *s, const struct hull_semver *v)
{
    for (size_t i = 0; i < s->count; i++)
        if (!cmp_op(&rp->comps[s->first + i], v))
            return false;
    if (!v->pre)
        return true;
    for (size_t i = 0; i < s->count; i++) {
        const struct comp *c = &rp->comps[s->first + i];
        if (c->op == OP_ANY || !c->v.pre)
            continue;
        if (c->v.major == v->major && c->v.minor == v->minor && c->v.patch == v->patch)
            return true;
    }
    return false;
}

static bool is_null_comp(const struct comp *c)
{
    return c->op == OP_LT && !c->v.major && !c->v.minor && !c->v.patch && c->v.prelen == 1 &&
           c->v.pre[0] == '0';
}

int hull_semver_satisfies(const char *version, const char *range, bool *ok,
                          struct hull_err **err)
{
    if (!version || !range)
        return hull_err_set(err, HULL_E_USAGE, "semver satisfies: missing version or range");
    struct hull_semver v;
    const char *why = hull_semver_parse(version, strlen(version), &v);
    if (why)
        return hull_err_set(err, HULL_E_PARSE, "npm version \"%.64s\": %s", version, why);
    size_t n = strlen(range);
    if (n > RANGE_MAX)
        return hull_err_set(err, HULL_E_PARSE, "npm range longer than %d bytes", RANGE_MAX);
    struct rparse rp = { 0 };
    rp.cap = 2 * n + 8;
    rp.acap = 6 * n + 64;
    rp.comps = malloc(rp.cap * sizeof(*rp.comps));
    rp.arena = malloc(rp.acap);
    struct rset *sets = malloc((n / 2 + 2) * sizeof(*sets));
    int rc = 0;
    if (!rp.comps || !rp.arena || !sets) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    /* trim and collapse white space */
    char *t = rp.arena;
    size_t tl = 0;
    for (size_t i = 0; i < n; i++) {
        if (hull_ver_isspace((unsigned char)range[i])) {
            if (tl > 0 && t[tl - 1] != ' ')
                t[tl++] = ' ';
        } else {
            t[tl++] = range[i];
        }
    }
    while (tl > 0 && t[tl - 1] == ' ')
        tl--;
    rp.alen = tl;
    size_t nsets = 0;
    for (size_t i = 0;;) {
        size_t e = i;
        while (e < tl && !(t[e] == '|' && e + 1 < tl && t[e + 1] == '|'))
            e++;
        size_t a = i, b = e;
        while (a < b && t[a] == ' ')
            a++;
        while (b > a && t[b - 1] == ' ')
            b--;
        /* work on a copy so the comparators' views stay valid */
        char *part = arena_take(&rp, b - a);
        if (part)
            memcpy(part, t + a, b - a);
        struct rset *s = &sets[nsets++];
        s->first = rp.ncomps;
        if (!part || !parse_set(&rp, part, b - a)) {
            rc = hull_err_set(err, HULL_E_PARSE, "npm range \"%.64s\": %s", range,
                              rp.why ? rp.why : "invalid");
            goto out;
        }
        s->count = rp.ncomps - s->first;
        s->null_set = false;
        s->any_only = true;
        for (size_t k = 0; k < s->count; k++) {
            const struct comp *c = &rp.comps[s->first + k];
            if (is_null_comp(c))
                s->null_set = true;
            if (c->op != OP_ANY)
                s->any_only = false;
        }
        if (e >= tl)
            break;
        i = e + 2;
    }
    /* Range constructor: drop null sets when others exist; an "any" set wins */
    size_t first = 0, count = nsets;
    struct rset *use = sets;
    struct rset single;
    if (nsets > 1) {
        size_t k = 0;
        for (size_t i = 0; i < nsets; i++)
            if (!sets[i].null_set)
                sets[k++] = sets[i];
        if (k == 0) {
            k = 1; /* all null: keep the first, which matches nothing */
        } else if (k > 1) {
            for (size_t i = 0; i < k; i++) {
                if (sets[i].any_only) {
                    single = sets[i];
                    use = &single;
                    k = 1;
                    break;
                }
            }
        }
        count = k;
    }
    *ok = false;
    for (size_t i = first; i < count; i++) {
        if (test_set(&rp, &use[i], &v)) {
            *ok = true;
            break;
        }
    }
out:
    free(rp.comps);
    free(rp.arena);
    free(sets);
    return rc;
}
