/* Maven versions as org.apache.maven.artifact.versioning.ComparableVersion orders them in
 * Maven 3.8/3.9 (maven-artifact; the "Version Order Specification" of the POM reference),
 * checked against Debian's maven-artifact 3.8.7 by tests/cli/t3004-version-maven.sh.
 *
 * The lower-cased version is split into items: '.' separates items of one list, '-' opens a
 * sub-list, and so does every digit/letter transition (a qualifier directly followed by digits
 * starts its own sub-list when the list already has items, so 1.0.0.X1 sorts like 1.0.0-X1);
 * an empty item is 0. Numbers compare numerically; qualifiers compare in the order alpha (a1)
 * < beta (b1) < milestone (m1) < rc = cr < snapshot < "" = ga = final = release < sp < any
 * other string (those lexically); a number beats a qualifier and a sub-list, a sub-list beats
 * a qualifier. Each list drops its trailing nulls (0, "", ga, final, release, empty lists), so
 * 1 == 1.0 == 1-0 == 1.0.0-ga, and a missing item compares as null (1-rc < 1 < 1-sp, 1 < 1.1).
 *
 * Maven accepts any string. hull refuses the empty string and bytes outside printable ASCII
 * (control characters, white space, non-ASCII), and versions over 1024 bytes. */
#include "core/common.h"
#include "version/verpriv.h"

#define MAVEN_MAX_LEN 1024
#define SMALL 128

/* Item types, numbered as in ComparableVersion (the numbers are only names here). */
enum { M_BIG = 0, M_STR = 1, M_LIST = 2, M_INT = 3, M_LONG = 4 };

struct mnode {
    unsigned char type;
    int first, last, next; /* list children; sibling link; -1 = none */
    const char *s;         /* number digits / qualifier */
    size_t n;
};

struct mver {
    struct mnode *nodes;
    int count;
    char *low; /* lower-cased copy of the version */
};

static bool isdig(int c) { return c >= '0' && c <= '9'; }

static int newnode(struct mver *v, int type)
{
    struct mnode *m = &v->nodes[v->count];
    memset(m, 0, sizeof(*m));
    m->type = (unsigned char)type;
    m->first = m->last = m->next = -1;
    return v->count++;
}

static void add(struct mver *v, int list, int item)
{
    struct mnode *l = &v->nodes[list];
    if (l->last < 0)
        l->first = item;
    else
        v->nodes[l->last].next = item;
    l->last = item;
}

static bool list_empty(const struct mver *v, int list) { return v->nodes[list].first < 0; }

/* Numeric item as parseItem(isDigit = true): leading zeros stripped unless all zeros; the
 * kind (int, long, BigInteger) follows the stripped length, as Maven does. */
static void number(const char *s, size_t n, const char **out, size_t *on, unsigned char *kind)
{
    if (n == 0) {
        s = "0";
        n = 1;
    }
    size_t i = 0;
    while (i < n && s[i] == '0')
        i++;
    if (i < n) {
        s += i;
        n -= i;
    }
    *out = s;
    *on = n;
    *kind = n <= 9 ? M_INT : n <= 18 ? M_LONG : M_BIG;
}

static int string_item(struct mver *v, const char *s, size_t n, bool followed_by_digit)
{
    int k = newnode(v, M_STR);
    struct mnode *m = &v->nodes[k];
    if (followed_by_digit && n == 1) {
        if (s[0] == 'a')
            s = "alpha", n = 5;
        else if (s[0] == 'b')
            s = "beta", n = 4;
        else if (s[0] == 'm')
            s = "milestone", n = 9;
    }
    if (n == 2 && !memcmp(s, "cr", 2))
        s = "rc";
    else if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
             (n == 7 && !memcmp(s, "release", 7)))
        s = "", n = 0;
    m->s = s;
    m->n = n;
    return k;
}

/* parseItem(isDigit, buf) */
static int parse_item(struct mver *v, bool digit, const char *s, size_t n)
{
    if (digit) {
        int k = newnode(v, M_INT);
        struct mnode *m = &v->nodes[k];
        number(s, n, &m->s, &m->n, &m->type);
        return k;
    }
    return string_item(v, s, n, false);
}

