/* The human attack-surface report: one row per image (IMAGE SIZE SHELL? PKG MANAGER?
 * PACKAGES BUILD TOOLS USER [VULNS] ATTACK SURFACE, the lesson's comparison table; VULNS only
 * when the vulnerabilities were counted), columns sized to their content with caps, then per
 * image its facts, the scored reasons and the advice.
 * Strings from the image have control bytes replaced by '?', so no terminal escape from an
 * image reaches the terminal. */
#include "core/common.h"
#include <inttypes.h>
#include "core/buf.h"
#include "surface/surfpriv.h"

enum { C_IMAGE, C_SIZE, C_SHELL, C_PM, C_PKGS, C_BUILD, C_USER, C_VULNS, C_RATING, C__N };

static const char *const heads[C__N] = { "IMAGE",    "SIZE",        "SHELL?", "PKG MANAGER?",
                                         "PACKAGES", "BUILD TOOLS", "USER",   "VULNS",
                                         "ATTACK SURFACE" };
static const size_t caps[C__N] = { 60, 10, 24, 24, 10, 30, 16, 40, 14 };

/* "12 (C:1 H:3 M:8)": the total, then the severities that have findings, highest first;
 * "-" when the vulnerabilities were not counted for this image. */
static int vulns_cell(struct hull_buf *b, const struct hull_surface *s)
{
    static const char letter[HULL_SEV__COUNT] = { 'U', 'L', 'M', 'H', 'C' };
    if (!s->vulns_known)
        return hull_buf_appends(b, "-", NULL);
    int rc = hull_buf_printf(b, NULL, "%zu", s->vulns_total);
    bool open = false;
    for (int v = HULL_SEV__COUNT - 1; v >= 0 && !rc; v--)
        if (s->vulns_by_severity[v]) {
            rc = hull_buf_printf(b, NULL, "%s%c:%zu", open ? " " : " (", letter[v],
                                 s->vulns_by_severity[v]);
            open = true;
        }
    return rc || !open ? rc : hull_buf_appends(b, ")", NULL);
}

static void human(int64_t n, char *out, size_t cap)
{
    static const char *const units[] = { "kB", "MB", "GB", "TB" };
    if (n < 0) {
        snprintf(out, cap, "-");
        return;
    }
    if (n < 1000) {
        snprintf(out, cap, "%" PRId64 " B", n);
        return;
    }
    double v = (double)n;
    size_t u = 0;
    for (v /= 1000; v >= 999.95 && u + 1 < HULL_ARRAY_LEN(units); u++)
        v /= 1000;
    snprintf(out, cap, "%.1f %s", v, units[u]);
}

/* Copy s into out (at most max display bytes, "..." when cut), control bytes as '?'. */
static void clean(const char *s, char *out, size_t max)
{
    size_t n = strlen(s), i = 0;
    bool cut = n > max;
    size_t keep = cut ? max - 3 : n;
    for (; i < keep; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (cut) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = 0;
}

/* "yes (a, b)" or "no" from a list; names mapped through map when it is given. */
static int yes_list(struct hull_buf *b, char *const *v, size_t n,
                    const char *(*map)(const char *))
{
    if (!n)
        return hull_buf_appends(b, "no", NULL);
    int rc = hull_buf_appends(b, "yes (", NULL);
    size_t shown = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *x = map ? map(v[i]) : v[i];
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = !strcmp(map ? map(v[j]) : v[j], x);
        if (dup)
            continue;
        rc = hull_buf_printf(b, NULL, "%s%s", shown++ ? ", " : "", x);
    }
    return rc ? rc : hull_buf_appends(b, ")", NULL);
}

static const char *user_cell(const struct hull_surface *s)
{
    return *s->user ? s->user : "root";
}

/* Fill the cells of one row; out[c] gets heap strings. */
static int cells(const struct hull_surface *s, char *out[C__N])
{
    char tmp[64];
    struct hull_buf b = HULL_BUF_INIT(0);
    int rc = 0;
    for (int c = 0; c < C__N && !rc; c++) {
        switch (c) {
        case C_IMAGE:
            rc = hull_buf_appends(&b, s->image, NULL);
            break;
        case C_SIZE:
            human(s->size, tmp, sizeof(tmp));
            rc = hull_buf_appends(&b, tmp, NULL);
            break;
        case C_SHELL:
            rc = yes_list(&b, s->shell_kinds, s->n_shell_kinds, NULL);
            break;
        case C_PM:
            rc = yes_list(&b, s->pkg_managers, s->n_pkg_managers, hull_surface_pm_family);
            break;
        case C_PKGS:
            rc = hull_buf_printf(&b, NULL, "%zu", s->pkgs_total);
            break;
        case C_BUILD:
            rc = yes_list(&b, s->build_tools, s->n_build_tools, NULL);
            break;
        case C_USER:
            rc = hull_buf_appends(&b, user_cell(s), NULL);
            break;
        case C_VULNS:
            rc = vulns_cell(&b, s);
            break;
        case C_RATING:
            rc = hull_buf_appends(&b, hull_surface_rating_name(s->rating), NULL);
            break;
        }
        if (!rc) {
            char *raw = hull_buf_detach(&b, NULL);
            out[c] = raw ? malloc(caps[c] + 1) : NULL;
            if (out[c])
                clean(raw, out[c], caps[c]);
            else
                rc = -1;
            free(raw);
        }
    }
    hull_buf_release(&b);
    return rc;
}

