/*
 * NMF with an NNDSVDa start and HALS updates. See nmf.h for the contract and
 * docs/model.md for why this algorithm and these settings.
 *
 * Dense matrices are row-major float; small k x k or l x l products are
 * accumulated in double. H is kept transposed (Ht, V x k) during the fit so
 * that the sparse products walk memory in order.
 */
#include "model/nmf.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

#define NMF_EPS 1e-10f
#define OVERSAMPLE 6
#define MAX_RANK 58 /* k + OVERSAMPLE must fit orthonormalise's stack array */
#define POWER_ITERATIONS 4

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Y (n x l) = X[rows] * O (V x l). */
static void mul_x_dense(double *Y, const vx_dtm *m, const uint32_t *rows, size_t n, const double *O, size_t l)
{
	memset(Y, 0, n * l * sizeof *Y);
	for (size_t i = 0; i < n; i++) {
		uint32_t d = rows[i];
		double *y = Y + i * l;
		for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			double x = m->val[k];
			const double *o = O + (size_t)m->col[k] * l;
			for (size_t j = 0; j < l; j++)
				y[j] += x * o[j];
		}
	}
}

/* Z (V x l) = X[rows]^T * Y (n x l). */
static void mul_xt_dense(double *Z, const vx_dtm *m, const uint32_t *rows, size_t n, const double *Y, size_t l)
{
	memset(Z, 0, m->n_terms * l * sizeof *Z);
	for (size_t i = 0; i < n; i++) {
		uint32_t d = rows[i];
		const double *y = Y + i * l;
		for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			double x = m->val[k];
			double *z = Z + (size_t)m->col[k] * l;
			for (size_t j = 0; j < l; j++)
				z[j] += x * y[j];
		}
	}
}

/* Orthonormalises the l columns of the r x l row-major matrix M by
 * modified Gram-Schmidt, run twice for stability. Each step walks whole rows
 * so that memory is read in order. A column that vanishes is left at zero. */
static void orthonormalise(double *M, size_t r, size_t l)
{
	double dots[64];
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < l; j++) {
			for (size_t p = 0; p < j; p++)
				dots[p] = 0;
			for (size_t i = 0; i < r; i++) {
				const double *row = M + i * l;
				for (size_t p = 0; p < j; p++)
					dots[p] += row[j] * row[p];
			}
			/* Each row's x is a chain of dependent subtractions: four
			 * rows side by side, the norm summed in row order. */
			double norm = 0;
			size_t i = 0;
			for (; i + 4 <= r; i += 4) {
				double *r0 = M + i * l, *r1 = r0 + l, *r2 = r1 + l, *r3 = r2 + l;
				double x0 = r0[j], x1 = r1[j], x2 = r2[j], x3 = r3[j];
				for (size_t p = 0; p < j; p++) {
					x0 -= dots[p] * r0[p];
					x1 -= dots[p] * r1[p];
					x2 -= dots[p] * r2[p];
					x3 -= dots[p] * r3[p];
				}
				r0[j] = x0;
				r1[j] = x1;
				r2[j] = x2;
				r3[j] = x3;
				norm += x0 * x0;
				norm += x1 * x1;
				norm += x2 * x2;
				norm += x3 * x3;
			}
			for (; i < r; i++) {
				double *row = M + i * l;
				double x = row[j];
				for (size_t p = 0; p < j; p++)
					x -= dots[p] * row[p];
				row[j] = x;
				norm += x * x;
			}
			norm = sqrt(norm);
			double inv = norm > 1e-12 ? 1.0 / norm : 0.0;
			for (i = 0; i < r; i++)
				M[i * l + j] *= inv;
		}
}

/* Eigen-decomposition of the symmetric l x l matrix A by cyclic Jacobi
 * rotations: on return the diagonal of A holds the eigenvalues and the
 * columns of U the eigenvectors. */
