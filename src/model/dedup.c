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

typedef struct skeleton_index {
	const vx_corpus *corpus;
	const size_t *docs;
	skeleton cur, cand;      /* the document being placed, an earlier candidate */
	uint32_t cur_doc;        /* the row whose skeleton cur holds; NO_ENTRY: none */
	uint64_t *set;           /* open-addressing set of a skeleton's shingles (0 = empty) */
	uint64_t *keys;          /* KEYS_PER_DOC per document; 0 = none */
	uint32_t *prev;          /* per entry: the previous entry with the same key */
	uint32_t *head;          /* per slot: the latest entry with its key + 1; 0 = empty */
	size_t head_mask;
	uint32_t *len;           /* per document: skeleton length */
	uint64_t *sketch;        /* per document: its skeleton's sketch, SKETCH_WORDS words */
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
	x->cur_doc = NO_ENTRY;
	x->cur.s = malloc(VX_DEDUP_MAX_SKELETON);
	x->cand.s = malloc(VX_DEDUP_MAX_SKELETON);
	x->cur.h = malloc(MAX_SHINGLES * sizeof *x->cur.h);
	x->cand.h = malloc(MAX_SHINGLES * sizeof *x->cand.h);
	x->set = malloc(table_capacity(MAX_SHINGLES) * sizeof *x->set);
	x->keys = vx_mem_calloc_huge(n * KEYS_PER_DOC + 1, sizeof *x->keys);
	x->prev = vx_mem_alloc_huge((n * KEYS_PER_DOC + 1) * sizeof *x->prev);
	x->head = vx_mem_calloc_huge(cap, sizeof *x->head);
	x->head_mask = cap - 1;
	x->len = vx_mem_calloc_huge(n + 1, sizeof *x->len);
	x->sketch = vx_mem_calloc_huge((n + 1) * SKETCH_WORDS, sizeof *x->sketch);
	if (!x->sketch || !x->cur.s || !x->cand.s || !x->cur.h || !x->cand.h || !x->set || !x->keys || !x->prev || !x->head ||
	    !x->len)
		return vx_error_set(VX_ENOMEM, "out of memory for duplicate detection (%zu documents)", n);
	return 0;
}

static void index_free(skeleton_index *x)
{
	free(x->cur.s);
	free(x->cand.s);
	free(x->cur.h);
	free(x->cand.h);
	free(x->set);
	free(x->keys);
	free(x->prev);
	free(x->head);
	free(x->len);
	free(x->sketch);
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
 * containment and gap conditions of rule 3). */
static int contained(skeleton_index *x, const skeleton *a, const skeleton *b)
{
	if (a->len > b->len) {
		const skeleton *t = a;
		a = b;
		b = t;
	}
	size_t cap = table_capacity(b->n_h), mask = cap - 1;
	memset(x->set, 0, cap * sizeof *x->set);
	for (size_t i = 0; i < b->n_h; i++) {
		size_t s = slot_of(b->h[i], mask);
		while (x->set[s] && x->set[s] != b->h[i])
			s = (s + 1) & mask;
		x->set[s] = b->h[i];
	}
	size_t max_missing = (size_t)((1.0 - VX_DEDUP_CONTAINMENT) * (double)a->n_h);
	size_t missing = 0, run = 0;
	for (size_t i = 0; i < a->n_h; i++) {
		size_t s = slot_of(a->h[i], mask);
		while (x->set[s] && x->set[s] != a->h[i])
			s = (s + 1) & mask;
		if (x->set[s]) {
			run = 0;
			continue;
		}
		if (++missing > max_missing || ++run > VX_DEDUP_MAX_GAP)
			return 0;
	}
	return 1;
}

