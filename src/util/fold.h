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

/* Drops the blanks (space, tab, CR, LF) around (*s)[0..*len): moves *s
 * forward and shortens *len. */
void vx_label_trim(const char **s, size_t *len);

/* A cursor over a comma-separated list of labels ("75, 92,93"): while *p
 * is not NULL, sets *item and *len to the next item without the blanks
 * (space, tab, CR, LF) around it (len may be 0: ",," holds an empty item),
 * moves *p past it (NULL after the last) and returns 1; returns 0 at the
 * end. */
int vx_label_list_next(const char **p, const char **item, size_t *len);

#endif
