/*
 * vx_option_count and vx_option_count_check: whole-number options, their
 * bounds and their one French message, for every front end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/util.h"

static const struct {
	const char *text;
	size_t min, max;
	int rc;
	size_t value;        /* when rc == 0 */
	const char *message; /* when rc != 0 */
} cases[] = {
	{"5", 1, 20, 0, 5, NULL},
	{"0", 0, 86400, 0, 0, NULL},
	{"86400", 0, 86400, 0, 86400, NULL},
	{"007", 1, 20, 0, 7, NULL},
	{"18446744073709551615", 1, SIZE_MAX, 0, SIZE_MAX, NULL},
	{"21", 1, 20, VX_EINVAL, 0, "--x doit être entre 1 et 20 (reçu « 21 »)"},
	{"0", 1, 20, VX_EINVAL, 0, "--x doit être entre 1 et 20 (reçu « 0 »)"},
	{"", 1, 20, VX_EINVAL, 0, "--x doit être entre 1 et 20 (reçu «  »)"},
	{"-1", 0, 20, VX_EINVAL, 0, "--x doit être entre 0 et 20 (reçu « -1 »)"},
	{"+3", 1, 20, VX_EINVAL, 0, "(reçu « +3 »)"},
	{" 3", 1, 20, VX_EINVAL, 0, "(reçu «  3 »)"},
	{"3 ", 1, 20, VX_EINVAL, 0, "(reçu « 3  »)"},
	{"1e3", 1, 20000, VX_EINVAL, 0, "(reçu « 1e3 »)"},
	{"18446744073709551616", 1, SIZE_MAX, VX_EINVAL, 0, "--x doit être un nombre entier d'au moins 1"},
	{"99999999999999999999999", 0, 100, VX_EINVAL, 0, "--x doit être entre 0 et 100"},
	{"0", 1, SIZE_MAX, VX_EINVAL, 0, "--x doit être un nombre entier d'au moins 1 (reçu « 0 »)"},
};

static void test_count(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t v = 12345;
		int rc = vx_option_count(&v, "x", cases[i].text, cases[i].min, cases[i].max);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0) {
			assert_true(v == cases[i].value);
		} else {
			assert_true(v == 12345); /* unchanged on error */
			assert_non_null(strstr(vx_error_last(), cases[i].message));
		}
	}
}

static void test_missing_value(void **state)
{
	(void)state;
	size_t v = 0;
	assert_int_equal(vx_option_count(&v, "wait", NULL, 0, 10), VX_EINVAL);
	assert_string_equal(vx_error_last(), "--wait attend une valeur");
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(vx_option_count_check("topics", 4, 1, 20), 0);
	assert_int_equal(vx_option_count_check("topics", 0, 1, 20), VX_EINVAL);
	assert_string_equal(vx_error_last(), "--topics doit être entre 1 et 20 (reçu 0)");
	assert_int_equal(vx_option_count_check("limit", 0, 1, SIZE_MAX), VX_EINVAL);
	assert_string_equal(vx_error_last(), "--limit doit être un nombre entier d'au moins 1 (reçu 0)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
