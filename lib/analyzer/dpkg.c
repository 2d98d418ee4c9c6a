/* dpkg databases (deb-control(5), dpkg-query(1)):
 *   /var/lib/dpkg/status        stanzas of installed and known packages; only those whose
 *                               Status is "<want> <flag> installed" are installed
 *   /var/lib/dpkg/status.d/NAME distroless: one control stanza per file, no Status line
 *                               (NAME.md5sums files next to them are not packages)
 *   /var/lib/dpkg/info/P[:A].list  files shipped by package P (attached later to P)
 * Field names are case-insensitive; continuation lines start with a blank; "Source: src" or
 * "Source: src (version)" gives the source package (default: the binary's name and
 * version, as dpkg-query's ${source:Package} ${source:Version}). */
#include "core/common.h"
#include "core/buf.h"
#include "analyzer/analyzer.h"

#define STATUS "/var/lib/dpkg/status"
#define STATUS_D "/var/lib/dpkg/status.d/"
#define INFO "/var/lib/dpkg/info/"
#define MAX_LIST_FILES (1u << 20)

static bool wants(const char *path)
{
    if (!strcmp(path, STATUS))
        return true;
    if (hull_has_prefix(path, STATUS_D)) {
        const char *b = path + strlen(STATUS_D);
        return *b && *b != '.' && !strchr(b, '/') && !hull_has_suffix(b, ".md5sums");
    }
    if (hull_has_prefix(path, INFO))
        return !strchr(path + strlen(INFO), '/') && hull_has_suffix(path, ".list");
    return false;
}

struct view {
    const char *s;
    size_t n;
};

struct stanza {
    struct view package, status, version, arch, source;
    size_t line;     /* first line number, for warnings */
    bool bad;        /* a line that is neither "Field: value" nor a continuation */
    bool any;
};

static bool field_is(const char *l, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n > k && l[k] == ':' && !strncasecmp(l, name, k);
}

static char *vdup(struct view v)
{
    return v.n ? strndup(v.s, v.n) : strdup("");
}

/* Turn one finished stanza into a package (or a warning). */
static int emit(const struct hull_input *in, struct hull_inventory *inv, struct stanza *st,
                bool need_status, struct hull_err **err)
{
    if (!st->any)
        return 0;
    if (st->bad) {
        hull_inventory_warn(inv, "%s: stanza at line %zu: malformed line, stanza skipped",
                            in->path, st->line);
        return 0;
    }
    if (!st->package.n) {
        hull_inventory_warn(inv, "%s: stanza at line %zu has no Package field, skipped",
                            in->path, st->line);
        return 0;
    }
    if (need_status) {
        /* "install ok installed", "hold ok installed": the third word is the state */
        if (!st->status.n)
            return 0; /* not installed: dpkg knows of it only */
        const char *s = st->status.s, *e = s + st->status.n;
        const char *last = s;
        int words = 0;
        for (const char *c = s; c < e; c++)
            if (c == s || (c[-1] == ' ' && *c != ' ')) {
                last = c;
                words++;
            }
        if (words != 3 || (size_t)(e - last) != 9 || memcmp(last, "installed", 9))
            return 0;
    }
    if (!st->version.n) {
        hull_inventory_warn(inv, "%s: package %.*s (line %zu) has no Version, skipped", in->path,
                            (int)(st->package.n > 200 ? 200 : st->package.n), st->package.s,
                            st->line);
        return 0;
    }
    struct view fields[] = { st->package, st->version, st->arch, st->source };
    for (size_t i = 0; i < HULL_ARRAY_LEN(fields); i++)
        if (fields[i].n > HULL_MAX_FIELD || !hull_printable(fields[i].s, fields[i].n) ||
            (i < 3 && fields[i].n && memchr(fields[i].s, ' ', fields[i].n))) {
            hull_inventory_warn(inv, "%s: stanza at line %zu: invalid or oversized field, "
                                "skipped", in->path, st->line);
            return 0;
        }
    struct hull_pkg t = { .type = HULL_PKG_DPKG };
    char *name = vdup(st->package), *ver = vdup(st->version), *arch = vdup(st->arch);
    char *src = NULL, *srcver = NULL, *epoch = NULL;
    int rc = 0;
    if (st->source.n) {
        const char *s = st->source.s, *e = s + st->source.n;
        const char *sp = memchr(s, ' ', st->source.n);
        src = strndup(s, (size_t)((sp ? sp : e) - s));
        if (sp) {
            const char *o = memchr(sp, '(', (size_t)(e - sp));
            const char *c = o ? memchr(o, ')', (size_t)(e - o)) : NULL;
            if (c && c > o + 1) {
                struct view sv = { o + 1, (size_t)(c - o - 1) };
                hull_trim(&sv.s, &sv.n);
                srcver = vdup(sv);
            }
        }
    }
    const char *colon = memchr(st->version.s, ':', st->version.n);
    if (colon)
        epoch = strndup(st->version.s, (size_t)(colon - st->version.s));
    if (!name || !ver || !arch || (st->source.n && !src) || (colon && !epoch)) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    t.name = name;
    t.version = ver;
    t.arch = st->arch.n ? arch : NULL;
    t.epoch = epoch;
    t.source_name = src ? src : name;
    t.source_version = srcver ? srcver : ver;
    if (!hull_inventory_add(inv, &t, in, err))
        rc = -1;
out:
    free(name);
    free(ver);
    free(arch);
    free(src);
    free(srcver);
    free(epoch);
    return rc;
}

