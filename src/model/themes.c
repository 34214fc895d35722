/*
 * Theme expressions matched on tokens (model/themes.h).
 *
 * An expression is a sequence of slots: a set of alternative words (exact,
 * prefix or number) or a gap. A scanner keeps, per word id of its analyser,
 * the slots that word can fill, computed the first time the word is seen:
 * exact words through a hash map, prefixes and numbers by a short scan. A
 * token that can fill the last slot of an expression starts a backward
 * check of that expression over the last words of the document (a ring of
 * RING words); most tokens fill no last slot and cost one array read.
 */
#include "model/themes.h"

#include <stdlib.h>
#include <string.h>

#include "model/dtm.h"
#include "util/grow.h"
#include "util/strmap.h"
#include "voix/error.h"

/* Words kept behind the current one: the longest expression with every gap
 * at its widest, plus the negation window. */
#define RING 64
#define MAX_WORD 64
/* Prefixes are grouped by their first two bytes, so a new word is compared
 * only with the prefixes that start like it. */
#define PREFIX_BUCKETS 65536

static size_t bucket_of(const char *w, size_t len)
{
	return len >= 2 ? ((size_t)(unsigned char)w[0] << 8 | (unsigned char)w[1]) : 0;
}

enum { SLOT_WORDS, SLOT_GAP };

typedef struct alt {
	uint32_t off, len;   /* folded word in th->pool */
	unsigned char prefix, number;
	uint32_t slot;       /* the slot it belongs to */
} alt;

typedef struct slot {
	unsigned char kind;
	uint32_t first_alt, n_alt;
} slot;

typedef struct expr {
	uint32_t first_slot, n_slots;
	uint32_t span;       /* the most words a match can cover (every gap at its widest) */
	unsigned char theme, negatable;
} expr;

struct vx_themes {
	alt *alts;
	size_t n_alts, cap_alts;
	slot *slots;
	size_t n_slots, cap_slots;
	uint32_t *slot_expr;   /* per slot: its expression */
	expr *exprs;
	size_t n_exprs, cap_exprs;
	char *pool;
	size_t pool_len, pool_cap;
	size_t n_themes;
};

/* Negations that cancel a praise expression just after them. */
static const char *const negations[] = {"pas", "peu", "jamais", "aucun", "aucune", "sans", "manque", "ni",
                                        "guere", "nullement", "rien"};
/* Number words that "#" accepts besides digits and vx_dtm_is_number_word. */
static const char *const quantity_words[] = {"plusieurs", "quelques", "nombreux", "nombreuses", "des"};

int vx_themes_new(vx_themes **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : vx_error_set(VX_ENOMEM, "out of memory");
}

void vx_themes_free(vx_themes *th)
{
	if (th == NULL)
		return;
	free(th->alts);
	free(th->slots);
	free(th->slot_expr);
	free(th->exprs);
	free(th->pool);
	free(th);
}

size_t vx_themes_count(const vx_themes *th)
{
	return th ? th->n_themes : 0;
}

/* First capacity of the codebook's arrays (alternatives, slots, expressions). */
#define FIRST_CAP 16

