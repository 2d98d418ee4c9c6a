/* dir: walk of a root filesystem directory: same index and deliveries as layers, symlinks
 * never followed out of the root, FIFOs and sockets never opened, pseudo filesystems and
 * root-level /proc, /sys, /dev not descended into, problems reported as warnings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/common.h"
#include "layer/walk.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char top[256], root[300], outside[300];

static void put(const char *rel, const char *content)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", top, rel);
    for (char *s = p + strlen(top) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void link_at(const char *rel, const char *target)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", top, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int rm_cb(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    return system(cmd);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof(top), "%s/hull-dirwalk.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                          : "/tmp");
    if (!mkdtemp(top))
        return -1;
    snprintf(root, sizeof(root), "%s/root", top);
    snprintf(outside, sizeof(outside), "%s/outside", top);
    put("outside/secret", "HOST SECRET");
    put("root/etc/passwd", "root:x:0:0:image\n");
    put("root/usr/lib/os-release", "ID=test\n");
    put("root/bin/sh", "#!shell");
    put("root/proc/1/status", "not walked");
    put("root/sys/x", "not walked");
    put("root/dev/x", "not walked");
    put("root/deep/proc/kept", "walked: only the root's /proc is skipped");
    link_at("root/etc/os-release", "../usr/lib/os-release");
    link_at("root/abs-passwd", "/etc/passwd");  /* the image's, never the host's */
    char t[400];
    snprintf(t, sizeof(t), "%s/secret", outside);
    link_at("root/host-secret", t);              /* absolute host path: resolves in-root */
    link_at("root/rel-escape", "../../../../outside/secret");
    link_at("root/outdir", outside);             /* a directory link is never descended */
    char p[512];
    snprintf(p, sizeof(p), "%s/fifo", root);
    assert_int_equal(mkfifo(p, 0600), 0);
    link_at("root/to-fifo", "fifo");
    snprintf(p, sizeof(p), "%s/sock", root);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    assert_true(strlen(p) < sizeof(a.sun_path));
    memcpy(a.sun_path, p, strlen(p) + 1);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    close(s);
    snprintf(p, sizeof(p), "%s/bin/sh", root);
    chmod(p, 04755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return rm_cb(top) == 0 ? 0 : -1;
}

struct got {
    bool all;
    char *paths[64];
    char *data[64];
    size_t n;
    char logs[4096];
};

static bool wants(void *ud, const char *path)
{
    struct got *g = ud;
    return g->all || strcmp(path, "/etc/os-release") == 0;
}

static int on_file(void *ud, const struct hull_file *f, struct hull_err **err)
{
    (void)err;
    struct got *g = ud;
    assert_true(g->n < 64);
    assert_int_equal(f->layer, 0);
    assert_string_equal(f->diff_id, "");
    g->paths[g->n] = strdup(f->path);
    g->data[g->n] = strndup((const char *)f->data, f->len);
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

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->paths[i]);
        free(g->data[i]);
    }
}

static int walk(struct hull_ctx *ctx, const char *dir, struct got *g, struct hull_fs **fs,
                struct hull_err **err)
{
    ctx->log = log_cb;
    ctx->log_ud = g;
    struct hull_walk_opts o = { wants, on_file, g };
    return hull_walk_rootfs(ctx, dir, &o, fs, err);
}

static void test_tree(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct got g = { .all = true };
    struct hull_fs *fs = NULL;
    struct hull_err *e = NULL;
    assert_int_equal(walk(&ctx, root, &g, &fs, &e), 0);
    assert_null(e);
    /* regular files delivered with their own bytes; links with their in-root target's */
    assert_string_equal(got_data(&g, "/etc/passwd"), "root:x:0:0:image\n");
    assert_string_equal(got_data(&g, "/etc/os-release"), "ID=test\n");
    assert_string_equal(got_data(&g, "/abs-passwd"), "root:x:0:0:image\n");
    assert_null(got_data(&g, "/host-secret"));
    assert_null(got_data(&g, "/rel-escape"));
    assert_null(got_data(&g, "/to-fifo"));
    for (size_t i = 0; i < g.n; i++)
        assert_null(strstr(g.data[i], "HOST SECRET"));
    /* metadata and types */
    const struct hull_fs_entry *sh = hull_fs_lookup(fs, "/bin/sh", false);
    assert_int_equal(sh->type, HULL_FS_FILE);
    assert_int_equal(sh->mode, 04755);
    assert_int_equal(sh->size, 7);
    assert_int_equal(hull_fs_lookup(fs, "/fifo", false)->type, HULL_FS_FIFO);
    assert_int_equal(hull_fs_lookup(fs, "/sock", false)->type, HULL_FS_SOCKET);
    assert_int_equal(hull_fs_lookup(fs, "/outdir", false)->type, HULL_FS_SYMLINK);
    assert_null(hull_fs_lookup(fs, "/outdir/secret", true));
    assert_string_equal(hull_fs_lookup(fs, "/etc/os-release", true)->path,
                        "/usr/lib/os-release");
    /* root-level /proc, /sys, /dev are kept as directories but not descended into */
    assert_int_equal(hull_fs_lookup(fs, "/proc", false)->type, HULL_FS_DIR);
    assert_null(hull_fs_lookup(fs, "/proc/1", false));
    assert_null(hull_fs_lookup(fs, "/sys/x", false));
    assert_null(hull_fs_lookup(fs, "/dev/x", false));
    assert_non_null(hull_fs_lookup(fs, "/deep/proc/kept", false));
    hull_fs_free(fs);
    got_free(&g);
}

