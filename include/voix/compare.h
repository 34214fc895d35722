/*
 * Two notes side by side, and a note's topics month by month: what the
 * dashboard's compare and trends pages show (docs/synthesis.md). Both only
 * read notes (and, for trends, the corpus a note was built from); they
 * analyse nothing again.
 */
#ifndef VOIX_COMPARE_H
#define VOIX_COMPARE_H

#include <stddef.h>

#include "voix/corpus.h"
#include "voix/note.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One topic of either note. A topic of a is the same as one of b when both
 * are the same codebook theme, or, for emergent topics (no theme), when
 * their labels are the same. */
typedef struct vx_compare_topic {
	const char *label;     /* a's label when a shows it, else b's; lives as long as the notes */
	const char *theme;     /* the codebook theme's key, NULL for an emergent topic */
	int in_a, in_b;        /* 1 when that note shows the topic */
	size_t count_a, count_b;
	double share_a, share_b;   /* of the analysed experiences; 0 when not shown */
	double points;         /* (share_b - share_a) * 100 when both show it, else 0 */
} vx_compare_topic;

typedef struct vx_comparison {
	size_t analysed_a, analysed_b;
	/* Share of each feeling (index vx_feeling) among the analysed
	 * experiences of each note, and its difference in points (b - a). */
	double feelings_a[VX_FEELING_COUNT], feelings_b[VX_FEELING_COUNT], feelings_points[VX_FEELING_COUNT];
	/* The topics shown by both first, from the one that rose most to the
	 * one that fell most (ties in a's order), then those a shows alone,
	 * then those b shows alone, each in its note's order. */
	vx_compare_topic *topics;
	size_t n_topics, n_both;
} vx_comparison;

/* Compares the notes a (the reference: a segment, an earlier period) and b.
 * The result borrows strings from both: free it before them. Errors:
 * VX_EINVAL (a or b NULL), VX_ENOMEM. */
int vx_note_compare(vx_comparison **out, const vx_note *a, const vx_note *b);

/* NULL-safe. */
void vx_comparison_free(vx_comparison *c);

/* A note's topics month by month. */
typedef struct vx_trends {
	size_t n_months;
	char (*months)[8];     /* "YYYY-MM", in order, every month from the first to the last */
	/* Experiences of each month that the note's filter keeps and that have
	 * a text or a title (near-duplicate copies included): the share's
	 * denominator. */
	size_t *totals;
	size_t n_topics;       /* those of the note, in its order */
	const char **labels;   /* borrowed from the note */
	size_t *counts;        /* counts[t * n_months + m]: topic t's experiences dated in month m */
	size_t undated;        /* members of the topics without a date, not counted by month */
} vx_trends;

/* The share of topic t in month m, 0 when the month has no experience. */
double vx_trends_share(const vx_trends *tr, size_t t, size_t m);

/* Counts the members of each topic of n by month of their date in c, the
 * corpus n was built from. n must have been built with memberships
 * (vx_note_options.memberships). The result borrows labels from n. A note
 * filtered by feeling counts in the totals the experiences whose reported
 * feeling is the filter's (vx_note_build); when that feeling may have been
 * read from the text, only the corpus the note was built from knows it:
 * VX_EINVAL for another corpus or a note read from a file.
 * Errors: VX_EINVAL (NULL, or a note without memberships), VX_EEMPTY (no
 * dated experience), VX_ENOMEM. */
int vx_note_trends(vx_trends **out, const vx_note *n, const vx_corpus *c);

/* NULL-safe. */
void vx_trends_free(vx_trends *tr);

#ifdef __cplusplus
}
#endif
#endif
