/*
 * Mapping parsing and layout detection from a header: the known exports,
 * name matching that ignores case, accents and repeated spaces, mappings
 * applied over a header, and the errors that tell the user what to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reading/layout.h"
#include "reading/mapping.h"
#include "voix/error.h"

#define MAX_COLS 64

/* Splits a header written "a|b|c" into fields pointing into storage. */
static size_t header(vx_csv_field *out, char *storage, const char *spec)
{
	strcpy(storage, spec);
	size_t n = 0;
	char *p = storage;
	for (;;) {
		char *bar = strchr(p, '|');
		out[n].ptr = p;
		out[n].len = bar ? (size_t)(bar - p) : strlen(p);
		out[n].quoted = 0;
		n++;
		if (bar == NULL || n == MAX_COLS)
			break;
		p = bar + 1;
	}
	return n;
}

static void test_mapping_inline(void **state)
{
	(void)state;
	vx_mapping m = VX_MAPPING_INIT;
	assert_int_equal(vx_mapping_parse(&m, " text = Commentaire , id=ref,date=Date,feeling=Note,"), 0);
	assert_string_equal(m.column[VX_ROLE_TEXT], "Commentaire");
	assert_string_equal(m.column[VX_ROLE_ID], "ref");
	assert_string_equal(m.column[VX_ROLE_DATE], "Date");
	assert_string_equal(m.column[VX_ROLE_FEELING], "Note");
	assert_null(m.column[VX_ROLE_TITLE]);
	assert_int_equal(m.has_scale, 0);
	/* French names, a quoted value holding a comma and a quote, the scale. */
	assert_int_equal(vx_mapping_parse(&m, "TEXTE=\"Avis, libre \"\"court\"\"\",Ressenti=note,feeling_scale=binary,"
	                                      "canaux=Canal,titre=T,reponse=R,departement=D,service=S,structure=St"),
	                 0);
	assert_string_equal(m.column[VX_ROLE_TEXT], "Avis, libre \"court\"");
	assert_string_equal(m.column[VX_ROLE_FEELING], "note");
	assert_string_equal(m.column[VX_ROLE_CHANNELS], "Canal");
	assert_string_equal(m.column[VX_ROLE_TITLE], "T");
	assert_string_equal(m.column[VX_ROLE_REPLY], "R");
	assert_string_equal(m.column[VX_ROLE_DEPARTMENT], "D");
	assert_string_equal(m.column[VX_ROLE_SERVICE], "S");
	assert_string_equal(m.column[VX_ROLE_STRUCTURE], "St");
	assert_int_equal(m.scale, VX_SCALE_BINARY);
	assert_int_equal(m.has_scale, 1);
	assert_string_equal(m.column[VX_ROLE_ID], "ref"); /* earlier items stay */
	vx_mapping_free(&m);
}

static void test_mapping_errors(void **state)
{
	(void)state;
	static const struct {
		const char *spec;
		const char *says;
	} cases[] = {
		{"texte", "pas de « = »"},
		{"text=a,colour=b", "champ « colour » inconnu"},
		{"text=", "aucune colonne pour « text »"},
		{"text=\"open", "n'est pas fermé"},
		{"text=\"a\" b", "après un nom de colonne entre guillemets"},
		{"feeling_scale=percent", "feeling_scale vaut"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_mapping m = VX_MAPPING_INIT;
		assert_int_equal(vx_mapping_parse(&m, cases[i].spec), VX_EINVAL);
		if (strstr(vx_error_last(), cases[i].says) == NULL)
			fail_msg("case %zu: <%s> does not say <%s>", i, vx_error_last(), cases[i].says);
		vx_mapping_free(&m);
	}
}

static void test_mapping_file(void **state)
{
	(void)state;
	vx_mapping m = VX_MAPPING_INIT;
	assert_int_equal(vx_mapping_parse_file(&m, VX_TEST_DATA "/reading/mapping-allocine.txt"), 0);
	assert_string_equal(m.column[VX_ROLE_TEXT], "text");
	assert_string_equal(m.column[VX_ROLE_FEELING], "label");
	assert_int_equal(m.scale, VX_SCALE_BINARY);
	vx_mapping_free(&m);
	assert_int_equal(vx_mapping_parse_file(&m, VX_TEST_DATA "/reading/mapping-commas.txt"), 0);
	assert_string_equal(m.column[VX_ROLE_TEXT], "Votre avis, en quelques mots");
	assert_string_equal(m.column[VX_ROLE_ID], "Référence");
	vx_mapping_free(&m);
	assert_int_equal(vx_mapping_parse_file(&m, VX_TEST_DATA "/reading/no-such-mapping.txt"), VX_EIO);
}

static void test_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		vx_shape shape;
		const char *format;
		long text, id, date, date_alt, feeling, channels, reply, dim0, dim4;
	} cases[] = {
		/* 2023 export with the pandas index column (empty name) first */
		{"|ID expérience|Date de publication|Titre|Description|Ressenti usager|Canaux Typologie 1|"
		 "Accessibilité|Simplicité/Complexité",
		 VX_SHAPE_SPPLUS_2023, "sp-plus-2023", 4, 1, 2, -1, 5, 6, -1, 7, 8},
		/* case, accents and repeated spaces do not matter, nor the order */
		{"DESCRIPTION|id  EXPERIENCE|date de   publication|RESSENTI USAGER|accessibilite|"
		 "  Simplicite/Complexite ",
		 VX_SHAPE_SPPLUS_2023, "sp-plus-2023", 0, 1, 2, -1, 3, -1, -1, 4, 5},
		/* 2025 export: "Écrit le" is the date, "Date de publication" the fallback */
		{"ID expérience|Date de publication|Écrit le|Pseudonyme usager|Description|Ressenti usager|"
		 "Réponse structure 1|Tags généraux Accessibilité",
		 VX_SHAPE_SPPLUS_2025, "sp-plus-2025", 4, 0, 2, 1, 5, -1, 6, 7, -1},
		{"ID expérience|Écrit le|Description|Ressenti usager", VX_SHAPE_SPPLUS_2025, "sp-plus-2025", 2, 0, 1, -1,
		 3, -1, -1, -1, -1},
		/* Google-Maps reviews */
		{"date|rate|review_text|object_address|review_num", VX_SHAPE_GOOGLE, "google-reviews", 2, -1, 0, -1, 1,
		 -1, -1, -1, -1},
	};
	char storage[1024];
	vx_csv_field names[MAX_COLS];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = header(names, storage, cases[i].header);
		vx_layout L;
		vx_mapping m = VX_MAPPING_INIT;
		if (vx_layout_detect(&L, names, n, &m, 0, "t.csv") != 0)
			fail_msg("case %zu: %s", i, vx_error_last());
		assert_int_equal(L.shape, cases[i].shape);
		assert_string_equal(L.format, cases[i].format);
		assert_int_equal(L.col[VX_ROLE_TEXT], cases[i].text);
		assert_int_equal(L.col[VX_ROLE_ID], cases[i].id);
		assert_int_equal(L.col[VX_ROLE_DATE], cases[i].date);
		assert_int_equal(L.date_alt, cases[i].date_alt);
		assert_int_equal(L.col[VX_ROLE_FEELING], cases[i].feeling);
		assert_int_equal(L.col[VX_ROLE_CHANNELS], cases[i].channels);
		assert_int_equal(L.col[VX_ROLE_REPLY], cases[i].reply);
		assert_int_equal(L.dim[VX_DIM_ACCESSIBILITY], cases[i].dim0);
		assert_int_equal(L.dim[VX_DIM_SIMPLICITY], cases[i].dim4);
		assert_int_equal(L.relative_dates, cases[i].shape == VX_SHAPE_GOOGLE);
	}
}

