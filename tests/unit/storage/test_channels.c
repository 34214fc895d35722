/* Channels stored as a JSON array of strings: written and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "storage/channels.h"
#include "voix/error.h"

static void test_round_trip(void **state)
{
	(void)state;
	static const char *const lists[][4] = {
		{NULL},
		{"Accueil", NULL},
		{"Démarche en ligne", "Tchat (messagerie instantanée)", "E-mail", NULL},
		{"quote \" backslash \\ tab \t newline \n", "\x01\x1f", "", NULL},
	};
	static const char *const json[] = {
		"[]",
		"[\"Accueil\"]",
		"[\"Démarche en ligne\",\"Tchat (messagerie instantanée)\",\"E-mail\"]",
		"[\"quote \\\" backslash \\\\ tab \\u0009 newline \\u000a\",\"\\u0001\\u001f\",\"\"]",
	};
	vx_buf out = VX_BUF_INIT, strings = VX_BUF_INIT;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		uint32_t n = 0;
		while (lists[i][n])
			n++;
		vx_buf_reset(&out);
		assert_int_equal(vx_channels_encode(&out, (const char *const *)lists[i], n), 0);
		assert_string_equal(out.data, json[i]);
		uint32_t back = 99;
		assert_int_equal(vx_channels_decode(&strings, &back, out.data, out.len), 0);
		assert_int_equal(back, n);
		const char *p = strings.data;
		for (uint32_t k = 0; k < n; k++) {
			assert_string_equal(p, lists[i][k]);
			p += strlen(p) + 1;
		}
	}
	vx_buf_free(&out);
	vx_buf_free(&strings);
}

typedef struct decode_case {
	const char *json;
	int rc;
	const char *first;  /* first string when rc == 0 */
	uint32_t n;
} decode_case;

/* JSON written by other tools (sqlite3's json functions, a person): escapes,
 * white space, surrogate pairs; and malformed input refused with VX_EFORMAT. */
static void test_decode(void **state)
{
	(void)state;
	static const decode_case cases[] = {
		{" [ \"a\" , \"b\" ] ", 0, "a", 2},
		{"[\"\\u00e9t\\u00E9\"]", 0, "été", 1},
		{"[\"\\ud83d\\ude00\"]", 0, "\xf0\x9f\x98\x80", 1},
		{"[\"\\/\\b\\f\\r\"]", 0, "/\b\f\r", 1},
		{"", VX_EFORMAT, NULL, 0},
		{"{}", VX_EFORMAT, NULL, 0},
		{"[\"a\"", VX_EFORMAT, NULL, 0},
		{"[\"a\",]", VX_EFORMAT, NULL, 0},
		{"[\"a\" \"b\"]", VX_EFORMAT, NULL, 0},
		{"[1]", VX_EFORMAT, NULL, 0},
		{"[\"a\"] x", VX_EFORMAT, NULL, 0},
		{"[\"\\x\"]", VX_EFORMAT, NULL, 0},
		{"[\"\\u12\"]", VX_EFORMAT, NULL, 0},
		{"[\"\\ud83d\"]", VX_EFORMAT, NULL, 0},
		{"[\"\\ude00\"]", VX_EFORMAT, NULL, 0},
		{"[\"\\u0000\"]", VX_EFORMAT, NULL, 0},
		{"[\"a\nb\"]", VX_EFORMAT, NULL, 0},
		{"[\"abc\\", VX_EFORMAT, NULL, 0},
	};
	vx_buf strings = VX_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t n = 0;
		int rc = vx_channels_decode(&strings, &n, cases[i].json, strlen(cases[i].json));
		if (rc != cases[i].rc)
			fail_msg("case %zu (%s): rc %d, want %d", i, cases[i].json, rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(n, cases[i].n);
			assert_string_equal(strings.data, cases[i].first);
		}
	}
	vx_buf_free(&strings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