static const char *color_of(enum hull_surface_rating r)
{
    return r == HULL_SURFACE_HIGH ? "\033[31m" : r == HULL_SURFACE_MEDIUM ? "\033[33m" : "\033[32m";
}

static int details(FILE *f, const struct hull_surface *s, bool color)
{
    char img[512], a[64], b[64], line[512];
    int rc = 0;
    clean(s->image, img, 200);
    rc |= fprintf(f, "\n%s: %s%s%s (score %d)\n", img, color ? color_of(s->rating) : "",
                  hull_surface_rating_name(s->rating), color ? "\033[0m" : "", s->score) < 0;
    clean(s->spec, line, 300);
    human(s->size, a, sizeof(a));
    rc |= fprintf(f, "  image     %s%s%s, %zu layer%s", line, s->platform ? " " : "",
                  s->platform ? s->platform : "", s->layers, s->layers == 1 ? "" : "s") < 0;
    if (s->compressed_size >= 0) {
        human(s->compressed_size, b, sizeof(b));
        rc |= fprintf(f, ", %s compressed", b) < 0;
    }
    rc |= fprintf(f, ", %s uncompressed\n", a) < 0;
    if (s->os_family || s->os_id) {
        clean(s->os_name ? s->os_name : s->os_id ? s->os_id : s->os_family, line, 120);
        clean(s->os_version ? s->os_version : "-", img, 40);
        rc |= fprintf(f, "  os        %s (%s %s%s)", line, s->os_family ? s->os_family : "-",
                      img, s->distroless ? ", distroless" : "") < 0;
    } else {
        rc |= fprintf(f, "  os        not detected") < 0;
    }
    if (s->eol)
        rc |= fprintf(f, ", end of life %s (%s)%s\n", s->eol->date, s->eol->kind,
                      s->eol_passed ? ": PASSED" : "") < 0;
    else
        rc |= fprintf(f, ", end of life unknown\n") < 0;
    rc |= fprintf(f, "  packages  %zu (%zu OS, %zu language)\n", s->pkgs_total, s->pkgs_os,
                  s->pkgs_lang) < 0;
    clean(s->user, line, 100);
    rc |= fprintf(f, "  user      %s%s", *s->user ? line : "root (no USER)",
                  s->runs_as_root && *s->user ? " (root)" : "") < 0;
    rc |= fprintf(f, "; exposed ports: ") < 0;
    for (size_t i = 0; i < s->n_ports; i++) {
        clean(s->ports[i], line, 40);
        rc |= fprintf(f, "%s%s", i ? ", " : "", line) < 0;
    }
    rc |= fprintf(f, "%s\n", s->n_ports ? "" : "none") < 0;
    rc |= fprintf(f, "  reasons\n") < 0;
    if (!s->n_reasons)
        rc |= fprintf(f, "    none: no shell, no package manager, no build tools, not root\n") < 0;
    for (size_t i = 0; i < s->n_reasons; i++) {
        clean(s->reasons[i].text, line, sizeof(line) - 1);
        rc |= fprintf(f, "    %+d  %s\n", s->reasons[i].points, line) < 0;
    }
    if (s->n_advice)
        rc |= fprintf(f, "  advice\n") < 0;
    for (size_t i = 0; i < s->n_advice; i++) {
        clean(s->advice[i].text, line, sizeof(line) - 1);
        rc |= fprintf(f, "    - %s\n", line) < 0;
    }
    return rc;
}

int hull_surface_table(FILE *f, struct hull_surface *const *s, size_t n, bool color,
                       struct hull_err **err)
{
    char *(*rows)[C__N] = calloc(n ? n : 1, sizeof(*rows));
    if (!rows)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    size_t w[C__N];
    int rc = 0;
    bool vulns = false; /* the VULNS column only when some image has its count */
    for (size_t i = 0; i < n; i++)
        vulns = vulns || s[i]->vulns_known;
    for (int c = 0; c < C__N; c++)
        w[c] = strlen(heads[c]);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = cells(s[i], rows[i]);
        for (int c = 0; c < C__N && !rc; c++)
            if (strlen(rows[i][c]) > w[c])
                w[c] = strlen(rows[i][c]);
    }
    if (rc) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    int io = 0;
    for (int c = 0; c + 1 < C__N; c++)
        if (c != C_VULNS || vulns)
            io |= fprintf(f, "%-*s  ", (int)w[c], heads[c]) < 0;
    io |= fprintf(f, "%s\n", heads[C__N - 1]) < 0;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < C__N; c++) {
            if (c == C_VULNS && !vulns)
                continue;
            if (c + 1 < C__N)
                io |= fprintf(f, "%-*s  ", (int)w[c], rows[i][c]) < 0;
            else
                io |= fprintf(f, "%s%s%s\n", color ? color_of(s[i]->rating) : "", rows[i][c],
                              color ? "\033[0m" : "") < 0;
        }
    for (size_t i = 0; i < n; i++)
        io |= details(f, s[i], color);
    if (io)
        rc = hull_err_sys(err, HULL_E_IO, errno, "writing the surface report");
out:
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < C__N; c++)
            free(rows[i][c]);
    free(rows);
    return rc;
}
