/* hull sbom: inventory an image's OS and language packages and write it as a table, hull
 * JSON (docs/json/sbom.md), CycloneDX 1.5 JSON or SPDX 2.3 JSON. Problems with individual
 * package databases are warnings on stderr (unless -q); the rest is still inventoried. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "regopts.h"
#include "hull/sbom.h"
#include "hull/scan.h"

static const char usage_text[] =
    "usage: hull sbom [options] IMAGE\n"
    "\n"
    "List the packages installed in an image: OS packages (dpkg, apk, rpm sqlite db) and\n"
    "language packages (npm node_modules, Python site-packages), each with the layer and\n"
    "file it was found in, and write them as a software bill of materials. For dir: scans,\n"
    "npm lockfiles (package-lock.json, yarn.lock, pnpm-lock.yaml) also count for projects\n"
    "that have no node_modules installed.\n"
    "\n"
    "IMAGE is one of\n"
    "  docker-archive:PATH[:REF]  `docker save` output (plain or gzip)\n"
    "  oci:DIR[:REF]              OCI image layout directory\n"
    "  oci-archive:PATH[:REF]     OCI image layout in a tar\n"
    "  dir:PATH                   a root filesystem directory\n"
    "  [docker://]REF             a registry image (\"node:18\", \"host:5000/app@sha256:..\")\n"
    "  docker-daemon:REF          an image of the local Docker-compatible engine\n"
    "  PATH                       any of the above, detected from its content\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT    table (default), json (hull's own, docs/json/sbom.md),\n"
    "                         cyclonedx (CycloneDX 1.5 JSON) or spdx-json (SPDX 2.3 JSON)\n"
    "      --platform P       os/arch[/variant] to pick from a multi-platform index\n"
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "  -q, --quiet            no warnings\n"
    "  -h, --help             this text\n"
    "registry options:\n" HULL_REGOPTS_HELP HULL_REGOPTS_CACHE_HELP
    "\n"
    "Unreadable or unsupported package databases are reported as warnings on stderr and\n"
    "in the JSON output; the rest of the image is still inventoried.\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 bad or tampered image, 4 network or registry,\n"
    "6 not found or I/O error, 7 unsupported image, 8 internal error.\n";

static int sbom(struct hull_cli *cli, int argc, char **argv, struct hull_cli_regopts *ro)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'P' },
        HULL_REGOPTS_LONG,
        HULL_REGOPTS_CACHE_LONG,
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = "table", *output = NULL, *platform = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:o:qh", opts, NULL)) != -1) {
        int h = hull_cli_regopt(cli, "sbom", c, optarg, ro);
        if (h == 1)
            continue;
        if (h)
            return h;
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'P':
            platform = optarg;
            break;
        case 'q':
            cli->quiet = true;
            cli->ctx.log_level = HULL_LOG_ERROR;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return HULL_EXIT_OK;
        default:
            if (optopt > 0 && optopt < 256 && strchr("fo", optopt))
                return hull_cli_usage_error(cli, "sbom", "option -%c needs a value", optopt);
            if (optopt >= HULL_REGOPT_INSECURE || optopt == 'P')
                return hull_cli_usage_error(cli, "sbom", "option '%s' needs a value",
                                            argv[optind - 1]);
            return hull_cli_usage_error(cli, "sbom", "unknown option '%s'", argv[optind - 1]);
        }
    }
    int fmt = hull_sbom_format_parse(format);
    if (fmt < 0)
        return hull_cli_usage_error(cli, "sbom", "unknown format '%s' (table, json, "
                                    "cyclonedx, spdx-json)", format);
    if (optind + 1 != argc)
        return hull_cli_usage_error(cli, "sbom", optind == argc ? "missing IMAGE"
                                                                : "too many arguments");
    int rrc = hull_cli_regopts_finish(cli, "sbom", ro);
    if (rrc)
        return rrc;
    struct hull_scan_opts so = { .platform = platform, .registry = &ro->o };
    struct hull_scan *scan = NULL;
    struct hull_err *err = NULL;
    char *spec = hull_cli_image_spec(ro, argv[optind]);
    int src = spec ? hull_scan_image(&cli->ctx, spec, &so, &scan, &err)
                   : hull_err_set(&err, HULL_E_NOMEM, "out of memory");
    free(spec);
    if (src < 0)
        return hull_cli_fail(cli, err);
    for (size_t i = 0; i < hull_inventory_warning_count(scan->inv); i++)
        hull_cli_warn(cli, "%s", hull_inventory_warning(scan->inv, i));
    FILE *f = hull_cli_open_output(cli, output);
    if (!f) {
        hull_scan_free(scan);
        return HULL_EXIT_IO;
    }
    int rc = HULL_EXIT_OK;
    if (hull_sbom_write(f, (enum hull_sbom_format)fmt, scan->inv, hull_image_meta(scan->image),
                        &err) < 0)
        rc = hull_cli_fail(cli, err);
    int crc = hull_cli_close_output(cli, f, output);
    hull_scan_free(scan);
    return rc ? rc : crc;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    struct hull_cli_regopts ro = { 0 };
    int rc = sbom(cli, argc, argv, &ro);
    hull_cli_regopts_release(&ro);
    return rc;
}

const struct hull_command hull_cmd_sbom = { "sbom", run,
                                            "list an image's packages (table, json, CycloneDX, "
                                            "SPDX)" };
