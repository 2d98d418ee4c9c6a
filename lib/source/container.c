/* Containers of image files: a directory, or an outer tar read with a small ustar/GNU/PAX
 * header parser (POSIX.1-2001 pax, GNU 'L'/'K' long names). Only headers are parsed here; the
 * members are blobs and JSON documents, never extracted. See container.h. */
#include "core/common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "source/container.h"
#include "stream/stream.h"

#define TAR_BLOCK 512
#define CACHE_MEMBER_MAX (1u << 20)
#define CACHE_TOTAL_MAX (16u << 20)
#define MAX_OUTER_ENTRIES (1u << 20)
#define MAX_MEMBER_HOPS 8

struct member {
    char *name;
    char *link; /* symlink or hardlink target */
    char type;  /* '0' file, '1' hardlink, '2' symlink, '5' dir, other */
    uint64_t off, size;
    char *cache; /* whole content for small members of compressed tars */
};

struct hull_container {
    struct hull_ctx *ctx;
    char *path;
    bool is_dir;
    int fd;
    enum hull_compression comp;
    struct member *m;
    size_t n, cap;
    size_t cached;
};

bool hull_container_is_dir(const struct hull_container *c) { return c->is_dir; }
int hull_container_compression(const struct hull_container *c) { return (int)c->comp; }

void hull_container_free(struct hull_container *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->m[i].name);
        free(c->m[i].link);
        free(c->m[i].cache);
    }
    free(c->m);
    if (c->fd >= 0)
        close(c->fd);
    free(c->path);
    free(c);
}

/* Lexically normalise an archive path in place: drop "./", "//", leading and trailing '/',
 * resolve "..". Returns false when ".." would leave the root. */
static bool norm_path(char *p)
{
    char *out = p, *s = p;
    size_t depth = 0;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 1 && s[0] == '.') {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (depth == 0)
                return false;
            depth--;
            while (out > p && out[-1] != '/')
                out--;
            if (out > p)
                out--;
        } else {
            if (out > p)
                *out++ = '/';
            memmove(out, s, len);
            out += len;
            depth++;
        }
        s += len;
    }
    *out = 0;
    return true;
}

/* ---- tar header parsing ---- */

static int parse_num(const uint8_t *f, size_t n, uint64_t *out)
{
    if (f[0] & 0x80) { /* GNU base-256 */
        if (f[0] != 0x80)
            return -1;
        uint64_t v = 0;
        for (size_t i = 1; i < n; i++) {
            if (v >> 55)
                return -1;
            v = (v << 8) | f[i];
        }
        *out = v;
        return 0;
    }
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && f[i] == ' ')
        i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60)
            return -1;
        v = v * 8 + (uint64_t)(f[i] - '0');
    }
    if (i < n && f[i] != 0 && f[i] != ' ')
        return -1;
    *out = v;
    return 0;
}

static bool checksum_ok(const uint8_t *h)
{
    uint64_t want;
    if (parse_num(h + 148, 8, &want) < 0)
        return false;
    uint64_t sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == want;
}

static char *field_str(const uint8_t *f, size_t n)
{
    size_t len = strnlen((const char *)f, n);
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, f, len);
        s[len] = 0;
    }
    return s;
}

/* Byte source for the index scan: pread on a plain file, or a decoded stream. */
struct scan {
    struct hull_container *c;
    struct hull_istream *s; /* NULL: plain file via pread */
    uint64_t pos, file_size;
};

static int scan_read(struct scan *sc, void *buf, size_t n, bool *eof, struct hull_err **err)
{
    *eof = false;
    size_t done = 0;
    while (done < n) {
        ssize_t got;
        if (!sc->s) {
            got = pread(sc->c->fd, (char *)buf + done, n - done, (off_t)(sc->pos + done));
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return hull_err_sys(err, HULL_E_IO, errno, "%s: read", sc->c->path);
        } else {
            got = hull_istream_read(sc->s, (char *)buf + done, n - done, err);
            if (got < 0)
                return (int)got;
        }
        if (got == 0)
            break;
        done += (size_t)got;
    }
    sc->pos += done;
    if (done == 0) {
        *eof = true;
        return 0;
    }
    if (done < n)
        return hull_err_set(err, HULL_E_PARSE, "%s: truncated tar", sc->c->path);
    return 0;
}

/* Skip n bytes of member data (plain: arithmetic; stream: read). cache != NULL keeps them. */
static int scan_skip(struct scan *sc, uint64_t n, char *cache, struct hull_err **err)
{
    if (!sc->s) {
        if (sc->pos + n > sc->file_size)
            return hull_err_set(err, HULL_E_PARSE, "%s: truncated tar (member runs past the end)",
                                sc->c->path);
        sc->pos += n;
        return 0;
    }
    uint8_t tmp[16384];
    uint64_t done = 0;
    while (done < n) {
        size_t want = n - done < sizeof(tmp) ? (size_t)(n - done) : sizeof(tmp);
        bool eof;
        int rc = scan_read(sc, cache ? cache + done : (char *)tmp, want, &eof, err);
        if (rc < 0)
            return rc;
        if (eof)
            return hull_err_set(err, HULL_E_PARSE, "%s: truncated tar (member runs past the end)",
                                sc->c->path);
        done += want;
    }
    return 0;
}

