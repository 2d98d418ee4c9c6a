/* SHA-256 through OpenSSL EVP, and "sha256:<hex>" digest strings. */
#ifndef HULL_CORE_DIGEST_H
#define HULL_CORE_DIGEST_H
#include "core/common.h"

#define HULL_SHA256_HEX 64
#define HULL_DIGEST_STRLEN (7 + HULL_SHA256_HEX) /* "sha256:" + hex */

struct hull_sha256; /* opaque incremental hasher */

struct hull_sha256 *hull_sha256_new(void);
void hull_sha256_update(struct hull_sha256 *h, const void *data, size_t n);
/* Write "sha256:<64 hex>" plus NUL into out (HULL_DIGEST_STRLEN + 1 bytes). Resets h. */
void hull_sha256_final(struct hull_sha256 *h, char out[HULL_DIGEST_STRLEN + 1]);
void hull_sha256_free(struct hull_sha256 *h);
/* One-shot digest of a buffer. */
void hull_sha256_digest(const void *data, size_t n, char out[HULL_DIGEST_STRLEN + 1]);
/* True when s is "sha256:" followed by exactly 64 lowercase hex characters. */
bool hull_digest_valid(const char *s);
#endif
