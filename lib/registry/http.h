/* HTTP(S) for the registry client, over libcurl (docs/libraries.md section 3).
 * One easy handle per client for small requests (connection reuse), one easy+multi pair per
 * streamed blob. Only http/https, redirects followed (https only unless insecure), bodies
 * capped, 429/5xx and transient transport failures retried with exponential backoff that
 * honours Retry-After. Authorization headers are never logged and libcurl drops them on a
 * redirect to another host. */
#ifndef HULL_REGISTRY_HTTP_H
#define HULL_REGISTRY_HTTP_H
#include "core/common.h"
#include "core/buf.h"
#include "core/istream.h"
#include <curl/curl.h>

struct hull_http_opts {
    bool insecure;
    const char *ca_cert;     /* copied */
    long timeout_ms;
    long connect_timeout_ms;
    unsigned retries;
    const char *unix_socket; /* talk HTTP over this unix socket (an engine API), copied */
};

struct hull_http;

#define HULL_HTTP_MAX_CHALLENGES 8

struct hull_http_resp {
    long status;
    struct hull_buf body;
    char *content_type;   /* without parameters, lower case */
    char *docker_digest;  /* Docker-Content-Digest */
    char *www_auth[HULL_HTTP_MAX_CHALLENGES]; /* each WWW-Authenticate header line */
    size_t n_www_auth;
    long retry_after;     /* seconds, -1 when absent */
    int64_t content_length; /* -1 when absent */
    long ratelimit_remaining; /* Docker Hub's "ratelimit-remaining: N;w=SECONDS", -1 absent */
};

int hull_http_new(struct hull_ctx *ctx, const struct hull_http_opts *o, struct hull_http **out,
                  struct hull_err **err);
void hull_http_free(struct hull_http *h);
void hull_http_resp_release(struct hull_http_resp *r);

/* Perform method on url with the extra headers (borrowed), an optional form body for POST.
 * Any HTTP status is a success (0) for the caller to interpret, after retries of 429/5xx;
 * transport failures are HULL_E_NET, a body over max_body is HULL_E_LIMIT (error bodies of
 * 4xx/5xx are truncated to 64 KiB instead). `what` names the request in errors. */
int hull_http_do(struct hull_http *h, const char *method, const char *url,
                 const struct curl_slist *headers, const char *post, size_t max_body,
                 const char *what, struct hull_http_resp *resp, struct hull_err **err);

/* One line describing a non-success reply: the registry's error code and message, "an HTML
 * page", or the status text. Returns a new string (never NULL on success). */
char *hull_http_describe(const struct hull_http_resp *r);

/* GET url as a stream; the stream owns a copy of the headers. Errors before the first byte
 * (status != 200, transport) are reported here: *status_out gets the final status (0 on a
 * transport error) and *errmsg_out a description for the caller to classify. */
int hull_http_stream_open(struct hull_http *h, const char *url, const struct curl_slist *headers,
                          const char *what, struct hull_istream **out, long *status_out,
                          char **errmsg_out, struct hull_err **err);

/* True when the host part of url is a loopback, private or link-local address literal or
 * "localhost" (the SSRF guard for token realms). */
bool hull_http_url_is_local(const char *url);
/* "scheme://host[:port]" of url into out (lower case); false when it is not http(s). */
bool hull_http_url_origin(const char *url, char *out, size_t outlen);
#endif
