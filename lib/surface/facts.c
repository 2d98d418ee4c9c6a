/* Attack-surface facts of one scanned image (docs/surface.md, "Facts"): sizes from the layer
 * descriptors (uncompressed sizes are known once the walk has read every layer), the OS and
 * its end-of-life row, package counts from the inventory, and from the walker's final tree:
 * shells and package managers looked up in the PATH directories with symlinks resolved inside
 * the image (so /bin/sh -> dash and busybox applets are found), build tools (compilers, make,
 * git, kernel headers) also from the inventory (-dev packages, build-essential), setuid and
 * setgid files and world-writable directories without the sticky bit. The default user is
 * resolved through the image's /etc/passwd when it is a name. */
#include "core/common.h"
#include <ctype.h>
#include "hull/scan.h"
#include "layer/walk.h"
#include "surface/surfpriv.h"

/* The PATH a container gets by default, in lookup order (also the order the shared images'
 * truth uses to pick one path per package-manager binary). */
static const char *const bin_dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                        "/usr/bin", "/sbin", "/bin" };
/* Extra places toolchains are installed by the official language images. */
static const char *const tool_dirs[] = { "/usr/local/go/bin", "/usr/lib/go/bin",
                                         "/usr/local/cargo/bin", "/root/.cargo/bin" };

static const char *const shell_names[] = { "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh",
                                           "csh", "tcsh", "fish", "busybox" };
static const char *const pm_names[] = { "dpkg", "dpkg-query", "apt", "apt-get", "apt-cache",
                                        "aptitude", "apk", "rpm", "yum", "dnf", "microdnf",
                                        "zypper", "pacman", "npm", "pip", "pip3", "yarn", "pnpm" };
static const char *const tool_names[] = { "gcc", "cc", "g++", "c++", "clang", "clang++", "make",
                                          "cmake", "ninja", "git", "go", "rustc", "cargo",
                                          "javac" };
/* OS packages that are build tools by name (besides *-dev, *-devel, gcc-N, linux-headers-*). */
static const char *const tool_pkgs[] = {
    "autoconf", "automake", "binutils", "build-base", "build-essential", "cargo", "clang",
    "cmake", "g++", "gcc", "gcc-c++", "git", "go", "golang", "golang-go", "kernel-devel",
    "kernel-headers", "libtool", "linux-headers", "linux-libc-dev", "make", "ninja",
    "ninja-build", "rust", "rustc",
};

int hull_strv_add(struct hull_strv *sv, const char *s)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? 2 * sv->cap : 8;
        char **v = realloc(sv->v, cap * sizeof(*v));
        if (!v)
            return -HULL_E_NOMEM;
        sv->v = v;
        sv->cap = cap;
    }
    char *c = strdup(s);
    if (!c)
        return -HULL_E_NOMEM;
    sv->v[sv->n++] = c;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void hull_strv_sort_uniq(struct hull_strv *sv)
{
    if (sv->n < 2)
        return;
    qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
    size_t w = 1;
    for (size_t r = 1; r < sv->n; r++) {
        if (!strcmp(sv->v[r], sv->v[w - 1]))
            free(sv->v[r]);
        else
            sv->v[w++] = sv->v[r];
    }
    sv->n = w;
}

bool hull_strv_has(const struct hull_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (!strcmp(sv->v[i], s))
            return true;
    return false;
}

