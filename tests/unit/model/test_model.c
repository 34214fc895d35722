/* The topic model: document-term matrix, near-duplicates, administration
 * terms and NMF, on small invented corpora. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/dedup.h"
#include "model/dtm.h"
#include "model/facets.h"
#include "model/nmf.h"
#include "voix/corpus.h"
#include "voix/text.h"

/* Three vocabularies with nothing in common: a model with 3 topics must
 * find one per group. */
static const char *const groups[3][6] = {
	{"téléphone", "injoignable", "standard", "répondeur", "appel", "attente"},
	{"site", "connexion", "bug", "formulaire", "valider", "mot-de-passe"},
	{"accueil", "agent", "aimable", "souriant", "guichet", "courtois"},
};

static vx_corpus *make_corpus(size_t n, int with_service)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	for (size_t i = 0; i < n; i++) {
		char text[256], id[32];
		size_t g = i % 3;
		snprintf(text, sizeof text, "Le %s puis le %s et encore le %s, vraiment %s.", groups[g][i % 6],
		         groups[g][(i / 3) % 6], groups[g][(i / 7) % 6], groups[g][(i + 2) % 6]);
		snprintf(id, sizeof id, "E%zu", i);
		vx_experience e = {0};
		e.id = id;
		e.text = text;
		e.feeling = i % 2 ? VX_FEELING_NEGATIVE : VX_FEELING_POSITIVE;
		e.service = with_service ? (g == 0 ? "CAF" : "Préfecture") : "";
		assert_int_equal(vx_corpus_add(c, &e), 0);
	}
	return c;
}

static size_t *all_docs(size_t n)
{
	size_t *d = malloc(n * sizeof *d);
	assert_non_null(d);
	for (size_t i = 0; i < n; i++)
		d[i] = i;
	return d;
}

static void test_threads_do_not_change_the_matrix(void **state)
{
	(void)state;
	size_t n = 5000;
	vx_corpus *c = make_corpus(n, 0);
	size_t *docs = all_docs(n);
	vx_text *t1 = NULL, *t2 = NULL;
	assert_int_equal(vx_text_new(&t1), 0);
	assert_int_equal(vx_text_new(&t2), 0);
	vx_dtm a, b;
	assert_int_equal(vx_dtm_build_parts(&a, c, docs, n, t1, 2, 0.9, 1), 0);
	assert_int_equal(vx_dtm_build_parts(&b, c, docs, n, t2, 2, 0.9, 2), 0);
	assert_int_equal(a.n_terms, b.n_terms);
	assert_true(a.n_terms > 10);
	for (size_t t = 0; t < a.n_terms; t++) {
		assert_string_equal(a.key[t], b.key[t]);
		assert_string_equal(a.surface[t], b.surface[t]);
		assert_int_equal(a.df[t], b.df[t]);
	}
	assert_memory_equal(a.row_ptr, b.row_ptr, (n + 1) * sizeof *a.row_ptr);
	assert_memory_equal(a.col, b.col, a.row_ptr[n] * sizeof *a.col);
	assert_memory_equal(a.doc_sig, b.doc_sig, n * sizeof *a.doc_sig);
	vx_dtm_free(&a);
	vx_dtm_free(&b);
	vx_text_free(t1);
	vx_text_free(t2);
	free(docs);
	vx_corpus_free(c);
}

static int64_t term_of(const vx_dtm *m, const char *key)
{
	for (size_t t = 0; t < m->n_terms; t++)
		if (strcmp(m->key[t], key) == 0)
			return (int64_t)t;
	return -1;
}

static void test_compounds_surfaces_and_stop_words(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	const char *texts[] = {
		"Rendez-vous annulé deux fois, super.",
		"Impossible d'avoir un rendez vous, annulés sans prévenir.",
		"RDV annulé, bonjour merci cordialement.",
	};
	for (size_t i = 0; i < 3; i++) {
		vx_experience e = {0};
		e.id = "x";
		e.text = texts[i];
		assert_int_equal(vx_corpus_add(c, &e), 0);
	}
	size_t docs[3] = {0, 1, 2};
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_dtm m;
	assert_int_equal(vx_dtm_build(&m, c, docs, 3, t, 1, 1.0), 0);
	int64_t rdv = term_of(&m, "rendez-vous");
	assert_true(rdv >= 0);
	assert_int_equal(m.df[rdv], 3); /* hyphen, space and "rdv" are one term */
	assert_string_equal(m.surface[rdv], "rendez-vous");
	int64_t annul = term_of(&m, "annul");
	assert_true(annul >= 0);
	assert_int_equal(m.df[annul], 3);
	assert_string_equal(m.surface[annul], "annulé"); /* the most frequent written form */
	/* Greetings, verdicts and number words are not terms. */
	assert_true(term_of(&m, "bonjour") < 0);
	assert_true(term_of(&m, "sup") < 0 && term_of(&m, "super") < 0);
	assert_true(term_of(&m, "deux") < 0);
	assert_true(vx_dtm_is_domain_stopword("cordialement", 12));
	assert_false(vx_dtm_is_domain_stopword("dossier", 7));
	assert_true(vx_dtm_is_number_word("trois", 5));
	vx_dtm_free(&m);
	vx_text_free(t);
	vx_corpus_free(c);
}

