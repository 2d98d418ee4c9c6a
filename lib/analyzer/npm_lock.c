/* npm lockfiles: package-lock.json (lockfileVersion 1: nested "dependencies"; 2 and 3:
 * "packages" keyed by install path, links to workspace packages followed), the hidden
 * node_modules/.package-lock.json, yarn.lock (v1 and berry), and pnpm-lock.yaml (v5 "/name/1.0.0",
 * v6 "/name@1.0.0", v9 "name@1.0.0" keys; peer suffixes dropped).
 *
 * Entries are held back (hull_inventory_add_lock): where the project has an installed
 * node_modules tree, that tree is the inventory and lockfile entries only lend their dev
 * flag to the installed copy at the same path, except workspace links ("link": true), which
 * are installed as symlinks the walk does not descend into and so are taken from the
 * lockfile; otherwise they become packages for scans that use lockfiles (source
 * directories), and are dropped for images. Dev flags come from
 * package-lock "dev": true and pnpm "dev: true"; yarn.lock records none. */
#include "core/common.h"
#include "core/jsonx.h"
#include "analyzer/analyzer.h"
#include <yaml.h>

#define NM "node_modules/"
#define MAX_DEPTH 64

static bool wants(const char *path)
{
    const char *b = hull_base(path);
    if (!strcmp(b, ".package-lock.json"))
        return hull_has_suffix(path, "/node_modules/.package-lock.json") &&
               strstr(path, "/node_modules/") == path + strlen(path) - 32;
    if (strcmp(b, "package-lock.json") && strcmp(b, "yarn.lock") && strcmp(b, "pnpm-lock.yaml"))
        return false;
    return !strstr(path, "/node_modules/");
}

/* The project directory: the lockfile's directory ("" for "/"); for the hidden lockfile the
 * directory holding node_modules. */
static char *project_dir(const char *path)
{
    const char *nm = strstr(path, "/node_modules/");
    const char *end = nm ? nm : strrchr(path, '/');
    return strndup(path, end ? (size_t)(end - path) : 0);
}

struct ctx {
    const struct hull_input *in;
    struct hull_inventory *inv;
    const char *dir;
    size_t count;
};

static bool ok_str(const char *s, size_t n)
{
    return n && n <= HULL_MAX_FIELD && hull_printable(s, n) && !memchr(s, ' ', n);
}

static int emit(struct ctx *c, const char *name, size_t nn, const char *ver, size_t vn,
                bool dev, const char *rel, bool link, struct hull_err **err)
{
    if (!ok_str(name, nn) || !ok_str(ver, vn))
        return 0;
    char *n = strndup(name, nn), *v = strndup(ver, vn);
    int rc = 0;
    if (!n || !v) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    } else {
        struct hull_pkg t = { .type = HULL_PKG_NPM, .name = n, .version = v, .dev = dev };
        rc = hull_inventory_add_lock(c->inv, &t, c->in, c->dir, rel, link, err);
        c->count++;
    }
    free(n);
    free(v);
    return rc;
}

/* ---- package-lock.json ---- */

static bool jtrue(json_t *o, const char *k)
{
    return json_is_true(json_object_get(o, k));
}

