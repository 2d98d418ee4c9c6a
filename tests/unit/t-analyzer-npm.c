/* npm installed packages (scoped names, nested copies, dedupe per name@version with every
 * location kept, licenses, bad manifests) and Python dist-info / egg-info metadata. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "analyzer/analyzer.h"
#include "analyzer_test.h"

static int feed(struct hull_inventory *inv, const char *path, const char *s)
{
    struct hull_input in = { .path = path, .data = (const uint8_t *)s, .len = strlen(s),
                             .layer = 2, .diff_id = "sha256:feed" };
    struct hull_err *err = NULL;
    if (!hull_analyzers_want(path))
        return 1;
    assert_int_equal(hull_analyzers_run(&in, inv, &err), 0);
    return 0;
}

static const struct hull_pkg *find(const struct hull_inventory *inv, const char *name,
                                   const char *version)
{
    for (size_t i = 0; i < hull_inventory_count(inv); i++) {
        const struct hull_pkg *p = hull_inventory_pkg(inv, i);
        if (!strcmp(p->name, name) && (!version || !strcmp(p->version, version)))
            return p;
    }
    return NULL;
}

static void test_wants(void **state)
{
    (void)state;
    const struct hull_analyzer *a = &hull_analyzer_npm;
    assert_true(a->wants("/app/node_modules/ms/package.json"));
    assert_true(a->wants("/app/node_modules/@xmldom/xmldom/package.json"));
    assert_true(a->wants("/app/node_modules/a/node_modules/ms/package.json"));
    assert_false(a->wants("/app/package.json"));
    assert_false(a->wants("/app/node_modules/ms/lib/package.json"));
    assert_false(a->wants("/app/node_modules/@scope/package.json"));
    assert_false(a->wants("/app/node_modules/.bin/package.json"));
    assert_false(a->wants("/app/node_modules/ms/package.json.bak"));
    const struct hull_analyzer *p = &hull_analyzer_python;
    assert_true(p->wants("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"));
    assert_true(p->wants("/usr/local/lib/python3.11/site-packages/req-2.31.0.dist-info/METADATA"));
    assert_true(p->wants("/usr/lib/python3/dist-packages/foo-1.0.egg-info/PKG-INFO"));
    assert_true(p->wants("/usr/lib/python3/dist-packages/foo-1.0.egg-info"));
    assert_false(p->wants("/usr/lib/python3/dist-packages/foo/METADATA"));
    assert_false(p->wants("/srv/six-1.16.0.dist-info/METADATA"));
}

static void test_npm(void **state)
{
    (void)state;
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    feed(inv, "/app/node_modules/ms/package.json",
         "{\"name\":\"ms\",\"version\":\"2.1.3\",\"license\":\"MIT\"}");
    feed(inv, "/app/node_modules/a/node_modules/ms/package.json",
         "{\"name\":\"ms\",\"version\":\"2.0.0\"}");
    feed(inv, "/app/node_modules/b/node_modules/ms/package.json",
         "{\"name\":\"ms\",\"version\":\"2.0.0\",\"license\":{\"type\":\"MIT\"}}");
    feed(inv, "/app/node_modules/@xmldom/xmldom/package.json",
         "{\"name\":\"@xmldom/xmldom\",\"version\":\"0.7.5\","
         "\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"LGPL-2.0\"}]}");
    feed(inv, "/app/node_modules/noname/package.json", "{\"version\":\"1.0.0\"}");
    feed(inv, "/app/node_modules/nover/package.json", "{\"name\":\"nover\"}");
    feed(inv, "/app/node_modules/junk/package.json", "{\"name\": \"junk\", \"version\": ");
    feed(inv, "/app/node_modules/arr/package.json", "[1,2]");
    feed(inv, "/app/node_modules/sp/package.json", "{\"name\":\"sp\",\"version\":\"1 2\"}");
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 4);
    const struct hull_pkg *p = find(inv, "ms", "2.0.0");
    assert_non_null(p);
    assert_int_equal(p->n_locations, 2);
    assert_string_equal(p->locations[0], "/app/node_modules/a/node_modules/ms/package.json");
    assert_string_equal(p->locations[1], "/app/node_modules/b/node_modules/ms/package.json");
    assert_string_equal(p->found_in, "/app/node_modules/a/node_modules/ms/package.json");
    assert_string_equal(p->license, "MIT"); /* taken from the copy that has one */
    assert_int_equal(p->layer, 2);
    assert_string_equal(p->diff_id, "sha256:feed");
    assert_string_equal(p->purl, "pkg:npm/ms@2.0.0");
    p = find(inv, "@xmldom/xmldom", NULL);
    assert_string_equal(p->purl, "pkg:npm/%40xmldom/xmldom@0.7.5");
    assert_string_equal(p->license, "MIT OR LGPL-2.0");
    assert_non_null(find(inv, "noname", "1.0.0")); /* directory name */
    assert_true(warned(inv, "nover/package.json: package.json has no version"));
    assert_true(warned(inv, "junk/package.json: package.json: invalid JSON"));
    assert_true(warned(inv, "arr/package.json: package.json is not a JSON object"));
    assert_true(warned(inv, "sp/package.json: package.json has an invalid name or version"));
    hull_inventory_free(inv);
}

static void test_python(void **state)
{
    (void)state;
    struct hull_inventory *inv = hull_inventory_new(NULL);
    struct hull_err *err = NULL;
    feed(inv, "/usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA",
         "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nLicense: MIT\n"
         "Classifier: x\n\nLicense: not-this\nName: not-this\n");
    feed(inv, "/usr/lib/python3.11/site-packages/zope_interface-6.0.egg-info/PKG-INFO",
         "Metadata-Version: 1.1\r\nName: zope.interface\r\nVersion: 6.0\r\n"
         "License: UNKNOWN\r\n");
    feed(inv, "/usr/lib/python3.11/site-packages/new-1.0.dist-info/METADATA",
         "Name: New_Pkg\nVersion: 1.0\nLicense-Expression: Apache-2.0\nLicense: ignored\n");
    feed(inv, "/usr/lib/python3.11/site-packages/bad-1.dist-info/METADATA", "Name: bad\n");
    assert_int_equal(hull_inventory_finish(inv, &err), 0);
    assert_int_equal(hull_inventory_count(inv), 3);
    const struct hull_pkg *p = find(inv, "PyYAML", "6.0.1");
    assert_string_equal(p->license, "MIT");
    assert_string_equal(p->purl, "pkg:pypi/pyyaml@6.0.1");
    p = find(inv, "zope.interface", "6.0");
    assert_null(p->license);
    assert_string_equal(p->purl, "pkg:pypi/zope-interface@6.0");
    p = find(inv, "New_Pkg", "1.0");
    assert_string_equal(p->license, "Apache-2.0");
    assert_string_equal(p->purl, "pkg:pypi/new-pkg@1.0");
    assert_true(warned(inv, "bad-1.dist-info/METADATA: metadata lacks Name or Version"));
    hull_inventory_free(inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_npm),
        cmocka_unit_test(test_python),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
