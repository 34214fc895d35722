/*
 * The strengths of a note (stage 5 of vx_note_build, src/synthesis/
 * stages.h): the themed model of the positive experiences, fitted on its
 * own thread since the topics' stage started it, ranked and filled as the
 * main topics are.
 */
#include <pthread.h>

#include "synthesis/stages.h"
#include "util/arena.h"
#include "voix/error.h"

int vx_stage_strengths(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	int rc;
	/* 5. Strengths: topics of the positive experiences. */
	note->strengths = vx_arena_calloc(b->arena, MAX_STRENGTHS, sizeof *note->strengths);
	if (note->strengths == NULL)
		return VX_ENOMEM;
	if (r->sstarted) {
		pthread_join(r->sthread, NULL);
		r->sstarted = 0;
	}
	if (r->n_pos < MIN_POSITIVE_DOCS)
		return vx_build_list_add(b, &r->messages,
		                         vx_build_fmt(b, "Points forts non dégagés : %zu expériences positives distinctes (il "
		                                         "en faut au moins %d).",
		                                      r->n_pos, MIN_POSITIVE_DOCS));
	if (r->sjob.rc)
		return vx_error_set(r->sjob.rc, "%s", r->sjob.error);
	size_t *order = r->order + r->order_cap;
	size_t n_str = vx_topics_rank(order, &r->sm, b, MAX_STRENGTHS);
	for (size_t s = 0; s < n_str; s++)
		if ((rc = vx_topic_fill(&note->strengths[s], b, &r->sm, order[s], (int)s + 1, r->unique_pos, 0, 0, 0)) != 0)
			return rc;
	note->n_strengths = n_str;
	return 0;
}
