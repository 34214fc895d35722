#include "model/dedup.h"

#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/rank.h"
#include "voix/error.h"

#define RARE_TERMS 8

typedef struct key_slot {
	uint64_t key;
	uint32_t doc;   /* first document with this key + 1; 0 = empty */
} key_slot;

/* A small open-addressing table from 64-bit keys to the first document. */
typedef struct key_table {
	key_slot *slots;
	size_t mask;
} key_table;

static int table_init(key_table *t, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	t->slots = calloc(cap, sizeof *t->slots);
	t->mask = cap - 1;
	return t->slots ? 0 : vx_error_set(VX_ENOMEM, "out of memory for duplicate detection");
}

/* Returns the first document recorded under key, recording d when new. */
static uint32_t table_first(key_table *t, uint64_t key, uint32_t d)
{
	size_t i = (size_t)(key ^ (key >> 31)) & t->mask;
	while (t->slots[i].doc) {
		if (t->slots[i].key == key)
			return t->slots[i].doc - 1;
		i = (i + 1) & t->mask;
	}
	t->slots[i].key = key;
	t->slots[i].doc = d + 1;
	return d;
}

static double jaccard(const vx_dtm *m, uint32_t a, uint32_t b)
{
	uint32_t i = m->row_ptr[a], ie = m->row_ptr[a + 1], j = m->row_ptr[b], je = m->row_ptr[b + 1];
	size_t inter = 0, uni = 0;
	while (i < ie || j < je) {
		if (j >= je || (i < ie && m->col[i] < m->col[j]))
			i++;
		else if (i >= ie || m->col[j] < m->col[i])
			j++;
		else {
			i++;
			j++;
			inter++;
		}
		uni++;
	}
	return uni ? (double)inter / (double)uni : 0.0;
}

/* Rarer: lower document frequency, then lower id. */
static int rarer(uint32_t a, uint32_t b, const void *ctx)
{
	const vx_dtm *m = ctx;
	return m->df[a] != m->df[b] ? m->df[a] < m->df[b] : a < b;
}

int vx_dedup_groups(uint32_t *rep, const vx_dtm *m)
{
	int rc = 0;
	key_table exact = {0}, rare = {0};
	if ((rc = table_init(&exact, m->n_docs)) != 0 || (rc = table_init(&rare, m->n_docs)) != 0)
		goto done;
	for (uint32_t d = 0; d < m->n_docs; d++) {
		rep[d] = d;
		uint32_t first = table_first(&exact, m->doc_sig[d], d);
		if (first != d && m->doc_len[d] > 0) {
			rep[d] = rep[first];
			continue;
		}
		uint32_t b = m->row_ptr[d], e = m->row_ptr[d + 1];
		if (e - b < VX_DEDUP_MIN_TERMS)
			continue;
		/* The RARE_TERMS terms of lowest document frequency (ties by id). */
		uint32_t pick[RARE_TERMS];
		size_t np = 0;
		for (uint32_t p = b; p < e; p++)
			vx_topk_insert(pick, &np, RARE_TERMS, m->col[p], rarer, m);
		/* Order-independent key: sort the picked ids. */
		for (size_t a = 1; a < np; a++) {
			uint32_t x = pick[a];
			size_t q = a;
			while (q > 0 && pick[q - 1] > x) {
				pick[q] = pick[q - 1];
				q--;
			}
			pick[q] = x;
		}
		uint64_t key = vx_hash64(pick, np * sizeof pick[0]);
		first = table_first(&rare, key, d);
		if (first != d && jaccard(m, first, d) >= VX_DEDUP_JACCARD)
			rep[d] = rep[first];
	}
done:
	free(exact.slots);
	free(rare.slots);
	return rc;
}
