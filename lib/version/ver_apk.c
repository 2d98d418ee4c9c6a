/* Alpine package versions as apk-tools compares them (src/version.c, apk-tools 2.14/3.x):
 *
 *   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
 *
 * Tokens are compared in order: the first number numerically; later dotted numbers
 * numerically unless either has a leading zero, then as strings (the Gentoo rule); the
 * letter by its code; suffixes in the order _alpha < _beta < _pre < _rc < (none) < _cvs <
 * _svn < _git < _hg < _p, each with an optional number; a ~hash (lowercase hex) as a string;
 * the -rN revision numerically. When one version runs out of tokens first, the longer one
 * is greater unless its next token is a pre-release suffix; otherwise the token kinds decide
 * (a letter beats the end, a revision beats the end, a ~hash beats a revision).
 *
 * apk itself compares invalid versions up to the first bad token and answers "equal" past
 * it; hull treats any version apk_version_validate() rejects as an error instead. Numbers
 * are compared exactly at any length (apk wraps them at 2^64). */
#include "core/common.h"
#include "version/verpriv.h"

enum tok {
    T_INITIAL_DIGIT,
    T_DIGIT,
    T_LETTER,
    T_SUFFIX,
    T_SUFFIX_NO,
    T_COMMIT_HASH,
    T_REVISION_NO,
    T_END,
    T_INVALID,
};

/* SUFFIX_NONE is the pivot between pre-release and post-release suffixes. */
enum { SUF_INVALID, SUF_ALPHA, SUF_BETA, SUF_PRE, SUF_RC, SUF_NONE, SUF_CVS, SUF_SVN, SUF_GIT,
       SUF_HG, SUF_P };

struct tstate {
    enum tok token;
    int suffix;
    const char *val; /* the token's bytes (digits, letter, suffix name, hash) */
    size_t vlen;
    const char *p;   /* rest of the version */
    size_t n;
};

static int suffix_value(const char *s, size_t n)
{
    static const struct { const char *name; int v; } tab[] = {
        { "alpha", SUF_ALPHA }, { "beta", SUF_BETA }, { "pre", SUF_PRE }, { "rc", SUF_RC },
        { "cvs", SUF_CVS },     { "svn", SUF_SVN },   { "git", SUF_GIT }, { "hg", SUF_HG },
        { "p", SUF_P },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(tab); i++)
        if (strlen(tab[i].name) == n && !memcmp(tab[i].name, s, n))
            return tab[i].v;
    return SUF_INVALID;
}

static void parse_digits(struct tstate *t)
{
    size_t i = 0;
    while (i < t->n && hull_ver_isdigit((unsigned char)t->p[i]))
        i++;
    t->val = t->p;
    t->vlen = i;
    t->p += i;
    t->n -= i;
    if (i == 0)
        t->token = T_INVALID;
}

static void first(struct tstate *t, const char *p, size_t n)
{
    t->p = p;
    t->n = n;
    t->token = T_INITIAL_DIGIT;
    parse_digits(t);
}

static bool ishex(int c) { return hull_ver_isdigit(c) || (c >= 'a' && c <= 'f'); }

static void next(struct tstate *t)
{
    if (t->n == 0) {
        t->token = T_END;
        return;
    }
    int c = (unsigned char)t->p[0];
    if (c >= 'a' && c <= 'z') {
        if (t->token > T_DIGIT)
            goto invalid;
        t->val = t->p;
        t->vlen = 1;
        t->token = T_LETTER;
        t->p++, t->n--;
    } else if (c == '.' || hull_ver_isdigit(c)) {
        if (c == '.') {
            if (t->token > T_DIGIT)
                goto invalid;
            t->p++, t->n--;
        }
        if (t->token == T_INITIAL_DIGIT || t->token == T_DIGIT)
            t->token = T_DIGIT;
        else if (t->token == T_SUFFIX)
            t->token = T_SUFFIX_NO;
        else
            goto invalid;
        parse_digits(t);
    } else if (c == '_') {
        if (t->token > T_SUFFIX_NO)
            goto invalid;
        t->p++, t->n--;
        size_t i = 0;
        while (i < t->n && t->p[i] >= 'a' && t->p[i] <= 'z')
            i++;
        t->val = t->p;
        t->vlen = i;
        t->p += i;
        t->n -= i;
        t->suffix = suffix_value(t->val, t->vlen);
        if (t->suffix == SUF_INVALID)
            goto invalid;
        t->token = T_SUFFIX;
    } else if (c == '~') {
        if (t->token >= T_COMMIT_HASH)
            goto invalid;
        t->p++, t->n--;
        size_t i = 0;
        while (i < t->n && ishex((unsigned char)t->p[i]))
            i++;
        if (i == 0)
            goto invalid;
        t->val = t->p;
        t->vlen = i;
        t->p += i;
        t->n -= i;
        t->token = T_COMMIT_HASH;
    } else if (c == '-') {
        if (t->token >= T_REVISION_NO)
            goto invalid;
        if (t->n < 2 || t->p[1] != 'r')
            goto invalid;
        t->p += 2, t->n -= 2;
        t->token = T_REVISION_NO;
        parse_digits(t);
    } else {
        goto invalid;
    }
    return;
invalid:
    t->token = T_INVALID;
}

static int bytes_sort(const char *a, size_t an, const char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r)
        return hull_ver_sign(r);
    return an < bn ? -1 : an > bn;
}

static int token_cmp(const struct tstate *a, const struct tstate *b)
{
    switch (a->token) {
    case T_DIGIT:
        if (a->val[0] == '0' || b->val[0] == '0')
            return bytes_sort(a->val, a->vlen, b->val, b->vlen);
        /* fall through */
    case T_INITIAL_DIGIT:
    case T_SUFFIX_NO:
    case T_REVISION_NO:
        return hull_ver_numcmp(a->val, a->vlen, b->val, b->vlen);
    case T_LETTER:
        return hull_ver_sign((unsigned char)a->val[0] - (unsigned char)b->val[0]);
    case T_SUFFIX:
        return hull_ver_sign(a->suffix - b->suffix);
    default:
        return bytes_sort(a->val, a->vlen, b->val, b->vlen);
    }
}

static const char *check(const char *v, size_t n)
{
    struct tstate t;
    for (first(&t, v, n); t.token < T_END; next(&t))
        ;
    if (t.token == T_END)
        return NULL;
    if (n == 0)
        return "empty version";
    return "not an apk version (digit{.digit}{letter}{_suffix{N}}{~hash}{-rN})";
}

static int cmp(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why)
{
    if ((*why = check(a, an)))
        return 1;
    if ((*why = check(b, bn)))
        return 2;
    struct tstate ta, tb;
    for (first(&ta, a, an), first(&tb, b, bn); ta.token == tb.token && ta.token < T_END;
         next(&ta), next(&tb)) {
        int r = token_cmp(&ta, &tb);
        if (r) {
            *res = r;
            return 0;
        }
    }
    if (ta.token == tb.token)
        *res = 0;
    else if (ta.token == T_SUFFIX && ta.suffix < SUF_NONE)
        *res = -1;
    else if (tb.token == T_SUFFIX && tb.suffix < SUF_NONE)
        *res = 1;
    else
        *res = ta.token > tb.token ? -1 : 1;
    return 0;
}

const struct hull_ver_ops hull_ver_apk = { "apk", check, cmp };
