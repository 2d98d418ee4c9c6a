/* Two small shell readers for the lint rules.
 *
 * hull_expand(): BuildKit's build-time variable expansion (shell/lex.go ProcessWord) for the
 * instructions that expand (FROM, ARG defaults, ENV, COPY, USER, ...): $x, ${x}, ${x:-w},
 * ${x-w}, ${x:+w}, ${x+w}, ${x:?w}, sh quoting, the escape character. Pattern modifiers
 * (#, %, /) keep the value and mark the result unresolved.
 *
 * shscript_parse(): a best-effort POSIX sh splitter for RUN scripts. It cuts a script into
 * simple commands at ; & && || | newlines and grouping words, removes quotes, drops
 * redirections, comments and nested heredoc bodies, and descends into $(...), `...` and
 * `sh -c '...'` so every command that will run is seen. It never fails on odd input; it only
 * has to be good enough to find apt-get, pip, curl | sh and friends. */
#include "core/common.h"
#include "lint/lintpriv.h"

void vars_set(struct hull_vars *v, const char *name, const char *value, bool *oom)
{
    int at = strmap_get(&v->idx, name);
    if (at >= 0) {
        char *nv = value ? strdup(value) : NULL;
        if (value && !nv) {
            *oom = true;
            return;
        }
        free(v->values[at]);
        v->values[at] = nv;
        return;
    }
    if (v->n >= INT32_MAX) {
        *oom = true;
        return;
    }
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        char **a = realloc(v->names, cap * sizeof(*a));
        if (!a) {
            *oom = true;
            return;
        }
        v->names = a;
        char **b = realloc(v->values, cap * sizeof(*b));
        if (!b) {
            *oom = true;
            return;
        }
        v->values = b;
        v->cap = cap;
    }
    char *nn = strdup(name);
    char *nv = value ? strdup(value) : NULL;
    if (!nn || (value && !nv)) {
        free(nn);
        free(nv);
        *oom = true;
        return;
    }
    strmap_put(&v->idx, name, (int)v->n, true, oom);
    if (*oom) {
        free(nn);
        free(nv);
        return;
    }
    v->names[v->n] = nn;
    v->values[v->n++] = nv;
}

bool vars_get(const struct hull_vars *v, const char *name, const char **value)
{
    int at = strmap_get(&v->idx, name);
    *value = at >= 0 ? v->values[at] : NULL;
    return at >= 0;
}

void vars_copy(struct hull_vars *dst, const struct hull_vars *src, bool *oom)
{
    for (size_t i = 0; i < src->n; i++)
        vars_set(dst, src->names[i], src->values[i], oom);
}

void vars_free(struct hull_vars *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->names[i]);
        free(v->values[i]);
    }
    free(v->names);
    free(v->values);
    strmap_free(&v->idx);
    memset(v, 0, sizeof(*v));
}

/* ---- build-time expansion ---- */

struct ex {
    const char *s;
    size_t n, i;
    char esc;
    const struct hull_vars *vars;
    bool *unresolved, *bad, *oom;
    int depth;
};

static bool name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

static int ex_until(struct ex *x, char stop, struct sb *out);

static void ex_lookup(struct ex *x, const char *name, const char **val, bool *set)
{
    *set = vars_get(x->vars, name, val);
    if (*set && !*val)
        *set = false; /* declared without a value: unset at build time unless passed */
}

