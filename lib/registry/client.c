/* The registry client: requests under /v2/<name>/ with the authentication dance, manifests
 * verified against their digests, HEAD-first digest resolution, blobs (small ones whole,
 * layers streamed, optionally through a content-addressed cache). Protocol notes:
 * shared/docs/dockerfile.md section 4.1; OCI distribution-spec "Pulling manifests". */
#include "core/common.h"
#include "core/buf.h"
#include "core/digest.h"
#include "hull/registry.h"
#include "registry/auth.h"
#include "registry/http.h"
#include "registry/regdoc.h"
#include "stream/stream.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct auth_entry {
    char *host;
    char *repo;
    char *header; /* "Authorization: ..." or NULL when the registry wanted none */
    struct auth_entry *next;
};

struct hull_registry {
    struct hull_ctx *ctx;
    struct hull_registry_opts o;
    char *username, *password, *docker_config, *blob_cache;
    struct hull_http *http;
    struct auth_entry *auth;
};

static void wipe(char *s)
{
    if (!s)
        return;
    volatile char *v = s;
    while (*v)
        *v++ = 0;
    free(s);
}

static int dup_opt(const char *s, char **out)
{
    *out = NULL;
    if (!s)
        return 0;
    *out = strdup(s);
    return *out ? 0 : -1;
}

