/* Package URLs (github.com/package-url/purl-spec): pkg:type/namespace/name@version?quals.
 * Each component is percent-encoded on its own: everything but the unreserved characters
 * (A-Z a-z 0-9 . - _ ~) and ':' becomes %XX (upper-case hex), so "+" in a Debian version
 * reads "%2B" and an npm scope "@types" reads "%40types". Qualifier keys are sorted and
 * qualifiers with an empty value are left out. Per-type rules (namespace, name case,
 * qualifiers) follow the type definitions for deb, apk, rpm, npm and pypi. */
#include "core/common.h"
#include "core/buf.h"
#include "inventory/invpriv.h"
#include <ctype.h>
#include <strings.h>

static bool keep(unsigned char c, bool keep_slash)
{
    return isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':' ||
           (keep_slash && c == '/');
}

char *hull_purl_encode(const char *s, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += keep(*p, keep_slash) && *p < 0x80 ? 1 : 3;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (keep(*p, keep_slash) && *p < 0x80) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

static int append_enc(struct hull_buf *b, const char *s, bool keep_slash, struct hull_err **err)
{
    char *e = hull_purl_encode(s, keep_slash);
    if (!e)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    int rc = hull_buf_appends(b, e, err);
    free(e);
    return rc;
}

struct qual {
    const char *k, *v;
};

static int qual_cmp(const void *a, const void *b)
{
    return strcmp(((const struct qual *)a)->k, ((const struct qual *)b)->k);
}

char *hull_purl_build(const char *type, const char *ns, const char *name, const char *version,
                      const char *const *quals, struct hull_err **err)
{
    struct hull_buf b = HULL_BUF_INIT(1u << 20);
    struct qual q[16];
    size_t nq = 0;
    for (size_t i = 0; quals && quals[i] && nq < HULL_ARRAY_LEN(q); i += 2)
        if (quals[i + 1] && *quals[i + 1])
            q[nq++] = (struct qual){ quals[i], quals[i + 1] };
    qsort(q, nq, sizeof(q[0]), qual_cmp);
    if (hull_buf_appends(&b, "pkg:", err) < 0 || hull_buf_appends(&b, type, err) < 0 ||
        hull_buf_appends(&b, "/", err) < 0)
        goto fail;
    if (ns && *ns) {
        /* each namespace segment is encoded separately; empty segments are dropped */
        const char *p = ns;
        while (*p) {
            const char *e = strchr(p, '/');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len) {
                char *seg = hull_inv_strndup(p, len, err);
                if (!seg || append_enc(&b, seg, false, err) < 0 ||
                    hull_buf_appends(&b, "/", err) < 0) {
                    free(seg);
                    goto fail;
                }
                free(seg);
            }
            p += len + (e ? 1 : 0);
        }
    }
    if (append_enc(&b, name, false, err) < 0)
        goto fail;
    if (version && *version &&
        (hull_buf_appends(&b, "@", err) < 0 || append_enc(&b, version, false, err) < 0))
        goto fail;
    for (size_t i = 0; i < nq; i++) {
        if (hull_buf_appends(&b, i ? "&" : "?", err) < 0 ||
            hull_buf_appends(&b, q[i].k, err) < 0 || hull_buf_appends(&b, "=", err) < 0 ||
            append_enc(&b, q[i].v, false, err) < 0)
            goto fail;
    }
    return hull_buf_detach(&b, NULL);
fail:
    hull_buf_release(&b);
    return NULL;
}

static char *lower_dup(const char *s, bool pypi)
{
    char *d = strdup(s);
    if (!d)
        return NULL;
    for (char *p = d; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (pypi && (*p == '_' || *p == '.'))
            *p = '-';
    }
    return d;
}

/* "debian-12.15", "fedora-39"; NULL when the os is unknown */
static char *distro_qual(const struct hull_os *os)
{
    if (!os->id || !os->version)
        return NULL;
    char *s = NULL;
    if (asprintf(&s, "%s-%s", os->id, os->version) < 0)
        return NULL;
    return s;
}

