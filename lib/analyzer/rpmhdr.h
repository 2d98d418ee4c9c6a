/* rpm package headers as stored in the rpmdb (rpm's headerExport blob, without the
 * 8-byte magic of a header in a .rpm file). */
#ifndef HULL_ANALYZER_RPMHDR_H
#define HULL_ANALYZER_RPMHDR_H
#include "core/common.h"

struct hull_rpmhdr {
    char *name, *version, *release, *arch, *sourcerpm, *license;
    bool has_epoch;
    uint32_t epoch;
    char **files; /* absolute paths (dirname + basename), n_files of them */
    size_t n_files;
};

/* Decode the tags hull needs from one header blob p[0..len). On success *h holds heap
 * strings (release with hull_rpmhdr_release). Errors: HULL_E_PARSE for any structural
 * problem (counts, offsets or strings outside the data store, wrong tag types), with the
 * reason; HULL_E_NOMEM. */
int hull_rpmhdr_parse(const uint8_t *p, size_t len, struct hull_rpmhdr *h, struct hull_err **err);
void hull_rpmhdr_release(struct hull_rpmhdr *h);
#endif
