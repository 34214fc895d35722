/*
 * vx_reader on the real shared corpora (VX_SHARED_DATA). Expected counts and
 * fields were computed independently with Python's csv module (RFC 4180,
 * C1 characters mapped through Windows-1252); see docs/reading.md.
 * Exits 77 (skipped) when the shared data is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

#define SHARED VX_SHARED_DATA "/"
#define SP_PLUS SHARED "sp-plus-2023-sample/experiences.csv"
#define GOOGLE SHARED "google-reviews-pole-emploi/reviews.csv"
#define GDN SHARED "gdn-reunions-locales/reunions.csv"
#define ALLOCINE_TEST SHARED "allocine-reviews-sample/test_data_allocine.csv"
#define ALLOCINE_TRAIN SHARED "allocine-reviews-sample/train_data_allocine.csv"

/* The mapping documented in docs/reading.md for the Grand Débat file. */
#define GDN_MAP                                                                                              \
	"text=Quelles sont les propositions qui ont emerge des discussions,id=contribution_no,date=Création,"   \
	"title=Titre,department=Département"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static vx_corpus *read_timed(const char *path, const vx_read_options *opts)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	double t0 = now_ms();
	int rc = vx_reader_read_file(c, path, opts);
	double t1 = now_ms();
	if (rc != 0)
		fail_msg("%s: %s", path, vx_error_last());
	const vx_source *s = vx_corpus_source(c, 0);
	printf("  %s: %zu rows read, %zu rejected, %zu C1 repaired, %.1f ms\n", path, s->rows_read, s->rows_rejected,
	       s->c1_repaired, t1 - t0);
	return c;
}

static void check_totals(const vx_corpus *c, size_t read, size_t rejected)
{
	const vx_source *s = vx_corpus_source(c, 0);
	assert_int_equal(s->rows_read, read);
	assert_int_equal(s->rows_rejected, rejected);
	assert_int_equal(vx_corpus_count(c), read - rejected);
	assert_int_equal(vx_corpus_reject_count(c), rejected);
}

static void check_text_hash(const vx_experience *e, const char *sha256)
{
	char hex[65];
	vx_sha256_hex(hex, e->text, strlen(e->text));
	if (strcmp(hex, sha256) != 0)
		fail_msg("%s line %u: text hash %s, want %s", e->source, e->line, hex, sha256);
}

static void test_spplus_sample(void **state)
{
	(void)state;
	vx_corpus *c = read_timed(SP_PLUS, NULL);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "sp-plus-2023");
	assert_string_equal(s->encoding, "utf-8");
	assert_int_equal(s->separator, ',');
	assert_int_equal(s->c1_repaired, 1231);
	check_totals(c, 1200, 0);

	size_t feel[VX_FEELING_COUNT] = {0};
	for (size_t i = 0; i < vx_corpus_count(c); i++)
		feel[vx_corpus_get(c, i)->feeling]++;
	assert_int_equal(feel[VX_FEELING_POSITIVE], 400);
	assert_int_equal(feel[VX_FEELING_NEUTRAL], 400);
	assert_int_equal(feel[VX_FEELING_NEGATIVE], 400);

	static const struct {
		size_t index;
		uint32_t line;
		const char *id, *date, *text_sha256;
		uint32_t n_channels;
		vx_feeling dim0, dim4;
	} rows[] = {
		{0, 2, "2904756", "2022-10-06", "7ecdfb3eff4eacd0095cb7ab3dde97fbc783689523d185d6f44c1ab2548d9765", 1,
		 VX_FEELING_POSITIVE, VX_FEELING_POSITIVE},
		{1, 3, "270656", "2020-09-23", "64bbe4e6ccb3a310f6ba14f5e532b842b50dd28c7b0f6488a051ab0f8d68eec4", 1,
		 VX_FEELING_UNKNOWN, VX_FEELING_UNKNOWN},
		{599, 1367, "270313", "2021-01-31", "67fb5f704f989d86b5f9eaaff0bf385519a0e99ea4785b112cc85c0276d1feee", 0,
		 VX_FEELING_UNKNOWN, VX_FEELING_UNKNOWN},
		{1199, 2784, "269561", "2021-07-16", "8a8a0a645a2b1e3ba10d003e4823045ec134c5e460460ccfc90a5d2b5e902595",
		 3, VX_FEELING_NEGATIVE, VX_FEELING_NEGATIVE},
	};
	for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
		const vx_experience *e = vx_corpus_get(c, rows[k].index);
		assert_int_equal(e->line, rows[k].line);
		assert_string_equal(e->id, rows[k].id);
		assert_string_equal(e->date, rows[k].date);
		assert_int_equal(e->n_channels, rows[k].n_channels);
		assert_int_equal(e->dims[VX_DIM_ACCESSIBILITY], rows[k].dim0);
		assert_int_equal(e->dims[VX_DIM_SIMPLICITY], rows[k].dim4);
		check_text_hash(e, rows[k].text_sha256);
	}
	const vx_experience *last = vx_corpus_get(c, 1199);
	assert_string_equal(last->channels[0], "Téléphone");
	assert_string_equal(last->channels[2], "Démarche en ligne");
	assert_string_equal(vx_corpus_get(c, 0)->service, "Réseau consulaire");
	vx_corpus_free(c);
}