static bool is_null(const struct mver *v, int k)
{
    const struct mnode *m = &v->nodes[k];
    switch (m->type) {
    case M_INT:
    case M_LONG:
    case M_BIG:
        for (size_t i = 0; i < m->n; i++)
            if (m->s[i] != '0')
                return false;
        return true;
    case M_STR:
        return m->n == 0;
    case M_LIST:
        return m->first < 0;
    default:
        return false;
    }
}

/* Drop trailing nulls; non-null sub-lists are stepped over, anything else stops. */
static void normalize(struct mver *v, int list, int *tmp)
{
    int cnt = 0;
    for (int c = v->nodes[list].first; c >= 0; c = v->nodes[c].next)
        tmp[cnt++] = c;
    for (int i = cnt - 1; i >= 0; i--) {
        if (is_null(v, tmp[i])) {
            memmove(tmp + i, tmp + i + 1, (size_t)(cnt - i - 1) * sizeof(*tmp));
            cnt--;
        } else if (v->nodes[tmp[i]].type != M_LIST) {
            break;
        }
    }
    struct mnode *l = &v->nodes[list];
    l->first = l->last = -1;
    for (int i = 0; i < cnt; i++) {
        v->nodes[tmp[i]].next = -1;
        add(v, list, tmp[i]);
    }
}

static int sublist(struct mver *v, int list, int *stack, int *sp)
{
    int nl = newnode(v, M_LIST);
    add(v, list, nl);
    stack[(*sp)++] = nl;
    return nl;
}

static void parse_version(struct mver *v, const char *s, size_t len, int *stack, int *tmp)
{
    int sp = 0;
    int list = newnode(v, M_LIST);
    stack[sp++] = list;
    bool is_digit = false;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '.' || c == '-') {
            if (i == start)
                add(v, list, parse_item(v, true, "0", 1));
            else
                add(v, list, parse_item(v, is_digit, s + start, i - start));
            start = i + 1;
            if (c == '-')
                list = sublist(v, list, stack, &sp);
        } else if (isdig(c)) {
            if (!is_digit && i > start) {
                if (!list_empty(v, list))
                    list = sublist(v, list, stack, &sp);
                add(v, list, string_item(v, s + start, i - start, true));
                start = i;
                list = sublist(v, list, stack, &sp);
            }
            is_digit = true;
        } else {
            if (is_digit && i > start) {
                add(v, list, parse_item(v, true, s + start, i - start));
                start = i;
                list = sublist(v, list, stack, &sp);
            }
            is_digit = false;
        }
    }
    if (len > start) {
        if (!is_digit && !list_empty(v, list))
            list = sublist(v, list, stack, &sp);
        add(v, list, parse_item(v, is_digit, s + start, len - start));
    }
    while (sp > 0)
        normalize(v, stack[--sp], tmp);
}

