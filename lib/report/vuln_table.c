/* The table of `hull image`: one section per target (OS packages, each node_modules tree or
 * site-packages directory), a "Total: N (UNKNOWN: a, LOW: b, ...)" line counting only the
 * selected severities, aligned columns Library, Vulnerability, Severity, Status, Installed
 * Version, Fixed Version, Title, and a remediation hint per target. Titles are cut to the
 * terminal width when there is one, else at TITLE_CAP characters. */
#include "core/common.h"
#include "report/vulnpriv.h"

#define TITLE_CAP 120
#define NCOL 7

static const char *const heads[NCOL] = { "Library", "Vulnerability", "Severity", "Status",
                                         "Installed Version", "Fixed Version", "Title" };

static const char *sev_color(enum hull_severity s)
{
    switch (s) {
    case HULL_SEV_CRITICAL: return "\033[1;31m";
    case HULL_SEV_HIGH: return "\033[31m";
    case HULL_SEV_MEDIUM: return "\033[33m";
    case HULL_SEV_LOW: return "\033[34m";
    default: return "";
    }
}

/* display width of UTF-8 text (code points; wide characters are rare in titles) */
static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* print at most max code points of s; "..." when cut */
static void put_cut(FILE *f, const char *s, size_t max)
{
    size_t n = u8len(s);
    if (n <= max) {
        fputs(s, f);
        return;
    }
    size_t keep = max > 3 ? max - 3 : 0, cp = 0;
    const char *p = s;
    while (*p) {
        if (((unsigned char)*p & 0xc0) != 0x80) {
            if (cp == keep)
                break;
            cp++;
        }
        fputc(*p, f);
        p++;
    }
    fputs(max > 3 ? "..." : "", f);
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static void cells(const struct hull_finding *fd, const char *c[NCOL], char *idbuf, size_t cap)
{
    snprintf(idbuf, cap, "%s%s", fd->id, fd->kev ? " [KEV]" : "");
    c[0] = fd->pkg->name;
    c[1] = idbuf;
    c[2] = hull_severity_name(fd->severity);
    c[3] = hull_vuln_status_name(fd->status);
    c[4] = fd->installed;
    c[5] = fd->fixed ? fd->fixed : "";
    c[6] = fd->title ? fd->title : "";
}

static int section(FILE *f, const struct hull_match_result *r,
                   const struct hull_vuln_report_opts *o, const char *target)
{
    size_t cnt[HULL_SEV__COUNT] = { 0 }, total = 0;
    size_t w[NCOL];
    char idbuf[256];
    for (int i = 0; i < NCOL; i++)
        w[i] = strlen(heads[i]);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *fd = &r->findings[i];
        if (fd->suppressed || strcmp(fd->target, target))
            continue;
        cnt[fd->severity]++;
        total++;
        const char *c[NCOL];
        cells(fd, c, idbuf, sizeof(idbuf));
        for (int k = 0; k < NCOL - 1; k++)
            if (u8len(c[k]) > w[k])
                w[k] = u8len(c[k]);
    }
    fprintf(f, "\n%s\n", target);
    for (size_t i = u8len(target); i > 0; i--)
        fputc('=', f);
    fputs("\nTotal: ", f);
    fprintf(f, "%zu (", total);
    bool first = true;
    for (int s = 0; s < HULL_SEV__COUNT; s++) {
        if (o->severities && !(o->severities & (1u << s)))
            continue;
        fprintf(f, "%s%s: %zu", first ? "" : ", ", hull_severity_name((enum hull_severity)s),
                cnt[s]);
        first = false;
    }
    fputs(")\n", f);
    if (!total)
        return 0;
    size_t used = 0;
    for (int k = 0; k < NCOL - 1; k++)
        used += w[k] + 2;
    size_t tmax = TITLE_CAP;
    if (o->width)
        tmax = o->width > used + 10 ? o->width - used : 10;
    fputc('\n', f);
    for (int k = 0; k < NCOL; k++) {
        fputs(heads[k], f);
        if (k < NCOL - 1)
            pad(f, w[k] - strlen(heads[k]) + 2);
    }
    fputc('\n', f);
    for (int k = 0; k < NCOL; k++) {
        size_t n = k < NCOL - 1 ? w[k] : (tmax < 5 ? tmax : 5);
        for (size_t i = 0; i < n; i++)
            fputc('-', f);
        if (k < NCOL - 1)
            fputs("  ", f);
    }
    fputc('\n', f);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct hull_finding *fd = &r->findings[i];
        if (fd->suppressed || strcmp(fd->target, target))
            continue;
        const char *c[NCOL];
        cells(fd, c, idbuf, sizeof(idbuf));
        for (int k = 0; k < NCOL - 1; k++) {
            bool col = o->color && k == 2 && *sev_color(fd->severity);
            if (col)
                fputs(sev_color(fd->severity), f);
            fputs(c[k], f);
            if (col)
                fputs("\033[0m", f);
            pad(f, w[k] - u8len(c[k]) + 2);
        }
        put_cut(f, c[6], tmax);
        fputc('\n', f);
    }
    bool hint = false;
    for (size_t i = 0; i < r->n_remedies; i++) {
        const struct hull_remedy *m = &r->remedies[i];
        if (strcmp(m->target, target))
            continue;
        if (!hint)
            fputs("\nRemediation:\n", f);
        hint = true;
        fprintf(f, "  upgrade %s %s -> %s (fixes %zu of %zu)\n", m->pkg->name, m->installed,
                m->to, m->fixes, m->total);
    }
    return 0;
}

int hull_vuln_table(FILE *f, const struct hull_match_result *r,
                    const struct hull_vuln_report_opts *o, struct hull_err **err)
{
    char **targets = NULL;
    size_t nt = 0;
    if (hull_vuln_targets(r, o->inv, &targets, &nt) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    fprintf(f, "%s", o->artifact ? o->artifact : "image");
    const struct hull_image_meta *m = o->meta;
    bool named = m && m->name && (!o->artifact || strcmp(m->name, o->artifact));
    if (named || (m && m->config_digest))
        fprintf(f, " (%s%s%s)", named ? m->name : "", named && m->config_digest ? ", " : "",
                m->config_digest ? m->config_digest : "");
    fputc('\n', f);
    for (size_t t = 0; t < nt; t++)
        section(f, r, o, targets[t]);
    if (!nt)
        fputs("\nNo packages hull can match were found.\n", f);
    size_t sup = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].suppressed == HULL_SUPP_IGNOREFILE ||
            r->findings[i].suppressed == HULL_SUPP_VEX)
            sup++;
    if (sup)
        fprintf(f, "\n%zu finding%s suppressed by the ignore file or VEX (listed in --format "
                   "json)\n", sup, sup == 1 ? "" : "s");
    hull_vuln_targets_free(targets, nt);
    if (fflush(f) == EOF || ferror(f))
        return hull_err_set(err, HULL_E_IO, "writing the report failed");
    return 0;
}
