/* Library context: default limits and the logging hook. */
#include "core/common.h"

void hull_ctx_init(struct hull_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->limits = (struct hull_limits){
        .max_json_bytes = 64u << 20,
        .max_manifest_bytes = 4u << 20,
        .max_file_capture = 64u << 20,
        .max_capture_total = 512u << 20,
        .max_layer_bytes = 64ull << 30,
        .max_image_bytes = 256ull << 30,
        .max_entries = 10u * 1000 * 1000,
        .max_path = 4096,
        .max_link_hops = 40,
        .max_layers = 1000,
    };
    ctx->log_level = HULL_LOG_WARN;
}

void hull_log(const struct hull_ctx *ctx, enum hull_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log || level > ctx->log_level)
        return;
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    ctx->log(ctx->log_ud, level, msg);
    free(msg);
}
