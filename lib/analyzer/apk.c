/* apk installed database (/lib/apk/db/installed, apk-tools' "installed" format): one
 * package per blank-line separated block of "K:value" lines. Kept: P name, V version,
 * A arch, o origin (source package), L license, and the file list: F:dir sets the current
 * directory, each following R:name is a file in it. Other keys are ignored. */
#include "core/common.h"
#include "analyzer/analyzer.h"

#define INSTALLED "/lib/apk/db/installed"
#define MAX_FILES (1u << 20)

static bool wants(const char *path)
{
    return !strcmp(path, INSTALLED) || !strcmp(path, "/usr/lib/apk/db/installed");
}

struct block {
    const char *v[128]; /* indexed by key letter */
    size_t n[128];
    size_t line;
    bool any, bad;
    char **files;
    size_t nf, cap;
    char *dir;
};

static void block_reset(struct block *b)
{
    hull_inv_free_strv(b->files, b->nf);
    free(b->dir);
    memset(b, 0, sizeof(*b));
}

static char *field(const struct block *b, int k)
{
    return b->n[k] ? strndup(b->v[k], b->n[k]) : NULL;
}

static int emit(const struct hull_input *in, struct hull_inventory *inv, struct block *b,
                struct hull_err **err)
{
    if (!b->any)
        return 0;
    if (b->bad || !b->n['P'] || !b->n['V']) {
        hull_inventory_warn(inv, "%s: package block at line %zu %s, skipped", in->path, b->line,
                            b->bad ? "has a malformed line" : "lacks P: or V:");
        return 0;
    }
    static const char keys[] = "PVAoL";
    for (const char *k = keys; *k; k++)
        if (b->n[(int)*k] > HULL_MAX_FIELD ||
            (*k != 'L' && b->n[(int)*k] && memchr(b->v[(int)*k], ' ', b->n[(int)*k]))) {
            hull_inventory_warn(inv, "%s: package block at line %zu: invalid or oversized "
                                "field %c, skipped", in->path, b->line, *k);
            return 0;
        }
    struct hull_pkg t = { .type = HULL_PKG_APK };
    char *name = field(b, 'P'), *ver = field(b, 'V'), *arch = field(b, 'A');
    char *origin = field(b, 'o'), *lic = field(b, 'L');
    int rc = 0;
    if (!name || !ver || (b->n['A'] && !arch) || (b->n['o'] && !origin) ||
        (b->n['L'] && !lic)) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    t.name = name;
    t.version = ver;
    t.arch = arch;
    t.origin = origin;
    t.source_name = origin;
    t.license = lic;
    if (!hull_inventory_add(inv, &t, in, err)) {
        rc = -1;
        goto out;
    }
    rc = hull_inventory_add_filelist(inv, HULL_PKG_APK, name, arch, b->files, b->nf, err);
    b->files = NULL;
    b->nf = 0;
out:
    free(name);
    free(ver);
    free(arch);
    free(origin);
    free(lic);
    return rc;
}

static int add_file(struct block *b, const char *name, size_t n, struct hull_err **err)
{
    if (b->nf == MAX_FILES)
        return 0;
    if (b->nf == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        char **nv = realloc(b->files, cap * sizeof(*nv));
        if (!nv)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        b->files = nv;
        b->cap = cap;
    }
    char *s = NULL;
    if (asprintf(&s, "/%s%s%.*s", b->dir ? b->dir : "", b->dir && *b->dir ? "/" : "", (int)n,
                 name) < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    b->files[b->nf++] = s;
    return 0;
}

static int parse(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err)
{
    const char *p = (const char *)in->data, *end = p + in->len, *l;
    size_t n, lineno = 0;
    struct block b = { 0 };
    int rc = 0;
    if (in->len && memchr(in->data, 0, in->len))
        hull_inventory_warn(inv, "%s: contains NUL bytes (binary junk?)", in->path);
    while (hull_next_line(&p, end, &l, &n)) {
        lineno++;
        if (!n) {
            if ((rc = emit(in, inv, &b, err)) < 0)
                goto out;
            block_reset(&b);
            continue;
        }
        if (!b.any) {
            b.any = true;
            b.line = lineno;
        }
        if (n < 2 || l[1] != ':' || (unsigned char)l[0] >= 128 || !hull_printable(l, n)) {
            b.bad = true;
            continue;
        }
        int k = (unsigned char)l[0];
        const char *v = l + 2;
        size_t vn = n - 2;
        if (k == 'F') {
            free(b.dir);
            if (vn > 4096 || !(b.dir = strndup(v, vn))) {
                b.dir = NULL;
                if (vn > 4096) {
                    b.bad = true;
                    continue;
                }
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
        } else if (k == 'R') {
            if (vn > 4096 || memchr(v, '/', vn)) {
                b.bad = true;
                continue;
            }
            if ((rc = add_file(&b, v, vn, err)) < 0)
                goto out;
        } else if (!b.n[k]) {
            b.v[k] = v;
            b.n[k] = vn;
        }
    }
    if (in->truncated)
        hull_inventory_warn(inv, "%s: file larger than the capture limit, last block skipped",
                            in->path);
    else
        rc = emit(in, inv, &b, err);
out:
    block_reset(&b);
    return rc;
}

const struct hull_analyzer hull_analyzer_apk = { "apk", wants, parse };
