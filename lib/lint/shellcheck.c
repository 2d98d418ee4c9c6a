/* Optional ShellCheck pass over RUN scripts, as hadolint does it: each shell-form RUN line
 * and each heredoc body that feeds a shell becomes one script file, prefixed by a shebang for
 * the stage's SHELL and `export NAME=1` for the ARG/ENV names seen so far (so ShellCheck does
 * not complain about unassigned variables). All scripts of a Dockerfile go to one
 * `shellcheck -f json1` run; its findings are mapped back to Dockerfile lines and keep their
 * SC codes and levels. SC2187 (ash), SC1090 and SC1091 (sourced files) are excluded. The
 * library never prints: shellcheck's stderr goes to /dev/null and its stdout is parsed. */
#include "core/common.h"
#include "lint/rules.h"
#include "core/buf.h"
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SC_MAX_SCRIPTS 1000
#define SC_MAX_EXPORTS 2000

struct pending {
    char *path;
    size_t ni;
    const struct hull_df_node *top;
    const struct hull_df_heredoc *hd;
    size_t base;   /* offset of the script in top->original (shell-form) */
    int header;    /* lines added before the script */
};

struct scstate {
    struct pending *v;
    size_t n;
    char dir[64];
};

bool lint_shellcheck_available(void)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    while (*path) {
        size_t n = strcspn(path, ":");
        char buf[4096];
        if (n && n < sizeof(buf) - 16) {
            snprintf(buf, sizeof(buf), "%.*s/shellcheck", (int)n, path);
            if (access(buf, X_OK) == 0)
                return true;
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

static struct scstate *state(struct lctx *c)
{
    if (!c->sc_pending) {
        struct scstate *s = calloc(1, sizeof(*s));
        if (!s) {
            c->oom = true;
            return NULL;
        }
        const char *tmp = getenv("TMPDIR");
        int n = snprintf(s->dir, sizeof(s->dir) - 7, "%s/hull-sc.",
                         tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
        memset(s->dir + n, 'X', 6); /* mkdtemp's template suffix */
        s->dir[n + 6] = 0;
        if (!mkdtemp(s->dir)) {
            free(s);
            c->shellcheck_ok = false;
            return NULL;
        }
        c->sc_pending = s;
    }
    return c->sc_pending;
}

void lint_shellcheck(struct lctx *c, const struct shscript *sc, const char *script,
                     const struct hull_df_node *nd, const struct hull_df_node *top, size_t ni,
                     const struct hull_df_heredoc *hd, const struct stagestate *ss)
{
    (void)sc;
    if (!c->shellcheck_ok || !ss->shell_posix || (nd->json && !hd) || c->oom)
        return;
    if (c->sc_pending && ((struct scstate *)c->sc_pending)->n >= SC_MAX_SCRIPTS)
        return; /* bounded work per file: the first SC_MAX_SCRIPTS scripts are checked */
    size_t base = SIZE_MAX;
    if (!hd) {
        if (nd != top || !nd->nargs || nd->nheredocs)
            return;
        size_t ol = strlen(top->original), al = strlen(nd->args[0]);
        size_t e = ol;
        while (e && uspace_at(top->original + e - 1, 1))
            e--;
        if (e < al || memcmp(top->original + e - al, nd->args[0], al))
            return;
        base = e - al;
    }
    struct scstate *s = state(c);
    if (!s)
        return;
    struct pending *v = grow_for(s->v, s->n, sizeof(*v));
    if (!v) {
        c->oom = true;
        return;
    }
    s->v = v;
    struct pending *p = &s->v[s->n];
    if (asprintf(&p->path, "%s/s%zu.sh", s->dir, s->n) < 0) {
        c->oom = true;
        return;
    }
    FILE *f = fopen(p->path, "w");
    if (!f) {
        free(p->path);
        return;
    }
    int header = 1;
    const char *sh = ss->shell0 && strstr(ss->shell0, "bash") ? "/bin/bash" : "/bin/sh";
    fprintf(f, "#!%s\n", sh);
    for (size_t i = 0; i < c->names.n && i < SC_MAX_EXPORTS; i++) {
        fprintf(f, "export %s=1\n", c->names.names[i]);
        header++;
    }
    fputs(script, f);
    fputc('\n', f);
    if (fclose(f) != 0) {
        unlink(p->path);
        free(p->path);
        return;
    }
    p->ni = ni;
    p->top = top;
    p->hd = hd;
    p->base = base;
    p->header = header;
    s->n++;
}

static int level_from(const char *l)
{
    if (!l)
        return HULL_LINT_WARNING;
    if (!strcmp(l, "error"))
        return HULL_LINT_ERROR;
    if (!strcmp(l, "info"))
        return HULL_LINT_INFO;
    if (!strcmp(l, "style"))
        return HULL_LINT_STYLE;
    return HULL_LINT_WARNING;
}

static char *run_shellcheck(struct scstate *s, size_t max)
{
    char **argv = calloc(s->n + 8, sizeof(char *));
    if (!argv)
        return NULL;
    size_t a = 0;
    argv[a++] = (char *)"shellcheck";
    argv[a++] = (char *)"-f";
    argv[a++] = (char *)"json1";
    argv[a++] = (char *)"-S";
    argv[a++] = (char *)"style";
    argv[a++] = (char *)"-e";
    argv[a++] = (char *)"SC2187,SC1090,SC1091";
    for (size_t i = 0; i < s->n; i++)
        argv[a++] = s->v[i].path;
    argv[a] = NULL;
    int pfd[2];
    if (pipe(pfd) < 0) {
        free(argv);
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, "shellcheck", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    free(argv);
    if (rc != 0) {
        close(pfd[0]);
        return NULL;
    }
    char *out = NULL;
    size_t len = 0;
    struct hull_err *e = NULL;
    if (hull_read_fd(pfd[0], "shellcheck", max, &out, &len, &e) < 0) {
        hull_err_free(e);
        out = NULL;
    }
    close(pfd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return out;
}

void lint_shellcheck_flush(struct lctx *c)
{
    struct scstate *s = c->sc_pending;
    if (!s)
        return;
    char *out = s->n && !c->oom ? run_shellcheck(s, 64u << 20) : NULL;
    json_t *root = out ? json_loads(out, 0, NULL) : NULL;
    json_t *comments = json_object_get(root, "comments");
    for (size_t i = 0; i < json_array_size(comments) && !c->oom; i++) {
        json_t *o = json_array_get(comments, i);
        const char *file = json_string_value(json_object_get(o, "file"));
        int line = (int)json_integer_value(json_object_get(o, "line"));
        int col = (int)json_integer_value(json_object_get(o, "column"));
        int code = (int)json_integer_value(json_object_get(o, "code"));
        const char *msg = json_string_value(json_object_get(o, "message"));
        const char *lvl = json_string_value(json_object_get(o, "level"));
        const struct pending *p = NULL;
        for (size_t k = 0; file && k < s->n; k++)
            if (!strcmp(file, s->v[k].path))
                p = &s->v[k];
        if (!p || !msg)
            continue;
        int sl = line - p->header;
        if (sl < 1)
            continue;
        int dl, dc;
        if (p->hd) {
            dl = p->hd->start_line + sl - 1;
            dc = col;
        } else {
            lint_map(c, p->top, p->base + (size_t)(col > 0 ? col - 1 : 0), &dl, &dc);
        }
        char cd[32];
        snprintf(cd, sizeof(cd), "SC%d", code);
        lint_add(c, p->ni, cd, dl, dc, "%s", msg);
        if (c->nf && !c->oom)
            c->f[c->nf - 1].level = level_from(lvl);
    }
    json_decref(root);
    free(out);
    for (size_t k = 0; k < s->n; k++) {
        unlink(s->v[k].path);
        free(s->v[k].path);
    }
    rmdir(s->dir);
    free(s->v);
    free(s);
    c->sc_pending = NULL;
}
