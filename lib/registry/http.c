/* libcurl transport for the registry client: small requests with retries, and blob streams
 * driven by curl_multi with CURL_WRITEFUNC_PAUSE so a layer flows through the reader at the
 * consumer's pace without landing on disk. */
#include "core/common.h"
#include "registry/http.h"
#include "core/jsonx.h"
#include "core/retryafter.h"
#include <arpa/inet.h>
#include <pthread.h>
#include <ctype.h>
#include <time.h>

#define ERR_BODY_MAX (64u * 1024)
#define HEADER_MAX (64u * 1024)
#define STREAM_BUF_MAX (1u << 20)
#define RETRY_AFTER_MAX 60

struct hull_http {
    struct hull_ctx *ctx;
    CURL *easy;
    CURLSH *share; /* connections, DNS and TLS sessions shared by requests and blob streams */
    struct hull_http_opts o;
    char *ca_cert;
    char *unix_socket;
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int hull_http_new(struct hull_ctx *ctx, const struct hull_http_opts *o, struct hull_http **out,
                  struct hull_err **err)
{
    pthread_once(&curl_once, curl_init_once);
    struct hull_http *h = calloc(1, sizeof(*h));
    if (!h)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    h->ctx = ctx;
    h->o = *o;
    if (o->ca_cert && !(h->ca_cert = strdup(o->ca_cert))) {
        free(h);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    h->o.ca_cert = h->ca_cert;
    if (o->unix_socket && !(h->unix_socket = strdup(o->unix_socket))) {
        free(h->ca_cert);
        free(h);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    h->o.unix_socket = h->unix_socket;
    if (!h->o.timeout_ms)
        h->o.timeout_ms = 60000;
    if (!h->o.connect_timeout_ms)
        h->o.connect_timeout_ms = 15000;
    h->easy = curl_easy_init();
    h->share = curl_share_init();
    if (h->share) { /* one thread uses a client at a time: no lock callbacks needed */
        curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    if (!h->easy || !h->share) {
        curl_easy_cleanup(h->easy);
        curl_share_cleanup(h->share);
        free(h->ca_cert);
        free(h->unix_socket);
        free(h);
        return hull_err_set(err, HULL_E_NOMEM, "cannot create an HTTP handle");
    }
    *out = h;
    return 0;
}

void hull_http_free(struct hull_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->easy);
    curl_share_cleanup(h->share);
    free(h->ca_cert);
    free(h->unix_socket);
    free(h);
}

void hull_http_resp_release(struct hull_http_resp *r)
{
    hull_buf_release(&r->body);
    free(r->content_type);
    free(r->docker_digest);
    for (size_t i = 0; i < r->n_www_auth; i++)
        free(r->www_auth[i]);
    memset(r, 0, sizeof(*r));
}

static void resp_reset_headers(struct hull_http_resp *r)
{
    free(r->content_type);
    free(r->docker_digest);
    for (size_t i = 0; i < r->n_www_auth; i++)
        free(r->www_auth[i]);
    r->content_type = r->docker_digest = NULL;
    r->n_www_auth = 0;
    r->retry_after = -1;
    r->content_length = -1;
    r->ratelimit_remaining = -1;
}

/* Shared by small requests and streams. */
struct hdr_state {
    struct hull_http_resp *resp;
    size_t total;
    bool overflow;
};

static char *trim_dup(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    return strndup(p, n);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct hdr_state *st = ud;
    size_t n = size * nmemb;
    st->total += n;
    if (st->total > HEADER_MAX) {
        st->overflow = true;
        return 0;
    }
    if (n >= 5 && !memcmp(data, "HTTP/", 5)) { /* a new response (redirect, 100) */
        resp_reset_headers(st->resp);
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    size_t klen = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vlen = n - klen - 1;
#define KEY(k) (klen == sizeof(k) - 1 && !strncasecmp(data, k, klen))
    if (KEY("content-type")) {
        free(st->resp->content_type);
        char *ct = trim_dup(v, vlen);
        if (ct) {
            char *semi = strchr(ct, ';');
            if (semi)
                *semi = 0;
            for (char *c = ct; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            size_t l = strlen(ct);
            while (l && ct[l - 1] == ' ')
                ct[--l] = 0;
        }
        st->resp->content_type = ct;
    } else if (KEY("docker-content-digest")) {
        free(st->resp->docker_digest);
        st->resp->docker_digest = trim_dup(v, vlen);
    } else if (KEY("www-authenticate")) {
        if (st->resp->n_www_auth < HULL_HTTP_MAX_CHALLENGES) {
            char *s = trim_dup(v, vlen);
            if (s)
                st->resp->www_auth[st->resp->n_www_auth++] = s;
        }
    } else if (KEY("retry-after")) {
        char *s = trim_dup(v, vlen);
        if (s) {
            long secs = hull_retry_after(s, time(NULL));
            /* a value that is neither seconds nor a date: treat as long */
            st->resp->retry_after = secs >= 0 ? secs : RETRY_AFTER_MAX + 1;
            free(s);
        }
    } else if (KEY("ratelimit-remaining")) {
        char *s = trim_dup(v, vlen);
        if (s) {
            char *end;
            errno = 0;
            long rl = strtol(s, &end, 10);
            if (!errno && end != s && (*end == ';' || *end == 0) && rl >= 0)
                st->resp->ratelimit_remaining = rl;
            free(s);
        }
    } else if (KEY("content-length")) {
        char *s = trim_dup(v, vlen);
        if (s) {
            char *end;
            errno = 0;
            long long cl = strtoll(s, &end, 10);
            if (!errno && end != s && *end == 0 && cl >= 0)
                st->resp->content_length = cl;
            free(s);
        }
    }
#undef KEY
    return n;
}

struct body_state {
    struct hull_http_resp *resp;
    CURL *easy;
    size_t max;
    bool limit_hit;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct body_state *b = ud;
    size_t n = size * nmemb;
    long code = 0;
    curl_easy_getinfo(b->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 300) { /* error pages: keep the start only */
        size_t room = b->resp->body.len < ERR_BODY_MAX ? ERR_BODY_MAX - b->resp->body.len : 0;
        if (room)
            hull_buf_append(&b->resp->body, data, n < room ? n : room, NULL);
        return n;
    }
    if (b->resp->body.len + n > b->max) {
        b->limit_hit = true;
        return 0;
    }
    if (hull_buf_append(&b->resp->body, data, n, NULL) < 0)
        return 0;
    return n;
}

static void setup_common(struct hull_http *h, CURL *e, const char *url,
                         const struct curl_slist *headers, char *errbuf)
{
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, h->o.insecure ? "http,https" : "https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, h->o.insecure ? "http,https" : "https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "hull/" HULL_VERSION);
    curl_easy_setopt(e, CURLOPT_SHARE, h->share);
    if (h->o.unix_socket)
        curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, h->o.unix_socket);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL);
    const char *ca = h->o.ca_cert;
    if (!ca) {
        const char *env = getenv("SSL_CERT_FILE");
        if (env && *env)
            ca = env;
    }
    if (ca)
        curl_easy_setopt(e, CURLOPT_CAINFO, ca);
    const char *dir = getenv("SSL_CERT_DIR");
    if (dir && *dir)
        curl_easy_setopt(e, CURLOPT_CAPATH, dir);
}

static int net_error(struct hull_http *h, CURLcode rc, const char *what, const char *errbuf,
                     struct hull_err **err)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return hull_err_set(err, HULL_E_NET, "%s: timed out (%s)", what, detail);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return hull_err_set(err, HULL_E_NET,
                            "%s: TLS failed: %s (private CA: --ca-cert FILE; plain-HTTP "
                            "registry: --insecure)", what, detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
        return hull_err_set(err, HULL_E_NET, "%s: %s (plain http needs --insecure)", what,
                            detail);
    case CURLE_TOO_MANY_REDIRECTS:
        return hull_err_set(err, HULL_E_NET, "%s: too many redirects", what);
    default:
        (void)h;
        return hull_err_set(err, HULL_E_NET, "%s: %s", what, detail);
    }
}

static bool transient(CURLcode rc)
{
    return rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
           rc == CURLE_PARTIAL_FILE || rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

static bool retry_status(long s)
{
    return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int http_do(struct hull_http *h, const char *method, const char *url,
                   const struct curl_slist *headers, const char *post, size_t max_body,
                   const char *what, struct hull_http_resp *resp, struct hull_err **err)
{
    unsigned attempts = h->o.retries + 1;
    long backoff = 250;
    memset(resp, 0, sizeof(*resp));
    for (unsigned a = 0;; a++) {
        hull_http_resp_release(resp);
        resp->retry_after = -1;
        resp->content_length = -1;
        resp->ratelimit_remaining = -1;
        CURL *e = h->easy;
        curl_easy_reset(e);
        h->errbuf[0] = 0;
        setup_common(h, e, url, headers, h->errbuf);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
        struct hdr_state hs = { resp, 0, false };
        struct body_state bs = { resp, e, max_body, false };
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &hs);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &bs);
        if (!strcmp(method, "HEAD")) {
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        } else if (!strcmp(method, "POST")) {
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, post ? post : "");
        }
        CURLcode rc = curl_easy_perform(e);
        if (rc == CURLE_WRITE_ERROR && bs.limit_hit)
            return hull_err_set(err, HULL_E_LIMIT, "%s: reply exceeds the %zu-byte limit", what,
                                max_body);
        if (rc == CURLE_WRITE_ERROR && hs.overflow)
            return hull_err_set(err, HULL_E_LIMIT, "%s: reply headers exceed %u bytes", what,
                                HEADER_MAX);
        if (hs.overflow)
            return hull_err_set(err, HULL_E_LIMIT, "%s: reply headers exceed %u bytes", what,
                                HEADER_MAX);
        if (rc != CURLE_OK) {
            if (transient(rc) && a + 1 < attempts) {
                hull_log(h->ctx, HULL_LOG_INFO, "%s: %s; retrying", what,
                         curl_easy_strerror(rc));
                sleep_ms(backoff);
                backoff *= 2;
                continue;
            }
            return net_error(h, rc, what, h->errbuf, err);
        }
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &resp->status);
        if (retry_status(resp->status) && a + 1 < attempts) {
            long wait = backoff;
            if (resp->retry_after > RETRY_AFTER_MAX)
                return 0; /* the caller reports the wait; no tight loop, no long sleep */
            if (resp->retry_after >= 0)
                wait = resp->retry_after * 1000 > backoff ? resp->retry_after * 1000 : backoff;
            hull_log(h->ctx, HULL_LOG_INFO, "%s: HTTP %ld; retrying in %ld ms", what,
                     resp->status, wait);
            sleep_ms(wait);
            backoff *= 2;
            continue;
        }
        return 0;
    }
}

