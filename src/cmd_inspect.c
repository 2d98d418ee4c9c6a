/* hull inspect: open an image, verify every blob (all layers are streamed through
 * decompression and both digests, which is also how the uncompressed sizes are known) and
 * show its metadata as a table or as JSON (docs/json/inspect.md, schema_version 1). */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "hull/image.h"
#include "regopts.h"

static const char usage_text[] =
    "usage: hull inspect [options] IMAGE\n"
    "\n"
    "Show an image's reference, manifest and config digests, platform, created time, user,\n"
    "environment, entrypoint/cmd, exposed ports, labels and its layers (digest, diff_id, media\n"
    "type, compressed and uncompressed size, created_by). Every blob is verified on the way:\n"
    "a tampered or corrupt image exits 3.\n"
    "\n"
    "IMAGE is one of\n"
    "  docker-archive:PATH[:REF]  `docker save` output (plain or gzip), REF like app:1.0 or @N\n"
    "  oci:DIR[:REF]              OCI image layout directory, REF = ref name annotation\n"
    "  oci-archive:PATH[:REF]     OCI image layout in a tar\n"
    "  dir:PATH                   a root filesystem directory (no layers)\n"
    "  docker://REF, REF          a registry image (\"node:18\", \"ghcr.io/a/b@sha256:..\")\n"
    "  docker-daemon:REF          an image of the local Docker-compatible engine\n"
    "  PATH                       a local path, its kind detected from its content\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT    table (default) or json\n"
    "      --platform P       os/arch[/variant] to pick from a multi-platform index\n"
    "                         (default: the host's, or the only image)\n"
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "  -q, --quiet            no warnings, no progress\n"
    "  -h, --help             this text\n"
    "registry options:\n" HULL_REGOPTS_HELP HULL_REGOPTS_CACHE_HELP
    "\n"
    "exit status: 0 ok, 2 usage, 3 bad or tampered image, 4 network or registry,\n"
    "6 not found or I/O error, 7 unsupported image (e.g. foreign layers), 8 internal error.\n";

/* Table output must not pass terminal escapes from the image through. */
static void put_clean(FILE *f, const char *s, size_t max)
{
    size_t n = 0;
    for (; s && *s && n < max; s++, n++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
    if (s && *s)
        fputs("...", f);
}

static void row(FILE *f, const char *k, const char *v)
{
    fprintf(f, "%-15s ", k);
    put_clean(f, v && *v ? v : "-", 4096);
    fputc('\n', f);
}

static void row_list(FILE *f, const char *k, const char *const *v)
{
    if (!v[0]) {
        row(f, k, "-");
        return;
    }
    for (size_t i = 0; v[i]; i++)
        row(f, i == 0 ? k : "", v[i]);
}

static const char *short_digest(const char *d, char *buf, size_t cap)
{
    if (!d)
        return "-";
    snprintf(buf, cap, "%.19s", d);
    return buf;
}

static const char *short_media(const char *mt)
{
    if (!mt)
        return "-";
    if (strstr(mt, "zstd"))
        return "tar+zstd";
    if (strstr(mt, "gzip"))
        return "tar+gzip";
    return "tar";
}

static void render_table(FILE *f, struct hull_image *img)
{
    const struct hull_image_meta *m = hull_image_meta(img);
    char plat[256];
    snprintf(plat, sizeof(plat), "%s/%s%s%s", m->os ? m->os : "unknown",
             m->architecture ? m->architecture : "unknown", m->variant ? "/" : "",
             m->variant ? m->variant : "");
    row(f, "Reference:", m->spec);
    row(f, "Transport:", m->transport);
    row(f, "Path:", m->path);
    if (hull_image_rootfs(img))
        row(f, "Root:", hull_image_rootfs(img));
    row(f, "Name:", m->name);
    row(f, "Manifest:", m->manifest_digest);
    if (m->manifest_media_type)
        row(f, "Manifest type:", m->manifest_media_type);
    row(f, "Config:", m->config_digest);
    row(f, "Platform:", plat);
    row(f, "Created:", m->created);
    row(f, "User:", m->user);
    row(f, "Workdir:", m->workdir);
    row_list(f, "Entrypoint:", m->entrypoint);
    row_list(f, "Cmd:", m->cmd);
    row_list(f, "Env:", m->env);
    row_list(f, "Exposed ports:", m->exposed_ports);
    if (!m->label_keys[0])
        row(f, "Labels:", "-");
    for (size_t i = 0; m->label_keys[i]; i++) {
        fprintf(f, "%-15s ", i == 0 ? "Labels:" : "");
        put_clean(f, m->label_keys[i], 200);
        fputc('=', f);
        put_clean(f, m->label_values[i], 1000);
        fputc('\n', f);
    }
    size_t n = hull_image_layer_count(img);
    if (n == 0)
        return;
    fprintf(f, "\nLayers:\n  %-3s %-19s %-19s %-9s %12s %12s  %s\n", "#", "DIGEST", "DIFF_ID",
            "TYPE", "SIZE", "UNCOMPRESSED", "CREATED BY");
    int64_t tc = 0, tu = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hull_layer_desc *l = hull_image_layer(img, i);
        char a[32], b[32];
        fprintf(f, "  %-3zu %-19s %-19s %-9s %12" PRId64 " %12" PRId64 "  ", i + 1,
                short_digest(l->digest, a, sizeof(a)), short_digest(l->diff_id, b, sizeof(b)),
                short_media(l->media_type), l->size, l->uncompressed_size);
        put_clean(f, l->created_by ? l->created_by : "-", 60);
        fputc('\n', f);
        tc += l->size > 0 ? l->size : 0;
        tu += l->uncompressed_size > 0 ? l->uncompressed_size : 0;
    }
    fprintf(f, "\nTotal: %zu layer%s, %" PRId64 " bytes compressed, %" PRId64
            " bytes uncompressed\n", n, n == 1 ? "" : "s", tc, tu);
}