static int ex_dollar(struct ex *x, struct sb *out)
{
    x->i++; /* $ */
    if (x->i >= x->n) {
        sb_addc(out, '$');
        return 0;
    }
    char c = x->s[x->i];
    if (c != '{') {
        size_t st = x->i;
        if (c >= '0' && c <= '9') {
            while (x->i < x->n && x->s[x->i] >= '0' && x->s[x->i] <= '9')
                x->i++;
            return 0;
        }
        if (strchr("@*#?-$!", c)) {
            x->i++;
            return 0;
        }
        while (x->i < x->n && name_char(x->s[x->i], x->i == st))
            x->i++;
        if (x->i == st) {
            sb_addc(out, '$');
            return 0;
        }
        char *name = xstrndup(x->s + st, x->i - st, x->oom);
        if (!name)
            return -1;
        const char *v;
        bool set;
        ex_lookup(x, name, &v, &set);
        free(name);
        if (set)
            sb_adds(out, v);
        else
            *x->unresolved = true;
        return 0;
    }
    x->i++;
    if (x->i >= x->n || strchr("{}:", x->s[x->i])) {
        *x->bad = true;
        return -1;
    }
    size_t st = x->i;
    while (x->i < x->n && name_char(x->s[x->i], x->i == st))
        x->i++;
    if (x->i >= x->n) {
        *x->bad = true;
        return -1;
    }
    char *name = xstrndup(x->s + st, x->i - st, x->oom);
    if (!name)
        return -1;
    const char *v;
    bool set;
    ex_lookup(x, name, &v, &set);
    free(name);
    char op = x->s[x->i++];
    if (op == '}') {
        if (set)
            sb_adds(out, v);
        else
            *x->unresolved = true;
        return 0;
    }
    bool colon = false;
    if (op == ':') {
        colon = true;
        if (x->i >= x->n) {
            *x->bad = true;
            return -1;
        }
        op = x->s[x->i++];
    }
    if (!strchr("+-?#%/", op) || (colon && strchr("#%/", op))) {
        *x->bad = true;
        return -1;
    }
    if (++x->depth > 32) {
        *x->bad = true;
        return -1;
    }
    struct sb word;
    sb_init(&word, x->oom);
    int rc = ex_until(x, '}', &word);
    x->depth--;
    if (rc < 0) {
        sb_free(&word);
        *x->bad = true;
        return -1;
    }
    bool empty = !set || !*v;
    const char *w = word.p ? word.p : "";
    switch (op) {
    case '-':
        if (!set || (colon && empty))
            sb_adds(out, w);
        else
            sb_adds(out, v);
        break;
    case '+':
        if (set && !(colon && empty))
            sb_adds(out, w);
        break;
    case '?':
        if (set)
            sb_adds(out, v);
        else
            *x->unresolved = true;
        break;
    default:
        if (set)
            sb_adds(out, v);
        *x->unresolved = true;
        break;
    }
    sb_free(&word);
    return 0;
}

static int ex_until(struct ex *x, char stop, struct sb *out)
{
    while (x->i < x->n) {
        char c = x->s[x->i];
        if (stop && c == stop) {
            x->i++;
            return 0;
        }
        if (c == '\'') {
            x->i++;
            while (x->i < x->n && x->s[x->i] != '\'')
                sb_addc(out, x->s[x->i++]);
            if (x->i >= x->n)
                return -1;
            x->i++;
        } else if (c == '"') {
            x->i++;
            for (;;) {
                if (x->i >= x->n)
                    return -1;
                char d = x->s[x->i];
                if (d == '"') {
                    x->i++;
                    break;
                }
                if (d == '$') {
                    if (ex_dollar(x, out) < 0)
                        return -1;
                    continue;
                }
                if (d == x->esc && x->i + 1 < x->n &&
                    (x->s[x->i + 1] == '"' || x->s[x->i + 1] == '$' ||
                     x->s[x->i + 1] == x->esc))
                    x->i++;
                sb_addc(out, x->s[x->i++]);
            }
        } else if (c == '$') {
            if (ex_dollar(x, out) < 0)
                return -1;
        } else if (c == x->esc) {
            x->i++;
            if (x->i < x->n)
                sb_addc(out, x->s[x->i++]);
        } else {
            sb_addc(out, c);
            x->i++;
        }
    }
    return stop ? -1 : 0;
}

char *hull_expand(const char *s, size_t n, char esc, const struct hull_vars *vars,
                  bool *unresolved, bool *bad, bool *oom)
{
    struct ex x = { s, n, 0, esc, vars, unresolved, bad, oom, 0 };
    struct sb out;
    sb_init(&out, oom);
    if (ex_until(&x, 0, &out) < 0) {
        *bad = true;
        sb_free(&out);
        return NULL;
    }
    return sb_take(&out);
}

/* ---- shell script splitter ---- */

struct sp {
    const char *s;
    size_t n, i;
    bool *oom;
    struct shscript *out;
    struct strv argv;
    struct sb word;
    bool in_word;
    bool redirect_next; /* the next word is a redirection target */
    bool heredoc_next;  /* the next word is a heredoc delimiter */
    struct strv pending_heredocs;
    int pipe_state;     /* 1: the current command follows a | */
    int depth;
    const char *root;   /* the top-level script, for command offsets */
    size_t root_n;
    size_t fallback;    /* offset used for scripts that are not inside root (sh -c) */
    size_t cmd_off;
    bool have_off;
};

static void sp_subscript(struct sp *p, const char *s, size_t n);

static void sp_end_word(struct sp *p)
{
    if (!p->in_word)
        return;
    char *w = sb_take(&p->word);
    p->in_word = false;
    if (!w)
        return;
    if (p->heredoc_next) {
        p->heredoc_next = false;
        strv_push(&p->pending_heredocs, w);
        return;
    }
    if (p->redirect_next) {
        p->redirect_next = false;
        free(w);
        return;
    }
    strv_push(&p->argv, w);
}