int hull_http_do(struct hull_http *h, const char *method, const char *url,
                 const struct curl_slist *headers, const char *post, size_t max_body,
                 const char *what, struct hull_http_resp *resp, struct hull_err **err)
{
    int rc = http_do(h, method, url, headers, post, max_body, what, resp, err);
    if (rc < 0)
        hull_http_resp_release(resp);
    return rc;
}

static void clean_line(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        s[max] = 0;
        n = max;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            s[i] = ' ';
}

char *hull_http_describe(const struct hull_http_resp *r)
{
    char *out = NULL;
    const char *ct = r->content_type ? r->content_type : "";
    if (r->body.len && (strstr(ct, "json") || (r->body.p && r->body.p[0] == '{'))) {
        json_t *j = json_loadb(r->body.p, r->body.len, 0, NULL);
        json_t *errs = j ? json_object_get(j, "errors") : NULL;
        json_t *e0 = json_is_array(errs) ? json_array_get(errs, 0) : NULL;
        const char *code = e0 ? hull_json_str(e0, "code") : NULL;
        const char *msg = e0 ? hull_json_str(e0, "message") : NULL;
        if (!code && j) { /* token servers: {"error": "...", "error_description": ...} */
            code = hull_json_str(j, "error");
            msg = hull_json_str(j, "error_description");
            if (!code)
                msg = hull_json_str(j, "details");
        }
        if (code || msg) {
            int n = asprintf(&out, "HTTP %ld %s%s%s", r->status, code ? code : "",
                             code && msg ? ": " : "", msg ? msg : "");
            if (n < 0)
                out = NULL;
        }
        json_decref(j);
        if (out) {
            clean_line(out, 240);
            return out;
        }
    }
    bool html = strstr(ct, "html") != NULL;
    if (!html && r->body.len) {
        const char *p = r->body.p;
        size_t i = 0;
        while (i < r->body.len && isspace((unsigned char)p[i]))
            i++;
        html = r->body.len - i >= 5 && (!strncasecmp(p + i, "<!doc", 5) ||
                                        !strncasecmp(p + i, "<html", 5));
    }
    if (html) {
        if (asprintf(&out, "HTTP %ld with an HTML page (not a registry API reply; a proxy or "
                           "login portal?)", r->status) < 0)
            out = NULL;
        return out;
    }
    if (r->body.len && r->body.p) {
        size_t n = strcspn(r->body.p, "\r\n");
        if (asprintf(&out, "HTTP %ld: %.*s", r->status, (int)(n > 160 ? 160 : n), r->body.p) < 0)
            out = NULL;
        if (out)
            clean_line(out, 240);
        return out;
    }
    if (asprintf(&out, "HTTP %ld", r->status) < 0)
        out = NULL;
    return out;
}

