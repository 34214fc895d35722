/* Huge pages for large buffers: see mem.h. madvise() is Linux's. */
#define _DEFAULT_SOURCE

#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void vx_mem_advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (p == NULL || n < VX_MEM_HUGE_MIN)
		return;
	uintptr_t mask = (uintptr_t)VX_MEM_HUGE_PAGE - 1;
	uintptr_t from = ((uintptr_t)p + mask) & ~mask, to = ((uintptr_t)p + n) & ~mask;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *vx_mem_alloc_huge(size_t n)
{
	if (n < VX_MEM_HUGE_MIN)
		return malloc(n);
	void *p = NULL;
	if (posix_memalign(&p, VX_MEM_HUGE_PAGE, n) != 0)
		return NULL;
	vx_mem_advise_huge(p, n);
	return p;
}

void *vx_mem_calloc_huge(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (n * size < VX_MEM_HUGE_MIN)
		return calloc(n, size);
	void *p = vx_mem_alloc_huge(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}
