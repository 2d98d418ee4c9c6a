/* Inventory internals shared by lib/inventory/ and lib/analyzer/ (not installed). */
#ifndef HULL_INVENTORY_INVPRIV_H
#define HULL_INVENTORY_INVPRIV_H
#include "core/common.h"
#include "hull/inventory.h"

/* One os-release file's interesting keys (os-release(5)). */
struct hull_osrel {
    bool set;
    char *id, *id_like, *version_id, *codename, *pretty, *name;
};

struct hull_filelist {
    enum hull_pkg_type type;
    char *name, *arch;
    char **files;
    size_t n;
};

enum { HULL_OSREL_ETC, HULL_OSREL_USR, HULL_OSREL__N };

/* An npm lockfile entry, held back until hull_inventory_finish() knows whether the project
 * directory has an installed node_modules tree (then the tree wins and the entry only lends
 * its dev flag to the installed copy at dir/rel) or not (then, for lockfile-reading scans,
 * the entry becomes a package). */
struct hull_lockent {
    struct hull_pkg pkg; /* found_in = the lockfile */
    char *dir;           /* project directory holding the lockfile: "/app" ("" for "/") */
    char *rel;           /* install path below dir ("node_modules/a/node_modules/b"), or NULL */
    bool link;           /* installed as a symlink to a workspace package (npm workspaces) */
};

struct hull_inventory {
    const struct hull_ctx *ctx;
    struct hull_pkg *pkgs;
    size_t n, cap;
    struct hull_filelist *fl;
    size_t nfl, capfl;
    char **warns;
    size_t nwarn, capwarn;
    /* raw OS facts, turned into `os` by hull_inventory_finish() */
    struct hull_osrel osrel[HULL_OSREL__N];
    char *alpine_release, *debian_version, *redhat_release;
    bool have_dpkg_status, have_dpkg_status_d;
    struct hull_lockent *lock;
    size_t nlock, caplock;
    bool use_lockfiles; /* dir: scans: lockfile entries count when nothing is installed */
    struct {
        const void *key;
        void *p;
        void (*free)(void *);
    } state[4]; /* per-analyzer state across files (hull_inventory_state) */
    struct hull_os os;
    bool finished;
};

/* strndup that fails cleanly (NULL and HULL_E_NOMEM) */
char *hull_inv_strndup(const char *s, size_t n, struct hull_err **err);
/* Free a NULL-terminated or counted string vector. */
void hull_inv_free_strv(char **v, size_t n);
/* Release every heap member of p (not p itself). */
void hull_pkg_release(struct hull_pkg *p);
/* Hold back an npm lockfile entry (strings copied; found_in/layer from in). */
int hull_inventory_add_lock(struct hull_inventory *inv, const struct hull_pkg *t,
                            const struct hull_input *in, const char *dir, const char *rel,
                            bool link, struct hull_err **err);
/* State an analyzer keeps across the files of one scan, found by key (the analyzer). NULL
 * when none. set_state replaces (freeing the old one) or, with p == NULL, drops it; the
 * inventory frees what is left when it is freed. Returns -1 when all slots are taken. */
void *hull_inventory_state(struct hull_inventory *inv, const void *key);
int hull_inventory_set_state(struct hull_inventory *inv, const void *key, void *p,
                             void (*free_fn)(void *));
/* Build p->purl from its fields and the os (per-ecosystem rules). */
int hull_pkg_make_purl(struct hull_pkg *p, const struct hull_os *os, struct hull_err **err);
#endif
