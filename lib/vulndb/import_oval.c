/* Debian OVAL (oval-definitions-<codename>.xml[.bz2], OVAL 5.11), streamed through libxml2's
 * xmlTextReader so memory stays flat on the 51 MB document. One <definition> per (CVE or DSA,
 * source package):
 *   <title>CVE-2023-2650 openssl</title>, <platform>Debian GNU/Linux 12</platform>,
 *   <product>openssl</product>, <reference ref_id=.. ref_url=..>, <description>,
 *   <criterion comment="openssl DPKG is earlier than 3.0.9-1"/>
 * "earlier than 0" means no fix exists (status affected); otherwise status fixed with that
 * version. The fixed version is taken from the criterion comment, which Debian's generator
 * writes from the same value as the dpkginfo_state evr. External entities and network access
 * are disabled. The document replaces the source "debian-oval:<release>". */
#include "core/common.h"
#include <libxml/xmlreader.h>
#include "core/buf.h"
#include "vulndb/vdb.h"

struct def {
    char *cls, *title, *platform, *product, *description, *moreinfo, *date, *fixed;
    json_t *aliases, *refs;
    bool has_criterion;
};

static void def_clear(struct def *d)
{
    free(d->cls);
    free(d->title);
    free(d->platform);
    free(d->product);
    free(d->description);
    free(d->moreinfo);
    free(d->date);
    free(d->fixed);
    json_decref(d->aliases);
    json_decref(d->refs);
    memset(d, 0, sizeof(*d));
}

struct oval {
    struct vdb_writer *w;
    const char *origin;
    bool source_open;
    char release[32];
};

static char *trimmed(xmlChar *s)
{
    if (!s)
        return NULL;
    char *p = (char *)s;
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (n > VDB_MAX_TEXT)
        n = VDB_MAX_TEXT;
    while (n && n < strlen(p) && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    char *o = strndup(p, n);
    xmlFree(s);
    return o;
}

static void set_once(char **slot, char *v)
{
    if (*slot)
        free(v);
    else
        *slot = v;
}

/* "Debian GNU/Linux 12" -> "12". */
static const char *platform_release(const char *p)
{
    static const char pre[] = "Debian GNU/Linux ";
    if (!p || strncmp(p, pre, sizeof(pre) - 1) != 0)
        return NULL;
    p += sizeof(pre) - 1;
    if (!*p || strlen(p) > 16)
        return NULL;
    for (const char *q = p; *q; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.'))
            return NULL;
    return p;
}

static int emit(struct oval *o, struct def *d, struct hull_err **err)
{
    struct vdb_writer *w = o->w;
    const char *rel = platform_release(d->platform);
    if (!o->source_open && rel) {
        snprintf(o->release, sizeof(o->release), "%s", rel);
        char src[64];
        snprintf(src, sizeof(src), "debian-oval:%s", rel);
        int r = vdb_source_begin(w, src, "debian-oval", o->origin, true, err);
        if (r < 0)
            return r;
        o->source_open = true;
    }
    vdb_count_record(w);
    char id[VDB_MAX_ID + 1] = "", pkg[VDB_MAX_NAME + 1] = "";
    if (d->title)
        sscanf(d->title, "%256s %512s", id, pkg);
    if (!vdb_str_ok(id, VDB_MAX_ID))
        return vdb_skip(w, "definition", "no title", err);
    const char *name = d->product ? d->product : pkg;
    if (!vdb_str_ok(name, VDB_MAX_NAME))
        return vdb_skip(w, id, "no product", err);
    if (!rel)
        return vdb_skip(w, id, "no Debian platform", err);
    if (!d->fixed)
        return vdb_skip(w, id, "no 'DPKG is earlier than' criterion", err);
    char eco[40];
    snprintf(eco, sizeof(eco), "Debian:%s", rel);
    bool patch = d->cls && !strcmp(d->cls, "patch");
    struct vdb_adv a = {
        .id = id,
        .summary = patch ? d->moreinfo : d->description,
        .published = d->date,
        .aliases = d->aliases,
        .refs = d->refs,
    };
    struct vdb_aff f = {
        .ecosystem = eco,
        .package = name,
        .status = strcmp(d->fixed, "0") ? HULL_VULN_FIXED : HULL_VULN_AFFECTED,
        .fixed = strcmp(d->fixed, "0") ? d->fixed : NULL,
    };
    int r = vdb_put_advisory(w, &a, err);
    if (r == 0)
        r = vdb_put_affected(w, id, &f, err);
    return r;
}

/* criterion comment "<pkg> DPKG is earlier than <version>" */
static void criterion(struct def *d, const char *c)
{
    static const char mark[] = " DPKG is earlier than ";
    const char *m = c ? strstr(c, mark) : NULL;
    if (!m)
        return;
    const char *v = m + sizeof(mark) - 1;
    if (!d->fixed && vdb_str_ok(v, VDB_MAX_NAME) && !strchr(v, ' '))
        d->fixed = strdup(v);
    d->has_criterion = true;
}

static const char *lname(xmlTextReaderPtr r)
{
    return (const char *)xmlTextReaderConstLocalName(r);
}

static int run(struct oval *o, xmlTextReaderPtr rd, struct hull_buf *ioerr,
               struct hull_err **err)
{
    struct def d = { 0 };
    bool in_def = false, saw_root = false;
    int depth_def = -1, ret, r = 0;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        const char *n = lname(rd);
        if (!n)
            continue;
        if (type == XML_READER_TYPE_ELEMENT) {
            int depth = xmlTextReaderDepth(rd);
            if (depth == 0) {
                if (strcmp(n, "oval_definitions") != 0) {
                    r = hull_err_set(err, HULL_E_PARSE, "%s: not an OVAL definitions document",
                                     o->origin);
                    break;
                }
                saw_root = true;
                continue;
            }
            if (depth > 64) {
                r = hull_err_set(err, HULL_E_LIMIT, "%s: XML nested too deeply", o->origin);
                break;
            }
            if (depth == 1 && (!strcmp(n, "tests") || !strcmp(n, "objects") ||
                               !strcmp(n, "states") || !strcmp(n, "variables"))) {
                if (xmlTextReaderNext(rd) < 0)
                    break;
                continue;
            }
            if (!strcmp(n, "definition") && !in_def) {
                in_def = true;
                depth_def = depth;
                def_clear(&d);
                d.aliases = json_array();
                d.refs = json_array();
                d.cls = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "class");
                if (d.cls) {
                    char *c = strdup(d.cls);
                    xmlFree(d.cls);
                    d.cls = c;
                }
                if (xmlTextReaderIsEmptyElement(rd)) {
                    in_def = false;
                    r = emit(o, &d, err);
                    if (r < 0)
                        break;
                }
                continue;
            }
            if (!in_def)
                continue;
            if (!strcmp(n, "title"))
                set_once(&d.title, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "platform"))
                set_once(&d.platform, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "product"))
                set_once(&d.product, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "description"))
                set_once(&d.description, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "moreinfo"))
                set_once(&d.moreinfo, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "date"))
                set_once(&d.date, trimmed(xmlTextReaderReadString(rd)));
            else if (!strcmp(n, "reference")) {
                xmlChar *rid = xmlTextReaderGetAttribute(rd, BAD_CAST "ref_id");
                xmlChar *url = xmlTextReaderGetAttribute(rd, BAD_CAST "ref_url");
                if (rid && vdb_str_ok((const char *)rid, VDB_MAX_ID) &&
                    json_array_size(d.aliases) < 4096)
                    json_array_append_new(d.aliases, json_string((const char *)rid));
                if (url && vdb_str_ok((const char *)url, 4096) && json_array_size(d.refs) < 256)
                    json_array_append_new(d.refs, json_string((const char *)url));
                xmlFree(rid);
                xmlFree(url);
            } else if (!strcmp(n, "criterion")) {
                xmlChar *c = xmlTextReaderGetAttribute(rd, BAD_CAST "comment");
                criterion(&d, (const char *)c);
                xmlFree(c);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT && in_def &&
                   xmlTextReaderDepth(rd) == depth_def && !strcmp(n, "definition")) {
            in_def = false;
            if ((r = emit(o, &d, err)) < 0)
                break;
        }
    }
    def_clear(&d);
    if (r < 0)
        return r;
    if (ret < 0) {
        if (err && *err)
            return -(int)(*err)->code; /* the read callback's error */
        return hull_err_set(err, HULL_E_PARSE, "%s: invalid XML%s%s", o->origin,
                            ioerr->len ? ": " : "", ioerr->len ? ioerr->p : "");
    }
    if (!saw_root)
        return hull_err_set(err, HULL_E_PARSE, "%s: not an OVAL definitions document", o->origin);
    if (!o->source_open) {
        /* no usable definition: still replace the source (an empty feed is a feed) */
        int rr = vdb_source_begin(o->w, "debian-oval", "debian-oval", o->origin, true, err);
        if (rr < 0)
            return rr;
    }
    return vdb_source_end(o->w, err);
}

