/* libFuzzer target: OCI index / Docker manifest list parser and platform/ref selection. */
#include "core/common.h"
#include "source/ocijson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_index ix;
    if (hull_index_parse(data, size, 1u << 20, &ix, &err) == 0) {
        static const char *const plats[] = { NULL, "linux/amd64", "linux/arm64", "linux/arm/v7" };
        static const char *const refs[] = { NULL, "latest" };
        for (size_t p = 0; p < HULL_ARRAY_LEN(plats); p++)
            for (size_t r = 0; r < HULL_ARRAY_LEN(refs); r++) {
                size_t w = 0;
                if (hull_index_select(&ix, refs[r], plats[p], &w, &err) < 0)
                    hull_err_clear(&err);
                else if (w >= ix.n)
                    __builtin_trap();
            }
        hull_index_release(&ix);
    }
    hull_err_clear(&err);
    return 0;
}
