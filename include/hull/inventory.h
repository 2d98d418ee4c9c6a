/* Package inventory: the packages found in an image or directory, the operating system they
 * belong to, and the warnings collected while reading package databases.
 *
 * One model for every ecosystem (dpkg, apk, rpm, npm, pypi). Strings are owned by the
 * inventory (heap copies, NUL-terminated) and live until hull_inventory_free(). */
#ifndef HULL_INVENTORY_H
#define HULL_INVENTORY_H
#include "hull/hull.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_pkg_type {
    HULL_PKG_DPKG, /* Debian and derivatives: purl type "deb" */
    HULL_PKG_APK,  /* Alpine, Wolfi, Chainguard: "apk" */
    HULL_PKG_RPM,  /* Red Hat family, Fedora, Amazon: "rpm" */
    HULL_PKG_NPM,  /* node_modules: "npm" */
    HULL_PKG_PYPI, /* site-packages: "pypi" */
    HULL_PKG__COUNT
};

struct hull_pkg {
    enum hull_pkg_type type;
    char *name;
    char *version;        /* as the ecosystem writes it; dpkg with "E:", rpm "E:V-R" */
    char *epoch;          /* rpm: epoch digits or NULL; dpkg: the part before ':' or NULL */
    char *release;        /* rpm release, NULL elsewhere */
    char *arch;           /* NULL when the format has none (npm, pypi) */
    char *source_name;    /* source package (dpkg Source, rpm SOURCERPM name); NULL when none */
    char *source_version; /* its version; NULL when none */
    char *origin;         /* apk o: field */
    char *license;        /* as declared; NULL when unknown */
    char *purl;           /* filled by hull_inventory_finish() */
    char *found_in;       /* the file the package was read from (first copy for npm) */
    char **locations;     /* npm/pypi: every installed copy's file, sorted; n_locations of them */
    size_t n_locations;
    unsigned layer;       /* index of the layer that gave found_in its current content */
    char *diff_id;        /* that layer's diff_id ("" for dir: scans) */
    bool dev;             /* a development-only dependency (lockfiles, hidden npm lockfile) */
    char **files;         /* files owned by the package when the database lists them */
    size_t n_files;
};

struct hull_os {
    char *family;      /* "alpine", "debian", "ubuntu", "rhel", "centos", "rocky", "alma",
                          "fedora", "amazon", "wolfi", "chainguard", or "unknown" */
    char *id;          /* os-release ID as found, NULL when no os-release */
    char *version_id;  /* os-release VERSION_ID */
    char *version;     /* most precise version: alpine-release, debian_version, VERSION_ID */
    char *codename;    /* VERSION_CODENAME */
    char *pretty_name;
    char *source;      /* file the identity came from */
    bool distroless;   /* Debian based with dpkg data only in /var/lib/dpkg/status.d */
};

/* What one file an analyzer parses looks like; bytes are borrowed for the call. */
struct hull_input {
    const char *path;      /* absolute, normalised */
    const uint8_t *data;
    size_t len;
    bool truncated;        /* the capture stopped at the per-file limit */
    unsigned layer;
    const char *diff_id;
};

struct hull_inventory;

/* New empty inventory; NULL on out of memory. ctx is borrowed (limits), may be NULL. */
struct hull_inventory *hull_inventory_new(const struct hull_ctx *ctx);
/* Free everything, NULL is a no-op. */
void hull_inventory_free(struct hull_inventory *inv);

/* Add a package described by tmpl: every string is copied (the caller keeps tmpl), and
 * the layer/diff_id/found_in come from `in` when in != NULL. Returns the stored package
 * (borrowed, valid until the next add) or NULL with HULL_E_NOMEM / HULL_E_LIMIT. */
struct hull_pkg *hull_inventory_add(struct hull_inventory *inv, const struct hull_pkg *tmpl,
                                    const struct hull_input *in, struct hull_err **err);
/* Record the file list a database gives for (type, name, arch) (dpkg info/NAME[:ARCH].list);
 * it is attached to the matching package by hull_inventory_finish(). `files` is taken
 * (ownership passes to the inventory, also on failure). */
