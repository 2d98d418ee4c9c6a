/* Finding image references to pin, with exact byte spans.
 *
 * Dockerfiles: a small line layer that follows BuildKit (shared/docs/dockerfile.md 1.2-1.5):
 * BOM, the `escape` directive, continuation lines (exactly one trailing escape character,
 * trailing blanks allowed; comment and empty lines inside a continuation dropped), comments,
 * and heredoc bodies of RUN/COPY/ADD (and ONBUILD forms), which are skipped whole. Logical
 * lines keep a map from each character to its file offset, so a token is spliced in the
 * original bytes. Only global ARGs (before the first FROM) feed FROM lines (1.8).
 *
 * YAML (docker-compose, Kubernetes): `image:` mapping keys, optionally after a sequence dash,
 * with plain or quoted scalars; comment lines and block scalars (| >) are skipped. */
#include "core/common.h"
#include "core/buf.h"
#include "hull/pin.h"
#include <ctype.h>

#define LOGICAL_MAX (64u * 1024)
#define ITEMS_MAX 10000
#define ARGS_MAX 1000
#define STAGES_MAX 1000
#define HEREDOCS_MAX 16

struct joined {
    char *s;
    size_t *map;
    size_t n, cap;
    size_t line; /* first physical line */
};

struct gearg {
    char *name;
    char *value;  /* unquoted, or NULL without default */
    bool span_ok; /* the value sits contiguous in the file without escapes */
    size_t off, len;
};

struct heredoc {
    char *delim;
    bool strip_tabs;
};

struct fromref {
    size_t off, len; /* file span */
    const char *kind;
    bool plain;      /* contiguous, no quotes, escapes or variables */
};

struct scanner {
    const char *p;
    size_t len;
    char esc;
    struct joined j;
    struct gearg *args;
    size_t nargs;
    char **stages;
    size_t nstages;
    bool seen_from;
    struct heredoc hd[HEREDOCS_MAX];
    size_t nhd, hd_i;
    struct fromref *froms; /* COPY --from / RUN --mount from= values, decided at the end */
    size_t nfroms;
    struct hull_pin_scan *out;
};

void hull_pin_scan_release(struct hull_pin_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].image);
        free(s->items[i].note);
    }
    free(s->items);
    memset(s, 0, sizeof(*s));
}

static size_t line_of(const char *p, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n')
            line++;
    return line;
}

