/* `hull db update`: download the upstream feeds with libcurl and import them atomically.
 *   - conditional GET: If-None-Match / If-Modified-Since from the feeds table; 304 keeps the
 *     feed's current rows (the new database starts as a copy of the old one);
 *   - retries on 429, 5xx and transport errors, exponential backoff from retry_base_ms,
 *     honouring Retry-After (seconds, capped at 60 s);
 *   - proxies from the environment (libcurl reads http_proxy / https_proxy / no_proxy);
 *   - mirrors: a feed URL can be replaced by name, or every feed fetched from BASE/<feed name>;
 *   - progress through ctx->progress; downloads land in a temp directory beside the database
 *     and are removed afterwards. Nothing is replaced unless every chosen feed succeeded. */
#include "core/common.h"
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "vulndb/vdb.h"

static const struct hull_vulndb_feed feeds[] = {
    { "alpine-v3.17-main", "https://secdb.alpinelinux.org/v3.17/main.json" },
    { "alpine-v3.17-community", "https://secdb.alpinelinux.org/v3.17/community.json" },
    { "alpine-v3.18-main", "https://secdb.alpinelinux.org/v3.18/main.json" },
    { "alpine-v3.18-community", "https://secdb.alpinelinux.org/v3.18/community.json" },
    { "alpine-v3.19-main", "https://secdb.alpinelinux.org/v3.19/main.json" },
    { "alpine-v3.19-community", "https://secdb.alpinelinux.org/v3.19/community.json" },
    { "alpine-v3.20-main", "https://secdb.alpinelinux.org/v3.20/main.json" },
    { "alpine-v3.20-community", "https://secdb.alpinelinux.org/v3.20/community.json" },
    { "alpine-v3.21-main", "https://secdb.alpinelinux.org/v3.21/main.json" },
    { "alpine-v3.21-community", "https://secdb.alpinelinux.org/v3.21/community.json" },
    { "debian-tracker", "https://security-tracker.debian.org/tracker/data/json" },
    { "debian-oval-bookworm",
      "https://www.debian.org/security/oval/oval-definitions-bookworm.xml.bz2" },
    { "osv-npm", "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip" },
    { "osv-pypi", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip" },
    { "nodejs-core",
      "https://raw.githubusercontent.com/nodejs/security-wg/main/vuln/core/index.json" },
    { "kev",
      "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json" },
    { NULL, NULL },
};

const struct hull_vulndb_feed *hull_vulndb_feeds(void)
{
    return feeds;
}

struct dl {
    const struct hull_ctx *ctx;
    const char *name;
    FILE *out;
    uint64_t written, max;
    char *etag, *last_modified;
    long retry_after;
    bool too_big;
};

static size_t on_write(char *p, size_t sz, size_t n, void *ud)
{
    struct dl *d = ud;
    size_t len = sz * n;
    if (d->written + len > d->max) {
        d->too_big = true;
        return 0;
    }
    if (fwrite(p, 1, len, d->out) != len)
        return 0;
    d->written += len;
    return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
    size_t nl = strlen(name);
    if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return NULL;
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    if (end - v > 1024)
        return NULL;
    return strndup(v, (size_t)(end - v));
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct dl *d = ud;
    size_t len = sz * n;
    char *v;
    if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
        /* a new response (redirect or retry): forget the previous one's headers */
        free(d->etag);
        free(d->last_modified);
        d->etag = d->last_modified = NULL;
        d->retry_after = -1;
    } else if ((v = header_value(p, len, "ETag"))) {
        free(d->etag);
        d->etag = v;
    } else if ((v = header_value(p, len, "Last-Modified"))) {
        free(d->last_modified);
        d->last_modified = v;
    } else if ((v = header_value(p, len, "Retry-After"))) {
        char *end = NULL;
        long s = strtol(v, &end, 10);
        d->retry_after = (end && end != v && !*end && s >= 0) ? s : -1;
        free(v);
    }
    return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal;
    (void)ulnow;
    struct dl *d = ud;
    if (d->ctx && d->ctx->progress)
        d->ctx->progress(d->ctx->progress_ud, d->name, (uint64_t)dlnow, (uint64_t)dltotal);
    return 0;
}

