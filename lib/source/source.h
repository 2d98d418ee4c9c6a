/* Image sources behind one table of operations (curl's vtls pattern). Each transport
 * (docker-archive, oci, oci-archive, dir; later registry and docker-daemon) is one
 * `struct hull_source_ops` row in hull_source_table (source.c). The generic image code
 * (image.c) does everything that is the same for all of them: verify the config against its
 * digest, parse it, pair layers with diff_ids and history, and stack the layer stream
 * blob -> verify(digest, size) -> decode -> verify(diff_id).
 *
 * A transport must:
 *   open      parse its argument (everything after "transport:"), find the image store;
 *   manifest  select one image (ref, platform) and describe it in struct hull_source_image,
 *             having verified the manifest (and any index on the way) against its digest;
 *   read_blob read a small blob (the config) by the key the manifest step gave;
 *   open_blob open a layer blob as a raw byte stream by key;
 *   close     free its private state.
 * Keys are opaque to image.c: a digest for OCI layouts (and registries), an archive path for
 * docker-archive. */
#ifndef HULL_SOURCE_SOURCE_H
#define HULL_SOURCE_SOURCE_H
#include "core/common.h"
#include "core/istream.h"
#include "hull/image.h"

struct hull_source;

struct hull_source_layer {
    char *key;        /* for open_blob */
    char *media_type; /* NULL: unknown until read (decided by the bytes) */
    char *digest;     /* expected blob digest, NULL when the transport has none */
    int64_t size;     /* expected blob size, -1 when unknown */
};

struct hull_source_image {
    char *name;               /* RepoTag / ref name, or NULL */
    char *manifest_digest;    /* verified, or NULL when the transport has no manifest blob */
    char *manifest_media_type;
    int64_t manifest_size;    /* -1 when none */
    char *config_key;         /* NULL: no config (dir:) */
    char *config_digest;      /* the config's expected digest, or NULL (then computed) */
    int64_t config_size;      /* -1 when unknown */
    struct hull_source_layer *layers;
    size_t n_layers;
};

struct hull_source_ops {
    const char *transport;
    int (*open)(struct hull_source *src, const char *arg, struct hull_err **err);
    int (*manifest)(struct hull_source *src, struct hull_source_image *out, struct hull_err **err);
    int (*read_blob)(struct hull_source *src, const char *key, size_t max, char **out,
                     size_t *len, struct hull_err **err);
    int (*open_blob)(struct hull_source *src, const char *key, struct hull_istream **out,
                     int64_t *size, struct hull_err **err);
    void (*close)(struct hull_source *src);
};

struct hull_container;

/* State every transport shares; `priv` is the transport's own. */
struct hull_source {
    const struct hull_source_ops *ops;
    struct hull_ctx *ctx;
    const char *platform;         /* borrowed from the open options, may be NULL */
    const struct hull_registry_opts *registry; /* borrowed from the open options, may be NULL */
    char *path;                   /* file or directory (set by open) */
    char *ref;                    /* REF of PATH:REF, or NULL */
    char *rootfs;                 /* dir: only */
    struct hull_container *box;   /* file-based transports */
    void *priv;
};

extern const struct hull_source_ops hull_source_docker_archive;
extern const struct hull_source_ops hull_source_oci;
extern const struct hull_source_ops hull_source_oci_archive;
extern const struct hull_source_ops hull_source_dir;
extern const struct hull_source_ops hull_source_registry; /* registry_src.c: docker:// */
extern const struct hull_source_ops hull_source_daemon;   /* daemon_src.c: docker-daemon: */

/* True when spec is no existing path but reads as a registry reference with a tag, a digest
 * or a registry host ("node:18", "ghcr.io/a/b"), so a bare spec goes to the registry. */
bool hull_source_registry_claims(const char *spec);

/* NULL-terminated table of transports, looked up by the spec prefix. */
extern const struct hull_source_ops *const hull_source_table[];

/* Split "PATH[:REF]": PATH is the whole arg when it exists on disk, else the shortest
 * prefix before a ':' that exists (so REF may contain ':' as in app:1.0).
 * Sets src->path and src->ref. Errors: HULL_E_NOTFOUND. */
int hull_source_split_path(struct hull_source *src, const char *arg, struct hull_err **err);
/* The start of a path transport's open: split arg (when not NULL, see above), then open
 * src->path as src->box unless detection already did. */
int hull_source_open_container(struct hull_source *src, const char *arg, struct hull_err **err);

/* Pick the transport for a bare path by content (directory with oci-layout, directory,
 * tar with manifest.json, tar with oci-layout, compressed tar of either). On success
 * src->ops, src->path and (for archives) src->box are set. */
int hull_source_detect(struct hull_source *src, const char *path, struct hull_err **err);

/* Release what a struct hull_source_image holds. */
void hull_source_image_release(struct hull_source_image *im);
#endif
