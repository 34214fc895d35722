/*
 * Encoding detection: UTF-8 with and without BOM, Windows-1252, C1 repair,
 * binary input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reading/decode.h"
#include "voix/error.h"

static void decode_ok(const char *in, size_t len, unsigned flags, const char *want, const char *encoding,
                      size_t c1)
{
	vx_decoded d;
	assert_int_equal(vx_decode_text(&d, "t.csv", in, len, flags), 0);
	assert_string_equal(d.encoding, encoding);
	assert_int_equal(d.len, strlen(want));
	assert_memory_equal(d.text, want, d.len);
	assert_int_equal(d.c1_repaired, c1);
	vx_decoded_free(&d);
}

static void test_utf8(void **state)
{
	(void)state;
	const char *in = "Titre;Description\nCafé;déçu\n";
	vx_decoded d;
	assert_int_equal(vx_decode_text(&d, "t.csv", in, strlen(in), 0), 0);
	assert_ptr_equal(d.text, in); /* no copy when nothing changes */
	assert_null(d.owned);
	assert_string_equal(d.encoding, "utf-8");
	vx_decoded_free(&d);
	decode_ok("", 0, 0, "", "utf-8", 0);
}

static void test_bom(void **state)
{
	(void)state;
	decode_ok("\xEF\xBB\xBFID;Texte\n", 12, 0, "ID;Texte\n", "utf-8-bom", 0);
	decode_ok("\xEF\xBB\xBF", 3, 0, "", "utf-8-bom", 0);
	/* Only a leading BOM is removed. */
	decode_ok("a\xEF\xBB\xBF", 4, 0, "a\xEF\xBB\xBF", "utf-8", 0);
}

static void test_cp1252(void **state)
{
	(void)state;
	/* "Café déçu 10 € d’accueil…" in Windows-1252. */
	const char in[] = "Caf\xE9 d\xE9\xE7u 10 \x80 d\x92" "accueil\x85";
	decode_ok(in, sizeof in - 1, 0, "Café déçu 10 € d’accueil…", "windows-1252", 0);
	/* The five undefined bytes become the C1 code point of the same value. */
	decode_ok("\x81\x8D\x8F\x90\x9D\xFF", 6, 0, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D\xC3\xBF", "windows-1252",
	          0);
}

/* UTF-8 with a few invalid bytes stays UTF-8: only the invalid bytes are
 * read as Windows-1252, each line holding one is counted, and the valid
 * lines are kept byte for byte (one stray byte used to turn every "é" of
 * the file into "Ã©"). */
static void test_utf8_with_invalid_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
		size_t bytes, lines, c1;
	} cases[] = {
		{"\xC3\xA9t\xE9", "été", 1, 1, 0},
		{"Titre;Texte\nCafé;déçu\nCaf\xE9;d\xE9\xE7u\nÉtat;reçu\n",
		 "Titre;Texte\nCafé;déçu\nCafé;déçu\nÉtat;reçu\n", 3, 1, 0},
		{"a\x92" "b\nc\xE9\n\xC2\x92" "é\n", "a’b\ncé\n’é\n", 2, 2, 1},
		/* a cut sequence at the end */
		{"déjà\xC3", "déjàÃ", 1, 1, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_decoded d;
		assert_int_equal(vx_decode_text(&d, "t.csv", cases[i].in, strlen(cases[i].in), 0), 0);
		assert_string_equal(d.encoding, "utf-8");
		assert_int_equal(d.len, strlen(cases[i].want));
		assert_memory_equal(d.text, cases[i].want, d.len);
		assert_int_equal(d.bytes_repaired, cases[i].bytes);
		assert_int_equal(d.lines_repaired, cases[i].lines);
		assert_int_equal(d.c1_repaired, cases[i].c1);
		vx_decoded_free(&d);
	}
	/* Without a single valid multi-byte sequence, the file is Windows-1252
	 * and nothing counts as repaired. */
	vx_decoded d;
	assert_int_equal(vx_decode_text(&d, "t.csv", "caf\xE9\nd\xE9j\xE0\n", 10, 0), 0);
	assert_string_equal(d.encoding, "windows-1252");
	assert_string_equal(d.text, "café\ndéjà\n");
	assert_int_equal(d.lines_repaired, 0);
	vx_decoded_free(&d);
}

/* Whether invalid text holds a valid multi-byte sequence (then it is read
 * as UTF-8 with its invalid bytes repaired). */
static int has_multibyte(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		for (size_t k = 2; k <= 4 && i + k <= len; k++)
			if ((unsigned char)s[i] >= 0xC2 && vx_utf8_valid(s + i, k))
				return 1;
	return 0;
}