static void test_near_duplicates(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	const char *texts[] = {
		"Mon dossier de retraite est bloqué depuis six mois, aucune réponse du service, relances inutiles, "
		"courriers perdus, téléphone saturé.",
		"Mon dossier de retraite est bloqué depuis six mois, aucune réponse du service, relances inutiles, "
		"courriers perdus, téléphone saturé.",
		"mon dossier de retraite est bloqué depuis six mois ; aucune réponse du service, relances inutiles, "
		"courriers perdus, téléphone saturé !!",
		"Mon dossier de retraite est bloqué depuis six mois, aucune réponse du service, relances inutiles, "
		"courriers perdus, téléphone saturé, encore merci.",
		"Accueil très agréable, agent souriant, dossier traité rapidement et clairement expliqué au guichet.",
	};
	size_t docs[5];
	for (size_t i = 0; i < 5; i++) {
		vx_experience e = {0};
		e.id = "x";
		e.text = texts[i];
		assert_int_equal(vx_corpus_add(c, &e), 0);
		docs[i] = i;
	}
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_dtm m;
	assert_int_equal(vx_dtm_build(&m, c, docs, 5, t, 1, 1.0), 0);
	uint32_t rep[5];
	assert_int_equal(vx_dedup_groups(rep, &m), 0);
	assert_int_equal(rep[0], 0);
	assert_int_equal(rep[1], 0); /* identical */
	assert_int_equal(rep[2], 0); /* case and punctuation differ */
	assert_int_equal(rep[3], 0); /* one more word */
	assert_int_equal(rep[4], 4); /* another experience */
	vx_dtm_free(&m);
	vx_text_free(t);
	vx_corpus_free(c);
}

static void test_institution_terms(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	size_t n = 60;
	for (size_t i = 0; i < n; i++) {
		vx_experience e = {0};
		e.id = "x";
		/* "café" must not be taken for CAF; "Vannes" names the structure. */
		e.text = i % 2 ? "La CAF de Vannes ne répond pas, dossier en attente, café froid à l'accueil."
		               : "Dossier en attente à la mairie, café offert à l'accueil, personne ne répond.";
		e.structure = i % 2 ? "CAF de Vannes" : "Mairie de Quimper";
		e.service = i % 2 ? "CAF" : "Communes";
		e.feeling = VX_FEELING_NEGATIVE;
		assert_int_equal(vx_corpus_add(c, &e), 0);
	}
	size_t *docs = all_docs(n);
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_dtm m;
	assert_int_equal(vx_dtm_build(&m, c, docs, n, t, 2, 1.0), 0);
	unsigned char *drop = calloc(m.n_terms, 1);
	vx_facet_report r;
	assert_int_equal(vx_facets_flag_terms(drop, &m, c, docs, t, &r), 0);
	int64_t caf = term_of(&m, "=caf"), cafe = term_of(&m, "caf"), vannes = term_of(&m, "vann"), dossier = term_of(&m, "dossi");
	int64_t accueil = term_of(&m, "accueil"), mairie = term_of(&m, "mair");
	int64_t mairie_mark = term_of(&m, "=mairie");
	assert_true(caf >= 0 && cafe >= 0 && vannes >= 0 && dossier >= 0 && accueil >= 0 && mairie_mark >= 0);
	/* "CAF" and "café" share a stem but not a term: only the institution goes. */
	assert_string_equal(m.surface[cafe], "café");
	assert_true(drop[caf]);
	assert_false(drop[cafe]);
	assert_true(drop[vannes]);
	assert_true(drop[mairie_mark]);
	(void)mairie;
	assert_false(drop[dossier]);
	assert_false(drop[accueil]);
	assert_true(r.lexicon + r.label + r.concentrated > 0);
	free(drop);
	vx_dtm_free(&m);
	vx_text_free(t);
	free(docs);
	vx_corpus_free(c);
}

static void test_nmf_finds_planted_topics_deterministically(void **state)
{
	(void)state;
	size_t n = 300;
	vx_corpus *c = make_corpus(n, 0);
	size_t *docs = all_docs(n);
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_dtm m;
	assert_int_equal(vx_dtm_build(&m, c, docs, n, t, 2, 0.9), 0);
	assert_int_equal(vx_dtm_tfidf(&m), 0);
	uint32_t *rows = malloc(n * sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = (uint32_t)i;
	vx_nmf a, b;
	assert_int_equal(vx_nmf_fit(&a, &m, rows, n, 3, 40, 7), 0);
	assert_int_equal(vx_nmf_fit(&b, &m, rows, n, 3, 40, 7), 0);
	assert_int_equal(a.k, 3);
	assert_memory_equal(a.H, b.H, a.k * a.n_terms * sizeof *a.H);
	assert_true(a.residual < 0.9);
	/* Each document's strongest topic is the one of its group, and each
	 * group maps to a different topic. */
	float *W = malloc(n * 3 * sizeof *W);
	assert_int_equal(vx_nmf_transform(W, &a, &m, rows, n, 8), 0);
	int topic_of_group[3] = {-1, -1, -1};
	for (size_t i = 0; i < n; i++) {
		int best = 0;
		for (int j = 1; j < 3; j++)
			if (W[i * 3 + j] > W[i * 3 + best])
				best = j;
		size_t g = i % 3;
		if (topic_of_group[g] < 0)
			topic_of_group[g] = best;
		assert_int_equal(topic_of_group[g], best);
	}
	assert_int_not_equal(topic_of_group[0], topic_of_group[1]);
	assert_int_not_equal(topic_of_group[1], topic_of_group[2]);
	assert_int_not_equal(topic_of_group[0], topic_of_group[2]);
	free(W);
	vx_nmf_free(&a);
	vx_nmf_free(&b);
	free(rows);
	vx_dtm_free(&m);
	vx_text_free(t);
	free(docs);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_do_not_change_the_matrix),
		cmocka_unit_test(test_compounds_surfaces_and_stop_words),
		cmocka_unit_test(test_near_duplicates),
		cmocka_unit_test(test_institution_terms),
		cmocka_unit_test(test_nmf_finds_planted_topics_deterministically),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
