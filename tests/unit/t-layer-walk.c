/* Layer walker semantics on tar layers generated here with libarchive's writer: whiteouts,
 * opaque directories, replacement rules, hardlinks, symlinks, hostile names, caps, truncated
 * and tampered streams, capture replacement and the second-pass symlink delivery. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include "core/common.h"
#include "core/istream.h"
#include "layer/walk.h"

/* ---- tar builder ------------------------------------------------------------------- */

struct tb {
    struct archive *a;
    uint8_t *p;
    size_t len, cap;
};

static la_ssize_t tb_write(struct archive *a, void *ud, const void *buf, size_t n)
{
    (void)a;
    struct tb *t = ud;
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, buf, n);
    t->len += n;
    return (la_ssize_t)n;
}

static struct tb *tb_new(void)
{
    struct tb *t = calloc(1, sizeof(*t));
    t->a = archive_write_new();
    assert_int_equal(archive_write_set_format_pax_restricted(t->a), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(t->a, 1);
    assert_int_equal(archive_write_open(t->a, t, NULL, tb_write, NULL), ARCHIVE_OK);
    return t;
}

static void tb_add(struct tb *t, const char *path, mode_t type, unsigned mode, const void *data,
                   size_t len, const char *link, bool hard)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_copy_pathname(e, path);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, mode);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (link && hard)
        archive_entry_copy_hardlink(e, link);
    else if (link)
        archive_entry_copy_symlink(e, link);
    archive_entry_set_size(e, type == AE_IFREG && !hard ? (la_int64_t)len : 0);
    assert_true(archive_write_header(t->a, e) >= ARCHIVE_WARN);
    if (type == AE_IFREG && !hard && len)
        assert_int_equal(archive_write_data(t->a, data, len), (la_ssize_t)len);
    archive_entry_free(e);
}

static void tb_file(struct tb *t, const char *path, const char *content)
{
    tb_add(t, path, AE_IFREG, 0644, content, strlen(content), NULL, false);
}
static void tb_dir(struct tb *t, const char *path, unsigned mode)
{
    tb_add(t, path, AE_IFDIR, mode, NULL, 0, NULL, false);
}
static void tb_sym(struct tb *t, const char *path, const char *target)
{
    tb_add(t, path, AE_IFLNK, 0777, NULL, 0, target, false);
}
static void tb_hard(struct tb *t, const char *path, const char *target)
{
    tb_add(t, path, AE_IFREG, 0644, NULL, 0, target, true);
}
static void tb_wh(struct tb *t, const char *path)
{
    tb_add(t, path, AE_IFREG, 0, NULL, 0, NULL, false);
}

/* ---- layers as memory streams ----------------------------------------------------- */

#define MAXL 8
struct layers {
    size_t n;
    uint8_t *p[MAXL];
    size_t len[MAXL];
    unsigned opens[MAXL];
    int fail_layer;           /* this layer's stream reports HULL_E_DIGEST at its end */
    size_t chunk;             /* bytes per read (small values stress the reader) */
};

struct memin {
    struct hull_istream base;
    const uint8_t *p;
    size_t len, pos, chunk;
    bool fail_at_end;
};

static ssize_t mem_read(struct hull_istream *s, void *buf, size_t n, struct hull_err **err)
{
    struct memin *m = (struct memin *)s;
    if (m->pos == m->len) {
        if (m->fail_at_end)
            return hull_err_set(err, HULL_E_DIGEST, "diff_id mismatch (test)");
        return 0;
    }
    size_t k = m->len - m->pos;
    if (k > n)
        k = n;
    if (m->chunk && k > m->chunk)
        k = m->chunk;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (ssize_t)k;
}

static void mem_close(struct hull_istream *s)
{
    free(s);
}

static const struct hull_istream_ops mem_ops = { mem_read, mem_close };

static int open_layer(void *ud, size_t i, struct hull_istream **out, struct hull_err **err)
{
    struct layers *l = ud;
    if (i >= l->n)
        return hull_err_set(err, HULL_E_NOTFOUND, "no layer %zu", i);
    struct memin *m = calloc(1, sizeof(*m));
    m->base.ops = &mem_ops;
    m->p = l->p[i];
    m->len = l->len[i];
    m->chunk = l->chunk;
    m->fail_at_end = l->fail_layer == (int)i;
    l->opens[i]++;
    *out = &m->base;
    return 0;
}

static const char *diff_ids[MAXL] = { "sha256:l0", "sha256:l1", "sha256:l2", "sha256:l3",
                                      "sha256:l4", "sha256:l5", "sha256:l6", "sha256:l7" };

static const char *diff_id(void *ud, size_t i)
{
    (void)ud;
    return i < MAXL ? diff_ids[i] : NULL;
}

