/* Error values: set, wrap, first error wins, control characters folded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "core/buf.h"
#include "core/digest.h"

static void test_set_wrap(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    assert_int_equal(hull_err_set(&e, HULL_E_PARSE, "bad %s", "thing"), -HULL_E_PARSE);
    assert_string_equal(e->msg, "bad thing");
    assert_int_equal(hull_err_wrap(&e, "layer %d", 2), -HULL_E_PARSE);
    assert_string_equal(e->msg, "layer 2: bad thing");
    /* a second set keeps the first error */
    hull_err_set(&e, HULL_E_IO, "other");
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    assert_null(e);
    hull_err_set(&e, HULL_E_PARSE, "a\nb\x1b");
    assert_string_equal(e->msg, "a b ");
    hull_err_free(e);
    assert_int_equal(hull_err_set(NULL, HULL_E_IO, "dropped"), -HULL_E_IO);
}

static void test_sys(void **state)
{
    (void)state;
    struct hull_err *e = NULL;
    hull_err_sys(&e, HULL_E_IO, ENOENT, "open %s", "x");
    assert_string_equal(e->msg, "open x: No such file or directory");
    assert_int_equal(e->sys_errno, ENOENT);
    hull_err_free(e);
}

static void test_buf_limit(void **state)
{
    (void)state;
    struct hull_buf b = HULL_BUF_INIT(8);
    struct hull_err *e = NULL;
    assert_int_equal(hull_buf_appends(&b, "12345678", &e), 0);
    assert_true(hull_buf_appends(&b, "9", &e) < 0);
    assert_int_equal(e->code, HULL_E_LIMIT);
    hull_err_free(e);
    size_t n;
    char *p = hull_buf_detach(&b, &n);
    assert_int_equal(n, 8);
    assert_string_equal(p, "12345678");
    free(p);
}

static void test_digest(void **state)
{
    (void)state;
    char d[HULL_DIGEST_STRLEN + 1];
    hull_sha256_digest("abc", 3, d);
    assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_true(hull_digest_valid(d));
    assert_false(hull_digest_valid("sha256:BA78"));
    struct hull_sha256 *h = hull_sha256_new();
    hull_sha256_update(h, "a", 1);
    hull_sha256_update(h, "bc", 2);
    char d2[HULL_DIGEST_STRLEN + 1];
    hull_sha256_final(h, d2);
    assert_string_equal(d, d2);
    hull_sha256_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_wrap),
        cmocka_unit_test(test_sys),
        cmocka_unit_test(test_buf_limit),
        cmocka_unit_test(test_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
