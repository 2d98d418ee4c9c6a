/* Gates over a match result (include/hull/match.h): severity and status filters, the ignore
 * file and VEX statements, then the remediation hint per package over what is still shown.
 * Nothing is removed: every finding keeps a `suppressed` reason, so reports can count and
 * list what was hidden and why. */
#include "core/common.h"
#include <strings.h>
#include "hull/match.h"
#include "hull/version.h"

static int status_word(const char *w)
{
    char buf[32];
    size_t i = 0;
    for (; w[i] && i < sizeof(buf) - 1; i++)
        buf[i] = w[i] == '-' ? '_' : w[i];
    buf[i] = 0;
    return hull_vuln_status_parse(buf);
}

/* A comma-separated list of words, each mapped to a bit by `word` (-1: unknown) -> a mask,
 * or -1 for an empty list, an empty or over-long word, or an unknown one. */
static long mask_parse(const char *list, int (*word)(const char *))
{
    if (!list || !*list)
        return -1;
    long mask = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char w[32];
        if (n == 0 || n >= sizeof(w))
            return -1;
        memcpy(w, p, n);
        w[n] = 0;
        int s = word(w);
        if (s < 0)
            return -1;
        mask |= 1L << s;
        p += n;
        if (*p == ',')
            p++;
    }
    return mask;
}

long hull_severity_mask_parse(const char *list)
{
    return mask_parse(list, hull_severity_parse);
}

long hull_status_mask_parse(const char *list)
{
    return mask_parse(list, status_word);
}

static bool unfixed(enum hull_vuln_status s)
{
    return s == HULL_VULN_AFFECTED || s == HULL_VULN_WILL_NOT_FIX ||
           s == HULL_VULN_FIX_DEFERRED || s == HULL_VULN_END_OF_LIFE;
}

static bool eco_of(const struct hull_pkg *p, enum hull_eco *e)
{
    switch (p->type) {
    case HULL_PKG_DPKG: *e = HULL_ECO_DEB; return true;
    case HULL_PKG_APK: *e = HULL_ECO_APK; return true;
    case HULL_PKG_RPM: *e = HULL_ECO_RPM; return true;
    case HULL_PKG_NPM: *e = HULL_ECO_NPM; return true;
    case HULL_PKG_PYPI: *e = HULL_ECO_PYPI; return true;
    default: return false;
    }
}

/* a vs b in the package's ecosystem; unparseable versions compare as strings */
static int vcompare(enum hull_eco e, const char *a, const char *b)
{
    int c = 0;
    if (hull_version_cmp(e, a, strlen(a), b, strlen(b), &c, NULL) < 0)
        c = strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
    return c;
}

/* One hint per package over its findings [lo, hi) that are shown. The version that fixes the
 * most of them is the highest fixed version: every lower version leaves at least the finding
 * fixed there open, and no higher version fixes more. Linear in the findings. */
static int remedy_for(struct hull_match_result *r, size_t lo, size_t hi)
{
    const struct hull_finding *f0 = &r->findings[lo];
    enum hull_eco e;
    if (!eco_of(f0->pkg, &e))
        return 0;
    size_t total = 0, fixable = 0;
    const char *best = NULL;
    for (size_t i = lo; i < hi; i++) {
        const struct hull_finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        total++;
        if (!f->fixed)
            continue;
        fixable++;
        if (!best || vcompare(e, f->fixed, best) > 0)
            best = f->fixed;
    }
    if (!best)
        return 0;
    struct hull_remedy *nr = realloc(r->remedies, (r->n_remedies + 1) * sizeof(*nr));
    if (!nr)
        return -1;
    r->remedies = nr;
    struct hull_remedy *m = &nr[r->n_remedies];
    memset(m, 0, sizeof(*m));
    if (!(m->to = strdup(best)))
        return -1;
    m->pkg = f0->pkg;
    m->target = f0->target;
    m->installed = f0->installed;
    m->fixes = fixable;
    m->total = total;
    r->n_remedies++;
    return 0;
}

long hull_match_filter_apply(struct hull_match_result *r, const struct hull_match_filter *flt,
                             struct hull_err **err)
{
    long shown = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        struct hull_finding *f = &r->findings[i];
        free(f->suppressed_by);
        f->suppressed_by = NULL;
        f->suppressed = HULL_SUPP_NONE;
        const struct hull_ignore_rule *ir = NULL;
        const struct hull_vex_stmt *vs = NULL;
        if (flt->severities && !(flt->severities & (1u << f->severity))) {
            f->suppressed = HULL_SUPP_SEVERITY;
        } else if (flt->ignore_unfixed && unfixed(f->status)) {
            f->suppressed = HULL_SUPP_UNFIXED;
        } else if (flt->statuses & (1u << f->status)) {
            f->suppressed = HULL_SUPP_STATUS;
        } else if (flt->ignore &&
                   (ir = hull_ignorefile_match(flt->ignore, f, flt->today_ymd)) != NULL) {
            f->suppressed = HULL_SUPP_IGNOREFILE;
            if (asprintf(&f->suppressed_by, "%s:%u", flt->ignore->name, ir->line) < 0)
                goto nomem;
        } else if (flt->vex && (vs = hull_vex_match(flt->vex, f)) != NULL) {
            f->suppressed = HULL_SUPP_VEX;
            if (asprintf(&f->suppressed_by, "%s: %s%s%s", flt->vex->name, vs->status,
                         vs->justification ? " " : "",
                         vs->justification ? vs->justification : "") < 0)
                goto nomem;
        } else {
            shown++;
        }
    }
    for (size_t i = 0; i < r->n_remedies; i++)
        free(r->remedies[i].to);
    free(r->remedies);
    r->remedies = NULL;
    r->n_remedies = 0;
    for (size_t lo = 0; lo < r->n_findings;) {
        size_t hi = lo + 1;
        const struct hull_finding *a = &r->findings[lo];
        while (hi < r->n_findings && r->findings[hi].pkg == a->pkg &&
               !strcmp(r->findings[hi].target, a->target))
            hi++;
        if (remedy_for(r, lo, hi) < 0)
            goto nomem;
        lo = hi;
    }
    return shown;
nomem:
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return -1;
}
