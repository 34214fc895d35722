/*
 * French word analysis: tokenisation with byte offsets, lower-casing,
 * accent folding, elisions, stop words and Snowball stemming.
 *
 * Stemming is the expensive step (about a microsecond a word), and a corpus
 * of 100,000 experiences has millions of words but only tens of thousands of
 * distinct ones, so every distinct lower-cased word is analysed once and
 * kept in a cache keyed by its bytes. The cache also gives each distinct
 * word a dense id (word_id) that callers use to index their own arrays.
 *
 * Every token goes through the scan and the cache, so both touch each byte
 * as few times as they can: runs of ASCII letters and digits are read eight
 * bytes at a time, the accented letters of Latin-1 are lower-cased without
 * decoding, and the word is gathered, hashed and compared in 64-bit chunks
 * (keys are kept zero-padded). docs/performance.md has the measurements.
 */
#include "voix/text.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/rank.h"
#include "voix/error.h"

/* Words longer than this (URLs, base64 blobs, runs of letters) are skipped:
 * no French word is that long and they would only pollute the vocabulary. */
#define VX_TEXT_MAX_WORD 96

/* A distinct word, by word_id: all that a token of it carries. 32 bytes, so
 * that an entry never straddles two cache lines; the entries of the frequent
 * words, met first, share few lines. */
typedef struct word_entry {
	uint64_t head;               /* the word's first chunk (see CHUNK) */
	uint32_t key_off;            /* lower-cased word, zero-padded (see KEY_BYTES) */
	uint32_t fold_off, stem_off;
	uint16_t key_len, fold_len, stem_len;
	unsigned char stop, numeric;
} word_entry;

struct vx_text {
	struct sb_stemmer *stemmer;
	char *pool;                  /* all strings of the cache, by offset */
	size_t pool_len, pool_cap;
	word_entry *words;
	size_t n_words, cap_words;
	/* Open addressing, linear probing: the low 32 bits of the word's hash
	 * in the high half of a slot (to skip most other words without a visit
	 * to their entry, and to place them again when the table grows), its
	 * word_id + 1 in the low half; 0 is an empty slot. */
	uint64_t *slots;
	size_t n_slots;
};

/* The first size of the table (it doubles to keep the load under one half). */
#define FIRST_SLOTS 16384

/* The Snowball French stop-word list, folded (no accents), plus the elided
 * forms and a few very frequent auxiliaries. Kept sorted (a test checks it). */
static const char *const stopwords[] = {
	"a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais", "aurait",
	"auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient", "avais", "avait", "avec",
	"avez", "aviez", "avions", "avons", "ayant", "ayez", "ayons", "c", "ce", "ceci", "cela", "ces", "cet",
	"cette", "d", "dans", "de", "des", "du", "elle", "elles", "en", "es", "est", "et", "etaient", "etais",
	"etait", "etant", "ete", "etee", "etees", "etes", "etiez", "etions", "eu", "eue", "eues", "eurent", "eus",
	"eusse", "eussent", "eusses", "eussiez", "eussions", "eut", "eux", "furent", "fus", "fusse", "fussent",
	"fusses", "fussiez", "fussions", "fut", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur",
	"leurs", "lorsqu", "lui", "m", "ma", "mais", "me", "meme", "memes", "mes", "moi", "mon", "n", "ne", "ni", "nos",
	"notre", "nous", "on", "ont", "ou", "par", "pas", "pour", "puisqu", "qu", "que", "quel", "quelle",
	"quelles", "quels", "qui", "s", "sa", "sans", "se", "sera", "serai", "seraient", "serais", "serait",
	"seras", "serez", "seriez", "serions", "serons", "seront", "ses", "soi", "soient", "sois", "soit", "sommes",
	"son", "sont", "soyez", "soyons", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
	"vos", "votre", "vous", "y",
};


int vx_text_is_stopword(const char *folded, size_t len)
{
	return vx_sorted_contains(stopwords, sizeof stopwords / sizeof stopwords[0], folded, len);
}

/* Elided articles and pronouns: "l'", "d'", "qu'"... split off the word that
 * follows the apostrophe. Other apostrophes ("aujourd'hui") stay inside. Each
 * is shorter than eight bytes, so it is compared as one zero-padded chunk
 * (the first byte in the low bits) with the word read so far. */
