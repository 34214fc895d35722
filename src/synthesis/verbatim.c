/*
 * Verbatims: exact spans of one experience's text, 40 to 300 characters,
 * a sentence or a few short sentences, chosen among the topic's most typical
 * experiences for the weight of the topic's terms they hold, and different
 * from each other. Personal data inside them is masked; nothing else changes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synthesis/note_internal.h"
#include "voix/error.h"

#define VERBATIM_MIN_CHARS 40
#define VERBATIM_MAX_CHARS 300
#define VERBATIM_SCAN 60          /* typical documents considered per topic */
#define VERBATIM_MAX_OVERLAP 0.5  /* Jaccard of terms above which two quotes say the same */

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

/* Scores every span of the text and keeps the best in *best. */
static int best_span(candidate *best, vx_build *b, const vx_topic_model *tm, size_t j, const char *text)
{
	size_t len = strlen(text), V = tm->nmf.n_terms;
	const float *h = tm->nmf.H + j * V;
	int rc = vx_units_split(&b->units, b->text, &b->term_map, text, len);
	if (rc)
		return rc;
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
		if (chars >= VERBATIM_MIN_CHARS && chars <= VERBATIM_MAX_CHARS && !has_link(text + start, trimmed - start)) {
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
			double score = sum / sqrt((double)n_units + 4.0);
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
	/* Pass f < COUNT: the quota of the f-th feeling in order; last pass: any
	 * feeling, for what the quotas could not fill. */
	for (int pass = 0; pass <= VX_FEELING_COUNT && n_chosen < max; pass++) {
		size_t taken = 0;
		for (size_t q = 0; q < n_cand && n_chosen < max; q++) {
			const candidate *c = &cand[q];
			if (pass < VX_FEELING_COUNT && (c->feeling != (vx_feeling)order[pass] || taken >= quota[order[pass]]))
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
	t->n_verbatims = n_chosen;
done:
	free(rows);
	free(cand);
	return rc;
}