/* ---- streams ---- */

struct http_stream {
    struct hull_istream base;
    struct hull_http *h;
    CURLM *multi;
    CURL *easy;
    struct curl_slist *hdrs;
    struct hull_http_resp resp; /* headers and the error body */
    struct hdr_state hs;
    char *buf;
    size_t len, off, cap;
    bool paused, done, failed;
    CURLcode result;
    long status;
    char *what;
    char errbuf[CURL_ERROR_SIZE];
};

static size_t stream_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct http_stream *s = ud;
    size_t n = size * nmemb;
    long code = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        size_t room = s->resp.body.len < ERR_BODY_MAX ? ERR_BODY_MAX - s->resp.body.len : 0;
        if (room)
            hull_buf_append(&s->resp.body, data, n < room ? n : room, NULL);
        return n;
    }
    size_t have = s->len - s->off;
    if (have && have + n > STREAM_BUF_MAX) {
        s->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    if (s->off) {
        memmove(s->buf, s->buf + s->off, have);
        s->len = have;
        s->off = 0;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + n)
            cap *= 2;
        char *p = realloc(s->buf, cap);
        if (!p)
            return 0;
        s->buf = p;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    return n;
}

/* Run the transfer until there is data or it ended. */
static int pump(struct http_stream *s, struct hull_err **err)
{
    while (s->len == s->off && !s->done) {
        int running = 0;
        CURLMcode mc = curl_multi_perform(s->multi, &running);
        if (mc != CURLM_OK)
            return hull_err_set(err, HULL_E_NET, "%s: %s", s->what, curl_multi_strerror(mc));
        int q;
        CURLMsg *m;
        while ((m = curl_multi_info_read(s->multi, &q)))
            if (m->msg == CURLMSG_DONE) {
                s->done = true;
                s->result = m->data.result;
            }
        if (!running)
            s->done = true;
        if (s->len > s->off || s->done)
            break;
        mc = curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
        if (mc != CURLM_OK)
            return hull_err_set(err, HULL_E_NET, "%s: %s", s->what, curl_multi_strerror(mc));
    }
    if (s->done && s->result != CURLE_OK) {
        if (s->result == CURLE_WRITE_ERROR && s->hs.overflow)
            return hull_err_set(err, HULL_E_LIMIT, "%s: reply headers exceed %u bytes", s->what,
                                HEADER_MAX);
        return net_error(s->h, s->result, s->what, s->errbuf, err);
    }
    return 0;
}

