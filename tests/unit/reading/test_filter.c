/*
 * vx_filter_match on the feeling and department filters, alone and with
 * the others, and vx_feeling_from_name, which reads the feeling's names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "voix/corpus.h"
#include "voix/error.h"

static void test_feeling_names(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int rc;
		vx_feeling want;
	} cases[] = {
		{"positif", 0, VX_FEELING_POSITIVE},
		{"neutre", 0, VX_FEELING_NEUTRAL},
		{"négatif", 0, VX_FEELING_NEGATIVE},
		{"negatif", 0, VX_FEELING_NEGATIVE},
		{"NÉGATIF", 0, VX_FEELING_NEGATIVE},
		{"  Positif ", 0, VX_FEELING_POSITIVE},
		/* Not a feeling a filter can ask for. */
		{"inconnu", VX_EINVAL, VX_FEELING_UNKNOWN},
		{"", VX_EINVAL, VX_FEELING_UNKNOWN},
		{"négative", VX_EINVAL, VX_FEELING_UNKNOWN},
		{"pos", VX_EINVAL, VX_FEELING_UNKNOWN},
		{NULL, VX_EINVAL, VX_FEELING_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_feeling got = VX_FEELING_UNKNOWN;
		int rc = vx_feeling_from_name(&got, cases[i].name);
		if (rc != cases[i].rc || got != cases[i].want)
			fail_msg("'%s': rc %d feeling %d, want rc %d feeling %d",
			         cases[i].name ? cases[i].name : "(null)", rc, (int)got, cases[i].rc, (int)cases[i].want);
	}
}

/* Six experiences, each with a feeling and a department as exports write
 * them (blanks around one, Corsica, overseas, none, a name). */
static const char *channels[] = {"Téléphone"};
static const vx_experience rows[] = {
	{.id = "a", .date = "2024-03-01", .feeling = VX_FEELING_NEGATIVE, .service = "CAF", .structure = "",
	 .department = "75", .channels = channels, .n_channels = 1},
	{.id = "b", .date = "2024-04-01", .feeling = VX_FEELING_POSITIVE, .service = "CAF", .structure = "",
	 .department = " 92 ", .channels = NULL, .n_channels = 0},
	{.id = "c", .date = "2024-05-01", .feeling = VX_FEELING_NEGATIVE, .service = "Préfecture", .structure = "",
	 .department = "2A", .channels = NULL, .n_channels = 0},
	{.id = "d", .date = "", .feeling = VX_FEELING_UNKNOWN, .service = "Préfecture", .structure = "",
	 .department = "", .channels = NULL, .n_channels = 0},
	{.id = "e", .date = "2024-06-01", .feeling = VX_FEELING_NEUTRAL, .service = "Mairie", .structure = "",
	 .department = "971", .channels = channels, .n_channels = 1},
	{.id = "f", .date = "2024-07-01", .feeling = VX_FEELING_POSITIVE, .service = "Mairie", .structure = "",
	 .department = "Seine-Saint-Denis", .channels = NULL, .n_channels = 0},
};
#define N_ROWS (sizeof rows / sizeof rows[0])

static void test_match(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		vx_filter filter;
		const char *ids; /* the rows that pass, in order */
	} cases[] = {
		{"nothing set", {0}, "abcdef"},
		{"empty strings", {.feeling = "", .department = ""}, "abcdef"},
		{"négatif", {.feeling = "négatif"}, "ac"},
		{"negatif without accent", {.feeling = "negatif"}, "ac"},
		{"positif", {.feeling = "positif"}, "bf"},
		{"neutre", {.feeling = "Neutre"}, "e"},
		/* A name that is no feeling keeps nothing rather than everything. */
		{"unknown name", {.feeling = "inconnu"}, ""},
		{"department", {.department = "75"}, "a"},
		{"department, blanks in the data", {.department = "92"}, "b"},
		{"department, blanks in the filter", {.department = " 2A "}, "c"},
		{"department, exact case", {.department = "2a"}, ""},
		{"department, no prefix match", {.department = "7"}, ""},
		{"department, no longer match", {.department = "750"}, ""},
		{"overseas department", {.department = "971"}, "e"},
		{"list", {.department = "75,92,93"}, "abf"},
		/* A code finds the department written by its name, as Services Publics+
		 * writes it; a name finds it too, and a code read as a number. */
		{"code for a name", {.department = "93"}, "f"},
		{"name", {.department = "Seine-Saint-Denis"}, "f"},
		{"code read as a number", {.department = "93.0"}, "f"},
		{"code of another name", {.department = "94"}, ""},
		{"list with blanks", {.department = " 971 , 2A"}, "ce"},
		{"trailing comma", {.department = "93,"}, "f"},
		{"leading comma", {.department = ",75"}, "a"},
		{"feeling and department", {.feeling = "négatif", .department = "75,2A,971"}, "ac"},
		{"feeling and service", {.feeling = "négatif", .service = "prefecture"}, "c"},
		{"feeling and channel", {.feeling = "négatif", .channel = "telephone"}, "a"},
		{"department and dates", {.department = "75,92,2A", .since = "2024-04-01"}, "bc"},
		{"all of them", {.service = "CAF", .channel = "Téléphone", .since = "2024-01-01", .until = "2024-12-31",
		                 .feeling = "negatif", .department = "75"},
		 "a"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char got[N_ROWS + 1] = "";
		size_t n = 0;
		for (size_t i = 0; i < N_ROWS; i++)
			if (vx_filter_match(&cases[k].filter, &rows[i]))
				got[n++] = rows[i].id[0];
		got[n] = '\0';
		if (strcmp(got, cases[k].ids) != 0)
			fail_msg("%s: kept '%s', want '%s'", cases[k].name, got, cases[k].ids);
	}
	/* No filter at all keeps everything. */
	for (size_t i = 0; i < N_ROWS; i++)
		assert_int_equal(vx_filter_match(NULL, &rows[i]), 1);
}

/* Every code finds its name, the first and the last of the table, Corsica
 * and overseas included; a code read as a number or without its zero too. */
static void test_department_names(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"01", "Ain"},       {"1", "Ain"},          {"6.0", "Alpes-Maritimes"}, {"29", "Finistère"},
	    {"2A", "Corse-du-Sud"}, {"2b", "Haute-Corse"}, {"30", "Gard"},          {"75", "Paris"},
	    {"95", "Val-d'Oise"}, {"971", "Guadeloupe"},  {"974", "La Réunion"},    {"976", "Mayotte"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *name = vx_department_name(cases[i][0], strlen(cases[i][0]));
		if (name == NULL || strcmp(name, cases[i][1]) != 0)
			fail_msg("%s: got %s, want %s", cases[i][0], name ? name : "NULL", cases[i][1]);
	}
	static const char *const unknown[] = {"", "00", "20", "96", "975", "2C", "7500", "Paris"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		assert_null(vx_department_name(unknown[i], strlen(unknown[i])));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feeling_names),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_department_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
