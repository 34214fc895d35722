/*
 * Redaction of whole exports: same columns, rows and separator, masked
 * free-text columns, untouched code columns, the report, and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/privacy.h"
#include "voix/reader.h"

static char *redact(const char *in, const vx_redact_options *o, vx_redact_report **r, int expect_rc)
{
	char *out = NULL;
	size_t len = 0;
	int rc = vx_redact_buffer(r, &out, &len, "test.csv", in, strlen(in), o);
	assert_int_equal(rc, expect_rc);
	if (rc == 0)
		assert_int_equal(strlen(out), len);
	return out;
}

static void test_sp_plus_shape(void **state)
{
	(void)state;
	const char *in = "ID expérience;Date de publication;Titre;Description;Ressenti usager;Intitulé structure 1\n"
	                 "12;06/10/2022 15:07;Mme Durandal;\"Appelez-moi au 06 12 34 56 78; merci\";Négatif;CAF 92\n"
	                 "13;07/10/2022 09:00;RAS;Rien à signaler;Positif;Mairie\n";
	vx_redact_report *r = NULL;
	char *out = redact(in, NULL, &r, 0);
	assert_string_equal(out, "ID expérience;Date de publication;Titre;Description;Ressenti usager;Intitulé structure 1\n"
	                         "12;06/10/2022 15:07;Mme [NOM];\"Appelez-moi au [TÉLÉPHONE]; merci\";Négatif;CAF 92\n"
	                         "13;07/10/2022 09:00;RAS;Rien à signaler;Positif;Mairie\n");
	assert_int_equal(vx_redact_report_rows(r), 2);
	assert_int_equal(vx_redact_report_columns(r), 6);
	int masked = -1;
	assert_string_equal(vx_redact_report_column(r, 0, &masked), "ID expérience");
	assert_int_equal(masked, 0);
	assert_string_equal(vx_redact_report_column(r, 3, &masked), "Description");
	assert_int_equal(masked, 1);
	/* Structure names are masked too (the masker leaves "CAF 92" as is). */
	vx_redact_report_column(r, 5, &masked);
	assert_int_equal(masked, 1);
	assert_null(vx_redact_report_column(r, 6, NULL));
	assert_int_equal(vx_redact_report_count(r, 2, VX_PII_NAME), 1);
	assert_int_equal(vx_redact_report_count(r, 3, VX_PII_PHONE), 1);
	assert_int_equal(vx_redact_report_count(r, 3, VX_PII_NAME), 0);
	assert_int_equal(vx_redact_report_totals(r)->by_kind[VX_PII_PHONE], 1);
	free(out);
	vx_redact_report_free(r);
}

/* Unknown columns are masked; a BOM, CRLF line breaks, blank lines and
 * short rows are kept. */
static void test_unknown_columns(void **state)
{
	(void)state;
	const char bom_in[] = "\xEF\xBB\xBF" "ref,commentaire,note\r\n"
	                      "a1,NIR 295109912611193,5\r\n"
	                      "\r\n"
	                      "a2,court\r\n";
	char *out = redact(bom_in, NULL, NULL, 0);
	assert_string_equal(out, "\xEF\xBB\xBF" "ref,commentaire,note\r\n"
	                         "a1,NIR [NIR],5\r\n"
	                         "\r\n"
	                         "a2,court\r\n");
	free(out);
}

/* A Windows-1252 export comes out in UTF-8. */
static void test_windows_1252(void **state)
{
	(void)state;
	const char in[] = "texte;note\n\xE9t\xE9, Mme Durandal;5\n";
	char *out = redact(in, NULL, NULL, 0);
	assert_string_equal(out, "texte;note\nété, Mme [NOM];5\n");
	free(out);
}

/* Fields past the header's last column are masked too. */
static void test_extra_fields(void **state)
{
	(void)state;
	char *out = redact("date;rate\n2024-01-01;5;Mme Durandal\n", NULL, NULL, 0);
	assert_string_equal(out, "date;rate\n2024-01-01;5;Mme [NOM]\n");
	free(out);
}

/* The mapping forces masking of a column the kept list would copy, and
 * naming a column the file lacks is an error that names the column. */
static void test_mapping(void **state)
{
	(void)state;
	const char *in = "date,rate,avis\n2024-01-01,4,Mme Durandal\n";
	vx_redact_report *r = NULL;
	char *out = redact(in, NULL, &r, 0);
	assert_string_equal(out, "date,rate,avis\n2024-01-01,4,Mme [NOM]\n");
	int masked = -1;
	vx_redact_report_column(r, 1, &masked);
	assert_int_equal(masked, 0);
	free(out);
	vx_redact_report_free(r);
	vx_redact_options o = VX_REDACT_OPTIONS_INIT;
	o.map = "text=avis,title=rate";
	out = redact(in, &o, &r, 0);
	assert_string_equal(out, "date,rate,avis\n2024-01-01,4,Mme [NOM]\n");
	vx_redact_report_column(r, 1, &masked);
	assert_int_equal(masked, 1);
	free(out);
	vx_redact_report_free(r);
	o.map = "text=Commentaire";
	assert_null(redact(in, &o, NULL, VX_EINVAL));
	assert_non_null(strstr(vx_error_last(), "Commentaire"));
	o.map = "nonsense";
	assert_null(redact(in, &o, NULL, VX_EINVAL));
}

