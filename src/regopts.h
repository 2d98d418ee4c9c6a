/* Registry options shared by `hull digest`, `hull pin` and the image commands:
 * --insecure, --ca-cert FILE, --username U, --password-stdin, --timeout SECONDS,
 * --blob-cache DIR. An image command adopts them with a few lines: HULL_REGOPTS_LONG (and
 * HULL_REGOPTS_CACHE_LONG) in its option table; in its getopt loop
 *     int h = hull_cli_regopt(cli, "cmd", c, optarg, &ro);
 *     if (h == 1) continue; if (h) return h;
 * hull_cli_regopts_finish() after the loop, `.registry = &ro.o` in its struct
 * hull_image_opts, and hull_cli_regopts_release() at the end. */
#ifndef HULL_REGOPTS_H
#define HULL_REGOPTS_H
#include <getopt.h>
#include "cli.h"
#include "hull/registry.h"

enum {
    HULL_REGOPT_INSECURE = 0x1000,
    HULL_REGOPT_CA_CERT,
    HULL_REGOPT_USERNAME,
    HULL_REGOPT_PASSWORD_STDIN,
    HULL_REGOPT_TIMEOUT,
    HULL_REGOPT_BLOB_CACHE,
    HULL_REGOPT_SOURCE,
};

#define HULL_REGOPTS_LONG                                                              \
    { "insecure", no_argument, NULL, HULL_REGOPT_INSECURE },                          \
    { "ca-cert", required_argument, NULL, HULL_REGOPT_CA_CERT },                      \
    { "username", required_argument, NULL, HULL_REGOPT_USERNAME },                    \
    { "password-stdin", no_argument, NULL, HULL_REGOPT_PASSWORD_STDIN },              \
    { "timeout", required_argument, NULL, HULL_REGOPT_TIMEOUT }

/* For commands that read layers (add after HULL_REGOPTS_LONG). */
#define HULL_REGOPTS_CACHE_LONG { "blob-cache", required_argument, NULL, HULL_REGOPT_BLOB_CACHE }, \
    { "source", required_argument, NULL, HULL_REGOPT_SOURCE }

#define HULL_REGOPTS_HELP                                                              \
    "  --insecure          talk plain HTTP to the registry (never implied)\n"          \
    "  --ca-cert FILE      trust the CA certificates in FILE (also SSL_CERT_FILE)\n"   \
    "  --username USER     log in as USER; the password is read from stdin with\n"     \
    "  --password-stdin    (otherwise credentials come from $DOCKER_CONFIG/config.json)\n" \
    "  --timeout SECONDS   per-request timeout (default 60)\n"

#define HULL_REGOPTS_CACHE_HELP                                                        \
    "  --blob-cache DIR    keep verified layers by digest in DIR ($HULL_BLOB_CACHE)\n"   \
    "  --source SRC        where a bare IMAGE name is looked up: engine (the local\n"    \
    "                      Docker-compatible engine, as docker-daemon:IMAGE), registry\n" \
    "                      (as docker://IMAGE) or auto (default: detected)\n"

struct hull_cli_regopts {
    struct hull_registry_opts o;
    const char *source; /* --source: "engine", "registry" or NULL (auto) */
    bool password_stdin;
    char *password;
};

/* Handle option c (from getopt_long) if it is a registry option: 1 handled, 0 not one,
 * HULL_EXIT_USAGE after printing a usage error. */
int hull_cli_regopt(struct hull_cli *cli, const char *cmd, int c, const char *arg,
                    struct hull_cli_regopts *ro);
/* Check the combination and read --password-stdin: 0 or an exit code after printing. */
int hull_cli_regopts_finish(struct hull_cli *cli, const char *cmd, struct hull_cli_regopts *ro);
/* The image spec to open for IMAGE under --source: "docker-daemon:IMAGE" for engine,
 * "docker://IMAGE" for registry, IMAGE itself otherwise or when it already names a
 * transport. Returns a malloc'd string (NULL on out of memory). */
char *hull_cli_image_spec(const struct hull_cli_regopts *ro, const char *image);
/* After the option loop of a command that only talks to a registry (digest, pin): parse
 * --platform into *plat when platform is not NULL, run hull_cli_regopts_finish() and open the
 * registry into *reg. 0, or an exit code after printing (ro is released then, *reg NULL). */
int hull_cli_registry_open(struct hull_cli *cli, const char *cmd, const char *platform,
                           struct hull_platform *plat, struct hull_cli_regopts *ro,
                           struct hull_registry **reg);
/* Wipe the password. */
void hull_cli_regopts_release(struct hull_cli_regopts *ro);
#endif
