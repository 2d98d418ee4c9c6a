/* The matcher: inventory x vulnerability database -> findings (include/hull/match.h).
 *
 * Packages are keyed by (ecosystem, package) and looked up in one batch (the database's
 * packed table, docs/vulndb.md); each returned entry is evaluated against the packages of its
 * key only (evaluate.c), and what applies becomes a finding, merged per (package, CVE or
 * advisory id). Storage of the result is result.c, the order of its findings order.c. */
#include "core/common.h"
#include <ctype.h>
#include <strings.h>
#include "hull/match.h"
#include "hull/version.h"
#include "match/matchpriv.h"

static const char *const sev_names[HULL_SEV__COUNT] = { "UNKNOWN", "LOW", "MEDIUM", "HIGH",
                                                        "CRITICAL" };

const char *hull_severity_name(enum hull_severity s)
{
    return (unsigned)s < HULL_SEV__COUNT ? sev_names[s] : "UNKNOWN";
}

int hull_severity_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < HULL_SEV__COUNT; i++)
        if (!strcasecmp(s, sev_names[i]))
            return i;
    if (!strcasecmp(s, "MODERATE"))
        return HULL_SEV_MEDIUM;
    if (!strcasecmp(s, "IMPORTANT"))
        return HULL_SEV_HIGH;
    return -1;
}

/* ---- keys ---- */

/* "12.2" -> "12"; "3.18.8" -> "3.18" (parts = 1 or 2). NULL when not numeric. */
static char *version_prefix(const char *v, int parts)
{
    if (!v || !isdigit((unsigned char)*v))
        return NULL;
    size_t i = 0;
    int seen = 0;
    while (v[i]) {
        if (v[i] == '.') {
            if (++seen == parts)
                break;
        } else if (!isdigit((unsigned char)v[i])) {
            break;
        }
        i++;
    }
    return strndup(v, i);
}

static char *os_ecosystem(const struct hull_os *os, enum hull_pkg_type type)
{
    if (!os || !os->family)
        return NULL;
    char *out = NULL, *pre = NULL;
    if (type == HULL_PKG_DPKG && !strcmp(os->family, "debian")) {
        pre = version_prefix(os->version_id ? os->version_id : os->version, 1);
        if (pre && asprintf(&out, "Debian:%s", pre) < 0)
            out = NULL;
    } else if (type == HULL_PKG_DPKG && !strcmp(os->family, "ubuntu")) {
        pre = version_prefix(os->version_id, 2);
        if (pre && asprintf(&out, "Ubuntu:%s", pre) < 0)
            out = NULL;
    } else if (type == HULL_PKG_APK && !strcmp(os->family, "alpine")) {
        pre = version_prefix(os->version ? os->version : os->version_id, 2);
        if (pre && asprintf(&out, "Alpine:v%s", pre) < 0)
            out = NULL;
    }
    free(pre);
    return out;
}

/* The (ecosystem, name) key of p, borrowed: name points into p, eco is a static string or
 * os_eco[p->type], which is computed once per package type (the caller frees os_eco[]). */
static bool match_key_borrowed(const struct hull_inventory *inv, const struct hull_pkg *p,
                               char **os_eco, bool *os_eco_done, const char **eco,
                               const char **name)
{
    *eco = *name = NULL;
    switch (p->type) {
    case HULL_PKG_DPKG:
    case HULL_PKG_APK:
        if (!os_eco_done[p->type]) {
            os_eco[p->type] = os_ecosystem(hull_inventory_os(inv), p->type);
            os_eco_done[p->type] = true;
        }
        *eco = os_eco[p->type];
        if (p->type == HULL_PKG_DPKG)
            *name = p->source_name ? p->source_name : p->name;
        else
            *name = p->origin ? p->origin : p->name;
        break;
    case HULL_PKG_NPM:
        *eco = "npm";
        *name = p->name;
        break;
    case HULL_PKG_PYPI:
        *eco = "PyPI";
        *name = p->name;
        break;
    default:
        break;
    }
    if (!*eco || !*name) {
        *eco = *name = NULL;
        return false;
    }
    return true;
}

