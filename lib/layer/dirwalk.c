/* dir: walk of a root filesystem directory into the same view as the layer walk. Every open
 * is openat() with O_NOFOLLOW relative to the directory above, starting from one root fd,
 * so nothing outside the root is ever reached; symlinks are recorded, not followed. */
#include "core/common.h"
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "layer/fsindex.h"

struct dwalk {
    struct hull_ctx *ctx;
    const struct hull_walk_opts *opts;
    struct hull_fs *fs;
    int rootfd;
    size_t entries;
    char *path; /* absolute view path of the entry being looked at */
    char *lnk;  /* readlink buffer, max_path + 1 bytes */
};

/* Kernel pseudo filesystems hold no image content, and some block or never end when read. */
static bool pseudo_fs(int fd)
{
    struct statfs sf;
    if (fstatfs(fd, &sf) < 0)
        return false;
    switch ((unsigned long)sf.f_type) {
    case PROC_SUPER_MAGIC: case SYSFS_MAGIC: case DEVPTS_SUPER_MAGIC: case CGROUP_SUPER_MAGIC:
    case CGROUP2_SUPER_MAGIC: case DEBUGFS_MAGIC: case SECURITYFS_MAGIC: case TRACEFS_MAGIC:
    case BPF_FS_MAGIC: case PSTOREFS_MAGIC: case BINFMTFS_MAGIC: case SELINUX_MAGIC:
    case SMACK_MAGIC: case EFIVARFS_MAGIC: case AUTOFS_SUPER_MAGIC: case NSFS_MAGIC:
    case USBDEVICE_SUPER_MAGIC: case RDTGROUP_SUPER_MAGIC:
    case 0x62656570: /* configfs */
    case 0x65735543: /* fusectl */
    case 0x19800202: /* mqueue */
        return true;
    default:
        return false;
    }
}

static uint8_t stat_type(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFDIR: return HULL_FS_DIR;
    case S_IFLNK: return HULL_FS_SYMLINK;
    case S_IFCHR: return HULL_FS_CHAR;
    case S_IFBLK: return HULL_FS_BLOCK;
    case S_IFIFO: return HULL_FS_FIFO;
    case S_IFSOCK: return HULL_FS_SOCKET;
    default: return HULL_FS_FILE;
    }
}

/* Read up to the capture cap of an open regular file into a capture (NULL: *err set). */
static struct fs_capture *read_capture(struct hull_fs *fs, int fd, uint64_t size,
                                       struct hull_err **err)
{
    size_t want = size > fs->file_cap_max ? fs->file_cap_max : (size_t)size;
    struct fs_capture *c = fs_cap_new(fs, want, err);
    if (!c)
        return NULL;
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, c->data + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* a file that shrank while read: keep what is there */
        got += (size_t)r;
    }
    char extra;
    c->len = got;
    c->data[got] = 0;
    c->truncated = got == want && size > want;
    if (got == want && !c->truncated && read(fd, &extra, 1) == 1)
        c->truncated = true; /* grew since stat */
    return c;
}

/* Open a regular file (the last component; dfd is its directory) without following links
 * or blocking; a warning and -1 when that fails. */
static int open_file(struct dwalk *d, int dfd, const char *name, struct stat *st)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        hull_log(d->ctx, HULL_LOG_WARN, "%s: cannot open: %s; skipped", d->path, strerror(errno));
        return -1;
    }
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        hull_log(d->ctx, HULL_LOG_WARN, "%s: no longer a regular file; skipped", d->path);
        close(fd);
        return -1;
    }
    return fd;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in directory fd (sorted), or NULL with a warning. */
