/* JSON parsing with limits (docs/libraries.md section 1: jansson, strict UTF-8). */
#include "core/jsonx.h"

json_t *hull_json_parse(const void *buf, size_t len, size_t max, const char *what,
                        struct hull_err **err)
{
    if (len > max) {
        hull_err_set(err, HULL_E_LIMIT, "%s: %zu bytes exceeds the %zu-byte limit", what, len, max);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        hull_err_set(err, HULL_E_PARSE, "%s: invalid JSON at line %d column %d: %s", what,
                     je.line, je.column, je.text);
    return j;
}

const char *hull_json_str(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

json_int_t hull_json_int(const json_t *obj, const char *key, json_int_t dflt)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}
