/* libFuzzer target: npm lockfiles (lib/analyzer/npm_lock.c). The first input byte picks the
 * parser (package-lock.json, yarn.lock, pnpm-lock.yaml), the rest is the file; the inventory
 * is then finished with lockfiles counted, so entries are merged and get purls. */
#include "fuzz-analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = { "/src/package-lock.json", "/src/yarn.lock",
                                         "/src/pnpm-lock.yaml" };
    if (!size)
        return 0;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_inventory *inv = hull_inventory_new(&ctx);
    struct hull_err *err = NULL;
    if (!inv)
        return 0;
    hull_inventory_use_lockfiles(inv, true);
    hull_analyze_bytes(&hull_analyzer_npmlock, paths[data[0] % 3], data + 1, size - 1, inv, &err);
    hull_err_clear(&err);
    fuzz_inventory_done(inv, false);
    return 0;
}