int hull_inventory_add_filelist(struct hull_inventory *inv, enum hull_pkg_type type,
                                const char *name, const char *arch, char **files, size_t n,
                                struct hull_err **err);
/* Let npm lockfile entries (package-lock.json, yarn.lock, pnpm-lock.yaml) count as packages
 * for projects that have no installed node_modules tree (for scans of source directories;
 * images inventory what is installed only). Default: off. */
void hull_inventory_use_lockfiles(struct hull_inventory *inv, bool on);
/* Append a warning (one line, "PATH: message" by convention). Never fails: on out of memory
 * the warning count still grows and the text is a fixed message. */
void hull_inventory_warn(struct hull_inventory *inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Merge duplicates (same type, name, version, arch: their locations are unioned, the first
 * found_in in path order is kept), attach file lists, compute the os, build every purl, and
 * sort (type, name, version, arch). Call once, after all input; later calls do nothing. */
int hull_inventory_finish(struct hull_inventory *inv, struct hull_err **err);

size_t hull_inventory_count(const struct hull_inventory *inv);
/* The i-th package (borrowed). */
const struct hull_pkg *hull_inventory_pkg(const struct hull_inventory *inv, size_t i);
/* The detected operating system (borrowed; fields NULL until found). */
const struct hull_os *hull_inventory_os(const struct hull_inventory *inv);
size_t hull_inventory_warning_count(const struct hull_inventory *inv);
const char *hull_inventory_warning(const struct hull_inventory *inv, size_t i);

/* "deb", "apk", "rpm", "npm", "pypi". */
const char *hull_pkg_type_name(enum hull_pkg_type t);

/* Build a package URL (purl spec: percent-encoding of each component, qualifiers sorted by
 * key, empty values dropped). namespace and version may be NULL; quals is a NULL-terminated
 * list of key, value pairs (values may be NULL to skip). Returns a heap string or NULL with
 * HULL_E_NOMEM. */
char *hull_purl_build(const char *type, const char *ns, const char *name, const char *version,
                      const char *const *quals, struct hull_err **err);
/* Percent-encode s for a purl component (everything except A-Z a-z 0-9 . - _ ~ and ':';
 * with keep_slash, '/' is also kept). Heap string or NULL. */
char *hull_purl_encode(const char *s, bool keep_slash);

/* A package URL split into its components, borrowed from the string and still
 * percent-encoded (decode with hull_purl_decode). Absent components have length 0. */
struct hull_purl_parts {
    const char *type;    /* not empty */
    const char *path;    /* namespace/name */
    const char *ns;      /* path before its last '/' */
    const char *name;    /* path after its last '/' (all of it without one) */
    const char *version; /* after the last '@' */
    const char *quals;   /* "k=v&k=v", between '?' and '#' */
    size_t type_len, path_len, ns_len, name_len, version_len, quals_len;
};
/* Split s = "pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH" (the scheme in any case, the
 * subpath dropped, slashes after "pkg:" skipped). false when s has no "pkg:" scheme or no
 * non-empty type followed by '/'. Nothing is validated or decoded. */
bool hull_purl_split(const char *s, struct hull_purl_parts *p);
/* Next non-empty item of a qualifier string [*cur, end): the key and the value (value NULL
 * when the item has no '='), both still encoded. Advances *cur; false at the end. */
bool hull_purl_next_qual(const char **cur, const char *end, const char **key, size_t *key_len,
                         const char **val, size_t *val_len);

enum {
    HULL_PURL_LOWER = 1u << 0, /* ASCII-lowercase the decoded bytes */
    HULL_PURL_CTRL = 1u << 1,  /* replace decoded control bytes (< 0x20, 0x7f) by '?' */
};
/* Percent-decode s[0, n) into out, NUL-terminated and cut to cap - 1 bytes (cap > 0); a '%'
 * not followed by two hex digits is kept as is. flags: HULL_PURL_*. */
void hull_purl_decode(const char *s, size_t n, char *out, size_t cap, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
