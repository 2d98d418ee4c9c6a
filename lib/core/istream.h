/* Pull streams: the unit of layer plumbing (file -> sha256 -> gunzip|zstd -> sha256 -> tar).
 * A stream returns >0 bytes, 0 at a clean end, <0 on error (with *err set). Filters own the
 * stream they wrap and close it. Digest-checking filters report a mismatch as HULL_E_DIGEST
 * from the read that reaches end of input, so no consumer ever sees a clean EOF on bad data. */
#ifndef HULL_CORE_ISTREAM_H
#define HULL_CORE_ISTREAM_H
#include "core/common.h"

struct hull_istream;

struct hull_istream_ops {
    ssize_t (*read)(struct hull_istream *s, void *buf, size_t n, struct hull_err **err);
    void (*close)(struct hull_istream *s); /* frees s and everything it owns */
};

struct hull_istream {
    const struct hull_istream_ops *ops;
};

static inline ssize_t hull_istream_read(struct hull_istream *s, void *buf, size_t n,
                                        struct hull_err **err)
{
    return s->ops->read(s, buf, n, err);
}

static inline void hull_istream_close(struct hull_istream *s)
{
    if (s)
        s->ops->close(s);
}
#endif
