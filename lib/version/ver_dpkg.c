/* Debian version comparison as dpkg does it: deb-version(7) and Debian Policy 5.6.12, with
 * dpkg's parseversion() (lib/dpkg/parsehelp.c) and verrevcmp() (lib/dpkg/version.c).
 *
 * [epoch:]upstream[-revision]. The epoch is the digits before the first ':' (0 when absent,
 * at most INT_MAX); the revision is what follows the last '-' ("" when absent, which compares
 * equal to "0"). Upstream and revision are compared by alternating non-digit and digit runs:
 * in non-digit runs '~' sorts before everything including the end of the string, letters
 * sort before non-letters, and digit runs compare numerically.
 *
 * Errors are dpkg's hard parse errors (empty, embedded blanks, empty or non-numeric or too
 * big epoch, nothing after the colon, empty revision, empty upstream) plus characters dpkg
 * only warns about (outside [A-Za-z0-9.+~-:] in upstream, [A-Za-z0-9.+~] in revision): such
 * versions cannot come from a valid package, so hull refuses them instead of guessing. A
 * version not starting with a digit is compared as dpkg compares it (dpkg only warns). */
#include "core/common.h"
#include "version/verpriv.h"
#include <limits.h>

struct debver {
    unsigned long epoch;
    const char *up;
    size_t uplen;
    const char *rev;
    size_t revlen;
};

static bool isblank_c(int c) { return c == ' ' || c == '\t'; }

static const char *parse(const char *s, size_t n, struct debver *v)
{
    size_t b = 0, e = n;
    while (b < e && isblank_c((unsigned char)s[b]))
        b++;
    while (e > b && isblank_c((unsigned char)s[e - 1]))
        e--;
    if (b == e)
        return "version string is empty";
    s += b;
    n = e - b;
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++) {
        if (isblank_c((unsigned char)s[i]))
            return "version string has embedded spaces";
        if (s[i] == ':' && !colon)
            colon = s + i;
    }
    v->epoch = 0;
    if (colon) {
        size_t el = (size_t)(colon - s);
        if (el == 0)
            return "epoch in version is empty";
        unsigned long ep = 0;
        for (size_t i = 0; i < el; i++) {
            if (!hull_ver_isdigit((unsigned char)s[i]))
                return "epoch in version is not number";
            ep = ep * 10 + (unsigned long)(s[i] - '0');
            if (ep > INT_MAX)
                return "epoch in version is too big";
        }
        v->epoch = ep;
        n -= el + 1;
        s = colon + 1;
        if (n == 0)
            return "nothing after colon in version number";
    }
    const char *hy = NULL;
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == '-') {
            hy = s + i - 1;
            break;
        }
    }
    v->up = s;
    if (hy) {
        v->uplen = (size_t)(hy - s);
        v->rev = hy + 1;
        v->revlen = n - v->uplen - 1;
        if (v->revlen == 0)
            return "revision number is empty";
    } else {
        v->uplen = n;
        v->rev = "";
        v->revlen = 0;
    }
    if (v->uplen == 0)
        return "upstream version is empty";
    for (size_t i = 0; i < v->uplen; i++) {
        int c = (unsigned char)v->up[i];
        if (!hull_ver_isdigit(c) && !hull_ver_isalpha(c) && (!c || !strchr(".-+~:", c)))
            return "invalid character in version number";
    }
    for (size_t i = 0; i < v->revlen; i++) {
        int c = (unsigned char)v->rev[i];
        if (!hull_ver_isdigit(c) && !hull_ver_isalpha(c) && (!c || !strchr(".+~", c)))
            return "invalid character in revision number";
    }
    return NULL;
}

/* dpkg's order(): digits and the end 0, letters their code, '~' -1, others code + 256. */
static int order(const char *p, size_t i, size_t n)
{
    if (i >= n)
        return 0;
    int c = (unsigned char)p[i];
    if (hull_ver_isdigit(c))
        return 0;
    if (hull_ver_isalpha(c))
        return c;
    if (c == '~')
        return -1;
    return c + 256;
}

static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    while (i < an || j < bn) {
        int first_diff = 0;
        while ((i < an && !hull_ver_isdigit((unsigned char)a[i])) ||
               (j < bn && !hull_ver_isdigit((unsigned char)b[j]))) {
            int ac = order(a, i, an), bc = order(b, j, bn);
            if (ac != bc)
                return hull_ver_sign(ac - bc);
            i++, j++;
        }
        while (i < an && a[i] == '0')
            i++;
        while (j < bn && b[j] == '0')
            j++;
        while (i < an && j < bn && hull_ver_isdigit((unsigned char)a[i]) &&
               hull_ver_isdigit((unsigned char)b[j])) {
            if (!first_diff)
                first_diff = a[i] - b[j];
            i++, j++;
        }
        if (i < an && hull_ver_isdigit((unsigned char)a[i]))
            return 1;
        if (j < bn && hull_ver_isdigit((unsigned char)b[j]))
            return -1;
        if (first_diff)
            return hull_ver_sign(first_diff);
    }
    return 0;
}

static const char *check(const char *v, size_t n)
{
    struct debver d;
    return parse(v, n, &d);
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    struct debver x, y;
    if ((*why = parse(a, an, &x)))
        return 1;
    if ((*why = parse(b, bn, &y)))
        return 2;
    if (x.epoch != y.epoch) {
        *res = x.epoch < y.epoch ? -1 : 1;
        return 0;
    }
    int r = verrevcmp(x.up, x.uplen, y.up, y.uplen);
    if (!r)
        r = verrevcmp(x.rev, x.revlen, y.rev, y.revlen);
    *res = r;
    return 0;
}

const struct hull_ver_ops hull_ver_deb = { "deb", check, cmp };
