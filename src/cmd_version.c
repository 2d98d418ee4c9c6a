/* hull version: print hull's version, compare package versions of one ecosystem
 * (`compare ECO A B`, or `compare ECO -` for "A B" pairs on stdin), and test npm ranges
 * (`satisfies VERSION RANGE`, or `satisfies -` for "VERSION<TAB>RANGE" lines on stdin).
 * The stdin modes are built for volume: 1 MiB reads, one buffered write stream. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "hull/version.h"

#define LINE_BUF (1u << 20)

static const char usage_text[] =
    "usage: hull version [-q]\n"
    "       hull version compare [-q] ECOSYSTEM A B\n"
    "       hull version compare [-q] ECOSYSTEM -\n"
    "       hull version sort [-q] ECOSYSTEM\n"
    "       hull version satisfies [-q] VERSION RANGE\n"
    "       hull version satisfies [-q] -\n"
    "\n"
    "Print hull's version, or compare package versions the way each ecosystem's own tool\n"
    "does (docs/versions.md).\n"
    "\n"
    "  compare ECOSYSTEM A B   print '<', '=' or '>' for A compared with B\n"
    "  compare ECOSYSTEM -     read 'A B' pairs (white space separated), one per line, from\n"
    "                          stdin; print one answer per line, '!' for a line with an\n"
    "                          invalid version (the reason goes to stderr)\n"
    "  sort ECOSYSTEM          read versions, one per line, from stdin and print them in\n"
    "                          ascending order (invalid ones are reported and left out)\n"
    "  satisfies VERSION RANGE print 'true' or 'false': does the npm VERSION satisfy the\n"
    "                          node-semver RANGE (^1.2.3, ~1.2, 1.x, >=1 <2 || 3.0.0, ...)\n"
    "  satisfies -             read 'VERSION<TAB>RANGE' lines from stdin, same answers\n"
    "\n"
    "ECOSYSTEM is a purl type: deb, apk, rpm, npm, pypi, golang, maven, gem.\n"
    "Put '--' after ECOSYSTEM when a version starts with '-'.\n"
    "\n"
    "Options:\n"
    "  -q, --quiet   no per-line messages on stderr in the stdin modes\n"
    "  -h, --help    this text\n"
    "\n"
    "Exit status: 0 all answered, 2 usage, 3 an invalid version or range (in the stdin modes:\n"
    "on any line; every other line is still answered), 6 a read or write error.\n";

/* Parse -q/-h from argv (stopping at the first operand); returns -1 to continue, else an
 * exit code. */
static int options(struct hull_cli *cli, int argc, char **argv, const char *cmd)
{
    static const struct option longopts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q':
            cli->quiet = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return hull_cli_usage_error(cli, cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    return -1;
}

/* Per-line stream state for the stdin modes. */
struct lines {
    char *buf;
    size_t len, off;
    unsigned long lineno;
    bool eof, failed;
};

/* Next line (without its '\n'; a trailing '\r' is kept for the caller to treat as space).
 * Returns 1 with the line in p and n, 0 at the end, -1 on a read error; a line longer than
 * the buffer is returned truncated with *toolong set, its rest skipped. */
static int next_line(struct lines *l, char **p, size_t *n, bool *toolong)
{
    *toolong = false;
    for (;;) {
        char *nl = memchr(l->buf + l->off, '\n', l->len - l->off);
        if (nl) {
            *p = l->buf + l->off;
            *n = (size_t)(nl - *p);
            l->off += *n + 1;
            l->lineno++;
            return 1;
        }
        if (l->eof) {
            if (l->off == l->len)
                return 0;
            *p = l->buf + l->off;
            *n = l->len - l->off;
            l->off = l->len;
            l->lineno++;
            return 1;
        }
        if (l->off > 0) {
            memmove(l->buf, l->buf + l->off, l->len - l->off);
            l->len -= l->off;
            l->off = 0;
        }
        if (l->len == LINE_BUF) {
            /* overlong line: hand out what we have, then drop bytes up to the newline */
            *p = l->buf;
            *n = l->len;
            *toolong = true;
            l->lineno++;
            l->off = l->len;
            for (;;) {
                l->len = l->off = 0;
                size_t r = fread(l->buf, 1, LINE_BUF, stdin);
                if (r == 0) {
                    l->eof = true;
                    l->failed = ferror(stdin) != 0;
                    break;
                }
                char *e = memchr(l->buf, '\n', r);
                l->len = r;
                if (e) {
                    l->off = (size_t)(e - l->buf) + 1;
                    break;
                }
            }
            return 1;
        }
        size_t r = fread(l->buf + l->len, 1, LINE_BUF - l->len, stdin);
        if (r == 0) {
            l->eof = true;
            if (ferror(stdin)) {
                l->failed = true;
                return -1;
            }
        }
        l->len += r;
    }
}

static bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Split a line into white-space separated fields; returns the count (at most max). */
static int fields(char *p, size_t n, char **f, size_t *fl, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && space(p[i]))
            i++;
        if (i >= n)
            break;
        size_t s = i;
        while (i < n && !space(p[i]))
            i++;
        if (k < max) {
            f[k] = p + s;
            fl[k] = i - s;
        }
        k++;
    }
    return k;
}