static int lock_v1(struct ctx *c, json_t *deps, const char *prefix, int depth,
                   struct hull_err **err)
{
    if (depth > MAX_DEPTH)
        return hull_err_set(err, HULL_E_LIMIT, "dependencies nested deeper than %d", MAX_DEPTH);
    const char *name;
    json_t *d;
    json_object_foreach(deps, name, d) {
        if (!json_is_object(d))
            continue;
        char *rel = NULL;
        if (asprintf(&rel, "%s%s" NM "%s", prefix, *prefix ? "/" : "", name) < 0)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        const char *v = hull_json_str(d, "version");
        int rc = 0;
        /* "file:" / "link:" versions are local links, not registry packages */
        if (v && strncmp(v, "file:", 5) && strncmp(v, "link:", 5))
            rc = emit(c, name, strlen(name), v, strlen(v), jtrue(d, "dev"), rel, false, err);
        json_t *sub = json_object_get(d, "dependencies");
        if (rc == 0 && json_is_object(sub))
            rc = lock_v1(c, sub, rel, depth + 1, err);
        free(rel);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int lock_packages(struct ctx *c, json_t *pkgs, struct hull_err **err)
{
    const char *key;
    json_t *e;
    json_object_foreach(pkgs, key, e) {
        if (!*key || !json_is_object(e))
            continue;
        const char *nm = NULL;
        for (const char *s = strstr(key, NM); s; s = strstr(s + 1, NM))
            if (s == key || s[-1] == '/')
                nm = s;
        if (!nm)
            continue; /* a workspace directory; reached through its node_modules link */
        const char *name = nm + strlen(NM);
        json_t *target = e;
        bool link = jtrue(e, "link");
        if (link) {
            const char *res = hull_json_str(e, "resolved");
            target = res ? json_object_get(pkgs, res) : NULL;
            if (!json_is_object(target))
                continue;
        }
        const char *v = hull_json_str(target, "version");
        if (v && emit(c, name, strlen(name), v, strlen(v), jtrue(e, "dev"), key, link, err) < 0)
            return -1;
    }
    return 0;
}

static int parse_package_lock(struct ctx *c, struct hull_err **err)
{
    size_t max = c->inv->ctx ? c->inv->ctx->limits.max_json_bytes : (64u << 20);
    json_t *root = hull_json_parse(c->in->data, c->in->len, max, "lockfile", err);
    if (!root)
        return -1;
    int rc = 0;
    json_t *pkgs = json_object_get(root, "packages");
    json_t *deps = json_object_get(root, "dependencies");
    if (!json_is_object(root))
        rc = hull_err_set(err, HULL_E_PARSE, "lockfile is not a JSON object");
    else if (json_is_object(pkgs))
        rc = lock_packages(c, pkgs, err);
    else if (json_is_object(deps))
        rc = lock_v1(c, deps, "", 0, err);
    json_decref(root);
    return rc;
}

/* ---- yarn.lock (v1 text and berry YAML, read line by line) ---- */

/* Length of the package name in one yarn spec: "lodash@^4", "@s/p@npm:^1"; SIZE_MAX for
 * specs that are not registry packages (workspace:, link:, portal:, file:), 0 when there is
 * no name. */
static size_t yarn_name(const char *s, size_t n)
{
    static const char *const local[] = { "@workspace:", "@link:", "@portal:", "@file:" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(local); i++) {
        size_t k = strlen(local[i]);
        for (size_t j = 1; j + k <= n; j++)
            if (!memcmp(s + j, local[i], k))
                return SIZE_MAX;
    }
    for (size_t j = 1; j + 5 <= n; j++)
        if (!memcmp(s + j, "@npm:", 5) || (j + 7 <= n && !memcmp(s + j, "@patch:", 7)))
            return j;
    for (size_t j = n; j-- > 1;)
        if (s[j] == '@')
            return j;
    return 0;
}

static void unquote(const char **s, size_t *n)
{
    hull_trim(s, n);
    if (*n && (**s == '"' || **s == '\'')) {
        char q = **s;
        (*s)++;
        (*n)--;
        if (*n && (*s)[*n - 1] == q)
            (*n)--;
    }
}

static int parse_yarn(struct ctx *c, struct hull_err **err)
{
    const char *p = (const char *)c->in->data, *end = p + c->in->len, *l;
    size_t n;
    const char *name = NULL, *ver = NULL;
    size_t nn = 0, vn = 0, bad = 0;
    for (;;) {
        bool more = hull_next_line(&p, end, &l, &n);
        bool header = more && n && l[0] != ' ' && l[0] != '#' && l[n - 1] == ':';
        if (!more || header) {
            if (name && ver && emit(c, name, nn, ver, vn, false, NULL, false, err) < 0)
                return -1;
            name = ver = NULL;
            if (!more)
                break;
            /* first spec of "a@1, a@2:" */
            const char *s = l;
            size_t k = n - 1;
            const char *comma = memchr(s, ',', k);
            if (comma)
                k = (size_t)(comma - s);
            unquote(&s, &k);
            if (k && (k != 10 || strncmp(s, "__metadata", 10))) {
                nn = yarn_name(s, k);
                if (nn && nn != SIZE_MAX)
                    name = s;
                else if (!nn)
                    bad++;
            }
            continue;
        }
        if (!name || n < 3 || (l[0] != ' ' && l[0] != '\t'))
            continue;
        const char *t = l;
        size_t tn = n;
        hull_trim(&t, &tn);
        if (tn > 8 && (!memcmp(t, "version ", 8) || !memcmp(t, "version:", 8))) {
            ver = t + 8;
            vn = tn - 8;
            unquote(&ver, &vn);
        }
    }
    if (bad)
        hull_inventory_warn(c->inv, "%s: %zu entr%s without a package name skipped", c->in->path,
                            bad, bad == 1 ? "y" : "ies");
    return 0;
}

/* ---- pnpm-lock.yaml (libyaml events) ---- */

struct yp {
    yaml_parser_t p;
    yaml_event_t ev;
    bool have;
};

static int ynext(struct yp *y, struct hull_err **err)
{
    if (y->have)
        yaml_event_delete(&y->ev);
    y->have = false;
    if (!yaml_parser_parse(&y->p, &y->ev))
        return hull_err_set(err, HULL_E_PARSE, "YAML: %s at line %zu",
                            y->p.problem ? y->p.problem : "syntax error",
                            (size_t)y->p.problem_mark.line + 1);
    y->have = true;
    return 0;
}

/* Skip the node that starts with the current event. */
static int yskip(struct yp *y, struct hull_err **err)
{
    int depth = 0;
    do {
        yaml_event_type_t t = y->ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            if (++depth > MAX_DEPTH)
                return hull_err_set(err, HULL_E_LIMIT, "YAML nested deeper than %d", MAX_DEPTH);
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
        } else if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
            return hull_err_set(err, HULL_E_PARSE, "YAML: unexpected end");
        }
        if (depth > 0 && ynext(y, err) < 0)
            return -1;
    } while (depth > 0);
    return 0;
}

