/* Dockerfile line layer, following BuildKit's frontend/dockerfile/parser (parser.go,
 * line_parsers.go, directives.go) at moby/buildkit 73ed6825, so that hull reads every file the
 * way `docker build` does and hull_dockerfile_dump() reproduces Node.Dump() byte for byte.
 *
 * Order of work per physical line: strip a BOM (first line only), read parser directives while
 * they last, drop comment lines, join continuation lines (escape character at end of line,
 * comments and empty lines inside a continuation are skipped), split the logical line into
 * keyword, --flags and the rest, hand the rest to the per-keyword splitter, then read heredoc
 * bodies for RUN/COPY/ADD (and ONBUILD of those) in shell form. Quirks of BuildKit are kept
 * on purpose: flags are read byte-wise (bytes >= 0x80 become Latin-1 runes), words replace
 * invalid UTF-8 with U+FFFD, and an odd run of three or more escapes does not continue. */
#include "core/common.h"
#include "lint/lintpriv.h"
#include <math.h>

struct pline {
    const char *p; /* raw bytes including the newline */
    size_t n;
};

struct parser {
    const char *src;
    size_t len, pos;
    int line;          /* lines consumed so far */
    bool oom;
    char esc;
    bool dir_done;
    bool seen_syntax, seen_escape, seen_check;
    struct hull_dockerfile *df;
    size_t cap_nodes;
    struct hull_err **err;
};

/* bufio.Scanner with BuildKit's scanLines: the token keeps its '\n'. */
static int next_line(struct parser *ps, struct pline *l)
{
    if (ps->pos >= ps->len)
        return 0;
    const char *s = ps->src + ps->pos;
    size_t rem = ps->len - ps->pos;
    const char *nl = memchr(s, '\n', rem);
    size_t tok = nl ? (size_t)(nl - s) + 1 : rem;
    size_t content = nl ? tok - 1 : tok;
    if (content > HULL_DOCKERFILE_MAX_LINE)
        return hull_err_set(ps->err, HULL_E_LIMIT,
                            "line %d: dockerfile line greater than max allowed size of %d",
                            ps->line + 1, HULL_DOCKERFILE_MAX_LINE);
    l->p = s;
    l->n = tok;
    ps->pos += tok;
    return 1;
}

static size_t trim_newline(const char *p, size_t n)
{
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    return n;
}

static size_t lead_ws(const char *p, size_t n)
{
    size_t i = 0, w;
    while (i < n && (w = uspace_at(p + i, n - i)))
        i += w;
    return i;
}

static bool is_comment(const char *p, size_t n)
{
    size_t i = lead_ws(p, n);
    return i < n && p[i] == '#';
}

static bool re_space(char c) /* [\t\n\f\r ] (Go's \s) */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* DirectiveParser.ParseLine: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` */
static int directive(struct parser *ps, const char *p, size_t n)
{
    if (ps->dir_done)
        return 0;
    size_t i = 0;
    if (n == 0 || p[0] != '#')
        goto done;
    i = 1;
    while (i < n && re_space(p[i]))
        i++;
    if (i >= n || !is_alpha(p[i]))
        goto done;
    size_t ks = i;
    while (i < n && (is_alpha(p[i]) || is_digit(p[i])))
        i++;
    size_t ke = i;
    while (i < n && re_space(p[i]))
        i++;
    if (i >= n || p[i] != '=')
        goto done;
    i++;
    size_t vs = i;
    while (vs + 1 < n && re_space(p[vs]))
        vs++;
    if (vs >= n)
        goto done;
    size_t ve = n;
    while (ve > vs + 1 && re_space(p[ve - 1]))
        ve--;
    char key[16];
    size_t kl = ke - ks;
    if (kl >= sizeof(key))
        goto done;
    for (size_t k = 0; k < kl; k++)
        key[k] = (char)((p[ks + k] >= 'A' && p[ks + k] <= 'Z') ? p[ks + k] + 32 : p[ks + k]);
    key[kl] = 0;
    bool *seen;
    char **slot = NULL;
    if (!strcmp(key, "syntax")) {
        seen = &ps->seen_syntax;
        slot = &ps->df->syntax;
    } else if (!strcmp(key, "escape")) {
        seen = &ps->seen_escape;
    } else if (!strcmp(key, "check")) {
        seen = &ps->seen_check;
        slot = &ps->df->check;
    } else {
        goto done;
    }
    if (*seen)
        return hull_err_set(ps->err, HULL_E_PARSE,
                            "line %d: only one %s parser directive can be used", ps->line + 1,
                            key);
    *seen = true;
    if (!slot) {
        if (ve - vs != 1 || (p[vs] != '\\' && p[vs] != '`')) {
            char v[64];
            snprintf(v, sizeof(v), "%.*s", (int)(ve - vs > 40 ? 40 : ve - vs), p + vs);
            return hull_err_set(ps->err, HULL_E_PARSE,
                                "line %d: invalid escape token '%s' does not match ` or \\",
                                ps->line + 1, v);
        }
        ps->esc = p[vs];
    } else {
        *slot = xstrndup(p + vs, ve - vs, &ps->oom);
    }
    return 0;
