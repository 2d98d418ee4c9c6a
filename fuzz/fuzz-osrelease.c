/* libFuzzer target: os-release files (lib/analyzer/os_release.c).
 * The input is parsed as /etc/os-release;
 * the inventory is finished (dedupe, purls, sort) and rendered as hull JSON and
 * CycloneDX, so a crash anywhere on that path is found. */
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "hull/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_inventory *inv = hull_inventory_new(&ctx);
    struct hull_err *err = NULL;
    if (!inv)
        return 0;
    hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", data, size, inv, &err);
    hull_err_clear(&err);
    if (hull_inventory_finish(inv, &err) == 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            hull_sbom_write(f, HULL_SBOM_JSON, inv, NULL, &err);
            hull_err_clear(&err);
            hull_sbom_write(f, HULL_SBOM_CYCLONEDX, inv, NULL, &err);
            fclose(f);
        }
        free(buf);
    }
    hull_err_clear(&err);
    hull_inventory_free(inv);
    return 0;
}