/* Grows an array of n elements to hold one more; the old pointer is invalid. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	return vx_grow(p, cap, n + 1, size, FIRST_CAP);
}

static int add_alt(vx_themes *th, const char *w, size_t len, int prefix, int number)
{
	int rc;
	if ((rc = grow((void **)&th->alts, &th->cap_alts, th->n_alts, sizeof *th->alts)) != 0)
		return rc;
	while (th->pool_len + len + 1 > th->pool_cap) {
		size_t nc = th->pool_cap ? th->pool_cap * 2 : 1024;
		char *q = realloc(th->pool, nc);
		if (q == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory");
		th->pool = q;
		th->pool_cap = nc;
	}
	memcpy(th->pool + th->pool_len, w, len);
	th->pool[th->pool_len + len] = '\0';
	th->alts[th->n_alts++] = (alt){(uint32_t)th->pool_len, (uint32_t)len, (unsigned char)prefix,
	                               (unsigned char)number, 0};
	th->pool_len += len + 1;
	return 0;
}

static int add_slot(vx_themes *th, unsigned char kind, uint32_t first_alt)
{
	int rc;
	if ((rc = grow((void **)&th->slots, &th->cap_slots, th->n_slots, sizeof *th->slots)) != 0)
		return rc;
	for (size_t a = first_alt; a < th->n_alts; a++)
		th->alts[a].slot = (uint32_t)th->n_slots;
	th->slots[th->n_slots++] = (slot){kind, first_alt, (uint32_t)(th->n_alts - first_alt)};
	return 0;
}

/* Collects the folded tokens of one written word. */
typedef struct fold_acc {
	char w[4][MAX_WORD];
	size_t len[4];
	size_t n;
	int too_long;
} fold_acc;

static int collect(const vx_token *tok, void *payload)
{
	fold_acc *a = payload;
	if (a->n == 4 || tok->folded_len >= MAX_WORD) {
		a->too_long = 1;
		return 1;
	}
	memcpy(a->w[a->n], tok->folded, tok->folded_len);
	a->len[a->n++] = tok->folded_len;
	return 0;
}

/* Adds the slots of one written item (no spaces inside). */
static int add_item(vx_themes *th, const char *s, size_t n, vx_text *text)
{
	int rc;
	if (n == 1 && s[0] == '~')
		return add_slot(th, SLOT_GAP, (uint32_t)th->n_alts);
	if (n == 1 && s[0] == '#') {
		uint32_t first = (uint32_t)th->n_alts;
		if ((rc = add_alt(th, "", 0, 0, 1)) != 0)
			return rc;
		return add_slot(th, SLOT_WORDS, first);
	}
	int group = n >= 2 && s[0] == '(' && s[n - 1] == ')';
	if (group) {
		s++;
		n -= 2;
	} else if (memchr(s, '(', n) || memchr(s, ')', n) || memchr(s, '|', n))
		return vx_error_set(VX_EFORMAT, "« %.*s » : une alternative s'écrit (mot1|mot2)", (int)n, s);
	uint32_t first = (uint32_t)th->n_alts;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '|')
			continue;
		const char *w = s + start;
		size_t wl = i - start;
		start = i + 1;
		int prefix = wl > 0 && w[wl - 1] == '*';
		if (prefix)
			wl--;
		if (wl == 1 && w[0] == '#' && group) {
			if ((rc = add_alt(th, "", 0, 0, 1)) != 0)
				return rc;
			continue;
		}
		fold_acc a = {0};
		if (wl == 0 || memchr(w, '*', wl))
			return vx_error_set(VX_EFORMAT, "« %.*s » : mot vide ou * ailleurs qu'en fin de mot", (int)n, s);
		if ((rc = vx_text_tokens(text, w, wl, collect, &a)) < 0)
			return rc;
		if (a.too_long || a.n == 0)
			return vx_error_set(VX_EFORMAT, "« %.*s » n'est pas un mot", (int)wl, w);
		if (a.n > 1 && (group || prefix))
			return vx_error_set(VX_EFORMAT,
			                    "« %.*s » fait plusieurs mots : une alternative ou un préfixe est un seul mot",
			                    (int)wl, w);
		if (a.n > 1) { /* "d'attente": one slot per word */
			for (size_t k = 0; k < a.n; k++) {
				uint32_t f = (uint32_t)th->n_alts;
				if ((rc = add_alt(th, a.w[k], a.len[k], 0, 0)) != 0 || (rc = add_slot(th, SLOT_WORDS, f)) != 0)
					return rc;
			}
			return 0;
		}
		if ((rc = add_alt(th, a.w[0], a.len[0], prefix, 0)) != 0)
			return rc;
	}
	return add_slot(th, SLOT_WORDS, first);
}

