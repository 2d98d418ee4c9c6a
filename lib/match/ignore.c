/* .hullignore: the ignore file of `hull image` (include/hull/match.h).
 *
 *   # comment
 *   CVE-2023-5363                      any package
 *   GHSA-p6mc-m468-83gw lodash         only this package
 *   CVE-2011-3374 apt exp:2026-12-31   until that day (inclusive)
 *
 * Fields are separated by blanks; a `#` starts a comment anywhere. The id matches any of a
 * finding's ids and aliases, case-insensitively. Malformed lines are errors, never skipped:
 * an ignore file that silently ignores less than its author meant is a gate that lies. */
#include "core/common.h"
#include "core/buf.h"
#include <ctype.h>
#include <errno.h>
#include <strings.h>
#include "hull/match.h"

#define MAX_LINE 4096
#define MAX_FILE (16u << 20)

void hull_ignorefile_free(struct hull_ignorefile *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_rules; i++) {
        free(f->rules[i].id);
        free(f->rules[i].pkg);
    }
    free(f->rules);
    free(f->name);
    free(f);
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD" (exactly) -> YYYYMMDD, 0 when invalid */
static int parse_date(const char *s, size_t n)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1970 || m < 1 || m > 12 || d < 1)
        return 0;
    int md = mdays[m - 1] + (m == 2 && leap(y));
    if (d > md)
        return 0;
    return y * 10000 + m * 100 + d;
}

static int perr(struct hull_err **err, const char *name, unsigned line, const char *what)
{
    return hull_err_set(err, HULL_E_PARSE, "%s:%u: %s", name, line, what);
}

/* Parse one line (without its newline); appends to f. */
static int parse_line(struct hull_ignorefile *f, const char *s, size_t n, unsigned line,
                      struct hull_err **err)
{
    const char *fields[3];
    size_t lens[3], nf = 0;
    size_t i = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '#') {
            n = k;
            break;
        }
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            return perr(err, f->name, line, "control character");
    }
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        if (nf == 3)
            return perr(err, f->name, line, "too many fields (want: ID [PACKAGE] "
                                           "[exp:YYYY-MM-DD])");
        fields[nf] = s + st;
        lens[nf++] = i - st;
    }
    if (nf == 0)
        return 0;
    struct hull_ignore_rule r = { .line = line };
    size_t used = 1;
    if (lens[0] >= 4 && !strncmp(fields[0], "exp:", 4))
        return perr(err, f->name, line, "the line starts with an expiry date, not an id");
    for (size_t k = 1; k < nf; k++) {
        if (lens[k] >= 4 && !strncmp(fields[k], "exp:", 4)) {
            if (k != nf - 1 || r.exp_ymd)
                return perr(err, f->name, line, "exp:YYYY-MM-DD must be the last field");
            r.exp_ymd = parse_date(fields[k] + 4, lens[k] - 4);
            if (!r.exp_ymd)
                return perr(err, f->name, line, "invalid expiry date (want exp:YYYY-MM-DD)");
            used++;
        }
    }
    if (nf - used > 1)
        return perr(err, f->name, line, "too many fields (want: ID [PACKAGE] "
                                       "[exp:YYYY-MM-DD])");
    r.id = strndup(fields[0], lens[0]);
    if (nf - used == 1)
        r.pkg = strndup(fields[1], lens[1]);
    struct hull_ignore_rule *nr = realloc(f->rules, (f->n_rules + 1) * sizeof(*nr));
    if (!r.id || (nf - used == 1 && !r.pkg) || !nr) {
        if (nr)
            f->rules = nr;
        free(r.id);
        free(r.pkg);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    f->rules = nr;
    nr[f->n_rules++] = r;
    return 0;
}

struct hull_ignorefile *hull_ignorefile_parse(const char *name, const void *buf, size_t len,
                                              struct hull_err **err)
{
    struct hull_ignorefile *f = calloc(1, sizeof(*f));
    if (!f || !(f->name = strdup(name ? name : ".hullignore"))) {
        free(f);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *p = buf, *end = p + len;
    unsigned line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (n > MAX_LINE) {
            perr(err, f->name, line, "line too long");
            goto fail;
        }
        if (line == 1 && n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
            p += 3;
            n -= 3;
        }
        if (parse_line(f, p, n, line, err) < 0)
            goto fail;
        p += n + (nl ? 1 : 0);
    }
    return f;
fail:
    hull_ignorefile_free(f);
    return NULL;
}

struct hull_ignorefile *hull_ignorefile_load(const char *path, struct hull_err **err)
{
    char *buf = NULL;
    size_t len = 0;
    if (hull_read_file(path, MAX_FILE, &buf, &len, err) < 0) {
        hull_err_wrap(err, "ignore file");
        return NULL;
    }
    struct hull_ignorefile *out = hull_ignorefile_parse(path, buf, len, err);
    free(buf);
    return out;
}

const struct hull_ignore_rule *hull_ignorefile_match(const struct hull_ignorefile *f,
                                                     const struct hull_finding *fd, int ymd)
{
    for (size_t i = 0; f && i < f->n_rules; i++) {
        const struct hull_ignore_rule *r = &f->rules[i];
        if (r->exp_ymd && ymd > r->exp_ymd)
            continue;
        if (r->pkg && strcmp(r->pkg, fd->pkg->name))
            continue;
        bool hit = !strcasecmp(r->id, fd->id);
        for (size_t k = 0; !hit && k < fd->n_ids; k++)
            hit = !strcasecmp(r->id, fd->ids[k]);
        if (hit)
            return r;
    }
    return NULL;
}
