#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "voix/error.h"

void vx_strmap_init(vx_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void vx_strmap_free(vx_strmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m->hashes);
	free(m->off);
	free(m->len);
	free(m->pool);
	memset(m, 0, sizeof *m);
}

static int rehash(vx_strmap *m, size_t n_slots)
{
	uint32_t *slots = calloc(n_slots, sizeof *slots);
	if (slots == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory growing a hash map");
	for (size_t k = 0; k < m->n; k++) {
		size_t j = (size_t)m->hashes[k] & (n_slots - 1);
		while (slots[j])
			j = (j + 1) & (n_slots - 1);
		slots[j] = (uint32_t)(k + 1);
	}
	free(m->slots);
	m->slots = slots;
	m->n_slots = n_slots;
	return 0;
}

int64_t vx_strmap_find(const vx_strmap *m, const char *key, size_t len)
{
	if (m->n_slots == 0)
		return -1;
	uint64_t h = vx_hash64(key, len);
	size_t j = (size_t)h & (m->n_slots - 1);
	while (m->slots[j]) {
		uint32_t id = m->slots[j] - 1;
		if (m->hashes[id] == h && m->len[id] == len && memcmp(m->pool + m->off[id], key, len) == 0)
			return id;
		j = (j + 1) & (m->n_slots - 1);
	}
	return -1;
}

int vx_strmap_intern(vx_strmap *m, const char *key, size_t len, uint32_t *id, int *added)
{
	int rc;
	if (added)
		*added = 0;
	if (m->n_slots == 0 && (rc = rehash(m, 64)) != 0)
		return rc;
	uint64_t h = vx_hash64(key, len);
	size_t j = (size_t)h & (m->n_slots - 1);
	while (m->slots[j]) {
		uint32_t k = m->slots[j] - 1;
		if (m->hashes[k] == h && m->len[k] == len && memcmp(m->pool + m->off[k], key, len) == 0) {
			*id = k;
			return 0;
		}
		j = (j + 1) & (m->n_slots - 1);
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		uint64_t *hs = realloc(m->hashes, cap * sizeof *hs);
		if (hs)
			m->hashes = hs;
		uint32_t *of = realloc(m->off, cap * sizeof *of);
		if (of)
			m->off = of;
		uint32_t *ln = realloc(m->len, cap * sizeof *ln);
		if (ln)
			m->len = ln;
		if (!hs || !of || !ln)
			return vx_error_set(VX_ENOMEM, "out of memory growing a hash map");
		m->cap = cap;
	}
	if (m->pool_len + len + 1 > m->pool_cap) {
		size_t cap = m->pool_cap ? m->pool_cap : 4096;
		while (cap < m->pool_len + len + 1)
			cap *= 2;
		char *p = realloc(m->pool, cap);
		if (p == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory growing a hash map");
		m->pool = p;
		m->pool_cap = cap;
	}
	memcpy(m->pool + m->pool_len, key, len);
	m->pool[m->pool_len + len] = '\0';
	uint32_t k = (uint32_t)m->n;
	m->hashes[k] = h;
	m->off[k] = (uint32_t)m->pool_len;
	m->len[k] = (uint32_t)len;
	m->pool_len += len + 1;
	m->slots[j] = k + 1;
	m->n++;
	*id = k;
	if (added)
		*added = 1;
	if (m->n * 2 > m->n_slots)
		return rehash(m, m->n_slots * 2);
	return 0;
}

const char *vx_strmap_key(const vx_strmap *m, uint32_t id)
{
	return id < m->n ? m->pool + m->off[id] : NULL;
}
