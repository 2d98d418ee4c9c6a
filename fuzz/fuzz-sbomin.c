/* libFuzzer target: SBOM input (lib/source/sbomin.c, CycloneDX and SPDX JSON -> inventory).
 * Any input must give an inventory or fail with an error value. */
#include "core/common.h"
#include "hull/sbomin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_inventory *inv = hull_sbomin_parse(NULL, "fuzz", data, size, &err);
    hull_inventory_free(inv);
    hull_err_free(err);
    return 0;
}
