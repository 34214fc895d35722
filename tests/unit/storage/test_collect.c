/*
 * The collection's storage (voix/collect.h): the structures referential.
 * Invented structures only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "voix/collect.h"
#include "voix/error.h"

/* The header as the 2023 export writes it: a byte order mark and a quoted
 * name inside the first quoted field, a line break inside a field. */
static const char REFERENTIAL[] =
	"\"\xEF\xBB\xBF\"\"Code SP+ de la structure\"\"\";Intitulé du réseau;Intitulé de la typologie;"
	"Intitulé de la structure;Code postal de la structure;Ville;Actif\r\n"
	"AAAA000001;CNAF;CAF;Caf de Montclair;99001;MONTCLAIR;Oui\r\n"
	"AAAA000002;POLICE NATIONALE;COMMISSARIAT;Commissariat de Valbonne;99002;VALBONNE;Oui\r\n"
	"AAAA000003;CNAF;CAF;\"Point d'accueil\nCaf de Valbonne\";99002;VALBONNE;Non\r\n"
	";CNAF;CAF;Sans code;99003;NULLEPART;Oui\r\n"
	"AAAA000004;CNAF;CAF;;99003;NULLEPART;Oui\r\n"
	"AAAA000001;CNAF;CAF;Doublon;99001;MONTCLAIR;Oui\r\n";

typedef struct found {
	char codes[8][VX_STRUCTURE_CODE_MAX + 1];
	size_t n;
	char name[128];
	int active;
} found;

static int collect(const vx_structure *st, void *payload)
{
	found *f = payload;
	if (f->n < 8)
		snprintf(f->codes[f->n++], sizeof f->codes[0], "%s", st->code);
	snprintf(f->name, sizeof f->name, "%s", st->name);
	f->active = st->active;
	return 0;
}

static void test_structures_import(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = NULL;
	vx_structures_counts c;
	size_t n = 0;
	tmpdb_make(&t);
	assert_int_equal(vx_store_open(&s, t.path), 0);
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	assert_int_equal(c.read, 6);
	assert_int_equal(c.inserted, 3);
	assert_int_equal(c.rejected, 3); /* no code, no name, a code seen before */
	assert_int_equal(c.first_rejected_line, 6);
	assert_int_equal(vx_structures_count(s, &n), 0);
	assert_int_equal(n, 3);
	/* Again: nothing changes; a changed name is an update. */
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	assert_int_equal(c.unchanged, 3);
	assert_int_equal(c.inserted + c.updated, 0);
	static const char changed[] = "Code SP+ de la structure;Intitulé de la structure\nAAAA000002;Hôtel de police de Valbonne\n";
	assert_int_equal(vx_structures_import(s, "b.csv", changed, sizeof changed - 1, &c), 0);
	assert_int_equal(c.updated, 1);
	found f = {0};
	assert_int_equal(vx_structure_get(s, "AAAA000002", collect, &f), 0);
	assert_string_equal(f.name, "Hôtel de police de Valbonne");
	assert_int_equal(vx_structure_get(s, "ZZZ", collect, &f), VX_ENOTFOUND);
	/* A file without the name column is refused and changes nothing. */
	static const char bad[] = "Code SP+ de la structure;Ville\nAAAA000009;X\n";
	assert_int_equal(vx_structures_import(s, "c.csv", bad, sizeof bad - 1, &c), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "Intitulé de la structure"));
	static const char empty[] = "Code SP+ de la structure;Intitulé de la structure\r\n";
	assert_int_equal(vx_structures_import(s, "d.csv", empty, sizeof empty - 1, &c), VX_EEMPTY);
	assert_int_equal(vx_structures_count(s, &n), 0);
	assert_int_equal(n, 3);
	vx_store_free(s);
	tmpdb_remove(&t);
}

static void test_structures_search(void **state)
{
	(void)state;
	static const struct {
		const char *query;
		size_t n;
		const char *first;
	} cases[] = {
		{"caf", 1, "AAAA000001"},           /* the inactive one is not offered */
		{"MONTCLAIR", 1, "AAAA000001"},     /* the city */
		{"commissariat valbonne", 1, "AAAA000002"},
		{"police", 1, "AAAA000002"},        /* the network */
		{"câf montclaîr", 1, "AAAA000001"}, /* accents and case ignored */
		{"caf valbonne", 0, NULL},
		{"", 2, "AAAA000001"},
	};
	tmpdb t;
	vx_store *s = NULL;
	vx_structures_counts c;
	tmpdb_make(&t);
	assert_int_equal(vx_store_open(&s, t.path), 0);
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		found f = {0};
		assert_int_equal(vx_structures_search(s, cases[i].query, 10, collect, &f), 0);
		assert_int_equal(f.n, cases[i].n);
		if (cases[i].first)
			assert_string_equal(f.codes[0], cases[i].first);
	}
	found f = {0};
	assert_int_equal(vx_structures_search(s, "", 1, collect, &f), 0);
	assert_int_equal(f.n, 1);
	vx_store_free(s);
	tmpdb_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structures_import),
		cmocka_unit_test(test_structures_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
