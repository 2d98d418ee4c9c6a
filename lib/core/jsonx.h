/* jansson with hull's rules: size cap, duplicate keys rejected, one-line errors. */
#ifndef HULL_CORE_JSONX_H
#define HULL_CORE_JSONX_H
#include "core/common.h"
#include <jansson.h>

/* Parse buf[0..len) as one JSON document. `what` names it in errors. Returns a new reference
 * or NULL with HULL_E_PARSE / HULL_E_LIMIT. */
json_t *hull_json_parse(const void *buf, size_t len, size_t max, const char *what,
                        struct hull_err **err);
/* Borrowed string member or NULL when missing or not a string. */
const char *hull_json_str(const json_t *obj, const char *key);
/* Integer member or dflt when missing or not an integer. */
json_int_t hull_json_int(const json_t *obj, const char *key, json_int_t dflt);
#endif
