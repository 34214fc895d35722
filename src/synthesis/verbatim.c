/*
 * Verbatims: exact spans of one experience's text, 40 to 300 characters,
 * a sentence or a few short sentences, chosen among the topic's most typical
 * experiences, and different from each other. Personal data inside them is
 * masked; nothing else changes.
 *
 * A span should state the topic's problem, not the preamble of a story: its
 * score is the weight of the topic's terms it holds (per word, so that a
 * long span is not favoured), raised when it holds one of the expressions
 * that put the experience in the topic's codebook theme (QUOTE_EXPR_BOOST),
 * lowered unless the feelings lexicon finds in it the topic's side,
 * complaint or praise (QUOTE_CUE_FLOOR), and raised a little by the weight
 * of that side's cues beyond the expression (QUOTE_CUE_BOOST a unit, up to
 * QUOTE_CUE_MAX): the sentence that says what went wrong, rather than the
 * one that sets the scene.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/feeling.h"
#include "synthesis/note_internal.h"
#include "util/grow.h"
#include "voix/error.h"

#define VERBATIM_SCAN 60          /* typical documents considered per topic */
#define VERBATIM_MAX_OVERLAP 0.5  /* Jaccard of terms above which two quotes say the same */
#define QUOTE_EXPR_BOOST 0.5      /* a theme's expression in the span: score x (1 + this) */
#define QUOTE_CUE_FLOOR 0.5       /* no cue of the topic's side: score x this */
#define QUOTE_CUE_BOOST 0.25      /* per unit of that side's cue weight outside the expression */
#define QUOTE_CUE_MAX 2.0         /* cue weight counted at most */
#define QUOTE_MAX_CUES 512        /* cues of one text considered */

typedef struct byte_span {
	size_t start, end;
} byte_span;

/* The scanners of the quotes and what they found in the current text. */
typedef struct vx_quote_scan {
	vx_theme_scan *themes;    /* NULL without themes */
	vx_feeling_scan *feel;    /* NULL without a lexicon */
	size_t theme;             /* the theme whose expressions are looked for, SIZE_MAX: none */
	uint64_t base;            /* the theme scanner's position before the text */
	byte_span *tok;           /* bytes of each token of the text, in order */
	size_t n_tok, cap_tok;
	byte_span *expr;          /* bytes of each match of the theme */
	size_t n_expr, cap_expr;
	byte_span *person;        /* bytes of each word that describes a person (person_words) */
	size_t n_person, cap_person;
	vx_feeling_cue *cues;     /* QUOTE_MAX_CUES */
	size_t n_cues;
	uint8_t hits[VX_THEMES_MAX];
	int failed;
} vx_quote_scan;

typedef struct candidate {
	uint32_t row;
	size_t start, end;
	double score;
	vx_feeling feeling;
	uint32_t terms[32];
	size_t n_terms;
} candidate;

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the sentence starting at i: after . ! ? … followed by a space
 * or the end, or at a line break. */
