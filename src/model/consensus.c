/*
 * Consensus of several NMF fits: fit, group topics across fits by average
 * linkage on the cosine of their term vectors, keep the groups most fits
 * found. See consensus.h and docs/model.md.
 */
#include "model/consensus.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

typedef struct fit_job {
	vx_nmf *fits;
	const vx_dtm *m;
	const uint32_t *const *samples;
	const size_t *n_samples;
	size_t runs;
	atomic_size_t *next;     /* the next run to fit, shared by the jobs */
	const vx_consensus_options *o;
	int rc;
	char error[256];
} fit_job;

static void *fit_runs(void *arg)
{
	fit_job *job = arg;
	/* Runs are taken in turn by whichever job is free (fits of different
	 * samples take different times); fit r depends on r alone. */
	for (size_t r = atomic_fetch_add(job->next, 1); r < job->runs && job->rc == 0;
	     r = atomic_fetch_add(job->next, 1)) {
		job->rc = vx_nmf_fit(&job->fits[r], job->m, job->samples[r], job->n_samples[r], job->o->k,
		                     job->o->iterations, job->o->seed + r);
		if (job->rc)
			snprintf(job->error, sizeof job->error, "%s", vx_error_last());
	}
	return NULL;
}

/* The groups being merged: topic i of the stacked fits starts alone. */
typedef struct groups {
	size_t n;            /* topics in all */
	double *sum;         /* n x n: sum of the cosines between the members of groups a and b */
	double *within;      /* sum of the cosines between pairs of members of a group */
	size_t *size;
	uint32_t *runs;      /* bit r: the group holds a topic of fit r */
	size_t *owner;       /* the group each topic is in */
	unsigned char *alive;
} groups;

static void groups_free(groups *g)
{
	free(g->sum);
	free(g->within);
	free(g->size);
	free(g->runs);
	free(g->owner);
	free(g->alive);
}

/* Average linkage, one topic per fit in a group, while the best pair of
 * groups has a mean cosine of at least min_similarity. Ties go to the pair
 * with the smallest indices, so the grouping is deterministic. */
static void merge_groups(groups *g, double min_similarity)
{
	size_t n = g->n;
	for (;;) {
		double best = -INFINITY;
		size_t ba = 0, bb = 0;
		for (size_t a = 0; a < n; a++) {
			if (!g->alive[a])
				continue;
			for (size_t b = a + 1; b < n; b++) {
				if (!g->alive[b] || (g->runs[a] & g->runs[b]))
					continue;
				double avg = g->sum[a * n + b] / (double)(g->size[a] * g->size[b]);
				if (avg > best) {
					best = avg;
					ba = a;
					bb = b;
				}
			}
		}
		if (best < min_similarity)
			return;
		g->within[ba] += g->within[bb] + g->sum[ba * n + bb];
		g->size[ba] += g->size[bb];
		g->runs[ba] |= g->runs[bb];
		g->alive[bb] = 0;
		for (size_t c = 0; c < n; c++) {
			g->sum[ba * n + c] += g->sum[bb * n + c];
			g->sum[c * n + ba] = g->sum[ba * n + c];
		}
		for (size_t t = 0; t < n; t++)
			if (g->owner[t] == bb)
				g->owner[t] = ba;
	}
}

static size_t popcount32(uint32_t x)
{
	size_t c = 0;
	for (; x; x &= x - 1)
		c++;
	return c;
}

