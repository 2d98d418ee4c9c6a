/* Lint reporters: tty (file:line:col CODE level: message), json in hadolint's shape (one array
 * of {code, column, file, level, line, message}), SARIF 2.1.0 (info and style become "note",
 * as hadolint#870 asks), checkstyle XML and GitLab Code Quality (codeclimate JSON with a
 * stable fingerprint). Output goes only to the caller's FILE *f. */
#include "core/common.h"
#include "core/digest.h"
#include "lint/lintpriv.h"
#include <jansson.h>

int hull_lint_format_parse(const char *s)
{
    if (!strcmp(s, "tty"))
        return HULL_LINT_FMT_TTY;
    if (!strcmp(s, "json"))
        return HULL_LINT_FMT_JSON;
    if (!strcmp(s, "sarif"))
        return HULL_LINT_FMT_SARIF;
    if (!strcmp(s, "checkstyle"))
        return HULL_LINT_FMT_CHECKSTYLE;
    if (!strcmp(s, "gitlab") || !strcmp(s, "gitlab_codeclimate") || !strcmp(s, "codeclimate"))
        return HULL_LINT_FMT_GITLAB;
    return -1;
}

static int emit_json(FILE *f, json_t *root, struct hull_err **err)
{
    if (!root)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    int rc = 0;
    if (fputs(s, f) < 0 || fputc('\n', f) == EOF)
        rc = hull_err_sys(err, HULL_E_IO, errno, "write");
    free(s);
    return rc;
}

static int report_tty(FILE *f, const struct hull_lint_result *res, size_t nres, bool color,
                      struct hull_err **err)
{
    static const char *const col[] = { "\033[1;31m", "\033[1;33m", "\033[1;36m", "\033[1;32m",
                                       "" };
    for (size_t r = 0; r < nres; r++) {
        for (size_t i = 0; i < res[r].nfindings; i++) {
            const struct hull_lint_finding *x = &res[r].findings[i];
            const char *lv = hull_lint_level_name(x->level);
            if (color)
                fprintf(f, "%s:%d:%d %s%s\033[0m %s%s\033[0m: %s\n", res[r].file, x->line,
                        x->column, "\033[1m", x->code, col[x->level], lv, x->message);
            else
                fprintf(f, "%s:%d:%d %s %s: %s\n", res[r].file, x->line, x->column, x->code, lv,
                        x->message);
        }
    }
    if (ferror(f))
        return hull_err_sys(err, HULL_E_IO, errno, "write");
    return 0;
}

static int report_json(FILE *f, const struct hull_lint_result *res, size_t nres,
                       struct hull_err **err)
{
    json_t *a = json_array();
    for (size_t r = 0; a && r < nres; r++) {
        for (size_t i = 0; i < res[r].nfindings; i++) {
            const struct hull_lint_finding *x = &res[r].findings[i];
            json_array_append_new(a, json_pack("{s:s, s:i, s:s, s:s, s:i, s:s}", "code", x->code,
                                               "column", x->column, "file", res[r].file, "level",
                                               hull_lint_level_name(x->level), "line", x->line,
                                               "message", x->message));
        }
    }
    return emit_json(f, a, err);
}

static const char *sarif_level(enum hull_lint_level l)
{
    return l == HULL_LINT_ERROR ? "error" : l == HULL_LINT_WARNING ? "warning" : "note";
}

