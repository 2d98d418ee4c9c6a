/* Lint configuration: `.hull.yaml`, which also accepts hadolint's `.hadolint.yaml` keys
 * (ignored, trustedRegistries, override {error,warning,info,style}, failure-threshold,
 * disable-ignore-pragma, label-schema {name: type}, strict-labels), read
 * with libyaml's document loader. Unknown keys are ignored (hadolint has many more); wrong
 * value types are errors naming the line. */
#include "core/common.h"
#include "lint/lintpriv.h"
#include "core/buf.h"
#include <yaml.h>

int hull_lint_read_file(const char *path, char **buf, size_t *len, struct hull_err **err)
{
    if (!strcmp(path, "-"))
        return hull_read_fd(0, "stdin", HULL_DOCKERFILE_MAX_BYTES, buf, len, err);
    return hull_read_file(path, HULL_DOCKERFILE_MAX_BYTES, buf, len, err);
}

void hull_lint_config_init(struct hull_lint_config *c)
{
    memset(c, 0, sizeof(*c));
    c->failure_threshold = -1;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void hull_lint_config_release(struct hull_lint_config *c)
{
    free_list(c->ignored, c->nignored);
    free_list(c->trusted, c->ntrusted);
    free_list(c->override_code, c->noverride);
    free(c->override_level);
    free_list(c->label_name, c->nlabels);
    free(c->label_type);
    hull_lint_config_init(c);
}

int hull_lint_config_add(char ***list, size_t *n, const char *s, struct hull_err **err)
{
    char **v = realloc(*list, (*n + 1) * sizeof(*v));
    if (!v)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    *list = v;
    if (!(v[*n] = strdup(s)))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    (*n)++;
    return 0;
}

int hull_lint_config_override(struct hull_lint_config *c, const char *code,
                              enum hull_lint_level level, struct hull_err **err)
{
    for (size_t i = 0; i < c->noverride; i++) {
        if (!strcasecmp(c->override_code[i], code)) {
            c->override_level[i] = level;
            return 0;
        }
    }
    enum hull_lint_level *l = realloc(c->override_level, (c->noverride + 1) * sizeof(*l));
    if (!l)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    c->override_level = l;
    size_t n = c->noverride;
    if (hull_lint_config_add(&c->override_code, &n, code, err) < 0)
        return -1;
    c->override_level[c->noverride++] = level;
    return 0;
}

static const char *const label_types[] = { "text", "email", "hash", "rfc3339", "semver",
                                           "spdx", "url" };

int hull_lint_label_type_parse(const char *s)
{
    for (size_t i = 0; i < HULL_ARRAY_LEN(label_types); i++)
        if (!strcmp(s, label_types[i]))
            return (int)i;
    return -1;
}

int hull_lint_config_label(struct hull_lint_config *c, const char *name,
                           enum hull_lint_label_type type, struct hull_err **err)
{
    for (size_t i = 0; i < c->nlabels; i++) {
        if (!strcmp(c->label_name[i], name)) {
            c->label_type[i] = type;
            return 0;
        }
    }
    enum hull_lint_label_type *t = realloc(c->label_type, (c->nlabels + 1) * sizeof(*t));
    if (!t)
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    c->label_type = t;
    size_t n = c->nlabels;
    if (hull_lint_config_add(&c->label_name, &n, name, err) < 0)
        return -1;
    c->label_type[c->nlabels++] = type;
    return 0;
}

static bool truthy(const char *s)
{
    return s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "True") ||
                 !strcmp(s, "on"));
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int bad(yaml_node_t *n, const char *key, const char *want, struct hull_err **err)
{
    return hull_err_set(err, HULL_E_PARSE, "line %zu: config key '%s' must be %s",
                        n ? n->start_mark.line + 1 : 0, key, want);
}

/* A string or a list of strings, appended to list. */
static int str_list(yaml_document_t *d, yaml_node_t *n, const char *key, char ***list,
                    size_t *cnt, struct hull_err **err)
{
    if (scalar(n))
        return *scalar(n) ? hull_lint_config_add(list, cnt, scalar(n), err) : 0;
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return bad(n, key, "a string or a list of strings", err);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = yaml_document_get_node(d, *it);
        if (!scalar(e))
            return bad(e, key, "a list of strings", err);
        if (hull_lint_config_add(list, cnt, scalar(e), err) < 0)
            return -1;
    }
    return 0;
}

