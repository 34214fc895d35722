/*
 * The hand-written JSON writer of row_json: every string it writes parses
 * back (with Jansson) to the original bytes, and is byte for byte what
 * Jansson's json_dumps(JSON_COMPACT) writes, which the reader used before
 * (stored rows keep their content hash).
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

#include "reading/jsonw.h"
#include "util/buf.h"

/* What Jansson writes for the string s[0..len). */
static char *jansson_string(const char *s, size_t len)
{
	json_t *v = json_stringn(s, len);
	assert_non_null(v);
	char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(dump);
	json_decref(v);
	return dump;
}

/* Writes s with vx_jsonw_string, checks it equals Jansson's dump and that
 * it parses back to the same bytes; name says which case failed. */
static void check_string(const char *name, const char *s, size_t len)
{
	/* A copy of exactly len bytes, so that ASan catches a read past it. */
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, s, len);
	vx_buf out = VX_BUF_INIT;
	assert_int_equal(vx_jsonw_string(&out, copy, len), 0);
	assert_int_equal(strlen(out.data), out.len);
	char *want = jansson_string(copy, len);
	if (strcmp(out.data, want) != 0)
		fail_msg("%s: wrote <%s>, Jansson writes <%s>", name, out.data, want);
	json_error_t err;
	json_t *back = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (back == NULL)
		fail_msg("%s: <%s> does not parse: %s", name, out.data, err.text);
	assert_true(json_is_string(back));
	assert_int_equal(json_string_length(back), len);
	assert_memory_equal(json_string_value(back), copy, len);
	json_decref(back);
	free(want);
	vx_buf_free(&out);
	free(copy);
}

static void test_strings(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in, *want;
	} cases[] = {
		{"empty", "", "\"\""},
		{"plain", "Mme Durandal", "\"Mme Durandal\""},
		{"quotes", "le \"dossier\"", "\"le \\\"dossier\\\"\""},
		{"backslash", "C:\\dossier\\", "\"C:\\\\dossier\\\\\""},
		{"short escapes", "a\bb\fc\nd\re\tf", "\"a\\bb\\fc\\nd\\re\\tf\""},
		{"other controls", "\x01\x0b\x1b\x1f", "\"\\u0001\\u000B\\u001B\\u001F\""},
		{"slash and DEL kept", "a/b\x7f", "\"a/b\x7f\""},
		{"accents", "réponse à l’accueil", "\"réponse à l’accueil\""},
		{"emoji", "merci \xf0\x9f\x98\x80!", "\"merci \xf0\x9f\x98\x80!\""},
		{"line separator kept", "a\xe2\x80\xa8" "b", "\"a\xe2\x80\xa8" "b\""},
		{"C1 kept", "\xc2\x92", "\"\xc2\x92\""},
		{"CRLF in a field", "ligne 1\r\nligne 2", "\"ligne 1\\r\\nligne 2\""},
		{"only escapes", "\"\\\"", "\"\\\"\\\\\\\"\""},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		vx_buf out = VX_BUF_INIT;
		assert_int_equal(vx_jsonw_string(&out, cases[k].in, strlen(cases[k].in)), 0);
		if (strcmp(out.data, cases[k].want) != 0)
			fail_msg("%s: wrote <%s>, want <%s>", cases[k].name, out.data, cases[k].want);
		vx_buf_free(&out);
		check_string(cases[k].name, cases[k].in, strlen(cases[k].in));
	}
	check_string("NUL inside", "a\0b", 3);
	check_string("NULL pointer, no bytes", NULL, 0);
}

/* Every byte below 0x80 alone, and at every position around the 16-byte
 * steps of the scan. */
static void test_every_ascii_byte_everywhere(void **state)
{
	(void)state;
	char s[40];
	for (int c = 0; c < 0x80; c++) {
		for (size_t at = 0; at < sizeof s; at++) {
			memset(s, 'x', sizeof s);
			s[at] = (char)c;
			char name[64];
			snprintf(name, sizeof name, "byte 0x%02X at %zu", c, at);
			check_string(name, s, sizeof s);
			check_string(name, s, at + 1);
		}
	}
}

