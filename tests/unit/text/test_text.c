/* The French word analyser: offsets, folding, elisions, stop words, stems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "voix/text.h"

typedef struct collected {
	char folded[32][64];
	char stem[32][64];
	size_t start[32], end[32];
	int stop[32];
	unsigned id[32];
	size_t n;
} collected;

static int collect(const vx_token *tok, void *payload)
{
	collected *c = payload;
	if (c->n >= 32)
		return 1;
	snprintf(c->folded[c->n], 64, "%.*s", (int)tok->folded_len, tok->folded);
	snprintf(c->stem[c->n], 64, "%.*s", (int)tok->stem_len, tok->stem);
	c->start[c->n] = tok->start;
	c->end[c->n] = tok->end;
	c->stop[c->n] = tok->stop;
	c->id[c->n] = tok->word_id;
	c->n++;
	return 0;
}

static void analyse(const char *s, collected *c)
{
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	memset(c, 0, sizeof *c);
	assert_int_equal(vx_text_tokens(t, s, strlen(s), collect, c), 0);
	vx_text_free(t);
}

static void test_offsets_and_folding(void **state)
{
	(void)state;
	const char *s = "Rendez-vous ANNULÉ à la Préfecture";
	collected c;
	analyse(s, &c);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.folded[0], "rendez");
	assert_string_equal(c.folded[1], "vous");
	assert_string_equal(c.folded[2], "annule");
	assert_string_equal(c.folded[3], "a");
	assert_string_equal(c.folded[5], "prefecture");
	/* Offsets point at the original bytes. */
	assert_memory_equal(s + c.start[2], "ANNULÉ", c.end[2] - c.start[2]);
	assert_memory_equal(s + c.start[5], "Préfecture", c.end[5] - c.start[5]);
	assert_true(c.stop[1]);
	assert_true(c.stop[3]);
	assert_false(c.stop[5]);
}

static void test_elisions(void **state)
{
	(void)state;
	collected c;
	analyse("l'agent d’accueil qu'il aujourd'hui", &c);
	assert_int_equal(c.n, 7);
	const char *want[] = {"l", "agent", "d", "accueil", "qu", "il", "aujourd'hui"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(c.folded[i], want[i]);
	assert_true(c.stop[0] && c.stop[2] && c.stop[4]);
	assert_false(c.stop[1]);
}

static void test_stems_match_inflections(void **state)
{
	(void)state;
	collected c;
	analyse("annulés annulé annulation rendez-vous rendez vous Œuvre", &c);
	assert_string_equal(c.stem[0], c.stem[1]);
	assert_string_equal(c.stem[3], c.stem[5]);
	assert_string_equal(c.folded[7], "oeuvre");
	/* The same word gets the same id; different words different ids. */
	assert_int_equal(c.id[3], c.id[5]);
	assert_int_not_equal(c.id[0], c.id[1]);
}

static void test_separators_and_invalid_bytes(void **state)
{
	(void)state;
	collected c;
	analyse("a\xff\xfe" "b 12/03 mail@x.fr", &c);
	/* Invalid bytes separate words; digits form words. */
	assert_string_equal(c.folded[0], "a");
	assert_string_equal(c.folded[1], "b");
	assert_string_equal(c.folded[2], "12");
	assert_string_equal(c.folded[3], "03");
	assert_string_equal(c.folded[4], "mail");
}

static void test_stopword_lookup(void **state)
{
	(void)state;
	assert_true(vx_text_is_stopword("les", 3));
	assert_true(vx_text_is_stopword("etaient", 7));
	assert_true(vx_text_is_stopword("vous", 4));
	assert_false(vx_text_is_stopword("dossier", 7));
	assert_false(vx_text_is_stopword("", 0));
}

static void test_long_word_skipped(void **state)
{
	(void)state;
	char s[400];
	memset(s, 'x', 300);
	strcpy(s + 300, " fin");
	collected c;
	analyse(s, &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.folded[0], "fin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_and_folding),
		cmocka_unit_test(test_elisions),
		cmocka_unit_test(test_stems_match_inflections),
		cmocka_unit_test(test_separators_and_invalid_bytes),
		cmocka_unit_test(test_stopword_lookup),
		cmocka_unit_test(test_long_word_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
