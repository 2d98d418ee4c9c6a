/* libFuzzer target: .hullignore files (lib/match/ignore.c). Any input must parse or fail with
 * an error value; a parsed file is also matched against a finding. */
#include "core/common.h"
#include "hull/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_ignorefile *f = hull_ignorefile_parse("fuzz", data, size, &err);
    if (f) {
        struct hull_pkg p = { .type = HULL_PKG_NPM, .name = (char *)"lodash" };
        char *ids[] = { (char *)"CVE-2020-8203", (char *)"GHSA-p6mc-m468-83gw" };
        struct hull_finding fd = { .pkg = &p, .id = ids[0], .ids = ids, .n_ids = 2 };
        (void)hull_ignorefile_match(f, &fd, 20240101);
    }
    hull_ignorefile_free(f);
    hull_err_free(err);
    return 0;
}