static bool is_assign(const char *w)
{
    if (!name_char(w[0], true))
        return false;
    size_t i = 1;
    while (name_char(w[i], false))
        i++;
    return w[i] == '=';
}

static void sp_end_cmd(struct sp *p, bool pipe_after)
{
    sp_end_word(p);
    struct strv *a = &p->argv;
    size_t k = 0;
    while (k < a->n && is_assign(a->v[k]))
        k++;
    /* reserved words that prefix a command */
    static const char *const kw[] = { "if", "then", "else", "elif", "do", "while", "until",
                                      "!", "{", "time" };
    for (bool again = true; again && k < a->n;) {
        again = false;
        for (size_t j = 0; j < HULL_ARRAY_LEN(kw); j++) {
            if (!strcmp(a->v[k], kw[j])) {
                k++;
                again = true;
                break;
            }
        }
    }
    bool drop = k >= a->n || !strcmp(a->v[k], "fi") || !strcmp(a->v[k], "done") ||
                !strcmp(a->v[k], "esac") || !strcmp(a->v[k], "}") || !strcmp(a->v[k], "for") ||
                !strcmp(a->v[k], "case");
    if (!drop && !*p->oom) {
        struct shscript *o = p->out;
        struct shcmd *c = grow_for(o->cmds, o->ncmds, sizeof(*c));
        if (!c) {
            *p->oom = true;
        } else {
            o->cmds = c;
            struct shcmd *cmd = &c[o->ncmds++];
            cmd->argc = a->n - k;
            cmd->argv = malloc((cmd->argc + 1) * sizeof(char *));
            if (!cmd->argv) {
                *p->oom = true;
                cmd->argc = 0;
            } else {
                for (size_t j = 0; j < cmd->argc; j++) {
                    cmd->argv[j] = a->v[k + j];
                    a->v[k + j] = NULL;
                }
                cmd->argv[cmd->argc] = NULL;
            }
            cmd->off = p->have_off ? p->cmd_off : p->fallback;
            cmd->piped = p->pipe_state || pipe_after;
            cmd->pipe_out = pipe_after;
            if (cmd->piped)
                o->has_pipe = true;
            if (cmd->argc >= 2 && !strcmp(cmd->argv[0], "set")) {
                for (size_t j = 1; j + 1 < cmd->argc; j++)
                    if (cmd->argv[j][0] == '-' && strchr(cmd->argv[j], 'o') &&
                        !strcmp(cmd->argv[j + 1], "pipefail"))
                        o->sets_pipefail = true;
            }
            /* sh -c 'script': the script runs too */
            if (cmd->argc >= 3 && (!strcmp(cmd->argv[0], "sh") || !strcmp(cmd->argv[0], "bash") ||
                                   !strcmp(cmd->argv[0], "ash") || !strcmp(cmd->argv[0], "dash") ||
                                   !strcmp(cmd->argv[0], "/bin/sh") ||
                                   !strcmp(cmd->argv[0], "/bin/bash"))) {
                for (size_t j = 1; j + 1 < cmd->argc; j++) {
                    if (cmd->argv[j][0] == '-' && strchr(cmd->argv[j], 'c')) {
                        char *script = cmd->argv[j + 1];
                        sp_subscript(p, script, strlen(script));
                        break;
                    }
                }
            }
        }
    }
    strv_free(a);
    strv_init(a, p->oom);
    p->have_off = false;
    p->pipe_state = pipe_after;
    p->redirect_next = false;
}

static void sp_addc(struct sp *p, char c)
{
    sb_addc(&p->word, c);
    p->in_word = true;
}

/* Skip a balanced $( ... ) or ` ... ` region; returns its inner text range. */
static void sp_skip_subst(struct sp *p, char open, size_t *st, size_t *en)
{
    *st = p->i;
    if (open == '`') {
        while (p->i < p->n && p->s[p->i] != '`') {
            if (p->s[p->i] == '\\' && p->i + 1 < p->n)
                p->i++;
            p->i++;
        }
        *en = p->i;
        if (p->i < p->n)
            p->i++;
        return;
    }
    int lvl = 1;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\\' && p->i + 1 < p->n) {
            p->i += 2;
            continue;
        }
        if (c == '\'') {
            const char *q = memchr(p->s + p->i + 1, '\'', p->n - p->i - 1);
            p->i = q ? (size_t)(q - p->s) + 1 : p->n;
            continue;
        }
        if (c == '(')
            lvl++;
        else if (c == ')' && --lvl == 0)
            break;
        p->i++;
    }
    *en = p->i;
    if (p->i < p->n)
        p->i++;
}