static void layers_add(struct layers *l, struct tb *t)
{
    assert_int_equal(archive_write_close(t->a), ARCHIVE_OK);
    archive_write_free(t->a);
    l->p[l->n] = t->p;
    l->len[l->n] = t->len;
    l->n++;
    free(t);
}

static void layers_free(struct layers *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i]);
}

/* ---- what the walk delivered -------------------------------------------------------- */

struct got {
    const char **want; /* NULL-terminated exact paths; NULL: everything */
    char *paths[64];
    char *data[64];
    unsigned layer[64];
    char diff[64][16];
    bool trunc[64];
    size_t n;
    int fail_on; /* on_file returns an error at this index (or -1) */
    char logs[2048];
};

static bool wants(void *ud, const char *path)
{
    struct got *g = ud;
    if (!g->want)
        return true;
    for (const char **w = g->want; *w; w++)
        if (strcmp(*w, path) == 0)
            return true;
    return false;
}

static int on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    struct got *g = ud;
    if ((int)g->n == g->fail_on)
        return hull_err_set(err, HULL_E_PARSE, "analyzer refused %s", f->path);
    assert_true(g->n < 64);
    assert_int_equal(f->data[f->len], 0);
    g->paths[g->n] = strdup(f->path);
    g->data[g->n] = strndup((const char *)f->data, f->len);
    g->layer[g->n] = f->layer;
    snprintf(g->diff[g->n], sizeof(g->diff[0]), "%s", f->diff_id);
    g->trunc[g->n] = f->truncated;
    g->n++;
    return 0;
}

static void log_cb(void *ud, enum hull_log_level lvl, const char *msg)
{
    struct got *g = ud;
    (void)lvl;
    size_t n = strlen(g->logs);
    snprintf(g->logs + n, sizeof(g->logs) - n, "%s\n", msg);
}

static const char *got_data(const struct got *g, const char *path)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->paths[i], path) == 0)
            return g->data[i];
    return NULL;
}

static int got_index(const struct got *g, const char *path)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->paths[i], path) == 0)
            return (int)i;
    return -1;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->paths[i]);
        free(g->data[i]);
    }
}

static struct hull_ctx ctx;

static int run(struct layers *l, struct got *g, struct hull_fs **fs, struct hull_err **err)
{
    struct hull_layer_src src = { l->n, open_layer, diff_id, l };
    struct hull_walk_opts o = { wants, on_file, g };
    ctx.log = log_cb;
    ctx.log_ud = g;
    ctx.log_level = HULL_LOG_DEBUG;
    return hull_walk_layers(&ctx, &src, &o, fs, err);
}

static int setup(void **state)
{
    (void)state;
    hull_ctx_init(&ctx);
    return 0;
}

