/*
 * vx_reader_read_file parses UTF-8 CSV in place (strings point into the
 * file's buffer, which the corpus adopts) while vx_reader_read_buffer
 * copies: on every input shape both must give the same corpus, string for
 * string, reject for reject, and the hash of the bytes as they were.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

#define HEADER "ID expérience;Écrit le;Titre;Description;Ressenti usager;Intitulé Typologie 1;" \
               "Canaux Typologie 1;Intitulé structure 1\n"

static void same_str(const char *what, size_t i, const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		fail_msg("experience %zu, %s: <%s> from the file, <%s> from the buffer", i, what, a, b);
}

/* Reads data both ways (through a temporary file, and as a buffer) and
 * checks that the two corpora are the same. Returns the experiences read. */
static size_t check_both_ways(const char *data, size_t len, int keep_row_json, const char *map)
{
	char path[] = "/tmp/voix-inplace-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vx_file_write(path, data, len), 0);
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.keep_row_json = keep_row_json;
	o.map = map;
	vx_corpus *f = NULL, *b = NULL;
	assert_int_equal(vx_corpus_new(&f), 0);
	assert_int_equal(vx_corpus_new(&b), 0);
	int rf = vx_reader_read_file(f, path, &o);
	int rb = vx_reader_read_buffer(b, path, data, len, &o);
	unlink(path);
	assert_int_equal(rf, rb);
	assert_int_equal(vx_corpus_count(f), vx_corpus_count(b));
	for (size_t i = 0; i < vx_corpus_count(f); i++) {
		const vx_experience *x = vx_corpus_get(f, i), *y = vx_corpus_get(b, i);
		assert_int_equal(x->line, y->line);
		same_str("id", i, x->id, y->id);
		same_str("date", i, x->date, y->date);
		same_str("date_text", i, x->date_text, y->date_text);
		same_str("title", i, x->title, y->title);
		same_str("text", i, x->text, y->text);
		same_str("service", i, x->service, y->service);
		same_str("structure", i, x->structure, y->structure);
		same_str("department", i, x->department, y->department);
		same_str("reply", i, x->reply, y->reply);
		same_str("row_json", i, x->row_json, y->row_json);
		assert_int_equal(x->feeling, y->feeling);
		assert_int_equal(x->n_channels, y->n_channels);
		for (uint32_t k = 0; k < x->n_channels; k++)
			same_str("channel", i, x->channels[k], y->channels[k]);
	}
	assert_int_equal(vx_corpus_reject_count(f), vx_corpus_reject_count(b));
	for (size_t i = 0; i < vx_corpus_reject_count(f); i++) {
		const vx_reject *x = vx_corpus_reject(f, i), *y = vx_corpus_reject(b, i);
		assert_int_equal(x->line, y->line);
		assert_string_equal(x->reason, y->reason);
		assert_string_equal(x->raw, y->raw);
	}
	if (rf == 0) {
		const vx_source *x = vx_corpus_source(f, 0), *y = vx_corpus_source(b, 0);
		char hex[65];
		vx_sha256_hex(hex, data, len);
		assert_string_equal(x->sha256, hex);
		assert_string_equal(y->sha256, hex);
		assert_string_equal(x->encoding, y->encoding);
		assert_int_equal(x->c1_repaired, y->c1_repaired);
		assert_int_equal(x->rows_read, y->rows_read);
		assert_int_equal(x->rows_rejected, y->rows_rejected);
	}
	size_t n = vx_corpus_count(f);
	vx_corpus_free(f);
	vx_corpus_free(b);
	return n;
}

static void test_shapes(void **state)
{
	(void)state;
	static const char *const cases[] = {
		/* plain, final line break */
		HEADER "E1;2024-01-02;Titre;Très bien reçu par Mme Durandal.;Positif;CAF;Guichet;CAF de l'Ain\n",
		/* no final line break: the last field ends at the end of the file */
		HEADER "E1;2024-01-02;Titre;Un texte;Positif;CAF;Guichet;CAF de l'Ain",
		/* CRLF line breaks */
		HEADER "E1;2024-01-02;T;Un texte\r\nE2;03/02/2024;T;Autre texte;Négatif;CAF;Téléphone;X\r\n",
		/* byte order mark */
		"\xEF\xBB\xBF" HEADER "E1;2024-01-02;T;Un texte;Positif;CAF;Guichet;X\n",
		/* doubled quotes (unescaped, so copied), quoted fields with separators and line breaks */
		HEADER "E1;2024-01-02;\"Dit \"\"non\"\"\";\"Texte; sur\ndeux lignes\";Positif;CAF;\"Guichet, Téléphone \";X\n",
		/* ids and channels with spaces around them */
		HEADER "  E1  ;2024-01-02;T;Un texte;Positif;CAF; Guichet , Courrier ;X\nE2 ;;T;Texte;Neutre;CAF;,;X\n",
		/* C1 characters (U+0092, U+0080) in some fields only */
		HEADER "E1;2024-01-02;L\xC2\x92" "accueil;Co\xC3\xBBt 5 \xC2\x80;Positif;CAF;Guichet;X\n"
		       "E2;2024-01-03;T;Sans C1;Positif;CAF;Guichet;X\n",
		/* rejects keep their raw bytes: empty text, bad date, wrong count, quotes */
		HEADER "E1;2024-01-02;\"a \"\"b\"\"\";;Positif;CAF;Guichet;X\n"
		       "E2;pas une date;T;Texte;Positif;CAF;Guichet;X\n"
		       "E3;2024-01-02;\"x\"\"y\";Texte\n"
		       "E4;2024-01-02;\"T\"z;Texte;Positif;CAF;Guichet;X\n"
		       "E5;2024-01-02;T;Texte;Positif;CAF;Guichet;X\n"
		       "E6;2024-01-02;\"jamais fermé;Texte;Positif;CAF;Guichet;X\n",
		/* a header and no row: an error, nothing kept */
		HEADER,
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_both_ways(cases[i], strlen(cases[i]), 0, NULL);
		check_both_ways(cases[i], strlen(cases[i]), 1, NULL);
	}
}

/* One column for two roles: the id is the text trimmed, a tail of the same
 * string in the buffer, and both must survive the compaction. */
static void test_one_column_two_roles(void **state)
{
	(void)state;
	static const char data[] = "avis;quand\n  Accueil parfait;2024-01-02\nRien à dire;\n\"  Trop \"\"long\"\"\";\n";
	assert_int_equal(check_both_ways(data, strlen(data), 0, "text=avis,id=avis,date=quand"), 3);
	assert_int_equal(check_both_ways(data, strlen(data), 1, "text=avis,id=avis,title=avis,date=quand"), 3);
}

/* Large enough for the hash to run on another thread while the parser
 * writes into the buffer behind it. */
static void test_large_input(void **state)
{
	(void)state;
	vx_buf b = VX_BUF_INIT;
	assert_int_equal(vx_buf_puts(&b, HEADER), 0);
	for (unsigned k = 0; b.len < (3u << 20); k++)
		assert_int_equal(vx_buf_printf(&b,
		                               "E%u;2024-01-%02u;Titre %u;\"Texte \"\"%u\"\" assez long pour remplir "
		                               "le fichier\";Positif;CAF;Guichet, Courrier;Caisse %u\n",
		                               k, k % 28 + 1, k, k, k % 7),
		                 0);
	assert_true(check_both_ways(b.data, b.len, 0, NULL) > 20000);
	vx_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_one_column_two_roles),
		cmocka_unit_test(test_large_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
