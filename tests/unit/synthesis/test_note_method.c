/*
 * The method section says what the code does: its numbers are the
 * constants the stages use (src/synthesis/stages.h, note_internal.h, the
 * near-duplicates' and the feeling reader's), and the verbatims of the
 * bundled example's note do lie within the lengths it states.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/dedup.h"
#include "synthesis/stages.h"
#include "voix/corpus.h"
#include "voix/feeling.h"
#include "voix/note.h"
#include "voix/reader.h"

static vx_corpus *corpus;
static vx_note *note;

static int setup(void **state)
{
	(void)state;
	vx_note_options o;
	vx_note_options_init(&o);
	o.feelings = VX_FEELINGS_AUTO;
	if (vx_corpus_new(&corpus) != 0 || vx_reader_read_file(corpus, VX_EXAMPLES "/experiences-exemple.csv", NULL) != 0 ||
	    vx_note_build(&note, corpus, &o) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vx_note_free(note);
	vx_corpus_free(corpus);
	return 0;
}

/* The method step starting with prefix. */
static const char *step(const char *prefix)
{
	for (size_t i = 0; i < note->n_steps; i++)
		if (strncmp(note->steps[i], prefix, strlen(prefix)) == 0)
			return note->steps[i];
	fail_msg("no method step \"%s\"", prefix);
	return NULL;
}

static void contains(const char *text, const char *expected)
{
	if (strstr(text, expected) == NULL)
		fail_msg("\"%s\" not in \"%s\"", expected, text);
}

static void test_numbers_are_the_constants(void **state)
{
	(void)state;
	char want[160];
	snprintf(want, sizeof want, "leurs %d termes les plus rares", VX_DEDUP_RARE_TERMS);
	contains(step("Quasi-doublons"), want);
	snprintf(want, sizeof want, "au moins %.0f %% de termes communs", VX_DEDUP_JACCARD * 100);
	contains(step("Quasi-doublons"), want);
	snprintf(want, sizeof want, "de %d à %d caractères", VERBATIM_MIN_CHARS, VERBATIM_MAX_CHARS);
	contains(step("Verbatims"), want);
	snprintf(want, sizeof want, "à au plus %d mots avant un indice", VX_FEELING_NEGATION_WORDS);
	contains(step("Ressentis"), want);
	snprintf(want, sizeof want, "positif à partir de +%d, négatif à partir de -%d", VX_FEELING_THRESHOLD,
	         VX_FEELING_THRESHOLD);
	contains(step("Ressentis"), want);
	snprintf(want, sizeof want, "confiance d'au moins %d,%d", (int)VX_FEELING_CONFIDENT,
	         (int)(VX_FEELING_CONFIDENT * 10) % 10);
	contains(step("Ressentis"), want);
	snprintf(want, sizeof want, "%d itérations HALS", NMF_ITERATIONS);
	contains(step("Sujets émergents"), want);
	snprintf(want, sizeof want, "plus de %d mots par expression trouvée", EMERGENT_WORDS_PER_EXPRESSION);
	contains(step("Sujets émergents"), want);
	snprintf(want, sizeof want, "d'au plus %d mots ne font que renvoyer", REFERRAL_MAX_WORDS);
	contains(step("Renvois"), want);
	/* Said in words: "renforce de moitié", "comptent pour moitié", "au plus la moitié". */
	assert_true(VX_FEELING_INTENSIFIER_GAIN == 1.5f);
	assert_true(VX_FEELING_CONTRAST_FACTOR == 0.5f);
	assert_true(MAX_DF_SHARE == 0.5);
	contains(step("Ressentis"), "le renforce de moitié");
	contains(step("Ressentis"), "comptent pour moitié");
	contains(step("Vocabulaire"), "au plus la moitié");
	for (size_t i = 0; i < note->n_params; i++)
		if (strcmp(note->params[i].name, "frequence_document_max") == 0)
			assert_string_equal(note->params[i].value, "50 %");
}

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Every verbatim's span in its experience is within the stated lengths. */
static void test_verbatims_within_the_stated_lengths(void **state)
{
	(void)state;
	size_t checked = 0;
	for (size_t t = 0; t < note->n_topics; t++)
		for (size_t v = 0; v < note->topics[t].n_verbatims; v++) {
			const vx_verbatim *vb = &note->topics[t].verbatims[v];
			const vx_experience *e = NULL;
			for (size_t i = 0; i < vx_corpus_count(corpus) && e == NULL; i++)
				if (strcmp(vx_corpus_get(corpus, i)->id, vb->experience_id) == 0)
					e = vx_corpus_get(corpus, i);
			assert_non_null(e);
			const char *field = strcmp(vb->field, "title") == 0 ? e->title : e->text;
			size_t n = utf8_chars(field + vb->start, vb->end - vb->start);
			assert_true(n >= VERBATIM_MIN_CHARS && n <= VERBATIM_MAX_CHARS);
			checked++;
		}
	assert_true(checked > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_are_the_constants),
		cmocka_unit_test(test_verbatims_within_the_stated_lengths),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