static char **read_names(struct dwalk *d, int dfd, size_t *count)
{
    int fd = dup(dfd);
    DIR *dir = fd < 0 ? NULL : fdopendir(fd);
    if (!dir) {
        hull_log(d->ctx, HULL_LOG_WARN, "%s: cannot list: %s; skipped", *d->path ? d->path : "/",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **p = realloc(v, cap * sizeof(*v));
            if (!p)
                break;
            v = p;
        }
        if (!(v[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(dir);
    if (v)
        qsort(v, n, sizeof(*v), cmp_str);
    *count = n;
    return v ? v : calloc(1, sizeof(*v));
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool skip_top(uint32_t dnode, const char *name)
{
    return dnode == FS_ROOT &&
           (strcmp(name, "proc") == 0 || strcmp(name, "sys") == 0 || strcmp(name, "dev") == 0);
}

static int walk_dir(struct dwalk *d, int dfd, uint32_t dnode, size_t plen, struct hull_err **err);

static int walk_entry(struct dwalk *d, int dfd, uint32_t dnode, const char *name, size_t plen,
                      struct hull_err **err)
{
    struct hull_fs *fs = d->fs;
    size_t nlen = strlen(name);
    if (plen + 1 + nlen > fs->max_path) {
        hull_log(d->ctx, HULL_LOG_WARN, "%s/%s: path longer than %zu bytes; skipped", d->path,
                 name, fs->max_path);
        return 0;
    }
    d->path[plen] = '/';
    memcpy(d->path + plen + 1, name, nlen + 1);
    size_t len = plen + 1 + nlen;
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        hull_log(d->ctx, HULL_LOG_WARN, "%s: cannot stat: %s; skipped", d->path, strerror(errno));
        return 0;
    }
    if (++d->entries > d->ctx->limits.max_entries)
        return hull_err_set(err, HULL_E_LIMIT, "root filesystem has more than %zu entries",
                            d->ctx->limits.max_entries);
    uint8_t type = stat_type(st.st_mode);
    uint32_t n = fs_add(fs, dnode, name, nlen, type, err);
    if (n == FS_NONE)
        return -1;
    struct fs_node *nn = fs_node(fs, n);
    nn->mode = st.st_mode & 07777;
    nn->uid = st.st_uid;
    nn->gid = st.st_gid;
    nn->size = type == HULL_FS_FILE || type == HULL_FS_SYMLINK ? (uint64_t)st.st_size : 0;
    nn->src_layer = 0;
    nn->src_ord = 0;
    bool wants = d->opts && d->opts->wants && d->opts->on_file;
    if (type == HULL_FS_SYMLINK) {
        ssize_t r = readlinkat(dfd, name, d->lnk, fs->max_path + 1);
        if (r < 0 || (size_t)r > fs->max_path) {
            hull_log(d->ctx, HULL_LOG_WARN, "%s: unreadable or over-long symlink; kept empty",
                     d->path);
            r = 0;
        }
        d->lnk[r] = 0;
        if (fs_set_link(fs, n, d->lnk, err) < 0)
            return -1;
        if (wants && d->opts->wants(d->opts->ud, d->path))
            fs_node(fs, n)->flags |= FSN_WANTED;
    } else if (type == HULL_FS_FILE) {
        if (wants && d->opts->wants(d->opts->ud, d->path)) {
            fs_node(fs, n)->flags |= FSN_WANTED;
            struct stat fst;
            int fd = open_file(d, dfd, name, &fst);
            if (fd < 0) {
                fs_node(fs, n)->src_layer = FS_NONE; /* nothing to deliver, no second try */
                return 0;
            }
            struct fs_capture *c = read_capture(fs, fd, (uint64_t)fst.st_size, err);
            close(fd);
            if (!c)
                return hull_err_wrap(err, "%s", d->path);
            fs_node(fs, n)->u.cap = c;
        }
    } else if (type == HULL_FS_DIR && !skip_top(dnode, name)) {
        int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (cfd < 0) {
            hull_log(d->ctx, HULL_LOG_WARN, "%s: cannot open directory: %s; skipped", d->path,
                     strerror(errno));
            return 0;
        }
        int rc = 0;
        if (!pseudo_fs(cfd))
            rc = walk_dir(d, cfd, n, len, err);
        close(cfd);
        return rc;
    }
    return 0;
}

static int walk_dir(struct dwalk *d, int dfd, uint32_t dnode, size_t plen, struct hull_err **err)
{
    size_t n = 0;
    d->path[plen] = 0;
    char **names = read_names(d, dfd, &n);
    if (!names)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = walk_entry(d, dfd, dnode, names[i], plen, err);
    free_names(names, n);
    return rc;
}

/* Second read for the dir: backend: open each needed node by its path below the root. */
static int fetch_dir(void *ud, struct hull_fs *fs, struct layer_need *needs, size_t n,
                     struct hull_err **err)
{
    struct dwalk *d = ud;
    for (size_t i = 0; i < n; i++) {
        uint32_t node = needs[i].node;
        size_t len = fs_path(fs, node, d->path, fs->max_path + 2);
        if (!len)
            continue;
        int dfd = dup(d->rootfd);
        char *p = d->path + 1, *slash;
        while (dfd >= 0 && (slash = strchr(p, '/'))) {
            *slash = 0;
            int nfd = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            *slash = '/';
            close(dfd);
            dfd = nfd;
            p = slash + 1;
        }
        struct stat st;
        int fd = -1;
        if (dfd >= 0) {
            fd = open_file(d, dfd, p, &st);
            close(dfd);
        } else {
            hull_log(d->ctx, HULL_LOG_WARN, "%s: cannot open: %s; skipped", d->path,
                     strerror(errno));
        }
        if (fd < 0)
            continue;
        struct fs_capture *c = read_capture(fs, fd, (uint64_t)st.st_size, err);
        close(fd);
        if (!c)
            return hull_err_wrap(err, "%s", d->path);
        fs_node(fs, node)->u.cap = c;
    }
    return 0;
}

static int walk_rootfs(struct hull_ctx *ctx, const char *root, const struct hull_walk_opts *opts,
                       struct hull_fs **fs_out, struct hull_err **err)
{
    int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno,
                            "dir:%s", root);
    struct dwalk d = { .ctx = ctx, .opts = opts, .rootfd = rootfd };
    int rc = 0;
    d.fs = fs_new(ctx, err);
    if (!d.fs) {
        close(rootfd);
        return -HULL_E_NOMEM;
    }
    d.path = malloc(d.fs->max_path + 2);
    d.lnk = malloc(d.fs->max_path + 2);
    if (!d.path || !d.lnk) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    struct stat st;
    if (fstat(rootfd, &st) == 0) {
        struct fs_node *r = fs_node(d.fs, FS_ROOT);
        r->mode = st.st_mode & 07777;
        r->uid = st.st_uid;
        r->gid = st.st_gid;
    }
    if (pseudo_fs(rootfd))
        hull_log(ctx, HULL_LOG_WARN, "dir:%s is a kernel pseudo filesystem; not walked", root);
    else
        rc = walk_dir(&d, rootfd, FS_ROOT, 0, err);
    if (rc < 0) {
        hull_err_wrap(err, "dir:%s", root);
        goto out;
    }
    struct layer_backend be = { fetch_dir, NULL, &d };
    rc = layer_deliver(ctx, d.fs, opts, &be, err);
    if (rc == 0 && fs_out) {
        *fs_out = d.fs;
        d.fs = NULL;
    }
out:
    hull_fs_free(d.fs);
    free(d.path);
    free(d.lnk);
    close(rootfd);
    return rc;
}

int hull_walk_rootfs(struct hull_ctx *ctx, const char *root, const struct hull_walk_opts *opts,
                     struct hull_fs **fs_out, struct hull_err **err)
{
    if (fs_out)
        *fs_out = NULL;
    struct hull_err *e = NULL;
    int rc = walk_rootfs(ctx, root, opts, fs_out, &e);
    return layer_err_finish(rc, e, err);
}
