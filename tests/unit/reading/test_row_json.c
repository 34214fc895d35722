/*
 * vx_experience.row_json as the reader builds it (keep_row_json): for the
 * bundled example and for invented tricky rows, it is byte for byte the
 * JSON the reader wrote with Jansson before (built here the same way, at
 * test time, from the file's own records), and it parses back to every
 * column's value, keyed by column name, in column order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "reading/csv.h"
#include "reading/decode.h"
#include "util/buf.h"
#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

/* The reference: what the reader wrote before its JSON writer, rebuilt from
 * the decoded file with Jansson (json_object of json_stringn values keyed
 * by the header names, dumped compact in insertion order). keys are the
 * header names made unique as the reader does; records are matched to
 * experiences by line. */
static void check_against_jansson(const char *name, const char *data, size_t len, const char *map,
                                  const char *const *keys, size_t n_keys)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.keep_row_json = 1;
	o.map = map;
	if (vx_reader_read_buffer(c, name, data, len, &o) != 0)
		fail_msg("%s: %s", name, vx_error_last());
	const vx_source *src = vx_corpus_source(c, 0);

	vx_decoded dec;
	assert_int_equal(vx_decode_text(&dec, name, data, len, 0), 0);
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, dec.text, dec.len, src->separator, 0);
	size_t header_fields = 0, checked = 0, next = 0;
	while (vx_csv_next(&p, &rec) == 1) {
		if (rec.n_fields == 0)
			continue;
		if (header_fields == 0) {
			header_fields = rec.n_fields;
			assert_int_equal(header_fields, n_keys);
			continue;
		}
		if (next >= vx_corpus_count(c) || vx_corpus_get(c, next)->line != rec.line)
			continue; /* a reject */
		const vx_experience *e = vx_corpus_get(c, next++);
		json_t *obj = json_object();
		assert_non_null(obj);
		for (size_t k = 0; k < rec.n_fields; k++)
			assert_int_equal(json_object_set_new(obj, keys[k], json_stringn(rec.fields[k].ptr ? rec.fields[k].ptr : "",
			                                                                  rec.fields[k].len)),
			                 0);
		char *want = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_non_null(want);
		if (strcmp(e->row_json, want) != 0)
			fail_msg("%s line %u: row_json\n<%s>\nbut Jansson writes\n<%s>", name, rec.line, e->row_json, want);

		/* The structure parsed back: same keys in the same order, same values. */
		json_error_t err;
		json_t *back = json_loads(e->row_json, JSON_REJECT_DUPLICATES, &err);
		if (back == NULL)
			fail_msg("%s line %u: row_json does not parse: %s", name, rec.line, err.text);
		assert_true(json_equal(back, obj));
		size_t k = 0;
		const char *key;
		json_t *v;
		json_object_foreach(back, key, v) {
			assert_string_equal(key, keys[k]);
			assert_int_equal(json_string_length(v), rec.fields[k].len);
			k++;
		}
		assert_int_equal(k, n_keys);
		json_decref(back);
		free(want);
		json_decref(obj);
		checked++;
	}
	assert_int_equal(checked, vx_corpus_count(c));
	assert_true(checked > 0);
	vx_csv_free(&p);
	vx_decoded_free(&dec);
	vx_corpus_free(c);
}

/* The bundled example: every row (its header names are all distinct). */
static void test_bundled_example(void **state)
{
	(void)state;
	const char *path = VX_EXAMPLES "/experiences-exemple.csv";
	char *data = NULL;
	size_t len = 0;
	if (vx_file_read(&data, &len, path, 0) != 0)
		fail_msg("%s: %s", path, vx_error_last());

	/* Its header names, as the decoded file has them. */
	vx_decoded dec;
	assert_int_equal(vx_decode_text(&dec, path, data, len, 0), 0);
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, dec.text, dec.len, vx_csv_detect_separator(dec.text, dec.len), 0);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	size_t n = rec.n_fields;
	char **keys = calloc(n, sizeof *keys);
	assert_non_null(keys);
	for (size_t k = 0; k < n; k++) {
		keys[k] = strndup(rec.fields[k].ptr, rec.fields[k].len);
		assert_non_null(keys[k]);
		for (size_t j = 0; j < k; j++)
			assert_string_not_equal(keys[j], keys[k]);
	}
	vx_csv_free(&p);
	vx_decoded_free(&dec);

	check_against_jansson(path, data, len, NULL, (const char *const *)keys, n);
	for (size_t k = 0; k < n; k++)
		free(keys[k]);
	free(keys);
	free(data);
}

/* Invented rows with everything JSON must escape or keep, under repeated
 * and empty column names (made unique with " (2)"...). */
static void test_tricky_rows(void **state)
{
	(void)state;
	vx_buf in = VX_BUF_INIT;
	vx_buf_puts(&in, "text,x,x,,x (2),\"\",\"a\"\"b\",c\\d\n");
	vx_buf_puts(&in, "\"Mme Durandal a dit \"\"non\"\"\r\npuis\ta raccroché \xf0\x9f\x98\xa0\",1,,\\,\"\"\"\",/,"
	                 "\x01\x1f\x7f,\xe2\x80\xa8\n");
	vx_buf_puts(&in, "\"\\\\serveur\\partage\",\xc2\x92,\xc3\xa9,\x0b,\x08\x0c,\" \",,\"\"\n");
	/* Padding keeps control bytes far below the binary-data threshold. */
	vx_buf_puts(&in, "\"");
	for (int k = 0; k < 40; k++)
		vx_buf_puts(&in, "Un texte ordinaire sans rien à échapper. ");
	vx_buf_puts(&in, "\",a,b,c,d,e,f,g\n");
	static const char *const keys[] = {"text", "x", "x (2)", "", "x (2) (2)", " (2)", "a\"b", "c\\d"};
	check_against_jansson("tricky.csv", in.data, in.len, "text=text", keys, sizeof keys / sizeof keys[0]);
	vx_buf_free(&in);
}

/* Windows-1252 input and C1 characters in UTF-8: the JSON holds the
 * decoded, repaired text, as before. */
static void test_decoded_text(void **state)
{
	(void)state;
	static const char cp1252[] = "text;note\n\"l\x92" "agent \x80 \x93poli\x94\";5\n";
	static const char *const keys[] = {"text", "note"};
	check_against_jansson("cp1252.csv", cp1252, strlen(cp1252), "text=text", keys, 2);
	static const char c1[] = "text,note\nl\xc2\x92" "agent,\xc2\x80\n";
	check_against_jansson("c1.csv", c1, strlen(c1), "text=text", keys, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_example),
		cmocka_unit_test(test_tricky_rows),
		cmocka_unit_test(test_decoded_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
