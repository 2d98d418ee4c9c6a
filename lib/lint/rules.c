/* Lint rules over a parsed Dockerfile: BuildKit's instruction layer (stages, global ARGs and
 * their expansion in FROM, COPY --from references) and then the checks. DL codes keep
 * hadolint's meaning (../shared/docs/dockerfile.md section 2.1); HU codes are hull's own,
 * for the lesson: pinned, small, multi-stage, non-root, no secrets. RUN scripts, including
 * heredoc bodies fed to a shell, are split into simple commands by shscript_parse() and every
 * RUN rule looks at those commands. */
#include "core/common.h"
#include "lint/lintpriv.h"
#include "lint/rules.h"

static const struct hull_lint_rule rule_table[] = {
    { "HU000", "invalid-instruction", HULL_LINT_ERROR,
      "instruction BuildKit rejects (unknown keyword, bad FROM, bad stage name, missing args)" },
    { "HU001", "from-not-pinned", HULL_LINT_WARNING,
      "base image (FROM, COPY --from, RUN --mount from) not pinned by digest" },
    { "HU002", "build-tools-in-final-stage", HULL_LINT_WARNING,
      "build tools installed or build steps run in the final stage of a multi-stage build" },
    { "HU003", "single-stage-build", HULL_LINT_INFO,
      "a single-stage build compiles or installs build tools; split it into stages" },
    { "HU004", "heavy-base-image", HULL_LINT_INFO,
      "final stage uses a full base image where a slim, alpine or distroless variant exists" },
    { "HU005", "secret-in-image", HULL_LINT_ERROR,
      "secret in ENV/ARG names or values, or a secret file copied into the image" },
    { "HU006", "remote-script-to-shell", HULL_LINT_WARNING,
      "a remote script downloaded and piped straight into a shell" },
    { "HU007", "npm-install-not-ci", HULL_LINT_INFO,
      "`npm install` from package.json where `npm ci --omit=dev` belongs" },
    { "HU008", "final-stage-root", HULL_LINT_WARNING,
      "final stage runs as root (no USER, or USER root/0)" },
    { "DL3000", "workdir-relative", HULL_LINT_ERROR, "use absolute WORKDIR" },
    { "DL3001", "pointless-command", HULL_LINT_INFO,
      "command makes no sense in a container (ssh, vim, shutdown, service, ps, ...)" },
    { "DL3002", "last-user-root", HULL_LINT_WARNING, "last USER should not be root" },
    { "DL3003", "cd-in-run", HULL_LINT_WARNING, "use WORKDIR to switch to a directory" },
    { "DL3004", "sudo", HULL_LINT_ERROR, "do not use sudo" },
    { "DL3006", "untagged-image", HULL_LINT_WARNING, "always tag the version of an image" },
    { "DL3007", "latest-tag", HULL_LINT_WARNING, "using latest is prone to errors" },
    { "DL3008", "apt-unpinned", HULL_LINT_WARNING, "pin versions in apt-get install" },
    { "DL3009", "apt-lists-kept", HULL_LINT_INFO, "delete the apt-get lists after installing" },
    { "DL3010", "add-for-archive", HULL_LINT_INFO,
      "use ADD for extracting archives into an image" },
    { "DL3011", "expose-port-range", HULL_LINT_ERROR, "valid UNIX ports range from 0 to 65535" },
    { "DL3012", "multiple-healthcheck", HULL_LINT_ERROR,
      "multiple HEALTHCHECK instructions in one stage" },
    { "DL3013", "pip-unpinned", HULL_LINT_WARNING, "pin versions in pip install" },
    { "DL3014", "apt-no-yes", HULL_LINT_WARNING, "use the -y switch with apt-get install" },
    { "DL3015", "apt-recommends", HULL_LINT_INFO,
      "avoid additional packages by specifying --no-install-recommends" },
    { "DL3016", "npm-unpinned", HULL_LINT_WARNING, "pin versions in npm install" },
    { "DL3018", "apk-unpinned", HULL_LINT_WARNING, "pin versions in apk add" },
    { "DL3019", "apk-cache", HULL_LINT_INFO, "use the --no-cache switch with apk add" },
    { "DL3020", "add-for-copy", HULL_LINT_ERROR, "use COPY instead of ADD for files and folders" },
    { "DL3021", "copy-dest-dir", HULL_LINT_ERROR,
      "COPY with more than 2 arguments requires the last argument to end with /" },
    { "DL3022", "copy-from-unknown", HULL_LINT_WARNING,
      "COPY --from should reference a previously defined FROM alias" },
    { "DL3023", "copy-from-self", HULL_LINT_ERROR, "COPY --from cannot reference its own FROM alias" },
    { "DL3024", "duplicate-stage", HULL_LINT_ERROR, "FROM aliases (stage names) must be unique" },
    { "DL3025", "json-cmd", HULL_LINT_WARNING,
      "use arguments JSON notation for CMD and ENTRYPOINT arguments" },
    { "DL3026", "untrusted-registry", HULL_LINT_ERROR, "use only an allowed registry" },
    { "DL3027", "apt-not-apt-get", HULL_LINT_WARNING,
      "do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache" },
    { "DL3028", "gem-unpinned", HULL_LINT_WARNING, "pin versions in gem install" },
    { "DL3029", "from-platform", HULL_LINT_WARNING, "do not use --platform with a constant in FROM" },
    { "DL3030", "yum-no-yes", HULL_LINT_WARNING, "use the -y switch with yum install" },
    { "DL3032", "yum-clean", HULL_LINT_WARNING, "`yum clean all` missing after yum" },
    { "DL3033", "yum-unpinned", HULL_LINT_WARNING,
      "specify version with `yum install -y <package>-<version>`" },
    { "DL3034", "zypper-interactive", HULL_LINT_WARNING,
      "non-interactive switch missing from zypper command" },
    { "DL3035", "zypper-dist-upgrade", HULL_LINT_WARNING, "do not use `zypper dist-upgrade`" },
    { "DL3036", "zypper-clean", HULL_LINT_WARNING, "`zypper clean` missing after zypper use" },
    { "DL3037", "zypper-unpinned", HULL_LINT_WARNING,
      "specify version with `zypper install -y <package>=<version>`" },
    { "DL3038", "dnf-no-yes", HULL_LINT_WARNING, "use the -y switch with dnf install" },
    { "DL3040", "dnf-clean", HULL_LINT_WARNING, "`dnf clean all` missing after dnf" },
    { "DL3041", "dnf-unpinned", HULL_LINT_WARNING,
      "specify version with `dnf install -y <package>-<version>`" },
    { "DL3042", "pip-cache", HULL_LINT_WARNING,
      "avoid use of cache directory with pip; use `pip install --no-cache-dir`" },
    { "DL3043", "onbuild-forbidden", HULL_LINT_ERROR,
      "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD" },
    { "DL3044", "env-self-reference", HULL_LINT_ERROR,
      "do not refer to an environment variable within the same ENV statement" },
    { "DL3045", "copy-relative-no-workdir", HULL_LINT_WARNING,
      "COPY to a relative destination without WORKDIR set" },
    { "DL3046", "useradd-no-l", HULL_LINT_WARNING,
      "useradd without -l and a high UID makes an excessively large image" },
    { "DL3047", "wget-progress", HULL_LINT_INFO,
      "wget without --progress bloats the build log" },
    { "DL3048", "label-key", HULL_LINT_STYLE, "invalid label key" },
    { "DL3049", "label-missing", HULL_LINT_INFO,
      "label required by the label schema is missing (only with `label-schema`)" },
    { "DL3050", "label-superfluous", HULL_LINT_INFO,
      "label not in the label schema (only with `label-schema` and `strict-labels`)" },
    { "DL3051", "label-empty", HULL_LINT_WARNING, "label of the label schema is empty" },
    { "DL3052", "label-not-url", HULL_LINT_WARNING, "label of schema type url is not a valid URL" },
    { "DL3053", "label-not-rfc3339", HULL_LINT_WARNING,
      "label of schema type rfc3339 is not an RFC 3339 time" },
    { "DL3054", "label-not-spdx", HULL_LINT_WARNING,
      "label of schema type spdx is not a valid SPDX license identifier" },
    { "DL3055", "label-not-git-hash", HULL_LINT_WARNING,
      "label of schema type hash is not a valid git hash" },
    { "DL3056", "label-not-semver", HULL_LINT_WARNING,
      "label of schema type semver does not conform to semantic versioning" },
    { "DL3057", "healthcheck-missing", HULL_LINT_IGNORE,
      "`HEALTHCHECK` instruction missing (off unless its level is overridden)" },
    { "DL3058", "label-not-email", HULL_LINT_WARNING,
      "label of schema type email is not a valid RFC 5322 email address" },
    { "DL3059", "consecutive-run", HULL_LINT_INFO, "multiple consecutive RUN instructions" },
    { "DL3060", "yarn-cache", HULL_LINT_INFO, "`yarn cache clean` missing after yarn install" },
    { "DL3061", "from-first", HULL_LINT_ERROR,
      "invalid instruction order: a Dockerfile must begin with FROM, ARG or a comment" },
    { "DL3062", "go-install-unpinned", HULL_LINT_WARNING, "pin versions in go install" },
    { "DL3063", "reserved-stage-name", HULL_LINT_WARNING,
      "stage name should not be a reserved word (scratch, context)" },
    { "DL3064", "sensitive-arg-env", HULL_LINT_WARNING,
      "potentially sensitive data should not be used in the ARG or ENV commands" },
    { "DL3065", "redundant-target-platform", HULL_LINT_WARNING,
      "FROM --platform=$TARGETPLATFORM is redundant" },
    { "DL3066", "non-numeric-user", HULL_LINT_INFO,
      "non-numeric user-id may not be resolvable by host system (last USER of the last stage)" },
    { "DL3067", "copy-root-filesystem", HULL_LINT_WARNING,
      "do not copy an entire filesystem from another stage" },
    { "DL4000", "maintainer", HULL_LINT_ERROR, "MAINTAINER is deprecated" },
    { "DL4001", "wget-and-curl", HULL_LINT_WARNING, "either use wget or curl, but not both" },
    { "DL4003", "multiple-cmd", HULL_LINT_WARNING, "multiple CMD instructions in one stage" },
    { "DL4004", "multiple-entrypoint", HULL_LINT_ERROR,
      "multiple ENTRYPOINT instructions in one stage" },
    { "DL4005", "ln-bin-sh", HULL_LINT_WARNING, "use SHELL to change the default shell" },
    { "DL4006", "pipefail", HULL_LINT_WARNING,
      "set the SHELL option -o pipefail before RUN with a pipe in it" },
    { "SC", "shellcheck", HULL_LINT_WARNING,
      "ShellCheck findings in RUN scripts (SC codes, when shellcheck is on PATH)" },
};

