/* The two shell readers behind the rules: build-time variable expansion (BuildKit's
 * ProcessWord semantics for FROM/ARG/ENV) and the RUN script splitter. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "lint/lintpriv.h"

static struct hull_vars vars;

static void expect(const char *in, const char *want, bool want_unresolved)
{
    bool un = false, bad = false, oom = false;
    char *got = hull_expand(in, strlen(in), '\\', &vars, &un, &bad, &oom);
    if (!got)
        fail_msg("'%s': expansion failed", in);
    if (strcmp(got, want) || un != want_unresolved)
        fail_msg("'%s': got '%s' (unresolved %d), want '%s' (%d)", in, got, un, want,
                 want_unresolved);
    free(got);
}

static void expect_bad(const char *in)
{
    bool un = false, bad = false, oom = false;
    char *got = hull_expand(in, strlen(in), '\\', &vars, &un, &bad, &oom);
    if (got || !bad)
        fail_msg("'%s': expected a syntax error, got '%s'", in, got ? got : "(null)");
}

static void test_expand(void **state)
{
    (void)state;
    bool oom = false;
    vars_set(&vars, "A", "alpha", &oom);
    vars_set(&vars, "E", "", &oom);
    vars_set(&vars, "U", NULL, &oom);
    expect("$A ${A}", "alpha alpha", false);
    expect("x${A}y", "xalphay", false);
    expect("${U:-def} ${U-def} ${E:-def} ${E-def}", "def def def ", false);
    expect("${A:+set} ${E:+set} ${E+set} ${U+set}", "set  set ", false);
    expect("${A:-${U:-nested}}", "alpha", false);
    expect("${U:-${A}}", "alpha", false);
    expect("\\$A '$A' \"$A\" \"\\$A\"", "$A $A alpha $A", false);
    expect("$1$.x", "$.x", false);
    expect("${A#al}", "alpha", true);
    expect("img:${MISSING}", "img:", true);
    expect_bad("${}");
    expect_bad("${:x}");
    expect_bad("${A");
    expect_bad("${A:y}");
    expect_bad("'unterminated");
    vars_free(&vars);
}

static void test_split(void **state)
{
    (void)state;
    bool oom = false;
    struct shscript sc;
    const char *s = "set -eux; FOO=1 apt-get update && sudo -u x apt-get install -y \"a b\" 'c'"
                    " 2>&1 >/dev/null | tee log || true\n# comment; rm -rf /\n"
                    "if [ -f x ]; then cd /tmp; fi\ncat <<EOF > f\nrm -rf /body\nEOF\n"
                    "echo $(id -u) `whoami`; bash -c 'ls -l'";
    assert_int_equal(shscript_parse(s, strlen(s), &sc, &oom), 0);
    const char *want[] = { "set", "apt-get", "sudo", "tee", "true", "[", "cd", "cat", "id",
                           "whoami", "echo", "bash", "ls" };
    assert_int_equal(sc.ncmds, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sc.ncmds; i++)
        assert_string_equal(sc.cmds[i].argv[0], want[i]);
    assert_string_equal(sc.cmds[2].argv[5], "-y");
    assert_string_equal(sc.cmds[2].argv[6], "a b");
    assert_string_equal(sc.cmds[2].argv[7], "c");
    assert_int_equal(sc.cmds[2].argc, 8); /* redirections dropped */
    assert_true(sc.cmds[2].pipe_out);
    assert_true(sc.cmds[3].piped);
    assert_false(sc.cmds[4].piped);
    assert_true(sc.has_pipe);
    assert_false(sc.sets_pipefail);
    assert_int_equal(sc.cmds[1].off, 10); /* FOO=1 apt-get ... starts at offset 10 */
    shscript_free(&sc);
    s = "set -o pipefail && curl -fsSL x | sh";
    assert_int_equal(shscript_parse(s, strlen(s), &sc, &oom), 0);
    assert_true(sc.sets_pipefail);
    shscript_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
