/* libFuzzer target: the pin scanner (lib/pin/pinscan.c) over Dockerfile and YAML bytes.
 * Every span it returns must lie inside the input and splicing must succeed. */
#include "core/common.h"
#include "hull/pin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    for (int f = HULL_PIN_DOCKERFILE; f <= HULL_PIN_YAML; f++) {
        struct hull_pin_scan sc;
        struct hull_err *err = NULL;
        if (hull_pin_scan(NULL, p, size, (enum hull_pin_format)f, &sc, &err) < 0) {
            hull_err_clear(&err);
            continue;
        }
        struct hull_pin_edit *e = calloc(sc.n + 1, sizeof(*e));
        size_t ne = 0, last = 0;
        for (size_t i = 0; i < sc.n; i++) {
            if (sc.items[i].off + sc.items[i].len > size)
                __builtin_trap();
            if (sc.items[i].state == HULL_PIN_CANDIDATE && e && sc.items[i].off >= last) {
                e[ne].off = sc.items[i].off;
                e[ne].len = sc.items[i].len;
                e[ne++].text = "x@sha256:0";
                last = sc.items[i].off + sc.items[i].len;
            }
        }
        char *out = NULL;
        size_t olen = 0;
        if (e && hull_pin_apply(p, size, e, ne, &out, &olen, &err) < 0)
            __builtin_trap();
        free(out);
        free(e);
        hull_pin_scan_release(&sc);
    }
    return 0;
}