static bool exists(const struct hull_fs *fs, const char *p)
{
    return hull_fs_lookup(fs, p, false) != NULL;
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_basic(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1, .chunk = 7 };
    struct tb *t = tb_new();
    tb_dir(t, "./", 0755);
    tb_dir(t, "./etc/", 0755);
    tb_file(t, "./etc/passwd", "root:x:0:0\n");
    tb_add(t, "usr/bin/su", AE_IFREG, 04755, "su", 2, NULL, false);
    tb_sym(t, "bin", "usr/bin");
    tb_add(t, "dev/null", AE_IFCHR, 0666, NULL, 0, NULL, false);
    tb_add(t, "run/fifo", AE_IFIFO, 0600, NULL, 0, NULL, false);
    tb_file(t, "/abs//./x", "x");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(run(&l, &g, &fs, &e), 0);
    assert_null(e);
    /* / etc passwd usr usr/bin su bin dev null run fifo abs x */
    assert_int_equal(hull_fs_count(fs), 13);
    const struct hull_fs_entry *su = hull_fs_lookup(fs, "/bin/su", true);
    assert_non_null(su);
    assert_string_equal(su->path, "/usr/bin/su");
    assert_int_equal(su->mode, 04755);
    assert_int_equal(su->type, HULL_FS_FILE);
    assert_int_equal(su->size, 2);
    const struct hull_fs_entry *b = hull_fs_lookup(fs, "/bin", false);
    assert_int_equal(b->type, HULL_FS_SYMLINK);
    assert_string_equal(b->link, "usr/bin");
    assert_ptr_equal(hull_fs_lookup(fs, "/bin", false), b); /* stable while fs lives */
    assert_int_equal(hull_fs_lookup(fs, "/dev/null", false)->type, HULL_FS_CHAR);
    assert_int_equal(hull_fs_lookup(fs, "/run/fifo", false)->type, HULL_FS_FIFO);
    assert_non_null(hull_fs_lookup(fs, "/abs/x", false));
    assert_null(hull_fs_lookup(fs, "/nope", true));
    /* deliveries in path order, with layer and diff_id; /bin leads to a directory */
    assert_int_equal(g.n, 3);
    assert_string_equal(g.paths[0], "/abs/x");
    assert_string_equal(g.paths[1], "/etc/passwd");
    assert_string_equal(g.data[1], "root:x:0:0\n");
    assert_string_equal(g.paths[2], "/usr/bin/su");
    assert_int_equal(g.layer[2], 0);
    assert_string_equal(g.diff[2], "sha256:l0");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

struct order {
    char buf[1024];
};

static int order_cb(void *ud, const struct hull_fs_entry *e)
{
    struct order *o = ud;
    size_t n = strlen(o->buf);
    snprintf(o->buf + n, sizeof(o->buf) - n, "%s%c ", e->path, (char)e->type);
    return 0;
}

static int stop_cb(void *ud, const struct hull_fs_entry *e)
{
    (void)e;
    return ++*(int *)ud == 3 ? 42 : 0;
}

static void test_foreach_order(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "b", "");
    tb_file(t, "a-b", "");
    tb_file(t, "a/z", "");
    tb_file(t, "a/b/c", "");
    tb_file(t, "A", "");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    struct order o = { "" };
    assert_int_equal(hull_fs_foreach(fs, order_cb, &o), 0);
    assert_string_equal(o.buf, "/d /Af /ad /a/bd /a/b/cf /a/zf /a-bf /bf ");
    int k = 0;
    assert_int_equal(hull_fs_foreach(fs, stop_cb, &k), 42);
    assert_int_equal(k, 3);
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_whiteouts(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "a/x", "x");
    tb_file(t, "a/y", "y");
    tb_file(t, "b/deep/f", "f");
    tb_file(t, "etc/motd", "hello");
    layers_add(&l, t);
    t = tb_new();
    tb_wh(t, "a/.wh.x");
    tb_wh(t, ".wh.b");
    tb_wh(t, "etc/.wh.motd");
    tb_wh(t, "etc/.wh.absent");
    tb_wh(t, "nodir/.wh.thing");
    tb_wh(t, "a/.wh..wh.plnk");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "b/again", "new"); /* a whited-out directory comes back fresh */
    layers_add(&l, t);
    const char *want[] = { "/a/x", "/a/y", "/etc/motd", "/b/again", NULL };
    struct got g = { .want = want, .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_false(exists(fs, "/a/x"));
    assert_true(exists(fs, "/a/y"));
    assert_false(exists(fs, "/b/deep"));
    assert_false(exists(fs, "/b/deep/f"));
    assert_true(exists(fs, "/b/again"));
    assert_false(exists(fs, "/etc/motd"));
    assert_true(exists(fs, "/etc"));
    assert_false(exists(fs, "/nodir/.wh.thing"));
    assert_false(exists(fs, "/a/.wh.x"));
    assert_false(exists(fs, "/a/.wh..wh.plnk"));
    assert_false(exists(fs, "/etc/.wh.absent"));
    assert_int_equal(g.n, 2);
    assert_string_equal(g.paths[0], "/a/y");
    assert_string_equal(g.paths[1], "/b/again");
    assert_int_equal(g.layer[1], 2);
    assert_string_equal(g.diff[1], "sha256:l2");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

/* An opaque directory hides lower entries only, whatever the entry order in its layer. */
static void opaque_case(bool marker_first)
{
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "d/old", "old");
    tb_file(t, "d/sub/deep", "deep");
    tb_file(t, "d/keep/lower", "lower");
    tb_file(t, "other", "o");
    layers_add(&l, t);
    t = tb_new();
    if (marker_first)
        tb_wh(t, "d/.wh..wh..opq");
    tb_dir(t, "d/", 0700);
    tb_file(t, "d/new", "new");
    tb_file(t, "d/keep/upper", "upper");
    if (!marker_first)
        tb_wh(t, "d/.wh..wh..opq");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_false(exists(fs, "/d/old"));
    assert_false(exists(fs, "/d/sub"));
    assert_false(exists(fs, "/d/keep/lower"));
    assert_true(exists(fs, "/d/keep/upper"));
    assert_true(exists(fs, "/d/new"));
    assert_true(exists(fs, "/other"));
    assert_false(exists(fs, "/d/.wh..wh..opq"));
    assert_int_equal(hull_fs_lookup(fs, "/d", false)->mode, 0700);
    assert_int_equal(hull_fs_count(fs), 6); /* / d d/new d/keep d/keep/upper other */
    assert_int_equal(g.n, 3);
    assert_string_equal(g.paths[0], "/d/keep/upper");
    assert_string_equal(g.paths[1], "/d/new");
    assert_string_equal(g.paths[2], "/other");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_opaque_marker_first(void **state)
{
    (void)state;
    opaque_case(true);
}

static void test_opaque_marker_last(void **state)
{
    (void)state;
    opaque_case(false);
}

/* A same-layer entry survives a whiteout of its own name in that layer (spec: whiteouts
 * apply to lower layers only). */
static void test_whiteout_same_layer(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "x", "lower");
    tb_file(t, "d/lowerchild", "l");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "x", "upper");
    tb_wh(t, ".wh.x");
    tb_dir(t, "d/", 0755);
    tb_file(t, "d/upperchild", "u");
    tb_wh(t, ".wh.d");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_string_equal(got_data(&g, "/x"), "upper");
    assert_true(exists(fs, "/d/upperchild"));
    assert_false(exists(fs, "/d/lowerchild"));
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_replace(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "p/q/r", "r");
    tb_file(t, "f", "file");
    tb_dir(t, "m/", 0755);
    tb_file(t, "m/child", "c");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "p", "now a file");     /* file replaces a directory: subtree gone */
    tb_dir(t, "f/", 0750);             /* directory replaces a file */
    tb_file(t, "f/inside", "i");
    tb_dir(t, "m/", 0711);             /* directory over directory: children stay */
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    const struct hull_fs_entry *p = hull_fs_lookup(fs, "/p", false);
    assert_int_equal(p->type, HULL_FS_FILE);
    assert_int_equal(p->layer, 1);
    assert_false(exists(fs, "/p/q"));
    assert_false(exists(fs, "/p/q/r"));
    assert_int_equal(hull_fs_lookup(fs, "/f", false)->type, HULL_FS_DIR);
    assert_true(exists(fs, "/f/inside"));
    const struct hull_fs_entry *m = hull_fs_lookup(fs, "/m", false);
    assert_int_equal(m->mode, 0711);
    assert_int_equal(m->layer, 1);
    assert_int_equal(hull_fs_lookup(fs, "/m/child", false)->layer, 0);
    assert_null(got_data(&g, "/p/q/r"));
    assert_string_equal(got_data(&g, "/p"), "now a file");
    assert_string_equal(got_data(&g, "/m/child"), "c");
    assert_int_equal(g.n, 3); /* /f/inside /m/child /p */
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_hardlinks(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_add(t, "bin/orig", AE_IFREG, 04711, "ELF", 3, NULL, false);
    tb_hard(t, "bin/same", "bin/orig");
    tb_hard(t, "bin/missing", "bin/nothere");
    tb_hard(t, "bin/escape", "../../etc/shadow");
    tb_hard(t, "bin/todir", "bin");
    tb_sym(t, "bin/sl", "orig");
    tb_hard(t, "bin/hsl", "bin/sl"); /* a hardlink to a symlink is that symlink */
    layers_add(&l, t);
    t = tb_new();
    tb_hard(t, "later", "bin/orig"); /* across layers, to a file it does not want itself */
    tb_wh(t, "bin/.wh.orig");        /* the original goes; the links keep the bytes */
    layers_add(&l, t);
    const char *want[] = { "/bin/same", "/later", NULL };
    struct got g = { .want = want, .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_false(exists(fs, "/bin/orig"));
    const struct hull_fs_entry *s = hull_fs_lookup(fs, "/bin/same", false);
    assert_int_equal(s->type, HULL_FS_FILE);
    assert_int_equal(s->mode, 04711);
    assert_int_equal(s->size, 3);
    assert_false(exists(fs, "/bin/missing"));
    assert_false(exists(fs, "/bin/escape"));
    assert_false(exists(fs, "/bin/todir"));
    assert_string_equal(hull_fs_lookup(fs, "/bin/hsl", false)->link, "orig");
    assert_null(hull_fs_lookup(fs, "/bin/hsl", true)); /* orig was whited out */
    assert_non_null(strstr(g.logs, "hardlink /bin/missing -> bin/nothere"));
    assert_non_null(strstr(g.logs, "hardlink /bin/escape -> ../../etc/shadow"));
    assert_int_equal(g.n, 2);
    assert_string_equal(got_data(&g, "/bin/same"), "ELF");
    assert_string_equal(got_data(&g, "/later"), "ELF");
    assert_int_equal(g.layer[got_index(&g, "/later")], 0); /* the bytes came from layer 0 */
    assert_int_equal(hull_fs_lookup(fs, "/later", false)->layer, 1);
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_symlinks(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "usr/lib/os-release", "ID=debian\n");
    tb_sym(t, "etc/os-release", "../usr/lib/os-release");
    tb_sym(t, "c1", "c2");
    tb_sym(t, "c2", "/etc/os-release");
    tb_sym(t, "loop1", "loop2");
    tb_sym(t, "loop2", "loop1");
    tb_sym(t, "self", "self");
    tb_sym(t, "esc", "../../../../../usr/lib/os-release");
    tb_sym(t, "abs", "/usr/lib");
    tb_sym(t, "dangling", "/nowhere");
    tb_sym(t, "empty", "");
    tb_file(t, "etc/passwd", "image passwd");
    tb_sym(t, "hostpw", "/../../etc/passwd");
    layers_add(&l, t);
    const char *want[] = { "/c1", "/loop1", "/esc", "/hostpw", "/dangling", "/abs", NULL };
    struct got g = { .want = want, .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    const struct hull_fs_entry *e = hull_fs_lookup(fs, "/c1", true);
    assert_non_null(e);
    assert_string_equal(e->path, "/usr/lib/os-release");
    assert_int_equal(hull_fs_lookup(fs, "/c1", false)->type, HULL_FS_SYMLINK);
    assert_null(hull_fs_lookup(fs, "/loop1", true));
    assert_null(hull_fs_lookup(fs, "/self", true));
    assert_null(hull_fs_lookup(fs, "/self/x", false));
    assert_non_null(hull_fs_lookup(fs, "/loop1", false));
    assert_string_equal(hull_fs_lookup(fs, "/esc", true)->path, "/usr/lib/os-release");
    assert_string_equal(hull_fs_lookup(fs, "/abs/os-release", false)->path,
                        "/usr/lib/os-release");
    assert_null(hull_fs_lookup(fs, "/dangling", true));
    assert_null(hull_fs_lookup(fs, "/empty", true));
    assert_string_equal(hull_fs_lookup(fs, "/../../etc/./passwd", true)->path, "/etc/passwd");
    /* wanted links deliver their in-root target's bytes under the link's own path */
    assert_int_equal(g.n, 3);
    assert_string_equal(got_data(&g, "/c1"), "ID=debian\n");
    assert_string_equal(got_data(&g, "/esc"), "ID=debian\n");
    assert_string_equal(got_data(&g, "/hostpw"), "image passwd");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void test_hop_limit(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "target", "t");
    char name[16], to[16];
    for (int i = 0; i < 10; i++) { /* s0 -> s1 -> ... -> s9 -> target */
        snprintf(name, sizeof(name), "s%d", i);
        if (i == 9)
            snprintf(to, sizeof(to), "target");
        else
            snprintf(to, sizeof(to), "s%d", i + 1);
        tb_sym(t, name, to);
    }
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    ctx.limits.max_link_hops = 10;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_non_null(hull_fs_lookup(fs, "/s0", true));
    hull_fs_free(fs);
    got_free(&g);
    memset(&g, 0, sizeof(g));
    g.fail_on = -1;
    ctx.limits.max_link_hops = 9;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_null(hull_fs_lookup(fs, "/s0", true));
    assert_non_null(hull_fs_lookup(fs, "/s1", true));
    assert_null(got_data(&g, "/s0"));
    assert_string_equal(got_data(&g, "/s1"), "t");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

/* Entries under a symlinked directory land in its in-root target (merged /usr). */
static void test_symlink_parent(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_dir(t, "usr/lib/", 0755);
    tb_sym(t, "lib", "usr/lib");
    tb_sym(t, "up", "../../..");
    tb_file(t, "f", "plain");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "lib/libc.so", "libc");
    tb_file(t, "up/etc/x", "x");   /* ".." clamps at the root: /etc/x */
    tb_file(t, "f/under", "u");    /* a file in the way becomes a directory */
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_true(exists(fs, "/usr/lib/libc.so"));
    assert_int_equal(hull_fs_lookup(fs, "/lib", false)->type, HULL_FS_SYMLINK);
    assert_true(exists(fs, "/etc/x"));
    assert_int_equal(hull_fs_lookup(fs, "/f", false)->type, HULL_FS_DIR);
    assert_string_equal(got_data(&g, "/usr/lib/libc.so"), "libc");
    assert_string_equal(got_data(&g, "/f/under"), "u");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

static void expect_error(struct layers *l, enum hull_errc code, const char *needle)
{
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = (struct hull_fs *)&g; /* must be reset to NULL on failure */
    struct hull_err *e = NULL;
    assert_int_equal(run(l, &g, &fs, &e), -(int)code);
    assert_null(fs);
    assert_non_null(e);
    if (!strstr(e->msg, needle))
        fail_msg("error \"%s\" lacks \"%s\"", e->msg, needle);
    assert_null(strchr(e->msg, '\n'));
    hull_err_free(e);
    got_free(&g);
}

static void test_dotdot(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "a/../b", "fine");
    tb_file(t, "./x/./../y", "fine too");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_true(exists(fs, "/b"));
    assert_true(exists(fs, "/y"));
    assert_false(exists(fs, "/x")); /* "x/./../y" is "y": x was never an entry */
    assert_false(exists(fs, "/a/b"));
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);

    struct layers l2 = { .fail_layer = -1 };
    t = tb_new();
    tb_file(t, "ok", "");
    layers_add(&l2, t);
    t = tb_new();
    tb_file(t, "a/../../etc/evil", "x");
    layers_add(&l2, t);
    expect_error(&l2, HULL_E_UNSAFE, "layer 2 sha256:l1: entry \"a/../../etc/evil\" escapes");
    layers_free(&l2);

    struct layers l3 = { .fail_layer = -1 };
    t = tb_new();
    tb_file(t, "/../x", "x");
    layers_add(&l3, t);
    expect_error(&l3, HULL_E_UNSAFE, "escapes the image root");
    layers_free(&l3);
}

static void test_long_names(void **state)
{
    (void)state;
    char name[400];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    for (int i = 50; i < 390; i += 50)
        name[i] = '/';
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, name, "deep"); /* pax long name: fine under the default 4096 */
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    char abs[420];
    snprintf(abs, sizeof(abs), "/%s", name);
    assert_true(exists(fs, abs));
    assert_string_equal(got_data(&g, abs), "deep");
    hull_fs_free(fs);
    got_free(&g);
    ctx.limits.max_path = 300;
    expect_error(&l, HULL_E_LIMIT, "entry name longer than 300 bytes");
    layers_free(&l);
}

