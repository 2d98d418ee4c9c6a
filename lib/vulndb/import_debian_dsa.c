/* Debian security-tracker raw advisory lists (data/DSA/list, data/DLA/list):
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *   	[buster] - foo <not-affected> (reason)      also <end-of-life>, <unfixed>
 *   	NOTE: ...
 * One advisory per header line (the CVEs in braces are its aliases), one affected entry per
 * release line: a version means fixed, <not-affected> not_affected, <end-of-life> end_of_life,
 * <unfixed> affected. Lines hull does not understand inside an advisory are ignored; a header
 * that does not parse is a malformed record. The document replaces the source "debian-dsa" or
 * "debian-dla" (from the first advisory id). */
#include "core/common.h"
#include "vulndb/vdb.h"

struct adv {
    char id[VDB_MAX_ID + 1];
    char pkg[VDB_MAX_NAME + 1];
    char date[40];
    char *summary;
    json_t *aliases;
    json_t *rel;  /* [[release number, package, status, version-or-reason]] */
    bool open;
};

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update"; old entries may have two spaces
 * before the package or no package at all ("DSA-1727-1  - SQL injection vulnerabilites"). */
static bool parse_header(const char *l, struct adv *a)
{
    int day, year;
    char mon[4], id[VDB_MAX_ID + 1], pkg[VDB_MAX_NAME + 1];
    int n = 0;
    if (sscanf(l, "[%2d %3s %4d] %256s %512s%n", &day, mon, &year, id, pkg, &n) != 5)
        return false;
    if (!strcmp(pkg, "-")) {
        /* no package: the description follows directly */
        snprintf(pkg, sizeof(pkg), "%s", "?");
        n -= 1;
    }
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (!strcmp(mon, months[i]))
            m = i + 1;
    if (m < 0 || day < 1 || day > 31 || year < 1990 || year > 2200 || !vdb_str_ok(id, VDB_MAX_ID) ||
        !vdb_str_ok(pkg, VDB_MAX_NAME) || (strncmp(id, "DSA-", 4) && strncmp(id, "DLA-", 4)))
        return false;
    snprintf(a->id, sizeof(a->id), "%s", id);
    snprintf(a->pkg, sizeof(a->pkg), "%s", pkg);
    snprintf(a->date, sizeof(a->date), "%04d-%02d-%02d", year, m, day);
    const char *rest = l + n;
    while (*rest == ' ')
        rest++;
    if (*rest == '-')
        rest++;
    while (*rest == ' ')
        rest++;
    /* summary "<package>: <description>" keeps the header's package for advisories without
     * release lines */
    free(a->summary);
    if (asprintf(&a->summary, "%s: %.1000s", pkg, rest) < 0)
        a->summary = NULL;
    return true;
}

static int flush(struct vdb_writer *w, struct adv *a, struct hull_err **err)
{
    if (!a->open)
        return 0;
    a->open = false;
    struct vdb_adv v = { .id = a->id, .summary = a->summary, .published = a->date,
                         .aliases = a->aliases };
    int r = vdb_put_advisory(w, &v, err);
    size_t i;
    json_t *e;
    json_array_foreach(a->rel, i, e) {
        if (r < 0)
            break;
        char eco[32];
        snprintf(eco, sizeof(eco), "Debian:%s", json_string_value(json_array_get(e, 0)));
        const char *st = json_string_value(json_array_get(e, 2));
        const char *val = json_string_value(json_array_get(e, 3));
        struct vdb_aff f = { .ecosystem = eco, .package = json_string_value(json_array_get(e, 1)) };
        f.status = (enum hull_vuln_status)hull_vuln_status_parse(st);
        if (f.status == HULL_VULN_FIXED)
            f.fixed = val;
        else
            f.reason = val && *val ? val : NULL;
        r = vdb_put_affected(w, a->id, &f, err);
    }
    json_array_clear(a->aliases);
    json_array_clear(a->rel);
    return r;
}

