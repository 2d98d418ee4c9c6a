/* End-of-life table for the base-image operating systems hull recognises, and the date
 * helpers the EOL check needs. Each date is the last day of security support as published by
 * the distribution (the sources are listed per row and in docs/surface.md). Debian rows give
 * the end of Debian LTS, Ubuntu rows the end of standard support (without Ubuntu Pro/ESM),
 * Alpine rows the end of support of the branch, RHEL-family rows the end of the maintenance
 * phase. A release is past its end of life when today's date is after the row's date. */
#include "core/common.h"
#include <ctype.h>
#include <time.h>
#include "surface/surfpriv.h"

#define SRC_DEBIAN "https://wiki.debian.org/LTS"
#define SRC_UBUNTU "https://ubuntu.com/about/release-cycle"
#define SRC_ALPINE "https://alpinelinux.org/releases/"
#define SRC_RHEL "https://access.redhat.com/support/policy/updates/errata"
#define SRC_CENTOS "https://www.centos.org/centos-linux-eol/"
#define SRC_ROCKY "https://wiki.rockylinux.org/rocky/version/"
#define SRC_ALMA "https://wiki.almalinux.org/release-notes/"

/* Sorted by family, then by date (which is also release order within a family). */
static const struct hull_surface_eol table[] = {
    { "alma", "8", "AlmaLinux 8", "2029-03-01", "security", SRC_ALMA },
    { "alma", "9", "AlmaLinux 9", "2032-05-31", "security", SRC_ALMA },
    { "alpine", "3.12", "Alpine 3.12", "2022-05-01", "security", SRC_ALPINE },
    { "alpine", "3.13", "Alpine 3.13", "2022-11-01", "security", SRC_ALPINE },
    { "alpine", "3.14", "Alpine 3.14", "2023-05-01", "security", SRC_ALPINE },
    { "alpine", "3.15", "Alpine 3.15", "2023-11-01", "security", SRC_ALPINE },
    { "alpine", "3.16", "Alpine 3.16", "2024-05-23", "security", SRC_ALPINE },
    { "alpine", "3.17", "Alpine 3.17", "2024-11-22", "security", SRC_ALPINE },
    { "alpine", "3.18", "Alpine 3.18", "2025-05-09", "security", SRC_ALPINE },
    { "alpine", "3.19", "Alpine 3.19", "2025-11-01", "security", SRC_ALPINE },
    { "alpine", "3.20", "Alpine 3.20", "2026-04-01", "security", SRC_ALPINE },
    { "alpine", "3.21", "Alpine 3.21", "2026-11-01", "security", SRC_ALPINE },
    { "alpine", "3.22", "Alpine 3.22", "2027-05-01", "security", SRC_ALPINE },
    { "centos", "8", "CentOS Linux 8", "2021-12-31", "maintenance", SRC_CENTOS },
    { "centos", "7", "CentOS Linux 7", "2024-06-30", "maintenance", SRC_CENTOS },
    { "debian", "8", "Debian 8 jessie", "2020-06-30", "LTS", SRC_DEBIAN },
    { "debian", "9", "Debian 9 stretch", "2022-06-30", "LTS", SRC_DEBIAN },
    { "debian", "10", "Debian 10 buster", "2024-06-30", "LTS", SRC_DEBIAN },
    { "debian", "11", "Debian 11 bullseye", "2026-08-31", "LTS", SRC_DEBIAN },
    { "debian", "12", "Debian 12 bookworm", "2028-06-30", "LTS", SRC_DEBIAN },
    { "debian", "13", "Debian 13 trixie", "2030-06-30", "LTS", SRC_DEBIAN },
    { "rhel", "7", "RHEL 7", "2024-06-30", "maintenance", SRC_RHEL },
    { "rhel", "8", "RHEL 8", "2029-05-31", "maintenance", SRC_RHEL },
    { "rhel", "9", "RHEL 9", "2032-05-31", "maintenance", SRC_RHEL },
    { "rhel", "10", "RHEL 10", "2035-05-31", "maintenance", SRC_RHEL },
    { "rocky", "8", "Rocky Linux 8", "2029-05-31", "security", SRC_ROCKY },
    { "rocky", "9", "Rocky Linux 9", "2032-05-31", "security", SRC_ROCKY },
    { "ubuntu", "16.04", "Ubuntu 16.04 LTS xenial", "2021-04-30", "standard", SRC_UBUNTU },
    { "ubuntu", "18.04", "Ubuntu 18.04 LTS bionic", "2023-05-31", "standard", SRC_UBUNTU },
    { "ubuntu", "20.04", "Ubuntu 20.04 LTS focal", "2025-05-31", "standard", SRC_UBUNTU },
    { "ubuntu", "22.04", "Ubuntu 22.04 LTS jammy", "2027-06-01", "standard", SRC_UBUNTU },
    { "ubuntu", "24.04", "Ubuntu 24.04 LTS noble", "2029-05-31", "standard", SRC_UBUNTU },
};

const struct hull_surface_eol *hull_surface_eol_row(size_t i)
{
    return i < HULL_ARRAY_LEN(table) ? &table[i] : NULL;
}

/* The release key of version for family: the leading digits ("12"), digits.digits
 * ("3.18", "22.04"). Returns false when version does not start that way. */
static bool release_key(const char *family, const char *version, char *out, size_t cap)
{
    size_t parts = !strcmp(family, "alpine") || !strcmp(family, "ubuntu") ? 2 : 1;
    const char *p = version;
    size_t n = 0;
    for (size_t part = 0; part < parts; part++) {
        if (part) {
            if (*p != '.')
                return false;
            if (n + 1 >= cap)
                return false;
            out[n++] = *p++;
        }
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p)) {
            if (n + 1 >= cap)
                return false;
            out[n++] = *p++;
        }
    }
    /* "3.18.8", "12.15", "22.04" and "9" end here or at a '.'; "3.19_alpha" does not */
    if (*p && *p != '.')
        return false;
    out[n] = 0;
    return true;
}

const struct hull_surface_eol *hull_surface_eol_lookup(const char *family, const char *version)
{
    char key[32];
    if (!family || !version || !release_key(family, version, key, sizeof(key)))
        return NULL;
    for (size_t i = 0; i < HULL_ARRAY_LEN(table); i++)
        if (!strcmp(table[i].family, family) && !strcmp(table[i].release, key))
            return &table[i];
    return NULL;
}

void hull_surface_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        memcpy(out, "1970-01-01", 11);
}

bool hull_surface_date_valid(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    if (!s || strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; i < sizeof(shape) - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}
