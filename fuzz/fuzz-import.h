/* Shared pieces of the feed-import fuzz targets (fuzz/fuzz-{cvsscsv,debtracker,dsalist,kev,
 * nodewg,nvd,osv,oval,secdb}.c). A header, not a .c: every fuzz/fuzz-*.c is its own target. */
#ifndef HULL_FUZZ_IMPORT_H
#define HULL_FUZZ_IMPORT_H
#include "core/common.h"
#include "vulndb/vdb.h"

/* One in-memory database serves many inputs (creating one costs milliseconds); it is rebuilt
 * every 1000 inputs so the (upserted) rows stay few. Returns NULL, with *err set, when it
 * could not be created. */
static inline struct vdb_writer *fuzz_writer_mode(bool strict, struct hull_err **err)
{
    static struct vdb_writer *ws[2];
    static unsigned uses[2];
    struct vdb_writer **w = &ws[strict];
    if (*w && ++uses[strict] % 1000 == 0) {
        vdb_writer_abort(*w);
        *w = NULL;
    }
    if (!*w) {
        struct hull_vulndb_import_opts o = { .strict = strict };
        *w = vdb_writer_begin(NULL, NULL, &o, NULL, err);
    }
    return *w;
}

static inline struct vdb_writer *fuzz_writer(struct hull_err **err)
{
    return fuzz_writer_mode(false, err);
}

/* An importer of one feed document held in memory (vdb_import_osv and its like). */
typedef int (*fuzz_import_fn)(struct vdb_writer *w, const char *origin, const char *buf,
                              size_t len, struct hull_err **err);

/* Imports data[0..size) with import into the shared database; any input must either import
 * or fail with an error value. Always returns 0 (the libFuzzer convention). */
static inline int fuzz_import(fuzz_import_fn import, const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct vdb_writer *w = fuzz_writer(&err);
    if (w)
        import(w, "fuzz", (const char *)data, size, &err);
    hull_err_free(err);
    return 0;
}

/* The same with --strict's validation (every bad record is an error value). */
static inline int fuzz_import_strict(fuzz_import_fn import, const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct vdb_writer *w = fuzz_writer_mode(true, &err);
    if (w)
        import(w, "fuzz", (const char *)data, size, &err);
    hull_err_free(err);
    return 0;
}
#endif