int vx_themes_add(vx_themes *th, size_t theme, const char *expr_text, size_t len, int negatable, vx_text *text)
{
	int rc;
	if (theme >= VX_THEMES_MAX)
		return vx_error_set(VX_EFORMAT, "au plus %d thèmes", VX_THEMES_MAX);
	size_t slots_before = th->n_slots, alts_before = th->n_alts;
	size_t i = 0;
	while (i < len) {
		while (i < len && (expr_text[i] == ' ' || expr_text[i] == '\t'))
			i++;
		size_t j = i;
		while (j < len && expr_text[j] != ' ' && expr_text[j] != '\t')
			j++;
		if (j > i && (rc = add_item(th, expr_text + i, j - i, text)) != 0)
			goto fail;
		i = j;
	}
	size_t n_slots = th->n_slots - slots_before;
	if (n_slots == 0) {
		rc = vx_error_set(VX_EFORMAT, "expression vide");
		goto fail;
	}
	if (n_slots > VX_THEME_MAX_SLOTS) {
		rc = vx_error_set(VX_EFORMAT, "« %.*s » : au plus %d mots par expression", (int)len, expr_text,
		                  VX_THEME_MAX_SLOTS);
		goto fail;
	}
	if (th->slots[slots_before].kind == SLOT_GAP || th->slots[th->n_slots - 1].kind == SLOT_GAP) {
		rc = vx_error_set(VX_EFORMAT, "« %.*s » : ~ se place entre deux mots", (int)len, expr_text);
		goto fail;
	}
	if ((rc = grow((void **)&th->exprs, &th->cap_exprs, th->n_exprs, sizeof *th->exprs)) != 0)
		goto fail;
	uint32_t *se = realloc(th->slot_expr, (th->n_slots ? th->n_slots : 1) * sizeof *se);
	if (se == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto fail;
	}
	th->slot_expr = se;
	for (size_t s = slots_before; s < th->n_slots; s++)
		se[s] = (uint32_t)th->n_exprs;
	uint32_t span = 0;
	for (size_t q = slots_before; q < th->n_slots; q++)
		span += th->slots[q].kind == SLOT_GAP ? VX_THEME_GAP_MAX : 1;
	th->exprs[th->n_exprs++] = (expr){(uint32_t)slots_before, (uint32_t)n_slots, span, (unsigned char)theme,
	                                  (unsigned char)(negatable != 0)};
	if (theme + 1 > th->n_themes)
		th->n_themes = theme + 1;
	return 0;
fail:
	th->n_slots = slots_before;
	th->n_alts = alts_before;
	return rc;
}

/* ---- Scanning ---------------------------------------------------------- */

/* What one word of the analyser can do: the slots it fills (a range of
 * sc->fill), whether it ends an expression, whether it is a negation. */
typedef struct word_entry {
	uint32_t off;
	uint16_t n;
	unsigned char known : 1, negation : 1, ends : 1, starts : 1;
} word_entry; /* 8 bytes: one per distinct word of the analyser */

struct vx_theme_scan {
	const vx_themes *th;
	vx_strmap exact;        /* folded exact word -> id */
	uint32_t *exact_ptr;    /* CSR: slots of each exact word */
	uint32_t *exact_slots;
	uint32_t *prefix_alts;  /* alts that are prefixes or numbers, grouped by their first two bytes */
	uint32_t *prefix_ptr;   /* PREFIX_BUCKETS + 1 offsets into prefix_alts; bucket 0: numbers and
	                         * one-byte prefixes, tried on every word */
	size_t n_prefix_alts;
	word_entry *words;      /* per word id */
	size_t cap_words;
	uint32_t *fill;         /* slot ids, per word a range */
	size_t n_fill, cap_fill;
	unsigned char *last_slot; /* per slot: 1 when it ends its expression */
	unsigned char *first_slot;/* per slot: 1 when it starts its expression */
	uint64_t *first_seen;   /* per expression: position of the last word that could start it */
	uint64_t pos;           /* words seen since the scanner was made (1 = the first) */
	uint64_t field_start;   /* pos before the first word of the current field */
	uint32_t ring[RING];    /* word ids of the last words */
	size_t n_seen;          /* words of the current field */
	uint32_t hits[VX_THEMES_MAX];
	vx_theme_match_cb on_match; /* told of every match, or NULL */
	void *on_match_payload;
};

