/* libFuzzer target: NVD API 2.0 responses (CVSS enrichment) imported into an in-memory
 * database. Any input must either import or fail with an error value: no crash, no leak, no
 * sanitizer report. */
#include "core/common.h"
#include "vulndb/vdb.h"

/* One in-memory database serves many inputs (creating one costs milliseconds); it is rebuilt
 * every 1000 inputs so the rows stay few. */
static struct vdb_writer *w;
static unsigned uses;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    if (w && ++uses % 1000 == 0) {
        vdb_writer_abort(w);
        w = NULL;
    }
    if (!w)
        w = vdb_writer_begin(NULL, NULL, NULL, NULL, &err);
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (w && j)
        vdb_import_nvd(w, "fuzz", j, &err);
    json_decref(j);
    hull_err_free(err);
    return 0;
}
