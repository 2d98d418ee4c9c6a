/* libFuzzer target: Python core metadata (METADATA / PKG-INFO, lib/analyzer/python.c). */
#include "fuzz-analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    if (!inv)
        return 0;
    hull_analyze_bytes(&hull_analyzer_python,
                       "/usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA", data, size, inv,
                       &err);
    hull_err_clear(&err);
    fuzz_inventory_done(inv, false);
    return 0;
}
