/* The squashed-view tree (fsindex.h): index-linked nodes, a string pool, one hash table of
 * (parent, name) -> child, symlink resolution inside the root, and the public hull_fs_* API. */
#include "core/common.h"
#include <sys/random.h>
#include <time.h>
#include "layer/fsindex.h"

struct fs_cached {
    struct hull_fs_entry e;
    struct fs_cached *next;
    char *link;
    char path[];
};

/* FNV-1a from a per-tree random start, so a layer cannot be crafted to collide. */
static uint32_t hash_name(const struct hull_fs *fs, uint32_t parent, const char *name,
                          size_t len)
{
    uint32_t h = fs->seed ^ parent;
    h *= 16777619u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)name[i];
        h *= 16777619u;
    }
    return h ^ (h >> 15);
}

static int pool_add(struct hull_fs *fs, const char *s, size_t len, uint32_t *off,
                    struct hull_err **err)
{
    if (fs->pool_len + len + 1 > UINT32_MAX)
        return hull_err_set(err, HULL_E_LIMIT, "file tree names exceed 4 GiB");
    if (fs->pool_len + len + 1 > fs->pool_cap) {
        size_t cap = fs->pool_cap ? fs->pool_cap : 4096;
        while (cap < fs->pool_len + len + 1)
            cap *= 2;
        char *p = realloc(fs->pool, cap);
        if (!p)
            return hull_err_set(err, HULL_E_NOMEM, "out of memory");
        fs->pool = p;
        fs->pool_cap = cap;
    }
    memcpy(fs->pool + fs->pool_len, s, len);
    fs->pool[fs->pool_len + len] = 0;
    *off = (uint32_t)fs->pool_len;
    fs->pool_len += len + 1;
    return 0;
}

/* Copy the names and link targets of live nodes into a fresh pool, dropping those of
 * removed nodes (a layer that deletes and re-creates paths cannot grow the pool forever). */
static int pool_compact(struct hull_fs *fs, struct hull_err **err)
{
    size_t need = fs->pool_len - fs->pool_garbage + 64;
    char *np = malloc(need);
    if (!np)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    size_t len = 0;
    for (uint32_t i = 0; i < fs->n_nodes; i++) {
        struct fs_node *n = &fs->nodes[i];
        if (!(n->flags & FSN_LIVE))
            continue;
        uint32_t offs[2] = { n->name, n->link };
        size_t lens[2] = { n->namelen, n->link == FS_NONE ? 0 : strlen(fs->pool + n->link) };
        for (int k = 0; k < 2; k++) {
            if (offs[k] == FS_NONE)
                continue;
            if (len + lens[k] + 1 > need) { /* garbage was overcounted: grow */
                need = 2 * (len + lens[k] + 1);
                char *q = realloc(np, need);
                if (!q) {
                    free(np);
                    return hull_err_set(err, HULL_E_NOMEM, "out of memory");
                }
                np = q;
            }
            memcpy(np + len, fs->pool + offs[k], lens[k] + 1);
            offs[k] = (uint32_t)len;
            len += lens[k] + 1;
        }
        n->name = offs[0];
        n->link = offs[1];
    }
    free(fs->pool);
    fs->pool = np;
    fs->pool_len = len;
    fs->pool_cap = need;
    fs->pool_garbage = 0;
    return 0;
}

static void bucket_insert(struct hull_fs *fs, uint32_t i)
{
    struct fs_node *n = &fs->nodes[i];
    uint32_t b = hash_name(fs, n->parent, fs->pool + n->name, n->namelen) & (fs->n_buckets - 1);
    n->hnext = fs->buckets[b];
    fs->buckets[b] = i;
}

