/* The walk of every shared image (../shared/images, when present) in every form it comes in
 * (OCI layout, docker-archive, gzipped docker-archive) gives the squashed_rootfs counts of
 * its .truth.json, and multilayer-whiteout follows the whiteout semantics of its README.
 * Without ../shared: one skip line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <sys/stat.h>
#include "core/common.h"
#include "hull/image.h"
#include "layer/walk.h"

static char images[512];

struct count {
    uint64_t files, bytes;
    size_t bz2;      /* paths naming libbz2 */
};

static int count_cb(void *ud, const struct hull_fs_entry *e)
{
    struct count *c = ud;
    if (e->type == HULL_FS_FILE) {
        c->files++;
        c->bytes += e->size;
    }
    if (strstr(e->path, "libbz2"))
        c->bz2++;
    return 0;
}

static json_t *truth(const char *name)
{
    char p[700];
    snprintf(p, sizeof(p), "%s/%s.truth.json", images, name);
    json_error_t je;
    json_t *t = json_load_file(p, 0, &je);
    if (!t)
        fail_msg("%s: %s", p, je.text);
    return t;
}

static void check_counts(const char *spec, json_t *t)
{
    json_t *sq = json_object_get(t, "squashed_rootfs");
    uint64_t want_files = (uint64_t)json_integer_value(json_object_get(sq, "regular_files"));
    uint64_t want_bytes = (uint64_t)json_integer_value(json_object_get(sq, "regular_file_bytes"));
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    if (hull_image_open(&ctx, spec, NULL, &img, &e) < 0)
        fail_msg("%s: %s", spec, e->msg);
    struct hull_fs *fs = NULL;
    if (hull_walk(&ctx, img, NULL, &fs, &e) < 0)
        fail_msg("walk %s: %s", spec, e->msg);
    struct count c = { 0 };
    assert_int_equal(hull_fs_foreach(fs, count_cb, &c), 0);
    print_message("# %s: %llu regular files, %llu bytes, %zu entries\n", spec,
                  (unsigned long long)c.files, (unsigned long long)c.bytes, hull_fs_count(fs));
    assert_int_equal(c.files, want_files);
    assert_int_equal(c.bytes, want_bytes);
    hull_fs_free(fs);
    hull_image_free(img);
}

static void test_counts(void **state)
{
    (void)state;
    static const char *const names[] = { "alpine-like", "debian-bookworm-point",
                                         "distroless-like", "distroless-like-zstd", "node-app",
                                         "multilayer-whiteout" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(names); i++) {
        json_t *t = truth(names[i]);
        char spec[800];
        snprintf(spec, sizeof(spec), "oci:%s/%s", images, json_string_value(json_object_get(
                                                              t, "oci_layout")));
        check_counts(spec, t);
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(t, "docker_archives"), k, d) {
            snprintf(spec, sizeof(spec), "docker-archive:%s/%s", images,
                     json_string_value(json_object_get(d, "path")));
            check_counts(spec, t);
        }
        json_decref(t);
    }
}

struct wcap {
    char *status, *app_conf;
    size_t n;
    char paths[16][128];
};

static bool ml_wants(void *ud, const char *path)
{
    (void)ud;
    return strcmp(path, "/var/lib/dpkg/status") == 0 ||
           strcmp(path, "/opt/app/config/app.conf") == 0 || strncmp(path, "/opt/app/", 9) == 0;
}

static int ml_on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    (void)err;
    struct wcap *w = ud;
    if (strcmp(f->path, "/var/lib/dpkg/status") == 0) {
        w->status = strndup((const char *)f->data, f->len);
        assert_int_equal(f->layer, 2); /* last rewritten by the libbz2 purge (third layer) */
        assert_true(strncmp(f->diff_id, "sha256:", 7) == 0);
    }
    if (strcmp(f->path, "/opt/app/config/app.conf") == 0)
        w->app_conf = strndup((const char *)f->data, f->len);
    if (w->n < 16)
        snprintf(w->paths[w->n++], sizeof(w->paths[0]), "%s", f->path);
    return 0;
}

