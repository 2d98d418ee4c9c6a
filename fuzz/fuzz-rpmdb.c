/* libFuzzer target: rpm SQLite databases and their write-ahead logs (lib/analyzer/rpmdb.c).
 * The first 4 input bytes (little endian) give the database's share of the rest; the
 * remainder is delivered as rpmdb.sqlite-wal, then the finish hook reads the database. */
#include "fuzz-analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t rest = size - 4;
    size_t n = ((size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
                (size_t)data[3] << 24) % (rest + 1);
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_inventory *inv = hull_inventory_new(&ctx);
    struct hull_err *err = NULL;
    if (!inv)
        return 0;
    struct hull_input db = { .path = "/var/lib/rpm/rpmdb.sqlite", .data = data + 4, .len = n,
                             .diff_id = "" };
    struct hull_input wal = { .path = "/var/lib/rpm/rpmdb.sqlite-wal", .data = data + 4 + n,
                              .len = rest - n, .diff_id = "" };
    hull_analyzers_run(&db, inv, &err);
    hull_err_clear(&err);
    hull_analyzers_run(&wal, inv, &err);
    hull_err_clear(&err);
    hull_analyzers_finish(inv, &err);
    hull_err_clear(&err);
    fuzz_inventory_done(inv, false);
    return 0;
}
