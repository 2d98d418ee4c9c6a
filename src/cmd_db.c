/* hull db: build, refresh and inspect the local vulnerability database (docs/vulndb.md). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "dbupdate.h"
#include "hull/vulndb.h"

static const char usage_text[] =
    "usage: hull db import [--db PATH] [--strict] PATH...\n"
    "       hull db update [--db PATH] [--source NAME]... [--mirror NAME=URL]... [--strict]\n"
    "                      [--list]\n"
    "       hull db status [--db PATH] [--format table|json]\n"
    "\n"
    "Build and inspect hull's vulnerability database. The database lives at --db PATH, else\n"
    "$HULL_DB, else $XDG_CACHE_HOME/hull/db.sqlite, else ~/.cache/hull/db.sqlite. Every import\n"
    "or update builds a new file beside it and renames it into place, so readers never wait and\n"
    "an interrupted run leaves the previous database intact.\n"
    "\n"
    "import   read feed files, directories (recursively) and zip archives; the format is\n"
    "         detected from content: OSV JSON (records, arrays, all.zip), Alpine secdb, Debian\n"
    "         security-tracker JSON and DSA/DLA lists, Debian OVAL XML (.xml, .xml.bz2), CVSS\n"
    "         CSV, NVD API 2.0 pages, CISA KEV JSON, Node.js security-WG indexes. Malformed\n"
    "         records are skipped and counted.\n"
    "update   download the upstream feeds (conditional GET, retries with backoff, proxies from\n"
    "         http_proxy/https_proxy/no_proxy) and import them. NVD's CVSS data (feed nvd,\n"
    "         paged, ~15 minutes the first time without an API key in $NVD_API_KEY) is\n"
    "         fetched once named with --source nvd, then kept current with the changes only.\n"
    "status   database path, build time, age, counts and the sources it was built from.\n"
    "\n"
    "options:\n"
    "  --db PATH            database file\n"
    "  --strict             any malformed record is fatal (exit 3)\n"
    "  --source NAME        update only this feed; a prefix selects several (\"alpine\")\n"
    "  --mirror NAME=URL    fetch feed NAME from URL; NAME '*' fetches every feed from\n"
    "                       URL/<feed name> (air-gapped mirrors)\n"
    "  --list               list the feeds 'update' knows, with their URLs\n"
    "  --format FMT         status output: table (default) or json\n"
    "  -q, --quiet          no progress, no warnings\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 ok; 2 usage; 3 corrupt input or a bad record with --strict; 4 network;\n"
    "5 database missing or unusable; 6 file not found or I/O error; 7 unknown feed format.\n";

enum { OPT_DB = 256, OPT_STRICT, OPT_SOURCE, OPT_MIRROR, OPT_LIST, OPT_FORMAT };

static const struct option long_opts[] = {
    { "db", required_argument, NULL, OPT_DB },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "source", required_argument, NULL, OPT_SOURCE },
    { "mirror", required_argument, NULL, OPT_MIRROR },
    { "list", no_argument, NULL, OPT_LIST },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

struct opts {
    const char *db, *format;
    bool strict, list;
    const char **sources;
    size_t n_sources;
    struct hull_vulndb_mirror *mirrors;
    size_t n_mirrors;
};

static void iso_time(char *b, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm))
        snprintf(b, n, "-");
    else
        strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void human_age(char *b, size_t n, int64_t s)
{
    if (s < 120)
        snprintf(b, n, "%lld seconds", (long long)s);
    else if (s < 7200)
        snprintf(b, n, "%lld minutes", (long long)(s / 60));
    else if (s < 3 * 86400)
        snprintf(b, n, "%lld hours", (long long)(s / 3600));
    else
        snprintf(b, n, "%lld days", (long long)(s / 86400));
}

static char *db_path(struct hull_cli *cli, const struct opts *o, int *rc)
{
    struct hull_err *err = NULL;
    char *p = o->db ? strdup(o->db) : hull_vulndb_default_path(&err);
    if (!p)
        *rc = hull_cli_fail(cli, err);
    return p;
}

static int do_import(struct hull_cli *cli, const struct opts *o, int n, char **paths)
{
    if (n < 1)
        return hull_cli_usage_error(cli, "db", "import needs at least one PATH");
    int rc = 0;
    char *path = db_path(cli, o, &rc);
    if (!path)
        return rc;
    struct hull_vulndb_import_opts io = { .strict = o->strict };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    if (hull_vulndb_import(&cli->ctx, path, (const char *const *)paths, (size_t)n, &io, &rep,
                           &err) < 0)
        rc = hull_cli_fail(cli, err);
    else
        hull_cli_db_report(cli, path, &rep);
    hull_vulndb_report_free(&rep);
    free(path);
    return rc;
}

static int do_update(struct hull_cli *cli, const struct opts *o)
{
    if (o->list) {
        for (const struct hull_vulndb_feed *f = hull_vulndb_feeds(); f->name; f++)
            printf("%-24s %s%s\n", f->name, f->url, f->on_request ? "  (on request)" : "");
        return 0;
    }
    int rc = 0;
    char *path = db_path(cli, o, &rc);
    if (!path)
        return rc;
    struct hull_vulndb_update_opts uo = {
        .sources = o->sources, .n_sources = o->n_sources,
        .mirrors = o->mirrors, .n_mirrors = o->n_mirrors, .strict = o->strict,
    };
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    int r = hull_cli_db_update(cli, path, &uo, &rep, &err);
    if (r < 0)
        rc = hull_cli_fail(cli, err);
    else
        hull_cli_db_report(cli, path, &rep);
    hull_vulndb_report_free(&rep);
    free(path);
    return rc;
}

/* A JSON string (or null) on stdout. */
static void jstr(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void status_json(const struct hull_vulndb_status *st, int64_t age)
{
    char b[40];
    iso_time(b, sizeof(b), st->built_at);
    printf("{\"path\":");
    jstr(st->path);
    printf(",\"schema_version\":%d,\"built_at\":\"%s\",\"age_seconds\":%lld,\"stale\":%s,"
           "\"size_bytes\":%lld,\"counts\":{\"advisories\":%lld,\"affected\":%lld,"
           "\"packages\":%lld,\"cvss\":%lld,\"kev\":%lld},\"sources\":[",
           st->schema_version, b, (long long)age,
           age > HULL_VULNDB_STALE_SECONDS ? "true" : "false", (long long)st->size_bytes,
           (long long)st->advisories, (long long)st->affected, (long long)st->packages,
           (long long)st->cvss, (long long)st->kev);
    for (size_t i = 0; i < st->n_sources; i++) {
        const struct hull_vulndb_source_info *s = &st->sources[i];
        iso_time(b, sizeof(b), s->imported_at);
        printf("%s{\"name\":", i ? "," : "");
        jstr(s->name);
        printf(",\"kind\":");
        jstr(s->kind);
        printf(",\"origin\":");
        jstr(s->origin);
        printf(",\"imported_at\":\"%s\",\"records\":%lld,\"advisories\":%lld,\"affected\":%lld,"
               "\"skipped\":%lld}", b, (long long)s->records, (long long)s->advisories,
               (long long)s->affected, (long long)s->skipped);
    }
    printf("],\"feeds\":[");
    for (size_t i = 0; i < st->n_feeds; i++) {
        const struct hull_vulndb_feed_info *f = &st->feeds[i];
        iso_time(b, sizeof(b), f->fetched_at);
        printf("%s{\"name\":", i ? "," : "");
        jstr(f->name);
        printf(",\"url\":");
        jstr(f->url);
        printf(",\"fetched_at\":\"%s\",\"bytes\":%lld,\"etag\":", b, (long long)f->bytes);
        jstr(f->etag);
        printf(",\"last_modified\":");
        jstr(f->last_modified);
        putchar('}');
    }
    printf("]}\n");
}

static int do_status(struct hull_cli *cli, const struct opts *o)
{
    int rc = 0;
    if (o->format && strcmp(o->format, "table") && strcmp(o->format, "json"))
        return hull_cli_usage_error(cli, "db", "unknown --format '%s' (table or json)",
                                    o->format);
    char *path = db_path(cli, o, &rc);
    if (!path)
        return rc;
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(&cli->ctx, path, &err);
    free(path);
    if (!db)
        return hull_cli_fail(cli, err);
    struct hull_vulndb_status st;
    int64_t age = 0;
    if (hull_vulndb_get_status(db, &st, &err) < 0) {
        hull_vulndb_close(db);
        return hull_cli_fail(cli, err);
    }
    hull_vulndb_check_age(db, NULL, time(NULL), 0, &age, NULL);
    hull_vulndb_close(db);
    if (o->format && !strcmp(o->format, "json")) {
        status_json(&st, age);
    } else {
        char b[40], sz[32], ag[32];
        iso_time(b, sizeof(b), st.built_at);
        hull_cli_human_size(sz, sizeof(sz), (double)st.size_bytes);
        human_age(ag, sizeof(ag), age);
        printf("database   %s\nschema     %d\nbuilt      %s (%s ago%s)\nsize       %s\n"
               "advisories %lld\naffected   %lld\npackages   %lld\ncvss       %lld\n"
               "kev        %lld\n",
               st.path, st.schema_version, b, ag,
               age > HULL_VULNDB_STALE_SECONDS ? ", stale: run 'hull db update'" : "", sz,
               (long long)st.advisories, (long long)st.affected, (long long)st.packages,
               (long long)st.cvss, (long long)st.kev);
        if (st.n_sources)
            printf("\n%-28s %-15s %9s %10s %9s %7s  %s\n", "SOURCE", "KIND", "RECORDS",
                   "ADVISORIES", "AFFECTED", "SKIPPED", "IMPORTED");
        for (size_t i = 0; i < st.n_sources; i++) {
            const struct hull_vulndb_source_info *s = &st.sources[i];
            iso_time(b, sizeof(b), s->imported_at);
            printf("%-28s %-15s %9lld %10lld %9lld %7lld  %s\n", s->name, s->kind,
                   (long long)s->records, (long long)s->advisories, (long long)s->affected,
                   (long long)s->skipped, b);
        }
        if (st.n_feeds)
            printf("\n%-24s %-20s %10s  %s\n", "FEED", "FETCHED", "BYTES", "URL");
        for (size_t i = 0; i < st.n_feeds; i++) {
            const struct hull_vulndb_feed_info *f = &st.feeds[i];
            iso_time(b, sizeof(b), f->fetched_at);
            printf("%-24s %-20s %10lld  %s\n", f->name, b, (long long)f->bytes,
                   f->url ? f->url : "");
        }
    }
    hull_vulndb_status_free(&st);
    return 0;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return HULL_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(sub, "import") && strcmp(sub, "update") && strcmp(sub, "status"))
        return hull_cli_usage_error(cli, "db", "unknown subcommand '%s'", sub);
    struct opts o = { 0 };
    int rc = 0;
    argc--;
    argv++;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+qh", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB: o.db = optarg; break;
        case OPT_STRICT: o.strict = true; break;
        case OPT_LIST: o.list = true; break;
        case OPT_FORMAT: o.format = optarg; break;
        case OPT_SOURCE: {
            const char **n = realloc(o.sources, (o.n_sources + 1) * sizeof(*n));
            if (!n)
                goto oom;
            o.sources = n;
            o.sources[o.n_sources++] = optarg;
            break;
        }
        case OPT_MIRROR:
            if ((rc = hull_cli_mirror_add(cli, "db", "--mirror", optarg, &o.mirrors,
                                          &o.n_mirrors)))
                goto out;
            break;
        case 'q': cli->quiet = true; cli->stderr_tty = false; break;
        case 'h': fputs(usage_text, stdout); goto out;
        default:
            rc = hull_cli_usage_error(cli, "db", "unknown or incomplete option '%s'",
                                      argv[optind - 1]);
            goto out;
        }
    }
    if (cli->quiet)
        cli->ctx.log_level = HULL_LOG_ERROR;
    if (!strcmp(sub, "import")) {
        rc = do_import(cli, &o, argc - optind, argv + optind);
    } else if (optind < argc) {
        rc = hull_cli_usage_error(cli, "db", "unexpected argument '%s'", argv[optind]);
    } else if (!strcmp(sub, "update")) {
        rc = do_update(cli, &o);
    } else {
        rc = do_status(cli, &o);
    }
    goto out;
oom:
    fprintf(stderr, "hull: out of memory\n");
    rc = HULL_EXIT_INTERNAL;
out:
    free(o.sources);
    free(o.mirrors);
    return rc;
}

const struct hull_command hull_cmd_db = { "db", run,
                                          "build, update and inspect the vulnerability database" };
