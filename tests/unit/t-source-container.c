/* Outer archives and directories (lib/source/container.c): ustar, GNU long names, PAX paths,
 * member symlinks/hardlinks resolved inside the archive only, gzip-compressed archives
 * (cached small members and re-streamed large ones), corrupt and truncated tars. */
#include "core/common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "source/container.h"

struct tarw {
    uint8_t *p;
    size_t len, cap;
};

static void put(struct tarw *t, const void *d, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2;
        t->p = realloc(t->p, t->cap);
    }
    memcpy(t->p + t->len, d, n);
    t->len += n;
}

static void hdr(struct tarw *t, const char *name, char type, size_t size, const char *link)
{
    uint8_t h[512] = { 0 };
    snprintf((char *)h, 100, "%s", name);
    memcpy(h + 100, "0000644", 7);
    memcpy(h + 108, "0000000", 7);
    memcpy(h + 116, "0000000", 7);
    char num[32];
    snprintf(num, sizeof(num), "%011zo", size);
    memcpy(h + 124, num, 11);
    memcpy(h + 136, "00000000000", 11);
    h[156] = (uint8_t)type;
    if (link)
        snprintf((char *)h + 157, 100, "%s", link);
    memcpy(h + 257, "ustar\0" "00", 8);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    put(t, h, 512);
}

static void data(struct tarw *t, const void *d, size_t n)
{
    put(t, d, n);
    static const uint8_t z[512] = { 0 };
    if (n % 512)
        put(t, z, 512 - n % 512);
}

static void file(struct tarw *t, const char *name, const char *content)
{
    hdr(t, name, '0', strlen(content), NULL);
    data(t, content, strlen(content));
}

static void end(struct tarw *t)
{
    static const uint8_t z[1024] = { 0 };
    put(t, z, sizeof(z));
}

static char tmpdir[64];

static char *write_tmp(const char *name, const void *p, size_t n)
{
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
    return path;
}

static uint8_t *gzip_bytes(const uint8_t *p, size_t n, size_t *out)
{
    z_stream z = { 0 };
    deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, n) + 64;
    uint8_t *o = malloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = o;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out = cap - z.avail_out;
    deflateEnd(&z);
    return o;
}

static char long_name[300];
static char *big;
#define BIG_SIZE (3u << 20)

static struct tarw build(void)
{
    struct tarw t = { 0 };
    file(&t, "./manifest.json", "[1]");
    file(&t, "a/b.json", "{\"b\":1}");
    hdr(&t, "id1/layer.tar", '2', 0, "../a/b.json");
    hdr(&t, "hard", '1', 0, "a/b.json");
    hdr(&t, "esc", '2', 0, "../../etc/passwd");
    hdr(&t, "abs", '2', 0, "/etc/passwd");
    hdr(&t, "loop1", '2', 0, "loop2");
    hdr(&t, "loop2", '2', 0, "loop1");
    hdr(&t, "adir", '5', 0, NULL);
    file(&t, "../evil", "x");
    /* PAX path */
    char rec[400];
    int rl = (int)strlen(long_name) + 7; /* " path=" + "\n" */
    int digits = rl + 3 >= 100 ? 3 : 2;
    snprintf(rec, sizeof(rec), "%d path=%s\n", rl + digits, long_name);
    hdr(&t, "PaxHeader", 'x', strlen(rec), NULL);
    data(&t, rec, strlen(rec));
    file(&t, "ignored-short-name", "pax");
    /* GNU long name */
    char gnu[260];
    snprintf(gnu, sizeof(gnu), "gnu/%0250d", 7);
    hdr(&t, "././@LongLink", 'L', strlen(gnu) + 1, NULL);
    data(&t, gnu, strlen(gnu) + 1);
    file(&t, "trunc-name", "gnu");
    hdr(&t, "big", '0', BIG_SIZE, NULL);
    data(&t, big, BIG_SIZE);
    file(&t, "a/b.json", "{\"b\":2}"); /* a later member of the same name wins */
    end(&t);
    return t;
}

