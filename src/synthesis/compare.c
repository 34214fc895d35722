/*
 * Two notes side by side, and a note's topics month by month
 * (include/voix/compare.h). Only reads what the notes already hold: the
 * shares of their topics and feelings, and, for trends, the topics'
 * members, dated from the corpus.
 */
#include "voix/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synthesis/note_storage.h"
#include "voix/error.h"

/* 1 when topic x of one note is topic y of the other. */
static int same_topic(const vx_topic *x, const vx_topic *y)
{
	if (x->theme || y->theme)
		return x->theme && y->theme && strcmp(x->theme, y->theme) == 0;
	return x->label && y->label && strcmp(x->label, y->label) == 0;
}

/* The index of the topic of n that is t, or n->n_topics. */
static size_t find_topic(const vx_note *n, const vx_topic *t)
{
	size_t i = 0;
	while (i < n->n_topics && !same_topic(&n->topics[i], t))
		i++;
	return i;
}

static double share(size_t count, size_t of)
{
	return of ? (double)count / (double)of : 0.0;
}

/* Sorts the topics in both by points, the largest rise first; the sort is
 * stable on a's order (insertion sort: a note shows at most 20 topics). */
static void sort_by_points(vx_compare_topic *t, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		vx_compare_topic x = t[i];
		size_t j = i;
		for (; j > 0 && t[j - 1].points < x.points; j--)
			t[j] = t[j - 1];
		t[j] = x;
	}
}

