/*
 * The options of a note: names, bounds and messages defined once in the
 * library (src/synthesis/options.c), for the command line and every other
 * front end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/note.h"

typedef struct set_case {
	const char *name;
	const char *value;
	int rc;              /* what vx_note_options_set returns */
	const char *message; /* a part of the message on error */
} set_case;

static const set_case set_cases[] = {
	{"topics", "1", 0, NULL},
	{"topics", "20", 0, NULL},
	{"topics", "0", VX_EINVAL, "--topics doit être entre 1 et 20 (reçu « 0 »)"},
	{"topics", "21", VX_EINVAL, "entre 1 et 20"},
	{"topics", "abc", VX_EINVAL, "reçu « abc »"},
	{"topics", "", VX_EINVAL, "--topics"},
	{"topics", "-3", VX_EINVAL, "--topics"},
	{"topics", "+3", VX_EINVAL, "--topics"},
	{"topics", " 3", VX_EINVAL, "--topics"},
	{"topics", "3 ", VX_EINVAL, "--topics"},
	{"topics", "99999999999999999999999", VX_EINVAL, "--topics"},
	{"topics", NULL, VX_EINVAL, "attend une valeur"},
	{"axes", "10", 0, NULL},
	{"axes", "11", VX_EINVAL, "--axes doit être entre 1 et 10"},
	{"terms", "50", 0, NULL},
	{"terms", "51", VX_EINVAL, "--terms doit être entre 1 et 50"},
	{"min-support", "1000", 0, NULL},
	{"min-support", "1001", VX_EINVAL, "--min-support doit être entre 1 et 1000"},
	{"min-support", "0", VX_EINVAL, "--min-support"},
	{"since", "2024-02-29", 0, NULL},
	{"since", "2024-02-30", VX_EINVAL, "--since attend une date AAAA-MM-JJ (reçu « 2024-02-30 »)"},
	{"until", "hier", VX_EINVAL, "--until attend une date AAAA-MM-JJ"},
	{"until", "", 0, NULL},
	{"service", "Préfecture", 0, NULL},
	{"structure", "", 0, NULL},
	{"channel", "Téléphone", 0, NULL},
	{"codebook", "levers.txt", 0, NULL},
	{"feeling", "négatif", 0, NULL},
	{"feeling", "negatif", 0, NULL},
	{"feeling", "Positif", 0, NULL},
	{"feeling", "", 0, NULL},
	{"feeling", "inconnu", VX_EINVAL, "--feeling attend positif, neutre ou négatif (reçu « inconnu »)"},
	{"feeling", "mauvais", VX_EINVAL, "--feeling attend positif, neutre ou négatif"},
	{"department", "75", 0, NULL},
	{"department", "75, 92,93", 0, NULL},
	{"department", "", 0, NULL},
	{"department", "75,,92", VX_EINVAL,
	 "--department attend un département ou plusieurs séparés par des virgules, comme 75 ou 75,92,93 "
	 "(reçu « 75,,92 »)"},
	{"department", "75,", VX_EINVAL, "--department attend un département"},
	{"department", " ", VX_EINVAL, "--department attend un département"},
	{"keep-institution-terms", NULL, 0, NULL},
	{"keep-institution-terms", "0", 0, NULL},
	{"keep-institution-terms", "oui", VX_EINVAL, "attend 1 ou 0"},
	{"topic", "4", VX_ENOTFOUND, "topic"},
	{"--topics", "4", VX_ENOTFOUND, "--topics"},
	{"", "4", VX_ENOTFOUND, NULL},
};

static void test_set_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof set_cases / sizeof set_cases[0]; i++) {
		const set_case *c = &set_cases[i];
		vx_note_options o, before;
		vx_note_options_init(&o);
		before = o;
		int rc = vx_note_options_set(&o, c->name, c->value);
		if (rc != c->rc)
			fail_msg("%s=%s: returned %d, want %d (%s)", c->name, c->value ? c->value : "(null)", rc, c->rc,
			         vx_error_last());
		if (rc != 0) {
			/* Nothing changes on error. */
			assert_memory_equal(&o, &before, sizeof o);
			if (c->message && strstr(vx_error_last(), c->message) == NULL)
				fail_msg("%s=%s: message \"%s\" lacks \"%s\"", c->name, c->value ? c->value : "(null)",
				         vx_error_last(), c->message);
		}
	}
}

static void test_set_fields(void **state)
{
	(void)state;
	vx_note_options o;
	vx_note_options_init(&o);
	assert_int_equal(vx_note_options_set(&o, "topics", "7"), 0);
	assert_int_equal(vx_note_options_set(&o, "axes", "3"), 0);
	assert_int_equal(vx_note_options_set(&o, "terms", "25"), 0);
	assert_int_equal(vx_note_options_set(&o, "min-support", "2"), 0);
	assert_int_equal(vx_note_options_set(&o, "service", "CAF"), 0);
	assert_int_equal(vx_note_options_set(&o, "structure", "Agence"), 0);
	assert_int_equal(vx_note_options_set(&o, "channel", "Guichet"), 0);
	assert_int_equal(vx_note_options_set(&o, "since", "2024-01-01"), 0);
	assert_int_equal(vx_note_options_set(&o, "until", "2024-06-30"), 0);
	assert_int_equal(vx_note_options_set(&o, "codebook", "cb.txt"), 0);
	assert_int_equal(vx_note_options_set(&o, "keep-institution-terms", NULL), 0);
	assert_int_equal(o.topics, 7);
	assert_int_equal(o.axes, 3);
	assert_int_equal(o.terms, 25);
	assert_int_equal(o.min_verbatim_support, 2);
	assert_string_equal(o.filter.service, "CAF");
	assert_string_equal(o.filter.structure, "Agence");
	assert_string_equal(o.filter.channel, "Guichet");
	assert_string_equal(o.filter.since, "2024-01-01");
	assert_string_equal(o.filter.until, "2024-06-30");
	assert_string_equal(o.codebook_path, "cb.txt");
	assert_int_equal(o.keep_institution_terms, 1);
	assert_int_equal(vx_note_options_check(&o), 0);
	assert_int_equal(vx_note_options_set(&o, "keep-institution-terms", "0"), 0);
	assert_int_equal(o.keep_institution_terms, 0);
}

