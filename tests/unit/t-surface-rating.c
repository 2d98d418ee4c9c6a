/* The attack-surface rating: each finding toggled alone on a clean surface gives its
 * documented points, the thresholds (Low 0-1, Medium 2-5, High 6+) and package-count
 * boundaries hold, advice follows the detected OS, and both renderers (JSON, table) write
 * what the facts say, with image strings made safe for a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include "core/common.h"
#include "hull/surface.h"

static char **one(const char *a, size_t *n)
{
    char **v = calloc(1, sizeof(*v));
    assert_non_null(v);
    v[0] = strdup(a);
    *n = 1;
    return v;
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? strdup(v) : NULL;
}

/* A clean surface: Debian 12, non-root, nothing found. */
static struct hull_surface *clean(void)
{
    struct hull_surface *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->image = strdup("img:1");
    s->spec = strdup("oci:img");
    s->user = strdup("65532");
    s->uid = 65532;
    s->os_family = strdup("debian");
    s->os_version = strdup("12.5");
    s->eol = hull_surface_eol_lookup("debian", "12");
    memcpy(s->today, "2025-01-01", 11);
    s->size = 12345678;
    s->compressed_size = 4567;
    s->layers = 2;
    return s;
}

static const struct hull_surface_reason *find(const struct hull_surface *s,
                                              enum hull_surface_finding id)
{
    for (size_t i = 0; i < s->n_reasons; i++)
        if (s->reasons[i].id == id)
            return &s->reasons[i];
    return NULL;
}

static const char *advice_text(const struct hull_surface *s, enum hull_surface_finding id)
{
    for (size_t i = 0; i < s->n_advice; i++)
        if (s->advice[i].id == id)
            return s->advice[i].text;
    return NULL;
}

static void rate(struct hull_surface *s, int score, enum hull_surface_rating r)
{
    assert_int_equal(hull_surface_rate(s, NULL), 0);
    assert_int_equal(s->score, score);
    assert_int_equal(s->rating, r);
    int sum = 0;
    for (size_t i = 0; i < s->n_reasons; i++)
        sum += s->reasons[i].points;
    assert_int_equal(sum, score);
}

static void test_clean_is_low(void **state)
{
    (void)state;
    struct hull_surface *s = clean();
    rate(s, 0, HULL_SURFACE_LOW);
    assert_int_equal(s->n_reasons, 0);
    assert_int_equal(s->n_advice, 0);
    rate(s, 0, HULL_SURFACE_LOW); /* rating again changes nothing */
    hull_surface_free(s);
}

