/*
 * Case- and accent-insensitive comparison of short labels (column names,
 * facet values). Not for running text: see text/normalize.h for that.
 */
#ifndef VX_UTIL_FOLD_H
#define VX_UTIL_FOLD_H

#include <stddef.h>

/* Writes into out (at most cap bytes incl. NUL) the label lower-cased,
 * without accents, with runs of white space collapsed to one space and
 * trimmed. Returns the folded length, or -1 when out is too small or the
 * input is not valid UTF-8. */
int vx_fold_label(char *out, size_t cap, const char *s, size_t len);

/* 1 when a and b fold to the same label. */
int vx_fold_equal(const char *a, const char *b);

#endif
