/* hull surface: the attack surface of one or more images side by side (docs/surface.md):
 * sizes, OS and its end of life, packages, shells, package managers, build tools,
 * setuid/setgid files, world-writable directories, the default user, the known
 * vulnerabilities when a database exists, and a High/Medium/Low rating with its reasons and
 * advice. Table (default) or JSON (docs/json/surface.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "hull/surface.h"
#include "hull/vulndb.h"
#include "dbupdate.h"
#include "regopts.h"

static const char usage_text[] =
    "usage: hull surface [options] IMAGE...\n"
    "\n"
    "Compare the attack surface of images: compressed and uncompressed size, layers, OS and\n"
    "its end-of-life date, package count (OS and language), shells, package managers, build\n"
    "tools, setuid/setgid files, world-writable directories, default user, exposed ports\n"
    "and, when a vulnerability database exists (see hull db), the count of known\n"
    "vulnerabilities. Each image gets a reproducible rating (High, Medium, Low) from fixed\n"
    "points per finding (docs/surface.md), the reasons behind it and advice on what to\n"
    "change.\n"
    "\n"
    "IMAGE is one of\n"
    "  docker-archive:PATH[:REF]  `docker save` output (plain or gzip)\n"
    "  oci:DIR[:REF]              OCI image layout directory\n"
    "  oci-archive:PATH[:REF]     OCI image layout in a tar\n"
    "  dir:PATH                   a root filesystem directory\n"
    "  [docker://]REGISTRY/REPO[:TAG|@DIGEST]  an image in a registry\n"
    "  docker-daemon:REF          an image of the local Docker-compatible engine\n"
    "  PATH                       any of the above, detected from its content\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT    table (default) or json (docs/json/surface.md)\n"
    "      --platform P       os/arch[/variant] to pick from a multi-platform index\n"
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "      --today DATE       compare end-of-life dates with DATE (YYYY-MM-DD) instead of\n"
    "                         today's UTC date; also from $HULL_TODAY\n"
    "      --fail-on RATING   exit 1 when an image is rated RATING (low, medium, high) or\n"
    "                         above\n"
    "      --db PATH          vulnerability database (default $HULL_DB, else\n"
    "                         $XDG_CACHE_HOME/hull/db.sqlite); without --db, no database\n"
    "                         file means no VULNS column and no error\n"
    "      --download-db      update that database (--db, else the default path) before\n"
    "                         the scan, as 'hull db update' does (conditional requests);\n"
    "                         a failed download fails the command\n"
    "      --db-mirror NAME=URL  with --download-db: fetch feed NAME from URL; NAME '*'\n"
    "                         fetches every feed from URL/<feed name> (repeatable)\n"
    "      --max-db-age DUR   fail when the database is older than DUR (36h, 7d); any\n"
    "                         database older than 7 days warns\n"
    "  -q, --quiet            no warnings\n"
    "  -h, --help             this text\n"
    "\n"
    "registry options:\n" HULL_REGOPTS_HELP HULL_REGOPTS_CACHE_HELP
    "\n"
    "Rating: shell 2, package manager 2, more than 100 packages 2 (51-100: 1), build tools\n"
    "2, runs as root 1, setuid/setgid files 1, world-writable dirs without sticky bit 1,\n"
    "OS past end of life 6, known vulnerabilities (with a database) 2 for any CRITICAL,\n"
    "else 1 for any HIGH. High from 6 points, Medium from 2, else Low.\n"
    "\n"
    "exit status: 0 ok, 1 --fail-on tripped, 2 usage, 3 bad or tampered image, 4 network or\n"
    "registry, 5 database missing (--db) or unusable, 6 not found or I/O error, 7 unsupported\n"
    "image, 8 internal error.\n";

/* Validate what getopt left; 0 or a usage exit code after printing. */
static int check_args(struct hull_cli *cli, int nimages, const char *format, const char *fail_on,
                      const char *today)
{
    if (hull_surface_format_parse(format) < 0)
        return hull_cli_usage_error(cli, "surface", "unknown format '%s' (table, json)", format);
    if (fail_on && hull_surface_rating_parse(fail_on) < 0)
        return hull_cli_usage_error(cli, "surface", "unknown rating '%s' (low, medium, high)",
                                    fail_on);
    if (today && !hull_surface_date_valid(today))
        return hull_cli_usage_error(cli, "surface", "bad date '%s' (want YYYY-MM-DD)", today);
    if (nimages <= 0)
        return hull_cli_usage_error(cli, "surface", "missing IMAGE");
    return 0;
}

