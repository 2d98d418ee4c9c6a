/* The human SBOM: the operating system, then one row per package (NAME VERSION TYPE ARCH
 * LAYER), columns sized to their content, then the warning count. */
#include "core/common.h"
#include "report/sbompriv.h"

static size_t width(const char *s)
{
    return s ? strlen(s) : 1;
}

int hull_sbom_table(FILE *f, const struct hull_inventory *inv, const struct hull_image_meta *meta,
                    struct hull_err **err)
{
    const struct hull_os *os = hull_inventory_os(inv);
    size_t n = hull_inventory_count(inv);
    size_t wn = 4, wv = 7, wt = 4, wa = 4;
    for (size_t i = 0; i < n; i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        if (width(p->name) > wn)
            wn = width(p->name);
        if (width(p->version) > wv)
            wv = width(p->version);
        if (width(p->arch) > wa)
            wa = width(p->arch);
    }
    if (wn > 60)
        wn = 60;
    if (wv > 40)
        wv = 40;
    int rc = 0;
    rc |= fprintf(f, "Image: %s\n", hull_sbom_subject(meta)) < 0;
    rc |= fprintf(f, "OS:    %s%s%s%s\n", os->id ? os->id : "unknown",
                  os->version ? " " : "", os->version ? os->version : "",
                  os->distroless ? " (distroless)" : "") < 0;
    rc |= fprintf(f, "\n%-*s  %-*s  %-*s  %-*s  %s\n", (int)wn, "NAME", (int)wv, "VERSION",
                  (int)wt, "TYPE", (int)wa, "ARCH", "LAYER") < 0;
    for (size_t i = 0; i < n; i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        rc |= fprintf(f, "%-*s  %-*s  %-*s  %-*s  %u\n", (int)wn, p->name, (int)wv, p->version,
                      (int)wt, hull_pkg_type_name(p->type), (int)wa, p->arch ? p->arch : "-",
                      p->layer) < 0;
    }
    size_t nw = hull_inventory_warning_count(inv);
    rc |= fprintf(f, "\n%zu package%s", n, n == 1 ? "" : "s") < 0;
    if (nw)
        rc |= fprintf(f, ", %zu warning%s", nw, nw == 1 ? "" : "s") < 0;
    rc |= fprintf(f, "\n") < 0;
    if (rc)
        return hull_err_sys(err, HULL_E_IO, errno, "writing the SBOM");
    return 0;
}
