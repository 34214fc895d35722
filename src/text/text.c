/*
 * French word analysis: tokenisation with byte offsets, lower-casing,
 * accent folding, elisions, stop words and Snowball stemming.
 *
 * Stemming is the expensive step (about a microsecond a word), and a corpus
 * of 100,000 experiences has millions of words but only tens of thousands of
 * distinct ones, so every distinct lower-cased word is analysed once and
 * kept in a cache keyed by its bytes. The cache also gives each distinct
 * word a dense id (word_id) that callers use to index their own arrays.
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

typedef struct word_entry {
	uint64_t hash;
	uint32_t key_off, key_len;   /* lower-cased word */
	uint32_t fold_off, fold_len;
	uint32_t stem_off, stem_len;
	unsigned char stop, numeric;
} word_entry;

struct vx_text {
	struct sb_stemmer *stemmer;
	char *pool;                  /* all strings of the cache, by offset */
	size_t pool_len, pool_cap;
	word_entry *words;
	size_t n_words, cap_words;
	uint64_t *slots;             /* open addressing: high 32 bits of the hash, then word index + 1; 0 = empty */
	size_t n_slots;
};

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
 * follows the apostrophe. Other apostrophes ("aujourd'hui") stay inside. */
static int is_elision(const char *w, size_t n)
{
	static const char *const el[] = {"c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "presqu", "puisqu",
	                                 "qu", "quoiqu", "s", "t"};
	return vx_sorted_contains(el, sizeof el / sizeof el[0], w, n);
}

