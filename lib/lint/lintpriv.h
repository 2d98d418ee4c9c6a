/* Private helpers shared by the Dockerfile parser and the lint rules: string vectors and
 * buffers with a sticky out-of-memory flag (so parsing code stays linear to read), Go-style
 * UTF-8 decoding, the Go strconv.Quote used by BuildKit's Dump, and the shell lexers. */
#ifndef HULL_LINT_LINTPRIV_H
#define HULL_LINT_LINTPRIV_H
#include "core/common.h"
#include "hull/lint.h"

/* A growable string; on allocation failure `*oom` is set and appends become no-ops. */
struct sb {
    char *p;
    size_t len, cap;
    bool *oom;
};
void sb_init(struct sb *b, bool *oom);
void sb_addn(struct sb *b, const char *s, size_t n);
void sb_adds(struct sb *b, const char *s);
void sb_addc(struct sb *b, char c);
void sb_addrune(struct sb *b, int32_t r);
/* Take the string (never NULL unless oom); the buffer is reset. */
char *sb_take(struct sb *b);
void sb_free(struct sb *b);

struct strv {
    char **v;
    size_t n, cap;
    bool *oom;
};
void strv_init(struct strv *s, bool *oom);
/* Takes ownership of str (frees it when the push fails). */
void strv_push(struct strv *s, char *str);
void strv_pushn(struct strv *s, const char *str, size_t n);
void strv_free(struct strv *s);

char *xstrndup(const char *s, size_t n, bool *oom);

/* Room for element n (0-based) of an array grown by doubling, its capacity implied by n (8,
 * 16, 32, ...): returns the possibly moved array, or NULL on OOM with p untouched. */
static inline void *grow_for(void *p, size_t n, size_t size)
{
    if (n == 0)
        return realloc(p, 8 * size);
    if (n < 8 || (n & (n - 1)))
        return p;
    if (n > SIZE_MAX / 2 / size)
        return NULL;
    return realloc(p, 2 * n * size);
}

/* Decode one rune as Go does: invalid bytes give U+FFFD with width 1. n must be > 0. */
int32_t go_rune(const char *p, size_t n, size_t *width);
/* unicode.IsSpace */
bool go_isspace(int32_t r);
/* Width of the unicode space rune at p (0 when p[0..] is not a space). */
size_t uspace_at(const char *p, size_t n);
/* strings.TrimSpace: returns the trimmed sub-range. */
void go_trimspace(const char *p, size_t n, size_t *start, size_t *end);
/* strconv.Quote appended to b. */
void go_quote(struct sb *b, const char *s, size_t n);

/* BuildKit's shell lexer (frontend/dockerfile/shell) in the mode the heredoc detector uses:
 * empty environment, unset variables kept literally. Returns the words or -1 on a lexing
 * error (unterminated quote, bad substitution). */
int shlex_words(const char *s, size_t n, bool raw_quotes, bool raw_escapes, struct strv *out);

/* Map a byte offset in node->original (the joined logical line) back to the physical line
 * and 1-based column it came from. */
void hull_df_map_offset(const struct hull_dockerfile *df, const struct hull_df_node *nd,
                        size_t off, int *line, int *col);

/* A string -> int hash map (open addressing); keys are copied. icase: ASCII case folded. */
struct strmap {
    char **keys;
    int *vals;
    size_t cap, n;
    bool icase;
};
/* Value for key, or -1. */
int strmap_get(const struct strmap *m, const char *key);
/* Insert key -> val; an existing key keeps its first value unless overwrite. */
void strmap_put(struct strmap *m, const char *key, int val, bool overwrite, bool *oom);
void strmap_free(struct strmap *m);

/* Byte offset -> (physical line, column) of one node's joined logical line. */
struct offmap {
    size_t *acc;  /* offset in the joined line where piece i starts */
    int *line;    /* physical line of piece i */
    size_t *col0; /* byte column (0-based) where piece i starts on its line */
    size_t *plen; /* bytes of the physical line */
    size_t n;
};
int offmap_build(const struct hull_dockerfile *df, const struct hull_df_node *nd,
                 struct offmap *m);
void offmap_lookup(const struct offmap *m, const struct hull_df_node *nd, size_t off, int *line,
                   int *col);
void offmap_free(struct offmap *m);

/* ---- variable expansion for the instruction layer (FROM, ARG, ENV, ...) ---- */
struct hull_vars {
    char **names;
    char **values; /* NULL value: declared without a default */
    size_t n, cap;
    struct strmap idx; /* name -> index */
};
void vars_set(struct hull_vars *v, const char *name, const char *value, bool *oom);
/* Lookup: returns true when declared; *value may be NULL (declared, no value). */
bool vars_get(const struct hull_vars *v, const char *name, const char **value);
void vars_copy(struct hull_vars *dst, const struct hull_vars *src, bool *oom);
void vars_free(struct hull_vars *v);
/* Expand $x ${x} ${x:-d} ${x-d} ${x:+d} ${x+d} with sh quoting, escape char `esc`.
 * Quotes are removed. Returns malloc'd text, NULL on a syntax error (*bad set) or OOM.
 * *unresolved is set when a referenced variable had no value. */
char *hull_expand(const char *s, size_t n, char esc, const struct hull_vars *vars,
                  bool *unresolved, bool *bad, bool *oom);

/* ---- shell command splitter for RUN analysis ---- */
struct shcmd {
    char **argv;  /* words, quotes removed; leading VAR=x assignments and wrappers skipped */
    size_t argc;
    bool piped;   /* part of a pipeline (| before or after) */
    bool pipe_out; /* its output goes into a | */
    size_t off;    /* offset of the command's first word in the top-level script */
};
struct shscript {
    struct shcmd *cmds;
    size_t ncmds;
    bool has_pipe;
    bool sets_pipefail; /* set -o pipefail / set -euo pipefail ... seen */
};
/* Split a shell script into simple commands (best effort, never fails except OOM). Command
 * substitutions $(...) and `...` are scanned as scripts of their own and appended. */
int shscript_parse(const char *s, size_t n, struct shscript *out, bool *oom);
void shscript_free(struct shscript *sc);

#endif
