/*
 * Adding where an error happened to the message of a lower layer: a parser
 * says what is wrong in an expression, its caller says which file and line.
 * And the French out-of-memory messages (error_nomem.c).
 */
#ifndef VX_UTIL_ERROR_H
#define VX_UTIL_ERROR_H

#include <stddef.h>

/* Puts the text of fmt in front of the current message (vx_error_last())
 * and returns code, like vx_error_set. The whole is cut to the message's
 * size, the prefix first. */
int vx_error_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An English VX_ENOMEM format of the library and its French twin, which
 * takes the same conversions in the same order. */
struct vx_error_nomem_pair {
	const char *english;
	const char *french;
};

/* The French twin of the VX_ENOMEM format english, or NULL when the table
 * has none (vx_error_set then writes english as it is). */
const char *vx_error_nomem_french(const char *english);

/* The whole table, sorted by english (strcmp), its size in *n: for the
 * tests that keep it complete and consistent. */
const struct vx_error_nomem_pair *vx_error_nomem_pairs(size_t *n);

#endif