static int is_elision(uint64_t word)
{
	static const char el[][8] = {"c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "presqu", "puisqu",
	                             "qu", "quoiqu", "s", "t"};
	for (size_t k = 0; k < sizeof el / sizeof el[0]; k++) {
		uint64_t e = 0;
		for (size_t b = 0; b < 8; b++)
			e |= (uint64_t)(unsigned char)el[k][b] << (8 * b);
		if (e == word)
			return 1;
	}
	return 0;
}

int vx_text_new(vx_text **out)
{
	vx_text *t = calloc(1, sizeof *t);
	if (t == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating a text analyser");
	t->stemmer = sb_stemmer_new("french", "UTF_8");
	t->n_slots = FIRST_SLOTS;
	t->slots = calloc(t->n_slots, sizeof *t->slots);
	if (t->stemmer == NULL || t->slots == NULL) {
		vx_text_free(t);
		return vx_error_set(VX_ENOMEM, "cannot create the French stemmer");
	}
	*out = t;
	return 0;
}

void vx_text_free(vx_text *t)
{
	if (t == NULL)
		return;
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	free(t->pool);
	free(t->words);
	free(t->slots);
	free(t);
}

unsigned vx_text_word_count(const vx_text *t)
{
	return (unsigned)t->n_words;
}

const char *vx_text_word(const vx_text *t, unsigned id, size_t *len)
{
	if (id >= t->n_words)
		return NULL;
	*len = t->words[id].key_len;
	return t->pool + t->words[id].key_off;
}

/* Appends bytes to the pool, followed by zeros up to pad bytes in all (pad >=
 * n); returns the offset or -1 on OOM. The pool may move: offsets stay valid,
 * pointers do not. */
static int64_t pool_add(vx_text *t, const char *s, size_t n, size_t pad)
{
	if (t->pool_len + pad > t->pool_cap) {
		size_t cap = t->pool_cap ? t->pool_cap : 1 << 16;
		while (cap < t->pool_len + pad)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -1;
		char *p = realloc(t->pool, cap);
		if (p == NULL)
			return -1;
		t->pool = p;
		t->pool_cap = cap;
	}
	memcpy(t->pool + t->pool_len, s, n);
	memset(t->pool + t->pool_len + n, 0, pad - n);
	t->pool_len += pad;
	return (int64_t)(t->pool_len - pad);
}

/* Folds one code point: lower case without accents, ligatures expanded.
 * Writes at most 8 bytes; returns the count. */
static size_t fold_cp(int32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	switch (cp) {
	case 0x0152: case 0x0153: memcpy(out, "oe", 2); return 2; /* œ */
	case 0x00C6: case 0x00E6: memcpy(out, "ae", 2); return 2; /* æ */
	case 0x00DF: memcpy(out, "ss", 2); return 2;
	default: break;
	}
	utf8proc_int32_t dec[4];
	int lb = 0;
	utf8proc_ssize_t nd = utf8proc_decompose_char(
		cp, dec, 4, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &lb);
	size_t o = 0;
	if (nd <= 0 || nd > 4) {
		o = (size_t)utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)out);
		return o;
	}
	for (utf8proc_ssize_t k = 0; k < nd && o < 4; k++)
		o += (size_t)utf8proc_encode_char(dec[k], (utf8proc_uint8_t *)out + o);
	return o;
}

/* Folds a lower-cased UTF-8 string into out (cap >= 2 * n + 8). */
static size_t fold_str(const char *s, size_t n, char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		o += fold_cp(cp, out + o);
	}
	return o;
}

/* Words are hashed and compared eight bytes at a time. While a word is read,
 * its lower-cased bytes are gathered in a register, little-endian, and each
 * full group of eight is kept in an array of chunks (no byte-by-byte stores
 * that a wider load would then wait for). Keys in the pool are followed by
 * zeros up to the end of the chunk after their last full one, so a key of n
 * bytes is n / 8 + 1 chunks, the last one possibly all zeros. */
#define CHUNK 8
#define MAX_CHUNKS (VX_TEXT_MAX_WORD / CHUNK)
#define KEY_BYTES(n) (((n) / CHUNK + 1) * CHUNK)

