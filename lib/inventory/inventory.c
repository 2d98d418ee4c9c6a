/* The package list: add, warn, and finish (dedupe, file lists, os family, purls, sort).
 * Analyzers add packages as they parse; hull_inventory_finish() runs once after the walk so
 * the result does not depend on the order in which files were seen. */
#include "core/common.h"
#include "inventory/invpriv.h"
#include <ctype.h>

#define MAX_PKGS (4u << 20)
#define MAX_WARNINGS 500

static const char *const type_names[HULL_PKG__COUNT] = { "deb", "apk", "rpm", "npm", "pypi" };

const char *hull_pkg_type_name(enum hull_pkg_type t)
{
    return (unsigned)t < HULL_PKG__COUNT ? type_names[t] : "unknown";
}

char *hull_inv_strndup(const char *s, size_t n, struct hull_err **err)
{
    char *d = strndup(s, n);
    if (!d)
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return d;
}

void hull_inv_free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void hull_pkg_release(struct hull_pkg *p)
{
    free(p->name);
    free(p->version);
    free(p->epoch);
    free(p->release);
    free(p->arch);
    free(p->source_name);
    free(p->source_version);
    free(p->origin);
    free(p->license);
    free(p->purl);
    free(p->found_in);
    free(p->diff_id);
    hull_inv_free_strv(p->locations, p->n_locations);
    hull_inv_free_strv(p->files, p->n_files);
    memset(p, 0, sizeof(*p));
}

static void osrel_release(struct hull_osrel *o)
{
    free(o->id);
    free(o->id_like);
    free(o->version_id);
    free(o->codename);
    free(o->pretty);
    free(o->name);
    memset(o, 0, sizeof(*o));
}

struct hull_inventory *hull_inventory_new(const struct hull_ctx *ctx)
{
    struct hull_inventory *inv = calloc(1, sizeof(*inv));
    if (inv)
        inv->ctx = ctx;
    return inv;
}

void hull_inventory_free(struct hull_inventory *inv)
{
    if (!inv)
        return;
    for (size_t i = 0; i < inv->n; i++)
        hull_pkg_release(&inv->pkgs[i]);
    free(inv->pkgs);
    for (size_t i = 0; i < inv->nfl; i++) {
        free(inv->fl[i].name);
        free(inv->fl[i].arch);
        hull_inv_free_strv(inv->fl[i].files, inv->fl[i].n);
    }
    free(inv->fl);
    for (size_t i = 0; i < inv->nlock; i++) {
        hull_pkg_release(&inv->lock[i].pkg);
        free(inv->lock[i].dir);
        free(inv->lock[i].rel);
    }
    free(inv->lock);
    for (size_t i = 0; i < HULL_ARRAY_LEN(inv->state); i++)
        if (inv->state[i].key && inv->state[i].free)
            inv->state[i].free(inv->state[i].p);
    hull_inv_free_strv(inv->warns, inv->nwarn < MAX_WARNINGS + 1 ? inv->nwarn : MAX_WARNINGS + 1);
    for (int i = 0; i < HULL_OSREL__N; i++)
        osrel_release(&inv->osrel[i]);
    free(inv->alpine_release);
    free(inv->debian_version);
    free(inv->redhat_release);
    free(inv->os.family);
    free(inv->os.id);
    free(inv->os.version_id);
    free(inv->os.version);
    free(inv->os.codename);
    free(inv->os.pretty_name);
    free(inv->os.source);
    free(inv);
}

/* Replace every byte that is not part of a well-formed UTF-8 sequence (and every control
 * character) with '?', so reports can always encode the string. */
static void utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && !(n == 2 && c < 0xc2) && !(n == 4 && c > 0xf4);
        for (size_t i = 1; ok && i < n; i++)
            ok = (p[i] & 0xc0) == 0x80;
        if (ok && n == 3) {
            unsigned cp = (c & 0x0f) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
            ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
        }
        if (ok && n == 4) {
            unsigned cp = (c & 0x07) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6;
            ok = cp >= 0x10000 && cp <= 0x10ffff;
        }
        if (!ok || c < 0x20 || c == 0x7f) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

static int dup_field(char **dst, const char *src, struct hull_err **err)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    if (!*dst)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    utf8_sanitize(*dst);
    return 0;
}