struct fetched {
    const char *name;
    char *url, *path, *etag, *last_modified;
    int64_t bytes;
    bool not_modified;
};

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Download one feed into path. Returns 0 (f->not_modified set on 304) or <0. */
static int fetch(const struct hull_ctx *ctx, const struct hull_vulndb_update_opts *o,
                 struct fetched *f, const char *old_etag, const char *old_lm,
                 struct hull_err **err)
{
    unsigned max_retries = o->max_retries ? o->max_retries : 4;
    long base = o->retry_base_ms ? (long)o->retry_base_ms : 1000;
    long timeout = o->timeout_seconds ? o->timeout_seconds : 300;
    for (unsigned attempt = 0;; attempt++) {
        struct dl d = { .ctx = ctx, .name = f->name, .max = 512ull << 20, .retry_after = -1 };
        d.out = fopen(f->path, "wb");
        if (!d.out)
            return hull_err_sys(err, HULL_E_IO, errno, "cannot write %s", f->path);
        CURL *c = curl_easy_init();
        if (!c) {
            fclose(d.out);
            return hull_err_set(err, HULL_E_NOMEM, "cannot create a curl handle");
        }
        struct curl_slist *hdrs = NULL;
        char *h = NULL;
        if (old_etag && asprintf(&h, "If-None-Match: %s", old_etag) >= 0) {
            hdrs = curl_slist_append(hdrs, h);
            free(h);
        }
        if (old_lm && asprintf(&h, "If-Modified-Since: %s", old_lm) >= 0) {
            hdrs = curl_slist_append(hdrs, h);
            free(h);
        }
        char ua[64];
        snprintf(ua, sizeof(ua), "hull/%s", HULL_VERSION);
        curl_easy_setopt(c, CURLOPT_URL, f->url);
        curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d.max);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &d);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, ctx && ctx->progress ? 0L : 1L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        char ebuf[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
        CURLcode cc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(c);
        curl_slist_free_all(hdrs);
        bool werr = fclose(d.out) != 0;
        bool retry = false;
        if (cc == CURLE_OK && !werr && (code == 200 || code == 0)) {
            f->etag = d.etag;
            f->last_modified = d.last_modified;
            f->bytes = (int64_t)d.written;
            return 0;
        }
        if (cc == CURLE_OK && code == 304) {
            f->not_modified = true;
            f->etag = d.etag ? d.etag : (old_etag ? strdup(old_etag) : NULL);
            f->last_modified = d.last_modified ? d.last_modified
                                               : (old_lm ? strdup(old_lm) : NULL);
            if (d.etag != f->etag)
                free(d.etag);
            if (d.last_modified != f->last_modified)
                free(d.last_modified);
            return 0;
        }
        free(d.etag);
        free(d.last_modified);
        if (d.too_big || cc == CURLE_FILESIZE_EXCEEDED)
            return hull_err_set(err, HULL_E_LIMIT, "%s: download larger than %llu bytes",
                                f->url, (unsigned long long)d.max);
        if (werr || cc == CURLE_WRITE_ERROR)
            return hull_err_sys(err, HULL_E_IO, errno, "cannot write %s", f->path);
        if (cc == CURLE_OK) {
            retry = code == 429 || code >= 500;
            if (!retry || attempt >= max_retries)
                return hull_err_set(err, HULL_E_NET, "%s: HTTP %ld%s", f->url, code,
                                    retry ? " (gave up after retries)" : "");
        } else {
            retry = cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT ||
                    cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING ||
                    cc == CURLE_PARTIAL_FILE || cc == CURLE_COULDNT_RESOLVE_HOST ||
                    cc == CURLE_COULDNT_RESOLVE_PROXY;
            if (!retry || attempt >= max_retries)
                return hull_err_set(err, HULL_E_NET, "%s: %s", f->url,
                                    ebuf[0] ? ebuf : curl_easy_strerror(cc));
        }
        long wait = base << (attempt < 10 ? attempt : 10);
        if (d.retry_after >= 0)
            wait = (d.retry_after > 60 ? 60 : d.retry_after) * 1000;
        if (wait > 60000)
            wait = 60000;
        hull_log(ctx, HULL_LOG_INFO, "%s: %s, retrying in %ld ms", f->name,
                 cc == CURLE_OK ? "server busy" : curl_easy_strerror(cc), wait);
        sleep_ms(wait);
    }
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p))
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static const char *mirror_url(const struct hull_vulndb_update_opts *o, const char *name,
                              const char *dflt, char **owned)
{
    *owned = NULL;
    for (size_t i = 0; i < o->n_mirrors; i++)
        if (!strcmp(o->mirrors[i].name, name))
            return o->mirrors[i].url;
    for (size_t i = 0; i < o->n_mirrors; i++)
        if (!strcmp(o->mirrors[i].name, "*")) {
            const char *b = o->mirrors[i].url;
            size_t bl = strlen(b);
            if (asprintf(owned, "%.*s/%s", (int)(bl && b[bl - 1] == '/' ? bl - 1 : bl), b,
                         name) < 0)
                *owned = NULL;
            return *owned;
        }
    return dflt;
}

