/* Database download helpers shared by `hull db` and the scans (see dbupdate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dbupdate.h"

int hull_cli_mirror_add(struct hull_cli *cli, const char *cmd, const char *opt, char *arg,
                        struct hull_vulndb_mirror **mirrors, size_t *n)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return hull_cli_usage_error(cli, cmd, "%s wants NAME=URL, got '%s'", opt, arg);
    struct hull_vulndb_mirror *m = realloc(*mirrors, (*n + 1) * sizeof(*m));
    if (!m) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    *mirrors = m;
    *eq = 0;
    m[(*n)++] = (struct hull_vulndb_mirror){ arg, eq + 1 };
    return 0;
}

void hull_cli_human_size(char *b, size_t n, double v)
{
    const char *u[] = { "B", "KiB", "MiB", "GiB" };
    int i = 0;
    while (v >= 1024 && i < 3) {
        v /= 1024;
        i++;
    }
    snprintf(b, n, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

/* Progress bar on stderr, drawn only when it is a terminal (set up by the caller). */
static void progress(void *ud, const char *what, uint64_t done, uint64_t total)
{
    (void)ud;
    static char last[64];
    static uint64_t last_done;
    if (strcmp(last, what) != 0) {
        if (last[0])
            fputc('\n', stderr);
        snprintf(last, sizeof(last), "%s", what);
        last_done = (uint64_t)-1;
    }
    if (done == last_done)
        return;
    last_done = done;
    char d[32], t[32];
    hull_cli_human_size(d, sizeof(d), (double)done);
    if (total) {
        int pct = (int)(done * 100 / total);
        int bars = pct / 5;
        hull_cli_human_size(t, sizeof(t), (double)total);
        fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%% %s / %s", what, bars,
                "####################", 20 - bars, "", pct, d, t);
    } else {
        fprintf(stderr, "\r%-24.24s %s", what, d);
    }
    fflush(stderr);
}

int hull_cli_db_update(struct hull_cli *cli, const char *path,
                       struct hull_vulndb_update_opts *uo, struct hull_vulndb_report *rep,
                       struct hull_err **err)
{
    const char *rb = getenv("HULL_RETRY_BASE_MS");
    if (!uo->retry_base_ms && rb && *rb)
        uo->retry_base_ms = (unsigned)strtoul(rb, NULL, 10);
    /* tests: the pause between NVD requests (0 = none) */
    const char *nd = getenv("HULL_NVD_DELAY_MS");
    if (!uo->nvd_delay_ms && nd && *nd) {
        long v = strtol(nd, NULL, 10);
        uo->nvd_delay_ms = v > 0 ? v : -1;
    }
    void (*saved)(void *, const char *, uint64_t, uint64_t) = cli->ctx.progress;
    void *saved_ud = cli->ctx.progress_ud;
    bool bar = cli->stderr_tty && !cli->quiet;
    if (bar) {
        cli->ctx.progress = progress;
        cli->ctx.progress_ud = NULL;
    }
    int r = hull_vulndb_update(&cli->ctx, path, uo, rep, err);
    if (bar)
        fputc('\n', stderr);
    cli->ctx.progress = saved;
    cli->ctx.progress_ud = saved_ud;
    return r;
}

void hull_cli_db_report(struct hull_cli *cli, const char *what,
                        const struct hull_vulndb_report *r)
{
    if (cli->quiet)
        return;
    fprintf(stderr, "hull: %s: %lld documents, %lld records, %lld affected entries",
            what, (long long)r->documents, (long long)r->records, (long long)r->affected);
    if (r->unchanged)
        fprintf(stderr, ", %lld feeds unchanged", (long long)r->unchanged);
    if (r->ignored)
        fprintf(stderr, ", %lld files ignored", (long long)r->ignored);
    fputc('\n', stderr);
    if (r->skipped) {
        char ids[1200] = "";
        size_t off = 0;
        for (size_t i = 0; i < r->n_skipped_ids && off < sizeof(ids); i++)
            off += (size_t)snprintf(ids + off, sizeof(ids) - off, "%s%s", i ? ", " : "",
                                    r->skipped_ids[i]);
        hull_cli_warn(cli, "skipped %lld malformed records (first: %s)", (long long)r->skipped,
                      ids);
    }
}
