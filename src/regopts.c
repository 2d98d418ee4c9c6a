/* Registry command-line options (see regopts.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "regopts.h"

int hull_cli_regopt(struct hull_cli *cli, const char *cmd, int c, const char *arg,
                    struct hull_cli_regopts *ro)
{
    switch (c) {
    case HULL_REGOPT_INSECURE:
        ro->o.insecure = true;
        return 1;
    case HULL_REGOPT_CA_CERT:
        ro->o.ca_cert = arg;
        return 1;
    case HULL_REGOPT_USERNAME:
        if (!*arg)
            return hull_cli_usage_error(cli, cmd, "--username must not be empty");
        ro->o.username = arg;
        return 1;
    case HULL_REGOPT_PASSWORD_STDIN:
        ro->password_stdin = true;
        return 1;
    case HULL_REGOPT_TIMEOUT: {
        char *end;
        errno = 0;
        double s = strtod(arg, &end);
        if (errno || end == arg || *end || s <= 0 || s > 86400)
            return hull_cli_usage_error(cli, cmd, "--timeout wants seconds (0 < s <= 86400)");
        ro->o.timeout_ms = (long)(s * 1000);
        if (ro->o.timeout_ms < 1)
            ro->o.timeout_ms = 1;
        if (ro->o.timeout_ms < 15000)
            ro->o.connect_timeout_ms = ro->o.timeout_ms;
        return 1;
    }
    case HULL_REGOPT_SOURCE:
        if (!strcmp(arg, "auto"))
            ro->source = NULL;
        else if (!strcmp(arg, "engine") || !strcmp(arg, "registry"))
            ro->source = arg;
        else
            return hull_cli_usage_error(cli, cmd, "--source wants engine, registry or auto, "
                                                  "not '%s'", arg);
        return 1;
    case HULL_REGOPT_BLOB_CACHE:
        if (!*arg)
            return hull_cli_usage_error(cli, cmd, "--blob-cache wants a directory");
        ro->o.blob_cache = arg;
        return 1;
    default:
        return 0;
    }
}

char *hull_cli_image_spec(const struct hull_cli_regopts *ro, const char *image)
{
    static const char *const transports[] = { "docker-archive:", "oci:", "oci-archive:", "dir:",
                                              "docker://", "docker-daemon:", "sbom:" };
    const char *prefix = NULL;
    if (ro->source && !strcmp(ro->source, "engine"))
        prefix = "docker-daemon:";
    else if (ro->source && !strcmp(ro->source, "registry"))
        prefix = "docker://";
    for (size_t i = 0; prefix && i < sizeof(transports) / sizeof(transports[0]); i++)
        if (!strncmp(image, transports[i], strlen(transports[i])))
            prefix = NULL;
    char *out = NULL;
    if (asprintf(&out, "%s%s", prefix ? prefix : "", image) < 0)
        return NULL;
    return out;
}

int hull_cli_regopts_finish(struct hull_cli *cli, const char *cmd, struct hull_cli_regopts *ro)
{
    if (ro->password_stdin && !ro->o.username)
        return hull_cli_usage_error(cli, cmd, "--password-stdin needs --username");
    if (ro->o.username && !ro->password_stdin)
        return hull_cli_usage_error(cli, cmd, "--username needs --password-stdin (passwords "
                                              "are never taken from the command line)");
    if (!ro->password_stdin)
        return 0;
    char buf[4097];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(0, buf + n, sizeof(buf) - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "hull: --password-stdin: cannot read stdin: %s\n", strerror(errno));
            return HULL_EXIT_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == sizeof(buf) - 1) {
            memset(buf, 0, sizeof(buf));
            return hull_cli_usage_error(cli, cmd, "--password-stdin: password too long");
        }
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = 0;
    if (!n)
        return hull_cli_usage_error(cli, cmd, "--password-stdin: empty password on stdin");
    ro->password = strdup(buf);
    memset(buf, 0, sizeof(buf));
    if (!ro->password) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    ro->o.password = ro->password;
    return 0;
}

int hull_cli_registry_open(struct hull_cli *cli, const char *cmd, const char *platform,
                           struct hull_platform *plat, struct hull_cli_regopts *ro,
                           struct hull_registry **reg)
{
    struct hull_err *err = NULL;
    *reg = NULL;
    if (platform && hull_platform_parse(platform, plat, &err) < 0) {
        int rc = hull_cli_usage_error(cli, cmd, "%s", err->msg);
        hull_err_free(err);
        return rc;
    }
    int rc = hull_cli_regopts_finish(cli, cmd, ro);
    if (rc) {
        hull_cli_regopts_release(ro);
        return rc;
    }
    if (hull_registry_new(&cli->ctx, &ro->o, reg, &err) < 0) {
        hull_cli_regopts_release(ro);
        return hull_cli_fail(cli, err);
    }
    return 0;
}

void hull_cli_regopts_release(struct hull_cli_regopts *ro)
{
    if (ro->password) {
        volatile char *v = ro->password;
        while (*v)
            *v++ = 0;
        free(ro->password);
    }
    ro->password = NULL;
    ro->o.password = NULL;
}
