/* hull version comparison: one comparator per package ecosystem, each following the rules of
 * the tool that ecosystem itself uses (dpkg, apk-tools, rpm, node-semver, packaging (PEP 440),
 * golang.org/x/mod/semver, Maven ComparableVersion, RubyGems Gem::Version).
 * docs/versions.md lists the rules and every deliberate difference.
 *
 * Versions are (pointer, length) byte strings; no NUL is needed. Comparison allocates nothing
 * (except one block for Maven versions over 128 bytes); nothing here prints or keeps state, so
 * every function is safe to call from threads. */
#ifndef HULL_VERSION_H
#define HULL_VERSION_H
#include <stdbool.h>
#include <stddef.h>
#include "hull/err.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_eco {
    HULL_ECO_DEB,    /* Debian dpkg: [epoch:]upstream[-revision] */
    HULL_ECO_APK,    /* Alpine apk-tools */
    HULL_ECO_RPM,    /* rpm rpmvercmp over [epoch:]version[-release] */
    HULL_ECO_NPM,    /* node-semver, strict parse */
    HULL_ECO_PYPI,   /* PEP 440 */
    HULL_ECO_GOLANG, /* Go module versions (golang.org/x/mod/semver) */
    HULL_ECO_MAVEN,  /* Maven ComparableVersion */
    HULL_ECO_GEM,    /* RubyGems Gem::Version */
    HULL_ECO__COUNT
};

/* Map a purl type ("deb", "apk", "rpm", "npm", "pypi", "golang", "maven", "gem") to its
 * ecosystem. Returns 0 and sets *out, or -1 for an unknown name (no error value: the caller
 * decides whether an unknown ecosystem is an error). `purl_type` is a NUL-terminated string. */
int hull_eco_from_name(const char *purl_type, enum hull_eco *out);

/* The purl type of an ecosystem ("deb", ...); "?" for a value out of range. Static string. */
const char *hull_eco_name(enum hull_eco eco);

/* Compare versions a and b of ecosystem eco. On success returns 0 and sets *cmp to -1, 0 or
 * 1 (a < b, a == b, a > b). An unparseable version is an error: returns -HULL_E_PARSE with a
 * message naming the version ("npm version \"1.2\": ..."); an unknown eco returns
 * -HULL_E_USAGE. Both strings are borrowed; err may be NULL. */
int hull_version_cmp(enum hull_eco eco, const char *a, size_t alen, const char *b, size_t blen,
                     int *cmp, struct hull_err **err);

/* True when v (borrowed, len bytes) is a version hull_version_cmp accepts for eco. */
bool hull_version_valid(enum hull_eco eco, const char *v, size_t len);

/* Like hull_version_valid, but on false writes a short reason ("epoch is empty", ...) into
 * why (a static string) when why is not NULL. */
bool hull_version_check(enum hull_eco eco, const char *v, size_t len, const char **why);

/* npm range satisfaction as node-semver's satisfies(version, range) without the loose and
 * includePrerelease options: ||, hyphen ranges, x-ranges (1.x, 1.2.*, *), tilde (~1.2,
 * ~>1.2), caret (^0.2.3), comparators (<, <=, >, >=, =), and the pre-release rule (a
 * pre-release version matches only a comparator set naming a pre-release of the same
 * major.minor.patch). Both strings are NUL-terminated and borrowed.
 * Returns 0 and sets *ok; -HULL_E_PARSE when the range or the version is invalid (node-semver
 * would answer false), -HULL_E_USAGE for a NULL argument, -HULL_E_NOMEM. */
int hull_semver_satisfies(const char *version, const char *range, bool *ok,
                          struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