/* A deterministic generator (xorshift64), so a failure can be replayed. */
static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static size_t put_utf8(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Random valid UTF-8 strings, heavy in what needs care, agree with Jansson. */
static void test_random_strings(void **state)
{
	(void)state;
	static const uint32_t pool[] = {
		0x00,   0x01,   0x08,   0x09,   0x0A,   0x0D,    0x1F,    '"',     '\\',     '/',      0x7F,
		'a',    ' ',    0xE9,   0x80,   0x92,   0x9D,    0x2019,  0x2028,  0xFEFF,   0xFFFD,   0x1F600,
		0x10FFFF,
	};
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	char s[4 * 80];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(next_random(&seed) % 80), len = 0;
		for (size_t k = 0; k < n; k++)
			len += put_utf8(s + len, pool[next_random(&seed) % (sizeof pool / sizeof pool[0])]);
		char name[64];
		snprintf(name, sizeof name, "random string %d", round);
		check_string(name, s, len);
	}
}

/* Objects: key order kept, keys escaped like values, empty keys and values,
 * the same bytes as Jansson for the same object. */
static void test_objects(void **state)
{
	(void)state;
	static const char *const kv[][2] = {
		{"", "1"},
		{"ID expérience", "4100001"},
		{"Titre", "Dossier \"perdu\""},
		{"a\"b", "c\\d"},
		{"vide", ""},
		{"x (2)", "\x01"},
		{"emoji \xf0\x9f\x98\x80", "\xe2\x80\xa8"},
	};
	size_t n = sizeof kv / sizeof kv[0];
	vx_buf out = VX_BUF_INIT;
	vx_jsonw_object obj;
	vx_buf_puts(&out, "before:"); /* the object is appended */
	assert_int_equal(vx_jsonw_object_begin(&obj, &out), 0);
	json_t *ref = json_object();
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(vx_jsonw_object_member(&obj, kv[k][0], strlen(kv[k][0]), kv[k][1], strlen(kv[k][1])), 0);
		assert_int_equal(json_object_set_new(ref, kv[k][0], json_string(kv[k][1])), 0);
	}
	assert_int_equal(vx_jsonw_object_end(&obj), 0);
	char *want = json_dumps(ref, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(want);
	assert_string_equal(out.data + strlen("before:"), want);

	json_error_t err;
	json_t *back = json_loads(out.data + strlen("before:"), JSON_REJECT_DUPLICATES, &err);
	assert_non_null(back);
	assert_int_equal(json_object_size(back), n);
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(back, key, v) {
		assert_string_equal(key, kv[k][0]);
		assert_string_equal(json_string_value(v), kv[k][1]);
		k++;
	}
	json_decref(back);
	free(want);
	json_decref(ref);

	vx_buf_reset(&out);
	assert_int_equal(vx_jsonw_object_begin(&obj, &out), 0);
	assert_int_equal(vx_jsonw_object_end(&obj), 0);
	assert_string_equal(out.data, "{}");
	vx_buf_free(&out);
}

/* The writer does not merge repeated keys: it writes them as given (the
 * reader makes column names unique before). */
static void test_repeated_keys_written_as_given(void **state)
{
	(void)state;
	vx_buf out = VX_BUF_INIT;
	vx_jsonw_object obj;
	assert_int_equal(vx_jsonw_object_begin(&obj, &out), 0);
	assert_int_equal(vx_jsonw_object_member(&obj, "x", 1, "1", 1), 0);
	assert_int_equal(vx_jsonw_object_member(&obj, "x", 1, "2", 1), 0);
	assert_int_equal(vx_jsonw_object_end(&obj), 0);
	assert_string_equal(out.data, "{\"x\":\"1\",\"x\":\"2\"}");
	vx_buf_free(&out);
}

/* A buffer limit is reported, not overrun. */
static void test_limit(void **state)
{
	(void)state;
	vx_buf out;
	vx_buf_init(&out, 8);
	assert_int_not_equal(vx_jsonw_string(&out, "abcdefghij", 10), 0);
	assert_true(out.len <= 8);
	vx_buf_reset(&out);
	assert_int_not_equal(vx_jsonw_string(&out, "\x01\x01", 2), 0); /* 14 bytes escaped */
	assert_true(out.len <= 8);
	assert_int_equal(strlen(out.data), out.len);
	vx_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_every_ascii_byte_everywhere),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_repeated_keys_written_as_given),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
