/* libFuzzer target: dpkg status stanzas (lib/analyzer/dpkg.c).
 * The input is parsed as /var/lib/dpkg/status;
 * the inventory is finished (dedupe, purls, sort) and rendered as hull JSON and
 * CycloneDX, so a crash anywhere on that path is found. */
#include "fuzz-analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_analyze_render(&hull_analyzer_dpkg, "/var/lib/dpkg/status", data, size);
}
