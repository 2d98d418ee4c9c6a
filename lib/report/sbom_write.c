/* SBOM output: format names, the shared helpers, and the writer that picks a renderer. */
#include "core/common.h"
#include "core/digest.h"
#include "core/jsonout.h"
#include "report/sbompriv.h"
#include <ctype.h>

int hull_sbom_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "table"))
        return HULL_SBOM_TABLE;
    if (!strcmp(name, "json"))
        return HULL_SBOM_JSON;
    if (!strcmp(name, "cyclonedx") || !strcmp(name, "cyclonedx-json"))
        return HULL_SBOM_CYCLONEDX;
    if (!strcmp(name, "spdx-json"))
        return HULL_SBOM_SPDX;
    return -1;
}

void hull_sbom_timestamp(const struct hull_image_meta *meta, char out[32])
{
    const char *c = meta ? meta->created : NULL;
    /* accept "YYYY-MM-DDThh:mm:ss" followed by anything (fraction, zone); keep the seconds */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    bool ok = c && strlen(c) >= sizeof(shape) - 1;
    for (size_t i = 0; ok && i < sizeof(shape) - 1; i++)
        ok = shape[i] == 'd' ? isdigit((unsigned char)c[i]) != 0 : c[i] == shape[i];
    if (ok)
        snprintf(out, 32, "%.19sZ", c);
    else
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

const char *hull_sbom_subject(const struct hull_image_meta *meta)
{
    if (meta && meta->name && *meta->name)
        return meta->name;
    if (meta && meta->config_digest)
        return meta->config_digest;
    if (meta && meta->spec && *meta->spec)
        return meta->spec; /* dir: scans: what the user named */
    return "image";
}

void hull_sbom_fingerprint(const struct hull_inventory *inv, const struct hull_image_meta *meta,
                           char hex[65])
{
    struct hull_sha256 *h = hull_sha256_new();
    char d[HULL_DIGEST_STRLEN + 1];
    if (!h) {
        memset(hex, '0', 64);
        hex[64] = 0;
        return;
    }
    const char *id = meta && meta->config_digest ? meta->config_digest : "";
    hull_sha256_update(h, id, strlen(id) + 1);
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        if (p->purl)
            hull_sha256_update(h, p->purl, strlen(p->purl) + 1);
    }
    hull_sha256_final(h, d);
    hull_sha256_free(h);
    memcpy(hex, d + 7, 64);
    hex[64] = 0;
}

int hull_sbom_write(FILE *f, enum hull_sbom_format fmt, const struct hull_inventory *inv,
                    const struct hull_image_meta *meta, struct hull_err **err)
{
    if (fmt == HULL_SBOM_TABLE)
        return hull_sbom_table(f, inv, meta, err);
    json_t *doc = fmt == HULL_SBOM_JSON        ? hull_sbom_hull_json(inv, meta, err)
                  : fmt == HULL_SBOM_CYCLONEDX ? hull_sbom_cyclonedx(inv, meta, err)
                  : fmt == HULL_SBOM_SPDX      ? hull_sbom_spdx(inv, meta, err)
                                               : NULL;
    if (!doc) {
        if (err && *err)
            return -(int)(*err)->code;
        return hull_err_set(err, HULL_E_USAGE, "unknown SBOM format %d", (int)fmt);
    }
    int rc = hull_json_write(f, doc);
    json_decref(doc);
    if (rc < 0)
        return hull_err_sys(err, HULL_E_IO, errno, "writing the SBOM");
    return 0;
}
