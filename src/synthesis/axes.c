/*
 * Improvement axes: levers of the codebook selected by explicit rules on the
 * negative evidence. A lever is retained when enough distinct negative
 * experiences contain one of its signal words; it is tied to the shown
 * topics that hold a fair part of that evidence and to the DITP dimensions
 * those experiences mark negative (or, when the export has no DITP columns,
 * to the codebook's dimensions, and the note says so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synthesis/stages.h"
#include "util/buf.h"
#include "voix/error.h"

#define AXIS_MIN_EVIDENCE 3          /* never an axis on fewer negative experiences */
#define AXIS_MIN_SHARE 0.03          /* nor on fewer than 3 % of the negative ones */
#define AXIS_TOPIC_SHARE 0.15        /* a topic is tied when it holds 15 % of the evidence */
#define AXIS_DIM_SHARE 0.30          /* a dimension is cited when 30 % of rated evidence marks it negative */
#define AXIS_DIM_LIFT 1.1           /* ... and 10 % more often than all rated negative experiences */
#define AXIS_MAX_DIMS 3
#define AXIS_MAX_IDS 5
#define AXIS_MAX_TOPICS 3
#define AXIS_MAX_SIGNALS 6

typedef struct lever_eval {
	size_t index;                   /* in the codebook */
	int theme;                      /* its theme (b->theme_hits), -1 when it has signal words only */
	size_t evidence;
	uint32_t *terms;                /* signal term ids */
	size_t n_terms;
	const char **words;             /* the codebook word of each signal term */
	uint16_t *slot;                 /* per matrix term: 1 + its index in terms, 0 when not a signal */
} lever_eval;

typedef struct word_term {
	vx_build *b;
	uint32_t *terms;
	size_t n, cap;
} word_term;

static int collect_term(const vx_token *tok, void *payload)
{
	word_term *w = payload;
	if (tok->stop)
		return 0;
	int64_t id = vx_strmap_find(&w->b->term_map, tok->stem, tok->stem_len);
	if (id < 0 && tok->folded_len == 3 && memcmp(tok->folded, "rdv", 3) == 0)
		id = vx_strmap_find(&w->b->term_map, "rendez-vous", 11);
	if (id < 0 || w->n >= w->cap)
		return 0;
	w->terms[w->n++] = (uint32_t)id;
	return 0;
}

/* Term ids of the lever's signal words, each with the word it came from. */
static int lever_terms(lever_eval *le, vx_build *b, const vx_lever *l)
{
	le->terms = vx_arena_calloc(b->arena, VX_CODEBOOK_MAX_WORDS * 4, sizeof *le->terms);
	le->words = vx_arena_calloc(b->arena, VX_CODEBOOK_MAX_WORDS * 4, sizeof *le->words);
	if (!le->terms || !le->words)
		return VX_ENOMEM;
	for (size_t k = 0; k < l->n_words; k++) {
		uint32_t buf[8];
		word_term w = {b, buf, 0, 8};
		/* A hyphenated word is one compound term ("rendez-vous"). */
		const char *word = l->words[k];
		int64_t whole = -1;
		if (strchr(word, '-')) {
			vx_units units = {0};
			int rc = vx_units_split(&units, b->text, &b->term_map, word, strlen(word));
			if (rc == 0 && units.n == 1 && units.u[0].term >= 0)
				whole = units.u[0].term;
			vx_units_free(&units);
			if (rc)
				return rc;
		}
		if (whole >= 0) {
			buf[0] = (uint32_t)whole;
			w.n = 1;
		} else if (vx_text_tokens(b->text, word, strlen(word), collect_term, &w) != 0)
			return VX_ENOMEM;
		for (size_t q = 0; q < w.n; q++) {
			int dup = 0;
			for (size_t r = 0; r < le->n_terms && !dup; r++)
				dup = le->terms[r] == buf[q];
			if (!dup && le->n_terms < VX_CODEBOOK_MAX_WORDS * 4) {
				le->terms[le->n_terms] = buf[q];
				le->words[le->n_terms] = word;
				le->n_terms++;
			}
		}
	}
	return 0;
}

/* Number of the lever's theme expressions, or of its signal terms, found
 * in a matrix row (0 = none). */