int hull_vulndb_update(const struct hull_ctx *ctx, const char *db_path,
                       const struct hull_vulndb_update_opts *opts,
                       struct hull_vulndb_report *report, struct hull_err **err)
{
    struct hull_vulndb_update_opts o = { 0 };
    if (opts)
        o = *opts;
    /* choose the feeds */
    size_t nf = 0;
    struct fetched *fs = calloc(HULL_ARRAY_LEN(feeds), sizeof(*fs));
    if (!fs)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    for (size_t i = 0; i < o.n_sources; i++) {
        bool known = false;
        for (size_t k = 0; feeds[k].name; k++)
            known |= *o.sources[i] &&
                     !strncmp(feeds[k].name, o.sources[i], strlen(o.sources[i]));
        if (!known) {
            free(fs);
            return hull_err_set(err, HULL_E_USAGE, "unknown feed '%s' (see 'hull db update "
                                "--list')", o.sources[i]);
        }
    }
    for (size_t k = 0; feeds[k].name; k++) {
        bool want = o.n_sources == 0;
        /* a source name selects a feed exactly or as a prefix ("alpine" = every Alpine feed) */
        for (size_t i = 0; i < o.n_sources && !want; i++)
            want = !strncmp(feeds[k].name, o.sources[i], strlen(o.sources[i]));
        if (want)
            fs[nf++].name = feeds[k].name;
    }
    for (size_t i = 0; i < o.n_mirrors; i++) {
        bool known = !strcmp(o.mirrors[i].name, "*");
        for (size_t k = 0; feeds[k].name && !known; k++)
            known = !strcmp(feeds[k].name, o.mirrors[i].name);
        if (!known) {
            free(fs);
            return hull_err_set(err, HULL_E_USAGE, "--mirror: unknown feed '%s'",
                                o.mirrors[i].name);
        }
    }
    /* validators of the current database */
    struct hull_vulndb_status st = { 0 };
    struct hull_vulndb *old = access(db_path, F_OK) == 0 ? hull_vulndb_open(ctx, db_path, NULL)
                                                         : NULL;
    if (old) {
        hull_vulndb_get_status(old, &st, NULL);
        hull_vulndb_close(old);
    }
    char *dir = NULL;
    int r = 0;
    {
        /* the database directory may not exist yet */
        char *parent = strdup(db_path);
        char *slash = parent ? strrchr(parent, '/') : NULL;
        if (slash && slash != parent) {
            *slash = 0;
            for (char *p = parent + 1; *p; p++)
                if (*p == '/') {
                    *p = 0;
                    mkdir(parent, 0755);
                    *p = '/';
                }
            mkdir(parent, 0755);
        }
        free(parent);
    }
    if (vdb_create_unique(db_path, ".dl", &dir, true) < 0) {
        r = hull_err_sys(err, HULL_E_IO, errno, "cannot create a download directory beside %s",
                         db_path);
        goto out;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (size_t i = 0; i < nf && r == 0; i++) {
        struct fetched *f = &fs[i];
        const char *dflt = NULL;
        for (size_t k = 0; feeds[k].name; k++)
            if (!strcmp(feeds[k].name, f->name))
                dflt = feeds[k].url;
        char *owned = NULL;
        const char *url = mirror_url(&o, f->name, dflt, &owned);
        f->url = owned ? owned : strdup(url);
        if (asprintf(&f->path, "%s/%s", dir, f->name) < 0)
            f->path = NULL;
        if (!f->url || !f->path) {
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            break;
        }
        const char *oe = NULL, *olm = NULL;
        for (size_t k = 0; k < st.n_feeds; k++)
            if (!strcmp(st.feeds[k].name, f->name) && st.feeds[k].url &&
                !strcmp(st.feeds[k].url, f->url)) {
                oe = st.feeds[k].etag;
                olm = st.feeds[k].last_modified;
            }
        r = fetch(ctx, &o, f, oe, olm, err);
        if (r < 0)
            hull_err_wrap(err, "feed %s", f->name);
        else if (f->not_modified && report)
            report->unchanged++;
    }
    if (r < 0)
        goto out;
    struct hull_vulndb_import_opts io = { .strict = o.strict };
    struct vdb_writer *w = vdb_writer_begin(ctx, db_path, &io, report, err);
    if (!w) {
        r = err && *err ? -(int)(*err)->code : -HULL_E_DB;
        goto out;
    }
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < nf && r == 0; i++) {
        struct fetched *f = &fs[i];
        if (!f->not_modified) {
            const char *p = f->path;
            r = vdb_import_paths(w, &p, 1, 512u << 20, err);
            if (r < 0) {
                hull_err_wrap(err, "feed %s", f->name);
                break;
            }
        }
        r = vdb_put_feed(w, f->name, f->url, f->etag, f->last_modified, now,
                         f->not_modified ? 0 : f->bytes, err);
    }
    if (r < 0)
        vdb_writer_abort(w);
    else
        r = vdb_writer_commit(w, err);
out:
    if (dir) {
        rm_dir(dir);
        free(dir);
    }
    for (size_t i = 0; i < nf; i++) {
        free(fs[i].url);
        free(fs[i].path);
        free(fs[i].etag);
        free(fs[i].last_modified);
    }
    free(fs);
    hull_vulndb_status_free(&st);
    return r;
}
