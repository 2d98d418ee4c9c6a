/* libFuzzer target: the outer-archive reader (tar headers, GNU long names, PAX records,
 * member links, gzip/zstd-compressed archives) through a memfd, then every lookup. */
#include "core/common.h"
#include <sys/mman.h>
#include <unistd.h>
#include "source/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-outertar", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    ctx.limits.max_image_bytes = 16u << 20;
    struct hull_container *c = NULL;
    struct hull_err *err = NULL;
    if (hull_container_open(&ctx, path, &c, &err) == 0) {
        static const char *const names[] = { "manifest.json", "index.json", "oci-layout",
                                             "a/layer.tar", "x", "../x" };
        for (size_t i = 0; i < HULL_ARRAY_LEN(names); i++) {
            char *out = NULL;
            size_t len;
            if (hull_container_read(c, names[i], 1u << 20, &out, &len, &err) < 0)
                hull_err_clear(&err);
            free(out);
        }
        hull_container_free(c);
    }
    hull_err_clear(&err);
    close(fd);
    return 0;
}