bool hull_match_key(const struct hull_inventory *inv, const struct hull_pkg *p, char **eco,
                    char **name)
{
    char *os_eco[HULL_PKG__COUNT] = { 0 };
    bool os_eco_done[HULL_PKG__COUNT] = { 0 };
    const char *e, *n;

    *eco = *name = NULL;
    if (match_key_borrowed(inv, p, os_eco, os_eco_done, &e, &n)) {
        *eco = strdup(e);
        *name = strdup(n);
    }
    for (size_t t = 0; t < HULL_PKG__COUNT; t++)
        free(os_eco[t]);
    if (!*eco || !*name) {
        free(*eco);
        free(*name);
        *eco = *name = NULL;
        return false;
    }
    return true;
}

static bool pkg_eco(const struct hull_pkg *p, enum hull_eco *eco)
{
    switch (p->type) {
    case HULL_PKG_DPKG: *eco = HULL_ECO_DEB; return true;
    case HULL_PKG_APK: *eco = HULL_ECO_APK; return true;
    case HULL_PKG_RPM: *eco = HULL_ECO_RPM; return true;
    case HULL_PKG_NPM: *eco = HULL_ECO_NPM; return true;
    case HULL_PKG_PYPI: *eco = HULL_ECO_PYPI; return true;
    default: return false;
    }
}

/* The version that is compared: Debian advisories speak of source versions. */
static const char *pkg_version(const struct hull_pkg *p)
{
    if (p->type == HULL_PKG_DPKG && p->source_version)
        return p->source_version;
    return p->version;
}

/* ---- severity ---- */

/* Map a vendor rating word to a severity; -1 when it carries none ("not yet assigned"). */
static int vendor_word(const char *s)
{
    if (!s || !*s)
        return -1;
    char buf[64];
    size_t n = 0;
    for (; s[n] && s[n] != '*' && n < sizeof(buf) - 1; n++)
        buf[n] = (char)tolower((unsigned char)s[n]);
    buf[n] = 0;
    while (n && buf[n - 1] == ' ')
        buf[--n] = 0;
    if (!strcmp(buf, "unimportant") || !strcmp(buf, "negligible"))
        return HULL_SEV_LOW;
    if (!strcmp(buf, "not yet assigned") || !strcmp(buf, "end-of-life") || !strcmp(buf, "none") ||
        !strcmp(buf, "unknown"))
        return -1;
    return hull_severity_parse(buf);
}

static enum hull_severity cvss_sev(double score)
{
    if (score < 0)
        return HULL_SEV_UNKNOWN;
    const char *r = hull_cvss_rating(score);
    int s = hull_severity_parse(r);
    return s < 0 ? HULL_SEV_UNKNOWN : (enum hull_severity)s;
}

static enum hull_severity pick_severity(const struct hull_vuln_affected *a, const char **src)
{
    int s = vendor_word(a->severity);
    if (s >= 0) {
        *src = a->severity_source ? a->severity_source : a->adv->source;
        return (enum hull_severity)s;
    }
    s = vendor_word(a->adv->severity);
    if (s >= 0) {
        *src = a->adv->severity_source ? a->adv->severity_source : a->adv->source;
        return (enum hull_severity)s;
    }
    static const char *const order[] = { "CVSS_V3", "CVSS_V4" };
    static const char *const names[] = { "cvss-v3", "cvss-v4" };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < a->adv->n_cvss; i++) {
            const struct hull_vuln_cvss *c = &a->adv->cvss[i];
            if (!c->type || strcmp(c->type, order[k]))
                continue;
            double score = c->score >= 0 ? c->score : c->published;
            if (score < 0)
                continue;
            *src = names[k];
            return cvss_sev(score);
        }
    *src = NULL;
    return HULL_SEV_UNKNOWN;
}

