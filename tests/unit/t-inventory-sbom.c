/* SBOM renderers from a synthetic inventory: hull JSON fields, CycloneDX (serial number
 * shape, scoped npm group, unique bom-refs, timestamp from the image or the fixed epoch),
 * SPDX (ids, relationships, license expressions vs NOASSERTION), table, determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "hull/sbom.h"

static struct hull_inventory *sample(void)
{
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    static const char os[] = "ID=alpine\nVERSION_ID=3.18.8\n";
    static const char apk[] = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\n"
                              "P:busybox\nV:1.36.1-r7\nA:x86_64\nL:GPL-2.0-only\no:busybox\n\n"
                              "P:odd\nV:1\nA:x86_64\nL:custom license, see COPYING\n";
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", os,
                                        strlen(os), inv, &err), 0);
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_apk, "/lib/apk/db/installed", apk,
                                        strlen(apk), inv, &err), 0);
    static const char pj[] = "{\"name\":\"@s/p\",\"version\":\"1.0.0\"}";
    assert_int_equal(hull_analyze_bytes(&hull_analyzer_npm, "/a/node_modules/@s/p/package.json",
                                        pj, strlen(pj), inv, &err), 0);
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    return inv;
}

static json_t *render(const struct hull_inventory *inv, enum hull_sbom_format fmt,
                      const struct hull_image_meta *meta, char **text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hull_err *err = NULL;
    assert_int_equal(hull_sbom_write(f, fmt, inv, meta, &err), 0);
    fclose(f);
    json_t *j = NULL;
    if (fmt != HULL_SBOM_TABLE) {
        json_error_t je;
        j = json_loadb(buf, len, 0, &je);
        assert_non_null(j);
    }
    if (text)
        *text = buf;
    else
        free(buf);
    return j;
}

static void test_hull_json(void **state)
{
    (void)state;
    struct hull_inventory *inv = sample();
    json_t *j = render(inv, HULL_SBOM_JSON, NULL, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "schema_version")), 1);
    assert_null(json_object_get(j, "image"));
    json_t *pk = json_object_get(j, "packages");
    assert_int_equal(json_array_size(pk), 4);
    json_t *p0 = json_array_get(pk, 0); /* apk sorts before npm; busybox first */
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "busybox");
    assert_string_equal(json_string_value(json_object_get(p0, "purl")),
                        "pkg:apk/alpine/busybox@1.36.1-r7?arch=x86_64&distro=3.18.8");
    assert_null(json_object_get(p0, "epoch")); /* unknown keys are left out */
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "os"), "family")),
                        "alpine");
    json_decref(j);
    hull_inventory_free(inv);
}

static void test_cyclonedx(void **state)
{
    (void)state;
    struct hull_inventory *inv = sample();
    struct hull_image_meta meta = { .name = "app:1", .config_digest = "sha256:ab",
                                    .created = "2023-11-14T22:13:20.123456789+01:00" };
    char *t1 = NULL, *t2 = NULL;
    json_t *j = render(inv, HULL_SBOM_CYCLONEDX, &meta, &t1);
    json_decref(render(inv, HULL_SBOM_CYCLONEDX, &meta, &t2));
    assert_string_equal(t1, t2); /* deterministic */
    free(t1);
    free(t2);
    const char *sn = json_string_value(json_object_get(j, "serialNumber"));
    assert_int_equal(strlen(sn), 45);
    assert_true(!strncmp(sn, "urn:uuid:", 9) && sn[23] == '5' && strchr("89ab", sn[28]));
    json_t *md = json_object_get(j, "metadata");
    assert_string_equal(json_string_value(json_object_get(md, "timestamp")),
                        "2023-11-14T22:13:20Z");
    assert_string_equal(json_string_value(json_object_get(json_object_get(md, "component"),
                                                          "name")), "app:1");
    json_t *comps = json_object_get(j, "components");
    assert_int_equal(json_array_size(comps), 5); /* os + 4 packages */
    json_t *os = json_array_get(comps, 0);
    assert_string_equal(json_string_value(json_object_get(os, "type")), "operating-system");
    json_t *npm = json_array_get(comps, 4);
    assert_string_equal(json_string_value(json_object_get(npm, "group")), "@s");
    assert_string_equal(json_string_value(json_object_get(npm, "name")), "p");
    assert_string_equal(json_string_value(json_object_get(npm, "bom-ref")),
                        "pkg:npm/%40s/p@1.0.0");
    json_decref(j);
    /* no image: the fixed, documented timestamp */
    j = render(inv, HULL_SBOM_CYCLONEDX, NULL, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "metadata"),
                                                          "timestamp")), "1970-01-01T00:00:00Z");
    json_decref(j);
    hull_inventory_free(inv);
}

static void test_spdx(void **state)
{
    (void)state;
    struct hull_inventory *inv = sample();
    json_t *j = render(inv, HULL_SBOM_SPDX, NULL, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "spdxVersion")), "SPDX-2.3");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "creationInfo"),
                                                          "created")), "1970-01-01T00:00:00Z");
    json_t *pk = json_object_get(j, "packages");
    assert_int_equal(json_array_size(pk), 5); /* image + 4 */
    json_t *busybox = json_array_get(pk, 1), *odd = json_array_get(pk, 3);
    assert_string_equal(json_string_value(json_object_get(busybox, "SPDXID")), "SPDXRef-Package-1");
    assert_string_equal(json_string_value(json_object_get(busybox, "licenseDeclared")),
                        "GPL-2.0-only");
    assert_string_equal(json_string_value(json_object_get(odd, "name")), "odd");
    assert_string_equal(json_string_value(json_object_get(odd, "licenseDeclared")), "NOASSERTION");
    json_t *rel = json_object_get(j, "relationships");
    assert_int_equal(json_array_size(rel), 5); /* DESCRIBES + 4 CONTAINS */
    json_decref(j);
    hull_inventory_free(inv);
}

static void test_table(void **state)
{
    (void)state;
    struct hull_inventory *inv = sample();
    char *t = NULL;
    render(inv, HULL_SBOM_TABLE, NULL, &t);
    assert_non_null(strstr(t, "OS:    alpine 3.18.8\n"));
    assert_non_null(strstr(t, "\nmusl     1.2.4-r2   apk   x86_64  0\n"));
    assert_non_null(strstr(t, "\n4 packages\n"));
    free(t);
    assert_int_equal(hull_sbom_format_parse("spdx-json"), HULL_SBOM_SPDX);
    assert_int_equal(hull_sbom_format_parse("cyclonedx-json"), HULL_SBOM_CYCLONEDX);
    assert_int_equal(hull_sbom_format_parse("xml"), -1);
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hull_json),
        cmocka_unit_test(test_cyclonedx),
        cmocka_unit_test(test_spdx),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
