/* rpm header decoding (rpm's lib/header.c format, as documented in rpm's
 * docs/manual/format_header.md). A stored header is:
 *   be32 il (index entries), be32 dl (data bytes),
 *   il x { be32 tag, be32 type, be32 offset, be32 count },
 *   dl bytes of data store.
 * Every offset and count is checked against the data store before use; strings must end
 * with NUL inside it. Only the tags below are read; the region tags and all others are
 * skipped, so unknown or new tags never matter. */
#include "core/common.h"
#include "analyzer/rpmhdr.h"

enum {
    T_CHAR = 1, T_INT8, T_INT16, T_INT32, T_INT64, T_STRING, T_BIN, T_STRING_ARRAY,
    T_I18NSTRING
};
enum {
    TAG_NAME = 1000, TAG_VERSION = 1001, TAG_RELEASE = 1002, TAG_EPOCH = 1003,
    TAG_LICENSE = 1014, TAG_ARCH = 1022, TAG_OLDFILENAMES = 1027, TAG_SOURCERPM = 1044,
    TAG_DIRINDEXES = 1116, TAG_BASENAMES = 1117, TAG_DIRNAMES = 1118,
};

#define MAX_IL 0xffffu          /* rpm's own hdrchkTags limit */
#define MAX_DL (256u << 20)     /* rpm's hdrchkData limit */
#define MAX_FILES (1u << 20)

struct ent {
    uint32_t tag, type, off, count;
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct hdr {
    const uint8_t *idx, *data;
    uint32_t il, dl;
};

static const struct ent *find(const struct hdr *h, uint32_t tag, struct ent *e)
{
    for (uint32_t i = 0; i < h->il; i++) {
        const uint8_t *q = h->idx + 16u * i;
        if (be32(q) == tag) {
            *e = (struct ent){ tag, be32(q + 4), be32(q + 8), be32(q + 12) };
            return e;
        }
    }
    return NULL;
}

/* Walk count NUL-terminated strings at e->off; fills v (may be NULL to only check). */
static int strings(const struct hdr *h, const struct ent *e, const char **v, struct hull_err **err)
{
    if (e->type != T_STRING && e->type != T_STRING_ARRAY && e->type != T_I18NSTRING)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: tag %u has type %u, not a string",
                            e->tag, e->type);
    if (!e->count || e->count > h->dl || (e->type == T_STRING && e->count != 1))
        return hull_err_set(err, HULL_E_PARSE, "rpm header: tag %u has a bad count %u", e->tag,
                            e->count);
    uint32_t off = e->off;
    for (uint32_t i = 0; i < e->count; i++) {
        if (off >= h->dl)
            return hull_err_set(err, HULL_E_PARSE, "rpm header: tag %u points outside the data",
                                e->tag);
        const uint8_t *s = h->data + off;
        const uint8_t *z = memchr(s, 0, h->dl - off);
        if (!z)
            return hull_err_set(err, HULL_E_PARSE, "rpm header: tag %u string is not terminated",
                                e->tag);
        if (v)
            v[i] = (const char *)s;
        off = (uint32_t)(z - h->data) + 1;
    }
    return 0;
}

/* One string tag as a new heap string; *out NULL when the tag is absent. */
static int get_str(const struct hdr *h, uint32_t tag, char **out, struct hull_err **err)
{
    struct ent e;
    const char *v[1];
    *out = NULL;
    if (!find(h, tag, &e))
        return 0;
    struct ent one = e;
    if (e.type == T_I18NSTRING || e.type == T_STRING_ARRAY)
        one.count = 1; /* the first (default locale) string */
    if (strings(h, &one, v, err) < 0)
        return -1;
    if (!(*out = strdup(v[0])))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    return 0;
}

