/*
 * Building the synthesis note: selection, near-duplicates, document-term
 * matrix without administration-naming terms, NMF topics, labels,
 * verbatims, trends, improvement axes and the method section.
 * Every step is deterministic: the same corpus and options give the same
 * note. See docs/synthesis.md.
 */
#include "voix/note.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dedup.h"
#include "model/facets.h"
#include "synthesis/note_internal.h"
#include "synthesis/note_storage.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/file.h"
#include "util/fold.h"
#include "util/rank.h"
#include "util/error.h"
#include "voix/error.h"

#define NMF_SEED 20241201u        /* fixed: the start of the subspace iteration */
#define NMF_ITERATIONS 15        /* per fit: 15, 20 and 30 gave the same quality figures (docs/model.md) */
#define NMF_TRANSFORM_PASSES 8
#define FIT_SAMPLE 5000           /* documents each fit sees (spread over the corpus) */
#define CONSENSUS_RUNS 5          /* fits on different samples; topics most of them find are kept */
#define CONSENSUS_MIN_RUNS 4
#define CONSENSUS_MIN_SIMILARITY 0.5 /* mean cosine of the term vectors grouped as one topic */
#define REFIT_PASSES 2            /* term weights re-estimated from every document (docs/model.md) */
#define REFIT_SAMPLE 100000       /* ... or from this many, evenly spread, beyond */
#define EXTRA_TOPICS 2            /* topics fitted beyond those shown, so small or mixed ones drop out */
#define FIT_MAX_WORDS 60          /* emergent topics are fitted on texts of at most this many content words */
#define FIT_SHORT_MIN_SHARE 0.5   /* ... when they are at least half of the texts */
#define REFERRAL_MAX_WORDS 12     /* a text this short that points to a document says nothing itself */
#define EMERGENT_TOPICS 10       /* topics fitted at least in what no theme covers: with 6, one of them
                                   * gathered a sixth of the Services Publics+ sample under a vague label */
#define MEMBER_RELATIVE 0.5       /* a document belongs to topics within half of its strongest weight */
#define MEMBER_ABSOLUTE 0.10      /* ... and with a weight of at least this (H rows of unit norm): with
                                   * 0.04 every text no theme holds joined an emergent topic, which then
                                   * outnumbered themes stated by explicit expressions */
#define MIN_TOPIC_DOCS 3          /* a topic needs at least this many documents to be shown */
#define MAX_STRENGTHS 3
#define MIN_POSITIVE_DOCS 20      /* below this, no strengths model */
#define MAX_FACETS 5
#define MAX_VERBATIMS 3
#define MIN_TREND_DAYS 14         /* a period shorter than this gives no trend */
#define CONTEXT_MIN_SHARE 0.20    /* below this share of experiences about a service, no axes (see context_words) */

/* What a note owns besides its fields: the arena all its strings and arrays
 * live in, and, while vx_note_build() runs, the caller's progress callback. */
struct note_storage {
	vx_arena arena;
	vx_note_progress_fn progress;
	void *payload;
};

void vx_note_options_init(vx_note_options *o)
{
	memset(o, 0, sizeof *o);
	o->version = VX_NOTE_OPTIONS_VERSION;
	o->topics = VX_NOTE_DEFAULT_TOPICS;
	o->axes = VX_NOTE_DEFAULT_AXES;
	o->min_verbatim_support = VX_NOTE_DEFAULT_MIN_SUPPORT;
	o->terms = VX_NOTE_DEFAULT_TERMS;
}

void vx_note_free(vx_note *n)
{
	if (n == NULL)
		return;
	struct note_storage *s = n->storage;
	if (s) {
		vx_arena_free(&s->arena);
		free(s);
	}
	free(n);
}

int vx_note_new_empty(vx_note **out, vx_arena **arena)
{
	vx_note *note = calloc(1, sizeof *note);
	struct note_storage *storage = calloc(1, sizeof *storage);
	if (note == NULL || storage == NULL) {
		free(note);
		free(storage);
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	vx_arena_init(&storage->arena, 1 << 16);
	note->storage = storage;
	*out = note;
	*arena = &storage->arena;
	return 0;
}

/* Records the wall time since *last as the step name, reports the step's
 * end to the caller's progress callback, and restarts *last. */
static void stage(vx_note *note, const char *name, double *last)
{
	double t = vx_clock_now();
	if (note->n_stages < VX_NOTE_MAX_STAGES) {
		note->stage_names[note->n_stages] = name;
		note->stage_seconds[note->n_stages] = t - *last;
		note->n_stages++;
	}
	struct note_storage *s = note->storage;
	if (s->progress != NULL)
		s->progress(name, 1, 1, s->payload);
	*last = t;
}

static int nonblank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 1;
	return 0;
}

