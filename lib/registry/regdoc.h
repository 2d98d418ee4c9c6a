/* Registry documents: which kind of manifest a reply is (internal to lib/registry). */
#ifndef HULL_REGISTRY_REGDOC_H
#define HULL_REGISTRY_REGDOC_H
#include "core/common.h"

#define HULL_RMT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define HULL_RMT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define HULL_RMT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define HULL_RMT_DOCKER_V2 "application/vnd.docker.distribution.manifest.v2+json"
#define HULL_RMT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1+json"
#define HULL_RMT_DOCKER_V1S "application/vnd.docker.distribution.manifest.v1+prettyjws"

/* The Accept header value listing every manifest type (schema1 last, to refuse it clearly). */
extern const char hull_registry_accept[];

/* Classify body (JSON) given the reply's Content-Type (may be NULL): *media_type gets one of
 * the four supported types (static string), *is_index whether it is an index/list.
 * Errors: HULL_E_UNSUPPORTED for schema1 and unknown types, HULL_E_PARSE for bad JSON,
 * HULL_E_LIMIT past max. */
int hull_regdoc_classify(const char *body, size_t len, const char *content_type, size_t max,
                         const char **media_type, bool *is_index, struct hull_err **err);
#endif