static size_t sentence_end(const char *s, size_t len, size_t i)
{
	for (; i < len; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r')
			return i;
		if (c == '.' || c == '!' || c == '?') {
			size_t j = i + 1;
			while (j < len && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
				j++;
			if (j >= len || is_space(s[j]))
				return j;
			i = j - 1;
		} else if ((unsigned char)c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		           (unsigned char)s[i + 2] == 0xA6) {
			size_t j = i + 3;
			if (j >= len || is_space(s[j]))
				return j;
		}
	}
	return len;
}

static int has_link(const char *s, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (memcmp(s + i, "http", 4) == 0 || memcmp(s + i, "www.", 4) == 0)
			return 1;
	return 0;
}

static int push_span(byte_span **a, size_t *n, size_t *cap, size_t start, size_t end)
{
	if (vx_grow((void **)a, cap, *n + 1, sizeof **a, 64) != 0)
		return vx_error_set(VX_ENOMEM, "out of memory choosing verbatims");
	(*a)[(*n)++] = (byte_span){start, end};
	return 0;
}

static void on_match(size_t theme, uint64_t first, uint64_t last, void *payload)
{
	vx_quote_scan *q = payload;
	if (theme != q->theme || q->failed || first <= q->base || last - q->base > q->n_tok)
		return;
	q->failed = push_span(&q->expr, &q->n_expr, &q->cap_expr, q->tok[first - q->base - 1].start,
	                      q->tok[last - q->base - 1].end);
}

/*
 * Words that describe a person by origin, religion or looks, folded (lower
 * case, no accents), sorted. A sentence that holds one is not quoted: beside
 * the structure's name, « une arabe brune au guichet » points at one agent,
 * and by a category the law protects. Masking names cannot see it; the
 * experience still counts in its topics, it is only not quoted.
 */
static const char *const person_words[] = {
	"africain", "africaine", "africaines", "africains", "arabe", "arabes", "asiatique", "asiatiques",
	"barbu", "barbus", "beur", "beurette", "beurettes", "beurs", "black", "blacks", "blonde", "blondes",
	"brune", "brunes", "chauve", "chauves", "gitan", "gitane", "gitanes", "gitans", "juif", "juifs", "juive",
	"juives", "maghrebin", "maghrebine", "maghrebines", "maghrebins", "metisse", "metisses", "musulman",
	"musulmane", "musulmanes", "musulmans", "noire", "noires", "rebeu", "rebeus", "renoi", "renois", "rousse",
	"rousses", "voilee", "voilees",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int vx_quote_person_word(const char *folded, size_t len)
{
	char w[16];
	if (len == 0 || len >= sizeof w)
		return 0;
	memcpy(w, folded, len);
	w[len] = '\0';
	return bsearch(w, person_words, sizeof person_words / sizeof person_words[0], sizeof person_words[0],
	               cmp_word) != NULL;
}

static int quote_token(const vx_token *tok, void *payload)
{
	vx_quote_scan *q = payload;
	int rc = push_span(&q->tok, &q->n_tok, &q->cap_tok, tok->start, tok->end);
	if (rc == 0 && vx_quote_person_word(tok->folded, tok->folded_len))
		rc = push_span(&q->person, &q->n_person, &q->cap_person, tok->start, tok->end);
	if (rc == 0 && q->themes)
		rc = vx_theme_scan_token(q->themes, tok);
	if (rc == 0 && q->feel)
		rc = vx_feeling_scan_token(q->feel, tok);
	return rc ? rc : q->failed;
}

static int quote_scan_get(vx_quote_scan **out, vx_build *b)
{
	if (b->quote == NULL) {
		vx_quote_scan *q = calloc(1, sizeof *q);
		if (q == NULL || (q->cues = malloc(QUOTE_MAX_CUES * sizeof *q->cues)) == NULL) {
			free(q);
			return vx_error_set(VX_ENOMEM, "out of memory choosing verbatims");
		}
		b->quote = q;
		int rc = 0;
		if (b->themes && (rc = vx_theme_scan_new(&q->themes, b->themes, b->text)) != 0)
			return rc;
		if (q->themes)
			vx_theme_scan_on_match(q->themes, on_match, q);
		if (b->quote_lexicon && (rc = vx_feeling_scan_new(&q->feel, b->quote_lexicon)) != 0)
			return rc;
	}
	*out = b->quote;
	return 0;
}

void vx_verbatims_free(vx_build *b)
{
	free(b->quoted);
	b->quoted = NULL;
	b->n_quoted = b->cap_quoted = 0;
	vx_quote_scan *q = b->quote;
	if (q == NULL)
		return;
	vx_theme_scan_free(q->themes);
	vx_feeling_scan_free(q->feel);
	free(q->tok);
	free(q->expr);
	free(q->person);
	free(q->cues);
	free(q);
	b->quote = NULL;
}

/* The factor by which the span [start, end) of the text last scanned is
 * raised or lowered: its theme expression, its cues of the topic's side
 * (sign -1 for a complaint, +1 for praise). A praise theme's expressions
 * are praise ("rapide", "en 10 jours") and count as such a cue. */
static double quote_boost(const vx_quote_scan *q, size_t start, size_t end, double sign)
{
	int expr = 0;
	for (size_t i = 0; i < q->n_expr && !expr; i++)
		expr = q->expr[i].start >= start && q->expr[i].end <= end;
	/* A cue that is (part of) the theme's expression ("depuis des mois")
	 * shows the side but is not counted again in the weight. */
	double cue = 0, outside = 0;
	for (size_t i = 0; i < q->n_cues; i++) {
		const vx_feeling_cue *c = &q->cues[i];
		if (c->field != 1 || c->start < start || c->end > end)
			continue;
		int in_expr = 0;
		for (size_t x = 0; x < q->n_expr && !in_expr; x++)
			in_expr = c->start < q->expr[x].end && q->expr[x].start < c->end;
		cue += sign * c->counted;
		if (!in_expr)
			outside += sign * c->counted;
	}
	int side = cue > 0 || (expr && sign > 0);
	outside = outside < 0 ? 0 : outside > QUOTE_CUE_MAX ? QUOTE_CUE_MAX : outside;
	return (1.0 + (expr ? QUOTE_EXPR_BOOST : 0.0)) * (side ? 1.0 : QUOTE_CUE_FLOOR) * (1.0 + QUOTE_CUE_BOOST * outside);
}

/* Splits text into b->units, and finds in it the matches of theme (SIZE_MAX:
 * none) and the feeling cues, into q. */
static int scan_text(vx_quote_scan *q, vx_build *b, size_t theme, const char *text, size_t len)
{
	q->theme = theme;
	q->n_tok = q->n_expr = q->n_cues = q->n_person = 0;
	q->failed = 0;
	q->base = q->themes ? vx_theme_scan_position(q->themes) : 0;
	if (q->feel)
		vx_feeling_scan_field(q->feel, text, 1);
	int rc = vx_units_split_with(&b->units, b->text, &b->term_map, text, len, quote_token, q);
	if (q->themes) {
		vx_theme_scan_break(q->themes);
		vx_theme_scan_take(q->themes, q->hits);
	}
	if (q->feel) {
		vx_feeling_reading reading;
		vx_feeling_scan_take(q->feel, &reading, q->cues, QUOTE_MAX_CUES, &q->n_cues);
		if (q->n_cues > QUOTE_MAX_CUES)
			q->n_cues = QUOTE_MAX_CUES;
	}
	return rc ? rc : q->failed;
}

/* Scores every span of the text and keeps the best in *best. */
static int best_span(candidate *best, vx_build *b, const vx_topic_model *tm, size_t j, const char *text)
{
	size_t len = strlen(text), V = tm->nmf.n_terms;
	const float *h = tm->nmf.H + j * V;
	vx_quote_scan *q = NULL;
	int rc = quote_scan_get(&q, b);
	if (rc == 0)
		rc = scan_text(q, b, j < tm->n_themed ? tm->theme_col[j] : SIZE_MAX, text, len);
	if (rc)
		return rc;
	double sign = tm->kind == VX_THEME_PRAISE ? 1.0 : -1.0;
	best->score = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && (is_space(text[i]) || text[i] == '-' || text[i] == '*' || text[i] == '.'))
			i++;
		if (i >= len)
			break;
		size_t start = i, end = sentence_end(text, len, i);
		/* Join short sentences until the span is long enough. */
		while (utf8_chars(text + start, end - start) < VERBATIM_MIN_CHARS && end < len) {
			size_t next = end;
			while (next < len && is_space(text[next]))
				next++;
			if (next >= len)
				break;
			size_t e2 = sentence_end(text, len, next);
			if (utf8_chars(text + start, e2 - start) > VERBATIM_MAX_CHARS)
				break;
			end = e2;
		}
		size_t trimmed = end;
		while (trimmed > start && is_space(text[trimmed - 1]))
			trimmed--;
		size_t chars = utf8_chars(text + start, trimmed - start);
		int describes = 0;
		for (size_t p = 0; p < q->n_person && !describes; p++)
			describes = q->person[p].start >= start && q->person[p].end <= trimmed;
		if (chars >= VERBATIM_MIN_CHARS && chars <= VERBATIM_MAX_CHARS && !describes &&
		    !has_link(text + start, trimmed - start)) {
			double sum = 0;
			size_t n_units = 0, n_terms = 0;
			uint32_t terms[32];
			for (size_t u = 0; u < b->units.n; u++) {
				const vx_unit *un = &b->units.u[u];
				if (un->start < start || un->end > trimmed)
					continue;
				n_units++;
				if (un->term >= 0) {
					sum += h[un->term];
					if (n_terms < 32)
						terms[n_terms++] = (uint32_t)un->term;
				}
			}
			double score = sum / sqrt((double)n_units + 4.0) * quote_boost(q, start, trimmed, sign);
			if (score > best->score) {
				best->score = score;
				best->start = start;
				best->end = trimmed;
				memcpy(best->terms, terms, n_terms * sizeof terms[0]);
				best->n_terms = n_terms;
			}
		}
		i = end;
	}
	return 0;
}

