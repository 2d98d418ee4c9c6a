/* libFuzzer target: the decompression filter (gzip members, zero padding, zstd frames,
 * identity) read to the end in odd-sized pieces, with an output cap. */
#include "core/common.h"
#include "stream/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_istream *s = hull_stream_mem(data, size, &err);
    if (s)
        s = hull_stream_decode(s, 64u << 20, NULL, &err);
    if (s) {
        static uint8_t buf[70000];
        size_t chunk = 1 + size % 65536;
        while (hull_istream_read(s, buf, chunk, &err) > 0)
            chunk = chunk * 3 % 69997 + 1;
        hull_istream_close(s);
    }
    hull_err_clear(&err);
    return 0;
}
