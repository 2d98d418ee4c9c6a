/* libFuzzer target: Debian DSA/DLA raw lists imported into an in-memory database.
 * Any input must either import or fail with an error value: no crash, no leak, no sanitizer
 * report. */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import(vdb_import_debian_dsa, data, size);
}
