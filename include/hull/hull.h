/* hull: container-image security library. Umbrella header: version, context, limits. */
#ifndef HULL_HULL_H
#define HULL_HULL_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "hull/err.h"
#ifdef __cplusplus
extern "C" {
#endif

#define HULL_VERSION "0.1.0"

/* Every cap on untrusted input lives here, so one struct documents them all. */
struct hull_limits {
    size_t max_json_bytes;          /* manifest/config/index/lockfile JSON document */
    size_t max_manifest_bytes;      /* registry manifests (4 MiB) */
    size_t max_file_capture;        /* bytes of one file kept for an analyzer */
    size_t max_capture_total;       /* bytes of all captured files at once */
    uint64_t max_layer_bytes;       /* uncompressed bytes of one layer */
    uint64_t max_image_bytes;       /* uncompressed bytes of all layers */
    size_t max_entries;             /* tar entries of one image */
    size_t max_path;                /* bytes of one path */
    unsigned max_link_hops;         /* symlink resolution depth */
    unsigned max_layers;            /* layers in one image */
};

enum hull_log_level { HULL_LOG_ERROR, HULL_LOG_WARN, HULL_LOG_INFO, HULL_LOG_DEBUG };

typedef void (*hull_log_fn)(void *ud, enum hull_log_level level, const char *msg);

/* Shared, read-mostly state of one library user. Embed it; init with hull_ctx_init. */
struct hull_ctx {
    struct hull_limits limits;
    hull_log_fn log;   /* NULL: messages are dropped. The library never prints. */
    void *log_ud;
    enum hull_log_level log_level; /* messages above this level are dropped */
    /* Progress callback (e.g. bytes of a layer done); NULL: none. */
    void (*progress)(void *ud, const char *what, uint64_t done, uint64_t total);
    void *progress_ud;
};

/* Fill ctx with default limits, no logger. */
void hull_ctx_init(struct hull_ctx *ctx);
/* Send one message to the ctx logger (no-op when none). */
void hull_log(const struct hull_ctx *ctx, enum hull_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