static void sp_dollar(struct sp *p)
{
    /* p->s[p->i] == '$' */
    if (p->i + 1 < p->n && p->s[p->i + 1] == '(') {
        bool arith = p->i + 2 < p->n && p->s[p->i + 2] == '(';
        size_t from = p->i;
        p->i += 2;
        size_t st, en;
        sp_skip_subst(p, '(', &st, &en);
        if (!arith)
            sp_subscript(p, p->s + st, en - st);
        for (size_t k = from; k < p->i; k++)
            sp_addc(p, p->s[k]);
        return;
    }
    if (p->i + 1 < p->n && p->s[p->i + 1] == '{') {
        size_t from = p->i;
        p->i += 2;
        int lvl = 1;
        while (p->i < p->n && lvl) {
            if (p->s[p->i] == '{')
                lvl++;
            else if (p->s[p->i] == '}')
                lvl--;
            p->i++;
        }
        for (size_t k = from; k < p->i; k++)
            sp_addc(p, p->s[k]);
        return;
    }
    sp_addc(p, '$');
    p->i++;
}

/* After a newline: skip the bodies of heredocs announced on the previous line. */
static void sp_skip_heredocs(struct sp *p)
{
    for (size_t h = 0; h < p->pending_heredocs.n; h++) {
        const char *d = p->pending_heredocs.v[h];
        size_t dl = strlen(d);
        while (p->i < p->n) {
            const char *nl = memchr(p->s + p->i, '\n', p->n - p->i);
            size_t e = nl ? (size_t)(nl - p->s) : p->n;
            size_t b = p->i;
            while (b < e && p->s[b] == '\t')
                b++;
            bool term = e - b == dl && !memcmp(p->s + b, d, dl);
            p->i = nl ? e + 1 : p->n;
            if (term)
                break;
        }
    }
    strv_free(&p->pending_heredocs);
    strv_init(&p->pending_heredocs, p->oom);
}

