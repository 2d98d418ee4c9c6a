/* libFuzzer target: image config parser (env, cmd, labels, ports, diff_ids, history). */
#include "core/common.h"
#include "core/digest.h"
#include "source/ocijson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_config c;
    if (hull_config_parse(data, size, 1u << 20, &c, &err) == 0) {
        size_t n = 0;
        for (const char **p = c.env; *p; p++)
            n += strlen(*p);
        for (size_t i = 0; c.label_keys[i]; i++)
            n += strlen(c.label_keys[i]) + strlen(c.label_values[i]);
        for (size_t i = 0; i < c.n_diff_ids; i++)
            if (!hull_digest_valid(c.diff_ids[i]))
                __builtin_trap();
        (void)n;
        hull_config_release(&c);
    }
    hull_err_clear(&err);
    return 0;
}
