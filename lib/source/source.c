/* The transport table, "PATH:REF" splitting and content detection of bare paths. */
#include "core/common.h"
#include <sys/stat.h>
#include "source/container.h"
#include "source/source.h"

const struct hull_source_ops *const hull_source_table[] = {
    &hull_source_docker_archive,
    &hull_source_oci,
    &hull_source_oci_archive,
    &hull_source_dir,
    &hull_source_registry,
    &hull_source_daemon,
    NULL,
};

int hull_source_split_path(struct hull_source *src, const char *arg, struct hull_err **err)
{
    struct stat st;
    if (!*arg)
        return hull_err_set(err, HULL_E_USAGE, "%s: missing path", src->ops->transport);
    if (stat(arg, &st) == 0) {
        src->path = strdup(arg);
        return src->path ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    for (const char *c = strchr(arg, ':'); c; c = strchr(c + 1, ':')) {
        char *p = strndup(arg, (size_t)(c - arg));
        if (!p)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        if (*p && stat(p, &st) == 0) {
            src->path = p;
            if (c[1] && !(src->ref = strdup(c + 1)))
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            return 0;
        }
        free(p);
    }
    return hull_err_sys(err, HULL_E_NOTFOUND, ENOENT, "%s", arg);
}

int hull_source_open_container(struct hull_source *src, const char *arg, struct hull_err **err)
{
    if (arg) {
        int rc = hull_source_split_path(src, arg, err);
        if (rc < 0)
            return rc;
    }
    if (!src->box)
        return hull_container_open(src->ctx, src->path, &src->box, err);
    return 0;
}

int hull_source_detect(struct hull_source *src, const char *path, struct hull_err **err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        /* PATH:REF without a transport prefix */
        for (const char *c = strchr(path, ':'); c && !src->path; c = strchr(c + 1, ':')) {
            char *p = strndup(path, (size_t)(c - path));
            if (!p)
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            if (*p && c[1] && stat(p, &st) == 0) {
                src->path = p;
                if (!(src->ref = strdup(c + 1)))
                    return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            } else {
                free(p);
            }
        }
        if (!src->path)
            return hull_err_sys(err, errno == ENOENT ? HULL_E_NOTFOUND : HULL_E_IO, errno, "%s",
                                path);
    } else if (!(src->path = strdup(path))) {
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    int rc = hull_container_open(src->ctx, src->path, &src->box, err);
    if (rc < 0)
        return rc;
    if (hull_container_is_dir(src->box)) {
        src->ops = hull_container_has(src->box, "oci-layout") ? &hull_source_oci : &hull_source_dir;
        return 0;
    }
    if (hull_container_has(src->box, "manifest.json"))
        src->ops = &hull_source_docker_archive;
    else if (hull_container_has(src->box, "oci-layout"))
        src->ops = &hull_source_oci_archive;
    else
        return hull_err_set(err, HULL_E_PARSE, "%s: not an image archive (no manifest.json or "
                            "oci-layout inside)", src->path);
    return 0;
}

void hull_source_image_release(struct hull_source_image *im)
{
    if (!im)
        return;
    for (size_t i = 0; im->layers && i < im->n_layers; i++) {
        free(im->layers[i].key);
        free(im->layers[i].media_type);
        free(im->layers[i].digest);
    }
    free(im->layers);
    free(im->name);
    free(im->manifest_digest);
    free(im->manifest_media_type);
    free(im->config_key);
    free(im->config_digest);
    memset(im, 0, sizeof(*im));
}
