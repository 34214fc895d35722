/*
 * Topics that survive resampling. One NMF fit finds topics that depend on
 * which documents it saw and on where its iterations stopped: a 90 % resample
 * of the same export can split, merge or drop a topic. Here k topics are
 * fitted several times, each time on a different sample of the documents;
 * topics of different fits that point the same way (cosine of their unit-norm
 * term vectors) are grouped by average linkage, at most one topic per fit in
 * a group; the groups found in at least min_runs fits become the topics, each
 * the mean of its members' term vectors. See docs/model.md.
 */
#ifndef VX_MODEL_CONSENSUS_H
#define VX_MODEL_CONSENSUS_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"
#include "model/nmf.h"

#define VX_CONSENSUS_MAX_RUNS 16

typedef struct vx_consensus_options {
	size_t k;               /* topics per fit */
	unsigned iterations;    /* HALS iterations per fit */
	uint64_t seed;          /* start of the subspace iteration; fit r uses seed + r */
	double min_similarity;  /* groups merge while their mean cosine is at least this */
	size_t min_runs;        /* a group becomes a topic when this many fits found it */
} vx_consensus_options;

typedef struct vx_consensus_stats {
	size_t runs;            /* fits made */
	size_t fitted;          /* topics fitted in all */
	size_t groups;          /* groups after merging */
	size_t kept;            /* groups found in at least min_runs fits */
	double mean_similarity; /* mean cosine between members of the kept groups (1 when alone) */
} vx_consensus_stats;

/*
 * Fits o->k topics on each of the runs samples (samples[r], n_samples[r]
 * rows of m; 1 <= runs <= VX_CONSENSUS_MAX_RUNS) and writes the consensus
 * topics to *out (out->k of them, unit-norm rows of out->H, in decreasing
 * number of fits that found them, then in the order of the first fit). When
 * no group reaches o->min_runs, *out holds the topics of the first fit and
 * stats->kept is 0. Fits run on two threads; the result does not depend on
 * it. Returns 0, VX_EEMPTY when a sample is empty or m has no terms, or
 * VX_ENOMEM; *out is then empty.
 */
int vx_nmf_fit_consensus(vx_nmf *out, vx_consensus_stats *stats, const vx_dtm *m, const uint32_t *const *samples,
                         const size_t *n_samples, size_t runs, const vx_consensus_options *o);

#endif