done:
    ps->dir_done = true;
    return 0;
}

/* The escape character (optionally followed by spaces/tabs) at end of line continues it,
 * unless it is itself preceded by an escape character. Returns the kept length. */
static size_t trim_cont(const char *p, size_t n, char esc, bool *eol)
{
    size_t e = n;
    while (e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    if (e && p[e - 1] == esc && (e == 1 || p[e - 2] != esc)) {
        *eol = false;
        return e - 1;
    }
    *eol = true;
    return n;
}

/* ---- node construction ---- */

static char *lower_kw(const char *s, size_t n, bool *oom)
{
    struct sb b;
    sb_init(&b, oom);
    for (size_t i = 0; i < n;) {
        size_t w;
        int32_t r = go_rune(s + i, n - i, &w);
        i += w;
        if (r >= 'A' && r <= 'Z')
            r += 32;
        else if ((r >= 0xc0 && r <= 0xde && r != 0xd7) || (r >= 0x391 && r <= 0x3a9) ||
                 (r >= 0x410 && r <= 0x42f))
            r += 32;
        else if (r >= 0x400 && r <= 0x40f)
            r += 80;
        sb_addrune(&b, r);
    }
    return sb_take(&b);
}

static bool ws_byte(unsigned char c) /* unicode.IsSpace(rune(byte)) */
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0;
}

/* extractBuilderFlags: byte-wise, backslash escapes, quotes grouped. */
static void extract_flags(const char *line, size_t n, struct strv *flags, size_t *rest_off,
                          bool *oom)
{
    enum { SP, WORD, QUOTE } phase = SP;
    struct sb word;
    sb_init(&word, oom);
    bool blank_ok = false;
    char quote = 0;
    *rest_off = n;
    for (size_t pos = 0; pos <= n; pos++) {
        unsigned char ch = pos < n ? (unsigned char)line[pos] : 0;
        if (phase == SP) {
            if (pos == n)
                break;
            if (ws_byte(ch))
                continue;
            if (ch != '-' || pos + 1 == n || line[pos + 1] != '-') {
                *rest_off = pos;
                goto out;
            }
            phase = WORD;
        }
        if (pos == n) {
            bool dd = word.len == 2 && !memcmp(word.p, "--", 2);
            if (!dd && (blank_ok || word.len))
                strv_push(flags, sb_take(&word));
            break;
        }
        if (phase == WORD) {
            if (ws_byte(ch)) {
                phase = SP;
                if (word.len == 2 && !memcmp(word.p, "--", 2)) {
                    *rest_off = pos;
                    goto out;
                }
                if (blank_ok || word.len)
                    strv_push(flags, sb_take(&word));
                sb_free(&word);
                blank_ok = false;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = (char)ch;
                blank_ok = true;
                phase = QUOTE;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == n)
                    continue;
                pos++;
                ch = (unsigned char)line[pos];
            }
            sb_addrune(&word, ch);
            continue;
        }
        if (ch == (unsigned char)quote) {
            phase = WORD;
            continue;
        }
        if (ch == '\\') {
            if (pos + 1 == n) {
                phase = WORD;
                continue;
            }
            pos++;
            ch = (unsigned char)line[pos];
        }
        sb_addrune(&word, ch);
    }
    *rest_off = n;
out:
    sb_free(&word);
}

/* parseWords: sh-like words with quotes kept, escape token honoured. */
static void parse_words(const char *rest, size_t n, char esc, struct strv *out, bool *oom)
{
    enum { SP, WORD, QUOTE } phase = SP;
    struct sb word;
    sb_init(&word, oom);
    bool blank_ok = false;
    int32_t quote = 0, ch = 0;
    size_t w = 0;
    for (size_t pos = 0; pos <= n; pos += w) {
        if (pos != n)
            ch = go_rune(rest + pos, n - pos, &w);
        else
            w = 1;
        if (phase == SP) {
            if (pos == n)
                break;
            if (go_isspace(ch))
                continue;
            phase = WORD;
        }
        if (pos == n) {
            if (blank_ok || word.len)
                strv_push(out, sb_take(&word));
            break;
        }
        if (phase == WORD) {
            if (go_isspace(ch)) {
                phase = SP;
                if (blank_ok || word.len)
                    strv_push(out, sb_take(&word));
                sb_free(&word);
                blank_ok = false;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blank_ok = true;
                phase = QUOTE;
            }
            if (ch == esc) {
                if (pos + w == n)
                    continue;
                sb_addrune(&word, ch);
                pos += w;
                ch = go_rune(rest + pos, n - pos, &w);
            }
            sb_addrune(&word, ch);
            continue;
        }
        if (ch == quote)
            phase = WORD;
        if (ch == esc && quote != '\'') {
            if (pos + w == n) {
                phase = WORD;
                continue;
            }
            pos += w;
            sb_addrune(&word, ch);
            ch = go_rune(rest + pos, n - pos, &w);
        }
        sb_addrune(&word, ch);
    }
    sb_free(&word);
}

