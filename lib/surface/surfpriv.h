/* Helpers shared by the attack-surface files (facts, rating, renderers). */
#ifndef HULL_SURFACE_SURFPRIV_H
#define HULL_SURFACE_SURFPRIV_H
#include "core/common.h"
#include "hull/surface.h"

/* A growable list of owned strings. */
struct hull_strv {
    char **v;
    size_t n, cap;
};

/* Append a copy of s; -HULL_E_NOMEM on failure. */
int hull_strv_add(struct hull_strv *sv, const char *s);
/* Sort bytewise and drop duplicates. */
void hull_strv_sort_uniq(struct hull_strv *sv);
/* Whether s is in the list. */
bool hull_strv_has(const struct hull_strv *sv, const char *s);
/* Free the strings and the array; leaves an empty list. */
void hull_strv_clear(struct hull_strv *sv);
/* Free a plain array of n owned strings. */
void hull_strv_free_array(char **v, size_t n);

/* The package-manager family of a binary name for people: "apt-get" -> "apt",
 * "dpkg-query" -> "dpkg", "pip3" -> "pip"; other names unchanged (static storage or name). */
const char *hull_surface_pm_family(const char *name);
/* Free the reasons and advice of s (rating.c rebuilds them). */
void hull_surface_clear_rating(struct hull_surface *s);
/* The uid /etc/passwd content pw[0..len) gives name ("name:password:uid:..."), -1 when the
 * name is absent or its uid field is not a number. No NUL needed. */
int64_t hull_surface_passwd_uid(const char *pw, size_t len, const char *name);
/* The table renderer (lib/report/surface_table.c); hull_surface_write calls it. */
int hull_surface_table(FILE *f, struct hull_surface *const *s, size_t n, bool color,
                       struct hull_err **err);
#endif
