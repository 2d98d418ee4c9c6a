/* libFuzzer target: NVD API 2.0 responses (CVSS enrichment) imported into an in-memory
 * database. Any input must either import or fail with an error value: no crash, no leak, no
 * sanitizer report. */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct vdb_writer *w = fuzz_writer(&err);
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (w && j)
        vdb_import_nvd(w, "fuzz", j, &err);
    json_decref(j);
    hull_err_free(err);
    return 0;
}