static int rehash(struct hull_fs *fs, struct hull_err **err)
{
    uint32_t nb = fs->n_buckets ? fs->n_buckets * 2 : 1024;
    uint32_t *b = malloc((size_t)nb * sizeof(*b));
    if (!b)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    for (uint32_t i = 0; i < nb; i++)
        b[i] = FS_NONE;
    free(fs->buckets);
    fs->buckets = b;
    fs->n_buckets = nb;
    for (uint32_t i = 1; i < fs->n_nodes; i++)
        if (fs->nodes[i].flags & FSN_LIVE)
            bucket_insert(fs, i);
    return 0;
}

struct hull_fs *fs_new(const struct hull_ctx *ctx, struct hull_err **err)
{
    struct hull_fs *fs = calloc(1, sizeof(*fs));
    if (!fs) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    fs->max_path = ctx->limits.max_path ? ctx->limits.max_path : 4096;
    fs->max_hops = ctx->limits.max_link_hops;
    fs->cap_max = ctx->limits.max_capture_total;
    fs->file_cap_max = ctx->limits.max_file_capture;
    fs->free_head = FS_NONE;
    /* implicit parent directories count too, with room for two per tar entry */
    fs->max_nodes = ctx->limits.max_entries < (UINT32_MAX - 3) / 2
                        ? (uint32_t)(2 * ctx->limits.max_entries + 1) : UINT32_MAX - 3;
    if (getrandom(&fs->seed, sizeof(fs->seed), GRND_NONBLOCK) != sizeof(fs->seed))
        fs->seed = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)fs;
    fs->seed = fs->seed * 16777619u + 2166136261u;
    fs->cap_nodes = 256;
    fs->nodes = calloc(fs->cap_nodes, sizeof(*fs->nodes));
    uint32_t off;
    if (!fs->nodes || pool_add(fs, "", 0, &off, err) < 0 || rehash(fs, err) < 0) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        hull_fs_free(fs);
        return NULL;
    }
    struct fs_node *r = &fs->nodes[FS_ROOT];
    *r = (struct fs_node){ .parent = FS_ROOT, .child = FS_NONE, .next = FS_NONE,
                           .prev = FS_NONE, .hnext = FS_NONE, .name = off, .link = FS_NONE,
                           .mode = 0755, .src_layer = FS_NONE, .src_ord = FS_NONE,
                           .type = HULL_FS_DIR, .flags = FSN_LIVE };
    fs->n_nodes = 1;
    fs->live = 1;
    return fs;
}

uint32_t fs_child(const struct hull_fs *fs, uint32_t dir, const char *name, size_t len)
{
    uint32_t b = hash_name(fs, dir, name, len) & (fs->n_buckets - 1);
    for (uint32_t i = fs->buckets[b]; i != FS_NONE; i = fs->nodes[i].hnext) {
        const struct fs_node *n = &fs->nodes[i];
        if (n->parent == dir && n->namelen == len && memcmp(fs->pool + n->name, name, len) == 0)
            return i;
    }
    return FS_NONE;
}