/* Copy tmpl (and the attribution from in) into the zeroed *p. */
static int fill_pkg(struct hull_pkg *p, const struct hull_pkg *t, const struct hull_input *in,
                    struct hull_err **err)
{
    if (!t->name || !*t->name)
        return hull_err_set(err, HULL_E_INTERNAL, "package without a name");
    memset(p, 0, sizeof(*p));
    p->type = t->type;
    p->dev = t->dev;
    p->layer = in ? in->layer : t->layer;
    const char *found = in ? in->path : t->found_in;
    const char *diff = in ? in->diff_id : t->diff_id;
    if (dup_field(&p->name, t->name, err) < 0 || dup_field(&p->version, t->version, err) < 0 ||
        dup_field(&p->epoch, t->epoch, err) < 0 || dup_field(&p->release, t->release, err) < 0 ||
        dup_field(&p->arch, t->arch, err) < 0 ||
        dup_field(&p->source_name, t->source_name, err) < 0 ||
        dup_field(&p->source_version, t->source_version, err) < 0 ||
        dup_field(&p->origin, t->origin, err) < 0 || dup_field(&p->license, t->license, err) < 0 ||
        dup_field(&p->found_in, found, err) < 0 ||
        dup_field(&p->diff_id, diff ? diff : "", err) < 0)
        goto fail;
    if (!p->version && dup_field(&p->version, "", err) < 0)
        goto fail;
    if (p->found_in && (p->type == HULL_PKG_NPM || p->type == HULL_PKG_PYPI)) {
        p->locations = malloc(sizeof(char *));
        if (!p->locations || !(p->locations[0] = strdup(p->found_in))) {
            hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto fail;
        }
        p->n_locations = 1;
    }
    return 0;
fail:
    hull_pkg_release(p);
    return -1;
}

struct hull_pkg *hull_inventory_add(struct hull_inventory *inv, const struct hull_pkg *t,
                                    const struct hull_input *in, struct hull_err **err)
{
    if (inv->n >= MAX_PKGS) {
        hull_err_set(err, HULL_E_LIMIT, "more than %u packages", MAX_PKGS);
        return NULL;
    }
    if (inv->n == inv->cap) {
        size_t cap = inv->cap ? inv->cap * 2 : 64;
        struct hull_pkg *np = realloc(inv->pkgs, cap * sizeof(*np));
        if (!np) {
            hull_err_set(err, HULL_E_NOMEM, "out of memory");
            return NULL;
        }
        inv->pkgs = np;
        inv->cap = cap;
    }
    struct hull_pkg *p = &inv->pkgs[inv->n];
    if (fill_pkg(p, t, in, err) < 0)
        return NULL;
    inv->n++;
    return p;
}

int hull_inventory_add_lock(struct hull_inventory *inv, const struct hull_pkg *t,
                            const struct hull_input *in, const char *dir, const char *rel,
                            bool link, struct hull_err **err)
{
    if (inv->nlock >= MAX_PKGS)
        return hull_err_set(err, HULL_E_LIMIT, "more than %u lockfile entries", MAX_PKGS);
    if (inv->nlock == inv->caplock) {
        size_t cap = inv->caplock ? inv->caplock * 2 : 64;
        struct hull_lockent *nl = realloc(inv->lock, cap * sizeof(*nl));
        if (!nl)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        inv->lock = nl;
        inv->caplock = cap;
    }
    struct hull_lockent *l = &inv->lock[inv->nlock];
    if (fill_pkg(&l->pkg, t, in, err) < 0)
        return -1;
    l->dir = strdup(dir);
    l->rel = rel ? strdup(rel) : NULL;
    l->link = link;
    if (!l->dir || (rel && !l->rel)) {
        free(l->dir);
        free(l->rel);
        hull_pkg_release(&l->pkg);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    inv->nlock++;
    return 0;
}

void *hull_inventory_state(struct hull_inventory *inv, const void *key)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(inv->state); i++)
        if (inv->state[i].key == key)
            return inv->state[i].p;
    return NULL;
}

int hull_inventory_set_state(struct hull_inventory *inv, const void *key, void *p,
                             void (*free_fn)(void *))
{
    size_t slot = HULL_ARRAY_LEN(inv->state);
    for (size_t i = 0; i < HULL_ARRAY_LEN(inv->state); i++) {
        if (inv->state[i].key == key) {
            if (inv->state[i].free && inv->state[i].p != p)
                inv->state[i].free(inv->state[i].p);
            slot = i;
            break;
        }
        if (!inv->state[i].key && slot == HULL_ARRAY_LEN(inv->state))
            slot = i;
    }
    if (slot == HULL_ARRAY_LEN(inv->state))
        return -1;
    inv->state[slot].key = p ? key : NULL;
    inv->state[slot].p = p;
    inv->state[slot].free = p ? free_fn : NULL;
    return 0;
}

void hull_inventory_use_lockfiles(struct hull_inventory *inv, bool on)
{
    inv->use_lockfiles = on;
}

