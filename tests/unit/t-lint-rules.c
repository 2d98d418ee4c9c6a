/* Lint rules: every rule in the table has a failing and a passing example in tests/data/lint/
 * (<CODE>.bad.Dockerfile must report CODE, <CODE>.good.Dockerfile must not); RUN heredoc
 * bodies, exact positions, ARG resolution in FROM, pragmas, config and the reporters. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include "core/common.h"
#include "core/buf.h"
#include "hull/lint.h"

static struct hull_lint_result lint_src(const char *src, const struct hull_lint_config *cfg)
{
    struct hull_dockerfile *df = NULL;
    struct hull_err *e = NULL;
    if (hull_dockerfile_parse(src, strlen(src), &df, &e) < 0)
        fail_msg("parse: %s", e->msg);
    struct hull_lint_result r = { 0 };
    r.file = strdup("Dockerfile");
    assert_int_equal(hull_lint_run(df, cfg, &r, &e), 0);
    hull_dockerfile_free(df);
    return r;
}

static const struct hull_lint_finding *find(const struct hull_lint_result *r, const char *code)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (!strcmp(r->findings[i].code, code))
            return &r->findings[i];
    return NULL;
}

static bool has(const char *src, const char *code)
{
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src(src, &cfg);
    bool b = find(&r, code) != NULL;
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
    return b;
}

static char *slurp(const char *path)
{
    char *p = NULL;
    size_t n;
    struct hull_err *e = NULL;
    if (hull_read_file(path, 1 << 20, &p, &n, &e) < 0) {
        hull_err_free(e);
        return NULL;
    }
    return p;
}

static void test_rule_examples(void **state)
{
    (void)state;
    size_t n;
    const struct hull_lint_rule *tab = hull_lint_rules(&n);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(tab[i].code, "SC"))
            continue;
        struct hull_lint_config cfg;
        hull_lint_config_init(&cfg);
        if (!strcmp(tab[i].code, "DL3026"))
            assert_int_equal(hull_lint_config_add(&cfg.trusted, &cfg.ntrusted, "docker.io",
                                                  NULL), 0);
        for (int good = 0; good < 2; good++) {
            char path[256];
            snprintf(path, sizeof(path), "tests/data/lint/%s.%s.Dockerfile", tab[i].code,
                     good ? "good" : "bad");
            char *src = slurp(path);
            if (!src)
                fail_msg("missing example %s", path);
            struct hull_lint_result r = lint_src(src, &cfg);
            bool got = find(&r, tab[i].code) != NULL;
            if (got == (bool)good)
                fail_msg("%s: %s %s", path, tab[i].code, good ? "reported" : "not reported");
            hull_lint_result_release(&r);
            free(src);
            checked++;
        }
        hull_lint_config_release(&cfg);
    }
    print_message("# %zu rule examples checked\n", checked);
    assert_true(checked >= 120);
}

static void test_heredoc_and_positions(void **state)
{
    (void)state;
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src("FROM debian:12\nRUN <<EOF\nset -e\n"
                                         "  apt-get install --no-install-recommends curl\nEOF\n"
                                         "RUN python3 <<EOF\nprint('apt-get install x')\nEOF\n"
                                         "RUN apt-get update && \\\n    apt-get install -y vim\n",
                                         &cfg);
    const struct hull_lint_finding *f = find(&r, "DL3014");
    assert_non_null(f);
    assert_int_equal(f->line, 4);
    assert_int_equal(f->column, 3);
    size_t n15 = 0;
    for (size_t i = 0; i < r.nfindings; i++)
        if (!strcmp(r.findings[i].code, "DL3015")) {
            n15++;
            f = &r.findings[i];
        }
    assert_int_equal(n15, 1);
    assert_int_equal(f->line, 10);
    assert_int_equal(f->column, 5);
    hull_lint_result_release(&r);
    /* the backtick escape and a continuation */
    r = lint_src("# escape=`\nFROM debian:12\nRUN echo a && `\n  sudo ls\n", &cfg);
    f = find(&r, "DL3004");
    assert_non_null(f);
    assert_int_equal(f->line, 4);
    assert_int_equal(f->column, 3);
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
    /* sh -c and $(...) are looked into */
    assert_true(has("FROM debian:12\nRUN sh -c 'sudo true'\n", "DL3004"));
    assert_true(has("FROM debian:12\nRUN echo $(sudo id)\n", "DL3004"));
    assert_true(has("FROM debian:12\nRUN bash -c \"$(curl -fsSL https://x/i.sh)\"\n", "HU006"));
    assert_false(has("FROM debian:12\nRUN echo 'sudo is a word' # sudo\n", "DL3004"));
    /* pipefail set in the script itself */
    assert_false(has("FROM debian:12\nRUN set -euo pipefail; a | b\n", "DL4006"));
    assert_true(has("FROM debian:12\nRUN <<EOF\na | b\nEOF\n", "DL4006"));
}

