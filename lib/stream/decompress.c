/* Decompression filter chosen by magic bytes: gzip (RFC 1952, every member of a multi-member
 * file, via ISA-L's isal_inflate with CRC checking, or zlib's inflate when HAVE_ISAL is not
 * defined), zstd (every frame, ZSTD_decompressStream) or identity. The media type of a layer
 * is only a hint: docker-archives store plain tars under gzip-ish names, so the bytes decide.
 * Input is read in HULL_STREAM_CHUNK pieces; output goes straight into the caller's buffer. */
#include "core/common.h"
#include <zstd.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif
#include "stream/stream.h"

struct decode {
    struct hull_istream base;
    struct hull_istream *in;
    uint8_t *ib;
    size_t ipos, ilen;
    bool in_eof, started;
    enum hull_compression comp, *detected;
    uint64_t out, max_out;
    int failed;
    /* gzip */
    bool member_done, padding;
#ifdef HAVE_ISAL
    struct inflate_state *isal;
#else
    z_stream z;
    bool z_init;
#endif
    /* zstd */
    ZSTD_DStream *zs;
    size_t zlast;
};

enum hull_compression hull_compression_sniff(const void *p, size_t len)
{
    const uint8_t *b = p;
    if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return HULL_COMP_GZIP;
    if (len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
        return HULL_COMP_ZSTD;
    return HULL_COMP_NONE;
}

const char *hull_compression_name(enum hull_compression c)
{
    return c == HULL_COMP_GZIP ? "gzip" : c == HULL_COMP_ZSTD ? "zstd" : "none";
}

/* Refill the input buffer when it is empty; 0 ok (check in_eof), <0 error. */
static int fill(struct decode *d, struct hull_err **err)
{
    if (d->ipos < d->ilen || d->in_eof)
        return 0;
    ssize_t got = hull_istream_read(d->in, d->ib, HULL_STREAM_CHUNK, err);
    if (got < 0)
        return (int)got;
    d->ipos = 0;
    d->ilen = (size_t)got;
    if (got == 0)
        d->in_eof = true;
    return 0;
}

static int start(struct decode *d, struct hull_err **err)
{
    /* Gather at least 4 bytes (or all there is) to look at the magic. */
    while (d->ilen < 4 && !d->in_eof) {
        ssize_t got = hull_istream_read(d->in, d->ib + d->ilen, HULL_STREAM_CHUNK - d->ilen, err);
        if (got < 0)
            return (int)got;
        if (got == 0)
            d->in_eof = true;
        d->ilen += (size_t)got;
    }
    d->comp = hull_compression_sniff(d->ib, d->ilen);
    if (d->detected)
        *d->detected = d->comp;
    if (d->comp == HULL_COMP_GZIP) {
#ifdef HAVE_ISAL
        d->isal = malloc(sizeof(*d->isal));
        if (!d->isal)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        isal_inflate_init(d->isal);
        d->isal->crc_flag = ISAL_GZIP;
#else
        if (inflateInit2(&d->z, 16 + MAX_WBITS) != Z_OK)
            return hull_err_set(err, HULL_E_NOMEM, "gzip: cannot initialise zlib");
        d->z_init = true;
#endif
    } else if (d->comp == HULL_COMP_ZSTD) {
        d->zs = ZSTD_createDStream();
        if (!d->zs || ZSTD_isError(ZSTD_initDStream(d->zs)))
            return hull_err_set(err, HULL_E_NOMEM, "zstd: cannot create a decoder");
        d->zlast = 1;
    }
    d->started = true;
    return 0;
}

/* After a gzip member: another member, zero padding, or the end. 1: next member, 0: end. */
static int next_member(struct decode *d, struct hull_err **err)
{
    for (;;) {
        int rc = fill(d, err);
        if (rc < 0)
            return rc;
        if (d->ipos == d->ilen)
            return 0;
        uint8_t c = d->ib[d->ipos];
        if (c == 0) {
            d->padding = true;
            d->ipos++;
            continue;
        }
        if (c == 0x1f && !d->padding) {
#ifdef HAVE_ISAL
            isal_inflate_reset(d->isal);
            d->isal->crc_flag = ISAL_GZIP;
#else
            inflateReset(&d->z);
#endif
            d->member_done = false;
            return 1;
        }
        return hull_err_set(err, HULL_E_PARSE, "gzip: trailing garbage after the last member");
    }
}

static ssize_t gzip_read(struct decode *d, uint8_t *buf, size_t n, struct hull_err **err)
{
    for (;;) {
        if (d->member_done) {
            int rc = next_member(d, err);
            if (rc <= 0)
                return rc;
        }
        size_t avail = d->ilen - d->ipos, produced;
#ifdef HAVE_ISAL
        struct inflate_state *st = d->isal;
        st->next_in = d->ib + d->ipos;
        st->avail_in = (uint32_t)avail;
        st->next_out = buf;
        st->avail_out = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        uint32_t out_before = st->avail_out;
        int ret = isal_inflate(st);
        d->ipos += avail - st->avail_in;
        produced = out_before - st->avail_out;
        if (ret < 0)
            return hull_err_set(err, HULL_E_PARSE, "gzip: %s",
                                ret == ISAL_INCORRECT_CHECKSUM ? "CRC mismatch"
                                : ret == ISAL_INVALID_BLOCK    ? "invalid block"
                                : ret == ISAL_INVALID_SYMBOL   ? "invalid symbol"
                                : ret == ISAL_INVALID_LOOKBACK ? "invalid distance"
                                : ret == ISAL_UNSUPPORTED_METHOD ? "unsupported method"
                                                                 : "corrupt data");
        if (st->block_state == ISAL_BLOCK_FINISH)
            d->member_done = true;
#else
        d->z.next_in = d->ib + d->ipos;
        d->z.avail_in = (uInt)avail;
        d->z.next_out = buf;
        d->z.avail_out = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
        uInt out_before = d->z.avail_out;
        int ret = inflate(&d->z, Z_NO_FLUSH);
        d->ipos += avail - d->z.avail_in;
        produced = out_before - d->z.avail_out;
        if (ret == Z_STREAM_END)
            d->member_done = true;
        else if (ret != Z_OK && ret != Z_BUF_ERROR)
            return hull_err_set(err, HULL_E_PARSE, "gzip: %s",
                                d->z.msg ? d->z.msg : "corrupt data");
#endif
        if (produced > 0)
            return (ssize_t)produced;
        if (d->member_done)
            continue;
        if (d->ipos == d->ilen) {
            if (d->in_eof)
                return hull_err_set(err, HULL_E_PARSE, "gzip: unexpected end of data (truncated)");
            int rc = fill(d, err);
            if (rc < 0)
                return rc;
        }
    }
}

static ssize_t zstd_read(struct decode *d, uint8_t *buf, size_t n, struct hull_err **err)
{
    for (;;) {
        ZSTD_inBuffer zin = { d->ib + d->ipos, d->ilen - d->ipos, 0 };
        ZSTD_outBuffer zout = { buf, n, 0 };
        size_t r = ZSTD_decompressStream(d->zs, &zout, &zin);
        d->ipos += zin.pos;
        if (ZSTD_isError(r))
            return hull_err_set(err, HULL_E_PARSE, "zstd: %s", ZSTD_getErrorName(r));
        /* After a complete frame, a call without input returns the next frame's header size
         * hint: only calls that did something say where we are. */
        if (zin.pos > 0 || zout.pos > 0)
            d->zlast = r;
        if (zout.pos > 0)
            return (ssize_t)zout.pos;
        if (d->ipos == d->ilen) {
            if (d->in_eof) {
                if (d->zlast != 0)
                    return hull_err_set(err, HULL_E_PARSE,
                                        "zstd: unexpected end of data (truncated)");
                return 0;
            }
            int rc = fill(d, err);
            if (rc < 0)
                return rc;
            if (d->in_eof && d->zlast == 0)
                return 0;
        }
    }
}

static ssize_t decode_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct decode *d = (struct decode *)s;
    if (d->failed)
        return hull_err_set(err, (enum hull_errc)d->failed, "decoder: read after an error");
    if (n == 0)
        return 0;
    ssize_t got;
    if (!d->started && (got = start(d, err)) < 0)
        goto out;
    switch (d->comp) {
    case HULL_COMP_GZIP:
        got = gzip_read(d, buf, n, err);
        break;
    case HULL_COMP_ZSTD:
        got = zstd_read(d, buf, n, err);
        break;
    default:
        if (d->ipos < d->ilen) {
            got = (ssize_t)(n < d->ilen - d->ipos ? n : d->ilen - d->ipos);
            memcpy(buf, d->ib + d->ipos, (size_t)got);
            d->ipos += (size_t)got;
        } else if (d->in_eof) {
            got = 0;
        } else {
            got = hull_istream_read(d->in, buf, n, err);
        }
        break;
    }
    if (got > 0) {
        d->out += (uint64_t)got;
        if (d->max_out && d->out > d->max_out)
            got = hull_err_set(err, HULL_E_LIMIT,
                               "%s: decompressed data exceeds the %llu-byte limit",
                               hull_compression_name(d->comp), (unsigned long long)d->max_out);
    }
out:
    if (got < 0)
        d->failed = (int)-got;
    return got;
}

static void decode_close(struct hull_istream *s)
{
    struct decode *d = (struct decode *)s;
    hull_istream_close(d->in);
#ifdef HAVE_ISAL
    free(d->isal);
#else
    if (d->z_init)
        inflateEnd(&d->z);
#endif
    ZSTD_freeDStream(d->zs);
    free(d->ib);
    free(d);
}

static const struct hull_istream_ops decode_ops = { decode_read, decode_close };

struct hull_istream *hull_stream_decode(struct hull_istream *in, uint64_t max_out,
                                        enum hull_compression *detected, struct hull_err **err)
{
    struct decode *d = calloc(1, sizeof(*d));
    if (!d || !(d->ib = malloc(HULL_STREAM_CHUNK))) {
        free(d);
        hull_istream_close(in);
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    d->base.ops = &decode_ops;
    d->in = in;
    d->max_out = max_out;
    d->detected = detected;
    return &d->base;
}
