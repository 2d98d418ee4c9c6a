/* Image JSON parsers: manifest, index (+ platform/ref selection), config, docker manifest.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "source/ocijson.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"
#define MAX (1u << 20)

static int parse_m(const char *s, struct hull_manifest *m, struct hull_err **e)
{
    return hull_manifest_parse(s, strlen(s), MAX, 100, m, e);
}

static void test_manifest(void **state)
{
    (void)state;
    struct hull_manifest m;
    struct hull_err *e = NULL;
    const char *ok = "{\"schemaVersion\":2,\"mediaType\":\"" HULL_MT_DOCKER_MANIFEST "\","
                     "\"config\":{\"mediaType\":"
                     "\"application/vnd.docker.container.image.v1+json\","
                     "\"digest\":\"" D1 "\",\"size\":7},"
                     "\"layers\":[{\"mediaType\":"
                     "\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                     "\"digest\":\"" D2 "\",\"size\":9},"
                     "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\","
                     "\"digest\":\"" D3 "\",\"size\":0}]}";
    assert_int_equal(parse_m(ok, &m, &e), 0);
    assert_string_equal(m.media_type, HULL_MT_DOCKER_MANIFEST);
    assert_string_equal(m.config.digest, D1);
    assert_int_equal(m.n_layers, 2);
    assert_int_equal(m.layers[0].size, 9);
    hull_manifest_release(&m);
    assert_int_equal(hull_manifest_parse(ok, strlen(ok), MAX, 1, &m, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);
    assert_int_equal(hull_manifest_parse(ok, strlen(ok), 10, 100, &m, &e), -HULL_E_LIMIT);
    hull_err_clear(&e);

    static const struct {
        const char *json;
        int code;
    } bad[] = {
        { "[]", HULL_E_PARSE },
        { "{\"schemaVersion\":1}", HULL_E_UNSUPPORTED },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:../../etc/passwd\",\"size\":1},"
          "\"layers\":[]}", HULL_E_PARSE },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":-1},\"layers\":[]}",
          HULL_E_PARSE },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":1}}", HULL_E_PARSE },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":1},\"layers\":"
          "[{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\","
          "\"digest\":\"" D2 "\",\"size\":1}]}", HULL_E_UNSUPPORTED },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"" D1 "\",\"size\":1},\"layers\":"
          "[{\"mediaType\":\"text/plain\",\"digest\":\"" D2 "\",\"size\":1}]}",
          HULL_E_UNSUPPORTED },
        { "{\"schemaVersion\":2,\"mediaType\":\"" HULL_MT_OCI_INDEX "\",\"manifests\":[]}",
          HULL_E_UNSUPPORTED },
        { "{\"schemaVersion\":2,\"a\":1,\"a\":2}", HULL_E_PARSE },
        { "{\"schemaVersion\":2,\"x\":\"\xff\xfe\"}", HULL_E_PARSE }, /* bad UTF-8 */
        { "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config."
          "v1+json\",\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}", HULL_E_UNSUPPORTED },
        { "{\"schemaVersion\":2,\"config\":{\"digest\":\"SHA256:1111111111111111111111111111111"
          "111111111111111111111111111111111\",\"size\":1},\"layers\":[]}", HULL_E_PARSE },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        assert_true(parse_m(bad[i].json, &m, &e) < 0);
        assert_int_equal(e->code, bad[i].code);
        hull_err_clear(&e);
    }
}

static const char *index_json =
    "{\"schemaVersion\":2,\"manifests\":["
    "{\"mediaType\":\"" HULL_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":1,"
    "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"},"
    "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}},"
    "{\"mediaType\":\"" HULL_MT_OCI_MANIFEST "\",\"digest\":\"" D2 "\",\"size\":1,"
    "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"},"
    "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}},"
    "{\"mediaType\":\"" HULL_MT_OCI_MANIFEST "\",\"digest\":\"" D3 "\",\"size\":1,"
    "\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}]}";

