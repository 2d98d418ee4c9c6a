/* hull_lint_run(): walks the stages of a parsed Dockerfile, runs the per-instruction rules
 * (rules.c holds the RUN analysis and the FROM checks), the final-stage rules of the lesson
 * (HU002 build tools, HU003 single stage, HU004 heavy base, HU008 root), then applies inline
 * pragmas (`# hull ignore=ID,...`, `# hadolint ignore=...` on the comment lines just above an
 * instruction; `global ignore=` anywhere), the config's ignore list and level overrides, and
 * sorts the findings by line, column and code. */
#include "core/common.h"
#include "lint/rules.h"
#include "lint/spdx_ids.h"
#include <ctype.h>

static const char *const known_kw[] = { "add", "arg", "cmd", "copy", "entrypoint", "env",
                                        "expose", "from", "healthcheck", "label", "maintainer",
                                        "onbuild", "run", "shell", "stopsignal", "user",
                                        "volume", "workdir", NULL };

static bool kw_known(const char *k)
{
    for (size_t i = 0; known_kw[i]; i++)
        if (!strcmp(k, known_kw[i]))
            return true;
    return false;
}

static bool is(const struct hull_df_node *nd, const char *kw)
{
    return nd->lower && !strcmp(nd->lower, kw);
}

static char *unquote(const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
        return strndup(s + 1, n - 2);
    return strdup(s);
}

/* ---- secrets (HU005) ---- */

static bool secret_name(const char *name)
{
    static const char *const deny[] = { "apikey", "auth", "credential", "credentials", "key",
                                        "password", "pword", "passwd", "secret", "token", NULL };
    static const char *const allow[] = { "public", "file", "version", NULL };
    bool denied = false;
    const char *p = name;
    while (*p) {
        size_t n = strcspn(p, "_");
        for (size_t i = 0; deny[i]; i++)
            if (strlen(deny[i]) == n && !strncasecmp(p, deny[i], n))
                denied = true;
        for (size_t i = 0; allow[i]; i++)
            if (strlen(allow[i]) == n && !strncasecmp(p, allow[i], n))
                return false;
        p += n;
        if (*p == '_')
            p++;
    }
    return denied;
}

static bool prefix_run(const char *s, const char *pre, size_t min, const char *set)
{
    const char *p = strstr(s, pre);
    if (!p)
        return false;
    p += strlen(pre);
    size_t n = 0;
    while (p[n] && strchr(set, p[n]))
        n++;
    return n >= min;
}

static const char *secret_value(const char *v)
{
    static const char up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static const char an[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    if (prefix_run(v, "AKIA", 16, up))
        return "an AWS access key";
    if (prefix_run(v, "ghp_", 30, an) || prefix_run(v, "gho_", 30, an) ||
        prefix_run(v, "github_pat_", 30, an))
        return "a GitHub token";
    if (prefix_run(v, "glpat-", 20, an))
        return "a GitLab token";
    if (prefix_run(v, "xoxb-", 10, an) || prefix_run(v, "xoxp-", 10, an))
        return "a Slack token";
    if (prefix_run(v, "sk_live_", 16, an))
        return "a Stripe key";
    if (prefix_run(v, "AIza", 35, an))
        return "a Google API key";
    if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
        return "a private key";
    return NULL;
}

static bool secret_file(const char *src)
{
    const char *b = strrchr(src, '/');
    b = b ? b + 1 : src;
    if (strstr(b, "example") || strstr(b, "sample") || strstr(b, "template"))
        return false;
    static const char *const names[] = { ".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
                                         ".npmrc", ".pypirc", ".netrc", ".git-credentials",
                                         "credentials.json", ".htpasswd", ".pgpass", NULL };
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(b, names[i]))
            return true;
    size_t n = strlen(b);
    static const char *const ext[] = { ".pem", ".key", ".p12", ".pfx", NULL };
    bool private = strstr(b, "private") || strstr(b, "secret") || strstr(b, "-key.");
    for (size_t i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(b + n - e, ext[i]) && (i >= 2 || private))
            return true;
    }
    return !strncmp(b, ".env.", 5);
}

static void check_secret_var(struct lctx *c, size_t ni, const char *kw, const char *name,
                             const char *value)
{
    if (secret_name(name)) {
        lint_add_at(c, ni, "HU005", "%s %s looks like a secret: build args and env stay in the "
                    "image metadata; use RUN --mount=type=secret", kw, name);
        return;
    }
    const char *what = value ? secret_value(value) : NULL;
    if (what)
        lint_add_at(c, ni, "HU005", "%s %s holds what looks like %s; it stays in the image; use "
                    "RUN --mount=type=secret", kw, name, what);
}

/* ---- COPY / ADD ---- */

static bool is_url(const char *s)
{
    return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "git@", 4) ||
           !strncmp(s, "git://", 6);
}

static bool is_archive(const char *s)
{
    static const char *const ext[] = { ".tar", ".gz", ".bz2", ".xz", ".zip", ".tgz", ".tb2",
                                       ".tbz", ".tbz2", ".lz", ".lzma", ".tlz", ".txz", ".Z",
                                       ".tZ", ".zst", ".tzst", NULL };
    size_t n = strlen(s);
    for (size_t i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(s + n - e, ext[i]))
            return true;
    }
    return false;
}

/* hadolint's archive extensions (the files DL3010 follows from COPY to an extracting RUN) */
static bool dl3010_archive(const char *s)
{
    static const char *const ext[] = { ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ",
                                       ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz",
                                       ".xz", NULL };
    size_t n = strlen(s);
    for (size_t i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n >= e && !strcmp(s + n - e, ext[i]))
            return true;
    }
    return false;
}

/* DL3010: remember an archive COPYed into the stage, by basename (quotes dropped); false when
 * path is no archive. */
static bool remember_archive(struct stagestate *ss, size_t ni, const char *path)
{
    size_t n = strlen(path);
    while (n && (path[n - 1] == '"' || path[n - 1] == '\''))
        n--;
    size_t b = n;
    while (b && path[b - 1] != '/' && path[b - 1] != '\\' && path[b - 1] != '"' &&
           path[b - 1] != '\'')
        b--;
    char buf[sizeof(ss->arch[0].name)];
    if (n == b || n - b >= sizeof(buf))
        return false;
    memcpy(buf, path + b, n - b);
    buf[n - b] = 0;
    if (!dl3010_archive(buf))
        return false;
    for (size_t i = 0; i < ss->narch; i++)
        if (!strcmp(ss->arch[i].name, buf) && ss->arch[i].node == ni)
            return true;
    if (ss->narch < HULL_ARRAY_LEN(ss->arch)) {
        memcpy(ss->arch[ss->narch].name, buf, n - b + 1);
        ss->arch[ss->narch].node = ni;
        ss->arch[ss->narch].done = false;
        ss->narch++;
    }
    return true;
}

