/* Engine transport: `docker-daemon:NAME` reads an image from a Docker-compatible Engine API
 * (Docker, or Podman's service) on a unix socket: $DOCKER_HOST (unix://PATH) or
 * /var/run/docker.sock. GET /images/NAME/get answers with a docker-archive; `docker save`
 * writes manifest.json last, so the archive is streamed into an unlinked temporary file
 * (capped by limits.max_image_bytes) and then read by the docker-archive transport, which
 * verifies every config and layer. */
#include "core/common.h"
#include "registry/http.h"
#include "source/container.h"
#include "source/source.h"
#include <fcntl.h>
#include <unistd.h>

#define ENGINE_API "v1.41"
#define DEFAULT_SOCKET "/var/run/docker.sock"

static int engine_socket(char **out, struct hull_err **err)
{
    const char *dh = getenv("DOCKER_HOST");
    const char *path = DEFAULT_SOCKET;
    if (dh && *dh) {
        if (strncmp(dh, "unix://", 7) != 0)
            return hull_err_set(err, HULL_E_UNSUPPORTED,
                                "DOCKER_HOST=%.100s: only unix:// engine sockets are supported",
                                dh);
        path = dh + 7;
    }
    if (!*path)
        return hull_err_set(err, HULL_E_USAGE, "DOCKER_HOST names no socket path");
    *out = strdup(path);
    return *out ? 0 : hull_err_set(err, HULL_E_NOMEM, "out of memory");
}

/* Image names and IDs only: no query, fragment, escapes or path tricks in the URL. */
static bool name_ok(const char *s)
{
    if (!*s || strlen(s) > 512 || strstr(s, "..") || s[0] == '/')
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("._-/:@", c)))
            return false;
    }
    return true;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int daemon_open(struct hull_source *src, const char *arg, struct hull_err **err)
{
    if (!name_ok(arg))
        return hull_err_set(err, HULL_E_USAGE, "docker-daemon: invalid image name \"%.100s\"",
                            arg);
    char *sock = NULL;
    if (engine_socket(&sock, err) < 0)
        return -1;
    struct hull_http_opts ho = { .insecure = true, .unix_socket = sock, .retries = 0 };
    struct hull_http *h = NULL;
    int rc = hull_http_new(src->ctx, &ho, &h, err);
    char *url = NULL, *what = NULL;
    if (rc == 0 && (asprintf(&url, "http://localhost/" ENGINE_API "/images/%s/get", arg) < 0 ||
                    asprintf(&what, "engine %s: image %s", sock, arg) < 0)) {
        url = what = NULL;
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    struct hull_istream *in = NULL;
    long status = 0;
    char *emsg = NULL;
    struct hull_err *se = NULL;
    if (rc == 0) {
        struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/x-tar");
        rc = hull_http_stream_open(h, url, hdr, what, &in, &status, &emsg, &se);
        curl_slist_free_all(hdr);
        if (rc < 0) {
            if (status == 404)
                hull_err_set(err, HULL_E_NOTFOUND, "%s: not found in the engine", what);
            else if (!status && se && se->code == HULL_E_NET && strstr(se->msg, "connect"))
                hull_err_set(err, HULL_E_NET, "cannot connect to the engine socket %s (is the "
                             "engine running? DOCKER_HOST=unix://PATH names another)", sock);
            else if (status)
                hull_err_set(err, HULL_E_NET, "%s: %s", what, emsg ? emsg : "engine error");
            if (err && !*err) {
                *err = se;
                se = NULL;
            }
            hull_err_free(se);
        }
        free(emsg);
    }
    char tmpl[4096];
    int fd = -1;
    if (rc == 0) {
        const char *td = getenv("TMPDIR");
        int w = snprintf(tmpl, sizeof(tmpl) - 7, "%.4000s/hull-engine-", td && *td ? td : "/tmp");
        memset(tmpl + w, 'X', 6); /* mkstemp's template */
        tmpl[w + 6] = 0;
        fd = mkstemp(tmpl);
        if (fd < 0)
            rc = hull_err_sys(err, HULL_E_IO, errno, "%s: temporary file", tmpl);
    }
    uint64_t total = 0, max = src->ctx->limits.max_image_bytes;
    char *buf = rc == 0 ? malloc(1u << 18) : NULL;
    if (rc == 0 && !buf)
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
    while (rc == 0) {
        ssize_t n = hull_istream_read(in, buf, 1u << 18, err);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (max && total > max) {
            rc = hull_err_set(err, HULL_E_LIMIT, "%s: archive exceeds the %llu-byte image limit",
                              what, (unsigned long long)max);
            break;
        }
        if (write_all(fd, buf, (size_t)n) < 0)
            rc = hull_err_sys(err, HULL_E_IO, errno, "%s: writing the temporary file", tmpl);
    }
    free(buf);
    hull_istream_close(in);
    hull_http_free(h);
    if (fd >= 0)
        close(fd);
    if (rc == 0) {
        if (!(src->path = strdup(arg)))
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        else if (total == 0)
            rc = hull_err_set(err, HULL_E_PARSE, "%s: the engine sent an empty archive", what);
        else
            rc = hull_container_open(src->ctx, tmpl, &src->box, err);
        if (rc == 0 && !hull_container_has(src->box, "manifest.json"))
            rc = hull_err_set(err, HULL_E_PARSE, "%s: the engine's archive has no manifest.json",
                              what);
    }
    if (fd >= 0)
        unlink(tmpl); /* the container keeps its descriptor */
    free(url);
    free(what);
    free(sock);
    return rc;
}

static int daemon_manifest(struct hull_source *src, struct hull_source_image *out,
                           struct hull_err **err)
{
    return hull_source_docker_archive.manifest(src, out, err);
}

static int daemon_read_blob(struct hull_source *src, const char *key, size_t max, char **out,
                            size_t *len, struct hull_err **err)
{
    return hull_source_docker_archive.read_blob(src, key, max, out, len, err);
}

static int daemon_open_blob(struct hull_source *src, const char *key, struct hull_istream **out,
                            int64_t *size, struct hull_err **err)
{
    return hull_source_docker_archive.open_blob(src, key, out, size, err);
}

static void daemon_close(struct hull_source *src)
{
    hull_source_docker_archive.close(src);
}

const struct hull_source_ops hull_source_daemon = {
    .transport = "docker-daemon",
    .open = daemon_open,
    .manifest = daemon_manifest,
    .read_blob = daemon_read_blob,
    .open_blob = daemon_open_blob,
    .close = daemon_close,
};
