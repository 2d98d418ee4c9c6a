/* CVSS base scores from vector strings, per the FIRST specifications:
 *   v2.0  "A Complete Guide to the Common Vulnerability Scoring System Version 2.0", 3.2.1
 *   v3.0  CVSS v3.0 Specification, 8.1 (Roundup = ceil to one decimal)
 *   v3.1  CVSS v3.1 Specification, 7.1 and Appendix A (integer-safe Roundup)
 *   v4.0  CVSS v4.0 Specification, 8 (MacroVector lookup + severity-distance interpolation,
 *         table and max vectors of FIRST's reference calculator).
 * Vectors are hostile input: unknown metrics or values, repeated or missing base metrics make
 * the vector invalid (-1). */
#include "core/common.h"
#include <math.h>
#include "hull/vulndb.h"

#define MAXM 40

struct metric {
    char key[5];
    char val[8];
};

/* Split "K:V/K:V..." into metrics. Returns count or -1. */
static int split(const char *s, struct metric *m)
{
    int n = 0;
    while (*s) {
        if (n == MAXM)
            return -1;
        const char *c = strchr(s, ':');
        if (!c || c == s || c - s >= (long)sizeof(m[n].key))
            return -1;
        const char *e = c + 1;
        while (*e && *e != '/')
            e++;
        if (e == c + 1 || e - (c + 1) >= (long)sizeof(m[n].val))
            return -1;
        memcpy(m[n].key, s, (size_t)(c - s));
        m[n].key[c - s] = 0;
        memcpy(m[n].val, c + 1, (size_t)(e - c - 1));
        m[n].val[e - c - 1] = 0;
        for (int i = 0; i < n; i++)
            if (!strcmp(m[i].key, m[n].key))
                return -1;
        n++;
        s = *e ? e + 1 : e;
        if (*e && !*s)
            return -1; /* trailing slash */
    }
    return n;
}

/* Value of key (or NULL). */
static const char *get(const struct metric *m, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(m[i].key, key))
            return m[i].val;
    return NULL;
}

/* Index of v in the allowed values "A|B|C" or -1. */
static int pick(const char *v, const char *allowed)
{
    if (!v)
        return -1;
    size_t vl = strlen(v);
    int idx = 0;
    for (const char *p = allowed;; idx++) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == vl && !strncmp(p, v, l))
            return idx;
        if (!bar)
            return -1;
        p = bar + 1;
    }
}

struct known {
    const char *key, *values;
    bool base;
};

/* Every metric must be known with a valid value; base metrics must all be present. */
static bool validate(const struct metric *m, int n, const struct known *k, size_t nk)
{
    for (int i = 0; i < n; i++) {
        size_t j = 0;
        for (; j < nk; j++)
            if (!strcmp(m[i].key, k[j].key))
                break;
        if (j == nk || pick(m[i].val, k[j].values) < 0)
            return false;
    }
    for (size_t j = 0; j < nk; j++)
        if (k[j].base && !get(m, n, k[j].key))
            return false;
    return true;
}

/* ---- v2 ---- */

static const struct known v2_known[] = {
    { "AV", "L|A|N", true },  { "AC", "H|M|L", true },   { "Au", "M|S|N", true },
    { "C", "N|P|C", true },   { "I", "N|P|C", true },    { "A", "N|P|C", true },
    { "E", "U|POC|F|H|ND", false }, { "RL", "OF|TF|W|U|ND", false }, { "RC", "UC|UR|C|ND", false },
    { "CDP", "N|L|LM|MH|H|ND", false }, { "TD", "N|L|M|H|ND", false },
    { "CR", "L|M|H|ND", false }, { "IR", "L|M|H|ND", false }, { "AR", "L|M|H|ND", false },
};

static double score_v2(const struct metric *m, int n)
{
    if (!validate(m, n, v2_known, HULL_ARRAY_LEN(v2_known)))
        return -1;
    static const double av[] = { 0.395, 0.646, 1.0 }, ac[] = { 0.35, 0.61, 0.71 },
                        au[] = { 0.45, 0.56, 0.704 }, cia[] = { 0.0, 0.275, 0.660 };
    double c = cia[pick(get(m, n, "C"), "N|P|C")], i = cia[pick(get(m, n, "I"), "N|P|C")],
           a = cia[pick(get(m, n, "A"), "N|P|C")];
    double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
    double expl = 20 * av[pick(get(m, n, "AV"), "L|A|N")] * ac[pick(get(m, n, "AC"), "H|M|L")] *
                  au[pick(get(m, n, "Au"), "M|S|N")];
    double f = impact == 0 ? 0 : 1.176;
    double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
    return round(base * 10 + 1e-9) / 10.0;
}

