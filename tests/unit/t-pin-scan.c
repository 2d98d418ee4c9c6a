/* The pin scanner: which tokens are references, their exact spans, and splicing
 * (shared/docs/dockerfile.md 1.3-1.5, 1.8-1.9, 4.6). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "hull/pin.h"

struct want {
    const char *image;
    enum hull_pin_state state;
    size_t line;
};

/* Scan text and compare the items; every candidate's span must hold exactly its image. */
static void check(const char *name, const char *text, enum hull_pin_format fmt,
                  const struct want *w, size_t n)
{
    struct hull_pin_scan sc;
    struct hull_err *e = NULL;
    if (hull_pin_scan(name, text, strlen(text), fmt, &sc, &e) != 0)
        fail_msg("scan failed: %s", e->msg);
    if (sc.n != n) {
        for (size_t i = 0; i < sc.n; i++)
            print_message("item %zu: %s state %d line %zu\n", i, sc.items[i].image,
                          sc.items[i].state, sc.items[i].line);
        fail_msg("want %zu items, got %zu", n, sc.n);
    }
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(sc.items[i].image, w[i].image);
        assert_int_equal(sc.items[i].state, w[i].state);
        assert_int_equal(sc.items[i].line, w[i].line);
        if (w[i].state == HULL_PIN_CANDIDATE) {
            assert_int_equal(sc.items[i].len, strlen(w[i].image));
            assert_memory_equal(text + sc.items[i].off, w[i].image, sc.items[i].len);
        }
    }
    hull_pin_scan_release(&sc);
}

#define C HULL_PIN_CANDIDATE
#define STAGE HULL_PIN_SKIP_STAGE
#define SCR HULL_PIN_SKIP_SCRATCH
#define VAR HULL_PIN_SKIP_VARIABLE

