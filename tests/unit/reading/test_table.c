/*
 * vx_table: an export read row by row with every column as written, and
 * written back in its own shape. Each case is an input, what its rows
 * read as, and what writing them back gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/reader.h"

typedef struct out_buf {
	char data[4096];
	size_t len;
} out_buf;

static int append(const char *p, size_t n, void *payload)
{
	out_buf *b = payload;
	if (b->len + n >= sizeof b->data)
		return VX_ETOOBIG;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static vx_table *open_text(const char *name, const char *text, const char *map)
{
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = map;
	vx_table *t = NULL;
	assert_int_equal(vx_table_open(&t, name, text, strlen(text), &o), 0);
	return t;
}

/* Reads every row and writes it back after the header: the copy. */
static void copy_all(vx_table *t, out_buf *b)
{
	vx_row row;
	int got;
	assert_int_equal(vx_table_write_header(t, append, b), 0);
	while ((got = vx_table_next(t, &row)) == 1)
		assert_int_equal(vx_table_write_row(t, row.cells, row.n_cells, append, b), 0);
	assert_int_equal(got, 0);
}

static void test_csv_copy_is_the_input_with_needless_quotes_dropped(void **state)
{
	(void)state;
	const char *in = "\xEF\xBB\xBFid;\"texte\";note\r\n1;\"a;b\";5\r\n\r\n2;\"dit \"\"non\"\"\";3;en trop\r\n";
	vx_table *t = open_text("x.csv", in, NULL);
	assert_int_equal(vx_table_format_of(t), VX_TABLE_CSV);
	assert_string_equal(vx_table_encoding(t), "utf-8-bom");
	assert_string_equal(vx_table_eol(t), "\r\n");
	assert_int_equal(vx_table_columns(t), 3);
	assert_string_equal(vx_table_column(t, 1), "texte");
	assert_null(vx_table_column(t, 3));
	out_buf b = {{0}, 0};
	copy_all(t, &b);
	assert_string_equal(b.data, "\xEF\xBB\xBFid;texte;note\r\n1;\"a;b\";5\r\n\r\n2;\"dit \"\"non\"\"\";3;en trop\r\n");
	vx_table_free(t);
}

static void test_csv_rows_cells_and_status(void **state)
{
	(void)state;
	vx_table *t = open_text("x.csv", "a,b\n1,\"x\"y\n2,\"open\n", NULL);
	vx_row row;
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.status, VX_ROW_BAD_QUOTE);
	assert_int_equal(row.line, 2);
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.status, VX_ROW_UNTERMINATED);
	assert_int_equal(row.cells[0].column, 0);
	assert_int_equal(row.cells[0].type, VX_CELL_TEXT);
	assert_int_equal(vx_table_next(t, &row), 0);
	vx_table_free(t);
}

static void test_mapping_gives_roles_and_refuses_a_missing_column(void **state)
{
	(void)state;
	vx_table *t = open_text("x.csv", "Réf;Commentaire\n1;bien\n", "id=ref,text=commentaire");
	assert_string_equal(vx_table_column_role(t, 0), "id");
	assert_string_equal(vx_table_column_role(t, 1), "text");
	vx_table_free(t);
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=Absente";
	const char *in = "a;b\n1;2\n";
	assert_int_equal(vx_table_open(&t, "x.csv", in, strlen(in), &o), VX_EINVAL);
	assert_null(t);
	assert_non_null(strstr(vx_error_last(), "Absente"));
}

static void test_jsonl_cells_types_and_new_keys(void **state)
{
	(void)state;
	const char *in = "{\"id\": \"J1\", \"note\": 4.0, \"canaux\": [\"a\", \"b\"], \"vide\": null}\n"
	                 "\n"
	                 "[1, 2]\n"
	                 "{\"autre\": \"d\\u0092accord\", \"id\": \"J2\"}\n";
	vx_table *t = open_text("x.jsonl", in, NULL);
	assert_int_equal(vx_table_format_of(t), VX_TABLE_JSONL);
	assert_int_equal(vx_table_columns(t), 5); /* the keys of the first 1000 lines */
	vx_row row;
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.n_cells, 4);
	assert_int_equal(row.cells[1].type, VX_CELL_JSON);
	assert_memory_equal(row.cells[1].ptr, "4.0", 3);
	assert_memory_equal(row.cells[2].ptr, "[\"a\",\"b\"]", row.cells[2].len);
	assert_memory_equal(row.cells[3].ptr, "null", 4);
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.n_cells, 0);
	assert_int_equal(row.status, VX_ROW_OK);
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.status, VX_ROW_NOT_OBJECT);
	assert_memory_equal(row.raw, "[1, 2]", row.raw_len);
	assert_int_equal(vx_table_next(t, &row), 1);
	assert_int_equal(row.n_cells, 2);
	assert_string_equal(vx_table_column(t, row.cells[0].column), "autre");
	assert_int_equal(row.cells[1].column, 0);
	assert_int_equal(row.cells[0].len, strlen("d’accord")); /* C1 mapped */
	assert_memory_equal(row.cells[0].ptr, "d’accord", row.cells[0].len);
	out_buf b = {{0}, 0};
	assert_int_equal(vx_table_write_row(t, row.cells, row.n_cells, append, &b), 0);
	assert_string_equal(b.data, "{\"autre\": \"d’accord\", \"id\": \"J2\"}\n");
	assert_int_equal(vx_table_next(t, &row), 0);
	vx_table_free(t);
}

static void test_jsonl_write_keeps_json_values_and_strings_what_no_longer_parses(void **state)
{
	(void)state;
	vx_table *t = open_text("x.jsonl", "{\"a\": 1, \"b\": [\"x\"]}\n", NULL);
	vx_cell cells[] = {{0, "12", 2, VX_CELL_JSON}, {1, "[\"[NOM]", 7, VX_CELL_JSON}, {0, "1", 1, VX_CELL_TEXT}};
	out_buf b = {{0}, 0};
	assert_int_equal(vx_table_write_row(t, cells, 2, append, &b), 0);
	assert_string_equal(b.data, "{\"a\": 12, \"b\": \"[\\\"[NOM]\"}\n");
	b.len = 0;
	assert_int_equal(vx_table_write_row(t, cells + 2, 1, append, &b), 0);
	assert_string_equal(b.data, "{\"a\": \"1\"}\n");
	vx_table_free(t);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *name, *text;
		int rc;
	} cases[] = {
		{"x.csv", "", VX_EEMPTY},
		{"x.csv", "\n\n", VX_EEMPTY},
		{"x.csv", "\"a\"b;d\n1;2\n", VX_EFORMAT},
		{"x.jsonl", "  \n", VX_EEMPTY},
		{"x.jsonl", "[1]\n", VX_EFORMAT},
		{"x.csv", "a;b\0c\n", VX_EFORMAT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_table *t = NULL;
		size_t len = i == 5 ? 6 : strlen(cases[i].text);
		assert_int_equal(vx_table_open(&t, cases[i].name, cases[i].text, len, NULL), cases[i].rc);
		assert_null(t);
	}
	vx_table_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_copy_is_the_input_with_needless_quotes_dropped),
		cmocka_unit_test(test_csv_rows_cells_and_status),
		cmocka_unit_test(test_mapping_gives_roles_and_refuses_a_missing_column),
		cmocka_unit_test(test_jsonl_cells_types_and_new_keys),
		cmocka_unit_test(test_jsonl_write_keeps_json_values_and_strings_what_no_longer_parses),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
