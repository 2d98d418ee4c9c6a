/* hull pin: rewrite image references in Dockerfiles, docker-compose files and Kubernetes
 * manifests to name:tag@sha256:<digest>, or (--check) report what is unpinned or stale. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "regopts.h"
#include "hull/pin.h"

static const char usage_text[] =
    "usage: hull pin [OPTIONS] FILE...\n"
    "\n"
    "Pin the image references of each FILE by digest: FROM lines of Dockerfiles (and the\n"
    "ARG defaults they use), images in COPY --from= and RUN --mount=...,from=, and\n"
    "`image:` lines of docker-compose files and Kubernetes manifests become\n"
    "name:tag@sha256:<digest>. Only the image text changes; flags, AS names, casing,\n"
    "comments and layout stay byte for byte. scratch, stage names and references built\n"
    "from ARG fragments are left alone (with a warning for the last).\n"
    "The digest is the index digest (multi-arch stays multi-arch); an existing pin to one\n"
    "platform's manifest stays a pin for that platform when it is refreshed.\n"
    "\n"
    "options:\n"
    "  --check             write nothing; list unpinned and stale references, exit 1 if any\n"
    "  --update            also re-resolve existing pins and refresh those whose tag moved\n"
    "  --platform OS/ARCH[/VARIANT]  new pins: that platform's image manifest instead of\n"
    "                      the index; existing index pins: stale only when that platform's\n"
    "                      manifest changed (no CI flapping when another arch is rebuilt)\n"
    "  --format dockerfile|yaml      the file type (default: from the name, then content)\n"
    HULL_REGOPTS_HELP
    "  -q, --quiet         print only changes and findings; no warnings\n"
    "  -h, --help          this text\n"
    "\n"
    "output: one line per reference, FILE:LINE: STATUS IMAGE [-> NEW] [(note)], STATUS one\n"
    "of pinned, updated, current, kept, unpinned, stale, skipped. Each file is rewritten\n"
    "atomically and only when all its references resolved; a failing file does not stop\n"
    "the others (the exit status is then the first failure's).\n"
    "exit status: 0 ok, 1 --check found unpinned or stale references, 2 usage, 3 bad\n"
    "input, 4 network or authentication, 6 file or image not found, 7 unsupported.\n";

static int run(struct hull_cli *cli, int argc, char **argv)
{
    enum { OPT_CHECK = 1, OPT_UPDATE, OPT_PLATFORM, OPT_FORMAT };
    static const struct option longopts[] = {
        { "check", no_argument, NULL, OPT_CHECK },
        { "update", no_argument, NULL, OPT_UPDATE },
        { "platform", required_argument, NULL, OPT_PLATFORM },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        HULL_REGOPTS_LONG,
        { NULL, 0, NULL, 0 },
    };
    struct hull_cli_regopts ro;
    memset(&ro, 0, sizeof(ro));
    struct hull_pin_opts po;
    memset(&po, 0, sizeof(po));
    const char *platform = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        int h = hull_cli_regopt(cli, "pin", c, optarg, &ro);
        if (h == 1)
            continue;
        if (h != 0)
            return h;
        switch (c) {
        case OPT_CHECK:
            po.check = true;
            break;
        case OPT_UPDATE:
            po.update = true;
            break;
        case OPT_PLATFORM:
            platform = optarg;
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "dockerfile"))
                po.format = HULL_PIN_DOCKERFILE;
            else if (!strcmp(optarg, "yaml") || !strcmp(optarg, "compose") ||
                     !strcmp(optarg, "kubernetes"))
                po.format = HULL_PIN_YAML;
            else
                return hull_cli_usage_error(cli, "pin", "--format wants dockerfile or yaml");
            break;
        case 'q':
            cli->quiet = true;
            cli->ctx.log_level = HULL_LOG_ERROR;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return hull_cli_usage_error(cli, "pin", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return hull_cli_usage_error(cli, "pin", "missing FILE");
    struct hull_platform plat;
    struct hull_registry *reg;
    int rc = hull_cli_registry_open(cli, "pin", platform, &plat, &ro, &reg);
    if (rc)
        return rc;
    if (platform)
        po.platform = &plat;
    struct hull_err *err = NULL;
    bool findings = false;
    for (int i = optind; i < argc; i++) { /* each file on its own: a failure skips only it */
        struct hull_pin_report rep;
        if (hull_pin_file(&cli->ctx, reg, argv[i], &po, &rep, &err) < 0) {
            int frc = hull_cli_fail(cli, err);
            if (!rc)
                rc = frc;
            err = NULL;
        } else {
            for (size_t k = 0; k < rep.n; k++) {
                const struct hull_pin_result *r = &rep.r[k];
                bool change = r->new_image != NULL;
                if (cli->quiet && !change)
                    continue;
                if (r->status == HULL_PIN_UNPINNED || r->status == HULL_PIN_STALE)
                    findings = true;
                printf("%s:%zu: %s %s%s%s%s%s%s\n", argv[i], r->line,
                       hull_pin_status_name(r->status), r->image, change ? " -> " : "",
                       change ? r->new_image : "", r->note ? " (" : "", r->note ? r->note : "",
                       r->note ? ")" : "");
            }
        }
        hull_pin_report_release(&rep);
    }
    hull_registry_free(reg);
    hull_cli_regopts_release(&ro);
    if (fflush(stdout) != 0 && rc == 0)
        rc = HULL_EXIT_IO;
    if (rc == 0 && findings)
        rc = HULL_EXIT_FINDINGS;
    return rc;
}

const struct hull_command hull_cmd_pin = {
    "pin", run, "pin image references in Dockerfiles, compose and Kubernetes files by digest"
};
