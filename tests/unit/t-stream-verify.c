/* sha256-verifying filter, slices, fd ranges and the read helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>
#include "core/common.h"
#include "stream/stream.h"

static const char data[] = "hello layer bytes";
/* sha256 of "hello layer bytes" (17 bytes) */
static char good[HULL_DIGEST_STRLEN + 1];

static int eof_called;
static void on_eof(void *ud) { eof_called += ud == (void *)good; }

/* Read a stream to the end; returns the last rc, *n the bytes seen. */
static int drain(struct hull_istream *s, size_t chunk, size_t *n, struct hull_err **err)
{
    char buf[64];
    ssize_t got;
    *n = 0;
    while ((got = hull_istream_read(s, buf, chunk, err)) > 0)
        *n += (size_t)got;
    return (int)got;
}

static void test_verify_ok(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    int64_t size = -1;
    char dig[HULL_DIGEST_STRLEN + 1] = "";
    uint64_t total = 0;
    struct hull_verify_opts o = { .expect = good, .expect_size = 17, .size_out = &size,
                                  .digest_out = dig, .total = &total, .on_eof = on_eof,
                                  .ud = good };
    struct hull_istream *s = hull_stream_verify(hull_stream_mem(data, 17, &e), &o, &e);
    size_t n;
    eof_called = 0;
    assert_int_equal(drain(s, 5, &n, &e), 0);
    assert_int_equal(n, 17);
    assert_int_equal(size, 17);
    assert_string_equal(dig, good);
    assert_int_equal(total, 17);
    assert_int_equal(eof_called, 1);
    /* EOF again is still EOF */
    char b[4];
    assert_int_equal(hull_istream_read(s, b, 4, &e), 0);
    hull_istream_close(s);
}

static void test_verify_mismatch(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    struct hull_verify_opts o = { .expect = good, .expect_size = -1, .what = "diff_id X",
                                  .wrap = "layer 2 Y" };
    struct hull_istream *s = hull_stream_verify(hull_stream_mem("hello layer byteZ", 17, &e), &o,
                                                &e);
    size_t n;
    assert_int_equal(drain(s, 64, &n, &e), -HULL_E_DIGEST);
    assert_int_equal(n, 17); /* every byte was passed on, only EOF is refused */
    assert_int_equal(e->code, HULL_E_DIGEST);
    assert_true(strncmp(e->msg, "layer 2 Y: diff_id X: digest mismatch (got sha256:", 50) == 0);
    hull_err_clear(&e);
    /* a read after the failure fails again */
    char b[4];
    assert_true(hull_istream_read(s, b, 4, &e) < 0);
    hull_err_clear(&e);
    hull_istream_close(s);

    /* size: short and long */
    struct hull_verify_opts o2 = { .expect = NULL, .expect_size = 18 };
    s = hull_stream_verify(hull_stream_mem(data, 17, &e), &o2, &e);
    assert_int_equal(drain(s, 64, &n, &e), -HULL_E_PARSE);
    assert_non_null(strstr(e->msg, "size mismatch"));
    hull_err_clear(&e);
    hull_istream_close(s);
    o2.expect_size = 10;
    s = hull_stream_verify(hull_stream_mem(data, 17, &e), &o2, &e);
    assert_int_equal(drain(s, 4, &n, &e), -HULL_E_PARSE);
    hull_err_clear(&e);
    hull_istream_close(s);
}

static void test_verify_limits(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    size_t n;
    struct hull_verify_opts o = { .expect_size = -1, .max_bytes = 10 };
    struct hull_istream *s = hull_stream_verify(hull_stream_mem(data, 17, &e), &o, &e);
    assert_int_equal(drain(s, 4, &n, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_istream_close(s);
    uint64_t total = 10;
    struct hull_verify_opts o2 = { .expect_size = -1, .total = &total, .total_max = 20 };
    s = hull_stream_verify(hull_stream_mem(data, 17, &e), &o2, &e);
    assert_int_equal(drain(s, 4, &n, &e), -HULL_E_LIMIT);
    assert_non_null(strstr(e->msg, "image exceeds"));
    hull_err_clear(&e);
    hull_istream_close(s);
}

static void test_slice_and_fd(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    struct hull_istream *s = hull_stream_slice(hull_stream_mem(data, 17, &e), 6, 5, "m", &e);
    char *out;
    size_t len;
    assert_int_equal(hull_stream_read_all(s, 100, "m", &out, &len, &e), 0);
    assert_string_equal(out, "layer");
    free(out);
    hull_istream_close(s);
    s = hull_stream_slice(hull_stream_mem(data, 17, &e), 15, 5, "m", &e);
    assert_true(hull_stream_read_all(s, 100, "m", &out, &len, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    hull_istream_close(s);
    char five[6] = "";
    s = hull_stream_mem(data, 17, &e);
    assert_int_equal(hull_stream_read_full(s, five, 5, "m", &e), 0);
    assert_string_equal(five, "hello");
    char rest[20];
    assert_int_equal(hull_stream_read_full(s, rest, 20, "m", &e), -HULL_E_PARSE);
    hull_err_clear(&e);
    hull_istream_close(s);
    /* read_all over the limit */
    s = hull_stream_mem(data, 17, &e);
    assert_int_equal(hull_stream_read_all(s, 16, "doc", &out, &len, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    hull_istream_close(s);

    char path[] = "/tmp/hull-t-stream-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, 17), 17);
    s = hull_stream_fd_range(fd, 6, 5, "f", &e);
    assert_int_equal(hull_stream_read_all(s, 100, "f", &out, &len, &e), 0);
    assert_string_equal(out, "layer");
    free(out);
    hull_istream_close(s);
    s = hull_stream_fd_range(fd, 10, 50, "f", &e); /* runs past the end */
    assert_true(hull_stream_read_all(s, 100, "f", &out, &len, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    hull_istream_close(s);
    close(fd);
    s = hull_stream_file(path, &e);
    assert_int_equal(hull_stream_drain(s, &e), 17);
    hull_istream_close(s);
    unlink(path);
    assert_null(hull_stream_file(path, &e));
    assert_int_equal(e->code, HULL_E_NOTFOUND);
    hull_err_clear(&e);
}

int main(void)
{
    hull_sha256_digest(data, 17, good);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_ok),
        cmocka_unit_test(test_verify_mismatch),
        cmocka_unit_test(test_verify_limits),
        cmocka_unit_test(test_slice_and_fd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
