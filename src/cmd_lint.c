/* hull lint: parse Dockerfiles as BuildKit does and report hadolint-compatible (DL), hull (HU)
 * and ShellCheck (SC) findings in one of five formats; the exit code follows the threshold. */
#define _GNU_SOURCE
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"
#include "hull/lint.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: hull lint [OPTIONS] FILE...   (FILE '-' reads stdin)\n"
            "\n"
            "Lint Dockerfiles: BuildKit's parser, hadolint-compatible DL rules, hull's HU rules\n"
            "(digest pins, multi-stage, slim base, non-root, secrets) and ShellCheck (SC) on RUN\n"
            "scripts and heredoc bodies when shellcheck is on PATH.\n"
            "\n"
            "  -f, --format FMT             tty (default), json, sarif, checkstyle, gitlab\n"
            "  -t, --failure-threshold LVL  exit 1 on a finding at or above LVL: error, warning,\n"
            "                               info (default), style, none\n"
            "      --ignore ID              never report rule ID (repeatable)\n"
            "      --trusted-registry R     allowed registry for DL3026, e.g. docker.io,\n"
            "                               *.gcr.io (repeatable)\n"
            "      --require-label L:FMT    require label L, its value of format FMT: text, url,\n"
            "                               semver, hash, rfc3339, spdx, email (repeatable; adds\n"
            "                               to config 'label-schema'; DL3049-DL3056, DL3058)\n"
            "      --strict-labels          report labels outside the label schema (DL3050)\n"
            "  -c, --config FILE            .hull.yaml / .hadolint.yaml (default: the first of\n"
            "                               ./.hull.yaml ./.hull.yml ./.hadolint.yaml\n"
            "                               ./.hadolint.yml)\n"
            "      --no-shellcheck          do not run shellcheck\n"
            "      --disable-ignore-pragma  ignore inline '# hull ignore=' pragmas\n"
            "  -o, --output FILE            write the report to FILE\n"
            "      --list-rules             print the rule table and exit\n"
            "      --dump                   print BuildKit's AST dump of each FILE and exit\n"
            "  -q, --quiet                  no warnings\n"
            "  -h, --help                   this help\n"
            "\n"
            "Environment (hadolint's; the command line wins over it, it wins over the config):\n"
            "HADOLINT_REQUIRE_LABELS=L:FMT,...  HADOLINT_STRICT_LABELS=true|false\n"
            "\n"
            "Pragmas: '# hull ignore=DL3008,HU001' (or '# hadolint ignore=...') on the comment\n"
            "lines just above an instruction; '# hull stage ignore=ID' above a FROM (that\n"
            "stage); '# hull global ignore=ID' anywhere. Rules: docs/lint-rules.md.\n"
            "Exit: 0 clean, 1 findings at/above the threshold, 2 usage, 3 unparsable Dockerfile\n"
            "(one line 'hull: FILE:LINE: message'), 6 file not found.\n");
}

static int read_input(const char *path, char **buf, size_t *len, struct hull_err **err)
{
    return hull_lint_read_file(path, buf, len, err);
}

static int load_config(struct hull_cli *cli, struct hull_lint_config *cfg, const char *path,
                       bool explicit_path)
{
    char *buf = NULL;
    size_t len = 0;
    struct hull_err *e = NULL;
    if (read_input(path, &buf, &len, &e) < 0) {
        if (!explicit_path) {
            hull_err_free(e);
            return 0;
        }
        return hull_cli_fail(cli, e);
    }
    int rc = hull_lint_config_load(cfg, buf, len, &e);
    free(buf);
    if (rc < 0) {
        hull_err_wrap(&e, "%s", path);
        return hull_cli_fail(cli, e);
    }
    return 0;
}

/* One "LABEL:FORMAT" (s, n: not NUL-terminated) into a staging label schema. The last ':'
 * splits, as no format holds one. Returns 0, or a usage error naming `what` (the option or the
 * environment variable). */
static int add_label_spec(struct hull_cli *cli, struct hull_lint_config *lc, const char *what,
                          const char *s, size_t n)
{
    char *spec = strndup(s, n);
    if (!spec) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    char *colon = strrchr(spec, ':');
    int type = colon ? hull_lint_label_type_parse(colon + 1) : -1;
    int rc = 0;
    if (!colon || colon == spec || type < 0) {
        rc = hull_cli_usage_error(cli, "lint", "%s wants LABEL:FORMAT with FORMAT one of text, "
                                  "url, semver, hash, rfc3339, spdx, email; got '%s'", what,
                                  spec);
    } else {
        struct hull_err *e = NULL;
        *colon = 0;
        if (hull_lint_config_label(lc, spec, (enum hull_lint_label_type)type, &e) < 0)
            rc = hull_cli_fail(cli, e);
    }
    free(spec);
    return rc;
}

