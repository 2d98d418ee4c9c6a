/* Image references, as distribution/reference (Docker) parses and normalises them:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component { "/" path-component }
 *   domain     := host [ ":" port ]        (first component with "." or ":", "localhost",
 *                                           or an upper-case letter)
 *   path-comp  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest     := "sha256:" 64 lowercase hex
 *
 * The whole name is at most 255 bytes. Docker Hub names get "docker.io" and, for a single
 * component, "library/"; "index.docker.io" is an alias of "docker.io". Platform strings
 * ("os/arch[/variant]") are normalised the way containerd's platforms package does. */
#include "core/common.h"
#include "core/digest.h"
#include "hull/registry.h"
#include <sys/utsname.h>

#define NAME_MAX_LEN 255
#define REF_MAX_LEN 4096

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool word_char(char c)
{
    return lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_';
}

/* One path component: alnum runs joined by ".", "_", "__" or runs of "-". */
static bool valid_component(const char *s, size_t n)
{
    if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
        return false;
    for (size_t i = 0; i < n;) {
        if (lower_alnum(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        if (s[i] == '.') {
            j = i + 1;
        } else if (s[i] == '_') {
            j = i + 1;
            if (j < n && s[j] == '_')
                j++;
        } else if (s[i] == '-') {
            while (j < n && s[j] == '-')
                j++;
        } else {
            return false;
        }
        if (j >= n || !lower_alnum(s[j]))
            return false;
        i = j;
    }
    return true;
}

/* host[:port]: dotted labels of [A-Za-z0-9-] or a bracketed IPv6 address. */
static bool valid_domain(const char *s, size_t n)
{
    if (n == 0)
        return false;
    size_t hostlen = n;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return false;
        for (const char *p = s + 1; p < close; p++)
            if (!(*p == ':' || *p == '.' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                  (*p >= 'A' && *p <= 'F')))
                return false;
        if (close == s + 1)
            return false;
        hostlen = (size_t)(close - s) + 1;
    } else {
        const char *colon = memchr(s, ':', n);
        if (colon)
            hostlen = (size_t)(colon - s);
        size_t lab = 0;
        for (size_t i = 0; i < hostlen; i++) {
            char c = s[i];
            if (c == '.') {
                if (lab == 0 || s[i - 1] == '-')
                    return false;
                lab = 0;
                continue;
            }
            bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && c != '-')
                return false;
            if (c == '-' && lab == 0)
                return false;
            lab++;
        }
        if (lab == 0 || s[hostlen - 1] == '-')
            return false;
    }
    if (hostlen == n)
        return true;
    if (s[hostlen] != ':' || hostlen + 1 == n || n - hostlen - 1 > 5)
        return false;
    for (size_t i = hostlen + 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool valid_tag(const char *s, size_t n)
{
    if (n == 0 || n > 128 || !word_char(s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!word_char(s[i]) && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

static bool is_domain_like(const char *s, size_t n)
{
    if (n == 9 && !memcmp(s, "localhost", 9))
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || s[i] == ':' || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '[')
            return true;
    return false;
}

static int bad(struct hull_err **err, const char *s, size_t len, const char *why)
{
    int shown = len > 200 ? 200 : (int)len;
    return hull_err_set(err, HULL_E_USAGE, "invalid image reference \"%.*s%s\": %s", shown, s,
                        len > 200 ? "..." : "", why);
}

int hull_ref_parse(const char *s, size_t len, struct hull_ref *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    if (len == 0)
        return bad(err, s, len, "empty");
    if (len > REF_MAX_LEN)
        return bad(err, s, len, "too long");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return bad(err, s, len, "contains a space, control or non-ASCII character");
    if (len >= 7 && !memcmp(s, "docker:", 7))
        return bad(err, s, len, "use the reference without a transport prefix here");

    size_t name_end = len;
    const char *at = memchr(s, '@', len);
    const char *dig = NULL;
    size_t dig_len = 0;
    if (at) {
        dig = at + 1;
        dig_len = len - (size_t)(dig - s);
        name_end = (size_t)(at - s);
        if (memchr(dig, '@', dig_len))
            return bad(err, s, len, "more than one '@'");
        if (dig_len < 7 || memcmp(dig, "sha256:", 7) != 0) {
            const char *colon = memchr(dig, ':', dig_len);
            if (colon && colon != dig)
                return hull_err_set(err, HULL_E_UNSUPPORTED,
                                    "image reference: digest algorithm \"%.*s\" is not supported "
                                    "(only sha256)",
                                    (int)(colon - dig) > 32 ? 32 : (int)(colon - dig), dig);
            return bad(err, s, len, "digest must be sha256:<64 hex>");
        }
        if (dig_len != HULL_DIGEST_STRLEN)
            return bad(err, s, len, "digest must be sha256:<64 hex>");
        for (size_t i = 7; i < dig_len; i++)
            if (!((dig[i] >= '0' && dig[i] <= '9') || (dig[i] >= 'a' && dig[i] <= 'f')))
                return bad(err, s, len, "digest must be sha256:<64 lowercase hex>");
    }
    /* tag: after the last ':' that follows the last '/' */
    size_t slash = 0;
    bool has_slash = false;
    for (size_t i = 0; i < name_end; i++)
        if (s[i] == '/') {
            slash = i;
            has_slash = true;
        }
    const char *tag = NULL;
    size_t tag_len = 0;
    for (size_t i = name_end; i-- > (has_slash ? slash + 1 : 0);)
        if (s[i] == ':') {
            tag = s + i + 1;
            tag_len = name_end - i - 1;
            name_end = i;
            break;
        }
    if (tag && !valid_tag(tag, tag_len))
        return bad(err, s, len, "invalid tag");
    if (name_end == 0)
        return bad(err, s, len, "missing repository name");
    if (name_end > NAME_MAX_LEN)
        return bad(err, s, len, "repository name longer than 255 bytes");

    const char *name = s;
    size_t nlen = name_end;
    const char *first_slash = memchr(name, '/', nlen);
    const char *dom = NULL;
    size_t dom_len = 0;
    const char *path = name;
    size_t path_len = nlen;
    if (first_slash && is_domain_like(name, (size_t)(first_slash - name))) {
        dom = name;
        dom_len = (size_t)(first_slash - name);
        path = first_slash + 1;
        path_len = nlen - dom_len - 1;
        if (!valid_domain(dom, dom_len))
            return bad(err, s, len, "invalid registry host");
    }
    if (path_len == 0)
        return bad(err, s, len, "missing repository name");
    for (size_t i = 0, st = 0; i <= path_len; i++) {
        if (i == path_len || path[i] == '/') {
            if (!valid_component(path + st, i - st)) {
                for (size_t k = st; k < i; k++)
                    if (path[k] >= 'A' && path[k] <= 'Z')
                        return bad(err, s, len, "repository name must be lowercase");
                return bad(err, s, len, "invalid repository name component");
            }
            st = i + 1;
        }
    }

    bool hub = !dom || (dom_len == 9 && !memcmp(dom, "docker.io", 9)) ||
               (dom_len == 15 && !memcmp(dom, "index.docker.io", 15));
    int r1 = hub ? asprintf(&out->domain, "docker.io")
                 : asprintf(&out->domain, "%.*s", (int)dom_len, dom);
    bool single = !memchr(path, '/', path_len);
    int r2 = (hub && single) ? asprintf(&out->path, "library/%.*s", (int)path_len, path)
                             : asprintf(&out->path, "%.*s", (int)path_len, path);
    if (r1 < 0 || r2 < 0)
        goto oom;
    if (strlen(out->domain) + 1 + strlen(out->path) > NAME_MAX_LEN) {
        hull_ref_release(out);
        return bad(err, s, len, "repository name longer than 255 bytes");
    }
    if (tag) {
        out->tag = strndup(tag, tag_len);
        if (!out->tag)
            goto oom;
    } else if (!dig) {
        out->tag = strdup("latest");
        out->implicit_tag = true;
        if (!out->tag)
            goto oom;
    }
    if (dig) {
        out->digest = strndup(dig, dig_len);
        if (!out->digest)
            goto oom;
    }
    return 0;
oom:
    if (r1 < 0)
        out->domain = NULL;
    if (r2 < 0)
        out->path = NULL;
    hull_ref_release(out);
    return hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

void hull_ref_release(struct hull_ref *r)
{
    if (!r)
        return;
    free(r->domain);
    free(r->path);
    free(r->tag);
    free(r->digest);
    memset(r, 0, sizeof(*r));
}

char *hull_ref_format(const struct hull_ref *r, bool with_tag, bool with_digest)
{
    char *s = NULL;
    bool t = with_tag && r->tag;
    bool d = with_digest && r->digest;
    if (asprintf(&s, "%s/%s%s%s%s%s", r->domain, r->path, t ? ":" : "", t ? r->tag : "",
                 d ? "@" : "", d ? r->digest : "") < 0)
        return NULL;
    return s;
}

const char *hull_ref_api_host(const struct hull_ref *r)
{
    return strcmp(r->domain, "docker.io") == 0 ? "registry-1.docker.io" : r->domain;
}

/* ---- platforms ---- */

static void norm_arch(struct hull_platform *p)
{
    static const struct {
        const char *from, *to, *variant;
    } map[] = {
        { "x86_64", "amd64", NULL }, { "x86-64", "amd64", NULL }, { "aarch64", "arm64", NULL },
        { "armhf", "arm", "v7" },    { "armel", "arm", "v6" },    { "i386", "386", NULL },
        { "i686", "386", NULL },     { "ppc64el", "ppc64le", NULL },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(map); i++)
        if (!strcmp(p->arch, map[i].from)) {
            snprintf(p->arch, sizeof(p->arch), "%s", map[i].to);
            if (map[i].variant && !p->variant[0])
                snprintf(p->variant, sizeof(p->variant), "%s", map[i].variant);
        }
    if (!strcmp(p->arch, "arm64") && !strcmp(p->variant, "v8"))
        p->variant[0] = 0; /* arm64's only variant: compare as "" */
    if (!strcmp(p->arch, "amd64") && !strcmp(p->variant, "v1"))
        p->variant[0] = 0;
}

static bool plat_word(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

int hull_platform_parse(const char *s, struct hull_platform *out, struct hull_err **err)
{
    memset(out, 0, sizeof(*out));
    const char *parts[4] = { 0 };
    size_t lens[4] = { 0 };
    size_t n = 0;
    const char *p = s;
    for (;;) {
        const char *sl = strchr(p, '/');
        size_t l = sl ? (size_t)(sl - p) : strlen(p);
        if (n == 3 || !plat_word(p, l) || l >= sizeof(out->os))
            return hull_err_set(err, HULL_E_USAGE,
                                "invalid platform \"%.64s\" (want os/arch[/variant], e.g. "
                                "linux/arm64)", s);
        parts[n] = p;
        lens[n++] = l;
        if (!sl)
            break;
        p = sl + 1;
    }
    if (n == 1) {
        snprintf(out->os, sizeof(out->os), "linux");
        snprintf(out->arch, sizeof(out->arch), "%.*s", (int)lens[0], parts[0]);
    } else {
        snprintf(out->os, sizeof(out->os), "%.*s", (int)lens[0], parts[0]);
        snprintf(out->arch, sizeof(out->arch), "%.*s", (int)lens[1], parts[1]);
        if (n == 3) {
            if (lens[2] >= sizeof(out->variant))
                return hull_err_set(err, HULL_E_USAGE, "invalid platform variant in \"%.64s\"",
                                    s);
            snprintf(out->variant, sizeof(out->variant), "%.*s", (int)lens[2], parts[2]);
        }
    }
    for (char *c = out->os; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    for (char *c = out->arch; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    norm_arch(out);
    return 0;
}

void hull_platform_host(struct hull_platform *out)
{
    memset(out, 0, sizeof(*out));
    struct utsname u;
    snprintf(out->os, sizeof(out->os), "linux");
    if (uname(&u) == 0)
        snprintf(out->arch, sizeof(out->arch), "%.31s", u.machine);
    else
        snprintf(out->arch, sizeof(out->arch), "amd64");
    if (!strncmp(out->arch, "armv7", 5)) {
        snprintf(out->arch, sizeof(out->arch), "arm");
        snprintf(out->variant, sizeof(out->variant), "v7");
    } else if (!strncmp(out->arch, "armv6", 5)) {
        snprintf(out->arch, sizeof(out->arch), "arm");
        snprintf(out->variant, sizeof(out->variant), "v6");
    }
    norm_arch(out);
}

bool hull_platform_match(const struct hull_platform *want, const char *os, const char *arch,
                         const char *variant)
{
    struct hull_platform got;
    memset(&got, 0, sizeof(got));
    snprintf(got.os, sizeof(got.os), "%s", os ? os : "linux");
    snprintf(got.arch, sizeof(got.arch), "%s", arch ? arch : "amd64");
    snprintf(got.variant, sizeof(got.variant), "%s", variant ? variant : "");
    norm_arch(&got);
    if (strcmp(want->os, got.os) || strcmp(want->arch, got.arch))
        return false;
    if (!want->variant[0])
        return true; /* no variant asked: any (callers prefer exact matches first) */
    if (!strcmp(want->arch, "arm") && !got.variant[0])
        return !strcmp(want->variant, "v7"); /* arm without variant is v7 */
    return !strcmp(want->variant, got.variant);
}