/* A wanted symlink whose target was not wanted: the target is read afterwards, by its
 * in-root path. */
static void test_second_read(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct got g = { .all = false };
    assert_int_equal(walk(&ctx, root, &g, NULL, NULL), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.paths[0], "/etc/os-release");
    assert_string_equal(g.data[0], "ID=test\n");
    got_free(&g);
}

static void test_errors_and_caps(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct got g = { .all = true };
    struct hull_fs *fs = (struct hull_fs *)&g;
    struct hull_err *e = NULL;
    char missing[400];
    snprintf(missing, sizeof(missing), "%s/nope", top);
    assert_int_equal(walk(&ctx, missing, &g, &fs, &e), -HULL_E_NOTFOUND);
    assert_null(fs);
    assert_non_null(strstr(e->msg, "No such file"));
    hull_err_clear(&e);

    ctx.limits.max_entries = 5;
    assert_int_equal(walk(&ctx, root, &g, &fs, &e), -HULL_E_LIMIT);
    assert_non_null(strstr(e->msg, "more than 5 entries"));
    hull_err_clear(&e);
    got_free(&g);
    memset(&g, 0, sizeof(g));
    g.all = true;

    hull_ctx_init(&ctx);
    ctx.limits.max_path = 10; /* "/usr/lib/os-release" is longer: warned and passed over */
    assert_int_equal(walk(&ctx, root, &g, &fs, &e), 0);
    assert_null(hull_fs_lookup(fs, "/usr/lib/os-release", false));
    assert_non_null(hull_fs_lookup(fs, "/usr/lib", false));
    assert_non_null(strstr(g.logs, "/usr/lib/os-release: path longer than 10 bytes"));
    hull_fs_free(fs);
    got_free(&g);
}

/* A kernel pseudo filesystem is recognised by statfs and not walked. */
static void test_pseudo_fs(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct got g = { .all = true };
    struct hull_fs *fs = NULL;
    assert_int_equal(walk(&ctx, "/proc/self", &g, &fs, NULL), 0);
    assert_int_equal(hull_fs_count(fs), 1);
    assert_non_null(strstr(g.logs, "kernel pseudo filesystem"));
    hull_fs_free(fs);
    got_free(&g);
}

/* A live /dev: devices are recorded, never opened; the devpts mount inside is a pseudo
 * filesystem and not descended into (the same check keeps dir:/ out of /proc and /sys at
 * any depth; a whole dir:/ walk is too slow for a unit test). */
static void test_live_dev(void **state)
{
    (void)state;
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    ctx.log_level = HULL_LOG_ERROR;
    struct got g = { .all = false }; /* /dev/shm may hold anything: read nothing */
    struct hull_fs *fs = NULL;
    assert_int_equal(walk(&ctx, "/dev", &g, &fs, NULL), 0);
    assert_int_equal(hull_fs_lookup(fs, "/null", false)->type, HULL_FS_CHAR);
    struct stat st;
    if (stat("/dev/pts/ptmx", &st) == 0) {
        assert_int_equal(hull_fs_lookup(fs, "/pts", false)->type, HULL_FS_DIR);
        assert_null(hull_fs_lookup(fs, "/pts/ptmx", false));
    }
    hull_fs_free(fs);
    got_free(&g);
}

/* Unreadable files and directories are reported and passed over. Root reads everything, so
 * when run as root the walk runs in a child that dropped to uid/gid 65534. */
static bool unreadable_walk(void)
{
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct got g = { .all = true };
    bool ok = walk(&ctx, root, &g, NULL, NULL) == 0 && !got_data(&g, "/etc/passwd") &&
              got_data(&g, "/bin/sh") && strstr(g.logs, "/etc/passwd: cannot open") &&
              strstr(g.logs, "/usr: cannot open directory");
    got_free(&g);
    return ok;
}

static void test_unreadable(void **state)
{
    (void)state;
    char pw[512], usr[512];
    snprintf(pw, sizeof(pw), "%s/etc/passwd", root);
    snprintf(usr, sizeof(usr), "%s/usr", root);
    assert_int_equal(chmod(pw, 0), 0);
    assert_int_equal(chmod(usr, 0111), 0); /* can be entered, not opened for reading */
    bool ok;
    if (geteuid() == 0) {
        assert_int_equal(chmod(top, 0755), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) < 0 || setuid(65534) < 0)
                _exit(2);
            bool r = unreadable_walk();
            _exit(r ? 0 : 1);
        }
        int st = 0;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    } else {
        ok = unreadable_walk();
    }
    chmod(pw, 0644);
    chmod(usr, 0755);
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_second_read),
        cmocka_unit_test(test_errors_and_caps),
        cmocka_unit_test(test_pseudo_fs),
        cmocka_unit_test(test_live_dev),
        cmocka_unit_test(test_unreadable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
