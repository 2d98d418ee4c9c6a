/* libFuzzer target: WWW-Authenticate challenge lists (lib/registry/auth.c). */
#include "core/common.h"
#include "registry/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_challenge c[HULL_MAX_CHALLENGES];
    size_t n = 0;
    struct hull_err *err = NULL;
    if (hull_wwwauth_parse((const char *)data, size, c, HULL_MAX_CHALLENGES, &n, &err) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (c[i].realm)
                (void)hull_http_url_is_local(c[i].realm);
            hull_challenge_release(&c[i]);
        }
    }
    hull_err_clear(&err);
    return 0;
}