static void check_whiteouts(const char *spec)
{
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    if (hull_image_open(&ctx, spec, NULL, &img, &e) < 0)
        fail_msg("%s: %s", spec, e->msg);
    struct wcap w = { 0 };
    struct hull_walk_opts o = { ml_wants, ml_on_file, &w };
    struct hull_fs *fs = NULL;
    if (hull_walk(&ctx, img, &o, &fs, &e) < 0)
        fail_msg("walk %s: %s", spec, e->msg);
    struct count c = { 0 };
    hull_fs_foreach(fs, count_cb, &c);
    assert_int_equal(c.bz2, 0); /* every libbz2-1.0 file is whited out */
    assert_null(hull_fs_lookup(fs, "/lib/x86_64-linux-gnu/libbz2.so.1.0", true));
    assert_null(hull_fs_lookup(fs, "/etc/motd", false));
    assert_null(hull_fs_lookup(fs, "/opt/app/cache/a.tmp", false));
    assert_null(hull_fs_lookup(fs, "/opt/app/cache/b.tmp", false));
    assert_non_null(hull_fs_lookup(fs, "/opt/app/cache/fresh.tmp", false));
    assert_null(hull_fs_lookup(fs, "/opt/app/config/db.conf", false));
    assert_null(hull_fs_lookup(fs, "/opt/app/config/legacy.conf", false));
    assert_non_null(hull_fs_lookup(fs, "/opt/app/config/new.conf", false));
    assert_non_null(hull_fs_lookup(fs, "/opt/app/bin/run.sh", false));
    assert_non_null(w.app_conf);
    assert_non_null(strstr(w.app_conf, "mode=modern"));
    /* /opt/app/cache holds only fresh.tmp; /opt/app/config only what layer 3 put there */
    size_t cache = 0, config = 0;
    for (size_t i = 0; i < w.n; i++) {
        cache += strncmp(w.paths[i], "/opt/app/cache/", 15) == 0;
        config += strncmp(w.paths[i], "/opt/app/config/", 16) == 0;
        assert_true(hull_fs_lookup(fs, w.paths[i], false)->layer >= 2 ||
                    strncmp(w.paths[i], "/opt/app/bin/", 13) == 0);
    }
    assert_int_equal(cache, 1);
    assert_int_equal(config, 2);
    assert_non_null(w.status);
    assert_null(strstr(w.status, "Package: libbz2-1.0"));
    assert_non_null(strstr(w.status, "Version: 5.4.1-1+deb12u2"));
    free(w.status);
    free(w.app_conf);
    hull_fs_free(fs);
    hull_image_free(img);
}

static void test_multilayer_whiteout(void **state)
{
    (void)state;
    char spec[700];
    snprintf(spec, sizeof(spec), "oci:%s/oci/multilayer-whiteout", images);
    check_whiteouts(spec);
    snprintf(spec, sizeof(spec), "docker-archive:%s/docker/multilayer-whiteout.tar", images);
    check_whiteouts(spec);
}

/* A layer blob changed on disk (a copy of alpine-like with one byte flipped in the middle
 * of its layer) fails the walk with HULL_E_DIGEST: the walker reads every layer to its end. */
static void test_tampered(void **state)
{
    (void)state;
    json_t *t = truth("alpine-like");
    const char *digest = json_string_value(
        json_object_get(json_array_get(json_object_get(t, "layers"), 0), "digest"));
    assert_non_null(digest);
    char tmp[] = "/tmp/hull-tamper.XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char cmd[1600];
    snprintf(cmd, sizeof(cmd), "cp -r %s/oci/alpine-like %s/img && chmod -R u+w %s", images, tmp,
             tmp);
    assert_int_equal(system(cmd), 0);
    char blob[900];
    snprintf(blob, sizeof(blob), "%s/img/blobs/sha256/%s", tmp, digest + 7);
    FILE *f = fopen(blob, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long mid = ftell(f) / 2;
    fseek(f, mid, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, mid, SEEK_SET);
    fputc(ch ^ 0x01, f);
    fclose(f);
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    char spec[900];
    snprintf(spec, sizeof(spec), "oci:%s/img", tmp);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    if (hull_image_open(&ctx, spec, NULL, &img, &e) < 0)
        fail_msg("%s: %s", spec, e->msg);
    struct hull_fs *fs = NULL;
    int rc = hull_walk(&ctx, img, NULL, &fs, &e);
    print_message("# tampered: %s\n", e ? e->msg : "(no error)");
    assert_true(rc == -HULL_E_DIGEST || rc == -HULL_E_PARSE); /* bad bytes or bad gzip */
    assert_null(fs);
    hull_err_free(e);
    hull_image_free(img);
    json_decref(t);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const char *shared = getenv("HULL_SHARED");
    snprintf(images, sizeof(images), "%s/images", shared ? shared : "../shared");
    struct stat st;
    if (stat(images, &st) < 0) {
        printf("1..0 # SKIP %s absent\n", images);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_multilayer_whiteout),
        cmocka_unit_test(test_tampered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
