/* Attack surface of an image (docs/surface.md): the facts that say how much an attacker who
 * gets code execution inside a container can work with (sizes, OS and its end of life,
 * package counts, shells, package managers, build tools, setuid/setgid files, world-writable
 * directories, the default user, exposed ports), a reproducible High/Medium/Low rating with
 * the reasons that produced it, and concrete advice per finding.
 *
 * Everything is computed from one hull_scan_image() pass: sizes from the layer descriptors,
 * files from the walker's final tree (symlinks resolved inside the image), packages from the
 * inventory. Output (docs/json/surface.md) is deterministic: lists are sorted. */
#ifndef HULL_SURFACE_H
#define HULL_SURFACE_H
#include <stdio.h>
#include "hull/hull.h"
#include "hull/inventory.h"
#include "hull/match.h"
#ifdef __cplusplus
extern "C" {
#endif

struct hull_scan;

enum hull_surface_rating { HULL_SURFACE_LOW, HULL_SURFACE_MEDIUM, HULL_SURFACE_HIGH };

/* Finding ids; each has fixed points (docs/surface.md). Informational ones score 0. */
enum hull_surface_finding {
    HULL_SURF_SHELL,          /* a shell binary (sh, bash, ash, dash, zsh, busybox, ...) */
    HULL_SURF_PKG_MANAGER,    /* a package manager binary (apt, dpkg, apk, rpm, dnf, npm, ...) */
    HULL_SURF_PACKAGES,       /* more than 50 packages (2 points above 100) */
    HULL_SURF_BUILD_TOOLS,    /* compilers, make, git, headers, -dev packages */
    HULL_SURF_ROOT,           /* the default user is root */
    HULL_SURF_SETUID,         /* setuid or setgid regular files */
    HULL_SURF_WORLD_WRITABLE, /* world-writable directories without the sticky bit */
    HULL_SURF_EOL,            /* the OS release is past its end of life */
    HULL_SURF_EOL_UNKNOWN,    /* informational: the OS release is not in the EOL table */
    HULL_SURF_USER_UNKNOWN,   /* informational: the user name is not in /etc/passwd */
    HULL_SURF_VULNS,          /* known vulnerabilities (with a database): 2 points for any
                                 CRITICAL, else 1 for any HIGH, else 0 (listed) */
    HULL_SURF__COUNT
};

/* One row of the end-of-life table kept in lib/surface/eol.c (static storage). */
struct hull_surface_eol {
    const char *family;  /* "debian", "ubuntu", "alpine", "rhel", "centos", "rocky", "alma" */
    const char *release; /* "12", "22.04", "3.18", "9" */
    const char *name;    /* codename or product name, for people */
    const char *date;    /* end of security support, "YYYY-MM-DD" */
    const char *kind;    /* "LTS", "standard", "security", "maintenance" */
    const char *source;  /* where the date comes from (URL) */
};

struct hull_surface_reason {
    enum hull_surface_finding id;
    int points;
    char *text; /* one line, for people */
};

struct hull_surface_advice {
    enum hull_surface_finding id; /* the finding it answers */
    char *text;
};

struct hull_registry_opts; /* hull/registry.h */

struct hull_surface_opts {
    const char *platform; /* "os/arch[/variant]" to pick from an index; NULL: host's */
    const char *today;    /* "YYYY-MM-DD" the EOL dates are compared with; NULL: the clock */
    const struct hull_registry_opts *registry; /* for registry references; NULL: defaults */
    struct hull_vulndb *db; /* borrowed: count known vulnerabilities (hull_match); NULL: none */
};

/* Facts, rating and advice of one image. Every string and array is owned by the struct. */
struct hull_surface {
    char *image;           /* display name: RepoTag, or file/dir name plus ":ref" */
    char *spec;            /* the spec as given */
    char *transport;       /* "oci", "docker-archive", "dir", ... */
    char *config_digest;   /* image ID; NULL for dir: */
    int64_t size;          /* uncompressed layer bytes (dir: regular file bytes) */
    int64_t compressed_size; /* layer blob bytes from the manifest; -1 for dir: */
    size_t layers;
    char *platform;        /* "os/arch[/variant]" from the config, NULL when unknown */
    /* Operating system (NULL when not detected). */
    char *os_family, *os_id, *os_version, *os_name;
    bool distroless;       /* Debian based with dpkg data only in status.d */
    const struct hull_surface_eol *eol; /* NULL when not in the table */
    bool eol_passed;
    char today[11];        /* the date EOL was compared with */
    /* Packages: by inventory type, OS (dpkg, apk, rpm), language (npm, pypi), total. */
    size_t pkgs_by_type[HULL_PKG__COUNT];
    size_t pkgs_os, pkgs_lang, pkgs_total;
    /* Shells: the real files (symlinks resolved), their kinds, and /bin/sh's target. */
    char **shells;         /* sorted paths */
    size_t n_shells;
    char **shell_kinds;    /* sorted: "bash", "busybox", "dash", "sh", ... */
    size_t n_shell_kinds;
    char *bin_sh;          /* what /bin/sh resolves to, NULL when absent */
    /* Package managers: first path of each distinct binary in PATH order, and names. */
    char **pkg_manager_paths; /* sorted */
    size_t n_pkg_manager_paths;
    char **pkg_managers;   /* sorted basenames: "apk", "apt", "apt-get", "dpkg", ... */
    size_t n_pkg_managers;
    /* Build tools: names from the file tree and from the inventory, sorted, unique. */
    char **build_tools;
    size_t n_build_tools;
    char **setuid;         /* regular files with the setuid bit, sorted */
    size_t n_setuid;
    char **setgid;         /* regular files with the setgid bit, sorted */
    size_t n_setgid;
    char **world_writable; /* world-writable directories without the sticky bit, sorted */
    size_t n_world_writable;
    char *user;            /* config User as given ("" when unset) */
    int64_t uid;           /* resolved uid, -1 when it could not be resolved */
    bool runs_as_root;
    char **ports;          /* exposed ports ("8080/tcp"), sorted */
    size_t n_ports;
    /* Known vulnerabilities: every finding hull_match reports for the inventory (no gates),
     * per severity (indexed by enum hull_severity). Only when vulns_known. */
    bool vulns_known;
    size_t vulns_total;
    size_t vulns_by_severity[HULL_SEV__COUNT];
    /* Rating. */
    int score;
    enum hull_surface_rating rating;
    struct hull_surface_reason *reasons; /* in finding order */
    size_t n_reasons;
    struct hull_surface_advice *advice;  /* in finding order */
    size_t n_advice;
};

/* Scan spec (any source hull_scan_image accepts) and compute its surface. *out is owned by
 * the caller (hull_surface_free). With opts->db the known vulnerabilities are counted too
 * (hull_surface_count_vulns). Errors: those of hull_scan_image and hull_match, HULL_E_USAGE
 * for a bad opts->today, HULL_E_NOMEM. ctx is borrowed. */
int hull_surface_image(struct hull_ctx *ctx, const char *spec, const struct hull_surface_opts *opts,
                       struct hull_surface **out, struct hull_err **err);

/* Compute the surface of a finished scan (borrowed). spec is the name the image was opened
 * by (NULL: the image's own spec). passwd is the content of the image's /etc/passwd (may be
 * NULL: user names then stay unresolved). opts->db is not used here: call
 * hull_surface_count_vulns with the scan's inventory for the count. *out as above; errors
 * HULL_E_USAGE, HULL_E_NOMEM. */
int hull_surface_from_scan(const struct hull_scan *scan, const char *spec, const char *passwd,
                           size_t passwd_len, const struct hull_surface_opts *opts,
                           struct hull_surface **out, struct hull_err **err);

/* Match inv (the inventory s was computed from, borrowed) against db as hull image does,
 * count the findings per severity into s (vulns_*) and rate s again. ctx is borrowed.
 * Errors: those of hull_match (HULL_E_DB, HULL_E_NOMEM). */
int hull_surface_count_vulns(const struct hull_ctx *ctx, struct hull_vulndb *db,
                             const struct hull_inventory *inv, struct hull_surface *s,
                             struct hull_err **err);

/* Free a surface; NULL is a no-op. */
void hull_surface_free(struct hull_surface *s);

/* Recompute score, rating, reasons and advice from the facts in s (what the two functions
 * above finish with; tests change one fact and call it again). HULL_E_NOMEM. */
int hull_surface_rate(struct hull_surface *s, struct hull_err **err);

/* The EOL table row for (family, version), NULL when none. Debian and RHEL-family releases
 * match on the major version ("12.15" -> "12"), Alpine on major.minor ("3.18.8" -> "3.18"),
 * Ubuntu on YY.MM ("22.04.3" -> "22.04"). CentOS, Rocky and AlmaLinux have rows of their
 * own (their dates differ from RHEL's in places). */
const struct hull_surface_eol *hull_surface_eol_lookup(const char *family, const char *version);
/* The i-th row of the table (sorted by family, then end date), NULL past the end. */
const struct hull_surface_eol *hull_surface_eol_row(size_t i);

/* Today's date (UTC) as "YYYY-MM-DD" into out[11]. */
void hull_surface_today(char out[11]);
/* Whether s is a valid "YYYY-MM-DD" calendar date. */
bool hull_surface_date_valid(const char *s);

/* "low", "medium", "high"; -1 when unknown (case-insensitive). */
int hull_surface_rating_parse(const char *name);
/* "Low", "Medium", "High". */
const char *hull_surface_rating_name(enum hull_surface_rating r);
/* Stable id of a finding: "shell", "package_manager", "packages", "build_tools", "root",
 * "setuid", "world_writable", "eol", "eol_unknown", "user_unknown", "vulnerabilities". */
const char *hull_surface_finding_id(enum hull_surface_finding f);

enum hull_surface_format { HULL_SURFACE_TABLE, HULL_SURFACE_JSON };
/* "table", "json"; -1 when unknown. */
int hull_surface_format_parse(const char *name);

/* Write the surfaces of n images to f: the table (one row per image, then reasons and
 * advice per image; ANSI colours on the rating when color is true) or the JSON document of
 * docs/json/surface.md. s[] is borrowed. Errors: HULL_E_IO when writing fails, HULL_E_NOMEM. */
int hull_surface_write(FILE *f, enum hull_surface_format fmt, struct hull_surface *const *s,
                       size_t n, bool color, struct hull_err **err);

#ifdef __cplusplus
}
#endif
#endif