static void test_mapped_layout(void **state)
{
	(void)state;
	char storage[1024];
	vx_csv_field names[MAX_COLS];
	size_t n = header(names, storage, "ref|Commentaire libre|Date|Note  sur 5");
	vx_layout L;
	vx_mapping m = VX_MAPPING_INIT;

	/* Unknown shape, no mapping: the message lists the columns and says --map. */
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "avis.csv"), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "\"Commentaire libre\""));
	assert_non_null(strstr(vx_error_last(), "--map"));
	assert_non_null(strstr(vx_error_last(), "avis.csv"));

	assert_int_equal(vx_mapping_parse(&m, "text=commentaire LIBRE,id=Ref,date=date,feeling=note sur 5"), 0);
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "avis.csv"), 0);
	assert_string_equal(L.format, "mapped-csv");
	assert_int_equal(L.col[VX_ROLE_TEXT], 1);
	assert_int_equal(L.col[VX_ROLE_ID], 0);
	assert_int_equal(L.col[VX_ROLE_DATE], 2);
	assert_int_equal(L.col[VX_ROLE_FEELING], 3);
	assert_int_equal(L.relative_dates, 0);
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 1, "avis.jsonl"), 0);
	assert_string_equal(L.format, "jsonl");
	vx_mapping_free(&m);

	/* A mapped column that is not there. */
	assert_int_equal(vx_mapping_parse(&m, "text=Avis"), 0);
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "avis.csv"), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "« Avis »"));
	assert_non_null(strstr(vx_error_last(), "\"Commentaire libre\""));
	vx_mapping_free(&m);

	/* A mapping without text over an unknown shape. */
	assert_int_equal(vx_mapping_parse(&m, "id=ref"), 0);
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "avis.csv"), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "text=COLONNE"));
	vx_mapping_free(&m);

	/* A mapping over a known shape overrides only what it names. */
	n = header(names, storage, "ID expérience|Date de publication|Description|Ressenti usager|Autre date");
	assert_int_equal(vx_mapping_parse(&m, "date=autre date"), 0);
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "sp.csv"), 0);
	assert_string_equal(L.format, "sp-plus-2023");
	assert_int_equal(L.col[VX_ROLE_DATE], 4);
	assert_int_equal(L.col[VX_ROLE_TEXT], 2);
	vx_mapping_free(&m);
}

static void test_long_header_message(void **state)
{
	(void)state;
	char storage[1024];
	vx_csv_field names[MAX_COLS];
	char spec[1000] = "";
	for (int k = 0; k < 40; k++)
		snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "%sColonne numéro %d", k ? "|" : "", k);
	size_t n = header(names, storage, spec);
	vx_layout L;
	vx_mapping m = VX_MAPPING_INIT;
	assert_int_equal(vx_layout_detect(&L, names, n, &m, 0, "large.csv"), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "(40 colonnes)"));
	assert_non_null(strstr(vx_error_last(), "--map"));
	assert_null(strchr(vx_error_last(), '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping_inline), cmocka_unit_test(test_mapping_errors),
		cmocka_unit_test(test_mapping_file),   cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_mapped_layout),  cmocka_unit_test(test_long_header_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