static bool re_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

/* reWhitespace.Split(s, limit) for limit -1 (all) or 2. */
static void split_ws(const char *s, size_t n, int limit, struct strv *out)
{
    size_t start = 0, i = 0;
    int parts = 1;
    while (i < n) {
        if (re_ws(s[i]) && (limit < 0 || parts < limit)) {
            size_t j = i;
            while (j < n && re_ws(s[j]))
                j++;
            strv_pushn(out, s + start, i - start);
            parts++;
            start = i = j;
            continue;
        }
        i++;
    }
    strv_pushn(out, s + start, n - start);
}

/* ---- JSON array (Go encoding/json semantics) ---- */

enum jres { J_OK, J_SYNTAX, J_NOTSTR, J_RANGE };

struct jp {
    const char *s;
    size_t n, i;
};

static void jws(struct jp *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
                           j->s[j->i] == '\r'))
        j->i++;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int j_u4(struct jp *j, size_t at)
{
    if (at + 4 > j->n)
        return -1;
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexv(j->s[at + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string starting at '"'; decoded into out when out != NULL. */
static bool j_string(struct jp *j, struct sb *out)
{
    j->i++;
    while (j->i < j->n) {
        unsigned char c = (unsigned char)j->s[j->i];
        if (c == '"') {
            j->i++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (j->i + 1 >= j->n)
                return false;
            char e = j->s[j->i + 1];
            const char *map = strchr("\"\\/bfnrt", e);
            if (e && map) {
                static const char val[] = "\"\\/\b\f\n\r\t";
                if (out)
                    sb_addc(out, val[map - "\"\\/bfnrt"]);
                j->i += 2;
                continue;
            }
            if (e != 'u')
                return false;
            int u = j_u4(j, j->i + 2);
            if (u < 0)
                return false;
            j->i += 6;
            int32_t r = u;
            if (u >= 0xd800 && u < 0xdc00) {
                int lo = (j->i + 1 < j->n && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u')
                             ? j_u4(j, j->i + 2)
                             : -1;
                if (lo >= 0xdc00 && lo < 0xe000) {
                    r = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                    j->i += 6;
                } else {
                    r = 0xfffd;
                }
            } else if (u >= 0xdc00 && u < 0xe000) {
                r = 0xfffd;
            }
            if (out)
                sb_addrune(out, r);
            continue;
        }
        size_t w;
        int32_t r = go_rune(j->s + j->i, j->n - j->i, &w);
        if (r == 0)
            return false;
        if (out) {
            if (r == 0xfffd && w == 1)
                sb_addrune(out, 0xfffd);
            else
                sb_addn(out, j->s + j->i, w);
        }
        j->i += w;
    }
    return false;
}

static bool j_number(struct jp *j, bool *range)
{
    size_t st = j->i;
    if (j->i < j->n && j->s[j->i] == '-')
        j->i++;
    if (j->i >= j->n)
        return false;
    if (j->s[j->i] == '0') {
        j->i++;
    } else if (j->s[j->i] >= '1' && j->s[j->i] <= '9') {
        while (j->i < j->n && is_digit(j->s[j->i]))
            j->i++;
    } else {
        return false;
    }
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i]))
            return false;
        while (j->i < j->n && is_digit(j->s[j->i]))
            j->i++;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i]))
            return false;
        while (j->i < j->n && is_digit(j->s[j->i]))
            j->i++;
    }
    char tmp[512];
    size_t len = j->i - st;
    if (len < sizeof(tmp)) {
        memcpy(tmp, j->s + st, len);
        tmp[len] = 0;
        double d = strtod(tmp, NULL);
        if (d == HUGE_VAL || d == -HUGE_VAL)
            *range = true;
    } else {
        /* a very long literal: overflow only when the exponent is large */
        const char *e = memchr(j->s + st, 'e', len);
        if (!e)
            e = memchr(j->s + st, 'E', len);
        size_t intdig = 0;
        for (size_t k = st; k < j->i && (is_digit(j->s[k]) || j->s[k] == '-'); k++)
            intdig++;
        if (intdig > 309 || (e && e[1] != '-'))
            *range = true;
    }
    return true;
}

static bool j_lit(struct jp *j, const char *w)
{
    size_t l = strlen(w);
    if (j->n - j->i < l || memcmp(j->s + j->i, w, l))
        return false;
    j->i += l;
    return true;
}