/* ---- result building ---- */

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *canonical_id(const struct hull_vuln_advisory *adv)
{
    if (!strncmp(adv->id, "CVE-", 4))
        return adv->id;
    for (size_t i = 0; i < adv->n_aliases; i++)
        if (!strncmp(adv->aliases[i], "CVE-", 4))
            return adv->aliases[i];
    return adv->id;
}

static char *first_line(const char *s, size_t max)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    size_t n = strcspn(s, "\r\n");
    if (n > max)
        n = max;
    return n ? strndup(s, n) : NULL;
}

char *hull_match_target(const struct hull_inventory *inv, const struct hull_pkg *p)
{
    char *t = NULL;
    const struct hull_os *os = hull_inventory_os(inv);
    switch (p->type) {
    case HULL_PKG_DPKG:
    case HULL_PKG_APK:
    case HULL_PKG_RPM:
        if (asprintf(&t, "%s%s%s (%s)", os && os->family ? os->family : "unknown",
                     os && os->version ? " " : "", os && os->version ? os->version : "",
                     hull_pkg_type_name(p->type)) < 0)
            return NULL;
        return t;
    case HULL_PKG_NPM: {
        const char *f = p->found_in ? p->found_in : "";
        const char *nm = strstr(f, "/node_modules/");
        if (nm)
            return strndup(f, (size_t)(nm - f) + strlen("/node_modules"));
        return strdup(f);
    }
    case HULL_PKG_PYPI: {
        const char *f = p->found_in ? p->found_in : "";
        const char *sp = strstr(f, "-packages/");
        if (sp)
            return strndup(f, (size_t)(sp - f) + strlen("-packages"));
        return strdup(f);
    }
    default:
        return strdup(p->found_in ? p->found_in : "");
    }
}

