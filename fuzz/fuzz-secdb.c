/* libFuzzer target: Alpine secdb documents into an in-memory database. Any input must either import or fail
 * with an error value: no crash, no leak, no sanitizer report. */
#include "core/common.h"
#include "vulndb/vdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_vulndb_report rep = { 0 };
    struct hull_err *err = NULL;
    struct vdb_writer *w = vdb_writer_begin(NULL, NULL, NULL, &rep, &err);
    if (w) {
        vdb_import_secdb(w, "fuzz", (const char *)data, size, &err);
        vdb_writer_abort(w);
    }
    hull_err_free(err);
    hull_vulndb_report_free(&rep);
    return 0;
}
