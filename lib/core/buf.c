/* Bounded growable buffers and whole-file reads. */
#include "core/buf.h"
#include <fcntl.h>
#include <unistd.h>

void hull_buf_init(struct hull_buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void hull_buf_release(struct hull_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static int grow(struct hull_buf *b, size_t need, struct hull_err **err)
{
    size_t max = b->max ? b->max : SIZE_MAX / 2;
    if (need > max || b->len + need > max)
        return hull_err_set(err, HULL_E_LIMIT, "data exceeds the %zu-byte limit", max);
    size_t want = b->len + need + 1;
    if (want <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    b->p = p;
    b->cap = cap;
    return 0;
}

int hull_buf_append(struct hull_buf *b, const void *data, size_t n, struct hull_err **err)
{
    if (grow(b, n, err) < 0)
        return -1;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

int hull_buf_appends(struct hull_buf *b, const char *s, struct hull_err **err)
{
    return hull_buf_append(b, s, strlen(s), err);
}

int hull_buf_printf(struct hull_buf *b, struct hull_err **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    int r = hull_buf_append(b, s, (size_t)n, err);
    free(s);
    return r;
}

char *hull_buf_detach(struct hull_buf *b, size_t *len)
{
    if (!b->p) {
        b->p = malloc(1);
        if (!b->p)
            return NULL;
        b->p[0] = 0;
    }
    char *p = b->p;
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

int hull_read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                 struct hull_err **err)
{
    struct hull_buf b = HULL_BUF_INIT(max);
    char tmp[65536];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof(tmp));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            hull_buf_release(&b);
            return hull_err_sys(err, HULL_E_IO, errno, "%s: read", name);
        }
        if (n == 0)
            break;
        if (hull_buf_append(&b, tmp, (size_t)n, err) < 0) {
            hull_buf_release(&b);
            return hull_err_wrap(err, "%s", name);
        }
    }
    *out = hull_buf_detach(&b, len);
    return *out ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

int hull_read_file(const char *path, size_t max, char **out, size_t *len, struct hull_err **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s",
                            path);
    int r = hull_read_fd(fd, path, max, out, len, err);
    close(fd);
    return r;
}

int hull_grow(void *pp, size_t n, size_t *cap, size_t elem, size_t first)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap < *cap || ncap > SIZE_MAX / elem)
        return -1;
    void *old;
    memcpy(&old, pp, sizeof(old));
    void *p = realloc(old, ncap * elem);
    if (!p)
        return -1;
    memcpy(pp, &p, sizeof(p));
    *cap = ncap;
    return 0;
}