/* Names that are not UTF-8 are kept as bytes; messages quote them. */
static void test_binary_names(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "bad\xff\xfe", "bytes");
    tb_file(t, "\xc3\xa9t\xc3\xa9", "utf8");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_true(exists(fs, "/bad\xff\xfe"));
    assert_true(exists(fs, "/\xc3\xa9t\xc3\xa9"));
    assert_string_equal(got_data(&g, "/bad\xff\xfe"), "bytes");
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);

    struct layers l2 = { .fail_layer = -1 };
    t = tb_new();
    tb_file(t, "../\xff\x1b[31m", "x");
    layers_add(&l2, t);
    expect_error(&l2, HULL_E_UNSAFE, "entry \"../\\xff\\x1b[31m\" escapes");
    layers_free(&l2);
}

static void test_caps(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'B', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "big", big);
    tb_file(t, "small", "s");
    layers_add(&l, t);

    /* per-file cap: the first bytes, flagged truncated */
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    ctx.limits.max_file_capture = 100;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    int i = got_index(&g, "/big");
    assert_true(i >= 0);
    assert_int_equal(strlen(g.data[i]), 100);
    assert_true(g.trunc[i]);
    assert_false(g.trunc[got_index(&g, "/small")]);
    assert_int_equal(hull_fs_lookup(fs, "/big", false)->size, 2999);
    hull_fs_free(fs);
    got_free(&g);

    /* total capture cap */
    hull_ctx_init(&ctx);
    ctx.limits.max_capture_total = 1000;
    expect_error(&l, HULL_E_LIMIT, "captured file contents exceed the 1000-byte limit");
    /* entry count, layer bytes and image bytes */
    hull_ctx_init(&ctx);
    ctx.limits.max_entries = 1;
    expect_error(&l, HULL_E_LIMIT, "more than 1 tar entries");
    hull_ctx_init(&ctx);
    ctx.limits.max_layer_bytes = 2048;
    expect_error(&l, HULL_E_LIMIT, "uncompressed layer exceeds the 2048-byte limit");
    hull_ctx_init(&ctx);
    ctx.limits.max_layers = 0;
    expect_error(&l, HULL_E_LIMIT, "1 layers (limit 0)");
    layers_free(&l);

    struct layers l2 = { .fail_layer = -1 };
    for (int k = 0; k < 3; k++) {
        t = tb_new();
        tb_file(t, "f", big);
        layers_add(&l2, t);
    }
    hull_ctx_init(&ctx);
    ctx.limits.max_image_bytes = 3 * 2048;
    expect_error(&l2, HULL_E_LIMIT, "uncompressed image exceeds");
    layers_free(&l2);
}