/* HADOLINT_REQUIRE_LABELS: comma-separated LABEL:FORMAT (blank entries skipped). */
static int env_labels(struct hull_cli *cli, struct hull_lint_config *lc)
{
    static const char var[] = "HADOLINT_REQUIRE_LABELS";
    const char *v = getenv(var);
    while (v && *v) {
        size_t n = strcspn(v, ",");
        const char *b = v, *end = v + n;
        while (b < end && isspace((unsigned char)*b))
            b++;
        while (end > b && isspace((unsigned char)end[-1]))
            end--;
        if (end > b) {
            int rc = add_label_spec(cli, lc, var, b, (size_t)(end - b));
            if (rc)
                return rc;
        }
        v += n + (v[n] == ',');
    }
    return 0;
}

/* HADOLINT_STRICT_LABELS as hadolint reads a boolean: 1, y, yes, on, true (any case) are true,
 * any other value false; -1 when unset. */
static int env_bool(const char *var)
{
    const char *v = getenv(var);
    if (!v)
        return -1;
    static const char *const yes[] = { "1", "y", "yes", "on", "true" };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        if (!strcasecmp(v, yes[i]))
            return 1;
    return 0;
}

/* Merge a staging label schema into cfg; a label already there takes the new format. */
static int merge_labels(struct hull_cli *cli, struct hull_lint_config *cfg,
                        const struct hull_lint_config *lc)
{
    struct hull_err *e = NULL;
    for (size_t i = 0; i < lc->nlabels; i++)
        if (hull_lint_config_label(cfg, lc->label_name[i], lc->label_type[i], &e) < 0)
            return hull_cli_fail(cli, e);
    return 0;
}

static void list_rules(FILE *f)
{
    size_t n;
    const struct hull_lint_rule *r = hull_lint_rules(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%-7s %-8s %-28s %s\n", r[i].code, hull_lint_level_name(r[i].level),
                r[i].name, r[i].summary);
}

