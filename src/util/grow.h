/*
 * vx_grow: the growable-array step every module repeats, once.
 */
#ifndef VX_UTIL_GROW_H
#define VX_UTIL_GROW_H

#include <stddef.h>

/*
 * Makes the array *p (of *cap elements of size bytes) hold at least need
 * elements: nothing when it already does, else a capacity of first (when
 * *cap is 0) doubled until it is enough. Reallocates: the old pointer is
 * invalid, new elements are not initialised. Returns 0, or VX_ENOMEM with
 * *p and *cap unchanged.
 */
int vx_grow(void **p, size_t *cap, size_t need, size_t size, size_t first);

#endif
