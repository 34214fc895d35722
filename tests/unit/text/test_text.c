/* The French word analyser: offsets, folding, elisions, stop words, stems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

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

/* The lower-cased word of the only token of s, or "" when s has not exactly
 * one token. */
static void only_word(vx_text *t, const char *s, char *out, size_t cap)
{
	collected c;
	memset(&c, 0, sizeof c);
	assert_int_equal(vx_text_tokens(t, s, strlen(s), collect, &c), 0);
	out[0] = '\0';
	if (c.n != 1)
		return;
	size_t len = 0;
	const char *w = vx_text_word(t, c.id[0], &len);
	assert_non_null(w);
	assert_true(len < cap);
	memcpy(out, w, len);
	out[len] = '\0';
}

static void test_latin1_letters_match_utf8proc(void **state)
{
	(void)state;
	/* U+00C0..U+00FF are read without utf8proc: each must be a word letter
	 * and lower-cased exactly when utf8proc says so. */
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	for (int32_t cp = 0xC0; cp <= 0xFF; cp++) {
		char s[16], got[64], want[16];
		utf8proc_uint8_t enc[4], low[4];
		utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
		snprintf(s, sizeof s, "x%.*sy", (int)n, (const char *)enc);
		only_word(t, s, got, sizeof got);
		utf8proc_category_t cat = utf8proc_category(cp);
		int letter = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL;
		if (!letter) {
			assert_string_equal(got, ""); /* two words: "x" and "y" */
			continue;
		}
		utf8proc_ssize_t nl = utf8proc_encode_char(utf8proc_tolower(cp), low);
		snprintf(want, sizeof want, "x%.*sy", (int)nl, (const char *)low);
		assert_string_equal(got, want);
	}
	vx_text_free(t);
}

static void test_word_length_bound(void **state)
{
	(void)state;
	/* Words of up to 96 bytes (lower-cased) are kept, longer ones skipped
	 * whole, whatever the mix of one- and two-byte letters at the bound. */
	static const struct {
		size_t ascii;      /* leading ASCII letters */
		const char *end;   /* then this */
		int kept;
	} cases[] = {
		{96, "", 1}, {97, "", 0}, {94, "é", 1}, {95, "é", 0}, {95, "É", 0}, {94, "É", 1},
		{94, "'a", 1}, {95, "'a", 0}, {96, "'a", 0}, {93, "'ab", 1}, {95, "'", 1}, {8, "", 1}, {200, "", 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char s[300];
		memset(s, 'Q', cases[k].ascii);
		snprintf(s + cases[k].ascii, sizeof s - cases[k].ascii, "%s fin", cases[k].end);
		collected c;
		analyse(s, &c);
		assert_int_equal(c.n, cases[k].kept ? 2 : 1);
		assert_string_equal(c.folded[c.n - 1], "fin");
	}
}

static void test_words_across_eight_byte_chunks(void **state)
{
	(void)state;
	/* Words are read eight bytes at a time: words that differ only past a
	 * chunk boundary, or only in case, must be told apart, or not. */
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	const char *words[] = {"abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
	                       "abcdefghijklmnoq", "abcdefgh1", "ABCDEFGH", "AbCdEfGhIjKlMnOp", "abcdéfgh", "abcdÉfgh"};
	unsigned id[sizeof words / sizeof words[0]];
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		collected c;
		memset(&c, 0, sizeof c);
		assert_int_equal(vx_text_tokens(t, words[k], strlen(words[k]), collect, &c), 0);
		assert_int_equal(c.n, 1);
		assert_int_equal(c.start[0], 0);
		assert_int_equal(c.end[0], strlen(words[k]));
		id[k] = c.id[0];
	}
	for (size_t a = 0; a < 7; a++)
		for (size_t b = a + 1; b < 7; b++)
			assert_int_not_equal(id[a], id[b]);
	assert_int_equal(id[7], id[1]);   /* ABCDEFGH = abcdefgh */
	assert_int_equal(id[8], id[3]);   /* mixed case, two chunks */
	assert_int_equal(id[10], id[9]);  /* É lower-cases to é */
	vx_text_free(t);
}

static int keep_hash(const vx_token *tok, void *payload)
{
	*(unsigned long long *)payload = tok->word_hash;
	return 0;
}

static void test_word_hash_same_in_every_analyser(void **state)
{
	(void)state;
	vx_text *a = NULL, *b = NULL;
	assert_int_equal(vx_text_new(&a), 0);
	assert_int_equal(vx_text_new(&b), 0);
	unsigned long long ha = 0, hb = 0, hc = 0;
	assert_int_equal(vx_text_tokens(b, "dossier", 7, keep_hash, &hc), 0); /* another id in b */
	assert_int_equal(vx_text_tokens(a, "Préfecture", strlen("Préfecture"), keep_hash, &ha), 0);
	assert_int_equal(vx_text_tokens(b, "préfecture", strlen("préfecture"), keep_hash, &hb), 0);
	assert_true(ha == hb);
	assert_true(ha != hc);
	vx_text_free(a);
	vx_text_free(b);
}

static void test_many_words_keep_their_ids(void **state)
{
	(void)state;
	/* Enough distinct words for the table to grow several times. */
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	enum { N = 20000 };
	for (int pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < N; k++) {
			char s[32], got[64], want[32];
			snprintf(s, sizeof s, "Mot%uZ", k * 7919u);
			snprintf(want, sizeof want, "mot%uz", k * 7919u);
			collected c;
			memset(&c, 0, sizeof c);
			assert_int_equal(vx_text_tokens(t, s, strlen(s), collect, &c), 0);
			assert_int_equal(c.n, 1);
			assert_int_equal(c.id[0], k);
			only_word(t, s, got, sizeof got);
			assert_string_equal(got, want);
		}
	assert_int_equal(vx_text_word_count(t), N);
	vx_text_free(t);
}

static void test_every_elision(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *first, *second; /* second NULL: one word */
	} cases[] = {
		{"jusqu'ici", "jusqu", "ici"}, {"lorsqu'il", "lorsqu", "il"}, {"presqu'île", "presqu", "ile"},
		{"quoiqu'on", "quoiqu", "on"}, {"puisqu'elle", "puisqu", "elle"}, {"L'État", "l", "etat"},
		{"C’est", "c", "est"}, {"prud'homme", "prud'homme", NULL},
		{"aujourd’hui", "aujourd'hui", NULL}, {"l'", "l", NULL}, {"x'y", "x'y", NULL},
		{"lorsqu'", "lorsqu", NULL}, {"qu\xCA\xBCil", "qu", "il"}, {"aujourd\xCA\xBChui", "aujourd'hui", NULL},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		collected c;
		analyse(cases[k].text, &c);
		assert_int_equal(c.n, cases[k].second ? 2 : 1);
		assert_string_equal(c.folded[0], cases[k].first);
		if (cases[k].second)
			assert_string_equal(c.folded[1], cases[k].second);
	}
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
		cmocka_unit_test(test_latin1_letters_match_utf8proc),
		cmocka_unit_test(test_word_length_bound),
		cmocka_unit_test(test_words_across_eight_byte_chunks),
		cmocka_unit_test(test_word_hash_same_in_every_analyser),
		cmocka_unit_test(test_many_words_keep_their_ids),
		cmocka_unit_test(test_every_elision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