const struct hull_lint_rule *hull_lint_rules(size_t *n)
{
    *n = HULL_ARRAY_LEN(rule_table);
    return rule_table;
}

static const char *const level_names[] = { "error", "warning", "info", "style", "ignore" };

const char *hull_lint_level_name(enum hull_lint_level l)
{
    return (unsigned)l < HULL_ARRAY_LEN(level_names) ? level_names[l] : "error";
}

int hull_lint_level_parse(const char *s)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(level_names); i++)
        if (!strcasecmp(s, level_names[i]))
            return (int)i;
    if (!strcasecmp(s, "none"))
        return HULL_LINT_IGNORE;
    return -1;
}

/* ---- context ---- */

void lint_add(struct lctx *c, size_t node, const char *code, int line, int col,
              const char *fmt, ...)
{
    if (c->oom || c->too_many)
        return;
    if (c->nf >= LINT_MAX_FINDINGS) {
        c->too_many = true;
        return;
    }
    if (c->nf == c->capf) {
        size_t cap = c->capf ? c->capf * 2 : 32;
        struct tfinding *v = realloc(c->f, cap * sizeof(*v));
        if (!v) {
            c->oom = true;
            return;
        }
        c->f = v;
        c->capf = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int r = vasprintf(&msg, fmt, ap);
    va_end(ap);
    char *cd = strdup(code);
    if (r < 0 || !cd) {
        if (r >= 0)
            free(msg);
        free(cd);
        c->oom = true;
        return;
    }
    struct tfinding *t = &c->f[c->nf++];
    t->code = cd;
    t->line = line;
    t->col = col;
    t->msg = msg;
    t->node = node;
    t->level = -1;
}

void lint_add_at(struct lctx *c, size_t ni, const char *code, const char *fmt, ...)
{
    const struct hull_df_node *nd = &c->df->nodes[ni];
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int r = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (r < 0) {
        c->oom = true;
        return;
    }
    lint_add(c, ni, code, nd->start_line, nd->column, "%s", msg);
    free(msg);
}

void lint_map(struct lctx *c, const struct hull_df_node *nd, size_t off, int *line, int *col)
{
    if (c->om_node != nd) {
        offmap_free(&c->om);
        c->om_node = NULL;
        if (offmap_build(c->df, nd, &c->om) < 0) {
            c->oom = true;
            *line = nd->start_line;
            *col = nd->column;
            return;
        }
        c->om_node = nd;
    }
    offmap_lookup(&c->om, nd, off, line, col);
}

/* Position of args[idx] of a shell-form node, searched in order through the joined line. */
static void arg_pos(struct lctx *c, size_t ni, const struct hull_df_node *nd, size_t idx,
                    int *line, int *col)
{
    const char *o = nd->original;
    size_t at = strlen(nd->keyword ? nd->keyword : "");
    const char *p = o + (at <= strlen(o) ? at : 0);
    for (size_t i = 0; i < nd->nflags; i++) {
        const char *q = strstr(p, "--");
        if (q)
            p = q + 2;
    }
    for (size_t i = 0; i <= idx && i < nd->nargs; i++) {
        const char *q = *nd->args[i] ? strstr(p, nd->args[i]) : NULL;
        if (!q) {
            *line = nd->start_line;
            *col = nd->column;
            return;
        }
        if (i == idx) {
            lint_map(c, nd, (size_t)(q - o), line, col);
            return;
        }
        p = q + strlen(nd->args[i]);
    }
    *line = nd->start_line;
    *col = nd->column;
}

static bool streq(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static bool starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

static bool ends(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static const char *base_name(const char *s)
{
    const char *b = strrchr(s, '/');
    return b ? b + 1 : s;
}

/* ---- image references (distribution/reference) ---- */

void imgref_parse(const char *s, struct imgref *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->buf, sizeof(r->buf), "%s", s);
    char *at = strchr(r->buf, '@');
    if (at) {
        *at = 0;
        r->digest = at + 1;
    }
    char *slash = strrchr(r->buf, '/');
    char *colon = strrchr(slash ? slash : r->buf, ':');
    if (colon) {
        *colon = 0;
        r->tag = colon + 1;
    }
    char *first = strchr(r->buf, '/');
    if (first && (memchr(r->buf, '.', (size_t)(first - r->buf)) ||
                  memchr(r->buf, ':', (size_t)(first - r->buf)) ||
                  !strncmp(r->buf, "localhost/", 10))) {
        *first = 0;
        r->registry = r->buf;
        r->path = first + 1;
    } else {
        r->registry = "docker.io";
        r->path = r->buf;
    }
    if (!strcmp(r->registry, "index.docker.io"))
        r->registry = "docker.io";
    r->official = !strcmp(r->registry, "docker.io") &&
                  (!strchr(r->path, '/') || starts(r->path, "library/"));
    r->name = r->official ? base_name(r->path) : r->path;
}

bool digest_ok(const char *d)
{
    if (!d || strncmp(d, "sha256:", 7) || strlen(d) != 71)
        return false;
    for (const char *p = d + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static bool registry_trusted(const struct hull_lint_config *cfg, const char *reg)
{
    for (size_t i = 0; i < cfg->ntrusted; i++) {
        const char *t = cfg->trusted[i];
        if (!strcmp(t, reg))
            return true;
        if (!strcmp(t, "docker.io") && !strcmp(reg, "index.docker.io"))
            return true;
        if (t[0] == '*') { /* *.gcr.io */
            if (ends(reg, t + 1))
                return true;
        } else if (t[0] && t[strlen(t) - 1] == '*') { /* my.reg* */
            if (!strncmp(reg, t, strlen(t) - 1))
                return true;
        }
    }
    return false;
}

/* ---- stages ---- */

int lint_stage_by_name(const struct lctx *c, const char *name, size_t before)
{
    int i = strmap_get(&c->stage_idx, name);
    return i >= 0 && (size_t)i < before ? i : -1;
}

static bool valid_stage_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

const char *lint_flag_value(const struct hull_df_node *nd, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < nd->nflags; i++) {
        const char *f = nd->flags[i];
        if (!strncmp(f, "--", 2) && !strncmp(f + 2, name, l) && f[2 + l] == '=')
            return f + 3 + l;
    }
    return NULL;
}

/* RUN --mount=type=cache,target=X with X containing needle */
static bool cache_mount(const struct hull_df_node *nd, const char *needle)
{
    for (size_t i = 0; i < nd->nflags; i++) {
        const char *f = nd->flags[i];
        if (starts(f, "--mount=") && strstr(f, "type=cache") && strstr(f, needle))
            return true;
    }
    return false;
}

void lint_build_stages(struct lctx *c)
{
    const struct hull_dockerfile *df = c->df;
    bool seen_from = false, before_from_reported = false;
    for (size_t i = 0; i < df->nnodes && !c->oom; i++) {
        const struct hull_df_node *nd = &df->nodes[i];
        if (!seen_from && streq(nd->lower, "arg")) {
            for (size_t k = 0; k < nd->nargs; k++) {
                char *eq = strchr(nd->args[k], '=');
                char *name = eq ? xstrndup(nd->args[k], (size_t)(eq - nd->args[k]), &c->oom)
                                : strdup(nd->args[k]);
                if (!name) {
                    c->oom = true;
                    break;
                }
                char *val = NULL;
                if (eq) {
                    bool un = false, bad = false;
                    val = hull_expand(eq + 1, strlen(eq + 1), df->escape, &c->globals, &un,
                                      &bad, &c->oom);
                }
                vars_set(&c->globals, name, val, &c->oom);
                free(name);
                free(val);
            }
            continue;
        }
        if (!streq(nd->lower, "from")) {
            if (!seen_from && !streq(nd->lower, "arg") && !before_from_reported) {
                before_from_reported = true;
                lint_add_at(c, i, "DL3061", "%s before the first FROM; a Dockerfile must begin "
                       "with FROM, ARG or a comment", nd->keyword);
            }
            continue;
        }
        seen_from = true;
        struct stage *v = grow_for(c->stages, c->nstages, sizeof(*v));
        if (!v) {
            c->oom = true;
            return;
        }
        c->stages = v;
        struct stage *st = &c->stages[c->nstages];
        memset(st, 0, sizeof(*st));
        st->node = i;
        st->parent = -1;
        if (c->nstages)
            c->stages[c->nstages - 1].end = i;
        c->nstages++;
        if (nd->nargs != 1 && !(nd->nargs == 3 && !strcasecmp(nd->args[1], "as"))) {
            lint_add_at(c, i, "HU000", "FROM requires either one or three arguments (image [AS name])");
        }
        if (nd->nargs == 0)
            continue;
        if (nd->nargs == 3 && !strcasecmp(nd->args[1], "as")) {
            st->name = nd->args[2];
            if (c->nstages <= INT32_MAX)
                strmap_put(&c->stage_idx, st->name, (int)(c->nstages - 1), false, &c->oom);
            if (!valid_stage_name(st->name))
                lint_add_at(c, i, "HU000", "invalid name for build stage: \"%s\", name can't start "
                       "with a number or contain symbols", st->name);
        }
        bool un = false, bad = false;
        st->image = hull_expand(nd->args[0], strlen(nd->args[0]), df->escape, &c->globals, &un,
                                &bad, &c->oom);
        st->unresolved = un || bad || !st->image || !*st->image;
        st->raw = nd->args[0];
        if (st->image && !st->unresolved) {
            int p = lint_stage_by_name(c, st->image, c->nstages - 1);
            if (p >= 0)
                st->parent = p;
        }
        st->scratch = st->image && !strcasecmp(st->image, "scratch");
    }
    if (c->nstages)
        c->stages[c->nstages - 1].end = df->nnodes;
    /* DL3024 duplicate names */
    for (size_t i = 0; i < c->nstages; i++) {
        if (!c->stages[i].name)
            continue;
        int prev = lint_stage_by_name(c, c->stages[i].name, i);
        if (prev >= 0)
            lint_add_at(c, c->stages[i].node, "DL3024", "duplicate stage name \"%s\" (first defined "
                   "at line %d)", c->stages[i].name, c->df->nodes[c->stages[prev].node].start_line);
    }
}

/* ---- FROM checks ---- */

void lint_check_image_ref(struct lctx *c, size_t ni, int line, int col, const char *img,
                            const char *what)
{
    struct imgref r;
    imgref_parse(img, &r);
    if (c->cfg->ntrusted && !registry_trusted(c->cfg, r.registry))
        lint_add(c, ni, "DL3026", line, col, "%s uses registry %s which is not in the trusted "
                 "registries", what, r.registry);
    if (!digest_ok(r.digest))
        lint_add(c, ni, "HU001", line, col, "%s %s is not pinned by digest; pin it "
                 "(name:tag@sha256:...) with `hull pin`", what, img);
}

void lint_check_from(struct lctx *c, size_t si)
{
    struct stage *st = &c->stages[si];
    const struct hull_df_node *nd = &c->df->nodes[st->node];
    int line, col;
    arg_pos(c, st->node, nd, 0, &line, &col);
    /* DL3063 (hadolint): the alias is compared as written, like hadolint */
    if (st->name && (streq(st->name, "scratch") || streq(st->name, "context")))
        lint_add_at(c, st->node, "DL3063", "stage name should not be a reserved word: %s",
                    st->name);
    const char *plat = lint_flag_value(nd, "platform");
    if (plat) {
        if (strstr(plat, "TARGETPLATFORM") && (streq(plat, "$TARGETPLATFORM") ||
                                               streq(plat, "${TARGETPLATFORM}")))
            lint_add_at(c, st->node, "DL3065", "FROM --platform=%s is redundant: it is the default",
                   plat);
        else if (!strchr(plat, '$'))
            lint_add_at(c, st->node, "DL3029", "FROM --platform=%s pins a constant platform; use a "
                   "build argument such as $BUILDPLATFORM", plat);
    }
    if (nd->nargs == 0 || st->unresolved || st->scratch || st->parent >= 0)
        return;
    struct imgref r;
    imgref_parse(st->image, &r);
    if (!r.digest) {
        if (!r.tag)
            lint_add(c, st->node, "DL3006", line, col, "always tag the version of an image "
                     "explicitly: %s", st->image);
        else if (!strcmp(r.tag, "latest"))
            lint_add(c, st->node, "DL3007", line, col, "using latest is prone to errors if the "
                     "image will ever update; pin a version tag: %s", st->image);
    }
    lint_check_image_ref(c, st->node, line, col, st->image, "image");
}

/* ---- users ---- */

bool lint_user_is_root(const char *u)
{
    size_t n = strcspn(u, ":");
    return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

bool lint_image_nonroot(const char *img)
{
    return img && (strstr(img, "nonroot") || strstr(img, "chiseled") ||
                   strstr(img, "-rootless"));
}

/* ---- RUN analysis ---- */

/* Index of the real command after wrappers (sudo, env, nohup, exec, command, time). */
static size_t cmd_start(const struct shcmd *cmd)
{
    size_t k = 0;
    while (k < cmd->argc) {
        const char *a = base_name(cmd->argv[k]);
        if (!strcmp(a, "sudo") || !strcmp(a, "doas")) {
            k++;
            while (k < cmd->argc && cmd->argv[k][0] == '-') {
                bool val = !strcmp(cmd->argv[k], "-u") || !strcmp(cmd->argv[k], "-g");
                k += val ? 2 : 1;
            }
        } else if (!strcmp(a, "env")) {
            k++;
            while (k < cmd->argc && (cmd->argv[k][0] == '-' || strchr(cmd->argv[k], '=')))
                k++;
        } else if (!strcmp(a, "nohup") || !strcmp(a, "exec") || !strcmp(a, "command") ||
                   !strcmp(a, "time") || !strcmp(a, "eatmydata")) {
            k++;
        } else {
            break;
        }
    }
    return k;
}

static const char *cmd_name(const struct shcmd *cmd, size_t *k)
{
    *k = cmd_start(cmd);
    return *k < cmd->argc ? base_name(cmd->argv[*k]) : "";
}

static bool arg_has(const struct shcmd *cmd, size_t from, const char *a)
{
    for (size_t i = from; i < cmd->argc; i++)
        if (!strcmp(cmd->argv[i], a))
            return true;
    return false;
}

static bool arg_prefix(const struct shcmd *cmd, size_t from, const char *p)
{
    for (size_t i = from; i < cmd->argc; i++)
        if (starts(cmd->argv[i], p))
            return true;
    return false;
}

/* a short option cluster (-qy) containing letter ch */
static bool short_opt(const struct shcmd *cmd, size_t from, char ch)
{
    for (size_t i = from; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (a[0] == '-' && a[1] && a[1] != '-' && strchr(a + 1, ch))
            return true;
    }
    return false;
}

/* The first non-option word after `from`, skipping options that take a value. */
static size_t subcommand(const struct shcmd *cmd, size_t from, const char *const *valopts)
{
    for (size_t i = from; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (a[0] != '-')
            return i;
        for (size_t v = 0; valopts && valopts[v]; v++)
            if (!strcmp(a, valopts[v])) {
                i++;
                break;
            }
    }
    return cmd->argc;
}

/* Non-option words after subcommand index `sub`, skipping values of valopts. */
static void packages(const struct shcmd *cmd, size_t sub, const char *const *valopts,
                     const char **out, size_t *n, size_t max)
{
    *n = 0;
    for (size_t i = sub + 1; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (a[0] == '-') {
            for (size_t v = 0; valopts && valopts[v]; v++)
                if (!strcmp(a, valopts[v])) {
                    i++;
                    break;
                }
            continue;
        }
        if (*n < max)
            out[(*n)++] = a;
    }
}

struct runinfo {
    size_t ni;                    /* node index for pragmas */
    const struct hull_df_node *nd; /* the RUN (or ONBUILD's RUN) */
    const struct hull_df_node *top; /* the node in the file */
    struct shscript sc;
    /* where the script came from, to map command offsets to lines */
    const struct hull_df_heredoc *hd; /* NULL: shell-form line */
    size_t base;                  /* offset of the script in the joined line */
    size_t *hl;                   /* heredoc: offsets where body lines start */
    size_t nhl;
};

static void cmd_pos(struct lctx *c, const struct runinfo *ri, const struct shcmd *cmd,
                    int *line, int *col)
{
    if (ri->hd) {
        size_t off = cmd->off, lo = 0, hi = ri->nhl; /* last line start <= off */
        if (!ri->nhl) {
            *line = ri->hd->start_line;
            *col = 1;
            return;
        }
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (ri->hl[mid] <= off)
                lo = mid;
            else
                hi = mid;
        }
        *line = ri->hd->start_line + (int)lo;
        *col = (int)(off - ri->hl[lo]) + 1;
        return;
    }
    if (ri->base == SIZE_MAX) {
        *line = ri->top->start_line;
        *col = ri->top->column;
        return;
    }
    lint_map(c, ri->top, ri->base + cmd->off, line, col);
}

static void add_cmd(struct lctx *c, const struct runinfo *ri, const struct shcmd *cmd,
                    const char *code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add_cmd(struct lctx *c, const struct runinfo *ri, const struct shcmd *cmd,
                    const char *code, const char *fmt, ...)
{
    int line, col;
    cmd_pos(c, ri, cmd, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int r = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (r < 0) {
        c->oom = true;
        return;
    }
    lint_add(c, ri->ni, code, line, col, "%s", msg);
    free(msg);
}

static bool pkg_var_or_path(const char *p)
{
    return strchr(p, '$') || strchr(p, '/') || strchr(p, '*') || ends(p, ".deb") ||
           ends(p, ".apk") || ends(p, ".rpm");
}

static void join_list(char *buf, size_t sz, const char **v, size_t n)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && o + 1 < sz; i++) {
        int w = snprintf(buf + o, sz - o, "%s%s", i ? " " : "", v[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (o >= sz - 1 && sz > 4)
        memcpy(buf + sz - 4, "...", 4);
}

static const char *const build_pkgs[] = {
    "gcc", "g++", "make", "cmake", "build-essential", "clang", "llvm", "autoconf", "automake",
    "libtool", "pkg-config", "pkgconf", "cargo", "rustc", "golang", "golang-go", "maven",
    "gradle", "alpine-sdk", "musl-dev", "linux-headers", "gcc-c++", "git", "ninja-build",
    "meson", "bison", "flex", "nasm", "yasm", "default-jdk", NULL };

static bool is_build_pkg(const char *p)
{
    char name[128];
    size_t n = strcspn(p, "=<>:");
    if (n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, p, n);
    name[n] = 0;
    for (size_t i = 0; build_pkgs[i]; i++)
        if (!strcmp(name, build_pkgs[i]))
            return true;
    return ends(name, "-dev") || ends(name, "-devel") || (starts(name, "openjdk") &&
                                                          ends(name, "-jdk"));
}

/* Returns a description of a build step ("go build") or NULL. */
static const char *build_step(const struct shcmd *cmd)
{
    size_t k;
    const char *n = cmd_name(cmd, &k);
    const char *sub = k + 1 < cmd->argc ? cmd->argv[k + 1] : "";
    if (!strcmp(n, "go") && (!strcmp(sub, "build") || !strcmp(sub, "install")))
        return "go build";
    if (!strcmp(n, "cargo") && (!strcmp(sub, "build") || !strcmp(sub, "install")))
        return "cargo build";
    if (!strcmp(n, "mvn") || !strcmp(n, "mvnw") || !strcmp(n, "gradle") || !strcmp(n, "gradlew"))
        return n;
    if (!strcmp(n, "make") || !strcmp(n, "gcc") || !strcmp(n, "g++") || !strcmp(n, "cc") ||
        !strcmp(n, "ninja"))
        return n;
    if (!strcmp(n, "cmake") && arg_has(cmd, k, "--build"))
        return "cmake --build";
    if ((!strcmp(n, "npm") || !strcmp(n, "yarn") || !strcmp(n, "pnpm")) &&
        (!strcmp(sub, "run") && k + 2 < cmd->argc && !strcmp(cmd->argv[k + 2], "build")))
        return "npm run build";
    if (!strcmp(n, "yarn") && !strcmp(sub, "build"))
        return "yarn build";
    if (!strcmp(n, "dotnet") && (!strcmp(sub, "build") || !strcmp(sub, "publish")))
        return "dotnet build";
    return NULL;
}

bool lint_is_shell(const char *n)
{
    return !strcmp(n, "sh") || !strcmp(n, "bash") || !strcmp(n, "zsh") || !strcmp(n, "ash") ||
           !strcmp(n, "dash") || !strcmp(n, "ksh");
}

static bool removes_build_deps(const struct shscript *sc)
{
    for (size_t i = 0; i < sc->ncmds; i++) {
        size_t k;
        const char *n = cmd_name(&sc->cmds[i], &k);
        const char *sub = k + 1 < sc->cmds[i].argc ? sc->cmds[i].argv[k + 1] : "";
        if ((!strcmp(n, "apk") && !strcmp(sub, "del")) ||
            ((!strcmp(n, "apt-get") || !strcmp(n, "apt")) &&
             (arg_has(&sc->cmds[i], k, "purge") || arg_has(&sc->cmds[i], k, "remove") ||
              arg_has(&sc->cmds[i], k, "autoremove"))) ||
            ((!strcmp(n, "yum") || !strcmp(n, "dnf")) &&
             (!strcmp(sub, "remove") || !strcmp(sub, "erase") || !strcmp(sub, "autoremove"))))
            return true;
    }
    return false;
}

static const char *const apt_valopts[] = { "-o", "-c", "-t", "--option", "--config-file",
                                           "--target-release", "--default-release", NULL };
static const char *const apk_valopts[] = { "-t", "--virtual", "-X", "--repository", "-p",
                                           "--root", "--arch", "--cache-dir", "--keys-dir",
                                           NULL };
static const char *const pip_valopts[] = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-t", "--target", "--prefix", "--root", "-f", "--find-links",
    "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--src",
    "--upgrade-strategy", "--progress-bar", "--cache-dir", "--log", "--proxy", "--retries",
    "--timeout", "--exists-action", "--cert", "--client-cert", "--only-binary",
    "--no-binary", "--config-settings", "-C", "--report", "--python", NULL };
static const char *const npm_valopts[] = { "--registry", "--prefix", "-C", "--cache",
                                           "--userconfig", "--omit", "--include", "--tag",
                                           "--workspace", "-w", NULL };
static const char *const gem_valopts[] = { "-v", "--version", "-i", "--install-dir", "-n",
                                           "--bindir", "-s", "--source", "--platform", NULL };
static const char *const yum_valopts[] = { "-c", "--config", "--installroot", "--enablerepo",
                                           "--disablerepo", "-x", "--exclude", "--setopt",
                                           "--releasever", NULL };
static const char *const zypper_valopts[] = { "-r", "--repo", "--from", "-t", "--type", "-R",
                                              "--root", NULL };

static bool pip_cmd(const struct shcmd *cmd, size_t k, size_t *sub)
{
    const char *n = base_name(cmd->argv[k]);
    if (!strncmp(n, "pip", 3) && (!n[3] || (n[3] >= '0' && n[3] <= '9'))) {
        *sub = subcommand(cmd, k + 1, pip_valopts);
        return *sub < cmd->argc && !strcmp(cmd->argv[*sub], "install");
    }
    if (!strncmp(n, "python", 6) && k + 2 < cmd->argc && !strcmp(cmd->argv[k + 1], "-m") &&
        !strncmp(cmd->argv[k + 2], "pip", 3)) {
        *sub = subcommand(cmd, k + 3, pip_valopts);
        return *sub < cmd->argc && !strcmp(cmd->argv[*sub], "install");
    }
    return false;
}

/* DL3010: tar -x / --extract / --get, or unzip, gunzip, ... naming (by basename) an archive
 * an earlier COPY of this stage put into the image; reported at that COPY, once. */
static void check_extract(struct lctx *c, const struct runinfo *ri, const struct shcmd *cmd,
                          size_t k, const char *n, struct stagestate *ss)
{
    static const char *const unz[] = { "unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz",
                                       "uncompress", "zcat", "gzcat", NULL };
    bool ex = false;
    for (size_t i = 0; unz[i] && !ex; i++)
        ex = !strcmp(n, unz[i]);
    if (!strcmp(n, "tar"))
        for (size_t a = k + 1; a < cmd->argc && !ex; a++) {
            const char *p = cmd->argv[a];
            ex = !strcmp(p, "--extract") || !strcmp(p, "--get") ||
                 (p[0] == '-' && p[1] != '-' && strchr(p, 'x'));
        }
    if (!ex)
        return;
    for (size_t a = k + 1; a < cmd->argc; a++) {
        const char *p = cmd->argv[a];
        if (p[0] == '-')
            continue;
        const char *b = p + strlen(p);
        while (b > p && b[-1] != '/' && b[-1] != '\\')
            b--;
        for (size_t i = 0; i < ss->narch; i++) {
            if (ss->arch[i].done || strcmp(ss->arch[i].name, b))
                continue;
            ss->arch[i].done = true;
            lint_add_at(c, ss->arch[i].node, "DL3010", "use ADD for extracting archives into an "
                        "image: %s is copied here and extracted by %s at line %d",
                        ss->arch[i].name, n, ri->top->start_line);
        }
    }
}

/* dnf (DL3041): the part after the name's first '-' is a version when every '-'-separated
 * piece is made of [0-9A-Za-z.~^_:+] and one of them starts with a digit (hadolint's test). */
static bool dnf_version_fixed(const char *p)
{
    const char *dash = strchr(p, '-');
    if (!dash)
        return false;
    if (ends(p, ".rpm"))
        return true;
    bool digit = false;
    for (const char *q = dash + 1;; q++) {
        if (q[-1] == '-' && *q >= '0' && *q <= '9')
            digit = true;
        if (!*q)
            break;
        if (*q != '-' && !((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
                           (*q >= 'A' && *q <= 'Z') || strchr(".~^_:+", *q)))
            return false;
    }
    return digit;
}

/* DL3033 (yum) / DL3041 (dnf, microdnf): `install` packages need name-version (yum: any '-';
 * dnf: see dnf_version_fixed), `module install` streams need name:stream; `group install` is
 * not checked. s: index of the subcommand. */
static void rpm_unpinned(struct lctx *c, const struct runinfo *ri, const struct shcmd *cmd,
                         size_t s, bool dnf)
{
    if (s >= cmd->argc)
        return;
    if (dnf && arg_has(cmd, s, "group"))
        return;
    bool module = !strcmp(cmd->argv[s], "module");
    if (module)
        s = subcommand(cmd, s + 1, yum_valopts);
    if (s >= cmd->argc || strcmp(cmd->argv[s], "install"))
        return;
    const char *pk[64], *unp[64];
    size_t np, nu = 0;
    packages(cmd, s, yum_valopts, pk, &np, 64);
    for (size_t p = 0; p < np; p++) {
        const char *a = pk[p];
        if (pkg_var_or_path(a))
            continue;
        bool fixed = module ? strchr(a, ':') != NULL
                            : dnf ? dnf_version_fixed(a) : strchr(a, '-') != NULL;
        if (!fixed)
            unp[nu++] = a;
    }
    if (!nu)
        return;
    char list[256];
    join_list(list, sizeof(list), unp, nu);
    if (dnf)
        add_cmd(c, ri, cmd, "DL3041", "specify version with `dnf install -y "
                "<package>-<version>`: %s", list);
    else
        add_cmd(c, ri, cmd, "DL3033", "specify version with `yum install -y "
                "<package>-<version>`: %s", list);
}

static void check_run_script(struct lctx *c, struct runinfo *ri, struct stagestate *ss)
{
    const struct shscript *sc = &ri->sc;
    bool apt_install = false, apt_lists_rm = false, yarn_install = false, yarn_clean = false;
    bool yum_used = false, yum_clean = false, dnf_used = false, dnf_clean = false;
    bool zyp_used = false, zyp_clean = false;
    const struct shcmd *apt_cmd = NULL, *yum_cmd = NULL, *dnf_cmd = NULL, *zyp_cmd = NULL;
    const struct shcmd *yarn_cmd = NULL;
    bool removes = removes_build_deps(sc);
    for (size_t i = 0; i < sc->ncmds && !c->oom; i++) {
        const struct shcmd *cmd = &sc->cmds[i];
        if (!cmd->argc)
            continue;
        if (!strcmp(base_name(cmd->argv[0]), "sudo"))
            add_cmd(c, ri, cmd, "DL3004", "do not use sudo: it has unpredictable TTY and signal "
                    "forwarding; run as root in a build step or use gosu");
        size_t k;
        const char *n = cmd_name(cmd, &k);
        if (!*n)
            continue;
        const char *sub1 = k + 1 < cmd->argc ? cmd->argv[k + 1] : "";
        if (!strcmp(n, "cd"))
            add_cmd(c, ri, cmd, "DL3003", "use WORKDIR to switch to a directory instead of cd");
        static const char *const pointless[] = { "ssh", "vim", "shutdown", "service", "ps",
                                                 "free", "top", "kill", "mount", "ifconfig",
                                                 NULL };
        for (size_t p = 0; pointless[p]; p++)
            if (!strcmp(n, pointless[p]))
                add_cmd(c, ri, cmd, "DL3001", "`%s` makes no sense in a container", n);
        if (!strcmp(n, "wget")) {
            ss->wget_line = ss->wget_line ? ss->wget_line : ri->top->start_line;
            if (!arg_prefix(cmd, k, "--progress") && !arg_has(cmd, k, "--quiet") &&
                !arg_has(cmd, k, "--no-verbose") && !short_opt(cmd, k + 1, 'q') &&
                !arg_has(cmd, k, "-nv"))
                add_cmd(c, ri, cmd, "DL3047", "wget without --progress (or -q) floods the "
                        "build log; add --progress=dot:giga");
        }
        if (!strcmp(n, "curl"))
            ss->curl_line = ss->curl_line ? ss->curl_line : ri->top->start_line;
        if (!strcmp(n, "ln") && cmd->argc >= k + 3 && !strcmp(cmd->argv[cmd->argc - 1], "/bin/sh"))
            add_cmd(c, ri, cmd, "DL4005", "use SHELL to change the default shell instead of "
                    "linking /bin/sh");
        if (ss->narch && ri->nd == ri->top)
            check_extract(c, ri, cmd, k, n, ss);
        if (!strcmp(n, "useradd") && !arg_has(cmd, k, "-l") && !arg_has(cmd, k, "--no-log-init")
            && !short_opt(cmd, k + 1, 'l')) {
            for (size_t a = k + 1; a + 1 < cmd->argc; a++)
                if ((!strcmp(cmd->argv[a], "-u") || !strcmp(cmd->argv[a], "--uid")) &&
                    strlen(cmd->argv[a + 1]) > 5 && !strchr(cmd->argv[a + 1], '$'))
                    add_cmd(c, ri, cmd, "DL3046", "useradd without -l and a high UID (%s) "
                            "makes /var/log/lastlog huge; add -l", cmd->argv[a + 1]);
        }
        /* apt */
        if (!strcmp(n, "apt") && (!strcmp(sub1, "install") || !strcmp(sub1, "update") ||
                                  !strcmp(sub1, "upgrade") || !strcmp(sub1, "remove")))
            add_cmd(c, ri, cmd, "DL3027", "do not use apt, it is meant for interactive use; use "
                    "apt-get or apt-cache");
        if (!strcmp(n, "apt-get") || !strcmp(n, "apt")) {
            size_t sub = subcommand(cmd, k + 1, apt_valopts);
            if (sub < cmd->argc && !strcmp(cmd->argv[sub], "install")) {
                apt_install = true;
                apt_cmd = cmd;
                const char *pk[64], *unp[64];
                size_t np, nu = 0;
                packages(cmd, sub, apt_valopts, pk, &np, 64);
                for (size_t p = 0; p < np; p++) {
                    if (!strchr(pk[p], '=') && !pkg_var_or_path(pk[p]))
                        unp[nu++] = pk[p];
                    if (is_build_pkg(pk[p]) && !removes && !ss->build_tool_line) {
                        ss->build_tool_line = ri->top->start_line;
                        snprintf(ss->build_tool, sizeof(ss->build_tool), "%s", pk[p]);
                        ss->build_tool_node = ri->ni;
                    }
                }
                if (nu) {
                    char list[256];
                    join_list(list, sizeof(list), unp, nu);
                    add_cmd(c, ri, cmd, "DL3008", "pin versions in apt-get install (pkg=version): "
                            "%s", list);
                }
                if (!strcmp(n, "apt-get") && !arg_has(cmd, k, "-y") && !arg_has(cmd, k, "--yes") &&
                    !arg_has(cmd, k, "--assume-yes") && !arg_has(cmd, k, "-qq") &&
                    !arg_has(cmd, k, "-q=2") && !short_opt(cmd, k + 1, 'y'))
                    add_cmd(c, ri, cmd, "DL3014", "use the -y switch to avoid manual input: "
                            "apt-get install -y");
                if (!arg_has(cmd, k, "--no-install-recommends") &&
                    !arg_prefix(cmd, k, "APT::Install-Recommends=") &&
                    !arg_prefix(cmd, k, "APT::Install-Recommends=false"))
                    add_cmd(c, ri, cmd, "DL3015", "avoid additional packages by specifying "
                            "--no-install-recommends");
            }
        }
        if ((!strcmp(n, "apt-get") || !strcmp(n, "apt")) && arg_has(cmd, k, "dist-clean"))
            apt_lists_rm = true; /* APT >= 2.9 removes the lists itself */
        if (!strcmp(n, "rm"))
            for (size_t a = k + 1; a < cmd->argc; a++)
                if (starts(cmd->argv[a], "/var/lib/apt/lists"))
                    apt_lists_rm = true;
        /* apk */
        if (!strcmp(n, "apk") && !strcmp(sub1, "add")) {
            const char *pk[64], *unp[64];
            size_t np, nu = 0;
            packages(cmd, k + 1, apk_valopts, pk, &np, 64);
            for (size_t p = 0; p < np; p++) {
                if (!strchr(pk[p], '=') && !strchr(pk[p], '~') && !strchr(pk[p], '<') &&
                    !strchr(pk[p], '>') && !pkg_var_or_path(pk[p]))
                    unp[nu++] = pk[p];
                if (is_build_pkg(pk[p]) && !removes && !arg_has(cmd, k, "--virtual") &&
                    !arg_has(cmd, k, "-t") && !ss->build_tool_line) {
                    ss->build_tool_line = ri->top->start_line;
                    snprintf(ss->build_tool, sizeof(ss->build_tool), "%s", pk[p]);
                    ss->build_tool_node = ri->ni;
                }
            }
            if (nu) {
                char list[256];
                join_list(list, sizeof(list), unp, nu);
                add_cmd(c, ri, cmd, "DL3018", "pin versions in apk add (pkg=version): %s", list);
            }
            if (!arg_has(cmd, k, "--no-cache") && !cache_mount(ri->top, "/var/cache/apk") &&
                !cache_mount(ri->top, "/etc/apk/cache"))
                add_cmd(c, ri, cmd, "DL3019", "use the --no-cache switch to avoid the need to "
                        "use --update and remove /var/cache/apk/*");
        }
        /* pip */
        size_t sub;
        if (pip_cmd(cmd, k, &sub)) {
            const char *pk[64], *unp[64];
            size_t np, nu = 0;
            packages(cmd, sub, pip_valopts, pk, &np, 64);
            for (size_t p = 0; p < np; p++) {
                const char *a = pk[p];
                if (strpbrk(a, "=<>~!@$/") || ends(a, ".whl") || ends(a, ".tar.gz") ||
                    ends(a, ".zip") || !strcmp(a, "."))
                    continue;
                unp[nu++] = a;
            }
            if (nu) {
                char list[256];
                join_list(list, sizeof(list), unp, nu);
                add_cmd(c, ri, cmd, "DL3013", "pin versions in pip install (pkg==version): %s",
                        list);
            }
            if (!arg_has(cmd, k, "--no-cache-dir") && !ss->pip_no_cache &&
                !cache_mount(ri->top, ".cache/pip") && !cache_mount(ri->top, "/root/.cache"))
                add_cmd(c, ri, cmd, "DL3042", "avoid the pip cache in the image: use pip "
                        "install --no-cache-dir");
        }
        /* npm */
        if (!strcmp(n, "npm") && (!strcmp(sub1, "install") || !strcmp(sub1, "i") ||
                                  !strcmp(sub1, "add"))) {
            const char *pk[64], *unp[64];
            size_t np, nu = 0;
            packages(cmd, k + 1, npm_valopts, pk, &np, 64);
            for (size_t p = 0; p < np; p++) {
                const char *a = pk[p];
                const char *at = strchr(a[0] == '@' ? a + 1 : a, '@');
                if (at || strchr(a, '$') || strchr(a, ':') || a[0] == '.' || a[0] == '/' ||
                    ends(a, ".tgz") || ends(a, ".tar.gz") || (a[0] != '@' && strchr(a, '/')))
                    continue;
                unp[nu++] = a;
            }
            if (nu) {
                char list[256];
                join_list(list, sizeof(list), unp, nu);
                add_cmd(c, ri, cmd, "DL3016", "pin versions in npm install (pkg@version): %s",
                        list);
            }
            if (np == 0)
                add_cmd(c, ri, cmd, "HU007", "`npm %s` resolves dependencies again and keeps dev "
                        "dependencies; use `npm ci --omit=dev` with a lockfile", sub1);
        }
        /* gem */
        if (!strcmp(n, "gem") && !strcmp(sub1, "install") && !arg_has(cmd, k, "-v") &&
            !arg_has(cmd, k, "--version") && !arg_prefix(cmd, k, "--version=")) {
            const char *pk[64], *unp[64];
            size_t np, nu = 0;
            packages(cmd, k + 1, gem_valopts, pk, &np, 64);
            for (size_t p = 0; p < np; p++)
                if (!strchr(pk[p], ':') && !strchr(pk[p], '$') && !ends(pk[p], ".gem"))
                    unp[nu++] = pk[p];
            if (nu) {
                char list[256];
                join_list(list, sizeof(list), unp, nu);
                add_cmd(c, ri, cmd, "DL3028", "pin versions in gem install (gem:version or -v): "
                        "%s", list);
            }
        }
        /* go install */
        if (!strcmp(n, "go") && !strcmp(sub1, "install")) {
            for (size_t a = k + 2; a < cmd->argc; a++) {
                const char *p = cmd->argv[a];
                if (p[0] == '-' || p[0] == '.' || p[0] == '/' || strchr(p, '@') || strchr(p, '$'))
                    continue;
                add_cmd(c, ri, cmd, "DL3062", "pin versions in go install (module@version): %s",
                        p);
                break;
            }
        }
        /* yarn */
        if (!strcmp(n, "yarn")) {
            if (!strcmp(sub1, "install") || k + 1 == cmd->argc) {
                yarn_install = true;
                yarn_cmd = cmd;
            }
            if (!strcmp(sub1, "cache") && arg_has(cmd, k, "clean"))
                yarn_clean = true;
        }
        /* yum / dnf / zypper */
        if (!strcmp(n, "yum")) {
            size_t s = subcommand(cmd, k + 1, yum_valopts);
            const char *sv = s < cmd->argc ? cmd->argv[s] : "";
            if (!strcmp(sv, "install") || !strcmp(sv, "groupinstall") || !strcmp(sv, "localinstall")) {
                yum_used = true;
                yum_cmd = cmd;
                if (!arg_has(cmd, k, "-y") && !arg_has(cmd, k, "--assumeyes") &&
                    !short_opt(cmd, k + 1, 'y'))
                    add_cmd(c, ri, cmd, "DL3030", "use the -y switch to avoid manual input: yum "
                            "install -y");
            }
            if (!strcmp(sv, "clean") && arg_has(cmd, s, "all"))
                yum_clean = true;
            rpm_unpinned(c, ri, cmd, s, false);
        }
        if (!strcmp(n, "dnf") || !strcmp(n, "microdnf")) {
            size_t s = subcommand(cmd, k + 1, yum_valopts);
            const char *sv = s < cmd->argc ? cmd->argv[s] : "";
            if (!strcmp(sv, "install") || !strcmp(sv, "groupinstall")) {
                dnf_used = true;
                dnf_cmd = cmd;
                if (!strcmp(n, "dnf") && !arg_has(cmd, k, "-y") && !arg_has(cmd, k, "--assumeyes")
                    && !short_opt(cmd, k + 1, 'y'))
                    add_cmd(c, ri, cmd, "DL3038", "use the -y switch to avoid manual input: dnf "
                            "install -y");
            }
            if (!strcmp(sv, "clean") && arg_has(cmd, s, "all"))
                dnf_clean = true;
            rpm_unpinned(c, ri, cmd, s, true);
        }
        if (!strcmp(n, "zypper")) {
            size_t s = subcommand(cmd, k + 1, NULL);
            const char *sv = s < cmd->argc ? cmd->argv[s] : "";
            if (!strcmp(sv, "install") || !strcmp(sv, "in") || !strcmp(sv, "remove") ||
                !strcmp(sv, "rm") || !strcmp(sv, "source-install") || !strcmp(sv, "si") ||
                !strcmp(sv, "patch")) {
                zyp_used = true;
                zyp_cmd = cmd;
                if (!arg_has(cmd, k, "-n") && !arg_has(cmd, k, "--non-interactive") &&
                    !arg_has(cmd, k, "-y") && !arg_has(cmd, k, "--no-confirm"))
                    add_cmd(c, ri, cmd, "DL3034", "non-interactive switch missing from zypper "
                            "command: zypper -n %s", sv);
            }
            if (!strcmp(sv, "clean") || !strcmp(sv, "cc"))
                zyp_clean = true;
            /* DL3035 (hadolint): any argument dist-upgrade or dup, as hadolint's cmdHasArgs */
            if (arg_has(cmd, k + 1, "dist-upgrade") || arg_has(cmd, k + 1, "dup"))
                add_cmd(c, ri, cmd, "DL3035", "do not use `zypper dist-upgrade`");
            if (!strcmp(sv, "install") || !strcmp(sv, "in")) {
                const char *pk[64], *unp[64];
                size_t np, nu = 0;
                packages(cmd, s, zypper_valopts, pk, &np, 64);
                for (size_t p = 0; p < np; p++)
                    if (!strpbrk(pk[p], "=<>") && !pkg_var_or_path(pk[p]))
                        unp[nu++] = pk[p];
                if (nu) {
                    char list[256];
                    join_list(list, sizeof(list), unp, nu);
                    add_cmd(c, ri, cmd, "DL3037", "specify version with `zypper install -y "
                            "<package>=<version>`: %s", list);
                }
            }
        }
        /* build steps */
        const char *bs = removes ? NULL : build_step(cmd);
        if (bs && !ss->build_step_line) {
            ss->build_step_line = ri->top->start_line;
            snprintf(ss->build_step, sizeof(ss->build_step), "%s", bs);
            ss->build_step_node = ri->ni;
        }
        /* HU006: curl ... | sh */
        if ((!strcmp(n, "curl") || !strcmp(n, "wget")) && cmd->pipe_out && i + 1 < sc->ncmds) {
            size_t k2;
            const char *n2 = cmd_name(&sc->cmds[i + 1], &k2);
            if (lint_is_shell(n2) || !strcmp(n2, "python") || !strcmp(n2, "python3") ||
                !strcmp(n2, "perl"))
                add_cmd(c, ri, cmd, "HU006", "remote script from %s piped into %s: download it, "
                        "verify its checksum, then run it", n, n2);
        }
        if (lint_is_shell(n)) {
            for (size_t a = k + 1; a < cmd->argc; a++) {
                const char *p = cmd->argv[a];
                if (strstr(p, "$(curl") || strstr(p, "$(wget") || strstr(p, "<(curl") ||
                    strstr(p, "<(wget") || strstr(p, "`curl") || strstr(p, "`wget")) {
                    add_cmd(c, ri, cmd, "HU006", "remote script run by %s straight from the "
                            "network: download it, verify its checksum, then run it", n);
                    break;
                }
            }
        }
    }
    if (apt_install && !apt_lists_rm && ss->final && !cache_mount(ri->top, "/var/lib/apt"))
        add_cmd(c, ri, apt_cmd, "DL3009", "delete the apt-get lists after installing something: "
                "rm -rf /var/lib/apt/lists/*");
    if (yarn_install && !yarn_clean && !cache_mount(ri->top, "yarn"))
        add_cmd(c, ri, yarn_cmd, "DL3060", "`yarn cache clean` missing after `yarn install`");
    if (yum_used && !yum_clean)
        add_cmd(c, ri, yum_cmd, "DL3032", "`yum clean all` missing after yum install");
    if (dnf_used && !dnf_clean)
        add_cmd(c, ri, dnf_cmd, "DL3040", "`dnf clean all` missing after dnf install");
    if (zyp_used && !zyp_clean)
        add_cmd(c, ri, zyp_cmd, "DL3036", "`zypper clean` missing after zypper use");
}

/* Is this SHELL (JSON args) one with pipefail, or a non-POSIX shell? */
static void shell_props(const struct hull_df_node *nd, bool *pipefail, bool *posix)
{
    *pipefail = false;
    *posix = true;
    for (size_t i = 0; i < nd->nargs; i++) {
        const char *a = nd->args[i];
        if (strstr(a, "pwsh") || strstr(a, "powershell") || !strcasecmp(base_name(a), "cmd") ||
            !strcasecmp(base_name(a), "cmd.exe"))
            *posix = false;
        if (!strcmp(a, "pipefail") && i > 0 && nd->args[i - 1][0] == '-' &&
            strchr(nd->args[i - 1], 'o'))
            *pipefail = true;
    }
}

void lint_shell_update(const struct hull_df_node *nd, struct stagestate *ss)
{
    shell_props(nd, &ss->shell_pipefail, &ss->shell_posix);
    ss->shell0 = nd->nargs ? nd->args[0] : NULL;
}

static char *quote_args(char **args, size_t n, bool *oom)
{
    struct sb b;
    sb_init(&b, oom);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&b, ' ');
        sb_addc(&b, '\'');
        for (const char *p = args[i]; *p; p++) {
            if (*p == '\'')
                sb_adds(&b, "'\\''");
            else
                sb_addc(&b, *p);
        }
        sb_addc(&b, '\'');
    }
    return sb_take(&b);
}

/* Is the command that receives RUN's heredocs a shell? (`RUN <<EOF`, `RUN bash <<EOF`, not
 * `RUN python3 <<EOF` or `RUN cat <<EOF > file`) */
static bool receiver_is_shell(const struct hull_df_node *nd, bool *oom)
{
    if (nd->nargs != 1)
        return false;
    struct shscript sc;
    if (shscript_parse(nd->args[0], strlen(nd->args[0]), &sc, oom) < 0)
        return false;
    bool shell = true;
    for (size_t i = 0; i < sc.ncmds; i++) {
        size_t k;
        const char *n = cmd_name(&sc.cmds[i], &k);
        if (!lint_is_shell(n) || arg_has(&sc.cmds[i], k, "-c"))
            shell = false;
    }
    shscript_free(&sc);
    return shell;
}

/* A heredoc body is a shell script when its shebang names a shell, or when it has none and
 * the receiving command is a shell reading stdin (fd 0). */
static bool heredoc_is_shell(const struct hull_df_heredoc *hd, bool receiver_shell)
{
    const char *body = hd->content;
    if (starts(body, "#!")) {
        size_t n = strcspn(body, "\n");
        char first[256];
        snprintf(first, sizeof(first), "%.*s", (int)(n < 255 ? n : 255), body);
        return strstr(first, "sh") && !strstr(first, "python") && !strstr(first, "perl");
    }
    return receiver_shell && hd->fd == 0;
}

void lint_run_node(struct lctx *c, size_t ni, const struct hull_df_node *nd,
                   struct stagestate *ss)
{
    const struct hull_df_node *top = &c->df->nodes[ni];
    struct runinfo ri = { .ni = ni, .nd = nd, .top = top, .base = SIZE_MAX };
    const struct shcmd *pipe_cmd = NULL;
    /* the RUN line itself */
    char *script = NULL;
    if (nd->json) {
        script = quote_args(nd->args, nd->nargs, &c->oom);
    } else if (nd->nargs) {
        script = strdup(nd->args[0]);
        if (!script)
            c->oom = true;
        if (nd == top) {
            size_t ol = strlen(top->original), al = strlen(nd->args[0]);
            size_t e = ol;
            while (e && uspace_at(top->original + e - 1, 1))
                e--;
            if (e >= al && !memcmp(top->original + e - al, nd->args[0], al))
                ri.base = e - al;
        }
    }
    if (script && shscript_parse(script, strlen(script), &ri.sc, &c->oom) == 0) {
        check_run_script(c, &ri, ss);
        /* DL4006: a pipe in shell form, no pipefail in the script or the SHELL */
        if (ri.sc.has_pipe && !nd->json)
            for (size_t i = 0; i < ri.sc.ncmds && !pipe_cmd; i++)
                if (ri.sc.cmds[i].pipe_out)
                    pipe_cmd = &ri.sc.cmds[i];
        lint_shellcheck(c, &ri.sc, script, nd, top, ni, NULL, ss);
        if (pipe_cmd && !ri.sc.sets_pipefail && !ss->shell_pipefail && ss->shell_posix) {
            int line, col;
            cmd_pos(c, &ri, pipe_cmd, &line, &col);
            lint_add(c, ni, "DL4006", line, col, "set the SHELL option -o pipefail before RUN "
                     "with a pipe in it (a failing command before | is ignored)");
        }
    }
    shscript_free(&ri.sc);
    free(script);
    /* heredoc bodies that are shell scripts */
    bool receiver_shell = nd->nheredocs && receiver_is_shell(nd, &c->oom);
    for (size_t h = 0; h < nd->nheredocs && !c->oom; h++) {
        const struct hull_df_heredoc *hd = &nd->heredocs[h];
        if (!heredoc_is_shell(hd, receiver_shell))
            continue;
        struct runinfo hr = { .ni = ni, .nd = nd, .top = top, .hd = hd };
        size_t blen = strlen(hd->content), nl = 1;
        for (size_t i = 0; i < blen; i++)
            nl += hd->content[i] == '\n';
        hr.hl = malloc(nl * sizeof(*hr.hl));
        if (!hr.hl) {
            c->oom = true;
            break;
        }
        hr.hl[hr.nhl++] = 0;
        for (size_t i = 0; i + 1 < blen; i++)
            if (hd->content[i] == '\n')
                hr.hl[hr.nhl++] = i + 1;
        if (shscript_parse(hd->content, blen, &hr.sc, &c->oom) < 0) {
            free(hr.hl);
            break;
        }
        check_run_script(c, &hr, ss);
        if (hr.sc.has_pipe && !hr.sc.sets_pipefail && !ss->shell_pipefail && ss->shell_posix) {
            for (size_t i = 0; i < hr.sc.ncmds; i++) {
                if (hr.sc.cmds[i].pipe_out) {
                    int line, col;
                    cmd_pos(c, &hr, &hr.sc.cmds[i], &line, &col);
                    lint_add(c, ni, "DL4006", line, col, "set -o pipefail in the heredoc script "
                             "or the SHELL before using a pipe");
                    break;
                }
            }
        }
        lint_shellcheck(c, &hr.sc, hd->content, nd, top, ni, hd, ss);
        shscript_free(&hr.sc);
        free(hr.hl);
    }
}