/* 1 when rows d (in x->cur) and c < d are copies by rule 3. */
static int skeleton_copies(skeleton_index *x, uint32_t d, uint32_t c)
{
	uint32_t ld = x->len[d], lc = x->len[c];
	uint32_t shorter = ld < lc ? ld : lc, longer = ld < lc ? lc : ld;
	int same_start = x->keys[(size_t)d * KEYS_PER_DOC] == x->keys[(size_t)c * KEYS_PER_DOC];
	if (!same_start && (double)shorter < VX_DEDUP_SIMILAR_LENGTH * (double)longer)
		return 0;
	const uint64_t *in = x->sketch + (size_t)(ld <= lc ? d : c) * SKETCH_WORDS;
	const uint64_t *out = x->sketch + (size_t)(ld <= lc ? c : d) * SKETCH_WORDS;
	int bits = 0, outside = 0;
	for (int w = 0; w < SKETCH_WORDS; w++) {
		bits += __builtin_popcountll(in[w]);
		outside += __builtin_popcountll(in[w] & ~out[w]);
	}
	if (outside > SKETCH_SLACK + bits / 4)
		return 0;
	if (x->cur_doc != d) { /* the first candidate to read again: d's shingles too */
		skeleton_of(&x->cur, x, d);
		x->cur_doc = d;
	}
	skeleton_of(&x->cand, x, c);
	if (same_start && memcmp(x->cur.s, x->cand.s, VX_DEDUP_MIN_SKELETON) != 0) {
		same_start = 0; /* two starts with the same hash */
		if ((double)shorter < VX_DEDUP_SIMILAR_LENGTH * (double)longer)
			return 0;
	}
	return contained(x, &x->cur, &x->cand);
}

/* The earliest group among the copies of row d found by rule 3 (the rows of
 * its keys' chains, CHAIN_MAX per key), or d when there is none. rep holds
 * the groups of rows < d. */
static uint32_t skeleton_group(skeleton_index *x, const uint32_t *rep, uint32_t d)
{
	uint32_t seen[KEYS_PER_DOC * CHAIN_MAX];
	size_t n_seen = 0;
	uint32_t best = d;
	for (uint32_t q = 0; q < KEYS_PER_DOC; q++) {
		uint64_t key = x->keys[(size_t)d * KEYS_PER_DOC + q];
		if (key == 0)
			continue;
		size_t i = head_slot(x, key);
		uint32_t e = x->head[i] ? x->head[i] - 1 : NO_ENTRY;
		for (int walked = 0; e != NO_ENTRY && walked < CHAIN_MAX; walked++, e = x->prev[e]) {
			uint32_t c = e / KEYS_PER_DOC;
			int dup = rep[c] >= best;
			for (size_t s = 0; s < n_seen && !dup; s++)
				dup = seen[s] == c;
			if (dup)
				continue;
			seen[n_seen++] = c;
			if (skeleton_copies(x, d, c))
				best = rep[c];
		}
	}
	return best;
}

/* ---- The keys of every row, in chunks on several threads -------------- */

/* Rows per chunk of the key pass. Each row's keys depend on that row alone,
 * so the chunks may be taken by any thread in any order: the result is the
 * same whatever the number of threads. */
#define KEY_CHUNK 2048
#define MAX_KEY_THREADS 2 /* this one and another, with the index's two skeleton buffers */

/* The skeleton keys of the rows: first[d] is the first row with d's word
 * sequence (rule 1), d itself when d is not an exact copy. */
typedef struct key_pass {
	skeleton_index *x;
	const vx_dtm *m;
	const uint32_t *first;
	size_t n_chunks;
	atomic_size_t next;      /* the next chunk to take */
} key_pass;

/* Row d needs rule 2's and rule 3's keys unless it is an exact copy of an
 * earlier row (it then joins that row's group, see vx_dedup_groups_threads). */
static int exact_copy(const key_pass *kp, uint32_t d)
{
	return kp->first[d] != d && kp->m->doc_len[d] > 0;
}

