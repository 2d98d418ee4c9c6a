/* The CLI's shared state and helpers. Commands live in src/cmd_<name>.c, each defining
 * `const struct hull_command hull_cmd_<name>`; the Makefile lists them for src/main.c. */
#ifndef HULL_CLI_H
#define HULL_CLI_H
#include <stdbool.h>
#include <stdio.h>
#include "hull/hull.h"

/* Exit codes are an API (docs/exit-codes.md, hull(1)). */
enum hull_exit {
    HULL_EXIT_OK = 0,
    HULL_EXIT_FINDINGS = 1,    /* a gate (--exit-code, lint threshold, pin --check) tripped */
    HULL_EXIT_USAGE = 2,       /* bad command line */
    HULL_EXIT_INPUT = 3,       /* bad, tampered, oversized or unsafe input */
    HULL_EXIT_NET = 4,         /* network or registry */
    HULL_EXIT_DB = 5,          /* vulnerability database */
    HULL_EXIT_IO = 6,          /* file not found, permission, disk */
    HULL_EXIT_UNSUPPORTED = 7, /* valid input hull cannot handle yet */
    HULL_EXIT_INTERNAL = 8,    /* out of memory or a bug */
};

struct hull_cli {
    struct hull_ctx ctx;
    const char *prog;
    bool quiet;       /* -q: no progress, no warnings */
    bool debug;
    bool color;       /* stdout is a terminal and NO_COLOR is unset */
    bool stderr_tty;  /* progress goes to stderr only when it is a terminal */
};

struct hull_command {
    const char *name;
    int (*run)(struct hull_cli *cli, int argc, char **argv); /* argv[0] is the command name */
    const char *summary; /* one line for `hull --help` */
};

/* Print "hull: <message>" for err, free it, and return the exit code for its class. */
int hull_cli_fail(struct hull_cli *cli, struct hull_err *err);
/* Print "hull CMD: <message>" (printf-style) and return HULL_EXIT_USAGE. */
int hull_cli_usage_error(struct hull_cli *cli, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Map an error class to an exit code. */
int hull_cli_exit_code(enum hull_errc code);
/* Warning line on stderr unless --quiet. */
void hull_cli_warn(struct hull_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Open -o FILE for writing (or stdout when path is NULL or "-"); NULL after printing an error. */
FILE *hull_cli_open_output(struct hull_cli *cli, const char *path);
/* Close what hull_cli_open_output returned; returns an exit code (IO error on a failed close). */
int hull_cli_close_output(struct hull_cli *cli, FILE *f, const char *path);
#endif