void vx_theme_scan_free(vx_theme_scan *sc)
{
	if (sc == NULL)
		return;
	vx_strmap_free(&sc->exact);
	free(sc->exact_ptr);
	free(sc->exact_slots);
	free(sc->prefix_alts);
	free(sc->prefix_ptr);
	free(sc->words);
	free(sc->fill);
	free(sc->last_slot);
	free(sc->first_slot);
	free(sc->first_seen);
	free(sc);
}

int vx_theme_scan_new(vx_theme_scan **out, const vx_themes *th, const vx_text *text)
{
	(void)text;
	int rc = 0;
	vx_theme_scan *sc = calloc(1, sizeof *sc);
	if (sc == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	sc->th = th;
	vx_strmap_init(&sc->exact);
	size_t ns = th->n_slots ? th->n_slots : 1;
	uint32_t *alt_word = malloc((th->n_alts ? th->n_alts : 1) * sizeof *alt_word);
	sc->last_slot = calloc(ns, 1);
	sc->first_slot = calloc(ns, 1);
	sc->first_seen = calloc(th->n_exprs ? th->n_exprs : 1, sizeof *sc->first_seen);
	sc->prefix_alts = malloc((th->n_alts ? th->n_alts : 1) * sizeof *sc->prefix_alts);
	if (!alt_word || !sc->last_slot || !sc->first_slot || !sc->first_seen || !sc->prefix_alts) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t e = 0; e < th->n_exprs; e++) {
		sc->last_slot[th->exprs[e].first_slot + th->exprs[e].n_slots - 1] = 1;
		sc->first_slot[th->exprs[e].first_slot] = 1;
	}
	/* Exact words: id per distinct word, then the slots of each (CSR). */
	sc->prefix_ptr = calloc(PREFIX_BUCKETS + 1, sizeof *sc->prefix_ptr);
	if (sc->prefix_ptr == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t a = 0; a < th->n_alts; a++) {
		const alt *al = &th->alts[a];
		alt_word[a] = UINT32_MAX;
		if (al->prefix || al->number)
			sc->prefix_ptr[(al->number ? 0 : bucket_of(th->pool + al->off, al->len)) + 1]++;
		else if ((rc = vx_strmap_intern(&sc->exact, th->pool + al->off, al->len, &alt_word[a], NULL)) != 0)
			goto done;
	}
	for (size_t k = 0; k < PREFIX_BUCKETS; k++)
		sc->prefix_ptr[k + 1] += sc->prefix_ptr[k];
	for (size_t a = 0; a < th->n_alts; a++) { /* a counting sort: alts keep their order in a bucket */
		const alt *al = &th->alts[a];
		if (!al->prefix && !al->number)
			continue;
		size_t bk = al->number ? 0 : bucket_of(th->pool + al->off, al->len);
		sc->prefix_alts[sc->prefix_ptr[bk]] = (uint32_t)a;
		sc->prefix_ptr[bk]++;
	}
	for (size_t k = PREFIX_BUCKETS; k > 0; k--) /* the counting sort moved each start to the next one */
		sc->prefix_ptr[k] = sc->prefix_ptr[k - 1];
	sc->prefix_ptr[0] = 0;
	sc->n_prefix_alts = sc->prefix_ptr[PREFIX_BUCKETS];
	size_t nw = vx_strmap_count(&sc->exact);
	sc->exact_ptr = calloc(nw + 1, sizeof *sc->exact_ptr);
	sc->exact_slots = malloc((th->n_alts ? th->n_alts : 1) * sizeof *sc->exact_slots);
	if (!sc->exact_ptr || !sc->exact_slots) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t s = 0; s < th->n_slots; s++)
		for (uint32_t a = th->slots[s].first_alt; a < th->slots[s].first_alt + th->slots[s].n_alt; a++)
			if (alt_word[a] != UINT32_MAX)
				sc->exact_ptr[alt_word[a] + 1]++;
	for (size_t w = 0; w < nw; w++)
		sc->exact_ptr[w + 1] += sc->exact_ptr[w];
	uint32_t *pos = calloc(nw ? nw : 1, sizeof *pos);
	if (pos == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t s = 0; s < th->n_slots; s++)
		for (uint32_t a = th->slots[s].first_alt; a < th->slots[s].first_alt + th->slots[s].n_alt; a++)
			if (alt_word[a] != UINT32_MAX)
				sc->exact_slots[sc->exact_ptr[alt_word[a]] + pos[alt_word[a]]++] = (uint32_t)s;
	free(pos);
