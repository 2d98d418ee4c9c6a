/* Private state shared by the lint rule files (rules.c: RUN analysis, stages, image refs;
 * lint.c: per-instruction rules, final-stage rules, pragmas, results; shellcheck.c). */
#ifndef HULL_LINT_RULES_H
#define HULL_LINT_RULES_H
#include "core/common.h"
#include <strings.h>
#include "lint/lintpriv.h"

struct tfinding {
    char *code;
    int line, col;
    char *msg;
    size_t node; /* node index for pragmas; SIZE_MAX: file level */
    int level;   /* -1: the rule's default level (ShellCheck findings bring their own) */
};

struct stage {
    size_t node;      /* index of the FROM */
    size_t end;       /* one past the stage's last node */
    const char *name; /* alias as written (borrowed from the node) or NULL */
    const char *raw;  /* image as written */
    char *image;      /* image after global ARG expansion (owned) */
    bool unresolved;  /* the image still depends on an unset variable */
    bool scratch;
    int parent;       /* FROM <earlier stage>: its index, else -1 */
    /* filled while walking the stage */
    const char *user;  /* last USER value (borrowed) */
    int user_line;
    size_t user_node;
    bool workdir;      /* an absolute WORKDIR was set */
    bool healthcheck;  /* a HEALTHCHECK in this stage (DL3057) */
};

/* Per-stage facts gathered by the RUN rules. */
struct stagestate {
    bool final;
    bool shell_pipefail; /* SHELL [... -o pipefail ...] */
    bool shell_posix;    /* SHELL is a POSIX shell */
    bool pip_no_cache;   /* ENV PIP_NO_CACHE_DIR */
    int wget_line, curl_line;
    bool dl4001_done;
    int build_tool_line, build_step_line;
    size_t build_tool_node, build_step_node;
    char build_tool[64], build_step[64];
    const char *shell0;  /* SHELL's first argument, for ShellCheck */
    /* DL3010: archives COPYed into this stage (basenames), waiting for an extracting RUN */
    struct {
        char name[128];
        size_t node;
        bool done;
    } arch[16];
    size_t narch;
};

struct lctx {
    const struct hull_dockerfile *df;
    const struct hull_lint_config *cfg;
    bool oom;
    struct tfinding *f;
    size_t nf, capf;
    struct hull_vars globals;
    struct stage *stages;
    size_t nstages;
    struct hull_vars names; /* ARG/ENV names seen so far (ShellCheck exports) */
    bool shellcheck_ok;     /* shellcheck found on PATH */
    void *sc_pending;       /* scripts waiting for the ShellCheck run (shellcheck.c) */
    struct strmap stage_idx; /* stage name (case-folded) -> first stage index */
    const struct hull_df_node *om_node; /* node whose offset map is cached in om */
    struct offmap om;
    bool too_many;          /* more than LINT_MAX_FINDINGS: the run fails with HULL_E_LIMIT */
};

/* Findings one file may produce before lint gives up on it (bounds time and memory on hostile
 * input; real Dockerfiles stay far below). */
#define LINT_MAX_FINDINGS 20000
/* Map an offset in nd->original to (line, column) through the cached offset map. */
void lint_map(struct lctx *c, const struct hull_df_node *nd, size_t off, int *line, int *col);

struct imgref {
    char buf[512];
    const char *registry; /* "docker.io" when none */
    const char *path;     /* repository path */
    const char *name;     /* path without "library/" for official images */
    const char *tag;      /* NULL when none */
    const char *digest;   /* NULL when none */
    bool official;        /* Docker Hub library image */
};

void lint_build_stages(struct lctx *c);
void lint_check_from(struct lctx *c, size_t si);
void lint_check_image_ref(struct lctx *c, size_t ni, int line, int col, const char *img,
                          const char *what);
int lint_stage_by_name(const struct lctx *c, const char *name, size_t before);
bool lint_user_is_root(const char *u);
bool lint_image_nonroot(const char *img);
bool lint_is_shell(const char *n);
const char *lint_flag_value(const struct hull_df_node *nd, const char *name);
void lint_add_at(struct lctx *c, size_t ni, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imgref_parse(const char *s, struct imgref *r);
bool digest_ok(const char *d);
void lint_add(struct lctx *c, size_t node, const char *code, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Run every RUN rule over nd (a RUN node, or the RUN inside ONBUILD at index ni). */
void lint_run_node(struct lctx *c, size_t ni, const struct hull_df_node *nd,
                   struct stagestate *ss);
/* ShellCheck a script (when enabled and found); findings mapped to Dockerfile lines. */
void lint_shellcheck(struct lctx *c, const struct shscript *sc, const char *script,
                     const struct hull_df_node *nd, const struct hull_df_node *top, size_t ni,
                     const struct hull_df_heredoc *hd, const struct stagestate *ss);
bool lint_shellcheck_available(void);
/* Run ShellCheck once over every script collected for this file and add its findings. */
void lint_shellcheck_flush(struct lctx *c);
/* Record a SHELL instruction in the stage state. */
void lint_shell_update(const struct hull_df_node *nd, struct stagestate *ss);
#endif
