/* The codebook of improvement levers: the built-in one parses and every
 * malformed input is refused with the line at fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "synthesis/codebook.h"
#include "voix/error.h"
#include "voix/note.h"

static void test_builtin_codebook(void **state)
{
	(void)state;
	const char *text = vx_codebook_builtin_text();
	vx_codebook cb;
	assert_int_equal(vx_codebook_parse(&cb, text, strlen(text), "builtin"), 0);
	assert_true(cb.n >= 10);
	size_t complaints = 0, praise = 0, referrals = 0;
	for (size_t i = 0; i < cb.n; i++) {
		const vx_lever *l = &cb.levers[i];
		if (l->kind == VX_THEME_COMPLAINT) {
			/* A complaint theme heads a topic and words an axis. */
			complaints++;
			assert_true(l->title[0] && l->text[0]);
			assert_non_null(l->topic);
			assert_true(l->n_exprs >= 2);
			assert_true(l->n_dims >= 1);
		} else if (l->kind == VX_THEME_PRAISE) {
			praise++;
			assert_non_null(l->topic);
			assert_true(l->n_exprs >= 1);
		} else {
			referrals++;
			assert_true(l->n_exprs >= 1);
		}
		for (size_t w = 0; w < l->n_words; w++)
			assert_null(strchr(l->words[w], ' '));
		for (size_t e = 0; e < l->n_exprs; e++)
			assert_true(l->exprs[e].line > l->line);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cb.levers[j].key, l->key);
	}
	assert_true(complaints >= 10);
	assert_true(praise >= 3);
	assert_int_equal(referrals, 1);
	vx_codebook_free(&cb);
}

static void test_parsed_fields(void **state)
{
	(void)state;
	const char *text = "# comment\n\n[delais]\ntitre: Réduire les délais\ntexte: Publier un délai.\n"
	                   "mots: délai, attente , rendez-vous\ndimensions: Réactivité, accessibilite\n";
	vx_codebook cb;
	assert_int_equal(vx_codebook_parse(&cb, text, strlen(text), "t"), 0);
	assert_int_equal(cb.n, 1);
	assert_string_equal(cb.levers[0].key, "delais");
	assert_string_equal(cb.levers[0].title, "Réduire les délais");
	assert_int_equal(cb.levers[0].n_words, 3);
	assert_string_equal(cb.levers[0].words[1], "attente");
	assert_string_equal(cb.levers[0].words[2], "rendez-vous");
	assert_int_equal(cb.levers[0].n_dims, 2);
	assert_int_equal(cb.levers[0].dims[0], VX_DIM_REACTIVITY);
	assert_int_equal(cb.levers[0].dims[1], VX_DIM_ACCESSIBILITY); /* case and accents ignored */
	vx_codebook_free(&cb);
}

/* Theme fields: heading, kind, expressions split on ";" with their line. */
static void test_theme_fields(void **state)
{
	(void)state;
	const char *text = "[delais]\nsujet: Délais\ntitre: t\ntexte: x\nexpressions: depuis # mois ; attend* depuis\n"
	                   "expressions:  toujours en attente \n\n[merci]\ntype: point_fort\nsujet: Accueil\n"
	                   "expressions: aimable*\n";
	vx_codebook cb;
	assert_int_equal(vx_codebook_parse(&cb, text, strlen(text), "t"), 0);
	assert_int_equal(cb.n, 2);
	assert_string_equal(cb.levers[0].topic, "Délais");
	assert_int_equal(cb.levers[0].kind, VX_THEME_COMPLAINT);
	assert_int_equal(cb.levers[0].n_exprs, 3);
	assert_string_equal(cb.levers[0].exprs[0].text, "depuis # mois");
	assert_string_equal(cb.levers[0].exprs[1].text, "attend* depuis");
	assert_string_equal(cb.levers[0].exprs[2].text, "toujours en attente");
	assert_int_equal(cb.levers[0].exprs[0].line, 5);
	assert_int_equal(cb.levers[0].exprs[2].line, 6);
	assert_int_equal(cb.levers[1].kind, VX_THEME_PRAISE);
	assert_int_equal(cb.levers[1].line, 8);
	vx_codebook_free(&cb);
}

static void test_malformed_codebooks(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"", "aucun levier"},
		{"titre: sans section\n", "cb.txt:1: « nom: valeur » attendu dans une section [levier]"},
		{"[x\ntitre: t\n", "cb.txt:1: une section s'écrit [clé]"},
		{"[x]\ntitre: t\ntexte: t\n", "cb.txt:1: le levier [x] demande titre, texte et mots ou expressions"},
		{"[x]\ntitre: t\ntexte: t\nmots: mot de passe\n", ":4: levier [x] : un mot-signal est un seul mot"},
		{"[x]\ntitre: t\ntexte: t\nmots: a\ndimensions: Rapidité\n", ":5: levier [x] : dimension DITP inconnue"},
		{"[x]\ntitre: t\ntexte: t\nmots: a\ncouleur: bleu\n", ":5: champ inconnu"},
		{"[x]\ntype: compliment\n", ":2: type attendu : plainte, point_fort ou renvoi"},
		{"[a]\ntitre: t\ntexte: t\nmots: a\n\n[p]\ntype: point_fort\nsujet: s\n",
		 ":6: le point fort [p] demande sujet et expressions"},
		{"[r]\ntype: renvoi\n", ":1: le renvoi [r] demande des expressions"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_codebook cb;
		int rc = vx_codebook_parse(&cb, cases[i].text, strlen(cases[i].text), "cb.txt");
		if (rc != VX_EFORMAT || strstr(vx_error_last(), cases[i].message) == NULL)
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, vx_error_last(), cases[i].message);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_codebook),
		cmocka_unit_test(test_parsed_fields),
		cmocka_unit_test(test_theme_fields),
		cmocka_unit_test(test_malformed_codebooks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
