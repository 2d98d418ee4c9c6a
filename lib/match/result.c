/* Storage of match results (matchpriv.h): owned strings, an arena for the findings' arrays,
 * and the lookup result the findings borrow from. */
#include "core/common.h"
#include "match/matchpriv.h"

struct match_priv *match_result_new(void)
{
    return calloc(1, sizeof(struct match_priv));
}

static struct match_priv *priv_of(struct hull_match_result *r)
{
    return (struct match_priv *)r;
}

char *match_own(struct match_priv *P, char *s)
{
    if (!s)
        return NULL;
    if (P->n_owned == P->cap_owned) {
        size_t nc = P->cap_owned ? P->cap_owned * 2 : 16;
        char **nv = realloc(P->owned, nc * sizeof(*nv));
        if (!nv) {
            free(s);
            return NULL;
        }
        P->owned = nv;
        P->cap_owned = nc;
    }
    P->owned[P->n_owned++] = s;
    return s;
}

/* n bytes (8-aligned) from the result's arena, NULL when out of memory. Arrays that grow get
 * a new piece and the old one stays unused until the result is freed. */
static void *arena_alloc(struct match_priv *P, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n > P->arena_left) {
        size_t sz = n > 65536 ? n : 65536;
        char *blk = match_own(P, malloc(sz));
        if (!blk)
            return NULL;
        P->arena = blk;
        P->arena_left = sz;
    }
    void *p = P->arena;
    P->arena += n;
    P->arena_left -= n;
    return p;
}

int match_grow(struct match_priv *P, void **v, size_t n, size_t elem)
{
    if (n != 0 && (n < 4 || (n & (n - 1))))
        return 0;
    void *nv = arena_alloc(P, (n ? n * 2 : 4) * elem);
    if (!nv)
        return -1;
    if (n)
        memcpy(nv, *v, n * elem);
    *v = nv;
    return 0;
}

int match_strv_add(struct match_priv *P, char ***v, size_t *n, const char *s)
{
    if (!s || !*s)
        return 0;
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == s || !strcmp((*v)[i], s))
            return 0;
    void *a = *v;
    if (match_grow(P, &a, *n, sizeof(**v)) < 0)
        return -1;
    *v = a;
    (*v)[(*n)++] = match_borrow(s);
    return 0;
}

void hull_match_result_free(struct hull_match_result *r)
{
    if (!r)
        return;
    struct match_priv *P = priv_of(r);
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].suppressed_by); /* set by hull_match_filter_apply */
    }
    free(r->findings);
    for (size_t i = 0; i < r->n_remedies; i++)
        free(r->remedies[i].to);
    free(r->remedies);
    for (size_t i = 0; i < r->n_unparsed; i++)
        free(r->unparsed[i].reason);
    free(r->unparsed);
    free(r->os_ecosystem);
    for (size_t i = 0; i < P->n_owned; i++)
        free(P->owned[i]);
    free(P->owned);
    hull_vuln_matches_free(P->m);
    free(P);
}