static void jacobi(double *A, double *U, size_t l)
{
	for (size_t i = 0; i < l; i++)
		for (size_t j = 0; j < l; j++)
			U[i * l + j] = i == j;
	for (int sweep = 0; sweep < 60; sweep++) {
		double off = 0;
		for (size_t p = 0; p < l; p++)
			for (size_t q = p + 1; q < l; q++)
				off += A[p * l + q] * A[p * l + q];
		if (off < 1e-22)
			break;
		for (size_t p = 0; p < l; p++)
			for (size_t q = p + 1; q < l; q++) {
				double apq = A[p * l + q];
				if (fabs(apq) < 1e-300)
					continue;
				double theta = (A[q * l + q] - A[p * l + p]) / (2 * apq);
				double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
				double c = 1 / sqrt(t * t + 1), s = t * c;
				for (size_t r = 0; r < l; r++) {
					double arp = A[r * l + p], arq = A[r * l + q];
					A[r * l + p] = c * arp - s * arq;
					A[r * l + q] = s * arp + c * arq;
				}
				for (size_t r = 0; r < l; r++) {
					double apr = A[p * l + r], aqr = A[q * l + r];
					A[p * l + r] = c * apr - s * aqr;
					A[q * l + r] = s * apr + c * aqr;
				}
				for (size_t r = 0; r < l; r++) {
					double urp = U[r * l + p], urq = U[r * l + q];
					U[r * l + p] = c * urp - s * urq;
					U[r * l + q] = s * urp + c * urq;
				}
			}
	}
}

/* Column j of dst (r x k) from column j of the singular vectors src (r x l):
 * the first vector's absolute values, the others' positive or negative part
 * scaled by their norm; zeros become fill. */
static void nndsvd_column(float *dst, size_t k, const double *src, size_t l, size_t r, size_t j, int positive,
                          double scale, double norm, double fill)
{
	for (size_t i = 0; i < r; i++) {
		double x = src[i * l + j];
		if (j == 0)
			x = fabs(x);
		else
			x = positive ? (x > 0 ? x : 0) : (x < 0 ? -x : 0);
		double y = norm > 0 && j > 0 ? scale * x / norm : scale * x;
		dst[i * k + j] = y > 0 ? (float)y : (float)fill;
	}
}

/* NNDSVD (Boutsidis & Gallopoulos 2008) from the leading singular triplets:
 * u (n x l), v (V x l) columns and sigma, sorted by decreasing sigma. */
static void nndsvd(float *W, float *Ht, size_t n, size_t V, size_t k, const double *u, const double *v,
                   const double *sigma, size_t l, double fill)
{
	for (size_t j = 0; j < k; j++) {
		double s = sigma[j] > 0 ? sigma[j] : 0;
		double pu = 0, nu = 0, pv = 0, nv = 0;
		for (size_t i = 0; i < n; i++) {
			double x = u[i * l + j];
			if (x > 0) pu += x * x; else nu += x * x;
		}
		for (size_t t = 0; t < V; t++) {
			double x = v[t * l + j];
			if (x > 0) pv += x * x; else nv += x * x;
		}
		pu = sqrt(pu); nu = sqrt(nu); pv = sqrt(pv); nv = sqrt(nv);
		int positive = j == 0 || pu * pv >= nu * nv;
		double nx = positive ? pu : nu, ny = positive ? pv : nv;
		double lambda = j == 0 ? 1.0 : nx * ny;
		double scale = sqrt(s * lambda);
		nndsvd_column(W, k, u, l, n, j, positive, scale, nx, fill);
		nndsvd_column(Ht, k, v, l, V, j, positive, scale, ny, fill);
	}
}

void vx_nmf_free(vx_nmf *model)
{
	if (model == NULL)
		return;
	free(model->H);
	model->H = NULL;
}

/* G (k x k) = A^T A for A (r x k) row-major. */
static void gram(double *G, const float *A, size_t r, size_t k)
{
	memset(G, 0, k * k * sizeof *G);
	for (size_t i = 0; i < r; i++) {
		const float *a = A + i * k;
		for (size_t p = 0; p < k; p++) {
			if (a[p] == 0)
				continue;
			for (size_t q = 0; q < k; q++)
				G[p * k + q] += (double)a[p] * a[q];
		}
	}
}

/* Rows hals_update() updates side by side. */
#define HALS_ROWS 4

/* One HALS sweep over the k columns of A (r x k): each column is the exact
 * non-negative least-squares update given the others, with B = X M and
 * G = M^T M for the fixed factor M. Used for both W and H^T. */
