/* Bench driver for bench/walk.sh: open an image and walk every layer into the index, then
 * print what was walked. With --drain, only read each verified layer stream to its end (no
 * tar walk), to show what the walk itself adds. Timing and RSS are measured from outside
 * (/usr/bin/time), against zcat / zstd -dc of the same blobs. */
#include <stdio.h>
#include <string.h>
#include "core/common.h"
#include "core/istream.h"
#include "hull/image.h"
#include "layer/walk.h"

struct tally {
    unsigned long long files, bytes;
};

static int count(void *ud, const struct hull_fs_entry *e)
{
    struct tally *t = ud;
    if (e->type == HULL_FS_FILE) {
        t->files++;
        t->bytes += e->size;
    }
    return 0;
}

static int drain(struct hull_image *img, struct hull_err **err)
{
    static char buf[256 * 1024];
    unsigned long long total = 0;
    for (size_t i = 0; i < hull_image_layer_count(img); i++) {
        struct hull_istream *s = NULL;
        if (hull_image_open_layer(img, i, &s, err) < 0)
            return -1;
        ssize_t r;
        while ((r = hull_istream_read(s, buf, sizeof(buf), err)) > 0)
            total += (unsigned long long)r;
        hull_istream_close(s);
        if (r < 0)
            return -1;
    }
    printf("%llu uncompressed bytes\n", total);
    return 0;
}

int main(int argc, char **argv)
{
    bool only_drain = argc == 3 && strcmp(argv[1], "--drain") == 0;
    if (argc != 2 && !only_drain) {
        fprintf(stderr, "usage: walk-bench [--drain] IMAGE\n");
        return 2;
    }
    const char *spec = argv[argc - 1];
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *err = NULL;
    struct hull_fs *fs = NULL;
    if (hull_image_open(&ctx, spec, NULL, &img, &err) < 0 ||
        (only_drain ? drain(img, &err) : hull_walk(&ctx, img, NULL, &fs, &err)) < 0) {
        fprintf(stderr, "walk-bench: %s\n", err->msg);
        hull_err_free(err);
        hull_image_free(img);
        return 3;
    }
    if (only_drain) {
        hull_image_free(img);
        return 0;
    }
    struct tally t = { 0, 0 };
    hull_fs_foreach(fs, count, &t);
    printf("%zu entries, %llu regular files, %llu bytes\n", hull_fs_count(fs), t.files, t.bytes);
    hull_fs_free(fs);
    hull_image_free(img);
    return 0;
}
