/*
 * Fuzz target for the CSV path of the reading stage: the cursor parser on
 * its own (with invariants checked on every record, and a write-then-read
 * round trip of every well-formed record), date and feeling parsing, and
 * vx_reader_read_buffer on the input as a CSV export.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/csv.h"
#include "reading/decode.h"
#include "reading/values.h"
#include "util/buf.h"
#include "voix/corpus.h"
#include "voix/reader.h"
#include "fuzz_check.h"

/* Small, so that the fuzzer reaches the "field too large" path. */
#define FUZZ_MAX_FIELD 4096

static void same_fields(const vx_csv_record *a, const vx_csv_field *b, size_t n)
{
	CHECK(a->n_fields == n);
	for (size_t k = 0; k < n; k++) {
		CHECK(a->fields[k].len == b[k].len);
		CHECK(b[k].len == 0 || memcmp(a->fields[k].ptr, b[k].ptr, b[k].len) == 0);
	}
}

static void parse_all(const char *text, size_t len, char sep)
{
	vx_csv_parser p, q;
	vx_csv_record rec, back;
	vx_buf out = VX_BUF_INIT;
	vx_csv_field *copy = NULL;
	vx_buf store = VX_BUF_INIT;
	vx_csv_init(&p, text, len, sep, FUZZ_MAX_FIELD);
	uint32_t last_line = 0;
	size_t last_end = 0;
	while (vx_csv_next(&p, &rec) == 1) {
		CHECK(rec.raw >= text && rec.raw + rec.raw_len <= text + len);
		CHECK(rec.offset == (size_t)(rec.raw - text));
		CHECK(rec.line > last_line);
		CHECK(rec.end_line >= rec.line);
		CHECK(rec.offset >= last_end); /* records never overlap */
		last_line = rec.line;
		last_end = rec.offset + rec.raw_len;
		if (rec.status != VX_CSV_OK || rec.n_fields == 0)
			continue;
		/* Keep a copy: the record's pointers die at the next call. */
		vx_buf_reset(&store);
		free(copy);
		copy = malloc(rec.n_fields * sizeof *copy);
		CHECK(copy != NULL);
		for (size_t k = 0; k < rec.n_fields; k++)
			CHECK(vx_buf_append(&store, rec.fields[k].ptr ? rec.fields[k].ptr : "", rec.fields[k].len) == 0);
		size_t off = 0;
		for (size_t k = 0; k < rec.n_fields; k++) {
			copy[k].ptr = store.data + off;
			copy[k].len = rec.fields[k].len;
			off += rec.fields[k].len;
		}
		vx_buf_reset(&out);
		CHECK(vx_csv_write_record(&out, copy, rec.n_fields, sep, "\r\n") == 0);
		vx_csv_init(&q, out.data, out.len, sep, 0);
		int rc = vx_csv_next(&q, &back);
		/* A single empty field is written as a blank line. */
		if (rec.n_fields == 1 && copy[0].len == 0) {
			CHECK(rc == 1 && back.n_fields == 0);
		} else {
			CHECK(rc == 1 && back.status == VX_CSV_OK);
			same_fields(&back, copy, rec.n_fields);
		}
		CHECK(vx_csv_next(&q, &back) == 0);
		vx_csv_free(&q);
	}
	free(copy);
	vx_buf_free(&store);
	vx_buf_free(&out);
	vx_csv_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char seps[] = {',', ';', '\t'};
	for (size_t s = 0; s < sizeof seps; s++)
		parse_all(text, size, seps[s]);
	(void)vx_csv_detect_separator(text, size);

	char date[11];
	vx_date_kind kind = vx_date_parse(date, text, size < 64 ? size : 64);
	CHECK(kind != VX_DATE_ABSOLUTE || (strlen(date) == 10 && date[4] == '-' && date[7] == '-'));
	(void)vx_feeling_parse(text, size < 32 ? size : 32, VX_SCALE_STARS);

	vx_decoded dec;
	if (vx_decode_text(&dec, "fuzz.csv", text, size, 0) == 0) {
		/* The chunked scanner agrees with the plain validator. */
		size_t bom = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		int valid = vx_utf8_valid(text + bom, size - bom);
		CHECK(strcmp(dec.encoding, valid ? (bom ? "utf-8-bom" : "utf-8") : "windows-1252") == 0);
		CHECK(vx_utf8_valid(dec.text, dec.len));
		CHECK(!vx_c1_present(dec.text, dec.len));
		vx_decoded_free(&dec);
	}

	vx_corpus *c = NULL;
	if (vx_corpus_new(&c) != 0)
		return 0;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.max_field_bytes = FUZZ_MAX_FIELD;
	int rc = vx_reader_read_buffer(c, "fuzz.csv", text, size, &o);
	if (rc == 0) {
		const vx_source *src = vx_corpus_source(c, 0);
		CHECK(src->rows_read == vx_corpus_count(c) + vx_corpus_reject_count(c));
		for (size_t i = 0; i < vx_corpus_count(c); i++)
			CHECK(vx_utf8_valid(vx_corpus_get(c, i)->text, strlen(vx_corpus_get(c, i)->text)));
	} else {
		CHECK(vx_corpus_count(c) == 0 && vx_corpus_reject_count(c) == 0 && vx_corpus_source_count(c) == 0);
	}
	o.map = "text=text,id=id,date=date,feeling=note,channels=canaux,title=titre";
	o.keep_row_json = 1;
	(void)vx_reader_read_buffer(c, "fuzz.csv", text, size, &o);
	vx_corpus_free(c);
	return 0;
}
