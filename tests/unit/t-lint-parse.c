/* Dockerfile line layer: BuildKit's oracle for the whole corpus (the .dump byte for byte, and
 * line numbers, JSON form and heredocs from the .json), the rejected files, and the tricky
 * cases of ../shared/docs/dockerfile.md section 1.12 written out here. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include "core/common.h"
#include "core/buf.h"
#include "hull/lint.h"

static const char *shared_dir(void)
{
    const char *s = getenv("HULL_SHARED");
    return s && *s ? s : "../shared";
}

static struct hull_dockerfile *parse_ok(const char *src)
{
    struct hull_dockerfile *df = NULL;
    struct hull_err *e = NULL;
    int rc = hull_dockerfile_parse(src, strlen(src), &df, &e);
    if (rc < 0)
        fail_msg("parse failed: %s", e->msg);
    return df;
}

static char *dump_of(const char *src)
{
    struct hull_dockerfile *df = parse_ok(src);
    char *d = hull_dockerfile_dump(df, NULL, NULL);
    hull_dockerfile_free(df);
    return d;
}

static void expect_dump(const char *src, const char *want)
{
    char *d = dump_of(src);
    assert_string_equal(d, want);
    free(d);
}

static void expect_error(const char *src, size_t len_unused, const char *needle)
{
    struct hull_dockerfile *df = NULL;
    struct hull_err *e = NULL;
    (void)len_unused;
    size_t len = strlen(src);
    assert_true(hull_dockerfile_parse(src, len, &df, &e) < 0);
    assert_null(df);
    if (!strstr(e->msg, needle))
        fail_msg("error '%s' lacks '%s'", e->msg, needle);
    assert_null(strchr(e->msg, '\n'));
    hull_err_free(e);
}

static void test_tricky(void **state)
{
    (void)state;
    expect_dump("# escape=`\nFROM a\nRUN dir c:\\\n", "(from \"a\")\n(run \"dir c:\\\\\")\n");
    expect_dump("# note\n# escape=`\nFROM a\nRUN x `\ny\n", "(from \"a\")\n(run \"x `\")\n(y \"\")\n");
    expect_dump("#!/bin/sh\n# escape=`\nFROM a\nRUN a`\nb\n", "(from \"a\")\n(run \"a`\")\n(b \"\")\n");
    expect_dump("   # ESCAPE = `\nFROM a\nRUN a`\nb\n", "(from \"a\")\n(run \"ab\")\n");
    expect_dump("\xef\xbb\xbf# escape=`\nFROM a\n", "(from \"a\")\n");
    expect_error("# escape=`\n# escape=\\\nFROM a\n", 32, "only one escape parser directive");
    expect_error("# escape=x\nFROM a\n", 18, "invalid escape token");
    expect_dump("FROM a\nRUN a\\\nb\n", "(from \"a\")\n(run \"ab\")\n");
    expect_dump("FROM a\nRUN a \\\n  b\n", "(from \"a\")\n(run \"a   b\")\n");
    expect_dump("FROM a\nRUN a \\  \nb\n", "(from \"a\")\n(run \"a b\")\n");
    expect_dump("FROM a\nENV P=C:\\\\\nENV Q=1\n",
                "(from \"a\")\n(env \"P\" \"C:\\\\\\\\\" \"=\")\n(env \"Q\" \"1\" \"=\")\n");
    expect_dump("FROM a\nENV E hi\\\n\\\nthere\n", "(from \"a\")\n(env \"E\" \"hithere\" \"\")\n");
    expect_dump("FROM a\nRUN a \\\n# note \\\n  b\n", "(from \"a\")\n(run \"a   b\")\n");
    expect_dump("FROM a\n# note \\\nRUN b\n", "(from \"a\")\n(run \"b\")\n");
    expect_dump("FROM a\nRUN echo a # b\n", "(from \"a\")\n(run \"echo a # b\")\n");
    expect_dump("FROM a\nRUN a \\", "(from \"a\")\n(run \"a\")\n");
    expect_dump("FROM a\r\nRUN a \\\r\n  b\r\n", "(from \"a\")\n(run \"a   b\")\n");
    expect_dump("FROM a\nCMD ['a','b']\n", "(from \"a\")\n(cmd \"['a','b']\")\n");
    expect_dump("FROM a\nRUN [\"c:\\windows\\x.exe\"]\n",
                "(from \"a\")\n(run \"[\\\"c:\\\\windows\\\\x.exe\\\"]\")\n");
    expect_error("FROM a\nRUN [\"echo\", 1]\n", 23, "line 2: when using JSON array syntax");
    expect_dump("FROM a\nENTRYPOINT []\n", "(from \"a\")\n(entrypoint)\n");
    expect_dump("FROM a\nHEALTHCHECK --interval=5s CMD [\"curl\",\"-f\",\"x\"]\n",
                "(from \"a\")\n(healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\" \"x\")\n");
    expect_dump("FROM a\nCOPY --chown=1 -- --weird /d/\n",
                "(from \"a\")\n(copy [\"--chown=1\"] \"--weird\" \"/d/\")\n");
    expect_dump("FROM a\nENV ONE TWO= THREE=world\n",
                "(from \"a\")\n(env \"ONE\" \"TWO= THREE=world\" \"\")\n");
    expect_error("FROM a\nENV A=1 B\n", 16, "can't find =");
    expect_dump("from a as b\nFOO bar\n", "(from \"a\" \"as\" \"b\")\n(foo \"\")\n");
    expect_dump("FROM a\nONBUILD RUN x\n", "(from \"a\")\n(onbuild (run \"x\"))\n");
    expect_error("# only\n# comments\n", 18, "file with no instructions");
    expect_error("", 0, "file with no instructions");
}

static void test_heredocs(void **state)
{
    (void)state;
    struct hull_dockerfile *df =
        parse_ok("FROM a\nRUN x && \\\n  cat <<EOF\nbody $X\nEOF\nCOPY <<A <<\"B\" /d/\none\nA\n"
                 "two\nB\nRUN <<-EOF\n\techo hi\n\tEOF\nRUN 3<<E\"OF\" cat\nx\nEOF\n"
                 "RUN <<\\EOF\necho $X\nEOF\nUSER <<X\nX\n");
    assert_int_equal(df->nnodes, 8);
    assert_int_equal(df->nodes[1].nheredocs, 1);
    assert_string_equal(df->nodes[1].heredocs[0].name, "EOF");
    assert_string_equal(df->nodes[1].heredocs[0].content, "body $X\n");
    assert_int_equal(df->nodes[1].start_line, 2);
    assert_int_equal(df->nodes[1].end_line, 5);
    assert_int_equal(df->nodes[2].nheredocs, 2);
    assert_string_equal(df->nodes[2].heredocs[1].content, "two\n");
    assert_false(df->nodes[2].heredocs[1].expand);
    assert_true(df->nodes[3].heredocs[0].chomp);
    assert_string_equal(df->nodes[3].heredocs[0].content, "\techo hi\n");
    assert_int_equal(df->nodes[4].heredocs[0].fd, 3);
    assert_false(df->nodes[4].heredocs[0].expand);
    assert_true(df->nodes[5].heredocs[0].expand);
    assert_string_equal(df->nodes[6].lower, "user");
    assert_int_equal(df->nodes[6].nheredocs, 0);
    assert_string_equal(df->nodes[7].lower, "x");
    hull_dockerfile_free(df);
    expect_error("FROM a\nRUN <<EOF\necho\n", 21, "line 2: unterminated heredoc");
}

static void test_line_limit(void **state)
{
    (void)state;
    size_t n = 70000;
    char *big = malloc(n + 16);
    memcpy(big, "FROM a\nRUN ", 11);
    memset(big + 11, 'x', n);
    big[n + 11] = '\n';
    expect_error(big, n + 12, "line 2: dockerfile line greater than max allowed size");
    /* exactly 65535 bytes is still fine */
    memcpy(big + 7, "RUN ", 4);
    size_t m = 7 + 65535;
    big[m] = '\n';
    struct hull_dockerfile *df = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(hull_dockerfile_parse(big, m + 1, &df, &e), 0);
    hull_dockerfile_free(df);
    free(big);
}