static void test_c1_repair(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
		size_t c1;
	} cases[] = {
		{"carte d\xC2\x92identit\xC3\xA9", "carte d’identité", 1},
		{"\xC2\x80 \xC2\x85 \xC2\x9C \xC2\x93x\xC2\x94", "€ … œ “x”", 5},
		{"\xC2\x8B\xC2\x95\xC2\x96\xC2\x97\xC2\x91", "‹•–—‘", 5},
		/* undefined in Windows-1252: kept, not counted */
		{"a\xC2\x81" "b\xC2\x9D", "a\xC2\x81" "b\xC2\x9D", 0},
		/* U+00A0 and other Latin-1 letters are not C1 */
		{"\xC2\xA0\xC2\xAB\xC3\x80", "\xC2\xA0\xC2\xAB\xC3\x80", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = strlen(cases[i].in);
		decode_ok(cases[i].in, len, 0, cases[i].want, "utf-8", cases[i].c1);
		/* Deferred: the text is left alone but the count is the same. */
		vx_decoded d;
		assert_int_equal(vx_decode_text(&d, "t.csv", cases[i].in, len, VX_DECODE_DEFER_C1), 0);
		assert_memory_equal(d.text, cases[i].in, len);
		assert_int_equal(d.c1_repaired, cases[i].c1);
		assert_int_equal(d.c1_deferred, cases[i].c1 > 0);
		vx_decoded_free(&d);
		/* And the string-level repair agrees. */
		vx_buf b = VX_BUF_INIT;
		size_t n = 0;
		assert_int_equal(vx_c1_repair(&b, cases[i].in, len, &n), 0);
		assert_string_equal(b.data, cases[i].want);
		assert_int_equal(n, cases[i].c1);
		assert_int_equal(vx_c1_present(cases[i].in, len), cases[i].c1 > 0);
		vx_buf_free(&b);
	}
}

static void test_binary(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t len;
		const char *says;
	} cases[] = {
		{"ID,Texte\n1,a\0b\n", 15, "octet NUL à la position 12"},
		{"\xFF\xFEI\0D\0", 6, "UTF-16"},
		{"\xFE\xFF\0I\0D", 6, "UTF-16"},
		{"\x01\x02\x03\x04\x05\x06\x07\x08 binary", 15, "octets de contrôle"},
		{"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "données binaires"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_decoded d;
		assert_int_equal(vx_decode_text(&d, "t.csv", cases[i].in, cases[i].len, 0), VX_EFORMAT);
		const char *msg = vx_error_last();
		if (strstr(msg, cases[i].says) == NULL)
			fail_msg("case %zu: message <%s> does not say <%s>", i, msg, cases[i].says);
		assert_null(strchr(msg, '\n'));
		assert_non_null(strstr(msg, "t.csv"));
	}
	/* A stray control byte in real text is kept. */
	char text[1000];
	memset(text, 'a', sizeof text);
	text[500] = '\x0B';
	vx_decoded d;
	assert_int_equal(vx_decode_text(&d, "t.csv", text, sizeof text, 0), 0);
	assert_int_equal(d.len, sizeof text);
	assert_int_equal(d.text[500], '\x0B');
	vx_decoded_free(&d);
}

static void test_utf8_validity(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int valid;
	} cases[] = {
		{"plain", 1},
		{"\xC3\xA9", 1},
		{"\xE2\x80\x99", 1},
		{"\xF0\x9F\x98\x80", 1},       /* emoji */
		{"\xC0\x80", 0},               /* overlong NUL */
		{"\xC1\xBF", 0},               /* overlong */
		{"\xE0\x80\xAF", 0},           /* overlong */
		{"\xED\xA0\x80", 0},           /* surrogate */
		{"\xF4\x90\x80\x80", 0},       /* above U+10FFFF */
		{"\xF5\x80\x80\x80", 0},
		{"\xC3", 0},                   /* truncated */
		{"\xE2\x80", 0},
		{"\x80", 0},                   /* lone continuation */
		{"abcdefgh\xC3\xA9ijklmnop\xE9", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = strlen(cases[i].in);
		if (vx_utf8_valid(cases[i].in, len) != cases[i].valid)
			fail_msg("case %zu: validity %d expected", i, cases[i].valid);
		/* The decoder agrees: invalid input is read as Windows-1252, byte
		 * by byte when it also holds valid UTF-8. */
		vx_decoded d;
		assert_int_equal(vx_decode_text(&d, "t", cases[i].in, len, 0), 0);
		assert_string_equal(d.encoding,
		                    cases[i].valid || has_multibyte(cases[i].in, len) ? "utf-8" : "windows-1252");
		assert_int_equal(d.lines_repaired > 0, !cases[i].valid && has_multibyte(cases[i].in, len));
		assert_true(vx_utf8_valid(d.text, d.len));
		vx_decoded_free(&d);
	}
}

/* Byte-by-byte references for the block scanner of the decoder. */
static size_t ref_controls(const unsigned char *u, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r' && u[i] != '\f';
	return n;
}

/* Random texts made of pieces that exercise every path of the scanner
 * (ASCII runs, two-, three- and four-byte sequences, C1, invalid bytes,
 * controls, NUL), at every alignment: the decoder must agree with the
 * plain validator and counters. */