static bool abs_path(const char *p)
{
    if (p[0] == '"' || p[0] == '\'')
        p++;
    return p[0] == '/' || p[0] == '$' || p[0] == '\\' ||
           (((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) && p[1] == ':');
}

static void check_copy_from(struct lctx *c, size_t ni, const struct hull_df_node *nd,
                            size_t si)
{
    const char *from = lint_flag_value(nd, "from");
    if (!from)
        return;
    if (strchr(from, '$')) {
        lint_add_at(c, ni, "HU000", "COPY --from=%s: variable expansion is not supported for "
                    "--from", from);
        return;
    }
    bool digits = *from != 0;
    for (const char *p = from; *p; p++)
        digits = digits && *p >= '0' && *p <= '9';
    if (digits) {
        long idx = strtol(from, NULL, 10);
        if ((size_t)idx == si)
            lint_add_at(c, ni, "DL3023", "COPY --from=%s refers to the current stage", from);
        else if ((size_t)idx > si)
            lint_add_at(c, ni, "DL3022", "COPY --from=%s refers to a stage that is not defined "
                        "before this one", from);
        return;
    }
    int s = lint_stage_by_name(c, from, c->nstages);
    if (s >= 0 && (size_t)s == si) {
        lint_add_at(c, ni, "DL3023", "COPY --from=%s refers to the current stage", from);
    } else if (s >= 0 && (size_t)s > si) {
        lint_add_at(c, ni, "DL3022", "COPY --from=%s refers to a stage defined later in the "
                    "file", from);
    } else if (s < 0) {
        lint_check_image_ref(c, ni, nd->start_line, nd->column, from, "COPY --from image");
    }
}

/* RUN --mount=...,from=<image> */
static void check_mount_from(struct lctx *c, size_t ni, const struct hull_df_node *nd)
{
    for (size_t i = 0; i < nd->nflags; i++) {
        const char *f = nd->flags[i];
        if (strncmp(f, "--mount=", 8))
            continue;
        const char *p = strstr(f, "from=");
        if (!p || (p != f + 8 && p[-1] != ','))
            continue;
        p += 5;
        char v[256];
        size_t n = strcspn(p, ",");
        snprintf(v, sizeof(v), "%.*s", (int)(n < 255 ? n : 255), p);
        bool digits = *v != 0;
        for (const char *q = v; *q; q++)
            digits = digits && *q >= '0' && *q <= '9';
        if (!*v || digits || strchr(v, '$') || lint_stage_by_name(c, v, c->nstages) >= 0)
            continue;
        lint_check_image_ref(c, ni, nd->start_line, nd->column, v, "RUN --mount image");
    }
}

/* "/" after dropping one pair of surrounding quotes (hadolint's dropQuotes) */
static bool unquoted_is_root(const char *p)
{
    size_t n = strlen(p);
    if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0])
        return n == 3 && p[1] == '/';
    return n == 1 && p[0] == '/';
}

static void check_copy_add(struct lctx *c, size_t ni, const struct hull_df_node *nd,
                           struct stage *st, size_t si, bool add, struct stagestate *ss)
{
    size_t n = nd->nargs;
    if (n < 2 && !nd->nheredocs) {
        lint_add_at(c, ni, "HU000", "%s requires at least two arguments", nd->keyword);
        return;
    }
    if (n == 0)
        return;
    const char *dest = nd->args[n - 1];
    bool add_ok = true;
    for (size_t i = 0; i + 1 < n; i++) {
        const char *src = nd->args[i];
        if (!strncmp(src, "<<", 2) || strstr(src, "<<"))
            continue;
        if (secret_file(src))
            lint_add_at(c, ni, "HU005", "%s %s copies what looks like a secret file into the "
                        "image; use RUN --mount=type=secret", nd->keyword, src);
        if (add && !is_url(src) && !is_archive(src) && !strchr(src, '$'))
            add_ok = false;
    }
    if (add && !add_ok)
        lint_add_at(c, ni, "DL3020", "use COPY instead of ADD for files and folders (ADD is for "
                    "URLs and archives)");
    if (!add && n > 2 && !nd->nheredocs && dest[strlen(dest) - 1] != '/' && !strchr(dest, '$'))
        lint_add_at(c, ni, "DL3021", "COPY with more than 2 arguments requires the last argument "
                    "to end with /");
    if (!abs_path(dest) && !st->workdir)
        lint_add_at(c, ni, "DL3045", "%s to a relative destination (%s) without WORKDIR set",
                    nd->keyword, dest);
    if (!add)
        check_copy_from(c, ni, nd, si);
    /* DL3067 (hadolint): COPY --from=<any> / / */
    if (!add && lint_flag_value(nd, "from") && unquoted_is_root(dest)) {
        for (size_t i = 0; i + 1 < n; i++)
            if (unquoted_is_root(nd->args[i])) {
                lint_add_at(c, ni, "DL3067", "do not copy an entire filesystem from another "
                            "stage (COPY --from=%s / /)", lint_flag_value(nd, "from"));
                break;
            }
    }
    /* DL3010 (hadolint): a COPY (not --from) whose destination, else whose sources, are
     * archives */
    if (!add && !lint_flag_value(nd, "from") && !nd->nheredocs) {
        if (!remember_archive(ss, ni, dest))
            for (size_t i = 0; i + 1 < n; i++)
                remember_archive(ss, ni, nd->args[i]);
    }
}

/* ---- other instructions ---- */

static void check_expose(struct lctx *c, size_t ni, const struct hull_df_node *nd)
{
    for (size_t i = 0; i < nd->nargs; i++) {
        const char *a = nd->args[i];
        if (strchr(a, '$'))
            continue;
        char buf[64];
        snprintf(buf, sizeof(buf), "%s", a);
        buf[strcspn(buf, "/")] = 0;
        char *colon = strrchr(buf, ':'); /* ip:host:container, host:container */
        char *p = colon ? colon + 1 : buf;
        for (char *part = p; part && *part;) {
            char *dash = strchr(part, '-');
            if (dash)
                *dash = 0;
            bool num = *part != 0;
            for (const char *q = part; *q; q++)
                num = num && *q >= '0' && *q <= '9';
            if (num && (strlen(part) > 5 || strtol(part, NULL, 10) > 65535)) {
                lint_add_at(c, ni, "DL3011", "valid UNIX ports range from 0 to 65535: %s", a);
                return;
            }
            part = dash ? dash + 1 : NULL;
        }
    }
}