struct builder {
    const struct hull_ctx *ctx;
    const struct hull_inventory *inv;
    struct hull_match_result *r;
    struct match_priv *P;
    size_t cap;
    size_t *fpi;   /* inventory index of each finding's package */
    uint64_t *fh;  /* hash of each finding's (package, id) */
    size_t *ht;    /* open addressing over (package, id): finding index + 1, 0 = empty */
    size_t ht_cap; /* power of two */
    const char **pk_target;                 /* per inventory index, NULL until needed */
    const char *type_target[HULL_PKG__COUNT]; /* OS package types: one target each */
    const char **tt;                        /* distinct targets (interning), open addressing */
    size_t tt_cap, tt_n;
};

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The target of package i, one string per distinct target (hull_match_target's text). */
static const char *pkg_target(struct builder *b, size_t i, const struct hull_pkg *p)
{
    if (b->pk_target[i])
        return b->pk_target[i];
    bool os_type = p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK || p->type == HULL_PKG_RPM;
    if (os_type && b->type_target[p->type])
        return b->pk_target[i] = b->type_target[p->type];
    char *t = hull_match_target(b->inv, p);
    if (!t)
        return NULL;
    if ((b->tt_n + 1) * 2 > b->tt_cap) {
        size_t nc = b->tt_cap ? b->tt_cap * 2 : 64;
        const char **nt = calloc(nc, sizeof(*nt));
        if (!nt) {
            free(t);
            return NULL;
        }
        for (size_t k = 0; k < b->tt_cap; k++) {
            if (!b->tt[k])
                continue;
            size_t h = (size_t)fnv(b->tt[k], 1469598103934665603ull) & (nc - 1);
            while (nt[h])
                h = (h + 1) & (nc - 1);
            nt[h] = b->tt[k];
        }
        free(b->tt);
        b->tt = nt;
        b->tt_cap = nc;
    }
    size_t mask = b->tt_cap - 1, h = (size_t)fnv(t, 1469598103934665603ull) & mask;
    for (; b->tt[h]; h = (h + 1) & mask)
        if (!strcmp(b->tt[h], t)) {
            free(t);
            t = NULL;
            break;
        }
    if (t) {
        if (!match_own(b->P, t))
            return NULL;
        b->tt[h] = t;
        b->tt_n++;
    }
    if (os_type)
        b->type_target[p->type] = b->tt[h];
    return b->pk_target[i] = b->tt[h];
}

static uint64_t fid_hash(const struct hull_pkg *p, const char *cid)
{
    return match_hash(cid, strlen(cid), (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull);
}

/* The finding of (p, cid) so far, or NULL; *slot gets where a new one would go. */
static struct hull_finding *find_existing(struct builder *b, const struct hull_pkg *p,
                                          const char *cid, uint64_t h, size_t *slot)
{
    size_t mask = b->ht_cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        size_t v = b->ht[i];
        if (!v) {
            *slot = i;
            return NULL;
        }
        struct hull_finding *f = &b->r->findings[v - 1];
        if (f->pkg == p && b->fh[v - 1] == h && (f->id == cid || !strcmp(f->id, cid)))
            return f;
    }
}

/* Keep the table at most half full. */
static int ht_grow(struct builder *b)
{
    if (b->ht && (b->r->n_findings + 1) * 2 <= b->ht_cap)
        return 0;
    size_t nc = b->ht_cap ? b->ht_cap * 2 : 256;
    size_t *nt = calloc(nc, sizeof(*nt));
    if (!nt)
        return -1;
    for (size_t k = 0; k < b->r->n_findings; k++) {
        size_t i = (size_t)b->fh[k] & (nc - 1);
        while (nt[i])
            i = (i + 1) & (nc - 1);
        nt[i] = k + 1;
    }
    free(b->ht);
    b->ht = nt;
    b->ht_cap = nc;
    return 0;
}

static int status_rank(enum hull_vuln_status s)
{
    switch (s) {
    case HULL_VULN_UNKNOWN: return 0;
    case HULL_VULN_AFFECTED: return 1;
    case HULL_VULN_FIXED:
    case HULL_VULN_NOT_AFFECTED: return 3;
    default: return 2; /* will_not_fix, fix_deferred, end_of_life */
    }
}

/* The title of an advisory: its summary, else the first line of its details (owned). */
static int set_title(struct builder *b, struct hull_finding *f,
                     const struct hull_vuln_advisory *adv)
{
    if (adv->summary) {
        f->title = match_borrow(adv->summary);
        return 0;
    }
    char *t = first_line(adv->details, 200);
    if (t && !match_own(b->P, t))
        return -1;
    f->title = t;
    return 0;
}

static int add_finding(struct builder *b, size_t pi, const struct hull_pkg *p,
                       enum hull_eco eco, const char *ver, const struct hull_vuln_affected *a,
                       const char *fixed, enum hull_vuln_status status)
{
    const struct hull_vuln_advisory *adv = a->adv;
    const char *cid = canonical_id(adv);
    const char *sev_src = NULL;
    enum hull_severity sev = pick_severity(a, &sev_src);
    if (ht_grow(b) < 0)
        return -1;
    size_t slot = 0;
    uint64_t h = fid_hash(p, cid);
    struct hull_finding *f = find_existing(b, p, cid, h, &slot);
    bool fresh = !f;
    if (fresh) {
        const char *target = pkg_target(b, pi, p);
        if (!target)
            return -1;
        if (b->r->n_findings == b->cap) {
            size_t nc = b->cap ? b->cap * 2 : 64;
            struct hull_finding *nf = realloc(b->r->findings, nc * sizeof(*nf));
            if (!nf)
                return -1;
            b->r->findings = nf;
            size_t *np = realloc(b->fpi, nc * sizeof(*np));
            if (!np)
                return -1;
            b->fpi = np;
            uint64_t *nh = realloc(b->fh, nc * sizeof(*nh));
            if (!nh)
                return -1;
            b->fh = nh;
            b->cap = nc;
        }
        b->fpi[b->r->n_findings] = pi;
        b->fh[b->r->n_findings] = h;
        f = &b->r->findings[b->r->n_findings++];
        b->ht[slot] = b->r->n_findings;
        memset(f, 0, sizeof(*f));
        f->pkg = p;
        f->id = match_borrow(cid);
        f->target = match_borrow(target);
        f->installed = match_borrow(ver);
        f->severity = sev;
        f->severity_source = match_borrow(sev_src);
        f->status = status;
        f->status_reason = match_borrow(a->reason);
        f->fixed = match_borrow(fixed);
        if (set_title(b, f, adv) < 0)
            return -1;
        f->published = match_borrow(adv->published);
    } else {
        /* merge: a vendor rating beats a CVSS-derived one; a known fix beats none, and of two
         * fixes the higher one (it satisfies every source) */
        bool have_vendor = f->severity_source && strncmp(f->severity_source, "cvss-", 5);
        bool new_vendor = sev_src && strncmp(sev_src, "cvss-", 5);
        if ((!have_vendor && new_vendor) ||
            (have_vendor == new_vendor && f->severity == HULL_SEV_UNKNOWN)) {
            f->severity = sev;
            f->severity_source = match_borrow(sev_src);
        }
        if (fixed) {
            int c = -1;
            /* equal strings compare equal: no version parse needed to keep the current one */
            if (!f->fixed ||
                (strcmp(f->fixed, fixed) && match_vcmp(eco, f->fixed, fixed, &c) && c < 0)) {
                f->fixed = match_borrow(fixed);
                f->status = HULL_VULN_FIXED;
            }
        } else if (!f->fixed && status_rank(status) > status_rank(f->status)) {
            /* no fix from anyone: the more specific vendor decision wins (will_not_fix over
             * a bare affected), whatever order the sources come in */
            f->status = status;
        }
        if (!f->title && set_title(b, f, adv) < 0)
            return -1;
        if (!f->status_reason)
            f->status_reason = match_borrow(a->reason);
        if (!f->published)
            f->published = match_borrow(adv->published);
    }
    if (match_strv_add(b->P, &f->ids, &f->n_ids, adv->id) < 0)
        return -1;
    for (size_t i = 0; i < adv->n_aliases; i++)
        if (match_strv_add(b->P, &f->ids, &f->n_ids, adv->aliases[i]) < 0)
            return -1;
    for (size_t i = 0; i < adv->n_refs; i++)
        if (match_strv_add(b->P, &f->refs, &f->n_refs, adv->refs[i]) < 0)
            return -1;
    if (match_strv_add(b->P, &f->sources, &f->n_sources, adv->source) < 0)
        return -1;
    f->kev = f->kev || adv->kev;
    for (size_t i = 0; i < adv->n_cvss; i++) {
        const struct hull_vuln_cvss *c = &adv->cvss[i];
        if (!c->vector)
            continue;
        bool dup = false;
        for (size_t j = 0; j < f->n_cvss && !dup; j++)
            dup = f->cvss[j].vector == c->vector || !strcmp(f->cvss[j].vector, c->vector);
        if (dup)
            continue;
        size_t n = f->n_cvss;
        void *cv = f->cvss;
        if (match_grow(b->P, &cv, n, sizeof(*f->cvss)) < 0)
            return -1;
        f->cvss = cv;
        f->cvss[n].type = match_borrow(c->type);
        f->cvss[n].vector = match_borrow(c->vector);
        f->cvss[n].score = c->score;
        f->n_cvss++;
    }
    return 0;
}

static int add_unparsed(struct hull_match_result *r, const struct hull_pkg *p, const char *why)
{
    struct hull_unparsed *nu = realloc(r->unparsed, (r->n_unparsed + 1) * sizeof(*nu));
    if (!nu)
        return -1;
    r->unparsed = nu;
    nu[r->n_unparsed].pkg = p;
    if (!(nu[r->n_unparsed].reason = strdup(why)))
        return -1;
    r->n_unparsed++;
    return 0;
}

/* ---- hull_match ---- */

struct keyent {
    const char *eco, *name; /* borrowed: the package's name, a static or per-type ecosystem */
};

int hull_match(const struct hull_ctx *ctx, struct hull_vulndb *db,
               const struct hull_inventory *inv, struct hull_match_result **out,
               struct hull_err **err)
{
    struct match_priv *P = match_result_new();
    struct hull_match_result *r = P ? &P->pub : NULL;
    size_t np = hull_inventory_count(inv);
    size_t *pkey = np ? malloc(np * sizeof(*pkey)) : NULL;
    struct keyent *keys = np ? calloc(np, sizeof(*keys)) : NULL;
    struct hull_vulndb_key *vk = np ? calloc(np, sizeof(*vk)) : NULL;
    const char **pk_target = np ? calloc(np, sizeof(*pk_target)) : NULL;
    struct hull_vuln_matches *m = NULL;
    struct builder b = { .ctx = ctx, .inv = inv, .r = r, .P = P, .pk_target = pk_target };
    char *os_eco[HULL_PKG__COUNT] = { 0 };
    bool os_eco_done[HULL_PKG__COUNT] = { 0 };
    size_t nk = 0, *kstart = NULL, *byk = NULL, *rep = NULL;
    int *memo_v = NULL;
    const char **memo_fixed = NULL;
    enum hull_vuln_status *memo_st = NULL;
    struct vcache vc = { .cap = 64, .t = calloc(64, sizeof(struct vc_ent)) };
    size_t vc_key = SIZE_MAX;
    size_t kcap = 16;
    while (kcap < np * 2)
        kcap *= 2;
    size_t *khash = calloc(kcap, sizeof(*khash));
    int rc = -1;
    if (!r || !khash || !vc.t || (np && (!pkey || !keys || !vk || !pk_target)))
        goto oom;
    for (size_t i = 0; i < np; i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        const char *eco = NULL, *name = NULL;
        enum hull_eco ve = HULL_ECO_DEB;
        pkey[i] = SIZE_MAX;
        if (!pkg_eco(p, &ve))
            continue;
        if (!match_key_borrowed(inv, p, os_eco, os_eco_done, &eco, &name)) {
            if (p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK) {
                if (add_unparsed(r, p, "the operating system release is unknown, so no "
                                       "advisory set applies") < 0)
                    goto oom;
            }
            continue;
        }
        const char *ver = pkg_version(p);
        const char *why = NULL;
        if (!ver || !hull_version_check(ve, ver, strlen(ver), &why)) {
            char *msg = NULL;
            if (asprintf(&msg, "version '%s' cannot be parsed: %s", ver ? ver : "",
                         why ? why : "invalid") < 0 ||
                add_unparsed(r, p, msg) < 0) {
                free(msg);
                goto oom;
            }
            free(msg);
            continue;
        }
        if (!r->os_ecosystem && (p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK) &&
            !(r->os_ecosystem = strdup(eco)))
            goto oom;
        r->packages_checked++;
        size_t kmask = kcap - 1, k = SIZE_MAX;
        size_t hi = (size_t)match_hash(name, strlen(name), match_hash(eco, strlen(eco), 0)) & kmask;
        for (; khash[hi]; hi = (hi + 1) & kmask) {
            const struct keyent *ke = &keys[khash[hi] - 1];
            if (!strcmp(ke->eco, eco) && !strcmp(ke->name, name)) {
                k = khash[hi] - 1;
                break;
            }
        }
        if (k == SIZE_MAX) {
            k = nk;
            khash[hi] = nk + 1;
            keys[nk].eco = eco;
            keys[nk].name = name;
            vk[nk].ecosystem = eco;
            vk[nk].package = name;
            nk++;
        }
        pkey[i] = k;
    }
    if (nk) {
        int lrc = hull_vulndb_lookup(db, vk, nk, &m, err);
        P->m = m; /* freed with the result from here on */
        if (lrc < 0)
            goto out;
    }
    /* packages grouped by key (counting sort), so each entry visits only its packages */
    if (nk) {
        kstart = calloc(nk + 1, sizeof(*kstart));
        byk = np ? malloc(np * sizeof(*byk)) : NULL;
        rep = np ? malloc(np * sizeof(*rep)) : NULL;
        memo_v = np ? malloc(np * sizeof(*memo_v)) : NULL;
        memo_fixed = np ? malloc(np * sizeof(*memo_fixed)) : NULL;
        memo_st = np ? malloc(np * sizeof(*memo_st)) : NULL;
        if (!kstart || (np && (!byk || !rep || !memo_v || !memo_fixed || !memo_st)))
            goto oom;
        for (size_t i = 0; i < np; i++)
            if (pkey[i] != SIZE_MAX)
                kstart[pkey[i] + 1]++;
        for (size_t k = 0; k < nk; k++)
            kstart[k + 1] += kstart[k];
        size_t *fill = calloc(nk, sizeof(*fill));
        if (!fill)
            goto oom;
        for (size_t i = 0; i < np; i++)
            if (pkey[i] != SIZE_MAX)
                byk[kstart[pkey[i]] + fill[pkey[i]]++] = i;
        free(fill);
        /* packages of one key with the same version (the binaries of one Debian source)
         * evaluate every entry alike: rep[x] is the first of them, whose result is reused */
        for (size_t k = 0; k < nk; k++)
            for (size_t x = kstart[k]; x < kstart[k + 1]; x++) {
                rep[x] = x;
                const struct hull_pkg *p = hull_inventory_pkg(inv, byk[x]);
                for (size_t y = kstart[k]; y < x; y++) {
                    const struct hull_pkg *q = hull_inventory_pkg(inv, byk[y]);
                    if (rep[y] == y && q->type == p->type &&
                        !strcmp(pkg_version(q), pkg_version(p))) {
                        rep[x] = y;
                        break;
                    }
                }
            }
    }
    for (size_t j = 0; m && j < m->n; j++) {
        const struct hull_vuln_affected *a = &m->items[j];
        if (a->key >= nk)
            continue;
        for (size_t x = kstart[a->key]; x < kstart[a->key + 1]; x++) {
            size_t i = byk[x];
            const struct hull_pkg *p = hull_inventory_pkg(inv, i);
            enum hull_eco ve = HULL_ECO_DEB;
            if (!pkg_eco(p, &ve))
                continue;
            const char *ver = pkg_version(p);
            const char *fixed = NULL;
            enum hull_vuln_status st;
            int v;
            if (rep[x] != x) {
                v = memo_v[rep[x]];
                fixed = memo_fixed[rep[x]];
                st = memo_st[rep[x]];
            } else {
                if (a->key != vc_key) {
                    match_vcache_reset(&vc);
                    vc_key = a->key;
                }
                v = match_evaluate(ctx, &vc, ve, ver, a, &fixed, &st);
                memo_v[x] = v;
                memo_fixed[x] = fixed;
                memo_st[x] = st;
            }
            if (v < 0) {
                hull_log(ctx, HULL_LOG_WARN, "%s: advisory %s has versions hull cannot compare; "
                         "skipped", p->name, a->adv->id);
                continue;
            }
            if (v == 1 && add_finding(&b, i, p, ve, ver, a, fixed, st) < 0)
                goto oom;
        }
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        struct hull_finding *f = &r->findings[i];
        if (f->n_ids > 1)
            qsort(f->ids, f->n_ids, sizeof(*f->ids), cmpstr);
        if (f->n_sources > 1)
            qsort(f->sources, f->n_sources, sizeof(*f->sources), cmpstr);
    }
    if (match_sort_findings(r, b.fpi, np) < 0)
        goto oom;
    if (!r->n_findings) {
        /* nothing borrows from the lookup result */
        hull_vuln_matches_free(P->m);
        P->m = NULL;
    }
    *out = r;
    r = NULL;
    rc = 0;
    goto out;
oom:
    rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
out:
    free(kstart);
    free(byk);
    free(rep);
    free(memo_v);
    free(memo_fixed);
    free(memo_st);
    free(khash);
    free(b.ht);
    free(vc.t);
    free(b.fpi);
    free(b.fh);
    free(b.tt);
    free(pk_target);
    for (size_t t = 0; t < HULL_PKG__COUNT; t++)
        free(os_eco[t]);
    free(keys);
    free(vk);
    free(pkey);
    hull_match_result_free(r);
    return rc;
}