static double overlap(const candidate *a, const candidate *c)
{
	size_t inter = 0;
	for (size_t x = 0; x < a->n_terms; x++)
		for (size_t y = 0; y < c->n_terms; y++)
			if (a->terms[x] == c->terms[y]) {
				inter++;
				break;
			}
	size_t uni = a->n_terms + c->n_terms - inter;
	return uni ? (double)inter / (double)uni : 1.0;
}

/* 1 when an earlier topic or strength of the note quotes this row. */
static int quoted_before(const vx_build *b, uint32_t row)
{
	for (size_t k = 0; k < b->n_quoted; k++)
		if (b->quoted[k] == row)
			return 1;
	return 0;
}

static int by_score(const void *pa, const void *pb)
{
	const candidate *a = pa, *c = pb;
	if (a->score != c->score)
		return a->score < c->score ? 1 : -1;
	return a->row < c->row ? -1 : a->row > c->row;
}

const char *vx_build_mask(vx_build *b, const char *s, size_t len)
{
	char *masked = NULL;
	if (vx_masker_mask(b->masker, s, len, &masked, &b->note->masked) != 0)
		return NULL;
	const char *out = vx_arena_strdup(b->arena, masked);
	free(masked);
	return out;
}

int vx_verbatims_pick(vx_topic *t, vx_build *b, const vx_topic_model *tm, size_t j, size_t max)
{
	int rc = 0;
	uint32_t *rows = malloc(VERBATIM_SCAN * sizeof *rows);
	candidate *cand = calloc(VERBATIM_SCAN, sizeof *cand);
	size_t n_cand = 0;
	if (rows == NULL || cand == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t n_rows = vx_topic_typical(rows, VERBATIM_SCAN, tm, j, b);
	for (size_t q = 0; q < n_rows; q++) {
		uint32_t row = tm->rows[rows[q]];
		const vx_experience *e = vx_corpus_get(b->corpus, b->docs[row]);
		candidate c = {0};
		if ((rc = best_span(&c, b, tm, j, e->text)) != 0)
			goto done;
		if (c.score <= 0)
			continue;
		c.row = row;
		c.feeling = vx_row_feeling(b, row);
		cand[n_cand++] = c;
	}
	qsort(cand, n_cand, sizeof *cand, by_score);
	/* Quotes per feeling in proportion to the topic's feelings (largest
	 * remainders), so a mostly negative topic is not quoted by its few
	 * happy users; the dominant feeling is quoted first. */
	size_t quota[VX_FEELING_COUNT] = {0}, given = 0;
	double rest[VX_FEELING_COUNT];
	size_t total = 0;
	for (int f = 0; f < VX_FEELING_COUNT; f++)
		total += t->feelings.n[f];
	for (int f = 0; f < VX_FEELING_COUNT && total; f++) {
		double exact = (double)max * (double)t->feelings.n[f] / (double)total;
		quota[f] = (size_t)exact;
		rest[f] = exact - (double)quota[f];
		given += quota[f];
	}
	while (total && given < max) {
		int best_f = 0;
		for (int f = 1; f < VX_FEELING_COUNT; f++)
			if (rest[f] > rest[best_f])
				best_f = f;
		quota[best_f]++;
		rest[best_f] = -1;
		given++;
	}
	int order[VX_FEELING_COUNT] = {0, 1, 2, 3};
	for (int a = 1; a < VX_FEELING_COUNT; a++)
		for (int c = a; c > 0 && (quota[order[c]] > quota[order[c - 1]] ||
		                          (quota[order[c]] == quota[order[c - 1]] &&
		                           t->feelings.n[order[c]] > t->feelings.n[order[c - 1]]));
		     c--) {
			int x = order[c];
			order[c] = order[c - 1];
			order[c - 1] = x;
		}
	t->verbatims = vx_arena_calloc(b->arena, max ? max : 1, sizeof *t->verbatims);
	if (t->verbatims == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	size_t chosen_idx[8];
	size_t n_chosen = 0;
	if (max > 8)
		max = 8;
	if (vx_grow((void **)&b->quoted, &b->cap_quoted, b->n_quoted + max, sizeof *b->quoted, 32) != 0) {
		rc = vx_error_set(VX_ENOMEM, "out of memory choosing verbatims");
		goto done;
	}
	/* Pass f < COUNT: the quota of the f-th feeling in order; pass COUNT:
	 * any feeling, for what the quotas could not fill. Those passes leave
	 * out the experiences an earlier topic or strength quotes, so that the
	 * note does not quote one text twice; a last pass takes them when
	 * nothing else is left. */
	for (int pass = 0; pass <= VX_FEELING_COUNT + 1 && n_chosen < max; pass++) {
		size_t taken = 0;
		for (size_t q = 0; q < n_cand && n_chosen < max; q++) {
			const candidate *c = &cand[q];
			if (pass < VX_FEELING_COUNT && (c->feeling != (vx_feeling)order[pass] || taken >= quota[order[pass]]))
				continue;
			if (pass <= VX_FEELING_COUNT && quoted_before(b, c->row))
				continue;
			int ok = 1;
			for (size_t k = 0; k < n_chosen && ok; k++)
				if (chosen_idx[k] == q || overlap(&cand[chosen_idx[k]], c) > VERBATIM_MAX_OVERLAP)
					ok = 0;
			if (!ok)
				continue;
			const vx_experience *e = vx_corpus_get(b->corpus, b->docs[c->row]);
			vx_verbatim *v = &t->verbatims[n_chosen];
			v->experience_id = vx_arena_strdup(b->arena, e->id);
			v->field = "text";
			v->start = c->start;
			v->end = c->end;
			v->text = vx_build_mask(b, e->text + c->start, c->end - c->start);
			if (v->text == NULL) {
				rc = VX_ENOMEM;
				goto done;
			}
			v->feeling = vx_row_feeling(b, c->row);
			v->feeling_read = b->feel_read[c->row];
			v->copies = b->copies[c->row];
			chosen_idx[n_chosen++] = q;
			taken++;
		}
	}
	for (size_t k = 0; k < n_chosen; k++)
		if (!quoted_before(b, cand[chosen_idx[k]].row))
			b->quoted[b->n_quoted++] = cand[chosen_idx[k]].row;
	t->n_verbatims = n_chosen;
done:
	free(rows);
	free(cand);
	return rc;
}
