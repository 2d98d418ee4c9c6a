/* Private to lib/match: the storage behind a struct hull_match_result (result.c) and the order
 * of its findings (order.c).
 *
 * Findings do not copy strings: ids, aliases, references, sources, CVSS vectors, fixed
 * versions, reasons, titles and dates point into the database lookup result, which the match
 * result keeps (and frees with itself); the installed version points into the inventory (which
 * must outlive the result anyway: findings borrow its packages). Only the strings made while
 * matching, targets (one per distinct section) and titles cut from details, are owned, listed
 * in `owned`. Only hull_match creates results, so hull_match_result_free can find the private
 * part around the public struct. */
#ifndef HULL_MATCH_MATCHPRIV_H
#define HULL_MATCH_MATCHPRIV_H
#include "core/common.h"
#include "hull/match.h"
#include "hull/vulndb.h"
#include "hull/version.h"

struct match_priv {
    struct hull_match_result pub; /* first: hull_match_result_free casts back */
    struct hull_vuln_matches *m;  /* the lookup result the findings borrow from */
    char **owned;                 /* owned strings and arena blocks */
    size_t n_owned, cap_owned;
    char *arena;                  /* the findings' id, ref, source and CVSS arrays */
    size_t arena_left;
};

/* A new empty result (NULL on OOM); free it with hull_match_result_free. */
struct match_priv *match_result_new(void);
/* Take ownership of s (NULL: out of memory). Returns s, or NULL (and frees s) on failure. */
char *match_own(struct match_priv *P, char *s);
/* Room for one more element in the arena array *v of n elements that grows by doubling (the
 * capacity is n rounded up to a power of two, at least 4). Returns 0 or -1 (OOM). */
int match_grow(struct match_priv *P, void **v, size_t n, size_t elem);
/* Append s (borrowed) to the string array *v unless empty or already present; 0 or -1. */
int match_strv_add(struct match_priv *P, char ***v, size_t *n, const char *s);

/* Finding fields are `char *` in the public struct; borrowed strings are never written. */
static inline char *match_borrow(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* Sort r's findings: target, package name, installed version, (other package: arch,
 * found_in), severity high first, id, then the order they were made in. pkg_index[k] is the
 * inventory index of finding k's package, np the inventory's size. 0, or -1 on OOM. */
int match_sort_findings(struct hull_match_result *r, const size_t *pkg_index, size_t np);

/* ---- evaluation (evaluate.c) ---- */

/* Compare two versions; parse errors make the range unusable (returns false). */
static inline bool match_vcmp(enum hull_eco eco, const char *a, const char *b, int *c)
{
    return hull_version_cmp(eco, a, strlen(a), b, strlen(b), c, NULL) == 0;
}

/* A hash of n bytes, 8 at a time (lookup tables only: nothing depends on its values). */
static inline uint64_t match_hash(const char *s, size_t n, uint64_t h)
{
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ w ^ ((uint64_t)n << 56)) * 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Results of comparing a package's version with the versions named by the entries of its
 * key: the entries of one package repeat the same fixed versions (tracker, OVAL and DSA
 * records of one CVE; one upload fixing several CVEs), and a comparison parses both sides.
 * Entries come grouped by key: a new key starts a new generation, which empties the table. */
struct vc_ent {
    uint64_t h;
    const char *ver, *x; /* ver: the package's string (by address), x: the other version */
    unsigned gen;
    enum hull_eco eco;
    int c;
    bool ok;
};

struct vcache {
    struct vc_ent *t;
    size_t cap, n; /* cap: power of two, 0 = no cache */
    unsigned gen;
};

/* Start a new generation of the cache (the entries of another key). */
void match_vcache_reset(struct vcache *vc);
/* Decide whether entry a affects version ver of ecosystem eco: 1 or 0, or -1 when nothing in
 * the entry could be evaluated (versions that do not parse). *fixed gets the fixed version
 * that applies (borrowed, may be NULL), *status the entry's status as it applies. */
int match_evaluate(const struct hull_ctx *ctx, struct vcache *vc, enum hull_eco eco,
                   const char *ver, const struct hull_vuln_affected *a, const char **fixed,
                   enum hull_vuln_status *status);
#endif
