#include "util/rank.h"

#include <string.h>

void vx_topk_insert(uint32_t *ids, size_t *n, size_t max, uint32_t id, vx_rank_before before, const void *ctx)
{
	size_t pos = *n;
	while (pos > 0 && before(id, ids[pos - 1], ctx))
		pos--;
	if (pos >= max)
		return;
	size_t last = *n < max ? *n : max - 1;
	for (size_t q = last; q > pos; q--)
		ids[q] = ids[q - 1];
	ids[pos] = id;
	if (*n < max)
		(*n)++;
}

int vx_sorted_contains(const char *const *list, size_t n, const char *w, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		size_t ml = strlen(list[mid]);
		int c = memcmp(w, list[mid], len < ml ? len : ml);
		if (c == 0)
			c = len < ml ? -1 : len > ml;
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}