/* Validate any JSON value iteratively (depth cap 10000 like Go's scanner). */
static bool j_value(struct jp *j, bool *range)
{
    char stack[10001];
    int depth = 0;
    for (;;) {
        jws(j);
        if (j->i >= j->n)
            return false;
        char c = j->s[j->i];
        bool closed_empty = false;
        if (c == '[' || c == '{') {
            if (depth >= 10000)
                return false;
            stack[depth++] = c;
            j->i++;
            jws(j);
            if (j->i < j->n && j->s[j->i] == (c == '[' ? ']' : '}')) {
                j->i++;
                depth--;
                closed_empty = true;
            } else if (c == '{') {
                if (j->i >= j->n || j->s[j->i] != '"' || !j_string(j, NULL))
                    return false;
                jws(j);
                if (j->i >= j->n || j->s[j->i] != ':')
                    return false;
                j->i++;
                continue;
            } else {
                continue;
            }
        }
        if (!closed_empty) {
            if (c == '"') {
                if (!j_string(j, NULL))
                    return false;
            } else if (c == '-' || is_digit(c)) {
                if (!j_number(j, range))
                    return false;
            } else if (!j_lit(j, "true") && !j_lit(j, "false") && !j_lit(j, "null")) {
                return false;
            }
        }
        /* after a value: close containers or continue with a comma */
        for (;;) {
            if (depth == 0)
                return true;
            jws(j);
            if (j->i >= j->n)
                return false;
            char t = stack[depth - 1];
            if (j->s[j->i] == ',') {
                j->i++;
                if (t == '{') {
                    jws(j);
                    if (j->i >= j->n || j->s[j->i] != '"' || !j_string(j, NULL))
                        return false;
                    jws(j);
                    if (j->i >= j->n || j->s[j->i] != ':')
                        return false;
                    j->i++;
                }
                break;
            }
            if (j->s[j->i] == (t == '[' ? ']' : '}')) {
                j->i++;
                depth--;
                continue;
            }
            return false;
        }
    }
}

/* parseJSON: the text must be one valid JSON array of strings. */
static enum jres parse_json(const char *s, size_t n, struct strv *out, bool *oom)
{
    size_t i = lead_ws(s, n);
    if (i >= n || s[i] != '[')
        return J_SYNTAX;
    struct jp j = { s, n, i };
    bool range = false;
    if (!j_value(&j, &range))
        return J_SYNTAX;
    jws(&j);
    if (j.i != n)
        return J_SYNTAX;
    if (range)
        return J_RANGE;
    /* second pass: collect the top-level strings */
    j.i = i + 1;
    jws(&j);
    if (j.s[j.i] == ']')
        return J_OK;
    for (;;) {
        jws(&j);
        if (j.s[j.i] != '"')
            return J_NOTSTR;
        struct sb b;
        sb_init(&b, oom);
        j_string(&j, &b);
        strv_push(out, sb_take(&b));
        jws(&j);
        if (j.s[j.i] == ']')
            return J_OK;
        j.i++; /* ',' */
    }
}

struct node_parts {
    struct strv args;
    bool json;
    bool kv;
    struct hull_df_node *sub;
};

static int new_node(struct parser *ps, const char *line, size_t n, struct hull_df_node *node,
                    int depth);

static int parse_name_val(struct parser *ps, const char *rest, size_t n, const char *key,
                          struct node_parts *np)
{
    struct strv words;
    strv_init(&words, &ps->oom);
    parse_words(rest, n, ps->esc, &words, &ps->oom);
    int rc = 0;
    np->kv = true;
    if (words.n == 0)
        goto out;
    if (!strchr(words.v[0], '=')) {
        struct strv parts;
        strv_init(&parts, &ps->oom);
        split_ws(rest, n, 2, &parts);
        if (parts.n < 2) {
            rc = hull_err_set(ps->err, HULL_E_PARSE, "%s must have two arguments", key);
        } else {
            strv_push(&np->args, parts.v[0]);
            strv_push(&np->args, parts.v[1]);
            strv_pushn(&np->args, "", 0);
            parts.n = 0;
        }
        strv_free(&parts);
        goto out;
    }
    for (size_t i = 0; i < words.n; i++) {
        char *eq = strchr(words.v[i], '=');
        if (!eq) {
            struct sb q;
            sb_init(&q, &ps->oom);
            go_quote(&q, words.v[i], strlen(words.v[i]));
            rc = hull_err_set(ps->err, HULL_E_PARSE,
                              "Syntax error - can't find = in %s. Must be of the form: "
                              "name=value", q.p ? q.p : "");
            sb_free(&q);
            goto out;
        }
        strv_pushn(&np->args, words.v[i], (size_t)(eq - words.v[i]));
        strv_pushn(&np->args, eq + 1, strlen(eq + 1));
        strv_pushn(&np->args, "=", 1);
    }
out:
    strv_free(&words);
    return rc;
}

