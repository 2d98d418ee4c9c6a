/* Attack-surface facts: /etc/passwd lookups on hostile content, and the facts of a root
 * filesystem scanned through hull_surface_image (dir:): shells through symlinks, package
 * managers counted once per real file, build tools from files and kernel headers, setuid,
 * setgid and world-writable directories, sizes; a bad date is a usage error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/common.h"
#include "hull/surface.h"
#include "surface/surfpriv.h"

static int64_t uid_of(const char *pw, const char *name)
{
    return hull_surface_passwd_uid(pw, strlen(pw), name);
}

static void test_passwd(void **state)
{
    (void)state;
    const char *pw = "root:x:0:0:root:/root:/bin/sh\n"
                     "nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"
                     "app:x:0:0::/app:/bin/false\n"
                     "app:x:1000:1000::/app:/bin/false\n"
                     "weird:x::0::/:\n"
                     "neg:x:-1:0::/:\n"
                     "big:x:99999999999999999999:0::/:\n"
                     "last:x:42:42::/:";
    assert_int_equal(uid_of(pw, "root"), 0);
    assert_int_equal(uid_of(pw, "nonroot"), 65532);
    assert_int_equal(uid_of(pw, "app"), 0); /* the first entry wins, as getpwnam */
    assert_int_equal(uid_of(pw, "non"), -1); /* no prefix matches */
    assert_int_equal(uid_of(pw, "nonroot2"), -1);
    assert_int_equal(uid_of(pw, "weird"), -1);
    assert_int_equal(uid_of(pw, "neg"), -1);
    assert_int_equal(uid_of(pw, "big"), -1);
    assert_int_equal(uid_of(pw, "last"), 42); /* no final newline */
    assert_int_equal(uid_of(pw, "x"), -1);
    assert_int_equal(uid_of("", "root"), -1);
    assert_int_equal(uid_of("root", "root"), -1);
    assert_int_equal(uid_of("root:x:0", "root"), -1); /* uid field not terminated */
    assert_int_equal(hull_surface_passwd_uid("root:x:0:0\n", 6, "root"), -1); /* cut by len */
}

static void put_file(const char *root, const char *rel, const char *data, mode_t mode)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
    close(fd);
    assert_int_equal(chmod(p, mode), 0);
}

static void put_dir(const char *root, const char *rel, mode_t mode)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
    assert_int_equal(chmod(p, mode), 0);
}

static void put_link(const char *root, const char *rel, const char *target)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(symlink(target, p), 0);
}

static bool has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return true;
    return false;
}

static void test_rootfs(void **state)
{
    (void)state;
    char root[] = "/tmp/t-surface-facts.XXXXXX";
    assert_non_null(mkdtemp(root));
    put_dir(root, "etc", 0755);
    put_file(root, "etc/os-release", "ID=ubuntu\nVERSION_ID=\"20.04\"\n", 0644);
    put_dir(root, "usr", 0755);
    put_dir(root, "usr/bin", 0755);
    put_link(root, "bin", "usr/bin");
    put_file(root, "usr/bin/dash", "dash", 0755);
    put_link(root, "usr/bin/sh", "dash");
    put_file(root, "usr/bin/dpkg", "dpkg", 0755);
    put_file(root, "usr/bin/gcc-9", "gcc", 0755);
    put_link(root, "usr/bin/gcc", "gcc-9");
    put_link(root, "usr/bin/cc", "/usr/bin/gcc");
    put_file(root, "usr/bin/su", "su", 04755);
    put_file(root, "usr/bin/crontab", "cron", 02755);
    put_dir(root, "usr/src", 0755);
    put_dir(root, "usr/src/linux-headers-5.15.0", 0755);
    put_dir(root, "drop", 0777);
    put_dir(root, "tmp", 01777);

    char spec[600];
    snprintf(spec, sizeof(spec), "dir:%s", root);
    struct hull_ctx ctx;
    hull_ctx_init(&ctx);
    struct hull_surface_opts o = { .today = "2025-06-01" };
    struct hull_surface *s = NULL;
    struct hull_err *err = NULL;
    int rc = hull_surface_image(&ctx, spec, &o, &s, &err);
    if (rc < 0)
        fail_msg("%s", err ? err->msg : "?");
    assert_int_equal(s->n_shells, 1);
    assert_string_equal(s->shells[0], "/usr/bin/dash");
    assert_string_equal(s->bin_sh, "/usr/bin/dash");
    assert_int_equal(s->n_pkg_manager_paths, 1);
    assert_string_equal(s->pkg_manager_paths[0], "/usr/bin/dpkg"); /* /bin/dpkg is the same */
    assert_int_equal(s->n_build_tools, 2);
    assert_true(has(s->build_tools, s->n_build_tools, "gcc")); /* cc is the same binary */
    assert_true(has(s->build_tools, s->n_build_tools, "kernel-headers"));
    assert_int_equal(s->n_setuid, 1);
    assert_string_equal(s->setuid[0], "/usr/bin/su");
    assert_int_equal(s->n_setgid, 1);
    assert_string_equal(s->setgid[0], "/usr/bin/crontab");
    assert_int_equal(s->n_world_writable, 1);
    assert_string_equal(s->world_writable[0], "/drop");
    assert_int_equal(s->layers, 0);
    assert_int_equal(s->compressed_size, -1);
    /* os-release 29 + dash 4 + dpkg 4 + gcc 3 + su 2 + cron 4 */
    assert_int_equal(s->size, 46);
    assert_true(s->runs_as_root);
    assert_non_null(s->eol);
    assert_true(s->eol_passed); /* ubuntu 20.04 ended 2025-05-31 */
    /* shell 2 + dpkg 2 + build tools 2 + root 1 + setuid 1 + world-writable 1 + eol 6 */
    assert_int_equal(s->score, 15);
    assert_int_equal(s->rating, HULL_SURFACE_HIGH);
    hull_surface_free(s);

    o.today = "2025-02-29";
    s = NULL;
    assert_true(hull_surface_image(&ctx, spec, &o, &s, &err) < 0);
    assert_null(s);
    assert_int_equal(err->code, HULL_E_USAGE);
    hull_err_clear(&err);

    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passwd),
        cmocka_unit_test(test_rootfs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