static void test_index_select(void **state)
{
    (void)state;
    struct hull_index ix;
    struct hull_err *e = NULL;
    assert_int_equal(hull_index_parse(index_json, strlen(index_json), MAX, &ix, &e), 0);
    assert_int_equal(ix.n, 3);
    size_t w = 99;
    assert_int_equal(hull_index_select(&ix, NULL, "linux/amd64", &w, &e), 0);
    assert_int_equal(w, 0);
    assert_int_equal(hull_index_select(&ix, "v1", "linux/arm64", &w, &e), 0);
    assert_int_equal(w, 1);
    assert_int_equal(hull_index_select(&ix, NULL, "linux/arm64/v8", &w, &e), 0);
    assert_int_equal(w, 1);
    assert_int_equal(hull_index_select(&ix, NULL, "linux/arm64/v7", &w, &e), -HULL_E_NOTFOUND);
    assert_non_null(strstr(e->msg, "linux/amd64 (v1), linux/arm64/v8 (v1)"));
    hull_err_clear(&e);
    assert_int_equal(hull_index_select(&ix, "v2", NULL, &w, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    assert_int_equal(hull_index_select(&ix, NULL, "linux", &w, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    assert_int_equal(hull_index_select(&ix, NULL, "linux/arm64/v8/x", &w, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    hull_index_release(&ix);

    /* Two platform-less entries: a ref decides; without one it is ambiguous. */
    const char *two = "{\"schemaVersion\":2,\"manifests\":["
                      "{\"digest\":\"" D1 "\",\"size\":1,\"annotations\":"
                      "{\"org.opencontainers.image.ref.name\":\"a\"}},"
                      "{\"digest\":\"" D2 "\",\"size\":1,\"annotations\":"
                      "{\"org.opencontainers.image.ref.name\":\"b\"}}]}";
    assert_int_equal(hull_index_parse(two, strlen(two), MAX, &ix, &e), 0);
    assert_int_equal(hull_index_select(&ix, "b", NULL, &w, &e), 0);
    assert_int_equal(w, 1);
    assert_int_equal(hull_index_select(&ix, NULL, NULL, &w, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    hull_index_release(&ix);

    /* One image built for another platform: taken when no platform is asked. */
    const char *one = "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" D1 "\",\"size\":1,"
                      "\"platform\":{\"os\":\"linux\",\"architecture\":\"riscv64\"}}]}";
    assert_int_equal(hull_index_parse(one, strlen(one), MAX, &ix, &e), 0);
    assert_int_equal(hull_index_select(&ix, NULL, NULL, &w, &e), 0);
    assert_int_equal(hull_index_select(&ix, NULL, "linux/amd64", &w, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    hull_index_release(&ix);
    assert_int_equal(hull_manifest_kind(one, strlen(one), MAX, &e), 1);
}

static void test_config(void **state)
{
    (void)state;
    const char *cfg =
        "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\",\"created\":\"2023\","
        "\"config\":{\"User\":\"65532\",\"Env\":[\"A=1\",\"B=2\"],\"Cmd\":[\"sh\"],"
        "\"ExposedPorts\":{\"9090/tcp\":{},\"53/udp\":{}},\"Labels\":{\"z\":\"1\",\"a\":\"2\"}},"
        "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]},"
        "\"history\":[{\"created_by\":\"A\"},{\"created_by\":\"ENV\",\"empty_layer\":true},"
        "{\"created_by\":\"B\"}]}";
    struct hull_config c;
    struct hull_err *e = NULL;
    assert_int_equal(hull_config_parse(cfg, strlen(cfg), MAX, &c, &e), 0);
    assert_string_equal(c.os, "linux");
    assert_string_equal(c.variant, "v8");
    assert_string_equal(c.user, "65532");
    assert_string_equal(c.workdir, "");
    assert_string_equal(c.env[1], "B=2");
    assert_null(c.env[2]);
    assert_null(c.entrypoint[0]);
    assert_false(c.has_entrypoint);
    assert_string_equal(c.exposed_ports[0], "53/udp");
    assert_string_equal(c.label_keys[0], "a");
    assert_string_equal(c.label_values[0], "2");
    assert_int_equal(c.n_diff_ids, 2);
    assert_int_equal(c.n_history, 3);
    assert_true(c.history[1].empty_layer);
    hull_config_release(&c);

    static const char *bad[] = {
        "{}",
        "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:zz\"]}}",
        "{\"rootfs\":{\"type\":\"other\",\"diff_ids\":[]}}",
        "{\"config\":{\"Env\":[1]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        "{\"config\":{\"Labels\":{\"a\":1}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        "{\"config\":{\"User\":7},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        "{\"history\":[1],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(bad); i++) {
        assert_true(hull_config_parse(bad[i], strlen(bad[i]), MAX, &c, &e) < 0);
        assert_int_equal(e->code, HULL_E_PARSE);
        hull_err_clear(&e);
    }
}

static void test_docker_manifest(void **state)
{
    (void)state;
    const char *j = "[{\"Config\":\"a.json\",\"RepoTags\":[\"docker.io/library/app:1.0\"],"
                    "\"Layers\":[\"x/layer.tar\"]},"
                    "{\"Config\":\"b.json\",\"RepoTags\":[\"example.com/team/tool\"],"
                    "\"Layers\":[]},"
                    "{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[]}]";
    struct hull_docker_manifest m;
    struct hull_err *e = NULL;
    assert_int_equal(hull_docker_manifest_parse(j, strlen(j), MAX, 100, &m, &e), 0);
    assert_int_equal(m.n, 3);
    size_t w;
    assert_int_equal(hull_docker_manifest_select(&m, "app:1.0", &w, &e), 0);
    assert_int_equal(w, 0);
    assert_int_equal(hull_docker_manifest_select(&m, "library/app:1.0", &w, &e), 0);
    assert_int_equal(hull_docker_manifest_select(&m, "example.com/team/tool:latest", &w, &e), 0);
    assert_int_equal(w, 1);
    assert_int_equal(hull_docker_manifest_select(&m, "@2", &w, &e), 0);
    assert_int_equal(w, 2);
    assert_int_equal(hull_docker_manifest_select(&m, "@3", &w, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    assert_int_equal(hull_docker_manifest_select(&m, "app:2.0", &w, &e), -HULL_E_NOTFOUND);
    hull_err_clear(&e);
    assert_int_equal(hull_docker_manifest_select(&m, NULL, &w, &e), -HULL_E_USAGE);
    hull_err_clear(&e);
    hull_docker_manifest_release(&m);
    assert_true(hull_docker_manifest_parse("[]", 2, MAX, 100, &m, &e) < 0);
    hull_err_clear(&e);
    assert_true(hull_docker_manifest_parse("[{\"Config\":1}]", 14, MAX, 100, &m, &e) < 0);
    hull_err_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_index_select),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_docker_manifest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