static void test_each_finding(void **state)
{
    (void)state;
    struct hull_surface *s = clean();
    s->shells = one("/bin/busybox", &s->n_shells);
    s->shell_kinds = one("busybox", &s->n_shell_kinds);
    set_str(&s->bin_sh, "/bin/busybox");
    rate(s, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(find(s, HULL_SURF_SHELL));
    assert_non_null(strstr(find(s, HULL_SURF_SHELL)->text, "/bin/sh -> /bin/busybox"));
    hull_surface_free(s);

    s = clean();
    s->pkg_managers = one("apk", &s->n_pkg_managers);
    rate(s, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(find(s, HULL_SURF_PKG_MANAGER));
    hull_surface_free(s);

    s = clean();
    s->build_tools = one("gcc", &s->n_build_tools);
    rate(s, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(strstr(advice_text(s, HULL_SURF_BUILD_TOOLS), "multi-stage"));
    hull_surface_free(s);

    s = clean();
    set_str(&s->user, "");
    s->uid = 0;
    s->runs_as_root = true;
    rate(s, 1, HULL_SURFACE_LOW);
    assert_non_null(strstr(find(s, HULL_SURF_ROOT)->text, "no USER"));
    assert_non_null(strstr(advice_text(s, HULL_SURF_ROOT), "USER"));
    hull_surface_free(s);

    s = clean();
    s->setgid = one("/usr/bin/wall", &s->n_setgid);
    rate(s, 1, HULL_SURFACE_LOW);
    assert_non_null(strstr(find(s, HULL_SURF_SETUID)->text, "1 setuid/setgid file: /usr/bin/wall"));
    hull_surface_free(s);

    s = clean();
    s->world_writable = one("/var/drop", &s->n_world_writable);
    rate(s, 1, HULL_SURFACE_LOW);
    assert_non_null(find(s, HULL_SURF_WORLD_WRITABLE));
    hull_surface_free(s);

    s = clean();
    s->eol = hull_surface_eol_lookup("debian", "10");
    s->eol_passed = true;
    rate(s, 6, HULL_SURFACE_HIGH);
    assert_non_null(strstr(advice_text(s, HULL_SURF_EOL), "Debian 13"));
    hull_surface_free(s);

    s = clean();
    s->eol = NULL;
    rate(s, 0, HULL_SURFACE_LOW);
    assert_int_equal(find(s, HULL_SURF_EOL_UNKNOWN)->points, 0);
    hull_surface_free(s);

    s = clean();
    set_str(&s->user, "ghost");
    s->uid = -1;
    rate(s, 0, HULL_SURFACE_LOW);
    assert_non_null(find(s, HULL_SURF_USER_UNKNOWN));
    hull_surface_free(s);
}

static void test_package_boundaries(void **state)
{
    (void)state;
    static const struct { size_t os, lang; int score; } cases[] = {
        { 50, 0, 0 }, { 51, 0, 1 }, { 100, 0, 1 }, { 101, 0, 2 }, { 5, 70, 1 }, { 40, 61, 2 },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        struct hull_surface *s = clean();
        s->pkgs_os = cases[i].os;
        s->pkgs_lang = cases[i].lang;
        s->pkgs_total = cases[i].os + cases[i].lang;
        s->pkgs_by_type[HULL_PKG_NPM] = cases[i].lang;
        rate(s, cases[i].score, cases[i].score >= 2 ? HULL_SURFACE_MEDIUM : HULL_SURFACE_LOW);
        assert_int_equal(find(s, HULL_SURF_PACKAGES) != NULL, cases[i].score > 0);
        if (cases[i].lang > 50)
            assert_non_null(strstr(advice_text(s, HULL_SURF_PACKAGES), "npm ci --omit=dev"));
        hull_surface_free(s);
    }
}

static void test_combinations(void **state)
{
    (void)state;
    /* shell + package manager + more than 100 packages: High */
    struct hull_surface *s = clean();
    s->shells = one("/usr/bin/dash", &s->n_shells);
    s->shell_kinds = one("dash", &s->n_shell_kinds);
    s->pkg_managers = one("apt-get", &s->n_pkg_managers);
    s->pkgs_os = s->pkgs_total = 101;
    rate(s, 6, HULL_SURFACE_HIGH);
    /* one base-image advice for the three findings */
    size_t base = 0;
    for (size_t i = 0; i < s->n_advice; i++)
        base += strstr(s->advice[i].text, "slim") != NULL;
    assert_int_equal(base, 1);
    hull_surface_free(s);

    /* alpine: shell + apk + root = 5: Medium */
    s = clean();
    set_str(&s->os_family, "alpine");
    set_str(&s->os_version, "3.20.1");
    s->eol = hull_surface_eol_lookup("alpine", "3.20.1");
    s->shells = one("/bin/busybox", &s->n_shells);
    s->shell_kinds = one("busybox", &s->n_shell_kinds);
    s->pkg_managers = one("apk", &s->n_pkg_managers);
    set_str(&s->user, "0:0");
    s->uid = 0;
    s->runs_as_root = true;
    rate(s, 5, HULL_SURFACE_MEDIUM);
    assert_non_null(strstr(advice_text(s, HULL_SURF_SHELL), "distroless/static"));
    assert_non_null(strstr(advice_text(s, HULL_SURF_ROOT), "adduser"));
    hull_surface_free(s);
}

static void test_base_advice_per_os(void **state)
{
    (void)state;
    static const struct { const char *family, *version, *want; } cases[] = {
        { "debian", "12.5", "debian:12-slim" },
        { "debian", "12.5", "gcr.io/distroless/base-debian12" },
        { "debian", "11.9", "debian:11-slim" },
        { "debian", "13.1", "static-debian13" },
        { "ubuntu", "22.04", "chiseled" },
        { "ubuntu", "24.04", "ubuntu-minimal" },
        { "alpine", "3.19.1", "already minimal" },
        { "rhel", "8.9", "ubi8/ubi-micro" },
        { "rocky", "9.3", "ubi9/ubi-minimal" },
        { NULL, NULL, "gcr.io/distroless/static-debian12" },
    };
    /* a distroless-style image: with a package manager a non-debug tag, without one (only
     * many packages) the smallest variant */
    struct hull_surface *d = clean();
    d->distroless = true;
    d->pkg_managers = one("dpkg", &d->n_pkg_managers);
    rate(d, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(strstr(advice_text(d, HULL_SURF_PKG_MANAGER), "non-debug"));
    hull_surface_free(d);
    d = clean();
    d->distroless = true;
    d->pkgs_os = d->pkgs_total = 120;
    rate(d, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(strstr(advice_text(d, HULL_SURF_PACKAGES), "static-debian12 < base"));
    hull_surface_free(d);
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        struct hull_surface *s = clean();
        set_str(&s->os_family, cases[i].family);
        set_str(&s->os_version, cases[i].version);
        s->pkg_managers = one("x", &s->n_pkg_managers);
        rate(s, 2, HULL_SURFACE_MEDIUM);
        const char *a = advice_text(s, HULL_SURF_PKG_MANAGER);
        assert_non_null(a);
        if (!strstr(a, cases[i].want))
            fail_msg("%s %s: '%s' not in: %s", cases[i].family, cases[i].version, cases[i].want, a);
        hull_surface_free(s);
    }
}

static char *render(struct hull_surface *s, enum hull_surface_format fmt, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct hull_surface *v[1] = { s };
    assert_int_equal(hull_surface_write(f, fmt, v, 1, color, NULL), 0);
    fclose(f);
    return buf;
}

static void test_json(void **state)
{
    (void)state;
    struct hull_surface *s = clean();
    s->compressed_size = -1;
    s->setuid = one("/usr/bin/\xff" "su", &s->n_setuid);
    s->ports = one("8080/tcp", &s->n_ports);
    set_str(&s->user, "ghost");
    s->uid = -1;
    assert_int_equal(hull_surface_rate(s, NULL), 0);
    char *out = render(s, HULL_SURFACE_JSON, false);
    json_error_t je;
    json_t *doc = json_loads(out, 0, &je);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "schema_version")), 1);
    json_t *img = json_array_get(json_object_get(doc, "images"), 0);
    assert_non_null(img);
    assert_string_equal(json_string_value(json_object_get(img, "image")), "img:1");
    assert_int_equal(json_integer_value(json_object_get(img, "size")), 12345678);
    assert_null(json_object_get(img, "compressed_size")); /* unknown: left out */
    assert_null(json_object_get(img, "uid"));
    assert_true(json_is_false(json_object_get(img, "shell")));
    assert_true(json_is_false(json_object_get(img, "runs_as_root")));
    assert_string_equal(json_string_value(json_object_get(img, "rating")), "Low");
    assert_int_equal(json_integer_value(json_object_get(img, "score")), 1);
    /* invalid UTF-8 from the image is replaced, not dropped */
    assert_string_equal(json_string_value(json_array_get(json_object_get(img, "setuid"), 0)),
                        "/usr/bin/?su");
    assert_string_equal(json_string_value(json_object_get(json_object_get(img, "eol"), "date")),
                        "2028-06-30");
    json_t *r = json_object_get(img, "reasons");
    assert_int_equal(json_array_size(r), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "id")), "setuid");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "id")),
                        "user_unknown");
    json_decref(doc);
    free(out);
    hull_surface_free(s);
}

