/* Whether one affected entry of the database applies to an installed version (matchpriv.h).
 * Range evaluation follows the OSV schema's algorithm: events sorted by version ("introduced:
 * 0" first); the state after the last event at or below the installed version decides;
 * `last_affected` excludes versions above it, `limit` bounds the range. */
#include "core/common.h"
#include "hull/version.h"
#include "match/matchpriv.h"

struct ev {
    enum hull_vuln_event_kind kind;
    const char *v;
    bool zero; /* introduced "0" */
};

void match_vcache_reset(struct vcache *vc)
{
    vc->gen++;
    vc->n = 0;
}

/* match_vcmp(eco, ver, x, c) through the cache. */
static bool vcmp_ver(struct vcache *vc, enum hull_eco eco, const char *ver, const char *x,
                     int *c)
{
    if (!vc || !vc->cap)
        return match_vcmp(eco, ver, x, c);
    size_t xl = strlen(x);
    uint64_t h = match_hash(x, xl, (uint64_t)(uintptr_t)ver ^ (uint64_t)eco);
    size_t mask = vc->cap - 1, i = (size_t)h & mask;
    for (; vc->t[i].gen == vc->gen; i = (i + 1) & mask) {
        const struct vc_ent *e = &vc->t[i];
        if (e->h == h && e->ver == ver && e->eco == eco && (e->x == x || !strcmp(e->x, x))) {
            if (e->ok)
                *c = e->c;
            return e->ok;
        }
    }
    bool ok = hull_version_cmp(eco, ver, strlen(ver), x, xl, c, NULL) == 0;
    if ((vc->n + 1) * 2 > vc->cap) {
        size_t nc = vc->cap * 2;
        struct vc_ent *nt = calloc(nc, sizeof(*nt));
        if (!nt)
            return ok; /* not remembered */
        for (size_t k = 0; k < vc->cap; k++) {
            if (vc->t[k].gen != vc->gen)
                continue;
            size_t j = (size_t)vc->t[k].h & (nc - 1);
            while (nt[j].gen == vc->gen)
                j = (j + 1) & (nc - 1);
            nt[j] = vc->t[k];
        }
        free(vc->t);
        vc->t = nt;
        vc->cap = nc;
        mask = nc - 1;
        for (i = (size_t)h & mask; vc->t[i].gen == vc->gen; i = (i + 1) & mask)
            ;
    }
    vc->t[i] = (struct vc_ent){ h, ver, x, vc->gen, eco, ok ? *c : 0, ok };
    vc->n++;
    return ok;
}

/* Evaluate one ECOSYSTEM/SEMVER range. Returns 1 affected, 0 not, -1 unusable.
 * *fixed gets the lowest fixed event above the installed version (borrowed). */
static int eval_range(struct vcache *vc, enum hull_eco eco, const char *ver,
                      const struct hull_vuln_range *r, const char **fixed)
{
    size_t n = r->n_events;
    if (n == 0)
        return -1;
    /* ranges have a handful of events: no allocation for those */
    struct ev small[16];
    struct ev *evs = n <= HULL_ARRAY_LEN(small) ? small : calloc(n, sizeof(*evs));
    if (!evs)
        return -1;
    for (size_t i = 0; i < n; i++) {
        evs[i].kind = r->events[i].kind;
        evs[i].v = r->events[i].version ? r->events[i].version : "";
        evs[i].zero = evs[i].kind == HULL_VULN_EV_INTRODUCED && !strcmp(evs[i].v, "0");
    }
    /* insertion sort by version; introduced "0" sorts first */
    for (size_t i = 1; i < n; i++) {
        struct ev cur = evs[i];
        size_t j = i;
        while (j > 0) {
            int c;
            if (cur.zero)
                c = evs[j - 1].zero ? 0 : -1;
            else if (evs[j - 1].zero)
                c = 1;
            else if (!match_vcmp(eco, cur.v, evs[j - 1].v, &c)) {
                if (evs != small)
                    free(evs);
                return -1;
            }
            if (c >= 0)
                break;
            evs[j] = evs[j - 1];
            j--;
        }
        evs[j] = cur;
    }
    bool affected = false;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int c = 0;
        if (!evs[i].zero && !vcmp_ver(vc, eco, ver, evs[i].v, &c)) {
            rc = -1;
            break;
        }
        switch (evs[i].kind) {
        case HULL_VULN_EV_INTRODUCED:
            if (evs[i].zero || c >= 0)
                affected = true;
            break;
        case HULL_VULN_EV_FIXED:
            if (c >= 0)
                affected = false;
            else if (affected && !*fixed)
                *fixed = evs[i].v;
            break;
        case HULL_VULN_EV_LAST_AFFECTED:
            if (c > 0)
                affected = false;
            break;
        case HULL_VULN_EV_LIMIT:
            if (c >= 0)
                affected = false;
            break;
        }
        if (c < 0 && !evs[i].zero && evs[i].kind != HULL_VULN_EV_FIXED)
            break; /* later events are above the installed version */
        if (c < 0 && evs[i].kind == HULL_VULN_EV_FIXED)
            break;
    }
    if (evs != small)
        free(evs);
    if (rc < 0)
        return -1;
    if (!affected)
        *fixed = NULL;
    return affected ? 1 : 0;
}

