/* Image sources: open an image from docker-archive, OCI layout (dir or tar), a root
 * filesystem directory, and (later) registries and engines, behind one interface.
 *
 * Spec strings (skopeo-style transports; a bare path is detected by content):
 *   docker-archive:PATH[:REF]   `docker save` output, classic or blobs/ layout, plain or gzip
 *   oci:DIR[:REF]               OCI image layout directory
 *   oci-archive:PATH[:REF]      OCI image layout in a tar
 *   dir:PATH                    a root filesystem (no layers; walked directly)
 *   PATH                        any of the above, detected from the content
 * Every manifest, config and layer blob is verified against its digest; each layer's
 * uncompressed bytes against the config's rootfs.diff_ids (HULL_E_DIGEST on mismatch). */
#ifndef HULL_IMAGE_H
#define HULL_IMAGE_H
#include "hull/hull.h"
#ifdef __cplusplus
extern "C" {
#endif

struct hull_image;
struct hull_istream;

struct hull_registry_opts; /* hull/registry.h */

struct hull_image_opts {
    const char *platform; /* "os/arch[/variant]" to select from an index; NULL: the host's,
                             or the only image when there is one */
    const struct hull_registry_opts *registry; /* docker:// and registry references:
                                                  transport and credentials; NULL: defaults */
};

struct hull_layer_desc {
    const char *media_type;    /* as in the manifest (docker or OCI) */
    const char *digest;        /* blob digest "sha256:..." */
    const char *diff_id;       /* uncompressed digest from the config */
    int64_t size;              /* compressed (blob) size from the manifest */
    int64_t uncompressed_size; /* -1 until the layer has been read once */
    const char *created_by;    /* matching non-empty history entry, or NULL */
};

struct hull_image_meta {
    const char *spec;            /* as given by the caller */
    const char *transport;       /* "docker-archive", "oci", "oci-archive", "dir" */
    const char *path;            /* file or directory */
    const char *name;            /* RepoTag or ref name when known, else NULL */
    const char *manifest_digest; /* NULL for dir: and docker-archive (no manifest blob) */
    const char *manifest_media_type;
    int64_t manifest_size;
    const char *config_digest;   /* the image ID */
    int64_t config_size;
    const char *os, *architecture, *variant; /* from the config */
    const char *created;         /* RFC 3339 from the config, or NULL */
    const char *user;            /* config.User ("" when unset) */
    const char *workdir;
    const char *const *env;      /* NULL-terminated */
    const char *const *entrypoint;
    const char *const *cmd;
    const char *const *exposed_ports; /* "8080/tcp", sorted */
    const char *const *label_keys;    /* sorted; values in label_values at the same index */
    const char *const *label_values;
    size_t n_history;
};

/* Open an image: select it (REF, platform), verify the manifest and config against their
 * digests and parse them. Layers are not read yet (see hull_image_open_layer / _verify).
 * *out is owned by the caller (hull_image_free). ctx is borrowed and must outlive the image.
 * Errors: HULL_E_NOTFOUND (path, blob, REF or platform missing), HULL_E_DIGEST, HULL_E_PARSE,
 * HULL_E_LIMIT (ctx->limits), HULL_E_UNSAFE (archive links leaving the archive),
 * HULL_E_USAGE (several images and nothing to choose by, bad platform string),
 * HULL_E_UNSUPPORTED (foreign layers, schema 1, other transports), HULL_E_IO. */
int hull_image_open(struct hull_ctx *ctx, const char *spec, const struct hull_image_opts *opts,
                    struct hull_image **out, struct hull_err **err);
void hull_image_free(struct hull_image *img);

const struct hull_image_meta *hull_image_meta(const struct hull_image *img);
size_t hull_image_layer_count(const struct hull_image *img);
const struct hull_layer_desc *hull_image_layer(const struct hull_image *img, size_t i);
/* History entries (created, created_by, empty_layer) in order; NULL past the end. */
const char *hull_image_history(const struct hull_image *img, size_t i, bool *empty_layer);
/* The raw config JSON bytes (verified), borrowed. */
const char *hull_image_config_raw(const struct hull_image *img, size_t *len);

/* Open layer i as its uncompressed tar byte stream. The stream verifies the blob digest
 * and the diff_id as it goes: the read that reaches the end fails with HULL_E_DIGEST on a
 * mismatch. Closing early verifies nothing, so callers (the walker) read to EOF.
 * After a full read, the layer's uncompressed_size is known. */
int hull_image_open_layer(struct hull_image *img, size_t i, struct hull_istream **out,
                          struct hull_err **err);

/* For dir: sources, the root directory to walk; NULL for layered images. */
const char *hull_image_rootfs(const struct hull_image *img);

/* Read every layer once to its end through decompression and both digest checks (what
 * `hull inspect` does to fill in uncompressed sizes). Errors as for hull_image_open_layer,
 * wrapped with the layer. A no-op for dir: sources. */
int hull_image_verify(struct hull_image *img, struct hull_err **err);

/* Notes for all of the above:
 * - Layer streams borrow the image: close them before hull_image_free.
 * - Errors of a layer read say which layer: "layer 2 sha256:ab..: <what went wrong>", layers
 *   counted from 1; a blob mismatch is "digest mismatch (got sha256:..)", a diff_id mismatch
 *   "diff_id sha256:..: digest mismatch (got sha256:..)", both HULL_E_DIGEST.
 * - For a docker-archive layer whose blob digest the archive does not state (classic layout),
 *   digest starts as the diff_id and media_type as the Docker tar type; both are replaced by
 *   what the bytes showed (compression, computed blob digest) once the layer was read. */

#ifdef __cplusplus
}
#endif
#endif