static int parse_maybe_json(struct parser *ps, const char *rest, size_t n, bool to_list,
                            struct node_parts *np)
{
    if (!to_list && n == 0)
        return 0;
    struct strv tmp;
    strv_init(&tmp, &ps->oom);
    enum jres r = parse_json(rest, n, &tmp, &ps->oom);
    if (r == J_OK) {
        for (size_t i = 0; i < tmp.n; i++)
            strv_push(&np->args, tmp.v[i]);
        free(tmp.v);
        np->json = true;
        return 0;
    }
    strv_free(&tmp);
    if (r == J_NOTSTR)
        return hull_err_set(ps->err, HULL_E_PARSE,
                            "when using JSON array syntax, arrays must be comprised of strings "
                            "only");
    if (to_list) {
        if (n)
            split_ws(rest, n, -1, &np->args);
    } else {
        strv_pushn(&np->args, rest, n);
    }
    return 0;
}

static int dispatch(struct parser *ps, const char *kw, const char *rest, size_t n,
                    struct node_parts *np, int depth)
{
    if (!strcmp(kw, "add") || !strcmp(kw, "copy") || !strcmp(kw, "volume"))
        return parse_maybe_json(ps, rest, n, true, np);
    if (!strcmp(kw, "cmd") || !strcmp(kw, "entrypoint") || !strcmp(kw, "run") ||
        !strcmp(kw, "shell"))
        return parse_maybe_json(ps, rest, n, false, np);
    if (!strcmp(kw, "arg")) {
        parse_words(rest, n, ps->esc, &np->args, &ps->oom);
        return 0;
    }
    if (!strcmp(kw, "env"))
        return parse_name_val(ps, rest, n, "ENV", np);
    if (!strcmp(kw, "label"))
        return parse_name_val(ps, rest, n, "LABEL", np);
    if (!strcmp(kw, "expose") || !strcmp(kw, "from")) {
        if (n)
            split_ws(rest, n, -1, &np->args);
        return 0;
    }
    if (!strcmp(kw, "maintainer") || !strcmp(kw, "stopsignal") || !strcmp(kw, "user") ||
        !strcmp(kw, "workdir")) {
        if (n)
            strv_pushn(&np->args, rest, n);
        return 0;
    }
    if (!strcmp(kw, "healthcheck")) {
        size_t sep = 0, next;
        while (sep < n && !ws_byte((unsigned char)rest[sep]))
            sep++;
        next = sep;
        while (next < n && ws_byte((unsigned char)rest[next]))
            next++;
        if (sep == 0)
            return 0;
        strv_pushn(&np->args, rest, sep);
        return parse_maybe_json(ps, rest + next, n - next, false, np);
    }
    if (!strcmp(kw, "onbuild")) {
        if (n == 0)
            return 0;
        if (depth > 64)
            return hull_err_set(ps->err, HULL_E_LIMIT, "ONBUILD nested too deeply");
        np->sub = calloc(1, sizeof(*np->sub));
        if (!np->sub) {
            ps->oom = true;
            return 0;
        }
        return new_node(ps, rest, n, np->sub, depth + 1);
    }
    /* unknown keyword: the line layer keeps the node, the arguments are dropped */
    strv_pushn(&np->args, "", 0);
    return 0;
}

static void node_release(struct hull_df_node *nd);

static int new_node(struct parser *ps, const char *line, size_t n, struct hull_df_node *node,
                    int depth)
{
    size_t s, e;
    go_trimspace(line, n, &s, &e);
    size_t k = s;
    while (k < e && !re_ws(line[k]))
        k++;
    node->keyword = xstrndup(line + s, k - s, &ps->oom);
    node->lower = lower_kw(line + s, k - s, &ps->oom);
    node->original = xstrndup(line, n, &ps->oom);
    struct strv flags;
    strv_init(&flags, &ps->oom);
    const char *rest = "";
    size_t rn = 0;
    if (k < e) {
        size_t a = k;
        while (a < e && re_ws(line[a]))
            a++;
        size_t off;
        extract_flags(line + a, e - a, &flags, &off, &ps->oom);
        size_t rs, re;
        go_trimspace(line + a + off, e - a - off, &rs, &re);
        rest = line + a + off + rs;
        rn = re - rs;
    }
    node->flags = flags.v;
    node->nflags = flags.n;
    struct node_parts np = { .json = false };
    strv_init(&np.args, &ps->oom);
    int rc = 0;
    if (!ps->oom && node->lower)
        rc = dispatch(ps, node->lower, rest, rn, &np, depth);
    node->args = np.args.v;
    node->nargs = np.args.n;
    node->json = np.json;
    node->kv = np.kv;
    node->sub = np.sub;
    return rc;
}

static bool can_heredoc(const struct hull_df_node *nd)
{
    if (nd->lower && !strcmp(nd->lower, "onbuild") && nd->sub)
        nd = nd->sub;
    if (!nd->lower)
        return false;
    if (strcmp(nd->lower, "run") && strcmp(nd->lower, "copy") && strcmp(nd->lower, "add"))
        return false;
    return !nd->json;
}