/* "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6" or "... <not-affected> (reason)" */
static void release_line(struct adv *a, const char *l)
{
    char code[32], pkg[VDB_MAX_NAME + 1], ver[VDB_MAX_NAME + 1];
    int n = 0;
    if (sscanf(l, " [%31[a-z]] - %512s %512s%n", code, pkg, ver, &n) != 3)
        return;
    const char *num = vdb_debian_release_number(code);
    if (!num || !vdb_str_ok(pkg, VDB_MAX_NAME) || !vdb_str_ok(ver, VDB_MAX_NAME) ||
        json_array_size(a->rel) >= 1000)
        return;
    const char *status = "fixed";
    const char *val = ver;
    char reason[300] = "";
    if (ver[0] == '<') {
        if (!strcmp(ver, "<not-affected>"))
            status = "not_affected";
        else if (!strcmp(ver, "<end-of-life>"))
            status = "end_of_life";
        else if (!strcmp(ver, "<unfixed>"))
            status = "affected";
        else
            return;
        const char *p = l + n;
        while (*p == ' ')
            p++;
        snprintf(reason, sizeof(reason), "%s", *p == '(' ? p + 1 : p);
        size_t rl = strlen(reason);
        while (rl && (reason[rl - 1] == ')' || reason[rl - 1] == ' '))
            reason[--rl] = 0;
        val = reason;
    }
    json_array_append_new(a->rel, json_pack("[s,s,s,s]", num, pkg, status, val));
}

int vdb_import_debian_dsa(struct vdb_writer *w, const char *origin, const char *buf, size_t len,
                          struct hull_err **err)
{
    struct adv a = { .aliases = json_array(), .rel = json_array() };
    bool begun = false;
    int r = 0;
    size_t pos = 0, lineno = 0;
    char line[8192];
    while (pos < len && r == 0) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        size_t cl = l < sizeof(line) - 1 ? l : sizeof(line) - 1;
        memcpy(line, buf + pos, cl);
        line[cl] = 0;
        pos += l + (nl ? 1 : 0);
        lineno++;
        if (strlen(line) != cl) {
            r = vdb_skip(w, "line", "NUL byte", err);
            continue;
        }
        if (line[0] == '[') {
            if ((r = flush(w, &a, err)) < 0)
                break;
            struct adv h = { .aliases = a.aliases, .rel = a.rel, .summary = a.summary };
            bool ok = parse_header(line, &h);
            a.summary = h.summary;
            if (!begun && ok) {
                const char *src = !strncmp(h.id, "DSA-", 4) ? "debian-dsa" : "debian-dla";
                if ((r = vdb_source_begin(w, src, "debian-dsa", origin, true, err)) < 0)
                    break;
                begun = true;
            }
            if (begun)
                vdb_count_record(w);
            if (!ok) {
                char pos_s[48];
                snprintf(pos_s, sizeof(pos_s), "line %zu", lineno);
                if (!begun) {
                    r = hull_err_set(err, HULL_E_PARSE, "%s: not a Debian DSA/DLA list (%s)",
                                     origin, pos_s);
                    break;
                }
                r = vdb_skip(w, pos_s, "bad advisory header", err);
                continue;
            }
            memcpy(a.id, h.id, sizeof(a.id));
            memcpy(a.pkg, h.pkg, sizeof(a.pkg));
            memcpy(a.date, h.date, sizeof(a.date));
            a.open = true;
        } else if (a.open && line[0] == '\t') {
            const char *p = line + 1;
            if (*p == '{') {
                char *save = NULL, *copy = strdup(p + 1);
                if (!copy) {
                    r = hull_err_set(err, HULL_E_NOMEM, "out of memory");
                    break;
                }
                char *end = strchr(copy, '}');
                if (end)
                    *end = 0;
                for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
                    if (vdb_str_ok(t, VDB_MAX_ID) && json_array_size(a.aliases) < 4096)
                        json_array_append_new(a.aliases, json_string(t));
                free(copy);
            } else if (*p == '[') {
                release_line(&a, p);
            }
        }
    }
    if (r == 0)
        r = flush(w, &a, err);
    if (r == 0 && !begun)
        r = hull_err_set(err, HULL_E_PARSE, "%s: no advisory in the DSA/DLA list", origin);
    if (r == 0)
        r = vdb_source_end(w, err);
    free(a.summary);
    json_decref(a.aliases);
    json_decref(a.rel);
    return r;
}