static bool label_key_ok(const char *k)
{
    if (!strncmp(k, "com.docker.", 11) || !strncmp(k, "io.docker.", 10) ||
        !strncmp(k, "org.dockerproject.", 18))
        return false;
    size_t n = strlen(k);
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = k[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!alnum && ch != '.' && ch != '-')
            return false;
        if ((i == 0 || i == n - 1) && !alnum)
            return false;
        if (!alnum && i + 1 < n && (k[i + 1] == '.' || k[i + 1] == '-'))
            return false;
    }
    return true;
}

static bool refers(const char *value, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(value, '$'); p; p = strchr(p + 1, '$')) {
        const char *q = p + 1;
        if (*q == '{')
            q++;
        if (!strncmp(q, name, n)) {
            char e = q[n];
            if (!(e == '_' || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                  (e >= '0' && e <= '9')))
                return true;
        }
    }
    return false;
}

/* ---- DL3064: hadolint's list of sensitive names (compared upper-cased) and substrings
 * (compared lower-cased) ---- */
static const char *const dl3064_names[] = {
    "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD",
    "CF_USERNAME", "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME", "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN",
    "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN",
    "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD", "SLACK_TOKEN",
    "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN",
};
static const char *const dl3064_subs[] = {
    "api_key", "client_key", "password", "private", "secret", "token", "username",
};

static bool dl3064_name(const char *name)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(dl3064_names); i++)
        if (!strcasecmp(name, dl3064_names[i]))
            return true;
    for (size_t i = 0; i < HULL_ARRAY_LEN(dl3064_subs); i++)
        if (strcasestr(name, dl3064_subs[i]))
            return true;
    return false;
}

/* One DL3064 per ARG or ENV instruction (hadolint checks the instruction as a whole); names
 * the first sensitive variable. ENV args are (key, value, separator) triples. */
static void check_sensitive(struct lctx *c, size_t ni, const struct hull_df_node *nd, bool env)
{
    for (size_t i = 0; i < nd->nargs; i += env ? 3 : 1) {
        if (env && i + 1 >= nd->nargs)
            break;
        const char *a = nd->args[i];
        size_t n = env ? strlen(a) : strcspn(a, "=");
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(n < 255 ? n : 255), a);
        if (dl3064_name(name)) {
            lint_add_at(c, ni, "DL3064", "potentially sensitive data should not be used in the "
                        "ARG or ENV commands: %s %s", env ? "ENV" : "ARG", name);
            return;
        }
    }
}

static void check_env(struct lctx *c, size_t ni, const struct hull_df_node *nd,
                      struct stagestate *ss)
{
    check_sensitive(c, ni, nd, true);
    if (!nd->nargs)
        lint_add_at(c, ni, "HU000", "ENV requires at least one argument");
    for (size_t i = 0; i + 1 < nd->nargs; i += 3) { /* (key, value, separator) triples */
        const char *k = nd->args[i], *v = nd->args[i + 1];
        check_secret_var(c, ni, "ENV", k, v);
        if (!strcmp(k, "PIP_NO_CACHE_DIR"))
            ss->pip_no_cache = true;
        /* bounded: only the 64 pairs before this one (one ENV can hold thousands) */
        for (size_t j = i > 3 * 64 ? i - 3 * 64 : 0; j < i; j += 3) {
            const char *prev;
            if (refers(v, nd->args[j]) && !vars_get(&c->names, nd->args[j], &prev)) {
                lint_add_at(c, ni, "DL3044", "ENV %s refers to %s which is defined in the same "
                            "ENV statement (it expands to the old value)", k, nd->args[j]);
                break;
            }
        }
    }
    for (size_t i = 0; i + 1 < nd->nargs; i += 3)
        vars_set(&c->names, nd->args[i], "1", &c->oom);
}

static void check_arg(struct lctx *c, size_t ni, const struct hull_df_node *nd)
{
    if (!nd->nargs)
        lint_add_at(c, ni, "HU000", "ARG requires at least one argument");
    check_sensitive(c, ni, nd, false);
    for (size_t i = 0; i < nd->nargs; i++) {
        char *name = strdup(nd->args[i]);
        if (!name) {
            c->oom = true;
            return;
        }
        char *eq = strchr(name, '=');
        if (eq)
            *eq = 0;
        check_secret_var(c, ni, "ARG", name, eq ? eq + 1 : NULL);
        vars_set(&c->names, name, "1", &c->oom);
        free(name);
    }
}

static void check_label(struct lctx *c, size_t ni, const struct hull_df_node *nd)
{
    if (!nd->nargs)
        lint_add_at(c, ni, "HU000", "LABEL requires at least one argument");
    for (size_t i = 0; i < nd->nargs; i += 3) {
        char *k = unquote(nd->args[i]);
        if (!k) {
            c->oom = true;
            return;
        }
        if (!strchr(k, '$') && !label_key_ok(k))
            lint_add_at(c, ni, "DL3048", "invalid label key \"%s\": use lower-case alphanumerics, "
                        "'.' and '-', and no reserved namespace", k);
        free(k);
    }
}

/* ---- label schema (DL3049-DL3056, DL3058; hadolint's `label-schema`) ---- */

static bool is_hex_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bool ch_in(char ch, const char *set) { return ch && strchr(set, ch); }

static bool ch_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Network.URI.parseURI: an absolute URI, scheme ":" then only URI characters (percent signs
 * followed by two hex digits). */
static bool label_url_ok(const char *v)
{
    if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z')))
        return false;
    const char *p = v + 1;
    while (ch_alnum(*p) || ch_in(*p, "+-."))
        p++;
    if (*p != ':')
        return false;
    for (p++; *p; p++) {
        if (*p == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return false;
            p += 2;
        } else if (!ch_alnum(*p) && !ch_in(*p, "-._~:/?#[]@!$&'()*+,;=")) {
            return false;
        }
    }
    return true;
}

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* RFC 3339 date-time: YYYY-MM-DD(T|t| )hh:mm:ss[.frac](Z|z|+hh:mm|-hh:mm). */
static bool label_rfc3339_ok(const char *v)
{
    size_t n = strlen(v);
    if (n < 20 || !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) || v[7] != '-' ||
        !digits(v + 8, 2) || !ch_in(v[10], "Tt ") || !digits(v + 11, 2) || v[13] != ':' ||
        !digits(v + 14, 2) || v[16] != ':' || !digits(v + 17, 2))
        return false;
    int mo = (v[5] - '0') * 10 + v[6] - '0', d = (v[8] - '0') * 10 + v[9] - '0';
    int h = (v[11] - '0') * 10 + v[12] - '0', mi = (v[14] - '0') * 10 + v[15] - '0';
    int se = (v[17] - '0') * 10 + v[18] - '0';
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    const char *p = v + 19;
    if (*p == '.') {
        const char *q = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == q)
            return false;
    }
    if ((*p == 'Z' || *p == 'z') && !p[1])
        return true;
    return (*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2) && p[3] == ':' &&
           digits(p + 4, 2) && (p[1] - '0') * 10 + p[2] - '0' <= 23 &&
           (p[4] - '0') * 10 + p[5] - '0' <= 59;
}

/* Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH[-pre][+build], no leading zeros. */
static bool semver_ids(const char **pp, bool pre)
{
    const char *p = *pp;
    for (;;) {
        const char *q = p;
        bool num = true;
        while (ch_alnum(*p) || *p == '-') {
            num = num && *p >= '0' && *p <= '9';
            p++;
        }
        if (p == q || (pre && num && *q == '0' && p - q > 1))
            return false;
        if (*p != '.')
            break;
        p++;
    }
    *pp = p;
    return true;
}

static bool label_semver_ok(const char *v)
{
    const char *p = v;
    for (int i = 0; i < 3; i++) {
        const char *q = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == q || (*q == '0' && p - q > 1))
            return false;
        if (i < 2 && *p++ != '.')
            return false;
    }
    if (*p == '-') {
        p++;
        if (!semver_ids(&p, true))
            return false;
    }
    if (*p == '+') {
        p++;
        if (!semver_ids(&p, false))
            return false;
    }
    return !*p;
}

static int spdx_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool label_spdx_ok(const char *v)
{
    return bsearch(&v, spdx_ids, HULL_ARRAY_LEN(spdx_ids), sizeof(spdx_ids[0]), spdx_cmp);
}

/* RFC 5322 addr-spec: dot-atom or quoted-string "@" dot-atom or [domain literal]. */
static bool atext(char ch)
{
    return ch_alnum(ch) || ch_in(ch, "!#$%&'*+-/=?^_`{|}~") || (unsigned char)ch >= 0x80;
}

static bool dot_atom(const char *p, const char *e)
{
    if (p == e || *p == '.' || e[-1] == '.')
        return false;
    for (const char *q = p; q < e; q++)
        if (!(atext(*q) || (*q == '.' && q[1] != '.')))
            return false;
    return true;
}

static bool label_email_ok(const char *v)
{
    const char *at = strrchr(v, '@');
    if (!at || at == v || !at[1])
        return false;
    const char *dom = at + 1, *end = dom + strlen(dom);
    size_t dl = (size_t)(end - dom);
    bool dom_ok = *dom == '[' ? dl >= 3 && end[-1] == ']' && !memchr(dom + 1, '[', dl - 2) &&
                                    !memchr(dom + 1, ']', dl - 2)
                              : dot_atom(dom, end);
    if (!dom_ok)
        return false;
    if (*v == '"') { /* quoted local part */
        const char *p = v + 1;
        for (; p < at - 1; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                return false;
        }
        return at - v >= 2 && at[-1] == '"' && p == at - 1;
    }
    return dot_atom(v, at);
}

static int schema_index(const struct hull_lint_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nlabels; i++)
        if (!strcmp(cfg->label_name[i], name))
            return (int)i;
    return -1;
}

/* A LABEL key or value as Docker sees it: quotes removed (values with variables are left to
 * the build and not judged; *var is set). NULL on OOM. */
static char *label_text(struct lctx *c, const char *s, bool *var)
{
    *var = strchr(s, '$') != NULL;
    if (*var)
        return strdup(s);
    struct hull_vars none = { 0 };
    bool un = false, bad = false;
    char *t = hull_expand(s, strlen(s), c->df->escape, &none, &un, &bad, &c->oom);
    return t ? t : (c->oom ? NULL : strdup(s));
}

/* Value checks of one LABEL instruction (DL3050-DL3056, DL3058). */
static void check_label_schema(struct lctx *c, size_t ni, const struct hull_df_node *nd)
{
    const struct hull_lint_config *cfg = c->cfg;
    bool extra = false;
    for (size_t i = 0; i + 1 < nd->nargs && !c->oom; i += 3) {
        bool kvar, vvar;
        char *k = label_text(c, nd->args[i], &kvar);
        char *v = label_text(c, nd->args[i + 1], &vvar);
        if (!k || !v) {
            free(k);
            free(v);
            c->oom = true;
            return;
        }
        int li = schema_index(cfg, k);
        if (li < 0) {
            extra = true;
        } else if (!*v) {
            lint_add_at(c, ni, "DL3051", "label `%s` is empty.", k);
        }
        if (li >= 0 && !vvar) {
            switch (cfg->label_type[li]) {
            case HULL_LABEL_URL:
                if (!label_url_ok(v))
                    lint_add_at(c, ni, "DL3052", "Label `%s` is not a valid URL.", k);
                break;
            case HULL_LABEL_RFC3339:
                if (!label_rfc3339_ok(v))
                    lint_add_at(c, ni, "DL3053", "Label `%s` is not a valid time format - must "
                                "be conform to RFC3339.", k);
                break;
            case HULL_LABEL_SPDX:
                if (!label_spdx_ok(v))
                    lint_add_at(c, ni, "DL3054", "Label `%s` is not a valid SPDX identifier.", k);
                break;
            case HULL_LABEL_HASH:
                if ((strlen(v) != 40 && strlen(v) != 7) || !is_hex_lower(v, strlen(v)))
                    lint_add_at(c, ni, "DL3055", "Label `%s` is not a valid git hash.", k);
                break;
            case HULL_LABEL_SEMVER:
                if (!label_semver_ok(v))
                    lint_add_at(c, ni, "DL3056", "Label `%s` does not conform to semantic "
                                "versioning.", k);
                break;
            case HULL_LABEL_EMAIL:
                if (!label_email_ok(v))
                    lint_add_at(c, ni, "DL3058", "Label `%s` is not a valid email format - must "
                                "be conform to RFC5322.", k);
                break;
            case HULL_LABEL_TEXT:
                break;
            }
        }
        free(k);
        free(v);
    }
    if (extra && cfg->strict_labels)
        lint_add_at(c, ni, "DL3050", "Superfluous label(s) present.");
}

/* Does LABEL node nd set label `name`? */
static bool label_sets(struct lctx *c, const struct hull_df_node *nd, const char *name)
{
    for (size_t i = 0; i < nd->nargs && !c->oom; i += 3) {
        bool var;
        char *k = label_text(c, nd->args[i], &var);
        if (!k) {
            c->oom = true;
            return false;
        }
        bool hit = !strcmp(k, name);
        free(k);
        if (hit)
            return true;
    }
    return false;
}

