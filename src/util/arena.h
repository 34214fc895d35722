/*
 * vx_arena: bump allocation for per-run data (strings, tokens, vectors) that
 * is released all at once by vx_arena_free(). Allocations are 16-byte aligned
 * and never move.
 */
#ifndef VX_UTIL_ARENA_H
#define VX_UTIL_ARENA_H

#include <stddef.h>

typedef struct vx_arena_block vx_arena_block;
typedef struct vx_arena {
	vx_arena_block *head;
	size_t block_size;
	size_t total;  /* bytes handed out, for reporting */
} vx_arena;

void vx_arena_init(vx_arena *a, size_t block_size);
void vx_arena_free(vx_arena *a);
/* Returns NULL (and sets the error) when memory runs out. */
void *vx_arena_alloc(vx_arena *a, size_t size);
void *vx_arena_calloc(vx_arena *a, size_t n, size_t size);
/* Copies len bytes and adds a terminating NUL. */
char *vx_arena_strndup(vx_arena *a, const char *s, size_t len);
char *vx_arena_strdup(vx_arena *a, const char *s);

#endif