/* comparableQualifier() as a two-part string: head, then tail. */
static void qualifier_key(const char *s, size_t n, char head[3], const char **tail, size_t *tn)
{
    static const char *const q[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
    *tail = "";
    *tn = 0;
    head[1] = head[2] = 0;
    for (size_t i = 0; i < HULL_ARRAY_LEN(q); i++) {
        if (strlen(q[i]) == n && !memcmp(q[i], s, n)) {
            head[0] = (char)('0' + i);
            return;
        }
    }
    head[0] = '7';
    head[1] = '-';
    *tail = s;
    *tn = n;
}

static int key_at(const char *head, const char *tail, size_t tn, size_t i)
{
    size_t hl = strlen(head);
    if (i < hl)
        return (unsigned char)head[i];
    if (i - hl < tn)
        return (unsigned char)tail[i - hl];
    return -1;
}

static int qualifier_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    char ha[3], hb[3];
    const char *ta, *tb;
    size_t tan, tbn;
    qualifier_key(a, an, ha, &ta, &tan);
    qualifier_key(b, bn, hb, &tb, &tbn);
    for (size_t i = 0;; i++) {
        int x = key_at(ha, ta, tan, i), y = key_at(hb, tb, tbn, i);
        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

static bool is_num(int t) { return t == M_INT || t == M_LONG || t == M_BIG; }

static int numeric_cmp(int ta, const char *a, size_t an, int tb, const char *b, size_t bn)
{
    static const int rank[] = { [M_INT] = 0, [M_LONG] = 1, [M_BIG] = 2 };
    if (ta != tb)
        return rank[ta] < rank[tb] ? -1 : 1;
    return hull_ver_numcmp(a, an, b, bn);
}

/* item.compareTo(null) */
static int null_cmp(const struct mver *v, int k)
{
    const struct mnode *m = &v->nodes[k];
    switch (m->type) {
    case M_INT:
    case M_LONG:
    case M_BIG:
        return is_null(v, k) ? 0 : 1;
    case M_STR:
        return qualifier_cmp(m->s, m->n, "", 0);
    default:
        for (int c = m->first; c >= 0; c = v->nodes[c].next) {
            int r = null_cmp(v, c);
            if (r)
                return r;
        }
        return 0;
    }
}

static int item_cmp(const struct mver *va, int a, const struct mver *vb, int b)
{
    const struct mnode *x = &va->nodes[a], *y = &vb->nodes[b];
    if (is_num(x->type))
        return is_num(y->type) ? numeric_cmp(x->type, x->s, x->n, y->type, y->s, y->n) : 1;
    if (x->type == M_STR) {
        if (y->type == M_STR)
            return qualifier_cmp(x->s, x->n, y->s, y->n);
        return -1;
    }
    if (is_num(y->type))
        return -1;
    if (y->type == M_STR)
        return 1;
    int l = x->first, r = y->first;
    while (l >= 0 || r >= 0) {
        int res = l < 0 ? -null_cmp(vb, r) : r < 0 ? null_cmp(va, l) : item_cmp(va, l, vb, r);
        if (res)
            return res;
        if (l >= 0)
            l = va->nodes[l].next;
        if (r >= 0)
            r = vb->nodes[r].next;
    }
    return 0;
}

static const char *check(const char *v, size_t n)
{
    if (n == 0)
        return "empty version";
    if (n > MAVEN_MAX_LEN)
        return "version longer than 1024 bytes";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= 0x20 || c >= 0x7f)
            return "white space, control or non-ASCII character in version";
    }
    return NULL;
}

/* Storage for one parsed version: small versions on the stack, larger ones on the heap. */
struct mstore {
    struct mnode small_nodes[3 * SMALL + 8];
    int small_ints[2 * (3 * SMALL + 8)];
    char small_low[SMALL];
    void *heap;
};

static bool setup(struct mstore *st, struct mver *v, const char *s, size_t n, int **stack,
                  int **tmp)
{
    size_t cap = 3 * n + 8; /* at most 3 nodes per byte: an item of 2, a list */
    st->heap = NULL;
    if (n <= SMALL) {
        v->nodes = st->small_nodes;
        *stack = st->small_ints;
        *tmp = st->small_ints + cap;
        v->low = st->small_low;
    } else {
        st->heap = malloc(cap * sizeof(struct mnode) + 2 * cap * sizeof(int) + n);
        if (!st->heap)
            return false;
        v->nodes = st->heap;
        *stack = (int *)(v->nodes + cap);
        *tmp = *stack + cap;
        v->low = (char *)(*tmp + cap);
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        v->low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    v->count = 0;
    parse_version(v, v->low, n, *stack, *tmp);
    return true;
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    if ((*why = check(a, an)))
        return 1;
    if ((*why = check(b, bn)))
        return 2;
    struct mstore sa, sb;
    struct mver va, vb;
    int *stack, *tmp;
    if (!setup(&sa, &va, a, an, &stack, &tmp)) {
        *why = "out of memory";
        return 1;
    }
    if (!setup(&sb, &vb, b, bn, &stack, &tmp)) {
        free(sa.heap);
        *why = "out of memory";
        return 2;
    }
    *res = item_cmp(&va, 0, &vb, 0);
    free(sa.heap);
    free(sb.heap);
    return 0;
}

const struct hull_ver_ops hull_ver_maven = { "maven", check, cmp };