/* DL3049: per schema label, each stage that neither sets it nor derives (FROM <stage>) from a
 * stage that has it is reported at its FROM, unless a later COPY --from names the stage (a
 * build stage whose files are copied out needs no labels). DL3057: the same walk for
 * HEALTHCHECK, without the COPY --from exemption. As hadolint does. */
static void check_stage_presence(struct lctx *c)
{
    size_t ns = c->nstages, nl = c->cfg->nlabels;
    bool *good = calloc(ns ? ns : 1, sizeof(*good));
    bool *hc = calloc(ns ? ns : 1, sizeof(*hc));
    bool *copied = calloc(ns ? ns : 1, sizeof(*copied));
    if (!good || !hc || !copied) {
        c->oom = true;
        goto out;
    }
    for (size_t i = 0; i < c->df->nnodes && nl; i++) { /* stages named by a later COPY --from */
        const struct hull_df_node *nd = &c->df->nodes[i];
        const char *from = is(nd, "copy") ? lint_flag_value(nd, "from") : NULL;
        int si = from ? lint_stage_by_name(c, from, ns) : -1;
        if (si >= 0 && c->stages[si].node < i && !strcmp(c->stages[si].name, from))
            copied[si] = true;
    }
    /* DL3057 is off by default: only walk when re-rated (one finding per stage would
     * otherwise count against LINT_MAX_FINDINGS for nothing) */
    bool dl3057 = false;
    for (size_t i = 0; i < c->cfg->noverride; i++)
        if (!strcasecmp(c->cfg->override_code[i], "DL3057"))
            dl3057 = c->cfg->override_level[i] != HULL_LINT_IGNORE;
    for (size_t i = 0; i < c->cfg->nignored; i++)
        if (!strcasecmp(c->cfg->ignored[i], "DL3057"))
            dl3057 = false;
    for (size_t si = 0; si < ns && dl3057; si++) {
        const struct stage *st = &c->stages[si];
        hc[si] = st->healthcheck || (st->parent >= 0 && hc[st->parent]);
        if (!hc[si])
            lint_add_at(c, st->node, "DL3057", "`HEALTHCHECK` instruction missing.");
    }
    for (size_t li = 0; li < nl && !c->oom; li++) {
        const char *name = c->cfg->label_name[li];
        for (size_t si = 0; si < ns && !c->oom; si++) {
            const struct stage *st = &c->stages[si];
            good[si] = st->parent >= 0 && good[st->parent];
            for (size_t i = st->node + 1; i < st->end && !good[si] && !c->oom; i++)
                if (is(&c->df->nodes[i], "label") && label_sets(c, &c->df->nodes[i], name))
                    good[si] = true;
            if (!good[si] && !copied[si])
                lint_add_at(c, st->node, "DL3049", "Label `%s` is missing.", name);
        }
    }
out:
    free(good);
    free(hc);
    free(copied);
}

static bool same_flags(const struct hull_df_node *a, const struct hull_df_node *b)
{
    if (a->nflags != b->nflags)
        return false;
    for (size_t i = 0; i < a->nflags; i++)
        if (strcmp(a->flags[i], b->flags[i]))
            return false;
    return true;
}

/* ---- stage walk ---- */

static const char *stage_label(const struct lctx *c, size_t si, char *buf, size_t sz)
{
    const struct stage *st = &c->stages[si];
    if (st->name)
        snprintf(buf, sz, "'%s'", st->name);
    else
        snprintf(buf, sz, "#%zu (FROM %s)", si, st->raw ? st->raw : "?");
    return buf;
}

static void walk_stage(struct lctx *c, size_t si, struct stagestate *ss)
{
    struct stage *st = &c->stages[si];
    const struct hull_df_node *prev_run = NULL;
    int ncmd = 0, nentry = 0, nhealth = 0;
    for (size_t i = st->node + 1; i < st->end && !c->oom; i++) {
        const struct hull_df_node *nd = &c->df->nodes[i];
        const char *k = nd->lower ? nd->lower : "";
        if (!is(nd, "run"))
            prev_run = NULL;
        if (!kw_known(k)) {
            lint_add_at(c, i, "HU000", "unknown instruction: %s", nd->keyword);
            continue;
        }
        if (is(nd, "run")) {
            if (prev_run && same_flags(prev_run, nd) && !prev_run->nheredocs && !nd->nheredocs)
                lint_add_at(c, i, "DL3059", "multiple consecutive RUN instructions; consider "
                            "consolidation");
            prev_run = nd;
            if (!nd->nargs && !nd->json && !nd->nheredocs)
                lint_add_at(c, i, "HU000", "RUN requires at least one argument");
            check_mount_from(c, i, nd);
            lint_run_node(c, i, nd, ss);
            if (ss->wget_line && ss->curl_line && !ss->dl4001_done) {
                ss->dl4001_done = true;
                lint_add_at(c, i, "DL4001", "either use wget or curl, but not both (wget at line "
                            "%d, curl at line %d)", ss->wget_line, ss->curl_line);
            }
        } else if (is(nd, "workdir")) {
            if (!nd->nargs) {
                lint_add_at(c, i, "HU000", "WORKDIR requires exactly one argument");
            } else if (!abs_path(nd->args[0])) {
                lint_add_at(c, i, "DL3000", "use absolute WORKDIR (%s is relative)", nd->args[0]);
            } else {
                st->workdir = true;
            }
        } else if (is(nd, "user")) {
            if (!nd->nargs) {
                lint_add_at(c, i, "HU000", "USER requires exactly one argument");
            } else {
                st->user = nd->args[0];
                st->user_line = nd->start_line;
                st->user_node = i;
            }
        } else if (is(nd, "cmd") || is(nd, "entrypoint")) {
            int *cnt = is(nd, "cmd") ? &ncmd : &nentry;
            if (++*cnt > 1)
                lint_add_at(c, i, is(nd, "cmd") ? "DL4003" : "DL4004", "multiple %s instructions "
                            "in one stage; only the last one takes effect", nd->keyword);
            if (!nd->json && nd->nargs)
                lint_add_at(c, i, "DL3025", "use arguments JSON notation for %s (exec form), so "
                            "signals reach the process", nd->keyword);
        } else if (is(nd, "healthcheck")) {
            st->healthcheck = true;
            if (++nhealth > 1)
                lint_add_at(c, i, "DL3012", "multiple HEALTHCHECK instructions in one stage");
        } else if (is(nd, "maintainer")) {
            lint_add_at(c, i, "DL4000", "MAINTAINER is deprecated; use LABEL "
                        "org.opencontainers.image.authors=...");
        } else if (is(nd, "expose")) {
            check_expose(c, i, nd);
        } else if (is(nd, "copy") || is(nd, "add")) {
            check_copy_add(c, i, nd, st, si, is(nd, "add"), ss);
        } else if (is(nd, "env")) {
            check_env(c, i, nd, ss);
        } else if (is(nd, "arg")) {
            check_arg(c, i, nd);
        } else if (is(nd, "label")) {
            check_label(c, i, nd);
            if (c->cfg->nlabels)
                check_label_schema(c, i, nd);
        } else if (is(nd, "shell")) {
            lint_shell_update(nd, ss);
        } else if (is(nd, "onbuild")) {
            const struct hull_df_node *sub = nd->sub;
            if (!sub) {
                lint_add_at(c, i, "HU000", "ONBUILD requires an instruction");
            } else if (is(sub, "onbuild") || is(sub, "from") || is(sub, "maintainer")) {
                lint_add_at(c, i, "DL3043", "ONBUILD %s is not allowed", sub->keyword);
            } else if (is(sub, "arg") || is(sub, "env")) {
                check_sensitive(c, i, sub, is(sub, "env"));
            } else if (is(sub, "run")) {
                struct stagestate sub_ss = *ss;
                sub_ss.final = false;
                lint_run_node(c, i, sub, &sub_ss);
            }
        } else if (is(nd, "from")) {
            continue;
        }
    }
}

