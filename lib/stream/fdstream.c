/* Source streams (fd byte ranges read with pread, whole files, memory), the slice filter and
 * the read helpers every consumer of a stream uses. */
#include "core/common.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stream/stream.h"

struct fd_range {
    struct hull_istream base;
    int fd;
    bool own_fd;
    uint64_t pos, end; /* end == UINT64_MAX: until EOF */
    char *name;
};

static ssize_t fd_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct fd_range *r = (struct fd_range *)s;
    if (r->pos >= r->end)
        return 0;
    if (n > r->end - r->pos)
        n = (size_t)(r->end - r->pos);
    if (n > SSIZE_MAX)
        n = SSIZE_MAX;
    for (;;) {
        ssize_t got = pread(r->fd, buf, n, (off_t)r->pos);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return hull_err_sys(err, HULL_E_IO, errno, "%s: read", r->name);
        if (got == 0) {
            if (r->end != UINT64_MAX)
                return hull_err_set(err, HULL_E_PARSE, "%s: truncated (file ends at byte %llu)",
                                    r->name, (unsigned long long)r->pos);
            r->end = r->pos;
            return 0;
        }
        r->pos += (uint64_t)got;
        return got;
    }
}

static void fd_close(struct hull_istream *s)
{
    struct fd_range *r = (struct fd_range *)s;
    if (r->own_fd)
        close(r->fd);
    free(r->name);
    free(r);
}

static const struct hull_istream_ops fd_ops = { fd_read, fd_close };

static struct fd_range *fd_new(int fd, uint64_t off, int64_t len, const char *name,
                               struct hull_err **err)
{
    struct fd_range *r = calloc(1, sizeof(*r));
    if (!r || !(r->name = strdup(name ? name : "stream"))) {
        free(r);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    r->base.ops = &fd_ops;
    r->fd = fd;
    r->pos = off;
    r->end = len < 0 ? UINT64_MAX : off + (uint64_t)len;
    return r;
}

struct hull_istream *hull_stream_fd_range(int fd, uint64_t off, int64_t len, const char *name,
                                          struct hull_err **err)
{
    struct fd_range *r = fd_new(fd, off, len, name, err);
    return r ? &r->base : NULL;
}

struct hull_istream *hull_stream_file(const char *path, struct hull_err **err)
{
    /* O_NONBLOCK: a FIFO planted where a blob should be must not hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s", path);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        hull_err_set(err, HULL_E_IO, "%s: not a regular file", path);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct fd_range *r = fd_new(fd, 0, -1, path, err);
    if (!r) {
        close(fd);
        return NULL;
    }
    r->own_fd = true;
    return &r->base;
}

struct mem_stream {
    struct hull_istream base;
    const uint8_t *p;
    size_t len, pos;
};

static ssize_t mem_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct mem_stream *m = (struct mem_stream *)s;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    if (n > SSIZE_MAX)
        n = SSIZE_MAX;
    memcpy(buf, m->p + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

static void mem_close(struct hull_istream *s) { free(s); }

static const struct hull_istream_ops mem_ops = { mem_read, mem_close };

struct hull_istream *hull_stream_mem(const void *p, size_t len, struct hull_err **err)
{
    struct mem_stream *m = calloc(1, sizeof(*m));
    if (!m) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    m->base.ops = &mem_ops;
    m->p = p;
    m->len = len;
    return &m->base;
}

struct slice {
    struct hull_istream base;
    struct hull_istream *in;
    uint64_t skip, left;
    char *name;
};

static ssize_t slice_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct slice *sl = (struct slice *)s;
    while (sl->skip > 0) {
        size_t want = sl->skip < n ? (size_t)sl->skip : n;
        ssize_t got = hull_istream_read(sl->in, buf, want, err);
        if (got < 0)
            return got;
        if (got == 0)
            return hull_err_set(err, HULL_E_PARSE, "%s: truncated", sl->name);
        sl->skip -= (uint64_t)got;
    }
    if (sl->left == 0)
        return 0;
    if (n > sl->left)
        n = (size_t)sl->left;
    ssize_t got = hull_istream_read(sl->in, buf, n, err);
    if (got < 0)
        return got;
    if (got == 0)
        return hull_err_set(err, HULL_E_PARSE, "%s: truncated", sl->name);
    sl->left -= (uint64_t)got;
    return got;
}

static void slice_close(struct hull_istream *s)
{
    struct slice *sl = (struct slice *)s;
    hull_istream_close(sl->in);
    free(sl->name);
    free(sl);
}

static const struct hull_istream_ops slice_ops = { slice_read, slice_close };

struct hull_istream *hull_stream_slice(struct hull_istream *in, uint64_t skip, uint64_t len,
                                       const char *name, struct hull_err **err)
{
    struct slice *sl = calloc(1, sizeof(*sl));
    if (!sl || !(sl->name = strdup(name ? name : "stream"))) {
        free(sl);
        hull_istream_close(in);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    sl->base.ops = &slice_ops;
    sl->in = in;
    sl->skip = skip;
    sl->left = len;
    return &sl->base;
}

int hull_stream_read_all(struct hull_istream *s, size_t max, const char *what, char **out,
                         size_t *len, struct hull_err **err)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    if (!p)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                free(p);
                return hull_err_set(err, HULL_E_LIMIT, "%s: larger than the %zu-byte limit",
                                    what, max);
            }
            char *q = realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            }
            p = q;
            cap *= 2;
        }
        ssize_t got = hull_istream_read(s, p + n, cap - n, err);
        if (got < 0) {
            free(p);
            return (int)got;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        free(p);
        return hull_err_set(err, HULL_E_LIMIT, "%s: larger than the %zu-byte limit", what, max);
    }
    p[n] = 0;
    *out = p;
    *len = n;
    return 0;
}

int hull_stream_read_full(struct hull_istream *s, void *buf, size_t n, const char *what,
                          struct hull_err **err)
{
    size_t done = 0;
    while (done < n) {
        ssize_t got = hull_istream_read(s, (char *)buf + done, n - done, err);
        if (got < 0)
            return (int)got;
        if (got == 0)
            return hull_err_set(err, HULL_E_PARSE, "%s: truncated", what);
        done += (size_t)got;
    }
    return 0;
}

int64_t hull_stream_drain(struct hull_istream *s, struct hull_err **err)
{
    char *buf = malloc(HULL_STREAM_CHUNK);
    if (!buf)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    int64_t total = 0;
    for (;;) {
        ssize_t got = hull_istream_read(s, buf, HULL_STREAM_CHUNK, err);
        if (got < 0) {
            free(buf);
            return got;
        }
        if (got == 0)
            break;
        total += got;
    }
    free(buf);
    return total;
}
