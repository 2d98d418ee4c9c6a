/* libFuzzer target: npm package.json manifests (lib/analyzer/npm.c).
 * The input is parsed as /app/node_modules/@s/pkg/package.json;
 * the inventory is finished (dedupe, purls, sort) and rendered as hull JSON and
 * CycloneDX, so a crash anywhere on that path is found. */
#include "fuzz-analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_analyze_render(&hull_analyzer_npm, "/app/node_modules/@s/pkg/package.json", data,
                               size);
}