/* A capture is dropped as soon as a later layer deletes or replaces its path, so the total
 * cap counts only what is still alive. */
static void test_capture_replacement(void **state)
{
    (void)state;
    char big[601];
    memset(big, 'a', 600);
    big[600] = 0;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "etc/os-release", "VERSION=1\n");
    tb_file(t, "var/big", big);
    tb_file(t, "gone", "soon");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "etc/os-release", "VERSION=2\n");
    tb_wh(t, "var/.wh.big");
    tb_file(t, "var/big2", big);
    layers_add(&l, t);
    t = tb_new();
    tb_wh(t, ".wh.gone");
    layers_add(&l, t);
    struct got g = { .fail_on = -1 };
    struct hull_fs *fs = NULL;
    ctx.limits.max_capture_total = 1000;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_string_equal(got_data(&g, "/etc/os-release"), "VERSION=2\n");
    assert_int_equal(g.layer[got_index(&g, "/etc/os-release")], 1);
    assert_null(got_data(&g, "/var/big"));
    assert_null(got_data(&g, "/gone"));
    assert_non_null(got_data(&g, "/var/big2"));
    assert_int_equal(g.n, 2);
    hull_fs_free(fs);
    got_free(&g);
    layers_free(&l);
}

/* A wanted symlink whose target nobody wanted: only the layer holding the target is read a
 * second time, and the bytes are delivered under the link's path. */