uint32_t fs_add(struct hull_fs *fs, uint32_t dir, const char *name, size_t len, uint8_t type,
                struct hull_err **err)
{
    if (fs->live >= fs->max_nodes) {
        hull_err_set(err, HULL_E_LIMIT, "file tree has more than %zu entries",
                     (size_t)fs->max_nodes - 1);
        return FS_NONE;
    }
    if (fs->pool_garbage > (1u << 20) && fs->pool_garbage > fs->pool_len / 2 &&
        pool_compact(fs, err) < 0)
        return FS_NONE;
    uint32_t off;
    if (len > UINT32_MAX || pool_add(fs, name, len, &off, err) < 0)
        return FS_NONE;
    uint32_t i;
    if (fs->free_head != FS_NONE) {
        i = fs->free_head;
        fs->free_head = fs->nodes[i].hnext;
    } else {
        if (fs->n_nodes == UINT32_MAX - 1) {
            hull_err_set(err, HULL_E_LIMIT, "too many file tree entries");
            return FS_NONE;
        }
        if (fs->n_nodes == fs->cap_nodes) {
            size_t cap = (size_t)fs->cap_nodes * 2;
            if (cap > UINT32_MAX - 1)
                cap = UINT32_MAX - 1;
            struct fs_node *p = realloc(fs->nodes, cap * sizeof(*p));
            if (!p) {
                hull_err_set(err, HULL_E_NOMEM, "out of memory");
                return FS_NONE;
            }
            fs->nodes = p;
            fs->cap_nodes = (uint32_t)cap;
        }
        i = fs->n_nodes++;
    }
    struct fs_node *d = &fs->nodes[dir];
    fs->nodes[i] = (struct fs_node){ .parent = dir, .child = FS_NONE, .next = d->child,
                                     .prev = FS_NONE, .name = off, .namelen = (uint32_t)len,
                                     .link = FS_NONE, .src_layer = FS_NONE, .src_ord = FS_NONE,
                                     .type = type, .flags = FSN_LIVE };
    if (d->child != FS_NONE)
        fs->nodes[d->child].prev = i;
    d->child = i;
    fs->live++;
    bucket_insert(fs, i);
    if (fs->live > (size_t)fs->n_buckets && fs->n_buckets < (1u << 30) && rehash(fs, err) < 0) {
        fs_remove(fs, i);
        return FS_NONE;
    }
    return i;
}

int fs_set_link(struct hull_fs *fs, uint32_t i, const char *target, struct hull_err **err)
{
    uint32_t off;
    if (pool_add(fs, target, strlen(target), &off, err) < 0)
        return -1;
    fs->nodes[i].link = off;
    return 0;
}

void fs_cap_put(struct hull_fs *fs, struct fs_capture *c)
{
    if (!c || --c->refs)
        return;
    fs->cap_total -= c->alloc + 1;
    free(c);
}

struct fs_capture *fs_cap_new(struct hull_fs *fs, size_t want, struct hull_err **err)
{
    if (fs->cap_total + want + 1 > fs->cap_max || want + 1 < want) {
        hull_err_set(err, HULL_E_LIMIT,
                     "captured file contents exceed the %zu-byte limit", fs->cap_max);
        return NULL;
    }
    struct fs_capture *c = calloc(1, sizeof(*c) + want + 1);
    if (!c) {
        hull_err_set(err, HULL_E_NOMEM, "out of memory");
        return NULL;
    }
    c->refs = 1;
    c->alloc = want;
    fs->cap_total += want + 1;
    return c;
}

void fs_cap_clear(struct hull_fs *fs)
{
    for (uint32_t i = 0; i < fs->n_nodes; i++) {
        struct fs_node *n = &fs->nodes[i];
        if ((n->flags & FSN_LIVE) && n->u.cap) {
            fs_cap_put(fs, n->u.cap);
            n->u.cap = NULL;
        }
    }
}

static void unhash(struct hull_fs *fs, uint32_t i)
{
    struct fs_node *n = &fs->nodes[i];
    uint32_t b = hash_name(fs, n->parent, fs->pool + n->name, n->namelen) & (fs->n_buckets - 1);
    uint32_t *pp = &fs->buckets[b];
    while (*pp != FS_NONE && *pp != i)
        pp = &fs->nodes[*pp].hnext;
    if (*pp == i)
        *pp = n->hnext;
}

/* Free one node that has no children left. */
static void free_leaf(struct hull_fs *fs, uint32_t i)
{
    struct fs_node *n = &fs->nodes[i];
    unhash(fs, i);
    if (n->prev != FS_NONE)
        fs->nodes[n->prev].next = n->next;
    else
        fs->nodes[n->parent].child = n->next;
    if (n->next != FS_NONE)
        fs->nodes[n->next].prev = n->prev;
    fs_cap_put(fs, n->u.cap);
    n->u.cap = NULL;
    n->flags = 0;
    fs->pool_garbage += n->namelen + 1;
    if (n->link != FS_NONE)
        fs->pool_garbage += strlen(fs->pool + n->link) + 1;
    n->hnext = fs->free_head;
    fs->free_head = i;
    fs->live--;
}

