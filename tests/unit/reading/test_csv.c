/*
 * The CSV cursor parser and writer: separator detection, RFC 4180 quoting,
 * line breaks, line numbers, quoting errors and their recovery, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reading/csv.h"
#include "util/buf.h"
#include "voix/error.h"

/* Parses len bytes (copied into a buffer of exactly that size, so that
 * ASan catches any read past the end) and describes every record as
 * "LINE[status]:f1|f2" with records separated by " / ", line breaks inside
 * fields shown as \n and \r. */
static void describe(vx_buf *out, const char *in, size_t len, char sep)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, in, len);
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, copy, len, sep, 0);
	int rc, first = 1;
	vx_buf_reset(out);
	vx_buf_puts(out, "");
	while ((rc = vx_csv_next(&p, &rec)) == 1) {
		vx_buf_printf(out, "%s%u", first ? "" : " / ", rec.line);
		first = 0;
		if (rec.status == VX_CSV_UNTERMINATED)
			vx_buf_printf(out, "[open@%u]", rec.error_line);
		else if (rec.status == VX_CSV_BAD_QUOTE)
			vx_buf_printf(out, "[badquote@%u]", rec.error_line);
		vx_buf_putc(out, ':');
		if (rec.n_fields == 0)
			vx_buf_puts(out, "(blank)");
		for (size_t k = 0; k < rec.n_fields; k++) {
			if (k)
				vx_buf_putc(out, '|');
			for (size_t i = 0; i < rec.fields[k].len; i++) {
				char c = rec.fields[k].ptr[i];
				if (c == '\n')
					vx_buf_puts(out, "\\n");
				else if (c == '\r')
					vx_buf_puts(out, "\\r");
				else
					vx_buf_putc(out, c);
			}
		}
	}
	assert_int_equal(rc, 0);
	vx_csv_free(&p);
	free(copy);
}

static void test_records(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		char sep;
		const char *want;
	} cases[] = {
		{"a,b\r\nc,d\r\n", ',', "1:a|b / 2:c|d"},
		{"a,b\nc,d", ',', "1:a|b / 2:c|d"},
		{"a,b\rc,d\r", ',', "1:a|b / 2:c|d"},
		{"\"x,y\",z\n", ',', "1:x,y|z"},
		{"\"il a dit \"\"oui\"\"\",2\n", ',', "1:il a dit \"oui\"|2"},
		{"\"\"\"\"\n", ',', "1:\""},
		{"\"l1\nl2\",b\nc,d\n", ',', "1:l1\\nl2|b / 3:c|d"},
		{"\"l1\r\nl2\",b\r\nc,d\r\n", ',', "1:l1\\r\\nl2|b / 3:c|d"},
		{",,\n", ',', "1:||"},
		{"a,b,\n", ',', "1:a|b|"},
		{"\"\",x\n", ',', "1:|x"},
		{"a\n\nb\n", ',', "1:a / 2:(blank) / 3:b"},
		{"a\r\n\r\nb", ',', "1:a / 2:(blank) / 3:b"},
		{"ab\"c,d\n", ',', "1:ab\"c|d"},
		{"a;b,c\n", ';', "1:a|b,c"},
		{"a\tb c\n", '\t', "1:a|b c"},
		{" \"a\" ,b\n", ',', "1: \"a\" |b"},
		/* Unterminated quote: the record stops at the end of the line where
		 * the quote opened, the next lines are read again. */
		{"a,b\n\"open,x\nc,d\ne,f\n", ',', "1:a|b / 2[open@2]:open,x / 3:c|d / 4:e|f"},
		{"\"m1\nm2\",\"open\nx,y\n", ',', "1[open@2]:m1\\nm2|open / 3:x|y"},
		{"\"", ',', "1[open@1]:"},
		{"\"a\"\"", ',', "1[open@1]:a\"\""},
		{"x,\"a\"\"\n\"\"\"\n", ',', "1:x|a\"\\n\""},
		/* Text after a closing quote: the record is read to its end. */
		{"\"ab\"c,d\ne,f\n", ',', "1[badquote@1]:\"ab\"c|d / 2:e|f"},
		{"\"a\nb\"c,d\ne\n", ',', "1[badquote@2]:\"a\\nb\"c|d / 3:e"},
		{"", ',', ""},
		{"\n", ',', "1:(blank)"},
	};
	vx_buf out = VX_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		describe(&out, cases[i].in, strlen(cases[i].in), cases[i].sep);
		if (strcmp(out.data, cases[i].want) != 0)
			fail_msg("case %zu: got <%s>, want <%s>", i, out.data, cases[i].want);
	}
	vx_buf_free(&out);
}

static void test_raw_and_offsets(void **state)
{
	(void)state;
	const char *in = "h1,h2\r\n\"multi\r\nline\",x\r\nlast,y";
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, in, strlen(in), ',', 0);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.raw_len, 5);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.end_line, 3);
	assert_int_equal(rec.offset, 7);
	assert_int_equal(rec.raw_len, strlen("\"multi\r\nline\",x"));
	assert_memory_equal(rec.raw, "\"multi\r\nline\",x", rec.raw_len);
	assert_int_equal(rec.fields[0].quoted, 1);
	assert_int_equal(rec.fields[1].quoted, 0);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.line, 4);
	assert_memory_equal(rec.raw, "last,y", rec.raw_len);
	assert_int_equal(vx_csv_next(&p, &rec), 0);
	vx_csv_free(&p);
}

