/* hull error values: one convention for the whole library (docs/design/errors.md).
 *
 * A fallible function returns int (0 ok, <0 failure) or a pointer (NULL on failure) and
 * takes `struct hull_err **err` last. On failure it sets *err (which must be NULL on entry)
 * through hull_err_set(), which returns -code. Callers add context with hull_err_wrap(), so
 * messages read outermost first: "layer sha256:ab..: gzip: invalid block type".
 * On success *err is untouched. `err` itself may be NULL to discard the error. */
#ifndef HULL_ERR_H
#define HULL_ERR_H
#ifdef __cplusplus
extern "C" {
#endif

enum hull_errc {
    HULL_E_OK = 0,
    HULL_E_USAGE,       /* bad arguments from the caller (CLI exit 2) */
    HULL_E_PARSE,       /* malformed input bytes (exit 3) */
    HULL_E_DIGEST,      /* digest / checksum mismatch: tampered or corrupt (exit 3) */
    HULL_E_LIMIT,       /* a size, count or depth cap was exceeded (exit 3) */
    HULL_E_UNSAFE,      /* path escapes the root, link loop, ... (exit 3) */
    HULL_E_NOTFOUND,    /* a named file, blob, image or ref does not exist (exit 6) */
    HULL_E_IO,          /* the operating system refused (exit 6) */
    HULL_E_UNSUPPORTED, /* well-formed but not supported (exit 7) */
    HULL_E_NET,         /* network / registry transport (exit 4) */
    HULL_E_AUTH,        /* registry authentication (exit 4) */
    HULL_E_DB,          /* vulnerability database (exit 5) */
    HULL_E_NOMEM,       /* out of memory (exit 8) */
    HULL_E_INTERNAL,    /* a bug in hull (exit 8) */
    HULL_E__COUNT
};

struct hull_err {
    enum hull_errc code;
    int sys_errno; /* errno when the OS was involved, else 0 */
    char *msg;     /* one line, never NULL once set */
};

/* Set *err (if err != NULL and *err == NULL; a second set keeps the first error).
 * Returns -code so callers can `return hull_err_set(...)`. */
int hull_err_set(struct hull_err **err, enum hull_errc code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like hull_err_set, appending ": strerror(sys_errno)". */
int hull_err_sys(struct hull_err **err, enum hull_errc code, int sys_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix context to an existing error ("ctx: old message"); returns -code of the error
 * (or -HULL_E_INTERNAL if no error was set). */
int hull_err_wrap(struct hull_err **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free an error; NULL is a no-op. */
void hull_err_free(struct hull_err *e);
/* Free *err and set it to NULL. */
void hull_err_clear(struct hull_err **err);
/* Short stable name of a code ("parse", "digest", ...). */
const char *hull_errc_name(enum hull_errc code);

#ifdef __cplusplus
}
#endif
#endif