static void hals_update(float *A, const float *B, const double *G, size_t r, size_t k)
{
	/* Single precision in the inner loop (it vectorises); G's diagonal
	 * decides which columns move. */
	float Gf[(MAX_RANK + OVERSAMPLE) * (MAX_RANK + OVERSAMPLE)], inv[MAX_RANK + OVERSAMPLE] = {0};
	for (size_t q = 0; q < k * k; q++)
		Gf[q] = (float)G[q];
	for (size_t j = 0; j < k; j++)
		inv[j] = G[j * k + j] > 0 ? (float)(1.0 / G[j * k + j]) : 0.0f;
	/* Each row's update is a chain of dependent sums (column j reads the
	 * columns updated before it), which waits on the latency of each
	 * addition; HALS_ROWS independent rows interleaved keep the adder busy.
	 * Every row still gets the same operations in the same order. */
	size_t i = 0;
	for (; i + HALS_ROWS <= r; i += HALS_ROWS) {
		float *a0 = A + i * k, *a1 = a0 + k, *a2 = a1 + k, *a3 = a2 + k;
		const float *b0 = B + i * k, *b1 = b0 + k, *b2 = b1 + k, *b3 = b2 + k;
		for (size_t j = 0; j < k; j++) {
			if (inv[j] == 0.0f)
				continue;
			const float *g = Gf + j * k;
			float acc0 = b0[j], acc1 = b1[j], acc2 = b2[j], acc3 = b3[j];
			for (size_t q = 0; q < k; q++) {
				acc0 -= g[q] * a0[q];
				acc1 -= g[q] * a1[q];
				acc2 -= g[q] * a2[q];
				acc3 -= g[q] * a3[q];
			}
			float n0 = a0[j] + acc0 * inv[j], n1 = a1[j] + acc1 * inv[j];
			float n2 = a2[j] + acc2 * inv[j], n3 = a3[j] + acc3 * inv[j];
			a0[j] = n0 > NMF_EPS ? n0 : NMF_EPS;
			a1[j] = n1 > NMF_EPS ? n1 : NMF_EPS;
			a2[j] = n2 > NMF_EPS ? n2 : NMF_EPS;
			a3[j] = n3 > NMF_EPS ? n3 : NMF_EPS;
		}
	}
	for (; i < r; i++) {
		float *a = A + i * k;
		const float *bi = B + i * k;
		for (size_t j = 0; j < k; j++) {
			if (inv[j] == 0.0f)
				continue;
			const float *g = Gf + j * k;
			float acc = bi[j];
			for (size_t q = 0; q < k; q++)
				acc -= g[q] * a[q];
			float na = a[j] + acc * inv[j];
			a[j] = na > NMF_EPS ? na : NMF_EPS;
		}
	}
}

/* dst (cols x rows) = src (rows x cols) transposed, both row-major. */
static void transpose(float *dst, const float *src, size_t rows, size_t cols)
{
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < cols; c++)
			dst[c * rows + r] = src[r * cols + c];
}

/* WtX (V x k) = X^T W over rows[0..n) of m, W being n x k row-major. */
static void xt_w(float *WtX, const vx_dtm *m, const uint32_t *rows, size_t n, const float *W, size_t k)
{
	memset(WtX, 0, m->n_terms * k * sizeof *WtX);
	for (size_t i = 0; i < n; i++) {
		const float *w = W + i * k;
		for (uint32_t p = m->row_ptr[rows[i]]; p < m->row_ptr[rows[i] + 1]; p++) {
			float x = m->val[p];
			float *dst = WtX + (size_t)m->col[p] * k;
			for (size_t j = 0; j < k; j++)
				dst[j] += x * w[j];
		}
	}
}