/* Only ids, dates and numbers are copied unmasked, and only the cells that
 * have that shape: an e-mail in the id column, a phone number in a rating,
 * a name in a date are masked; service, structure, channel names and the
 * pseudonym are masked whatever they hold. */
static void test_only_checked_cells_are_kept(void **state)
{
	(void)state;
	const char *in = "ID expérience;Écrit le;Pseudonyme usager;Intitulé Typologie 1;Canaux Typologie 1;"
	                 "Intitulé structure 1;rate;Description\n"
	                 "4100001;2024-01-05;lea.morel@exemple.fr;CAF;Téléphone;CAF de Montclair;5;RAS\n"
	                 "lea.morel@exemple.fr;écrire à lea.morel@exemple.fr;Zoe77;CAF 06 12 34 56 78;"
	                 "Rappel au 06 12 34 56 78;Accueil de lea.morel@exemple.fr;06 12 34 56 78;RAS\n";
	vx_redact_report *r = NULL;
	char *out = redact(in, NULL, &r, 0);
	assert_null(strstr(out, "lea.morel"));
	assert_null(strstr(out, "06 12 34 56 78"));
	assert_non_null(strstr(out, "\n4100001;2024-01-05;[EMAIL];CAF;Téléphone;CAF de Montclair;5;RAS\n"));
	size_t cells = 99;
	assert_string_equal(vx_redact_report_kept(r, 0, &cells), "id");
	assert_int_equal(cells, 1);
	assert_string_equal(vx_redact_report_kept(r, 1, &cells), "date");
	assert_int_equal(cells, 1);
	assert_string_equal(vx_redact_report_kept(r, 6, &cells), "number");
	assert_int_equal(cells, 1);
	for (size_t c = 2; c <= 5; c++)
		assert_null(vx_redact_report_kept(r, c, NULL));
	free(out);
	vx_redact_report_free(r);
}

/* A field over the reader's limit is refused with the file's name. */
static void test_oversized_field_names_the_file(void **state)
{
	(void)state;
	size_t big = (size_t)VX_READ_MAX_FIELD + 16;
	char *in = malloc(big + 64);
	assert_non_null(in);
	int n = snprintf(in, 64, "id;texte\n1;\"");
	memset(in + n, 'a', big);
	memcpy(in + n + big, "\"\n", 3);
	char *out = NULL;
	assert_int_equal(vx_redact_buffer(NULL, &out, NULL, "grand.csv", in, (size_t)n + big + 2, NULL), VX_ETOOBIG);
	assert_non_null(strstr(vx_error_last(), "grand.csv"));
	free(in);
}

static void test_errors(void **state)
{
	(void)state;
	char *out = (char *)1;
	assert_int_equal(vx_redact_buffer(NULL, &out, NULL, "vide.csv", "", 0, NULL), VX_EEMPTY);
	assert_null(out);
	assert_int_equal(vx_redact_buffer(NULL, &out, NULL, "bin.csv", "a\0b\0c", 5, NULL), VX_EFORMAT);
	vx_redact_report *r = (vx_redact_report *)1;
	assert_int_equal(vx_redact_file(&r, "/nonexistent/voix-redact.csv", NULL, NULL), VX_EIO);
	assert_null(r);
	/* error messages never quote a cell */
	assert_null(strstr(vx_error_last(), "Durandal"));
}

/* Writing to a file, and reading it back. */
static void test_file_roundtrip(void **state)
{
	(void)state;
	char in_path[] = "/tmp/voix-redact-in-XXXXXX";
	int fd = mkstemp(in_path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("Titre;Description\nBonjour;Écrivez à jeanne@exemple.fr\n", f);
	fclose(f);
	char out_path[64];
	snprintf(out_path, sizeof out_path, "%s.out", in_path);
	vx_redact_report *r = NULL;
	assert_int_equal(vx_redact_file(&r, in_path, out_path, NULL), 0);
	f = fopen(out_path, "r");
	assert_non_null(f);
	char buf[256] = {0};
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, "Titre;Description\nBonjour;Écrivez à [EMAIL]\n");
	assert_int_equal(vx_redact_report_totals(r)->by_kind[VX_PII_EMAIL], 1);
	vx_redact_report_free(r);
	remove(in_path);
	remove(out_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sp_plus_shape), cmocka_unit_test(test_unknown_columns),
		cmocka_unit_test(test_windows_1252),  cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_errors),        cmocka_unit_test(test_file_roundtrip),
		cmocka_unit_test(test_extra_fields),
		cmocka_unit_test(test_only_checked_cells_are_kept),
		cmocka_unit_test(test_oversized_field_names_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
