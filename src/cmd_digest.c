/* hull digest: print the digest a registry serves for an image reference (crane digest,
 * skopeo inspect's Digest): the index digest of a multi-arch image, or with --platform the
 * matching image manifest's digest. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "regopts.h"
#include "hull/registry.h"

static const char usage_text[] =
    "usage: hull digest [OPTIONS] REF...\n"
    "\n"
    "Print the digest a registry serves for each image reference REF (name[:tag] or\n"
    "name@sha256:..., e.g. node:18, ghcr.io/org/app:1.2, 127.0.0.1:5000/x/y:latest).\n"
    "Without --platform this is the top-level digest (the index of a multi-arch image),\n"
    "as `crane digest` and `skopeo inspect` report it; a HEAD request is used when the\n"
    "registry sends Docker-Content-Digest, else the manifest bytes are hashed.\n"
    "\n"
    "options:\n"
    "  --platform OS/ARCH[/VARIANT]  the digest of that platform's image manifest\n"
    "  --full              print name:tag@sha256:... instead of the bare digest\n"
    HULL_REGOPTS_HELP
    "  -q, --quiet         no warnings\n"
    "  -h, --help          this text\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 tampered or invalid reply, 4 network or\n"
    "authentication, 6 not found, 7 unsupported (schema 1 manifests).\n";

static int run(struct hull_cli *cli, int argc, char **argv)
{
    enum { OPT_PLATFORM = 1, OPT_FULL };
    static const struct option longopts[] = {
        { "platform", required_argument, NULL, OPT_PLATFORM },
        { "full", no_argument, NULL, OPT_FULL },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        HULL_REGOPTS_LONG,
        { NULL, 0, NULL, 0 },
    };
    struct hull_cli_regopts ro;
    memset(&ro, 0, sizeof(ro));
    const char *platform = NULL;
    bool full = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        int h = hull_cli_regopt(cli, "digest", c, optarg, &ro);
        if (h == 1)
            continue;
        if (h != 0)
            return h;
        switch (c) {
        case OPT_PLATFORM:
            platform = optarg;
            break;
        case OPT_FULL:
            full = true;
            break;
        case 'q':
            cli->quiet = true;
            cli->ctx.log_level = HULL_LOG_ERROR;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return hull_cli_usage_error(cli, "digest", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return hull_cli_usage_error(cli, "digest", "missing image reference");
    struct hull_platform plat;
    struct hull_registry *reg;
    int rc = hull_cli_registry_open(cli, "digest", platform, &plat, &ro, &reg);
    if (rc)
        return rc;
    struct hull_err *err = NULL;
    for (int i = optind; i < argc && rc == 0; i++) {
        const char *s = argv[i];
        if (!strncmp(s, "docker://", 9))
            s += 9;
        struct hull_ref ref;
        if (hull_ref_parse(s, strlen(s), &ref, &err) < 0) {
            rc = err->code == HULL_E_USAGE ? hull_cli_usage_error(cli, "digest", "%s", err->msg)
                                           : hull_cli_fail(cli, err);
            if (err && rc == HULL_EXIT_USAGE)
                hull_err_free(err);
            err = NULL;
            break;
        }
        char d[HULL_REF_DIGEST_BUF];
        if (hull_registry_digest(reg, &ref, platform ? &plat : NULL, d, &err) < 0) {
            rc = hull_cli_fail(cli, err);
            err = NULL;
        } else if (full) {
            char *name = hull_ref_format(&ref, true, false);
            printf("%s@%s\n", name ? name : "", d);
            free(name);
        } else {
            printf("%s\n", d);
        }
        hull_ref_release(&ref);
    }
    hull_registry_free(reg);
    hull_cli_regopts_release(&ro);
    if (rc == 0 && fflush(stdout) != 0)
        rc = HULL_EXIT_IO;
    return rc;
}

const struct hull_command hull_cmd_digest = {
    "digest", run, "print the digest a registry serves for an image reference"
};
