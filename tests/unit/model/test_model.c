/* The topic model: document-term matrix, near-duplicates, administration
 * terms and NMF, on small invented corpora. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	assert_int_equal(vx_dedup_groups(rep, &m, c, docs), 0);
	assert_int_equal(rep[0], 0);
	assert_int_equal(rep[1], 0); /* identical */
	assert_int_equal(rep[2], 0); /* case and punctuation differ */
	assert_int_equal(rep[3], 0); /* one more word */
	assert_int_equal(rep[4], 4); /* another experience */
	vx_dtm_free(&m);
	vx_text_free(t);
	vx_corpus_free(c);
}

/* Generated texts over several chunks of the key pass, every fifth one a
 * copy of an earlier text: verbatim, with its accents lost, cut short, or
 * with a word left out. */
#define GEN_DOCS 6000
static const char *const gen_words[] = {
	"dossier", "délai", "réponse", "téléphone", "conseiller", "rendez-vous", "attente", "courrier",
	"préfecture", "démarche", "justificatif", "agence", "guichet", "relance", "refus", "paiement",
	"allocation", "formulaire", "connexion", "messagerie", "accueil", "aimable", "erreur", "retard",
};

static void gen_text(char *out, size_t cap, uint64_t *seed)
{
	size_t n = 0, words = 12 + (size_t)(*seed % 40);
	for (size_t w = 0; w < words && n + 32 < cap; w++) {
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		n += (size_t)snprintf(out + n, cap - n, "%s%s", w ? " " : "", gen_words[(*seed >> 33) % 24]);
	}
}

/* The copy of src that variant v makes (see above). */
static void gen_copy(char *out, size_t cap, const char *src, size_t v)
{
	size_t n = 0, len = strlen(src), skip_at = len / 2;
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		unsigned char ch = (unsigned char)src[i];
		if (v == 1 && ch == 0xC3) { /* é, è...: a plain e */
			out[n++] = 'e';
			i++;
			continue;
		}
		if (v == 2 && i > len * 3 / 4)
			break;
		if (v == 3 && i >= skip_at && src[i] != ' ' && (i == 0 || src[i - 1] == ' ')) {
			while (i < len && src[i] != ' ')
				i++;
			skip_at = SIZE_MAX;
			continue;
		}
		out[n++] = (char)ch;
	}
	out[n] = '\0';
}

static void dedup_texts_threads(uint32_t *rep, const char *const *texts, size_t n, size_t threads);

static void test_dedup_threads_give_the_same_groups(void **state)
{
	(void)state;
	char (*texts)[512] = malloc(GEN_DOCS * sizeof *texts);
	const char **ptrs = malloc(GEN_DOCS * sizeof *ptrs);
	uint32_t *one = malloc(GEN_DOCS * sizeof *one), *two = malloc(GEN_DOCS * sizeof *two);
	uint32_t *dflt = malloc(GEN_DOCS * sizeof *dflt);
	assert_true(texts && ptrs && one && two && dflt);
	uint64_t seed = 20261203;
	for (size_t i = 0; i < GEN_DOCS; i++) {
		if (i % 5 == 4)
			gen_copy(texts[i], sizeof texts[i], texts[(i * 7919) % i], i / 5 % 4);
		else
			gen_text(texts[i], sizeof texts[i], &seed);
		ptrs[i] = texts[i];
	}
	dedup_texts_threads(one, ptrs, GEN_DOCS, 1);
	dedup_texts_threads(two, ptrs, GEN_DOCS, 2);
	dedup_texts_threads(dflt, ptrs, GEN_DOCS, 0);
	assert_memory_equal(one, two, GEN_DOCS * sizeof *one);
	assert_memory_equal(one, dflt, GEN_DOCS * sizeof *one);
	/* Every copy joins the group of its original, in every chunk. */
	for (size_t i = 4; i < GEN_DOCS; i += 5)
		assert_int_equal(one[i], one[(i * 7919) % i]);
	size_t firsts = 0;
	for (size_t i = 0; i < GEN_DOCS; i++) {
		assert_true(one[i] <= i);
		assert_int_equal(one[one[i]], one[i]);
		firsts += one[i] == i;
	}
	assert_true(firsts <= GEN_DOCS - GEN_DOCS / 5);
	free(one);
	free(two);
	free(dflt);
	free(ptrs);
	free(texts);
}

/* U+FFFD REPLACEMENT CHARACTER, what a decoder leaves of an unreadable byte. */
#define FFFD "\xef\xbf\xbd"

/* Groups of the texts by vx_dedup_groups_threads (all three rules). */
static void dedup_texts_threads(uint32_t *rep, const char *const *texts, size_t n, size_t threads)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	size_t *docs = all_docs(n);
	for (size_t i = 0; i < n; i++) {
		vx_experience e = {0};
		e.id = "x";
		e.text = texts[i];
		assert_int_equal(vx_corpus_add(c, &e), 0);
	}
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_dtm m;
	assert_int_equal(vx_dtm_build(&m, c, docs, n, t, 1, 1.0), 0);
	assert_int_equal(threads ? vx_dedup_groups_threads(rep, &m, c, docs, threads)
	                         : vx_dedup_groups(rep, &m, c, docs),
	                 0);
	vx_dtm_free(&m);
	vx_text_free(t);
	free(docs);
	vx_corpus_free(c);
}

