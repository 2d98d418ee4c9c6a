/* Manifest classification (the four supported types, schema 1 refused) and platform
 * selection in an index (attestations skipped, variants, missing platforms). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/registry.h"
#include "registry/regdoc.h"

#define D(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
             c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

#define OSA(os, a) "\"os\":\"" os "\",\"architecture\":\"" a "\""
#define VAR(v) ",\"variant\":\"" v "\""
#define ENT(d, plat, extra) "{\"digest\":\"" D(d) "\",\"size\":1,\"platform\":{" plat "}" extra "}"

static const char index_json[] =
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
    "\"manifests\":["
    ENT("1", OSA("linux", "amd64"), "") ","
    ENT("2", OSA("linux", "arm") VAR("v6"), "") ","
    ENT("3", OSA("linux", "arm") VAR("v7"), "") ","
    ENT("4", OSA("linux", "arm64") VAR("v8"), "") ","
    ENT("5", OSA("unknown", "unknown"),
        ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}") ","
    ENT("6", OSA("windows", "amd64"), "")
    "]}";

static void pick(const char *plat, const char *want)
{
    struct hull_platform p;
    assert_int_equal(hull_platform_parse(plat, &p, NULL), 0);
    char out[HULL_REF_DIGEST_BUF];
    struct hull_err *e = NULL;
    int rc = hull_registry_index_select(NULL, index_json, strlen(index_json), &p, out, &e);
    if (!want) {
        assert_true(rc < 0);
        assert_int_equal(e->code, HULL_E_NOTFOUND);
        assert_non_null(strstr(e->msg, "linux/arm64/v8"));
        assert_null(strstr(strstr(e->msg, "it has:"), "unknown")); /* no attestations */
        hull_err_free(e);
        return;
    }
    if (rc != 0)
        fail_msg("%s: %s", plat, e->msg);
    assert_string_equal(out, want);
}

static void test_select(void **state)
{
    (void)state;
    pick("linux/amd64", D("1"));
    pick("linux/arm64", D("4"));
    pick("linux/arm64/v8", D("4"));
    pick("linux/arm/v7", D("3"));
    pick("linux/arm/v6", D("2"));
    pick("linux/arm", D("2")); /* no variant asked: the first arm child */
    pick("windows/amd64", D("6"));
    pick("linux/s390x", NULL);
    pick("unknown/unknown", NULL);
    assert_true(hull_registry_index_has(index_json, strlen(index_json), D("4")));
    assert_false(hull_registry_index_has(index_json, strlen(index_json), D("7")));

    /* a child without platform is linux/amd64 */
    const char *nop =
        "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" D("9") "\",\"size\":1}]}";
    struct hull_platform p;
    hull_platform_parse("linux/amd64", &p, NULL);
    char out[HULL_REF_DIGEST_BUF];
    assert_int_equal(hull_registry_index_select(NULL, nop, strlen(nop), &p, out, NULL), 0);
    assert_string_equal(out, D("9"));

    struct hull_err *e = NULL;
    const char *bad = "{\"manifests\":[{\"digest\":\"sha256:../../etc/passwd\"}]}";
    assert_true(hull_registry_index_select(NULL, bad, strlen(bad), &p, out, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    assert_true(hull_registry_index_select(NULL, "[]", 2, &p, out, &e) < 0);
    hull_err_clear(&e);
}

static void classify(const char *body, const char *ct, int want_rc, enum hull_errc code,
                     const char *want_mt, bool want_index)
{
    const char *mt = NULL;
    bool idx = false;
    struct hull_err *e = NULL;
    int rc = hull_regdoc_classify(body, strlen(body), ct, 4u << 20, &mt, &idx, &e);
    if (want_rc == 0) {
        if (rc)
            fail_msg("classify %s: %s", body, e->msg);
        assert_string_equal(mt, want_mt);
        assert_int_equal(idx, want_index);
    } else {
        assert_true(rc < 0);
        assert_int_equal(e->code, code);
        hull_err_free(e);
    }
}

static void test_classify(void **state)
{
    (void)state;
    classify(index_json, NULL, 0, 0, HULL_RMT_OCI_INDEX, true);
    classify("{\"schemaVersion\":2,\"mediaType\":\"" HULL_RMT_DOCKER_LIST "\",\"manifests\":[]}",
             NULL, 0, 0, HULL_RMT_DOCKER_LIST, true);
    classify("{\"schemaVersion\":2,\"mediaType\":\"" HULL_RMT_DOCKER_V2 "\",\"layers\":[]}",
             "application/json", 0, 0, HULL_RMT_DOCKER_V2, false);
    classify("{\"schemaVersion\":2,\"layers\":[]}", HULL_RMT_OCI_MANIFEST, 0, 0,
             HULL_RMT_OCI_MANIFEST, false);
    classify("{\"schemaVersion\":2,\"layers\":[]}", NULL, 0, 0, HULL_RMT_OCI_MANIFEST, false);
    classify("{\"schemaVersion\":2,\"manifests\":[]}", NULL, 0, 0, HULL_RMT_OCI_INDEX, true);
    classify("{\"schemaVersion\":1,\"fsLayers\":[]}", NULL, -1, HULL_E_UNSUPPORTED, NULL, false);
    classify("{}", HULL_RMT_DOCKER_V1S, -1, HULL_E_UNSUPPORTED, NULL, false);
    classify("{\"schemaVersion\":2,\"mediaType\":\"text/plain\",\"layers\":[]}", NULL, -1,
             HULL_E_UNSUPPORTED, NULL, false);
    classify("{\"schemaVersion\":2,\"mediaType\":\"" HULL_RMT_OCI_INDEX "\",\"layers\":[]}", NULL,
             -1, HULL_E_PARSE, NULL, false);
    classify("{\"schemaVersion\":2}", NULL, -1, HULL_E_PARSE, NULL, false);
    classify("[1]", NULL, -1, HULL_E_PARSE, NULL, false);
    classify("{\"schemaVersion\":2,\"layers\":[]} x", NULL, -1, HULL_E_PARSE, NULL, false);
    classify("{\"schemaVersion\":2,\"layers\":[],\"layers\":[]}", NULL, -1, HULL_E_PARSE, NULL,
             false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_classify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
