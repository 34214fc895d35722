/* Growable arrays: see grow.h. */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>

#include "voix/error.h"

int vx_grow(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : (first ? first : 1);
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return vx_error_set(VX_ENOMEM, "out of memory for %zu elements", need);
		nc *= 2;
	}
	if (size && nc > SIZE_MAX / size)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu elements", need);
	void *q = realloc(*p, nc * size);
	if (q == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu elements", need);
	*p = q;
	*cap = nc;
	return 0;
}
