/* Parsers for the image JSON documents, from bytes (no I/O): Docker schema2 manifest and
 * manifest list, OCI manifest and index, image config, and `docker save`'s manifest.json.
 * Every digest they return has been checked to be "sha256:<64 lowercase hex>", so a digest
 * can safely become a blob path. Strings are borrowed from the parsed JSON, which each
 * struct keeps a reference to until its _release. */
#ifndef HULL_SOURCE_OCIJSON_H
#define HULL_SOURCE_OCIJSON_H
#include "core/common.h"
#include <jansson.h>

#define HULL_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define HULL_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define HULL_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define HULL_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define HULL_MT_DOCKER_LAYER_TAR "application/vnd.docker.image.rootfs.diff.tar"

struct hull_descriptor {
    const char *media_type; /* may be NULL in an index entry */
    const char *digest;     /* valid sha256 digest */
    int64_t size;
    const char *ref_name;   /* annotations["org.opencontainers.image.ref.name"] or NULL */
    const char *os, *arch, *variant; /* platform or NULL */
};

struct hull_manifest {
    json_t *json;
    const char *media_type; /* docker or OCI manifest type (inferred when absent) */
    struct hull_descriptor config;
    struct hull_descriptor *layers;
    size_t n_layers;
};

struct hull_index {
    json_t *json;
    const char *media_type;
    struct hull_descriptor *manifests;
    size_t n;
};

struct hull_config {
    json_t *json;
    const char *os, *architecture, *variant, *created;
    const char *user, *workdir;
    const char **env, **entrypoint, **cmd, **exposed_ports; /* NULL-terminated (never NULL) */
    const char **label_keys, **label_values;                /* sorted by key */
    bool has_entrypoint, has_cmd;
    const char **diff_ids; /* n_diff_ids valid digests */
    size_t n_diff_ids;
    struct hull_history {
        const char *created, *created_by;
        bool empty_layer;
    } *history;
    size_t n_history;
};

/* Kinds of layer media type. */
enum hull_layer_kind { HULL_LAYER_TAR, HULL_LAYER_GZIP, HULL_LAYER_ZSTD };

/* Classify a layer media type: 0 with *kind set, HULL_E_UNSUPPORTED for foreign /
 * non-distributable layers and unknown types. */
int hull_layer_media_type(const char *mt, enum hull_layer_kind *kind, struct hull_err **err);

/* True when mt names an index (OCI index or Docker manifest list). */
bool hull_media_type_is_index(const char *mt);

/* Parse a manifest (Docker schema2 or OCI). max_layers caps the layer count (HULL_E_LIMIT).
 * Errors: HULL_E_PARSE, HULL_E_LIMIT (len > max), HULL_E_UNSUPPORTED (schema 1, an index,
 * foreign layers). On success release with hull_manifest_release. */
int hull_manifest_parse(const void *p, size_t len, size_t max, unsigned max_layers,
                        struct hull_manifest *out, struct hull_err **err);
void hull_manifest_release(struct hull_manifest *m);

/* Parse an OCI index / Docker manifest list (also OCI index.json). */
int hull_index_parse(const void *p, size_t len, size_t max, struct hull_index *out,
                     struct hull_err **err);
void hull_index_release(struct hull_index *ix);

/* Which kind of document is this? Returns 1 for an index, 0 for a manifest, <0 on a parse
 * error. Uses mediaType, falling back to the presence of "manifests" / "layers". */
int hull_manifest_kind(const void *p, size_t len, size_t max, struct hull_err **err);

/* Pick one entry of ix. ref (may be NULL) must equal an entry's ref name; platform
 * "os/arch[/variant]" (NULL: the host's, then the only entry) must match its platform
 * (arm64 without variant matches v8). Entries with os "unknown" (attestations) are ignored.
 * Errors: HULL_E_NOTFOUND (nothing matches, listing what exists), HULL_E_USAGE (several
 * match and no ref / platform decides), HULL_E_USAGE (malformed platform string). */
int hull_index_select(const struct hull_index *ix, const char *ref, const char *platform,
                      size_t *which, struct hull_err **err);

/* The platform hull runs on, "linux/amd64" style. */
const char *hull_host_platform(void);

/* Parse an image config. Errors: HULL_E_PARSE, HULL_E_LIMIT. */
int hull_config_parse(const void *p, size_t len, size_t max, struct hull_config *out,
                      struct hull_err **err);
void hull_config_release(struct hull_config *c);

/* `docker save` manifest.json: an array of {Config, RepoTags, Layers}. */
struct hull_docker_manifest {
    json_t *json;
    struct hull_docker_image {
        const char *config;       /* archive path of the config */
        const char **repo_tags;   /* NULL-terminated */
        const char **layers;      /* archive paths */
        size_t n_layers;
    } *images;
    size_t n;
};
int hull_docker_manifest_parse(const void *p, size_t len, size_t max, unsigned max_layers,
                               struct hull_docker_manifest *out, struct hull_err **err);
void hull_docker_manifest_release(struct hull_docker_manifest *m);
/* Index of the image of m whose RepoTags match ref ("app:1.0", "docker.io/library/app",
 * "@N" for the N-th image); ref NULL: the only image. Errors: HULL_E_NOTFOUND, HULL_E_USAGE. */
int hull_docker_manifest_select(const struct hull_docker_manifest *m, const char *ref,
                                size_t *which, struct hull_err **err);
#endif