static const char *yscalar(const struct yp *y, size_t *n)
{
    if (y->ev.type != YAML_SCALAR_EVENT)
        return NULL;
    *n = y->ev.data.scalar.length;
    return (const char *)y->ev.data.scalar.value;
}

/* "/name/1.0.0_peer" (v5), "/@s/n/1.0.0", "/name@1.0.0(peer)" (v6), "name@1.0.0" (v9)
 * -> name, version */
static int pnpm_id(struct ctx *c, const char *id, size_t n, bool dev, struct hull_err **err)
{
    if (n && id[0] == '/')
        id++, n--;
    const char *paren = memchr(id, '(', n);
    if (paren)
        n = (size_t)(paren - id);
    size_t skip = 0; /* past "@scope/" */
    if (n && id[0] == '@') {
        const char *sl = memchr(id, '/', n);
        if (!sl)
            return 0;
        skip = (size_t)(sl - id) + 1;
    }
    const char *slash = memchr(id + skip, '/', n - skip);
    if (slash) { /* v5: name/version[_peers] */
        const char *v = slash + 1;
        size_t vn = n - (size_t)(v - id);
        const char *us = memchr(v, '_', vn);
        if (us)
            vn = (size_t)(us - v);
        return emit(c, id, (size_t)(slash - id), v, vn, dev, NULL, false, err);
    }
    const char *at = memchr(id + skip, '@', n - skip);
    if (!at)
        return 0;
    return emit(c, id, (size_t)(at - id), at + 1, n - (size_t)(at + 1 - id), dev, NULL, false, err);
}

static int pnpm_packages(struct yp *y, struct ctx *c, struct hull_err **err)
{
    if (y->ev.type != YAML_MAPPING_START_EVENT)
        return yskip(y, err);
    for (;;) {
        if (ynext(y, err) < 0)
            return -1;
        if (y->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        size_t kn;
        const char *k = yscalar(y, &kn);
        char *id = k ? strndup(k, kn) : NULL;
        if (!k && yskip(y, err) < 0)
            return -1;
        if (ynext(y, err) < 0) {
            free(id);
            return -1;
        }
        bool dev = false;
        if (y->ev.type == YAML_MAPPING_START_EVENT) {
            for (;;) {
                if (ynext(y, err) < 0) {
                    free(id);
                    return -1;
                }
                if (y->ev.type == YAML_MAPPING_END_EVENT)
                    break;
                size_t fn, vn;
                const char *f = yscalar(y, &fn);
                bool is_dev = f && fn == 3 && !memcmp(f, "dev", 3);
                if ((!f && yskip(y, err) < 0) || ynext(y, err) < 0) {
                    free(id);
                    return -1;
                }
                const char *v = yscalar(y, &vn);
                if (is_dev && v && vn == 4 && !memcmp(v, "true", 4))
                    dev = true;
                if (!v && yskip(y, err) < 0) {
                    free(id);
                    return -1;
                }
            }
        } else if (yskip(y, err) < 0) {
            free(id);
            return -1;
        }
        int rc = id ? pnpm_id(c, id, strlen(id), dev, err) : 0;
        free(id);
        if (rc < 0)
            return -1;
    }
}

static int parse_pnpm(struct ctx *c, struct hull_err **err)
{
    struct yp y = { .have = false };
    if (!yaml_parser_initialize(&y.p))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    yaml_parser_set_input_string(&y.p, c->in->data, c->in->len);
    int rc = 0;
    while (rc == 0 && (rc = ynext(&y, err)) == 0 && y.ev.type != YAML_MAPPING_START_EVENT &&
           y.ev.type != YAML_STREAM_END_EVENT)
        ;
    bool in_root = rc == 0 && y.ev.type == YAML_MAPPING_START_EVENT;
    while (rc == 0 && in_root) {
        if ((rc = ynext(&y, err)) < 0 || y.ev.type == YAML_MAPPING_END_EVENT)
            break;
        size_t kn;
        const char *k = yscalar(&y, &kn);
        bool pk = k && kn == 8 && !memcmp(k, "packages", 8);
        if ((!k && (rc = yskip(&y, err)) < 0) || (rc = ynext(&y, err)) < 0)
            break;
        rc = pk ? pnpm_packages(&y, c, err) : yskip(&y, err);
    }
    if (y.have)
        yaml_event_delete(&y.ev);
    yaml_parser_delete(&y.p);
    return rc;
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    if (in->truncated)
        return hull_err_set(err, HULL_E_LIMIT, "lockfile larger than the capture limit");
    char *dir = project_dir(in->path);
    if (!dir)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    struct ctx c = { in, inv, dir, 0 };
    const char *b = hull_base(in->path);
    int rc = !strcmp(b, "yarn.lock")        ? parse_yarn(&c, err)
             : !strcmp(b, "pnpm-lock.yaml") ? parse_pnpm(&c, err)
                                            : parse_package_lock(&c, err);
    free(dir);
    return rc;
}

const struct hull_analyzer hull_analyzer_npmlock = { "npm-lockfile", wants, parse };
