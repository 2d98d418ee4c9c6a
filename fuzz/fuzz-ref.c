/* libFuzzer target: image references and platform strings (lib/registry/ref.c). Every
 * reference that parses must format and re-parse to the same normalised value. */
#include "core/common.h"
#include "hull/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_ref r;
    struct hull_err *err = NULL;
    if (hull_ref_parse((const char *)data, size, &r, &err) == 0) {
        char *s = hull_ref_format(&r, true, true);
        if (s) {
            struct hull_ref again;
            if (hull_ref_parse(s, strlen(s), &again, NULL) != 0 ||
                strcmp(again.domain, r.domain) || strcmp(again.path, r.path))
                __builtin_trap();
            hull_ref_release(&again);
            free(s);
        }
        hull_ref_release(&r);
    }
    hull_err_clear(&err);
    char buf[128];
    size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
    memcpy(buf, data, n);
    buf[n] = 0;
    struct hull_platform p;
    if (hull_platform_parse(buf, &p, &err) == 0)
        (void)hull_platform_match(&p, "linux", "arm64", "v8");
    hull_err_clear(&err);
    return 0;
}