int hull_lint_config_load(struct hull_lint_config *c, const char *p, size_t len,
                          struct hull_err **err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return hull_err_set(err, HULL_E_NOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)p, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = hull_err_set(err, HULL_E_PARSE, "line %zu: %s", parser.problem_mark.line + 1,
                              parser.problem ? parser.problem : "invalid YAML");
        yaml_parser_delete(&parser);
        return rc;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) /* empty document */
        goto out;
    if (root->type != YAML_MAPPING_NODE) {
        rc = hull_err_set(err, HULL_E_PARSE, "line %zu: config must be a mapping",
                          root->start_mark.line + 1);
        goto out;
    }
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top && rc == 0; pr++) {
        const char *k = scalar(yaml_document_get_node(&doc, pr->key));
        yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
        if (!k)
            continue;
        if (!strcmp(k, "ignored")) {
            rc = str_list(&doc, v, k, &c->ignored, &c->nignored, err);
        } else if (!strcmp(k, "trustedRegistries") || !strcmp(k, "trusted-registries")) {
            rc = str_list(&doc, v, k, &c->trusted, &c->ntrusted, err);
        } else if (!strcmp(k, "failure-threshold") || !strcmp(k, "failureThreshold")) {
            int l = scalar(v) ? hull_lint_level_parse(scalar(v)) : -1;
            if (l < 0)
                rc = bad(v, k, "one of error, warning, info, style, ignore, none", err);
            else
                c->failure_threshold = l;
        } else if (!strcmp(k, "override")) {
            if (!v || v->type != YAML_MAPPING_NODE) {
                rc = bad(v, k, "a mapping of level: [codes]", err);
                break;
            }
            for (yaml_node_pair_t *op = v->data.mapping.pairs.start;
                 op < v->data.mapping.pairs.top && rc == 0; op++) {
                yaml_node_t *kn = yaml_document_get_node(&doc, op->key);
                const char *lv = scalar(kn);
                int l = lv ? hull_lint_level_parse(lv) : -1;
                if (l < 0) {
                    rc = bad(kn, "override", "keyed by error, warning, info, style or ignore",
                             err);
                    break;
                }
                char **codes = NULL;
                size_t nc = 0;
                rc = str_list(&doc, yaml_document_get_node(&doc, op->value), lv, &codes, &nc,
                              err);
                for (size_t i = 0; i < nc && rc == 0; i++)
                    rc = hull_lint_config_override(c, codes[i], (enum hull_lint_level)l, err);
                free_list(codes, nc);
            }
        } else if (!strcmp(k, "disable-ignore-pragma")) {
            const char *s = scalar(v);
            c->no_pragmas = s && (!strcmp(s, "true") || !strcmp(s, "yes"));
        } else if (!strcmp(k, "strict-labels") || !strcmp(k, "strictLabels")) {
            c->strict_labels = truthy(scalar(v));
        } else if (!strcmp(k, "label-schema") || !strcmp(k, "labelSchema")) {
            /* hadolint: {name: text|email|hash|rfc3339|semver|spdx|url}; `label-schema:` with
             * no value is an empty schema */
            if (scalar(v) && !*scalar(v))
                continue;
            if (!v || v->type != YAML_MAPPING_NODE) {
                rc = bad(v, k, "a mapping of label: type", err);
                break;
            }
            for (yaml_node_pair_t *lp = v->data.mapping.pairs.start;
                 lp < v->data.mapping.pairs.top && rc == 0; lp++) {
                yaml_node_t *kn = yaml_document_get_node(&doc, lp->key);
                yaml_node_t *tn = yaml_document_get_node(&doc, lp->value);
                const char *name = scalar(kn), *ty = scalar(tn);
                int t = ty ? hull_lint_label_type_parse(ty) : -1;
                if (!name || !*name) {
                    rc = bad(kn, k, "keyed by label names", err);
                } else if (t < 0) {
                    rc = hull_err_set(err, HULL_E_PARSE, "line %zu: label-schema: label '%s' "
                                      "has type '%s'; use text, email, hash, rfc3339, semver, "
                                      "spdx or url", tn ? tn->start_mark.line + 1 : 0, name,
                                      ty ? ty : "");
                } else {
                    rc = hull_lint_config_label(c, name, (enum hull_lint_label_type)t, err);
                }
            }
        }
    }
out:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc < 0 ? rc : 0;
}
