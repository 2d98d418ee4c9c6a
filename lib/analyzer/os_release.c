/* Operating system identity files. os-release(5): KEY=value lines, values optionally in
 * double or single quotes with backslash escapes; /etc/os-release wins over
 * /usr/lib/os-release (which the former usually links to). /etc/alpine-release and
 * /etc/debian_version give the point release; /etc/redhat-release names the distribution
 * when there is no os-release. The facts are combined in hull_inventory_finish(). */
#include "core/common.h"
#include "analyzer/analyzer.h"

static const char *const paths[] = {
    "/etc/os-release", "/usr/lib/os-release", "/etc/alpine-release", "/etc/debian_version",
    "/etc/redhat-release", "/etc/system-release",
};

static bool wants(const char *path)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(paths); i++)
        if (!strcmp(path, paths[i]))
            return true;
    return false;
}

/* Unquote an os-release value into a new string; NULL on a malformed value. */
static char *unquote(const char *v, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    char q = n && (v[0] == '"' || v[0] == '\'') ? v[0] : 0;
    size_t i = q ? 1 : 0;
    bool closed = !q;
    for (; i < n; i++) {
        char c = v[i];
        if (q && c == q) {
            closed = true;
            break;
        }
        if (c == '\\' && q != '\'' && i + 1 < n)
            c = v[++i];
        *o++ = c;
    }
    *o = 0;
    if (!closed || !hull_printable(out, (size_t)(o - out))) {
        free(out);
        return NULL;
    }
    return out;
}

static void set(char **dst, char *v)
{
    free(*dst);
    *dst = v;
}

static int parse_osrel(const struct hull_input *in, struct hull_osrel *r,
                       struct hull_inventory *inv)
{
    const char *p = (const char *)in->data, *end = p + in->len, *l;
    size_t n;
    bool bad = false;
    while (hull_next_line(&p, end, &l, &n)) {
        hull_trim(&l, &n);
        if (!n || l[0] == '#')
            continue;
        const char *eq = memchr(l, '=', n);
        if (!eq || n > 4096) {
            bad = true;
            continue;
        }
        size_t kn = (size_t)(eq - l);
        char *v = unquote(eq + 1, n - kn - 1);
        if (!v) {
            bad = true;
            continue;
        }
#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(l, k, kn))
        if (KEY("ID"))
            set(&r->id, v);
        else if (KEY("ID_LIKE"))
            set(&r->id_like, v);
        else if (KEY("VERSION_ID"))
            set(&r->version_id, v);
        else if (KEY("VERSION_CODENAME"))
            set(&r->codename, v);
        else if (KEY("PRETTY_NAME"))
            set(&r->pretty, v);
        else if (KEY("NAME"))
            set(&r->name, v);
        else
            free(v);
#undef KEY
    }
    if (bad)
        hull_inventory_warn(inv, "%s: malformed lines ignored", in->path);
    if (r->id)
        for (char *c = r->id; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
    r->set = true;
    return 0;
}

/* First line of a one-line release file, trimmed; NULL (with a warning) when unusable. */
static char *first_line(const struct hull_input *in, struct hull_inventory *inv)
{
    const char *p = (const char *)in->data, *end = p + in->len, *l = "";
    size_t n = 0;
    hull_next_line(&p, end, &l, &n);
    hull_trim(&l, &n);
    if (!n || n > 256 || !hull_printable(l, n)) {
        hull_inventory_warn(inv, "%s: unreadable content ignored", in->path);
        return NULL;
    }
    return strndup(l, n);
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *path = in->path;
    if (!strcmp(path, "/etc/os-release"))
        return parse_osrel(in, &inv->osrel[HULL_OSREL_ETC], inv);
    if (!strcmp(path, "/usr/lib/os-release"))
        return parse_osrel(in, &inv->osrel[HULL_OSREL_USR], inv);
    char *v = first_line(in, inv);
    if (!v)
        return 0;
    if (!strcmp(path, "/etc/alpine-release"))
        set(&inv->alpine_release, v);
    else if (!strcmp(path, "/etc/debian_version"))
        set(&inv->debian_version, v);
    else if (!strcmp(path, "/etc/redhat-release") ||
             (!strcmp(path, "/etc/system-release") && !inv->redhat_release))
        set(&inv->redhat_release, v);
    else
        free(v);
    return 0;
}

const struct hull_analyzer hull_analyzer_osrelease = { "os-release", wants, parse };
