/* Error values: see include/hull/err.h and docs/design/errors.md. */
#include "core/common.h"

static const char *const names[HULL_E__COUNT] = {
    [HULL_E_OK] = "ok", [HULL_E_USAGE] = "usage", [HULL_E_PARSE] = "parse",
    [HULL_E_DIGEST] = "digest", [HULL_E_LIMIT] = "limit", [HULL_E_UNSAFE] = "unsafe",
    [HULL_E_NOTFOUND] = "notfound", [HULL_E_IO] = "io", [HULL_E_UNSUPPORTED] = "unsupported",
    [HULL_E_NET] = "net", [HULL_E_AUTH] = "auth", [HULL_E_DB] = "db", [HULL_E_NOMEM] = "nomem",
    [HULL_E_INTERNAL] = "internal",
};

const char *hull_errc_name(enum hull_errc code)
{
    return (unsigned)code < HULL_E__COUNT ? names[code] : "unknown";
}

/* Out-of-memory errors use a static object so they can always be reported. */
static struct hull_err oom = { HULL_E_NOMEM, ENOMEM, (char *)"out of memory" };

static int set_v(struct hull_err **err, enum hull_errc code, int sys, const char *fmt, va_list ap)
{
    if (!err || *err)
        return -(int)code;
    struct hull_err *e = calloc(1, sizeof(*e));
    char *msg = NULL;
    if (!e || vasprintf(&msg, fmt, ap) < 0) {
        free(e);
        *err = &oom;
        return -(int)code;
    }
    if (sys) {
        char *full = NULL;
        if (asprintf(&full, "%s: %s", msg, strerror(sys)) >= 0) {
            free(msg);
            msg = full;
        }
    }
    /* Messages are one line: fold control characters from hostile input. */
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    e->code = code;
    e->sys_errno = sys;
    e->msg = msg;
    *err = e;
    return -(int)code;
}

int hull_err_set(struct hull_err **err, enum hull_errc code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = set_v(err, code, 0, fmt, ap);
    va_end(ap);
    return r;
}

int hull_err_sys(struct hull_err **err, enum hull_errc code, int sys_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = set_v(err, code, sys_errno, fmt, ap);
    va_end(ap);
    return r;
}

int hull_err_wrap(struct hull_err **err, const char *fmt, ...)
{
    if (!err || !*err)
        return -HULL_E_INTERNAL;
    struct hull_err *e = *err;
    if (e == &oom)
        return -HULL_E_NOMEM;
    char *ctx = NULL, *full = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&ctx, fmt, ap);
    va_end(ap);
    if (n >= 0 && asprintf(&full, "%s: %s", ctx, e->msg) >= 0) {
        for (char *p = full; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = ' ';
        free(e->msg);
        e->msg = full;
    }
    free(ctx);
    return -(int)e->code;
}

void hull_err_free(struct hull_err *e)
{
    if (!e || e == &oom)
        return;
    free(e->msg);
    free(e);
}

void hull_err_clear(struct hull_err **err)
{
    if (err) {
        hull_err_free(*err);
        *err = NULL;
    }
}
