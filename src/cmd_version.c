/* hull version: print the version (version comparison subcommands are added by the
 * version module). */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int run(struct hull_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: hull version\n");
        return 0;
    }
    printf("hull %s\n", HULL_VERSION);
    return 0;
}

const struct hull_command hull_cmd_version = { "version", run, "print hull's version" };