/* "line N: msg" becomes "FILE:N: msg" */
static int parse_fail(const char *file, struct hull_err *e)
{
    int line = 0, off = 0;
    const char *m = e->msg;
    if (sscanf(m, "line %d: %n", &line, &off) == 1 && off > 0)
        fprintf(stderr, "hull: %s:%d: %s\n", file, line, m + off);
    else
        fprintf(stderr, "hull: %s: %s\n", file, m);
    int rc = hull_cli_exit_code(e->code);
    hull_err_free(e);
    return rc;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    enum { O_IGNORE = 256, O_TRUSTED, O_NOSC, O_NOPRAGMA, O_LIST, O_DUMP, O_REQLABEL,
           O_STRICT };
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "failure-threshold", required_argument, NULL, 't' },
        { "ignore", required_argument, NULL, O_IGNORE },
        { "trusted-registry", required_argument, NULL, O_TRUSTED },
        { "require-label", required_argument, NULL, O_REQLABEL },
        { "strict-labels", no_argument, NULL, O_STRICT },
        { "config", required_argument, NULL, 'c' },
        { "no-shellcheck", no_argument, NULL, O_NOSC },
        { "disable-ignore-pragma", no_argument, NULL, O_NOPRAGMA },
        { "output", required_argument, NULL, 'o' },
        { "list-rules", no_argument, NULL, O_LIST },
        { "dump", no_argument, NULL, O_DUMP },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* label schemas of the environment and the command line, merged over the config file's */
    struct hull_lint_config cfg, cli_schema, env_schema;
    hull_lint_config_init(&cfg);
    hull_lint_config_init(&cli_schema);
    hull_lint_config_init(&env_schema);
    cfg.shellcheck = true;
    bool strict = false;
    int fmt = HULL_LINT_FMT_TTY, threshold = -1, rc = 0;
    const char *config = NULL, *output = NULL;
    bool dump = false;
    char **ign = NULL, **trust = NULL;
    size_t nign = 0, ntrust = 0;
    struct hull_err *e = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f:t:c:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = hull_lint_format_parse(optarg);
            if (fmt < 0) {
                rc = hull_cli_usage_error(cli, "lint", "unknown format '%s'", optarg);
                goto out;
            }
            break;
        case 't':
            threshold = hull_lint_level_parse(optarg);
            if (threshold < 0) {
                rc = hull_cli_usage_error(cli, "lint", "unknown level '%s'", optarg);
                goto out;
            }
            break;
        case O_IGNORE:
            if (hull_lint_config_add(&ign, &nign, optarg, &e) < 0) {
                rc = hull_cli_fail(cli, e);
                goto out;
            }
            break;
        case O_TRUSTED:
            if (hull_lint_config_add(&trust, &ntrust, optarg, &e) < 0) {
                rc = hull_cli_fail(cli, e);
                goto out;
            }
            break;
        case O_REQLABEL:
            if ((rc = add_label_spec(cli, &cli_schema, "--require-label", optarg,
                                     strlen(optarg))) != 0)
                goto out;
            break;
        case O_STRICT: strict = true; break;
        case 'c': config = optarg; break;
        case 'o': output = optarg; break;
        case O_NOSC: cfg.shellcheck = false; break;
        case O_NOPRAGMA: cfg.no_pragmas = true; break;
        case O_DUMP: dump = true; break;
        case 'q': cli->quiet = true; break;
        case O_LIST:
            list_rules(stdout);
            goto out;
        case 'h':
            usage(stdout);
            goto out;
        default:
            rc = hull_cli_usage_error(cli, "lint", "unknown or incomplete option '%s'",
                                      argv[optind - 1]);
            goto out;
        }
    }
    if (optind >= argc) {
        rc = hull_cli_usage_error(cli, "lint", "no Dockerfile given");
        goto out;
    }
    if ((rc = env_labels(cli, &env_schema)) != 0)
        goto out;
    if (config) {
        if ((rc = load_config(cli, &cfg, config, true)) != 0)
            goto out;
    } else if (!dump) {
        static const char *const dflt[] = { ".hull.yaml", ".hull.yml", ".hadolint.yaml",
                                            ".hadolint.yml" };
        for (size_t i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++) {
            if (access(dflt[i], R_OK) == 0) {
                if ((rc = load_config(cli, &cfg, dflt[i], true)) != 0)
                    goto out;
                break;
            }
        }
    }
    if ((rc = merge_labels(cli, &cfg, &env_schema)) != 0 ||
        (rc = merge_labels(cli, &cfg, &cli_schema)) != 0)
        goto out;
    int env_strict = env_bool("HADOLINT_STRICT_LABELS");
    if (env_strict >= 0)
        cfg.strict_labels = env_strict;
    if (strict)
        cfg.strict_labels = true;
    for (size_t i = 0; i < nign; i++)
        if (hull_lint_config_add(&cfg.ignored, &cfg.nignored, ign[i], &e) < 0) {
            rc = hull_cli_fail(cli, e);
            goto out;
        }
    for (size_t i = 0; i < ntrust; i++)
        if (hull_lint_config_add(&cfg.trusted, &cfg.ntrusted, trust[i], &e) < 0) {
            rc = hull_cli_fail(cli, e);
            goto out;
        }
    if (threshold < 0)
        threshold = cfg.failure_threshold >= 0 ? cfg.failure_threshold : HULL_LINT_INFO;

    size_t nfiles = (size_t)(argc - optind);
    struct hull_lint_result *res = calloc(nfiles, sizeof(*res));
    if (!res) {
        rc = HULL_EXIT_INTERNAL;
        goto out;
    }
    size_t nres = 0;
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        char *buf = NULL;
        size_t len = 0;
        if (read_input(path, &buf, &len, &e) < 0) {
            int r = hull_cli_fail(cli, e);
            e = NULL;
            worst = worst ? worst : r;
            continue;
        }
        struct hull_dockerfile *df = NULL;
        if (hull_dockerfile_parse(buf, len, &df, &e) < 0) {
            free(buf);
            int r = parse_fail(path, e);
            e = NULL;
            worst = worst ? worst : r;
            continue;
        }
        free(buf);
        if (dump) {
            size_t dl;
            char *d = hull_dockerfile_dump(df, &dl, &e);
            hull_dockerfile_free(df);
            if (!d) {
                rc = hull_cli_fail(cli, e);
                goto done;
            }
            fwrite(d, 1, dl, stdout);
            free(d);
            continue;
        }
        struct hull_lint_result *r = &res[nres++];
        r->file = strdup(path);
        if (!r->file || hull_lint_run(df, &cfg, r, &e) < 0) {
            hull_dockerfile_free(df);
            if (e)
                hull_err_wrap(&e, "%s", path);
            rc = e ? hull_cli_fail(cli, e) : HULL_EXIT_INTERNAL;
            goto done;
        }
        hull_dockerfile_free(df);
    }
    if (!dump) {
        FILE *f = hull_cli_open_output(cli, output);
        if (!f) {
            rc = HULL_EXIT_IO;
            goto done;
        }
        int wr = hull_lint_report(f, (enum hull_lint_format)fmt, res, nres, cli->color && !output,
                                  &e);
        int cr = hull_cli_close_output(cli, f, output);
        if (wr < 0) {
            rc = hull_cli_fail(cli, e);
            goto done;
        }
        if (cr) {
            rc = cr;
            goto done;
        }
    }
    rc = worst;
    if (!rc && !dump && threshold != HULL_LINT_IGNORE) {
        for (size_t r = 0; r < nres && !rc; r++)
            for (size_t k = 0; k < res[r].nfindings; k++)
                if ((int)res[r].findings[k].level <= threshold)
                    rc = HULL_EXIT_FINDINGS;
    }
done:
    for (size_t r = 0; r < nres; r++)
        hull_lint_result_release(&res[r]);
    free(res);
out:
    for (size_t i = 0; i < nign; i++)
        free(ign[i]);
    free(ign);
    for (size_t i = 0; i < ntrust; i++)
        free(trust[i]);
    free(trust);
    hull_lint_config_release(&cfg);
    hull_lint_config_release(&cli_schema);
    hull_lint_config_release(&env_schema);
    return rc;
}

const struct hull_command hull_cmd_lint = { "lint", run,
                                            "lint Dockerfiles (hadolint DL, hull HU, ShellCheck SC)" };
