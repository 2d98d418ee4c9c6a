/* RPM version comparison as rpm 4.15+ does it: rpmvercmp() (rpmio/rpmvercmp.c) applied to
 * epoch, version and release as rpmverCmp() and Lua rpm.vercmp() do (lib/rpmver.c).
 *
 * [epoch:]version[-release]: the epoch is a leading run of digits ended by ':' (absent = 0),
 * the release is what follows the last '-'. Epochs compare first, then versions, then
 * releases; when only one side has a release (even an empty one) that side is greater
 * ("1.0" < "1.0-0"), as rpm.vercmp answers.
 * rpmvercmp walks both strings: runs of characters that are not alphanumeric, '~' or '^'
 * are separators; '~' sorts before everything (even the end: 1.0~rc1 < 1.0); '^' sorts after
 * the end but before any other segment (1.0 < 1.0^git1 < 1.0.1); digit runs compare
 * numerically and beat letter runs; letter runs compare with strcmp; when all segments tie
 * the one with characters left wins.
 *
 * rpm accepts any non-empty string. hull refuses the empty string (rpm.vercmp raises "invalid
 * version") and bytes below 0x21 or 0x7f (white space and control characters cannot appear
 * in an RPM EVR). */
#include "core/common.h"
#include "version/verpriv.h"

struct evr {
    const char *e, *v, *r;
    size_t el, vl, rl;
    bool has_e, has_r;
};

static bool alnum(int c) { return hull_ver_isdigit(c) || hull_ver_isalpha(c); }

static int rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (an == bn && !memcmp(a, b, an))
        return 0;
    size_t i = 0, j = 0;
    while (i < an || j < bn) {
        while (i < an && !alnum((unsigned char)a[i]) && a[i] != '~' && a[i] != '^')
            i++;
        while (j < bn && !alnum((unsigned char)b[j]) && b[j] != '~' && b[j] != '^')
            j++;
        int ca = i < an ? (unsigned char)a[i] : 0, cb = j < bn ? (unsigned char)b[j] : 0;
        if (ca == '~' || cb == '~') {
            if (ca != '~')
                return 1;
            if (cb != '~')
                return -1;
            i++, j++;
            continue;
        }
        if (ca == '^' || cb == '^') {
            if (!ca)
                return -1;
            if (!cb)
                return 1;
            if (ca != '^')
                return 1;
            if (cb != '^')
                return -1;
            i++, j++;
            continue;
        }
        if (!(ca && cb))
            break;
        size_t si = i, sj = j;
        bool isnum = hull_ver_isdigit(ca);
        if (isnum) {
            while (i < an && hull_ver_isdigit((unsigned char)a[i]))
                i++;
            while (j < bn && hull_ver_isdigit((unsigned char)b[j]))
                j++;
        } else {
            while (i < an && hull_ver_isalpha((unsigned char)a[i]))
                i++;
            while (j < bn && hull_ver_isalpha((unsigned char)b[j]))
                j++;
        }
        if (sj == j)
            return isnum ? 1 : -1;
        int rc;
        if (isnum) {
            rc = hull_ver_numcmp(a + si, i - si, b + sj, j - sj);
        } else {
            size_t l1 = i - si, l2 = j - sj;
            rc = memcmp(a + si, b + sj, l1 < l2 ? l1 : l2);
            rc = rc ? hull_ver_sign(rc) : (l1 < l2 ? -1 : l1 > l2);
        }
        if (rc)
            return rc;
    }
    if (i >= an && j >= bn)
        return 0;
    return i >= an ? -1 : 1;
}

static const char *parse(const char *s, size_t n, struct evr *v)
{
    if (n == 0)
        return "empty version";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return "white space or control character in version";
    }
    size_t k = 0;
    while (k < n && hull_ver_isdigit((unsigned char)s[k]))
        k++;
    /* the release separator is the last '-' after the epoch digits */
    size_t hy = n;
    for (size_t i = n; i > k; i--) {
        if (s[i - 1] == '-') {
            hy = i - 1;
            break;
        }
    }
    size_t vstart = 0;
    v->has_e = k < n && s[k] == ':';
    if (v->has_e) {
        v->e = k ? s : "0";
        v->el = k ? k : 1;
        vstart = k + 1;
    }
    v->v = s + vstart;
    v->has_r = hy < n;
    if (v->has_r) {
        v->vl = hy - vstart;
        v->r = s + hy + 1;
        v->rl = n - hy - 1;
    } else {
        v->vl = n - vstart;
        v->r = "";
        v->rl = 0;
    }
    return NULL;
}

static const char *check(const char *v, size_t n)
{
    struct evr e;
    return parse(v, n, &e);
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    struct evr x, y;
    if ((*why = parse(a, an, &x)))
        return 1;
    if ((*why = parse(b, bn, &y)))
        return 2;
    int r = rpmvercmp(x.has_e ? x.e : "0", x.has_e ? x.el : 1, y.has_e ? y.e : "0",
                      y.has_e ? y.el : 1);
    if (!r)
        r = rpmvercmp(x.v, x.vl, y.v, y.vl);
    if (!r && x.has_r && y.has_r)
        r = rpmvercmp(x.r, x.rl, y.r, y.rl);
    else if (!r && x.has_r != y.has_r)
        r = x.has_r ? 1 : -1;
    *res = r;
    return 0;
}

const struct hull_ver_ops hull_ver_rpm = { "rpm", check, cmp };