void fs_remove(struct hull_fs *fs, uint32_t i)
{
    if (i == FS_ROOT)
        return;
    /* Iterative post-order: descend to a leaf, free it, climb back; no recursion depth. */
    uint32_t cur = i;
    for (;;) {
        while (fs->nodes[cur].child != FS_NONE)
            cur = fs->nodes[cur].child;
        uint32_t up = fs->nodes[cur].parent;
        free_leaf(fs, cur);
        if (cur == i)
            return;
        cur = up;
    }
}

void fs_prune_lower(struct hull_fs *fs, uint32_t dir, uint32_t layer)
{
    /* Post-order over the subtree of dir: a node from another layer goes when it has no
     * children left (so ancestors of same-layer entries stay). */
    uint32_t cur = fs->nodes[dir].child;
    if (cur == FS_NONE)
        return;
    for (;;) {
        while (fs->nodes[cur].child != FS_NONE)
            cur = fs->nodes[cur].child;
        /* cur has no (more) children to visit: find the next node before freeing cur. */
        for (;;) {
            struct fs_node *n = &fs->nodes[cur];
            uint32_t next = n->next, up = n->parent;
            if (n->layer != layer && n->child == FS_NONE)
                free_leaf(fs, cur);
            if (next != FS_NONE) {
                cur = next;
                break;
            }
            if (up == dir)
                return;
            /* All children of up were visited: now decide about up itself. A child kept
             * means up stays; its own "next" is read in the next round of this loop. */
            cur = up;
        }
    }
}

size_t fs_path(const struct hull_fs *fs, uint32_t i, char *buf, size_t cap)
{
    if (cap < 2)
        return 0;
    if (i == FS_ROOT) {
        buf[0] = '/';
        buf[1] = 0;
        return 1;
    }
    size_t len = 0;
    for (uint32_t j = i; j != FS_ROOT; j = fs->nodes[j].parent)
        len += 1 + fs->nodes[j].namelen;
    if (len + 1 > cap)
        return 0;
    buf[len] = 0;
    size_t end = len;
    for (uint32_t j = i; j != FS_ROOT; j = fs->nodes[j].parent) {
        const struct fs_node *n = &fs->nodes[j];
        end -= n->namelen;
        memcpy(buf + end, fs->pool + n->name, n->namelen);
        buf[--end] = '/';
    }
    return len;
}

uint32_t fs_resolve(const struct hull_fs *fs, uint32_t start, const char *path, size_t len,
                    bool follow, unsigned *hops)
{
    /* The remaining path lives in buf[pos, end); following a link rewrites it as
     * "target/rest" in the other buffer. Each is bounded by twice max_path. */
    size_t cap = 2 * fs->max_path + 2;
    if (len >= cap)
        return FS_NONE;
    char *bufs = malloc(2 * cap);
    if (!bufs)
        return FS_NONE;
    char *buf = bufs, *alt = bufs + cap;
    memcpy(buf, path, len);
    size_t pos = 0, end = len;
    uint32_t cur = start, res = FS_NONE;
    if (len && path[0] == '/')
        cur = FS_ROOT;
    for (;;) {
        while (pos < end && buf[pos] == '/')
            pos++;
        if (pos >= end) {
            res = cur;
            break;
        }
        size_t q = pos;
        while (q < end && buf[q] != '/')
            q++;
        const char *comp = buf + pos;
        size_t clen = q - pos;
        pos = q;
        if (clen == 1 && comp[0] == '.')
            continue;
        if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
            cur = fs->nodes[cur].parent; /* the root is its own parent */
            continue;
        }
        if (fs->nodes[cur].type != HULL_FS_DIR)
            break;
        uint32_t c = fs_child(fs, cur, comp, clen);
        if (c == FS_NONE)
            break;
        size_t rest = pos;
        while (rest < end && buf[rest] == '/')
            rest++;
        bool last = rest >= end;
        if (fs->nodes[c].type == HULL_FS_SYMLINK && (!last || follow)) {
            if (++*hops > fs->max_hops)
                break;
            const char *t = fs_link(fs, c);
            size_t tlen = t ? strlen(t) : 0;
            if (tlen == 0 || tlen + 1 + (end - pos) >= cap)
                break;
            memcpy(alt, t, tlen);
            size_t nlen = tlen;
            if (!last) {
                alt[nlen++] = '/';
                memcpy(alt + nlen, buf + rest, end - rest);
                nlen += end - rest;
            }
            char *tmp = buf;
            buf = alt;
            alt = tmp;
            pos = 0;
            end = nlen;
            if (t[0] == '/')
                cur = FS_ROOT;
            continue; /* relative targets resolve from the link's directory (cur) */
        }
        cur = c;
    }
    free(bufs);
    return res;
}