/* Apply the PAX records we care about (path, linkpath, size). */
static int pax_apply(const char *p, size_t len, char **name, char **link, uint64_t *size,
                     bool *has_size, struct hull_err **err)
{
    size_t i = 0;
    while (i < len) {
        size_t rl = 0, j = i;
        while (j < len && p[j] >= '0' && p[j] <= '9' && rl < len)
            rl = rl * 10 + (size_t)(p[j++] - '0');
        if (j >= len || p[j] != ' ' || rl <= j - i || i + rl > len || p[i + rl - 1] != '\n')
            return hull_err_set(err, HULL_E_PARSE, "tar: malformed pax header");
        const char *kv = p + j + 1, *end = p + i + rl - 1;
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (!eq)
            return hull_err_set(err, HULL_E_PARSE, "tar: malformed pax record");
        size_t klen = (size_t)(eq - kv), vlen = (size_t)(end - eq - 1);
        char **dst = NULL;
        if (klen == 4 && !memcmp(kv, "path", 4))
            dst = name;
        else if (klen == 8 && !memcmp(kv, "linkpath", 8))
            dst = link;
        else if (klen == 4 && !memcmp(kv, "size", 4)) {
            char num[24];
            if (vlen == 0 || vlen >= sizeof(num))
                return hull_err_set(err, HULL_E_PARSE, "tar: bad pax size");
            memcpy(num, eq + 1, vlen);
            num[vlen] = 0;
            char *e;
            errno = 0;
            unsigned long long v = strtoull(num, &e, 10);
            if (errno || *e)
                return hull_err_set(err, HULL_E_PARSE, "tar: bad pax size");
            *size = v;
            *has_size = true;
        }
        if (dst) {
            free(*dst);
            if (!(*dst = malloc(vlen + 1)))
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            memcpy(*dst, eq + 1, vlen);
            (*dst)[vlen] = 0;
        }
        i += rl;
    }
    return 0;
}

static int add_member(struct hull_container *c, struct member *m, struct hull_err **err)
{
    if (c->n == c->cap) {
        if (c->n >= MAX_OUTER_ENTRIES)
            return hull_err_set(err, HULL_E_LIMIT, "%s: more than %u archive members", c->path,
                                MAX_OUTER_ENTRIES);
        size_t nc = c->cap ? c->cap * 2 : 64;
        struct member *nm = realloc(c->m, nc * sizeof(*nm));
        if (!nm)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        c->m = nm;
        c->cap = nc;
    }
    c->m[c->n++] = *m;
    return 0;
}

