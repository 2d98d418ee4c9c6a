/* Writing JSON documents with jansson (core/jsonout.h). */
#include "core/jsonout.h"

json_t *hull_json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    char *c = strdup(s);
    if (!c)
        return NULL;
    for (char *p = c; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(c);
    free(c);
    return j;
}

int hull_json_set_text(json_t *o, const char *key, const char *s)
{
    if (!s)
        return 0;
    return json_object_set_new(o, key, hull_json_text(s));
}

json_t *hull_json_text_array(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, hull_json_text(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *hull_json_doc(int version)
{
    json_t *doc = json_object();
    if (!doc || json_object_set_new(doc, "schema_version", json_integer(version)) < 0 ||
        json_object_set_new(doc, "tool", json_pack("{s:s,s:s}", "name", "hull", "version",
                                                    HULL_VERSION)) < 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int hull_json_write(FILE *f, const json_t *doc)
{
    if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) < 0)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}