static void sp_run(struct sp *p)
{
    while (p->i < p->n && !*p->oom) {
        char c = p->s[p->i];
        if (!p->have_off && !p->in_word && !strchr(" \t\r\n;&|()#<>", c)) {
            p->have_off = true;
            p->cmd_off = p->fallback;
            if (p->s >= p->root && p->s + p->i < p->root + p->root_n)
                p->cmd_off = (size_t)(p->s + p->i - p->root);
        }
        if (c == '\\') {
            if (p->i + 1 < p->n && p->s[p->i + 1] == '\n') {
                p->i += 2;
                continue;
            }
            if (p->i + 1 < p->n)
                sp_addc(p, p->s[p->i + 1]);
            p->i += 2;
            continue;
        }
        if (c == '\'') {
            p->in_word = true;
            p->i++;
            while (p->i < p->n && p->s[p->i] != '\'')
                sp_addc(p, p->s[p->i++]);
            p->i++;
            continue;
        }
        if (c == '"') {
            p->in_word = true;
            p->i++;
            while (p->i < p->n && p->s[p->i] != '"') {
                if (p->s[p->i] == '\\' && p->i + 1 < p->n &&
                    strchr("\"\\$`\n", p->s[p->i + 1])) {
                    if (p->s[p->i + 1] != '\n')
                        sp_addc(p, p->s[p->i + 1]);
                    p->i += 2;
                    continue;
                }
                if (p->s[p->i] == '$') {
                    sp_dollar(p);
                    continue;
                }
                if (p->s[p->i] == '`') {
                    p->i++;
                    size_t st, en;
                    sp_skip_subst(p, '`', &st, &en);
                    sp_subscript(p, p->s + st, en - st);
                    continue;
                }
                sp_addc(p, p->s[p->i++]);
            }
            p->i++;
            continue;
        }
        if (c == '$') {
            sp_dollar(p);
            continue;
        }
        if (c == '`') {
            p->i++;
            size_t st, en;
            sp_skip_subst(p, '`', &st, &en);
            sp_subscript(p, p->s + st, en - st);
            sp_addc(p, '`');
            continue;
        }
        if (c == '#' && !p->in_word) {
            while (p->i < p->n && p->s[p->i] != '\n')
                p->i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            sp_end_word(p);
            p->i++;
            continue;
        }
        if (c == '\n') {
            sp_end_cmd(p, false);
            p->i++;
            sp_skip_heredocs(p);
            continue;
        }
        if (c == ';' || c == '(' || c == ')') {
            sp_end_cmd(p, false);
            p->i++;
            if (c == ';' && p->i < p->n && p->s[p->i] == ';')
                p->i++;
            continue;
        }
        if (c == '&') {
            if (p->i + 1 < p->n && p->s[p->i + 1] == '>') { /* &> file */
                sp_end_word(p);
                p->redirect_next = true;
                p->i += 2;
                if (p->i < p->n && p->s[p->i] == '>')
                    p->i++;
                continue;
            }
            sp_end_cmd(p, false);
            p->i += (p->i + 1 < p->n && p->s[p->i + 1] == '&') ? 2 : 1;
            continue;
        }
        if (c == '|') {
            bool pipe = !(p->i + 1 < p->n && p->s[p->i + 1] == '|');
            sp_end_cmd(p, pipe);
            p->i += pipe ? 1 : 2;
            if (pipe && p->i < p->n && p->s[p->i] == '&')
                p->i++;
            continue;
        }
        if (c == '<' || c == '>') {
            /* a word made only of digits before the operator is an fd number */
            if (p->in_word && p->word.len) {
                bool digits = true;
                for (size_t k = 0; k < p->word.len; k++)
                    digits = digits && p->word.p[k] >= '0' && p->word.p[k] <= '9';
                if (digits) {
                    sb_free(&p->word);
                    p->in_word = false;
                }
            }
            sp_end_word(p);
            if (c == '<' && p->i + 1 < p->n && p->s[p->i + 1] == '(') { /* <(cmd) */
                size_t from = p->i;
                p->i += 2;
                size_t st, en;
                sp_skip_subst(p, '(', &st, &en);
                sp_subscript(p, p->s + st, en - st);
                for (size_t k = from; k < p->i; k++)
                    sp_addc(p, p->s[k]);
                continue;
            }
            if (c == '<' && p->i + 1 < p->n && p->s[p->i + 1] == '<') {
                p->i += 2;
                if (p->i < p->n && p->s[p->i] == '<') { /* here-string */
                    p->i++;
                    p->redirect_next = true;
                    continue;
                }
                if (p->i < p->n && p->s[p->i] == '-')
                    p->i++;
                while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
                    p->i++;
                p->heredoc_next = true;
                continue;
            }
            p->i++;
            if (p->i < p->n && (p->s[p->i] == '>' || p->s[p->i] == '&' || p->s[p->i] == '|'))
                p->i++;
            if (p->i < p->n && p->s[p->i] == '&') {
                /* >&2, <&- */
                p->i++;
            }
            while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9' && p->s[p->i - 1] == '&')
                p->i++;
            if (p->i < p->n && p->s[p->i] == '-' && p->s[p->i - 1] == '&')
                p->i++;
            if (p->s[p->i - 1] != '&' && !(p->s[p->i - 1] >= '0' && p->s[p->i - 1] <= '9'))
                p->redirect_next = true;
            continue;
        }
        sp_addc(p, c);
        p->i++;
    }
}

static void sp_subscript(struct sp *p, const char *s, size_t n)
{
    if (p->depth >= 16 || !n)
        return;
    struct sp q = { .s = s, .n = n, .oom = p->oom, .out = p->out, .depth = p->depth + 1,
                    .root = p->root, .root_n = p->root_n,
                    .fallback = p->have_off ? p->cmd_off : p->fallback };
    strv_init(&q.argv, p->oom);
    sb_init(&q.word, p->oom);
    strv_init(&q.pending_heredocs, p->oom);
    sp_run(&q);
    sp_end_cmd(&q, false);
    strv_free(&q.argv);
    sb_free(&q.word);
    strv_free(&q.pending_heredocs);
}

int shscript_parse(const char *s, size_t n, struct shscript *out, bool *oom)
{
    memset(out, 0, sizeof(*out));
    struct sp p = { .s = s, .n = n, .oom = oom, .out = out, .root = s, .root_n = n };
    strv_init(&p.argv, oom);
    sb_init(&p.word, oom);
    strv_init(&p.pending_heredocs, oom);
    sp_run(&p);
    sp_end_cmd(&p, false);
    strv_free(&p.argv);
    sb_free(&p.word);
    strv_free(&p.pending_heredocs);
    return *oom ? -1 : 0;
}

void shscript_free(struct shscript *sc)
{
    for (size_t i = 0; i < sc->ncmds; i++) {
        for (size_t k = 0; k < sc->cmds[i].argc; k++)
            free(sc->cmds[i].argv[k]);
        free(sc->cmds[i].argv);
    }
    free(sc->cmds);
    memset(sc, 0, sizeof(*sc));
}
