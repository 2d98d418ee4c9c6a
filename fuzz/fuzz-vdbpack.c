/* libFuzzer target: one blob of the packed table (lib/vulndb/pack.c) decoded as a scan decodes
 * it. Any input must decode or be refused (-1): no crash, no leak, no sanitizer report; what
 * decodes is walked to make every pointer it holds be read. */
#include "core/common.h"
#include "vulndb/store.h"
#include "vulndb/vdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct hull_vuln_matches *m)
{
    size_t sum = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct hull_vuln_affected *f = &m->items[i];
        const struct hull_vuln_advisory *a = f->adv;
        sum += strlen(f->package) + strlen(a->source) + strlen(a->id);
        for (size_t r = 0; r < f->n_ranges; r++)
            for (size_t e = 0; e < f->ranges[r].n_events; e++)
                sum += strlen(f->ranges[r].events[e].version);
        for (size_t v = 0; v < f->n_versions; v++)
            sum += strlen(f->versions[v]);
        for (size_t x = 0; x < a->n_aliases; x++)
            sum += strlen(a->aliases[x]);
        for (size_t x = 0; x < a->n_cvss; x++)
            sum += strlen(a->cvss[x].vector);
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_vuln_matches *m = store_matches_new();
    if (!m)
        return 0;
    size_t cap = 0;
    /* twice into one result: the second pass finds every advisory already known */
    if (vdb_pack_decode(m, &cap, 0, "npm", data, size) == 0 &&
        vdb_pack_decode(m, &cap, 1, "npm", data, size) == 0 && walk(m) == SIZE_MAX)
        abort();
    hull_vuln_matches_free(m);
    return 0;
}
