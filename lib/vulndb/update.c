/* `hull db update`: download the upstream feeds with libcurl and import them atomically.
 *   - conditional GET: If-None-Match / If-Modified-Since from the feeds table; 304 keeps the
 *     feed's current rows (the new database starts as a copy of the old one);
 *   - retries on 429, 5xx and transport errors, exponential backoff from retry_base_ms,
 *     honouring Retry-After (seconds or an HTTP-date, capped at 60 s);
 *   - proxies from the environment (libcurl reads http_proxy / https_proxy / no_proxy);
 *   - mirrors: a feed URL can be replaced by name, or every feed fetched from BASE/<feed name>;
 *   - progress through ctx->progress; downloads land in a temp directory beside the database
 *     and are removed afterwards. Nothing is replaced unless every chosen feed succeeded;
 *   - NVD (CVE API 2.0, CVSS enrichment): paged (resultsPerPage/startIndex/totalResults, each
 *     page checked before the next is asked for), a pause between requests as NVD asks, the
 *     API key as the apiKey header, 403/429 = rate limited; incremental after the first full
 *     download (lastModStartDate = when the last one started, upserting into the source). */
#include "core/common.h"
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <jansson.h>
#include "core/retryafter.h"
#include "vulndb/vdb.h"

/* NVD paging: the API's maximum page, caps on what a server may claim, its 120-day limit on
 * date ranges. */
#define NVD_PAGE 2000
#define NVD_MAX_TOTAL 5000000
#define NVD_MAX_PAGES 20000
#define NVD_MAX_RANGE (120 * 86400)

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
    /* ~15 minutes for a full download without an API key: only when asked for */
    { "nvd", "https://services.nvd.nist.gov/rest/json/cves/2.0", true },
    { NULL, NULL, false },
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
        d->retry_after = hull_retry_after(v, time(NULL));
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
    /* NVD: pages "<dir>/nvd.<i>", when the download started, whether it asked for changes */
    bool nvd, incremental;
    size_t n_pages;
    int64_t started;
};

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Download one feed into path. extra: one more request header (NVD's apiKey; never logged).
 * nvd: 403 is rate limiting too, and two more retries by default (NVD's window is 30 s).
 * Returns 0 (f->not_modified set on 304) or <0. */
static int fetch(const struct hull_ctx *ctx, const struct hull_vulndb_update_opts *o,
                 struct fetched *f, const char *old_etag, const char *old_lm, const char *extra,
                 bool nvd, struct hull_err **err)
{
    unsigned max_retries = o->max_retries ? o->max_retries : nvd ? 6 : 4;
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
        if (extra)
            hdrs = curl_slist_append(hdrs, extra);
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
            retry = code == 429 || code >= 500 || (nvd && code == 403);
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
                 cc != CURLE_OK ? curl_easy_strerror(cc)
                 : code == 429 || code == 403 ? "rate limited" : "server busy", wait);
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

/* Check one downloaded NVD page asked for at startIndex `start`: an API 2.0 response whose
 * startIndex is the one asked for, totalResults within the cap, and results that neither stop
 * before totalResults nor run past it. *total and *n receive totalResults and the page's
 * number of results (NVD may return fewer than resultsPerPage asked for). */
static int nvd_check_page(const char *path, const char *url, int64_t start, int64_t *total,
                          size_t *n, struct hull_err **err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return hull_err_set(err, HULL_E_PARSE, "%s: invalid JSON at line %d column %d: %s", url,
                            je.line, je.column, je.text);
    json_t *v = json_object_get(j, "vulnerabilities");
    json_t *t = json_object_get(j, "totalResults");
    json_t *si = json_object_get(j, "startIndex");
    int r = 0;
    if (!json_is_array(v) || !json_is_integer(t) || !json_is_integer(si)) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: not an NVD API 2.0 page (no vulnerabilities, "
                         "totalResults or startIndex)", url);
    } else if (json_integer_value(t) < 0 || json_integer_value(t) > NVD_MAX_TOTAL) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: totalResults %lld out of range (0-%d)", url,
                         (long long)json_integer_value(t), NVD_MAX_TOTAL);
    } else if (json_integer_value(si) != start) {
        r = hull_err_set(err, HULL_E_PARSE, "%s: startIndex %lld, expected %lld", url,
                         (long long)json_integer_value(si), (long long)start);
    } else {
        *total = json_integer_value(t);
        *n = json_array_size(v);
        if (*n == 0 && start < *total)
            r = hull_err_set(err, HULL_E_PARSE, "%s: no results at startIndex %lld of "
                             "totalResults %lld", url, (long long)start, (long long)*total);
        else if (start + (int64_t)*n > *total)
            r = hull_err_set(err, HULL_E_PARSE, "%s: %zu results at startIndex %lld run past "
                             "totalResults %lld", url, *n, (long long)start, (long long)*total);
    }
    json_decref(j);
    return r;
}

static void iso8601(char *b, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    /* NVD's extended ISO-8601 with an explicit offset ("+" escaped for the query string) */
    strftime(b, n, "%Y-%m-%dT%H:%M:%S.000%%2B00:00", &tm);
}

/* Download every page of the NVD feed f->url into dir/nvd.<i>. prev: the feed's row in the
 * current database (NULL if none): within 120 days of its fetch, only the changes since then
 * are asked for. */
