/* Writing JSON documents with jansson: strings from images that never make a NULL value,
 * member setters for the `goto nomem` style, and one dump with hull's output flags. */
#ifndef HULL_CORE_JSONOUT_H
#define HULL_CORE_JSONOUT_H
#include "core/common.h"
#include <jansson.h>

/* Within a function that has a `nomem:` label: set member k of object o to the new reference
 * v (which may be NULL after a failed allocation), or go to nomem. */
#define HULL_JSET(o, k, v)                                                                     \
    do {                                                                                       \
        if (json_object_set_new((o), (k), (v)) < 0)                                            \
            goto nomem;                                                                        \
    } while (0)
/* Likewise for a string s through hull_json_set_text: nothing is set when s is NULL. */
#define HULL_JSETS(o, k, s)                                                                    \
    do {                                                                                       \
        if (hull_json_set_text((o), (k), (s)) < 0)                                             \
            goto nomem;                                                                        \
    } while (0)

/* A new JSON string for s (not NULL). Text that is not valid UTF-8 has every byte >= 0x80
 * replaced by '?', so only out of memory gives NULL. */
json_t *hull_json_text(const char *s);
/* Set o[key] to hull_json_text(s) when s is non-NULL. Returns 0, or -1 on out of memory. */
int hull_json_set_text(json_t *o, const char *key, const char *s);
/* A new array of hull_json_text(v[i]) for i < n; NULL on out of memory. */
json_t *hull_json_text_array(char *const *v, size_t n);
/* A new hull JSON document: {"schema_version": version, "tool": {"name": "hull", "version":
 * HULL_VERSION}}, the head every hull JSON format starts with; NULL on out of memory. */
json_t *hull_json_doc(int version);
/* Write doc to f indented by 2, in insertion order, ASCII only, then a newline. Returns 0, or
 * -1 with errno set on a write error. */
int hull_json_write(FILE *f, const json_t *doc);
#endif
