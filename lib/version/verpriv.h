/* Private to lib/version: the per-ecosystem comparator table and shared helpers. */
#ifndef HULL_VERSION_VERPRIV_H
#define HULL_VERSION_VERPRIV_H
#include "core/common.h"
#include "hull/version.h"

/* One ecosystem. check() returns NULL for a valid version, else a static reason.
 * cmp() returns 0 with *res = -1/0/1, or 1 when a is invalid, 2 when b is invalid (then *why
 * is the reason). Neither allocates; both take (pointer, length). */
struct hull_ver_ops {
    const char *name;
    const char *(*check)(const char *v, size_t n);
    int (*cmp)(const char *a, size_t an, const char *b, size_t bn, int *res, const char **why);
};

extern const struct hull_ver_ops hull_ver_deb, hull_ver_apk, hull_ver_rpm, hull_ver_npm,
    hull_ver_pypi, hull_ver_golang, hull_ver_maven, hull_ver_gem;

/* Compare two runs of ASCII digits as unbounded non-negative integers (leading zeros are
 * ignored). Returns -1, 0 or 1. */
int hull_ver_numcmp(const char *a, size_t an, const char *b, size_t bn);

static inline bool hull_ver_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline bool hull_ver_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool hull_ver_isspace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
static inline int hull_ver_sign(int x) { return (x > 0) - (x < 0); }

/* node-semver's strict version, shared by the npm comparator and the range evaluator. The
 * pre-release is kept as a view into the parsed string. */
struct hull_semver {
    unsigned long long major, minor, patch;
    const char *pre; /* identifiers joined by '.', NULL when none */
    size_t prelen;
};
/* Parse node-semver's FULL form (after trimming ASCII white space): v?M.m.p[-pre][+build].
 * Returns NULL on success, else a static reason. */
const char *hull_semver_parse(const char *v, size_t n, struct hull_semver *out);
/* Compare as node-semver's SemVer.compare (build metadata ignored). */
int hull_semver_cmp(const struct hull_semver *a, const struct hull_semver *b);
#endif