int hull_inventory_add_filelist(struct hull_inventory *inv, enum hull_pkg_type type,
                                const char *name, const char *arch, char **files, size_t n,
                                struct hull_err **err)
{
    if (inv->nfl == inv->capfl) {
        size_t cap = inv->capfl ? inv->capfl * 2 : 32;
        struct hull_filelist *nf = realloc(inv->fl, cap * sizeof(*nf));
        if (!nf) {
            hull_inv_free_strv(files, n);
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        }
        inv->fl = nf;
        inv->capfl = cap;
    }
    struct hull_filelist *f = &inv->fl[inv->nfl];
    f->type = type;
    f->name = strdup(name);
    f->arch = arch ? strdup(arch) : NULL;
    f->files = files;
    f->n = n;
    if (!f->name || (arch && !f->arch)) {
        free(f->name);
        free(f->arch);
        hull_inv_free_strv(files, n);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    inv->nfl++;
    return 0;
}

void hull_inventory_warn(struct hull_inventory *inv, const char *fmt, ...)
{
    size_t k = inv->nwarn++;
    if (k > MAX_WARNINGS)
        return;
    if (k == inv->capwarn) {
        size_t cap = inv->capwarn ? inv->capwarn * 2 : 8;
        char **nw = realloc(inv->warns, cap * sizeof(*nw));
        if (!nw) {
            inv->nwarn--;
            return;
        }
        inv->warns = nw;
        inv->capwarn = cap;
    }
    char *msg = NULL;
    if (k == MAX_WARNINGS) {
        msg = strdup("further warnings suppressed");
    } else {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
            msg = NULL;
        va_end(ap);
    }
    if (!msg) {
        inv->nwarn--;
        return;
    }
    utf8_sanitize(msg);
    inv->warns[k] = msg;
}

static int scmp(const char *a, const char *b)
{
    if (!a || !b)
        return !a - !b ? (a ? 1 : -1) : 0;
    return strcmp(a, b);
}

static int pkg_key_cmp(const struct hull_pkg *a, const struct hull_pkg *b)
{
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    int c = scmp(a->name, b->name);
    if (!c)
        c = scmp(a->version, b->version);
    if (!c)
        c = scmp(a->arch, b->arch);
    return c;
}

static int pkg_cmp(const void *x, const void *y)
{
    const struct hull_pkg *a = x, *b = y;
    int c = pkg_key_cmp(a, b);
    if (!c)
        c = scmp(a->found_in, b->found_in);
    return c;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Move b's locations into a (union, sorted, unique). */
static int merge_locations(struct hull_pkg *a, struct hull_pkg *b, struct hull_err **err)
{
    if (!b->n_locations)
        return 0;
    char **nl = realloc(a->locations, (a->n_locations + b->n_locations) * sizeof(*nl));
    if (!nl)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    a->locations = nl;
    memcpy(nl + a->n_locations, b->locations, b->n_locations * sizeof(*nl));
    a->n_locations += b->n_locations;
    free(b->locations);
    b->locations = NULL;
    b->n_locations = 0;
    qsort(a->locations, a->n_locations, sizeof(char *), str_cmp);
    size_t w = 0;
    for (size_t i = 0; i < a->n_locations; i++) {
        if (w && !strcmp(a->locations[w - 1], a->locations[i]))
            free(a->locations[i]);
        else
            a->locations[w++] = a->locations[i];
    }
    a->n_locations = w;
    return 0;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

static void set_os_str(char **dst, const char *v)
{
    char *n = v ? strdup(v) : NULL;
    if (n)
        utf8_sanitize(n);
    free(*dst);
    *dst = n;
}

/* os-release ID -> family; unknown IDs stay "unknown" (never guessed from ID_LIKE) */
static const char *family_of(const char *id)
{
    static const struct { const char *id, *family; } map[] = {
        { "alpine", "alpine" },   { "debian", "debian" },         { "ubuntu", "ubuntu" },
        { "rhel", "rhel" },       { "centos", "centos" },         { "rocky", "rocky" },
        { "almalinux", "alma" },  { "fedora", "fedora" },         { "amzn", "amazon" },
        { "wolfi", "wolfi" },     { "chainguard", "chainguard" },
    };
    for (size_t i = 0; id && i < HULL_ARRAY_LEN(map); i++)
        if (!strcmp(id, map[i].id))
            return map[i].family;
    return NULL;
}

/* redhat-release "Rocky Linux release 9.3 (Blue Onyx)" -> id and version */
static void from_redhat_release(struct hull_os *os, const char *rel)
{
    static const struct { const char *prefix, *id; } map[] = {
        { "Red Hat Enterprise Linux", "rhel" }, { "CentOS", "centos" },
        { "Rocky Linux", "rocky" },             { "AlmaLinux", "almalinux" },
        { "Fedora", "fedora" },                 { "Amazon Linux", "amzn" },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(map); i++) {
        if (strncmp(rel, map[i].prefix, strlen(map[i].prefix)))
            continue;
        set_os_str(&os->id, map[i].id);
        const char *r = strstr(rel, "release ");
        if (r) {
            r += 8;
            size_t n = strspn(r, "0123456789.");
            if (n) {
                free(os->version);
                os->version = strndup(r, n);
            }
        }
        set_os_str(&os->pretty_name, rel);
        set_os_str(&os->source, "/etc/redhat-release");
        return;
    }
}

static void compute_os(struct hull_inventory *inv)
{
    struct hull_os *os = &inv->os;
    const struct hull_osrel *r = inv->osrel[HULL_OSREL_ETC].set ? &inv->osrel[HULL_OSREL_ETC]
                                 : inv->osrel[HULL_OSREL_USR].set ? &inv->osrel[HULL_OSREL_USR]
                                                                  : NULL;
    if (r && nz(r->id)) {
        set_os_str(&os->id, r->id);
        set_os_str(&os->version_id, nz(r->version_id));
        set_os_str(&os->version, nz(r->version_id));
        set_os_str(&os->codename, nz(r->codename));
        set_os_str(&os->pretty_name, nz(r->pretty) ? r->pretty : nz(r->name));
        set_os_str(&os->source, r == &inv->osrel[HULL_OSREL_ETC] ? "/etc/os-release"
                                                                 : "/usr/lib/os-release");
    } else if (nz(inv->alpine_release)) {
        set_os_str(&os->id, "alpine");
        set_os_str(&os->source, "/etc/alpine-release");
    } else if (nz(inv->redhat_release)) {
        from_redhat_release(os, inv->redhat_release);
    } else if (nz(inv->debian_version) && isdigit((unsigned char)inv->debian_version[0])) {
        set_os_str(&os->id, "debian");
        set_os_str(&os->source, "/etc/debian_version");
        char *v = strndup(inv->debian_version, strspn(inv->debian_version, "0123456789"));
        free(os->version_id);
        os->version_id = v;
    }
    /* the most precise version the image states */
    if (os->id && !strcmp(os->id, "alpine") && nz(inv->alpine_release))
        set_os_str(&os->version, inv->alpine_release);
    if (os->id && !strcmp(os->id, "debian") && nz(inv->debian_version) &&
        isdigit((unsigned char)inv->debian_version[0]))
        set_os_str(&os->version, inv->debian_version);
    if (!os->version && os->version_id)
        set_os_str(&os->version, os->version_id);
    const char *fam = family_of(os->id);
    set_os_str(&os->family, fam ? fam : "unknown");
    os->distroless = fam && !strcmp(fam, "debian") && inv->have_dpkg_status_d &&
                     !inv->have_dpkg_status;
}

static void attach_filelists(struct hull_inventory *inv)
{
    for (size_t f = 0; f < inv->nfl; f++) {
        struct hull_filelist *fl = &inv->fl[f];
        for (size_t i = 0; i < inv->n; i++) {
            struct hull_pkg *p = &inv->pkgs[i];
            if (p->type != fl->type || p->files || strcmp(p->name, fl->name))
                continue;
            if (fl->arch && p->arch && strcmp(fl->arch, p->arch))
                continue;
            p->files = fl->files;
            p->n_files = fl->n;
            fl->files = NULL;
            fl->n = 0;
            break;
        }
    }
}

/* Project directory of an installed npm package: the part of its path before the first
 * "/node_modules/" ("/app/node_modules/a/package.json" -> "/app"); NULL when not installed. */
static size_t project_len(const char *path)
{
    const char *nm = strstr(path, "/node_modules/");
    return nm ? (size_t)(nm - path) : (size_t)-1;
}

struct dirs {
    const char **p;
    size_t *len, n;
};

/* The distinct project directories that have an installed node_modules tree. */
static int installed_dirs(const struct hull_inventory *inv, struct dirs *d, struct hull_err **err)
{
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < inv->n; i++) {
        const struct hull_pkg *p = &inv->pkgs[i];
        if (p->type != HULL_PKG_NPM || !p->found_in)
            continue;
        size_t len = project_len(p->found_in);
        if (len == (size_t)-1)
            continue;
        bool seen = false;
        for (size_t k = 0; k < d->n && !seen; k++)
            seen = d->len[k] == len && !strncmp(d->p[k], p->found_in, len);
        if (seen)
            continue;
        const char **np = realloc(d->p, (d->n + 1) * sizeof(*np));
        if (np)
            d->p = np;
        size_t *nl = np ? realloc(d->len, (d->n + 1) * sizeof(*nl)) : NULL;
        if (!np || !nl)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        d->len = nl;
        d->p[d->n] = p->found_in;
        d->len[d->n++] = len;
    }
    return 0;
}

static bool dir_installed(const struct dirs *d, const char *dir)
{
    size_t dn = strlen(dir);
    for (size_t k = 0; k < d->n; k++)
        if (d->len[k] == dn && !strncmp(d->p[k], dir, dn))
            return true;
    return false;
}

/* Lockfile entries: dev flags for the installed tree, or packages where nothing is installed
 * (when lockfiles are used), else dropped. */
static int resolve_locks(struct hull_inventory *inv, struct hull_err **err)
{
    size_t n_installed = inv->n;
    struct dirs d;
    int rc = installed_dirs(inv, &d, err);
    for (size_t i = 0; rc == 0 && i < inv->nlock; i++) {
        struct hull_lockent *l = &inv->lock[i];
        bool installed = dir_installed(&d, l->dir);
        if (installed && !l->link) {
            if (!l->rel || !l->pkg.dev)
                continue;
            char *want = NULL;
            if (asprintf(&want, "%s/%s/package.json", l->dir, l->rel) < 0) {
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                break;
            }
            for (size_t k = 0; k < n_installed; k++) {
                struct hull_pkg *p = &inv->pkgs[k];
                if (p->type == HULL_PKG_NPM && p->found_in && !strcmp(p->found_in, want) &&
                    !strcmp(p->name, l->pkg.name))
                    p->dev = true;
            }
            free(want);
            continue;
        }
        /* a workspace link is installed (a symlink the walk does not descend into) */
        if (!installed && !inv->use_lockfiles)
            continue;
        if (inv->n == inv->cap) {
            size_t cap = inv->cap ? inv->cap * 2 : 64;
            struct hull_pkg *np = realloc(inv->pkgs, cap * sizeof(*np));
            if (!np) {
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                break;
            }
            inv->pkgs = np;
            inv->cap = cap;
        }
        inv->pkgs[inv->n++] = l->pkg; /* moved */
        memset(&l->pkg, 0, sizeof(l->pkg));
    }
    free(d.p);
    free(d.len);
    return rc;
}

int hull_inventory_finish(struct hull_inventory *inv, struct hull_err **err)
{
    if (inv->finished)
        return 0;
    inv->finished = true;
    compute_os(inv);
    if (resolve_locks(inv, err) < 0)
        return -1;
    if (inv->n > 1)
        qsort(inv->pkgs, inv->n, sizeof(*inv->pkgs), pkg_cmp);
    size_t w = 0;
    for (size_t i = 0; i < inv->n; i++) {
        if (w && !pkg_key_cmp(&inv->pkgs[w - 1], &inv->pkgs[i])) {
            struct hull_pkg *keep_p = &inv->pkgs[w - 1], *dup = &inv->pkgs[i];
            if (merge_locations(keep_p, dup, err) < 0)
                return -1;
            keep_p->dev = keep_p->dev && dup->dev;
            if (!keep_p->license && dup->license) {
                keep_p->license = dup->license;
                dup->license = NULL;
            }
            hull_pkg_release(dup);
            continue;
        }
        if (w != i)
            inv->pkgs[w] = inv->pkgs[i];
        w++;
    }
    inv->n = w;
    attach_filelists(inv);
    for (size_t i = 0; i < inv->n; i++)
        if (hull_pkg_make_purl(&inv->pkgs[i], &inv->os, err) < 0)
            return -1;
    return 0;
}

size_t hull_inventory_count(const struct hull_inventory *inv)
{
    return inv->n;
}

const struct hull_pkg *hull_inventory_pkg(const struct hull_inventory *inv, size_t i)
{
    return i < inv->n ? &inv->pkgs[i] : NULL;
}

const struct hull_os *hull_inventory_os(const struct hull_inventory *inv)
{
    return &inv->os;
}

size_t hull_inventory_warning_count(const struct hull_inventory *inv)
{
    return inv->nwarn < MAX_WARNINGS + 1 ? inv->nwarn : MAX_WARNINGS + 1;
}

const char *hull_inventory_warning(const struct hull_inventory *inv, size_t i)
{
    return i < hull_inventory_warning_count(inv) ? inv->warns[i] : NULL;
}