void vx_fr_decimals(char *s)
{
	for (size_t i = 1; s[i] != '\0'; i++)
		if (s[i] == '.' && s[i - 1] >= '0' && s[i - 1] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9')
			s[i] = ',';
}

/* printf into the note's storage, numbers written the French way. */
static const char *fmt(vx_build *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(vx_build *b, const char *f, ...)
{
	vx_buf buf = VX_BUF_INIT;
	va_list ap;
	va_start(ap, f);
	int rc = vx_buf_vprintf(&buf, f, ap);
	va_end(ap);
	char *out = rc ? NULL : vx_arena_strndup(b->arena, buf.data ? buf.data : "", buf.len);
	vx_buf_free(&buf);
	if (out)
		vx_fr_decimals(out);
	return out;
}

/* Growable list of strings in the note's storage. */
typedef struct str_list {
	const char **items;
	size_t n, cap;
} str_list;

static int list_add(vx_build *b, str_list *l, const char *s)
{
	if (s == NULL)
		return VX_ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const char **p = vx_arena_alloc(b->arena, cap * sizeof *p);
		if (p == NULL)
			return VX_ENOMEM;
		if (l->n)
			memcpy(p, l->items, l->n * sizeof *p);
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = s;
	return 0;
}

/* ---- Facet counts --------------------------------------------------- */

typedef struct facet_counter {
	vx_strmap values;
	size_t *count;
	size_t cap;
} facet_counter;

static int facet_add(facet_counter *fc, const char *v)
{
	if (*v == '\0')
		return 0;
	uint32_t id;
	int rc = vx_strmap_intern(&fc->values, v, strlen(v), &id, NULL);
	if (rc)
		return rc;
	if (id >= fc->cap) {
		size_t cap = fc->cap ? fc->cap * 2 : 64;
		while (cap <= id)
			cap *= 2;
		size_t *p = realloc(fc->count, cap * sizeof *p);
		if (p == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory");
		memset(p + fc->cap, 0, (cap - fc->cap) * sizeof *p);
		fc->count = p;
		fc->cap = cap;
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

/* ---- Topic model ---------------------------------------------------- */

static void topic_model_free(vx_topic_model *tm)
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
		topic_model_free(tm);
	return rc;
}

/*
 * A themed model: the codebook's themes of one kind (complaints, or praise)
 * first, then the topics a factorisation finds in what no theme covers.
 *
 * universe: the rows whose memberships are decided (a theme holds every row
 * of the universe where one of its expressions is found); fit / proj: the
 * rows of the universe with no theme, on which emergent topics are fitted
 * and projected (k_emergent topics asked). Theme weights are the number of
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
	topic_model_free(&em);
	free(short_fit);
	free(theme_count);
	free(sel);
	free(mean);
	if (rc)
		topic_model_free(tm);
	return rc;
}

/* The strengths' themed model on its own thread, beside the main one. */
typedef struct themed_job {
	vx_topic_model *tm;
	vx_build *b;
	const uint32_t *universe, *residual;
	size_t n_universe, n_residual, k;
	int rc;
	char error[256];
} themed_job;

static void *run_themed_job(void *arg)
{
	themed_job *job = arg;
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

/* Themes of the codebook of one kind. */
static size_t themes_of_kind(const vx_build *b, int kind)
{
	size_t n = 0;
	for (size_t t = 0; t < b->n_themes; t++)
		n += b->codebook->levers[b->theme_lever[t]].kind == kind;
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

/*
 * Compiles the expressions of the codebook's themes: theme t is the t-th
 * lever with expressions. Errors name the codebook and the line.
 */
static int compile_themes(vx_themes **out, vx_build *b, const vx_codebook *cb, const char *name)
{
	int rc = 0;
	vx_themes *th = NULL;
	b->theme_lever = malloc((cb->n ? cb->n : 1) * sizeof *b->theme_lever);
	b->lever_theme = malloc((cb->n ? cb->n : 1) * sizeof *b->lever_theme);
	if (!b->theme_lever || !b->lever_theme || (rc = vx_themes_new(&th)) != 0) {
		rc = rc ? rc : vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cb->n; i++) {
		const vx_lever *l = &cb->levers[i];
		b->lever_theme[i] = -1;
		if (l->n_exprs == 0)
			continue;
		if (b->n_themes == VX_THEMES_MAX) {
			rc = vx_error_set(VX_EFORMAT, "%s:%zu: au plus %d thèmes avec des expressions", name, l->line,
			                  VX_THEMES_MAX);
			goto done;
		}
		for (size_t e = 0; e < l->n_exprs; e++)
			if ((rc = vx_themes_add(th, b->n_themes, l->exprs[e].text, strlen(l->exprs[e].text),
			                        l->kind == VX_THEME_PRAISE,
			                        b->text)) != 0) {
				rc = vx_error_prefix(rc, "%s:%zu: [%s] ", name, l->exprs[e].line, l->key);
				goto done;
			}
		b->theme_lever[b->n_themes] = (int)i;
		b->lever_theme[i] = (int)b->n_themes;
		b->n_themes++;
	}
done:
	if (rc)
		vx_themes_free(th);
	else
		*out = th;
	return rc;
}

/* Near-duplicate detection on its own thread. */
typedef struct dedup_job {
	uint32_t *rep;
	const vx_dtm *m;
	const vx_corpus *corpus;
	const size_t *docs;
	int rc;
	char error[256];
} dedup_job;

static void *run_dedup_job(void *arg)
{
	dedup_job *job = arg;
	job->rc = vx_dedup_groups(job->rep, job->m, job->corpus, job->docs);
	if (job->rc)
		snprintf(job->error, sizeof job->error, "%s", vx_error_last());
	return NULL;
}

/* ---- Topics ------------------------------------------------------------ */

typedef struct window {
	int64_t from, to;  /* inclusive days; from > to when empty */
} window;

static int in_window(const window *w, int64_t d)
{
	return d != INT64_MIN && d >= w->from && d <= w->to;
}

/* Fills t with topic j of tm: counts over the analysed unique documents. */
static int fill_topic(vx_topic *t, vx_build *b, const vx_topic_model *tm, size_t j, int id, size_t denominator,
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
static size_t rank_topics(size_t *order, const vx_topic_model *tm, const vx_build *b, size_t max)
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

/* ---- Public-service context ------------------------------------------ */

/* Words that mark feedback about a public service: its procedures, files,
 * agents and places. With the institution words (marked terms), they tell
 * a public-service corpus (64 to 79 % of the distinct experiences of the
 * shared Services Publics+ and Pôle emploi data, 28 % of the Grand Débat
 * proposals) from another (10 to 12 % of film reviews). docs/codebook.md. */
static const char context_words[] =
	"administration administratif administrative service services dossier dossiers démarche démarches agent "
	"agents guichet conseiller conseillère conseillers agence accueil rendez-vous rdv courrier formulaire "
	"allocation allocations prestation prestations usager usagers fonctionnaire fonctionnaires téléservice "
	"justificatif justificatifs droits";

static int collect_context(const vx_token *tok, void *payload)
{
	vx_strmap *m = payload;
	uint32_t id;
	if (tok->stop)
		return 0;
	if (tok->folded_len == 6 && memcmp(tok->folded, "rendez", 6) == 0)
		return vx_strmap_intern(m, "rendez-vous", 11, &id, NULL) ? 1 : 0;
	return vx_strmap_intern(m, tok->stem, tok->stem_len, &id, NULL) ? 1 : 0;
}

/* The share of distinct analysed experiences holding a context word or an
 * institution word (terms still in the matrix). */
static int public_service_share(double *share, vx_build *b)
{
	vx_strmap stems;
	vx_strmap_init(&stems);
	unsigned char *is_context = calloc(b->m.n_terms ? b->m.n_terms : 1, 1);
	int rc = is_context ? 0 : vx_error_set(VX_ENOMEM, "out of memory");
	if (rc == 0 && vx_text_tokens(b->text, context_words, sizeof context_words - 1, collect_context, &stems) != 0)
		rc = vx_error_set(VX_ENOMEM, "out of memory");
	if (rc == 0) {
		for (size_t t = 0; t < b->m.n_terms; t++)
			is_context[t] = b->m.key[t][0] == VX_DTM_INSTITUTION_MARK ||
			                vx_strmap_find(&stems, b->m.key[t], strlen(b->m.key[t])) >= 0;
		size_t n = 0, with = 0;
		for (uint32_t r = 0; r < b->n_cur; r++) {
			if (b->rep[r] != r)
				continue;
			n++;
			for (uint32_t p = b->m.row_ptr[r]; p < b->m.row_ptr[r + 1]; p++)
				if (is_context[b->m.col[p]]) {
					with++;
					break;
				}
		}
		*share = n ? (double)with / (double)n : 0;
	}
	free(is_context);
	vx_strmap_free(&stems);
	return rc;
}

/* ---- Feelings ---------------------------------------------------------- */

/*
 * The feeling each row counts with: the export's where it gives one (unless
 * the options ask for the text's everywhere), else the one read from the
 * words (readings NULL: none read, "inconnu" stays). Fills the note's
 * totals over the analysed rows, and how often the reading agrees with
 * the export where both exist.
 */
static int count_feelings(vx_build *b, const vx_feeling_reading *readings)
{
	vx_note *note = b->note;
	b->feel = malloc(b->n_docs ? b->n_docs : 1);
	b->feel_read = calloc(b->n_docs ? b->n_docs : 1, 1);
	b->feel_model = malloc(b->n_docs ? b->n_docs : 1);
	if (b->feel == NULL || b->feel_read == NULL || b->feel_model == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	note->feeling_source = b->opt->feelings;
	for (size_t r = 0; r < b->n_docs; r++) {
		vx_feeling f = vx_corpus_get(b->corpus, b->docs[r])->feeling;
		if (readings && r < b->n_cur && f != VX_FEELING_UNKNOWN) {
			note->feelings_checked++;
			note->feelings_agreed += readings[r].feeling == f;
		}
		if (readings && (f == VX_FEELING_UNKNOWN || b->opt->feelings == VX_FEELINGS_TEXT)) {
			f = readings[r].feeling;
			b->feel_read[r] = 1;
		}
		b->feel[r] = (unsigned char)f;
		b->feel_model[r] = (unsigned char)(b->feel_read[r] && readings[r].confidence < VX_FEELING_CONFIDENT
		                                       ? VX_FEELING_UNKNOWN
		                                       : f);
		if (r < b->n_cur) {
			note->feelings.n[f]++;
			note->feelings.read[f] += b->feel_read[r];
		}
	}
	return 0;
}

/* ---- Method ------------------------------------------------------------ */

/* The method step that says where the feelings come from, and how many. */
static const char *feelings_step(vx_build *b)
{
	const vx_note *n = b->note;
	size_t read = 0;
	for (int f = 0; f < VX_FEELING_COUNT; f++)
		read += n->feelings.read[f];
	size_t exported = n->analysed - read - n->feelings.n[VX_FEELING_UNKNOWN];
	if (n->feeling_source == VX_FEELINGS_EXPORT)
		return fmt(b, "Ressentis : ceux de l'export seul (%zu expériences) ; %zu sans ressenti comptées "
		              "« inconnu ».", exported, n->feelings.n[VX_FEELING_UNKNOWN]);
	const char *rule = "lu dans le titre et le texte avec un lexique d'indices pondérés : une négation (pas, "
	                   "jamais, aucun…) à au plus 3 mots avant un indice, dans la même proposition, l'inverse ; "
	                   "un intensif (très, vraiment…) le renforce de moitié ; les indices avant le dernier "
	                   "« mais » d'un champ comptent pour moitié ; de deux indices qui se chevauchent, le plus "
	                   "long compte ; positif à partir de +1, négatif à partir de -1, neutre entre les deux ou "
	                   "sans indice ; seules les lectures sûres (confiance d'au moins 0,5) envoient une expérience aux points "
	                   "forts ou appuient un axe";
	const char *check = n->feelings_checked
	                        ? fmt(b, " Là où l'export donne un ressenti, la lecture du texte concorde dans %.1f %% "
	                                 "des cas (%zu sur %zu).",
	                              floor(1000.0 * (double)n->feelings_agreed / (double)n->feelings_checked + 0.5) /
	                                  10.0,
	                              n->feelings_agreed, n->feelings_checked)
	                        : "";
	if (check == NULL)
		return NULL;
	if (n->feeling_source == VX_FEELINGS_TEXT)
		return fmt(b, "Ressentis : %s, pour toutes les expériences (%zu), celui de l'export étant ignoré.%s", rule,
		           read, check);
	return fmt(b, "Ressentis : celui de l'export quand il en donne un (%zu expériences) ; sinon %s (%zu "
	              "expériences).%s", exported, rule, read, check);
}

static int add_param(vx_method_param *p, size_t *n, const char *name, const char *value)
{
	if (value == NULL)
		return VX_ENOMEM;
	p[*n].name = name;
	p[*n].value = value;
	(*n)++;
	return 0;
}

/* ---- Build ------------------------------------------------------------- */

int vx_note_build(vx_note **out, const vx_corpus *corpus, const vx_note_options *opts)
{
	int rc = 0;
	double t0 = vx_clock_now(), t_stage = t0;
	vx_note_options opt;
	if (opts)
		opt = *opts;
	else
		vx_note_options_init(&opt);
	if ((rc = vx_note_options_check(&opt)) != 0)
		return rc;
	/* Both valid when set: vx_note_options_check() said so. */
	int64_t since_days = INT64_MIN, until_days = INT64_MAX;
	if (opt.filter.since && *opt.filter.since)
		vx_date_to_days(opt.filter.since, &since_days);
	if (opt.filter.until && *opt.filter.until)
		vx_date_to_days(opt.filter.until, &until_days);

	vx_note *note = NULL;
	vx_arena *arena = NULL;
	int alloc_rc = vx_note_new_empty(&note, &arena);
	vx_build b;
	memset(&b, 0, sizeof b);
	vx_topic_model tm, sm;
	memset(&tm, 0, sizeof tm);
	memset(&sm, 0, sizeof sm);
	vx_codebook cb = {0};
	uint32_t *fit = NULL, *proj = NULL, *pos_rows = NULL;
	size_t *order = NULL;
	unsigned char *drop = NULL;
	str_list steps = {0}, limits = {0}, messages = {0};
	char *cb_text = NULL;
	vx_themes *themes = NULL;
	vx_lexicon *lexicon = NULL;
	vx_feeling_reading *readings = NULL;
	uint32_t *resid = NULL, *resid_fit = NULL;
	themed_job sjob;
	pthread_t sthread;
	int sstarted = 0;
	if (alloc_rc != 0)
		return alloc_rc;
	struct note_storage *storage = note->storage;
	storage->progress = opt.progress;
	storage->payload = opt.payload;
	b.corpus = corpus;
	b.opt = &opt;
	b.note = note;
	b.arena = arena;
	vx_strmap_init(&b.term_map);
	if ((rc = vx_text_new(&b.text)) != 0 || (rc = vx_masker_new(&b.masker)) != 0)
		goto done;
	note->version = VX_VERSION;
	note->filter = opt.filter;
	note->has_members = opt.memberships != 0;
	note->filter.service = opt.filter.service ? vx_arena_strdup(b.arena, opt.filter.service) : NULL;
	note->filter.structure = opt.filter.structure ? vx_arena_strdup(b.arena, opt.filter.structure) : NULL;
	note->filter.channel = opt.filter.channel ? vx_arena_strdup(b.arena, opt.filter.channel) : NULL;
	note->filter.since = opt.filter.since ? vx_arena_strdup(b.arena, opt.filter.since) : NULL;
	note->filter.until = opt.filter.until ? vx_arena_strdup(b.arena, opt.filter.until) : NULL;

	/* Sources, copied so the note does not borrow from the corpus. */
	note->n_sources = vx_corpus_source_count(corpus);
	vx_source *src = vx_arena_calloc(b.arena, note->n_sources ? note->n_sources : 1, sizeof *src);
	if (src == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < note->n_sources; i++) {
		src[i] = *vx_corpus_source(corpus, i);
		src[i].path = vx_arena_strdup(b.arena, src[i].path);
		src[i].format = vx_arena_strdup(b.arena, src[i].format);
		src[i].encoding = vx_arena_strdup(b.arena, src[i].encoding);
	}
	note->sources = src;

	/* 1. Selection. */
	size_t n = vx_corpus_count(corpus), rejected = vx_corpus_reject_count(corpus);
	size_t out_of_filter = 0, empty = 0;
	note->read = n + rejected;
	b.docs = malloc((n ? n : 1) * sizeof *b.docs);
	b.day = malloc((n ? n : 1) * sizeof *b.day);
	if (b.docs == NULL || b.day == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory for %zu experiences", n);
		goto done;
	}
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		const vx_experience *e = vx_corpus_get(corpus, i);
		if (!vx_filter_match(&opt.filter, e)) {
			out_of_filter++;
			continue;
		}
		if (!nonblank(e->text)) {
			empty++;
			continue;
		}
		int64_t d;
		b.day[b.n_docs] = vx_date_to_days(e->date, &d) == 0 ? d : INT64_MIN;
		if (b.day[b.n_docs] != INT64_MIN) {
			if (d < first)
				first = d;
			if (d > last)
				last = d;
		}
		b.docs[b.n_docs++] = i;
	}
	b.n_cur = b.n_docs;
	note->analysed = b.n_cur;
	size_t n_excl = (rejected > 0) + (out_of_filter > 0) + (empty > 0);
	note->excluded = vx_arena_calloc(b.arena, n_excl ? n_excl : 1, sizeof *note->excluded);
	if (note->excluded == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	if (rejected)
		note->excluded[note->n_excluded++] = (vx_excluded){"illisible (rejetée à la lecture)", rejected};
	if (out_of_filter)
		note->excluded[note->n_excluded++] = (vx_excluded){"hors filtre", out_of_filter};
	if (empty)
		note->excluded[note->n_excluded++] = (vx_excluded){"texte vide", empty};
	if (b.n_cur == 0) {
		rc = n == 0 ? vx_error_set(VX_EEMPTY, "no experience to analyse: the input holds no readable row")
		            : out_of_filter == n ? vx_error_set(VX_EEMPTY, "no experience matches the filters "
		                                                          "(%zu read, all outside the selection)", n)
		                                 : vx_error_set(VX_EEMPTY, "no experience with text to analyse");
		goto done;
	}
	char dbuf[11];
	if (first != INT64_MAX) {
		vx_date_from_days(dbuf, first);
		note->period_from = vx_arena_strdup(b.arena, dbuf);
		vx_date_from_days(dbuf, last);
		note->period_to = vx_arena_strdup(b.arena, dbuf);
	} else
		note->period_from = note->period_to = "";

	/* 2. Trend windows: the selection against the previous window of equal
	 * length when dates are filtered, otherwise the two halves. */
	window prev = {1, 0}, cur = {1, 0};
	int has_trend = 0;
	int date_filter = since_days != INT64_MIN || until_days != INT64_MAX;
	if (first != INT64_MAX) {
		if (date_filter) {
			cur.from = since_days != INT64_MIN ? since_days : first;
			cur.to = until_days != INT64_MAX ? until_days : last;
			int64_t len = cur.to - cur.from + 1;
			prev.from = cur.from - len;
			prev.to = cur.from - 1;
			/* Add the previous window's experiences (same facet filters). */
			vx_filter nodates = opt.filter;
			nodates.since = nodates.until = NULL;
			for (size_t i = 0; i < n; i++) {
				const vx_experience *e = vx_corpus_get(corpus, i);
				int64_t d;
				if (vx_date_to_days(e->date, &d) != 0 || d < prev.from || d > prev.to || !nonblank(e->text) ||
				    !vx_filter_match(&nodates, e))
					continue;
				size_t *nd = realloc(b.docs, (b.n_docs + 1) * sizeof *nd);
				int64_t *ny = nd ? realloc(b.day, (b.n_docs + 1) * sizeof *ny) : NULL;
				if (nd)
					b.docs = nd;
				if (ny)
					b.day = ny;
				if (!nd || !ny) {
					rc = vx_error_set(VX_ENOMEM, "out of memory");
					goto done;
				}
				b.docs[b.n_docs] = i;
				b.day[b.n_docs++] = d;
			}
			has_trend = b.n_docs > b.n_cur && len >= MIN_TREND_DAYS;
		} else if (last - first + 1 >= 2 * MIN_TREND_DAYS) {
			int64_t mid = first + (last - first + 1) / 2;
			prev = (window){first, mid - 1};
			cur = (window){mid, last};
			has_trend = 1;
		}
	}
	/* The codebook: its themes are found while the matrix is built, its
	 * levers word the axes. */
	const char *cb_name = opt.codebook_path ? opt.codebook_path : "codebook intégré";
	if (opt.codebook_path) {
		size_t len = 0;
		if ((rc = vx_file_read(&cb_text, &len, opt.codebook_path, 1 << 20)) != 0 ||
		    (rc = vx_codebook_parse(&cb, cb_text, len, opt.codebook_path)) != 0)
			goto done;
	} else if ((rc = vx_codebook_parse(&cb, vx_codebook_builtin(), strlen(vx_codebook_builtin()), cb_name)) != 0)
		goto done;
	b.codebook = &cb;
	if ((rc = compile_themes(&themes, &b, &cb, cb_name)) != 0)
		goto done;
	b.theme_hits = calloc((b.n_docs ? b.n_docs : 1) * (b.n_themes ? b.n_themes : 1), 1);
	/* The lexicon reads feelings (unless only the export's count) and
	 * tells complaints from praise in the verbatims (always). */
	if ((rc = vx_lexicon_load(&lexicon, opt.lexicon_path)) != 0)
		goto done;
	const vx_lexicon *read_lexicon = opt.feelings != VX_FEELINGS_EXPORT ? lexicon : NULL;
	b.themes = themes;
	b.quote_lexicon = lexicon;
	if (read_lexicon && (readings = calloc(b.n_docs ? b.n_docs : 1, sizeof *readings)) == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	if (b.theme_hits == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	stage(note, "selection", &t_stage);
	/* 3. Document-term matrix (and themes), near-duplicates, administration terms. */
	uint32_t min_df = b.n_docs < 2000 ? 2 : b.n_docs < 20000 ? 3 : 5;
	vx_dtm_scan scan = {themes, b.theme_hits, read_lexicon, readings};
	if ((rc = vx_dtm_build_scan(&b.m, corpus, b.docs, b.n_docs, b.text, min_df, 0.5, 0, &scan)) != 0 ||
	    (rc = count_feelings(&b, readings)) != 0)
		goto done;
	stage(note, "matrix", &t_stage);
	b.rep = malloc(b.n_docs * sizeof *b.rep);
	b.copies = calloc(b.n_docs, sizeof *b.copies);
	drop = calloc(b.m.n_terms ? b.m.n_terms : 1, 1);
	if (!b.rep || !b.copies || !drop) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	/* Near-duplicates on another thread while the institution terms are
	 * flagged here: both only read the matrix and the corpus. */
	dedup_job djob = {b.rep, &b.m, corpus, b.docs, 0, ""};
	pthread_t dthread;
	int dstarted = pthread_create(&dthread, NULL, run_dedup_job, &djob) == 0;
	if (!dstarted)
		run_dedup_job(&djob);
	size_t terms_before = b.m.n_terms;
	vx_facet_report fr = {0};
	if (!opt.keep_institution_terms)
		rc = vx_facets_flag_terms(drop, &b.m, corpus, b.docs, b.text, &fr);
	if (dstarted)
		pthread_join(dthread, NULL);
	if (rc == 0 && djob.rc)
		rc = vx_error_set(djob.rc, "%s", djob.error);
	if (rc)
		goto done;
	/* How many distinct experiences speak of a service, a procedure or an
	 * agent, before the institution terms leave the matrix. */
	double context_share = 0;
	if ((rc = public_service_share(&context_share, &b)) != 0 ||
	    (!opt.keep_institution_terms && (rc = vx_dtm_drop_terms(&b.m, drop)) != 0))
		goto done;
	size_t unique_cur = 0, unique_prev = 0, unique_pos = 0;
	for (size_t r = 0; r < b.n_docs; r++) {
		b.copies[b.rep[r]]++;
		if (b.rep[r] == r) {
			if (r < b.n_cur) {
				unique_cur++;
				unique_pos += vx_row_model_feeling(&b, r) == VX_FEELING_POSITIVE;
			} else
				unique_prev++;
		}
	}
	for (size_t r = 0; r < b.n_cur; r++)
		note->duplicates += b.rep[r] != r;
	/* Trend windows count distinct experiences within each window: a copy
	 * counts in its window when no earlier copy of it is there. */
	size_t prev_den = 0, cur_den = 0;
	if (has_trend) {
		b.win = calloc(b.n_docs, 1);
		unsigned char *seen = calloc(b.n_docs, 1);
		if (b.win == NULL || seen == NULL) {
			free(seen);
			rc = vx_error_set(VX_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t r = 0; r < b.n_docs; r++) {
			unsigned char bit = in_window(&prev, b.day[r]) ? 1 : r < b.n_cur && in_window(&cur, b.day[r]) ? 2 : 0;
			if (bit == 0 || (seen[b.rep[r]] & bit))
				continue;
			seen[b.rep[r]] |= bit;
			b.win[r] = bit;
			prev_den += bit == 1;
			cur_den += bit == 2;
		}
		free(seen);
		has_trend = prev_den > 0 && cur_den > 0;
	}
	if (has_trend) {
		vx_date_from_days(dbuf, prev.from);
		note->trend_previous_from = vx_arena_strdup(b.arena, dbuf);
		vx_date_from_days(dbuf, prev.to);
		note->trend_previous_to = vx_arena_strdup(b.arena, dbuf);
		vx_date_from_days(dbuf, cur.from);
		note->trend_current_from = vx_arena_strdup(b.arena, dbuf);
		vx_date_from_days(dbuf, cur.to);
		note->trend_current_to = vx_arena_strdup(b.arena, dbuf);
	} else
		note->trend_previous_from = note->trend_previous_to = note->trend_current_from =
			note->trend_current_to = "";


	stage(note, "duplicates_terms", &t_stage);
	if ((rc = vx_dtm_tfidf(&b.m)) != 0 || (rc = vx_units_term_map(&b.term_map, &b.m)) != 0)
		goto done;

	stage(note, "weights", &t_stage);
	/* 4. Topics on the unique analysed experiences. */
	fit = malloc((b.n_docs ? b.n_docs : 1) * sizeof *fit);
	proj = malloc((b.n_docs ? b.n_docs : 1) * sizeof *proj);
	pos_rows = malloc((b.n_docs ? b.n_docs : 1) * sizeof *pos_rows);
	/* rank_topics writes every candidate before it keeps the largest: each
	 * list holds the themes and the emergent topics of one model. */
	size_t order_cap = VX_THEMES_MAX + opt.topics + EXTRA_TOPICS + MAX_STRENGTHS + 4;
	order = malloc(2 * order_cap * sizeof *order);
	if (!fit || !proj || !pos_rows || !order) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t n_fit = 0, n_proj = 0, n_pos = 0, referrals = 0;
	for (uint32_t r = 0; r < b.n_docs; r++) {
		if (b.rep[r] != r)
			continue;
		proj[n_proj++] = r;
		if (r < b.n_cur && b.m.row_ptr[r + 1] > b.m.row_ptr[r]) {
			fit[n_fit++] = r;
			if (vx_row_model_feeling(&b, r) == VX_FEELING_POSITIVE)
				pos_rows[n_pos++] = r;
		}
	}
	/* What no theme covers: the rows emergent topics are fitted on. The
	 * main topics' are the non-positive rows with no complaint theme (praise
	 * has its own section); the strengths' the positive rows with no praise
	 * theme. */
	resid = malloc((n_proj + n_pos + 1) * sizeof *resid);
	resid_fit = malloc((n_fit + 1) * sizeof *resid_fit);
	if (!resid || !resid_fit) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t n_resid = 0, n_resid_fit = 0, n_resid_pos = 0;
	for (size_t q = 0; q < n_proj; q++)
		if (left_to_emergent(&b, proj[q]))
			resid[n_resid++] = proj[q];
	for (size_t q = 0; q < n_fit; q++) {
		referrals += fit[q] < b.n_cur && is_referral(&b, fit[q]);
		if (left_to_emergent(&b, fit[q]))
			resid_fit[n_resid_fit++] = fit[q];
	}
	uint32_t *resid_pos = resid + n_resid;
	for (size_t q = 0; q < n_pos; q++)
		if (!has_theme(&b, pos_rows[q], VX_THEME_PRAISE) && !is_referral(&b, pos_rows[q]))
			resid_pos[n_resid_pos++] = pos_rows[q];
	/* The strengths model starts now on another thread. */
	sjob = (themed_job){&sm, &b, pos_rows, resid_pos, n_pos, n_resid_pos, MAX_STRENGTHS + 2, 0, ""};
	if (n_pos >= MIN_POSITIVE_DOCS) {
		sstarted = pthread_create(&sthread, NULL, run_themed_job, &sjob) == 0;
		if (!sstarted)
			run_themed_job(&sjob);
	}
	size_t k = opt.topics + EXTRA_TOPICS > EMERGENT_TOPICS ? opt.topics + EXTRA_TOPICS : EMERGENT_TOPICS;
	size_t n_shown = 0;
	if (n_fit / 5 < 1 || b.m.n_terms < 2) {
		if ((rc = list_add(&b, &messages,
		                   fmt(&b, "Corpus trop petit pour dégager des sujets : %zu expériences distinctes avec "
		                           "du vocabulaire commun (il en faut au moins 5).", n_fit))) != 0)
			goto done;
	} else {
		if ((rc = themed_model_run(&tm, &b, VX_THEME_COMPLAINT, proj, n_proj, resid_fit, n_resid_fit, resid, n_resid, k)) != 0)
			goto done;
		n_shown = rank_topics(order, &tm, &b, opt.topics);
		if (n_shown < opt.topics) {
			/* Fewer topics recur across the fits than asked, or some are too small. */
			int unstable = tm.consensus.kept > 0 && tm.n_emergent < tm.fit_k && tm.nmf.k < opt.topics;
			const char *why =
			    unstable ? fmt(&b, "%zu sujet(s) seulement au lieu de %zu : seuls ceux-là se retrouvent dans au "
			                       "moins %d des %zu ajustements ; les autres changent avec l'échantillon "
			                       "d'expériences et ne sont pas montrés.",
			                   n_shown, opt.topics, CONSENSUS_MIN_RUNS, tm.consensus.runs)
			             : fmt(&b, "%zu sujet(s) seulement au lieu de %zu : les autres regroupaient moins de %d "
			                       "expériences ou le corpus est trop petit.",
			                   n_shown, opt.topics, MIN_TOPIC_DOCS);
			if ((rc = list_add(&b, &messages, why)) != 0)
				goto done;
		}
	}
	stage(note, "topic_model", &t_stage);
	note->topics = vx_arena_calloc(b.arena, opt.topics, sizeof *note->topics);
	if (note->topics == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	size_t covered = 0;
	for (size_t s = 0; s < n_shown; s++)
		if ((rc = fill_topic(&note->topics[s], &b, &tm, order[s], (int)s + 1, unique_cur, has_trend, prev_den,
		                     cur_den)) != 0)
			goto done;
	note->n_topics = n_shown;
	for (size_t r = 0; r < tm.n_rows; r++) {
		if (tm.rows[r] >= b.n_cur)
			continue;
		int in = 0;
		for (size_t s = 0; s < n_shown && !in; s++)
			in = tm.member[r * tm.nmf.k + order[s]];
		covered += in;
	}
	note->coverage = unique_cur ? (double)covered / (double)unique_cur : 0;

	stage(note, "topics", &t_stage);
	/* 5. Strengths: topics of the positive experiences. */
	note->strengths = vx_arena_calloc(b.arena, MAX_STRENGTHS, sizeof *note->strengths);
	if (note->strengths == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	if (sstarted) {
		pthread_join(sthread, NULL);
		sstarted = 0;
	}
	if (n_pos >= MIN_POSITIVE_DOCS) {
		if (sjob.rc) {
			rc = vx_error_set(sjob.rc, "%s", sjob.error);
			goto done;
		}
		size_t n_str = rank_topics(order + order_cap, &sm, &b, MAX_STRENGTHS);
		for (size_t s = 0; s < n_str; s++)
			if ((rc = fill_topic(&note->strengths[s], &b, &sm, order[order_cap + s], (int)s + 1,
			                     unique_pos, 0, 0, 0)) != 0)
				goto done;
		note->n_strengths = n_str;
	} else if ((rc = list_add(&b, &messages,
	                          fmt(&b, "Points forts non dégagés : %zu expériences positives distinctes (il en faut au "
	                                  "moins %d).", n_pos, MIN_POSITIVE_DOCS))) != 0)
		goto done;

	stage(note, "strengths", &t_stage);
	/* 6. Improvement axes from the codebook. */
	if (context_share < CONTEXT_MIN_SHARE) {
		/* Levers of public service on feedback about something else would be
		 * claims the data does not support. */
		if ((rc = list_add(&b, &messages,
		                   fmt(&b, "Axes d'amélioration non proposés : %.1f %% seulement des expériences distinctes "
		                           "parlent d'un service, d'une démarche, d'un dossier ou d'un agent (seuil : %.0f %%) ; "
		                           "ces textes ne ressemblent pas à des retours sur un service public.",
		                       context_share * 100, CONTEXT_MIN_SHARE * 100))) != 0)
			goto done;
	} else if ((rc = vx_axes_build(&b, &cb, &tm, order, n_shown)) != 0)
		goto done;
	else if (note->n_axes < 4 && note->n_axes < opt.axes &&
	    (rc = list_add(&b, &messages,
	                   fmt(&b, "%zu axe(s) d'amélioration seulement : les autres leviers du référentiel ne sont pas "
	                           "appuyés par assez d'expériences négatives.", note->n_axes))) != 0)
		goto done;

	stage(note, "axes", &t_stage);
	/* 7. Method and limits. */
	if ((rc = list_add(&b, &steps, fmt(&b, "Lecture : %zu lignes lues, %zu rejetées à la lecture.", note->read,
	                                   rejected))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Sélection : %zu expériences analysées (filtres appliqués, textes "
	                                       "vides écartés).", note->analysed))) != 0 ||
	    (rc = list_add(&b, &steps, feelings_step(&b))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Quasi-doublons : textes identiques après normalisation, ou partageant "
	                                       "leurs %d termes les plus rares avec au moins %.0f %% de termes communs, "
	                                       "ou de même squelette (consonnes hors « c » et chiffres, sans accents "
	                                       "ni voyelles : « déplacer », « deplacer » et « d?placer » donnent "
	                                       "« dplr »), le plus court (%d caractères au moins) retrouvé dans le "
	                                       "plus long pour au moins %.0f %% de ses suites de %d caractères, sans "
	                                       "trou de plus de %d, et commençant de même (copie tronquée) ou long "
	                                       "d'au moins %.0f %% de l'autre ; la première copie représente le "
	                                       "groupe ; %zu copies comptées une seule fois.", VX_DEDUP_RARE_TERMS,
	                                   VX_DEDUP_JACCARD * 100, VX_DEDUP_MIN_SKELETON, VX_DEDUP_CONTAINMENT * 100,
	                                   VX_DEDUP_SHINGLE, VX_DEDUP_MAX_GAP, VX_DEDUP_SIMILAR_LENGTH * 100,
	                                   note->duplicates))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Texte : réparation des caractères C1 (Windows-1252), minuscules, "
	                                       "accents retirés, élisions (l', d', qu'…), mots vides, racinisation "
	                                       "Snowball (français), mots composés à trait d'union conservés."))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Vocabulaire : %zu termes présents dans au moins %u expériences et au "
	                                       "plus la moitié ; %zu termes qui nomment l'administration plutôt que "
	                                       "l'expérience écartés (lexique %zu, noms de services et structures %zu, "
	                                       "concentration sur un service ou une structure %zu).",
	                                   b.m.n_terms, min_df, terms_before - b.m.n_terms, fr.lexicon, fr.label,
	                                   fr.concentrated))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Thèmes du référentiel : %zu thèmes de plaintes et %zu de points forts, "
	                                       "chacun repéré par des expressions cherchées dans le titre et le texte "
	                                       "(casse et accents ignorés, jusqu'à %d mots d'écart) ; une expérience "
	                                       "relève d'un thème dès qu'une de ses expressions s'y trouve ; une "
	                                       "expression de point fort précédée d'une négation (pas, peu, jamais, "
	                                       "sans…) à moins de %d mots n'est pas comptée.",
	                                   themes_of_kind(&b, VX_THEME_COMPLAINT), themes_of_kind(&b, VX_THEME_PRAISE),
	                                   VX_THEME_GAP_MAX, VX_THEME_NEG_WINDOW))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Renvois : %zu expériences d'au plus %d mots ne font que renvoyer à un "
	                                       "document joint ; comptées dans le total, elles ne relèvent d'aucun sujet.",
	                                   referrals, REFERRAL_MAX_WORDS))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Sujets émergents : sur les %zu expériences distinctes non positives "
	                                       "qu'aucun thème de plainte ne couvre, factorisation en matrices non "
	                                       "négatives (NMF) de la matrice TF-IDF, départ déterministe NNDSVDa, %d "
	                                       "itérations HALS ; %zu ajustements de %zu sujets, chacun sur un "
	                                       "échantillon différent de %zu expériences (de préférence celles d'au plus "
	                                       "%d mots) ; %zu sujets retrouvés par au moins %d ajustements (similarité "
	                                       "moyenne %.2f) retenus.",
	                                   n_resid_fit, NMF_ITERATIONS, tm.consensus.runs, tm.fit_k, tm.fit_rows,
	                                   FIT_MAX_WORDS, tm.n_emergent, CONSENSUS_MIN_RUNS,
	                                   tm.consensus.mean_similarity))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Sujets montrés : les %zu plus fréquents des thèmes (d'au moins %d "
	                                       "expériences) et des sujets émergents ; une expérience peut relever de "
	                                       "plusieurs sujets.",
	                                   n_shown, MIN_TOPIC_DOCS))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Points forts : même méthode sur les seules expériences positives, avec "
	                                       "les thèmes de points forts."))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Verbatims : phrases exactes de 40 à 300 caractères, tirées des "
	                                       "expériences les plus typiques de chaque sujet : de préférence celle qui "
	                                       "porte l'expression du thème et dit la plainte (l'éloge pour un point "
	                                       "fort) avec les mots du lexique des ressentis, plutôt que le récit qui "
	                                       "la précède ; différentes entre elles, données personnelles masquées."))) != 0 ||
	    (rc = list_add(&b, &steps, fmt(&b, "Axes : leviers du référentiel (%zu leviers) retenus quand assez "
	                                       "d'expériences négatives distinctes relèvent de leur thème (les mêmes appartenances que les "
	                                       "sujets ; les leviers sans expressions : leurs mots-signaux).",
	                                   cb.n))) != 0)
		goto done;
	if ((rc = list_add(&b, &limits, fmt(&b, "Les usagers choisissent de témoigner : les effectifs décrivent les "
	                                        "expériences reçues, pas l'ensemble des usagers ; ce n'est pas une "
	                                        "enquête représentative."))) != 0 ||
	    (rc = list_add(&b, &limits, fmt(&b, "Les thèmes sont repérés par des expressions : une expérience qui "
	                                        "décrit le problème en d'autres mots n'y est pas comptée, et une "
	                                        "expression peut s'y trouver dans un autre sens. Les sujets émergents "
	                                        "sont extraits sans supervision : leurs intitulés sont les expressions "
	                                        "les plus fréquentes des usagers, pas une classification validée."))) !=
	        0 ||
	    (note->feeling_source != VX_FEELINGS_EXPORT &&
	     (rc = list_add(&b, &limits, fmt(&b, "Les ressentis lus dans le texte viennent d'indices écrits "
	                                         "(mots et expressions pondérés) : l'ironie, le sarcasme et un "
	                                         "ressenti exprimé sans aucun de ces mots ne sont pas lus ; un "
	                                         "texte sans indice est compté neutre."))) != 0) ||
	    (rc = list_add(&b, &limits, fmt(&b, "Une expérience peut relever de plusieurs sujets : les parts ne "
	                                        "s'additionnent pas. %.1f %% des expériences distinctes relèvent d'au "
	                                        "moins un sujet montré.", note->coverage * 100))) != 0 ||
	    (rc = list_add(&b, &limits, fmt(&b, "Les axes d'amélioration sont tirés d'un référentiel de leviers "
	                                        "modifiable ; ils indiquent où porte la demande des usagers, pas le "
	                                        "coût ni la faisabilité des actions."))) != 0 ||
	    (rc = list_add(&b, &limits, fmt(&b, "Les sujets de moins de %zu expériences sont montrés sans verbatim "
	                                        "pour que personne ne puisse être reconnu.", opt.min_verbatim_support))) !=
	        0)
		goto done;
	note->steps = steps.items;
	note->n_steps = steps.n;
	note->limits = limits.items;
	note->n_limits = limits.n;
	note->messages = messages.items;
	note->n_messages = messages.n;
	vx_method_param *params = vx_arena_calloc(b.arena, 20, sizeof *params);
	if (params == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	size_t np = 0;
	if ((rc = add_param(params, &np, "sujets", fmt(&b, "%zu", opt.topics))) != 0 ||
	    (rc = add_param(params, &np, "axes_max", fmt(&b, "%zu", opt.axes))) != 0 ||
	    (rc = add_param(params, &np, "sujets_ajustes", fmt(&b, "%zu", tm.nmf.k))) != 0 ||
	    (rc = add_param(params, &np, "graine", fmt(&b, "%u", NMF_SEED))) != 0 ||
	    (rc = add_param(params, &np, "iterations", fmt(&b, "%d", NMF_ITERATIONS))) != 0 ||
	    (rc = add_param(params, &np, "echantillon_ajustement", fmt(&b, "%d", FIT_SAMPLE))) != 0 ||
	    (rc = add_param(params, &np, "frequence_document_min", fmt(&b, "%u", min_df))) != 0 ||
	    (rc = add_param(params, &np, "frequence_document_max", fmt(&b, "50 %%"))) != 0 ||
	    (rc = add_param(params, &np, "themes_referentiel", fmt(&b, "%zu", b.n_themes))) != 0 ||
	    (rc = add_param(params, &np, "appartenance", fmt(&b, "thème : une expression ; sujet émergent : poids >= %.2f et >= %.0f %% du poids maximal",
	                                                         MEMBER_ABSOLUTE, MEMBER_RELATIVE * 100))) != 0 ||
	    (rc = add_param(params, &np, "seuil_verbatims", fmt(&b, "%zu", opt.min_verbatim_support))) != 0 ||
	    (rc = add_param(params, &np, "referentiel", opt.codebook_path ? opt.codebook_path : "intégré")) != 0 ||
	    (rc = add_param(params, &np, "ressentis", opt.feelings == VX_FEELINGS_EXPORT ? "export"
	                                              : opt.feelings == VX_FEELINGS_TEXT ? "texte"
	                                                                                 : "export, sinon texte")) != 0 ||
	    (rc = add_param(params, &np, "lexique_ressentis",
	                    opt.feelings == VX_FEELINGS_EXPORT ? "aucun"
	                    : opt.lexicon_path                 ? opt.lexicon_path
	                                                       : "intégré")) != 0 ||
	    (rc = add_param(params, &np, "part_contexte_service_public", fmt(&b, "%.1f %%", context_share * 100))) !=
	        0 ||
	    (rc = add_param(params, &np, "termes_institutionnels",
	                    opt.keep_institution_terms ? "conservés" : "écartés")) != 0)
		goto done;
	note->params = params;
	note->n_params = np;
	/* Names and ids are shown too: masked like the texts. */
	if ((rc = vx_note_mask_fields(&b)) != 0)
		goto done;
	note->seconds = vx_clock_now() - t0;
	note->peak_rss_kb = vx_clock_peak_rss_kb();
done:
	if (sstarted)
		pthread_join(sthread, NULL);
	topic_model_free(&tm);
	topic_model_free(&sm);
	vx_verbatims_free(&b);
	vx_themes_free(themes);
	vx_lexicon_free(lexicon);
	free(readings);
	free(b.feel);
	free(b.feel_read);
	free(b.feel_model);
	free(b.theme_hits);
	free(b.theme_lever);
	free(b.lever_theme);
	free(resid);
	free(resid_fit);
	vx_codebook_free(&cb);
	free(cb_text);
	free(fit);
	free(proj);
	free(pos_rows);
	free(order);
	free(drop);
	free(b.docs);
	free(b.day);
	free(b.rep);
	free(b.copies);
	free(b.win);
	vx_dtm_free(&b.m);
	vx_strmap_free(&b.term_map);
	vx_units_free(&b.units);
	vx_text_free(b.text);
	vx_masker_free(b.masker);
	if (rc) {
		vx_note_free(note);
		return rc;
	}
	*out = note;
	return 0;
}
