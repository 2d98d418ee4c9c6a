/* Fuzz the Dockerfile line layer, BuildKit's Dump, every lint rule and reporter, and the
 * build-time variable expander (the same bytes are fed to hull_expand). The rules run twice:
 * as configured by default (plus a trusted registry), and with a strict label schema naming
 * one label of each format, so the label value checks (DL3049-DL3056, DL3058) see the input. */
#include "core/common.h"
#include "lint/lintpriv.h"

/* Lint df with cfg and, when `report`, run every reporter over the findings. */
static void lint_and_report(const struct hull_dockerfile *df, const struct hull_lint_config *cfg,
                            bool report)
{
    struct hull_err *e = NULL;
    struct hull_lint_result r = { 0 };
    r.file = strdup("Dockerfile");
    if (hull_lint_run(df, cfg, &r, &e) == 0 && report) {
        for (int fmt = HULL_LINT_FMT_TTY; fmt <= HULL_LINT_FMT_GITLAB; fmt++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            if (f) {
                hull_lint_report(f, (enum hull_lint_format)fmt, &r, 1, fmt == 0, NULL);
                fclose(f);
            }
            free(buf);
        }
    }
    hull_err_clear(&e);
    hull_lint_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_dockerfile *df = NULL;
    struct hull_err *e = NULL;
    if (hull_dockerfile_parse((const char *)data, size, &df, &e) < 0) {
        hull_err_clear(&e);
    } else {
        size_t n;
        free(hull_dockerfile_dump(df, &n, NULL));
        struct hull_lint_config cfg;
        hull_lint_config_init(&cfg);
        hull_lint_config_add(&cfg.trusted, &cfg.ntrusted, "docker.io", NULL);
        lint_and_report(df, &cfg, true);
        hull_lint_config_release(&cfg);
        /* the label findings' messages hold only schema names, nothing new for the reporters */
        static const struct {
            const char *name;
            enum hull_lint_label_type type;
        } schema[] = {
            { "t", HULL_LABEL_TEXT },       { "u", HULL_LABEL_URL },
            { "s", HULL_LABEL_SEMVER },     { "h", HULL_LABEL_HASH },
            { "r", HULL_LABEL_RFC3339 },    { "l", HULL_LABEL_SPDX },
            { "e", HULL_LABEL_EMAIL },
        };
        hull_lint_config_init(&cfg);
        cfg.strict_labels = true;
        for (size_t i = 0; i < HULL_ARRAY_LEN(schema); i++)
            hull_lint_config_label(&cfg, schema[i].name, schema[i].type, NULL);
        lint_and_report(df, &cfg, false);
        hull_lint_config_release(&cfg);
        hull_dockerfile_free(df);
    }
    struct hull_vars vars = { 0 };
    bool oom = false, un = false, bad = false;
    vars_set(&vars, "A", "alpha", &oom);
    vars_set(&vars, "E", "", &oom);
    vars_set(&vars, "U", NULL, &oom);
    free(hull_expand((const char *)data, size, '\\', &vars, &un, &bad, &oom));
    vars_free(&vars);
    struct hull_lint_config cfg;
    hull_lint_config_init(&cfg);
    if (hull_lint_config_load(&cfg, (const char *)data, size, &e) < 0)
        hull_err_clear(&e);
    hull_lint_config_release(&cfg);
    return 0;
}