static int files_of(const struct hdr *h, struct hull_rpmhdr *r, struct hull_err **err)
{
    struct ent eb, ed, ei;
    if (!find(h, TAG_BASENAMES, &eb))
        return 0; /* no files (meta packages), or only the legacy OLDFILENAMES: not listed */
    if (!find(h, TAG_DIRNAMES, &ed) || !find(h, TAG_DIRINDEXES, &ei))
        return hull_err_set(err, HULL_E_PARSE, "rpm header: BASENAMES without DIRNAMES");
    if (eb.count > MAX_FILES || ed.count > MAX_FILES)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: more than %u files", MAX_FILES);
    if (ei.type != T_INT32 || ei.count != eb.count || ei.off % 4 ||
        ei.off > h->dl || (uint64_t)ei.count * 4 > h->dl - ei.off)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: bad DIRINDEXES");
    const char **base = calloc(eb.count, sizeof(char *));
    const char **dirs = calloc(ed.count ? ed.count : 1, sizeof(char *));
    int rc = 0;
    if (!base || !dirs) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    if (strings(h, &eb, base, err) < 0 || strings(h, &ed, dirs, err) < 0) {
        rc = -1;
        goto out;
    }
    r->files = calloc(eb.count, sizeof(char *));
    if (!r->files) {
        rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < eb.count; i++) {
        uint32_t di = be32(h->data + ei.off + 4u * i);
        if (di >= ed.count) {
            rc = hull_err_set(err, HULL_E_PARSE, "rpm header: directory index out of range");
            goto out;
        }
        if (asprintf(&r->files[i], "%s%s", dirs[di], base[i]) < 0) {
            r->files[i] = NULL;
            rc = hull_err_set(err, HULL_E_NOMEM, "out of memory");
            goto out;
        }
        r->n_files = i + 1;
    }
out:
    free(base);
    free(dirs);
    return rc;
}

int hull_rpmhdr_parse(const uint8_t *p, size_t len, struct hull_rpmhdr *r, struct hull_err **err)
{
    memset(r, 0, sizeof(*r));
    if (len < 8)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: %zu bytes is too short", len);
    struct hdr h = { .il = be32(p), .dl = be32(p + 4) };
    if (h.il < 1 || h.il > MAX_IL || h.dl > MAX_DL)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: bad sizes (il %u, dl %u)", h.il,
                            h.dl);
    if (8 + (uint64_t)h.il * 16 + h.dl > len)
        return hull_err_set(err, HULL_E_PARSE, "rpm header: truncated (%zu bytes, needs %llu)",
                            len, (unsigned long long)(8 + (uint64_t)h.il * 16 + h.dl));
    h.idx = p + 8;
    h.data = h.idx + 16u * h.il;
    if (get_str(&h, TAG_NAME, &r->name, err) < 0 ||
        get_str(&h, TAG_VERSION, &r->version, err) < 0 ||
        get_str(&h, TAG_RELEASE, &r->release, err) < 0 ||
        get_str(&h, TAG_ARCH, &r->arch, err) < 0 ||
        get_str(&h, TAG_SOURCERPM, &r->sourcerpm, err) < 0 ||
        get_str(&h, TAG_LICENSE, &r->license, err) < 0)
        goto fail;
    if (!r->name || !r->version) {
        hull_err_set(err, HULL_E_PARSE, "rpm header: no NAME or VERSION tag");
        goto fail;
    }
    struct ent e;
    if (find(&h, TAG_EPOCH, &e)) {
        if (e.type != T_INT32 || e.count != 1 || e.off % 4 || e.off > h.dl || h.dl - e.off < 4) {
            hull_err_set(err, HULL_E_PARSE, "rpm header: bad EPOCH tag");
            goto fail;
        }
        r->has_epoch = true;
        r->epoch = be32(h.data + e.off);
    }
    if (files_of(&h, r, err) < 0)
        goto fail;
    return 0;
fail:
    hull_rpmhdr_release(r);
    return -1;
}

void hull_rpmhdr_release(struct hull_rpmhdr *r)
{
    free(r->name);
    free(r->version);
    free(r->release);
    free(r->arch);
    free(r->sourcerpm);
    free(r->license);
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    memset(r, 0, sizeof(*r));
}
