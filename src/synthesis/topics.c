/*
 * The topic models and the main topics (stages 4 and 5 of vx_note_build,
 * src/synthesis/stages.h): a themed model is the codebook's themes of one
 * kind, then the topics a consensus of non-negative factorisations finds in
 * what no theme covers; a topic of the note is counted, described and
 * labelled from one. See docs/model.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synthesis/stages.h"
#include "util/arena.h"
#include "util/grow.h"
#include "util/rank.h"
#include "voix/error.h"

/* ---- Facet counts --------------------------------------------------- */

/* ---- Facet counts --------------------------------------------------- */

typedef struct facet_counter {
	vx_strmap values;
	size_t *count;
	size_t cap;
} facet_counter;

/* First capacity of a facet's counts. */
#define FACET_FIRST_CAP 64

static int facet_add(facet_counter *fc, const char *v)
{
	if (*v == '\0')
		return 0;
	uint32_t id;
	int rc = vx_strmap_intern(&fc->values, v, strlen(v), &id, NULL);
	if (rc)
		return rc;
	if (id >= fc->cap) {
		size_t old = fc->cap;
		if ((rc = vx_grow((void **)&fc->count, &fc->cap, (size_t)id + 1, sizeof *fc->count, FACET_FIRST_CAP)) != 0)
			return rc;
		memset(fc->count + old, 0, (fc->cap - old) * sizeof *fc->count);
	}
	fc->count[id]++;
	return 0;
}

static int more_frequent(uint32_t a, uint32_t b, const void *ctx)
{
	const facet_counter *fc = ctx;
	if (fc->count[a] != fc->count[b])
		return fc->count[a] > fc->count[b];
	return strcmp(vx_strmap_key(&fc->values, a), vx_strmap_key(&fc->values, b)) < 0;
}

/* The most frequent values (ties: alphabetical), copied to the note. */
static int facet_top(vx_build *b, facet_counter *fc, vx_facet_count **out, size_t *n_out)
{
	size_t nv = vx_strmap_count(&fc->values), n = 0;
	vx_facet_count *top = vx_arena_calloc(b->arena, MAX_FACETS, sizeof *top);
	uint32_t ids[MAX_FACETS];
	if (top == NULL)
		return VX_ENOMEM;
	for (uint32_t v = 0; v < nv; v++)
		vx_topk_insert(ids, &n, MAX_FACETS, v, more_frequent, fc);
	for (size_t q = 0; q < n; q++) {
		top[q].value = vx_arena_strdup(b->arena, vx_strmap_key(&fc->values, ids[q]));
		top[q].count = fc->count[ids[q]];
		if (top[q].value == NULL)
			return VX_ENOMEM;
	}
	*out = top;
	*n_out = n;
	return 0;
}

static void facet_init(facet_counter *fc)
{
	vx_strmap_init(&fc->values);
	fc->count = NULL;
	fc->cap = 0;
}

static void facet_free(facet_counter *fc)
{
	vx_strmap_free(&fc->values);
	free(fc->count);
}

/* ---- Topic models ---------------------------------------------------- */

/* ---- Topic model ---------------------------------------------------- */

void vx_topic_model_free(vx_topic_model *tm)
{
	vx_nmf_free(&tm->nmf);
	free(tm->lever);
	free(tm->theme_col);
	free(tm->rows);
	free(tm->row_of);
	free(tm->W);
	free(tm->w_row);
	free(tm->member);
	memset(tm, 0, sizeof *tm);
}

/* The place of a row in the samples of fit r: a hash of its text (the
 * matrix's signature of its word sequence), so that whether a row is in a
 * sample depends on what it says, not on where it sits in the export. */
