/* Storage of lookup results: a chunked bump allocator and the advisory index (store.h). */
#include "core/common.h"
#include "core/buf.h"
#include "vulndb/store.h"

struct store_chunk {
    struct store_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct hull_vuln_matches *store_matches_new(void)
{
    struct hull_vuln_matches *m = calloc(1, sizeof(*m));
    struct store *s = calloc(1, sizeof(*s));
    if (!m || !s) {
        free(m);
        free(s);
        return NULL;
    }
    m->priv_ = s;
    return m;
}

void *st_alloc(struct store *s, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!s->head || s->head->cap - s->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        struct store_chunk *c = malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->next = s->head;
        c->used = 0;
        c->cap = cap;
        s->head = c;
    }
    void *p = (char *)s->head->data + s->head->used;
    s->head->used += n;
    return p;
}

const char *st_str(struct store *s, const char *v)
{
    if (!v)
        return NULL;
    size_t n = strlen(v);
    char *p = st_alloc(s, n + 1);
    if (p)
        memcpy(p, v, n + 1);
    return p;
}

void hull_vuln_matches_free(struct hull_vuln_matches *m)
{
    if (!m)
        return;
    struct store *s = m->priv_;
    if (s) {
        for (struct store_chunk *c = s->head, *n; c; c = n) {
            n = c->next;
            free(c);
        }
        free(s->slots);
        free(s->hashes);
        free(s);
    }
    free(m->items);
    free(m);
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ull;
    /* murmur3 finaliser: FNV's low bits, which the table index uses, mix poorly */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* The slot of (src, id) whose hash is h: empty or matching. */
static size_t adv_slot(struct store *s, const char *src, const char *id, uint64_t h)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)h & mask;
    while (s->slots[i] && (s->hashes[i] != h || strcmp(s->slots[i]->source, src) ||
                           strcmp(s->slots[i]->id, id)))
        i = (i + 1) & mask;
    return i;
}

static int grow_slots(struct store *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 1024;
    struct hull_vuln_advisory **old = s->slots;
    uint64_t *oldh = s->hashes;
    size_t oldn = s->nslots;
    s->slots = calloc(n, sizeof(*s->slots));
    s->hashes = malloc(n * sizeof(*s->hashes));
    if (!s->slots || !s->hashes) {
        free(s->slots);
        free(s->hashes);
        s->slots = old;
        s->hashes = oldh;
        return -1;
    }
    s->nslots = n;
    size_t mask = n - 1;
    for (size_t i = 0; i < oldn; i++) {
        if (!old[i])
            continue;
        size_t j = (size_t)oldh[i] & mask;
        while (s->slots[j])
            j = (j + 1) & mask;
        s->slots[j] = old[i];
        s->hashes[j] = oldh[i];
    }
    free(old);
    free(oldh);
    return 0;
}

struct hull_vuln_advisory *store_advisory(struct store *s, const char *source, const char *id,
                                          bool *created)
{
    *created = false;
    if (s->nused * 2 >= s->nslots && grow_slots(s) < 0)
        return NULL;
    uint64_t h = hash2(source, id);
    size_t slot = adv_slot(s, source, id, h);
    if (s->slots[slot])
        return s->slots[slot];
    struct hull_vuln_advisory *a = st_alloc(s, sizeof(*a));
    if (!a)
        return NULL;
    memset(a, 0, sizeof(*a));
    a->source = st_str(s, source);
    a->id = st_str(s, id);
    if (!a->source || !a->id)
        return NULL;
    s->slots[slot] = a;
    s->hashes[slot] = h;
    s->nused++;
    *created = true;
    return a;
}

struct hull_vuln_affected *store_push_item(struct hull_vuln_matches *m, size_t *cap)
{
    if (hull_grow(&m->items, m->n, cap, sizeof(*m->items), 64) < 0)
        return NULL;
    struct hull_vuln_affected *f = &m->items[m->n++];
    memset(f, 0, sizeof(*f));
    return f;
}

static int item_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct hull_vuln_affected *items = ctx;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const struct hull_vuln_affected *a = &items[ia], *b = &items[ib];
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    int c = a->adv == b->adv ? 0 : strcmp(a->adv->source, b->adv->source);
    if (!c && a->adv != b->adv)
        c = strcmp(a->adv->id, b->adv->id);
    return c ? c : (ia < ib ? -1 : ia > ib);
}

int store_sort_items(struct hull_vuln_matches *m)
{
    if (m->n < 2)
        return 0;
    size_t i = 1;
    while (i < m->n && item_cmp(&(size_t){ i - 1 }, &(size_t){ i }, m->items) < 0)
        i++;
    if (i == m->n)
        return 0;
    size_t *ord = malloc(m->n * sizeof(*ord));
    struct hull_vuln_affected *out = malloc(m->n * sizeof(*out));
    if (!ord || !out) {
        free(ord);
        free(out);
        return -1;
    }
    for (i = 0; i < m->n; i++)
        ord[i] = i;
    qsort_r(ord, m->n, sizeof(*ord), item_cmp, m->items);
    for (i = 0; i < m->n; i++)
        out[i] = m->items[ord[i]];
    free(ord);
    free(m->items);
    m->items = out;
    return 0;
}