static void test_scanner_agrees(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"abcdefghij", "Le dossier ", ";", "\n", "\r\n", "\t", "é", "àç", "É", "’", "€", "😀",
		"\xC2\x92", "\xC2\x81", "\xC2\xA0", "\xC2\x85", "\xFF", "\x80", "\xC3", "\xE2\x80", "\xC0\x80",
		"\xED\xA0\x80", "\x01", "\x0B", "\f",
	};
	const size_t n_pieces = sizeof pieces / sizeof *pieces;
	unsigned char buf[600];
	uint32_t x = 2024;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		x = x * 1103515245u + 12345u;
		int n = (int)((x >> 16) % 40);
		/* mostly well-formed French-like text, sometimes anything */
		int wild = (x >> 8) % 4 == 0;
		for (int k = 0; k < n; k++) {
			x = x * 1103515245u + 12345u;
			size_t pick = (x >> 16) % (wild ? n_pieces : 12);
			size_t pl = strlen(pieces[pick]);
			if (len + pl > sizeof buf - 1)
				break;
			memcpy(buf + len, pieces[pick], pl);
			len += pl;
		}
		if (wild && (x >> 3) % 16 == 0 && len > 0)
			buf[(x >> 20) % len] = 0; /* a NUL somewhere */
		size_t start = (x >> 24) % 3; /* shift the alignment */
		const unsigned char *u = buf + start;
		size_t ulen = len > start ? len - start : 0;

		vx_decoded d;
		int rc = vx_decode_text(&d, "r", (const char *)u, ulen, VX_DECODE_DEFER_C1);
		const unsigned char *nul = ulen ? memchr(u, 0, ulen) : NULL;
		size_t controls = ref_controls(u, ulen);
		int binary = nul != NULL || controls > ulen / 1000 * VX_DECODE_MAX_CONTROL_PERMILLE +
		                                            ulen % 1000 * VX_DECODE_MAX_CONTROL_PERMILLE / 1000;
		if (binary) {
			if (rc != VX_EFORMAT)
				fail_msg("iteration %d: binary input accepted", iter);
			if (nul && strstr(vx_error_last(), "NUL") == NULL)
				fail_msg("iteration %d: <%s>", iter, vx_error_last());
			continue;
		}
		assert_int_equal(rc, 0);
		int valid = vx_utf8_valid((const char *)u, ulen);
		const char *want = valid || has_multibyte((const char *)u, ulen) ? "utf-8" : "windows-1252";
		if (strcmp(d.encoding, want) != 0)
			fail_msg("iteration %d: encoding %s, valid %d", iter, d.encoding, valid);
		if (!vx_utf8_valid(d.text, d.len) && !d.c1_deferred)
			fail_msg("iteration %d: the decoded text is not UTF-8", iter);
		if (valid) {
			vx_buf b = VX_BUF_INIT;
			size_t c1 = 0;
			assert_int_equal(vx_c1_repair(&b, (const char *)u, ulen, &c1), 0);
			if (d.c1_repaired != c1)
				fail_msg("iteration %d: %zu C1 counted, %zu expected", iter, d.c1_repaired, c1);
			vx_buf_free(&b);
		}
		vx_decoded_free(&d);
	}
}

/* Every sequence at every offset around the scanner's 16- and 64-byte
 * chunk edges, valid and cut short. */
static void test_chunk_boundaries(void **state)
{
	(void)state;
	static const struct {
		const char *seq;
		int valid;
		size_t c1;
	} seqs[] = {
		{"é", 1, 0}, {"’", 1, 0}, {"€", 1, 0}, {"😀", 1, 0}, {"\xE0\xA0\x80", 1, 0}, {"\xED\x9F\xBF", 1, 0},
		{"\xC2\x92", 1, 1}, {"\xC2\x81", 1, 0}, {"\xE2\x80", 0, 0}, {"\xC3", 0, 0}, {"\x80", 0, 0},
		{"\xE0\x80\x80", 0, 0}, {"\xED\xA0\x80", 0, 0}, {"\xF0\x9F\x98", 0, 0},
	};
	char buf[256];
	for (size_t k = 0; k < sizeof seqs / sizeof *seqs; k++) {
		size_t sl = strlen(seqs[k].seq);
		for (size_t pad = 0; pad < 140; pad++) {
			memset(buf, 'a', pad);
			memcpy(buf + pad, seqs[k].seq, sl);
			memset(buf + pad + sl, 'b', 100);
			size_t len = pad + sl + 100;
			vx_decoded d;
			assert_int_equal(vx_decode_text(&d, "b", buf, len, VX_DECODE_DEFER_C1), 0);
			if (strcmp(d.encoding, seqs[k].valid ? "utf-8" : "windows-1252") != 0 || d.c1_repaired != seqs[k].c1)
				fail_msg("sequence %zu at offset %zu: %s, %zu C1", k, pad, d.encoding, d.c1_repaired);
			vx_decoded_free(&d);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),          cmocka_unit_test(test_bom),
		cmocka_unit_test(test_cp1252),        cmocka_unit_test(test_c1_repair),
		cmocka_unit_test(test_utf8_with_invalid_bytes),
		cmocka_unit_test(test_binary),        cmocka_unit_test(test_utf8_validity),
		cmocka_unit_test(test_scanner_agrees), cmocka_unit_test(test_chunk_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
