/* sha256-verifying pass-through filter: hashes and counts every byte and turns the final
 * read into HULL_E_DIGEST / HULL_E_PARSE when the content is not what the descriptor said,
 * so a consumer never sees a clean EOF on tampered data. Also enforces byte caps. */
#include "core/common.h"
#include "stream/stream.h"

struct verify {
    struct hull_istream base;
    struct hull_istream *in;
    struct hull_sha256 *h;
    struct hull_verify_opts o;
    char *expect, *what, *wrap;
    uint64_t n;
    int failed; /* sticky error code, 0 while healthy */
    bool done;
};

static ssize_t fail(struct verify *v, int rc, struct hull_err **err)
{
    if (v->wrap && err && *err)
        hull_err_wrap(err, "%s", v->wrap);
    v->failed = -rc;
    return rc;
}

static ssize_t finish(struct verify *v, struct hull_err **err)
{
    char got[HULL_DIGEST_STRLEN + 1];
    hull_sha256_final(v->h, got);
    const char *w = v->what ? v->what : "";
    const char *sep = v->what ? ": " : "";
    if (v->o.expect_size >= 0 && v->n != (uint64_t)v->o.expect_size)
        return fail(v, hull_err_set(err, HULL_E_PARSE,
                                    "%s%ssize mismatch (want %lld bytes, got %llu)", w, sep,
                                    (long long)v->o.expect_size, (unsigned long long)v->n),
                    err);
    if (v->expect && strcmp(v->expect, got) != 0)
        return fail(v, hull_err_set(err, HULL_E_DIGEST, "%s%sdigest mismatch (got %s)", w, sep,
                                    got), err);
    v->done = true;
    if (v->o.size_out)
        *v->o.size_out = (int64_t)v->n;
    if (v->o.digest_out)
        memcpy(v->o.digest_out, got, sizeof(got));
    if (v->o.on_eof)
        v->o.on_eof(v->o.ud);
    return 0;
}

static ssize_t verify_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct verify *v = (struct verify *)s;
    if (v->failed)
        return hull_err_set(err, (enum hull_errc)v->failed, "%s%sread after an error",
                            v->wrap ? v->wrap : "", v->wrap ? ": " : "");
    if (v->done)
        return 0;
    ssize_t got = hull_istream_read(v->in, buf, n, err);
    if (got < 0)
        return fail(v, (int)got, err);
    if (got == 0)
        return finish(v, err);
    v->n += (uint64_t)got;
    const char *w = v->what ? v->what : "";
    const char *sep = v->what ? ": " : "";
    if (v->o.max_bytes && v->n > v->o.max_bytes)
        return fail(v, hull_err_set(err, HULL_E_LIMIT, "%s%smore than the %llu-byte limit", w, sep,
                                    (unsigned long long)v->o.max_bytes), err);
    if (v->o.expect_size >= 0 && v->n > (uint64_t)v->o.expect_size)
        return fail(v, hull_err_set(err, HULL_E_PARSE,
                                    "%s%slonger than its descriptor's %lld bytes", w, sep,
                                    (long long)v->o.expect_size), err);
    if (v->o.total) {
        *v->o.total += (uint64_t)got;
        if (v->o.total_max && *v->o.total > v->o.total_max)
            return fail(v, hull_err_set(err, HULL_E_LIMIT,
                                        "%s%simage exceeds the %llu-byte uncompressed limit", w,
                                        sep, (unsigned long long)v->o.total_max), err);
    }
    hull_sha256_update(v->h, buf, (size_t)got);
    return got;
}

static void verify_close(struct hull_istream *s)
{
    struct verify *v = (struct verify *)s;
    hull_istream_close(v->in);
    hull_sha256_free(v->h);
    free(v->expect);
    free(v->what);
    free(v->wrap);
    free(v);
}

static const struct hull_istream_ops verify_ops = { verify_read, verify_close };

static bool dup_opt(const char *s, char **out)
{
    *out = NULL;
    return !s || (*out = strdup(s)) != NULL;
}

struct hull_istream *hull_stream_verify(struct hull_istream *in, const struct hull_verify_opts *o,
                                        struct hull_err **err)
{
    struct verify *v = calloc(1, sizeof(*v));
    if (!v)
        goto nomem;
    v->o = *o;
    if (!dup_opt(o->expect, &v->expect) || !dup_opt(o->what, &v->what) ||
        !dup_opt(o->wrap, &v->wrap) || !(v->h = hull_sha256_new()))
        goto nomem;
    v->o.expect = v->expect;
    v->o.what = v->what;
    v->o.wrap = v->wrap;
    v->base.ops = &verify_ops;
    v->in = in;
    return &v->base;
nomem:
    if (v) {
        free(v->expect);
        free(v->what);
        free(v->wrap);
        hull_sha256_free(v->h);
        free(v);
    }
    hull_istream_close(in);
    hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return NULL;
}