static void line_error(struct hull_cli *cli, unsigned long lineno, const char *msg)
{
    if (!cli->quiet)
        fprintf(stderr, "hull: line %lu: %s\n", lineno, msg);
}

static int finish(struct hull_cli *cli, struct lines *l, bool bad)
{
    free(l->buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hull: write error on standard output\n");
        return HULL_EXIT_IO;
    }
    if (l->failed) {
        fprintf(stderr, "hull: read error on standard input\n");
        return HULL_EXIT_IO;
    }
    (void)cli;
    return bad ? HULL_EXIT_INPUT : HULL_EXIT_OK;
}

static int compare_stream(struct hull_cli *cli, enum hull_eco eco)
{
    struct lines l = { malloc(LINE_BUF + 1), 0, 0, 0, false, false };
    if (!l.buf) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
    bool bad = false, toolong;
    char *p;
    size_t n;
    int r;
    while ((r = next_line(&l, &p, &n, &toolong)) > 0) {
        char *f[2];
        size_t fl[2];
        int k = fields(p, n, f, fl, 2);
        if (toolong || k != 2) {
            bad = true;
            fputs("!\n", stdout);
            line_error(cli, l.lineno, toolong ? "line too long"
                                              : "expected two versions separated by white space");
            continue;
        }
        struct hull_err *err = NULL;
        int c;
        if (hull_version_cmp(eco, f[0], fl[0], f[1], fl[1], &c, &err) < 0) {
            bad = true;
            fputs("!\n", stdout);
            line_error(cli, l.lineno, err->msg);
            hull_err_free(err);
            continue;
        }
        putchar_unlocked(c < 0 ? '<' : c > 0 ? '>' : '=');
        putchar_unlocked('\n');
    }
    return finish(cli, &l, bad);
}

static int satisfies_stream(struct hull_cli *cli)
{
    struct lines l = { malloc(LINE_BUF + 1), 0, 0, 0, false, false };
    if (!l.buf) {
        fprintf(stderr, "hull: out of memory\n");
        return HULL_EXIT_INTERNAL;
    }
    bool bad = false, toolong;
    char *p;
    size_t n;
    int r;
    while ((r = next_line(&l, &p, &n, &toolong)) > 0) {
        char *tab = toolong ? NULL : memchr(p, '\t', n);
        if (!tab) {
            bad = true;
            fputs("!\n", stdout);
            line_error(cli, l.lineno, toolong ? "line too long" : "expected VERSION<TAB>RANGE");
            continue;
        }
        if (n > 0 && p[n - 1] == '\r')
            n--;
        *tab = 0;
        p[n] = 0; /* the byte after the line is its '\n' (or spare buffer room) */
        bool ok;
        struct hull_err *err = NULL;
        if (hull_semver_satisfies(p, tab + 1, &ok, &err) < 0) {
            bad = true;
            fputs("!\n", stdout);
            line_error(cli, l.lineno, err->msg);
            hull_err_free(err);
            continue;
        }
        fputs(ok ? "true\n" : "false\n", stdout);
    }
    return finish(cli, &l, bad);
}

static int cmd_compare(struct hull_cli *cli, int argc, char **argv)
{
    int rc = options(cli, argc, argv, "version compare");
    if (rc >= 0)
        return rc;
    int left = argc - optind;
    if (left < 1)
        return hull_cli_usage_error(cli, "version compare", "missing ECOSYSTEM");
    enum hull_eco eco;
    const char *name = argv[optind];
    if (hull_eco_from_name(name, &eco) < 0)
        return hull_cli_usage_error(cli, "version compare",
                                    "unknown ecosystem '%s' (deb, apk, rpm, npm, pypi, golang, "
                                    "maven, gem)", name);
    if (left > 1 && !strcmp(argv[optind + 1], "--")) {
        /* "compare ECO -- A B": versions may start with '-' */
        argv[optind + 1] = argv[optind];
        optind++;
        left--;
    }
    if (left == 2 && !strcmp(argv[optind + 1], "-"))
        return compare_stream(cli, eco);
    if (left != 3)
        return hull_cli_usage_error(cli, "version compare",
                                    "expected ECOSYSTEM A B or ECOSYSTEM -");
    const char *a = argv[optind + 1], *b = argv[optind + 2];
    struct hull_err *err = NULL;
    int c;
    if (hull_version_cmp(eco, a, strlen(a), b, strlen(b), &c, &err) < 0)
        return hull_cli_fail(cli, err);
    printf("%c\n", c < 0 ? '<' : c > 0 ? '>' : '=');
    return fflush(stdout) == 0 ? HULL_EXIT_OK : HULL_EXIT_IO;
}

