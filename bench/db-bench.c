/* Lookup throughput of the vulnerability database (bench/db.sh): reads "ECOSYSTEM<TAB>PACKAGE"
 * keys from stdin and looks them all up, first in batches (one temp-table join per batch, what
 * a scan does), then one key per call (the baseline), and prints keys/s and rows/s of both.
 *   db-bench DB [BATCH] < keys */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hull/vulndb.h"

static double cpu(void) /* process CPU time: the machine may be shared */
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(struct hull_vulndb *db, struct hull_vulndb_key *k, size_t n, size_t batch,
               size_t *rows, double *secs)
{
    double t0 = cpu();
    *rows = 0;
    for (size_t i = 0; i < n; i += batch) {
        size_t m = n - i < batch ? n - i : batch;
        struct hull_vuln_matches *res = NULL;
        struct hull_err *err = NULL;
        if (hull_vulndb_lookup(db, k + i, m, &res, &err) < 0) {
            fprintf(stderr, "db-bench: %s\n", err->msg);
            return -1;
        }
        *rows += res->n;
        hull_vuln_matches_free(res);
    }
    *secs = cpu() - t0;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    size_t batch = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(NULL, argv[1], &err);
    if (!db) {
        fprintf(stderr, "db-bench: %s\n", err->msg);
        return 1;
    }
    struct hull_vulndb_key *k = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t ll = 0;
    while (getline(&line, &ll, stdin) > 0) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        tab[1 + strcspn(tab + 1, "\n")] = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            k = realloc(k, cap * sizeof(*k));
        }
        k[n].ecosystem = strdup(line);
        k[n].package = strdup(tab + 1);
        n++;
    }
    free(line);
    size_t rb, r1;
    double tb, t1;
    if (run(db, k, n, batch, &rb, &tb) < 0 || run(db, k, n, 1, &r1, &t1) < 0)
        return 1;
    printf("%-22s %8s %9s %9s %12s %12s\n", "mode", "keys", "rows", "seconds", "keys/s",
           "rows/s");
    printf("batch of %-13zu %8zu %9zu %9.3f %12.0f %12.0f\n", batch, n, rb, tb, n / tb, rb / tb);
    printf("%-22s %8zu %9zu %9.3f %12.0f %12.0f\n", "one key per call", n, r1, t1, n / t1, r1 / t1);
    printf("batched lookups are %.1fx faster than one key per call\n", t1 / tb);
    for (size_t i = 0; i < n; i++) {
        free((char *)k[i].ecosystem);
        free((char *)k[i].package);
    }
    free(k);
    hull_vulndb_close(db);
    return rb == r1 ? 0 : 1;
}
