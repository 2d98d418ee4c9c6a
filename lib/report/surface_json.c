/* Attack-surface JSON (docs/json/surface.md, schema_version 1) and the writer that picks the
 * table or the JSON renderer. Unknown facts are left out rather than written as null; lists
 * are always present (possibly empty) and sorted. Strings from the image that are not UTF-8
 * have their non-ASCII bytes replaced by '?'. */
#include "core/common.h"
#include "core/jsonout.h"
#include "surface/surfpriv.h"

int hull_surface_format_parse(const char *name)
{
    if (name && !strcmp(name, "table"))
        return HULL_SURFACE_TABLE;
    if (name && !strcmp(name, "json"))
        return HULL_SURFACE_JSON;
    return -1;
}

static json_t *os_json(const struct hull_surface *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    HULL_JSETS(o, "family", s->os_family);
    HULL_JSETS(o, "id", s->os_id);
    HULL_JSETS(o, "version", s->os_version);
    HULL_JSETS(o, "name", s->os_name);
    HULL_JSET(o, "distroless", json_boolean(s->distroless));
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
    HULL_JSETS(o, "release", s->eol->name);
    HULL_JSETS(o, "date", s->eol->date);
    HULL_JSETS(o, "kind", s->eol->kind);
    HULL_JSET(o, "passed", json_boolean(s->eol_passed));
    HULL_JSETS(o, "checked_on", s->today);
    HULL_JSETS(o, "source", s->eol->source);
    return o;
nomem:
    json_decref(o);
    return NULL;
}

/* { "total": N, "by_severity": { "CRITICAL": .., "HIGH": .., ..., "UNKNOWN": .. } } */
static json_t *vulns_json(const struct hull_surface *s)
{
    json_t *o = json_object(), *x = NULL;
    if (!o)
        return NULL;
    HULL_JSET(o, "total", json_integer((json_int_t)s->vulns_total));
    if (!(x = json_object()))
        goto nomem;
    HULL_JSET(o, "by_severity", x);
    for (int v = HULL_SEV__COUNT - 1; v >= 0; v--)
        HULL_JSET(x, hull_severity_name((enum hull_severity)v),
                  json_integer((json_int_t)s->vulns_by_severity[v]));
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
    HULL_JSETS(o, "image", s->image);
    HULL_JSETS(o, "spec", s->spec);
    HULL_JSETS(o, "transport", s->transport);
    HULL_JSETS(o, "config_digest", s->config_digest);
    HULL_JSETS(o, "platform", s->platform);
    if (s->size >= 0)
        HULL_JSET(o, "size", json_integer(s->size));
    if (s->compressed_size >= 0)
        HULL_JSET(o, "compressed_size", json_integer(s->compressed_size));
    HULL_JSET(o, "layers", json_integer((json_int_t)s->layers));
    if (s->os_family || s->os_id) {
        if (!(x = os_json(s)))
            goto nomem;
        HULL_JSET(o, "os", x);
    }
    if (s->eol) {
        if (!(x = eol_json(s)))
            goto nomem;
        HULL_JSET(o, "eol", x);
    }
    HULL_JSET(o, "packages", json_integer((json_int_t)s->pkgs_total));
    HULL_JSET(o, "os_packages", json_integer((json_int_t)s->pkgs_os));
    HULL_JSET(o, "language_packages", json_integer((json_int_t)s->pkgs_lang));
    if (!(x = json_object()))
        goto nomem;
    HULL_JSET(o, "packages_by_type", x);
    for (int t = 0; t < HULL_PKG__COUNT; t++)
        if (s->pkgs_by_type[t])
            HULL_JSET(x, hull_pkg_type_name((enum hull_pkg_type)t),
                json_integer((json_int_t)s->pkgs_by_type[t]));
    HULL_JSET(o, "shell", json_boolean(s->n_shells > 0));
    HULL_JSET(o, "shells", hull_json_text_array(s->shells, s->n_shells));
    HULL_JSET(o, "shell_kinds", hull_json_text_array(s->shell_kinds, s->n_shell_kinds));
    HULL_JSET(o, "has_bin_sh", json_boolean(s->bin_sh != NULL));
    HULL_JSETS(o, "bin_sh", s->bin_sh);
    HULL_JSET(o, "package_manager", json_boolean(s->n_pkg_managers > 0));
    HULL_JSET(o, "package_managers", hull_json_text_array(s->pkg_managers, s->n_pkg_managers));
    HULL_JSET(o, "package_manager_binaries",
              hull_json_text_array(s->pkg_manager_paths, s->n_pkg_manager_paths));
    HULL_JSET(o, "build_tools", hull_json_text_array(s->build_tools, s->n_build_tools));
    HULL_JSET(o, "setuid", hull_json_text_array(s->setuid, s->n_setuid));
    HULL_JSET(o, "setgid", hull_json_text_array(s->setgid, s->n_setgid));
    HULL_JSET(o, "world_writable_dirs",
              hull_json_text_array(s->world_writable, s->n_world_writable));
    HULL_JSETS(o, "user", s->user);
    if (s->uid >= 0)
        HULL_JSET(o, "uid", json_integer(s->uid));
    HULL_JSET(o, "runs_as_root", json_boolean(s->runs_as_root));
    HULL_JSET(o, "exposed_ports", hull_json_text_array(s->ports, s->n_ports));
    if (s->vulns_known) {
        if (!(x = vulns_json(s)))
            goto nomem;
        HULL_JSET(o, "vulnerabilities", x);
    }
    HULL_JSET(o, "score", json_integer(s->score));
    HULL_JSETS(o, "rating", hull_surface_rating_name(s->rating));
    if (!(x = json_array()))
        goto nomem;
    HULL_JSET(o, "reasons", x);
    for (size_t i = 0; i < s->n_reasons; i++) {
        json_t *r = json_object();
        if (!r || json_array_append_new(x, r) < 0)
            goto nomem;
        HULL_JSETS(r, "id", hull_surface_finding_id(s->reasons[i].id));
        HULL_JSET(r, "points", json_integer(s->reasons[i].points));
        HULL_JSETS(r, "text", s->reasons[i].text);
    }
    if (!(x = json_array()))
        goto nomem;
    HULL_JSET(o, "advice", x);
    for (size_t i = 0; i < s->n_advice; i++) {
        json_t *a = json_object();
        if (!a || json_array_append_new(x, a) < 0)
            goto nomem;
        HULL_JSETS(a, "id", hull_surface_finding_id(s->advice[i].id));
        HULL_JSETS(a, "text", s->advice[i].text);
    }
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *doc_json(struct hull_surface *const *s, size_t n)
{
    json_t *doc = hull_json_doc(1), *imgs = NULL;
    if (!doc)
        return NULL;
    if (!(imgs = json_array()))
        goto nomem;
    HULL_JSET(doc, "images", imgs);
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
    int rc = hull_json_write(f, doc);
    json_decref(doc);
    if (rc < 0)
        return hull_err_sys(err, HULL_E_IO, errno, "writing the surface report");
    return 0;
}