/* heredocFromMatch on one word matching ^(\d*)<<(-?)([^<]*)$ */
static int heredoc_word(struct parser *ps, const char *w, struct hull_df_heredoc *hd, bool *got)
{
    *got = false;
    size_t i = 0, n = strlen(w);
    while (i < n && is_digit(w[i]))
        i++;
    size_t fdlen = i;
    if (n - i < 2 || w[i] != '<' || w[i + 1] != '<')
        return 0;
    i += 2;
    bool chomp = false;
    if (i < n && w[i] == '-') {
        chomp = true;
        i++;
    }
    if (memchr(w + i, '<', n - i) || i == n)
        return 0;
    const char *rest = w + i;
    size_t rn = n - i;
    struct strv a, b;
    strv_init(&a, &ps->oom);
    strv_init(&b, &ps->oom);
    int rc = 0;
    if (shlex_words(rest, rn, false, false, &a) < 0) {
        rc = hull_err_set(ps->err, HULL_E_PARSE, "line %d: failed to process heredoc word",
                          ps->line);
        goto out;
    }
    if (a.n != 1)
        goto out;
    if (shlex_words(rest, rn, true, false, &b) < 0 || b.n != 1) {
        rc = hull_err_set(ps->err, HULL_E_PARSE,
                          "line %d: internal lexing of heredoc produced inconsistent results",
                          ps->line);
        goto out;
    }
    size_t qa = 0, qb = 0;
    for (const char *c = a.v[0]; *c; c++)
        qa += *c == '\'' || *c == '"';
    for (const char *c = b.v[0]; *c; c++)
        qb += *c == '\'' || *c == '"';
    unsigned long long fd = 0;
    for (size_t k = 0; k < fdlen; k++) {
        if (fd > (~0ull - 9) / 10) {
            fd = ~0ull;
            break;
        }
        fd = fd * 10 + (unsigned)(w[k] - '0');
    }
    hd->name = a.v[0];
    a.v[0] = NULL;
    hd->fd = (unsigned)fd;
    hd->chomp = chomp;
    hd->expand = qa == qb;
    *got = true;
out:
    strv_free(&a);
    strv_free(&b);
    return rc;
}

static int read_heredocs(struct parser *ps, struct hull_df_node *nd, const char *joined,
                         size_t jn)
{
    struct strv words;
    strv_init(&words, &ps->oom);
    if (shlex_words(joined, jn, true, true, &words) < 0) {
        strv_free(&words);
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < words.n && rc == 0 && !ps->oom; i++) {
        struct hull_df_heredoc hd = { 0 };
        bool got;
        rc = heredoc_word(ps, words.v[i], &hd, &got);
        if (rc < 0 || !got)
            continue;
        size_t tl = strlen(hd.name);
        struct sb body;
        sb_init(&body, &ps->oom);
        bool term = false;
        hd.start_line = ps->line + 1;
        struct pline l;
        int r;
        while ((r = next_line(ps, &l)) > 0) {
            ps->line++;
            const char *t = l.p;
            size_t tn = trim_newline(l.p, l.n);
            if (hd.chomp)
                while (tn && *t == '\t')
                    t++, tn--;
            if (tn == tl && !memcmp(t, hd.name, tl)) {
                term = true;
                break;
            }
            sb_addn(&body, l.p, l.n);
        }
        if (r < 0) {
            rc = r;
        } else if (!term) {
            rc = hull_err_set(ps->err, HULL_E_PARSE, "line %d: unterminated heredoc",
                              nd->start_line);
        }
        hd.content = sb_take(&body);
        struct hull_df_heredoc *nh = grow_for(nd->heredocs, nd->nheredocs, sizeof(*nh));
        if (!nh) {
            ps->oom = true;
            free(hd.name);
            free(hd.content);
            break;
        }
        nd->heredocs = nh;
        nd->heredocs[nd->nheredocs++] = hd;
    }
    strv_free(&words);
    return rc;
}

static struct hull_df_node *add_node(struct parser *ps)
{
    struct hull_dockerfile *df = ps->df;
    if (df->nnodes == ps->cap_nodes) {
        size_t cap = ps->cap_nodes ? ps->cap_nodes * 2 : 16;
        struct hull_df_node *v = realloc(df->nodes, cap * sizeof(*v));
        if (!v) {
            ps->oom = true;
            return NULL;
        }
        df->nodes = v;
        ps->cap_nodes = cap;
    }
    struct hull_df_node *nd = &df->nodes[df->nnodes++];
    memset(nd, 0, sizeof(*nd));
    return nd;
}

