/* libFuzzer target: OpenVEX documents (lib/match/vex.c). Any input must parse or fail with an
 * error value; a parsed document is also matched against findings with and without purls. */
#include "core/common.h"
#include "hull/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_vex *v = hull_vex_parse("fuzz", data, size, &err);
    if (v) {
        struct hull_pkg p = { .type = HULL_PKG_DPKG, .name = (char *)"libssl3",
                              .purl = (char *)"pkg:deb/debian/libssl3@3.0.11-1~deb12u1"
                                              "?arch=amd64&distro=debian-12" };
        char *ids[] = { (char *)"CVE-2023-5363", (char *)"DEBIAN-CVE-2023-5363" };
        struct hull_finding fd = { .pkg = &p, .id = ids[0], .ids = ids, .n_ids = 2 };
        (void)hull_vex_match(v, &fd);
        p.purl = NULL;
        (void)hull_vex_match(v, &fd);
    }
    hull_vex_free(v);
    hull_err_free(err);
    return 0;
}
