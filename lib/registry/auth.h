/* Registry authentication: WWW-Authenticate challenges (RFC 7235 lists), credentials from
 * Docker's config.json (credHelpers, credsStore, auths) and Podman's auth.json, and the
 * Bearer token request (distribution's token spec; OAuth2 refresh-token POST for identity
 * tokens). Secrets are wiped when released and never put in messages. */
#ifndef HULL_REGISTRY_AUTH_H
#define HULL_REGISTRY_AUTH_H
#include "core/common.h"
#include "registry/http.h"

struct hull_challenge {
    char scheme[16]; /* lower case: "bearer", "basic", ... */
    char *realm, *service, *scope;
};

#define HULL_MAX_CHALLENGES 8

/* Parse one WWW-Authenticate value p[0..len) into up to max challenges (*n set). Unknown
 * parameters are ignored; a syntax error is HULL_E_PARSE. Release each with
 * hull_challenge_release. */
int hull_wwwauth_parse(const char *p, size_t len, struct hull_challenge *out, size_t max,
                       size_t *n, struct hull_err **err);
void hull_challenge_release(struct hull_challenge *c);

struct hull_creds {
    char *username;
    char *password;
    char *identity_token; /* OAuth2 refresh token (config "identitytoken", helper "<token>") */
    char *registry_token; /* ready-made bearer token ("registrytoken") */
    const char *source;   /* "command line", "config.json", "credential helper NAME", ... */
    char source_buf[96];
};

/* Find credentials for a registry domain ("docker.io", "host:5000"). config_dir: directory of
 * config.json, NULL for $DOCKER_CONFIG or ~/.docker. Nothing found is success with every field
 * NULL. A broken config file is HULL_E_PARSE; a failing helper is a warning (anonymous). */
int hull_creds_lookup(struct hull_ctx *ctx, const char *config_dir, const char *domain,
                      struct hull_creds *out, struct hull_err **err);
/* Wipe and free the secrets. */
void hull_creds_release(struct hull_creds *c);
bool hull_creds_present(const struct hull_creds *c);

/* "Basic base64(user:pass)" header value (new string; NULL on OOM). */
char *hull_auth_basic(const char *user, const char *pass);

/* Ask the challenge's realm for a pull token for scope. registry_url is the registry's
 * "scheme://host" (realm policy: https unless the registry itself is plain http; a local or
 * private realm host only for a local registry). Returns the token (caller frees). */
int hull_auth_token(struct hull_ctx *ctx, struct hull_http *h, const struct hull_challenge *c,
                    const char *scope, const struct hull_creds *cr, const char *registry_url,
                    char **token_out, struct hull_err **err);
#endif
