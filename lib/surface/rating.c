/* The attack-surface rating (docs/surface.md, "Rating"): every finding adds fixed points,
 * and the sum gives the rating, so the same facts always give the same rating and each point
 * is explained by one listed reason.
 *
 *   shell present                              2
 *   package manager present                    2
 *   packages: more than 100 / 51-100           2 / 1
 *   build tools left in the image              2
 *   runs as root                               1
 *   setuid or setgid files                     1
 *   world-writable dirs without sticky bit     1
 *   OS release past its end of life            6
 *   OS release not in the EOL table            0 (listed, not scored)
 *   user name not in /etc/passwd               0 (listed, not scored)
 *   known vulnerabilities (with a database):
 *     any CRITICAL / else any HIGH / else        2 / 1 / 0 (listed when there are any)
 *
 *   High: 6 or more; Medium: 2 to 5; Low: 0 or 1.
 *
 * Shell + package manager + more than 100 packages is 6 (High); an end-of-life OS alone is
 * High; a distroless-like image (no shell, no package manager, non-root) stays Low.
 * Advice answers findings: a smaller base image for the detected OS, a multi-stage build
 * for build tools, a non-root USER, chmod for setuid files and writable directories, a
 * supported release for an end-of-life OS. */
#include "core/common.h"
#include <ctype.h>
#include "core/buf.h"
#include "surface/surfpriv.h"

#define LIST_MAX 5 /* paths named in one reason; the rest are counted */

static const int points[HULL_SURF__COUNT] = {
    [HULL_SURF_SHELL] = 2,    [HULL_SURF_PKG_MANAGER] = 2, [HULL_SURF_PACKAGES] = 2,
    [HULL_SURF_BUILD_TOOLS] = 2, [HULL_SURF_ROOT] = 1,     [HULL_SURF_SETUID] = 1,
    [HULL_SURF_WORLD_WRITABLE] = 1, [HULL_SURF_EOL] = 6,   [HULL_SURF_EOL_UNKNOWN] = 0,
    [HULL_SURF_USER_UNKNOWN] = 0, [HULL_SURF_VULNS] = 2,
};

static const char *const finding_ids[HULL_SURF__COUNT] = {
    [HULL_SURF_SHELL] = "shell",
    [HULL_SURF_PKG_MANAGER] = "package_manager",
    [HULL_SURF_PACKAGES] = "packages",
    [HULL_SURF_BUILD_TOOLS] = "build_tools",
    [HULL_SURF_ROOT] = "root",
    [HULL_SURF_SETUID] = "setuid",
    [HULL_SURF_WORLD_WRITABLE] = "world_writable",
    [HULL_SURF_EOL] = "eol",
    [HULL_SURF_EOL_UNKNOWN] = "eol_unknown",
    [HULL_SURF_USER_UNKNOWN] = "user_unknown",
    [HULL_SURF_VULNS] = "vulnerabilities",
};

const char *hull_surface_finding_id(enum hull_surface_finding f)
{
    return (unsigned)f < HULL_SURF__COUNT ? finding_ids[f] : "unknown";
}

const char *hull_surface_rating_name(enum hull_surface_rating r)
{
    return r == HULL_SURFACE_HIGH ? "High" : r == HULL_SURFACE_MEDIUM ? "Medium" : "Low";
}

int hull_surface_rating_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcasecmp(name, "low"))
        return HULL_SURFACE_LOW;
    if (!strcasecmp(name, "medium"))
        return HULL_SURFACE_MEDIUM;
    if (!strcasecmp(name, "high"))
        return HULL_SURFACE_HIGH;
    return -1;
}

struct rater {
    struct hull_surface *s;
    size_t cap_r, cap_a;
    struct hull_buf b;
    int rc;
};

/* Append list items "a, b, c" (at most max, then " and N more"). */
static void put_list(struct rater *r, char *const *v, size_t n, size_t max)
{
    for (size_t i = 0; i < n && i < max && !r->rc; i++)
        r->rc = hull_buf_printf(&r->b, NULL, "%s%s", i ? ", " : "", v[i]);
    if (n > max && !r->rc)
        r->rc = hull_buf_printf(&r->b, NULL, " and %zu more", n - max);
}

static void put(struct rater *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct rater *r, const char *fmt, ...)
{
    if (r->rc)
        return;
    char *t = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&t, fmt, ap);
    va_end(ap);
    if (n < 0) {
        r->rc = -HULL_E_NOMEM;
        return;
    }
    r->rc = hull_buf_append(&r->b, t, (size_t)n, NULL);
    free(t);
}