static int parse_all(struct parser *ps)
{
    struct pline l;
    int r;
    struct sb buf;
    sb_init(&buf, &ps->oom);
    int rc = 0;
    while ((r = next_line(ps, &l)) > 0) {
        const char *p = l.p;
        size_t n = l.n;
        bool comment = is_comment(p, n);
        n = trim_newline(p, n);
        size_t lw = lead_ws(p, n);
        int col = (int)lw + 1;
        p += lw;
        n -= lw;
        if ((rc = directive(ps, p, n)) < 0)
            break;
        if (comment)
            n = 0;
        ps->line++;
        int start = ps->line;
        bool eol;
        size_t keep = trim_cont(p, n, ps->esc, &eol);
        if (eol && keep == 0)
            continue;
        buf.len = 0;
        if (buf.p)
            buf.p[0] = 0;
        sb_addn(&buf, p, keep);
        bool empty_cont = false;
        while (!eol && (r = next_line(ps, &l)) > 0) {
            size_t cn = trim_newline(l.p, l.n);
            if ((rc = directive(ps, l.p, cn)) < 0)
                break;
            ps->line++;
            if (is_comment(l.p, l.n))
                continue;
            if (lead_ws(l.p, cn) == cn) {
                empty_cont = true;
                continue;
            }
            size_t k = trim_cont(l.p, cn, ps->esc, &eol);
            sb_addn(&buf, l.p, k);
        }
        if (rc < 0 || r < 0 || ps->oom)
            break;
        if (empty_cont) {
            int *v = grow_for(ps->df->empty_cont, ps->df->nempty_cont, sizeof(*v));
            if (!v) {
                ps->oom = true;
                break;
            }
            ps->df->empty_cont = v;
            v[ps->df->nempty_cont++] = start;
        }
        struct hull_df_node *nd = add_node(ps);
        if (!nd)
            break;
        nd->start_line = start;
        nd->column = col;
        const char *joined = buf.p ? buf.p : "";
        if ((rc = new_node(ps, joined, buf.len, nd, 0)) < 0) {
            hull_err_wrap(ps->err, "line %d", start);
            break;
        }
        if (can_heredoc(nd) && buf.len >= 2 && memmem(joined, buf.len, "<<", 2)) {
            if ((rc = read_heredocs(ps, nd, joined, buf.len)) < 0)
                break;
        }
        nd->end_line = ps->line;
    }
    sb_free(&buf);
    if (r < 0)
        rc = r;
    return rc;
}

static void node_release(struct hull_df_node *nd)
{
    free(nd->keyword);
    free(nd->lower);
    free(nd->original);
    for (size_t i = 0; i < nd->nflags; i++)
        free(nd->flags[i]);
    free(nd->flags);
    for (size_t i = 0; i < nd->nargs; i++)
        free(nd->args[i]);
    free(nd->args);
    for (size_t i = 0; i < nd->nheredocs; i++) {
        free(nd->heredocs[i].name);
        free(nd->heredocs[i].content);
    }
    free(nd->heredocs);
    if (nd->sub) {
        node_release(nd->sub);
        free(nd->sub);
    }
}

void hull_dockerfile_free(struct hull_dockerfile *df)
{
    if (!df)
        return;
    for (size_t i = 0; i < df->nnodes; i++)
        node_release(&df->nodes[i]);
    free(df->nodes);
    free(df->syntax);
    free(df->check);
    free(df->empty_cont);
    free(df->text);
    free(df->line_off);
    free(df);
}

int hull_dockerfile_parse(const char *p, size_t len, struct hull_dockerfile **out,
                          struct hull_err **err)
{
    *out = NULL;
    struct hull_dockerfile *df = calloc(1, sizeof(*df));
    if (!df)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
        p += 3;
        len -= 3;
    }
    struct parser ps = { .src = p, .len = len, .esc = '\\', .df = df, .err = err };
    df->text = xstrndup(p, len, &ps.oom);
    char *nulfree = NULL;
    if (df->text && memchr(p, 0, len)) {
        /* NUL bytes become C0 80 (see sb_addrune) so every node string is a C string */
        size_t nn = 0;
        for (size_t i = 0; i < len; i++)
            nn += p[i] ? 1 : 2;
        nulfree = malloc(nn + 1);
        if (!nulfree) {
            ps.oom = true;
        } else {
            size_t k = 0;
            for (size_t i = 0; i < len; i++) {
                if (p[i]) {
                    nulfree[k++] = p[i];
                } else {
                    nulfree[k++] = (char)0xc0;
                    nulfree[k++] = (char)0x80;
                }
            }
            ps.src = nulfree;
            ps.len = nn;
        }
    }
    df->len = len;
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += p[i] == '\n';
    df->line_off = malloc(nl * sizeof(size_t));
    if (df->line_off) {
        df->line_off[0] = 0;
        size_t k = 1;
        for (size_t i = 0; i < len; i++)
            if (p[i] == '\n')
                df->line_off[k++] = i + 1;
        df->nlines = (len && p[len - 1] == '\n') ? nl - 1 : nl;
    } else {
        ps.oom = true;
    }
    int rc = ps.oom ? -1 : parse_all(&ps);
    free(nulfree);
    df->escape = ps.esc;
    if (ps.oom) {
        hull_err_clear(err);
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    } else if (rc == 0 && df->nnodes == 0) {
        rc = hull_err_set(err, HULL_E_PARSE, "line %d: file with no instructions",
                          ps.line ? ps.line : 1);
    }
    if (rc < 0) {
        hull_dockerfile_free(df);
        return rc;
    }
    *out = df;
    return 0;
}

