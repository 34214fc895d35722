#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

struct vx_arena_block {
	vx_arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

enum { VX_ARENA_DEFAULT_BLOCK = 1 << 20 };

void vx_arena_init(vx_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : VX_ARENA_DEFAULT_BLOCK;
	a->total = 0;
}

void vx_arena_free(vx_arena *a)
{
	if (a == NULL)
		return;
	vx_arena_block *b = a->head;
	while (b) {
		vx_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

void *vx_arena_alloc(vx_arena *a, size_t size)
{
	/* Rounding up to 16 must not wrap a huge size round to a tiny one. */
	if (size > SIZE_MAX - 15) {
		vx_error_set(VX_ENOMEM, "arena allocation too large");
		return NULL;
	}
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	vx_arena_block *b = a->head;
	if (b == NULL || b->cap - b->used < size) {
		size_t cap = size > a->block_size ? size : a->block_size;
		if (cap > SIZE_MAX - sizeof *b) {
			vx_error_set(VX_ENOMEM, "arena allocation too large");
			return NULL;
		}
		vx_arena_block *nb = malloc(sizeof *nb + cap);
		if (nb == NULL) {
			vx_error_set(VX_ENOMEM, "out of memory (arena block of %zu bytes)", cap);
			return NULL;
		}
		nb->used = 0;
		nb->cap = cap;
		/* A block bigger than the usual size goes behind the head so the
		 * head's free space is not wasted. */
		if (b != NULL && cap > a->block_size) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->total += size;
	return p;
}

void *vx_arena_calloc(vx_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		vx_error_set(VX_ENOMEM, "arena allocation overflow");
		return NULL;
	}
	void *p = vx_arena_alloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *vx_arena_strndup(vx_arena *a, const char *s, size_t len)
{
	char *p = vx_arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *vx_arena_strdup(vx_arena *a, const char *s)
{
	return vx_arena_strndup(a, s, strlen(s));
}
