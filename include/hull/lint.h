/* hull lint: a Dockerfile parser that reads files the way BuildKit does, and the rules that
 * check them (hadolint-compatible DL ids, hull's own HU ids, ShellCheck SC ids passed through).
 *
 * The parser mirrors BuildKit's two layers: hull_dockerfile_parse() is the line layer
 * (directives, continuations, comments, heredocs, JSON versus shell form, per-keyword argument
 * split); hull_lint_run() adds the instruction layer (stages, ARG scoping, variable expansion)
 * and runs the rules. */
#ifndef HULL_LINT_H
#define HULL_LINT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "hull/err.h"
#ifdef __cplusplus
extern "C" {
#endif

/* BuildKit's bufio.Scanner limit: a physical line may hold at most 65,535 bytes. */
#define HULL_DOCKERFILE_MAX_LINE 65535
/* Largest Dockerfile the CLI reads (bytes). */
#define HULL_DOCKERFILE_MAX_BYTES (8u << 20)

struct hull_df_heredoc {
    char *name;     /* delimiter with quotes removed */
    char *content;  /* raw body lines, each with its newline; "" when empty */
    unsigned fd;    /* 0 unless written as N<<EOF */
    bool expand;    /* false when any part of the delimiter was quoted */
    bool chomp;     /* <<- */
    int start_line; /* first body line (1-based) */
};

struct hull_df_node {
    char *keyword;    /* as written ("RUN", "from") */
    char *lower;      /* lower-cased keyword, as BuildKit's Dump prints it */
    int start_line;   /* 1-based, inclusive; end_line includes heredoc bodies */
    int end_line;
    int column;       /* 1-based column of the keyword on start_line */
    char **flags;     /* leading --name[=value] words, quotes processed */
    size_t nflags;
    char **args;      /* BuildKit's argument chain; ENV/LABEL: key, value, sep triples */
    size_t nargs;
    bool json;        /* exec (JSON array) form */
    bool kv;          /* args are (key, value, separator) triples */
    struct hull_df_node *sub;   /* ONBUILD: the wrapped instruction, else NULL */
    struct hull_df_heredoc *heredocs;
    size_t nheredocs;
    char *original;   /* the joined logical line */
};

struct hull_dockerfile {
    struct hull_df_node *nodes;
    size_t nnodes;
    char escape;            /* '\\' or '`' */
    char *syntax;           /* "# syntax=" value or NULL */
    char *check;            /* "# check=" value or NULL */
    int *empty_cont;        /* start lines of instructions with empty continuation lines */
    size_t nempty_cont;
    char *text;             /* the source (BOM removed), NUL-terminated copy */
    size_t len;
    size_t *line_off;       /* offset of each physical line in text; nlines entries */
    size_t nlines;
};

/* Parse a Dockerfile (p, len: any bytes). On success *out owns a tree the caller frees with
 * hull_dockerfile_free(). Errors (HULL_E_PARSE, HULL_E_LIMIT, HULL_E_NOMEM) carry one line
 * "line N: message" naming the first offending line. */
int hull_dockerfile_parse(const char *p, size_t len, struct hull_dockerfile **out,
                          struct hull_err **err);
/* Read a whole Dockerfile or config ("-": stdin) of at most HULL_DOCKERFILE_MAX_BYTES into a
 * malloc'd buffer (NUL-terminated, caller frees). HULL_E_NOTFOUND / HULL_E_IO / HULL_E_LIMIT. */
int hull_lint_read_file(const char *path, char **buf, size_t *len, struct hull_err **err);
/* Free a parsed file; NULL is a no-op. */
void hull_dockerfile_free(struct hull_dockerfile *df);
/* BuildKit's Node.Dump() form of the whole file, one s-expression per line, ending with a
 * newline. Returns a malloc'd string (caller frees) and its length, or NULL on OOM. */
char *hull_dockerfile_dump(const struct hull_dockerfile *df, size_t *len, struct hull_err **err);
/* Text of physical line `line` (1-based) without its newline; NULL past the end. */
const char *hull_dockerfile_line(const struct hull_dockerfile *df, int line, size_t *len);

/* ---- rules and findings ---- */

enum hull_lint_level {
    HULL_LINT_ERROR = 0,
    HULL_LINT_WARNING,
    HULL_LINT_INFO,
    HULL_LINT_STYLE,
    HULL_LINT_IGNORE, /* override level: drop the finding */
};

struct hull_lint_rule {
    const char *code;           /* "DL3007", "HU001" */
    const char *name;           /* stable short name ("latest-tag") */
    enum hull_lint_level level; /* default level */
    const char *summary;        /* one line */
};

/* The rule table (static storage); *n receives its length. */
const struct hull_lint_rule *hull_lint_rules(size_t *n);
/* Parse "error" / "warning" / "info" / "style" / "ignore" / "none"; -1 when unknown. */
int hull_lint_level_parse(const char *s);
const char *hull_lint_level_name(enum hull_lint_level l);

struct hull_lint_finding {
    char *code;
    enum hull_lint_level level;
    int line;
    int column;
    char *message;
};

/* Value types of a label schema (hadolint's `label-schema: {name: type}`). */
enum hull_lint_label_type {
    HULL_LABEL_TEXT = 0, /* "text": any value */
    HULL_LABEL_EMAIL,    /* "email": RFC 5322 addr-spec (DL3058) */
    HULL_LABEL_HASH,     /* "hash": 7 or 40 lower-case hex digits (DL3055) */
    HULL_LABEL_RFC3339,  /* "rfc3339": date-time (DL3053) */
    HULL_LABEL_SEMVER,   /* "semver": semantic version 2.0.0 (DL3056) */
    HULL_LABEL_SPDX,     /* "spdx": one SPDX license identifier (DL3054) */
    HULL_LABEL_URL,      /* "url": absolute URI (DL3052) */
};

struct hull_lint_config {
    char **ignored;           /* codes never reported */
    size_t nignored;
    char **trusted;           /* trusted registries (DL3026 active when non-empty); "*.x" ok */
    size_t ntrusted;
    char **override_code;     /* level overrides: code -> level */
    enum hull_lint_level *override_level;
    size_t noverride;
    int failure_threshold;    /* -1: not set */
    bool shellcheck;          /* run `shellcheck` on RUN scripts when it is on PATH */
    bool no_pragmas;          /* ignore inline `# hull ignore=` / `# hadolint ignore=` */
    char **label_name;        /* label schema: required labels (DL3049-DL3058 active when */
    enum hull_lint_label_type *label_type; /* non-empty), each with its value type */
    size_t nlabels;
    bool strict_labels;       /* labels outside the schema are reported (DL3050) */
};

/* Zero a config (failure_threshold -1). */
void hull_lint_config_init(struct hull_lint_config *c);
/* Free the config's lists. */
void hull_lint_config_release(struct hull_lint_config *c);
/* Append (copies) to a list of the config; returns 0 or <0 on OOM. */
int hull_lint_config_add(char ***list, size_t *n, const char *s, struct hull_err **err);
/* Set an override code -> level (copies). */
int hull_lint_config_override(struct hull_lint_config *c, const char *code,
                              enum hull_lint_level level, struct hull_err **err);
/* Set a label-schema entry name -> type (copies; a repeated name takes the new type). */
int hull_lint_config_label(struct hull_lint_config *c, const char *name,
                           enum hull_lint_label_type type, struct hull_err **err);
/* "text", "email", "hash", "rfc3339", "semver", "spdx", "url"; -1 when unknown. */
int hull_lint_label_type_parse(const char *s);
/* Load `.hull.yaml` / `.hadolint.yaml` keys (ignored, trustedRegistries, override,
 * failure-threshold, disable-ignore-pragma, label-schema, strict-labels) from YAML bytes into
 * c (lists are appended). HULL_E_PARSE on bad YAML or wrong types, naming the line. */
int hull_lint_config_load(struct hull_lint_config *c, const char *p, size_t len,
                          struct hull_err **err);

struct hull_lint_result {
    char *file;                       /* display name */
    struct hull_lint_finding *findings; /* sorted by line, column, code */
    size_t nfindings;
};

/* Run every rule over a parsed file. Findings honour cfg (ignored codes, overrides, pragmas)
 * and are appended to res (which the caller initialised to zero and releases with
 * hull_lint_result_release). Errors: HULL_E_NOMEM, and HULL_E_LIMIT for a file producing more
 * than 20,000 findings (hostile input; nothing is appended then). */
int hull_lint_run(const struct hull_dockerfile *df, const struct hull_lint_config *cfg,
                  struct hull_lint_result *res, struct hull_err **err);
void hull_lint_result_release(struct hull_lint_result *res);

enum hull_lint_format {
    HULL_LINT_FMT_TTY,
    HULL_LINT_FMT_JSON,
    HULL_LINT_FMT_SARIF,
    HULL_LINT_FMT_CHECKSTYLE,
    HULL_LINT_FMT_GITLAB,
};
/* "tty", "json", "sarif", "checkstyle", "gitlab" (also "gitlab_codeclimate"); -1 unknown. */
int hull_lint_format_parse(const char *s);
/* Write all results to f in one format (color only for tty). Returns 0 or <0 (I/O, OOM). */
int hull_lint_report(FILE *f, enum hull_lint_format fmt, const struct hull_lint_result *res,
                     size_t nres, bool color, struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
