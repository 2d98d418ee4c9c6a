/* libFuzzer target: image manifest parser (Docker schema2 / OCI), plus the docker-archive
 * manifest.json parser and its REF selection, from bytes. */
#include "core/common.h"
#include "source/ocijson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hull_err *err = NULL;
    struct hull_manifest m;
    if (hull_manifest_parse(data, size, 1u << 20, 1000, &m, &err) == 0) {
        for (size_t i = 0; i < m.n_layers; i++) {
            enum hull_layer_kind k;
            if (hull_layer_media_type(m.layers[i].media_type, &k, &err) < 0)
                hull_err_clear(&err);
        }
        hull_manifest_release(&m);
    }
    hull_err_clear(&err);
    (void)hull_manifest_kind(data, size, 1u << 20, &err);
    hull_err_clear(&err);
    struct hull_docker_manifest dm;
    if (hull_docker_manifest_parse(data, size, 1u << 20, 1000, &dm, &err) == 0) {
        size_t w;
        if (hull_docker_manifest_select(&dm, "app:1.0", &w, &err) < 0)
            hull_err_clear(&err);
        if (hull_docker_manifest_select(&dm, NULL, &w, &err) < 0)
            hull_err_clear(&err);
        hull_docker_manifest_release(&dm);
    }
    hull_err_clear(&err);
    return 0;
}
