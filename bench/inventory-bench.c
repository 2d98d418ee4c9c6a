/* Bench driver for bench/inventory.sh: one image, one of three modes:
 *   walk     open the image and walk every layer, keeping no file contents
 *   capture  the same walk, capturing every file an analyzer wants (no parsing)
 *   scan     the full inventory: walk + analyzers + finish + hull JSON rendered to /dev/null
 * Timing is measured from outside; the difference between modes is the cost of analysis. */
#include <stdio.h>
#include <string.h>
#include "core/common.h"
#include "hull/image.h"
#include "hull/sbom.h"
#include "hull/scan.h"
#include "layer/walk.h"
#include "analyzer/analyzer.h"

static bool want_none(void *ud, const char *path)
{
    (void)ud;
    (void)path;
    return false;
}

static bool want_analyzers(void *ud, const char *path)
{
    (void)ud;
    return hull_analyzers_want(path);
}

static int on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    (void)err;
    *(size_t *)ud += f->len;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "walk") && strcmp(argv[1], "capture") &&
                      strcmp(argv[1], "scan"))) {
        fprintf(stderr, "usage: inventory-bench walk|capture|scan IMAGE\n");
        return 2;
    }
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_err *err = NULL;
    if (!strcmp(argv[1], "scan")) {
        struct hull_scan *s = NULL;
        if (hull_scan_image(&ctx, argv[2], NULL, &s, &err) < 0)
            goto fail;
        FILE *null = fopen("/dev/null", "w");
        int rc = null ? hull_sbom_write(null, HULL_SBOM_JSON, s->inv, hull_image_meta(s->image),
                                        &err)
                      : -1;
        if (null)
            fclose(null);
        printf("%zu packages\n", hull_inventory_count(s->inv));
        hull_scan_free(s);
        if (rc < 0)
            goto fail;
        return 0;
    }
    struct hull_image *img = NULL;
    if (hull_image_open(&ctx, argv[2], NULL, &img, &err) < 0)
        goto fail;
    size_t captured = 0;
    struct hull_walk_opts wo = { .wants = !strcmp(argv[1], "walk") ? want_none : want_analyzers,
                                 .on_file = on_file, .ud = &captured };
    struct hull_fs *fs = NULL;
    int rc = hull_walk(&ctx, img, &wo, &fs, &err);
    if (rc == 0)
        printf("%zu entries, %zu bytes captured\n", hull_fs_count(fs), captured);
    if (fs)
        hull_fs_free(fs);
    hull_image_free(img);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "inventory-bench: %s\n", err ? err->msg : "failed");
    hull_err_free(err);
    return 1;
}
