/* The analyzer table and the dispatch of one captured file to the analyzers that want it. */
#include "core/common.h"
#include "analyzer/analyzer.h"

const struct hull_analyzer *const hull_analyzers[] = {
    &hull_analyzer_osrelease, &hull_analyzer_dpkg, &hull_analyzer_apk,
    &hull_analyzer_rpmdb,     &hull_analyzer_npm,  &hull_analyzer_npmlock,
    &hull_analyzer_python,    NULL,
};

bool hull_analyzers_want(const char *path)
{
    for (size_t i = 0; hull_analyzers[i]; i++)
        if (hull_analyzers[i]->wants(path))
            return true;
    return false;
}

int hull_analyzers_run(const struct hull_input *in, struct hull_inventory *inv,
                       struct hull_err **err)
{
    for (size_t i = 0; hull_analyzers[i]; i++) {
        const struct hull_analyzer *a = hull_analyzers[i];
        if (!a->wants(in->path))
            continue;
        struct hull_err *e = NULL;
        if (a->parse(in, inv, &e) < 0) {
            if (e && e->code == HULL_E_NOMEM) {
                hull_err_free(e);
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            }
            hull_inventory_warn(inv, "%s: %s", in->path, e ? e->msg : "unreadable");
            hull_err_free(e);
        }
    }
    return 0;
}

int hull_analyzers_finish(struct hull_inventory *inv, struct hull_err **err)
{
    for (size_t i = 0; hull_analyzers[i]; i++) {
        const struct hull_analyzer *a = hull_analyzers[i];
        struct hull_err *e = NULL;
        if (!a->finish || a->finish(inv, &e) == 0)
            continue;
        if (e && e->code == HULL_E_NOMEM) {
            hull_err_free(e);
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
        hull_inventory_warn(inv, "%s: %s", a->name, e ? e->msg : "failed");
        hull_err_free(e);
    }
    return 0;
}

int hull_analyze_bytes(const struct hull_analyzer *a, const char *path, const void *data,
                       size_t len, struct hull_inventory *inv, struct hull_err **err)
{
    /* analyzers may rely on data[len] == 0, as the walker guarantees */
    uint8_t *copy = malloc(len + 1);
    if (!copy)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (len)
        memcpy(copy, data, len);
    copy[len] = 0;
    struct hull_input in = { .path = path, .data = copy, .len = len, .diff_id = "" };
    int rc = a->parse(&in, inv, err);
    free(copy);
    if (rc == 0 && a->finish)
        rc = a->finish(inv, err);
    return rc;
}
