/* Fuzz the version comparators and the npm range evaluator. Input: one byte picks the
 * ecosystem, the rest is "A\nB" (two versions) and, for npm, B also serves as a range for A.
 * Besides memory safety this checks the comparator laws: cmp(a, a) == 0, cmp(a, b) ==
 * -cmp(b, a), and validity agreeing with hull_version_cmp's success. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hull/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum hull_eco eco = (enum hull_eco)(data[0] % HULL_ECO__COUNT);
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(p, '\n', n);
    const char *a = p, *b = nl ? nl + 1 : p;
    size_t an = nl ? (size_t)(nl - p) : n, bn = nl ? n - an - 1 : n;
    int ab = 0, ba = 0, aa = 0;
    struct hull_err *err = NULL;
    int r1 = hull_version_cmp(eco, a, an, b, bn, &ab, &err);
    hull_err_free(err);
    err = NULL;
    int r2 = hull_version_cmp(eco, b, bn, a, an, &ba, &err);
    hull_err_free(err);
    err = NULL;
    bool va = hull_version_valid(eco, a, an), vb = hull_version_valid(eco, b, bn);
    if ((r1 == 0) != (va && vb) || (r2 == 0) != (va && vb))
        abort();
    if (r1 == 0 && ab != -ba)
        abort();
    if (va) {
        if (hull_version_cmp(eco, a, an, a, an, &aa, NULL) != 0 || aa != 0)
            abort();
    }
    if (eco == HULL_ECO_NPM) {
        char *sa = strndup(a, an), *sb = strndup(b, bn);
        if (sa && sb) {
            bool ok;
            hull_semver_satisfies(sa, sb, &ok, &err);
            hull_err_free(err);
        }
        free(sa);
        free(sb);
    }
    return 0;
}