/* Takes chunks until none is left; k is this thread's skeleton buffer. */
static void key_chunks(key_pass *kp, skeleton *k)
{
	const vx_dtm *m = kp->m;
	for (;;) {
		size_t c = atomic_fetch_add(&kp->next, 1);
		if (c >= kp->n_chunks)
			return;
		uint32_t from = (uint32_t)(c * KEY_CHUNK), to = from + KEY_CHUNK;
		if (to > m->n_docs)
			to = m->n_docs;
		for (uint32_t d = from; d < to; d++) {
			if (exact_copy(kp, d))
				continue;
			skeleton_of(k, kp->x, d);
			if (k->len >= VX_DEDUP_MIN_SKELETON)
				set_keys(kp->x, d, k);
		}
	}
}

typedef struct key_worker {
	key_pass *kp;
	skeleton k;
} key_worker;

static void *run_key_worker(void *arg)
{
	key_worker *w = arg;
	key_chunks(w->kp, &w->k);
	return NULL;
}

/* Fills the keys, lengths and sketches of kp->x for every row, on up to
 * MAX_KEY_THREADS threads (max_threads, 0: as many as that). */
static void key_rows(key_pass *kp, size_t max_threads)
{
	size_t n_threads = max_threads && max_threads < MAX_KEY_THREADS ? max_threads : MAX_KEY_THREADS;
	if (n_threads > kp->n_chunks)
		n_threads = kp->n_chunks ? kp->n_chunks : 1;
	/* The two skeleton buffers of the index: the group pass needs them
	 * only once the keys are all known. */
	key_worker w[MAX_KEY_THREADS] = {{kp, kp->x->cur}, {kp, kp->x->cand}};
	pthread_t thread;
	int started = n_threads > 1 && pthread_create(&thread, NULL, run_key_worker, &w[1]) == 0;
	key_chunks(kp, &w[0].k); /* with the chunks the other thread leaves, if any */
	if (started)
		pthread_join(thread, NULL);
}

int vx_dedup_groups_threads(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                            size_t max_threads)
{
	int rc = 0;
	key_table exact = {0}, rare = {0};
	skeleton_index sk = {0};
	if ((rc = table_init(&exact, m->n_docs)) != 0 || (rc = table_init(&rare, m->n_docs)) != 0 ||
	    (corpus && (rc = index_init(&sk, m->n_docs, corpus, docs)) != 0))
		goto done;
	/* Rule 1 first (one lookup a row; rep holds each row's first copy until
	 * the row's group is known), then the other rows' skeleton keys. */
	for (uint32_t d = 0; d < m->n_docs; d++)
		rep[d] = table_first(&exact, m->doc_sig[d], d);
	key_pass kp = {&sk, m, rep, (m->n_docs + KEY_CHUNK - 1) / KEY_CHUNK, 0};
	if (corpus)
		key_rows(&kp, max_threads);
	/* The groups, in row order: each row joins the group of an earlier one. */
	for (uint32_t d = 0; d < m->n_docs; d++) {
		if (exact_copy(&kp, d)) {
			rep[d] = rep[rep[d]];
			continue; /* its skeleton is its original's: nothing to add */
		}
		rep[d] = d;
		if (m->row_ptr[d + 1] - m->row_ptr[d] >= VX_DEDUP_MIN_TERMS) {
			uint32_t f = table_first(&rare, rare_key(m, d), d);
			if (f != d && jaccard(m, f, d) >= VX_DEDUP_JACCARD)
				rep[d] = rep[f];
		}
		if (!corpus || sk.len[d] < VX_DEDUP_MIN_SKELETON)
			continue;
		if (rep[d] == d)
			rep[d] = skeleton_group(&sk, rep, d);
		add_keys(&sk, d);
	}
done:
	free(exact.slots);
	free(rare.slots);
	index_free(&sk);
	return rc;
}

int vx_dedup_groups(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs)
{
	return vx_dedup_groups_threads(rep, m, corpus, docs, 0);
}
