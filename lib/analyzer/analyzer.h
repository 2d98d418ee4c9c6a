/* Analyzers: pure parsers of package databases and manifests. Each one says which paths it
 * wants and parses one captured file at a time into the inventory; none does I/O, so every
 * analyzer is testable from a byte array and fuzzable directly.
 *
 * parse() returns 0, or <0 with *err set when the file as a whole could not be used (the
 * caller records "PATH: message" as a warning and carries on with the next file). Problems
 * inside a file that still yields packages (one bad stanza) are recorded with
 * hull_inventory_warn() and parsing continues. */
#ifndef HULL_ANALYZER_ANALYZER_H
#define HULL_ANALYZER_ANALYZER_H
#include "core/common.h"
#include "inventory/invpriv.h"

struct hull_analyzer {
    const char *name;
    bool (*wants)(const char *path);
    int (*parse)(const struct hull_input *in, struct hull_inventory *inv, struct hull_err **err);
    /* Optional: called once after every file was parsed, for analyzers that combine files
     * (rpmdb.sqlite + rpmdb.sqlite-wal). Same error rules as parse. */
    int (*finish)(struct hull_inventory *inv, struct hull_err **err);
};

extern const struct hull_analyzer hull_analyzer_osrelease, hull_analyzer_dpkg,
    hull_analyzer_apk, hull_analyzer_rpmdb, hull_analyzer_npm, hull_analyzer_npmlock,
    hull_analyzer_python;

/* The table, NULL-terminated, in a fixed order. */
extern const struct hull_analyzer *const hull_analyzers[];

/* Does any analyzer want this path? */
bool hull_analyzers_want(const char *path);
/* Run every analyzer that wants in->path; a failing analyzer becomes a warning naming the
 * file. Returns <0 only for out of memory. */
int hull_analyzers_run(const struct hull_input *in, struct hull_inventory *inv,
                       struct hull_err **err);

/* Run every analyzer's finish hook (after the last file, before hull_inventory_finish);
 * failures become warnings. Returns <0 only for out of memory. */
int hull_analyzers_finish(struct hull_inventory *inv, struct hull_err **err);

/* Parse a whole buffer with one analyzer as if it came from `path`, then run its finish
 * hook (tests and fuzzers). */
int hull_analyze_bytes(const struct hull_analyzer *a, const char *path, const void *data,
                       size_t len, struct hull_inventory *inv, struct hull_err **err);

/* ---- small helpers shared by the text parsers ---- */

/* Next line of [*p, end): sets *line and *n (without "\n" or "\r\n"), advances *p. False at end. */
static inline bool hull_next_line(const char **p, const char *end, const char **line, size_t *n)
{
    if (*p >= end)
        return false;
    const char *s = *p;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    if (e > s && e[-1] == '\r')
        e--;
    *line = s;
    *n = (size_t)(e - s);
    return true;
}

/* Trim blanks on both sides of [*s, *s + *n). */
static inline void hull_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* True when s is a string of printable ASCII/UTF-8 (no control bytes, no NUL). */
static inline bool hull_printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

/* Basename of an absolute path. */
static inline const char *hull_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static inline bool hull_has_prefix(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static inline bool hull_has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Longest name or version an analyzer accepts. */
#define HULL_MAX_FIELD 1024
#endif