done:
	free(alt_word);
	if (rc) {
		vx_theme_scan_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

static int is_in(const char *const *list, size_t n, const char *w, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
			return 1;
	return 0;
}

/* Adds slot s to the word whose range starts at from, once. */
static int push_fill(vx_theme_scan *sc, size_t from, uint32_t s)
{
	for (size_t k = from; k < sc->n_fill; k++)
		if (sc->fill[k] == s)
			return 0;
	int rc = grow((void **)&sc->fill, &sc->cap_fill, sc->n_fill, sizeof *sc->fill);
	if (rc == 0)
		sc->fill[sc->n_fill++] = s;
	return rc;
}

/* Works out once what word id can do. */
static int learn_word(vx_theme_scan *sc, const vx_token *tok)
{
	const vx_themes *th = sc->th;
	if (tok->word_id >= sc->cap_words) {
		size_t nc = sc->cap_words ? sc->cap_words * 2 : 4096;
		while (nc <= tok->word_id)
			nc *= 2;
		word_entry *q = realloc(sc->words, nc * sizeof *q);
		if (q == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory");
		memset(q + sc->cap_words, 0, (nc - sc->cap_words) * sizeof *q);
		sc->words = q;
		sc->cap_words = nc;
	}
	word_entry *we = &sc->words[tok->word_id];
	const char *f = tok->folded;
	size_t fl = tok->folded_len;
	we->off = (uint32_t)sc->n_fill;
	int64_t id = vx_strmap_find(&sc->exact, f, fl);
	if (id >= 0)
		for (uint32_t k = sc->exact_ptr[id]; k < sc->exact_ptr[id + 1]; k++)
			if (push_fill(sc, we->off, sc->exact_slots[k]) != 0)
				return VX_ENOMEM;
	int number = tok->numeric || vx_dtm_is_number_word(f, fl) ||
	             is_in(quantity_words, sizeof quantity_words / sizeof *quantity_words, f, fl);
	size_t bk = bucket_of(f, fl);
	for (int pass = 0; pass < 2; pass++) {
		size_t from = pass == 0 ? 0 : bk;
		if (pass == 1 && bk == 0)
			break;
		for (uint32_t k = sc->prefix_ptr[from]; k < sc->prefix_ptr[from + 1]; k++) {
			const alt *al = &th->alts[sc->prefix_alts[k]];
			int ok = al->number ? number : fl >= al->len && memcmp(f, th->pool + al->off, al->len) == 0;
			if (ok && push_fill(sc, we->off, al->slot) != 0)
				return VX_ENOMEM;
		}
	}
	we->n = (uint16_t)(sc->n_fill - we->off);
	for (uint32_t k = we->off; k < sc->n_fill; k++) {
		we->ends |= sc->last_slot[sc->fill[k]] != 0;
		we->starts |= sc->first_slot[sc->fill[k]] != 0;
	}
	we->negation = is_in(negations, sizeof negations / sizeof *negations, f, fl) != 0;
	we->known = 1;
	return 0;
}

static int fills(const vx_theme_scan *sc, uint32_t word, uint32_t s)
{
	const word_entry *we = &sc->words[word];
	for (uint32_t k = we->off; k < we->off + we->n; k++)
		if (sc->fill[k] == s)
			return 1;
	return 0;
}

/* Does expression e match with its slot si ending at ring position back
 * (0 = the current word, 1 the one before...)? On success *start receives
 * the distance back of its first word. */
static int match_back(const vx_theme_scan *sc, const expr *e, int si, size_t back, size_t *start)
{
	const slot *s = &sc->th->slots[e->first_slot + (uint32_t)si];
	if (s->kind == SLOT_GAP) {
		for (size_t g = 0; g <= VX_THEME_GAP_MAX; g++)
			if (match_back(sc, e, si - 1, back + g, start))
				return 1;
		return 0;
	}
	if (back >= sc->n_seen || back >= RING)
		return 0;
	uint32_t w = sc->ring[(sc->n_seen - 1 - back) % RING];
	if (!fills(sc, w, e->first_slot + (uint32_t)si))
		return 0;
	if (si == 0) {
		*start = back;
		return 1;
	}
	return match_back(sc, e, si - 1, back + 1, start);
}

static int negated(const vx_theme_scan *sc, size_t start)
{
	for (size_t b = start + 1; b <= start + VX_THEME_NEG_WINDOW && b < sc->n_seen && b < RING; b++)
		if (sc->words[sc->ring[(sc->n_seen - 1 - b) % RING]].negation)
			return 1;
	return 0;
}

int vx_theme_scan_token(vx_theme_scan *sc, const vx_token *tok)
{
	if (tok->word_id >= sc->cap_words || !sc->words[tok->word_id].known) {
		int rc = learn_word(sc, tok);
		if (rc)
			return rc;
	}
	sc->ring[sc->n_seen % RING] = tok->word_id;
	sc->n_seen++;
	sc->pos++;
	const word_entry *we = &sc->words[tok->word_id];
	if (!we->ends && !we->starts)
		return 0;
	/* Where each expression could start, so that a word ending it checks
	 * backwards only when its first word was seen close enough. */
	for (uint32_t k = we->off; k < we->off + we->n && we->starts; k++)
		if (sc->first_slot[sc->fill[k]])
			sc->first_seen[sc->th->slot_expr[sc->fill[k]]] = sc->pos;
	for (uint32_t k = we->off; k < we->off + we->n && we->ends; k++) {
		uint32_t s = sc->fill[k];
		if (!sc->last_slot[s])
			continue;
		uint32_t ei = sc->th->slot_expr[s];
		const expr *e = &sc->th->exprs[ei];
		if (sc->first_seen[ei] <= sc->field_start || sc->pos - sc->first_seen[ei] >= e->span)
			continue;
		size_t start = 0;
		if (match_back(sc, e, (int)e->n_slots - 1, 0, &start) && !(e->negatable && negated(sc, start))) {
			sc->hits[e->theme]++;
			if (sc->on_match)
				sc->on_match(e->theme, sc->pos - start, sc->pos, sc->on_match_payload);
		}
	}
	return 0;
}

void vx_theme_scan_on_match(vx_theme_scan *sc, vx_theme_match_cb cb, void *payload)
{
	sc->on_match = cb;
	sc->on_match_payload = payload;
}

uint64_t vx_theme_scan_position(const vx_theme_scan *sc)
{
	return sc->pos;
}

void vx_theme_scan_break(vx_theme_scan *sc)
{
	sc->n_seen = 0;
	sc->field_start = sc->pos;
}

void vx_theme_scan_take(vx_theme_scan *sc, uint8_t *hits)
{
	for (size_t t = 0; t < sc->th->n_themes; t++) {
		uint32_t h = sc->hits[t];
		hits[t] = (uint8_t)(h > 255 ? 255 : h);
		sc->hits[t] = 0;
	}
	sc->n_seen = 0;
	sc->field_start = sc->pos;
}
