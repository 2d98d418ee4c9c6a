/* Stream stages for blobs (core/istream.h): file ranges, memory, decompression (gzip via
 * ISA-L or zlib, zstd, identity, chosen by magic bytes), byte limits and sha256 verification.
 * A layer is read as  file range -> verify(blob digest) -> decode -> verify(diff_id)  in one
 * pass with 256 KiB buffers, so memory stays flat whatever the layer size.
 *
 * Ownership: every filter takes the stream it wraps (also on failure: a filter constructor
 * that fails closes `in`), and closing the outer stream closes the chain. */
#ifndef HULL_STREAM_STREAM_H
#define HULL_STREAM_STREAM_H
#include "core/common.h"
#include "core/istream.h"
#include "core/digest.h"

#define HULL_STREAM_CHUNK (256u * 1024)

/* Bytes [off, off+len) of an open fd, read with pread (the fd is borrowed and must stay open
 * while the stream lives; several range streams may share one fd). len < 0: up to EOF.
 * A file that ends before off+len gives HULL_E_PARSE ("truncated"). */
struct hull_istream *hull_stream_fd_range(int fd, uint64_t off, int64_t len, const char *name,
                                          struct hull_err **err);
/* Open path read-only (regular files only) and stream it whole; the stream owns the fd.
 * Errors: HULL_E_NOTFOUND, HULL_E_IO. */
struct hull_istream *hull_stream_file(const char *path, struct hull_err **err);
/* Stream over borrowed memory (must outlive the stream). */
struct hull_istream *hull_stream_mem(const void *p, size_t len, struct hull_err **err);

enum hull_compression {
    HULL_COMP_NONE,
    HULL_COMP_GZIP,
    HULL_COMP_ZSTD,
};

/* Compression named by the first bytes (gzip 1f 8b, zstd 28 b5 2f fd), else NONE. */
enum hull_compression hull_compression_sniff(const void *p, size_t len);
const char *hull_compression_name(enum hull_compression c);

/* Decompress `in` by magic bytes (identity when neither gzip nor zstd). Multi-member gzip
 * and multi-frame zstd are read to the end; trailing zero padding after the last gzip member
 * is ignored. Truncated or corrupt data -> HULL_E_PARSE ("gzip: ..." / "zstd: ...").
 * Output beyond max_out bytes (0: no cap) -> HULL_E_LIMIT. If detected is not NULL it gets
 * the compression once the first read happened. Takes `in`. */
struct hull_istream *hull_stream_decode(struct hull_istream *in, uint64_t max_out,
                                        enum hull_compression *detected, struct hull_err **err);

struct hull_verify_opts {
    const char *expect;      /* "sha256:<hex>" to check at EOF, or NULL: only compute */
    int64_t expect_size;     /* exact byte count to check, or -1 */
    uint64_t max_bytes;      /* HULL_E_LIMIT past this many bytes (0: no cap) */
    uint64_t *total;         /* optional counter shared by several streams (image total) */
    uint64_t total_max;      /* HULL_E_LIMIT when *total passes it (0: no cap) */
    const char *what;        /* prefix of this filter's own errors ("diff_id sha256:..") or NULL */
    const char *wrap;        /* prefix added to every error leaving this stream, or NULL */
    int64_t *size_out;       /* set to the byte count once verified at EOF (optional) */
    char *digest_out;        /* HULL_DIGEST_STRLEN + 1 bytes, set at EOF (optional) */
    void (*on_eof)(void *ud); /* called once after a successful verification at EOF */
    void *ud;
};

/* Pass bytes through, hashing and counting them. The read that reaches EOF fails with
 * HULL_E_DIGEST ("digest mismatch (got sha256:..)") or HULL_E_PARSE (size mismatch) instead
 * of returning 0 when the data does not match. Strings in opts are copied; pointers
 * (total, size_out, digest_out) are borrowed and must outlive the stream. Takes `in`. */
struct hull_istream *hull_stream_verify(struct hull_istream *in, const struct hull_verify_opts *o,
                                        struct hull_err **err);

/* Exactly `len` bytes of `in` after skipping `skip` bytes (by reading). An early EOF is
 * HULL_E_PARSE ("truncated"). Takes `in`. */
struct hull_istream *hull_stream_slice(struct hull_istream *in, uint64_t skip, uint64_t len,
                                       const char *name, struct hull_err **err);

/* Read until EOF into a new buffer (NUL-terminated; caller frees), HULL_E_LIMIT past max.
 * Does not close s. */
int hull_stream_read_all(struct hull_istream *s, size_t max, const char *what, char **out,
                         size_t *len, struct hull_err **err);
/* Read exactly n bytes (HULL_E_PARSE "truncated" on early EOF). */
int hull_stream_read_full(struct hull_istream *s, void *buf, size_t n, const char *what,
                          struct hull_err **err);
/* Read and discard everything to EOF (so verifying filters check); returns bytes read or <0. */
int64_t hull_stream_drain(struct hull_istream *s, struct hull_err **err);
#endif