static char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *pathf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    assert_non_null(s);
    return s;
}

static char *slurp(const char *path, size_t *n)
{
    char *p = NULL;
    struct hull_err *e = NULL;
    if (hull_read_file(path, 1 << 24, &p, n, &e) < 0) {
        hull_err_free(e);
        return NULL;
    }
    return p;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **v = NULL;
    size_t n = 0;
    struct dirent *de;
    size_t sl = strlen(suffix);
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > sl && !strcmp(de->d_name + l - sl, suffix)) {
            v = realloc(v, (n + 1) * sizeof(*v));
            v[n++] = strdup(de->d_name);
        }
    }
    closedir(d);
    qsort(v, n, sizeof(*v), cmp_name);
    *out = v;
    return n;
}

/* Compare line numbers, JSON form and heredocs of one file with the oracle's .json. */
static int check_json(const struct hull_dockerfile *df, const char *jpath, const char *name)
{
    json_error_t je;
    json_t *root = json_load_file(jpath, JSON_ALLOW_NUL, &je);
    if (!root) {
        print_message("# %s: no oracle json\n", name);
        return 1;
    }
    int bad = 0;
    json_t *ins = json_object_get(root, "instructions");
    if (json_array_size(ins) != df->nnodes) {
        print_message("# %s: %zu instructions, oracle %zu\n", name, df->nnodes,
                      json_array_size(ins));
        json_decref(root);
        return 1;
    }
    const char *esc = json_string_value(json_object_get(root, "escape_token"));
    if (!esc || esc[0] != df->escape)
        bad++;
    if (json_array_size(json_object_get(root, "warnings")) != df->nempty_cont)
        bad++;
    for (size_t i = 0; i < df->nnodes; i++) {
        const struct hull_df_node *nd = &df->nodes[i];
        json_t *o = json_array_get(ins, i);
        if (json_integer_value(json_object_get(o, "start_line")) != nd->start_line ||
            json_integer_value(json_object_get(o, "end_line")) != nd->end_line ||
            json_is_true(json_object_get(o, "json_form")) != nd->json) {
            print_message("# %s: instruction %zu lines/json differ\n", name, i + 1);
            bad++;
            continue;
        }
        json_t *hds = json_object_get(o, "heredocs");
        if (json_array_size(hds) != nd->nheredocs) {
            print_message("# %s: instruction %zu heredoc count differs\n", name, i + 1);
            bad++;
            continue;
        }
        for (size_t k = 0; k < nd->nheredocs; k++) {
            json_t *h = json_array_get(hds, k);
            const struct hull_df_heredoc *hd = &nd->heredocs[k];
            const char *hn = json_string_value(json_object_get(h, "name"));
            const char *hc = json_string_value(json_object_get(h, "content"));
            if (!hn || !hc || strcmp(hn, hd->name) || strcmp(hc, hd->content) ||
                json_is_true(json_object_get(h, "expand")) != hd->expand ||
                json_is_true(json_object_get(h, "chomp")) != hd->chomp ||
                json_integer_value(json_object_get(h, "fd")) != (json_int_t)hd->fd) {
                print_message("# %s: instruction %zu heredoc %zu differs\n", name, i + 1, k);
                bad++;
            }
        }
    }
    json_decref(root);
    return bad;
}

