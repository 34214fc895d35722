/* Feelings read from the words: cues, negation, intensifiers, contrasts,
 * overlapping cues, clauses, titles, the spans reported, and the errors of
 * a badly written lexicon. Texts are written for the purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/feeling.h"

#define MAX_CUES 16

typedef struct reading {
	vx_feeling_reading r;
	vx_feeling_cue cues[MAX_CUES];
	size_t n;
} reading;

static vx_lexicon *builtin;

static int setup(void **state)
{
	(void)state;
	return vx_lexicon_new(&builtin, NULL, 0, NULL);
}

static int teardown(void **state)
{
	(void)state;
	vx_lexicon_free(builtin);
	return 0;
}

static reading read_with(const vx_lexicon *lx, const char *title, const char *text)
{
	reading out;
	memset(&out, 0, sizeof out);
	vx_feeling_reader *r = NULL;
	assert_int_equal(vx_feeling_reader_new(&r, lx), 0);
	assert_int_equal(vx_feeling_reader_read(&out.r, out.cues, MAX_CUES, &out.n, r, title, text), 0);
	vx_feeling_reader_free(r);
	return out;
}

static reading read_text(const char *text)
{
	return read_with(builtin, NULL, text);
}

/* The cue whose span starts with word in text, or NULL. */
static const vx_feeling_cue *cue_at(const reading *rd, const char *text, const char *word)
{
	const char *p = strstr(text, word);
	assert_non_null(p);
	for (size_t i = 0; i < rd->n && i < MAX_CUES; i++)
		if (rd->cues[i].field == 1 && rd->cues[i].start == (size_t)(p - text))
			return &rd->cues[i];
	return NULL;
}

static void test_plain_cues(void **state)
{
	(void)state;
	const char *pos = "Très satisfaite de l'accueil, conseillère aimable et efficace.";
	reading rd = read_text(pos);
	assert_int_equal(rd.r.feeling, VX_FEELING_POSITIVE);
	assert_true(rd.r.confidence >= VX_FEELING_CONFIDENT);
	const vx_feeling_cue *c = cue_at(&rd, pos, "satisfaite");
	assert_non_null(c);
	assert_int_equal(c->end - c->start, strlen("satisfaite"));
	assert_true(c->intensified);
	assert_true(c->counted > c->weight);

	rd = read_text("Dossier perdu deux fois, c'est honteux et lamentable.");
	assert_int_equal(rd.r.feeling, VX_FEELING_NEGATIVE);
	assert_true(rd.r.confidence >= VX_FEELING_CONFIDENT);

	rd = read_text("Le dossier a été déposé le 3 mars au guichet.");
	assert_int_equal(rd.r.feeling, VX_FEELING_NEUTRAL);
	assert_int_equal(rd.n, 0);
	assert_true(rd.r.confidence == 0.0f);
}

static void test_negation(void **state)
{
	(void)state;
	const char *t = "Je ne suis pas du tout satisfait de cette démarche.";
	reading rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_NEGATIVE);
	const vx_feeling_cue *c = cue_at(&rd, t, "satisfait");
	assert_non_null(c);
	assert_true(c->negated);
	assert_true(c->counted < 0);

	assert_int_equal(read_text("Agent peu aimable au guichet.").r.feeling, VX_FEELING_NEGATIVE);
	/* A negation in another clause does not reach the cue. */
	t = "Je n'avais pas rendez-vous. Accueil aimable et efficace.";
	rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_POSITIVE);
	c = cue_at(&rd, t, "aimable");
	assert_non_null(c);
	assert_false(c->negated);
	/* A negated complaint counts half, on the other side. */
	t = "Franchement pas nul.";
	rd = read_text(t);
	c = cue_at(&rd, t, "nul");
	assert_non_null(c);
	assert_true(c->negated);
	assert_true(c->counted > 0 && c->counted < -c->weight);
}

static void test_longest_cue_wins(void **state)
{
	(void)state;
	/* "aucun problème" is one positive cue: "problème" is not counted, and
	 * its "aucun" negates nothing after it. */
	const char *t = "Aucun problème rencontré, dossier traité rapidement.";
	reading rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_POSITIVE);
	assert_null(cue_at(&rd, t, "problème"));
	const vx_feeling_cue *c = cue_at(&rd, t, "Aucun");
	assert_non_null(c);
	assert_true(c->weight > 0);
	assert_int_equal(c->end, (size_t)(strstr(t, "problème") - t) + strlen("problème"));

	t = "Sans souci et très rapide";
	rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_POSITIVE);
	c = cue_at(&rd, t, "rapide");
	assert_non_null(c);
	assert_false(c->negated);

	assert_int_equal(read_text("Merci pour rien.").r.feeling, VX_FEELING_NEGATIVE);
	assert_int_equal(read_text("Pas mal du tout, rien à redire.").r.feeling, VX_FEELING_POSITIVE);
	assert_int_equal(read_text("Je ne recommande pas cette agence.").r.feeling, VX_FEELING_NEGATIVE);
}

static void test_contrast(void **state)
{
	(void)state;
	const char *t = "Conseillère aimable mais aucune réponse depuis trois mois.";
	reading rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_NEGATIVE);
	const vx_feeling_cue *c = cue_at(&rd, t, "aimable");
	assert_non_null(c);
	assert_true(c->before_contrast);
	assert_true(c->counted == 0.5f * c->weight);
	c = cue_at(&rd, t, "aucune");
	assert_non_null(c);
	assert_false(c->before_contrast);
}

