/*
 * Typed values of a row: dates, feelings, ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reading/values.h"

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		vx_date_kind kind;
		const char *want;
	} cases[] = {
		{"2023-05-10", VX_DATE_ABSOLUTE, "2023-05-10"},
		{"2023-05-10T14:03:00+02:00", VX_DATE_ABSOLUTE, "2023-05-10"},
		{"2023-05-10T14:03:00Z", VX_DATE_ABSOLUTE, "2023-05-10"},
		{"2023-05-10T23:59:59.123-0500", VX_DATE_ABSOLUTE, "2023-05-10"},
		{"2023-05-10T14:03", VX_DATE_ABSOLUTE, "2023-05-10"},
		{"2019-03-17 18:20:38", VX_DATE_ABSOLUTE, "2019-03-17"},
		{"06/10/2022 15:07", VX_DATE_ABSOLUTE, "2022-10-06"}, /* day first */
		{"23/09/2020 09:47", VX_DATE_ABSOLUTE, "2020-09-23"},
		{"13/03/2019", VX_DATE_ABSOLUTE, "2019-03-13"},
		{"1/2/2024", VX_DATE_ABSOLUTE, "2024-02-01"},
		{"29/02/2024", VX_DATE_ABSOLUTE, "2024-02-29"},  /* leap year */
		{"29/02/2000", VX_DATE_ABSOLUTE, "2000-02-29"},  /* divisible by 400 */
		{"  2024-01-31 ", VX_DATE_ABSOLUTE, "2024-01-31"},
		{"06/10/2022 15:07:59", VX_DATE_ABSOLUTE, "2022-10-06"},
		{"", VX_DATE_EMPTY, ""},
		{"   ", VX_DATE_EMPTY, ""},
		/* calendar errors */
		{"31/04/2023", VX_DATE_INVALID, ""},
		{"29/02/2023", VX_DATE_INVALID, ""},
		{"29/02/1900", VX_DATE_INVALID, ""},
		{"2023-02-30", VX_DATE_INVALID, ""},
		{"2023-13-01", VX_DATE_INVALID, ""},
		{"2023-00-10", VX_DATE_INVALID, ""},
		{"00/01/2023", VX_DATE_INVALID, ""},
		{"12/31/2023", VX_DATE_INVALID, ""}, /* month first is not read */
		{"2023-05-10T25:00", VX_DATE_INVALID, ""},
		{"2023-05-10T12:60", VX_DATE_INVALID, ""},
		{"10/05/2023 24:00", VX_DATE_INVALID, ""},
		/* syntax errors */
		{"2023-5-10", VX_DATE_INVALID, ""},
		{"2023-05-10X", VX_DATE_INVALID, ""},
		{"2023-05-10T", VX_DATE_INVALID, ""},
		{"10/05/23", VX_DATE_INVALID, ""},
		{"10.05.2023", VX_DATE_INVALID, ""},
		{"hier", VX_DATE_INVALID, ""},
		{"n/a", VX_DATE_INVALID, ""},
		{"0999-01-01", VX_DATE_INVALID, ""},
		/* relative dates (Google reviews): no calendar day */
		{"2 months ago", VX_DATE_RELATIVE, ""},
		{"a year ago", VX_DATE_RELATIVE, ""},
		{"an hour ago", VX_DATE_RELATIVE, ""},
		{"15 hours ago", VX_DATE_RELATIVE, ""},
		{"a week ago", VX_DATE_RELATIVE, ""},
		{"il y a 3 jours", VX_DATE_RELATIVE, ""},
		{"il y a un an", VX_DATE_RELATIVE, ""},
		{"il y a une semaine", VX_DATE_RELATIVE, ""},
		{"2 months", VX_DATE_INVALID, ""},
		{"ago", VX_DATE_INVALID, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[11] = "garbage";
		vx_date_kind k = vx_date_parse(out, cases[i].in, strlen(cases[i].in));
		if (k != cases[i].kind || strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu <%s>: got kind %d <%s>, want %d <%s>", i, cases[i].in, k, out, cases[i].kind,
			         cases[i].want);
	}
	/* Explicit length: the bytes after len are not read. */
	char out[11];
	assert_int_equal(vx_date_parse(out, "2023-05-10T99", 10), VX_DATE_ABSOLUTE);
	assert_string_equal(out, "2023-05-10");
}

static void test_feelings(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		vx_feeling_scale scale;
		vx_feeling want;
	} cases[] = {
		{"Positif", VX_SCALE_STARS, VX_FEELING_POSITIVE},
		{"Négatif", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"NÉGATIF", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"negatif", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"Neutre", VX_SCALE_STARS, VX_FEELING_NEUTRAL},
		{" positive ", VX_SCALE_STARS, VX_FEELING_POSITIVE},
		{"Negative", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"neutral", VX_SCALE_STARS, VX_FEELING_NEUTRAL},
		{"Ne\xCC\x81gatif", VX_SCALE_STARS, VX_FEELING_NEGATIVE}, /* decomposed accent */
		{"1", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"2", VX_SCALE_STARS, VX_FEELING_NEGATIVE},
		{"3", VX_SCALE_STARS, VX_FEELING_NEUTRAL},
		{"4", VX_SCALE_STARS, VX_FEELING_POSITIVE},
		{"5.0", VX_SCALE_STARS, VX_FEELING_POSITIVE},
		{"0", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"6", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"4.5", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"0", VX_SCALE_BINARY, VX_FEELING_NEGATIVE},
		{"1", VX_SCALE_BINARY, VX_FEELING_POSITIVE},
		{"2", VX_SCALE_BINARY, VX_FEELING_UNKNOWN},
		{"", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"Bof", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"Positifs", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
		{"99999999999999999999", VX_SCALE_STARS, VX_FEELING_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_feeling f = vx_feeling_parse(cases[i].in, strlen(cases[i].in), cases[i].scale);
		if (f != cases[i].want)
			fail_msg("case %zu <%s>: got %d, want %d", i, cases[i].in, f, cases[i].want);
	}
}

static void test_ids_and_trim(void **state)
{
	(void)state;
	assert_int_equal(vx_id_trim("269117.0", 8), 6);
	assert_int_equal(vx_id_trim("269117", 6), 6);
	assert_int_equal(vx_id_trim("A1.0", 4), 4);   /* not a number */
	assert_int_equal(vx_id_trim(".0", 2), 2);
	assert_int_equal(vx_id_trim("12.00", 5), 5);
	size_t a;
	assert_int_equal(vx_trim("  ab c\t\r\n", 9, &a), 4);
	assert_int_equal(a, 2);
	assert_int_equal(vx_trim(" \n ", 3, &a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_feelings),
		cmocka_unit_test(test_ids_and_trim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