static void test_dockerfile(void **state)
{
    (void)state;
    const char *df =
        "\xef\xbb\xbf# syntax=docker/dockerfile:1\n"              /* 1 BOM + directive */
        "ARG BASE=\"node:20\" OTHER=x\n"                          /* 2 quoted default */
        "ARG EMPTY\n"                                             /* 3 */
        "FROM --platform=$BUILDPLATFORM ${BASE} AS Build\n"      /* 4 -> ARG on line 2 */
        "RUN cat <<-EOT && echo \"<<NOT\" <<'Q2'\n"               /* 5 two heredocs */
        "\tFROM inside:heredoc\n"                                 /* 6 */
        "\tEOT\n"                                                 /* 7 */
        "FROM still:heredoc\n"                                    /* 8 body of Q2 */
        "Q2\n"                                                    /* 9 */
        "RUN a \\\n"                                              /* 10 */
        "# FROM comment:in-continuation \\\n"                     /* 11 */
        "\n"                                                      /* 12 empty continuation */
        "  b\n"                                                   /* 13 */
        "# FROM comment:top\n"                                    /* 14 */
        "  from   alpine:3.20@sha256:"                              /* 15 */
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef   AS x\n"
        "FROM build\n"                                            /* 16 stage, case-folded */
        "FROM X\n"                                                /* 17 stage x */
        "FROM Scratch\n"                                          /* 18 */
        "FROM ${EMPTY:-debian:12}\n"                              /* 19 default in FROM */
        "FROM ${EMPTY}\n"                                         /* 20 no default */
        "FROM node:${OTHER}-alpine\n"                             /* 21 fragments */
        "FROM \\\n"                                               /* 22 */
        "  ghcr.io/a/b:1 \\\n"                                    /* 23 */
        "  AS split\n"                                            /* 24 */
        "ONBUILD RUN <<E\n"                                       /* 25 */
        "FROM onbuild:body\n"                                     /* 26 */
        "E\n"                                                     /* 27 */
        "FROM $BASE\n";                                           /* 28 same ARG: once */
    const struct want w[] = {
        { "node:20", C, 2 },
        { "alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          C, 15 },
        { "build", STAGE, 16 },
        { "X", STAGE, 17 },
        { "Scratch", SCR, 18 },
        { "debian:12", C, 19 },
        { "${EMPTY}", VAR, 20 },
        { "node:${OTHER}-alpine", VAR, 21 },
        { "ghcr.io/a/b:1", C, 23 },
    };
    check("Dockerfile", df, HULL_PIN_AUTO, w, HULL_ARRAY_LEN(w));

    /* backtick escape: '\' is literal, '`' continues */
    const char *bt = "# escape=`\nFROM `\n  img:1 `\n  AS a\nRUN dir c:\\\nFROM img:2\n";
    const struct want w2[] = { { "img:1", C, 3 }, { "img:2", C, 6 } };
    check("x.dockerfile", bt, HULL_PIN_AUTO, w2, HULL_ARRAY_LEN(w2));

    /* after a comment the escape directive is ignored; CRLF; an even number of escapes */
    const char *cr =
        "# note\r\n# escape=`\r\nFROM a:1 `\r\nFROM b:2\r\nENV P=C:\\\\\r\nFROM c:3\r\n";
    const struct want w3[] = { { "a:1", C, 3 }, { "b:2", C, 4 }, { "c:3", C, 6 } };
    check(NULL, cr, HULL_PIN_DOCKERFILE, w3, HULL_ARRAY_LEN(w3));

    /* continuation at EOF, escaped/quoted tokens */
    const char *eof = "FROM \"quoted:1\"\nFROM a\\b:1\nFROM last:1 \\";
    const struct want w4[] = { { "\"quoted:1\"", VAR, 1 }, { "a\\b:1", VAR, 2 },
                               { "last:1", C, 3 } };
    check("Containerfile", eof, HULL_PIN_AUTO, w4, HULL_ARRAY_LEN(w4));
}

static void test_copy_from(void **state)
{
    (void)state;
    const char *df =
        "FROM golang:1.22 AS build\n"                                   /* 1 */
        "COPY --from=build /a /b\n"                                     /* 2 stage */
        "COPY --from=0 /a /b\n"                                         /* 3 index */
        "COPY --chown=1 --from=nginx:1.25 /etc/nginx /etc/nginx\n"      /* 4 image */
        "COPY --from=Later /x /y\n"                                     /* 5 later stage */
        "COPY --from=${IMG} /x /y\n"                                    /* 6 variable */
        "COPY -- --from=not:a-flag /d/\n"                               /* 7 after -- */
        "RUN --mount=type=cache,target=/c --mount=type=bind,from=busybox:1,target=/b \\\n"
        "    --mount=from=build,target=/s true\n"                        /* 8-9 */
        "ONBUILD COPY --from=alpine:3 /a /b\n"                          /* 10 */
        "FROM scratch AS later\n";                                      /* 11 */
    const struct want w[] = {
        { "golang:1.22", C, 1 }, { "nginx:1.25", C, 4 }, { "busybox:1", C, 8 },
        { "alpine:3", C, 10 }, { "scratch", SCR, 11 },
    };
    check("Dockerfile", df, HULL_PIN_AUTO, w, HULL_ARRAY_LEN(w));
}

static void test_errors(void **state)
{
    (void)state;
    struct hull_pin_scan sc;
    struct hull_err *e = NULL;
    const char *t = "FROM a:1\nRUN <<EOF\nnever ends\n";
    assert_true(hull_pin_scan("Dockerfile", t, strlen(t), HULL_PIN_AUTO, &sc, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    size_t big = 70 * 1024;
    char *line = malloc(big + 8);
    memcpy(line, "RUN ", 4);
    memset(line + 4, 'a', big);
    line[big + 4] = 0;
    assert_true(hull_pin_scan("Dockerfile", line, strlen(line), HULL_PIN_AUTO, &sc, &e) < 0);
    assert_int_equal(e->code, HULL_E_PARSE);
    hull_err_clear(&e);
    free(line);
    assert_true(hull_pin_scan("notes", "hello world\n", 12, HULL_PIN_AUTO, &sc, &e) < 0);
    assert_int_equal(e->code, HULL_E_UNSUPPORTED);
    hull_err_clear(&e);
    assert_true(hull_pin_scan("Dockerfile", "FROM a\0b", 8, HULL_PIN_AUTO, &sc, &e) < 0);
    hull_err_clear(&e);
    /* an empty file has nothing to pin */
    assert_int_equal(hull_pin_scan("Dockerfile", "", 0, HULL_PIN_AUTO, &sc, &e), 0);
    assert_int_equal(sc.n, 0);
    hull_pin_scan_release(&sc);
}

static void test_yaml(void **state)
{
    (void)state;
    const char *y =
        "# image: commented:1\n"                      /* 1 */
        "services:\n"                                 /* 2 */
        "  web:\n"                                    /* 3 */
        "    image: nginx:1.25 # front\n"             /* 4 */
        "    labels:\n"                               /* 5 */
        "      note: |\n"                             /* 6 */
        "        image: in-block:1\n"                 /* 7 */
        "  db:\n"                                     /* 8 */
        "    image: \"postgres:16\"\n"                /* 9 */
        "    environment:\n"                          /* 10 */
        "      - image: 'seq:1'\n"                    /* 11 */
        "  x:\n"                                      /* 12 */
        "    image: ${REG}/app:${TAG}\n"              /* 13 */
        "    imagePullPolicy: Always\n"               /* 14 */
        "    \"image\": quoted-key:1\r\n"             /* 15 */
        "    image:\n"                                /* 16 empty */
        "    image: a#b:1\n";                         /* 17: '#' without a blank is data */
    const struct want w[] = {
        { "nginx:1.25", C, 4 }, { "postgres:16", C, 9 }, { "seq:1", C, 11 },
        { "${REG}/app:${TAG}", VAR, 13 }, { "quoted-key:1", C, 15 }, { "a#b:1", C, 17 },
    };
    check("compose.yaml", y, HULL_PIN_AUTO, w, HULL_ARRAY_LEN(w));
    const char *k =
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: busybox\n";
    const struct want wk[] = { { "busybox", C, 6 } };
    check("pod.manifest", k, HULL_PIN_AUTO, wk, HULL_ARRAY_LEN(wk));
}

static void test_apply(void **state)
{
    (void)state;
    const char *t = "FROM a:1 AS x\nFROM b@sha256:old\n";
    char *tok1 = hull_pin_token("a:1", "sha256:new1");
    char *tok2 = hull_pin_token("b:2@sha256:old", "sha256:new2");
    assert_string_equal(tok1, "a:1@sha256:new1");
    assert_string_equal(tok2, "b:2@sha256:new2");
    struct hull_pin_edit e[2] = { { 5, 3, tok1 }, { 19, 12, tok2 } };
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(hull_pin_apply(t, strlen(t), e, 2, &out, &n, NULL), 0);
    assert_string_equal(out, "FROM a:1@sha256:new1 AS x\nFROM b:2@sha256:new2\n");
    assert_int_equal(n, strlen(out));
    free(out);
    struct hull_pin_edit bad[2] = { { 5, 3, tok1 }, { 6, 1, tok2 } };
    struct hull_err *err = NULL;
    assert_true(hull_pin_apply(t, strlen(t), bad, 2, &out, &n, &err) < 0);
    hull_err_free(err);
    free(tok1);
    free(tok2);
}

/* an untagged reference resolved "latest": the pin names it */
static void test_token_tag(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "node", "node:latest@sha256:d" },
        { "reg/node-app", "reg/node-app:latest@sha256:d" },
        { "127.0.0.1:5000/t/app", "127.0.0.1:5000/t/app:latest@sha256:d" },
        { "127.0.0.1:5000/t/app:2", "127.0.0.1:5000/t/app:2@sha256:d" },
        { "reg:5000/app:1@sha256:old", "reg:5000/app:1@sha256:d" },
        { "docker.io/library/alpine", "docker.io/library/alpine:latest@sha256:d" },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(cases); i++) {
        char *t = hull_pin_token(cases[i][0], "sha256:d");
        assert_non_null(t);
        assert_string_equal(t, cases[i][1]);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_tag),
        cmocka_unit_test(test_dockerfile),
        cmocka_unit_test(test_copy_from),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