static void test_arg_resolution(void **state)
{
    (void)state;
    assert_true(has("ARG IMG=debian:latest\nFROM $IMG\n", "DL3007"));
    assert_true(has("ARG V\nFROM debian:${V:-latest}\n", "DL3007"));
    assert_false(has("ARG IMG=debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef\nFROM ${IMG}\n", "HU001"));
    assert_false(has("ARG IMG\nFROM $IMG\n", "DL3006"));
    assert_false(has("FROM debian:12 AS base\nFROM base\n", "DL3006"));
    assert_false(has("FROM scratch\nCOPY x /x\n", "HU001"));
    /* the final stage inherits USER from the stage it is built from */
    assert_false(has("FROM debian:12 AS base\nUSER 10001\nFROM base\n", "HU008"));
    assert_true(has("FROM debian:12 AS base\nUSER 10001\nFROM debian:12\n", "HU008"));
    assert_false(has("FROM gcr.io/distroless/static-debian12:nonroot\n", "HU008"));
    /* COPY --from an external image is an image reference, not a missing stage */
    assert_false(has("FROM debian:12\nCOPY --from=busybox:1.36 /bin/sh /sh\n", "DL3022"));
    assert_true(has("FROM debian:12\nCOPY --from=busybox:1.36 /bin/sh /sh\n", "HU001"));
    assert_true(has("FROM debian:12 AS a\nCOPY --from=$X /a /b\n", "HU000"));
    /* RUN --mount from an external image must be pinned; from a stage it is not an image */
    assert_true(has("FROM debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
                    "0123456789abcdef\nRUN --mount=type=bind,from=golang:1.22,target=/g true\n",
                    "HU001"));
    assert_false(has("FROM debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef AS b\nRUN --mount=type=bind,from=b,target=/g true\n",
                     "HU001"));
    /* ONBUILD RUN is a script too; ONBUILD FROM is refused */
    assert_true(has("FROM debian:12\nONBUILD RUN sudo make\n", "DL3004"));
    assert_true(has("FROM debian:12\nONBUILD FROM x\n", "DL3043"));
}

static void test_pragmas(void **state)
{
    (void)state;
    assert_false(has("# hull ignore=DL3007\nFROM debian:latest\n", "DL3007"));
    assert_false(has("# hadolint ignore=DL3008,DL3007 reason: testing\nFROM debian:latest\n",
                     "DL3007"));
    assert_true(has("# hadolint ignore=DL3008\nFROM debian:latest\n", "DL3007"));
    assert_true(has("# hull ignore=DL3007\n\nFROM debian:latest\n", "DL3007"));
    assert_false(has("FROM debian:12\n# hull global ignore=DL3059\nRUN a\nRUN b\n", "DL3059"));
    assert_false(has("FROM debian:12\n# hull ignore=DL3014\n# another comment\n"
                     "RUN apt-get install curl\n", "DL3014"));
    assert_false(has("# hull stage ignore=DL3059\nFROM debian:12\nRUN a\nRUN b\n", "DL3059"));
    assert_true(has("# hull stage ignore=DL3059\nFROM debian:12\nFROM debian:12\nRUN a\nRUN b\n",
                    "DL3059"));
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    cfg.no_pragmas = true;
    struct hull_lint_result r = lint_src("# hull ignore=DL3007\nFROM debian:latest\n", &cfg);
    assert_non_null(find(&r, "DL3007"));
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
}

