/* The order of a match result's findings (matchpriv.h): target, package name, installed
 * version, (other package: arch, found_in), severity high first, id, then the order the
 * findings were made in. The package part is ranked once per package, so the finding sort
 * compares an integer, the severity and the id. */
#include "core/common.h"
#include "match/matchpriv.h"

struct pkrank {
    const struct hull_pkg *p;
    const char *target, *ver;
    size_t idx;
};

static int strcmp_p(const char *a, const char *b)
{
    return a == b ? 0 : strcmp(a, b);
}

static int cmp_pkrank(const void *pa, const void *pb)
{
    const struct pkrank *a = pa, *b = pb;
    int c;
    if ((c = strcmp_p(a->target, b->target)))
        return c;
    if ((c = strcmp(a->p->name, b->p->name)))
        return c;
    if ((c = strcmp_p(a->ver, b->ver)))
        return c;
    if (a->p != b->p) {
        if ((c = strcmp(a->p->arch ? a->p->arch : "", b->p->arch ? b->p->arch : "")))
            return c;
        if ((c = strcmp(a->p->found_in ? a->p->found_in : "",
                        b->p->found_in ? b->p->found_in : "")))
            return c;
    }
    return 0;
}

struct fkey {
    size_t rank, idx;
    int sev;
    const char *id;
};

static int cmp_fkey(const void *pa, const void *pb)
{
    const struct fkey *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->sev != b->sev)
        return a->sev > b->sev ? -1 : 1;
    int c = strcmp_p(a->id, b->id);
    if (c)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int match_sort_findings(struct hull_match_result *r, const size_t *pkg_index, size_t np)
{
    size_t n = r->n_findings;
    if (n < 2)
        return 0;
    int rc = -1;
    size_t *rank = malloc(np * sizeof(*rank));
    struct pkrank *pk = malloc(np * sizeof(*pk));
    struct fkey *keys = malloc(n * sizeof(*keys));
    struct hull_finding *sorted = malloc(n * sizeof(*sorted));
    if (!rank || !pk || !keys || !sorted)
        goto out;
    /* rank every package that has findings once */
    for (size_t i = 0; i < np; i++)
        rank[i] = SIZE_MAX;
    size_t npk = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = pkg_index[k];
        if (rank[i] != SIZE_MAX)
            continue;
        rank[i] = 0;
        pk[npk++] = (struct pkrank){ r->findings[k].pkg, r->findings[k].target,
                                     r->findings[k].installed, i };
    }
    qsort(pk, npk, sizeof(*pk), cmp_pkrank);
    for (size_t j = 0, q = 0; j < npk; j++) {
        if (j && cmp_pkrank(&pk[j - 1], &pk[j]))
            q++;
        rank[pk[j].idx] = q;
    }
    for (size_t k = 0; k < n; k++)
        keys[k] = (struct fkey){ rank[pkg_index[k]], k, (int)r->findings[k].severity,
                                 r->findings[k].id };
    qsort(keys, n, sizeof(*keys), cmp_fkey);
    for (size_t k = 0; k < n; k++)
        sorted[k] = r->findings[keys[k].idx];
    free(r->findings);
    r->findings = sorted;
    sorted = NULL;
    rc = 0;
out:
    free(rank);
    free(pk);
    free(keys);
    free(sorted);
    return rc;
}
