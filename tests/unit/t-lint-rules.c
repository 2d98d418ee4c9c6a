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

/* The schema the DL3049-DL3058 examples name in their second comment line. */
static const char label_schema_yaml[] =
    "label-schema:\n  maintainer: email\n  version: semver\n  source: url\n"
    "  created: rfc3339\n  revision: hash\n  license: spdx\nstrict-labels: true\n";

static void label_schema(struct hull_lint_config *cfg)
{
    struct hull_err *e = NULL;
    assert_int_equal(hull_lint_config_load(cfg, label_schema_yaml, strlen(label_schema_yaml),
                                           &e), 0);
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
        if (tab[i].level == HULL_LINT_IGNORE) /* DL3057: off unless re-rated */
            assert_int_equal(hull_lint_config_override(&cfg, tab[i].code, HULL_LINT_INFO,
                                                       NULL), 0);
        int dl = !strncmp(tab[i].code, "DL", 2) ? (int)strtol(tab[i].code + 2, NULL, 10) : 0;
        if (dl >= 3049 && dl <= 3058 && dl != 3057) /* label schema rules */
            label_schema(&cfg);
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

static bool has_cfg(const char *src, const char *code, const struct hull_lint_config *cfg)
{
    struct hull_lint_result r = lint_src(src, cfg);
    bool b = find(&r, code) != NULL;
    hull_lint_result_release(&r);
    return b;
}

static void test_rpm_pinning(void **state)
{
    (void)state;
    /* DL3033 yum: a '-' in the name counts as a version, .rpm files and variables pass */
    assert_true(has("FROM centos:7\nRUN yum install -y httpd\n", "DL3033"));
    assert_true(has("FROM centos:7\nRUN yum -y --setopt=tsflags=nodocs install vim\n", "DL3033"));
    assert_true(has("FROM centos:7\nRUN yum module install -y nodejs\n", "DL3033"));
    assert_false(has("FROM centos:7\nRUN yum install -y httpd-2.4.6 ./x.rpm $PKG\n", "DL3033"));
    assert_false(has("FROM centos:7\nRUN yum module install -y nodejs:18\n", "DL3033"));
    assert_false(has("FROM centos:7\nRUN yum update -y && yum clean all\n", "DL3033"));
    assert_false(has("FROM centos:7\nRUN yum groupinstall -y 'Development Tools'\n", "DL3033"));
    /* DL3041 dnf / microdnf: the part after the first '-' must look like a version */
    assert_true(has("FROM fedora:39\nRUN dnf install -y python3-devel\n", "DL3041"));
    assert_true(has("FROM fedora:39\nRUN microdnf install -y tar\n", "DL3041"));
    assert_true(has("FROM fedora:39\nRUN dnf module install -y nodejs\n", "DL3041"));
    assert_false(has("FROM fedora:39\nRUN dnf install -y nginx-1.20.1 python3-devel-3.12.1-2.fc39"
                     " x.rpm\n", "DL3041"));
    assert_false(has("FROM fedora:39\nRUN dnf module install -y nodejs:20\n", "DL3041"));
    assert_false(has("FROM fedora:39\nRUN dnf group install -y 'Development Tools'\n",
                     "DL3041"));
    assert_false(has("FROM fedora:39\nRUN yum install -y python3-devel\n", "DL3041"));
    /* DL3037 zypper: = < > or an .rpm */
    assert_true(has("FROM opensuse/leap:15\nRUN zypper -n in curl\n", "DL3037"));
    assert_true(has("FROM opensuse/leap:15\nRUN zypper install -y curl-8.0\n", "DL3037"));
    assert_false(has("FROM opensuse/leap:15\nRUN zypper -n in curl=8.0 'vim<10' x.rpm\n",
                     "DL3037"));
    assert_false(has("FROM opensuse/leap:15\nRUN zypper -n rm curl\n", "DL3037"));
    /* the message lists the unpinned packages and the command's position */
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src("FROM centos:7\nRUN true && \\\n"
                                         "  yum install -y a b-1 c\n", &cfg);
    const struct hull_lint_finding *f = find(&r, "DL3033");
    assert_non_null(f);
    assert_int_equal(f->line, 3);
    assert_int_equal(f->column, 3);
    assert_int_equal(f->level, HULL_LINT_WARNING);
    assert_string_equal(f->message, "specify version with `yum install -y <package>-<version>`: "
                                    "a c");
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
}

static void test_add_for_archive(void **state)
{
    (void)state;
    /* DL3010: reported at the COPY, only when a later RUN of the same stage extracts it */
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src("FROM debian:12\nCOPY a.txt x/y.tar.xz /src/\n"
                                         "RUN unxz /src/y.tar.xz\n", &cfg);
    const struct hull_lint_finding *f = find(&r, "DL3010");
    assert_non_null(f);
    assert_int_equal(f->line, 2);
    assert_int_equal(f->level, HULL_LINT_INFO);
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
    assert_true(has("FROM debian:12\nCOPY src.tgz /tmp/pkg.tar.gz\n"
                    "RUN tar --extract -f /tmp/pkg.tar.gz\n", "DL3010"));
    assert_true(has("FROM debian:12\nCOPY \"app.tar\" /tmp/\nRUN cd /opt && tar -xf "
                    "/tmp/app.tar\n", "DL3010"));
    /* not extracted, extracted in another stage, a different file, COPY --from, no -x */
    assert_false(has("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN ls /tmp\n", "DL3010"));
    assert_false(has("FROM debian:12\nCOPY app.tar.gz /tmp/\nFROM debian:12\n"
                     "RUN tar -xzf /tmp/app.tar.gz\n", "DL3010"));
    assert_false(has("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf other.tar.gz\n",
                     "DL3010"));
    assert_false(has("FROM debian:12\nCOPY --from=b /app.tar.gz /tmp/\n"
                     "RUN tar -xzf /tmp/app.tar.gz\n", "DL3010"));
    assert_false(has("FROM debian:12\nCOPY app.tar.gz /tmp/\n"
                     "RUN tar --exclude=x -czf /tmp/app.tar.gz /src\n", "DL3010"));
    assert_false(has("FROM debian:12\nCOPY app.zip /tmp/\nRUN unzip /tmp/app.zip\n",
                     "DL3010"));
}

static void test_healthcheck_missing(void **state)
{
    (void)state;
    /* DL3057 is "ignore" by default, as in hadolint: nothing unless re-rated */
    assert_false(has("FROM debian:12\nCMD [\"/app\"]\n", "DL3057"));
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    assert_int_equal(hull_lint_config_override(&cfg, "DL3057", HULL_LINT_WARNING, NULL), 0);
    struct hull_lint_result r = lint_src("FROM debian:12 AS a\nHEALTHCHECK CMD true\n"
                                         "FROM a\nFROM debian:12\n", &cfg);
    size_t n = 0;
    for (size_t i = 0; i < r.nfindings; i++)
        if (!strcmp(r.findings[i].code, "DL3057")) {
            n++;
            assert_int_equal(r.findings[i].line, 4);
            assert_int_equal(r.findings[i].level, HULL_LINT_WARNING);
            assert_string_equal(r.findings[i].message, "`HEALTHCHECK` instruction missing.");
        }
    assert_int_equal(n, 1);
    hull_lint_result_release(&r);
    assert_false(has_cfg("FROM debian:12\nHEALTHCHECK NONE\n", "DL3057", &cfg));
    hull_lint_config_release(&cfg);
}

static void test_label_schema(void **state)
{
    (void)state;
    const char *all = "FROM debian:12\nLABEL maintainer=a@b.c version=1.0.0 "
                      "source=https://x.org/y created=2024-01-01T00:00:00Z revision=abcdef0 "
                      "license=MIT\n";
    /* without a schema none of DL3049-DL3058 runs */
    const char *codes[] = { "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054",
                            "DL3055", "DL3056", "DL3058" };
    const char *bad = "FROM debian:12\nLABEL version=x source=y created=z revision=q "
                      "license=w maintainer=\"\" extra=1\n";
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        assert_false(has(bad, codes[i]));
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    label_schema(&cfg);
    assert_int_equal(cfg.nlabels, 6);
    assert_true(cfg.strict_labels);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        assert_false(has_cfg(all, codes[i], &cfg));
        if (strcmp(codes[i], "DL3049"))
            assert_true(has_cfg(bad, codes[i], &cfg));
    }
    /* DL3049: one finding per missing label, at the FROM; inherited through FROM <stage>;
     * stages copied from are exempt; other stages are not */
    struct hull_lint_result r = lint_src("FROM debian:12\nLABEL version=1.0.0\n", &cfg);
    size_t n = 0;
    for (size_t i = 0; i < r.nfindings; i++)
        if (!strcmp(r.findings[i].code, "DL3049")) {
            n++;
            assert_int_equal(r.findings[i].line, 1);
            assert_int_equal(r.findings[i].level, HULL_LINT_INFO);
        }
    assert_int_equal(n, 5);
    hull_lint_result_release(&r);
    char src[1024];
    snprintf(src, sizeof(src), "%s%s", all, "FROM debian:12 AS b\nFROM 0\n");
    assert_true(has_cfg(src, "DL3049", &cfg));
    snprintf(src, sizeof(src), "FROM debian:12 AS b\nRUN make\n%sCOPY --from=b /o /o\n", all);
    assert_false(has_cfg(src, "DL3049", &cfg));
    assert_false(has_cfg("FROM debian:12 AS p\nLABEL maintainer=a@b.c version=1.0.0 "
                         "source=https://x.org/y created=2024-01-01T00:00:00Z revision=abcdef0 "
                         "license=MIT\nFROM p\n", "DL3049", &cfg));
    /* DL3050 only with strict-labels */
    cfg.strict_labels = false;
    assert_false(has_cfg(bad, "DL3050", &cfg));
    /* value formats */
    struct { const char *label, *code; bool ok; } v[] = {
        { "source=mailto:a@b.c", "DL3052", true },
        { "source=https://x.org/a%20b?q=1#f", "DL3052", true },
        { "source=\"https://x.org/a b\"", "DL3052", false },
        { "source=/relative/path", "DL3052", false },
        { "created=2024-02-29t23:59:60.123-05:30", "DL3053", true },
        { "created=2024-02-29T23:59:00", "DL3053", false },
        { "created=2024-02-30", "DL3053", false },
        { "version=0.0.0-alpha.0+001", "DL3056", true },
        { "version=1.0.0-01", "DL3056", false },
        { "version=1.0", "DL3056", false },
        { "license=GPL-2.0-or-later", "DL3054", true },
        { "license=GPL-2.0", "DL3054", true },
        { "license=mit", "DL3054", false },
        { "license=\"MIT OR Apache-2.0\"", "DL3054", false },
        { "revision=0123456789abcdef0123456789abcdef0123456", "DL3055", false },
        { "revision=g123456", "DL3055", false },
        { "maintainer=\"\\\"a b\\\"@example.com\"", "DL3058", true },
        { "maintainer=a@[127.0.0.1]", "DL3058", true },
        { "maintainer=a..b@example.com", "DL3058", false },
        { "maintainer=@example.com", "DL3058", false },
        { "version=$VERSION", "DL3056", true }, /* left to the build */
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        snprintf(src, sizeof(src), "FROM debian:12\nLABEL %s\n", v[i].label);
        if (has_cfg(src, v[i].code, &cfg) == v[i].ok)
            fail_msg("LABEL %s: %s %s", v[i].label, v[i].code,
                     v[i].ok ? "reported" : "not reported");
    }
    hull_lint_config_release(&cfg);
    /* config errors name the line; an empty schema is accepted */
    hull_lint_config_init(&cfg);
    struct hull_err *e = NULL;
    const char *y = "label-schema:\n  author: name\n";
    assert_true(hull_lint_config_load(&cfg, y, strlen(y), &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    assert_true(!strncmp(e->msg, "line 2:", 7));
    hull_err_clear(&e);
    y = "label-schema: [a]\n";
    assert_true(hull_lint_config_load(&cfg, y, strlen(y), &e) < 0);
    hull_err_clear(&e);
    y = "label-schema:\nstrict-labels: false\n";
    assert_int_equal(hull_lint_config_load(&cfg, y, strlen(y), &e), 0);
    assert_int_equal(cfg.nlabels, 0);
    hull_lint_config_release(&cfg);
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

static void test_new_hadolint_rules(void **state)
{
    (void)state;
    /* DL3035: any zypper argument dist-upgrade or dup */
    assert_true(has("FROM opensuse/leap:15\nRUN zypper -n dup\n", "DL3035"));
    assert_true(has("FROM opensuse/leap:15\nRUN zypper --non-interactive dist-upgrade -l\n",
                    "DL3035"));
    assert_false(has("FROM opensuse/leap:15\nRUN zypper -n update && zypper -n in vim=9\n",
                     "DL3035"));
    assert_false(has("FROM opensuse/leap:15\nRUN apt-get dist-upgrade\n", "DL3035"));
    /* DL3063: stage alias scratch or context, compared as written */
    assert_true(has("FROM alpine:3.20 AS scratch\n", "DL3063"));
    assert_true(has("FROM alpine:3.20 AS context\nFROM alpine:3.20\n", "DL3063"));
    assert_false(has("FROM scratch\n", "DL3063"));
    assert_false(has("FROM alpine:3.20 AS contexts\n", "DL3063"));
    /* DL3064: known names (any case) and substrings, ARG, ENV and ONBUILD */
    assert_true(has("FROM alpine:3.20\nARG github_token\n", "DL3064"));
    assert_true(has("ARG DB_PASSWORD=x\nFROM alpine:3.20\n", "DL3064"));
    assert_true(has("FROM alpine:3.20\nENV A=1 MY_API_KEY=2\n", "DL3064"));
    assert_true(has("FROM alpine:3.20\nENV TRAVIS_SUDO true\n", "DL3064"));
    assert_true(has("FROM alpine:3.20\nONBUILD ENV SECRET_SAUCE=1\n", "DL3064"));
    assert_false(has("FROM alpine:3.20\nARG VERSION=1\nENV HOME=/app USER_ID=1\n", "DL3064"));
    assert_false(has("FROM alpine:3.20\nENV A=password\n", "DL3064"));
    /* DL3066: only the last USER of the last stage; digits before ':' or an earlier ARG pass */
    assert_true(has("FROM alpine:3.20\nUSER 1000\nUSER app:1000\n", "DL3066"));
    assert_true(has("FROM alpine:3.20\nUSER ${APP}\n", "DL3066"));
    assert_false(has("FROM alpine:3.20\nUSER app\nUSER 1000:app\n", "DL3066"));
    assert_false(has("FROM alpine:3.20 AS b\nUSER app\nFROM alpine:3.20\nUSER 1000\n",
                     "DL3066"));
    assert_false(has("ARG UID=1000\nFROM alpine:3.20\nUSER ${UID}\n", "DL3066"));
    assert_false(has("FROM alpine:3.20\nARG APP\nUSER $APP:$APP\n", "DL3066"));
    assert_false(has("FROM alpine:3.20\n", "DL3066"));
    /* DL3067: COPY --from with source / and destination /, quotes dropped */
    assert_true(has("FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b / /\n", "DL3067"));
    assert_true(has("FROM scratch\nCOPY --from=alpine:3.20 \"/\" '/'\n", "DL3067"));
    assert_false(has("FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b / /rootfs/\n",
                     "DL3067"));
    assert_false(has("FROM scratch\nCOPY / /\n", "DL3067"));
    /* levels and messages */
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    struct hull_lint_result r = lint_src("FROM alpine:3.20\nUSER nobody\n", &cfg);
    const struct hull_lint_finding *f = find(&r, "DL3066");
    assert_non_null(f);
    assert_int_equal(f->line, 2);
    assert_int_equal(f->level, HULL_LINT_INFO);
    hull_lint_result_release(&r);
    r = lint_src("FROM opensuse/leap:15\nRUN zypper -n ref && \\\n  zypper -n dup\n", &cfg);
    f = find(&r, "DL3035");
    assert_non_null(f);
    assert_int_equal(f->line, 3);
    assert_int_equal(f->column, 3);
    assert_int_equal(f->level, HULL_LINT_WARNING);
    assert_string_equal(f->message, "do not use `zypper dist-upgrade`");
    hull_lint_result_release(&r);
    hull_lint_config_release(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_examples),
        cmocka_unit_test(test_rpm_pinning),
        cmocka_unit_test(test_new_hadolint_rules),
        cmocka_unit_test(test_add_for_archive),
        cmocka_unit_test(test_healthcheck_missing),
        cmocka_unit_test(test_label_schema),
        cmocka_unit_test(test_heredoc_and_positions),
        cmocka_unit_test(test_arg_resolution),
        cmocka_unit_test(test_pragmas),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_reporters),
        cmocka_unit_test(test_shellcheck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