/* "verifying layer 2/5: 120 MiB" on stderr, redrawn in place (terminals only). */
static void progress(void *ud, const char *what, uint64_t done, uint64_t total)
{
    (void)ud;
    (void)total;
    fprintf(stderr, "\rverifying %s: %" PRIu64 " MiB   ", what, done >> 20);
    fflush(stderr);
}

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *jlist(const char *const *v)
{
    json_t *a = json_array();
    for (size_t i = 0; v && v[i]; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *build_json(struct hull_image *img)
{
    const struct hull_image_meta *m = hull_image_meta(img);
    json_t *o = json_object();
    json_object_set_new(o, "schema_version", json_integer(1));
    json_object_set_new(o, "reference", jstr(m->spec));
    json_object_set_new(o, "transport", jstr(m->transport));
    json_object_set_new(o, "path", jstr(m->path));
    json_object_set_new(o, "rootfs", jstr(hull_image_rootfs(img)));
    json_object_set_new(o, "name", jstr(m->name));
    if (m->manifest_digest)
        json_object_set_new(o, "manifest",
                            json_pack("{s:s, s:o, s:I}", "digest", m->manifest_digest,
                                      "media_type", jstr(m->manifest_media_type), "size",
                                      (json_int_t)m->manifest_size));
    else
        json_object_set_new(o, "manifest", json_null());
    if (m->config_digest)
        json_object_set_new(o, "config", json_pack("{s:s, s:I}", "digest", m->config_digest,
                                                   "size", (json_int_t)m->config_size));
    else
        json_object_set_new(o, "config", json_null());
    json_object_set_new(o, "platform", json_pack("{s:o, s:o, s:o}", "os", jstr(m->os),
                                                 "architecture", jstr(m->architecture),
                                                 "variant", jstr(m->variant)));
    json_object_set_new(o, "created", jstr(m->created));
    json_object_set_new(o, "user", jstr(m->user));
    json_object_set_new(o, "workdir", jstr(m->workdir));
    json_object_set_new(o, "env", jlist(m->env));
    json_object_set_new(o, "entrypoint", jlist(m->entrypoint));
    json_object_set_new(o, "cmd", jlist(m->cmd));
    json_object_set_new(o, "exposed_ports", jlist(m->exposed_ports));
    json_t *labels = json_object();
    for (size_t i = 0; m->label_keys[i]; i++)
        json_object_set_new(labels, m->label_keys[i], json_string(m->label_values[i]));
    json_object_set_new(o, "labels", labels);
    json_t *layers = json_array();
    size_t n = hull_image_layer_count(img);
    json_int_t tc = 0, tu = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hull_layer_desc *l = hull_image_layer(img, i);
        json_array_append_new(
            layers, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:o}", "index", (json_int_t)i,
                              "digest", jstr(l->digest), "diff_id", jstr(l->diff_id),
                              "media_type", jstr(l->media_type), "size", (json_int_t)l->size,
                              "uncompressed_size", (json_int_t)l->uncompressed_size,
                              "created_by", jstr(l->created_by)));
        tc += l->size > 0 ? l->size : 0;
        tu += l->uncompressed_size > 0 ? l->uncompressed_size : 0;
    }
    json_object_set_new(o, "layers", layers);
    json_t *hist = json_array();
    bool empty = false;
    const char *h;
    for (size_t i = 0; (h = hull_image_history(img, i, &empty)); i++)
        json_array_append_new(hist, json_pack("{s:s, s:b}", "created_by", h, "empty_layer", empty));
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "totals", json_pack("{s:I, s:I, s:I}", "layers", (json_int_t)n, "size",
                                               tc, "uncompressed_size", tu));
    return o;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "platform", required_argument, NULL, 'P' },
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        HULL_REGOPTS_LONG,
        HULL_REGOPTS_CACHE_LONG,
        { NULL, 0, NULL, 0 },
    };
    struct hull_cli_regopts ro;
    memset(&ro, 0, sizeof(ro));
    const char *format = "table", *platform = NULL, *output = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:o:qh", longopts, NULL)) != -1) {
        int h = hull_cli_regopt(cli, "inspect", c, optarg, &ro);
        if (h == 1)
            continue;
        if (h != 0)
            return h;
        switch (c) {
        case 'f': format = optarg; break;
        case 'P': platform = optarg; break;
        case 'o': output = optarg; break;
        case 'q': cli->quiet = true; cli->ctx.log_level = HULL_LOG_ERROR; break;
        case 'h': fputs(usage_text, stdout); return HULL_EXIT_OK;
        case ':':
            return hull_cli_usage_error(cli, "inspect", "option '%s' needs a value",
                                        argv[optind - 1]);
        default:
            return hull_cli_usage_error(cli, "inspect", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (strcmp(format, "table") && strcmp(format, "json"))
        return hull_cli_usage_error(cli, "inspect", "unknown format '%s' (table or json)", format);
    if (optind + 1 != argc)
        return hull_cli_usage_error(cli, "inspect", optind >= argc ? "missing IMAGE"
                                                                   : "exactly one IMAGE expected");
    int rc = hull_cli_regopts_finish(cli, "inspect", &ro);
    if (rc)
        return rc;
    struct hull_image_opts io = { .platform = platform, .registry = &ro.o };
    struct hull_image *img = NULL;
    struct hull_err *err = NULL;
    if (cli->stderr_tty && !cli->quiet) {
        cli->ctx.progress = progress;
        cli->ctx.progress_ud = NULL;
    }
    char *spec = hull_cli_image_spec(&ro, argv[optind]);
    int vrc = spec ? hull_image_open(&cli->ctx, spec, &io, &img, &err)
                   : hull_err_set(&err, HULL_E_NOMEM, "out of memory");
    free(spec);
    if (vrc >= 0)
        vrc = hull_image_verify(img, &err);
    if (cli->ctx.progress)
        fputs("\r\033[K", stderr); /* erase the progress line */
    hull_cli_regopts_release(&ro);
    if (vrc < 0) {
        hull_image_free(img);
        return hull_cli_fail(cli, err);
    }
    FILE *f = hull_cli_open_output(cli, output);
    if (!f) {
        hull_image_free(img);
        return HULL_EXIT_IO;
    }
    if (!strcmp(format, "json")) {
        json_t *j = build_json(img);
        if (!j || json_dumpf(j, f, JSON_INDENT(2)) < 0) {
            fprintf(stderr, "hull: cannot render JSON\n");
            rc = HULL_EXIT_INTERNAL;
        }
        fputc('\n', f);
        json_decref(j);
    } else {
        render_table(f, img);
    }
    hull_image_free(img);
    int crc = hull_cli_close_output(cli, f, output);
    return rc ? rc : crc;
}

const struct hull_command hull_cmd_inspect = { "inspect", run,
                                               "show and verify an image's metadata and layers" };