static int add_item(struct scanner *sc, size_t off, size_t len, const char *image, size_t ilen,
                    const char *kind, enum hull_pin_state st, const char *note,
                    struct hull_err **err)
{
    struct hull_pin_scan *o = sc->out;
    if (st == HULL_PIN_CANDIDATE)
        for (size_t i = 0; i < o->n; i++) /* one ARG used by several FROMs: pin it once */
            if (o->items[i].state == HULL_PIN_CANDIDATE && o->items[i].off == off &&
                o->items[i].len == len)
                return 0;
    if (o->n >= ITEMS_MAX)
        return hull_err_set(err, HULL_E_LIMIT, "more than %d image references", ITEMS_MAX);
    struct hull_pin_item *n = realloc(o->items, (o->n + 1) * sizeof(*n));
    if (!n)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    o->items = n;
    struct hull_pin_item *it = &o->items[o->n];
    memset(it, 0, sizeof(*it));
    it->off = off;
    it->len = len;
    it->line = line_of(sc->p, off);
    it->kind = kind;
    it->state = st;
    it->image = strndup(image, ilen);
    it->note = note ? strdup(note) : NULL;
    if (!it->image || (note && !it->note)) {
        free(it->image);
        free(it->note);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    o->n++;
    return 0;
}

static int jappend(struct joined *j, const char *p, size_t from, size_t to, struct hull_err **err)
{
    size_t n = to - from;
    if (j->n + n > LOGICAL_MAX)
        return hull_err_set(err, HULL_E_PARSE, "line %zu: instruction longer than %u bytes",
                            j->line, LOGICAL_MAX);
    if (j->n + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 256;
        while (cap < j->n + n + 1)
            cap *= 2;
        char *s = realloc(j->s, cap);
        if (!s)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        j->s = s;
        size_t *m = realloc(j->map, cap * sizeof(*m));
        if (!m)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        j->map = m;
        j->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        j->s[j->n + i] = p[from + i];
        j->map[j->n + i] = from + i;
    }
    j->n += n;
    j->s[j->n] = 0;
    return 0;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Are joined chars [a, a+n) contiguous in the file? */
static bool contiguous(const struct joined *j, size_t a, size_t n)
{
    return n > 0 && j->map[a + n - 1] - j->map[a] == n - 1;
}

static bool name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static struct gearg *find_arg(struct scanner *sc, const char *name, size_t n)
{
    for (size_t i = sc->nargs; i-- > 0;)
        if (strlen(sc->args[i].name) == n && !memcmp(sc->args[i].name, name, n))
            return &sc->args[i];
    return NULL;
}

/* ARG NAME[=VALUE] ... before the first FROM. */
static int handle_arg(struct scanner *sc, size_t i, struct hull_err **err)
{
    struct joined *j = &sc->j;
    while (i < j->n) {
        while (i < j->n && blank(j->s[i]))
            i++;
        if (i >= j->n)
            break;
        size_t ns = i;
        while (i < j->n && name_char(j->s[i]))
            i++;
        size_t nlen = i - ns;
        struct gearg a = { 0 };
        bool valid = nlen > 0 && name_start(j->s[ns]);
        if (i < j->n && j->s[i] == '=') {
            i++;
            struct hull_buf v = HULL_BUF_INIT(LOGICAL_MAX);
            size_t vs = i;
            char q = 0;
            bool plain = true;
            size_t inner_s = i, inner_e = i;
            while (i < j->n && (q || !blank(j->s[i]))) {
                char c = j->s[i];
                if (!q && (c == '"' || c == '\'')) {
                    if (i != vs)
                        plain = false;
                    q = c;
                    inner_s = i + 1;
                } else if (q && c == q) {
                    q = 0;
                    inner_e = i;
                    if (i + 1 < j->n && !blank(j->s[i + 1]))
                        plain = false;
                } else if (c == sc->esc && q != '\'') {
                    plain = false;
                    if (i + 1 < j->n)
                        i++;
                    hull_buf_append(&v, j->s + i, 1, NULL);
                } else {
                    hull_buf_append(&v, &c, 1, NULL);
                }
                i++;
            }
            if (q)
                plain = false;
            if (j->s[vs] != '"' && j->s[vs] != '\'') {
                inner_s = vs;
                inner_e = i;
            }
            a.value = hull_buf_detach(&v, NULL);
            if (!a.value)
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            a.span_ok = plain && inner_e > inner_s && contiguous(j, inner_s, inner_e - inner_s);
            if (a.span_ok) {
                a.off = j->map[inner_s];
                a.len = inner_e - inner_s;
            }
        } else {
            while (i < j->n && !blank(j->s[i]))
                i++;
        }
        if (!valid) {
            free(a.value);
            continue;
        }
        if (sc->nargs >= ARGS_MAX) {
            free(a.value);
            return hull_err_set(err, HULL_E_LIMIT, "more than %d ARG definitions", ARGS_MAX);
        }
        a.name = strndup(j->s + ns, nlen);
        struct gearg *na = realloc(sc->args, (sc->nargs + 1) * sizeof(*na));
        if (!a.name || !na) {
            free(a.name);
            free(a.value);
            if (na)
                sc->args = na;
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
        sc->args = na;
        sc->args[sc->nargs++] = a;
    }
    return 0;
}

/* Is word [s, s+n) exactly one variable reference? Sets the name and, for ${N:-d} / ${N-d},
 * the default's position in the word. */
static bool single_var(const char *s, size_t n, size_t *name_off, size_t *name_len,
                       size_t *def_off, size_t *def_len)
{
    *def_off = *def_len = 0;
    if (n < 2 || s[0] != '$')
        return false;
    if (s[1] != '{') {
        if (!name_start(s[1]))
            return false;
        for (size_t i = 2; i < n; i++)
            if (!name_char(s[i]))
                return false;
        *name_off = 1;
        *name_len = n - 1;
        return true;
    }
    if (s[n - 1] != '}' || n < 4 || !name_start(s[2]))
        return false;
    size_t i = 2;
    while (i < n - 1 && name_char(s[i]))
        i++;
    *name_off = 2;
    *name_len = i - 2;
    if (i == n - 1)
        return true;
    size_t d = 0;
    if (s[i] == ':' && i + 1 < n - 1 && s[i + 1] == '-')
        d = i + 2;
    else if (s[i] == '-')
        d = i + 1;
    else
        return false;
    for (size_t k = d; k < n - 1; k++)
        if (s[k] == '$' || s[k] == '{' || s[k] == '}')
            return false;
    *def_off = d;
    *def_len = n - 1 - d;
    return true;
}

static int handle_from(struct scanner *sc, size_t i, struct hull_err **err)
{
    struct joined *j = &sc->j;
    size_t ws[4], wl[4], nw = 0;
    while (i < j->n) {
        while (i < j->n && blank(j->s[i]))
            i++;
        if (i >= j->n)
            break;
        size_t st = i;
        while (i < j->n && !blank(j->s[i]))
            i++;
        if (nw == 0 && i - st > 2 && !memcmp(j->s + st, "--", 2))
            continue; /* a flag such as --platform=... */
        if (nw < 4) {
            ws[nw] = st;
            wl[nw] = i - st;
        }
        nw++;
    }
    if (nw == 0)
        return 0;
    const char *img = j->s + ws[0];
    size_t ilen = wl[0];
    int rc = 0;
    char low[64];
    if (ilen == 7 && !strncasecmp(img, "scratch", 7)) {
        rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_SKIP_SCRATCH,
                      "scratch is the empty image", err);
    } else {
        bool stage = false;
        if (ilen < sizeof(low)) {
            for (size_t k = 0; k < ilen; k++)
                low[k] = (char)tolower((unsigned char)img[k]);
            low[ilen] = 0;
            for (size_t k = 0; k < sc->nstages && !stage; k++)
                stage = !strcmp(sc->stages[k], low);
        }
        size_t no, nl, dof, dl;
        if (stage) {
            rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_SKIP_STAGE,
                          "an earlier build stage", err);
        } else if (memchr(img, '$', ilen) && single_var(img, ilen, &no, &nl, &dof, &dl)) {
            struct gearg *a = find_arg(sc, img + no, nl);
            char note[160];
            if (a && a->value && *a->value) {
                if (a->span_ok && !strchr(a->value, '$'))
                    rc = add_item(sc, a->off, a->len, a->value, strlen(a->value), "ARG",
                                  HULL_PIN_CANDIDATE, NULL, err);
                else
                    rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM",
                                  HULL_PIN_SKIP_VARIABLE,
                                  "the ARG default is quoted, escaped or uses variables", err);
            } else if (dl && contiguous(j, ws[0] + dof, dl)) {
                rc = add_item(sc, j->map[ws[0] + dof], dl, img + dof, dl, "FROM",
                              HULL_PIN_CANDIDATE, NULL, err);
            } else {
                snprintf(note, sizeof(note), "ARG %.*s has no default value",
                         (int)(nl > 60 ? 60 : nl), img + no);
                rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_SKIP_VARIABLE,
                              note, err);
            }
        } else if (memchr(img, '$', ilen)) {
            rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_SKIP_VARIABLE,
                          "built from ARG fragments; pin the ARG values by hand", err);
        } else if (memchr(img, '"', ilen) || memchr(img, '\'', ilen) ||
                   memchr(img, sc->esc, ilen) || !contiguous(j, ws[0], ilen)) {
            rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_SKIP_VARIABLE,
                          "quoted, escaped or split image text", err);
        } else {
            rc = add_item(sc, j->map[ws[0]], ilen, img, ilen, "FROM", HULL_PIN_CANDIDATE, NULL,
                          err);
        }
    }
    if (rc < 0)
        return rc;
    if (nw >= 3 && wl[1] == 2 && !strncasecmp(j->s + ws[1], "as", 2)) {
        if (sc->nstages >= STAGES_MAX)
            return hull_err_set(err, HULL_E_LIMIT, "more than %d stages", STAGES_MAX);
        char *name = strndup(j->s + ws[2], wl[2]);
        char **ns = realloc(sc->stages, (sc->nstages + 1) * sizeof(*ns));
        if (!name || !ns) {
            free(name);
            if (ns)
                sc->stages = ns;
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
        for (char *c = name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        sc->stages = ns;
        sc->stages[sc->nstages++] = name;
    }
    return 0;
}

/* Heredoc markers in the arguments of RUN/COPY/ADD: [n]<<[-]WORD outside quotes. */
static int find_heredocs(struct scanner *sc, size_t i, struct hull_err **err)
{
    struct joined *j = &sc->j;
    char q = 0;
    for (; i < j->n; i++) {
        char c = j->s[i];
        if (q) {
            if (c == q)
                q = 0;
            else if (c == sc->esc && q == '"' && i + 1 < j->n)
                i++;
            continue;
        }
        if (c == '\'' || c == '"') {
            q = c;
            continue;
        }
        if (c == sc->esc && i + 1 < j->n) {
            i++;
            continue;
        }
        if (c != '<' || i + 1 >= j->n || j->s[i + 1] != '<')
            continue;
        size_t b = i; /* word start: only fd digits may precede << */
        while (b > 0 && isdigit((unsigned char)j->s[b - 1]))
            b--;
        if (b > 0 && !blank(j->s[b - 1])) {
            i++;
            continue;
        }
        size_t k = i + 2;
        if (k < j->n && j->s[k] == '<') { /* <<< here-string */
            i = k;
            continue;
        }
        bool strip = false;
        if (k < j->n && j->s[k] == '-') {
            strip = true;
            k++;
        }
        while (k < j->n && blank(j->s[k]))
            k++;
        struct hull_buf d = HULL_BUF_INIT(4096);
        char dq = 0;
        while (k < j->n && (dq || !blank(j->s[k]))) {
            char ch = j->s[k];
            if (dq && ch == dq)
                dq = 0;
            else if (!dq && (ch == '"' || ch == '\''))
                dq = ch;
            else if (!dq && ch == '\\' && k + 1 < j->n)
                hull_buf_append(&d, j->s + ++k, 1, NULL);
            else
                hull_buf_append(&d, &ch, 1, NULL);
            k++;
        }
        i = k;
        if (!d.len) {
            hull_buf_release(&d);
            continue;
        }
        if (sc->nhd >= HEREDOCS_MAX) {
            hull_buf_release(&d);
            return hull_err_set(err, HULL_E_LIMIT, "line %zu: more than %d heredocs", j->line,
                                HEREDOCS_MAX);
        }
        sc->hd[sc->nhd].delim = hull_buf_detach(&d, NULL);
        if (!sc->hd[sc->nhd].delim)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        sc->hd[sc->nhd++].strip_tabs = strip;
    }
    return 0;
}

static int add_from(struct scanner *sc, size_t a, size_t n, const char *kind,
                    struct hull_err **err)
{
    struct joined *j = &sc->j;
    if (n == 0)
        return 0;
    if (sc->nfroms >= ITEMS_MAX)
        return hull_err_set(err, HULL_E_LIMIT, "more than %d --from references", ITEMS_MAX);
    struct fromref *f = realloc(sc->froms, (sc->nfroms + 1) * sizeof(*f));
    if (!f)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    sc->froms = f;
    bool plain = contiguous(j, a, n);
    for (size_t k = a; k < a + n; k++)
        if (j->s[k] == '$' || j->s[k] == '"' || j->s[k] == '\'' || j->s[k] == sc->esc)
            plain = false;
    f[sc->nfroms++] = (struct fromref){ j->map[a], n, kind, plain };
    return 0;
}

/* The leading --flags of COPY (--from=IMAGE) and RUN (--mount=...,from=IMAGE,...). */
static int scan_flags(struct scanner *sc, size_t i, bool run, struct hull_err **err)
{
    struct joined *j = &sc->j;
    for (;;) {
        while (i < j->n && blank(j->s[i]))
            i++;
        size_t st = i;
        while (i < j->n && !blank(j->s[i]))
            i++;
        size_t n = i - st;
        const char *w = j->s + st;
        if (n < 3 || memcmp(w, "--", 2) != 0)
            return 0; /* flags end at the first other word, and at a bare "--" */
        int rc = 0;
        if (!run && n > 7 && !strncasecmp(w, "--from=", 7)) {
            rc = add_from(sc, st + 7, n - 7, "COPY --from", err);
        } else if (run && n > 8 && !strncasecmp(w, "--mount=", 8)) {
            for (size_t f = st + 8; f < i && rc == 0;) {
                size_t e = f;
                while (e < i && j->s[e] != ',')
                    e++;
                if (e - f > 5 && !strncasecmp(j->s + f, "from=", 5))
                    rc = add_from(sc, f + 5, e - f - 5, "RUN --mount", err);
                f = e + 1;
            }
        }
        if (rc < 0)
            return rc;
    }
}

/* After the whole file: --from values that are neither stages (of any position) nor stage
 * indexes are image references. */
static int decide_froms(struct scanner *sc, struct hull_err **err)
{
    for (size_t i = 0; i < sc->nfroms; i++) {
        const struct fromref *f = &sc->froms[i];
        const char *v = sc->p + f->off;
        bool digits = true, stage = false;
        for (size_t k = 0; k < f->len; k++)
            digits = digits && isdigit((unsigned char)v[k]);
        for (size_t k = 0; k < sc->nstages && !stage; k++)
            stage = strlen(sc->stages[k]) == f->len && !strncasecmp(sc->stages[k], v, f->len);
        if (digits || stage || !f->plain)
            continue;
        int rc = add_item(sc, f->off, f->len, v, f->len, f->kind, HULL_PIN_CANDIDATE, NULL, err);
        if (rc < 0)
            return rc;
    }
    /* report in file order */
    struct hull_pin_item *it = sc->out->items;
    for (size_t a = 1; a < sc->out->n; a++)
        for (size_t b = a; b > 0 && it[b - 1].off > it[b].off; b--) {
            struct hull_pin_item t = it[b];
            it[b] = it[b - 1];
            it[b - 1] = t;
        }
    return 0;
}

static int process(struct scanner *sc, struct hull_err **err)
{
    struct joined *j = &sc->j;
    size_t i = 0;
    size_t ks = i;
    while (i < j->n && !blank(j->s[i]))
        i++;
    size_t kl = i - ks;
    const char *k = j->s + ks;
    if (kl == 7 && !strncasecmp(k, "onbuild", 7)) {
        while (i < j->n && blank(j->s[i]))
            i++;
        ks = i;
        while (i < j->n && !blank(j->s[i]))
            i++;
        kl = i - ks;
        k = j->s + ks;
    }
    bool run = kl == 3 && !strncasecmp(k, "run", 3);
    bool copy = kl == 4 && !strncasecmp(k, "copy", 4);
    if (run || copy) {
        int rc = scan_flags(sc, i, run, err);
        if (rc < 0)
            return rc;
    }
    if (run || copy || (kl == 3 && !strncasecmp(k, "add", 3)))
        return find_heredocs(sc, i, err);
    if (ks > 0) /* after ONBUILD: nothing else here */
        return 0;
    if (kl == 4 && !strncasecmp(k, "from", 4)) {
        sc->seen_from = true;
        return handle_from(sc, i, err);
    }
    if (kl == 3 && !strncasecmp(k, "arg", 3) && !sc->seen_from)
        return handle_arg(sc, i, err);
    return 0;
}

/* Parser directives at the top: only `escape` matters here. */
static void directives(struct scanner *sc, size_t pos)
{
    while (pos < sc->len) {
        const char *p = sc->p;
        size_t eol = pos;
        while (eol < sc->len && p[eol] != '\n')
            eol++;
        size_t i = pos;
        while (i < eol && blank(p[i]))
            i++;
        if (i >= eol || p[i] != '#')
            return;
        i++;
        while (i < eol && blank(p[i]))
            i++;
        size_t ks = i;
        while (i < eol && isalpha((unsigned char)p[i]))
            i++;
        size_t kl = i - ks;
        while (i < eol && blank(p[i]))
            i++;
        if (kl == 0 || i >= eol || p[i] != '=')
            return;
        i++;
        while (i < eol && blank(p[i]))
            i++;
        size_t ve = eol;
        while (ve > i && (blank(p[ve - 1]) || p[ve - 1] == '\r'))
            ve--;
        if (kl == 6 && !strncasecmp(p + ks, "escape", 6)) {
            if (ve - i == 1 && (p[i] == '`' || p[i] == '\\'))
                sc->esc = p[i];
        } else if (!(kl == 6 && !strncasecmp(p + ks, "syntax", 6)) &&
                   !(kl == 5 && !strncasecmp(p + ks, "check", 5))) {
            return;
        }
        pos = eol + 1;
    }
}

static int scan_dockerfile(struct scanner *sc, struct hull_err **err)
{
    const char *p = sc->p;
    size_t pos = 0;
    if (sc->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        pos = 3;
    directives(sc, pos);
    bool in_cont = false;
    size_t lineno = 0;
    int rc = 0;
    while (pos < sc->len && rc == 0) {
        size_t ls = pos, le = pos;
        while (le < sc->len && p[le] != '\n')
            le++;
        pos = le < sc->len ? le + 1 : le;
        lineno++;
        size_t ce = le;
        if (ce > ls && p[ce - 1] == '\r')
            ce--;
        if (sc->hd_i < sc->nhd) { /* heredoc body line */
            size_t s = ls;
            if (sc->hd[sc->hd_i].strip_tabs)
                while (s < ce && p[s] == '\t')
                    s++;
            const char *d = sc->hd[sc->hd_i].delim;
            if (ce - s == strlen(d) && !memcmp(p + s, d, ce - s)) {
                free(sc->hd[sc->hd_i].delim);
                sc->hd[sc->hd_i].delim = NULL;
                if (++sc->hd_i == sc->nhd)
                    sc->hd_i = sc->nhd = 0;
            }
            continue;
        }
        size_t fw = ls;
        while (fw < ce && blank(p[fw]))
            fw++;
        if (fw == ce || p[fw] == '#')
            continue; /* blank or comment: skipped inside continuations too */
        size_t from = in_cont ? ls : fw;
        if (!in_cont) {
            sc->j.n = 0;
            sc->j.line = lineno;
        }
        size_t t = ce;
        while (t > from && blank(p[t - 1]))
            t--;
        bool cont = t > from && p[t - 1] == sc->esc && !(t - 1 > from && p[t - 2] == sc->esc);
        rc = jappend(&sc->j, p, from, cont ? t - 1 : ce, err);
        if (rc < 0)
            break;
        in_cont = cont;
        if (!cont)
            rc = process(sc, err);
    }
    if (rc == 0 && in_cont)
        rc = process(sc, err);
    if (rc == 0 && sc->hd_i < sc->nhd)
        rc = hull_err_set(err, HULL_E_PARSE, "unterminated heredoc (<<%.40s)",
                          sc->hd[sc->hd_i].delim);
    if (rc == 0)
        rc = decide_froms(sc, err);
    return rc;
}

/* ---- YAML ---- */

static int scan_yaml(struct scanner *sc, struct hull_err **err)
{
    const char *p = sc->p;
    size_t pos = 0;
    if (sc->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        pos = 3;
    long block_indent = -1; /* inside a block scalar whose key sits at this indent */
    int rc = 0;
    while (pos < sc->len && rc == 0) {
        size_t ls = pos, le = pos;
        while (le < sc->len && p[le] != '\n')
            le++;
        pos = le < sc->len ? le + 1 : le;
        size_t ce = le;
        if (ce > ls && p[ce - 1] == '\r')
            ce--;
        size_t i = ls;
        while (i < ce && p[i] == ' ')
            i++;
        long indent = (long)(i - ls);
        if (i == ce)
            continue;
        if (block_indent >= 0) {
            if (indent > block_indent)
                continue;
            block_indent = -1;
        }
        if (p[i] == '#')
            continue;
        size_t key_indent = i;
        while (i + 1 < ce && p[i] == '-' && p[i + 1] == ' ') { /* "- " sequence entries */
            i += 2;
            while (i < ce && p[i] == ' ')
                i++;
            key_indent = i;
        }
        if (i >= ce)
            continue;
        /* the key up to ':' followed by a blank or the end */
        size_t ks = i;
        char kq = (p[i] == '"' || p[i] == '\'') ? p[i] : 0;
        size_t k = i + (kq ? 1 : 0);
        while (k < ce && (kq ? p[k] != kq : !(p[k] == ':' && (k + 1 == ce || blank(p[k + 1])))))
            k++;
        size_t ke = k;
        if (kq) {
            if (k >= ce)
                continue;
            k++;
        }
        while (k < ce && blank(p[k]))
            k++;
        if (k >= ce || p[k] != ':' || (k + 1 < ce && !blank(p[k + 1])))
            continue;
        size_t v = k + 1;
        while (v < ce && blank(p[v]))
            v++;
        size_t ve = ce;
        /* a comment starts at " #" outside quotes */
        if (v < ce && p[v] != '"' && p[v] != '\'') {
            for (size_t c = v; c < ce; c++)
                if (p[c] == '#' && c > v && blank(p[c - 1])) {
                    ve = c;
                    break;
                }
        }
        while (ve > v && blank(p[ve - 1]))
            ve--;
        if (v < ve && (p[v] == '|' || p[v] == '>')) {
            block_indent = (long)(key_indent - ls);
            continue;
        }
        const char *key = p + ks + (kq ? 1 : 0);
        size_t klen = ke - (ks + (kq ? 1 : 0));
        if (klen != 5 || memcmp(key, "image", 5) || v >= ve)
            continue;
        size_t vs = v, vl = ve - v;
        if (p[v] == '"' || p[v] == '\'') {
            char q = p[v];
            size_t e = v + 1;
            while (e < ce && p[e] != q)
                e++;
            if (e >= ce)
                continue;
            vs = v + 1;
            vl = e - vs;
            if (q == '"' && memchr(p + vs, '\\', vl)) {
                rc = add_item(sc, vs, vl, p + vs, vl, "image", HULL_PIN_SKIP_VARIABLE,
                              "escaped YAML string", err);
                continue;
            }
        }
        if (vl == 0)
            continue;
        if (memchr(p + vs, '$', vl) || memchr(p + vs, '{', vl))
            rc = add_item(sc, vs, vl, p + vs, vl, "image", HULL_PIN_SKIP_VARIABLE,
                          "uses variables", err);
        else
            rc = add_item(sc, vs, vl, p + vs, vl, "image", HULL_PIN_CANDIDATE, NULL, err);
    }
    return rc;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static enum hull_pin_format detect(const char *name, const char *p, size_t len)
{
    if (name) {
        const char *b = strrchr(name, '/');
        b = b ? b + 1 : name;
        if (strcasestr(b, "dockerfile") || strcasestr(b, "containerfile"))
            return HULL_PIN_DOCKERFILE;
        if (has_suffix(b, ".yml") || has_suffix(b, ".yaml"))
            return HULL_PIN_YAML;
    }
    /* content: the first instruction-like line */
    size_t pos = len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3) ? 3 : 0;
    while (pos < len) {
        size_t le = pos;
        while (le < len && p[le] != '\n')
            le++;
        size_t i = pos;
        while (i < le && blank(p[i]))
            i++;
        if (i < le && p[i] != '#' && p[i] != '\r') {
            size_t w = i;
            while (w < le && isalpha((unsigned char)p[w]))
                w++;
            if ((w - i == 4 && !strncasecmp(p + i, "from", 4) && w < le && blank(p[w])) ||
                (w - i == 3 && !strncasecmp(p + i, "arg", 3) && w < le && blank(p[w])))
                return HULL_PIN_DOCKERFILE;
            if (w > i && memchr(p + i, ':', le - i))
                return HULL_PIN_YAML;
            return HULL_PIN_AUTO;
        }
        pos = le + 1;
    }
    return HULL_PIN_AUTO;
}

int hull_pin_scan(const char *name, const char *p, size_t len, enum hull_pin_format fmt,
                  struct hull_pin_scan *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    if (fmt == HULL_PIN_AUTO)
        fmt = detect(name, p, len);
    if (fmt == HULL_PIN_AUTO)
        return hull_err_set(err, HULL_E_UNSUPPORTED,
                            "cannot tell whether this is a Dockerfile or a YAML file");
    if (memchr(p, 0, len))
        return hull_err_set(err, HULL_E_PARSE, "binary data (NUL byte) in a text file");
    struct scanner sc;
    memset(&sc, 0, sizeof(sc));
    sc.p = p;
    sc.len = len;
    sc.esc = '\\';
    sc.out = out;
    out->format = fmt;
    int rc = fmt == HULL_PIN_DOCKERFILE ? scan_dockerfile(&sc, err) : scan_yaml(&sc, err);
    free(sc.j.s);
    free(sc.j.map);
    for (size_t i = 0; i < sc.nargs; i++) {
        free(sc.args[i].name);
        free(sc.args[i].value);
    }
    free(sc.args);
    for (size_t i = 0; i < sc.nstages; i++)
        free(sc.stages[i]);
    free(sc.stages);
    for (size_t i = 0; i < sc.nhd; i++)
        free(sc.hd[i].delim);
    free(sc.froms);
    if (rc < 0) {
        hull_pin_scan_release(out);
        return rc;
    }
    out->format = fmt;
    return 0;
}

int hull_pin_apply(const char *p, size_t len, const struct hull_pin_edit *edits, size_t n,
                   char **out, size_t *out_len, struct hull_err **err)
{
    struct hull_buf b = HULL_BUF_INIT(0);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (edits[i].off < pos || edits[i].off + edits[i].len > len) {
            hull_buf_release(&b);
            return hull_err_set(err, HULL_E_INTERNAL, "pin: overlapping or out-of-range edit");
        }
        if (hull_buf_append(&b, p + pos, edits[i].off - pos, err) < 0 ||
            hull_buf_appends(&b, edits[i].text, err) < 0) {
            hull_buf_release(&b);
            return -1;
        }
        pos = edits[i].off + edits[i].len;
    }
    if (hull_buf_append(&b, p + pos, len - pos, err) < 0) {
        hull_buf_release(&b);
        return -1;
    }
    *out = hull_buf_detach(&b, out_len);
    return *out ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

char *hull_pin_token(const char *image, const char *digest)
{
    const char *at = strchr(image, '@');
    size_t n = at ? (size_t)(at - image) : strlen(image);
    /* a tag is a ':' in the last path component (the first may be host:port); without one
     * the reference resolved "latest", and the pin says so */
    const char *last = image;
    for (size_t i = 0; i < n; i++)
        if (image[i] == '/')
            last = image + i + 1;
    bool tagged = memchr(last, ':', n - (size_t)(last - image)) != NULL;
    char *s = NULL;
    if (asprintf(&s, "%.*s%s@%s", (int)n, image, tagged ? "" : ":latest", digest) < 0)
        return NULL;
    return s;
}