static uint64_t sample_key(uint64_t sig, size_t r)
{
	uint64_t z = sig + 0x9E3779B97F4A7C15u * (uint64_t)(r + 1);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* The k-th smallest of a[0..n) (0-based; a is reordered). */
static uint64_t kth_smallest(uint64_t *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		uint64_t pivot = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				uint64_t t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/*
 * The fit samples of the consensus, chosen by the hash of each row's text:
 * with more rows than FIT_SAMPLE, fit r takes the FIT_SAMPLE rows of
 * smallest key for r; otherwise fit r leaves out the rows whose key for r
 * is 0 modulo runs (a fifth, for 5 fits). Rows keep the corpus order in a
 * sample. Adding or removing experiences thus changes the samples only by
 * those experiences. samples[r] points into *store.
 */
static int consensus_samples(uint32_t **store, uint32_t **samples, size_t *n_samples, const uint32_t *fit_rows,
                             size_t n_fit, size_t runs, const uint64_t *sig)
{
	size_t each = n_fit > FIT_SAMPLE ? FIT_SAMPLE : n_fit;
	/* keys: each row's key for the fit at hand, hashed once; cut: a copy reordered to find the cut. */
	uint64_t *keys = malloc((n_fit ? n_fit : 1) * 2 * sizeof *keys);
	*store = malloc((each ? each : 1) * runs * sizeof **store);
	if (*store == NULL || keys == NULL) {
		free(keys);
		free(*store);
		*store = NULL;
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	uint64_t *cut = keys + (n_fit ? n_fit : 1);
	for (size_t r = 0; r < runs; r++) {
		uint32_t *s = samples[r] = *store + r * each;
		size_t n = 0;
		for (size_t i = 0; i < n_fit; i++)
			keys[i] = sample_key(sig[fit_rows[i]], r);
		if (n_fit > FIT_SAMPLE) {
			memcpy(cut, keys, n_fit * sizeof *cut);
			uint64_t last = kth_smallest(cut, n_fit, FIT_SAMPLE - 1);
			for (size_t i = 0; i < n_fit && n < FIT_SAMPLE; i++)
				if (keys[i] < last)
					s[n++] = fit_rows[i];
			for (size_t i = 0; i < n_fit && n < FIT_SAMPLE; i++) /* the key at the cut (and its ties) */
				if (keys[i] == last)
					s[n++] = fit_rows[i];
		} else {
			for (size_t i = 0; i < n_fit; i++)
				if (runs < 2 || keys[i] % runs != 0)
					s[n++] = fit_rows[i];
		}
		n_samples[r] = n;
	}
	free(keys);
	return 0;
}

/*
 * Fits the consensus of k topics on samples of fit_rows and projects
 * proj_rows, then decides memberships.
 */
static int topic_model_run(vx_topic_model *tm, vx_build *b, const uint32_t *fit_rows, size_t n_fit, size_t k,
                           const uint32_t *proj_rows, size_t n_proj)
{
	int rc = 0;
	memset(tm, 0, sizeof *tm);
	uint32_t *store = NULL, *refit_rows = NULL, *samples[CONSENSUS_RUNS];
	size_t n_samples[CONSENSUS_RUNS];
	if ((rc = consensus_samples(&store, samples, n_samples, fit_rows, n_fit, CONSENSUS_RUNS, b->m.doc_sig)) != 0)
		return rc;
	vx_consensus_options co = {k, NMF_ITERATIONS, NMF_SEED, CONSENSUS_MIN_SIMILARITY, CONSENSUS_MIN_RUNS};
	if ((rc = vx_nmf_fit_consensus(&tm->nmf, &tm->consensus, &b->m, (const uint32_t *const *)samples, n_samples,
	                               CONSENSUS_RUNS, &co)) != 0)
		goto done;
	tm->fit_k = k;
	tm->fit_rows = n_samples[0];
	k = tm->nmf.k;
	vx_nmf_unit_rows(&tm->nmf);
	tm->row_of = malloc((b->n_docs ? b->n_docs : 1) * sizeof *tm->row_of);
	tm->rows = malloc((n_proj ? n_proj : 1) * sizeof *tm->rows);
	tm->W = malloc((n_proj ? n_proj : 1) * k * sizeof *tm->W);
	tm->member = calloc((n_proj ? n_proj : 1) * k, 1);
	if (!tm->row_of || !tm->rows || !tm->W || !tm->member) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(tm->rows, proj_rows, n_proj * sizeof *tm->rows);
	tm->n_rows = n_proj;
	for (size_t r = 0; r < b->n_docs; r++)
		tm->row_of[r] = UINT32_MAX;
	for (size_t r = 0; r < n_proj; r++)
		tm->row_of[proj_rows[r]] = (uint32_t)r;
	/* Term weights from every document (an even spread of REFIT_SAMPLE of
	 * them beyond that), not only the fit samples; then every document's
	 * weights on those topics. tm->W holds the spread's weights meanwhile. */
	size_t n_refit = n_proj < REFIT_SAMPLE ? n_proj : REFIT_SAMPLE;
	if (n_refit < n_proj) {
		refit_rows = malloc(n_refit * sizeof *refit_rows);
		if (refit_rows == NULL) {
			rc = vx_error_set(VX_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < n_refit; i++)
			refit_rows[i] = proj_rows[(size_t)((double)i * (double)n_proj / (double)n_refit)];
	}
	const uint32_t *spread = refit_rows ? refit_rows : tm->rows;
	if ((rc = vx_nmf_transform(tm->W, &tm->nmf, &b->m, spread, n_refit, NMF_TRANSFORM_PASSES)) != 0 ||
	    (rc = vx_nmf_refit_terms(&tm->nmf, &b->m, spread, n_refit, tm->W, REFIT_PASSES)) != 0)
		goto done;
	vx_nmf_unit_rows(&tm->nmf);
	if ((rc = vx_nmf_transform(tm->W, &tm->nmf, &b->m, tm->rows, n_proj, NMF_TRANSFORM_PASSES)) != 0)
		goto done;
	for (size_t r = 0; r < n_proj; r++) {
		const float *w = tm->W + r * k;
		float mx = 0;
		for (size_t j = 0; j < k; j++)
			if (w[j] > mx)
				mx = w[j];
		for (size_t j = 0; j < k; j++)
			tm->member[r * k + j] = mx > 0 && w[j] >= MEMBER_ABSOLUTE && w[j] >= MEMBER_RELATIVE * mx;
	}
done:
	free(store);
	free(refit_rows);
	if (rc)
		vx_topic_model_free(tm);
	return rc;
}

/*
 * A themed model: the codebook's themes of one kind (complaints, or praise)
 * first, then the topics a factorisation finds in what no theme covers.
 *
 * universe: the rows whose memberships are decided (a theme holds every row
 * of the universe where one of its expressions is found); fit / proj: the
 * rows of the universe on which emergent topics are fitted (rows with no
 * theme) and projected (those, and long rows where a theme's expressions are
 * few: projected_on_emergent), k_emergent topics asked. Theme weights are the number of
 * expressions found; a theme's term vector is the mean TF-IDF of its
 * experiences less that of the universe (clipped at 0, unit norm), so that
 * its key terms, typical experiences and verbatims are those that set it
 * apart. Themes found in fewer than MIN_TOPIC_DOCS rows are left out.
 */
static int themed_model_run(vx_topic_model *tm, vx_build *b, int kind, const uint32_t *universe, size_t n_universe,
                            const uint32_t *fit, size_t n_fit, const uint32_t *proj, size_t n_proj,
                            size_t k_emergent)
{
	int rc = 0;
	vx_topic_model em;
	memset(&em, 0, sizeof em);
	memset(tm, 0, sizeof *tm);
	size_t nt = b->n_themes, V = b->m.n_terms;
	uint32_t *short_fit = NULL;
	size_t *theme_count = calloc(nt ? nt : 1, sizeof *theme_count);
	size_t *sel = calloc(nt ? nt : 1, sizeof *sel);
	double *mean = calloc(V ? V : 1, sizeof *mean);
	if (!theme_count || !sel || !mean) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t q = 0; q < n_universe; q++)
		for (size_t t = 0; t < nt; t++)
			theme_count[t] += b->theme_hits[(size_t)universe[q] * nt + t] > 0;
	size_t n_sel = 0;
	for (size_t t = 0; t < nt; t++)
		if (b->codebook->levers[b->theme_lever[t]].kind == kind && theme_count[t] >= MIN_TOPIC_DOCS)
			sel[n_sel++] = t;
	/* Emergent topics are fitted on the texts of at most FIT_MAX_WORDS
	 * content words when there are enough of them: a long text that raises
	 * every subject at once (a meeting's report, a life story) otherwise
	 * gives a topic of everything. Every text is projected afterwards. */
	short_fit = malloc((n_fit ? n_fit : 1) * sizeof *short_fit);
	if (short_fit == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t n_short = 0;
	for (size_t q = 0; q < n_fit; q++)
		if (b->m.doc_len[fit[q]] <= FIT_MAX_WORDS)
			short_fit[n_short++] = fit[q];
	if (n_short >= FIT_SHORT_MIN_SHARE * (double)n_fit && n_short >= 5 * k_emergent) {
		fit = short_fit;
		n_fit = n_short;
	}
	if (k_emergent > n_fit / 5)
		k_emergent = n_fit / 5;
	if (k_emergent >= 1 && (rc = topic_model_run(&em, b, fit, n_fit, k_emergent, proj, n_proj)) != 0)
		goto done;
	size_t ke = k_emergent >= 1 ? em.nmf.k : 0, k = n_sel + ke;
	tm->kind = kind;
	tm->consensus = em.consensus;
	tm->fit_k = em.fit_k;
	tm->fit_rows = em.fit_rows;
	tm->n_emergent = ke;
	tm->nmf.k = k;
	tm->nmf.n_terms = V;
	tm->n_rows = n_universe;
	tm->nmf.H = calloc((k ? k : 1) * (V ? V : 1), sizeof *tm->nmf.H);
	tm->lever = malloc((k ? k : 1) * sizeof *tm->lever);
	tm->row_of = malloc((b->n_docs ? b->n_docs : 1) * sizeof *tm->row_of);
	tm->rows = malloc((n_universe ? n_universe : 1) * sizeof *tm->rows);
	/* The emergent weights stay where the factorisation put them. */
	tm->W = em.W;
	em.W = NULL;
	tm->w_row = malloc((n_universe ? n_universe : 1) * sizeof *tm->w_row);
	tm->member = calloc((n_universe ? n_universe : 1) * (k ? k : 1), 1);
	tm->theme_col = malloc((n_sel ? n_sel : 1) * sizeof *tm->theme_col);
	tm->n_themed = n_sel;
	tm->hits = b->theme_hits;
	tm->hits_stride = nt;
	if (!tm->nmf.H || !tm->lever || !tm->row_of || !tm->rows || !tm->w_row || !tm->member || !tm->theme_col) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(tm->rows, universe, n_universe * sizeof *tm->rows);
	for (size_t r = 0; r < b->n_docs; r++)
		tm->row_of[r] = UINT32_MAX;
	for (size_t q = 0; q < n_universe; q++)
		tm->row_of[universe[q]] = (uint32_t)q;
	/* Themes: memberships, weights and term vectors. */
	for (size_t q = 0; q < n_universe; q++) {
		uint32_t row = universe[q];
		for (uint32_t p = b->m.row_ptr[row]; p < b->m.row_ptr[row + 1]; p++)
			mean[b->m.col[p]] += b->m.val[p];
		for (size_t j = 0; j < n_sel; j++) {
			uint8_t h = b->theme_hits[(size_t)row * nt + sel[j]];
			if (h == 0)
				continue;
			tm->member[q * k + j] = 1;
			float *hj = tm->nmf.H + j * V;
			for (uint32_t p = b->m.row_ptr[row]; p < b->m.row_ptr[row + 1]; p++)
				hj[b->m.col[p]] += b->m.val[p];
		}
	}
	for (size_t j = 0; j < n_sel; j++) {
		float *hj = tm->nmf.H + j * V;
		double norm = 0;
		for (size_t t = 0; t < V; t++) {
			double v = (double)hj[t] / (double)theme_count[sel[j]] - mean[t] / (double)n_universe;
			hj[t] = v > 0 ? (float)v : 0.0f;
			norm += (double)hj[t] * hj[t];
		}
		if (norm > 0)
			for (size_t t = 0; t < V; t++)
				hj[t] = (float)(hj[t] / sqrt(norm));
		tm->lever[j] = b->theme_lever[sel[j]];
		tm->theme_col[j] = sel[j];
	}
	/* Emergent topics, on the rows no theme holds. */
	for (size_t j = 0; j < ke; j++) {
		memcpy(tm->nmf.H + (n_sel + j) * V, em.nmf.H + j * V, V * sizeof *tm->nmf.H);
		tm->lever[n_sel + j] = -1;
	}
	for (size_t q = 0; q < n_universe; q++)
		tm->w_row[q] = UINT32_MAX;
	for (size_t q = 0; q < em.n_rows; q++) {
		uint32_t u = tm->row_of[em.rows[q]];
		if (u == UINT32_MAX)
			continue;
		tm->w_row[u] = (uint32_t)q;
		for (size_t j = 0; j < ke; j++)
			tm->member[(size_t)u * k + n_sel + j] = em.member[q * ke + j];
	}
done:
	vx_topic_model_free(&em);
	free(short_fit);
	free(theme_count);
	free(sel);
	free(mean);
	if (rc)
		vx_topic_model_free(tm);
	return rc;
}

static void *run_themed_job(void *arg)
{
	vx_themed_job *job = arg;
	job->rc = themed_model_run(job->tm, job->b, VX_THEME_PRAISE, job->universe, job->n_universe, job->residual,
	                           job->n_residual, job->residual, job->n_residual, job->k);
	if (job->rc)
		snprintf(job->error, sizeof job->error, "%s", vx_error_last());
	return NULL;
}

/* 1 when row holds one of the themes of that kind. */
static int has_theme(const vx_build *b, uint32_t row, int kind)
{
	for (size_t t = 0; t < b->n_themes; t++)
		if (b->theme_hits[(size_t)row * b->n_themes + t] &&
		    b->codebook->levers[b->theme_lever[t]].kind == kind)
			return 1;
	return 0;
}

/* The expressions of themes of that kind found in row. */
static size_t theme_expressions(const vx_build *b, uint32_t row, int kind)
{
	size_t n = 0;
	for (size_t t = 0; t < b->n_themes; t++)
		if (b->codebook->levers[b->theme_lever[t]].kind == kind)
			n += b->theme_hits[(size_t)row * b->n_themes + t];
	return n;
}

/* 1 when row only points to a document ("voir compte rendu joint"): a
 * referral expression in a text of at most REFERRAL_MAX_WORDS content words.
 * Such texts count in the totals but in no topic. */
static int is_referral(const vx_build *b, uint32_t row)
{
	return b->m.doc_len[row] <= REFERRAL_MAX_WORDS && has_theme(b, row, VX_THEME_REFERRAL);
}

/* 1 when row is left to the emergent topics of the main list: not positive
 * (praise has its own section), in no complaint theme, not a referral. */
static int left_to_emergent(const vx_build *b, uint32_t row)
{
	return vx_row_model_feeling(b, row) != VX_FEELING_POSITIVE &&
	       !has_theme(b, row, VX_THEME_COMPLAINT) && !is_referral(b, row);
}

/* 1 when row also takes part in the emergent topics of the main list (its
 * weights on them decide its memberships, as for any row): not positive, not
 * a referral, and either in no complaint theme or with more than
 * EMERGENT_WORDS_PER_EXPRESSION content words per complaint expression found
 * there. In such a long text the expressions are incidental (a meeting's list
 * of proposals that says « injuste » once): the theme holds the text, and what
 * the text is mostly about is still counted where it belongs. The emergent
 * topics are fitted on left_to_emergent() rows only. */
static int projected_on_emergent(const vx_build *b, uint32_t row)
{
	if (vx_row_model_feeling(b, row) == VX_FEELING_POSITIVE || is_referral(b, row))
		return 0;
	size_t n = theme_expressions(b, row, VX_THEME_COMPLAINT);
	return n == 0 || b->m.doc_len[row] > EMERGENT_WORDS_PER_EXPRESSION * n;
}

/* ---- Topics of the note ---------------------------------------------- */

/* Fills t with topic j of tm: counts over the analysed unique documents. */
int vx_topic_fill(vx_topic *t, vx_build *b, const vx_topic_model *tm, size_t j, int id, size_t denominator,
                      int has_trend, size_t prev_den, size_t cur_den)
{
	int rc = 0;
	size_t k = tm->nmf.k;
	facet_counter ch, sv, st;
	facet_init(&ch);
	facet_init(&sv);
	facet_init(&st);
	memset(t, 0, sizeof *t);
	t->id = id;
	t->denominator = denominator;
	for (size_t r = 0; r < tm->n_rows; r++) {
		if (!tm->member[r * k + j])
			continue;
		uint32_t row = tm->rows[r];
		const vx_experience *e = vx_corpus_get(b->corpus, b->docs[row]);
		if (row < b->n_cur) {
			t->count++;
			t->feelings.n[b->feel[row]]++;
			t->feelings.read[b->feel[row]] += b->feel_read[row];
			for (int d = 0; d < VX_DIM_COUNT; d++)
				t->dims_negative[d] += e->dims[d] == VX_FEELING_NEGATIVE;
			for (uint32_t c = 0; c < e->n_channels; c++)
				if ((rc = facet_add(&ch, e->channels[c])) != 0)
					goto done;
			if ((rc = facet_add(&sv, e->service)) != 0 || (rc = facet_add(&st, e->structure)) != 0)
				goto done;
		}
	}
	/* Trends: the distinct experiences of each window (b->win), through the
	 * membership of their group's representative. */
	for (size_t r = 0; has_trend && r < b->n_docs; r++) {
		uint32_t q = b->win[r] ? tm->row_of[b->rep[r]] : UINT32_MAX;
		if (q == UINT32_MAX || !tm->member[(size_t)q * k + j])
			continue;
		t->previous_count += b->win[r] == 1;
		t->current_count += b->win[r] == 2;
	}
	if (b->opt->memberships && t->count > 0) {
		t->members = vx_arena_calloc(b->arena, t->count, sizeof *t->members);
		if (t->members == NULL) {
			rc = VX_ENOMEM;
			goto done;
		}
		for (size_t r = 0; r < tm->n_rows; r++) {
			if (!tm->member[r * k + j] || tm->rows[r] >= b->n_cur)
				continue;
			const vx_experience *e = vx_corpus_get(b->corpus, b->docs[tm->rows[r]]);
			vx_member *m = &t->members[t->n_members++];
			if ((m->experience_id = vx_arena_strdup(b->arena, e->id)) == NULL) {
				rc = VX_ENOMEM;
				goto done;
			}
			m->weight = vx_topic_weight(tm, r, j);
		}
	}
	t->share = denominator ? (double)t->count / (double)denominator : 0;
	t->has_trend = has_trend;
	t->previous_denominator = prev_den;
	t->current_denominator = cur_den;
	if ((rc = facet_top(b, &ch, &t->channels, &t->n_channels)) != 0 ||
	    (rc = facet_top(b, &sv, &t->services, &t->n_services)) != 0 ||
	    (rc = facet_top(b, &st, &t->structures, &t->n_structures)) != 0)
		goto done;
	size_t top[VX_NOTE_MAX_TERMS];
	size_t nt = vx_topic_top_terms(top, b->opt->terms, tm, j);
	t->terms = vx_arena_calloc(b->arena, b->opt->terms, sizeof *t->terms);
	if (t->terms == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	for (size_t q = 0; q < nt; q++) {
		const char *s = b->m.surface[top[q]];
		t->terms[t->n_terms] = vx_build_mask(b, s, strlen(s));
		if (t->terms[t->n_terms] == NULL) {
			rc = VX_ENOMEM;
			goto done;
		}
		t->n_terms++;
	}
	int lever = tm->lever ? tm->lever[j] : -1;
	if (lever >= 0) {
		const vx_lever *l = &b->codebook->levers[lever];
		t->theme = vx_arena_strdup(b->arena, l->key);
		t->label = vx_arena_strdup(b->arena, l->topic);
		if (t->theme == NULL || t->label == NULL) {
			rc = VX_ENOMEM;
			goto done;
		}
	} else if ((rc = vx_label_topic(&t->label, b, tm, j)) != 0)
		goto done;
	if (t->count < b->opt->min_verbatim_support)
		t->verbatims_withheld = 1;
	else if ((rc = vx_verbatims_pick(t, b, tm, j, MAX_VERBATIMS)) != 0)
		goto done;
done:
	facet_free(&ch);
	facet_free(&sv);
	facet_free(&st);
	return rc;
}

/* Orders topics by documents (then weight, then index) and keeps those with
 * at least MIN_TOPIC_DOCS; returns how many indices were written. */
size_t vx_topics_rank(size_t *order, const vx_topic_model *tm, const vx_build *b, size_t max)
{
	size_t k = tm->nmf.k, n = 0;
	size_t *count = calloc(k, sizeof *count);
	if (count == NULL)
		return 0;
	for (size_t r = 0; r < tm->n_rows; r++)
		if (tm->rows[r] < b->n_cur)
			for (size_t j = 0; j < k; j++)
				count[j] += tm->member[r * k + j];
	for (size_t j = 0; j < k; j++) {
		if (count[j] < MIN_TOPIC_DOCS)
			continue;
		size_t pos = n;
		while (pos > 0 && count[order[pos - 1]] < count[j])
			pos--;
		for (size_t q = n; q > pos; q--)
			order[q] = order[q - 1];
		order[pos] = j;
		n++;
	}
	free(count);
	return n < max ? n : max;
}


/* ---- The stages ------------------------------------------------------- */

int vx_stage_topic_model(vx_note_run *r)
{
	vx_build *b = &r->b;
	const vx_note_options *opt = &r->opt;
	int rc;
	/* 4. Topics on the unique analysed experiences. */
	r->fit = malloc((b->n_docs ? b->n_docs : 1) * sizeof *r->fit);
	r->proj = malloc((b->n_docs ? b->n_docs : 1) * sizeof *r->proj);
	r->pos_rows = malloc((b->n_docs ? b->n_docs : 1) * sizeof *r->pos_rows);
	/* vx_topics_rank writes every candidate before it keeps the largest:
	 * each list holds the themes and the emergent topics of one model. */
	r->order_cap = VX_THEMES_MAX + opt->topics + EXTRA_TOPICS + MAX_STRENGTHS + 4;
	r->order = malloc(2 * r->order_cap * sizeof *r->order);
	if (!r->fit || !r->proj || !r->pos_rows || !r->order)
		return vx_error_set(VX_ENOMEM, "out of memory");
	for (uint32_t q = 0; q < b->n_docs; q++) {
		if (b->rep[q] != q)
			continue;
		r->proj[r->n_proj++] = q;
		if (q < b->n_cur && b->m.row_ptr[q + 1] > b->m.row_ptr[q]) {
			r->fit[r->n_fit++] = q;
			if (vx_row_model_feeling(b, q) == VX_FEELING_POSITIVE)
				r->pos_rows[r->n_pos++] = q;
		}
	}
	/* What no theme covers: the rows emergent topics are fitted on. The
	 * main topics' are the non-positive rows with no complaint theme (praise
	 * has its own section), projected on with the long texts where a theme's
	 * expressions are few (projected_on_emergent); the strengths' the
	 * positive rows with no praise theme. */
	r->resid = malloc((r->n_proj + r->n_pos + 1) * sizeof *r->resid);
	r->resid_fit = malloc((r->n_fit + 1) * sizeof *r->resid_fit);
	if (!r->resid || !r->resid_fit)
		return vx_error_set(VX_ENOMEM, "out of memory");
	for (size_t q = 0; q < r->n_proj; q++)
		if (projected_on_emergent(b, r->proj[q]))
			r->resid[r->n_resid++] = r->proj[q];
	for (size_t q = 0; q < r->n_fit; q++) {
		r->referrals += r->fit[q] < b->n_cur && is_referral(b, r->fit[q]);
		if (left_to_emergent(b, r->fit[q]))
			r->resid_fit[r->n_resid_fit++] = r->fit[q];
	}
	uint32_t *resid_pos = r->resid + r->n_resid;
	for (size_t q = 0; q < r->n_pos; q++)
		if (!has_theme(b, r->pos_rows[q], VX_THEME_PRAISE) && !is_referral(b, r->pos_rows[q]))
			resid_pos[r->n_resid_pos++] = r->pos_rows[q];
	/* The strengths model starts now on another thread. */
	r->sjob = (vx_themed_job){&r->sm, b, r->pos_rows, resid_pos, r->n_pos, r->n_resid_pos, MAX_STRENGTHS + 2, 0, ""};
	if (r->n_pos >= MIN_POSITIVE_DOCS) {
		r->sstarted = pthread_create(&r->sthread, NULL, run_themed_job, &r->sjob) == 0;
		if (!r->sstarted)
			run_themed_job(&r->sjob);
	}
	size_t k = opt->topics + EXTRA_TOPICS > EMERGENT_TOPICS ? opt->topics + EXTRA_TOPICS : EMERGENT_TOPICS;
	if (r->n_fit / 5 < 1 || b->m.n_terms < 2)
		return vx_build_list_add(b, &r->messages,
		                         vx_build_fmt(b, "Corpus trop petit pour dégager des sujets : %zu expériences "
		                                         "distinctes avec du vocabulaire commun (il en faut au moins 5).",
		                                      r->n_fit));
	if ((rc = themed_model_run(&r->tm, b, VX_THEME_COMPLAINT, r->proj, r->n_proj, r->resid_fit, r->n_resid_fit,
	                           r->resid, r->n_resid, k)) != 0)
		return rc;
	const vx_topic_model *tm = &r->tm;
	r->n_shown = vx_topics_rank(r->order, tm, b, opt->topics);
	if (r->n_shown >= opt->topics)
		return 0;
	/* Fewer topics recur across the fits than asked, or some are too small. */
	int unstable = tm->consensus.kept > 0 && tm->n_emergent < tm->fit_k && tm->nmf.k < opt->topics;
	const char *why = unstable ? vx_build_fmt(b, "%zu sujet(s) seulement au lieu de %zu : seuls ceux-là se retrouvent "
	                                             "dans au moins %d des %zu ajustements ; les autres changent avec "
	                                             "l'échantillon d'expériences et ne sont pas montrés.",
	                                          r->n_shown, opt->topics, CONSENSUS_MIN_RUNS, tm->consensus.runs)
	                           : vx_build_fmt(b, "%zu sujet(s) seulement au lieu de %zu : les autres regroupaient "
	                                             "moins de %d expériences ou le corpus est trop petit.",
	                                          r->n_shown, opt->topics, MIN_TOPIC_DOCS);
	return vx_build_list_add(b, &r->messages, why);
}

int vx_stage_topics(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	const vx_topic_model *tm = &r->tm;
	int rc;
	note->topics = vx_arena_calloc(b->arena, r->opt.topics, sizeof *note->topics);
	if (note->topics == NULL)
		return VX_ENOMEM;
	for (size_t s = 0; s < r->n_shown; s++)
		if ((rc = vx_topic_fill(&note->topics[s], b, tm, r->order[s], (int)s + 1, r->unique_cur, r->has_trend,
		                        r->prev_den, r->cur_den)) != 0)
			return rc;
	note->n_topics = r->n_shown;
	size_t covered = 0;
	for (size_t q = 0; q < tm->n_rows; q++) {
		if (tm->rows[q] >= b->n_cur)
			continue;
		int in = 0;
		for (size_t s = 0; s < r->n_shown && !in; s++)
			in = tm->member[q * tm->nmf.k + r->order[s]];
		covered += in;
	}
	note->coverage = r->unique_cur ? (double)covered / (double)r->unique_cur : 0;
	return 0;
}