static void test_corpus(void **state)
{
    (void)state;
    char *dir = pathf("%s/data/dockerfiles", shared_dir());
    char **names = NULL;
    size_t n = list_dir(dir, ".Dockerfile", &names);
    if (n == 0) { /* cmocka's skip() reports "not ok", which prove counts as a failure */
        print_message("# SKIP ../shared not present (%s)\n", dir);
        free(dir);
        return;
    }
    size_t ok = 0, mismatch = 0, jbad = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = pathf("%s/%s", dir, names[i]);
        size_t len;
        char *src = slurp(path, &len);
        free(path);
        assert_non_null(src);
        struct hull_dockerfile *df = NULL;
        struct hull_err *e = NULL;
        if (hull_dockerfile_parse(src, len, &df, &e) < 0) {
            print_message("# %s: %s\n", names[i], e->msg);
            hull_err_free(e);
            mismatch++;
            free(src);
            continue;
        }
        size_t dl, ol;
        char *d = hull_dockerfile_dump(df, &dl, NULL);
        char *opath = pathf("%s/oracle/%s.dump", dir, names[i]);
        char *o = slurp(opath, &ol);
        free(opath);
        if (o && ol == dl && !memcmp(o, d, dl)) {
            ok++;
        } else {
            print_message("# dump mismatch: %s\n", names[i]);
            mismatch++;
        }
        opath = pathf("%s/oracle/%s.json", dir, names[i]);
        jbad += check_json(df, opath, names[i]) != 0;
        free(opath);
        free(o);
        free(d);
        free(src);
        hull_dockerfile_free(df);
    }
    print_message("# corpus: %zu files, %zu dumps equal to the oracle, %zu mismatches, "
                  "%zu json mismatches\n", n, ok, mismatch, jbad);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    assert_int_equal(mismatch, 0);
    assert_int_equal(jbad, 0);
    assert_true(n >= 378);
}

static void test_invalid(void **state)
{
    (void)state;
    char *dir = pathf("%s/data/dockerfiles/invalid", shared_dir());
    char **names = NULL;
    size_t n = list_dir(dir, ".Dockerfile", &names);
    if (n == 0) { /* cmocka's skip() reports "not ok", which prove counts as a failure */
        print_message("# SKIP ../shared not present (%s)\n", dir);
        free(dir);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *path = pathf("%s/%s", dir, names[i]);
        size_t len;
        char *src = slurp(path, &len);
        free(path);
        assert_non_null(src);
        struct hull_dockerfile *df = NULL;
        struct hull_err *e = NULL;
        assert_true(hull_dockerfile_parse(src, len, &df, &e) < 0);
        assert_int_equal(e->code, HULL_E_PARSE);
        assert_true(!strncmp(e->msg, "line ", 5));
        assert_null(strchr(e->msg, '\n'));
        hull_err_free(e);
        free(src);
        free(names[i]);
    }
    free(names);
    free(dir);
    assert_int_equal(n, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tricky),
        cmocka_unit_test(test_heredocs),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