/* Finish the text in r->b as a reason (points > 0 are added to the score). */
static void reason(struct rater *r, enum hull_surface_finding id, int pts)
{
    if (!r->rc && r->s->n_reasons == r->cap_r) {
        size_t cap = r->cap_r ? 2 * r->cap_r : 8;
        void *p = realloc(r->s->reasons, cap * sizeof(*r->s->reasons));
        if (!p)
            r->rc = -HULL_E_NOMEM;
        else {
            r->s->reasons = p;
            r->cap_r = cap;
        }
    }
    if (!r->rc && !r->b.p)
        r->rc = hull_buf_append(&r->b, "", 0, NULL);
    if (r->rc) {
        hull_buf_release(&r->b);
        return;
    }
    char *text = hull_buf_detach(&r->b, NULL);
    r->s->reasons[r->s->n_reasons++] =
        (struct hull_surface_reason){ .id = id, .points = pts, .text = text };
    r->s->score += pts;
}

static void advise(struct rater *r, enum hull_surface_finding id)
{
    if (!r->rc && r->s->n_advice == r->cap_a) {
        size_t cap = r->cap_a ? 2 * r->cap_a : 8;
        void *p = realloc(r->s->advice, cap * sizeof(*r->s->advice));
        if (!p)
            r->rc = -HULL_E_NOMEM;
        else {
            r->s->advice = p;
            r->cap_a = cap;
        }
    }
    if (!r->rc && !r->b.p)
        r->rc = hull_buf_append(&r->b, "", 0, NULL);
    if (r->rc) {
        hull_buf_release(&r->b);
        return;
    }
    r->s->advice[r->s->n_advice++] =
        (struct hull_surface_advice){ .id = id, .text = hull_buf_detach(&r->b, NULL) };
}

static int major_of(const char *v)
{
    int m = 0;
    for (; v && isdigit((unsigned char)*v) && m < 10000; v++)
        m = m * 10 + (*v - '0');
    return m;
}

static bool fam(const struct hull_surface *s, const char *f)
{
    return s->os_family && !strcmp(s->os_family, f);
}

static bool rhel_family(const struct hull_surface *s)
{
    return fam(s, "rhel") || fam(s, "centos") || fam(s, "rocky") || fam(s, "alma") ||
           fam(s, "fedora");
}

/* A smaller base for the detected OS: what the shell / package manager / package findings
 * have in common. */
static void base_advice(struct rater *r, enum hull_surface_finding id)
{
    const struct hull_surface *s = r->s;
    int m = major_of(s->os_version);
    if (fam(s, "debian") && s->distroless && (s->n_shells || s->n_pkg_managers)) {
        put(r, "This is a distroless-style Debian image that still has a shell or a package "
               "manager: use a non-debug gcr.io/distroless tag (base, cc or static) for the "
               "runtime stage.");
    } else if (fam(s, "debian") && s->distroless) {
        put(r, "This is already a distroless-style image: use the smallest variant that runs "
               "the application (static-debian%d < base-debian%d < cc-debian%d) and drop "
               "packages it does not need.", m >= 12 ? m : 12, m >= 12 ? m : 12,
            m >= 12 ? m : 12);
    } else if (fam(s, "debian")) {
        int dm = m >= 12 ? m : 12;
        put(r, "Use debian:%d-slim to drop packages, or run on gcr.io/distroless/base-debian%d "
               "(glibc programs), cc-debian%d (adds libstdc++) or static-debian%d (static "
               "binaries), which have no shell and no package manager.", m >= 11 ? m : 12, dm,
            dm, dm);
    } else if (fam(s, "ubuntu")) {
        put(r, "Use a minimal Ubuntu base (ubuntu-minimal / the minimal cloud image) or a "
               "chiseled Ubuntu image built with chisel (e.g. the *_chiseled ubuntu/* images), "
               "which has no shell and no package manager.");
    } else if (fam(s, "alpine")) {
        put(r, "Alpine is already minimal; for statically linked binaries consider "
               "gcr.io/distroless/static-debian12 or scratch (no shell, no apk), or remove "
               "apk-tools and busybox from the final stage.");
    } else if (rhel_family(s)) {
        int rm = m >= 8 && m <= 10 ? m : 9;
        put(r, "Use registry.access.redhat.com/ubi%d/ubi-micro (no package manager) or "
               "ubi%d/ubi-minimal (microdnf instead of dnf/yum) for the runtime stage.", rm, rm);
    } else {
        put(r, "Run on a distroless base (gcr.io/distroless/static-debian12 for static "
               "binaries, base-debian12 for glibc programs) or scratch: no shell and no package "
               "manager.");
    }
    advise(r, id);
}