static ssize_t stream_read(struct hull_istream *is, void *buf, size_t n, struct hull_err **err)
{
    struct http_stream *s = (struct http_stream *)is;
    if (s->failed)
        return hull_err_set(err, HULL_E_NET, "%s: read after an error", s->what);
    if (s->len == s->off && s->paused) {
        s->paused = false;
        curl_easy_pause(s->easy, CURLPAUSE_CONT);
    }
    if (pump(s, err) < 0) {
        s->failed = true;
        return -1;
    }
    size_t have = s->len - s->off;
    if (!have)
        return 0;
    if (n > have)
        n = have;
    memcpy(buf, s->buf + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static void stream_close(struct hull_istream *is)
{
    struct http_stream *s = (struct http_stream *)is;
    if (s->multi && s->easy)
        curl_multi_remove_handle(s->multi, s->easy);
    curl_easy_cleanup(s->easy);
    curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->hdrs);
    hull_http_resp_release(&s->resp);
    free(s->buf);
    free(s->what);
    free(s);
}

static const struct hull_istream_ops stream_ops = { stream_read, stream_close };

int hull_http_stream_open(struct hull_http *h, const char *url, const struct curl_slist *headers,
                          const char *what, struct hull_istream **out, long *status_out,
                          char **errmsg_out, struct hull_err **err)
{
    *status_out = 0;
    *errmsg_out = NULL;
    struct http_stream *s = calloc(1, sizeof(*s));
    if (!s)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    s->base.ops = &stream_ops;
    s->h = h;
    s->resp.retry_after = -1;
    s->resp.content_length = -1;
    s->resp.ratelimit_remaining = -1;
    s->hs.resp = &s->resp;
    s->what = strdup(what);
    for (const struct curl_slist *l = headers; l; l = l->next)
        s->hdrs = curl_slist_append(s->hdrs, l->data);
    s->easy = curl_easy_init();
    s->multi = curl_multi_init();
    if (!s->what || !s->easy || !s->multi || (headers && !s->hdrs)) {
        stream_close(&s->base);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    setup_common(h, s->easy, url, s->hdrs, s->errbuf);
    long secs = h->o.timeout_ms / 1000 > 0 ? h->o.timeout_ms / 1000 : 1;
    curl_easy_setopt(s->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(s->easy, CURLOPT_LOW_SPEED_TIME, secs);
    curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, &s->hs);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, stream_body);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_multi_add_handle(s->multi, s->easy);
    if (pump(s, err) < 0) {
        stream_close(&s->base);
        return -1;
    }
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->status);
    *status_out = s->status;
    if (s->status != 200) {
        while (!s->done && pump(s, NULL) == 0 && !s->done) /* collect the error body */
            ;
        *errmsg_out = hull_http_describe(&s->resp);
        stream_close(&s->base);
        return hull_err_set(err, HULL_E_NET, "%s: HTTP %ld", what, *status_out);
    }
    *out = &s->base;
    return 0;
}