static void test_config(void **state)
{
    (void)state;
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    const char *y = "ignored: [DL3059]\ntrustedRegistries: docker.io\noverride:\n"
                    "  error: [DL3007]\n  ignore: [HU001]\nfailure-threshold: warning\n"
                    "label-schema: {}\n";
    struct hull_err *e = NULL;
    assert_int_equal(hull_lint_config_load(&cfg, y, strlen(y), &e), 0);
    assert_int_equal(cfg.failure_threshold, HULL_LINT_WARNING);
    struct hull_lint_result r = lint_src("FROM debian:latest\nRUN a\nRUN b\n"
                                         "FROM quay.io/x/y:1\n", &cfg);
    assert_null(find(&r, "DL3059"));
    assert_null(find(&r, "HU001"));
    assert_non_null(find(&r, "DL3026"));
    const struct hull_lint_finding *f = find(&r, "DL3007");
    assert_non_null(f);
    assert_int_equal(f->level, HULL_LINT_ERROR);
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
    hull_lint_config_init(&cfg);
    const char *bad[] = { "ignored: {a: 1}\n", "failure-threshold: loud\n", "[1, 2]\n",
                          "a: [1,\n", "override: {loud: [DL3007]}\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_true(hull_lint_config_load(&cfg, bad[i], strlen(bad[i]), &e) < 0);
        assert_int_equal(e->code, HULL_E_PARSE);
        assert_true(!strncmp(e->msg, "line ", 5));
        hull_err_clear(&e);
    }
    hull_lint_config_release(&cfg);
}

static char *render(const struct hull_lint_result *r, enum hull_lint_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(hull_lint_report(f, fmt, r, 1, false, NULL), 0);
    fclose(f);
    return buf;
}

static void test_reporters(void **state)
{
    (void)state;
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src("FROM debian:latest\nMAINTAINER \"a<b>\"\n", &cfg);
    char *s = render(&r, HULL_LINT_FMT_JSON);
    json_t *j = json_loads(s, 0, NULL);
    assert_true(json_is_array(j));
    json_t *o = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(o, "file")), "Dockerfile");
    assert_non_null(json_object_get(o, "code"));
    assert_non_null(json_object_get(o, "level"));
    assert_non_null(json_object_get(o, "column"));
    assert_int_equal(json_integer_value(json_object_get(o, "line")), 1);
    json_decref(j);
    free(s);
    s = render(&r, HULL_LINT_FMT_SARIF);
    j = json_loads(s, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
    json_t *res = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
    assert_int_equal(json_array_size(res), r.nfindings);
    json_decref(j);
    free(s);
    s = render(&r, HULL_LINT_FMT_CHECKSTYLE);
    assert_non_null(strstr(s, "<checkstyle"));
    assert_non_null(strstr(s, "source=\"DL4000\""));
    assert_null(strstr(s, "a<b>"));
    free(s);
    s = render(&r, HULL_LINT_FMT_GITLAB);
    j = json_loads(s, 0, NULL);
    o = json_array_get(j, 0);
    assert_int_equal(strlen(json_string_value(json_object_get(o, "fingerprint"))), 64);
    json_decref(j);
    free(s);
    s = render(&r, HULL_LINT_FMT_TTY);
    assert_non_null(strstr(s, "Dockerfile:1:6 DL3007 warning: "));
    free(s);
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
}

static void test_shellcheck(void **state)
{
    (void)state;
    if (system("command -v shellcheck >/dev/null 2>&1") != 0) {
        print_message("# SKIP shellcheck not on PATH\n");
        return;
    }
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    cfg.shellcheck = true;
    struct hull_lint_result r = lint_src("FROM debian:12\nARG NAME\nRUN echo $NAME $undefined_x "
                                         "&& [ $X == 1 ]\nRUN <<EOF\ncd /tmp\n\necho `ls`\nEOF\n",
                                         &cfg);
    const struct hull_lint_finding *f;
    size_t n2154 = 0;
    for (size_t i = 0; i < r.nfindings; i++) {
        f = &r.findings[i];
        if (!strcmp(f->code, "SC2154")) {
            n2154++;
            assert_null(strstr(f->message, "NAME")); /* ARG names are exported... */
            assert_int_equal(f->line, 3);
            assert_int_equal(f->column, 16);
        }
        assert_null(strstr(f->code, "SC1044")); /* the RUN <<EOF line is not a script */
    }
    assert_int_equal(n2154, 1);
    assert_non_null(find(&r, "SC2086"));
    f = find(&r, "SC2006");
    assert_non_null(f); /* ...and heredoc lines map back to the Dockerfile */
    assert_int_equal(f->line, 7);
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_examples),
        cmocka_unit_test(test_heredoc_and_positions),
        cmocka_unit_test(test_arg_resolution),
        cmocka_unit_test(test_pragmas),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_reporters),
        cmocka_unit_test(test_shellcheck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