struct io {
    vdb_read_fn rd;
    void *ud;
    struct hull_err **err;
    const char *buf; /* memory variant */
    size_t len, pos;
};

static int io_read(void *ctx, char *buf, int len)
{
    struct io *io = ctx;
    if (len <= 0)
        return 0;
    if (!io->rd) {
        size_t k = io->len - io->pos < (size_t)len ? io->len - io->pos : (size_t)len;
        memcpy(buf, io->buf + io->pos, k);
        io->pos += k;
        return (int)k;
    }
    ssize_t got = io->rd(io->ud, buf, (size_t)len, io->err);
    return got < 0 ? -1 : (int)got;
}

static void xml_err(void *arg, const char *msg, xmlParserSeverities sev,
                    xmlTextReaderLocatorPtr loc)
{
    struct hull_buf *b = arg;
    if (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR)
        return;
    if (b->len == 0 && msg) {
        char line[300];
        snprintf(line, sizeof(line), "line %d: %s", xmlTextReaderLocatorLineNumber(loc), msg);
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
            line[--n] = 0;
        hull_buf_appends(b, line, NULL);
    }
}

static int import_io(struct vdb_writer *w, const char *origin, struct io *io,
                     struct hull_err **err)
{
    xmlTextReaderPtr rd = xmlReaderForIO(io_read, NULL, io, NULL, NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    if (!rd)
        return hull_err_set(err, HULL_E_NOMEM, "%s: cannot create the XML reader", origin);
    struct hull_buf ioerr = HULL_BUF_INIT(1024);
    xmlTextReaderSetErrorHandler(rd, xml_err, &ioerr);
    struct oval o = { .w = w, .origin = origin };
    int r = run(&o, rd, &ioerr, err);
    xmlFreeTextReader(rd);
    hull_buf_release(&ioerr);
    return r;
}

int vdb_import_oval_stream(struct vdb_writer *w, const char *origin, vdb_read_fn rdfn, void *ud,
                           struct hull_err **err)
{
    struct io io = { .rd = rdfn, .ud = ud, .err = err };
    return import_io(w, origin, &io, err);
}

int vdb_import_oval(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                    struct hull_err **err)
{
    struct io io = { .buf = buf, .len = len, .err = err };
    return import_io(w, origin, &io, err);
}