/* Node.js security-WG entries keep their patched range as the reason ("patched: >=4.17.19").
 * When it is a single lower bound above the installed version, that bound is the fixed
 * version (borrowed from the reason); anything more complex gives no fixed version. */
static const char *patched_floor(struct vcache *vc, enum hull_eco eco, const char *ver,
                                 const char *reason)
{
    static const char pfx[] = "patched: >=";
    if (!reason || strncmp(reason, pfx, sizeof(pfx) - 1))
        return NULL;
    const char *v = reason + sizeof(pfx) - 1;
    while (*v == ' ')
        v++;
    if (!*v || strpbrk(v, " |<>=^~*xX"))
        return NULL;
    int c;
    if (!vcmp_ver(vc, eco, ver, v, &c) || c >= 0)
        return NULL;
    return v;
}

/* Decide whether entry a affects version ver. Returns 1/0, or -1 when nothing in the entry
 * could be evaluated (bad versions in the feed): such entries are skipped with a warning. */
int match_evaluate(const struct hull_ctx *ctx, struct vcache *vc, enum hull_eco eco,
                   const char *ver, const struct hull_vuln_affected *a, const char **fixed,
                   enum hull_vuln_status *status)
{
    *fixed = NULL;
    *status = a->status;
    if (a->adv->withdrawn || a->status == HULL_VULN_NOT_AFFECTED)
        return 0;
    if (a->fixed && !strcmp(a->fixed, "0"))
        return 0;
    bool usable = false, hit = false, rhit = false;
    for (size_t i = 0; i < a->n_versions && !hit; i++) {
        usable = true;
        int c;
        if (!strcmp(a->versions[i], ver) || (match_vcmp(eco, a->versions[i], ver, &c) && c == 0))
            hit = true;
    }
    /* ranges are evaluated even after a versions-list hit: they give the fixed version of
     * the branch the installed version is on */
    for (size_t i = 0; i < a->n_ranges && !rhit; i++) {
        const struct hull_vuln_range *r = &a->ranges[i];
        if (r->expr && !strcmp(r->type, "NPM_EXPR")) {
            bool ok = false;
            struct hull_err *e = NULL;
            if (hull_semver_satisfies(ver, r->expr, &ok, &e) < 0) {
                hull_log(ctx, HULL_LOG_DEBUG, "%s: range '%s': %s", a->adv->id, r->expr,
                         e->msg);
                hull_err_free(e);
                continue;
            }
            usable = true;
            rhit = ok;
            if (ok)
                *fixed = patched_floor(vc, eco, ver, a->reason);
        } else if (!strcmp(r->type, "ECOSYSTEM") || !strcmp(r->type, "SEMVER")) {
            const char *fx = NULL;
            int v = eval_range(vc, eco, ver, r, &fx);
            if (v < 0) {
                hull_log(ctx, HULL_LOG_DEBUG, "%s: a range has versions that do not parse",
                         a->adv->id);
                continue;
            }
            usable = true;
            if (v == 1) {
                rhit = true;
                *fixed = fx;
            }
        }
    }
    hit = hit || rhit;
    if (!usable) {
        /* no ranges or versions: the entry's own fixed version and status decide */
        if (a->fixed) {
            int c;
            if (!vcmp_ver(vc, eco, ver, a->fixed, &c))
                return -1;
            if (c >= 0)
                return 0;
            *fixed = a->fixed;
            *status = HULL_VULN_FIXED;
            return 1;
        }
        if (a->status == HULL_VULN_FIXED)
            return 0; /* fixed, but in no version the source names: nothing to compare */
        return 1;     /* affected / will_not_fix / deferred / end_of_life / undetermined */
    }
    if (!hit)
        return 0;
    if (!*fixed && a->fixed) {
        int c;
        if (vcmp_ver(vc, eco, ver, a->fixed, &c) && c < 0)
            *fixed = a->fixed;
    }
    if (*fixed)
        *status = HULL_VULN_FIXED;
    else if (*status == HULL_VULN_FIXED)
        *status = HULL_VULN_AFFECTED;
    return 1;
}

