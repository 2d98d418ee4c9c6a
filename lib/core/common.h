/* Included first by every lib/ file: feature macros, attributes, banned functions. */
#ifndef HULL_CORE_COMMON_H
#define HULL_CORE_COMMON_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "hull/hull.h"

#define HULL_API __attribute__((visibility("default")))
#define HULL_UNUSED __attribute__((unused))
#define HULL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline void hull_freep(void *p) { free(*(void **)p); }
static inline void hull_fclosep(FILE **f) { if (*f) fclose(*f); }
#define HULL_AUTOFREE __attribute__((cleanup(hull_freep)))
#define HULL_AUTOFCLOSE __attribute__((cleanup(hull_fclosep)))

/* Banned: unbounded or thread-unsafe string/number functions (git's banned.h idea). */
#pragma GCC poison strcpy strcat sprintf vsprintf strtok gets tmpnam atoi
#endif
