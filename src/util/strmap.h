/*
 * vx_strmap: a string -> uint32 hash map with open addressing. Keys are
 * copied into the map's own pool. Ids are dense (0, 1, 2... in order of
 * insertion), so callers keep values in plain arrays indexed by id.
 */
#ifndef VX_UTIL_STRMAP_H
#define VX_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct vx_strmap {
	uint32_t *slots;    /* id + 1, 0 = empty */
	size_t n_slots;
	uint64_t *hashes;   /* per id */
	uint32_t *off, *len;/* per id: key in pool */
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
} vx_strmap;

void vx_strmap_init(vx_strmap *m);
void vx_strmap_free(vx_strmap *m);
/* Finds key; when absent adds it. *id receives its id, *added 1 when new
 * (added may be NULL). Fails only with VX_ENOMEM. */
int vx_strmap_intern(vx_strmap *m, const char *key, size_t len, uint32_t *id, int *added);
/* The id of key, or -1 when absent. */
int64_t vx_strmap_find(const vx_strmap *m, const char *key, size_t len);
/* The key of id (NUL-terminated). Valid until the next insertion. */
const char *vx_strmap_key(const vx_strmap *m, uint32_t id);
static inline size_t vx_strmap_count(const vx_strmap *m) { return m->n; }

#endif
