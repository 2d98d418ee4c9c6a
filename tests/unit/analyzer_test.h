/* Shared helpers of the analyzer unit tests (tests/unit/t-analyzer-*.c). */
#ifndef HULL_TESTS_ANALYZER_TEST_H
#define HULL_TESTS_ANALYZER_TEST_H
#include "core/common.h"
#include "analyzer/analyzer.h"

/* True when one of inv's warnings contains needle. */
static inline bool warned(const struct hull_inventory *inv, const char *needle)
{
    for (size_t i = 0; i < hull_inventory_warning_count(inv); i++)
        if (strstr(hull_inventory_warning(inv, i), needle))
            return true;
    return false;
}
#endif
