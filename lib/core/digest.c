/* SHA-256 via OpenSSL 3 EVP (docs/libraries.md section 5: uses the CPU's SHA extensions). */
#include "core/digest.h"
#include <openssl/evp.h>

struct hull_sha256 {
    EVP_MD_CTX *md;
};

struct hull_sha256 *hull_sha256_new(void)
{
    struct hull_sha256 *h = malloc(sizeof(*h));
    if (!h)
        return NULL;
    h->md = EVP_MD_CTX_new();
    if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(h->md);
        free(h);
        return NULL;
    }
    return h;
}

void hull_sha256_update(struct hull_sha256 *h, const void *data, size_t n)
{
    if (n)
        EVP_DigestUpdate(h->md, data, n);
}

static void hex(const unsigned char *d, unsigned n, char *out)
{
    static const char x[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = x[d[i] >> 4];
        out[2 * i + 1] = x[d[i] & 15];
    }
    out[2 * n] = 0;
}

void hull_sha256_final(struct hull_sha256 *h, char out[HULL_DIGEST_STRLEN + 1])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(h->md, d, &n);
    memcpy(out, "sha256:", 7);
    hex(d, n, out + 7);
    EVP_DigestInit_ex(h->md, EVP_sha256(), NULL);
}

void hull_sha256_free(struct hull_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->md);
    free(h);
}

void hull_sha256_digest(const void *data, size_t n, char out[HULL_DIGEST_STRLEN + 1])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data, n, d, &len, EVP_sha256(), NULL);
    memcpy(out, "sha256:", 7);
    hex(d, len, out + 7);
}

bool hull_digest_valid(const char *s)
{
    if (!s || strncmp(s, "sha256:", 7) != 0)
        return false;
    s += 7;
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == HULL_SHA256_HEX;
}