static size_t matches(const vx_build *b, uint32_t row, const lever_eval *le, size_t *hits)
{
	if (le->theme >= 0)
		return b->theme_hits[(size_t)row * b->n_themes + (size_t)le->theme];
	size_t n = 0;
	for (uint32_t p = b->m.row_ptr[row]; p < b->m.row_ptr[row + 1]; p++) {
		uint16_t q = le->slot[b->m.col[p]];
		if (q == 0)
			continue;
		if (hits)
			hits[q - 1]++;
		n++;
	}
	return n;
}

static int by_evidence(const void *pa, const void *pb)
{
	const lever_eval *a = pa, *c = pb;
	if (a->evidence != c->evidence)
		return a->evidence < c->evidence ? 1 : -1;
	return a->index < c->index ? -1 : a->index > c->index;
}

int vx_axes_build(vx_build *b, const vx_codebook *cb, const vx_topic_model *tm, const size_t *shown, size_t n_shown)
{
	int rc = 0;
	vx_note *note = b->note;
	/* The distinct negative experiences, listed once: every lever is tested
	 * on them only. */
	uint32_t *neg_rows = malloc((b->n_cur ? b->n_cur : 1) * sizeof *neg_rows);
	size_t n_neg = 0;
	if (neg_rows == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	for (uint32_t r = 0; r < b->n_cur; r++)
		if (b->rep[r] == r && vx_row_model_feeling(b, r) == VX_FEELING_NEGATIVE)
			neg_rows[n_neg++] = r;
	size_t negatives = n_neg;
	/* How often each DITP dimension is marked negative among all rated
	 * negative experiences: the baseline an axis's evidence must exceed. */
	size_t base_rated = 0, base_neg[VX_DIM_COUNT] = {0};
	for (size_t q = 0; q < n_neg; q++) {
		const vx_experience *e = vx_corpus_get(b->corpus, b->docs[neg_rows[q]]);
		int any = 0;
		for (int d = 0; d < VX_DIM_COUNT; d++) {
			any |= e->dims[d] != VX_FEELING_UNKNOWN;
			base_neg[d] += e->dims[d] == VX_FEELING_NEGATIVE;
		}
		base_rated += any;
	}
	size_t threshold = (size_t)(AXIS_MIN_SHARE * (double)negatives + 0.999);
	if (threshold < AXIS_MIN_EVIDENCE)
		threshold = AXIS_MIN_EVIDENCE;
	lever_eval *ev = vx_arena_calloc(b->arena, cb->n ? cb->n : 1, sizeof *ev);
	size_t *hits = calloc(VX_CODEBOOK_MAX_WORDS * 4, sizeof *hits);
	uint32_t *member_row = NULL;
	vx_buf buf = VX_BUF_INIT;
	if (ev == NULL || hits == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cb->n; i++) {
		ev[i].index = i;
		ev[i].theme = b->lever_theme ? b->lever_theme[i] : -1;
		if (cb->levers[i].kind != VX_THEME_COMPLAINT)
			continue; /* praise and referrals propose no axis */
		if (ev[i].theme < 0) { /* signal words: a term -> word table for matches() */
			if ((rc = lever_terms(&ev[i], b, &cb->levers[i])) != 0)
				goto done;
			ev[i].slot = vx_arena_calloc(b->arena, b->m.n_terms ? b->m.n_terms : 1, sizeof *ev[i].slot);
			if (ev[i].slot == NULL) {
				rc = VX_ENOMEM;
				goto done;
			}
			for (size_t q = 0; q < ev[i].n_terms; q++)
				ev[i].slot[ev[i].terms[q]] = (uint16_t)(q + 1);
		}
		for (size_t q = 0; q < n_neg; q++)
			ev[i].evidence += matches(b, neg_rows[q], &ev[i], NULL) > 0;
	}
	qsort(ev, cb->n, sizeof *ev, by_evidence);
	/* Row of the topic model for each matrix row (to test membership). */
	member_row = malloc((b->n_docs ? b->n_docs : 1) * sizeof *member_row);
	if (member_row == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t r = 0; r < b->n_docs; r++)
		member_row[r] = UINT32_MAX;
	for (size_t q = 0; q < tm->n_rows; q++)
		member_row[tm->rows[q]] = (uint32_t)q;
	note->axes = vx_arena_calloc(b->arena, b->opt->axes ? b->opt->axes : 1, sizeof *note->axes);
	if (note->axes == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < cb->n && note->n_axes < b->opt->axes; i++) {
		lever_eval *le = &ev[i];
		if (le->evidence < threshold || le->evidence == 0)
			break;
		const vx_lever *l = &cb->levers[le->index];
		vx_axis *a = &note->axes[note->n_axes];
		a->lever = l->key;
		a->title = l->title;
		a->text = l->text;
		a->evidence_count = le->evidence;
		/* Evidence: ids, topics, dimensions, signal words. */
		size_t topic_overlap[64] = {0};
		size_t rated = 0, dim_neg[VX_DIM_COUNT] = {0};
		memset(hits, 0, VX_CODEBOOK_MAX_WORDS * 4 * sizeof *hits);
		uint32_t best_rows[AXIS_MAX_IDS];
		size_t best_match[AXIS_MAX_IDS], n_best = 0;
		for (size_t nq = 0; nq < n_neg; nq++) {
			uint32_t r = neg_rows[nq];
			size_t mt = matches(b, r, le, hits);
			if (mt == 0)
				continue;
			const vx_experience *e = vx_corpus_get(b->corpus, b->docs[r]);
			int any_dim = 0;
			for (int d = 0; d < VX_DIM_COUNT; d++) {
				any_dim |= e->dims[d] != VX_FEELING_UNKNOWN;
				dim_neg[d] += e->dims[d] == VX_FEELING_NEGATIVE;
			}
			rated += any_dim;
			uint32_t mr = member_row[r];
			for (size_t s = 0; s < n_shown && s < 64 && mr != UINT32_MAX; s++)
				topic_overlap[s] += tm->member[(size_t)mr * tm->nmf.k + shown[s]];
			/* Keep the experiences with the most signal terms as examples. */
			size_t pos = n_best;
			while (pos > 0 && best_match[pos - 1] < mt)
				pos--;
			if (pos < AXIS_MAX_IDS) {
				size_t last = n_best < AXIS_MAX_IDS ? n_best : AXIS_MAX_IDS - 1;
				for (size_t q = last; q > pos; q--) {
					best_rows[q] = best_rows[q - 1];
					best_match[q] = best_match[q - 1];
				}
				best_rows[pos] = r;
				best_match[pos] = mt;
				if (n_best < AXIS_MAX_IDS)
					n_best++;
			}
		}
		a->experience_ids = vx_arena_calloc(b->arena, AXIS_MAX_IDS, sizeof *a->experience_ids);
		a->topics = vx_arena_calloc(b->arena, AXIS_MAX_TOPICS, sizeof *a->topics);
		a->dimensions = vx_arena_calloc(b->arena, VX_DIM_COUNT, sizeof *a->dimensions);
		a->signals = vx_arena_calloc(b->arena, AXIS_MAX_SIGNALS, sizeof *a->signals);
		if (!a->experience_ids || !a->topics || !a->dimensions || !a->signals) {
			rc = VX_ENOMEM;
			goto done;
		}
		for (size_t q = 0; q < n_best; q++)
			a->experience_ids[a->n_experience_ids++] =
				vx_arena_strdup(b->arena, vx_corpus_get(b->corpus, b->docs[best_rows[q]])->id);
		/* Topics holding a fair part of the evidence, most first. */
		for (size_t pick = 0; pick < AXIS_MAX_TOPICS; pick++) {
			size_t best_s = SIZE_MAX, best_v = 0;
			for (size_t s = 0; s < n_shown && s < 64; s++) {
				int taken = 0;
				for (size_t q = 0; q < a->n_topics; q++)
					taken |= a->topics[q] == (int)s + 1;
				if (!taken && topic_overlap[s] > best_v) {
					best_v = topic_overlap[s];
					best_s = s;
				}
			}
			if (best_s == SIZE_MAX || (double)best_v < AXIS_TOPIC_SHARE * (double)le->evidence || best_v < 2)
				break;
			a->topics[a->n_topics++] = (int)best_s + 1;
		}
		if (rated > 0) {
			/* Cited: marked negative by at least 30 % of the rated evidence
			 * and by at least 10 % more of it than of all rated negative
			 * experiences; the 3 furthest above that baseline. */
			double lift[VX_DIM_COUNT];
			for (int d = 0; d < VX_DIM_COUNT; d++) {
				double share = (double)dim_neg[d] / (double)rated;
				double base = base_rated ? (double)base_neg[d] / (double)base_rated : 0;
				lift[d] = share >= AXIS_DIM_SHARE && share >= AXIS_DIM_LIFT * base ? share - base : -1;
			}
			for (size_t pick = 0; pick < AXIS_MAX_DIMS; pick++) {
				int best_d = -1;
				for (int d = 0; d < VX_DIM_COUNT; d++)
					if (lift[d] >= 0 && (best_d < 0 || lift[d] > lift[best_d]))
						best_d = d;
				if (best_d < 0)
					break;
				a->dimensions[a->n_dimensions++] = (vx_dimension)best_d;
				lift[best_d] = -1;
			}
			a->dimensions_observed = a->n_dimensions > 0;
		}
		if (a->n_dimensions == 0) {
			for (size_t d = 0; d < l->n_dims; d++)
				a->dimensions[a->n_dimensions++] = l->dims[d];
			a->dimensions_observed = 0;
		}
		/* Signal words found, most frequent first. */
		for (size_t pick = 0; pick < AXIS_MAX_SIGNALS; pick++) {
			size_t best_q = SIZE_MAX, best_h = 0;
			for (size_t q = 0; q < le->n_terms; q++)
				if (hits[q] > best_h) {
					best_h = hits[q];
					best_q = q;
				}
			if (best_q == SIZE_MAX)
				break;
			a->signals[a->n_signals++] = b->m.surface[le->terms[best_q]];
			hits[best_q] = 0;
		}
		vx_buf_reset(&buf);
		if ((rc = le->theme >= 0
		              ? vx_buf_printf(&buf,
		                              "retenu car %zu expériences négatives distinctes sur %zu (%.1f %%) relèvent du "
		                              "thème « %s » du référentiel (les mêmes appartenances que ses sujets) ; "
		                              "seuil : %zu",
		                              le->evidence, negatives, 100.0 * (double)le->evidence / (double)negatives,
		                              l->key, threshold)
		              : vx_buf_printf(&buf,
		                              "retenu car %zu expériences négatives distinctes sur %zu (%.1f %%) contiennent "
		                              "un mot du levier « %s » ; seuil : %zu",
		                              le->evidence, negatives, 100.0 * (double)le->evidence / (double)negatives,
		                              l->key, threshold)) != 0)
			goto done;
		vx_fr_decimals(buf.data);
		a->rule = vx_arena_strdup(b->arena, buf.data);
		a->lever = vx_arena_strdup(b->arena, l->key);
		a->title = vx_arena_strdup(b->arena, l->title);
		a->text = vx_arena_strdup(b->arena, l->text);
		for (size_t q = 0; q < a->n_signals; q++)
			a->signals[q] = vx_arena_strdup(b->arena, a->signals[q]);
		if (!a->rule || !a->lever || !a->title || !a->text) {
			rc = VX_ENOMEM;
			goto done;
		}
		note->n_axes++;
	}
done:
	free(neg_rows);
	free(hits);
	free(member_row);
	vx_buf_free(&buf);
	return rc;
}

/* ---- The stage --------------------------------------------------------- */

int vx_stage_axes(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	int rc;
	/* 6. Improvement axes from the codebook. */
	if (vx_run_off_public_service(r))
		/* Levers of public service on feedback about something else would be
		 * claims the data does not support. */
		return vx_build_list_add(
		    b, &r->messages,
		    vx_build_fmt(b, "Axes d'amélioration non proposés et thèmes du référentiel non appliqués : %.1f %% "
		                    "seulement des expériences distinctes parlent d'un service, d'une démarche, d'un dossier "
		                    "ou d'un agent (seuil : %.0f %%) ; ces textes ne ressemblent pas à des retours sur un "
		                    "service public : les sujets et les points forts sont tous émergents.",
		                 r->context_share * 100, CONTEXT_MIN_SHARE * 100));
	if ((rc = vx_axes_build(b, &r->cb, &r->tm, r->order, r->n_shown)) != 0)
		return rc;
	if (note->n_axes < FEW_AXES && note->n_axes < r->opt.axes)
		return vx_build_list_add(b, &r->messages,
		                         vx_build_fmt(b, "%zu axe(s) d'amélioration seulement : les autres leviers du "
		                                         "référentiel ne sont pas appuyés par assez d'expériences négatives.",
		                                      note->n_axes));
	return 0;
}