/* ---- URL helpers ---- */

bool hull_http_url_origin(const char *url, char *out, size_t outlen)
{
    const char *p;
    if (!strncasecmp(url, "https://", 8))
        p = url + 8;
    else if (!strncasecmp(url, "http://", 7))
        p = url + 7;
    else
        return false;
    size_t n = strcspn(p, "/?#");
    if (n == 0 || memchr(p, '@', n)) /* no userinfo in realms */
        return false;
    int w = snprintf(out, outlen, "%.*s", (int)((size_t)(p - url) + n), url);
    if (w < 0 || (size_t)w >= outlen)
        return false;
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return true;
}

bool hull_http_url_is_local(const char *url)
{
    char origin[512];
    if (!hull_http_url_origin(url, origin, sizeof(origin)))
        return false;
    char *host = strstr(origin, "://") + 3;
    char h[256];
    if (host[0] == '[') {
        size_t n = strcspn(host + 1, "]");
        snprintf(h, sizeof(h), "%.*s", (int)n, host + 1);
        struct in6_addr a6;
        if (inet_pton(AF_INET6, h, &a6) != 1)
            return false;
        return IN6_IS_ADDR_LOOPBACK(&a6) || IN6_IS_ADDR_LINKLOCAL(&a6) ||
               (a6.s6_addr[0] & 0xfe) == 0xfc || IN6_IS_ADDR_UNSPECIFIED(&a6);
    }
    size_t n = strcspn(host, ":");
    snprintf(h, sizeof(h), "%.*s", (int)n, host);
    if (!strcmp(h, "localhost") || (strlen(h) > 10 && !strcmp(h + strlen(h) - 10, ".localhost")))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, h, &a4) != 1)
        return false;
    uint32_t ip = ntohl(a4.s_addr);
    return (ip >> 24) == 127 || (ip >> 24) == 10 || (ip >> 24) == 0 ||
           (ip >> 20) == (172u << 4 | 1) || (ip >> 16) == (192u << 8 | 168) ||
           (ip >> 16) == (169u << 8 | 254) || (ip >> 22) == (100u << 2 | 1);
}
