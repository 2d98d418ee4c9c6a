/* Image reference normalisation (Docker's grammar) and platform strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/registry.h"

static const struct {
    const char *in;
    const char *domain, *path, *tag, *digest; /* NULL: expect failure when domain is NULL */
    enum hull_errc code;
} cases[] = {
    { "node:18", "docker.io", "library/node", "18", NULL, 0 },
    { "node", "docker.io", "library/node", "latest", NULL, 0 },
    { "docker.io/node", "docker.io", "library/node", "latest", NULL, 0 },
    { "index.docker.io/library/node:20-alpine", "docker.io", "library/node", "20-alpine", NULL, 0 },
    { "docker.io/bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", NULL, 0 },
    { "grafana/grafana", "docker.io", "grafana/grafana", "latest", NULL, 0 },
    { "ghcr.io/org/app/sub:v1.2.3", "ghcr.io", "org/app/sub", "v1.2.3", NULL, 0 },
    { "localhost/app", "localhost", "app", "latest", NULL, 0 },
    { "localhost:5000/app:1", "localhost:5000", "app", "1", NULL, 0 },
    { "myreg:5000/a/b:1", "myreg:5000", "a/b", "1", NULL, 0 },
    { "127.0.0.1:5000/x_y__z/a-b--c.d:tag_1.0-x", "127.0.0.1:5000", "x_y__z/a-b--c.d",
      "tag_1.0-x", NULL, 0 },
    { "[::1]:5000/app:1", "[::1]:5000", "app", "1", NULL, 0 },
    { "Registry.Example.COM/app", "Registry.Example.COM", "app", "latest", NULL, 0 },
    { "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "docker.io", "library/alpine", NULL,
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0 },
    { "alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "docker.io", "library/alpine", "3.20",
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0 },
    { "", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "Node:18", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "node:", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { ":18", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "node:.bad", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "a//b", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "a/b/", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "-a/b", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "a_/b", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "a___b", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "host:port/app", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "-host.com/app", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "node :18", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "alpine@sha256:abc", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "alpine@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL,
      NULL, NULL, NULL, HULL_E_USAGE },
    { "alpine@sha512:0123", NULL, NULL, NULL, NULL, HULL_E_UNSUPPORTED },
    { "a@b@c", NULL, NULL, NULL, NULL, HULL_E_USAGE },
    { "docker://alpine", NULL, NULL, NULL, NULL, HULL_E_USAGE },
};

static void test_refs(void **state)
{
    (void)state;
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        struct hull_ref r;
        struct hull_err *e = NULL;
        int rc = hull_ref_parse(cases[i].in, strlen(cases[i].in), &r, &e);
        if (!cases[i].domain) {
            if (rc == 0)
                fail_msg("accepted invalid reference \"%s\"", cases[i].in);
            assert_int_equal(e->code, cases[i].code);
            hull_err_free(e);
            continue;
        }
        if (rc != 0)
            fail_msg("rejected \"%s\": %s", cases[i].in, e->msg);
        assert_string_equal(r.domain, cases[i].domain);
        assert_string_equal(r.path, cases[i].path);
        if (cases[i].tag)
            assert_string_equal(r.tag, cases[i].tag);
        else
            assert_null(r.tag);
        if (cases[i].digest)
            assert_string_equal(r.digest, cases[i].digest);
        else
            assert_null(r.digest);
        hull_ref_release(&r);
    }
}

static void test_format(void **state)
{
    (void)state;
    struct hull_ref r;
    assert_int_equal(hull_ref_parse("node", 4, &r, NULL), 0);
    assert_true(r.implicit_tag);
    char *s = hull_ref_format(&r, true, true);
    assert_string_equal(s, "docker.io/library/node:latest");
    free(s);
    assert_string_equal(hull_ref_api_host(&r), "registry-1.docker.io");
    hull_ref_release(&r);
    const char *in = "ghcr.io/a/b:1@sha256:"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_int_equal(hull_ref_parse(in, strlen(in), &r, NULL), 0);
    s = hull_ref_format(&r, true, true);
    assert_string_equal(s, in);
    free(s);
    s = hull_ref_format(&r, true, false);
    assert_string_equal(s, "ghcr.io/a/b:1");
    free(s);
    assert_string_equal(hull_ref_api_host(&r), "ghcr.io");
    hull_ref_release(&r);
    /* a length-limited view: parsing stops at len */
    assert_int_equal(hull_ref_parse("alpine:3 trailing", 8, &r, NULL), 0);
    assert_string_equal(r.tag, "3");
    hull_ref_release(&r);
}

static void test_platform(void **state)
{
    (void)state;
    struct hull_platform p;
    struct hull_err *e = NULL;
    assert_int_equal(hull_platform_parse("linux/arm64/v8", &p, &e), 0);
    assert_string_equal(p.arch, "arm64");
    assert_string_equal(p.variant, "");
    assert_true(hull_platform_match(&p, "linux", "arm64", "v8"));
    assert_true(hull_platform_match(&p, "linux", "arm64", NULL));
    assert_false(hull_platform_match(&p, "linux", "amd64", NULL));
    assert_int_equal(hull_platform_parse("x86_64", &p, &e), 0);
    assert_string_equal(p.os, "linux");
    assert_string_equal(p.arch, "amd64");
    assert_true(hull_platform_match(&p, NULL, NULL, NULL)); /* no platform: linux/amd64 */
    assert_int_equal(hull_platform_parse("linux/arm/v6", &p, &e), 0);
    assert_false(hull_platform_match(&p, "linux", "arm", "v7"));
    assert_true(hull_platform_match(&p, "linux", "arm", "v6"));
    assert_int_equal(hull_platform_parse("Windows/AMD64", &p, &e), 0);
    assert_string_equal(p.os, "windows");
    assert_string_equal(p.arch, "amd64");
    assert_true(hull_platform_parse("linux//v7", &p, &e) < 0);
    assert_int_equal(e->code, HULL_E_USAGE);
    hull_err_clear(&e);
    assert_true(hull_platform_parse("a/b/c/d", &p, &e) < 0);
    hull_err_clear(&e);
    assert_true(hull_platform_parse("", &p, &e) < 0);
    hull_err_clear(&e);
    hull_platform_host(&p);
    assert_string_equal(p.os, "linux");
    assert_true(p.arch[0] != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_platform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
