/* libFuzzer target: registry manifests and indexes (lib/registry/platform.c): classification
 * (schema 1 refused, media types) and platform selection in an index. */
#include "core/common.h"
#include "hull/registry.h"
#include "registry/regdoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *mt = NULL;
    bool idx = false;
    struct hull_err *err = NULL;
    const char *p = (const char *)data;
    if (hull_regdoc_classify(p, size, NULL, 4u << 20, &mt, &idx, &err) == 0 && !mt)
        __builtin_trap();
    hull_err_clear(&err);
    static const char *const plats[] = { "linux/amd64", "linux/arm64", "linux/arm/v7",
                                         "windows/amd64" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(plats); i++) {
        struct hull_platform pl;
        char out[HULL_REF_DIGEST_BUF];
        hull_platform_parse(plats[i], &pl, NULL);
        if (hull_registry_index_select(NULL, p, size, &pl, out, &err) == 0 && strlen(out) != 71)
            __builtin_trap();
        hull_err_clear(&err);
    }
    (void)hull_registry_index_has(
        p, size, "sha256:0000000000000000000000000000000000000000000000000000000000000000");
    return 0;
}
