/* libFuzzer target: rpm header blobs as stored in the rpmdb (lib/analyzer/rpmhdr.c).
 * Every offset, count and string of the input is attacker-controlled. */
#include "core/common.h"
#include "analyzer/rpmhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_rpmhdr h;
    struct hull_err *err = NULL;
    if (hull_rpmhdr_parse(data, size, &h, &err) == 0)
        hull_rpmhdr_release(&h);
    hull_err_clear(&err);
    return 0;
}
