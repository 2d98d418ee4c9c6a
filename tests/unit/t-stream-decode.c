/* Decompression filter: gzip (multi-member, padding, garbage, truncation, CRC), zstd
 * (multi-frame, truncation), identity, output caps (decompression bombs), tiny reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>
#include "core/common.h"
#include "stream/stream.h"

static uint8_t *gz(const void *p, size_t n, size_t *out_len)
{
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, n) + 64;
    uint8_t *o = malloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = o;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return o;
}

static uint8_t *zst(const void *p, size_t n, size_t *out_len)
{
    size_t cap = ZSTD_compressBound(n);
    uint8_t *o = malloc(cap);
    *out_len = ZSTD_compress(o, cap, p, n, 3);
    assert_false(ZSTD_isError(*out_len));
    return o;
}

static uint8_t *cat(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    uint8_t *o = malloc(an + bn + 1);
    memcpy(o, a, an);
    memcpy(o + an, b, bn);
    return o;
}

/* Decode in[0..n) reading `chunk` bytes at a time; returns the rc of the last read and the
 * output (caller frees). */
static int decode(const void *in, size_t n, uint64_t max, size_t chunk, char **out, size_t *olen,
                  enum hull_compression *comp, struct hull_err **err)
{
    struct hull_istream *s = hull_stream_mem(in, n, err);
    assert_non_null(s);
    s = hull_stream_decode(s, max, comp, err);
    assert_non_null(s);
    size_t cap = 1 << 16, len = 0;
    char *o = malloc(cap);
    ssize_t got;
    for (;;) {
        if (len + chunk > cap)
            o = realloc(o, cap = (cap + chunk) * 2);
        got = hull_istream_read(s, o + len, chunk, err);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    hull_istream_close(s);
    *out = o;
    *olen = len;
    return (int)got;
}

static char *pattern(size_t n)
{
    char *p = malloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)("tar data "[i % 9] + (i / 4096) % 7);
    return p;
}

static void test_gzip_members(void **state)
{
    (void)state;
    size_t n1 = 300000, n2 = 70000, g1, g2, olen;
    char *a = pattern(n1), *b = pattern(n2);
    uint8_t *ga = gz(a, n1, &g1), *gb = gz(b, n2, &g2);
    uint8_t *both = cat(ga, g1, gb, g2);
    char *out;
    struct hull_err *e = NULL;
    enum hull_compression c = HULL_COMP_NONE;
    assert_int_equal(decode(both, g1 + g2, 0, 65536, &out, &olen, &c, &e), 0);
    assert_int_equal(c, HULL_COMP_GZIP);
    assert_int_equal(olen, n1 + n2);
    assert_memory_equal(out, a, n1);
    assert_memory_equal(out + n1, b, n2);
    free(out);
    /* one byte at a time */
    assert_int_equal(decode(ga, g1, 0, 1, &out, &olen, NULL, &e), 0);
    assert_int_equal(olen, n1);
    free(out);
    /* zero padding after the last member (a gzip in a tar block) is fine */
    uint8_t zeros[700] = { 0 };
    uint8_t *pad = cat(ga, g1, zeros, sizeof(zeros));
    assert_int_equal(decode(pad, g1 + sizeof(zeros), 0, 65536, &out, &olen, NULL, &e), 0);
    assert_int_equal(olen, n1);
    free(out);
    /* garbage after the last member is not */
    uint8_t junk[3] = { 'x', 'y', 'z' };
    uint8_t *gar = cat(ga, g1, junk, sizeof(junk));
    assert_true(decode(gar, g1 + 3, 0, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_non_null(strstr(e->msg, "trailing garbage"));
    hull_err_clear(&e);
    free(out);
    free(a), free(b), free(ga), free(gb), free(both), free(pad), free(gar);
}

static void test_gzip_corrupt(void **state)
{
    (void)state;
    size_t n = 200000, g, olen;
    char *a = pattern(n), *out;
    uint8_t *ga = gz(a, n, &g);
    struct hull_err *e = NULL;
    /* truncated */
    assert_true(decode(ga, g / 2, 0, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_non_null(strstr(e->msg, "truncated"));
    hull_err_clear(&e);
    free(out);
    /* CRC trailer damaged */
    ga[g - 6] ^= 0x55;
    assert_true(decode(ga, g, 0, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    free(out);
    /* header only */
    assert_true(decode(ga, 10, 0, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    free(out);
    free(a);
    free(ga);
}

static void test_zstd(void **state)
{
    (void)state;
    size_t n1 = 500000, n2 = 1000, z1, z2, olen;
    char *a = pattern(n1), *b = pattern(n2), *out;
    uint8_t *za = zst(a, n1, &z1), *zb = zst(b, n2, &z2), *both = cat(za, z1, zb, z2);
    struct hull_err *e = NULL;
    enum hull_compression c = HULL_COMP_NONE;
    assert_int_equal(decode(both, z1 + z2, 0, 100000, &out, &olen, &c, &e), 0);
    assert_int_equal(c, HULL_COMP_ZSTD);
    assert_int_equal(olen, n1 + n2);
    assert_memory_equal(out + n1, b, n2);
    free(out);
    assert_true(decode(za, z1 - 5, 0, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_non_null(strstr(e->msg, "zstd"));
    hull_err_clear(&e);
    free(out);
    free(a), free(b), free(za), free(zb), free(both);
}

static void test_identity(void **state)
{
    (void)state;
    char *out;
    size_t olen;
    struct hull_err *e = NULL;
    enum hull_compression c = HULL_COMP_GZIP;
    assert_int_equal(decode("ab", 2, 0, 1, &out, &olen, &c, &e), 0);
    assert_int_equal(c, HULL_COMP_NONE);
    assert_int_equal(olen, 2);
    assert_memory_equal(out, "ab", 2);
    free(out);
    assert_int_equal(decode("", 0, 0, 16, &out, &olen, NULL, &e), 0);
    assert_int_equal(olen, 0);
    free(out);
    char *big = pattern(600000);
    assert_int_equal(decode(big, 600000, 0, 4096, &out, &olen, NULL, &e), 0);
    assert_int_equal(olen, 600000);
    assert_memory_equal(out, big, 600000);
    free(out);
    free(big);
}

static void test_bomb(void **state)
{
    (void)state;
    size_t n = 16u << 20, g, zl, olen;
    char *zeros = calloc(1, n), *out;
    uint8_t *gzb = gz(zeros, n, &g), *zsb = zst(zeros, n, &zl);
    assert_true(g < n / 100);
    struct hull_err *e = NULL;
    assert_true(decode(gzb, g, 1u << 20, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_LIMIT);
    assert_true(olen <= (1u << 20));
    hull_err_clear(&e);
    free(out);
    assert_true(decode(zsb, zl, 1u << 20, 65536, &out, &olen, NULL, &e) < 0);
    assert_int_equal(e->code, HULL_E_LIMIT);
    hull_err_clear(&e);
    free(out);
    free(zeros), free(gzb), free(zsb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gzip_members), cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_zstd),         cmocka_unit_test(test_identity),
        cmocka_unit_test(test_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