static void check(struct hull_container *c)
{
    struct hull_err *e = NULL;
    char *out;
    size_t len;
    assert_int_equal(hull_container_read(c, "manifest.json", 100, &out, &len, &e), 0);
    assert_string_equal(out, "[1]");
    free(out);
    assert_int_equal(hull_container_read(c, "id1/layer.tar", 100, &out, &len, &e), 0);
    assert_string_equal(out, "{\"b\":2}");
    free(out);
    assert_int_equal(hull_container_read(c, "hard", 100, &out, &len, &e), 0);
    assert_string_equal(out, "{\"b\":2}");
    free(out);
    assert_int_equal(hull_container_read(c, long_name, 100, &out, &len, &e), 0);
    assert_string_equal(out, "pax");
    free(out);
    char gnu[260];
    snprintf(gnu, sizeof(gnu), "gnu/%0250d", 7);
    assert_int_equal(hull_container_read(c, gnu, 100, &out, &len, &e), 0);
    assert_string_equal(out, "gnu");
    free(out);
    assert_int_equal(hull_container_read(c, "big", BIG_SIZE, &out, &len, &e), 0);
    assert_int_equal(len, BIG_SIZE);
    assert_memory_equal(out, big, BIG_SIZE);
    free(out);
    assert_int_equal(hull_container_read(c, "big", 1000, &out, &len, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    assert_true(hull_container_has(c, "a/b.json"));
    assert_false(hull_container_has(c, "nope"));
    assert_false(hull_container_has(c, "adir"));
    static const struct {
        const char *name;
        int code;
    } bad[] = {
        { "esc", HULL_E_UNSAFE },       { "abs", HULL_E_UNSAFE },
        { "loop1", HULL_E_UNSAFE },     { "adir", HULL_E_PARSE },
        { "../evil", HULL_E_UNSAFE },   { "evil", HULL_E_NOTFOUND },
        { "nope", HULL_E_NOTFOUND },    { "", HULL_E_NOTFOUND },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        assert_true(hull_container_read(c, bad[i].name, 100, &out, &len, &e) < 0);
        assert_int_equal(e->code, bad[i].code);
        hull_err_clear(&e);
    }
}

static void test_plain_and_gzip(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct tarw t = build();
    char *plain = write_tmp("a.tar", t.p, t.len);
    struct hull_container *c = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(hull_container_open(&ctx, plain, &c, &e), 0);
    assert_false(hull_container_is_dir(c));
    assert_int_equal(hull_container_compression(c), 0);
    check(c);
    hull_container_free(c);

    size_t glen;
    uint8_t *g = gzip_bytes(t.p, t.len, &glen);
    char *gz = write_tmp("a.tar.gz", g, glen);
    assert_int_equal(hull_container_open(&ctx, gz, &c, &e), 0);
    assert_int_not_equal(hull_container_compression(c), 0);
    check(c);
    hull_container_free(c);

    /* truncated gzip: noticed when the archive is indexed */
    char *cut = write_tmp("cut.tar.gz", g, glen - 20);
    assert_true(hull_container_open(&ctx, cut, &c, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    /* truncated plain tar: a member runs past the end */
    char *cutp = write_tmp("cut.tar", t.p, t.len / 2);
    assert_true(hull_container_open(&ctx, cutp, &c, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    /* bad checksum */
    t.p[148] ^= 1;
    char *bad = write_tmp("bad.tar", t.p, t.len);
    assert_true(hull_container_open(&ctx, bad, &c, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_non_null(strstr(e->msg, "checksum"));
    hull_err_clear(&e);
    assert_true(hull_container_open(&ctx, "/nonexistent/x.tar", &c, &e) < 0);
    assert_int_equal(e->code, HULL_E_NOTFOUND);
    hull_err_clear(&e);
    free(g);
    free(t.p);
    free(plain), free(gz), free(cut), free(cutp), free(bad);
}

static void test_dir(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    char *sub = NULL;
    assert_true(asprintf(&sub, "%s/d", tmpdir) > 0);
    mkdir(sub, 0755);
    free(write_tmp("d/f.json", "{}", 2));
    struct hull_container *c = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(hull_container_open(&ctx, sub, &c, &e), 0);
    assert_true(hull_container_is_dir(c));
    char *out;
    size_t len;
    assert_int_equal(hull_container_read(c, "f.json", 10, &out, &len, &e), 0);
    assert_string_equal(out, "{}");
    free(out);
    assert_int_equal(hull_container_read(c, "../d/f.json", 10, &out, &len, &e), -HULL_E_UNSAFE);
    hull_err_clear(&e);
    assert_int_equal(hull_container_read(c, "missing", 10, &out, &len, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    hull_container_free(c);
    free(sub);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-t-container-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    memset(long_name, 'n', 150);
    memcpy(long_name, "pax/", 4);
    big = malloc(BIG_SIZE);
    for (size_t i = 0; i < BIG_SIZE; i++)
        big[i] = (char)(i * 7 + i / 1000);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = NULL;
    if (asprintf(&cmd, "rm -rf '%s'", tmpdir) > 0 && system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    free(cmd);
    free(big);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_gzip),
        cmocka_unit_test(test_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
