#include "model/dedup.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/mem.h"
#include "util/rank.h"
#include "voix/error.h"

typedef struct key_slot {
	uint64_t key;
	uint32_t doc;   /* first document with this key + 1; 0 = empty */
} key_slot;

/* A small open-addressing table from 64-bit keys to the first document. */
typedef struct key_table {
	key_slot *slots;
	size_t mask;
} key_table;

/* The power of two at least twice n (and at least 64): tables stay half empty. */
static size_t table_capacity(size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

static size_t slot_of(uint64_t key, size_t mask)
{
	return (size_t)(key ^ (key >> 31)) & mask;
}

static int table_init(key_table *t, size_t n)
{
	size_t cap = table_capacity(n);
	t->slots = vx_mem_calloc_huge(cap, sizeof *t->slots);
	t->mask = cap - 1;
	return t->slots ? 0 : vx_error_set(VX_ENOMEM, "out of memory for duplicate detection");
}

/* Returns the first document recorded under key, recording d when new. */
static uint32_t table_first(key_table *t, uint64_t key, uint32_t d)
{
	size_t i = slot_of(key, t->mask);
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

/* Rule 2's key: a hash of the ids of the VX_DEDUP_RARE_TERMS rarest terms
 * of row d, sorted so that it does not depend on their order. */
static uint64_t rare_key(const vx_dtm *m, uint32_t d)
{
	uint32_t pick[VX_DEDUP_RARE_TERMS];
	size_t np = 0;
	for (uint32_t p = m->row_ptr[d]; p < m->row_ptr[d + 1]; p++)
		vx_topk_insert(pick, &np, VX_DEDUP_RARE_TERMS, m->col[p], rarer, m);
	for (size_t a = 1; a < np; a++) {
		uint32_t x = pick[a];
		size_t q = a;
		while (q > 0 && pick[q - 1] > x) {
			pick[q] = pick[q - 1];
			q--;
		}
		pick[q] = x;
	}
	return vx_hash64(pick, np * sizeof pick[0]);
}

/* ---- Rule 3: skeletons ------------------------------------------------- */

/* Keys per document: its first VX_DEDUP_MIN_SKELETON skeleton characters
 * (found again in a truncated copy), and its two smallest shingle hashes (a
 * bottom-2 min-hash: shared by two similar skeletons with a probability that
 * grows with their overlap, whatever their start). */
#define KEYS_PER_DOC 3
/* Earlier documents checked per key, latest first: a common opening ("Bonjour,
 * je me suis rendu...") gives long chains, and a copy is nearly always close
 * in the chain to its original or to another copy of it. */
#define CHAIN_MAX 4
#define NO_ENTRY UINT32_MAX
/* A SKETCH_BITS-bit sketch per document, of the shingles whose hash is 0
 * modulo SKETCH_SAMPLE (about 50 bits for a 200-character skeleton), rejects
 * most candidates before their text is read again: a shorter skeleton whose
 * sketch has more than SKETCH_SLACK bits (plus a quarter of its bits) outside
 * the longer's cannot be 90 % contained in it. On 1,000,000 generated rows,
 * 256 bits sampled 1 in 4 leave 0.70 million of 8.07 million candidates to
 * compare in full, against 1.30 million for 64 bits sampled 1 in 8, with the
 * same pairs found (bench/dedup/RESULTS.md). */
#define SKETCH_SAMPLE 4
#define SKETCH_SLACK 2
#define SKETCH_WORDS 4
#define SKETCH_BITS (64 * SKETCH_WORDS)
#define MAX_SHINGLES (VX_DEDUP_MAX_SKELETON - VX_DEDUP_SHINGLE + 1)

/* keep[c]: the lower-case skeleton character of byte c, or 0 when c is left
 * out. Vowels and 'y' lose or change their accents; 'c' is "ç" mangled;
 * bytes >= 0x80 are accented letters or what damage left of them. */
static const char keep[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['b'] = 'b', ['d'] = 'd', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['j'] = 'j', ['k'] = 'k',
	['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's',
	['t'] = 't', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['z'] = 'z',
	['B'] = 'b', ['D'] = 'd', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['J'] = 'j', ['K'] = 'k',
	['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's',
	['T'] = 't', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Z'] = 'z',
};

size_t vx_dedup_skeleton(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && s[i] && n < cap; i++) {
		char c = keep[(unsigned char)s[i]];
		out[n] = c;
		n += c != 0;
	}
	return n;
}

/* A shingle's hash: its VX_DEDUP_SHINGLE characters packed into the low bits
 * of w (exact, since a shingle fits in 48 bits), then mixed by the bijective
 * finaliser of SplitMix64, so that distinct shingles never collide and the
 * low bits used by the sketch and the min-hash are well spread. */
_Static_assert(VX_DEDUP_SHINGLE <= 7, "a shingle is packed into 56 bits");
static uint64_t shingle_hash(uint64_t w)
{
	w ^= w >> 30;
	w *= 0xbf58476d1ce4e5b9ull;
	w ^= w >> 27;
	w *= 0x94d049bb133111ebull;
	w ^= w >> 31;
	return w;
}

/* A document's skeleton and its shingle hashes. */
typedef struct skeleton {
	char *s;
	size_t len;
	uint64_t *h;      /* len - VX_DEDUP_SHINGLE + 1 hashes, in text order */
	size_t n_h;
	uint64_t sketch[SKETCH_WORDS]; /* bit (h / SKETCH_SAMPLE) % SKETCH_BITS of every sampled shingle hash h */
} skeleton;

/* What one thread needs to compare skeletons. */
typedef struct scratch {
	skeleton cur, cand;      /* the row being placed, an earlier candidate */
	uint32_t cur_doc;        /* the row whose skeleton cur holds; NO_ENTRY: none */
	uint64_t *set;           /* open-addressing set of a skeleton's shingles (0 = empty) */
} scratch;

static int scratch_init(scratch *w)
{
	w->cur_doc = NO_ENTRY;
	w->cur.s = malloc(VX_DEDUP_MAX_SKELETON);
	w->cand.s = malloc(VX_DEDUP_MAX_SKELETON);
	w->cur.h = malloc(MAX_SHINGLES * sizeof *w->cur.h);
	w->cand.h = malloc(MAX_SHINGLES * sizeof *w->cand.h);
	w->set = malloc(table_capacity(MAX_SHINGLES) * sizeof *w->set);
	if (!w->cur.s || !w->cand.s || !w->cur.h || !w->cand.h || !w->set)
		return vx_error_set(VX_ENOMEM, "out of memory for duplicate detection");
	return 0;
}

static void scratch_free(scratch *w)
{
	free(w->cur.s);
	free(w->cand.s);
	free(w->cur.h);
	free(w->cand.h);
	free(w->set);
}

typedef struct skeleton_index {
	const vx_corpus *corpus;
	const size_t *docs;
	scratch own;             /* the first thread's */
	uint64_t *keys;          /* KEYS_PER_DOC per document; 0 = none */
	uint32_t *prev;          /* per entry: the previous entry with the same key */
	uint32_t *head;          /* per slot: the latest entry with its key + 1; 0 = empty */
	size_t head_mask;
	uint32_t *len;           /* per document: skeleton length */
	uint64_t *sketch;        /* per document: its skeleton's sketch, SKETCH_WORDS words */
	uint16_t *found;         /* per document: bit t, its candidate t is a copy (see candidates()) */
} skeleton_index;

static int index_init(skeleton_index *x, size_t n, const vx_corpus *corpus, const size_t *docs)
{
	/* Chain heads: many documents share a key (a common opening), so the
	 * table holds fewer keys than entries and may be fuller than half. */
	size_t cap = 64;
	while (cap < n * KEYS_PER_DOC + n * KEYS_PER_DOC / 4)
		cap *= 2;
	x->corpus = corpus;
	x->docs = docs;
	int rc = scratch_init(&x->own);
	if (rc)
		return rc;
	x->keys = vx_mem_calloc_huge(n * KEYS_PER_DOC + 1, sizeof *x->keys);
	x->prev = vx_mem_alloc_huge((n * KEYS_PER_DOC + 1) * sizeof *x->prev);
	x->head = vx_mem_calloc_huge(cap, sizeof *x->head);
	x->head_mask = cap - 1;
	x->len = vx_mem_calloc_huge(n + 1, sizeof *x->len);
	x->sketch = vx_mem_calloc_huge((n + 1) * SKETCH_WORDS, sizeof *x->sketch);
	x->found = vx_mem_calloc_huge(n + 1, sizeof *x->found);
	if (!x->sketch || !x->keys || !x->prev || !x->head || !x->len || !x->found)
		return vx_error_set(VX_ENOMEM, "out of memory for duplicate detection (%zu documents)", n);
	return 0;
}

static void index_free(skeleton_index *x)
{
	scratch_free(&x->own);
	free(x->keys);
	free(x->prev);
	free(x->head);
	free(x->len);
	free(x->sketch);
	free(x->found);
}

/* Fills k with the skeleton of row d's title then text, and its shingles. */
static void skeleton_of(skeleton *k, const skeleton_index *x, uint32_t d)
{
	const vx_experience *e = vx_corpus_get(x->corpus, x->docs[d]);
	k->len = 0;
	if (e->title)
		k->len = vx_dedup_skeleton(k->s, VX_DEDUP_MAX_SKELETON, e->title, SIZE_MAX);
	if (e->text)
		k->len += vx_dedup_skeleton(k->s + k->len, VX_DEDUP_MAX_SKELETON - k->len, e->text, SIZE_MAX);
	k->n_h = 0;
	memset(k->sketch, 0, sizeof k->sketch);
	uint64_t w = 0;
	const uint64_t window = (1ull << (8 * VX_DEDUP_SHINGLE)) - 1;
	for (size_t i = 0; i < k->len; i++) {
		w = ((w << 8) | (unsigned char)k->s[i]) & window;
		if (i + 1 < VX_DEDUP_SHINGLE)
			continue;
		uint64_t h = shingle_hash(w); /* never 0: w is not, and the mix is a bijection fixing 0 */
		k->h[k->n_h++] = h;
		if (h % SKETCH_SAMPLE == 0)
		{
			uint64_t bit = (h / SKETCH_SAMPLE) % SKETCH_BITS;
			k->sketch[bit / 64] |= 1ull << (bit % 64);
		}
	}
}

/* Entry e's chain head slot: where its key is, or the empty slot for it. */
static size_t head_slot(const skeleton_index *x, uint64_t key)
{
	size_t i = slot_of(key, x->head_mask);
	while (x->head[i] && x->keys[x->head[i] - 1] != key)
		i = (i + 1) & x->head_mask;
	return i;
}

/* Computes row d's keys from k (its skeleton). */
static void set_keys(skeleton_index *x, uint32_t d, const skeleton *k)
{
	uint64_t *key = x->keys + (size_t)d * KEYS_PER_DOC;
	uint64_t lo1 = UINT64_MAX, lo2 = UINT64_MAX;
	for (size_t i = 0; i < k->n_h; i++) {
		uint64_t h = k->h[i];
		if (h < lo1) {
			lo2 = lo1;
			lo1 = h;
		} else if (h > lo1 && h < lo2)
			lo2 = h;
	}
	key[0] = vx_hash64(k->s, VX_DEDUP_MIN_SKELETON);
	key[0] = key[0] ? key[0] : 1;
	key[1] = lo1;
	key[2] = lo2 != UINT64_MAX ? lo2 : 0;
	x->len[d] = (uint32_t)k->len;
	memcpy(x->sketch + (size_t)d * SKETCH_WORDS, k->sketch, sizeof k->sketch);
}

/* Records row d's keys, so that later rows find it. */
static void add_keys(skeleton_index *x, uint32_t d)
{
	for (uint32_t q = 0; q < KEYS_PER_DOC; q++) {
		uint32_t e = d * KEYS_PER_DOC + q;
		if (x->keys[e] == 0)
			continue;
		size_t i = head_slot(x, x->keys[e]);
		x->prev[e] = x->head[i] ? x->head[i] - 1 : NO_ENTRY;
		x->head[i] = e + 1;
	}
}

/* 1 when the shorter skeleton of a and b is found in the longer one (the
 * containment and gap conditions of rule 3); set is scratch. */
static int contained(uint64_t *set, const skeleton *a, const skeleton *b)
{
	if (a->len > b->len) {
		const skeleton *t = a;
		a = b;
		b = t;
	}
	size_t cap = table_capacity(b->n_h), mask = cap - 1;
	memset(set, 0, cap * sizeof *set);
	for (size_t i = 0; i < b->n_h; i++) {
		size_t s = slot_of(b->h[i], mask);
		while (set[s] && set[s] != b->h[i])
			s = (s + 1) & mask;
		set[s] = b->h[i];
	}
	size_t max_missing = (size_t)((1.0 - VX_DEDUP_CONTAINMENT) * (double)a->n_h);
	size_t missing = 0, run = 0;
	for (size_t i = 0; i < a->n_h; i++) {
		size_t s = slot_of(a->h[i], mask);
		while (set[s] && set[s] != a->h[i])
			s = (s + 1) & mask;
		if (set[s]) {
			run = 0;
			continue;
		}
		if (++missing > max_missing || ++run > VX_DEDUP_MAX_GAP)
			return 0;
	}
	return 1;
}

/* 1 when rows d and c < d are copies by rule 3; w is the calling thread's
 * scratch. Reads the index only. */
static int skeleton_copies(const skeleton_index *x, scratch *w, uint32_t d, uint32_t c)
{
	uint32_t ld = x->len[d], lc = x->len[c];
	uint32_t shorter = ld < lc ? ld : lc, longer = ld < lc ? lc : ld;
	int same_start = x->keys[(size_t)d * KEYS_PER_DOC] == x->keys[(size_t)c * KEYS_PER_DOC];
	if (!same_start && (double)shorter < VX_DEDUP_SIMILAR_LENGTH * (double)longer)
		return 0;
	const uint64_t *in = x->sketch + (size_t)(ld <= lc ? d : c) * SKETCH_WORDS;
	const uint64_t *out = x->sketch + (size_t)(ld <= lc ? c : d) * SKETCH_WORDS;
	int bits = 0, outside = 0;
	for (int q = 0; q < SKETCH_WORDS; q++) {
		bits += __builtin_popcountll(in[q]);
		outside += __builtin_popcountll(in[q] & ~out[q]);
	}
	if (outside > SKETCH_SLACK + bits / 4)
		return 0;
	if (w->cur_doc != d) { /* the first candidate to read again: d's shingles too */
		skeleton_of(&w->cur, x, d);
		w->cur_doc = d;
	}
	skeleton_of(&w->cand, x, c);
	if (same_start && memcmp(w->cur.s, w->cand.s, VX_DEDUP_MIN_SKELETON) != 0) {
		same_start = 0; /* two starts with the same hash */
		if ((double)shorter < VX_DEDUP_SIMILAR_LENGTH * (double)longer)
			return 0;
	}
	return contained(w->set, &w->cur, &w->cand);
}

/* Row d's candidates for rule 3, in the order they are checked: the rows of
 * its keys' chains, CHAIN_MAX entries per key, latest first, each row once.
 * The chains hold every row with a skeleton (add_keys() in row order), so
 * d's own entries, found first, are passed over: only earlier rows count, as
 * when d was placed before the later rows were added. Returns their number,
 * at most MAX_CANDIDATES. */
#define MAX_CANDIDATES (KEYS_PER_DOC * CHAIN_MAX)
_Static_assert(MAX_CANDIDATES <= 16, "a row's results fit in 16 bits");
static size_t candidates(const skeleton_index *x, uint32_t d, uint32_t *out)
{
	size_t n = 0;
	for (uint32_t q = 0; q < KEYS_PER_DOC; q++) {
		uint32_t e = d * KEYS_PER_DOC + q;
		if (x->keys[e] == 0)
			continue;
		int walked = 0;
		for (e = x->prev[e]; e != NO_ENTRY && walked < CHAIN_MAX; e = x->prev[e]) {
			uint32_t c = e / KEYS_PER_DOC;
			if (c == d)
				continue;
			walked++;
			int seen = 0;
			for (size_t s = 0; s < n && !seen; s++)
				seen = out[s] == c;
			if (!seen)
				out[n++] = c;
		}
	}
	return n;
}

/* The earliest group among the copies of row d found by rule 3, or d when
 * there is none. rep holds the groups of rows < d; x->found[d] which of
 * d's candidates are copies. A candidate whose group is not earlier than the
 * best so far cannot change it and is passed over. */
static uint32_t skeleton_group(const skeleton_index *x, const uint32_t *rep, uint32_t d)
{
	uint32_t c[MAX_CANDIDATES];
	size_t n = candidates(x, d, c);
	uint32_t best = d;
	for (size_t t = 0; t < n; t++)
		if (rep[c[t]] < best && (x->found[d] >> t & 1))
			best = rep[c[t]];
	return best;
}

/* ---- Passes over the rows in chunks, on several threads ---------------- */

/* Rows per chunk. What a pass computes for a row depends on that row (and,
 * for the checks, on the keys of earlier rows, all known before), so the
 * chunks may be taken by any thread in any order: the result is the same
 * whatever the number of threads. */
#define ROW_CHUNK 2048
#define MAX_THREADS 2

typedef struct row_pass row_pass;
struct row_pass {
	skeleton_index *x;
	const vx_dtm *m;
	const uint32_t *first;   /* first[d]: the first row with d's word sequence (rule 1) */
	void (*row)(row_pass *p, scratch *w, uint32_t d);
	size_t n_chunks;
	atomic_size_t next;      /* the next chunk to take */
};

/* Row d needs rule 2's and rule 3's keys unless it is an exact copy of an
 * earlier row (it then joins that row's group, see vx_dedup_groups_threads). */
static int exact_copy(const row_pass *p, uint32_t d)
{
	return p->first[d] != d && p->m->doc_len[d] > 0;
}

/* Row d has a skeleton of its own, in the chains. */
static int has_skeleton(const row_pass *p, uint32_t d)
{
	return !exact_copy(p, d) && p->x->len[d] >= VX_DEDUP_MIN_SKELETON;
}

/* The key pass: row d's skeleton keys, length and sketch. */
static void key_row(row_pass *p, scratch *w, uint32_t d)
{
	if (exact_copy(p, d))
		return;
	skeleton_of(&w->cur, p->x, d);
	w->cur_doc = d;
	if (w->cur.len >= VX_DEDUP_MIN_SKELETON)
		set_keys(p->x, d, &w->cur);
}

/* The check pass: which of row d's candidates are copies of it. */
static void check_row(row_pass *p, scratch *w, uint32_t d)
{
	if (!has_skeleton(p, d))
		return;
	uint32_t c[MAX_CANDIDATES];
	size_t n = candidates(p->x, d, c);
	uint16_t found = 0;
	for (size_t t = 0; t < n; t++)
		if (skeleton_copies(p->x, w, d, c[t]))
			found |= (uint16_t)(1u << t);
	p->x->found[d] = found;
}

/* Takes chunks until none is left. */
static void take_chunks(row_pass *p, scratch *w)
{
	for (;;) {
		size_t c = atomic_fetch_add(&p->next, 1);
		if (c >= p->n_chunks)
			return;
		uint32_t from = (uint32_t)(c * ROW_CHUNK), to = from + ROW_CHUNK;
		if (to > p->m->n_docs)
			to = (uint32_t)p->m->n_docs;
		for (uint32_t d = from; d < to; d++)
			p->row(p, w, d);
	}
}

typedef struct pass_worker {
	row_pass *p;
	scratch *w;
} pass_worker;

static void *run_pass_worker(void *arg)
{
	pass_worker *pw = arg;
	take_chunks(pw->p, pw->w);
	return NULL;
}

/* Runs p->row on every row: in this thread with the index's scratch, and in
 * another with w2 when w2 is not NULL. */
static void run_pass(row_pass *p, void (*row)(row_pass *, scratch *, uint32_t), scratch *w2)
{
	p->row = row;
	atomic_store(&p->next, 0);
	pass_worker pw = {p, w2};
	pthread_t thread;
	int started = w2 && p->n_chunks > 1 && pthread_create(&thread, NULL, run_pass_worker, &pw) == 0;
	take_chunks(p, &p->x->own); /* with the chunks the other thread leaves, if any */
	if (started)
		pthread_join(thread, NULL);
}

int vx_dedup_groups_threads(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                            size_t max_threads)
{
	int rc = 0;
	key_table exact = {0}, rare = {0};
	skeleton_index sk = {0};
	scratch w2 = {0};
	int two = (max_threads == 0 || max_threads >= MAX_THREADS) && m->n_docs > ROW_CHUNK;
	if ((rc = table_init(&exact, m->n_docs)) != 0 ||
	    (corpus && ((rc = index_init(&sk, m->n_docs, corpus, docs)) != 0 || (two && (rc = scratch_init(&w2)) != 0))))
		goto done;
	/* Rule 1 first (one lookup a row; rep holds each row's first copy until
	 * the row's group is known). */
	for (uint32_t d = 0; d < m->n_docs; d++)
		rep[d] = table_first(&exact, m->doc_sig[d], d);
	row_pass p = {&sk, m, rep, NULL, (m->n_docs + ROW_CHUNK - 1) / ROW_CHUNK, 0};
	if (corpus) {
		/* Rule 3: every row's keys, then the chains in row order, then
		 * every row's checks against its candidates. */
		run_pass(&p, key_row, two ? &w2 : NULL);
		for (uint32_t d = 0; d < m->n_docs; d++)
			if (has_skeleton(&p, d))
				add_keys(&sk, d);
		run_pass(&p, check_row, two ? &w2 : NULL);
		/* The sketches are not read again: their memory goes before the
		 * table of rule 2 comes. */
		free(sk.sketch);
		sk.sketch = NULL;
	}
	if ((rc = table_init(&rare, m->n_docs)) != 0)
		goto done;
	/* The groups, in row order: each row joins the group of an earlier one. */
	for (uint32_t d = 0; d < m->n_docs; d++) {
		if (exact_copy(&p, d)) {
			rep[d] = rep[rep[d]];
			continue;
		}
		rep[d] = d;
		if (m->row_ptr[d + 1] - m->row_ptr[d] >= VX_DEDUP_MIN_TERMS) {
			uint32_t f = table_first(&rare, rare_key(m, d), d);
			if (f != d && jaccard(m, f, d) >= VX_DEDUP_JACCARD)
				rep[d] = rep[f];
		}
		if (corpus && rep[d] == d && has_skeleton(&p, d))
			rep[d] = skeleton_group(&sk, rep, d);
	}
done:
	free(exact.slots);
	free(rare.slots);
	index_free(&sk);
	scratch_free(&w2);
	return rc;
}

int vx_dedup_groups(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs)
{
	return vx_dedup_groups_threads(rep, m, corpus, docs, 0);
}
