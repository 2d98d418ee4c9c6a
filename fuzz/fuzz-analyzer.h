/* Shared pieces of the analyzer fuzz targets (fuzz/fuzz-{apk,dpkg,osrelease,npm,npmlock,
 * python,rpmdb}.c). A header, not a .c: every fuzz/fuzz-*.c is built as its own target. */
#ifndef HULL_FUZZ_ANALYZER_H
#define HULL_FUZZ_ANALYZER_H
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "hull/sbom.h"

/* Finishes inv (dedupe, purls, sort); when render is set and that worked, renders it as hull
 * JSON and CycloneDX into memory. Errors are dropped; inv is freed. */
static inline void fuzz_inventory_done(struct hull_inventory *inv, bool render)
{
    struct hull_err *err = NULL;
    if (hull_inventory_finish(inv, &err) == 0 && render) {
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
}

/* Runs analyzer a over data[0..size) as the file at path, then finishes and renders the
 * inventory. Always returns 0 (the libFuzzer convention). */
static inline int fuzz_analyze_render(const struct hull_analyzer *a, const char *path,
                                      const uint8_t *data, size_t size)
{
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_inventory *inv = hull_inventory_new(&ctx);
    struct hull_err *err = NULL;
    if (!inv)
        return 0;
    hull_analyze_bytes(a, path, data, size, inv, &err);
    hull_err_clear(&err);
    fuzz_inventory_done(inv, true);
    return 0;
}
#endif