int vx_nmf_fit(vx_nmf *out, const vx_dtm *m, const uint32_t *rows, size_t n, size_t k, unsigned iterations,
               uint64_t seed)
{
	int rc = 0;
	size_t V = m->n_terms;
	memset(out, 0, sizeof *out);
	if (k == 0 || n == 0 || V == 0)
		return vx_error_set(VX_EEMPTY, "rien à factoriser (%zu documents, %zu termes)", n, V);
	if (k > MAX_RANK)
		k = MAX_RANK;
	if (k > n)
		k = n;
	if (k > V)
		k = V;
	size_t l = k + OVERSAMPLE;
	if (l > n)
		l = n;
	if (l > V)
		l = V;
	if (k > l)
		k = l;
	/* Bt (V x l) first holds the random start O of the subspace iteration,
	 * which is read once, before Bt is first written. */
	double *Y = malloc(n * l * sizeof *Y), *Bt = malloc(V * l * sizeof *Bt);
	double *C = malloc(l * l * sizeof *C), *U = malloc(l * l * sizeof *U), *sig = malloc(l * sizeof *sig);
	double *u = malloc(n * l * sizeof *u), *v = malloc(V * l * sizeof *v);
	size_t *order = malloc(l * sizeof *order);
	float *W = malloc(n * k * sizeof *W), *Ht = malloc(V * k * sizeof *Ht);
	float *XHt = NULL, *WtX = NULL; /* allocated once the start's buffers are freed */
	double *G = malloc(k * k * sizeof *G);
	if (!Y || !Bt || !C || !U || !sig || !u || !v || !order || !W || !Ht || !G) {
		rc = vx_error_set(VX_ENOMEM, "out of memory for a %zu x %zu factorisation", n, V);
		goto done;
	}
	/* Leading singular subspace by subspace iteration from a fixed start. */
	uint64_t state = seed;
	double *O = Bt;
	for (size_t i = 0; i < V * l; i++)
		O[i] = (double)(splitmix(&state) >> 11) / 9007199254740992.0 * 2.0 - 1.0;
	mul_x_dense(Y, m, rows, n, O, l);
	orthonormalise(Y, n, l);
	for (int q = 0; q < POWER_ITERATIONS; q++) {
		mul_xt_dense(Bt, m, rows, n, Y, l);
		orthonormalise(Bt, V, l);
		mul_x_dense(Y, m, rows, n, Bt, l);
		orthonormalise(Y, n, l);
	}
	mul_xt_dense(Bt, m, rows, n, Y, l); /* Bt = X^T Y = (Y^T X)^T */
	memset(C, 0, l * l * sizeof *C);
	for (size_t t = 0; t < V; t++)
		for (size_t p = 0; p < l; p++)
			for (size_t q = 0; q < l; q++)
				C[p * l + q] += Bt[t * l + p] * Bt[t * l + q];
	jacobi(C, U, l);
	for (size_t j = 0; j < l; j++)
		order[j] = j;
	for (size_t a = 1; a < l; a++) {
		size_t x = order[a], b = a;
		while (b > 0 && C[order[b - 1] * l + order[b - 1]] < C[x * l + x]) {
			order[b] = order[b - 1];
			b--;
		}
		order[b] = x;
	}
	/* u_j = Y U_j, v_j = Bt U_j / sigma_j (columns in decreasing sigma). */
	for (size_t jj = 0; jj < l; jj++) {
		size_t j = order[jj];
		double lam = C[j * l + j];
		sig[jj] = lam > 0 ? sqrt(lam) : 0;
		for (size_t i = 0; i < n; i++) {
			double acc = 0;
			for (size_t p = 0; p < l; p++)
				acc += Y[i * l + p] * U[p * l + j];
			u[i * l + jj] = acc;
		}
		for (size_t t = 0; t < V; t++) {
			double acc = 0;
			for (size_t p = 0; p < l; p++)
				acc += Bt[t * l + p] * U[p * l + j];
			v[t * l + jj] = sig[jj] > 0 ? acc / sig[jj] : 0;
		}
	}
	double total = 0, norm2 = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t p = m->row_ptr[rows[i]]; p < m->row_ptr[rows[i] + 1]; p++) {
			total += m->val[p];
			norm2 += (double)m->val[p] * m->val[p];
		}
	double fill = total / ((double)n * (double)V); /* NNDSVDa: zeros become the mean of X */
	nndsvd(W, Ht, n, V, k, u, v, sig, l, fill);
	free(Y); free(Bt); free(C); free(U); free(u); free(v);
	Y = NULL;
	Bt = NULL;
	C = NULL;
	U = NULL;
	u = NULL;
	v = NULL;
	XHt = malloc(n * k * sizeof *XHt);
	WtX = malloc(V * k * sizeof *WtX);
	if (!XHt || !WtX) {
		rc = vx_error_set(VX_ENOMEM, "out of memory for a %zu x %zu factorisation", n, V);
		goto done;
	}

	/* HALS: alternate exact coordinate updates of W's and H's columns. */
	for (unsigned it = 0; it < iterations; it++) {
		/* W update: XHt = X H^T, G = H H^T. */
		memset(XHt, 0, n * k * sizeof *XHt);
		for (size_t i = 0; i < n; i++) {
			float *xh = XHt + i * k;
			for (uint32_t p = m->row_ptr[rows[i]]; p < m->row_ptr[rows[i] + 1]; p++) {
				float x = m->val[p];
				const float *h = Ht + (size_t)m->col[p] * k;
				for (size_t j = 0; j < k; j++)
					xh[j] += x * h[j];
			}
		}
		gram(G, Ht, V, k);
		hals_update(W, XHt, G, n, k);
		/* H update: WtX = W^T X (kept as V x k), G = W^T W. */
		xt_w(WtX, m, rows, n, W, k);
		gram(G, W, n, k);
		hals_update(Ht, WtX, G, V, k);
	}
	/* Relative residual ||X - WH|| / ||X||, from the Gram matrices. */
	{
		double cross = 0, quad = 0;
		double *GH = malloc(k * k * sizeof *GH);
		if (GH == NULL) {
			rc = vx_error_set(VX_ENOMEM, "out of memory");
			goto done;
		}
		gram(GH, Ht, V, k);
		gram(G, W, n, k);
		for (size_t i = 0; i < n; i++) {
			const float *w = W + i * k;
			for (uint32_t p = m->row_ptr[rows[i]]; p < m->row_ptr[rows[i] + 1]; p++) {
				const float *h = Ht + (size_t)m->col[p] * k;
				double dot = 0;
				for (size_t j = 0; j < k; j++)
					dot += (double)w[j] * h[j];
				cross += dot * m->val[p];
			}
		}
		for (size_t j = 0; j < k * k; j++)
			quad += G[j] * GH[j];
		free(GH);
		double res = norm2 - 2 * cross + quad;
		out->residual = norm2 > 0 && res > 0 ? sqrt(res / norm2) : 0;
	}
	out->H = malloc(k * V * sizeof *out->H);
	if (out->H == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	transpose(out->H, Ht, V, k);
	out->k = k;
	out->n_terms = V;
	out->iterations = iterations;
done:
	free(Y); free(Bt); free(C); free(U); free(sig); free(u); free(v); free(order);
	free(W); free(Ht); free(XHt); free(WtX); free(G);
	return rc;
}