int hull_pkg_make_purl(struct hull_pkg *p, const struct hull_os *os, struct hull_err **err)
{
    char *name = NULL, *distro = NULL, *upstream = NULL, *ns_owned = NULL;
    const char *ns = NULL, *version = p->version;
    const char *quals[16] = { 0 };
    size_t nq = 0;
    int rc = 0;
    free(p->purl);
    p->purl = NULL;
    switch (p->type) {
    case HULL_PKG_DPKG:
    case HULL_PKG_RPM:
    case HULL_PKG_APK: {
        const char *dflt = p->type == HULL_PKG_DPKG ? "debian"
                           : p->type == HULL_PKG_APK ? "alpine" : NULL;
        ns = os->id ? os->id : dflt;
        if (ns && p->type == HULL_PKG_RPM && !strcmp(ns, "rhel"))
            ns = "redhat"; /* the vendor name Red Hat's own purls use */
        name = lower_dup(p->name, false);
        if (ns) {
            ns_owned = lower_dup(ns, false);
            ns = ns_owned;
        }
        if (p->type == HULL_PKG_APK) {
            distro = os->version ? strdup(os->version) : NULL;
            if (p->origin && strcmp(p->origin, p->name))
                upstream = strdup(p->origin);
        } else {
            distro = distro_qual(os);
            bool same_name = !p->source_name || !strcmp(p->source_name, p->name);
            bool same_ver = !p->source_version || !strcmp(p->source_version, p->version);
            if (p->type == HULL_PKG_RPM)
                same_ver = true; /* the SRPM always shares the binary's version-release */
            if (!same_ver) {
                if (asprintf(&upstream, "%s@%s", p->source_name, p->source_version) < 0)
                    upstream = NULL;
            } else if (!same_name) {
                upstream = strdup(p->source_name);
            }
        }
        if (p->type == HULL_PKG_RPM && p->epoch) {
            /* version is V-R; the epoch is a qualifier */
            const char *c = strchr(p->version, ':');
            if (c)
                version = c + 1;
            quals[nq++] = "epoch";
            quals[nq++] = p->epoch;
        }
        quals[nq++] = "arch";
        quals[nq++] = p->arch;
        quals[nq++] = "distro";
        quals[nq++] = distro;
        quals[nq++] = "upstream";
        quals[nq++] = upstream;
        break;
    }
    case HULL_PKG_NPM: {
        const char *slash = p->name[0] == '@' ? strchr(p->name, '/') : NULL;
        if (slash) {
            ns_owned = hull_inv_strndup(p->name, (size_t)(slash - p->name), err);
            if (!ns_owned)
                return -1;
            ns = ns_owned;
            name = strdup(slash + 1);
        } else {
            name = strdup(p->name);
        }
        break;
    }
    case HULL_PKG_PYPI:
        name = lower_dup(p->name, true);
        break;
    default:
        return hull_err_set(err, HULL_E_INTERNAL, "purl: unknown package type %d", p->type);
    }
    if (!name) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    p->purl = hull_purl_build(hull_pkg_type_name(p->type), ns, name, version, quals, err);
    if (!p->purl)
        rc = -1;
out:
    free(name);
    free(distro);
    free(upstream);
    free(ns_owned);
    return rc;
}

/* ---- parsing ---- */

bool hull_purl_split(const char *s, struct hull_purl_parts *p)
{
    memset(p, 0, sizeof(*p));
    if (strncasecmp(s, "pkg:", 4))
        return false;
    s += 4;
    while (*s == '/')
        s++;
    size_t n = strcspn(s, "#");
    const char *q = memchr(s, '?', n);
    size_t body = q ? (size_t)(q - s) : n;
    if (q) {
        p->quals = q + 1;
        p->quals_len = n - body - 1;
    }
    const char *slash = memchr(s, '/', body);
    if (!slash || slash == s)
        return false;
    p->type = s;
    p->type_len = (size_t)(slash - s);
    const char *rest = slash + 1;
    size_t rl = body - p->type_len - 1;
    const char *at = memrchr(rest, '@', rl);
    p->path = rest;
    p->path_len = at ? (size_t)(at - rest) : rl;
    if (at) {
        p->version = at + 1;
        p->version_len = rl - p->path_len - 1;
    }
    const char *ls = memrchr(rest, '/', p->path_len);
    if (ls) {
        p->ns = rest;
        p->ns_len = (size_t)(ls - rest);
        p->name = ls + 1;
        p->name_len = p->path_len - p->ns_len - 1;
    } else {
        p->name = rest;
        p->name_len = p->path_len;
    }
    return true;
}

bool hull_purl_next_qual(const char **cur, const char *end, const char **key, size_t *key_len,
                         const char **val, size_t *val_len)
{
    while (*cur < end) {
        const char *k = *cur;
        const char *amp = memchr(k, '&', (size_t)(end - k));
        const char *e = amp ? amp : end;
        *cur = amp ? amp + 1 : end;
        if (e == k)
            continue;
        const char *eq = memchr(k, '=', (size_t)(e - k));
        *key = k;
        *key_len = (size_t)((eq ? eq : e) - k);
        *val = eq ? eq + 1 : NULL;
        *val_len = eq ? (size_t)(e - eq - 1) : 0;
        return true;
    }
    return false;
}

void hull_purl_decode(const char *s, size_t n, char *out, size_t cap, unsigned flags)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hx[3] = { s[i + 1], s[i + 2], 0 };
            c = (char)strtol(hx, NULL, 16);
            i += 2;
        }
        if ((flags & HULL_PURL_CTRL) && ((unsigned char)c < 0x20 || c == 0x7f))
            c = '?';
        if (flags & HULL_PURL_LOWER)
            c = (char)tolower((unsigned char)c);
        out[o++] = c;
    }
    out[o] = 0;
}
