/* Helpers for the Dockerfile parser: growable strings with a sticky OOM flag, Go's UTF-8 and
 * unicode.IsSpace semantics, strconv.Quote (BuildKit's Dump prints every argument with it),
 * and BuildKit's shell word lexer (frontend/dockerfile/shell/lex.go) in the configuration its
 * heredoc detector uses: empty environment, unset variables kept as written. */
#include "core/common.h"
#include "lint/lintpriv.h"
#include <strings.h>

void sb_init(struct sb *b, bool *oom)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = oom;
}

static bool sb_grow(struct sb *b, size_t n)
{
    if (*b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        *b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void sb_addn(struct sb *b, const char *s, size_t n)
{
    if (!sb_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sb_adds(struct sb *b, const char *s) { sb_addn(b, s, strlen(s)); }
void sb_addc(struct sb *b, char c) { sb_addn(b, &c, 1); }

void sb_addrune(struct sb *b, int32_t r)
{
    char u[4];
    size_t n;
    if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
        r = 0xfffd;
    if (r == 0) { /* NUL is kept as C0 80 so node strings stay C strings */
        sb_addn(b, "\xc0\x80", 2);
        return;
    }
    if (r < 0x80) {
        u[0] = (char)r;
        n = 1;
    } else if (r < 0x800) {
        u[0] = (char)(0xc0 | (r >> 6));
        u[1] = (char)(0x80 | (r & 0x3f));
        n = 2;
    } else if (r < 0x10000) {
        u[0] = (char)(0xe0 | (r >> 12));
        u[1] = (char)(0x80 | ((r >> 6) & 0x3f));
        u[2] = (char)(0x80 | (r & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (r >> 18));
        u[1] = (char)(0x80 | ((r >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((r >> 6) & 0x3f));
        u[3] = (char)(0x80 | (r & 0x3f));
        n = 4;
    }
    sb_addn(b, u, n);
}

char *sb_take(struct sb *b)
{
    if (*b->oom) {
        sb_free(b);
        return NULL;
    }
    if (!b->p)
        sb_addn(b, "", 0);
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void sb_free(struct sb *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void strv_init(struct strv *s, bool *oom)
{
    s->v = NULL;
    s->n = s->cap = 0;
    s->oom = oom;
}

void strv_push(struct strv *s, char *str)
{
    if (!str || *s->oom) {
        free(str);
        if (!str)
            *s->oom = true;
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, cap * sizeof(*v));
        if (!v) {
            *s->oom = true;
            free(str);
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = str;
}

void strv_pushn(struct strv *s, const char *str, size_t n)
{
    strv_push(s, xstrndup(str, n, s->oom));
}

void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static size_t strmap_hash(const char *k, bool icase)
{
    uint64_t h = 1469598103934665603ull;
    for (; *k; k++) {
        unsigned char c = (unsigned char)*k;
        if (icase && c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * 1099511628211ull;
    }
    return (size_t)h;
}

static bool strmap_eq(const char *a, const char *b, bool icase)
{
    return icase ? !strcasecmp(a, b) : !strcmp(a, b);
}

int strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    for (size_t i = strmap_hash(key, m->icase) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (strmap_eq(m->keys[i], key, m->icase))
            return m->vals[i];
    }
}

static bool strmap_grow(struct strmap *m, bool *oom)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(cap, sizeof(*keys));
    int *vals = calloc(cap, sizeof(*vals));
    if (!keys || !vals) {
        free(keys);
        free(vals);
        *oom = true;
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = strmap_hash(m->keys[i], m->icase) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

void strmap_put(struct strmap *m, const char *key, int val, bool overwrite, bool *oom)
{
    if ((m->n + 1) * 2 > m->cap && !strmap_grow(m, oom))
        return;
    size_t i = strmap_hash(key, m->icase) & (m->cap - 1);
    while (m->keys[i]) {
        if (strmap_eq(m->keys[i], key, m->icase)) {
            if (overwrite)
                m->vals[i] = val;
            return;
        }
        i = (i + 1) & (m->cap - 1);
    }
    char *k = strdup(key);
    if (!k) {
        *oom = true;
        return;
    }
    m->keys[i] = k;
    m->vals[i] = val;
    m->n++;
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    bool icase = m->icase;
    memset(m, 0, sizeof(*m));
    m->icase = icase;
}

char *xstrndup(const char *s, size_t n, bool *oom)
{
    char *p = malloc(n + 1);
    if (!p) {
        *oom = true;
        return NULL;
    }
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

int32_t go_rune(const char *p, size_t n, size_t *width)
{
    const unsigned char *u = (const unsigned char *)p;
    *width = 1;
    if (u[0] < 0x80)
        return u[0];
    if (u[0] == 0xc0 && n >= 2 && u[1] == 0x80) { /* NUL, see sb_addrune */
        *width = 2;
        return 0;
    }
    size_t need;
    int32_t r, min;
    if (u[0] >= 0xc2 && u[0] <= 0xdf) {
        need = 2, r = u[0] & 0x1f, min = 0x80;
    } else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        need = 3, r = u[0] & 0x0f, min = 0x800;
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        need = 4, r = u[0] & 0x07, min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (n < need)
        return 0xfffd;
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0xfffd;
        r = (r << 6) | (u[i] & 0x3f);
    }
    if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
        return 0xfffd;
    *width = need;
    return r;
}

bool go_isspace(int32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200a;
    }
}

size_t uspace_at(const char *p, size_t n)
{
    if (!n)
        return 0;
    size_t w;
    int32_t r = go_rune(p, n, &w);
    if (r == 0xfffd && w == 1)
        return 0;
    return go_isspace(r) ? w : 0;
}

void go_trimspace(const char *p, size_t n, size_t *start, size_t *end)
{
    size_t s = 0, e = n, w;
    while (s < e && (w = uspace_at(p + s, e - s)))
        s += w;
    /* trailing: step back over runes (spaces are at most 3 bytes) */
    while (e > s) {
        size_t k = 1;
        while (k < 4 && e - k > s && ((unsigned char)p[e - k] & 0xc0) == 0x80)
            k++;
        size_t ww = uspace_at(p + e - k, k);
        if (ww == k) {
            e -= k;
            continue;
        }
        if (k > 1 && uspace_at(p + e - 1, 1) == 1) {
            e -= 1;
            continue;
        }
        break;
    }
    *start = s;
    *end = e;
}

/* unicode.IsPrint for a valid rune: letters, marks, numbers, punctuation, symbols and the
 * ASCII space. The non-printable ranges below are the ones that occur in practice. */
static bool go_isprint(int32_t r)
{
    if (r < 0x80)
        return r >= 0x20 && r < 0x7f;
    if (r < 0xa1 || r == 0xad)
        return false;
    if (go_isspace(r))
        return false;
    if ((r >= 0x200b && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) ||
        (r >= 0x2060 && r <= 0x206f) || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) ||
        r == 0xfffe || r == 0xffff || (r >= 0xe000 && r <= 0xf8ff) || r >= 0xf0000 ||
        (r >= 0xe0000 && r <= 0xe007f) || r == 0x61c || r == 0x6dd || r == 0x70f ||
        r == 0x180e || (r >= 0x600 && r <= 0x605) || r == 0x378 || r == 0x379)
        return false;
    return true;
}

void go_quote(struct sb *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(b, '"');
    for (size_t i = 0; i < n;) {
        size_t w;
        int32_t r = go_rune(s + i, n - i, &w);
        if (r == 0xfffd && w == 1) {
            char e[4] = { '\\', 'x', hex[(unsigned char)s[i] >> 4], hex[s[i] & 0xf] };
            sb_addn(b, e, 4);
            i += 1;
            continue;
        }
        i += w;
        if (r == '"' || r == '\\') {
            sb_addc(b, '\\');
            sb_addc(b, (char)r);
        } else if (go_isprint(r)) {
            sb_addrune(b, r);
        } else if (r == '\a') {
            sb_adds(b, "\\a");
        } else if (r == '\b') {
            sb_adds(b, "\\b");
        } else if (r == '\f') {
            sb_adds(b, "\\f");
        } else if (r == '\n') {
            sb_adds(b, "\\n");
        } else if (r == '\r') {
            sb_adds(b, "\\r");
        } else if (r == '\t') {
            sb_adds(b, "\\t");
        } else if (r == '\v') {
            sb_adds(b, "\\v");
        } else if (r < ' ' || r == 0x7f) {
            char e[4] = { '\\', 'x', hex[r >> 4], hex[r & 0xf] };
            sb_addn(b, e, 4);
        } else if (r < 0x10000) {
            char e[6] = { '\\', 'u', hex[(r >> 12) & 0xf], hex[(r >> 8) & 0xf],
                          hex[(r >> 4) & 0xf], hex[r & 0xf] };
            sb_addn(b, e, 6);
        } else {
            char e[10] = { '\\', 'U', '0', '0', hex[(r >> 20) & 0xf], hex[(r >> 16) & 0xf],
                           hex[(r >> 12) & 0xf], hex[(r >> 8) & 0xf], hex[(r >> 4) & 0xf],
                           hex[r & 0xf] };
            sb_addn(b, e, 10);
        }
    }
    sb_addc(b, '"');
}

/* ---- BuildKit's shell lexer, heredoc-detection mode ---- */

#define SH_EOF (-1)

struct shw {
    const char *s;
    size_t n, pos;
    bool raw_quotes, raw_escapes;
    bool *oom;
    int depth;
};

static int32_t sh_peek(struct shw *w)
{
    if (w->pos >= w->n)
        return SH_EOF;
    size_t k;
    return go_rune(w->s + w->pos, w->n - w->pos, &k);
}

static int32_t sh_next(struct shw *w)
{
    if (w->pos >= w->n)
        return SH_EOF;
    size_t k;
    int32_t r = go_rune(w->s + w->pos, w->n - w->pos, &k);
    w->pos += k;
    return r;
}

struct words {
    struct sb word;
    struct strv list;
    bool in_word;
};

static void words_addraw(struct words *ws, int32_t r)
{
    sb_addrune(&ws->word, r);
    ws->in_word = true;
}

static void words_add(struct words *ws, int32_t r)
{
    if (go_isspace(r) && ws->in_word) {
        if (ws->word.len) {
            strv_push(&ws->list, sb_take(&ws->word));
            ws->in_word = false;
        }
    } else if (!go_isspace(r)) {
        words_addraw(ws, r);
    }
}

static void words_addstr(struct words *ws, const char *s, size_t n, bool raw)
{
    if (raw) {
        sb_addn(&ws->word, s, n);
        ws->in_word = true;
        return;
    }
    for (size_t i = 0; i < n;) {
        size_t k;
        int32_t r = go_rune(s + i, n - i, &k);
        words_add(ws, r);
        i += k;
    }
}

static int sh_stop_on(struct shw *w, int32_t stop, bool raw_escapes, struct sb *res,
                      struct words *ws);

static int sh_single(struct shw *w, struct sb *res)
{
    int32_t ch = sh_next(w);
    if (w->raw_quotes)
        sb_addrune(res, ch);
    for (;;) {
        ch = sh_next(w);
        if (ch == SH_EOF)
            return -1;
        if (ch == '\'') {
            if (w->raw_quotes)
                sb_addrune(res, ch);
            return 0;
        }
        sb_addrune(res, ch);
    }
}

static int sh_dollar(struct shw *w, struct sb *res);

static int sh_double(struct shw *w, struct sb *res)
{
    int32_t ch = sh_next(w);
    if (w->raw_quotes)
        sb_addrune(res, ch);
    for (;;) {
        int32_t p = sh_peek(w);
        if (p == SH_EOF)
            return -1;
        if (p == '"') {
            ch = sh_next(w);
            if (w->raw_quotes)
                sb_addrune(res, ch);
            return 0;
        }
        if (p == '$') {
            if (sh_dollar(w, res) < 0)
                return -1;
            continue;
        }
        ch = sh_next(w);
        if (ch == '\\') {
            int32_t q = sh_peek(w);
            if (q == SH_EOF)
                continue;
            if (q == '"' || q == '$' || q == '\\') {
                if (w->raw_escapes)
                    sb_addrune(res, ch);
                ch = sh_next(w);
            }
        }
        sb_addrune(res, ch);
    }
}

static bool sh_special(int32_t c)
{
    return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' ||
           c == '0';
}

static bool sh_letter(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > 0x7f && c != 0xfffd &&
                                                                 !go_isspace(c));
}

static void sh_name(struct shw *w, struct sb *name)
{
    while (sh_peek(w) != SH_EOF) {
        int32_t ch = sh_peek(w);
        if (!name->len && ch >= '0' && ch <= '9') {
            while (sh_peek(w) >= '0' && sh_peek(w) <= '9')
                sb_addrune(name, sh_next(w));
            return;
        }
        if (!name->len && sh_special(ch)) {
            sb_addrune(name, sh_next(w));
            return;
        }
        if (!sh_letter(ch) && !(ch >= '0' && ch <= '9') && ch != '_')
            return;
        sb_addrune(name, sh_next(w));
    }
}

/* With an empty environment and unset variables skipped, every reference stays literal. */
static int sh_dollar(struct shw *w, struct sb *res)
{
    sh_next(w);
    struct sb name;
    sb_init(&name, w->oom);
    if (sh_peek(w) != '{') {
        sh_name(w, &name);
        sb_addc(res, '$');
        if (name.len)
            sb_addn(res, name.p, name.len);
        sb_free(&name);
        return 0;
    }
    sh_next(w);
    int32_t p = sh_peek(w);
    if (p == SH_EOF || p == '{' || p == '}' || p == ':')
        return -1;
    if (++w->depth > 64) {
        w->depth--;
        return -1;
    }
    sh_name(w, &name);
    int32_t ch = sh_next(w);
    int rc = 0;
    struct sb chs, word;
    sb_init(&chs, w->oom);
    sb_init(&word, w->oom);
    if (ch != SH_EOF)
        sb_addrune(&chs, ch);
    bool null_unset = false;
    switch (ch) {
    case '}':
        sb_adds(res, "${");
        sb_addn(res, name.p ? name.p : "", name.len);
        sb_adds(res, "}");
        break;
    case ':':
        null_unset = true;
        ch = sh_next(w);
        if (ch != SH_EOF)
            sb_addrune(&chs, ch);
        /* fall through */
    case '+': case '-': case '?': case '#': case '%': {
        bool rawe = ch == '#' || ch == '%';
        if (null_unset && rawe) {
            rc = -1;
            break;
        }
        if (sh_stop_on(w, '}', rawe, &word, NULL) < 0) {
            rc = -1;
            break;
        }
        sb_adds(res, "${");
        sb_addn(res, name.p ? name.p : "", name.len);
        sb_addn(res, chs.p ? chs.p : "", chs.len);
        sb_addn(res, word.p ? word.p : "", word.len);
        sb_adds(res, "}");
        break;
    }
    case '/': {
        if (sh_peek(w) == '/')
            sh_next(w);
        struct sb repl;
        sb_init(&repl, w->oom);
        if (sh_stop_on(w, '/', true, &word, NULL) < 0 || sh_stop_on(w, '}', true, &repl, NULL) < 0) {
            rc = -1;
        } else {
            sb_adds(res, "${");
            sb_addn(res, name.p ? name.p : "", name.len);
            sb_adds(res, "/");
            sb_addn(res, word.p ? word.p : "", word.len);
            sb_adds(res, "/");
            sb_addn(res, repl.p ? repl.p : "", repl.len);
            sb_adds(res, "}");
        }
        sb_free(&repl);
        break;
    }
    default:
        rc = -1;
    }
    w->depth--;
    sb_free(&name);
    sb_free(&chs);
    sb_free(&word);
    return rc;
}

static int sh_stop_on(struct shw *w, int32_t stop, bool raw_escapes, struct sb *res,
                      struct words *ws)
{
    while (sh_peek(w) != SH_EOF) {
        int32_t ch = sh_peek(w);
        if (stop != SH_EOF && ch == stop) {
            sh_next(w);
            return 0;
        }
        if (ch == '\'' || ch == '"' || ch == '$') {
            struct sb tmp;
            sb_init(&tmp, w->oom);
            int rc = ch == '\'' ? sh_single(w, &tmp) : ch == '"' ? sh_double(w, &tmp)
                                                                  : sh_dollar(w, &tmp);
            if (rc < 0) {
                sb_free(&tmp);
                return -1;
            }
            sb_addn(res, tmp.p ? tmp.p : "", tmp.len);
            if (ws)
                words_addstr(ws, tmp.p ? tmp.p : "", tmp.len, ch != '$');
            sb_free(&tmp);
            continue;
        }
        ch = sh_next(w);
        if (ch == '\\') {
            if (raw_escapes) {
                if (ws)
                    words_addraw(ws, ch);
                sb_addrune(res, ch);
            }
            ch = sh_next(w);
            if (ch == SH_EOF)
                break;
            if (ws)
                words_addraw(ws, ch);
        } else if (ws) {
            words_add(ws, ch);
        }
        sb_addrune(res, ch);
    }
    return stop != SH_EOF ? -1 : 0;
}

int shlex_words(const char *s, size_t n, bool raw_quotes, bool raw_escapes, struct strv *out)
{
    struct shw w = { s, n, 0, raw_quotes, raw_escapes, out->oom, 0 };
    struct sb res;
    struct words ws;
    sb_init(&res, out->oom);
    sb_init(&ws.word, out->oom);
    strv_init(&ws.list, out->oom);
    ws.in_word = false;
    int rc = sh_stop_on(&w, SH_EOF, raw_escapes, &res, &ws);
    if (rc == 0 && ws.word.len)
        strv_push(&ws.list, sb_take(&ws.word));
    sb_free(&ws.word);
    sb_free(&res);
    if (rc < 0) {
        strv_free(&ws.list);
        return -1;
    }
    for (size_t i = 0; i < ws.list.n; i++)
        strv_push(out, ws.list.v[i]);
    free(ws.list.v);
    return 0;
}