static void test_separator_detection(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		char want;
	} cases[] = {
		{"a;b;c\n1;2;3\n", ';'},
		{"a,b,c\n", ','},
		{"a\tb\tc\n", '\t'},
		{"\"x;y;z\",b\n", ','},          /* separators inside quotes do not count */
		{"\"x\ny;z\",b,c\n", ','},      /* nor across a quoted line break */
		{"a;b,c\n", ';'},               /* a tie goes to ';' */
		{"a,b\tc\n", ','},
		{"alone\n1\n", ','},            /* no separator at all */
		{"\n\r\na;b\n", ';'},           /* blank lines before the header */
		{"a,b\nc;d;e;f\n", ','},        /* only the header line counts */
		{"", ','},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char got = vx_csv_detect_separator(cases[i].in, strlen(cases[i].in));
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %d, want %d", i, cases[i].in, got, cases[i].want);
	}
}

static void test_field_too_big(void **state)
{
	(void)state;
	vx_csv_parser p;
	vx_csv_record rec;
	char big[200];
	memset(big, 'x', sizeof big);
	big[0] = 'a';
	big[1] = '\n';
	vx_csv_init(&p, big, sizeof big, ',', 100);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(vx_csv_next(&p, &rec), VX_ETOOBIG);
	assert_non_null(strstr(vx_error_last(), "ligne 2"));
	vx_csv_free(&p);

	/* A quoted field is measured once unescaped... */
	char q[200];
	memset(q, 'y', sizeof q);
	q[0] = '"';
	q[sizeof q - 1] = '"';
	vx_csv_init(&p, q, sizeof q, ',', 100);
	assert_int_equal(vx_csv_next(&p, &rec), VX_ETOOBIG);
	vx_csv_free(&p);
	vx_csv_init(&p, q, sizeof q, ',', 198);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.fields[0].len, 198);
	vx_csv_free(&p);
	/* ... and an unclosed one is a quoting error, not a size error. */
	vx_csv_init(&p, q, sizeof q - 1, ',', 100);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.status, VX_CSV_UNTERMINATED);
	vx_csv_free(&p);
}

static void test_too_many_fields(void **state)
{
	(void)state;
	size_t n = VX_CSV_MAX_FIELDS + 10;
	char *in = malloc(n);
	assert_non_null(in);
	memset(in, ',', n);
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, in, n, ',', 0);
	assert_int_equal(vx_csv_next(&p, &rec), VX_ETOOBIG);
	vx_csv_free(&p);
	free(in);
}

static void test_writer(void **state)
{
	(void)state;
	const vx_csv_field fields[] = {
		{"plain", 5, 0}, {"a,b", 3, 0}, {"say \"hi\"", 8, 0}, {"l1\nl2", 5, 0},
		{"cr\r", 3, 0},  {"", 0, 0},    {"semi;colon", 10, 0},
	};
	const size_t n = sizeof fields / sizeof *fields;
	vx_buf out = VX_BUF_INIT;
	assert_int_equal(vx_csv_write_record(&out, fields, n, ',', "\r\n"), 0);
	assert_string_equal(out.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"cr\r\",,semi;colon\r\n");
	assert_int_equal(vx_csv_needs_quotes("semi;colon", 10, ';'), 1);
	assert_int_equal(vx_csv_needs_quotes("semi;colon", 10, ','), 0);

	/* Writing then reading gives the same fields back, for each separator. */
	const char seps[] = {',', ';', '\t'};
	for (size_t s = 0; s < sizeof seps; s++) {
		vx_buf_reset(&out);
		assert_int_equal(vx_csv_write_record(&out, fields, n, seps[s], "\n"), 0);
		assert_int_equal(vx_csv_write_record(&out, fields, n, seps[s], "\n"), 0);
		vx_csv_parser p;
		vx_csv_record rec;
		vx_csv_init(&p, out.data, out.len, seps[s], 0);
		for (int r = 0; r < 2; r++) {
			assert_int_equal(vx_csv_next(&p, &rec), 1);
			assert_int_equal(rec.status, VX_CSV_OK);
			assert_int_equal(rec.n_fields, n);
			for (size_t k = 0; k < n; k++) {
				assert_int_equal(rec.fields[k].len, fields[k].len);
				assert_memory_equal(rec.fields[k].ptr, fields[k].ptr, fields[k].len);
			}
		}
		assert_int_equal(vx_csv_next(&p, &rec), 0);
		vx_csv_free(&p);
	}
	vx_buf_free(&out);
}

/* Each record's pointers stay valid until the next call even when several
 * fields needed unescaping (the scratch buffer may grow meanwhile). */
static void test_many_unescaped_fields(void **state)
{
	(void)state;
	vx_buf in = VX_BUF_INIT;
	for (int k = 0; k < 200; k++)
		vx_buf_printf(&in, "%s\"f%d \"\"q\"\" %0*d\"", k ? "," : "", k, 50 + k, 0);
	vx_buf_puts(&in, "\n");
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_init(&p, in.data, in.len, ',', 0);
	assert_int_equal(vx_csv_next(&p, &rec), 1);
	assert_int_equal(rec.n_fields, 200);
	for (int k = 0; k < 200; k++) {
		char want[32];
		int n = snprintf(want, sizeof want, "f%d \"q\" ", k);
		assert_true(rec.fields[k].len == (size_t)n + 50 + (size_t)k);
		assert_memory_equal(rec.fields[k].ptr, want, (size_t)n);
	}
	vx_csv_free(&p);
	vx_buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_raw_and_offsets),
		cmocka_unit_test(test_separator_detection),
		cmocka_unit_test(test_field_too_big),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_many_unescaped_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