static void test_second_pass(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1, .chunk = 100 };
    struct tb *t = tb_new();
    tb_sym(t, "etc/os-release", "../usr/lib/os-release");
    tb_file(t, "usr/lib/os-release", "ID=old\n");
    tb_file(t, "lib/orig", "hard bytes");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "usr/lib/os-release", "ID=new\n");
    tb_hard(t, "lib/link", "lib/orig");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "unrelated", "u");
    layers_add(&l, t);
    const char *want[] = { "/etc/os-release", "/lib/link", NULL };
    struct got g = { .want = want, .fail_on = -1 };
    struct hull_fs *fs = NULL;
    assert_int_equal(run(&l, &g, &fs, NULL), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.paths[0], "/etc/os-release");
    assert_string_equal(g.data[0], "ID=new\n");
    assert_int_equal(g.layer[0], 1);
    assert_string_equal(g.diff[0], "sha256:l1");
    assert_string_equal(g.paths[1], "/lib/link");
    assert_string_equal(g.data[1], "hard bytes");
    assert_int_equal(g.layer[1], 0);
    assert_int_equal(l.opens[0], 2);
    assert_int_equal(l.opens[1], 2);
    assert_int_equal(l.opens[2], 1);
    hull_fs_free(fs);
    got_free(&g);

    /* when the target was captured in the first pass, nothing is read again */
    const char *want2[] = { "/etc/os-release", "/usr/lib/os-release", NULL };
    struct got g2 = { .want = want2, .fail_on = -1 };
    memset(l.opens, 0, sizeof(l.opens));
    assert_int_equal(run(&l, &g2, NULL, NULL), 0);
    assert_int_equal(g2.n, 2);
    assert_string_equal(g2.data[0], "ID=new\n");
    assert_string_equal(g2.data[1], "ID=new\n");
    assert_int_equal(l.opens[0] + l.opens[1] + l.opens[2], 3);
    got_free(&g2);
    layers_free(&l);
}