/* The defaults pass; each bound is checked on the struct too, with the
 * same message as when the value comes as text. */
static void test_check(void **state)
{
	(void)state;
	vx_note_options o;
	vx_note_options_init(&o);
	assert_int_equal(vx_note_options_check(&o), 0);
	struct {
		size_t *field;
		size_t bad;
		const char *message;
	} counts[] = {
		{&o.topics, 0, "--topics doit être entre 1 et 20 (reçu 0)"},
		{&o.topics, VX_NOTE_MAX_TOPICS + 1, "--topics doit être entre 1 et 20 (reçu 21)"},
		{&o.axes, VX_NOTE_MAX_AXES + 1, "--axes doit être entre 1 et 10 (reçu 11)"},
		{&o.terms, 0, "--terms doit être entre 1 et 50 (reçu 0)"},
		{&o.min_verbatim_support, 0, "--min-support doit être entre 1 et 1000 (reçu 0)"},
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		size_t keep = *counts[i].field;
		*counts[i].field = counts[i].bad;
		assert_int_equal(vx_note_options_check(&o), VX_EINVAL);
		assert_string_equal(vx_error_last(), counts[i].message);
		*counts[i].field = keep;
	}
	o.filter.since = "2024-13-01";
	assert_int_equal(vx_note_options_check(&o), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "--since attend une date AAAA-MM-JJ"));
	o.filter.since = "2024-06-01";
	o.filter.until = "2024-05-31";
	assert_int_equal(vx_note_options_check(&o), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "--since est postérieur à --until (2024-06-01 après 2024-05-31)"));
	o.filter.until = "2024-06-01";
	assert_int_equal(vx_note_options_check(&o), 0);
	o.filter.until = "";
	o.filter.since = NULL;
	assert_int_equal(vx_note_options_check(&o), 0);
	/* The feeling and department filters set directly are checked too. */
	o.filter.feeling = "plutôt content";
	assert_int_equal(vx_note_options_check(&o), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "--feeling attend positif, neutre ou négatif"));
	o.filter.feeling = "NÉGATIF";
	assert_int_equal(vx_note_options_check(&o), 0);
	o.filter.department = ",";
	assert_int_equal(vx_note_options_check(&o), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "--department attend"));
	o.filter.department = "2A";
	assert_int_equal(vx_note_options_check(&o), 0);
	assert_int_equal(vx_note_options_check(NULL), VX_EINVAL);
}

/* vx_note_build refuses what vx_note_options_check refuses, with its message. */
static void test_build_checks(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	vx_note_options o;
	vx_note_options_init(&o);
	o.topics = 21;
	vx_note *n = NULL;
	assert_int_equal(vx_note_build(&n, c, &o), VX_EINVAL);
	assert_null(n);
	assert_string_equal(vx_error_last(), "--topics doit être entre 1 et 20 (reçu 21)");
	vx_corpus_free(c);
}

/* The names of the feelings' sources: one list for the option, the JSON
 * note and its reader; every name parses back to its source. */
static void test_feeling_source_names(void **state)
{
	(void)state;
	static const char *const names[] = {"auto", "export", "text"};
	for (int s = VX_FEELINGS_AUTO; s <= VX_FEELINGS_TEXT; s++) {
		int back = -1;
		assert_string_equal(vx_feeling_source_name(s), names[s]);
		assert_int_equal(vx_feeling_source_parse(&back, names[s]), 0);
		assert_int_equal(back, s);
		vx_note_options o;
		vx_note_options_init(&o);
		assert_int_equal(vx_note_options_set(&o, "feelings", names[s]), 0);
		assert_int_equal(o.feelings, s);
	}
	int back = 7;
	assert_null(vx_feeling_source_name(VX_FEELINGS_TEXT + 1));
	assert_null(vx_feeling_source_name(-1));
	assert_int_equal(vx_feeling_source_parse(&back, "Auto"), VX_ENOTFOUND);
	assert_int_equal(vx_feeling_source_parse(&back, NULL), VX_ENOTFOUND);
	assert_int_equal(back, 7);
}

/* Every option the library lists is one vx_note_options_set knows, and a
 * flag is set without a value. */
static void test_option_names(void **state)
{
	(void)state;
	size_t n = 0;
	int has_value;
	for (const char *name; (name = vx_note_option_name(n, &has_value)) != NULL; n++) {
		vx_note_options o;
		vx_note_options_init(&o);
		if (!has_value)
			assert_int_equal(vx_note_options_set(&o, name, NULL), 0);
		else
			assert_int_not_equal(vx_note_options_set(&o, name, "x"), VX_ENOTFOUND);
	}
	assert_true(n >= 15);
	assert_string_equal(vx_note_option_name(0, NULL), "topics");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_table),
		cmocka_unit_test(test_set_fields),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_build_checks),
		cmocka_unit_test(test_feeling_source_names),
		cmocka_unit_test(test_option_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