static int report_sarif(FILE *f, const struct hull_lint_result *res, size_t nres,
                        struct hull_err **err)
{
    size_t nr;
    const struct hull_lint_rule *tab = hull_lint_rules(&nr);
    json_t *rules = json_array(), *results = json_array();
    json_t *seen = json_object();
    for (size_t r = 0; r < nres; r++) {
        for (size_t i = 0; i < res[r].nfindings; i++) {
            const struct hull_lint_finding *x = &res[r].findings[i];
            if (!json_object_get(seen, x->code)) {
                json_object_set_new(seen, x->code, json_true());
                const struct hull_lint_rule *ru = NULL;
                for (size_t k = 0; k < nr; k++)
                    if (!strcmp(tab[k].code, x->code))
                        ru = &tab[k];
                json_t *rule = json_pack("{s:s}", "id", x->code);
                if (ru) {
                    json_object_set_new(rule, "name", json_string(ru->name));
                    json_object_set_new(rule, "shortDescription",
                                        json_pack("{s:s}", "text", ru->summary));
                    json_object_set_new(rule, "defaultConfiguration",
                                        json_pack("{s:s}", "level", sarif_level(ru->level)));
                } else if (!strncmp(x->code, "SC", 2)) {
                    char uri[128];
                    snprintf(uri, sizeof(uri), "https://www.shellcheck.net/wiki/%s", x->code);
                    json_object_set_new(rule, "helpUri", json_string(uri));
                }
                json_array_append_new(rules, rule);
            }
            json_t *loc = json_pack("{s:{s:{s:s}, s:{s:i, s:i}}}", "physicalLocation",
                                    "artifactLocation", "uri", res[r].file, "region",
                                    "startLine", x->line, "startColumn", x->column);
            json_array_append_new(results,
                                  json_pack("{s:s, s:s, s:{s:s}, s:[o]}", "ruleId", x->code,
                                            "level", sarif_level(x->level), "message", "text",
                                            x->message, "locations", loc));
        }
    }
    json_decref(seen);
    json_t *root = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
                             "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                             "runs", "tool", "driver", "name", "hull", "version", HULL_VERSION,
                             "rules", rules, "results", results);
    return emit_json(f, root, err);
}

static void xml_attr(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
}

static int report_checkstyle(FILE *f, const struct hull_lint_result *res, size_t nres,
                             struct hull_err **err)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (size_t r = 0; r < nres; r++) {
        fprintf(f, "<file name=\"");
        xml_attr(f, res[r].file);
        fprintf(f, "\">\n");
        for (size_t i = 0; i < res[r].nfindings; i++) {
            const struct hull_lint_finding *x = &res[r].findings[i];
            const char *sev = x->level == HULL_LINT_ERROR ? "error"
                              : x->level == HULL_LINT_WARNING ? "warning" : "info";
            fprintf(f, "<error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"", x->line,
                    x->column, sev);
            xml_attr(f, x->message);
            fprintf(f, "\" source=\"");
            xml_attr(f, x->code);
            fprintf(f, "\"/>\n");
        }
        fprintf(f, "</file>\n");
    }
    fprintf(f, "</checkstyle>\n");
    if (ferror(f))
        return hull_err_sys(err, HULL_E_IO, errno, "write");
    return 0;
}

static int report_gitlab(FILE *f, const struct hull_lint_result *res, size_t nres,
                         struct hull_err **err)
{
    static const char *const sev[] = { "blocker", "major", "info", "minor", "info" };
    json_t *a = json_array();
    for (size_t r = 0; a && r < nres; r++) {
        for (size_t i = 0; i < res[r].nfindings; i++) {
            const struct hull_lint_finding *x = &res[r].findings[i];
            char *key = NULL;
            if (asprintf(&key, "%s\n%d\n%d\n%s\n%s", res[r].file, x->line, x->column, x->code,
                         x->message) < 0) {
                json_decref(a);
                return hull_err_set(err, HULL_E_NOMEM, "out of memory");
            }
            char d[HULL_DIGEST_STRLEN + 1];
            hull_sha256_digest(key, strlen(key), d);
            free(key);
            json_array_append_new(
                a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:{s:i}}}", "type", "issue",
                             "check_name", x->code, "description", x->message, "fingerprint",
                             d + 7, "severity", sev[x->level], "location", "path", res[r].file,
                             "lines", "begin", x->line));
        }
    }
    return emit_json(f, a, err);
}

int hull_lint_report(FILE *f, enum hull_lint_format fmt, const struct hull_lint_result *res,
                     size_t nres, bool color, struct hull_err **err)
{
    switch (fmt) {
    case HULL_LINT_FMT_TTY: return report_tty(f, res, nres, color, err);
    case HULL_LINT_FMT_JSON: return report_json(f, res, nres, err);
    case HULL_LINT_FMT_SARIF: return report_sarif(f, res, nres, err);
    case HULL_LINT_FMT_CHECKSTYLE: return report_checkstyle(f, res, nres, err);
    case HULL_LINT_FMT_GITLAB: return report_gitlab(f, res, nres, err);
    }
    return hull_err_set(err, HULL_E_USAGE, "unknown lint format");
}