void hull_strv_free_array(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void hull_strv_clear(struct hull_strv *sv)
{
    hull_strv_free_array(sv->v, sv->n);
    *sv = (struct hull_strv){ 0 };
}

const char *hull_surface_pm_family(const char *name)
{
    if (!strncmp(name, "apt", 3))
        return "apt";
    if (!strncmp(name, "dpkg", 4))
        return "dpkg";
    if (!strncmp(name, "pip", 3))
        return "pip";
    return name;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* Regular file that dir/name resolves to inside the image, NULL when none. */
static const struct hull_fs_entry *find_bin(const struct hull_fs *fs, const char *dir,
                                            const char *name)
{
    char path[256];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return NULL;
    const struct hull_fs_entry *e = hull_fs_lookup(fs, path, true);
    return e && e->type == HULL_FS_FILE ? e : NULL;
}

/* Move a list into a struct's (array, count) pair. */
static void take(struct hull_strv *sv, char ***v, size_t *n)
{
    *v = sv->v;
    *n = sv->n;
    *sv = (struct hull_strv){ 0 };
}

static int shells(struct hull_surface *s, const struct hull_fs *fs)
{
    struct hull_strv real = { 0 }, kinds = { 0 };
    for (size_t d = 0; d < HULL_ARRAY_LEN(bin_dirs); d++)
        for (size_t i = 0; i < HULL_ARRAY_LEN(shell_names); i++) {
            const struct hull_fs_entry *e = find_bin(fs, bin_dirs[d], shell_names[i]);
            if (!e || hull_strv_has(&real, e->path))
                continue;
            /* the kind is the real file's name when it is a known shell (sh -> dash,
             * ash -> busybox), else the name it was found under */
            const char *b = base_name(e->path);
            const char *kind = in_list(shell_names, HULL_ARRAY_LEN(shell_names), b) ? b
                                                                                   : shell_names[i];
            if (hull_strv_add(&real, e->path) < 0 || hull_strv_add(&kinds, kind) < 0)
                goto nomem;
        }
    hull_strv_sort_uniq(&real);
    hull_strv_sort_uniq(&kinds);
    const struct hull_fs_entry *sh = hull_fs_lookup(fs, "/bin/sh", true);
    if (sh && sh->type == HULL_FS_FILE && !(s->bin_sh = strdup(sh->path)))
        goto nomem;
    take(&real, &s->shells, &s->n_shells);
    take(&kinds, &s->shell_kinds, &s->n_shell_kinds);
    return 0;
nomem:
    hull_strv_clear(&real);
    hull_strv_clear(&kinds);
    return -HULL_E_NOMEM;
}

static int pkg_managers(struct hull_surface *s, const struct hull_fs *fs)
{
    struct hull_strv seen = { 0 }, paths = { 0 }, names = { 0 };
    /* one path per distinct binary: names in table order, then directories in PATH order */
    for (size_t i = 0; i < HULL_ARRAY_LEN(pm_names); i++)
        for (size_t d = 0; d < HULL_ARRAY_LEN(bin_dirs); d++) {
            const struct hull_fs_entry *e = find_bin(fs, bin_dirs[d], pm_names[i]);
            if (!e || hull_strv_has(&seen, e->path))
                continue;
            char path[256];
            snprintf(path, sizeof(path), "%s/%s", bin_dirs[d], pm_names[i]);
            if (hull_strv_add(&seen, e->path) < 0 || hull_strv_add(&paths, path) < 0 ||
                hull_strv_add(&names, pm_names[i]) < 0)
                goto nomem;
        }
    hull_strv_clear(&seen);
    hull_strv_sort_uniq(&paths);
    hull_strv_sort_uniq(&names);
    take(&paths, &s->pkg_manager_paths, &s->n_pkg_manager_paths);
    take(&names, &s->pkg_managers, &s->n_pkg_managers);
    return 0;
nomem:
    hull_strv_clear(&seen);
    hull_strv_clear(&paths);
    hull_strv_clear(&names);
    return -HULL_E_NOMEM;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && !memcmp(s + n - m, suffix, m);
}

/* "gcc-12", "g++-12", "clang-16", "cpp-12" style versioned toolchain packages. */
static bool versioned_tool(const char *name)
{
    static const char *const pfx[] = { "gcc-", "g++-", "clang-" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(pfx); i++) {
        size_t n = strlen(pfx[i]);
        if (strncmp(name, pfx[i], n) || !isdigit((unsigned char)name[n]))
            continue;
        const char *p = name + n;
        while (isdigit((unsigned char)*p) || *p == '.')
            p++;
        if (!*p)
            return true;
    }
    return false;
}

static bool build_pkg(const struct hull_pkg *p)
{
    if (p->type != HULL_PKG_DPKG && p->type != HULL_PKG_APK && p->type != HULL_PKG_RPM)
        return false;
    const char *n = p->name;
    return in_list(tool_pkgs, HULL_ARRAY_LEN(tool_pkgs), n) || ends_with(n, "-dev") ||
           ends_with(n, "-devel") || versioned_tool(n) || !strncmp(n, "linux-headers-", 14) ||
           (!strncmp(n, "golang-", 7) && ends_with(n, "-go"));
}

struct tree_ud {
    struct hull_strv setuid, setgid, ww, headers;
    int64_t file_bytes;
    int rc;
};

static int tree_cb(void *ud, const struct hull_fs_entry *e)
{
    struct tree_ud *t = ud;
    int rc = 0;
    if (e->type == HULL_FS_FILE) {
        t->file_bytes += (int64_t)e->size;
        if (e->mode & 04000)
            rc = hull_strv_add(&t->setuid, e->path);
        if (!rc && (e->mode & 02000))
            rc = hull_strv_add(&t->setgid, e->path);
    } else if (e->type == HULL_FS_DIR) {
        if ((e->mode & 0002) && !(e->mode & 01000))
            rc = hull_strv_add(&t->ww, e->path);
        if (!rc && !strncmp(e->path, "/usr/src/linux-headers-", 23) && !strchr(e->path + 23, '/'))
            rc = hull_strv_add(&t->headers, e->path);
    }
    return rc;
}

static int build_tools(struct hull_surface *s, const struct hull_scan *scan, bool headers)
{
    struct hull_strv seen = { 0 }, names = { 0 };
    for (size_t i = 0; i < HULL_ARRAY_LEN(tool_names); i++) {
        const struct hull_fs_entry *e = NULL;
        for (size_t d = 0; !e && d < HULL_ARRAY_LEN(bin_dirs); d++)
            e = find_bin(scan->fs, bin_dirs[d], tool_names[i]);
        for (size_t d = 0; !e && d < HULL_ARRAY_LEN(tool_dirs); d++)
            e = find_bin(scan->fs, tool_dirs[d], tool_names[i]);
        /* cc -> gcc, c++ -> g++: one name per real binary, the first in table order */
        if (!e || hull_strv_has(&seen, e->path))
            continue;
        if (hull_strv_add(&seen, e->path) < 0 || hull_strv_add(&names, tool_names[i]) < 0)
            goto nomem;
    }
    const struct hull_fs_entry *inc = hull_fs_lookup(scan->fs, "/usr/include/linux", true);
    if (((inc && inc->type == HULL_FS_DIR) || headers) &&
        hull_strv_add(&names, "kernel-headers") < 0)
        goto nomem;
    for (size_t i = 0; i < hull_inventory_count(scan->inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(scan->inv, i);
        if (build_pkg(p) && hull_strv_add(&names, p->name) < 0)
            goto nomem;
    }
    hull_strv_clear(&seen);
    hull_strv_sort_uniq(&names);
    take(&names, &s->build_tools, &s->n_build_tools);
    return 0;
nomem:
    hull_strv_clear(&seen);
    hull_strv_clear(&names);
    return -HULL_E_NOMEM;
}

int64_t hull_surface_passwd_uid(const char *pw, size_t len, const char *name)
{
    size_t nl = strlen(name);
    const char *p = pw, *end = pw + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        /* name:password:uid:... */
        if ((size_t)(le - p) > nl + 1 && !memcmp(p, name, nl) && p[nl] == ':') {
            const char *f = memchr(p + nl + 1, ':', (size_t)(le - p - nl - 1));
            if (f && f + 1 < le && isdigit((unsigned char)f[1])) {
                int64_t v = 0;
                for (f++; f < le && isdigit((unsigned char)*f) && v < 0x7fffffff; f++)
                    v = v * 10 + (*f - '0');
                return f < le && *f == ':' ? v : -1;
            }
            return -1;
        }
        p = le + 1;
    }
    return -1;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* config.User: "", "name", "uid", "name:group", "uid:gid". Root when the user part is
 * empty, "root", or uid 0 (numerically, or through /etc/passwd). */
static int user_facts(struct hull_surface *s, const char *user, const char *pw, size_t pwlen)
{
    if (!(s->user = strdup(user ? user : "")))
        return -HULL_E_NOMEM;
    const char *u = s->user;
    size_t n = strcspn(u, ":");
    s->uid = -1;
    if (n == 0 || (n == 4 && !memcmp(u, "root", 4))) {
        s->uid = 0;
    } else if (all_digits(u, n)) {
        int64_t v = 0;
        for (size_t i = 0; i < n && v < 0x7fffffff; i++)
            v = v * 10 + (u[i] - '0');
        s->uid = v;
    } else if (pw) {
        char name[256];
        if (n < sizeof(name)) {
            memcpy(name, u, n);
            name[n] = 0;
            s->uid = hull_surface_passwd_uid(pw, pwlen, name);
        }
    }
    s->runs_as_root = s->uid == 0;
    return 0;
}

/* Display name: a RepoTag as is, else the file or directory name plus ":ref". */
static char *display_name(const struct hull_image_meta *m, const char *spec)
{
    const char *name = m->name;
    if (name && (strchr(name, '/') || strchr(name, ':')))
        return strdup(name);
    const char *path = m->path ? m->path : spec;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *b = path;
    for (size_t i = 0; i < n; i++)
        if (path[i] == '/')
            b = path + i + 1;
    size_t bl = (size_t)(path + n - b);
    static const char *const exts[] = { ".tar.gz", ".tgz", ".tar" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(exts); i++) {
        size_t el = strlen(exts[i]);
        if (bl > el && !memcmp(b + bl - el, exts[i], el)) {
            bl -= el;
            break;
        }
    }
    char *out = NULL;
    if (asprintf(&out, "%.*s%s%s", (int)bl, b, name && *name ? ":" : "",
                 name && *name ? name : "") < 0)
        return NULL;
    return out;
}

static int image_facts(struct hull_surface *s, const struct hull_scan *scan, const char *spec)
{
    const struct hull_image_meta *m = hull_image_meta(scan->image);
    if (!spec)
        spec = m->spec ? m->spec : "";
    if (!(s->image = display_name(m, spec)) || !(s->spec = strdup(spec)) ||
        (m->transport && !(s->transport = strdup(m->transport))) ||
        (m->config_digest && !(s->config_digest = strdup(m->config_digest))))
        return -HULL_E_NOMEM;
    if (m->os && m->architecture &&
        asprintf(&s->platform, "%s/%s%s%s", m->os, m->architecture,
                 m->variant && *m->variant ? "/" : "", m->variant ? m->variant : "") < 0) {
        s->platform = NULL;
        return -HULL_E_NOMEM;
    }
    s->layers = hull_image_layer_count(scan->image);
    if (hull_image_rootfs(scan->image)) {
        s->compressed_size = -1;
    } else {
        s->size = s->compressed_size = 0;
        for (size_t i = 0; i < s->layers; i++) {
            const struct hull_layer_desc *l = hull_image_layer(scan->image, i);
            s->compressed_size += l->size > 0 ? l->size : 0;
            if (l->uncompressed_size < 0 || s->size < 0)
                s->size = -1;
            else
                s->size += l->uncompressed_size;
        }
    }
    struct hull_strv ports = { 0 };
    for (size_t i = 0; m->exposed_ports && m->exposed_ports[i]; i++)
        if (hull_strv_add(&ports, m->exposed_ports[i]) < 0) {
            hull_strv_clear(&ports);
            return -HULL_E_NOMEM;
        }
    hull_strv_sort_uniq(&ports);
    take(&ports, &s->ports, &s->n_ports);
    return 0;
}

static int os_facts(struct hull_surface *s, const struct hull_inventory *inv)
{
    const struct hull_os *os = hull_inventory_os(inv);
    if (!os)
        return 0;
    if ((os->family && strcmp(os->family, "unknown") && !(s->os_family = strdup(os->family))) ||
        (os->id && !(s->os_id = strdup(os->id))) ||
        (os->pretty_name && !(s->os_name = strdup(os->pretty_name))))
        return -HULL_E_NOMEM;
    const char *v = os->version ? os->version : os->version_id;
    if (v && !(s->os_version = strdup(v)))
        return -HULL_E_NOMEM;
    s->distroless = os->distroless;
    /* os-release VERSION_ID names the release; debian_version & co. only when it is absent */
    s->eol = hull_surface_eol_lookup(s->os_family, os->version_id ? os->version_id : v);
    s->eol_passed = s->eol && strcmp(s->today, s->eol->date) > 0;
    return 0;
}

static void pkg_counts(struct hull_surface *s, const struct hull_inventory *inv)
{
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        if ((unsigned)p->type < HULL_PKG__COUNT)
            s->pkgs_by_type[p->type]++;
        if (p->type == HULL_PKG_DPKG || p->type == HULL_PKG_APK || p->type == HULL_PKG_RPM)
            s->pkgs_os++;
        else
            s->pkgs_lang++;
    }
    s->pkgs_total = s->pkgs_os + s->pkgs_lang;
}

int hull_surface_from_scan(const struct hull_scan *scan, const char *spec, const char *passwd,
                           size_t passwd_len, const struct hull_surface_opts *opts,
                           struct hull_surface **out, struct hull_err **err)
{
    const char *today = opts ? opts->today : NULL;
    if (today && !hull_surface_date_valid(today))
        return hull_err_set(err, HULL_E_USAGE, "bad date '%s' (want YYYY-MM-DD)", today);
    struct hull_surface *s = calloc(1, sizeof(*s));
    if (!s)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (today)
        memcpy(s->today, today, 11);
    else
        hull_surface_today(s->today);
    struct tree_ud t = { 0 };
    int rc = image_facts(s, scan, spec);
    if (!rc)
        rc = os_facts(s, scan->inv);
    pkg_counts(s, scan->inv);
    if (!rc)
        rc = hull_fs_foreach(scan->fs, tree_cb, &t);
    if (!rc && hull_image_rootfs(scan->image))
        s->size = t.file_bytes;
    if (!rc)
        rc = shells(s, scan->fs);
    if (!rc)
        rc = pkg_managers(s, scan->fs);
    if (!rc)
        rc = build_tools(s, scan, t.headers.n > 0);
    if (!rc)
        rc = user_facts(s, hull_image_meta(scan->image)->user, passwd, passwd_len);
    hull_strv_clear(&t.headers);
    take(&t.setuid, &s->setuid, &s->n_setuid);
    take(&t.setgid, &s->setgid, &s->n_setgid);
    take(&t.ww, &s->world_writable, &s->n_world_writable);
    if (rc < 0) {
        hull_surface_free(s);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    if (hull_surface_rate(s, err) < 0) {
        hull_surface_free(s);
        return -HULL_E_NOMEM;
    }
    *out = s;
    return 0;
}

/* The one file the surface needs the contents of, captured during the scan's walk. */
struct pw_capture {
    char *data;
    size_t len;
};

static bool pw_wants(void *ud, const char *path)
{
    return !strcmp(path, "/etc/passwd");
}

static int pw_file(void *ud, const char *path, const uint8_t *data, size_t len, unsigned layer,
                   const char *diff_id, struct hull_err **err)
{
    struct pw_capture *c = ud;
    free(c->data);
    if (!(c->data = malloc(len + 1)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    memcpy(c->data, data, len);
    c->data[len] = 0;
    c->len = len;
    return 0;
}

int hull_surface_image(struct hull_ctx *ctx, const char *spec, const struct hull_surface_opts *opts,
                       struct hull_surface **out, struct hull_err **err)
{
    if (opts && opts->today && !hull_surface_date_valid(opts->today))
        return hull_err_set(err, HULL_E_USAGE, "bad date '%s' (want YYYY-MM-DD)", opts->today);
    struct pw_capture pw = { 0 };
    struct hull_scan_opts so = { .platform = opts ? opts->platform : NULL,
                                 .extra_wants = pw_wants, .extra_file = pw_file,
                                 .extra_ud = &pw };
    struct hull_image_opts io = { .platform = so.platform,
                                  .registry = opts ? opts->registry : NULL };
    struct hull_image *img = NULL;
    struct hull_scan *scan = NULL;
    int rc = hull_image_open(ctx, spec, &io, &img, err);
    if (rc == 0)
        rc = hull_scan_open_image(ctx, img, &so, &scan, err); /* takes img */
    if (rc == 0)
        rc = hull_surface_from_scan(scan, spec, pw.data, pw.len, opts, out, err);
    if (rc == 0 && opts && opts->db &&
        hull_surface_count_vulns(ctx, opts->db, scan->inv, *out, err) < 0) {
        hull_surface_free(*out);
        *out = NULL;
        rc = -1;
    }
    hull_scan_free(scan);
    free(pw.data);
    return rc < 0 ? -1 : 0;
}

static void free_reasons(struct hull_surface *s)
{
    for (size_t i = 0; i < s->n_reasons; i++)
        free(s->reasons[i].text);
    free(s->reasons);
    for (size_t i = 0; i < s->n_advice; i++)
        free(s->advice[i].text);
    free(s->advice);
    s->reasons = NULL;
    s->advice = NULL;
    s->n_reasons = s->n_advice = 0;
}

void hull_surface_free(struct hull_surface *s)
{
    if (!s)
        return;
    free(s->image);
    free(s->spec);
    free(s->transport);
    free(s->config_digest);
    free(s->platform);
    free(s->os_family);
    free(s->os_id);
    free(s->os_version);
    free(s->os_name);
    hull_strv_free_array(s->shells, s->n_shells);
    hull_strv_free_array(s->shell_kinds, s->n_shell_kinds);
    free(s->bin_sh);
    hull_strv_free_array(s->pkg_manager_paths, s->n_pkg_manager_paths);
    hull_strv_free_array(s->pkg_managers, s->n_pkg_managers);
    hull_strv_free_array(s->build_tools, s->n_build_tools);
    hull_strv_free_array(s->setuid, s->n_setuid);
    hull_strv_free_array(s->setgid, s->n_setgid);
    hull_strv_free_array(s->world_writable, s->n_world_writable);
    free(s->user);
    hull_strv_free_array(s->ports, s->n_ports);
    free_reasons(s);
    free(s);
}

void hull_surface_clear_rating(struct hull_surface *s)
{
    free_reasons(s);
}