struct sortent {
    char *v;
    size_t n;
};

static enum hull_eco sort_eco;

static int sort_cmp(const void *x, const void *y)
{
    const struct sortent *a = x, *b = y;
    int c = 0;
    if (hull_version_cmp(sort_eco, a->v, a->n, b->v, b->n, &c, NULL) < 0)
        return 0; /* cannot happen: every entry was validated */
    return c;
}

static int cmd_sort(struct hull_cli *cli, int argc, char **argv)
{
    int rc = options(cli, argc, argv, "version sort");
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return hull_cli_usage_error(cli, "version sort", "expected ECOSYSTEM");
    if (hull_eco_from_name(argv[optind], &sort_eco) < 0)
        return hull_cli_usage_error(cli, "version sort", "unknown ecosystem '%s'", argv[optind]);
    struct lines l = { malloc(LINE_BUF + 1), 0, 0, 0, false, false };
    struct sortent *ents = NULL;
    size_t n = 0, cap = 0;
    bool bad = false, toolong;
    char *p;
    size_t len;
    if (!l.buf)
        goto nomem;
    while (next_line(&l, &p, &len, &toolong) > 0) {
        char *f[1];
        size_t fl[1];
        if (fields(p, len, f, fl, 1) != 1 || toolong) {
            if (toolong || len > 0) {
                bad = true;
                line_error(cli, l.lineno, toolong ? "line too long" : "expected one version");
            }
            continue;
        }
        const char *why;
        if (!hull_version_check(sort_eco, f[0], fl[0], &why)) {
            bad = true;
            if (!cli->quiet)
                fprintf(stderr, "hull: line %lu: %s version \"%.*s\": %s\n", l.lineno,
                        argv[optind], (int)(fl[0] > 64 ? 64 : fl[0]), f[0], why);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct sortent *ne = realloc(ents, cap * sizeof(*ents));
            if (!ne)
                goto nomem;
            ents = ne;
        }
        ents[n].v = malloc(fl[0] + 1);
        if (!ents[n].v)
            goto nomem;
        memcpy(ents[n].v, f[0], fl[0]);
        ents[n].v[fl[0]] = 0;
        ents[n].n = fl[0];
        n++;
    }
    qsort(ents, n, sizeof(*ents), sort_cmp);
    for (size_t i = 0; i < n; i++) {
        fwrite(ents[i].v, 1, ents[i].n, stdout);
        putchar_unlocked('\n');
        free(ents[i].v);
    }
    free(ents);
    return finish(cli, &l, bad);
nomem:
    for (size_t i = 0; i < n; i++)
        free(ents[i].v);
    free(ents);
    free(l.buf);
    fprintf(stderr, "hull: out of memory\n");
    return HULL_EXIT_INTERNAL;
}

static int cmd_satisfies(struct hull_cli *cli, int argc, char **argv)
{
    int rc = options(cli, argc, argv, "version satisfies");
    if (rc >= 0)
        return rc;
    int left = argc - optind;
    if (left == 1 && !strcmp(argv[optind], "-"))
        return satisfies_stream(cli);
    if (left != 2)
        return hull_cli_usage_error(cli, "version satisfies", "expected VERSION RANGE or -");
    bool ok;
    struct hull_err *err = NULL;
    if (hull_semver_satisfies(argv[optind], argv[optind + 1], &ok, &err) < 0)
        return hull_cli_fail(cli, err);
    puts(ok ? "true" : "false");
    return fflush(stdout) == 0 ? HULL_EXIT_OK : HULL_EXIT_IO;
}

static int run(struct hull_cli *cli, int argc, char **argv)
{
    int rc = options(cli, argc, argv, "version");
    if (rc >= 0)
        return rc;
    if (optind < argc) {
        const char *sub = argv[optind];
        if (!strcmp(sub, "compare"))
            return cmd_compare(cli, argc - optind, argv + optind);
        if (!strcmp(sub, "sort"))
            return cmd_sort(cli, argc - optind, argv + optind);
        if (!strcmp(sub, "satisfies"))
            return cmd_satisfies(cli, argc - optind, argv + optind);
        return hull_cli_usage_error(cli, "version", "unknown subcommand '%s'", sub);
    }
    printf("hull %s\n", HULL_VERSION);
    return 0;
}

const struct hull_command hull_cmd_version = {
    "version", run, "print the version; compare package versions (version compare ECO A B)"
};