/* The newest release of the same family in the table, when it is still supported. */
static const struct hull_surface_eol *newest_supported(const struct hull_surface *s)
{
    const struct hull_surface_eol *best = NULL, *e;
    for (size_t i = 0; (e = hull_surface_eol_row(i)); i++)
        if (s->os_family && !strcmp(e->family, s->os_family) &&
            (!best || strcmp(e->date, best->date) > 0))
            best = e;
    return best && strcmp(best->date, s->today) >= 0 ? best : NULL;
}

static void rate_findings(struct rater *r)
{
    struct hull_surface *s = r->s;
    bool based = false;
    if (s->n_shells) {
        put(r, "shell present: ");
        put_list(r, s->shell_kinds, s->n_shell_kinds, LIST_MAX);
        if (s->bin_sh && strcmp(s->bin_sh, "/bin/sh"))
            put(r, " (/bin/sh -> %s)", s->bin_sh);
        else if (s->bin_sh)
            put(r, " (/bin/sh)");
        else
            put(r, " (%s)", s->shells[0]);
        reason(r, HULL_SURF_SHELL, points[HULL_SURF_SHELL]);
        base_advice(r, HULL_SURF_SHELL);
        based = true;
    }
    if (s->n_pkg_managers) {
        put(r, "package manager present: ");
        put_list(r, s->pkg_managers, s->n_pkg_managers, 2 * LIST_MAX);
        reason(r, HULL_SURF_PKG_MANAGER, points[HULL_SURF_PKG_MANAGER]);
        if (!based)
            base_advice(r, HULL_SURF_PKG_MANAGER);
        based = true;
    }
    if (s->pkgs_total > 50) {
        put(r, "%zu packages (%zu OS, %zu language): more than %d", s->pkgs_total, s->pkgs_os,
            s->pkgs_lang, s->pkgs_total > 100 ? 100 : 50);
        reason(r, HULL_SURF_PACKAGES, s->pkgs_total > 100 ? points[HULL_SURF_PACKAGES] : 1);
        if (!based && s->pkgs_os > 50)
            base_advice(r, HULL_SURF_PACKAGES);
        if (s->pkgs_lang > 50) {
            put(r, "Install only runtime dependencies%s%s and remove what the application does "
                   "not use.", s->pkgs_by_type[HULL_PKG_NPM] ? " (npm ci --omit=dev)" : "",
                s->pkgs_by_type[HULL_PKG_PYPI] ? " (pip install --no-cache-dir -r a runtime-only "
                                                 "requirements file)" : "");
            advise(r, HULL_SURF_PACKAGES);
        }
    }
    if (s->n_build_tools) {
        put(r, "build tools left in the image: ");
        put_list(r, s->build_tools, s->n_build_tools, 2 * LIST_MAX);
        reason(r, HULL_SURF_BUILD_TOOLS, points[HULL_SURF_BUILD_TOOLS]);
        put(r, "Use a multi-stage build: compile in a builder stage (FROM ... AS build) and "
               "COPY --from=build only the artifacts into the runtime image, leaving ");
        put_list(r, s->build_tools, s->n_build_tools, 3);
        put(r, " behind.");
        advise(r, HULL_SURF_BUILD_TOOLS);
    }
    if (s->runs_as_root) {
        if (!*s->user && s->transport && !strcmp(s->transport, "dir"))
            put(r, "runs as root: a root filesystem (dir:) has no image config, so no USER");
        else if (!*s->user)
            put(r, "runs as root: the image config sets no USER");
        else if (strcspn(s->user, ":") == 4 && !strncmp(s->user, "root", 4))
            put(r, "runs as root: USER %s", s->user);
        else if (isdigit((unsigned char)s->user[0]))
            put(r, "runs as root: USER %s is uid 0", s->user);
        else
            put(r, "runs as root: USER %s is uid 0 in /etc/passwd", s->user);
        reason(r, HULL_SURF_ROOT, points[HULL_SURF_ROOT]);
        if (fam(r->s, "alpine"))
            put(r, "Add a non-root user: RUN adduser -S -D -H -u 10001 app, then USER 10001.");
        else if (s->distroless)
            put(r, "Run as the distroless nonroot user: USER 65532:65532 (or a :nonroot tag).");
        else if (!s->n_shells)
            put(r, "Set a numeric non-root user: USER 65532:65532 (no shell is needed for it).");
        else
            put(r, "Add a non-root user: RUN useradd --system --uid 10001 app, then USER 10001 "
                   "(numeric, so Kubernetes runAsNonRoot can verify it).");
        advise(r, HULL_SURF_ROOT);
    }
    if (s->n_setuid || s->n_setgid) {
        struct hull_strv all = { 0 };
        for (size_t i = 0; i < s->n_setuid && !r->rc; i++)
            r->rc = hull_strv_add(&all, s->setuid[i]);
        for (size_t i = 0; i < s->n_setgid && !r->rc; i++)
            r->rc = hull_strv_add(&all, s->setgid[i]);
        hull_strv_sort_uniq(&all);
        put(r, "%zu setuid/setgid file%s: ", all.n, all.n == 1 ? "" : "s");
        put_list(r, all.v, all.n, LIST_MAX);
        hull_strv_clear(&all);
        reason(r, HULL_SURF_SETUID, points[HULL_SURF_SETUID]);
        put(r, "Drop setuid/setgid bits the application does not need: RUN find / -xdev -perm "
               "/6000 -type f -exec chmod a-s {} + (in the final stage).");
        advise(r, HULL_SURF_SETUID);
    }
    if (s->n_world_writable) {
        put(r, "%zu world-writable director%s without the sticky bit: ", s->n_world_writable,
            s->n_world_writable == 1 ? "y" : "ies");
        put_list(r, s->world_writable, s->n_world_writable, LIST_MAX);
        reason(r, HULL_SURF_WORLD_WRITABLE, points[HULL_SURF_WORLD_WRITABLE]);
        put(r, "Remove world write access (chmod o-w DIR) or set the sticky bit (chmod +t DIR) "
               "on: ");
        put_list(r, s->world_writable, s->n_world_writable, LIST_MAX);
        put(r, ".");
        advise(r, HULL_SURF_WORLD_WRITABLE);
    }
    if (s->eol && s->eol_passed) {
        put(r, "%s reached end of life on %s (%s support; checked on %s)", s->eol->name,
            s->eol->date, s->eol->kind, s->today);
        reason(r, HULL_SURF_EOL, points[HULL_SURF_EOL]);
        const struct hull_surface_eol *n = newest_supported(s);
        if (n)
            put(r, "Rebase onto a supported release: %s (supported until %s) or later.", n->name,
                n->date);
        else
            put(r, "Rebase onto a supported release of a maintained distribution.");
        advise(r, HULL_SURF_EOL);
    } else if (!s->eol) {
        if (s->os_family)
            put(r, "end of life unknown: %s %s is not in hull's end-of-life table", s->os_family,
                s->os_version ? s->os_version : "(no version)");
        else
            put(r, "end of life unknown: no operating system detected");
        reason(r, HULL_SURF_EOL_UNKNOWN, 0);
    }
    if (s->uid < 0) {
        put(r, "USER %s is not in the image's /etc/passwd: uid unknown, not counted as root",
            s->user);
        reason(r, HULL_SURF_USER_UNKNOWN, 0);
        put(r, "Use a numeric USER uid:gid, or create the user in the image.");
        advise(r, HULL_SURF_USER_UNKNOWN);
    }
    if (s->vulns_known && s->vulns_total) {
        const size_t *v = s->vulns_by_severity;
        put(r, "%zu known vulnerabilit%s (CRITICAL %zu, HIGH %zu, MEDIUM %zu, LOW %zu, "
               "UNKNOWN %zu)", s->vulns_total, s->vulns_total == 1 ? "y" : "ies",
            v[HULL_SEV_CRITICAL], v[HULL_SEV_HIGH], v[HULL_SEV_MEDIUM], v[HULL_SEV_LOW],
            v[HULL_SEV_UNKNOWN]);
        reason(r, HULL_SURF_VULNS, v[HULL_SEV_CRITICAL] ? points[HULL_SURF_VULNS]
                                   : v[HULL_SEV_HIGH]   ? 1
                                                        : 0);
        put(r, "Rebuild on the current base image tag and upgrade the affected packages; "
               "hull image lists every finding with the version that fixes it.");
        advise(r, HULL_SURF_VULNS);
    }
}

int hull_surface_rate(struct hull_surface *s, struct hull_err **err)
{
    hull_surface_clear_rating(s);
    s->score = 0;
    struct rater r = { .s = s, .b = HULL_BUF_INIT(0) };
    rate_findings(&r);
    hull_buf_release(&r.b);
    if (r.rc) {
        hull_surface_clear_rating(s);
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    }
    s->rating = s->score >= 6 ? HULL_SURFACE_HIGH
                : s->score >= 2 ? HULL_SURFACE_MEDIUM
                                : HULL_SURFACE_LOW;
    return 0;
}