int vx_nmf_fit_consensus(vx_nmf *out, vx_consensus_stats *stats, const vx_dtm *m, const uint32_t *const *samples,
                         const size_t *n_samples, size_t runs, const vx_consensus_options *o)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	memset(stats, 0, sizeof *stats);
	if (runs == 0 || runs > VX_CONSENSUS_MAX_RUNS)
		return vx_error_set(VX_EINVAL, "between 1 and %d fits (got %zu)", VX_CONSENSUS_MAX_RUNS, runs);
	size_t V = m->n_terms;
	vx_nmf *fits = calloc(runs, sizeof *fits);
	float *stack = NULL;
	size_t *fit_of = NULL, *order = NULL;
	groups g = {0};
	if (fits == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");

	/* 1. The fits, on two threads (each reads m and writes its own fit). */
	atomic_size_t next = 0;
	fit_job jobs[2] = {{fits, m, samples, n_samples, runs, &next, o, 0, ""},
	                   {fits, m, samples, n_samples, runs, &next, o, 0, ""}};
	pthread_t thread;
	int started = runs > 1 && pthread_create(&thread, NULL, fit_runs, &jobs[1]) == 0;
	fit_runs(&jobs[0]);
	if (started)
		pthread_join(thread, NULL);
	else if (runs > 1)
		fit_runs(&jobs[1]);
	for (size_t w = 0; w < 2 && rc == 0; w++)
		if (jobs[w].rc)
			rc = vx_error_set(jobs[w].rc, "%s", jobs[w].error);
	if (rc)
		goto done;
	stats->runs = runs;

	/* 2. All topics stacked, unit norm, with the cosines between them. */
	size_t n = 0;
	for (size_t r = 0; r < runs; r++)
		n += fits[r].k;
	stats->fitted = n;
	stack = malloc((n ? n : 1) * V * sizeof *stack);
	fit_of = malloc((n ? n : 1) * sizeof *fit_of);
	order = malloc((n ? n : 1) * sizeof *order);
	g = (groups){n, calloc(n * n + 1, sizeof *g.sum), calloc(n + 1, sizeof *g.within), malloc((n + 1) * sizeof *g.size),
	             malloc((n + 1) * sizeof *g.runs), malloc((n + 1) * sizeof *g.owner), malloc(n + 1)};
	if (!stack || !fit_of || !order || !g.sum || !g.within || !g.size || !g.runs || !g.owner || !g.alive) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t at = 0;
	for (size_t r = 0; r < runs; r++) {
		vx_nmf_unit_rows(&fits[r]);
		memcpy(stack + at * V, fits[r].H, fits[r].k * V * sizeof *stack);
		for (size_t j = 0; j < fits[r].k; j++) {
			fit_of[at + j] = r;
			g.size[at + j] = 1;
			g.runs[at + j] = 1u << r;
			g.owner[at + j] = at + j;
			g.alive[at + j] = 1;
		}
		at += fits[r].k;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++) {
			double dot = 0;
			if (fit_of[a] != fit_of[b])
				for (size_t t = 0; t < V; t++)
					dot += (double)stack[a * V + t] * stack[b * V + t];
			g.sum[a * n + b] = g.sum[b * n + a] = dot;
		}

	/* 3. Grouping, then the groups most fits found, in a fixed order. */
	merge_groups(&g, o->min_similarity);
	size_t kept = 0, groups_left = 0;
	for (size_t a = 0; a < n; a++) {
		if (!g.alive[a])
			continue;
		groups_left++;
		if (popcount32(g.runs[a]) < o->min_runs)
			continue;
		size_t pos = kept;
		while (pos > 0 && popcount32(g.runs[order[pos - 1]]) < popcount32(g.runs[a]))
			pos--;
		memmove(order + pos + 1, order + pos, (kept - pos) * sizeof *order);
		order[pos] = a;
		kept++;
	}
	stats->groups = groups_left;
	stats->kept = kept;
	if (kept == 0) {
		/* Nothing recurs: the first fit, as a single fit would give. */
		*out = fits[0];
		memset(&fits[0], 0, sizeof fits[0]);
		goto done;
	}
	out->H = calloc(kept * V, sizeof *out->H);
	if (out->H == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	double sim = 0;
	for (size_t q = 0; q < kept; q++) {
		size_t a = order[q];
		for (size_t t = 0; t < n; t++)
			if (g.owner[t] == a)
				for (size_t v = 0; v < V; v++)
					out->H[q * V + v] += stack[t * V + v];
		size_t pairs = g.size[a] * (g.size[a] - 1) / 2;
		sim += pairs ? g.within[a] / (double)pairs : 1.0;
	}
	out->k = kept;
	out->n_terms = V;
	vx_nmf_unit_rows(out);
	stats->mean_similarity = sim / (double)kept;
	out->iterations = o->iterations;
	out->residual = fits[0].residual;
done:
	for (size_t r = 0; r < runs; r++)
		vx_nmf_free(&fits[r]);
	free(fits);
	free(stack);
	free(fit_of);
	free(order);
	groups_free(&g);
	if (rc)
		vx_nmf_free(out);
	return rc;
}
