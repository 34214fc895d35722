/* Consensus of NMF fits (model/consensus.h) and the term refit of model/nmf.h. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/consensus.h"
#include "model/dtm.h"
#include "model/nmf.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/text.h"

#define RUNS 5

/* Three planted themes with no word in common. */
static const char *const themes[3][6] = {
	{"téléphone", "injoignable", "standard", "répondeur", "appel", "attente"},
	{"site", "connexion", "bug", "formulaire", "valider", "mot-de-passe"},
	{"accueil", "agent", "aimable", "souriant", "guichet", "courtois"},
};

typedef struct fixture {
	vx_corpus *corpus;
	vx_text *text;
	vx_dtm m;
	size_t n;
	uint32_t *store;
	uint32_t *samples[RUNS];
	size_t n_samples[RUNS];
	int *theme_of_term; /* per term: the theme of its word, -1 for others */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->n = 240;
	assert_int_equal(vx_corpus_new(&f->corpus), 0);
	for (size_t i = 0; i < f->n; i++) {
		char text[256], id[32];
		size_t g = i % 3;
		snprintf(text, sizeof text, "Le %s puis le %s, encore le %s et %s.", themes[g][i % 6], themes[g][(i / 3) % 6],
		         themes[g][(i / 7) % 6], themes[g][(i + 2) % 6]);
		snprintf(id, sizeof id, "C%zu", i);
		vx_experience e = {0};
		e.id = id;
		e.text = text;
		assert_int_equal(vx_corpus_add(f->corpus, &e), 0);
	}
	size_t *docs = malloc(f->n * sizeof *docs);
	assert_non_null(docs);
	for (size_t i = 0; i < f->n; i++)
		docs[i] = i;
	assert_int_equal(vx_text_new(&f->text), 0);
	assert_int_equal(vx_dtm_build(&f->m, f->corpus, docs, f->n, f->text, 2, 0.9), 0);
	free(docs);
	assert_int_equal(vx_dtm_tfidf(&f->m), 0);
	f->theme_of_term = malloc(f->m.n_terms * sizeof *f->theme_of_term);
	assert_non_null(f->theme_of_term);
	for (size_t t = 0; t < f->m.n_terms; t++) {
		f->theme_of_term[t] = -1;
		for (int g = 0; g < 3; g++)
			for (int w = 0; w < 6; w++)
				if (strcmp(f->m.surface[t], themes[g][w]) == 0)
					f->theme_of_term[t] = g;
	}
	/* Fit r leaves out every fifth row from row r. */
	f->store = malloc(f->n * RUNS * sizeof *f->store);
	assert_non_null(f->store);
	for (size_t r = 0; r < RUNS; r++) {
		f->samples[r] = f->store + r * f->n;
		f->n_samples[r] = 0;
		for (size_t i = 0; i < f->n; i++)
			if (i % RUNS != r)
				f->samples[r][f->n_samples[r]++] = (uint32_t)i;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	free(f->theme_of_term);
	free(f->store);
	vx_dtm_free(&f->m);
	vx_text_free(f->text);
	vx_corpus_free(f->corpus);
	free(f);
	return 0;
}

/* The theme of a topic: the theme holding most of its squared weight, and
 * that share. */
static int theme_of_topic(const fixture *f, const vx_nmf *model, size_t j, double *share)
{
	double mass[3] = {0, 0, 0}, total = 0;
	for (size_t t = 0; t < model->n_terms; t++) {
		double h = (double)model->H[j * model->n_terms + t] * model->H[j * model->n_terms + t];
		total += h;
		if (f->theme_of_term[t] >= 0)
			mass[f->theme_of_term[t]] += h;
	}
	int best = 0;
	for (int g = 1; g < 3; g++)
		if (mass[g] > mass[best])
			best = g;
	*share = total > 0 ? mass[best] / total : 0;
	return best;
}

static void assert_unit_rows(const vx_nmf *model)
{
	for (size_t j = 0; j < model->k; j++) {
		double s = 0;
		for (size_t t = 0; t < model->n_terms; t++)
			s += (double)model->H[j * model->n_terms + t] * model->H[j * model->n_terms + t];
		assert_true(fabs(s - 1.0) < 1e-4);
	}
}

static void test_consensus_keeps_the_planted_themes(void **state)
{
	fixture *f = *state;
	/* More topics per fit than themes: the extra ones split a theme or
	 * catch noise, differently from fit to fit. */
	vx_consensus_options o = {5, 40, 11, 0.5, 4};
	vx_nmf a, b;
	vx_consensus_stats sa, sb;
	assert_int_equal(vx_nmf_fit_consensus(&a, &sa, &f->m, (const uint32_t *const *)f->samples, f->n_samples, RUNS, &o),
	                 0);
	assert_int_equal(vx_nmf_fit_consensus(&b, &sb, &f->m, (const uint32_t *const *)f->samples, f->n_samples, RUNS, &o),
	                 0);
	assert_int_equal(sa.runs, RUNS);
	assert_int_equal(sa.fitted, RUNS * 5);
	assert_true(sa.kept >= 3 && sa.kept <= sa.groups && sa.groups <= sa.fitted);
	assert_int_equal(a.k, sa.kept);
	assert_true(sa.mean_similarity >= o.min_similarity && sa.mean_similarity <= 1.0 + 1e-9);
	/* Deterministic, threads or not. */
	assert_int_equal(b.k, a.k);
	assert_memory_equal(a.H, b.H, a.k * a.n_terms * sizeof *a.H);
	assert_unit_rows(&a);
	/* Every theme has a consensus topic almost entirely its own. */
	int seen[3] = {0, 0, 0};
	for (size_t j = 0; j < a.k; j++) {
		double share;
		int g = theme_of_topic(f, &a, j, &share);
		if (share > 0.95)
			seen[g] = 1;
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	vx_nmf_free(&a);
	vx_nmf_free(&b);
}

static void test_no_group_recurs_gives_the_first_fit(void **state)
{
	fixture *f = *state;
	vx_consensus_options o = {3, 40, 11, 0.5, RUNS + 1}; /* more fits asked than made: nothing is kept */
	vx_nmf c, first;
	vx_consensus_stats s;
	assert_int_equal(vx_nmf_fit_consensus(&c, &s, &f->m, (const uint32_t *const *)f->samples, f->n_samples, RUNS, &o),
	                 0);
	assert_int_equal(s.kept, 0);
	assert_int_equal(vx_nmf_fit(&first, &f->m, f->samples[0], f->n_samples[0], 3, 40, 11), 0);
	vx_nmf_unit_rows(&first);
	assert_int_equal(c.k, first.k);
	assert_memory_equal(c.H, first.H, c.k * c.n_terms * sizeof *c.H);
	vx_nmf_free(&c);
	vx_nmf_free(&first);
}

static void test_bad_arguments(void **state)
{
	fixture *f = *state;
	vx_consensus_options o = {3, 10, 1, 0.5, 1};
	vx_nmf c;
	vx_consensus_stats s;
	assert_int_equal(vx_nmf_fit_consensus(&c, &s, &f->m, (const uint32_t *const *)f->samples, f->n_samples, 0, &o),
	                 VX_EINVAL);
	assert_null(c.H);
	assert_int_equal(vx_nmf_fit_consensus(&c, &s, &f->m, (const uint32_t *const *)f->samples, f->n_samples,
	                                      VX_CONSENSUS_MAX_RUNS + 1, &o),
	                 VX_EINVAL);
	size_t empty[RUNS] = {0};
	assert_int_equal(vx_nmf_fit_consensus(&c, &s, &f->m, (const uint32_t *const *)f->samples, empty, RUNS, &o),
	                 VX_EEMPTY);
	assert_null(c.H);
}

static void test_refit_terms_from_every_document(void **state)
{
	fixture *f = *state;
	vx_nmf model;
	uint32_t *rows = malloc(f->n * sizeof *rows);
	assert_non_null(rows);
	for (size_t i = 0; i < f->n; i++)
		rows[i] = (uint32_t)i;
	/* Fitted on one sample, then refitted from all the documents. */
	assert_int_equal(vx_nmf_fit(&model, &f->m, f->samples[0], f->n_samples[0], 3, 40, 5), 0);
	vx_nmf_unit_rows(&model);
	float *W = malloc(f->n * model.k * sizeof *W);
	assert_non_null(W);
	assert_int_equal(vx_nmf_transform(W, &model, &f->m, rows, f->n, 8), 0);
	assert_int_equal(vx_nmf_refit_terms(&model, &f->m, rows, f->n, W, 2), 0);
	vx_nmf_unit_rows(&model);
	assert_unit_rows(&model);
	int seen[3] = {0, 0, 0};
	for (size_t j = 0; j < model.k; j++) {
		double share;
		int g = theme_of_topic(f, &model, j, &share);
		assert_true(share > 0.95);
		seen[g] = 1;
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	/* A model of another vocabulary is refused, unchanged. */
	vx_nmf other = model;
	other.n_terms = model.n_terms + 1;
	assert_int_equal(vx_nmf_refit_terms(&other, &f->m, rows, f->n, W, 1), VX_EINVAL);
	free(W);
	free(rows);
	vx_nmf_free(&model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consensus_keeps_the_planted_themes),
		cmocka_unit_test(test_no_group_recurs_gives_the_first_fit),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_refit_terms_from_every_document),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
