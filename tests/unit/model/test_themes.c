/* Theme expressions matched on the words of a text: the syntax
 * (words, prefixes, numbers, alternatives, gaps), folding, elisions, field
 * breaks, negation of praise, and the errors of a badly written expression. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/themes.h"
#include "synthesis/codebook.h"
#include "voix/error.h"

typedef struct feed {
	vx_theme_scan *sc;
	int rc;
} feed;

static int on_token(const vx_token *tok, void *payload)
{
	feed *f = payload;
	f->rc = vx_theme_scan_token(f->sc, tok);
	return f->rc;
}

/* Matches of theme 0 (expression expr, negatable or not) in text; a "|" in
 * text separates two fields (title and text). */
static int hits_of(const char *expr, int negatable, const char *text)
{
	vx_text *t = NULL;
	vx_themes *th = NULL;
	vx_theme_scan *sc = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	assert_int_equal(vx_themes_new(&th), 0);
	if (vx_themes_add(th, 0, expr, strlen(expr), negatable, t) != 0)
		fail_msg("expression '%s' refused: %s", expr, vx_error_last());
	assert_int_equal(vx_theme_scan_new(&sc, th, t), 0);
	feed f = {sc, 0};
	const char *p = text;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		assert_int_equal(vx_text_tokens(t, p, len, on_token, &f), 0);
		vx_theme_scan_break(sc);
		if (!bar)
			break;
		p = bar + 1;
	}
	uint8_t hits[1] = {0};
	vx_theme_scan_take(sc, hits);
	vx_theme_scan_free(sc);
	vx_themes_free(th);
	vx_text_free(t);
	return hits[0];
}

static void test_matching(void **state)
{
	(void)state;
	static const struct {
		const char *expr;
		int negatable;
		const char *text;
		int hits;
	} cases[] = {
		{"impossible de joindre", 0, "Impossible de JOINDRE le service.", 1},
		{"impossible de joindre", 0, "impossible, de joindre", 1},          /* punctuation is no word */
		{"impossible de joindre", 0, "impossible de les joindre", 0},
		{"impossible ~ joindre", 0, "impossible de les joindre", 1},        /* a gap of 2 words */
		{"impossible ~ joindre", 0, "impossible de ne jamais les joindre", 0}, /* 4 words: too far */
		{"impossible ~ joindre", 0, "impossible joindre", 1},               /* a gap may be empty */
		{"injoignable*", 0, "Ils sont injoignables", 1},                     /* a prefix */
		{"injoignable*", 0, "joignable", 0},
		{"délai*", 0, "les delais sont longs", 1},                           /* accents ignored both ways */
		{"depuis # mois", 0, "depuis 6 mois", 1},
		{"depuis # mois", 0, "depuis six mois", 1},                          /* a number word */
		{"depuis # mois", 0, "depuis plusieurs mois", 1},
		{"depuis # mois", 0, "depuis le mois", 0},
		{"temps d'attente", 0, "un temps d’attente énorme", 1},              /* elisions split alike */
		{"(réponse|retour*) ~ jamais", 0, "des retours, jamais", 1},
		{"(réponse|retour*) ~ jamais", 0, "une relance jamais", 0},
		{"rendez-vous ~ annulé*", 0, "mon rendez vous annulé", 1},           /* a hyphen splits like a space */
		{"pas de réponse", 0, "pas de|réponse", 0},                          /* never across two fields */
		{"aimable*", 1, "agent très aimable", 1},
		{"aimable*", 1, "agent pas aimable", 0},                             /* praise after a negation */
		{"aimable*", 1, "pas du tout aimable", 0},                           /* within 3 words */
		{"aimable*", 1, "pas de souci, un agent vraiment très aimable", 1},  /* further away */
		{"aimable*", 0, "agent pas aimable", 1},                             /* complaints ignore negation */
		{"aimable*", 1, "aimable, aimable et aimable", 3},                   /* every match counts */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int h = hits_of(cases[i].expr, cases[i].negatable, cases[i].text);
		if (h != cases[i].hits)
			fail_msg("case %zu: '%s' in '%s': %d matches, want %d", i, cases[i].expr, cases[i].text, h,
			         cases[i].hits);
	}
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *message;
	} cases[] = {
		{"", "expression vide"},
		{"~ attente", "~ se place entre deux mots"},
		{"attente ~", "~ se place entre deux mots"},
		{"(a b)", "une alternative s'écrit"},
		{"pas(de", "une alternative s'écrit"},
		{"(ren*dez|rdv)", "* ailleurs qu'en fin de mot"},
		{"(d'attente|x)", "fait plusieurs mots"},
		{"a b c d e f g h i j k l m", "au plus 12 mots par expression"},
		{"...", "n'est pas un mot"},
	};
	vx_text *t = NULL;
	vx_themes *th = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	assert_int_equal(vx_themes_new(&th), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = vx_themes_add(th, 0, cases[i].expr, strlen(cases[i].expr), 0, t);
		if (rc != VX_EFORMAT || strstr(vx_error_last(), cases[i].message) == NULL)
			fail_msg("case %zu '%s': rc %d, message '%s', want '%s'", i, cases[i].expr, rc, vx_error_last(),
			         cases[i].message);
	}
	assert_int_equal(vx_themes_count(th), 0); /* a refused expression adds nothing */
	assert_int_equal(vx_themes_add(th, VX_THEMES_MAX, "a", 1, 0, t), VX_EFORMAT);
	vx_themes_free(th);
	vx_text_free(t);
}

/* Every expression of the built-in codebook is well written. */
static void test_builtin_expressions(void **state)
{
	(void)state;
	const char *text = vx_codebook_builtin();
	vx_codebook cb;
	vx_text *t = NULL;
	vx_themes *th = NULL;
	assert_int_equal(vx_codebook_parse(&cb, text, strlen(text), "builtin"), 0);
	assert_int_equal(vx_text_new(&t), 0);
	assert_int_equal(vx_themes_new(&th), 0);
	size_t n = 0;
	for (size_t i = 0; i < cb.n; i++) {
		for (size_t e = 0; e < cb.levers[i].n_exprs; e++)
			if (vx_themes_add(th, n, cb.levers[i].exprs[e].text, strlen(cb.levers[i].exprs[e].text), 0, t) != 0)
				fail_msg("[%s] line %zu: %s", cb.levers[i].key, cb.levers[i].exprs[e].line, vx_error_last());
		n += cb.levers[i].n_exprs > 0;
	}
	assert_true(n <= VX_THEMES_MAX);
	assert_int_equal(vx_themes_count(th), n);
	vx_themes_free(th);
	vx_text_free(t);
	vx_codebook_free(&cb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_builtin_expressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
