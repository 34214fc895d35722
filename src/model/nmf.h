/*
 * Non-negative matrix factorisation of a TF-IDF matrix, X ~ W H, with a
 * deterministic start (NNDSVDa: the non-negative parts of the leading
 * singular vectors, computed by subspace iteration from a fixed-seed start)
 * and HALS updates. H (k topics x V terms) is fitted on a sample of rows;
 * every document is then projected on H with a non-negative least-squares
 * solve, so the cost of the whole corpus grows linearly.
 */
#ifndef VX_MODEL_NMF_H
#define VX_MODEL_NMF_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"

typedef struct vx_nmf {
	size_t k;          /* topics */
	size_t n_terms;
	float *H;          /* k x n_terms, row-major */
	double residual;   /* relative Frobenius residual on the fitted sample */
	unsigned iterations;
} vx_nmf;

/*
 * Fits k topics on rows[0..n_rows) of m (weights already TF-IDF). seed makes
 * the random start of the subspace iteration reproducible.
 */
int vx_nmf_fit(vx_nmf *out, const vx_dtm *m, const uint32_t *rows, size_t n_rows, size_t k, unsigned iterations,
               uint64_t seed);

/*
 * Projects rows[0..n_rows) of m on the fitted topics: W (n_rows x k,
 * row-major, caller-allocated) receives non-negative topic weights.
 */
int vx_nmf_transform(float *W, const vx_nmf *model, const vx_dtm *m, const uint32_t *rows, size_t n_rows,
                     unsigned passes);

/*
 * Re-estimates the topics' term weights from the documents' topic weights:
 * passes HALS sweeps over H with W fixed, where W (n_rows x model->k,
 * row-major) holds the weights of rows[0..n_rows) of m, typically from
 * vx_nmf_transform over every document. A model fitted on a sample thus gets
 * term weights from the whole corpus. Returns 0, VX_EINVAL when m's terms are
 * not the model's, or VX_ENOMEM (the model is then unchanged).
 */
int vx_nmf_refit_terms(vx_nmf *model, const vx_dtm *m, const uint32_t *rows, size_t n_rows, const float *W,
                       unsigned passes);

/* Scales each topic (row of model->H) to unit Euclidean norm, so that
 * weights compare across topics; zero rows stay zero. */
void vx_nmf_unit_rows(vx_nmf *model);

void vx_nmf_free(vx_nmf *model);

#endif
