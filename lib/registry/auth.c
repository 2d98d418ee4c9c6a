/* Registry authentication (docs/registry.md; shared/docs/dockerfile.md section 4.1 and 4.5).
 * Challenge syntax is RFC 7235: `challenge = scheme [ token68 / #auth-param ]`, challenges
 * separated by commas, parameter values tokens or quoted strings. */
#include "core/common.h"
#include "registry/auth.h"
#include "core/buf.h"
#include "core/jsonx.h"
#include <ctype.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CONFIG_MAX (1u << 20)
#define HELPER_OUT_MAX (64u * 1024)
#define TOKEN_REPLY_MAX (1u << 20)
#define TOKEN_MAX (16u * 1024)

/* ---- WWW-Authenticate ---- */

static bool tchar(char c)
{
    return isalnum((unsigned char)c) || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static size_t skip_ows(const char *p, size_t len, size_t i)
{
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

void hull_challenge_release(struct hull_challenge *c)
{
    free(c->realm);
    free(c->service);
    free(c->scope);
    memset(c, 0, sizeof(*c));
}

/* Read a token or quoted-string value at p[i]; returns the new index or (size_t)-1. */
static size_t read_value(const char *p, size_t len, size_t i, struct hull_buf *v)
{
    if (i < len && p[i] == '"') {
        i++;
        while (i < len && p[i] != '"') {
            if (p[i] == '\\' && i + 1 < len)
                i++;
            if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
                return (size_t)-1;
            if (hull_buf_append(v, p + i, 1, NULL) < 0)
                return (size_t)-1;
            i++;
        }
        if (i >= len)
            return (size_t)-1;
        return i + 1;
    }
    size_t st = i; /* a token; unquoted URLs (not RFC 7235, but seen) are taken too */
    while (i < len && p[i] != ',' && p[i] != '"' && (unsigned char)p[i] > 0x20 &&
           (unsigned char)p[i] < 0x7f)
        i++;
    if (i == st)
        return (size_t)-1;
    if (hull_buf_append(v, p + st, i - st, NULL) < 0)
        return (size_t)-1;
    return i;
}

int hull_wwwauth_parse(const char *p, size_t len, struct hull_challenge *out, size_t max,
                       size_t *n, struct hull_err **err)
{
    *n = 0;
    size_t i = 0;
    struct hull_challenge *cur = NULL;
    for (;;) {
        while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
            i++;
        if (i >= len)
            break;
        size_t st = i;
        while (i < len && tchar(p[i]))
            i++;
        if (i == st)
            goto bad;
        size_t wlen = i - st;
        size_t j = skip_ows(p, len, i);
        bool is_param = cur && j < len && p[j] == '=' && !(j + 1 < len && p[j + 1] == '=');
        if (!is_param) { /* a new challenge: scheme [token68 | params] */
            if (*n >= max)
                break;
            cur = &out[(*n)++];
            memset(cur, 0, sizeof(*cur));
            snprintf(cur->scheme, sizeof(cur->scheme), "%.*s", (int)wlen, p + st);
            for (char *c = cur->scheme; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            i = skip_ows(p, len, i);
            /* token68: word followed by '='* and then a comma or the end */
            size_t k = i;
            while (k < len && (isalnum((unsigned char)p[k]) || strchr("-._~+/", p[k])))
                k++;
            size_t e = k;
            while (e < len && p[e] == '=')
                e++;
            size_t after = skip_ows(p, len, e);
            if (k > i && e > k && (after >= len || p[after] == ',')) {
                i = after; /* token68 ignored */
            } else if (k > i && e == k && (skip_ows(p, len, k) >= len || p[skip_ows(p, len, k)] ==
                                                                              ',')) {
                i = k;
            }
            continue;
        }
        /* auth-param */
        i = skip_ows(p, len, j + 1);
        struct hull_buf v = HULL_BUF_INIT(8192);
        size_t ni = read_value(p, len, i, &v);
        if (ni == (size_t)-1) {
            hull_buf_release(&v);
            goto bad;
        }
        i = ni;
        char **slot = NULL;
        if (wlen == 5 && !strncasecmp(p + st, "realm", 5))
            slot = &cur->realm;
        else if (wlen == 7 && !strncasecmp(p + st, "service", 7))
            slot = &cur->service;
        else if (wlen == 5 && !strncasecmp(p + st, "scope", 5))
            slot = &cur->scope;
        if (slot) {
            free(*slot);
            *slot = hull_buf_detach(&v, NULL);
        }
        hull_buf_release(&v);
        i = skip_ows(p, len, i);
        if (i < len && p[i] != ',')
            goto bad;
    }
    return 0;
bad:
    for (size_t k = 0; k < *n; k++)
        hull_challenge_release(&out[k]);
    *n = 0;
    return hull_err_set(err, HULL_E_PARSE, "malformed WWW-Authenticate header");
}

/* ---- credentials ---- */

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *v = s;
    while (*v)
        *v++ = 0;
    free(s);
}

void hull_creds_release(struct hull_creds *c)
{
    wipe_free(c->username);
    wipe_free(c->password);
    wipe_free(c->identity_token);
    wipe_free(c->registry_token);
    memset(c, 0, sizeof(*c));
}

bool hull_creds_present(const struct hull_creds *c)
{
    return (c->username && c->password) || c->identity_token || c->registry_token;
}

char *hull_auth_basic(const char *user, const char *pass)
{
    size_t ul = strlen(user), pl = strlen(pass);
    char *plain = malloc(ul + pl + 2);
    if (!plain)
        return NULL;
    memcpy(plain, user, ul);
    plain[ul] = ':';
    memcpy(plain + ul + 1, pass, pl + 1);
    size_t n = ul + pl + 1;
    char *out = malloc(6 + 4 * ((n + 2) / 3) + 1);
    if (out) {
        memcpy(out, "Basic ", 6);
        EVP_EncodeBlock((unsigned char *)out + 6, (unsigned char *)plain, (int)n);
    }
    wipe_free(plain);
    return out;
}

/* "https://index.docker.io/v1/" / "http://host:5000/x" / "host" -> "host" (docker.io for hub). */
static void norm_key(const char *key, char *out, size_t outlen)
{
    const char *p = key;
    if (!strncasecmp(p, "https://", 8))
        p += 8;
    else if (!strncasecmp(p, "http://", 7))
        p += 7;
    size_t n = strcspn(p, "/");
    snprintf(out, outlen, "%.*s", (int)n, p);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (!strcmp(out, "index.docker.io") || !strcmp(out, "registry-1.docker.io") ||
        !strcmp(out, "registry.hub.docker.com"))
        snprintf(out, outlen, "docker.io");
}

static int take_str(const char *s, char **dst, struct hull_err **err)
{
    if (!s || !*s)
        return 0;
    *dst = strdup(s);
    return *dst ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

static int from_auth_entry(const json_t *e, struct hull_creds *out, struct hull_err **err)
{
    const char *auth = hull_json_str(e, "auth");
    if (auth && *auth) {
        size_t al = strlen(auth);
        if (al > 8192)
            return hull_err_set(err, HULL_E_PARSE, "config.json: \"auth\" value too long");
        unsigned char *dec = malloc(al + 1);
        if (!dec)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        int dl = EVP_DecodeBlock(dec, (const unsigned char *)auth, (int)al);
        if (dl < 0) {
            free(dec);
            return hull_err_set(err, HULL_E_PARSE, "config.json: \"auth\" is not base64");
        }
        while (al && auth[al - 1] == '=') { /* EVP_DecodeBlock keeps padding bytes as zeros */
            al--;
            dl--;
        }
        dec[dl < 0 ? 0 : dl] = 0;
        char *colon = memchr(dec, ':', (size_t)(dl < 0 ? 0 : dl));
        if (!colon) {
            wipe_free((char *)dec);
            return hull_err_set(err, HULL_E_PARSE,
                                "config.json: \"auth\" does not decode to user:password");
        }
        *colon = 0;
        out->username = strdup((char *)dec);
        out->password = strdup(colon + 1);
        wipe_free((char *)dec);
        if (!out->username || !out->password)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    } else {
        if (take_str(hull_json_str(e, "username"), &out->username, err) < 0 ||
            take_str(hull_json_str(e, "password"), &out->password, err) < 0)
            return -1;
    }
    if (take_str(hull_json_str(e, "identitytoken"), &out->identity_token, err) < 0 ||
        take_str(hull_json_str(e, "registrytoken"), &out->registry_token, err) < 0)
        return -1;
    return 0;
}

static bool helper_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

/* Run `docker-credential-NAME get` with the server URL on stdin (30 s at most). Returns 0 with
 * fields set, 0 with nothing when the helper knows no credentials, <0 on failure. */
static int run_helper(struct hull_ctx *ctx, const char *name, const char *server,
                      struct hull_creds *out, struct hull_err **err)
{
    if (!helper_name_ok(name))
        return hull_err_set(err, HULL_E_PARSE, "config.json: invalid credential helper name");
    char prog[96];
    snprintf(prog, sizeof(prog), "docker-credential-%s", name);
    int in[2], outp[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        return hull_err_sys(err, HULL_E_IO, errno, "%s: pipe", prog);
    if (pipe2(outp, O_CLOEXEC) < 0) {
        close(in[0]);
        close(in[1]);
        return hull_err_sys(err, HULL_E_IO, errno, "%s: pipe", prog);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = { prog, (char *)"get", NULL };
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(outp[1]);
    if (rc != 0) {
        close(in[1]);
        close(outp[0]);
        return hull_err_sys(err, HULL_E_NOTFOUND, rc, "credential helper %s", prog);
    }
    /* a helper that exits without reading stdin must not kill us with SIGPIPE: block it for
     * this write and drop one that became pending, leaving the caller's disposition alone */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    ssize_t w = write(in[1], server, strlen(server));
    if (w < 0 && errno == EPIPE) {
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    close(in[1]);
    struct hull_buf b = HULL_BUF_INIT(HELPER_OUT_MAX);
    int result = 0;
    time_t deadline = time(NULL) + 30;
    for (;;) {
        struct pollfd pfd = { outp[0], POLLIN, 0 };
        int left = (int)(deadline - time(NULL));
        if (left <= 0) {
            kill(pid, SIGKILL);
            result = hull_err_set(err, HULL_E_IO, "credential helper %s timed out", prog);
            break;
        }
        int pr = poll(&pfd, 1, left * 1000);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        char tmp[4096];
        ssize_t r = read(outp[0], tmp, sizeof(tmp));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (hull_buf_append(&b, tmp, (size_t)r, NULL) < 0) {
            kill(pid, SIGKILL);
            result = hull_err_set(err, HULL_E_LIMIT, "credential helper %s: output too large",
                                  prog);
            break;
        }
    }
    close(outp[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (result < 0) {
        hull_buf_release(&b);
        return result;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        bool notfound = b.p && strstr(b.p, "credentials not found");
        hull_buf_release(&b);
        if (notfound)
            return 0;
        return hull_err_set(err, HULL_E_IO, "credential helper %s failed", prog);
    }
    json_t *j = hull_json_parse(b.p ? b.p : "", b.len, HELPER_OUT_MAX, prog, NULL);
    if (b.p)
        memset(b.p, 0, b.len);
    hull_buf_release(&b);
    if (!j)
        return hull_err_set(err, HULL_E_PARSE, "credential helper %s: output is not JSON", prog);
    const char *user = hull_json_str(j, "Username");
    const char *secret = hull_json_str(j, "Secret");
    int r = 0;
    if (secret && *secret) {
        if (user && !strcmp(user, "<token>")) {
            r = take_str(secret, &out->identity_token, err);
        } else {
            r = take_str(user, &out->username, err);
            if (r == 0)
                r = take_str(secret, &out->password, err);
        }
    }
    json_decref(j);
    if (r == 0) {
        snprintf(out->source_buf, sizeof(out->source_buf), "credential helper %.60s", name);
        out->source = out->source_buf;
        hull_log(ctx, HULL_LOG_DEBUG, "credentials for %s from %s", server, out->source);
    }
    return r;
}

static int lookup_file(struct hull_ctx *ctx, const char *path, const char *domain,
                       bool helpers, struct hull_creds *out, bool *found, struct hull_err **err)
{
    *found = false;
    char *raw = NULL;
    size_t len = 0;
    struct hull_err *e = NULL;
    if (hull_read_file(path, CONFIG_MAX, &raw, &len, &e) < 0) {
        if (e->code == HULL_E_NOTFOUND) {
            hull_err_free(e);
            return 0;
        }
        if (err && !*err)
            *err = e;
        else
            hull_err_free(e);
        return -1;
    }
    json_t *j = hull_json_parse(raw, len, CONFIG_MAX, path, err);
    free(raw);
    if (!j)
        return -1;
    const char *server = !strcmp(domain, "docker.io") ? "https://index.docker.io/v1/" : domain;
    char k[300];
    int rc = 0;
    if (helpers) {
        const char *helper = NULL;
        json_t *ch = json_object_get(j, "credHelpers");
        const char *key;
        json_t *val;
        if (json_is_object(ch))
            json_object_foreach(ch, key, val) {
                norm_key(key, k, sizeof(k));
                if (!strcmp(k, domain) && json_is_string(val))
                    helper = json_string_value(val);
            }
        if (!helper)
            helper = hull_json_str(j, "credsStore");
        if (helper && *helper) {
            struct hull_err *he = NULL;
            if (run_helper(ctx, helper, server, out, &he) < 0) {
                hull_log(ctx, HULL_LOG_WARN, "%s; continuing without credentials for %s",
                         he->msg, domain);
                hull_err_free(he);
                hull_creds_release(out);
            }
            *found = true; /* the helper is authoritative, as in docker */
            json_decref(j);
            return 0;
        }
    }
    json_t *auths = json_object_get(j, "auths");
    const char *key;
    json_t *val;
    if (json_is_object(auths))
        json_object_foreach(auths, key, val) {
            norm_key(key, k, sizeof(k));
            if (strcmp(k, domain) || !json_is_object(val))
                continue;
            rc = from_auth_entry(val, out, err);
            if (rc < 0) {
                hull_err_wrap(err, "%s", path);
                hull_creds_release(out);
                break;
            }
            if (hull_creds_present(out)) {
                *found = true;
                out->source = "config file";
                hull_log(ctx, HULL_LOG_DEBUG, "credentials for %s from %s", domain, path);
                break;
            }
        }
    json_decref(j);
    return rc;
}

int hull_creds_lookup(struct hull_ctx *ctx, const char *config_dir, const char *domain,
                      struct hull_creds *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    char *path = NULL;
    const char *dir = config_dir;
    if (!dir)
        dir = getenv("DOCKER_CONFIG");
    int r;
    if (dir && *dir) {
        r = asprintf(&path, "%s/config.json", dir);
    } else {
        const char *home = getenv("HOME");
        r = home && *home ? asprintf(&path, "%s/.docker/config.json", home) : -2;
    }
    if (r == -1)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    bool found = false;
    if (path) {
        int rc = lookup_file(ctx, path, domain, true, out, &found, err);
        free(path);
        if (rc < 0 || found)
            return rc;
    }
    const char *alt[2] = { getenv("REGISTRY_AUTH_FILE"), NULL };
    char *xdg = NULL;
    const char *run = getenv("XDG_RUNTIME_DIR");
    if (run && *run && asprintf(&xdg, "%s/containers/auth.json", run) > 0)
        alt[1] = xdg;
    int rc = 0;
    for (size_t i = 0; i < 2 && !found && rc == 0; i++)
        if (alt[i] && *alt[i])
            rc = lookup_file(ctx, alt[i], domain, false, out, &found, err);
    free(xdg);
    return rc;
}

/* ---- tokens ---- */

static int url_escape(struct hull_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            if (hull_buf_append(b, s, 1, NULL) < 0)
                return -1;
        } else {
            char t[3] = { '%', hex[c >> 4], hex[c & 15] };
            if (hull_buf_append(b, t, 3, NULL) < 0)
                return -1;
        }
    }
    return 0;
}

static bool token_ok(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > TOKEN_MAX)
        return false;
    for (; *t; t++)
        if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
            return false;
    return true;
}

int hull_auth_token(struct hull_ctx *ctx, struct hull_http *h, const struct hull_challenge *c,
                    const char *scope, const struct hull_creds *cr, const char *registry_url,
                    char **token_out, struct hull_err **err)
{
    *token_out = NULL;
    if (cr && cr->registry_token) {
        *token_out = strdup(cr->registry_token);
        return *token_out ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    char origin[512], reg_origin[512];
    if (!c->realm || !hull_http_url_origin(c->realm, origin, sizeof(origin)))
        return hull_err_set(err, HULL_E_AUTH, "registry sent a Bearer challenge without a usable "
                                              "http(s) realm");
    bool reg_plain = !strncasecmp(registry_url, "http://", 7);
    if (!strncmp(origin, "http://", 7) && !reg_plain)
        return hull_err_set(err, HULL_E_AUTH, "token realm %.200s is not https; refusing", origin);
    if (hull_http_url_is_local(c->realm) && !hull_http_url_is_local(registry_url))
        return hull_err_set(err, HULL_E_AUTH,
                            "token realm %.200s is a local or private address; refusing", origin);
    if (!hull_http_url_origin(registry_url, reg_origin, sizeof(reg_origin)))
        reg_origin[0] = 0;

    struct hull_buf url = HULL_BUF_INIT(16384);
    struct hull_buf form = HULL_BUF_INIT(32768);
    struct curl_slist *hdrs = NULL;
    char *basic = NULL;
    int rc = 0;
    bool oauth = cr && cr->identity_token;
    if (hull_buf_appends(&url, c->realm, err) < 0)
        goto fail;
    if (!oauth) {
        bool first = !strchr(c->realm, '?');
        if (c->service) {
            if (hull_buf_appends(&url, first ? "?service=" : "&service=", err) < 0 ||
                url_escape(&url, c->service) < 0)
                goto oom;
            first = false;
        }
        if (scope) {
            if (hull_buf_appends(&url, first ? "?scope=" : "&scope=", err) < 0 ||
                url_escape(&url, scope) < 0)
                goto oom;
        }
        if (cr && cr->username && cr->password) {
            basic = hull_auth_basic(cr->username, cr->password);
            char *hv = NULL;
            if (!basic || asprintf(&hv, "Authorization: %s", basic) < 0)
                goto oom;
            hdrs = curl_slist_append(hdrs, hv);
            wipe_free(hv);
            if (!hdrs)
                goto oom;
        }
    } else {
        if (hull_buf_appends(&form, "grant_type=refresh_token&client_id=hull&refresh_token=",
                             err) < 0 ||
            url_escape(&form, cr->identity_token) < 0)
            goto oom;
        if (c->service && (hull_buf_appends(&form, "&service=", err) < 0 ||
                           url_escape(&form, c->service) < 0))
            goto oom;
        if (scope && (hull_buf_appends(&form, "&scope=", err) < 0 || url_escape(&form, scope) < 0))
            goto oom;
    }
    struct hull_http_resp resp;
    rc = hull_http_do(h, oauth ? "POST" : "GET", url.p, hdrs, oauth ? form.p : NULL,
                      TOKEN_REPLY_MAX, "token request", &resp, err);
    if (rc < 0)
        goto out;
    if (resp.status == 401 || resp.status == 403) {
        char *d = hull_http_describe(&resp);
        const char *rh = reg_origin[0] ? strstr(reg_origin, "://") + 3 : "registry";
        rc = hull_err_set(err, HULL_E_AUTH, "%s: token server %s refused %s (%s)", rh, origin,
                          cr && hull_creds_present(cr) ? "the credentials" : "anonymous access",
                          d ? d : "denied");
        free(d);
    } else if (resp.status != 200) {
        char *d = hull_http_describe(&resp);
        rc = hull_err_set(err, resp.status == 429 || resp.status >= 500 ? HULL_E_NET : HULL_E_AUTH,
                          "token request to %s failed: %s", origin, d ? d : "error");
        free(d);
    } else {
        json_t *j = hull_json_parse(resp.body.p ? resp.body.p : "", resp.body.len,
                                    TOKEN_REPLY_MAX, "token reply", NULL);
        const char *t = j ? hull_json_str(j, "token") : NULL;
        if (!t || !*t)
            t = j ? hull_json_str(j, "access_token") : NULL;
        if (!j) {
            char *d = hull_http_describe(&resp);
            rc = hull_err_set(err, HULL_E_AUTH, "token reply from %s is not JSON (%s)", origin,
                              d ? d : "unreadable");
            free(d);
        } else if (!t || !token_ok(t)) {
            rc = hull_err_set(err, HULL_E_AUTH, "token reply from %s has no usable token", origin);
        } else if (!(*token_out = strdup(t))) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
        json_decref(j);
        if (rc == 0)
            hull_log(ctx, HULL_LOG_DEBUG, "got a token from %s for %s", origin,
                     scope ? scope : "(no scope)");
    }
    if (resp.body.p)
        memset(resp.body.p, 0, resp.body.len);
    hull_http_resp_release(&resp);
    goto out;
oom:
    rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    goto out;
fail:
    rc = -1;
out:
    hull_buf_release(&url);
    if (form.p)
        memset(form.p, 0, form.len);
    hull_buf_release(&form);
    if (hdrs) {
        for (struct curl_slist *l = hdrs; l; l = l->next)
            memset(l->data, 0, strlen(l->data));
        curl_slist_free_all(hdrs);
    }
    wipe_free(basic);
    return rc;
}