const char *hull_dockerfile_line(const struct hull_dockerfile *df, int line, size_t *len)
{
    if (line < 1 || (size_t)line > df->nlines)
        return NULL;
    size_t s = df->line_off[line - 1];
    const char *nl = memchr(df->text + s, '\n', df->len - s);
    size_t e = nl ? (size_t)(nl - df->text) : df->len;
    if (e > s && df->text[e - 1] == '\r')
        e--;
    *len = e - s;
    return df->text + s;
}

int offmap_build(const struct hull_dockerfile *df, const struct hull_df_node *nd,
                 struct offmap *m)
{
    memset(m, 0, sizeof(*m));
    int last = nd->nheredocs ? nd->heredocs[0].start_line - 1 : nd->end_line;
    size_t cap = last >= nd->start_line ? (size_t)(last - nd->start_line + 1) : 1;
    m->acc = malloc(cap * sizeof(*m->acc));
    m->line = malloc(cap * sizeof(*m->line));
    m->col0 = malloc(cap * sizeof(*m->col0));
    m->plen = malloc(cap * sizeof(*m->plen));
    if (!m->acc || !m->line || !m->col0 || !m->plen) {
        offmap_free(m);
        return -1;
    }
    size_t acc = 0;
    bool first = true, eol = false;
    for (int l = nd->start_line; l <= last && !eol; l++) {
        size_t n;
        const char *p = hull_dockerfile_line(df, l, &n);
        if (!p)
            break;
        size_t lw = 0;
        if (first)
            lw = lead_ws(p, n);
        else if (is_comment(p, n) || lead_ws(p, n) == n)
            continue;
        first = false;
        size_t k = trim_cont(p + lw, n - lw, df->escape, &eol);
        m->acc[m->n] = acc;
        m->line[m->n] = l;
        m->col0[m->n] = lw;
        m->plen[m->n] = n;
        m->n++;
        acc += k;
    }
    return 0;
}

void offmap_lookup(const struct offmap *m, const struct hull_df_node *nd, size_t off, int *line,
                   int *col)
{
    if (!m->n) {
        *line = nd->start_line;
        *col = nd->column;
        return;
    }
    size_t lo = 0, hi = m->n; /* last piece with acc <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->acc[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t c = m->col0[lo] + (off - m->acc[lo]);
    *line = m->line[lo];
    *col = (int)(c < m->plen[lo] ? c : m->plen[lo]) + 1;
}

void offmap_free(struct offmap *m)
{
    free(m->acc);
    free(m->line);
    free(m->col0);
    free(m->plen);
    memset(m, 0, sizeof(*m));
}

void hull_df_map_offset(const struct hull_dockerfile *df, const struct hull_df_node *nd,
                        size_t off, int *line, int *col)
{
    struct offmap m;
    if (offmap_build(df, nd, &m) < 0) {
        *line = nd->start_line;
        *col = nd->column;
        return;
    }
    offmap_lookup(&m, nd, off, line, col);
    offmap_free(&m);
}

static void dump_node(struct sb *b, const struct hull_df_node *nd)
{
    struct sb t;
    sb_init(&t, b->oom);
    sb_adds(&t, nd->lower ? nd->lower : "");
    if (nd->nflags) {
        sb_adds(&t, " [");
        for (size_t i = 0; i < nd->nflags; i++) {
            if (i)
                sb_addc(&t, ' ');
            go_quote(&t, nd->flags[i], strlen(nd->flags[i]));
        }
        sb_addc(&t, ']');
    }
    for (size_t i = 0; i < nd->nargs; i++) {
        sb_addc(&t, ' ');
        go_quote(&t, nd->args[i], strlen(nd->args[i]));
    }
    if (nd->sub) {
        sb_adds(&t, " (");
        dump_node(&t, nd->sub);
        sb_addc(&t, ')');
    }
    size_t s = 0, e = 0;
    if (t.p)
        go_trimspace(t.p, t.len, &s, &e);
    sb_addn(b, t.p ? t.p + s : "", e - s);
    sb_free(&t);
}

char *hull_dockerfile_dump(const struct hull_dockerfile *df, size_t *len, struct hull_err **err)
{
    bool oom = false;
    struct sb b;
    sb_init(&b, &oom);
    for (size_t i = 0; i < df->nnodes; i++) {
        sb_addc(&b, '(');
        dump_node(&b, &df->nodes[i]);
        sb_adds(&b, ")\n");
    }
    size_t n = b.len;
    char *s = sb_take(&b);
    if (!s) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    if (len)
        *len = n;
    return s;
}