struct args {
    const char *format, *output, *platform, *fail_on, *today, *db, *max_age;
    struct hull_cli_regopts ro;
};

/* The vulnerability database to count with: --db PATH must open; without it the default
 * path is used when that file exists, and no database is no count (NULL, 0). A stale
 * database warns. Returns 0 or an exit code after printing. */
static int open_db(struct hull_cli *cli, const char *path, int64_t max_age,
                   struct hull_vulndb **db)
{
    struct hull_err *err = NULL;
    char *def = NULL;
    *db = NULL;
    if (!path) {
        if (!(def = hull_vulndb_default_path(&err))) {
            hull_err_clear(&err); /* no home directory: no default database */
            return 0;
        }
        if (access(def, F_OK) != 0) {
            free(def);
            return 0;
        }
        path = def;
    }
    if (!(*db = hull_vulndb_open(&cli->ctx, path, &err)) ||
        hull_vulndb_check_age(*db, &cli->ctx, time(NULL), max_age, NULL, &err) < 0) {
        hull_vulndb_close(*db);
        *db = NULL;
        free(def);
        return hull_cli_fail(cli, err);
    }
    free(def);
    return 0;
}

/* Scan every image (the first failure ends the command), write the report, apply the gate. */
static int surface(struct hull_cli *cli, size_t n, char **images, const struct args *a,
                   struct hull_vulndb *db)
{
    struct hull_surface **s = calloc(n, sizeof(*s));
    if (!s)
        return HULL_EXIT_INTERNAL;
    struct hull_surface_opts so = { .platform = a->platform, .today = a->today,
                                    .registry = &a->ro.o, .db = db };
    struct hull_err *err = NULL;
    int rc = HULL_EXIT_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char *spec = hull_cli_image_spec(&a->ro, images[i]);
        if (!spec) {
            fprintf(stderr, "hull: out of memory\n");
            rc = HULL_EXIT_INTERNAL;
        } else if (hull_surface_image(&cli->ctx, spec, &so, &s[i], &err) < 0) {
            rc = hull_cli_fail(cli, err);
        }
        free(spec);
    }
    FILE *f = NULL;
    if (!rc && !(f = hull_cli_open_output(cli, a->output)))
        rc = HULL_EXIT_IO;
    if (!rc) {
        enum hull_surface_format fmt =
            (enum hull_surface_format)hull_surface_format_parse(a->format);
        if (hull_surface_write(f, fmt, s, n, cli->color && !a->output, &err) < 0)
            rc = hull_cli_fail(cli, err);
        int crc = hull_cli_close_output(cli, f, a->output);
        rc = rc ? rc : crc;
    }
    int gate = a->fail_on ? hull_surface_rating_parse(a->fail_on) : -1;
    for (size_t i = 0; !rc && gate >= 0 && i < n; i++)
        if ((int)s[i]->rating >= gate)
            rc = HULL_EXIT_FINDINGS;
    for (size_t i = 0; i < n; i++)
        hull_surface_free(s[i]);
    free(s);
    return rc;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'P' },
        { "today", required_argument, NULL, 'T' },
        { "fail-on", required_argument, NULL, 'F' },
        { "db", required_argument, NULL, 'D' },
        { "download-db", no_argument, NULL, 'W' },
        { "db-mirror", required_argument, NULL, 'M' },
        { "max-db-age", required_argument, NULL, 'A' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        HULL_REGOPTS_LONG,
        HULL_REGOPTS_CACHE_LONG,
        { NULL, 0, NULL, 0 },
    };
    struct args a = { .format = "table", .today = getenv("HULL_TODAY") };
    if (a.today && !*a.today)
        a.today = NULL;
    struct hull_vulndb_update_opts uo = { 0 }; /* --download-db, --db-mirror */
    struct hull_vulndb_mirror *mirrors = NULL;
    bool download = false;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:o:qh", opts, NULL)) != -1) {
        if ((rc = hull_cli_regopt(cli, "surface", c, optarg, &a.ro)) != 0) {
            if (rc == 1)
                continue;
            hull_cli_regopts_release(&a.ro);
            free(mirrors);
            return rc;
        }
        switch (c) {
        case 'f':
            a.format = optarg;
            break;
        case 'o':
            a.output = optarg;
            break;
        case 'P':
            a.platform = optarg;
            break;
        case 'T':
            a.today = optarg;
            break;
        case 'F':
            a.fail_on = optarg;
            break;
        case 'D':
            a.db = optarg;
            break;
        case 'W':
            download = true;
            break;
        case 'A':
            a.max_age = optarg;
            break;
        case 'M':
            if ((rc = hull_cli_mirror_add(cli, "surface", "--db-mirror", optarg, &mirrors,
                                          &uo.n_mirrors))) {
                hull_cli_regopts_release(&a.ro);
                free(mirrors);
                return rc;
            }
            break;
        case 'q':
            cli->quiet = true;
            cli->ctx.log_level = HULL_LOG_ERROR;
            break;
        case 'h':
            hull_cli_regopts_release(&a.ro);
            free(mirrors);
            fputs(usage_text, stdout);
            return HULL_EXIT_OK;
        default:
            hull_cli_regopts_release(&a.ro);
            free(mirrors);
            if (optopt)
                return hull_cli_usage_error(cli, "surface", "option '%s' needs a value",
                                            argv[optind - 1]);
            return hull_cli_usage_error(cli, "surface", "unknown option '%s'", argv[optind - 1]);
        }
    }
    rc = check_args(cli, argc - optind, a.format, a.fail_on, a.today);
    if (rc == 0 && uo.n_mirrors && !download)
        rc = hull_cli_usage_error(cli, "surface", "--db-mirror needs --download-db");
    int64_t max_age = 0;
    if (rc == 0 && a.max_age && (max_age = hull_duration_parse(a.max_age)) <= 0)
        rc = hull_cli_usage_error(cli, "surface", "--max-db-age: '%s' is not a duration "
                                  "(e.g. 36h, 7d)", a.max_age);
    if (rc == 0)
        rc = hull_cli_regopts_finish(cli, "surface", &a.ro);
    char *dlpath = NULL;
    if (rc == 0 && download) {
        /* the database downloaded is the one opened: it must exist afterwards */
        struct hull_err *err = NULL;
        struct hull_vulndb_report rep = { 0 };
        uo.mirrors = mirrors;
        if (!(dlpath = a.db ? strdup(a.db) : hull_vulndb_default_path(&err))) {
            if (!err)
                hull_err_set(&err, HULL_E_NOMEM, "out of memory");
            rc = hull_cli_fail(cli, err);
        } else if (hull_cli_db_update(cli, dlpath, &uo, &rep, &err) < 0) {
            hull_err_wrap(&err, "updating the vulnerability database");
            rc = hull_cli_fail(cli, err);
        } else {
            hull_cli_db_report(cli, dlpath, &rep);
        }
        hull_vulndb_report_free(&rep);
    }
    struct hull_vulndb *db = NULL;
    if (rc == 0)
        rc = open_db(cli, dlpath ? dlpath : a.db, max_age, &db);
    free(dlpath);
    free(mirrors);
    if (rc == 0)
        rc = surface(cli, (size_t)(argc - optind), argv + optind, &a, db);
    hull_vulndb_close(db);
    hull_cli_regopts_release(&a.ro);
    return rc;
}

const struct hull_command hull_cmd_surface = { "surface", run,
                                               "compare images' attack surface: shell, package "
                                               "manager, packages, user; rating and advice" };
