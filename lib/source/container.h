/* The file set an image source reads from: a directory (oci:) or an outer tar (docker-archive:,
 * oci-archive:), plain or gzip/zstd-compressed. Plain tars are indexed once by reading only
 * their headers, and members are served as byte ranges of the file; compressed tars are
 * indexed in one streaming pass (small members such as JSON documents are kept in memory)
 * and each other member is re-streamed from the start when it is opened. Nothing is
 * unpacked to disk. Member names are archive-relative; symlinks and hardlinks between
 * members are followed inside the archive only. */
#ifndef HULL_SOURCE_CONTAINER_H
#define HULL_SOURCE_CONTAINER_H
#include "core/common.h"
#include "core/istream.h"

struct hull_container;

/* Open a directory or a (compressed) tar file. ctx is borrowed (limits) and must outlive c.
 * Errors: HULL_E_NOTFOUND, HULL_E_IO, HULL_E_PARSE (not a tar, truncated), HULL_E_LIMIT. */
int hull_container_open(struct hull_ctx *ctx, const char *path, struct hull_container **out,
                        struct hull_err **err);
void hull_container_free(struct hull_container *c);

bool hull_container_is_dir(const struct hull_container *c);
/* Compression of a tar container (0 none, else enum hull_compression). */
int hull_container_compression(const struct hull_container *c);
/* Does the regular file (or link to one) `name` exist? */
bool hull_container_has(struct hull_container *c, const char *name);
/* Read member `name` whole (max bytes, else HULL_E_LIMIT). Caller frees *out (NUL-terminated).
 * Errors: HULL_E_NOTFOUND, HULL_E_UNSAFE (a link or name leaving the container), HULL_E_IO. */
int hull_container_read(struct hull_container *c, const char *name, size_t max, char **out,
                        size_t *len, struct hull_err **err);
/* Open member `name` as a stream of its bytes; *size gets its length. The stream borrows c
 * and must be closed before hull_container_free. */
int hull_container_open_member(struct hull_container *c, const char *name,
                               struct hull_istream **out, int64_t *size, struct hull_err **err);
#endif