static void final_checks(struct lctx *c, struct stagestate *final_ss)
{
    size_t fi = c->nstages - 1;
    struct stage *fs = &c->stages[fi];
    char lbl[300];
    stage_label(c, fi, lbl, sizeof(lbl));
    /* HU008: effective user of the final stage, following FROM <stage> */
    const struct stage *s = fs;
    const char *user = NULL;
    int user_line = 0;
    size_t user_node = fs->node;
    for (int guard = 0; s && guard < 256; guard++) {
        if (s->user) {
            user = s->user;
            user_line = s->user_line;
            user_node = s->user_node;
            break;
        }
        s = s->parent >= 0 ? &c->stages[s->parent] : NULL;
    }
    const struct stage *root = fs;
    for (int guard = 0; root->parent >= 0 && guard < 256; guard++)
        root = &c->stages[root->parent];
    if (user) {
        if (lint_user_is_root(user))
            lint_add_at(c, user_node, "HU008", "final stage %s runs as root (USER %s at line %d); "
                        "switch to a non-root USER such as 65532", lbl, user, user_line);
    } else if (!lint_image_nonroot(root->image) && !root->unresolved) {
        lint_add_at(c, fs->node, "HU008", "final stage %s runs as root: no USER instruction and "
                    "the base image defaults to root; add USER with a non-root uid", lbl);
    }
    /* HU004: heavy base for the final stage */
    if (root->image && !root->unresolved && !root->scratch) {
        struct imgref r;
        imgref_parse(root->image, &r);
        const char *tag = r.tag ? r.tag : "latest";
        bool light = strstr(tag, "slim") || strstr(tag, "alpine") || strstr(tag, "distroless") ||
                     strstr(tag, "chiseled") || strstr(tag, "minimal") || strstr(tag, "micro") ||
                     strstr(tag, "nanoserver") || strstr(tag, "servercore") ||
                     strstr(tag, "windowsservercore");
        const char *sugg = NULL;
        char buf[400];
        if (r.official && !light) {
            const char *n = r.name;
            if (!strcmp(n, "debian")) {
                snprintf(buf, sizeof(buf), "debian:%s-slim, or gcr.io/distroless/base-debian12",
                         r.tag ? r.tag : "bookworm");
                sugg = buf;
            } else if (!strcmp(n, "ubuntu")) {
                sugg = "an Ubuntu chiseled image, debian:bookworm-slim, alpine or "
                       "gcr.io/distroless/base-debian12";
            } else if (!strcmp(n, "centos") || !strcmp(n, "fedora") || !strcmp(n, "rockylinux") ||
                       !strcmp(n, "almalinux") || !strcmp(n, "oraclelinux") ||
                       !strcmp(n, "amazonlinux")) {
                sugg = "a -minimal / ubi-micro variant or gcr.io/distroless/base-debian12";
            } else if (!strcmp(n, "python")) {
                sugg = "python:<version>-slim, python:<version>-alpine or "
                       "gcr.io/distroless/python3-debian12";
            } else if (!strcmp(n, "node")) {
                sugg = "node:<version>-slim, node:<version>-alpine or gcr.io/distroless/nodejs22-debian12";
            } else if (!strcmp(n, "golang") || !strcmp(n, "rust") || !strcmp(n, "gcc") ||
                       !strcmp(n, "buildpack-deps")) {
                sugg = "a build stage plus gcr.io/distroless/static-debian12 (or scratch) for the "
                       "binary";
            } else if (!strcmp(n, "openjdk") || !strcmp(n, "maven") || !strcmp(n, "gradle") ||
                       !strcmp(n, "eclipse-temurin")) {
                if (!strstr(tag, "jre"))
                    sugg = "eclipse-temurin:<version>-jre-alpine or gcr.io/distroless/java21-debian12";
            } else if (!strcmp(n, "ruby") || !strcmp(n, "php") || !strcmp(n, "perl") ||
                       !strcmp(n, "elixir") || !strcmp(n, "erlang")) {
                snprintf(buf, sizeof(buf), "%s:<version>-slim or %s:<version>-alpine", n, n);
                sugg = buf;
            }
        }
        if (sugg)
            lint_add_at(c, root == fs ? fs->node : root->node, "HU004", "final stage %s is based "
                        "on %s, a full image; use %s", lbl, root->image, sugg);
    }
    /* HU002 / HU003: build tools and build steps */
    bool multi = c->nstages > 1;
    if (final_ss->build_tool_line)
        lint_add_at(c, final_ss->build_tool_node, multi ? "HU002" : "HU003",
                    multi ? "final stage %s installs build tool %s; install it in a build stage "
                            "and copy only the artifacts"
                          : "single-stage build installs build tool %s (stage %s); build in a "
                            "builder stage and copy the result into a slim runtime stage",
                    multi ? lbl : final_ss->build_tool, multi ? final_ss->build_tool : lbl);
    if (final_ss->build_step_line)
        lint_add_at(c, final_ss->build_step_node, multi ? "HU002" : "HU003",
                    multi ? "final stage %s runs a build step (%s); build in an earlier stage "
                            "and copy only the artifacts"
                          : "single-stage build runs a build step (%s) in stage %s; use a "
                            "multi-stage build so the toolchain stays out of the image",
                    multi ? lbl : final_ss->build_step, multi ? final_ss->build_step : lbl);
    if (multi && root->image && !root->unresolved) {
        struct imgref r;
        imgref_parse(root->image, &r);
        if ((r.official && (!strcmp(r.name, "golang") || !strcmp(r.name, "rust") ||
                            !strcmp(r.name, "maven") || !strcmp(r.name, "gradle") ||
                            !strcmp(r.name, "gcc"))) ||
            strstr(root->image, "dotnet/sdk"))
            lint_add_at(c, fs->node, "HU002", "final stage %s runs on the SDK image %s; copy the "
                        "build output into a runtime image instead", lbl, root->image);
    }
}

