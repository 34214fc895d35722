/* French formatting shared by the renderers: numbers, percentages, dates, sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rendering/render.h"

#define NB "\xC2\xA0"
#define NN "\xE2\x80\xAF"

static void test_counts(void **state)
{
	(void)state;
	static const struct {
		size_t n;
		const char *want;
	} cases[] = {
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1" NN "000"},
		{1180, "1" NN "180"},
		{100000, "100" NN "000"},
		{1234567, "1" NN "234" NN "567"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_buf b = VX_BUF_INIT;
		assert_int_equal(vx_render_count(&b, cases[i].n), 0);
		assert_string_equal(b.data, cases[i].want);
		vx_buf_free(&b);
	}
}

static void test_percentages_round_half_up(void **state)
{
	(void)state;
	static const struct {
		size_t num, den;
		long long tenths;
		const char *want;
	} cases[] = {
		{412, 1180, 349, "34,9" NN "%"},
		{1, 16, 63, "6,3" NN "%"},   /* 6.25 % rounds up, whatever the binary value */
		{2, 3, 667, "66,7" NN "%"},
		{0, 5, 0, "0,0" NN "%"},
		{3, 0, 0, "0,0" NN "%"},     /* no denominator: no percentage to speak of */
		{5, 5, 1000, "100,0" NN "%"},
		{123456, 123456, 1000, "100,0" NN "%"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(vx_render_pct_tenths(cases[i].num, cases[i].den), cases[i].tenths);
		vx_buf b = VX_BUF_INIT;
		assert_int_equal(vx_render_pct(&b, cases[i].tenths), 0);
		assert_string_equal(b.data, cases[i].want);
		vx_buf_free(&b);
	}
	assert_int_equal(vx_render_share_tenths(0.34915), 349);
	assert_int_equal(vx_render_share_tenths(1.0), 1000);
	vx_buf b = VX_BUF_INIT;
	assert_int_equal(vx_render_tenths(&b, -25), 0);
	assert_string_equal(b.data, "-2,5");
	vx_buf_free(&b);
}

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *iso, *want;
	} cases[] = {
		{"2024-03-12", "12 mars 2024"},   {"2024-04-01", "1er avril 2024"},
		{"2024-02-29", "29 février 2024"}, {"2023-02-29", "date illisible"},
		{"2024-13-01", "date illisible"}, {"2024-3-1", "date illisible"},
		{"", "date illisible"},           {"2024-08-15", "15 août 2024"},
		{"2024-12-31", "31 décembre 2024"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_buf b = VX_BUF_INIT;
		assert_int_equal(vx_render_date(&b, cases[i].iso), 0);
		assert_string_equal(b.data, cases[i].want);
		vx_buf_free(&b);
	}
}

static void test_sentences(void **state)
{
	(void)state;
	vx_buf b = VX_BUF_INIT;
	assert_int_equal(vx_render_share_sentence(&b, 412, 1180, 0.0), 0);
	assert_string_equal(b.data, "412 expériences sur 1" NN "180, soit 34,9" NN "%");
	vx_buf_reset(&b);
	assert_int_equal(vx_render_share_sentence(&b, 1, 0, 0.5), 0);
	assert_string_equal(b.data, "1 expérience, soit 50,0" NN "%");

	vx_topic t;
	memset(&t, 0, sizeof t);
	t.has_trend = 1;
	t.previous_count = 120;
	t.previous_denominator = 900;
	t.current_count = 150;
	t.current_denominator = 950;
	vx_buf_reset(&b);
	assert_int_equal(vx_render_trend_sentence(&b, &t), 0);
	assert_string_equal(b.data, "période précédente" NB ": 120 sur 900 (13,3" NN "%) → période" NB ": 150 sur 950 (15,8" NN
	                            "%), soit +2,5 points");
	/* Decreases and changes below two points (singular in French). */
	t.current_count = 117;
	vx_buf_reset(&b);
	assert_int_equal(vx_render_trend_sentence(&b, &t), 0);
	assert_non_null(strstr(b.data, "(12,3" NN "%), soit -1,0 point"));

	vx_note n;
	memset(&n, 0, sizeof n);
	n.period_from = "2024-03-12";
	n.period_to = "";
	vx_buf_reset(&b);
	assert_int_equal(vx_render_period_sentence(&b, &n), 0);
	assert_string_equal(b.data, "à partir du 12 mars 2024");

	const char *titles[] = {"Principaux sujets", "Le principal sujet", "Les 2 principaux sujets"};
	for (size_t k = 0; k < 3; k++) {
		vx_buf_reset(&b);
		assert_int_equal(vx_render_topics_title(&b, k), 0);
		assert_string_equal(b.data, titles[k]);
	}
	vx_buf_reset(&b);
	assert_int_equal(vx_render_seconds(&b, 1234.567), 0);
	assert_string_equal(b.data, "1" NN "234,57" NN "s");
	vx_buf_reset(&b);
	assert_int_equal(vx_render_memory(&b, 123456), 0);
	assert_string_equal(b.data, "120,6" NN "Mo");
	vx_buf_free(&b);
}

/* Sentences shared by Markdown and HTML contain nothing either would parse. */
static void test_sentences_have_no_specials(void **state)
{
	(void)state;
	vx_topic t;
	memset(&t, 0, sizeof t);
	t.previous_count = 1234;
	t.previous_denominator = 99999;
	t.current_count = 5;
	t.current_denominator = 7;
	vx_buf b = VX_BUF_INIT;
	assert_int_equal(vx_render_trend_sentence(&b, &t), 0);
	assert_int_equal(vx_render_share_sentence(&b, 123456, 1234567, 0), 0);
	assert_int_equal(vx_render_topics_title(&b, 12), 0);
	assert_null(strpbrk(b.data, "&<>\"'*_`|[]#\\"));
	vx_buf_free(&b);
}

static void test_utf8_walker(void **state)
{
	(void)state;
	const char s[] = "é\xC3\x28😀";
	size_t i = 0, len = sizeof s - 1;
	assert_int_equal(vx_render_next_cp(s, len, &i), 0xE9);
	assert_int_equal(vx_render_next_cp(s, len, &i), 0xFFFD);
	assert_int_equal(vx_render_next_cp(s, len, &i), '(');
	assert_int_equal(vx_render_next_cp(s, len, &i), 0x1F600);
	assert_int_equal(i, len);
	assert_true(vx_render_is_bidi_control(0x202E));
	assert_false(vx_render_is_bidi_control(0x202F));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_percentages_round_half_up),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_sentences_have_no_specials),
		cmocka_unit_test(test_utf8_walker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