int vx_note_compare(vx_comparison **out, const vx_note *a, const vx_note *b)
{
	vx_comparison *c = NULL;
	if (out == NULL || a == NULL || b == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_compare: out and both notes must not be NULL");
	*out = NULL;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (a->n_topics + b->n_topics &&
	     (c->topics = calloc(a->n_topics + b->n_topics, sizeof *c->topics)) == NULL)) {
		free(c);
		return vx_error_set(VX_ENOMEM, "out of memory comparing notes");
	}
	c->analysed_a = a->analysed;
	c->analysed_b = b->analysed;
	for (int f = 0; f < VX_FEELING_COUNT; f++) {
		c->feelings_a[f] = share(a->feelings.n[f], a->analysed);
		c->feelings_b[f] = share(b->feelings.n[f], b->analysed);
		c->feelings_points[f] = (c->feelings_b[f] - c->feelings_a[f]) * 100.0;
	}
	/* The topics of a, those also in b gathered first. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < a->n_topics; i++) {
			const vx_topic *t = &a->topics[i];
			size_t k = find_topic(b, t);
			if ((k < b->n_topics) != (pass == 0))
				continue;
			vx_compare_topic *r = &c->topics[c->n_topics++];
			r->label = t->label;
			r->theme = t->theme;
			r->in_a = 1;
			r->count_a = t->count;
			r->share_a = t->share;
			if (k < b->n_topics) {
				r->in_b = 1;
				r->count_b = b->topics[k].count;
				r->share_b = b->topics[k].share;
				r->points = (r->share_b - r->share_a) * 100.0;
				c->n_both++;
			}
		}
	for (size_t i = 0; i < b->n_topics; i++) {
		const vx_topic *t = &b->topics[i];
		if (find_topic(a, t) < a->n_topics)
			continue;
		vx_compare_topic *r = &c->topics[c->n_topics++];
		r->label = t->label;
		r->theme = t->theme;
		r->in_b = 1;
		r->count_b = t->count;
		r->share_b = t->share;
	}
	sort_by_points(c->topics, c->n_both);
	*out = c;
	return 0;
}

void vx_comparison_free(vx_comparison *c)
{
	if (c == NULL)
		return;
	free(c->topics);
	free(c);
}

/* The month of a date "YYYY-MM-DD" as a number of months, -1 when the
 * date is not one. */
static long month_number(const char *date)
{
	if (date == NULL || strlen(date) < 7 || date[4] != '-')
		return -1;
	long y = 0, m = 0;
	for (int i = 0; i < 4; i++) {
		if (date[i] < '0' || date[i] > '9')
			return -1;
		y = y * 10 + (date[i] - '0');
	}
	if (date[5] < '0' || date[5] > '9' || date[6] < '0' || date[6] > '9')
		return -1;
	m = (date[5] - '0') * 10 + (date[6] - '0');
	return m >= 1 && m <= 12 ? y * 12 + (m - 1) : -1;
}

/* 1 when experience i, e, is counted in a month's total: kept by the
 * note's filter, with some text. kept: the selection's verdict on the
 * feeling the note reports (NULL: the filter's own, on the export's). */
static int counted(const vx_note *n, const unsigned char *kept, size_t i, const vx_experience *e)
{
	vx_filter f = n->filter;
	if (kept)
		f.feeling = NULL;
	return vx_filter_match(&f, e) && (kept == NULL || kept[i]) &&
	       ((e->text && *e->text) || (e->title && *e->title));
}

double vx_trends_share(const vx_trends *tr, size_t t, size_t m)
{
	if (tr == NULL || t >= tr->n_topics || m >= tr->n_months)
		return 0.0;
	return share(tr->counts[t * tr->n_months + m], tr->totals[m]);
}

int vx_note_trends(vx_trends **out, const vx_note *n, const vx_corpus *c)
{
	vx_trends *tr = NULL;
	long first = -1, last = -1;
	int rc = 0;
	if (out == NULL || n == NULL || c == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_trends: out, note and corpus must not be NULL");
	*out = NULL;
	if (!n->has_members)
		return vx_error_set(VX_EINVAL, "vx_note_trends: the note was built without memberships");
	size_t total = vx_corpus_count(c);
	/* A feeling read from the text is known only to the selection that
	 * read it; the export's is known to every experience. */
	const unsigned char *kept = vx_note_feeling_kept(n, total);
	if (kept == NULL && n->filter.feeling && *n->filter.feeling && n->feeling_source != VX_FEELINGS_EXPORT)
		return vx_error_set(VX_EINVAL, "vx_note_trends: a note filtered by a feeling read from the texts needs "
		                               "the corpus it was built from");
	for (size_t i = 0; i < total; i++) {
		const vx_experience *e = vx_corpus_get(c, i);
		long m = counted(n, kept, i, e) ? month_number(e->date) : -1;
		if (m < 0)
			continue;
		if (first < 0 || m < first)
			first = m;
		if (m > last)
			last = m;
	}
	if (first < 0)
		return vx_error_set(VX_EEMPTY, "aucune expérience datée : pas d'évolution mois par mois");
	if ((tr = calloc(1, sizeof *tr)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory counting trends");
	tr->n_months = (size_t)(last - first + 1);
	tr->n_topics = n->n_topics;
	tr->months = calloc(tr->n_months, sizeof *tr->months);
	tr->totals = calloc(tr->n_months, sizeof *tr->totals);
	tr->labels = calloc(n->n_topics ? n->n_topics : 1, sizeof *tr->labels);
	tr->counts = calloc(n->n_topics * tr->n_months + 1, sizeof *tr->counts);
	if (tr->months == NULL || tr->totals == NULL || tr->labels == NULL || tr->counts == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory counting trends");
		goto done;
	}
	for (size_t m = 0; m < tr->n_months; m++) {
		/* first >= 0 (month_number reads four digits): the year has four
		 * digits and the month two. */
		unsigned long k = (unsigned long)first + m;
		snprintf(tr->months[m], sizeof tr->months[m], "%04lu-%02lu", (k / 12) % 10000, k % 12 + 1);
	}
	for (size_t i = 0; i < total; i++) {
		const vx_experience *e = vx_corpus_get(c, i);
		long m = counted(n, kept, i, e) ? month_number(e->date) : -1;
		if (m >= 0)
			tr->totals[m - first]++;
	}
	/* Members are in the corpus's order: one walk per topic. */
	for (size_t t = 0; t < n->n_topics; t++) {
		const vx_topic *topic = &n->topics[t];
		size_t k = 0;
		tr->labels[t] = topic->label;
		for (size_t i = 0; i < total && k < topic->n_members; i++) {
			const vx_experience *e = vx_corpus_get(c, i);
			if (strcmp(e->id, topic->members[k].experience_id) != 0)
				continue;
			k++;
			long m = month_number(e->date);
			if (m >= first && m <= last)
				tr->counts[t * tr->n_months + (size_t)(m - first)]++;
			else
				tr->undated++;
		}
	}
done:
	if (rc)
		vx_trends_free(tr);
	else
		*out = tr;
	return rc;
}

void vx_trends_free(vx_trends *tr)
{
	if (tr == NULL)
		return;
	free(tr->months);
	free(tr->totals);
	free(tr->labels);
	free(tr->counts);
	free(tr);
}
