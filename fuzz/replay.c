/* Replay driver: runs a libFuzzer target over every file of a corpus directory, so the
 * corpus (and every crash once found) is re-checked by gcc builds in `make test`.
 * Prints TAP: one test per corpus file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        printf("1..0 # SKIP no corpus at %s\n", argv[1]);
        return 0;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp);
    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", argv[1], names[i]) < 0)
            return 1;
        FILE *f = fopen(path, "rb");
        uint8_t *buf = NULL;
        size_t len = 0;
        if (f) {
            fseek(f, 0, SEEK_END);
            long sz = ftell(f);
            fseek(f, 0, SEEK_SET);
            buf = malloc(sz > 0 ? (size_t)sz : 1);
            len = fread(buf, 1, sz > 0 ? (size_t)sz : 0, f);
            fclose(f);
        }
        if (!f) {
            printf("not ok %zu - %s (unreadable)\n", i + 1, names[i]);
        } else {
            LLVMFuzzerTestOneInput(buf, len); /* a crash or sanitizer report fails the run */
            printf("ok %zu - %s\n", i + 1, names[i]);
        }
        free(buf);
        free(path);
        free(names[i]);
    }
    free(names);
    return 0;
}