/* The same with the default number of threads. */
static void dedup_texts(uint32_t *rep, const char *const *texts, size_t n)
{
	dedup_texts_threads(rep, texts, n, 0);
}

static void test_skeleton(void **state)
{
	(void)state;
	const char *const forms[] = {"déplacer", "deplacer", "dplacer", "d?placer", "d" FFFD "placer", "DÉPLACER",
	                             "d\xc3\x83\xc2\xa9placer"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char out[32];
		size_t n = vx_dedup_skeleton(out, sizeof out, forms[i], strlen(forms[i]));
		assert_int_equal(n, 4);
		assert_memory_equal(out, "dplr", 4);
		/* A NUL-terminated text read without its length: the same. */
		assert_int_equal(vx_dedup_skeleton(out, sizeof out, forms[i], SIZE_MAX), 4);
		assert_memory_equal(out, "dplr", 4);
	}
	/* Digits stay: a copy with other figures is another experience. The
	 * output stops at its capacity. */
	char out[4];
	const char *date = "Reçu le 12/03";
	assert_int_equal(vx_dedup_skeleton(out, sizeof out, date, strlen(date)), 4);
	assert_memory_equal(out, "rl12", 4);
}

/* Sets of texts and the group each must get from vx_dedup_groups (the
 * index of its first copy). */
typedef struct dedup_case {
	const char *what;
	const char *texts[8];
	uint32_t group[8];
} dedup_case;

static const dedup_case dedup_cases[] = {
	{"accents dropped or mangled (deleted, '?', U+FFFD), and a cut copy, fold into the original",
	 {
		"J'ai dû me déplacer trois fois à l'accueil pour un dossier que l'agent a égaré ; personne ne "
		"m'a prévenu, et l'on m'a demandé des pièces déjà envoyées par courrier recommandé.",
		"J'ai du me deplacer trois fois a l'accueil pour un dossier que l'agent a egare ; personne ne "
		"m'a prevenu, et l'on m'a demande des pieces deja envoyees par courrier recommande.",
		"J'ai d me dplacer trois fois  l'accueil pour un dossier que l'agent a gar ; personne ne "
		"m'a prvenu, et l'on m'a demand des pices dj envoyes par courrier recommand.",
		"J'ai d? me d?placer trois fois ? l'accueil pour un dossier que l'agent a ?gar? ; personne ne "
		"m'a pr?venu, et l'on m'a demand? des pi?ces d?j? envoy?es par courrier recommand?.",
		"J'ai d" FFFD " me d" FFFD "placer trois fois " FFFD " l'accueil pour un dossier que l'agent a "
		"" FFFD "gar" FFFD " ; personne ne m'a pr" FFFD "venu, et l'on m'a demand" FFFD " des "
		"pi" FFFD "ces d" FFFD "j" FFFD " envoy" FFFD "es par courrier recommand" FFFD ".",
		"J'ai dû me déplacer trois fois à l'accueil pour un dossier que l'agent a égaré ; personne ne "
		"m'a prévenu, et l'on m'a…",
	 },
	 {0, 0, 0, 0, 0, 0}},
	{"a truncated copy that comes first stays the representative: the full text joins it",
	 {
		"Le remboursement de mes frais de transport attend depuis le mois de mars, malgré trois relances",
		"Le remboursement de mes frais de transport attend depuis le mois de mars, malgré trois relances "
		"écrites et deux appels au standard où l'on m'a répondu que le dossier était complet.",
	 },
	 {0, 0}},
	{"short verdicts, a shared preamble with different complaints, a template with other facts stay apart",
	 {
		"Bonjour, je me suis présenté ce mardi au guichet de l'agence de mon quartier avec tous mes "
		"justificatifs. L'agent a refusé de prendre ma demande sans rendez-vous.",
		"Bonjour, je me suis présenté ce mardi au guichet de l'agence de mon quartier avec tous mes "
		"justificatifs. Le système informatique était en panne toute la journée.",
		/* Under VX_DEDUP_MIN_TERMS terms, so that only the skeleton rule sees them. */
		"Demande 48213 du 12/03/2024 pour l'aide au logement, toujours en attente de traitement.",
		"Demande 48213 du 19/03/2024 pour l'aide au logement, toujours en attente de traitement.",
		"Demande 51377 du 12/03/2024 pour l'aide au logement, toujours en attente de traitement.",
		"Très bien, merci.",
		"Très bien reçu.",
	 },
	 {0, 1, 2, 3, 4, 5, 6}},
};

static void test_damaged_copies_and_not_copies(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof dedup_cases / sizeof dedup_cases[0]; k++) {
		const dedup_case *dc = &dedup_cases[k];
		size_t n = 0;
		while (n < 8 && dc->texts[n])
			n++;
		uint32_t rep[8];
		dedup_texts(rep, dc->texts, n);
		for (size_t i = 0; i < n; i++) {
			if (rep[i] != dc->group[i])
				print_message("%s: text %zu in group %u\n", dc->what, i, (unsigned)rep[i]);
			assert_int_equal(rep[i], dc->group[i]);
		}
	}
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
		cmocka_unit_test(test_dedup_threads_give_the_same_groups),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_damaged_copies_and_not_copies),
		cmocka_unit_test(test_institution_terms),
		cmocka_unit_test(test_nmf_finds_planted_topics_deterministically),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