static inline uint64_t le64(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24 |
	       (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

static inline void store_le64(char *p, uint64_t x)
{
	for (int k = 0; k < CHUNK; k++)
		p[k] = (char)(x >> (8 * k));
}

/* The bytes of a word of n bytes from its chunks (KEY_BYTES(n) bytes). */
static void word_bytes(char *out, const uint64_t *chunk, uint64_t tail, size_t n)
{
	for (size_t k = 0; k < n / CHUNK; k++)
		store_le64(out + k * CHUNK, chunk[k]);
	store_le64(out + n / CHUNK * CHUNK, tail);
}

/* A multiply-xorshift step per chunk (the constants of SplitMix64), then the
 * length and SplitMix64's finaliser, so that the low bits index the table
 * well. It depends on the word alone: tokens carry it as word_hash. */
static inline uint64_t word_hash(const uint64_t *chunk, uint64_t tail, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (size_t k = 0; k <= n / CHUNK; k++) {
		h = (h ^ (k < n / CHUNK ? chunk[k] : tail)) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	h ^= (uint64_t)n;
	h ^= h >> 30;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

/* 1 when the pool key at key, of n bytes, is the word of these chunks. */
static inline int same_word(const char *key, const uint64_t *chunk, uint64_t tail, size_t n)
{
	for (size_t k = 0; k < n / CHUNK; k++)
		if (le64(key + k * CHUNK) != chunk[k])
			return 0;
	return le64(key + n / CHUNK * CHUNK) == tail;
}

/* Places every word in a table of twice the size. VX_ENOMEM on failure (the
 * table is then unchanged). */
static int grow_slots(vx_text *t)
{
	size_t ns = t->n_slots * 2;
	uint64_t *slots = calloc(ns, sizeof *slots);
	if (slots == NULL)
		return VX_ENOMEM;
	for (size_t k = 0; k < t->n_slots; k++) {
		if (t->slots[k] == 0)
			continue;
		size_t j = (size_t)(t->slots[k] >> 32) & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = t->slots[k];
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = ns;
	return 0;
}

/* Analyses a word seen for the first time and adds it to the cache, in the
 * empty slot i. Returns its slot, or NULL on OOM. */
static const word_entry *add_word(vx_text *t, const uint64_t *chunk, uint64_t tail, size_t n, uint64_t h, size_t i,
                                  unsigned *id)
{
	char w[KEY_BYTES(VX_TEXT_MAX_WORD)];
	word_bytes(w, chunk, tail, n);
	if (t->n_words == t->cap_words) {
		size_t cap = t->cap_words ? t->cap_words * 2 : 1024;
		word_entry *p = realloc(t->words, cap * sizeof *p);
		if (p == NULL)
			return NULL;
		t->words = p;
		t->cap_words = cap;
	}
	char folded[2 * VX_TEXT_MAX_WORD + 16], stemf[2 * VX_TEXT_MAX_WORD + 16];
	size_t fn = fold_str(w, n, folded);
	const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)n);
	size_t sn = 0;
	if (st != NULL)
		sn = fold_str((const char *)st, (size_t)sb_stemmer_length(t->stemmer), stemf);
	else {
		memcpy(stemf, folded, fn);
		sn = fn;
	}
	int64_t ko = pool_add(t, w, n, KEY_BYTES(n)), fo = pool_add(t, folded, fn, fn), so = pool_add(t, stemf, sn, sn);
	if (ko < 0 || fo < 0 || so < 0)
		return NULL;
	word_entry e = {
		.head = le64(w), .key_off = (uint32_t)ko,
		.fold_off = (uint32_t)fo, .stem_off = (uint32_t)so,
		.key_len = (uint16_t)n, .fold_len = (uint16_t)fn, .stem_len = (uint16_t)sn,
		.stop = (unsigned char)vx_text_is_stopword(folded, fn),
	};
	for (size_t k = 0; k < n; k++)
		if (w[k] >= '0' && w[k] <= '9')
			e.numeric = 1;
	t->words[t->n_words] = e;
	t->slots[i] = (h << 32) | (uint32_t)(t->n_words + 1);
	*id = (unsigned)t->n_words;
	t->n_words++;
	if (t->n_words * 2 > t->n_slots && grow_slots(t) != 0)
		return NULL;
	return &t->words[*id];
}

/* Finds or adds the entry of a lower-cased word given as chunks. NULL on
 * OOM. */
static inline const word_entry *lookup(vx_text *t, const uint64_t *chunk, uint64_t tail, size_t n, uint64_t h,
                                       unsigned *id)
{
	size_t mask = t->n_slots - 1;
	size_t i = (size_t)h & mask;
	uint64_t tag = h << 32;
	uint64_t head = n < CHUNK ? tail : chunk[0];
	for (;;) {
		uint64_t s = t->slots[i];
		if (s == 0)
			break;
		if ((s & 0xffffffff00000000ull) == tag) {
			uint32_t idx = (uint32_t)s - 1;
			const word_entry *e = &t->words[idx];
			if (e->head == head && e->key_len == n &&
			    (n < CHUNK || same_word(t->pool + e->key_off, chunk, tail, n))) {
				*id = idx;
				return e;
			}
		}
		i = (i + 1) & mask;
	}
	return add_word(t, chunk, tail, n, h, i, id);
}

/* Decodes the code point at s[i]; returns its length (>= 1). Invalid bytes
 * decode as -1 with length 1. */
static size_t decode(const char *s, size_t len, size_t i, int32_t *cp)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	utf8proc_int32_t v;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &v);
	if (k <= 0) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return (size_t)k;
}

/* ASCII letters and digits, lower-cased; 0 for every other byte (bytes from
 * 0x80 on begin or continue a multi-byte code point). */
static const unsigned char ascii_lower[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
	['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
	['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
	['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
	['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
	['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
	['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* Reads the non-ASCII code point at s[i] (s[i] >= 0x80). Returns its length
 * in bytes (1 for an invalid byte, decoded as -1 into *cp). When it is part
 * of a word (a letter, mark or decimal digit), writes its lower-case form
 * into enc and its length into *ne; otherwise *ne is 0. */
static size_t wide_char(const char *s, size_t len, size_t i, int32_t *cp, char enc[8], size_t *ne)
{
	unsigned char c = (unsigned char)s[i];
	/* U+00C0..U+00FF, the accented letters of French: all letters but the
	 * signs × (U+00D7) and ÷ (U+00F7); U+00C0..U+00DE lower-case 32 code
	 * points on, which in UTF-8 is the second byte plus 0x20. A unit test
	 * checks this against utf8proc. */
	if (c == 0xC3 && i + 1 < len) {
		unsigned char b = (unsigned char)s[i + 1];
		if (b >= 0x80 && b <= 0xBF) {
			*cp = 0xC0 + (b - 0x80);
			if (b == 0x97 || b == 0xB7) {
				*ne = 0;
				return 2;
			}
			enc[0] = (char)0xC3;
			enc[1] = (char)(b <= 0x9E ? b + 0x20 : b);
			*ne = 2;
			return 2;
		}
	}
	size_t k = decode(s, len, i, cp);
	int word = 0;
	/* U+02BC (ʼ) is a modifier letter, but in French text an apostrophe. */
	if (*cp >= 0 && *cp != 0x02BC) {
		switch (utf8proc_category(*cp)) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
		case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
		case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
			word = 1;
			break;
		default:
			break;
		}
	}
	*ne = word ? (size_t)utf8proc_encode_char(utf8proc_tolower(*cp), (utf8proc_uint8_t *)enc) : 0;
	return k;
}

/* 1 when the code point at s[i] is part of a word. */
static int word_char_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80)
		return ascii_lower[c] != 0;
	int32_t cp;
	char enc[8];
	size_t ne;
	wide_char(s, len, i, &cp, enc, &ne);
	return ne != 0;
}

static int is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Analyses the word s[start..end) whose n lower-cased bytes are given as
 * chunks and calls cb. Returns cb's value, or VX_ENOMEM. */
static int emit(vx_text *t, size_t start, size_t end, const uint64_t *chunk, uint64_t tail, size_t n,
                vx_token_cb cb, void *payload)
{
	if (n == 0 || n > VX_TEXT_MAX_WORD)
		return 0;
	uint64_t h = word_hash(chunk, tail, n);
	unsigned id;
	const word_entry *e = lookup(t, chunk, tail, n, h, &id);
	if (e == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory in the word cache");
	vx_token tok = {
		.start = start, .end = end,
		.folded = t->pool + e->fold_off, .folded_len = e->fold_len,
		.stem = t->pool + e->stem_off, .stem_len = e->stem_len,
		.stop = e->stop, .numeric = e->numeric, .word_id = id, .word_hash = h,
	};
	return cb(&tok, payload);
}

/* Appends the k bytes of bytes (1 <= k <= 8, the first in the low bits, zeros
 * above) to the word being read: to tail, and to chunk[] each time eight are
 * complete. Past VX_TEXT_MAX_WORD, chunks go to the spare last one. */
static inline void put_bytes(uint64_t *chunk, uint64_t *tail, size_t *ln, uint64_t bytes, size_t k)
{
	size_t used = *ln % CHUNK;
	uint64_t t = *tail | bytes << (8 * used);
	if (used + k >= CHUNK) {
		size_t c = *ln / CHUNK;
		chunk[c < MAX_CHUNKS ? c : MAX_CHUNKS] = t;
		t = used ? bytes >> (8 * (CHUNK - used)) : 0;
	}
	*tail = t;
	*ln += k;
}

/* ASCII letters and digits eight bytes at a time: of the eight bytes of x
 * (the first in the low bits), the lanes that hold one, as 0x80 in each such
 * lane. Each test adds to the low seven bits of a lane a constant that sets
 * its top bit from a given value on, with no carry into the next lane. */
static inline uint64_t ascii_word_lanes(uint64_t x)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, top = 0x8080808080808080ull;
	uint64_t l = (x | 0x2020202020202020ull) & low7;      /* letters lower-cased */
	uint64_t d = x & low7;
	uint64_t letter = (l + 0x1f1f1f1f1f1f1f1full) & ~(l + 0x0505050505050505ull); /* 'a'..'z' */
	uint64_t digit = (d + 0x5050505050505050ull) & ~(d + 0x4646464646464646ull);  /* '0'..'9' */
	return (letter | digit) & ~x & top;                   /* and not a byte from 0x80 on */
}

/* The index of the first lane whose top bit is set in m (m != 0). */
static inline size_t first_lane(uint64_t m)
{
#if defined(__GNUC__)
	return (size_t)__builtin_ctzll(m) / 8;
#else
	size_t k = 0;
	while (!(m & 0x80)) {
		m >>= 8;
		k++;
	}
	return k;
#endif
}

int vx_text_tokens(vx_text *t, const char *s, size_t len, vx_token_cb cb, void *payload)
{
	/* The word so far, lower-cased: full chunks, then the bytes of the last
	 * partial one in tail. ln counts every byte, also past VX_TEXT_MAX_WORD
	 * (the word is then skipped whole). */
	uint64_t chunk[MAX_CHUNKS + 1];
	uint64_t tail;
	size_t i = 0;
	while (i < len) {
		unsigned char c0 = (unsigned char)s[i];
		if (c0 < 0x80) {
			if (!ascii_lower[c0]) {
				i++;
				continue;
			}
		} else {
			int32_t cp;
			char enc[8];
			size_t ne;
			size_t k = wide_char(s, len, i, &cp, enc, &ne);
			if (ne == 0) {
				i += k;
				continue;
			}
		}
		size_t start = i, ln = 0;
		tail = 0;
		while (i < len) {
			/* The bulk of French text: runs of ASCII letters and digits,
			 * eight bytes at a time (lower case is the byte or 0x20). */
			if (len - i >= CHUNK) {
				uint64_t x = le64(s + i);
				uint64_t stop = ~ascii_word_lanes(x) & 0x8080808080808080ull;
				size_t k = stop ? first_lane(stop) : CHUNK;
				if (k) {
					uint64_t lower = x | 0x2020202020202020ull;
					put_bytes(chunk, &tail, &ln, k < CHUNK ? lower & ((1ull << (8 * k)) - 1) : lower, k);
					i += k;
					if (k == CHUNK)
						continue;
				}
			}
			unsigned char c = (unsigned char)s[i], lc;
			if ((lc = ascii_lower[c]) != 0) {
				put_bytes(chunk, &tail, &ln, lc, 1);
				i++;
				continue;
			}
			int32_t cp;
			char enc[8];
			size_t ne = 0, k = 1;
			if (c >= 0x80)
				k = wide_char(s, len, i, &cp, enc, &ne);
			else
				cp = c;
			if (ne) {
				for (size_t q = 0; q < ne; q++)
					put_bytes(chunk, &tail, &ln, (unsigned char)enc[q], 1);
				i += k;
				continue;
			}
			if (is_apostrophe(cp) && i + k < len && word_char_at(s, len, i + k)) {
				if (ln < CHUNK && is_elision(tail)) {
					int rc = emit(t, start, i, chunk, tail, ln, cb, payload);
					if (rc)
						return rc;
					i += k;
					start = i;
					ln = 0;
					tail = 0;
					continue;
				}
				/* An apostrophe inside a word ("aujourd'hui"). */
				put_bytes(chunk, &tail, &ln, '\'', 1);
				i += k;
				continue;
			}
			break;
		}
		if (ln <= VX_TEXT_MAX_WORD) {
			int rc = emit(t, start, i, chunk, tail, ln, cb, payload);
			if (rc)
				return rc;
		}
	}
	return 0;
}