/* ---- v3.0 / v3.1 ---- */

static const struct known v3_known[] = {
    { "AV", "N|A|L|P", true }, { "AC", "L|H", true }, { "PR", "N|L|H", true },
    { "UI", "N|R", true },     { "S", "U|C", true },  { "C", "H|L|N", true },
    { "I", "H|L|N", true },    { "A", "H|L|N", true },
    { "E", "X|U|P|F|H", false }, { "RL", "X|O|T|W|U", false }, { "RC", "X|U|R|C", false },
    { "CR", "X|L|M|H", false }, { "IR", "X|L|M|H", false }, { "AR", "X|L|M|H", false },
    { "MAV", "X|N|A|L|P", false }, { "MAC", "X|L|H", false }, { "MPR", "X|N|L|H", false },
    { "MUI", "X|N|R", false }, { "MS", "X|U|C", false }, { "MC", "X|N|L|H", false },
    { "MI", "X|N|L|H", false }, { "MA", "X|N|L|H", false },
};

static double roundup31(double x)
{
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0)
        return (double)i / 100000.0;
    return (double)(i / 10000 + 1) / 10.0;
}

static double roundup30(double x)
{
    return ceil(x * 10.0 - 1e-9) / 10.0;
}

static double score_v3(const struct metric *m, int n, bool v31)
{
    if (!validate(m, n, v3_known, HULL_ARRAY_LEN(v3_known)))
        return -1;
    static const double av[] = { 0.85, 0.62, 0.55, 0.2 }, ac[] = { 0.77, 0.44 },
                        pr_u[] = { 0.85, 0.62, 0.27 }, pr_c[] = { 0.85, 0.68, 0.5 },
                        ui[] = { 0.85, 0.62 }, cia[] = { 0.56, 0.22, 0.0 };
    bool changed = pick(get(m, n, "S"), "U|C") == 1;
    double c = cia[pick(get(m, n, "C"), "H|L|N")], i = cia[pick(get(m, n, "I"), "H|L|N")],
           a = cia[pick(get(m, n, "A"), "H|L|N")];
    double iss = 1 - (1 - c) * (1 - i) * (1 - a);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    int pr = pick(get(m, n, "PR"), "N|L|H");
    double expl = 8.22 * av[pick(get(m, n, "AV"), "N|A|L|P")] * ac[pick(get(m, n, "AC"), "L|H")] *
                  (changed ? pr_c[pr] : pr_u[pr]) * ui[pick(get(m, n, "UI"), "N|R")];
    if (impact <= 0)
        return 0.0;
    double raw = changed ? fmin(1.08 * (impact + expl), 10) : fmin(impact + expl, 10);
    return v31 ? roundup31(raw) : roundup30(raw);
}

/* ---- v4.0 ---- */

static const struct known v4_known[] = {
    { "AV", "N|A|L|P", true }, { "AC", "L|H", true }, { "AT", "N|P", true },
    { "PR", "N|L|H", true },   { "UI", "N|P|A", true }, { "VC", "H|L|N", true },
    { "VI", "H|L|N", true },   { "VA", "H|L|N", true }, { "SC", "H|L|N", true },
    { "SI", "H|L|N", true },   { "SA", "H|L|N", true },
    { "E", "X|A|P|U", false }, { "CR", "X|H|M|L", false }, { "IR", "X|H|M|L", false },
    { "AR", "X|H|M|L", false }, { "MAV", "X|N|A|L|P", false }, { "MAC", "X|L|H", false },
    { "MAT", "X|N|P", false }, { "MPR", "X|N|L|H", false }, { "MUI", "X|N|P|A", false },
    { "MVC", "X|H|L|N", false }, { "MVI", "X|H|L|N", false }, { "MVA", "X|H|L|N", false },
    { "MSC", "X|H|L|N", false }, { "MSI", "X|S|H|L|N", false }, { "MSA", "X|S|H|L|N", false },
    { "S", "X|N|P", false }, { "AU", "X|N|Y", false }, { "R", "X|A|U|I", false },
    { "V", "X|D|C", false }, { "RE", "X|L|M|H", false }, { "U", "X|Clear|Green|Amber|Red", false },
};

