/* Growable byte buffer with a hard maximum (curl's dynbuf). Always NUL-terminated. */
#ifndef HULL_CORE_BUF_H
#define HULL_CORE_BUF_H
#include "core/common.h"

struct hull_buf {
    char *p;     /* NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;  /* appends that would pass this fail with HULL_E_LIMIT; 0 = SIZE_MAX/2 */
};

#define HULL_BUF_INIT(maxlen) { NULL, 0, 0, (maxlen) }
void hull_buf_init(struct hull_buf *b, size_t max);
/* Free the contents and reset to empty (max is kept). */
void hull_buf_release(struct hull_buf *b);
int hull_buf_append(struct hull_buf *b, const void *data, size_t n, struct hull_err **err);
int hull_buf_appends(struct hull_buf *b, const char *s, struct hull_err **err);
int hull_buf_printf(struct hull_buf *b, struct hull_err **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Hand the bytes to the caller (who frees them); the buffer is reset. Never NULL on success. */
char *hull_buf_detach(struct hull_buf *b, size_t *len);
/* Make room for one more element in the array *pp (n elements of elem bytes, capacity *cap):
 * when n == *cap the array is reallocated to twice *cap, or to first when *cap is 0. Returns 0,
 * or -1 on out of memory with the array and *cap unchanged. pp is the address of the array
 * pointer (e.g. &items for `struct item *items`). */
int hull_grow(void *pp, size_t n, size_t *cap, size_t elem, size_t first);
/* Read a whole file, failing with HULL_E_LIMIT past max bytes. */
int hull_read_file(const char *path, size_t max, char **out, size_t *len, struct hull_err **err);
/* Read a whole fd until EOF, same rules. */
int hull_read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
                 struct hull_err **err);
#endif