static void test_truncated_and_garbage(void **state)
{
    (void)state;
    char body[2000];
    memset(body, 'z', sizeof(body) - 1);
    body[sizeof(body) - 1] = 0;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "a", body);
    tb_file(t, "b", body);
    layers_add(&l, t);
    l.len[0] = 1500; /* inside the data of "a" */
    expect_error(&l, HULL_E_PARSE, "layer 1 sha256:l0: \"/a\": tar: Truncated tar archive");
    l.len[0] = 512 + 2048 + 100; /* inside the header of "b" */
    expect_error(&l, HULL_E_PARSE, "tar: ");
    memset(l.p[0], 'G', 1024); /* not a tar at all */
    l.len[0] = 1024;
    expect_error(&l, HULL_E_PARSE, "tar: ");
    layers_free(&l);
}

/* The stream's digest error wins, even when it arrives in the padding after the tar's
 * end-of-archive blocks (the walker reads every layer to its end). */
static void test_digest_error(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = 1 };
    struct tb *t = tb_new();
    tb_file(t, "a", "a");
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "b", "b");
    layers_add(&l, t);
    l.p[1] = realloc(l.p[1], l.len[1] + 8192);
    memset(l.p[1] + l.len[1], 0, 8192);
    l.len[1] += 8192;
    expect_error(&l, HULL_E_DIGEST, "diff_id mismatch (test)"); /* as the stream said it */
    layers_free(&l);
}

static void test_on_file_error(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "a", "1");
    tb_file(t, "b", "2");
    tb_file(t, "c", "3");
    layers_add(&l, t);
    struct got g = { .fail_on = 1 };
    struct hull_fs *fs = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(run(&l, &g, &fs, &e), -HULL_E_PARSE);
    assert_string_equal(e->msg, "analyzer refused /b");
    assert_null(fs);
    assert_int_equal(g.n, 1);
    hull_err_free(e);
    got_free(&g);
    layers_free(&l);
}

static void progress(void *ud, const char *what, uint64_t done, uint64_t total)
{
    assert_int_equal(total, 0);
    snprintf(ud, 64, "%s %llu", what, (unsigned long long)done);
}

