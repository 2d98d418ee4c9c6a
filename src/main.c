/* hull: entry point, global options and the command table (git's builtin table). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define HULL_COMMAND(name) extern const struct hull_command hull_cmd_##name;
#include "commands.inc"
#undef HULL_COMMAND

static const struct hull_command *const commands[] = {
#define HULL_COMMAND(name) &hull_cmd_##name,
#include "commands.inc"
#undef HULL_COMMAND
};

int hull_cli_exit_code(enum hull_errc code)
{
    switch (code) {
    case HULL_E_OK: return HULL_EXIT_OK;
    case HULL_E_USAGE: return HULL_EXIT_USAGE;
    case HULL_E_PARSE:
    case HULL_E_DIGEST:
    case HULL_E_LIMIT:
    case HULL_E_UNSAFE: return HULL_EXIT_INPUT;
    case HULL_E_NET:
    case HULL_E_AUTH: return HULL_EXIT_NET;
    case HULL_E_DB: return HULL_EXIT_DB;
    case HULL_E_NOTFOUND:
    case HULL_E_IO: return HULL_EXIT_IO;
    case HULL_E_UNSUPPORTED: return HULL_EXIT_UNSUPPORTED;
    default: return HULL_EXIT_INTERNAL;
    }
}

int hull_cli_fail(struct hull_cli *cli, struct hull_err *err)
{
    (void)cli;
    if (!err) {
        fprintf(stderr, "hull: internal error (no error value)\n");
        return HULL_EXIT_INTERNAL;
    }
    fprintf(stderr, "hull: %s\n", err->msg);
    int rc = hull_cli_exit_code(err->code);
    hull_err_free(err);
    return rc;
}

int hull_cli_usage_error(struct hull_cli *cli, const char *cmd, const char *fmt, ...)
{
    (void)cli;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hull %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'hull %s --help')\n", cmd);
    va_end(ap);
    return HULL_EXIT_USAGE;
}

void hull_cli_warn(struct hull_cli *cli, const char *fmt, ...)
{
    if (cli->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("hull: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

FILE *hull_cli_open_output(struct hull_cli *cli, const char *path)
{
    (void)cli;
    if (!path || !strcmp(path, "-"))
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "hull: %s: cannot write: %m\n", path);
    return f;
}

int hull_cli_close_output(struct hull_cli *cli, FILE *f, const char *path)
{
    (void)cli;
    if (f == stdout)
        return fflush(stdout) == 0 ? 0 : HULL_EXIT_IO;
    if (fclose(f) != 0) {
        fprintf(stderr, "hull: %s: write failed: %m\n", path);
        return HULL_EXIT_IO;
    }
    return 0;
}

static void log_stderr(void *ud, enum hull_log_level level, const char *msg)
{
    (void)ud;
    fprintf(stderr, "hull: %s%s\n",
            level == HULL_LOG_ERROR ? "error: " : level == HULL_LOG_WARN ? "warning: " : "", msg);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: hull [-q|--quiet] [-d|--debug] [--no-color] COMMAND [ARGS]\n"
               "       hull --version | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nRun 'hull COMMAND --help' for a command's options; 'man hull' for exit codes.\n");
}

int main(int argc, char **argv)
{
    struct hull_cli cli = { .prog = "hull" };
    hull_ctx_init(&cli.ctx);
    const char *nc = getenv("NO_COLOR");
    cli.color = isatty(1) && !(nc && *nc);
    cli.stderr_tty = isatty(2);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("hull %s\n", HULL_VERSION);
            return 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            cli.quiet = true;
        } else if (!strcmp(a, "-d") || !strcmp(a, "--debug")) {
            cli.debug = true;
        } else if (!strcmp(a, "--no-color")) {
            cli.color = false;
        } else {
            fprintf(stderr, "hull: unknown option '%s' (see 'hull --help')\n", a);
            return HULL_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return HULL_EXIT_USAGE;
    }
    cli.ctx.log = log_stderr;
    cli.ctx.log_level = cli.quiet ? HULL_LOG_ERROR : cli.debug ? HULL_LOG_DEBUG : HULL_LOG_WARN;
    if (cli.quiet)
        cli.stderr_tty = false;
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
        if (!strcmp(argv[i], commands[c]->name))
            return commands[c]->run(&cli, argc - i, argv + i);
    fprintf(stderr, "hull: '%s' is not a hull command (see 'hull --help')\n", argv[i]);
    return HULL_EXIT_USAGE;
}
