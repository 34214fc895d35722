/*
 * Huge pages for large buffers.
 *
 * On the virtual machines voix is measured on, a page fault costs about
 * 10 us: filling 100 MB through 4 KiB pages takes a quarter of a second, the
 * same through 2 MiB pages a hundredth of that (docs/performance.md). Linux
 * gives a buffer transparent huge pages when asked (madvise), Debian's
 * default mode. These functions ask for them on buffers large enough to
 * gain, and only for whole huge pages inside the buffer, so that the memory
 * a buffer holds does not grow. The advice is a hint: where the kernel
 * refuses it, or has no such pages, nothing changes.
 */
#ifndef VX_UTIL_MEM_H
#define VX_UTIL_MEM_H

#include <stddef.h>

/* The huge page of x86-64 and arm64 with 4 KiB base pages. */
#define VX_MEM_HUGE_PAGE ((size_t)2 << 20)
/* Smaller buffers are left alone: too few faults to gain. */
#define VX_MEM_HUGE_MIN (2 * VX_MEM_HUGE_PAGE)

/*
 * Asks for huge pages for the whole huge pages within [p, p + n), when n is
 * at least VX_MEM_HUGE_MIN. Call it on a fresh buffer (malloc, calloc,
 * realloc) before it is written. NULL p is allowed.
 */
void vx_mem_advise_huge(void *p, size_t n);

/*
 * malloc(n) for a buffer that will be filled from its start: a large one
 * is aligned on a huge page, so that all of it can be huge pages. free()
 * releases it. NULL on out-of-memory.
 */
void *vx_mem_alloc_huge(size_t n);

/*
 * calloc(n, size) in huge pages when large, as vx_mem_alloc_huge: for
 * tables that are written all over (hash tables, per-row arrays). The
 * zeros are written at once, so all of it is resident from the start.
 * NULL on out-of-memory or overflow.
 */
void *vx_mem_calloc_huge(size_t n, size_t size);

#endif
