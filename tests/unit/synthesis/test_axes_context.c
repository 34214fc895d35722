/* Improvement axes are proposed, and the codebook's service themes applied,
 * only for feedback about a public service: complaints about something else
 * may use the same words ("long", "question", "perdu", "aucune explication")
 * but must not become public-service levers or topics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "voix/corpus.h"
#include "voix/note.h"

static const char *const film[] = {
	"Film beaucoup trop long, on attend la fin pendant deux heures, je me suis perdu dans l'intrigue.",
	"Une question reste : pourquoi ce scénario si lent ? Les acteurs semblent perdus.",
	"Trop long, une attente interminable avant la moindre scène d'action, aucune explication.",
	"Je n'ai rien compris à l'histoire, la fin reste une question sans réponse, long et lent.",
};

static const char *const public_service[] = {
	"Mon dossier est en attente depuis trois mois, aucune réponse du service malgré mes relances.",
	"Impossible de joindre un conseiller au téléphone, le standard ne répond jamais, dossier bloqué.",
	"Le site de la démarche en ligne affiche une erreur au moment de valider le formulaire.",
	"L'agent au guichet m'a demandé les mêmes justificatifs pour la troisième fois, dossier perdu.",
};

static vx_corpus *corpus_of(const char *const *texts, size_t n_texts, size_t n)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	for (size_t i = 0; i < n; i++) {
		char id[32], text[512];
		snprintf(id, sizeof id, "X%zu", i);
		/* A distinct tail keeps the texts from being folded as copies. */
		snprintf(text, sizeof text, "%s Avis numéro %zu, écrit le jour %zu.", texts[i % n_texts], i, i * 7);
		vx_experience e = {0};
		e.id = id;
		e.text = text;
		e.feeling = VX_FEELING_NEGATIVE;
		assert_int_equal(vx_corpus_add(c, &e), 0);
	}
	return c;
}

static int has_message(const vx_note *n, const char *part)
{
	for (size_t i = 0; i < n->n_messages; i++)
		if (strstr(n->messages[i], part))
			return 1;
	return 0;
}

static void test_no_axes_outside_public_service(void **state)
{
	(void)state;
	vx_corpus *c = corpus_of(film, sizeof film / sizeof film[0], 80);
	vx_note *n = NULL;
	assert_int_equal(vx_note_build(&n, c, NULL), 0);
	assert_int_equal(n->n_axes, 0);
	assert_true(has_message(n, "ne ressemblent pas à des retours sur un service public"));
	/* Nor do the service themes head its topics: "insupportable",
	 * "aucune explication" or "rien compris" would otherwise make a film
	 * review a complaint about a service's information. */
	assert_true(n->n_topics >= 1);
	for (size_t i = 0; i < n->n_topics; i++)
		assert_null(n->topics[i].theme);
	for (size_t i = 0; i < n->n_strengths; i++)
		assert_null(n->strengths[i].theme);
	vx_note_free(n);
	vx_corpus_free(c);
}

static void test_axes_for_public_service(void **state)
{
	(void)state;
	vx_corpus *c = corpus_of(public_service, sizeof public_service / sizeof public_service[0], 80);
	vx_note *n = NULL;
	assert_int_equal(vx_note_build(&n, c, NULL), 0);
	assert_true(n->n_axes >= 1);
	assert_false(has_message(n, "ne ressemblent pas"));
	size_t themed = 0;
	for (size_t i = 0; i < n->n_topics; i++)
		themed += n->topics[i].theme != NULL;
	assert_true(themed >= 1);
	vx_note_free(n);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_axes_outside_public_service),
		cmocka_unit_test(test_axes_for_public_service),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