static void test_table(void **state)
{
    (void)state;
    struct hull_surface *s = clean();
    set_str(&s->user, "\033[31mevil");
    s->uid = 0;
    s->runs_as_root = true;
    s->eol = hull_surface_eol_lookup("debian", "10");
    s->eol_passed = true;
    assert_int_equal(hull_surface_rate(s, NULL), 0);
    char *out = render(s, HULL_SURFACE_TABLE, false);
    assert_null(strchr(out, '\033'));
    assert_non_null(strstr(out, "?[31mevil"));
    assert_non_null(strstr(out, "12.3 MB"));
    assert_non_null(strstr(out, "High"));
    assert_non_null(strstr(out, ": PASSED"));
    free(out);
    out = render(s, HULL_SURFACE_TABLE, true);
    assert_non_null(strstr(out, "\033[31mHigh\033[0m"));
    free(out);
    hull_surface_free(s);
}

/* Known vulnerabilities: 2 points for any CRITICAL, else 1 for any HIGH, else 0 (listed);
 * nothing when they were not counted or there are none. JSON gets the object, the table the
 * VULNS column only when counted. */
static void test_vulns(void **state)
{
    (void)state;
    struct hull_surface *s = clean();
    s->vulns_by_severity[HULL_SEV_CRITICAL] = 1; /* not counted: ignored */
    s->vulns_total = 1;
    rate(s, 0, HULL_SURFACE_LOW);
    assert_null(find(s, HULL_SURF_VULNS));
    char *out = render(s, HULL_SURFACE_TABLE, false);
    assert_null(strstr(out, "VULNS"));
    free(out);
    out = render(s, HULL_SURFACE_JSON, false);
    assert_null(strstr(out, "\"vulnerabilities\""));
    free(out);
    s->vulns_known = true;
    s->vulns_total = 0;
    s->vulns_by_severity[HULL_SEV_CRITICAL] = 0;
    rate(s, 0, HULL_SURFACE_LOW); /* counted, none: no reason */
    assert_null(find(s, HULL_SURF_VULNS));
    out = render(s, HULL_SURFACE_TABLE, false);
    assert_non_null(strstr(out, "VULNS"));
    free(out);
    s->vulns_by_severity[HULL_SEV_LOW] = 3;
    s->vulns_by_severity[HULL_SEV_MEDIUM] = 2;
    s->vulns_total = 5;
    rate(s, 0, HULL_SURFACE_LOW);
    assert_non_null(find(s, HULL_SURF_VULNS));
    assert_int_equal(find(s, HULL_SURF_VULNS)->points, 0);
    assert_non_null(advice_text(s, HULL_SURF_VULNS));
    s->vulns_by_severity[HULL_SEV_HIGH] = 1;
    s->vulns_total = 6;
    rate(s, 1, HULL_SURFACE_LOW);
    s->vulns_by_severity[HULL_SEV_CRITICAL] = 2;
    s->vulns_total = 8;
    rate(s, 2, HULL_SURFACE_MEDIUM);
    assert_non_null(strstr(find(s, HULL_SURF_VULNS)->text, "8 known vulnerabilities "
                                                           "(CRITICAL 2, HIGH 1, MEDIUM 2"));
    assert_string_equal(hull_surface_finding_id(HULL_SURF_VULNS), "vulnerabilities");
    out = render(s, HULL_SURFACE_TABLE, false);
    assert_non_null(strstr(out, "8 (C:2 H:1 M:2 L:3)"));
    free(out);
    out = render(s, HULL_SURFACE_JSON, false);
    json_error_t je;
    json_t *doc = json_loads(out, 0, &je);
    assert_non_null(doc);
    json_t *v = json_object_get(json_array_get(json_object_get(doc, "images"), 0),
                                "vulnerabilities");
    assert_int_equal(json_integer_value(json_object_get(v, "total")), 8);
    json_t *bs = json_object_get(v, "by_severity");
    assert_int_equal(json_object_size(bs), 5);
    assert_int_equal(json_integer_value(json_object_get(bs, "CRITICAL")), 2);
    assert_int_equal(json_integer_value(json_object_get(bs, "UNKNOWN")), 0);
    json_decref(doc);
    free(out);
    hull_surface_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_is_low),
        cmocka_unit_test(test_each_finding),
        cmocka_unit_test(test_package_boundaries),
        cmocka_unit_test(test_combinations),
        cmocka_unit_test(test_base_advice_per_os),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_vulns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
