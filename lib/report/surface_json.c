/* Attack-surface JSON (docs/json/surface.md, schema_version 1) and the writer that picks the
 * table or the JSON renderer. Unknown facts are left out rather than written as null; lists
 * are always present (possibly empty) and sorted. Strings from the image that are not UTF-8
 * have their non-ASCII bytes replaced by '?'. */
#include "core/common.h"
#include <jansson.h>
#include "surface/surfpriv.h"

int hull_surface_format_parse(const char *name)
{
    if (name && !strcmp(name, "table"))
        return HULL_SURFACE_TABLE;
    if (name && !strcmp(name, "json"))
        return HULL_SURFACE_JSON;
    return -1;
}

static json_t *jstr(const char *s)
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

#define SET(o, k, v)                                                                           \
    do {                                                                                       \
        if (json_object_set_new((o), (k), (v)) < 0)                                            \
            goto nomem;                                                                        \
    } while (0)
#define SETS(o, k, s)                                                                          \
    do {                                                                                       \
        if ((s) && json_object_set_new((o), (k), jstr(s)) < 0)                                 \
            goto nomem;                                                                        \
    } while (0)

static json_t *strv(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, jstr(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *os_json(const struct hull_surface *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    SETS(o, "family", s->os_family);
    SETS(o, "id", s->os_id);
    SETS(o, "version", s->os_version);
    SETS(o, "name", s->os_name);
    SET(o, "distroless", json_boolean(s->distroless));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *eol_json(const struct hull_surface *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    SETS(o, "release", s->eol->name);
    SETS(o, "date", s->eol->date);
    SETS(o, "kind", s->eol->kind);
    SET(o, "passed", json_boolean(s->eol_passed));
    SETS(o, "checked_on", s->today);
    SETS(o, "source", s->eol->source);
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *image_json(const struct hull_surface *s)
{
    json_t *o = json_object(), *x = NULL;
    if (!o)
        return NULL;
    SETS(o, "image", s->image);
    SETS(o, "spec", s->spec);
    SETS(o, "transport", s->transport);
    SETS(o, "config_digest", s->config_digest);
    SETS(o, "platform", s->platform);
    if (s->size >= 0)
        SET(o, "size", json_integer(s->size));
    if (s->compressed_size >= 0)
        SET(o, "compressed_size", json_integer(s->compressed_size));
    SET(o, "layers", json_integer((json_int_t)s->layers));
    if (s->os_family || s->os_id) {
        if (!(x = os_json(s)))
            goto nomem;
        SET(o, "os", x);
    }
    if (s->eol) {
        if (!(x = eol_json(s)))
            goto nomem;
        SET(o, "eol", x);
    }
    SET(o, "packages", json_integer((json_int_t)s->pkgs_total));
    SET(o, "os_packages", json_integer((json_int_t)s->pkgs_os));
    SET(o, "language_packages", json_integer((json_int_t)s->pkgs_lang));
    if (!(x = json_object()))
        goto nomem;
    SET(o, "packages_by_type", x);
    for (int t = 0; t < HULL_PKG__COUNT; t++)
        if (s->pkgs_by_type[t])
            SET(x, hull_pkg_type_name((enum hull_pkg_type)t),
                json_integer((json_int_t)s->pkgs_by_type[t]));
    SET(o, "shell", json_boolean(s->n_shells > 0));
    SET(o, "shells", strv(s->shells, s->n_shells));
    SET(o, "shell_kinds", strv(s->shell_kinds, s->n_shell_kinds));
    SET(o, "has_bin_sh", json_boolean(s->bin_sh != NULL));
    SETS(o, "bin_sh", s->bin_sh);
    SET(o, "package_manager", json_boolean(s->n_pkg_managers > 0));
    SET(o, "package_managers", strv(s->pkg_managers, s->n_pkg_managers));
    SET(o, "package_manager_binaries", strv(s->pkg_manager_paths, s->n_pkg_manager_paths));
    SET(o, "build_tools", strv(s->build_tools, s->n_build_tools));
    SET(o, "setuid", strv(s->setuid, s->n_setuid));
    SET(o, "setgid", strv(s->setgid, s->n_setgid));
    SET(o, "world_writable_dirs", strv(s->world_writable, s->n_world_writable));
    SETS(o, "user", s->user);
    if (s->uid >= 0)
        SET(o, "uid", json_integer(s->uid));
    SET(o, "runs_as_root", json_boolean(s->runs_as_root));
    SET(o, "exposed_ports", strv(s->ports, s->n_ports));
    SET(o, "score", json_integer(s->score));
    SETS(o, "rating", hull_surface_rating_name(s->rating));
    if (!(x = json_array()))
        goto nomem;
    SET(o, "reasons", x);
    for (size_t i = 0; i < s->n_reasons; i++) {
        json_t *r = json_object();
        if (!r || json_array_append_new(x, r) < 0)
            goto nomem;
        SETS(r, "id", hull_surface_finding_id(s->reasons[i].id));
        SET(r, "points", json_integer(s->reasons[i].points));
        SETS(r, "text", s->reasons[i].text);
    }
    if (!(x = json_array()))
        goto nomem;
    SET(o, "advice", x);
    for (size_t i = 0; i < s->n_advice; i++) {
        json_t *a = json_object();
        if (!a || json_array_append_new(x, a) < 0)
            goto nomem;
        SETS(a, "id", hull_surface_finding_id(s->advice[i].id));
        SETS(a, "text", s->advice[i].text);
    }
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *doc_json(struct hull_surface *const *s, size_t n)
{
    json_t *doc = json_object(), *imgs = NULL;
    if (!doc)
        return NULL;
    SET(doc, "schema_version", json_integer(1));
    SET(doc, "tool", json_pack("{s:s,s:s}", "name", "hull", "version", HULL_VERSION));
    if (!(imgs = json_array()))
        goto nomem;
    SET(doc, "images", imgs);
    for (size_t i = 0; i < n; i++) {
        json_t *o = image_json(s[i]);
        if (!o || json_array_append_new(imgs, o) < 0)
            goto nomem;
    }
    return doc;
nomem:
    json_decref(doc);
    return NULL;
}

int hull_surface_write(FILE *f, enum hull_surface_format fmt, struct hull_surface *const *s,
                       size_t n, bool color, struct hull_err **err)
{
    if (fmt == HULL_SURFACE_TABLE)
        return hull_surface_table(f, s, n, color, err);
    if (fmt != HULL_SURFACE_JSON)
        return hull_err_set(err, HULL_E_USAGE, "unknown surface format %d", (int)fmt);
    json_t *doc = doc_json(s, n);
    if (!doc)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(doc);
    if (rc < 0 || fputc('\n', f) == EOF)
        return hull_err_sys(err, HULL_E_IO, errno, "writing the surface report");
    return 0;
}