/* MacroVector scores x10, indexed [eq1][eq2][eq3][eq4][eq5][eq6]; -1 = no such MacroVector. */
static const signed char v4_lookup[3 * 2 * 3 * 3 * 3 * 2] = {
    100, 99, 98, 95, 95, 92, 100, 96, 93, 87, 91, 81, 93, 90, 89, 80, 81, 68,
    98, 95, 95, 92, 90, 84, 93, 92, 89, 81, 81, 65, 88, 80, 78, 70, 69, 48,
    -1, 92, -1, 82, -1, 72, -1, 79, -1, 69, -1, 50, -1, 69, -1, 55, -1, 27,
    99, 97, 95, 92, 92, 85, 95, 91, 90, 83, 84, 71, 92, 81, 82, 71, 72, 53,
    95, 93, 92, 85, 85, 73, 92, 82, 80, 72, 70, 59, 84, 70, 71, 52, 50, 30,
    -1, 86, -1, 75, -1, 52, -1, 71, -1, 52, -1, 29, -1, 63, -1, 29, -1, 17,
    98, 95, 94, 87, 91, 81, 94, 89, 86, 74, 77, 64, 87, 75, 74, 63, 63, 49,
    94, 89, 88, 77, 76, 67, 86, 76, 74, 58, 59, 50, 72, 57, 57, 52, 52, 25,
    -1, 83, -1, 70, -1, 54, -1, 65, -1, 58, -1, 26, -1, 53, -1, 21, -1, 13,
    95, 90, 88, 76, 76, 70, 90, 77, 75, 62, 61, 53, 77, 66, 68, 59, 52, 30,
    89, 78, 76, 67, 62, 58, 74, 59, 57, 57, 47, 23, 61, 52, 57, 29, 24, 16,
    -1, 71, -1, 59, -1, 30, -1, 58, -1, 26, -1, 15, -1, 23, -1, 13, -1, 6,
    93, 87, 86, 72, 75, 58, 86, 74, 74, 61, 56, 34, 70, 54, 52, 40, 40, 22,
    85, 75, 74, 55, 62, 51, 72, 57, 55, 41, 46, 19, 53, 36, 34, 19, 19, 8,
    -1, 64, -1, 51, -1, 20, -1, 47, -1, 21, -1, 11, -1, 24, -1, 9, -1, 4,
    88, 75, 73, 53, 60, 50, 73, 55, 59, 40, 41, 20, 54, 43, 45, 22, 20, 11,
    75, 55, 58, 45, 40, 21, 61, 51, 48, 18, 20, 9, 46, 18, 17, 7, 8, 2,
    -1, 53, -1, 24, -1, 14, -1, 24, -1, 12, -1, 5, -1, 10, -1, 3, -1, 1,
};