static void test_google_reviews(void **state)
{
	(void)state;
	vx_corpus *c = read_timed(GOOGLE, NULL);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "google-reviews");
	check_totals(c, 16645, 7107);
	size_t feel[VX_FEELING_COUNT] = {0};
	for (size_t i = 0; i < vx_corpus_count(c); i++) {
		const vx_experience *e = vx_corpus_get(c, i);
		feel[e->feeling]++;
		assert_string_equal(e->date, ""); /* relative dates only */
		assert_true(e->date_text[0] != '\0');
	}
	assert_int_equal(feel[VX_FEELING_NEGATIVE], 5884);
	assert_int_equal(feel[VX_FEELING_NEUTRAL], 534);
	assert_int_equal(feel[VX_FEELING_POSITIVE], 3120);
	for (size_t i = 0; i < vx_corpus_reject_count(c); i++)
		assert_string_equal(vx_corpus_reject(c, i)->reason, "texte vide");
	assert_int_equal(vx_corpus_reject(c, 0)->line, 29);
	assert_int_equal(vx_corpus_reject(c, 7106)->line, 22462);

	const vx_experience *e = vx_corpus_get(c, 0);
	assert_int_equal(e->line, 2);
	assert_string_equal(e->id, "reviews.csv:2");
	assert_string_equal(e->date_text, "2 months ago");
	check_text_hash(e, "bba89c85b0d2726c8a583847e9963dbf9e89a27cb843b268f8a507fa1cad401e");
	e = vx_corpus_get(c, 9537);
	assert_int_equal(e->line, 22463);
	assert_string_equal(e->structure, "45 Av. Billaud Varenne, 17000 La Rochelle");
	assert_string_equal(e->date_text, "a week ago");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	check_text_hash(e, "dc9b120becb47851fbc43da036afdd7fbc260f2cf03fed1b2c27c6715f60bb1b");
	vx_corpus_free(c);
}

static void test_grand_debat(void **state)
{
	(void)state;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	/* Without a mapping the layout is unknown and the message says --map. */
	assert_int_equal(vx_reader_read_file(c, GDN, &o), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "--map"));
	assert_int_equal(vx_corpus_count(c), 0);
	vx_corpus_free(c);

	o.map = GDN_MAP;
	c = read_timed(GDN, &o);
	assert_string_equal(vx_corpus_source(c, 0)->format, "mapped-csv");
	check_totals(c, 9278, 3805);
	const vx_experience *e = vx_corpus_get(c, 0);
	assert_int_equal(e->line, 3);
	assert_string_equal(e->id, "95");
	assert_string_equal(e->date, "2019-03-14");
	assert_string_equal(e->date_text, "2019-03-14 15:15:14");
	assert_string_equal(e->department, "Ain");
	check_text_hash(e, "8e93b72d5bed9736711e40a26a5215b9ec5d67f7fb3f83f1715873fa71b05ce8");
	e = vx_corpus_get(c, 5472);
	assert_int_equal(e->line, 65263);
	assert_string_equal(e->id, "9274");
	assert_string_equal(e->date, "2019-02-26");
	assert_string_equal(e->department, "Non renseigné");
	check_text_hash(e, "4fbef50f289550e86e9ded8f085512d1b45056e1d049a57505b71b59f89ac3e0");
	vx_corpus_free(c);
}

static void test_allocine(void **state)
{
	(void)state;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=text,feeling=label,feeling_scale=binary";
	static const struct {
		const char *path;
		size_t rows;
	} files[] = {{ALLOCINE_TEST, 400}, {ALLOCINE_TRAIN, 2000}};
	for (size_t k = 0; k < 2; k++) {
		vx_corpus *c = read_timed(files[k].path, &o);
		check_totals(c, files[k].rows, 0);
		size_t feel[VX_FEELING_COUNT] = {0};
		for (size_t i = 0; i < vx_corpus_count(c); i++)
			feel[vx_corpus_get(c, i)->feeling]++;
		assert_int_equal(feel[VX_FEELING_POSITIVE], files[k].rows / 2);
		assert_int_equal(feel[VX_FEELING_NEGATIVE], files[k].rows / 2);
		vx_corpus_free(c);
	}
}

/* Every corpus into one corpus, with the original rows kept as JSON. */
static void test_all_in_one_corpus(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.keep_row_json = 1;
	assert_int_equal(vx_reader_read_file(c, SP_PLUS, &o), 0);
	assert_int_equal(vx_reader_read_file(c, GOOGLE, &o), 0);
	o.map = GDN_MAP;
	assert_int_equal(vx_reader_read_file(c, GDN, &o), 0);
	assert_int_equal(vx_corpus_source_count(c), 3);
	assert_int_equal(vx_corpus_count(c), 1200 + 9538 + 5473);
	assert_int_equal(vx_corpus_reject_count(c), 7107 + 3805);
	assert_non_null(strstr(vx_corpus_get(c, 0)->row_json, "\"ID expérience\":\"2904756\""));
	assert_non_null(strstr(vx_corpus_get(c, 1200)->row_json, "\"rate\":\"1\""));
	vx_corpus_free(c);
}

int main(void)
{
	if (access(SP_PLUS, R_OK) != 0 || access(GOOGLE, R_OK) != 0 || access(GDN, R_OK) != 0 ||
	    access(ALLOCINE_TEST, R_OK) != 0 || access(ALLOCINE_TRAIN, R_OK) != 0) {
		printf("skipped: the shared corpora are not at %s\n", VX_SHARED_DATA);
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spplus_sample), cmocka_unit_test(test_google_reviews),
		cmocka_unit_test(test_grand_debat),   cmocka_unit_test(test_allocine),
		cmocka_unit_test(test_all_in_one_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
