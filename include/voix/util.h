/*
 * Helpers every front end needs around the pipeline: options that hold a
 * whole number (their bounds and their French message, the same for the
 * command line and the library), control characters made visible in a
 * line-oriented output, and whether two paths name the same file.
 */
#ifndef VOIX_UTIL_H
#define VOIX_UTIL_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reads the option --name (name without its dashes) from text: a whole
 * number written with digits only (no sign, no space), from min to max
 * (max SIZE_MAX: no upper bound). Returns 0 and *out, or VX_EINVAL with the
 * message "--name doit être entre MIN et MAX (reçu « TEXT »)" ("--name doit
 * être un nombre entier d'au moins MIN" without an upper bound); *out is
 * unchanged on error.
 */
int vx_option_count(size_t *out, const char *name, const char *text, size_t min, size_t max);

/* The same check and message for a value already held as a number:
 * 0, or VX_EINVAL with "--name doit être entre MIN et MAX (reçu VALUE)". */
int vx_option_count_check(const char *name, size_t value, size_t min, size_t max);

/* Writes s to out with every control character escaped: tab, line feed
 * and carriage return as \t, \n, \r; the other C0 characters, DEL and the
 * C1 characters U+0080..U+009F (UTF-8 encoded) as \xHH. Everything else,
 * backslashes included, is written as is. So a value read from an export
 * (a structure name, an id, a path) cannot break a line-oriented output or
 * send escape sequences to a terminal. */
void vx_fputs_escaped(const char *s, FILE *out);

/* 1 when paths a and b name the same file: the same device and inode when
 * both exist (hard and symbolic links included); when neither exists yet,
 * the same path once their folders are resolved. 0 otherwise. */
int vx_file_same(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
