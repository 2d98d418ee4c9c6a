/* OCI distribution (registry) client: image references, digests, manifests and blobs.
 *
 * References follow Docker's grammar (distribution/reference): `node:18` is
 * docker.io/library/node:18, `docker.io` and `index.docker.io` are one registry,
 * `host[:port]/path[:tag][@sha256:hex]` names any other registry. Docker Hub's API host is
 * registry-1.docker.io.
 *
 * Transport is libcurl: https by default (system CAs, SSL_CERT_FILE, or opts.ca_cert),
 * plain http only with opts.insecure. Authentication answers WWW-Authenticate challenges:
 * Bearer (token from the realm, anonymous or with credentials) and Basic. Credentials come
 * from opts (username/password), else $DOCKER_CONFIG/config.json (credHelpers, credsStore via
 * `docker-credential-NAME get`, auths), else REGISTRY_AUTH_FILE. They never appear in error
 * messages or log lines. Replies 429/5xx are retried with backoff, honouring Retry-After.
 * Every manifest is capped (ctx limits.max_manifest_bytes, 4 MiB) and checked against its
 * digest; schema1 manifests are refused (HULL_E_UNSUPPORTED).
 *
 * Errors: HULL_E_USAGE (bad reference), HULL_E_NET (transport, timeouts, 429, 5xx, replies
 * that are not a registry's), HULL_E_AUTH (401/403, no or wrong credentials), HULL_E_NOTFOUND
 * (404), HULL_E_DIGEST (bytes do not match their digest), HULL_E_LIMIT, HULL_E_PARSE,
 * HULL_E_UNSUPPORTED. */
