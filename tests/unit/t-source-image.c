/* hull_image_* end to end on fixtures from tests/tools/mkimage.py: metadata, layer streams
 * (read, re-open, early close), and every cap of struct hull_limits the sources enforce. */
#include "core/common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>
#include "core/istream.h"
#include "hull/image.h"

static char tmpdir[64];
static char oci[128], da_gz[128];

static void mk(const char *out, const char *args)
{
    char *cmd = NULL;
    assert_true(asprintf(&cmd, "python3 tests/tools/mkimage.py - %s %s", out, args) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static int64_t drain(struct hull_istream *s, struct hull_err **err)
{
    char buf[4096];
    int64_t n = 0;
    ssize_t got;
    while ((got = hull_istream_read(s, buf, sizeof(buf), err)) > 0)
        n += got;
    return got < 0 ? got : n;
}

static void test_meta_and_layers(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    char spec[160];
    snprintf(spec, sizeof(spec), "oci:%s", oci);
    assert_int_equal(hull_image_open(&ctx, spec, NULL, &img, &e), 0);
    const struct hull_image_meta *m = hull_image_meta(img);
    assert_string_equal(m->transport, "oci");
    assert_string_equal(m->name, "latest");
    assert_string_equal(m->os, "linux");
    assert_string_equal(m->user, "1000");
    assert_string_equal(m->exposed_ports[0], "8080/tcp");
    assert_string_equal(m->label_keys[0], "org.example");
    assert_int_equal(m->n_history, 3);
    assert_null(hull_image_rootfs(img));
    assert_int_equal(hull_image_layer_count(img), 2);
    bool empty = false;
    assert_string_equal(hull_image_history(img, 1, &empty), "ENV A=b");
    assert_true(empty);
    assert_null(hull_image_history(img, 3, &empty));
    size_t clen;
    assert_non_null(hull_image_config_raw(img, &clen));
    assert_int_equal(clen, m->config_size);
    const struct hull_layer_desc *l = hull_image_layer(img, 1);
    assert_string_equal(l->created_by, "RUN rm /etc/motd");
    assert_int_equal(l->uncompressed_size, -1);
    assert_null(hull_image_layer(img, 2));

    struct hull_istream *s;
    assert_int_equal(hull_image_open_layer(img, 1, &s, &e), 0);
    assert_int_equal(drain(s, &e), 10240);
    hull_istream_close(s);
    assert_int_equal(l->uncompressed_size, 10240);
    /* again, and an early close */
    assert_int_equal(hull_image_open_layer(img, 1, &s, &e), 0);
    assert_int_equal(drain(s, &e), 10240);
    hull_istream_close(s);
    assert_int_equal(hull_image_open_layer(img, 0, &s, &e), 0);
    hull_istream_close(s);
    assert_int_equal(hull_image_open_layer(img, 2, &s, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    assert_int_equal(hull_image_verify(img, &e), 0);
    hull_image_free(img);
}

static void test_docker_gzip_layers(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(hull_image_open(&ctx, da_gz, NULL, &img, &e), 0);
    const struct hull_layer_desc *l = hull_image_layer(img, 0);
    assert_string_equal(l->digest, l->diff_id); /* not known before the read */
    assert_int_equal(hull_image_verify(img, &e), 0);
    assert_string_not_equal(l->digest, l->diff_id);
    assert_non_null(strstr(l->media_type, "gzip"));
    assert_null(hull_image_meta(img)->manifest_digest);
    hull_image_free(img);
}

static int open_verify(struct hull_ctx *ctx, const char *spec, struct hull_err **e)
{
    struct hull_image *img = NULL;
    int rc = hull_image_open(ctx, spec, NULL, &img, e);
    if (rc == 0)
        rc = hull_image_verify(img, e);
    hull_image_free(img);
    return rc;
}

static void test_limits(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    struct hull_err *e = NULL;
    hull_ctx_init(&ctx);
    ctx.limits.max_layer_bytes = 5000; /* each layer is 10240 bytes of tar */
    assert_int_equal(open_verify(&ctx, oci, &e), -HULL_E_LIMIT);
    assert_non_null(strstr(e->msg, "layer 1 sha256:"));
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_image_bytes = 15000;
    assert_int_equal(open_verify(&ctx, oci, &e), -HULL_E_LIMIT);
    assert_non_null(strstr(e->msg, "layer 2 "));
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_json_bytes = 100;
    assert_int_equal(open_verify(&ctx, oci, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_manifest_bytes = 100;
    assert_int_equal(open_verify(&ctx, oci, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_layers = 1;
    assert_int_equal(open_verify(&ctx, oci, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_layers = 1;
    assert_int_equal(open_verify(&ctx, da_gz, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_ctx_init(&ctx);
    ctx.limits.max_image_bytes = 1000; /* the decompressed outer archive is bigger */
    assert_int_equal(open_verify(&ctx, da_gz, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
}

static void test_specs(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_image *img = NULL;
    struct hull_err *e = NULL;
    char spec[200];
    snprintf(spec, sizeof(spec), "dir:%s", tmpdir);
    assert_int_equal(hull_image_open(&ctx, spec, NULL, &img, &e), 0);
    assert_non_null(hull_image_rootfs(img));
    assert_int_equal(hull_image_layer_count(img), 0);
    assert_null(hull_image_meta(img)->os);
    assert_int_equal(hull_image_verify(img, &e), 0);
    hull_image_free(img);
    snprintf(spec, sizeof(spec), "oci:%s", da_gz);
    assert_true(hull_image_open(&ctx, spec, NULL, &img, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    snprintf(spec, sizeof(spec), "docker-archive:%s", oci); /* no manifest.json there */
    assert_int_equal(hull_image_open(&ctx, spec, NULL, &img, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    assert_int_equal(hull_image_open(&ctx, "", NULL, &img, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    assert_int_equal(hull_image_open(&ctx, "containers-storage:x", NULL, &img, &e),
                     -HULL_E_UNSUPPORTED);
    hull_err_clear(&e);
    struct hull_image_opts o = { .platform = "linux/arm64" };
    assert_int_equal(hull_image_open(&ctx, oci, &o, &img, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
}

static int setup(void **state)
{
    (void)state;
    if (access("tests/tools/mkimage.py", R_OK) != 0)
        return -1;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-t-image-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(oci, sizeof(oci), "%s/oci", tmpdir);
    snprintf(da_gz, sizeof(da_gz), "%s/da.tar", tmpdir);
    mk(oci, "--form oci --platforms linux/amd64");
    mk(da_gz, "--form docker-archive --compression gzip");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = NULL;
    if (asprintf(&cmd, "rm -rf '%s'", tmpdir) > 0 && system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    free(cmd);
    return 0;
}

int main(void)
{
    if (access("tests/tools/mkimage.py", R_OK) != 0 || system("python3 -c 1") != 0) {
        printf("1..0 # SKIP needs python3 and tests/tools/mkimage.py (run from the repo top)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_and_layers),
        cmocka_unit_test(test_docker_gzip_layers),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_specs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
