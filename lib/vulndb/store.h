/* Private to lib/vulndb: storage of a lookup result (struct hull_vuln_matches). Every string
 * and array of a result lives in one chunked bump allocator; advisories are shared between the
 * entries of a result through an index over (source, id). */
#ifndef HULL_VULNDB_STORE_H
#define HULL_VULNDB_STORE_H
#include "core/common.h"
#include "hull/vulndb.h"

struct store_chunk;

struct store {
    struct store_chunk *head;
    /* advisory index: open addressing over (source, id) */
    struct hull_vuln_advisory **slots;
    uint64_t *hashes; /* hash of each used slot */
    size_t nslots, nused;
};

/* A new empty result whose storage is a fresh store (m->priv_); NULL on OOM. Free it with
 * hull_vuln_matches_free. */
struct hull_vuln_matches *store_matches_new(void);
static inline struct store *store_of(struct hull_vuln_matches *m) { return m->priv_; }

/* n bytes, 16-aligned, freed with the result; NULL on OOM. */
void *st_alloc(struct store *s, size_t n);
/* Copy of a NUL-terminated string (NULL stays NULL; NULL also on OOM with v set). */
const char *st_str(struct store *s, const char *v);

/* The advisory (source, id) of this result: the existing one, or a new zeroed one with source
 * and id copied (*created set). NULL on OOM. */
struct hull_vuln_advisory *store_advisory(struct store *s, const char *source, const char *id,
                                          bool *created);

/* Append one zeroed entry to m->items (capacity *cap); NULL on OOM. */
struct hull_vuln_affected *store_push_item(struct hull_vuln_matches *m, size_t *cap);

/* Sort m->items by key, source, advisory id, then their current order. Returns 0 or -1
 * (OOM). Already sorted input costs one pass. */
int store_sort_items(struct hull_vuln_matches *m);
#endif
