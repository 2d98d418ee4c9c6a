/* hull image: inventory an image (or read a stored SBOM), match it against the vulnerability
 * database, apply the gates (severity, status, ignore file, VEX) and report as a table, hull
 * JSON (docs/json/image.md), SARIF 2.1.0 or CycloneDX 1.5. docs/matching.md gives the rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "dbupdate.h"
#include "regopts.h"
#include "hull/match.h"
#include "hull/sbomin.h"
#include "hull/scan.h"
#include "hull/vulndb.h"
#include "hull/vulnreport.h"

static const char usage_text[] =
    "usage: hull image [options] IMAGE\n"
    "\n"
    "Find the known vulnerabilities of an image's OS and language packages:\n"
    "inventory the image, match every package against the vulnerability database\n"
    "(see hull db), apply the gates and report.\n"
    "\n"
    "IMAGE is one of\n"
    "  docker-archive:PATH[:REF]  `docker save` output (plain or gzip)\n"
    "  oci:DIR[:REF]              OCI image layout directory\n"
    "  oci-archive:PATH[:REF]     OCI image layout in a tar\n"
    "  dir:PATH                   a root filesystem directory\n"
    "  sbom:FILE                  a CycloneDX or SPDX JSON SBOM instead of an image\n"
    "  [docker://]REF             a registry image (\"node:18\", \"host:5000/app@sha256:..\")\n"
    "  docker-daemon:REF          an image of the local Docker-compatible engine\n"
    "  PATH                       any image above, detected from its content\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   table (default), json (docs/json/image.md),\n"
    "                        sarif (SARIF 2.1.0) or cyclonedx (CycloneDX 1.5)\n"
    "  -o, --output FILE     write the report to FILE instead of stdout\n"
    "  -s, --severity LIST   show only these severities, e.g. CRITICAL,HIGH\n"
    "                        (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)\n"
    "      --exit-code N     exit with N when any finding remains after all filters\n"
    "      --ignore-unfixed  hide findings without a fix (affected, will_not_fix,\n"
    "                        fix_deferred, end_of_life)\n"
    "      --ignore-status LIST  hide these statuses (fixed, affected, will_not_fix,\n"
    "                        fix_deferred, end_of_life, unknown)\n"
    "      --ignorefile PATH ignore rules, default .hullignore when it exists: one id\n"
    "                        a line, optional package, optional exp:YYYY-MM-DD\n"
    "      --vex FILE        OpenVEX document: not_affected and fixed statements\n"
    "                        suppress the findings they name\n"
    "      --db PATH         vulnerability database (default $HULL_DB, else\n"
    "                        $XDG_CACHE_HOME/hull/db.sqlite)\n"
    "      --max-db-age DUR  fail when the database is older than DUR (36h, 7d);\n"
    "                        one older than 7 days always warns\n"
    "      --download-db     update the database before the scan, as 'hull db update'\n"
    "                        does (conditional requests: unchanged feeds cost a 304);\n"
    "                        a failed download fails the scan\n"
    "      --db-mirror NAME=URL  with --download-db: fetch feed NAME from URL; NAME\n"
    "                        '*' fetches every feed from URL/<feed name> (repeatable)\n"
    "      --platform P      os/arch[/variant] to pick from a multi-platform index\n"
    "  -q, --quiet           no warnings\n"
    "  -h, --help            this text\n"
    "registry options (IMAGE as [docker://]REGISTRY/REPO[:TAG|@DIGEST]):\n"
    HULL_REGOPTS_HELP HULL_REGOPTS_CACHE_HELP
    "\n"
    "docs/matching.md states the matching, severity and gate rules.\n"
    "\n"
    "exit status: 0 ok (findings do not fail without --exit-code), N with\n"
    "--exit-code N when findings remain, 2 usage, 3 bad or tampered input,\n"
    "4 network or registry (also a failed --download-db), 5 database missing,\n"
    "stale or unusable, 6 not found or I/O error, 7 unsupported input,\n"
    "8 internal error.\n";

struct opts {
    const char *format, *output, *severity, *ignore_status, *ignorefile, *vex, *db, *max_age;
    const char *platform;
    int exit_code;
    bool ignore_unfixed, download_db;
    struct hull_vulndb_mirror *mirrors; /* --db-mirror */
    size_t n_mirrors;
    struct hull_cli_regopts ro; /* registry references */
    char *spec;                 /* IMAGE under --source */
};

