/* libFuzzer target: OSV records (single record or array) imported into an in-memory database.
 * Any input must either import or fail with an error value: no crash, no leak, no sanitizer
 * report. */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the default import, then the strict one (which also checks every version's syntax) */
    fuzz_import(vdb_import_osv, data, size);
    return fuzz_import_strict(vdb_import_osv, data, size);
}