static int fetch_nvd(const struct hull_ctx *ctx, const struct hull_vulndb_update_opts *o,
                     struct fetched *f, const char *dir, const struct hull_vulndb_feed_info *prev,
                     struct hull_err **err)
{
    const char *key = o->nvd_api_key ? o->nvd_api_key : getenv("NVD_API_KEY");
    if (key && !*key)
        key = NULL;
    long delay = o->nvd_delay_ms < 0 ? 0 : o->nvd_delay_ms ? o->nvd_delay_ms : key ? 600 : 6000;
    int64_t now = (int64_t)time(NULL);
    f->started = now;
    char range[160] = "";
    if (prev && prev->fetched_at > 0 && prev->fetched_at <= now &&
        now - prev->fetched_at <= NVD_MAX_RANGE) {
        char a[48], b[48];
        iso8601(a, sizeof(a), prev->fetched_at);
        iso8601(b, sizeof(b), now);
        snprintf(range, sizeof(range), "&lastModStartDate=%s&lastModEndDate=%s", a, b);
        f->incremental = true;
    } else if (prev && prev->fetched_at > 0) {
        hull_log(ctx, HULL_LOG_INFO, "%s: last fetched more than 120 days ago, downloading "
                 "everything", f->name);
    }
    char *hdr = NULL;
    if (key && (strpbrk(key, "\r\n") || asprintf(&hdr, "apiKey: %s", key) < 0))
        return hull_err_set(err, HULL_E_USAGE, "NVD_API_KEY: not a usable header value");
    int r = 0;
    int64_t start = 0, total = 0;
    for (size_t page = 0;; page++) {
        if (page >= NVD_MAX_PAGES) {
            r = hull_err_set(err, HULL_E_LIMIT, "%s: more than %d pages", f->url, NVD_MAX_PAGES);
            break;
        }
        if (page)
            sleep_ms(delay);
        struct fetched pg = { .name = f->name };
        if (asprintf(&pg.url, "%s%cresultsPerPage=%d&startIndex=%lld%s", f->url,
                     strchr(f->url, '?') ? '&' : '?', NVD_PAGE, (long long)start, range) < 0)
            pg.url = NULL;
        if (asprintf(&pg.path, "%s/%s.%zu", dir, f->name, page) < 0)
            pg.path = NULL;
        size_t n = 0;
        if (!pg.url || !pg.path)
            r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        else
            r = fetch(ctx, o, &pg, NULL, NULL, hdr, true, err);
        if (r == 0 && pg.not_modified)
            r = hull_err_set(err, HULL_E_NET, "%s: unexpected HTTP 304", pg.url);
        if (r == 0)
            r = nvd_check_page(pg.path, pg.url, start, &total, &n, err);
        free(pg.url);
        free(pg.path);
        free(pg.etag);
        free(pg.last_modified);
        if (r < 0)
            break;
        f->n_pages++;
        f->bytes += pg.bytes;
        start += (int64_t)n;
        if (start >= total)
            break;
    }
    if (r == 0 && !f->incremental && total == 0)
        r = hull_err_set(err, HULL_E_PARSE, "%s: totalResults 0 for a full download", f->url);
    if (hdr) {
        explicit_bzero(hdr, strlen(hdr));
        free(hdr);
    }
    return r;
}

/* Import the pages fetch_nvd left: a full download replaces the source "nvd", an incremental
 * one upserts into it. */
static int import_nvd(struct vdb_writer *w, const struct fetched *f, const char *dir,
                      struct hull_err **err)
{
    int r = vdb_source_begin(w, "nvd", "nvd", f->url, !f->incremental, err);
    for (size_t i = 0; i < f->n_pages && r == 0; i++) {
        char *p = NULL;
        if (asprintf(&p, "%s/%s.%zu", dir, f->name, i) < 0)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        json_error_t je;
        json_t *j = json_load_file(p, JSON_REJECT_DUPLICATES, &je);
        free(p);
        if (!j)
            return hull_err_set(err, HULL_E_PARSE, "%s page %zu: %s", f->url, i, je.text);
        r = vdb_import_nvd(w, f->url, j, err);
        json_decref(j);
        vdb_note_document(w);
    }
    if (r == 0)
        r = vdb_source_end(w, err);
    return r;
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
    for (size_t k = 0; feeds[k].name; k++) {
        /* no source: every feed, except an on-request one (nvd) until the database has it */
        bool want = o.n_sources == 0 && !feeds[k].on_request;
        for (size_t i = 0; i < st.n_feeds && !want && o.n_sources == 0; i++)
            want = !strcmp(st.feeds[i].name, feeds[k].name);
        /* a source name selects a feed exactly or as a prefix ("alpine" = every Alpine feed) */
        for (size_t i = 0; i < o.n_sources && !want; i++)
            want = !strncmp(feeds[k].name, o.sources[i], strlen(o.sources[i]));
        if (want)
            fs[nf++].name = feeds[k].name;
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
        const struct hull_vulndb_feed_info *prev = NULL;
        for (size_t k = 0; k < st.n_feeds; k++)
            if (!strcmp(st.feeds[k].name, f->name) && st.feeds[k].url &&
                !strcmp(st.feeds[k].url, f->url)) {
                prev = &st.feeds[k];
                oe = st.feeds[k].etag;
                olm = st.feeds[k].last_modified;
            }
        f->nvd = !strcmp(f->name, "nvd");
        if (f->nvd)
            r = fetch_nvd(ctx, &o, f, dir, prev, err);
        else
            r = fetch(ctx, &o, f, oe, olm, NULL, false, err);
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
        if (f->nvd) {
            r = import_nvd(w, f, dir, err);
            if (r < 0) {
                hull_err_wrap(err, "feed %s", f->name);
                break;
            }
        } else if (!f->not_modified) {
            const char *p = f->path;
            r = vdb_import_paths(w, &p, 1, 512u << 20, err);
            if (r < 0) {
                hull_err_wrap(err, "feed %s", f->name);
                break;
            }
        }
        /* NVD: when the download started, the lastModStartDate of the next update */
        r = vdb_put_feed(w, f->name, f->url, f->etag, f->last_modified, f->nvd ? f->started : now,
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