/* ---- path-order traversal ---------------------------------------------------------- */

struct visit_frame {
    uint32_t *kids;
    size_t n, pos;
    size_t plen; /* path length of the directory of this frame */
};

static int cmp_kids(const void *a, const void *b, void *arg)
{
    const struct hull_fs *sort_fs = arg;
    const struct fs_node *x = &sort_fs->nodes[*(const uint32_t *)a];
    const struct fs_node *y = &sort_fs->nodes[*(const uint32_t *)b];
    size_t m = x->namelen < y->namelen ? x->namelen : y->namelen;
    int c = memcmp(sort_fs->pool + x->name, sort_fs->pool + y->name, m);
    if (c)
        return c;
    return x->namelen < y->namelen ? -1 : x->namelen > y->namelen;
}

static int sorted_kids(const struct hull_fs *fs, uint32_t dir, struct visit_frame *f)
{
    size_t n = 0;
    for (uint32_t c = fs->nodes[dir].child; c != FS_NONE; c = fs->nodes[c].next)
        n++;
    f->kids = malloc((n ? n : 1) * sizeof(*f->kids));
    if (!f->kids)
        return -HULL_E_NOMEM;
    n = 0;
    for (uint32_t c = fs->nodes[dir].child; c != FS_NONE; c = fs->nodes[c].next)
        f->kids[n++] = c;
    qsort_r(f->kids, n, sizeof(*f->kids), cmp_kids, (void *)fs);
    f->n = n;
    f->pos = 0;
    return 0;
}

int fs_visit(const struct hull_fs *fs,
             int (*cb)(void *ud, uint32_t node, const char *path, size_t len), void *ud)
{
    size_t pcap = fs->max_path + 2; /* grows: links can place entries deeper than that */
    char *path = malloc(pcap);
    size_t fcap = 16, depth = 0;
    struct visit_frame *st = malloc(fcap * sizeof(*st));
    int rc = 0;
    if (!path || !st) {
        rc = -HULL_E_NOMEM;
        goto out;
    }
    path[0] = '/';
    path[1] = 0;
    rc = cb(ud, FS_ROOT, path, 1);
    if (rc)
        goto out;
    if ((rc = sorted_kids(fs, FS_ROOT, &st[0])) < 0)
        goto out;
    st[0].plen = 0;
    depth = 1;
    while (depth) {
        struct visit_frame *f = &st[depth - 1];
        if (f->pos == f->n) {
            free(f->kids);
            depth--;
            continue;
        }
        uint32_t c = f->kids[f->pos++];
        const struct fs_node *n = &fs->nodes[c];
        size_t plen = f->plen + 1 + n->namelen;
        if (plen + 1 > pcap) {
            char *p = realloc(path, plen + 1 + fs->max_path);
            if (!p) {
                rc = -HULL_E_NOMEM;
                goto out;
            }
            path = p;
            pcap = plen + 1 + fs->max_path;
        }
        path[f->plen] = '/';
        memcpy(path + f->plen + 1, fs->pool + n->name, n->namelen);
        path[plen] = 0;
        rc = cb(ud, c, path, plen);
        if (rc)
            goto out;
        if (n->type == HULL_FS_DIR && n->child != FS_NONE) {
            if (depth == fcap) {
                struct visit_frame *p = realloc(st, 2 * fcap * sizeof(*st));
                if (!p) {
                    rc = -HULL_E_NOMEM;
                    goto out;
                }
                st = p;
                fcap *= 2;
            }
            if ((rc = sorted_kids(fs, c, &st[depth])) < 0)
                goto out;
            st[depth].plen = plen;
            depth++;
        }
    }
out:
    while (st && depth)
        free(st[--depth].kids);
    free(st);
    free(path);
    return rc;
}