/* ---- pragmas ---- */

/* Does comment line `p` hold `<tool> [scope ]ignore=` with `code` in its list? scope is
 * NULL (the next instruction), "global" or "stage". */
static bool pragma_has(const char *p, size_t n, const char *code, const char *scope)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i >= n || p[i] != '#')
        return false;
    i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (n - i >= 8 && !strncmp(p + i, "hadolint", 8))
        i += 8;
    else if (n - i >= 4 && !strncmp(p + i, "hull", 4))
        i += 4;
    else
        return false;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (scope) {
        size_t sl = strlen(scope);
        if (n - i < sl || strncmp(p + i, scope, sl))
            return false;
        i += sl;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
    }
    if (n - i < 7 || strncmp(p + i, "ignore=", 7))
        return false;
    i += 7;
    size_t cl = strlen(code);
    while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '#') {
        size_t e = i;
        while (e < n && p[e] != ',' && p[e] != ' ' && p[e] != '\t' && p[e] != '#')
            e++;
        if (e - i == cl && !strncasecmp(p + i, code, cl))
            return true;
        i = e < n && p[e] == ',' ? e + 1 : e;
    }
    return false;
}

/* Lines holding a `global ignore=` pragma (found once per file). */
struct globals {
    int *lines;
    size_t n;
};

static void find_globals(const struct hull_dockerfile *df, struct globals *g, bool *oom)
{
    for (size_t l = 1; l <= df->nlines; l++) {
        size_t n;
        const char *p = hull_dockerfile_line(df, (int)l, &n);
        if (!p || !memchr(p, '#', n) || !memmem(p, n, "global", 6))
            continue;
        int *v = grow_for(g->lines, g->n, sizeof(*v));
        if (!v) {
            *oom = true;
            return;
        }
        g->lines = v;
        g->lines[g->n++] = (int)l;
    }
}

/* Pragmas in the comment lines directly above node `ni`. */
static bool above(const struct hull_dockerfile *df, size_t ni, const char *code,
                  const char *scope)
{
    for (int l = df->nodes[ni].start_line - 1; l >= 1; l--) {
        size_t n;
        const char *p = hull_dockerfile_line(df, l, &n);
        size_t i = 0;
        while (p && i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (!p || i >= n || p[i] != '#')
            break;
        if (pragma_has(p, n, code, scope))
            return true;
    }
    return false;
}

static bool ignored_by_pragma(const struct lctx *c, const struct globals *g, size_t node,
                              const char *code)
{
    const struct hull_dockerfile *df = c->df;
    for (size_t i = 0; i < g->n; i++) {
        size_t n;
        const char *p = hull_dockerfile_line(df, g->lines[i], &n);
        if (p && pragma_has(p, n, code, "global"))
            return true;
    }
    if (node == SIZE_MAX || node >= df->nnodes)
        return false;
    return above(df, node, code, NULL);
}

/* Index of the stage holding node, or SIZE_MAX (binary search: stages are in file order). */
static size_t stage_of(const struct lctx *c, size_t node)
{
    size_t lo = 0, hi = c->nstages;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->stages[mid].node <= node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && node < c->stages[lo - 1].end ? lo - 1 : SIZE_MAX;
}

/* Pragma answers are cached per (node, code): a node's comment block is read at most once
 * per distinct code, whatever the number of findings. */
struct pcache {
    size_t node;
    struct strmap codes; /* code -> 0/1 */
};

static bool pragma_cached(const struct lctx *c, const struct globals *g, struct pcache pc[2],
                          struct strmap *gcache, size_t node, const char *code, bool *oom)
{
    int gv = strmap_get(gcache, code);
    if (gv < 0) {
        gv = ignored_by_pragma(c, g, SIZE_MAX, code) ? 1 : 0;
        strmap_put(gcache, code, gv, false, oom);
    }
    if (gv)
        return true;
    if (node == SIZE_MAX)
        return false;
    if (pc[0].node != node) {
        strmap_free(&pc[0].codes);
        pc[0].node = node;
    }
    int v = strmap_get(&pc[0].codes, code);
    if (v < 0) {
        struct globals none = { 0 };
        v = ignored_by_pragma(c, &none, node, code) ? 1 : 0;
        strmap_put(&pc[0].codes, code, v, false, oom);
    }
    if (v == 1)
        return true;
    /* `# hull stage ignore=` right above the FROM of the finding's stage */
    size_t si = stage_of(c, node);
    if (si == SIZE_MAX)
        return false;
    if (pc[1].node != si) {
        strmap_free(&pc[1].codes);
        pc[1].node = si;
    }
    v = strmap_get(&pc[1].codes, code);
    if (v < 0) {
        v = above(c->df, c->stages[si].node, code, "stage") ? 1 : 0;
        strmap_put(&pc[1].codes, code, v, false, oom);
    }
    return v == 1;
}

static int tf_node_cmp(const void *a, const void *b)
{
    const struct tfinding *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return 0;
}

static int fcmp(const void *a, const void *b)
{
    const struct hull_lint_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    int r = strcmp(x->code, y->code);
    return r ? r : strcmp(x->message, y->message);
}

/* Does USER value u use ARG `name` ($name or ${name}, anywhere, as hadolint checks)? */
static bool user_uses_arg(const char *u, const char *name, size_t n)
{
    for (const char *p = strchr(u, '$'); p; p = strchr(p + 1, '$')) {
        const char *q = p + 1;
        if (*q == '{' && !strncmp(q + 1, name, n) && q[1 + n] == '}')
            return true;
        if (!strncmp(q, name, n))
            return true;
    }
    return false;
}

/* DL3066 (hadolint): the last USER of the last stage, when its uid part (before ':') is not
 * all digits and it does not use an ARG declared earlier in the file. */
static void check_user_numeric(struct lctx *c, const struct stage *st)
{
    if (!st->user)
        return;
    const char *u = st->user;
    size_t ul = strcspn(u, ":");
    bool digits = true;
    for (size_t i = 0; i < ul; i++)
        digits = digits && u[i] >= '0' && u[i] <= '9';
    if (digits)
        return;
    for (size_t ni = 0; ni < st->user_node && ni < c->df->nnodes; ni++) {
        const struct hull_df_node *nd = &c->df->nodes[ni];
        if (!is(nd, "arg"))
            continue;
        for (size_t a = 0; a < nd->nargs; a++) {
            size_t n = strcspn(nd->args[a], "=");
            if (n && user_uses_arg(u, nd->args[a], n))
                return;
        }
    }
    lint_add_at(c, st->user_node, "DL3066", "non-numeric user-id may not be resolvable by host "
                "system: USER %s; use a numeric uid", u);
}

static int level_of(const struct hull_lint_config *cfg, const struct tfinding *t)
{
    for (size_t i = 0; i < cfg->noverride; i++)
        if (!strcasecmp(cfg->override_code[i], t->code))
            return cfg->override_level[i];
    if (t->level >= 0)
        return t->level;
    const struct hull_lint_rule *r = NULL;
    size_t n;
    const struct hull_lint_rule *tab = hull_lint_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tab[i].code, t->code))
            r = &tab[i];
    return r ? (int)r->level : HULL_LINT_WARNING;
}

