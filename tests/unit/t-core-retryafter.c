/* Retry-After values: delay-seconds and the three HTTP-date forms of RFC 9110, against a fixed
 * clock; anything else is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "core/retryafter.h"

/* Wed, 21 Oct 2015 07:28:00 GMT */
#define T0 ((time_t)1445412480)

static void test_seconds(void **state)
{
    (void)state;
    assert_int_equal(hull_retry_after("120", T0), 120);
    assert_int_equal(hull_retry_after(" 5 \r\n", T0), 5);
    assert_int_equal(hull_retry_after("0", T0), 0);
}

static void test_dates(void **state)
{
    (void)state;
    /* IMF-fixdate, RFC 850, asctime: 30 s after the clock */
    assert_int_equal(hull_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", T0), 30);
    assert_int_equal(hull_retry_after("Wednesday, 21-Oct-15 07:28:30 GMT", T0), 30);
    assert_int_equal(hull_retry_after("Wed Oct 21 07:28:30 2015", T0), 30);
    /* a date that has passed: no wait */
    assert_int_equal(hull_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", T0), 0);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "   ", "soon", "-5", "12abc", "5.5", "+3",
                                       "99999999999999999999999", "Wed, 99 Foo 2015 GMT" };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        if (hull_retry_after(bad[i], T0) != -1)
            fail_msg("'%s' accepted", bad[i]);
    }
    assert_int_equal(hull_retry_after(NULL, T0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seconds),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