static int index_tar(struct hull_container *c, struct scan *sc, struct hull_err **err)
{
    uint8_t h[TAR_BLOCK];
    char *lname = NULL, *llink = NULL; /* from 'L'/'K'/'x' headers, for the next entry */
    uint64_t psize = 0;
    bool has_psize = false;
    int rc = 0;
    size_t max_path = c->ctx->limits.max_path;
    for (;;) {
        bool eof;
        uint64_t hoff = sc->pos;
        if ((rc = scan_read(sc, h, TAR_BLOCK, &eof, err)) < 0)
            goto out;
        if (eof)
            break; /* no end-of-archive blocks: accepted at a block boundary */
        bool zero = true;
        for (int i = 0; i < TAR_BLOCK && zero; i++)
            zero = h[i] == 0;
        if (zero)
            break;
        if (!checksum_ok(h)) {
            rc = hull_err_set(err, HULL_E_PARSE, "%s: not a tar archive (bad header checksum at "
                              "byte %llu)", c->path, (unsigned long long)hoff);
            goto out;
        }
        uint64_t size;
        if (parse_num(h + 124, 12, &size) < 0) {
            rc = hull_err_set(err, HULL_E_PARSE, "%s: bad tar size field", c->path);
            goto out;
        }
        char type = (char)h[156];
        if (type == 'L' || type == 'K' || type == 'x') {
            if (size > max_path * 4 + 1024) {
                rc = hull_err_set(err, HULL_E_LIMIT, "%s: tar extended header too long", c->path);
                goto out;
            }
            uint64_t padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
            char *buf = malloc((size_t)padded + 1);
            if (!buf) {
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
            if ((rc = scan_read(sc, buf, (size_t)padded, &eof, err)) < 0 || eof) {
                free(buf);
                if (rc >= 0)
                    rc = hull_err_set(err, HULL_E_PARSE, "%s: truncated tar", c->path);
                goto out;
            }
            buf[size] = 0;
            if (type == 'x') {
                rc = pax_apply(buf, (size_t)size, &lname, &llink, &psize, &has_psize, err);
                free(buf);
                if (rc < 0)
                    goto out;
            } else {
                buf[strnlen(buf, (size_t)size)] = 0;
                char **dst = type == 'L' ? &lname : &llink;
                free(*dst);
                *dst = buf;
            }
            continue;
        }
        struct member m = { 0 };
        m.type = type == 0 || type == '7' ? '0' : type;
        if (lname) {
            m.name = lname;
            lname = NULL;
        } else if (!memcmp(h + 257, "ustar", 5) && h[345]) {
            char *pre = field_str(h + 345, 155), *nm = field_str(h, 100);
            if (pre && nm && asprintf(&m.name, "%s/%s", pre, nm) < 0)
                m.name = NULL;
            free(pre);
            free(nm);
        } else {
            m.name = field_str(h, 100);
        }
        if (llink) {
            m.link = llink;
            llink = NULL;
        } else if (m.type == '1' || m.type == '2') {
            m.link = field_str(h + 157, 100);
        }
        if (has_psize)
            size = psize;
        has_psize = false;
        if (!m.name || ((m.type == '1' || m.type == '2') && !m.link)) {
            free(m.name);
            free(m.link);
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        if (strlen(m.name) > max_path || !norm_path(m.name)) {
            /* Names that leave the archive root are kept out of the index. */
            m.name[0] = 0;
        }
        if (m.type != '0')
            size = m.type == '1' || m.type == '2' || m.type == '5' ? 0 : size;
        m.off = sc->pos;
        m.size = size;
        uint64_t padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (sc->s && m.type == '0' && size <= CACHE_MEMBER_MAX &&
            c->cached + size <= CACHE_TOTAL_MAX) {
            m.cache = malloc((size_t)padded + 1);
            if (!m.cache) {
                free(m.name);
                free(m.link);
                rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                goto out;
            }
            c->cached += size;
        }
        rc = scan_skip(sc, padded, m.cache, err);
        if (rc >= 0)
            rc = add_member(c, &m, err);
        if (rc < 0) {
            free(m.name);
            free(m.link);
            free(m.cache);
            goto out;
        }
    }
    if (sc->s) { /* read the rest so a truncated or corrupt compressed file is noticed */
        int64_t r = hull_stream_drain(sc->s, err);
        if (r < 0)
            rc = (int)r;
    }
out:
    free(lname);
    free(llink);
    if (rc < 0)
        hull_err_wrap(err, "%s", c->path);
    return rc;
}

int hull_container_open(struct hull_ctx *ctx, const char *path, struct hull_container **out,
                        struct hull_err **err)
{
    struct hull_container *c = calloc(1, sizeof(*c));
    if (!c || !(c->path = strdup(path))) {
        free(c);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    c->ctx = ctx;
    c->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY); /* FIFOs must not hang */
    int rc;
    if (c->fd < 0) {
        rc = hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s", path);
        goto fail;
    }
    struct stat st;
    if (fstat(c->fd, &st) != 0) {
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s", path);
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        c->is_dir = true;
        *out = c;
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = hull_err_set(err, HULL_E_IO, "%s: not a regular file or directory", path);
        goto fail;
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
    uint8_t magic[4] = { 0 };
    ssize_t got = pread(c->fd, magic, sizeof(magic), 0);
    if (got < 0) {
        rc = hull_err_sys(err, HULL_E_IO, errno, "%s", path);
        goto fail;
    }
    c->comp = hull_compression_sniff(magic, (size_t)got);
    struct scan sc = { .c = c, .file_size = (uint64_t)st.st_size };
    if (c->comp != HULL_COMP_NONE) {
        struct hull_istream *raw = hull_stream_fd_range(c->fd, 0, -1, path, err);
        sc.s = raw ? hull_stream_decode(raw, ctx->limits.max_image_bytes, NULL, err) : NULL;
        if (!sc.s) {
            rc = -HULL_E_NOMEM;
            goto fail;
        }
    }
    rc = index_tar(c, &sc, err);
    hull_istream_close(sc.s);
    if (rc < 0)
        goto fail;
    *out = c;
    return 0;
fail:
    hull_container_free(c);
    return rc;
}

/* Resolve name to a regular member (following links inside the archive). */
static int resolve(struct hull_container *c, const char *name, struct member **out,
                   struct hull_err **err)
{
    char *cur = strdup(name);
    if (!cur)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (!norm_path(cur)) {
        free(cur);
        return hull_err_set(err, HULL_E_UNSAFE, "%s: member name %.200s leaves the archive",
                            c->path, name);
    }
    for (int hop = 0; hop <= MAX_MEMBER_HOPS; hop++) {
        struct member *m = NULL;
        if (!cur[0]) {
            free(cur);
            return hull_err_set(err, HULL_E_NOTFOUND, "%s: empty member name", c->path);
        }
        for (size_t i = c->n; i-- > 0;)
            if (!strcmp(c->m[i].name, cur)) {
                m = &c->m[i];
                break;
            }
        if (!m) {
            int rc = hull_err_set(err, HULL_E_NOTFOUND, "%s: no member %.200s", c->path, cur);
            free(cur);
            return rc;
        }
        if (m->type == '0') {
            free(cur);
            *out = m;
            return 0;
        }
        if (m->type != '1' && m->type != '2') {
            int rc = hull_err_set(err, HULL_E_PARSE, "%s: member %.200s is not a regular file",
                                  c->path, cur);
            free(cur);
            return rc;
        }
        char *next = NULL;
        if (m->link[0] == '/') {
            free(cur);
            return hull_err_set(err, HULL_E_UNSAFE, "%s: member %.200s links to an absolute "
                                "path", c->path, m->name);
        }
        if (m->type == '2') {
            char *slash = strrchr(cur, '/');
            if (slash)
                *slash = 0;
            if (asprintf(&next, "%s%s%s", slash ? cur : "", slash ? "/" : "", m->link) < 0)
                next = NULL;
        } else {
            next = strdup(m->link);
        }
        free(cur);
        if (!next)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        if (!norm_path(next)) {
            free(next);
            return hull_err_set(err, HULL_E_UNSAFE, "%s: member %.200s links outside the archive",
                                c->path, m->name);
        }
        cur = next;
    }
    free(cur);
    return hull_err_set(err, HULL_E_UNSAFE, "%s: too many links resolving %.200s", c->path, name);
}

static int dir_path(struct hull_container *c, const char *name, char **out, struct hull_err **err)
{
    char *n = strdup(name);
    if (!n)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    if (!norm_path(n) || !n[0]) {
        free(n);
        return hull_err_set(err, HULL_E_UNSAFE, "%s: path %.200s leaves the directory", c->path,
                            name);
    }
    int r = asprintf(out, "%s/%s", c->path, n);
    free(n);
    if (r < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return 0;
}

bool hull_container_has(struct hull_container *c, const char *name)
{
    if (c->is_dir) {
        char *p = NULL;
        struct stat st;
        bool ok = dir_path(c, name, &p, NULL) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode);
        free(p);
        return ok;
    }
    struct member *m;
    return resolve(c, name, &m, NULL) == 0;
}

int hull_container_open_member(struct hull_container *c, const char *name,
                               struct hull_istream **out, int64_t *size, struct hull_err **err)
{
    if (c->is_dir) {
        char *p = NULL;
        int rc = dir_path(c, name, &p, err);
        if (rc < 0)
            return rc;
        struct hull_err *e = NULL;
        struct hull_istream *s = hull_stream_file(p, &e);
        struct stat st;
        if (s && size)
            *size = stat(p, &st) == 0 ? (int64_t)st.st_size : -1;
        free(p);
        if (!s) {
            rc = -(int)e->code;
            if (err && !*err)
                *err = e;
            else
                hull_err_free(e);
            return rc;
        }
        *out = s;
        return 0;
    }
    struct member *m;
    int rc = resolve(c, name, &m, err);
    if (rc < 0)
        return rc;
    struct hull_istream *s;
    if (m->cache)
        s = hull_stream_mem(m->cache, (size_t)m->size, err);
    else if (c->comp == HULL_COMP_NONE)
        s = hull_stream_fd_range(c->fd, m->off, (int64_t)m->size, m->name, err);
    else {
        s = hull_stream_fd_range(c->fd, 0, -1, c->path, err);
        if (s)
            s = hull_stream_decode(s, 0, NULL, err);
        if (s)
            s = hull_stream_slice(s, m->off, m->size, m->name, err);
    }
    if (!s)
        return -HULL_E_NOMEM;
    if (size)
        *size = (int64_t)m->size;
    *out = s;
    return 0;
}

int hull_container_read(struct hull_container *c, const char *name, size_t max, char **out,
                        size_t *len, struct hull_err **err)
{
    struct hull_istream *s;
    int64_t size = -1;
    int rc = hull_container_open_member(c, name, &s, &size, err);
    if (rc < 0)
        return rc;
    if (size > (int64_t)max) {
        hull_istream_close(s);
        return hull_err_set(err, HULL_E_LIMIT, "%s: %lld bytes exceeds the %zu-byte limit", name,
                            (long long)size, max);
    }
    rc = hull_stream_read_all(s, max, name, out, len, err);
    hull_istream_close(s);
    return rc;
}
