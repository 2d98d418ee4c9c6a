/* The matcher: inventory x vulnerability database -> findings (include/hull/match.h).
 *
 * One batch lookup per scan (docs/libraries.md section 4: a temp-table join), then every
 * candidate affected entry is evaluated in C with the ecosystem's own version order
 * (lib/version). Range evaluation follows the OSV schema's algorithm: events sorted by version
 * ("introduced: 0" first); the state after the last event at or below the installed version
 * decides; `last_affected` excludes versions above it, `limit` bounds the range. */
#include "core/common.h"
#include <ctype.h>
#include <strings.h>
#include "hull/match.h"
#include "hull/version.h"

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

static char *xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

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

bool hull_match_key(const struct hull_inventory *inv, const struct hull_pkg *p, char **eco,
                    char **name)
{
    *eco = *name = NULL;
    switch (p->type) {
    case HULL_PKG_DPKG:
        *eco = os_ecosystem(hull_inventory_os(inv), p->type);
        *name = xstrdup(p->source_name ? p->source_name : p->name);
        break;
    case HULL_PKG_APK:
        *eco = os_ecosystem(hull_inventory_os(inv), p->type);
        *name = xstrdup(p->origin ? p->origin : p->name);
        break;
    case HULL_PKG_NPM:
        *eco = strdup("npm");
        *name = xstrdup(p->name);
        break;
    case HULL_PKG_PYPI:
        *eco = strdup("PyPI");
        *name = xstrdup(p->name);
        break;
    default:
        break;
    }
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

/* ---- range evaluation ---- */

struct ev {
    enum hull_vuln_event_kind kind;
    const char *v;
    bool zero; /* introduced "0" */
};

/* Compare two versions; parse errors make the range unusable (returns false). */
static bool vcmp(enum hull_eco eco, const char *a, const char *b, int *c)
{
    return hull_version_cmp(eco, a, strlen(a), b, strlen(b), c, NULL) == 0;
}

/* Evaluate one ECOSYSTEM/SEMVER range. Returns 1 affected, 0 not, -1 unusable.
 * *fixed gets the lowest fixed event above the installed version (borrowed). */
static int eval_range(enum hull_eco eco, const char *ver, const struct hull_vuln_range *r,
                      const char **fixed)
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
            else if (!vcmp(eco, cur.v, evs[j - 1].v, &c)) {
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
        if (!evs[i].zero && !vcmp(eco, ver, evs[i].v, &c)) {
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
static const char *patched_floor(enum hull_eco eco, const char *ver, const char *reason)
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
    if (!vcmp(eco, ver, v, &c) || c >= 0)
        return NULL;
    return v;
}

/* Decide whether entry a affects version ver. Returns 1/0, or -1 when nothing in the entry
 * could be evaluated (bad versions in the feed): such entries are skipped with a warning. */
static int evaluate(const struct hull_ctx *ctx, enum hull_eco eco, const char *ver,
                    const struct hull_vuln_affected *a, const char **fixed,
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
        if (!strcmp(a->versions[i], ver) || (vcmp(eco, a->versions[i], ver, &c) && c == 0))
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
                *fixed = patched_floor(eco, ver, a->reason);
        } else if (!strcmp(r->type, "ECOSYSTEM") || !strcmp(r->type, "SEMVER")) {
            const char *fx = NULL;
            int v = eval_range(eco, ver, r, &fx);
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
            if (!vcmp(eco, ver, a->fixed, &c))
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
        if (vcmp(eco, ver, a->fixed, &c) && c < 0)
            *fixed = a->fixed;
    }
    if (*fixed)
        *status = HULL_VULN_FIXED;
    else if (*status == HULL_VULN_FIXED)
        *status = HULL_VULN_AFFECTED;
    return 1;
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

struct strv {
    char **v;
    size_t n;
};

static int strv_add(char ***v, size_t *n, const char *s)
{
    if (!s || !*s)
        return 0;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s))
            return 0;
    char **nv = realloc(*v, (*n + 1) * sizeof(**v));
    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

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
    size_t cap;
    size_t *ht;    /* open addressing over (package, id): finding index + 1, 0 = empty */
    size_t ht_cap; /* power of two */
};

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static uint64_t fid_hash(const struct hull_pkg *p, const char *cid)
{
    return fnv(cid, 1469598103934665603ull ^ ((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull));
}

/* The finding of (p, cid) so far, or NULL; *slot gets where a new one would go. */
static struct hull_finding *find_existing(struct builder *b, const struct hull_pkg *p,
                                          const char *cid, size_t *slot)
{
    size_t mask = b->ht_cap - 1;
    for (size_t i = fid_hash(p, cid) & mask;; i = (i + 1) & mask) {
        size_t v = b->ht[i];
        if (!v) {
            *slot = i;
            return NULL;
        }
        struct hull_finding *f = &b->r->findings[v - 1];
        if (f->pkg == p && !strcmp(f->id, cid))
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
        const struct hull_finding *f = &b->r->findings[k];
        size_t i = fid_hash(f->pkg, f->id) & (nc - 1);
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

static int add_finding(struct builder *b, const struct hull_pkg *p, enum hull_eco eco,
                       const char *ver, const struct hull_vuln_affected *a, const char *fixed,
                       enum hull_vuln_status status)
{
    const struct hull_vuln_advisory *adv = a->adv;
    const char *cid = canonical_id(adv);
    const char *sev_src = NULL;
    enum hull_severity sev = pick_severity(a, &sev_src);
    if (ht_grow(b) < 0)
        return -1;
    size_t slot = 0;
    struct hull_finding *f = find_existing(b, p, cid, &slot);
    bool fresh = !f;
    if (fresh) {
        if (b->r->n_findings == b->cap) {
            size_t nc = b->cap ? b->cap * 2 : 64;
            struct hull_finding *nf = realloc(b->r->findings, nc * sizeof(*nf));
            if (!nf)
                return -1;
            b->r->findings = nf;
            b->cap = nc;
        }
        f = &b->r->findings[b->r->n_findings++];
        b->ht[slot] = b->r->n_findings;
        memset(f, 0, sizeof(*f));
        f->pkg = p;
        f->id = strdup(cid);
        f->target = hull_match_target(b->inv, p);
        f->installed = strdup(ver);
        f->severity = sev;
        f->severity_source = xstrdup(sev_src);
        f->status = status;
        f->status_reason = xstrdup(a->reason);
        f->fixed = xstrdup(fixed);
        f->title = xstrdup(adv->summary);
        if (!f->title)
            f->title = first_line(adv->details, 200);
        f->published = xstrdup(adv->published);
        if (!f->id || !f->target || !f->installed)
            return -1;
    } else {
        /* merge: a vendor rating beats a CVSS-derived one; a known fix beats none, and of two
         * fixes the higher one (it satisfies every source) */
        bool have_vendor = f->severity_source && strncmp(f->severity_source, "cvss-", 5);
        bool new_vendor = sev_src && strncmp(sev_src, "cvss-", 5);
        if ((!have_vendor && new_vendor) ||
            (have_vendor == new_vendor && f->severity == HULL_SEV_UNKNOWN)) {
            f->severity = sev;
            free(f->severity_source);
            f->severity_source = xstrdup(sev_src);
        }
        if (fixed) {
            int c = -1;
            if (!f->fixed || (vcmp(eco, f->fixed, fixed, &c) && c < 0)) {
                free(f->fixed);
                f->fixed = strdup(fixed);
                f->status = HULL_VULN_FIXED;
            }
        } else if (!f->fixed && status_rank(status) > status_rank(f->status)) {
            /* no fix from anyone: the more specific vendor decision wins (will_not_fix over
             * a bare affected), whatever order the sources come in */
            f->status = status;
        }
        if (!f->title) {
            f->title = xstrdup(adv->summary);
            if (!f->title)
                f->title = first_line(adv->details, 200);
        }
        if (!f->status_reason)
            f->status_reason = xstrdup(a->reason);
        if (!f->published)
            f->published = xstrdup(adv->published);
    }
    if (strv_add(&f->ids, &f->n_ids, adv->id) < 0)
        return -1;
    for (size_t i = 0; i < adv->n_aliases; i++)
        if (strv_add(&f->ids, &f->n_ids, adv->aliases[i]) < 0)
            return -1;
    for (size_t i = 0; i < adv->n_refs; i++)
        if (strv_add(&f->refs, &f->n_refs, adv->refs[i]) < 0)
            return -1;
    if (strv_add(&f->sources, &f->n_sources, adv->source) < 0)
        return -1;
    f->kev = f->kev || adv->kev;
    for (size_t i = 0; i < adv->n_cvss; i++) {
        const struct hull_vuln_cvss *c = &adv->cvss[i];
        bool dup = false;
        for (size_t j = 0; j < f->n_cvss && !dup; j++)
            dup = !strcmp(f->cvss[j].vector, c->vector ? c->vector : "");
        if (dup || !c->vector)
            continue;
        struct hull_finding_cvss *nc = realloc(f->cvss, (f->n_cvss + 1) * sizeof(*nc));
        if (!nc)
            return -1;
        f->cvss = nc;
        nc[f->n_cvss].type = xstrdup(c->type);
        nc[f->n_cvss].vector = strdup(c->vector);
        nc[f->n_cvss].score = c->score;
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

static int cmp_finding(const void *pa, const void *pb)
{
    const struct hull_finding *a = pa, *b = pb;
    int c = strcmp(a->target, b->target);
    if (c)
        return c;
    if ((c = strcmp(a->pkg->name, b->pkg->name)))
        return c;
    if ((c = strcmp(a->installed, b->installed)))
        return c;
    if (a->pkg != b->pkg) {
        /* keep each package's findings together (same name and version, other arch/copy) */
        if ((c = strcmp(a->pkg->arch ? a->pkg->arch : "", b->pkg->arch ? b->pkg->arch : "")))
            return c;
        if ((c = strcmp(a->pkg->found_in ? a->pkg->found_in : "",
                        b->pkg->found_in ? b->pkg->found_in : "")))
            return c;
    }
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    return strcmp(a->id, b->id);
}

struct keyent {
    char *eco, *name;
};

int hull_match(const struct hull_ctx *ctx, struct hull_vulndb *db,
               const struct hull_inventory *inv, struct hull_match_result **out,
               struct hull_err **err)
{
    struct hull_match_result *r = calloc(1, sizeof(*r));
    size_t np = hull_inventory_count(inv);
    size_t *pkey = np ? malloc(np * sizeof(*pkey)) : NULL;
    struct keyent *keys = np ? calloc(np, sizeof(*keys)) : NULL;
    struct hull_vulndb_key *vk = np ? calloc(np, sizeof(*vk)) : NULL;
    struct hull_vuln_matches *m = NULL;
    struct builder b = { ctx, inv, r, 0 };
    size_t nk = 0, *kstart = NULL, *byk = NULL;
    size_t kcap = 16;
    while (kcap < np * 2)
        kcap *= 2;
    size_t *khash = calloc(kcap, sizeof(*khash));
    int rc = -1;
    if (!r || !khash || (np && (!pkey || !keys || !vk)))
        goto oom;
    for (size_t i = 0; i < np; i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        char *eco = NULL, *name = NULL;
        enum hull_eco ve = HULL_ECO_DEB;
        pkey[i] = SIZE_MAX;
        if (!pkg_eco(p, &ve))
            continue;
        if (!hull_match_key(inv, p, &eco, &name)) {
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
                free(eco);
                free(name);
                goto oom;
            }
            free(msg);
            free(eco);
            free(name);
            continue;
        }
        if (!r->os_ecosystem && (p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK))
            r->os_ecosystem = strdup(eco);
        r->packages_checked++;
        size_t kmask = kcap - 1, k = SIZE_MAX;
        size_t hi = (size_t)fnv(name, fnv(eco, 14695981039346656037ull)) & kmask;
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
        } else {
            free(eco);
            free(name);
        }
        pkey[i] = k;
    }
    if (nk && hull_vulndb_lookup(db, vk, nk, &m, err) < 0)
        goto out;
    /* packages grouped by key (counting sort), so each entry visits only its packages */
    if (nk) {
        kstart = calloc(nk + 1, sizeof(*kstart));
        byk = np ? malloc(np * sizeof(*byk)) : NULL;
        if (!kstart || (np && !byk))
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
            int v = evaluate(ctx, ve, ver, a, &fixed, &st);
            if (v < 0) {
                hull_log(ctx, HULL_LOG_WARN, "%s: advisory %s has versions hull cannot compare; "
                         "skipped", p->name, a->adv->id);
                continue;
            }
            if (v == 1 && add_finding(&b, p, ve, ver, a, fixed, st) < 0)
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
    if (r->n_findings > 1)
        qsort(r->findings, r->n_findings, sizeof(*r->findings), cmp_finding);
    *out = r;
    r = NULL;
    rc = 0;
    goto out;
oom:
    rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
out:
    hull_vuln_matches_free(m);
    free(kstart);
    free(byk);
    free(khash);
    free(b.ht);
    for (size_t k = 0; k < nk; k++) {
        free(keys[k].eco);
        free(keys[k].name);
    }
    free(keys);
    free(vk);
    free(pkey);
    hull_match_result_free(r);
    return rc;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void hull_match_result_free(struct hull_match_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_findings; i++) {
        struct hull_finding *f = &r->findings[i];
        free(f->target);
        free(f->id);
        strv_free(f->ids, f->n_ids);
        free(f->severity_source);
        free(f->status_reason);
        free(f->installed);
        free(f->fixed);
        free(f->title);
        free(f->published);
        strv_free(f->refs, f->n_refs);
        strv_free(f->sources, f->n_sources);
        for (size_t j = 0; j < f->n_cvss; j++) {
            free(f->cvss[j].type);
            free(f->cvss[j].vector);
        }
        free(f->cvss);
        free(f->suppressed_by);
    }
    free(r->findings);
    for (size_t i = 0; i < r->n_remedies; i++)
        free(r->remedies[i].to);
    free(r->remedies);
    for (size_t i = 0; i < r->n_unparsed; i++)
        free(r->unparsed[i].reason);
    free(r->unparsed);
    free(r->os_ecosystem);
    free(r);
}