static int parse_control(const struct hull_input *in, struct hull_inventory *inv,
                         bool need_status, struct hull_err **err)
{
    const char *p = (const char *)in->data, *end = p + in->len;
    const char *l;
    size_t n, lineno = 0;
    struct stanza st = { 0 };
    bool seen_field = false;
    if (in->len && memchr(in->data, 0, in->len))
        hull_inventory_warn(inv, "%s: contains NUL bytes (binary junk?)", in->path);
    while (hull_next_line(&p, end, &l, &n)) {
        lineno++;
        struct view t = { l, n };
        hull_trim(&t.s, &t.n);
        if (!t.n) {
            if (emit(in, inv, &st, need_status, err) < 0)
                return -1;
            memset(&st, 0, sizeof(st));
            seen_field = false;
            continue;
        }
        if (!st.any) {
            st.any = true;
            st.line = lineno;
        }
        if (l[0] == ' ' || l[0] == '\t') {
            if (!seen_field)
                st.bad = true;
            continue; /* continuation of a multi-line field we do not keep */
        }
        const char *c = memchr(l, ':', n);
        if (!c || c == l) {
            st.bad = true;
            continue;
        }
        seen_field = true;
        struct view v = { c + 1, (size_t)(l + n - c - 1) };
        hull_trim(&v.s, &v.n);
        if (field_is(l, n, "Package"))
            st.package = v;
        else if (field_is(l, n, "Status"))
            st.status = v;
        else if (field_is(l, n, "Version"))
            st.version = v;
        else if (field_is(l, n, "Architecture"))
            st.arch = v;
        else if (field_is(l, n, "Source"))
            st.source = v;
    }
    if (in->truncated)
        hull_inventory_warn(inv, "%s: file larger than the capture limit, last stanza skipped",
                            in->path);
    else if (emit(in, inv, &st, need_status, err) < 0)
        return -1;
    return 0;
}

static int parse_list(const struct hull_input *in, struct hull_inventory *inv,
                      struct hull_err **err)
{
    const char *base = hull_base(in->path);
    size_t blen = strlen(base) - 5; /* ".list" */
    const char *colon = memchr(base, ':', blen);
    char *name = strndup(base, colon ? (size_t)(colon - base) : blen);
    char *arch = colon ? strndup(colon + 1, blen - (size_t)(colon + 1 - base)) : NULL;
    char **files = NULL;
    size_t nf = 0, cap = 0;
    int rc = 0;
    if (!name || (colon && !arch)) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    const char *p = (const char *)in->data, *end = p + in->len, *l;
    size_t n;
    while (hull_next_line(&p, end, &l, &n)) {
        if (!n || l[0] != '/' || (n == 2 && l[1] == '.'))
            continue;
        if (n > 4096 || !hull_printable(l, n)) {
            hull_inventory_warn(inv, "%s: invalid path line skipped", in->path);
            continue;
        }
        if (nf == MAX_LIST_FILES) {
            hull_inventory_warn(inv, "%s: more than %u files, rest ignored", in->path,
                                MAX_LIST_FILES);
            break;
        }
        if (hull_grow(&files, nf, &cap, sizeof(*files), 64) < 0) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto fail;
        }
        if (!(files[nf] = strndup(l, n))) {
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto fail;
        }
        nf++;
    }
    rc = hull_inventory_add_filelist(inv, HULL_PKG_DPKG, name, arch, files, nf, err);
    files = NULL;
fail:
    hull_inv_free_strv(files, nf);
    free(name);
    free(arch);
    return rc;
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    if (!strcmp(in->path, STATUS)) {
        inv->have_dpkg_status = true;
        return parse_control(in, inv, true, err);
    }
    if (hull_has_prefix(in->path, STATUS_D)) {
        inv->have_dpkg_status_d = true;
        return parse_control(in, inv, false, err);
    }
    return parse_list(in, inv, err);
}

const struct hull_analyzer hull_analyzer_dpkg = { "dpkg", wants, parse };