static void test_title_and_fields(void **state)
{
	(void)state;
	reading rd = read_with(builtin, "Honteux", "");
	assert_int_equal(rd.r.feeling, VX_FEELING_NEGATIVE);
	assert_int_equal(rd.n, 1);
	assert_int_equal(rd.cues[0].field, 0);
	assert_int_equal(rd.cues[0].start, 0);
	assert_int_equal(rd.cues[0].end, strlen("Honteux"));
	/* A negation at the end of the title does not reach the text. */
	rd = read_with(builtin, "Toujours pas", "satisfait");
	for (size_t i = 0; i < rd.n; i++)
		if (rd.cues[i].field == 1)
			assert_false(rd.cues[i].negated);
	/* More cues than room: n counts them all, the array holds the first. */
	vx_feeling_reader *r = NULL;
	vx_feeling_reading one;
	vx_feeling_cue cue;
	size_t n = 0;
	assert_int_equal(vx_feeling_reader_new(&r, builtin), 0);
	assert_int_equal(vx_feeling_reader_read(&one, &cue, 1, &n, r, NULL, "Aimable, efficace, rapide."), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cue.start, 0);
	/* The reader is ready for the next text. */
	assert_int_equal(vx_feeling_reader_read(&one, NULL, 0, &n, r, NULL, "Dossier déposé."), 0);
	assert_int_equal(n, 0);
	assert_int_equal(one.feeling, VX_FEELING_NEUTRAL);
	/* A lone negation counts a little: what did not happen. */
	assert_int_equal(vx_feeling_reader_read(&one, &cue, 1, &n, r, NULL, "Rien."), 0);
	assert_int_equal(n, 1);
	assert_true(cue.counted == -0.5f);
	assert_int_equal(one.feeling, VX_FEELING_NEUTRAL);
	assert_int_equal(vx_feeling_reader_read(&one, NULL, 0, &n, r, NULL, "On ne m'a jamais rappelé."), 0);
	assert_int_equal(one.feeling, VX_FEELING_NEGATIVE);
	vx_feeling_reader_free(r);
}

/* A cue of weight 0 counts nothing and keeps the cues inside it from
 * counting: "projet professionnel" names a plan, "très professionnel"
 * praises. */
static void test_neutral_cue(void **state)
{
	(void)state;
	const char *t = "Elle m'a aidé à construire mon projet professionnel.";
	reading rd = read_text(t);
	assert_null(cue_at(&rd, t, "professionnel"));
	assert_null(cue_at(&rd, t, "projet"));
	assert_int_equal(read_text("Vie professionnelle - Insertion professionnelle").r.feeling, VX_FEELING_NEUTRAL);
	t = "Conseillère très professionnelle.";
	rd = read_text(t);
	assert_int_equal(rd.r.feeling, VX_FEELING_POSITIVE);
	assert_non_null(cue_at(&rd, t, "professionnelle"));
	/* The same in a lexicon of one's own: the longer neutral cue wins over
	 * the shorter one inside it, anywhere else the shorter one counts. */
	const char *text = "+2 bien\n0 bien sûr\n";
	vx_lexicon *lx = NULL;
	assert_int_equal(vx_lexicon_new(&lx, text, strlen(text), "neutre.txt"), 0);
	assert_int_equal(read_with(lx, NULL, "bien sûr, je reviendrai").r.feeling, VX_FEELING_NEUTRAL);
	assert_int_equal(read_with(lx, NULL, "très bien reçu").r.feeling, VX_FEELING_POSITIVE);
	vx_lexicon_free(lx);
}

static void test_own_lexicon(void **state)
{
	(void)state;
	const char *text = "# a small lexicon\nnégations: pas\nintensifs: très\n+1 bien ; -2 (long|longue)\n";
	vx_lexicon *lx = NULL;
	assert_int_equal(vx_lexicon_new(&lx, text, strlen(text), "petit.txt"), 0);
	assert_int_equal(read_with(lx, NULL, "pas bien").r.feeling, VX_FEELING_NEGATIVE);
	assert_int_equal(read_with(lx, NULL, "bien").r.feeling, VX_FEELING_POSITIVE);
	reading rd = read_with(lx, NULL, "très longue attente");
	assert_int_equal(rd.r.feeling, VX_FEELING_NEGATIVE);
	assert_true(rd.r.score == -3.0f);
	vx_lexicon_free(lx);

	static const char *const bad[] = {"+5 trop\n", "bien\n", "+2\n", "+1 (a|b\n", "# nothing\n"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		lx = NULL;
		int rc = vx_lexicon_new(&lx, bad[i], strlen(bad[i]), "mauvais.txt");
		assert_int_equal(rc, VX_EFORMAT);
		assert_null(lx);
		assert_non_null(strstr(vx_error_last(), "mauvais.txt"));
	}
	assert_int_equal(vx_lexicon_new(&lx, "\n+1 ok\n-4 non\n", 14, "l.txt"), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "l.txt:3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_cues),     cmocka_unit_test(test_negation),
		cmocka_unit_test(test_longest_cue_wins), cmocka_unit_test(test_contrast),
		cmocka_unit_test(test_title_and_fields), cmocka_unit_test(test_own_lexicon),
		cmocka_unit_test(test_neutral_cue),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
