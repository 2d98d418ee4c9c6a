/* The database download shared by `hull db update` and the scans' --download-db: the
 * --mirror NAME=URL parser, the update run with the CLI's conventions (HULL_RETRY_BASE_MS,
 * HULL_NVD_DELAY_MS, a progress bar on stderr only when it is a terminal and not -q) and its
 * one-line summary. The caller maps a failure to its exit code with hull_cli_fail(), like
 * every other error. */
#ifndef HULL_DBUPDATE_H
#define HULL_DBUPDATE_H
#include "cli.h"
#include "hull/vulndb.h"

/* Parse "NAME=URL" (NAME a feed name or '*'), splitting arg in place, and append it to
 * *mirrors / *n (realloc'd; the caller frees *mirrors). opt names the option in the usage
 * error ("--mirror"). 0, or an exit code after printing (usage, out of memory). */
int hull_cli_mirror_add(struct hull_cli *cli, const char *cmd, const char *opt, char *arg,
                        struct hull_vulndb_mirror **mirrors, size_t *n);

/* hull_vulndb_update() into path: uo->retry_base_ms from $HULL_RETRY_BASE_MS and
 * uo->nvd_delay_ms from $HULL_NVD_DELAY_MS (tests; 0 = no pause) when they are 0, the progress
 * bar while it runs (cli's own progress callback is restored afterwards).
 * 0, or -1 with *err. */
int hull_cli_db_update(struct hull_cli *cli, const char *path,
                       struct hull_vulndb_update_opts *uo, struct hull_vulndb_report *rep,
                       struct hull_err **err);

/* "hull: WHAT: N documents, N records, ..." and a warning naming skipped records; nothing
 * with -q. */
void hull_cli_db_report(struct hull_cli *cli, const char *what,
                        const struct hull_vulndb_report *r);

/* "512 B", "1.5 KiB", ... up to GiB. */
void hull_cli_human_size(char *b, size_t n, double v);
#endif
