/*
 * vx_corpus_rejects_csv / _write: the rejected rows of a read, as the CSV
 * that voix import --rejects and the dashboard's download give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

static const char input[] = "Commentaire;Date\n"
                            "bien;2024-01-02\n"
                            ";2024-01-03\n"
                            "trop;de;champs\n"
                            "\"dit \"\"non\"\", deux fois\";2024-13-45\n";
static const char expected[] = "fichier,ligne,motif,enregistrement\n"
                               "avis.csv,3,texte vide,;2024-01-03\n"
                               "avis.csv,4,3 champs au lieu de 2,trop;de;champs\n"
                               "avis.csv,5,date illisible,\"\"\"dit \"\"\"\"non\"\"\"\", deux fois\"\";2024-13-45\"\n";

static vx_corpus *read_input(void)
{
	vx_corpus *c = NULL;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=Commentaire,date=Date";
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "avis.csv", input, sizeof input - 1, &o), 0);
	return c;
}

static void test_rejects_csv(void **state)
{
	(void)state;
	vx_corpus *c = read_input();
	char *csv = NULL;
	size_t len = 0;
	assert_int_equal(vx_corpus_rejects_csv(&csv, &len, c), 0);
	assert_string_equal(csv, expected);
	assert_int_equal(len, strlen(expected));
	free(csv);
	vx_corpus_free(c);
}

static void test_no_rejects_is_the_header_alone(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	char *csv = NULL;
	assert_int_equal(vx_corpus_rejects_csv(&csv, NULL, c), 0);
	assert_string_equal(csv, "fichier,ligne,motif,enregistrement\n");
	free(csv);
	vx_corpus_free(c);
}

static void test_rejects_write(void **state)
{
	(void)state;
	vx_corpus *c = read_input();
	char path[] = "/tmp/voix-test-rejects-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vx_corpus_rejects_write(c, path), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char back[sizeof expected + 16];
	size_t n = fread(back, 1, sizeof back, f);
	fclose(f);
	unlink(path);
	assert_int_equal(n, strlen(expected));
	assert_memory_equal(back, expected, n);
	assert_int_equal(vx_corpus_rejects_write(c, "/nonexistent-folder/rejets.csv"), VX_EWRITE);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejects_csv),
		cmocka_unit_test(test_no_rejects_is_the_header_alone),
		cmocka_unit_test(test_rejects_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
