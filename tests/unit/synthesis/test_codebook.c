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
	for (size_t i = 0; i < cb.n; i++) {
		const vx_lever *l = &cb.levers[i];
		assert_true(l->title[0] && l->text[0]);
		assert_true(l->n_words >= 5);
		assert_true(l->n_dims >= 1);
		for (size_t w = 0; w < l->n_words; w++)
			assert_null(strchr(l->words[w], ' '));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cb.levers[j].key, l->key);
	}
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

static void test_malformed_codebooks(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"", "no lever"},
		{"titre: sans section\n", ":1:"},
		{"[x\ntitre: t\n", ":1:"},
		{"[x]\ntitre: t\ntexte: t\n", "needs titre, texte and mots"},
		{"[x]\ntitre: t\ntexte: t\nmots: mot de passe\n", "single words"},
		{"[x]\ntitre: t\ntexte: t\nmots: a\ndimensions: Rapidité\n", "unknown DITP dimension"},
		{"[x]\ntitre: t\ntexte: t\nmots: a\ncouleur: bleu\n", ":5: unknown field"},
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
		cmocka_unit_test(test_malformed_codebooks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