int hull_registry_new(struct hull_ctx *ctx, const struct hull_registry_opts *opts,
                      struct hull_registry **out, struct hull_err **err)
{
    struct hull_registry *r = calloc(1, sizeof(*r));
    if (!r)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    r->ctx = ctx;
    if (opts)
        r->o = *opts;
    if (dup_opt(r->o.username, &r->username) < 0 || dup_opt(r->o.password, &r->password) < 0 ||
        dup_opt(r->o.docker_config, &r->docker_config) < 0 ||
        dup_opt(r->o.blob_cache, &r->blob_cache) < 0) {
        hull_registry_free(r);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    r->o.username = r->username;
    r->o.password = r->password;
    r->o.docker_config = r->docker_config;
    r->o.blob_cache = r->blob_cache;
    r->o.ca_cert = NULL;
    struct hull_http_opts ho = {
        .insecure = r->o.insecure,
        .ca_cert = opts ? opts->ca_cert : NULL,
        .timeout_ms = r->o.timeout_ms,
        .connect_timeout_ms = r->o.connect_timeout_ms,
        .retries = r->o.no_retry ? 0 : r->o.retries ? r->o.retries : 3,
    };
    if (ho.ca_cert && access(ho.ca_cert, R_OK) != 0) {
        int e = errno;
        hull_registry_free(r);
        return hull_err_sys(err, e == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, e, "CA file %s",
                            ho.ca_cert);
    }
    if (hull_http_new(ctx, &ho, &r->http, err) < 0) {
        hull_registry_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void hull_registry_free(struct hull_registry *r)
{
    if (!r)
        return;
    hull_http_free(r->http);
    for (struct auth_entry *a = r->auth, *next; a; a = next) {
        next = a->next;
        free(a->host);
        free(a->repo);
        wipe(a->header);
        free(a);
    }
    wipe(r->username);
    wipe(r->password);
    free(r->docker_config);
    free(r->blob_cache);
    free(r);
}

void hull_registry_manifest_release(struct hull_registry_manifest *m)
{
    if (!m)
        return;
    free(m->body);
    free(m->media_type);
    memset(m, 0, sizeof(*m));
}

static struct auth_entry *auth_find(struct hull_registry *r, const char *host, const char *repo)
{
    for (struct auth_entry *a = r->auth; a; a = a->next)
        if (!strcmp(a->host, host) && !strcmp(a->repo, repo))
            return a;
    return NULL;
}

static int auth_store(struct hull_registry *r, const char *host, const char *repo, char *header,
                      struct hull_err **err)
{
    struct auth_entry *a = auth_find(r, host, repo);
    if (a) {
        wipe(a->header);
        a->header = header;
        return 0;
    }
    a = calloc(1, sizeof(*a));
    if (!a || !(a->host = strdup(host)) || !(a->repo = strdup(repo))) {
        if (a) {
            free(a->host);
            free(a);
        }
        wipe(header);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    a->header = header;
    a->next = r->auth;
    r->auth = a;
    return 0;
}

static char *base_url(struct hull_registry *r, const struct hull_ref *ref)
{
    char *u = NULL;
    if (asprintf(&u, "%s://%s", r->o.insecure ? "http" : "https", hull_ref_api_host(ref)) < 0)
        return NULL;
    return u;
}

/* Answer a 401's challenges: cache an Authorization header for (host, repo). */
static int authenticate(struct hull_registry *r, const struct hull_ref *ref, const char *base,
                        const struct hull_http_resp *resp, struct hull_err **err)
{
    const char *host = hull_ref_api_host(ref);
    struct hull_challenge ch[HULL_MAX_CHALLENGES];
    size_t nch = 0;
    for (size_t i = 0; i < resp->n_www_auth && nch < HULL_MAX_CHALLENGES; i++) {
        size_t got = 0;
        struct hull_err *pe = NULL;
        if (hull_wwwauth_parse(resp->www_auth[i], strlen(resp->www_auth[i]), ch + nch,
                               HULL_MAX_CHALLENGES - nch, &got, &pe) < 0) {
            hull_log(r->ctx, HULL_LOG_DEBUG, "%s: %s", host, pe->msg);
            hull_err_free(pe);
            continue;
        }
        nch += got;
    }
    struct hull_challenge *bearer = NULL, *basic = NULL;
    for (size_t i = 0; i < nch; i++) {
        if (!strcmp(ch[i].scheme, "bearer") && !bearer)
            bearer = &ch[i];
        else if (!strcmp(ch[i].scheme, "basic") && !basic)
            basic = &ch[i];
    }
    int rc = 0;
    struct hull_creds cr;
    memset(&cr, 0, sizeof(cr));
    if (!bearer && !basic) {
        rc = hull_err_set(err, HULL_E_AUTH, resp->n_www_auth
                              ? "%s: HTTP 401 with a malformed or unknown WWW-Authenticate "
                                "challenge"
                              : "%s: HTTP 401 without a WWW-Authenticate challenge", host);
        goto out;
    }
    if (r->o.username && r->o.password) {
        cr.username = strdup(r->o.username);
        cr.password = strdup(r->o.password);
        cr.source = "command line";
        if (!cr.username || !cr.password) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
    } else if ((rc = hull_creds_lookup(r->ctx, r->o.docker_config, ref->domain, &cr, err)) < 0) {
        goto out;
    }
    char *header = NULL;
    if (bearer) {
        char *scope = NULL;
        if (asprintf(&scope, "repository:%s:pull", ref->path) < 0) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        char *tok = NULL;
        rc = hull_auth_token(r->ctx, r->http, bearer, scope, &cr, base, &tok, err);
        free(scope);
        if (rc < 0)
            goto out;
        if (asprintf(&header, "Authorization: Bearer %s", tok) < 0)
            header = NULL;
        wipe(tok);
    } else {
        if (!cr.username || !cr.password) {
            rc = hull_err_set(err, HULL_E_AUTH,
                              "%s requires a login and no credentials were found (docker login, "
                              "or --username with --password-stdin)", host);
            goto out;
        }
        char *b = hull_auth_basic(cr.username, cr.password);
        if (b && asprintf(&header, "Authorization: %s", b) < 0)
            header = NULL;
        wipe(b);
    }
    if (!header) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    rc = auth_store(r, host, ref->path, header, err);
    if (rc == 0 && cr.source)
        hull_log(r->ctx, HULL_LOG_DEBUG, "%s: authenticated with credentials from the %s", host,
                 cr.source);
out:
    hull_creds_release(&cr);
    for (size_t i = 0; i < nch; i++)
        hull_challenge_release(&ch[i]);
    return rc;
}

static struct curl_slist *make_headers(const char *accept, const struct auth_entry *a)
{
    struct curl_slist *h = NULL, *t;
    if (accept) {
        if (!(t = curl_slist_append(h, accept)))
            goto fail;
        h = t;
    }
    if (a && a->header) {
        if (!(t = curl_slist_append(h, a->header)))
            goto fail;
        h = t;
    }
    return h ? h : curl_slist_append(NULL, "Accept: */*"); /* blobs: any type */
fail:
    curl_slist_free_all(h);
    return NULL;
}

static void free_headers(struct curl_slist *h)
{
    for (struct curl_slist *l = h; l; l = l->next)
        memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(h);
}

/* method on /v2/<repo>/<suffix>, authenticating on a 401 once. */
static int reg_request(struct hull_registry *r, const struct hull_ref *ref, const char *method,
                       const char *suffix, const char *accept, size_t max, const char *what,
                       struct hull_http_resp *resp, struct hull_err **err)
{
    char *base = base_url(r, ref);
    char *url = NULL;
    if (!base || asprintf(&url, "%s/v2/%s/%s", base, ref->path, suffix) < 0) {
        free(base);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    const char *host = hull_ref_api_host(ref);
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        struct auth_entry *a = auth_find(r, host, ref->path);
        struct curl_slist *h = make_headers(accept, a);
        if (!h) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        rc = hull_http_do(r->http, method, url, h, NULL, max, what, resp, err);
        free_headers(h);
        if (rc < 0)
            break;
        if (resp->status == 401 && attempt == 0) {
            rc = authenticate(r, ref, base, resp, err);
            if (rc < 0) {
                hull_http_resp_release(resp);
                break;
            }
            hull_http_resp_release(resp);
            continue;
        }
        if (resp->status < 300 && !a) {
            rc = auth_store(r, host, ref->path, NULL, err); /* remember: no auth needed */
            if (rc < 0)
                hull_http_resp_release(resp);
        }
        break;
    }
    free(url);
    free(base);
    return rc;
}

/* Turn a non-success reply into an error of the right class. */
static int status_error(struct hull_registry *r, const struct hull_ref *ref, const char *what,
                        const struct hull_http_resp *resp, struct hull_err **err)
{
    const char *host = hull_ref_api_host(ref);
    char *d = hull_http_describe(resp);
    const char *ds = d ? d : "error";
    int rc;
    struct auth_entry *a = auth_find(r, host, ref->path);
    switch (resp->status) {
    case 401:
        rc = hull_err_set(err, HULL_E_AUTH, "%s: authentication failed (%s)%s", what, ds,
                          a && a->header && strstr(a->header, "Basic ")
                              ? ""
                              : "; log in or check the repository name");
        break;
    case 403:
        rc = hull_err_set(err, HULL_E_AUTH, "%s: access denied (%s)", what, ds);
        break;
    case 404:
        rc = hull_err_set(err, HULL_E_NOTFOUND, "%s: not found (%s)", what, ds);
        break;
    case 429:
        if (resp->retry_after >= 0)
            rc = hull_err_set(err, HULL_E_NET, "%s: rate limited (HTTP 429, retry after %ld s;"
                              " logging in raises the limit)", what, resp->retry_after);
        else
            rc = hull_err_set(err, HULL_E_NET, "%s: rate limited (HTTP 429; logging in "
                              "raises the limit)", what);
        break;
    default:
        rc = hull_err_set(err, HULL_E_NET, "%s: registry error (%s)", what, ds);
    }
    free(d);
    return rc;
}

static bool reply_is_html(const struct hull_http_resp *resp)
{
    if (resp->content_type && strstr(resp->content_type, "html"))
        return true;
    const char *p = resp->body.p;
    if (!p)
        return false;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return !strncasecmp(p, "<!doc", 5) || !strncasecmp(p, "<html", 5);
}

int hull_registry_get_manifest(struct hull_registry *r, const struct hull_ref *ref,
                               const char *reference, struct hull_registry_manifest *out,
                               struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    if (!reference)
        reference = ref->digest ? ref->digest : ref->tag;
    if (!reference)
        return hull_err_set(err, HULL_E_USAGE, "reference has neither tag nor digest");
    bool by_digest = !strncmp(reference, "sha256:", 7);
    char what[300];
    snprintf(what, sizeof(what), "%.80s: manifest %.100s%s%.80s", hull_ref_api_host(ref),
             ref->path, by_digest ? "@" : ":", reference);
    char *suffix = NULL;
    if (asprintf(&suffix, "manifests/%s", reference) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    struct hull_http_resp resp;
    size_t max = r->ctx->limits.max_manifest_bytes;
    int rc = reg_request(r, ref, "GET", suffix, hull_registry_accept, max, what, &resp, err);
    free(suffix);
    if (rc < 0)
        return rc;
    if (resp.status != 200) {
        rc = status_error(r, ref, what, &resp, err);
        goto out;
    }
    if (resp.ratelimit_remaining >= 0 && resp.ratelimit_remaining < 10)
        hull_log(r->ctx, HULL_LOG_WARN, "%s: only %ld manifest pulls left in the registry's "
                 "rate-limit window (logging in raises the limit)", hull_ref_api_host(ref),
                 resp.ratelimit_remaining);
    if (reply_is_html(&resp)) {
        rc = hull_err_set(err, HULL_E_NET, "%s: the reply is an HTML page, not a manifest "
                          "(a proxy or login portal?)", what);
        goto out;
    }
    char got[HULL_DIGEST_STRLEN + 1];
    hull_sha256_digest(resp.body.p ? resp.body.p : "", resp.body.len, got);
    if (by_digest && strcmp(got, reference) != 0) {
        rc = hull_err_set(err, HULL_E_DIGEST, "%s: bytes hash to %s (tampered or corrupt)", what,
                          got);
        goto out;
    }
    if (resp.docker_digest && !strncmp(resp.docker_digest, "sha256:", 7) &&
        strcmp(resp.docker_digest, got) != 0) {
        rc = hull_err_set(err, HULL_E_DIGEST, "%s: Docker-Content-Digest %.80s does not match "
                          "the bytes (%s)", what, resp.docker_digest, got);
        goto out;
    }
    const char *mt = NULL;
    bool is_index = false;
    rc = hull_regdoc_classify(resp.body.p ? resp.body.p : "", resp.body.len, resp.content_type,
                              max, &mt, &is_index, err);
    if (rc < 0) {
        hull_err_wrap(err, "%s", what);
        goto out;
    }
    out->media_type = strdup(mt);
    if (!out->media_type) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    out->is_index = is_index;
    memcpy(out->digest, got, sizeof(got));
    out->body = hull_buf_detach(&resp.body, &out->len);
    if (!out->body) {
        hull_registry_manifest_release(out);
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
out:
    hull_http_resp_release(&resp);
    return rc;
}

static bool supported_type(const char *ct)
{
    return ct && (!strcmp(ct, HULL_RMT_OCI_INDEX) || !strcmp(ct, HULL_RMT_DOCKER_LIST) ||
                  !strcmp(ct, HULL_RMT_OCI_MANIFEST) || !strcmp(ct, HULL_RMT_DOCKER_V2));
}

int hull_registry_digest(struct hull_registry *r, const struct hull_ref *ref,
                         const struct hull_platform *platform, char out[HULL_REF_DIGEST_BUF],
                         struct hull_err **err)
{
    const char *reference = ref->digest ? ref->digest : ref->tag;
    if (!platform) {
        char *suffix = NULL;
        if (asprintf(&suffix, "manifests/%s", reference) < 0)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        char what[300];
        snprintf(what, sizeof(what), "%.80s: manifest %.100s%s%.80s", hull_ref_api_host(ref),
                 ref->path, ref->digest ? "@" : ":", reference);
        struct hull_http_resp resp;
        int rc = reg_request(r, ref, "HEAD", suffix, hull_registry_accept, 0, what, &resp, err);
        free(suffix);
        if (rc < 0)
            return rc;
        if (resp.status == 200 && resp.docker_digest && hull_digest_valid(resp.docker_digest) &&
            supported_type(resp.content_type) &&
            (!ref->digest || !strcmp(ref->digest, resp.docker_digest))) {
            snprintf(out, HULL_REF_DIGEST_BUF, "%s", resp.docker_digest);
            hull_http_resp_release(&resp);
            return 0;
        }
        if (resp.status == 401 || resp.status == 403 || resp.status == 404 ||
            resp.status == 429 || resp.status >= 500) {
            rc = status_error(r, ref, what, &resp, err);
            hull_http_resp_release(&resp);
            return rc;
        }
        hull_log(r->ctx, HULL_LOG_DEBUG, "%s: HEAD gave no usable digest; hashing the manifest",
                 what);
        hull_http_resp_release(&resp);
    }
    struct hull_registry_manifest m;
    int rc = hull_registry_get_manifest(r, ref, reference, &m, err);
    if (rc < 0)
        return rc;
    if (platform && m.is_index)
        rc = hull_registry_index_select(r->ctx, m.body, m.len, platform, out, err);
    else
        snprintf(out, HULL_REF_DIGEST_BUF, "%s", m.digest);
    if (rc < 0)
        hull_err_wrap(err, "%s", hull_ref_api_host(ref));
    hull_registry_manifest_release(&m);
    return rc;
}

int hull_registry_get_blob(struct hull_registry *r, const struct hull_ref *ref,
                           const char *digest, size_t max, char **out, size_t *len,
                           struct hull_err **err)
{
    if (!hull_digest_valid(digest))
        return hull_err_set(err, HULL_E_PARSE, "invalid blob digest");
    char *suffix = NULL;
    if (asprintf(&suffix, "blobs/%s", digest) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    char what[200];
    snprintf(what, sizeof(what), "%.80s: blob %.19s", hull_ref_api_host(ref), digest);
    struct hull_http_resp resp;
    int rc = reg_request(r, ref, "GET", suffix, NULL, max, what, &resp, err);
    free(suffix);
    if (rc < 0)
        return rc;
    if (resp.status != 200) {
        rc = status_error(r, ref, what, &resp, err);
    } else {
        char got[HULL_DIGEST_STRLEN + 1];
        hull_sha256_digest(resp.body.p ? resp.body.p : "", resp.body.len, got);
        if (strcmp(got, digest) != 0) {
            rc = hull_err_set(err, HULL_E_DIGEST, "%s: digest mismatch (got %s)", what, got);
        } else {
            *out = hull_buf_detach(&resp.body, len);
            if (!*out)
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
    }
    hull_http_resp_release(&resp);
    return rc;
}

/* ---- blob cache: DIR/sha256/<hex>, written through a temp file, renamed once verified ---- */

struct tee {
    struct hull_istream base;
    struct hull_istream *in; /* the verifying stream */
    int fd;
    char *tmp, *final;
    bool failed;
};

static ssize_t tee_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct tee *t = (struct tee *)s;
    ssize_t got = hull_istream_read(t->in, buf, n, err);
    if (got < 0) {
        t->failed = true;
        return got;
    }
    if (t->fd >= 0 && got > 0) {
        const char *p = buf;
        size_t left = (size_t)got;
        while (left) {
            ssize_t w = write(t->fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) { /* the cache is best effort: stop caching, keep streaming */
                close(t->fd);
                t->fd = -1;
                unlink(t->tmp);
                break;
            }
            p += w;
            left -= (size_t)w;
        }
    }
    if (got == 0 && t->fd >= 0) { /* verified end: publish */
        int rc = close(t->fd);
        t->fd = -1;
        if (rc != 0 || rename(t->tmp, t->final) != 0)
            unlink(t->tmp);
    }
    return got;
}

static void tee_close(struct hull_istream *s)
{
    struct tee *t = (struct tee *)s;
    if (t->fd >= 0) {
        close(t->fd);
        unlink(t->tmp);
    }
    hull_istream_close(t->in);
    free(t->tmp);
    free(t->final);
    free(t);
}

static const struct hull_istream_ops tee_ops = { tee_read, tee_close };

static int mkdir_p(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0700) < 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = '/';
        }
    int rc = mkdir(p, 0700) < 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

int hull_registry_open_blob(struct hull_registry *r, const struct hull_ref *ref,
                            const char *digest, int64_t size, struct hull_istream **out,
                            struct hull_err **err)
{
    if (!hull_digest_valid(digest))
        return hull_err_set(err, HULL_E_PARSE, "invalid blob digest");
    char what[200];
    snprintf(what, sizeof(what), "%.80s: blob %.19s", hull_ref_api_host(ref), digest);
    struct hull_verify_opts vo = { .expect = digest, .expect_size = size, .what = what };
    char *cached = NULL;
    if (r->o.blob_cache) {
        if (asprintf(&cached, "%s/sha256/%s", r->o.blob_cache, digest + 7) < 0)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        struct stat st;
        if (stat(cached, &st) == 0 && S_ISREG(st.st_mode)) {
            struct hull_istream *f = hull_stream_file(cached, err);
            free(cached);
            if (!f)
                return -1;
            hull_log(r->ctx, HULL_LOG_DEBUG, "%s: from the blob cache", what);
            *out = hull_stream_verify(f, &vo, err);
            return *out ? 0 : -1;
        }
    }
    const char *host = hull_ref_api_host(ref);
    char *suffix = NULL;
    if (asprintf(&suffix, "blobs/%s", digest) < 0) {
        free(cached);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    char *base = base_url(r, ref);
    char *url = NULL;
    if (!base || asprintf(&url, "%s/v2/%s/%s", base, ref->path, suffix) < 0) {
        free(base);
        free(suffix);
        free(cached);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    free(base);
    struct hull_istream *raw = NULL;
    long status = 0;
    char *emsg = NULL;
    int rc = 0;
    /* attempt 0 may meet a 401 (unknown repository auth, or a token that expired during a
     * long scan): a HEAD through reg_request then runs the challenge, and the GET is retried */
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 1 || !auth_find(r, host, ref->path)) {
            struct hull_http_resp resp;
            rc = reg_request(r, ref, "HEAD", suffix, NULL, 0, what, &resp, err);
            if (rc == 0) {
                if (resp.status != 200)
                    rc = status_error(r, ref, what, &resp, err);
                hull_http_resp_release(&resp);
            }
            if (rc < 0)
                break;
        }
        struct curl_slist *h = make_headers(NULL, auth_find(r, host, ref->path));
        struct hull_err *se = NULL;
        free(emsg);
        emsg = NULL;
        rc = h ? hull_http_stream_open(r->http, url, h, what, &raw, &status, &emsg, &se)
               : hull_err_set(&se, HULL_E_NOMEM, "out of memory");
        free_headers(h);
        if (rc == 0)
            break;
        if (status == 401 && attempt == 0) {
            struct auth_entry *a = auth_find(r, host, ref->path);
            if (a) { /* drop the stale credentials so the HEAD meets the challenge */
                wipe(a->header);
                a->header = NULL;
            }
            hull_err_free(se);
            continue;
        }
        if (status) {
            hull_err_free(se);
            rc = hull_err_set(err, status == 404 ? HULL_E_NOTFOUND
                                   : status == 401 || status == 403 ? HULL_E_AUTH : HULL_E_NET,
                              "%s: %s", what, emsg ? emsg : "error");
        } else if (err && !*err) {
            *err = se;
        } else {
            hull_err_free(se);
        }
        break;
    }
    free(url);
    free(suffix);
    if (rc < 0) {
        free(cached);
        free(emsg);
        return rc;
    }
    free(emsg);
    struct hull_istream *v = hull_stream_verify(raw, &vo, err);
    if (!v) {
        free(cached);
        return -1;
    }
    if (!cached) {
        *out = v;
        return 0;
    }
    struct tee *t = calloc(1, sizeof(*t));
    char *dir = NULL;
    if (!t || asprintf(&dir, "%s/sha256", r->o.blob_cache) < 0 ||
        asprintf(&t->tmp, "%s.tmp.%ld", cached, (long)getpid()) < 0) {
        free(t);
        free(dir);
        free(cached);
        hull_istream_close(v);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    t->base.ops = &tee_ops;
    t->in = v;
    t->final = cached;
    t->fd = -1;
    if (mkdir_p(dir) == 0)
        t->fd = open(t->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (t->fd < 0)
        hull_log(r->ctx, HULL_LOG_WARN, "blob cache %s is not writable; not caching",
                 r->o.blob_cache);
    free(dir);
    *out = &t->base;
    return 0;
}