int hull_lint_run(const struct hull_dockerfile *df, const struct hull_lint_config *cfg,
                  struct hull_lint_result *res, struct hull_err **err)
{
    struct lctx c = { .df = df, .cfg = cfg };
    c.stage_idx.icase = true;
    c.shellcheck_ok = cfg->shellcheck && lint_shellcheck_available();
    lint_build_stages(&c);
    for (size_t i = 0; i < df->nnodes && !c.oom; i++) {
        const struct hull_df_node *nd = &df->nodes[i];
        if (is(nd, "from"))
            break;
        if (is(nd, "arg"))
            check_arg(&c, i, nd);
        else if (!kw_known(nd->lower ? nd->lower : ""))
            lint_add_at(&c, i, "HU000", "unknown instruction: %s", nd->keyword);
    }
    struct stagestate final_ss = { 0 };
    struct stagestate *states = calloc(c.nstages ? c.nstages : 1, sizeof(*states));
    if (!states)
        c.oom = true;
    for (size_t si = 0; si < c.nstages && !c.oom; si++) {
        struct stage *st = &c.stages[si];
        struct stagestate *ss = &states[si];
        ss->shell_posix = true;
        if (st->parent >= 0) { /* FROM <stage> inherits SHELL and WORKDIR */
            const struct stagestate *ps = &states[st->parent];
            ss->shell_pipefail = ps->shell_pipefail;
            ss->shell_posix = ps->shell_posix;
            ss->shell0 = ps->shell0;
            ss->pip_no_cache = ps->pip_no_cache;
            st->workdir = c.stages[st->parent].workdir;
        }
        ss->final = si + 1 == c.nstages;
        lint_check_from(&c, si);
        walk_stage(&c, si, ss);
        /* DL3002: the last USER of a stage is root */
        if (st->user && lint_user_is_root(st->user) && !ss->final)
            lint_add_at(&c, st->user_node, "DL3002", "last USER of stage should not be root "
                        "(USER %s)", st->user);
        else if (st->user && lint_user_is_root(st->user) && ss->final)
            lint_add_at(&c, st->user_node, "DL3002", "last USER should not be root (USER %s)",
                        st->user);
        if (ss->final) {
            final_ss = *ss;
            check_user_numeric(&c, st);
        }
    }
    if (c.nstages && !c.oom) {
        final_checks(&c, &final_ss);
        check_stage_presence(&c);
    }
    lint_shellcheck_flush(&c);
    free(states);

    /* pragmas, ignores, overrides, then sort into the result */
    int rc = 0;
    if (c.too_many && !c.oom) {
        rc = hull_err_set(err, HULL_E_LIMIT, "more than %d findings in one file; not linted",
                          LINT_MAX_FINDINGS);
    }
    struct globals gl = { 0 };
    if (!c.oom && !rc && !cfg->no_pragmas)
        find_globals(df, &gl, &c.oom);
    if (!c.oom && !rc) {
        struct hull_lint_finding *v = realloc(res->findings,
                                              (res->nfindings + c.nf + 1) * sizeof(*v));
        if (!v) {
            c.oom = true;
        } else {
            res->findings = v;
            size_t base = res->nfindings;
            struct pcache pc[2] = { { .node = SIZE_MAX }, { .node = SIZE_MAX } };
            struct strmap gcache = { 0 };
            if (c.nf)
                qsort(c.f, c.nf, sizeof(*c.f), tf_node_cmp);
            for (size_t i = 0; i < c.nf; i++) {
                struct tfinding *t = &c.f[i];
                bool drop = false;
                for (size_t k = 0; k < cfg->nignored && !drop; k++)
                    drop = !strcasecmp(cfg->ignored[k], t->code);
                int lvl = level_of(cfg, t);
                if (lvl == HULL_LINT_IGNORE)
                    drop = true;
                if (!drop && !cfg->no_pragmas &&
                    pragma_cached(&c, &gl, pc, &gcache, t->node, t->code, &c.oom))
                    drop = true;
                if (drop)
                    continue;
                struct hull_lint_finding *f = &res->findings[res->nfindings++];
                f->code = t->code;
                f->message = t->msg;
                f->line = t->line;
                f->column = t->col;
                f->level = (enum hull_lint_level)lvl;
                t->code = t->msg = NULL;
            }
            strmap_free(&pc[0].codes);
            strmap_free(&pc[1].codes);
            strmap_free(&gcache);
            qsort(res->findings + base, res->nfindings - base, sizeof(*res->findings), fcmp);
            /* drop exact duplicates (same command reached twice, e.g. through sh -c) */
            size_t w = base;
            for (size_t k = base; k < res->nfindings; k++) {
                struct hull_lint_finding *o = &res->findings[k];
                if (w > base && !fcmp(&res->findings[w - 1], o)) {
                    free(o->code);
                    free(o->message);
                    continue;
                }
                res->findings[w++] = *o;
            }
            res->nfindings = w;
        }
    }
    free(gl.lines);
    for (size_t i = 0; i < c.nf; i++) {
        free(c.f[i].code);
        free(c.f[i].msg);
    }
    free(c.f);
    for (size_t i = 0; i < c.nstages; i++)
        free(c.stages[i].image);
    free(c.stages);
    vars_free(&c.globals);
    vars_free(&c.names);
    strmap_free(&c.stage_idx);
    offmap_free(&c.om);
    if (c.oom)
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return rc < 0 ? rc : 0;
}

void hull_lint_result_release(struct hull_lint_result *res)
{
    for (size_t i = 0; i < res->nfindings; i++) {
        free(res->findings[i].code);
        free(res->findings[i].message);
    }
    free(res->findings);
    free(res->file);
    memset(res, 0, sizeof(*res));
}