static int v4_mv(int e1, int e2, int e3, int e4, int e5, int e6)
{
    if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
        return -1;
    return v4_lookup[((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6];
}

/* Effective value of a metric: the modified metric overrides; E defaults to A; CR/IR/AR to H. */
static char eff(const struct metric *m, int n, const char *key)
{
    char mk[6];
    snprintf(mk, sizeof(mk), "M%s", key);
    const char *v = get(m, n, mk);
    if (v && strcmp(v, "X"))
        return v[0];
    v = get(m, n, key);
    if (v && strcmp(v, "X"))
        return v[0];
    if (!strcmp(key, "E"))
        return 'A';
    return 'H'; /* CR, IR, AR */
}

/* Severity level of a value (x10 of the reference calculator's levels). */
static int lvl(const char *key, char v)
{
    static const struct { const char *k, *vals; int first; } t[] = {
        { "AV", "NALP", 0 }, { "PR", "NLH", 0 }, { "UI", "NPA", 0 }, { "AC", "LH", 0 },
        { "AT", "NP", 0 },   { "VC", "HLN", 0 }, { "VI", "HLN", 0 }, { "VA", "HLN", 0 },
        { "SC", "HLN", 1 },  { "SI", "SHLN", 0 }, { "SA", "SHLN", 0 }, { "CR", "HML", 0 },
        { "IR", "HML", 0 },  { "AR", "HML", 0 },
    };
    for (size_t i = 0; i < HULL_ARRAY_LEN(t); i++)
        if (!strcmp(t[i].k, key)) {
            const char *p = strchr(t[i].vals, v);
            return p ? (int)(p - t[i].vals) + t[i].first : 0;
        }
    return 0;
}

/* Highest-severity vectors of each MacroVector level (reference calculator, max_composed). */
static const char *const mx_eq1[3][3] = {
    { "AV:N/PR:N/UI:N" }, { "AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P" },
    { "AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P" } };
static const char *const mx_eq2[2][2] = { { "AC:L/AT:N" }, { "AC:H/AT:N", "AC:L/AT:P" } };
static const char *const mx_eq36[3][2][5] = {
    { { "VC:H/VI:H/VA:H/CR:H/IR:H/AR:H" },
      { "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M" } },
    { { "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H" },
      { "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
        "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
        "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M" } },
    { { NULL }, { "VC:L/VI:L/VA:L/CR:H/IR:H/AR:H" } } };
static const char *const mx_eq4[3] = { "SC:H/SI:S/SA:S", "SC:H/SI:H/SA:H", "SC:L/SI:L/SA:L" };
static const int depth_eq1[3] = { 1, 4, 5 }, depth_eq2[2] = { 1, 2 },
                 depth_eq36[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } }, depth_eq4[3] = { 6, 5, 4 };

static int count_list(const char *const *l, int cap)
{
    int k = 0;
    while (k < cap && l[k])
        k++;
    return k;
}

static double score_v4(const struct metric *m, int n)
{
    if (!validate(m, n, v4_known, HULL_ARRAY_LEN(v4_known)))
        return -1;
    char av = eff(m, n, "AV"), pr = eff(m, n, "PR"), ui = eff(m, n, "UI"), ac = eff(m, n, "AC"),
         at = eff(m, n, "AT"), vc = eff(m, n, "VC"), vi = eff(m, n, "VI"), va = eff(m, n, "VA"),
         sc = eff(m, n, "SC"), si = eff(m, n, "SI"), sa = eff(m, n, "SA"), e = eff(m, n, "E"),
         cr = eff(m, n, "CR"), ir = eff(m, n, "IR"), ar = eff(m, n, "AR");
    if (vc == 'N' && vi == 'N' && va == 'N' && sc == 'N' && si == 'N' && sa == 'N')
        return 0.0;
    int eq1 = (av == 'N' && pr == 'N' && ui == 'N') ? 0
              : ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P') ? 1 : 2;
    int eq2 = (ac == 'L' && at == 'N') ? 0 : 1;
    int eq3 = (vc == 'H' && vi == 'H') ? 0 : (vc == 'H' || vi == 'H' || va == 'H') ? 1 : 2;
    int eq4 = (si == 'S' || sa == 'S') ? 0 : (sc == 'H' || si == 'H' || sa == 'H') ? 1 : 2;
    int eq5 = e == 'A' ? 0 : e == 'P' ? 1 : 2;
    int eq6 = ((cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') || (ar == 'H' && va == 'H'))
                  ? 0 : 1;
    int value = v4_mv(eq1, eq2, eq3, eq4, eq5, eq6);
    if (value < 0)
        return -1;
    int lower1 = v4_mv(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
    int lower2 = v4_mv(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
    int lower36;
    if (eq3 == 0 && eq6 == 0) {
        int l = v4_mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        int r = v4_mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        lower36 = l > r ? l : r;
    } else if (eq3 == 1 && eq6 == 0) {
        lower36 = v4_mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    } else if (eq3 == 2) {
        lower36 = -1;
    } else {
        lower36 = v4_mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    }
    int lower4 = v4_mv(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
    int lower5 = v4_mv(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

    /* the first composed max vector that is at least as severe in every metric */
    static const char *const keys[] = { "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA",
                                        "SC", "SI", "SA", "CR", "IR", "AR" };
    const char cur[] = { av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar };
    int dist[14] = { 0 };
    int n1 = count_list(mx_eq1[eq1], 3), n2 = count_list(mx_eq2[eq2], 2),
        n36 = count_list(mx_eq36[eq3][eq6], 5);
    bool found = false;
    for (int a = 0; a < n1 && !found; a++)
        for (int b = 0; b < n2 && !found; b++)
            for (int c = 0; c < n36 && !found; c++) {
                char buf[160];
                snprintf(buf, sizeof(buf), "%s/%s/%s/%s", mx_eq1[eq1][a], mx_eq2[eq2][b],
                         mx_eq36[eq3][eq6][c], mx_eq4[eq4]);
                struct metric mm[MAXM];
                int nm = split(buf, mm);
                bool ok = true;
                for (size_t k = 0; k < HULL_ARRAY_LEN(keys); k++) {
                    const char *mv = get(mm, nm, keys[k]);
                    dist[k] = lvl(keys[k], cur[k]) - lvl(keys[k], mv ? mv[0] : cur[k]);
                    if (dist[k] < 0)
                        ok = false;
                }
                found = ok;
            }
    int d1 = dist[0] + dist[1] + dist[2], d2 = dist[3] + dist[4];
    int d36 = dist[5] + dist[6] + dist[7] + dist[11] + dist[12] + dist[13];
    int d4 = dist[8] + dist[9] + dist[10];
    double sum = 0;
    int nlower = 0;
    /* scores are x10 and distances x10, so proportions are unitless */
    if (lower1 >= 0) {
        sum += (value - lower1) / 10.0 * ((double)d1 / depth_eq1[eq1]);
        nlower++;
    }
    if (lower2 >= 0) {
        sum += (value - lower2) / 10.0 * ((double)d2 / depth_eq2[eq2]);
        nlower++;
    }
    if (lower36 >= 0) {
        sum += (value - lower36) / 10.0 * ((double)d36 / depth_eq36[eq3][eq6]);
        nlower++;
    }
    if (lower4 >= 0) {
        sum += (value - lower4) / 10.0 * ((double)d4 / depth_eq4[eq4]);
        nlower++;
    }
    if (lower5 >= 0)
        nlower++; /* eq5 has no distance: proportion 0 */
    double score = value / 10.0 - (nlower ? sum / nlower : 0);
    if (score < 0)
        score = 0;
    if (score > 10)
        score = 10;
    return round(score * 10 + 1e-9) / 10.0;
}

double hull_cvss_score(const char *vector, int *version)
{
    if (version)
        *version = 0;
    if (!vector)
        return -1;
    size_t len = strlen(vector);
    if (len == 0 || len > 400)
        return -1;
    struct metric m[MAXM];
    int n, ver;
    double s;
    if (!strncmp(vector, "CVSS:3.1/", 9) || !strncmp(vector, "CVSS:3.0/", 9)) {
        ver = vector[7] == '1' ? 31 : 30;
        if ((n = split(vector + 9, m)) < 0)
            return -1;
        s = score_v3(m, n, ver == 31);
    } else if (!strncmp(vector, "CVSS:4.0/", 9)) {
        ver = 40;
        if ((n = split(vector + 9, m)) < 0)
            return -1;
        s = score_v4(m, n);
    } else if (!strncmp(vector, "CVSS:", 5)) {
        return -1;
    } else {
        ver = 2;
        char buf[401];
        const char *p = vector;
        if (p[0] == '(' && len >= 2 && vector[len - 1] == ')') {
            memcpy(buf, p + 1, len - 2);
            buf[len - 2] = 0;
            p = buf;
        }
        if (!strncmp(p, "CVSS:2.0/", 9))
            p += 9;
        if ((n = split(p, m)) < 0)
            return -1;
        s = score_v2(m, n);
    }
    if (s >= 0 && version)
        *version = ver;
    return s;
}

const char *hull_cvss_rating(double score)
{
    if (score < 0)
        return "UNKNOWN";
    if (score == 0)
        return "NONE";
    if (score < 4.0)
        return "LOW";
    if (score < 7.0)
        return "MEDIUM";
    if (score < 9.0)
        return "HIGH";
    return "CRITICAL";
}