/* ---- public API -------------------------------------------------------------------- */

static void fill_entry(const struct hull_fs *fs, uint32_t i, const char *path,
                       struct hull_fs_entry *e)
{
    const struct fs_node *n = &fs->nodes[i];
    *e = (struct hull_fs_entry){ .path = path, .type = (enum hull_fs_type)n->type,
                                 .mode = n->mode & 07777, .uid = n->uid, .gid = n->gid,
                                 .size = n->size, .layer = n->layer, .link = fs_link(fs, i) };
}

const struct hull_fs_entry *hull_fs_lookup(const struct hull_fs *cfs, const char *path,
                                           bool follow)
{
    if (!cfs || !path || !cfs->finalized)
        return NULL;
    struct hull_fs *fs = (struct hull_fs *)cfs; /* the entry cache is logically const */
    unsigned hops = 0;
    uint32_t i = fs_resolve(fs, FS_ROOT, path, strlen(path), follow, &hops);
    if (i == FS_NONE)
        return NULL;
    struct fs_node *n = &fs->nodes[i];
    if (n->u.ent)
        return &n->u.ent->e;
    size_t plen = 1;
    for (uint32_t j = i; j != FS_ROOT; j = fs->nodes[j].parent)
        plen += 1 + fs->nodes[j].namelen;
    struct fs_cached *c = calloc(1, sizeof(*c) + plen + 1);
    if (!c)
        return NULL;
    fs_path(fs, i, c->path, plen + 1);
    const char *l = fs_link(fs, i);
    if (l && !(c->link = strdup(l))) {
        free(c);
        return NULL;
    }
    fill_entry(fs, i, c->path, &c->e);
    c->e.link = c->link;
    c->next = fs->cached;
    fs->cached = c;
    n->u.ent = c;
    return &c->e;
}

struct foreach_ctx {
    const struct hull_fs *fs;
    int (*cb)(void *ud, const struct hull_fs_entry *e);
    void *ud;
};

static int foreach_one(void *ud, uint32_t node, const char *path, size_t len)
{
    struct foreach_ctx *fc = ud;
    struct hull_fs_entry e;
    fill_entry(fc->fs, node, path, &e);
    return fc->cb(fc->ud, &e);
}

int hull_fs_foreach(const struct hull_fs *fs, int (*cb)(void *ud, const struct hull_fs_entry *e),
                    void *ud)
{
    if (!fs)
        return 0;
    struct foreach_ctx fc = { fs, cb, ud };
    return fs_visit(fs, foreach_one, &fc);
}

size_t hull_fs_count(const struct hull_fs *fs)
{
    return fs ? fs->live : 0;
}

void hull_fs_free(struct hull_fs *fs)
{
    if (!fs)
        return;
    if (!fs->finalized)
        fs_cap_clear(fs);
    for (struct fs_cached *c = fs->cached, *next; c; c = next) {
        next = c->next;
        free(c->link);
        free(c);
    }
    free(fs->nodes);
    free(fs->pool);
    free(fs->buckets);
    free(fs);
}
