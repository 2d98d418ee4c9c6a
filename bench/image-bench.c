/* Matching alone (bench/image.sh): a synthetic inventory of N packages (default 10,000) made
 * from the database's own keys, so most packages have advisories to evaluate: Debian 12 source
 * packages as dpkg binaries at version 1.0-1, npm names at 1.0.0, and misses. Times
 * hull_match + hull_match_filter_apply (best of 5, process CPU) and prints the findings.
 *   image-bench DB [N] < keys        keys: "ECOSYSTEM<TAB>PACKAGE" lines */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzer/analyzer.h"
#include "hull/match.h"
#include "hull/vulndb.h"

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: image-bench DB [N] < keys\n");
        return 2;
    }
    size_t want = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    struct hull_err *err = NULL;
    struct hull_vulndb *db = hull_vulndb_open(NULL, argv[1], &err);
    struct hull_inventory *inv = hull_inventory_new(NULL);
    if (!db || !inv) {
        fprintf(stderr, "image-bench: %s\n", err ? err->msg : "out of memory");
        return 1;
    }
    static const char osrel[] = "ID=debian\nVERSION_ID=\"12\"\n";
    hull_analyze_bytes(&hull_analyzer_osrelease, "/etc/os-release", osrel, strlen(osrel), inv,
                       &err);
    char line[1024];
    size_t n = 0, deb = 0, npm = 0;
    while (n < want && fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        const char *eco = line, *name = tab + 1;
        char bin[600], path[700];
        struct hull_pkg t = { 0 };
        if (!strcmp(eco, "Debian:12")) {
            snprintf(bin, sizeof(bin), "%s-bin", name);
            t = (struct hull_pkg){ .type = HULL_PKG_DPKG, .name = bin, .version = "1.0-1",
                                   .source_name = (char *)name, .source_version = "1.0-1",
                                   .arch = "amd64", .found_in = "/var/lib/dpkg/status" };
            deb++;
        } else if (!strcmp(eco, "npm")) {
            snprintf(path, sizeof(path), "/app/node_modules/%s/package.json", name);
            t = (struct hull_pkg){ .type = HULL_PKG_NPM, .name = (char *)name, .version = "1.0.0",
                                   .found_in = path };
            npm++;
        } else {
            continue;
        }
        if (!hull_inventory_add(inv, &t, NULL, &err))
            return 1;
        n++;
    }
    for (size_t i = 0; n < want; i++, n++) {
        char name[64], path[128];
        snprintf(name, sizeof(name), "bench-miss-%zu", i);
        snprintf(path, sizeof(path), "/app/node_modules/%s/package.json", name);
        struct hull_pkg t = { .type = HULL_PKG_NPM, .name = name, .version = "1.0.0",
                              .found_in = path };
        if (!hull_inventory_add(inv, &t, NULL, &err))
            return 1;
    }
    if (hull_inventory_finish(inv, &err) < 0) {
        fprintf(stderr, "image-bench: %s\n", err->msg);
        return 1;
    }
    double best = 1e9;
    size_t findings = 0;
    for (int rep = 0; rep < 5; rep++) {
        struct hull_match_result *r = NULL;
        double t0 = cpu();
        struct hull_match_filter flt = { .today_ymd = 20240101 };
        if (hull_match(NULL, db, inv, &r, &err) < 0 ||
            hull_match_filter_apply(r, &flt, &err) < 0) {
            fprintf(stderr, "image-bench: %s\n", err->msg);
            return 1;
        }
        double dt = cpu() - t0;
        if (dt < best)
            best = dt;
        findings = r->n_findings;
        hull_match_result_free(r);
    }
    /* the database lookup alone, for the same keys (what the matcher asks for) */
    size_t np = hull_inventory_count(inv), nk = 0;
    struct hull_vulndb_key *keys = calloc(np, sizeof(*keys));
    char **owned = calloc(2 * np, sizeof(*owned));
    for (size_t i = 0; keys && owned && i < np; i++) {
        char *e = NULL, *nm = NULL;
        if (hull_match_key(inv, hull_inventory_pkg(inv, i), &e, &nm)) {
            keys[nk].ecosystem = owned[2 * nk] = e;
            keys[nk].package = owned[2 * nk + 1] = nm;
            nk++;
        }
    }
    double lbest = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        struct hull_vuln_matches *m = NULL;
        double t0 = cpu();
        if (hull_vulndb_lookup(db, keys, nk, &m, &err) < 0)
            return 1;
        double dt = cpu() - t0;
        if (dt < lbest)
            lbest = dt;
        hull_vuln_matches_free(m);
    }
    for (size_t i = 0; i < 2 * nk; i++)
        free(owned[i]);
    free(owned);
    free(keys);
    printf("lookup alone: %zu keys in %.1f ms (best of 5)\n", nk, lbest * 1e3);
    printf("match: %zu packages (%zu deb, %zu npm, %zu without advisories): %zu findings in "
           "%.1f ms (best of 5)\n", hull_inventory_count(inv), deb, npm, n - deb - npm,
           findings, best * 1e3);
    hull_inventory_free(inv);
    hull_vulndb_close(db);
    return 0;
}