#ifndef HULL_REGISTRY_H
#define HULL_REGISTRY_H
#include "hull/hull.h"
#ifdef __cplusplus
extern "C" {
#endif

#define HULL_REF_DIGEST_BUF 72 /* "sha256:" + 64 hex + NUL, rounded up */

/* A parsed, normalised reference. All strings are owned (hull_ref_release). */
struct hull_ref {
    char *domain;      /* "docker.io", "ghcr.io", "127.0.0.1:5000" */
    char *path;        /* "library/node" */
    char *tag;         /* "18"; "latest" when neither tag nor digest was given; NULL with a
                        * digest and no tag */
    char *digest;      /* "sha256:..." or NULL */
    bool implicit_tag; /* tag was filled in as "latest" */
};

/* Parse s[0..len) as an image reference and normalise it. Errors: HULL_E_USAGE with a
 * message naming the bad part. On success release *out with hull_ref_release. */
int hull_ref_parse(const char *s, size_t len, struct hull_ref *out, struct hull_err **err);
/* Free the strings of r and zero it; NULL is a no-op. */
void hull_ref_release(struct hull_ref *r);
/* "domain/path[:tag][@digest]" (new string, caller frees; NULL on OOM). */
char *hull_ref_format(const struct hull_ref *r, bool with_tag, bool with_digest);
/* Host the API is served from: registry-1.docker.io for docker.io, else domain. Borrowed. */
const char *hull_ref_api_host(const struct hull_ref *r);

/* A platform "os/arch[/variant]", normalised (x86_64 -> amd64, aarch64 -> arm64,
 * arm64's default variant v8, arm's v7). */
struct hull_platform {
    char os[32];
    char arch[32];
    char variant[16]; /* "" when none */
};
/* Parse "os/arch[/variant]" (also "arch" alone, meaning linux). Errors: HULL_E_USAGE. */
int hull_platform_parse(const char *s, struct hull_platform *out, struct hull_err **err);
/* The platform of this machine (linux/<uname -m normalised>). */
void hull_platform_host(struct hull_platform *out);
/* Does a descriptor's platform (os, arch, variant; any may be NULL) match want? */
bool hull_platform_match(const struct hull_platform *want, const char *os, const char *arch,
                         const char *variant);

struct hull_registry_opts {
    bool insecure;           /* talk plain http (never implied) */
    const char *ca_cert;     /* PEM file of extra trusted CAs, or NULL */
    const char *username;    /* explicit credentials for every registry contacted, or NULL */
    const char *password;    /* borrowed; never logged */
    long timeout_ms;         /* whole request (manifests/tokens); 0: 60 s */
    long connect_timeout_ms; /* 0: 15 s */
    unsigned retries;        /* extra attempts on 429/5xx/transient errors; 0: default 3 */
    bool no_retry;           /* set to disable retries */
    const char *docker_config; /* directory holding config.json; NULL: $DOCKER_CONFIG or
                                * ~/.docker */
    const char *blob_cache;  /* directory of a content-addressed blob cache, or NULL: none */
};

struct hull_registry;
struct hull_istream;

/* A new client. opts and ctx are borrowed and must outlive it (strings are copied). */
int hull_registry_new(struct hull_ctx *ctx, const struct hull_registry_opts *opts,
                      struct hull_registry **out, struct hull_err **err);
/* Free a client (wipes tokens and passwords it copied); NULL is a no-op. */
void hull_registry_free(struct hull_registry *r);

/* A fetched manifest or index: the exact bytes and their verified digest. */
struct hull_registry_manifest {
    char *body;             /* owned, NUL-terminated */
    size_t len;
    char *media_type;       /* from the document's mediaType, else Content-Type */
    bool is_index;          /* OCI index or Docker manifest list */
    char digest[HULL_REF_DIGEST_BUF];
};
/* Free the body and media type of m and zero it; NULL is a no-op. */
void hull_registry_manifest_release(struct hull_registry_manifest *m);

/* GET the manifest `reference` (a tag or a digest; NULL: ref's digest, else its tag) of
 * ref's repository. The bytes are hashed: a fetch by digest must match it, a fetch by tag must
 * match Docker-Content-Digest when the registry sends one (HULL_E_DIGEST otherwise). */
int hull_registry_get_manifest(struct hull_registry *r, const struct hull_ref *ref,
                               const char *reference, struct hull_registry_manifest *out,
                               struct hull_err **err);

/* The digest the registry serves for ref: with platform NULL the top-level digest (the index
 * for a multi-arch image; HEAD first, GET and hash when the header is missing); with a
 * platform the matching child's digest (an image manifest is its own answer). */
int hull_registry_digest(struct hull_registry *r, const struct hull_ref *ref,
                         const struct hull_platform *platform, char out[HULL_REF_DIGEST_BUF],
                         struct hull_err **err);

/* In a parsed index body, the digest of the child for platform (attestation manifests
 * skipped; a child without platform counts as linux/amd64). Errors: HULL_E_NOTFOUND listing
 * the platforms available, HULL_E_PARSE. */
int hull_registry_index_select(struct hull_ctx *ctx, const char *body, size_t len,
                               const struct hull_platform *platform,
                               char out[HULL_REF_DIGEST_BUF], struct hull_err **err);

/* Is digest one of the children of the index body? */
bool hull_registry_index_has(const char *body, size_t len, const char *digest);

/* Fetch a small blob (a config) whole, verified against digest, capped at max bytes. */
int hull_registry_get_blob(struct hull_registry *r, const struct hull_ref *ref,
                           const char *digest, size_t max, char **out, size_t *len,
                           struct hull_err **err);

/* Stream a blob (a layer) as it downloads; redirects to blob storage are followed. The
 * stream checks the byte count (size >= 0) and the digest: the read that reaches the end
 * fails with HULL_E_DIGEST on a mismatch. With a blob cache, a verified blob is kept under
 * its digest and later opens read the cached file (verified again). Takes nothing; the
 * stream borrows r, which must outlive it. */
int hull_registry_open_blob(struct hull_registry *r, const struct hull_ref *ref,
                            const char *digest, int64_t size, struct hull_istream **out,
                            struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
