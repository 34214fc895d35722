/*
 * What a note is about (stages 1 and 2 of vx_note_build,
 * src/synthesis/stages.h): the selection of experiences, what is left out
 * and why, the period, and the two windows a trend compares.
 */
#include <stdlib.h>
#include <string.h>

#include "synthesis/note_storage.h"
#include "synthesis/stages.h"
#include "util/arena.h"
#include "util/date.h"
#include "voix/error.h"

static int nonblank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 1;
	return 0;
}

static int in_window(const vx_window *w, int64_t d)
{
	return d != INT64_MIN && d >= w->from && d <= w->to;
}

/* The filter by feeling of a selection: the feeling asked for and, when
 * the note may report feelings read from the text, the reader. */
typedef struct feeling_pick {
	int on;
	vx_feeling want;
	int source;                 /* vx_feeling_source */
	vx_feeling_reader *reader;  /* NULL when only the export's feelings count */
	unsigned char *kept;        /* per experience of the corpus, for vx_note_trends */
} feeling_pick;

/* Sets up p for the options of r: off without a feeling filter; loads the
 * lexicon (r->lexicon, which the matrix stage then uses) when the feelings
 * may be read. Errors: the lexicon's, VX_ENOMEM. */
static int pick_init(feeling_pick *p, vx_note_run *r)
{
	memset(p, 0, sizeof *p);
	if (vx_feeling_from_name(&p->want, r->opt.filter.feeling) != 0)
		return 0;
	p->on = 1;
	p->source = r->opt.feelings;
	if ((p->kept = vx_arena_calloc(r->b.arena, r->n ? r->n : 1, 1)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	vx_note_set_feeling_kept(r->note, p->kept, r->n);
	int rc = 0;
	if (p->source != VX_FEELINGS_EXPORT && (rc = vx_lexicon_load(&r->lexicon, r->opt.lexicon_path)) == 0)
		rc = vx_feeling_reader_new(&p->reader, r->lexicon);
	return rc;
}

/*
 * *keep is 1 when experience i passes the feeling filter of p (always when
 * it is off). The feeling is the one the note will report for it
 * (count_feelings, matrix.c): the export's, unless the export gives none
 * or the options read every text, then the one read from its title and
 * text, as the matrix's pass reads it. Errors: VX_ENOMEM.
 */
static int pick_keep(int *keep, feeling_pick *p, size_t i, const vx_experience *e)
{
	*keep = 1;
	if (!p->on)
		return 0;
	vx_feeling f = e->feeling;
	if (p->reader && (f == VX_FEELING_UNKNOWN || p->source == VX_FEELINGS_TEXT)) {
		vx_feeling_reading rd;
		int rc = vx_feeling_reader_read(&rd, NULL, 0, NULL, p->reader, e->title, e->text);
		if (rc)
			return rc;
		f = rd.feeling;
	}
	*keep = p->kept[i] = f == p->want;
	return 0;
}

/* Stage 1 with pick set up (select_rows' caller frees it). */
static int select_rows(vx_note_run *r, feeling_pick *pick);

int vx_stage_select(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	const vx_corpus *corpus = b->corpus;
	/* Sources, copied so the note does not borrow from the corpus. */
	note->n_sources = vx_corpus_source_count(corpus);
	vx_source *src = vx_arena_calloc(b->arena, note->n_sources ? note->n_sources : 1, sizeof *src);
	if (src == NULL)
		return VX_ENOMEM;
	for (size_t i = 0; i < note->n_sources; i++) {
		src[i] = *vx_corpus_source(corpus, i);
		src[i].path = vx_arena_strdup(b->arena, src[i].path);
		src[i].format = vx_arena_strdup(b->arena, src[i].format);
		src[i].encoding = vx_arena_strdup(b->arena, src[i].encoding);
	}
	note->sources = src;

	r->n = vx_corpus_count(corpus);
	feeling_pick pick;
	int rc = pick_init(&pick, r);
	if (rc == 0)
		rc = select_rows(r, &pick);
	vx_feeling_reader_free(pick.reader);
	return rc;
}

static int select_rows(vx_note_run *r, feeling_pick *pick)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	const vx_corpus *corpus = b->corpus;
	/* The facets and dates by vx_filter_match, the feeling by pick. */
	vx_filter facets = r->opt.filter;
	facets.feeling = NULL;
	int rc = 0, keep = 1;

	/* 1. Selection. */
	size_t n = r->n, rejected = r->rejected = vx_corpus_reject_count(corpus);
	size_t out_of_filter = 0, empty = 0;
	note->read = n + rejected;
	b->docs = malloc((n ? n : 1) * sizeof *b->docs);
	b->day = malloc((n ? n : 1) * sizeof *b->day);
	if (b->docs == NULL || b->day == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu experiences", n);
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		const vx_experience *e = vx_corpus_get(corpus, i);
		int pass = vx_filter_match(&facets, e);
		if (pass && (rc = pick_keep(&keep, pick, i, e)) != 0)
			return rc;
		if (!pass || !keep) {
			out_of_filter++;
			continue;
		}
		if (!nonblank(e->text)) {
			empty++;
			continue;
		}
		int64_t d;
		b->day[b->n_docs] = vx_date_to_days(e->date, &d) == 0 ? d : INT64_MIN;
		if (b->day[b->n_docs] != INT64_MIN) {
			if (d < first)
				first = d;
			if (d > last)
				last = d;
		}
		b->docs[b->n_docs++] = i;
	}
	r->first = first;
	r->last = last;
	b->n_cur = b->n_docs;
	note->analysed = b->n_cur;
	/* Rows the reader rejected for an empty text are counted with the
	 * experiences without text, and those with an unreadable date apart:
	 * "illisible" is left for records that could not be read at all. */
	size_t rejected_empty = 0, rejected_date = 0;
	for (size_t i = 0; i < rejected; i++) {
		const char *why = vx_corpus_reject(corpus, i)->reason;
		if (strcmp(why, VX_REJECT_EMPTY_TEXT) == 0)
			rejected_empty++;
		else if (strcmp(why, VX_REJECT_BAD_DATE) == 0)
			rejected_date++;
	}
	rejected -= rejected_empty + rejected_date;
	empty += rejected_empty;
	size_t n_excl = (rejected > 0) + (rejected_date > 0) + (out_of_filter > 0) + (empty > 0);
	note->excluded = vx_arena_calloc(b->arena, n_excl ? n_excl : 1, sizeof *note->excluded);
	if (note->excluded == NULL)
		return VX_ENOMEM;
	if (rejected)
		note->excluded[note->n_excluded++] = (vx_excluded){"illisible (rejetée à la lecture)", rejected};
	if (rejected_date)
		note->excluded[note->n_excluded++] = (vx_excluded){"date illisible (rejetée à la lecture)", rejected_date};
	if (out_of_filter)
		note->excluded[note->n_excluded++] = (vx_excluded){"hors filtre", out_of_filter};
	if (empty)
		note->excluded[note->n_excluded++] = (vx_excluded){"texte vide", empty};
	if (b->n_cur == 0)
		return n == 0 ? vx_error_set(VX_EEMPTY, "aucune expérience à analyser : l'entrée n'a aucune ligne lisible")
		       : out_of_filter == n ? vx_error_set(VX_EEMPTY, "aucune expérience ne passe les filtres "
		                                                      "(%zu lues, toutes hors de la sélection)", n)
		                            : vx_error_set(VX_EEMPTY, "aucune expérience avec du texte à analyser");
	char dbuf[11];
	if (first != INT64_MAX) {
		vx_date_from_days(dbuf, first);
		note->period_from = vx_arena_strdup(b->arena, dbuf);
		vx_date_from_days(dbuf, last);
		note->period_to = vx_arena_strdup(b->arena, dbuf);
	} else
		note->period_from = note->period_to = "";

	/* 2. Trend windows: the selection against the previous window of equal
	 * length when dates are filtered, otherwise the two halves. */
	vx_window prev = {1, 0}, cur = {1, 0};
	int has_trend = 0;
	int date_filter = r->since_days != INT64_MIN || r->until_days != INT64_MAX;
	if (first != INT64_MAX) {
		if (date_filter) {
			cur.from = r->since_days != INT64_MIN ? r->since_days : first;
			cur.to = r->until_days != INT64_MAX ? r->until_days : last;
			int64_t len = cur.to - cur.from + 1;
			prev.from = cur.from - len;
			prev.to = cur.from - 1;
			/* Add the previous window's experiences (same facet filters). */
			vx_filter nodates = facets;
			nodates.since = nodates.until = NULL;
			for (size_t i = 0; i < n; i++) {
				const vx_experience *e = vx_corpus_get(corpus, i);
				int64_t d;
				if (vx_date_to_days(e->date, &d) != 0 || d < prev.from || d > prev.to || !nonblank(e->text) ||
				    !vx_filter_match(&nodates, e))
					continue;
				if ((rc = pick_keep(&keep, pick, i, e)) != 0)
					return rc;
				if (!keep)
					continue;
				size_t *nd = realloc(b->docs, (b->n_docs + 1) * sizeof *nd);
				int64_t *ny = nd ? realloc(b->day, (b->n_docs + 1) * sizeof *ny) : NULL;
				if (nd)
					b->docs = nd;
				if (ny)
					b->day = ny;
				if (!nd || !ny)
					return vx_error_set(VX_ENOMEM, "out of memory");
				b->docs[b->n_docs] = i;
				b->day[b->n_docs++] = d;
			}
			has_trend = b->n_docs > b->n_cur && len >= MIN_TREND_DAYS;
		} else if (last - first + 1 >= 2 * MIN_TREND_DAYS) {
			int64_t mid = first + (last - first + 1) / 2;
			prev = (vx_window){first, mid - 1};
			cur = (vx_window){mid, last};
			has_trend = 1;
		}
	}
	r->prev = prev;
	r->cur = cur;
	r->has_trend = has_trend;
	return 0;
}

int vx_stage_trends(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	/* Trend windows count distinct experiences within each window: a copy
	 * counts in its window when no earlier copy of it is there. */
	size_t prev_den = 0, cur_den = 0;
	if (r->has_trend) {
		b->win = calloc(b->n_docs, 1);
		unsigned char *seen = calloc(b->n_docs, 1);
		if (b->win == NULL || seen == NULL) {
			free(seen);
			return vx_error_set(VX_ENOMEM, "out of memory");
		}
		for (size_t q = 0; q < b->n_docs; q++) {
			unsigned char bit = in_window(&r->prev, b->day[q])                    ? 1
			                    : q < b->n_cur && in_window(&r->cur, b->day[q]) ? 2
			                                                                      : 0;
			if (bit == 0 || (seen[b->rep[q]] & bit))
				continue;
			seen[b->rep[q]] |= bit;
			b->win[q] = bit;
			prev_den += bit == 1;
			cur_den += bit == 2;
		}
		free(seen);
		r->has_trend = prev_den > 0 && cur_den > 0;
	}
	r->prev_den = prev_den;
	r->cur_den = cur_den;
	char dbuf[11];
	if (r->has_trend) {
		vx_date_from_days(dbuf, r->prev.from);
		note->trend_previous_from = vx_arena_strdup(b->arena, dbuf);
		vx_date_from_days(dbuf, r->prev.to);
		note->trend_previous_to = vx_arena_strdup(b->arena, dbuf);
		vx_date_from_days(dbuf, r->cur.from);
		note->trend_current_from = vx_arena_strdup(b->arena, dbuf);
		vx_date_from_days(dbuf, r->cur.to);
		note->trend_current_to = vx_arena_strdup(b->arena, dbuf);
	} else
		note->trend_previous_from = note->trend_previous_to = note->trend_current_from =
			note->trend_current_to = "";
	return 0;
}