int vx_text_new(vx_text **out)
{
	vx_text *t = calloc(1, sizeof *t);
	if (t == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating a text analyser");
	t->stemmer = sb_stemmer_new("french", "UTF_8");
	t->n_slots = 1 << 14;
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

/* Appends bytes to the pool; returns the offset or -1 on OOM. The pool may
 * move: offsets stay valid, pointers do not. */
static int64_t pool_add(vx_text *t, const char *s, size_t n)
{
	if (t->pool_len + n > t->pool_cap) {
		size_t cap = t->pool_cap ? t->pool_cap : 1 << 16;
		while (cap < t->pool_len + n)
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
	t->pool_len += n;
	return (int64_t)(t->pool_len - n);
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

/* memcmp for the short strings words are, without a library call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	while (n >= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* Finds or adds the cache entry of a lower-cased word. NULL on OOM. */
static const word_entry *lookup(vx_text *t, const char *w, size_t n, uint64_t h, unsigned *id)
{
	size_t mask = t->n_slots - 1;
	size_t i = (size_t)h & mask;
	uint64_t tag = h & 0xffffffff00000000ull;
	for (;;) {
		uint64_t s = t->slots[i];
		if (s == 0)
			break;
		/* The tag spares a visit to the entry for most non-matching slots. */
		if ((s & 0xffffffff00000000ull) == tag) {
			uint32_t idx = (uint32_t)s - 1;
			word_entry *e = &t->words[idx];
			if (e->hash == h && e->key_len == n && same_bytes(t->pool + e->key_off, w, n)) {
				*id = idx;
				return e;
			}
		}
		i = (i + 1) & mask;
	}
	/* New word: analyse it once. */
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
	word_entry e = {.hash = h};
	int64_t ko = pool_add(t, w, n), fo = pool_add(t, folded, fn), so = pool_add(t, stemf, sn);
	if (ko < 0 || fo < 0 || so < 0)
		return NULL;
	e.key_off = (uint32_t)ko;
	e.key_len = (uint32_t)n;
	e.fold_off = (uint32_t)fo;
	e.fold_len = (uint32_t)fn;
	e.stem_off = (uint32_t)so;
	e.stem_len = (uint32_t)sn;
	e.stop = (unsigned char)vx_text_is_stopword(folded, fn);
	for (size_t k = 0; k < n; k++)
		if (w[k] >= '0' && w[k] <= '9')
			e.numeric = 1;
	t->words[t->n_words] = e;
	t->slots[i] = tag | (uint32_t)(t->n_words + 1);
	*id = (unsigned)t->n_words;
	t->n_words++;
	/* Keep the load under one half. */
	if (t->n_words * 2 > t->n_slots) {
		size_t ns = t->n_slots * 2;
		uint64_t *slots = calloc(ns, sizeof *slots);
		if (slots == NULL)
			return NULL;
		for (size_t k = 0; k < t->n_words; k++) {
			uint64_t hk = t->words[k].hash;
			size_t j = (size_t)hk & (ns - 1);
			while (slots[j])
				j = (j + 1) & (ns - 1);
			slots[j] = (hk & 0xffffffff00000000ull) | (uint32_t)(k + 1);
		}
		free(t->slots);
		t->slots = slots;
		t->n_slots = ns;
	}
	return &t->words[*id];
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

static int is_word_cp(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
		return 1;
	default:
		return 0;
	}
}

/* ASCII letters and digits. */
static const unsigned char ascii_word[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
	['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static int is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Analyses the word s[start..end) whose lower-cased bytes are lw[0..ln) and
 * calls cb. Returns cb's value, or VX_ENOMEM. */
static int emit(vx_text *t, size_t start, size_t end, const char *lw, size_t ln, vx_token_cb cb, void *payload)
{
	if (ln == 0 || ln > VX_TEXT_MAX_WORD)
		return 0;
	/* FNV-1a, then a final mix so that the low bits index the table well. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t k = 0; k < ln; k++)
		h = (h ^ (unsigned char)lw[k]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	unsigned id;
	const word_entry *e = lookup(t, lw, ln, h, &id);
	if (e == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory in the word cache");
	vx_token tok = {
		.start = start, .end = end,
		.folded = t->pool + e->fold_off, .folded_len = e->fold_len,
		.stem = t->pool + e->stem_off, .stem_len = e->stem_len,
		.stop = e->stop, .numeric = e->numeric, .word_id = id, .word_hash = e->hash,
	};
	return cb(&tok, payload);
}

int vx_text_tokens(vx_text *t, const char *s, size_t len, vx_token_cb cb, void *payload)
{
	char lw[VX_TEXT_MAX_WORD + 8];
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		unsigned char c0 = (unsigned char)s[i];
		if (c0 < 0x80 && !ascii_word[c0]) {
			i++;
			continue;
		}
		size_t k = decode(s, len, i, &cp);
		if (!is_word_cp(cp)) {
			i += k;
			continue;
		}
		size_t start = i, ln = 0;
		int overflow = 0;
		while (i < len) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x80 && ascii_word[c]) {
				if (!overflow) {
					if (ln + 1 > VX_TEXT_MAX_WORD)
						overflow = 1;
					else
						lw[ln++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				}
				i++;
				continue;
			}
			k = decode(s, len, i, &cp);
			if (is_word_cp(cp)) {
				if (!overflow) {
					char enc[8];
					size_t ne = cp < 0x80 ? (enc[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp), 1)
					                      : (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
					                                                     (utf8proc_uint8_t *)enc);
					if (ln + ne > VX_TEXT_MAX_WORD)
						overflow = 1;
					else {
						memcpy(lw + ln, enc, ne);
						ln += ne;
					}
				}
				i += k;
				continue;
			}
			if (is_apostrophe(cp) && i + k < len) {
				int32_t next;
				decode(s, len, i + k, &next);
				if (is_word_cp(next)) {
					if (!overflow && is_elision(lw, ln)) {
						int rc = emit(t, start, i, lw, ln, cb, payload);
						if (rc)
							return rc;
						i += k;
						start = i;
						ln = 0;
						continue;
					}
					/* An apostrophe inside a word ("aujourd'hui"). */
					if (!overflow && ln + 1 <= VX_TEXT_MAX_WORD)
						lw[ln++] = '\'';
					i += k;
					continue;
				}
			}
			break;
		}
		if (!overflow) {
			int rc = emit(t, start, i, lw, ln, cb, payload);
			if (rc)
				return rc;
		}
	}
	return 0;
}