typedef struct transform_job {
	const vx_nmf *model;
	const vx_dtm *m;
	const uint32_t *rows;
	size_t from, to;
	float *W;
	const float *Ht;
	const double *G;
	unsigned passes;
} transform_job;

/* Row i's X H^T in xh and its first weights in W (each topic alone). */
static void transform_start(const transform_job *job, size_t i, double *xh)
{
	size_t k = job->model->k;
	const double *G = job->G;
	uint32_t d = job->rows[i];
	float *w = job->W + i * k;
	for (size_t j = 0; j < k; j++)
		xh[j] = 0;
	for (uint32_t p = job->m->row_ptr[d]; p < job->m->row_ptr[d + 1]; p++) {
		double x = job->m->val[p];
		const float *h = job->Ht + (size_t)job->m->col[p] * k;
		for (size_t j = 0; j < k; j++)
			xh[j] += x * h[j];
	}
	for (size_t j = 0; j < k; j++)
		w[j] = G[j * k + j] > 0 && xh[j] > 0 ? (float)(xh[j] / G[j * k + j]) : 0.0f;
}

/* Non-negative least squares of rows [from, to) on the fixed topics, by
 * cyclic coordinate descent. A row's descent is a chain of dependent sums:
 * four rows go side by side (as in hals_update), each with the same
 * operations in the same order as alone. */