static int today_ymd(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return 0;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static unsigned term_width(void)
{
    if (!isatty(1))
        return 0;
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long v = strtol(c, &end, 10);
        if (!*end && v >= 20 && v <= 10000)
            return (unsigned)v;
    }
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

static int parse_args(struct hull_cli *cli, int argc, char **argv, struct opts *o)
{
    enum { O_EXIT = 256, O_UNFIXED, O_STATUS, O_IGNFILE, O_VEX, O_DB, O_AGE, O_PLATFORM,
           O_DOWNLOAD, O_MIRROR };
    static const struct option lo[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "severity", required_argument, NULL, 's' },
        { "exit-code", required_argument, NULL, O_EXIT },
        { "ignore-unfixed", no_argument, NULL, O_UNFIXED },
        { "ignore-status", required_argument, NULL, O_STATUS },
        { "ignorefile", required_argument, NULL, O_IGNFILE },
        { "vex", required_argument, NULL, O_VEX },
        { "db", required_argument, NULL, O_DB },
        { "max-db-age", required_argument, NULL, O_AGE },
        { "download-db", no_argument, NULL, O_DOWNLOAD },
        { "db-mirror", required_argument, NULL, O_MIRROR },
        { "platform", required_argument, NULL, O_PLATFORM },
        HULL_REGOPTS_LONG,
        HULL_REGOPTS_CACHE_LONG,
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:s:qh", lo, NULL)) != -1) {
        int h = hull_cli_regopt(cli, "image", c, optarg, &o->ro);
        if (h == 1)
            continue;
        if (h)
            return h;
        switch (c) {
        case 'f': o->format = optarg; break;
        case 'o': o->output = optarg; break;
        case 's': o->severity = optarg; break;
        case O_EXIT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || v > 255)
                return hull_cli_usage_error(cli, "image", "--exit-code wants 0-255, not '%s'",
                                            optarg);
            o->exit_code = (int)v;
            break;
        }
        case O_UNFIXED: o->ignore_unfixed = true; break;
        case O_STATUS: o->ignore_status = optarg; break;
        case O_IGNFILE: o->ignorefile = optarg; break;
        case O_VEX: o->vex = optarg; break;
        case O_DB: o->db = optarg; break;
        case O_AGE: o->max_age = optarg; break;
        case O_DOWNLOAD: o->download_db = true; break;
        case O_MIRROR: {
            int r = hull_cli_mirror_add(cli, "image", "--db-mirror", optarg, &o->mirrors,
                                        &o->n_mirrors);
            if (r)
                return r;
            break;
        }
        case O_PLATFORM: o->platform = optarg; break;
        case 'q':
            cli->quiet = true;
            cli->ctx.log_level = HULL_LOG_ERROR;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        case ':':
            return hull_cli_usage_error(cli, "image", "option '%s' needs a value",
                                        argv[optind - 1]);
        default:
            return hull_cli_usage_error(cli, "image", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return hull_cli_usage_error(cli, "image", optind == argc ? "missing IMAGE"
                                                                 : "too many arguments");
    if (o->n_mirrors && !o->download_db)
        return hull_cli_usage_error(cli, "image", "--db-mirror needs --download-db");
    int rc = hull_cli_regopts_finish(cli, "image", &o->ro);
    if (rc)
        return rc;
    if (!(o->spec = hull_cli_image_spec(&o->ro, argv[optind]))) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    return 0;
}

struct state {
    struct hull_vulndb *db;
    struct hull_scan *scan;
    struct hull_inventory *sbom_inv;
    struct hull_match_result *res;
    struct hull_ignorefile *ign;
    struct hull_vex *vex;
    char *db_path;
};

static void state_free(struct state *s)
{
    hull_match_result_free(s->res);
    hull_scan_free(s->scan);
    hull_inventory_free(s->sbom_inv);
    hull_vulndb_close(s->db);
    hull_ignorefile_free(s->ign);
    hull_vex_free(s->vex);
    free(s->db_path);
}

/* --download-db: the update `hull db update` runs without --source (--db-mirror as its
 * --mirror) into the database the scan is about to open. 0, or -1 with *err. */
static int download_db(struct hull_cli *cli, const struct opts *o, const char *path,
                       struct hull_err **err)
{
    struct hull_vulndb_update_opts uo = { .mirrors = o->mirrors, .n_mirrors = o->n_mirrors };
    struct hull_vulndb_report rep = { 0 };
    int r = hull_cli_db_update(cli, path, &uo, &rep, err);
    if (r < 0)
        hull_err_wrap(err, "updating the vulnerability database");
    else
        hull_cli_db_report(cli, path, &rep);
    hull_vulndb_report_free(&rep);
    return r;
}

static int scan_and_report(struct hull_cli *cli, int argc, char **argv, struct opts *op)
{
    int rc = parse_args(cli, argc, argv, op);
    const struct opts o = *op;
    if (rc)
        return rc < 0 ? HULL_EXIT_OK : rc;
    const char *spec = o.spec;
    int fmt = hull_vuln_format_parse(o.format);
    if (fmt < 0)
        return hull_cli_usage_error(cli, "image", "unknown format '%s' (table, json, sarif, "
                                    "cyclonedx)", o.format);
    struct hull_match_filter flt = { .ignore_unfixed = o.ignore_unfixed,
                                     .today_ymd = today_ymd() };
    if (o.severity) {
        long m = hull_severity_mask_parse(o.severity);
        if (m < 0)
            return hull_cli_usage_error(cli, "image", "--severity: '%s' is not a list of "
                                        "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL", o.severity);
        flt.severities = (unsigned)m;
    }
    if (o.ignore_status) {
        long m = hull_status_mask_parse(o.ignore_status);
        if (m < 0)
            return hull_cli_usage_error(cli, "image", "--ignore-status: '%s' is not a list of "
                                        "fixed,affected,will_not_fix,fix_deferred,end_of_life,"
                                        "unknown", o.ignore_status);
        flt.statuses = (unsigned)m;
    }
    int64_t max_age = 0;
    if (o.max_age && (max_age = hull_duration_parse(o.max_age)) <= 0)
        return hull_cli_usage_error(cli, "image", "--max-db-age: '%s' is not a duration "
                                    "(e.g. 36h, 7d)", o.max_age);
    struct state s = { 0 };
    struct hull_err *err = NULL;
    rc = HULL_EXIT_OK;
    /* hostile side inputs first: a bad ignore file or VEX fails before any work */
    const char *ignpath = o.ignorefile ? o.ignorefile : ".hullignore";
    if (o.ignorefile || access(ignpath, F_OK) == 0) {
        if (!(s.ign = hull_ignorefile_load(ignpath, &err)))
            goto fail;
        flt.ignore = s.ign;
    }
    if (o.vex) {
        if (!(s.vex = hull_vex_load(o.vex, &err)))
            goto fail;
        flt.vex = s.vex;
    }
    s.db_path = o.db ? strdup(o.db) : hull_vulndb_default_path(&err);
    if (!s.db_path) {
        if (!err)
            hull_err_set(&err, HULL_E_NOMEM, "out of memory");
        goto fail;
    }
    if (o.download_db && download_db(cli, &o, s.db_path, &err) < 0)
        goto fail;
    if (!(s.db = hull_vulndb_open(&cli->ctx, s.db_path, &err)))
        goto fail;
    if (hull_vulndb_check_age(s.db, &cli->ctx, time(NULL), max_age, NULL, &err) < 0)
        goto fail;
    const struct hull_inventory *inv;
    const struct hull_image_meta *meta = NULL;
    if (!strncmp(spec, "sbom:", 5)) {
        if (!(s.sbom_inv = hull_sbomin_load(&cli->ctx, spec + 5, &err)))
            goto fail;
        inv = s.sbom_inv;
    } else {
        struct hull_scan_opts so = { .platform = o.platform, .registry = &o.ro.o };
        if (hull_scan_image(&cli->ctx, spec, &so, &s.scan, &err) < 0)
            goto fail;
        inv = s.scan->inv;
        meta = hull_image_meta(s.scan->image);
    }
    for (size_t i = 0; i < hull_inventory_warning_count(inv); i++)
        hull_cli_warn(cli, "%s", hull_inventory_warning(inv, i));
    if (hull_match(&cli->ctx, s.db, inv, &s.res, &err) < 0)
        goto fail;
    for (size_t i = 0; i < s.res->n_unparsed; i++)
        hull_cli_warn(cli, "%s %s (%s): not matched: %s", s.res->unparsed[i].pkg->name,
                      s.res->unparsed[i].pkg->version ? s.res->unparsed[i].pkg->version : "",
                      hull_pkg_type_name(s.res->unparsed[i].pkg->type),
                      s.res->unparsed[i].reason);
    long shown = hull_match_filter_apply(s.res, &flt, &err);
    if (shown < 0)
        goto fail;
    for (size_t i = 0; s.ign && i < s.ign->n_rules; i++)
        if (s.ign->rules[i].exp_ymd && flt.today_ymd > s.ign->rules[i].exp_ymd)
            hull_cli_warn(cli, "%s:%u: ignore rule for %s expired on %04d-%02d-%02d",
                          s.ign->name, s.ign->rules[i].line, s.ign->rules[i].id,
                          s.ign->rules[i].exp_ymd / 10000, s.ign->rules[i].exp_ymd / 100 % 100,
                          s.ign->rules[i].exp_ymd % 100);
    struct hull_vulndb_status st = { 0 };
    int64_t built = 0;
    if (hull_vulndb_get_status(s.db, &st, NULL) == 0) {
        built = st.built_at;
        hull_vulndb_status_free(&st);
    }
    bool to_stdout = !o.output || !strcmp(o.output, "-");
    struct hull_vuln_report_opts ro = {
        .meta = meta,
        .artifact = spec,
        .inv = inv,
        .severities = flt.severities,
        .color = to_stdout && cli->color,
        .width = to_stdout ? term_width() : 0,
        .db_path = s.db_path,
        .db_built_at = built,
    };
    FILE *f = hull_cli_open_output(cli, o.output);
    if (!f) {
        state_free(&s);
        return HULL_EXIT_IO;
    }
    if (hull_vuln_report_write(f, (enum hull_vuln_format)fmt, s.res, &ro, &err) < 0)
        rc = hull_cli_fail(cli, err);
    int crc = hull_cli_close_output(cli, f, o.output);
    state_free(&s);
    if (rc)
        return rc;
    if (crc)
        return crc;
    return shown > 0 ? o.exit_code : HULL_EXIT_OK;
fail:
    state_free(&s);
    return hull_cli_fail(cli, err);
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    struct opts o = { .format = "table" };
    int rc = scan_and_report(cli, argc, argv, &o);
    hull_cli_regopts_release(&o.ro);
    free(o.spec);
    free(o.mirrors);
    return rc;
}

const struct hull_command hull_cmd_image = { "image", run,
                                             "find an image's known vulnerabilities (table, "
                                             "json, SARIF, CycloneDX); gate CI" };