/* No options at all: only the index. Empty layers are fine. */
static void test_index_only(void **state)
{
    (void)state;
    struct layers l = { .fail_layer = -1 };
    struct tb *t = tb_new();
    layers_add(&l, t);
    t = tb_new();
    tb_file(t, "x", "x");
    layers_add(&l, t);
    struct hull_layer_src src = { l.n, open_layer, diff_id, &l };
    struct hull_fs *fs = NULL;
    char last[64] = "";
    ctx.progress = progress;
    ctx.progress_ud = last;
    assert_int_equal(hull_walk_layers(&ctx, &src, NULL, &fs, NULL), 0);
    ctx.progress = NULL;
    char want[64];
    snprintf(want, sizeof(want), "layer 2/2 %zu", l.len[1]);
    assert_string_equal(last, want); /* progress reports each layer's bytes read */
    assert_int_equal(hull_fs_count(fs), 2);
    assert_int_equal(hull_fs_lookup(fs, "/x", false)->layer, 1);
    assert_string_equal(hull_fs_lookup(fs, "/", false)->path, "/");
    hull_fs_free(fs);
    /* a zero-byte layer stream is an empty layer (Go's archive/tar, so containerd, agree) */
    l.len[0] = 0;
    assert_int_equal(hull_walk_layers(&ctx, &src, NULL, &fs, NULL), 0);
    assert_int_equal(hull_fs_count(fs), 2);
    hull_fs_free(fs);
    /* ... but one stray byte is not a tar */
    l.len[0] = 1;
    expect_error(&l, HULL_E_PARSE, "layer 1 sha256:l0: tar: ");
    layers_free(&l);
}

/* Layers that delete and re-create thousands of paths: the name pool is compacted and every
 * name and link target survives that. The tree itself is capped too. */
static void test_churn(void **state)
{
    (void)state;
    enum { N = 6000 };
    char name[300], target[300], pad[201];
    memset(pad, 'p', 200);
    pad[200] = 0;
    struct layers l = { .fail_layer = -1 };
    for (int k = 0; k < 3; k++) {
        struct tb *t = tb_new();
        if (k)
            tb_wh(t, ".wh.d");
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof(name), "d/%s-%d-%d", pad, k, i);
            tb_file(t, name, "");
            if (i % 100 == 0) {
                snprintf(name, sizeof(name), "d/link-%d", i);
                snprintf(target, sizeof(target), "%s-%d-%d", pad, k, i);
                tb_sym(t, name, target);
            }
        }
        layers_add(&l, t);
    }
    struct hull_layer_src src = { l.n, open_layer, diff_id, &l };
    struct hull_fs *fs = NULL;
    assert_int_equal(hull_walk_layers(&ctx, &src, NULL, &fs, NULL), 0);
    assert_int_equal(hull_fs_count(fs), 2 + N + N / 100);
    for (int i = 0; i < N; i += 599) {
        snprintf(name, sizeof(name), "/d/%s-2-%d", pad, i);
        assert_non_null(hull_fs_lookup(fs, name, false));
        snprintf(name, sizeof(name), "/d/%s-1-%d", pad, i);
        assert_null(hull_fs_lookup(fs, name, false));
    }
    snprintf(name, sizeof(name), "/d/%s-2-%d", pad, 4200);
    const struct hull_fs_entry *e = hull_fs_lookup(fs, "/d/link-4200", true);
    assert_non_null(e);
    assert_string_equal(e->path, name);
    hull_fs_free(fs);
    layers_free(&l);

    struct layers l2 = { .fail_layer = -1 };
    struct tb *t = tb_new();
    tb_file(t, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z", "deep");
    layers_add(&l2, t);
    ctx.limits.max_entries = 10;
    expect_error(&l2, HULL_E_LIMIT, "file tree has more than 20 entries");
    layers_free(&l2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_basic, setup),
        cmocka_unit_test_setup(test_foreach_order, setup),
        cmocka_unit_test_setup(test_whiteouts, setup),
        cmocka_unit_test_setup(test_opaque_marker_first, setup),
        cmocka_unit_test_setup(test_opaque_marker_last, setup),
        cmocka_unit_test_setup(test_whiteout_same_layer, setup),
        cmocka_unit_test_setup(test_replace, setup),
        cmocka_unit_test_setup(test_hardlinks, setup),
        cmocka_unit_test_setup(test_symlinks, setup),
        cmocka_unit_test_setup(test_hop_limit, setup),
        cmocka_unit_test_setup(test_symlink_parent, setup),
        cmocka_unit_test_setup(test_dotdot, setup),
        cmocka_unit_test_setup(test_long_names, setup),
        cmocka_unit_test_setup(test_binary_names, setup),
        cmocka_unit_test_setup(test_caps, setup),
        cmocka_unit_test_setup(test_capture_replacement, setup),
        cmocka_unit_test_setup(test_second_pass, setup),
        cmocka_unit_test_setup(test_truncated_and_garbage, setup),
        cmocka_unit_test_setup(test_digest_error, setup),
        cmocka_unit_test_setup(test_on_file_error, setup),
        cmocka_unit_test_setup(test_index_only, setup),
        cmocka_unit_test_setup(test_churn, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
