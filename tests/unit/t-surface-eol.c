/* The end-of-life table and the date helpers of the attack-surface report: release keys per
 * family (major, major.minor, YY.MM), rows sorted and well-formed, the brief's known dates,
 * calendar validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/surface.h"

static void expect_date(const char *family, const char *version, const char *date)
{
    const struct hull_surface_eol *e = hull_surface_eol_lookup(family, version);
    if (!date) {
        assert_null(e);
        return;
    }
    assert_non_null(e);
    assert_string_equal(e->family, family);
    assert_string_equal(e->date, date);
}

static void test_lookup(void **state)
{
    (void)state;
    expect_date("debian", "10", "2024-06-30");
    expect_date("debian", "11", "2026-08-31");
    expect_date("debian", "12", "2028-06-30");
    expect_date("debian", "12.15", "2028-06-30");
    expect_date("alpine", "3.18.8", "2025-05-09");
    expect_date("alpine", "3.19", "2025-11-01");
    expect_date("alpine", "3.20.3", "2026-04-01");
    expect_date("ubuntu", "20.04", "2025-05-31");
    expect_date("ubuntu", "22.04", "2027-06-01");
    expect_date("ubuntu", "24.04", "2029-05-31");
    expect_date("rhel", "8.10", "2029-05-31");
    expect_date("rhel", "9.4", "2032-05-31");
    /* keys must match whole components */
    expect_date("alpine", "3.1", NULL);
    expect_date("alpine", "3.180", NULL);
    expect_date("alpine", "3.19_alpha20230901", NULL);
    expect_date("alpine", "3", NULL);
    expect_date("debian", "120", NULL);
    expect_date("debian", "trixie/sid", NULL);
    expect_date("ubuntu", "22.10", NULL);
    expect_date("debian", "", NULL);
    expect_date("unknown", "12", NULL);
    expect_date(NULL, "12", NULL);
    expect_date("debian", NULL, NULL);
}

static void test_table_shape(void **state)
{
    (void)state;
    static const char *const families[] = { "alma", "alpine", "centos", "debian",
                                            "rhel", "rocky", "ubuntu" };
    const struct hull_surface_eol *e, *prev = NULL;
    size_t n = 0;
    bool seen[7] = { false };
    for (size_t i = 0; (e = hull_surface_eol_row(i)); i++, n++) {
        assert_true(hull_surface_date_valid(e->date));
        assert_non_null(e->name);
        assert_non_null(e->kind);
        assert_true(!strncmp(e->source, "https://", 8));
        bool known = false;
        for (size_t f = 0; f < 7; f++)
            if (!strcmp(families[f], e->family))
                known = seen[f] = true;
        assert_true(known);
        /* every row is reachable by its own release */
        assert_ptr_equal(hull_surface_eol_lookup(e->family, e->release), e);
        if (prev) {
            int c = strcmp(prev->family, e->family);
            assert_true(c < 0 || (c == 0 && strcmp(prev->date, e->date) < 0));
        }
        prev = e;
    }
    assert_true(n >= 20);
    for (size_t f = 0; f < 7; f++)
        assert_true(seen[f]);
    assert_null(hull_surface_eol_row(n));
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(hull_surface_date_valid("2024-02-29"));
    assert_true(hull_surface_date_valid("2000-02-29"));
    assert_false(hull_surface_date_valid("1900-02-29"));
    assert_false(hull_surface_date_valid("2025-02-29"));
    assert_false(hull_surface_date_valid("2025-04-31"));
    assert_false(hull_surface_date_valid("2025-13-01"));
    assert_false(hull_surface_date_valid("2025-00-10"));
    assert_false(hull_surface_date_valid("2025-1-01"));
    assert_false(hull_surface_date_valid("2025-01-01T"));
    assert_false(hull_surface_date_valid("yesterday"));
    assert_false(hull_surface_date_valid(""));
    assert_false(hull_surface_date_valid(NULL));
    char today[11];
    hull_surface_today(today);
    assert_true(hull_surface_date_valid(today));
    assert_true(strcmp(today, "2024-01-01") > 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(hull_surface_rating_parse("HIGH"), HULL_SURFACE_HIGH);
    assert_int_equal(hull_surface_rating_parse("medium"), HULL_SURFACE_MEDIUM);
    assert_int_equal(hull_surface_rating_parse("Low"), HULL_SURFACE_LOW);
    assert_int_equal(hull_surface_rating_parse("severe"), -1);
    assert_int_equal(hull_surface_rating_parse(NULL), -1);
    assert_string_equal(hull_surface_rating_name(HULL_SURFACE_MEDIUM), "Medium");
    assert_int_equal(hull_surface_format_parse("json"), HULL_SURFACE_JSON);
    assert_int_equal(hull_surface_format_parse("table"), HULL_SURFACE_TABLE);
    assert_int_equal(hull_surface_format_parse("sarif"), -1);
    for (int f = 0; f < HULL_SURF__COUNT; f++)
        assert_string_not_equal(hull_surface_finding_id((enum hull_surface_finding)f), "unknown");
    assert_string_equal(hull_surface_finding_id(HULL_SURF__COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_table_shape),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
