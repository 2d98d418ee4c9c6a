/* Digest pinning of image references in Dockerfiles, docker-compose files and Kubernetes
 * manifests (shared/docs/dockerfile.md section 4.6, Renovate's format):
 *
 *   FROM --platform=$BUILDPLATFORM node:18 AS build   ->   node:18@sha256:<digest>
 *   FROM reg:5000/app                                  ->   reg:5000/app:latest@sha256:<digest>
 *
 * Only the image token is replaced, so flags, `AS name`, keyword casing, spacing, comments,
 * continuations, CRLF, BOM and heredoc bodies stay byte for byte. `scratch` and earlier stage
 * names are skipped; `FROM ${BASE}` with `ARG BASE=img:tag` pins the ARG default (the span
 * rewritten is in the ARG line); images built from ARG fragments are reported and left alone.
 * External images in `COPY --from=IMAGE` and `RUN --mount=...,from=IMAGE` are pinned too
 * (values naming a stage, anywhere in the file, or a stage index are not).
 * In YAML files every `image:` scalar outside block scalars is a candidate.
 *
 * The digest is the index digest by default (multi-arch stays multi-arch); an existing pin to
 * a platform manifest stays a platform pin for the same platform when it is updated. */
#ifndef HULL_PIN_H
#define HULL_PIN_H
#include "hull/hull.h"
#include "hull/registry.h"
#ifdef __cplusplus
extern "C" {
#endif

enum hull_pin_format { HULL_PIN_AUTO, HULL_PIN_DOCKERFILE, HULL_PIN_YAML };

enum hull_pin_state {
    HULL_PIN_CANDIDATE,     /* an image reference to resolve */
    HULL_PIN_SKIP_STAGE,    /* FROM names an earlier build stage */
    HULL_PIN_SKIP_SCRATCH,  /* FROM scratch */
    HULL_PIN_SKIP_VARIABLE, /* built from variables that cannot be resolved safely */
};

struct hull_pin_item {
    size_t line;               /* 1-based line of the span */
    size_t off, len;           /* byte span in the file that holds the image text */
    char *image;               /* the reference (after ARG substitution for display) */
    const char *kind;          /* "FROM", "ARG", "COPY --from", "RUN --mount", "image" */
    enum hull_pin_state state;
    char *note;                /* why it is skipped, or NULL */
};

struct hull_pin_scan {
    enum hull_pin_format format; /* the detected format */
    struct hull_pin_item *items;
    size_t n;
};

/* Find the image references in a file's bytes p[0..len). name (borrowed, may be NULL) picks
 * the format when fmt is HULL_PIN_AUTO (Dockerfile/Containerfile names, .yml/.yaml), else the
 * content decides. Errors: HULL_E_PARSE (unterminated heredoc, line over 64 KiB),
 * HULL_E_UNSUPPORTED (format unknown), HULL_E_LIMIT. Release with hull_pin_scan_release. */
int hull_pin_scan(const char *name, const char *p, size_t len, enum hull_pin_format fmt,
                  struct hull_pin_scan *out, struct hull_err **err);
/* Free the items of a scan (strings included) and zero it; NULL is a no-op. */
void hull_pin_scan_release(struct hull_pin_scan *s);

struct hull_pin_edit {
    size_t off, len;  /* span of the original to replace (ascending, non-overlapping) */
    const char *text; /* borrowed */
};

/* Splice edits into p[0..len): a new NUL-terminated buffer in *out (caller frees). */
int hull_pin_apply(const char *p, size_t len, const struct hull_pin_edit *edits, size_t n,
                   char **out, size_t *out_len, struct hull_err **err);

/* "name:tag@sha256:d" from a reference text with or without an old digest; an untagged name
 * gets ":latest", the tag it resolved (a new string the caller frees; NULL on OOM). */
char *hull_pin_token(const char *image, const char *digest);

enum hull_pin_status {
    HULL_PIN_PINNED,    /* newly pinned (written unless check) */
    HULL_PIN_UPDATED,   /* a stale pin refreshed (written unless check) */
    HULL_PIN_CURRENT,   /* already pinned and current */
    HULL_PIN_KEPT,      /* already pinned; not re-resolved (no --update/--check, or
                           name@digest without a tag, which has nothing to follow) */
    HULL_PIN_UNPINNED,  /* --check: no digest */
    HULL_PIN_STALE,     /* --check: the tag moved */
    HULL_PIN_SKIPPED,   /* stage, scratch, variables */
};

struct hull_pin_result {
    size_t line;
    const char *kind;
    char *image;     /* as found */
    char *new_image; /* the replacement (PINNED/UPDATED/UNPINNED/STALE), else NULL */
    enum hull_pin_status status;
    char *note;      /* reason or detail, or NULL */
};

struct hull_pin_report {
    struct hull_pin_result *r;
    size_t n;
    bool changed; /* the file was (or, with check, would be) rewritten */
    bool written; /* the file was rewritten */
};

struct hull_pin_opts {
    bool check;                         /* write nothing; report unpinned and stale refs */
    bool update;                        /* re-resolve existing pins and refresh moved tags */
    const struct hull_platform *platform; /* pin that platform's manifest instead of the index */
    enum hull_pin_format format;        /* HULL_PIN_AUTO to detect */
};

/* Pin the references of the file at path through registry reg (borrowed). Without check, a
 * changed file is replaced atomically (temp file + rename, mode kept). Any reference that
 * cannot be resolved fails the whole file (nothing is written). Release the report with
 * hull_pin_report_release (also on failure). */
int hull_pin_file(struct hull_ctx *ctx, struct hull_registry *reg, const char *path,
                  const struct hull_pin_opts *opts, struct hull_pin_report *out,
                  struct hull_err **err);
/* Free the results of a report and zero it; NULL is a no-op. */
void hull_pin_report_release(struct hull_pin_report *r);
/* "pinned", "updated", ...: the word the CLI prints for a status (static string). */
const char *hull_pin_status_name(enum hull_pin_status s);

#ifdef __cplusplus
}
#endif
#endif