static void *transform_rows(void *arg)
{
	transform_job *job = arg;
	size_t k = job->model->k;
	double xh[4][MAX_RANK + OVERSAMPLE];
	const double *G = job->G;
	size_t i = job->from;
	for (; i + 4 <= job->to; i += 4) {
		for (size_t t = 0; t < 4; t++)
			transform_start(job, i + t, xh[t]);
		float *w0 = job->W + i * k, *w1 = w0 + k, *w2 = w1 + k, *w3 = w2 + k;
		for (unsigned pass = 0; pass < job->passes; pass++)
			for (size_t j = 0; j < k; j++) {
				if (G[j * k + j] <= 0)
					continue;
				double acc0 = xh[0][j], acc1 = xh[1][j], acc2 = xh[2][j], acc3 = xh[3][j];
				for (size_t q = 0; q < k; q++) {
					acc0 -= G[j * k + q] * w0[q];
					acc1 -= G[j * k + q] * w1[q];
					acc2 -= G[j * k + q] * w2[q];
					acc3 -= G[j * k + q] * w3[q];
				}
				double n0 = w0[j] + acc0 / G[j * k + j], n1 = w1[j] + acc1 / G[j * k + j];
				double n2 = w2[j] + acc2 / G[j * k + j], n3 = w3[j] + acc3 / G[j * k + j];
				w0[j] = n0 > 0 ? (float)n0 : 0.0f;
				w1[j] = n1 > 0 ? (float)n1 : 0.0f;
				w2[j] = n2 > 0 ? (float)n2 : 0.0f;
				w3[j] = n3 > 0 ? (float)n3 : 0.0f;
			}
	}
	for (; i < job->to; i++) {
		transform_start(job, i, xh[0]);
		float *w = job->W + i * k;
		for (unsigned pass = 0; pass < job->passes; pass++)
			for (size_t j = 0; j < k; j++) {
				if (G[j * k + j] <= 0)
					continue;
				double acc = xh[0][j];
				for (size_t q = 0; q < k; q++)
					acc -= G[j * k + q] * w[q];
				double nw = w[j] + acc / G[j * k + j];
				w[j] = nw > 0 ? (float)nw : 0.0f;
			}
	}
	return NULL;
}

/* Below this many rows one thread projects them all. */
#define TRANSFORM_PARALLEL_MIN 4000

int vx_nmf_transform(float *W, const vx_nmf *model, const vx_dtm *m, const uint32_t *rows, size_t n,
                     unsigned passes)
{
	size_t k = model->k, V = model->n_terms;
	if (V != m->n_terms)
		return vx_error_set(VX_EINVAL, "model has %zu terms, matrix %zu", V, m->n_terms);
	float *Ht = malloc(V * k * sizeof *Ht);
	double *G = malloc(k * k * sizeof *G);
	if (!Ht || !G) {
		free(Ht);
		free(G);
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	transpose(Ht, model->H, k, V);
	gram(G, Ht, V, k);
	/* Rows are independent: two threads give the same numbers as one. */
	transform_job jobs[2] = {{model, m, rows, 0, n, W, Ht, G, passes}, {model, m, rows, n, n, W, Ht, G, passes}};
	pthread_t thread;
	int started = 0;
	if (n >= TRANSFORM_PARALLEL_MIN) {
		jobs[0].to = jobs[1].from = n / 2;
		started = pthread_create(&thread, NULL, transform_rows, &jobs[1]) == 0;
	}
	transform_rows(&jobs[0]);
	if (started)
		pthread_join(thread, NULL);
	else
		transform_rows(&jobs[1]);
	free(Ht);
	free(G);
	return 0;
}

int vx_nmf_refit_terms(vx_nmf *model, const vx_dtm *m, const uint32_t *rows, size_t n, const float *W,
                       unsigned passes)
{
	size_t k = model->k, V = model->n_terms;
	if (V != m->n_terms)
		return vx_error_set(VX_EINVAL, "model has %zu terms, matrix %zu", V, m->n_terms);
	float *Ht = malloc((V ? V : 1) * k * sizeof *Ht), *WtX = malloc((V ? V : 1) * k * sizeof *WtX);
	double *G = malloc((k ? k : 1) * k * sizeof *G);
	if (!Ht || !WtX || !G) {
		free(Ht);
		free(WtX);
		free(G);
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	transpose(Ht, model->H, k, V);
	xt_w(WtX, m, rows, n, W, k);
	gram(G, W, n, k);
	for (unsigned pass = 0; pass < passes; pass++)
		hals_update(Ht, WtX, G, V, k);
	transpose(model->H, Ht, V, k);
	free(Ht);
	free(WtX);
	free(G);
	return 0;
}

void vx_nmf_unit_rows(vx_nmf *model)
{
	size_t V = model->n_terms;
	for (size_t j = 0; j < model->k; j++) {
		float *h = model->H + j * V;
		double s = 0;
		for (size_t t = 0; t < V; t++)
			s += (double)h[t] * h[t];
		if (s > 0) {
			double norm = sqrt(s);
			for (size_t t = 0; t < V; t++)
				h[t] = (float)(h[t] / norm);
		}
	}
}
