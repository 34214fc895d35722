/*
 * The error layer: out of memory reads in French whatever the call site
 * wrote, with its detail; the table of French twins is sorted, takes the
 * same arguments as the English formats, and says « mémoire insuffisante »;
 * every code has a French name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/grow.h"
#include "voix/error.h"

static const char NOMEM[] = "mémoire insuffisante";

static void test_nomem_from_a_call_site(void **state)
{
	(void)state;
	/* vx_grow writes "out of memory for %zu elements": the user reads the
	 * French twin, with the count. */
	char *a = NULL;
	size_t cap = 0, need = SIZE_MAX / 4 + 1;
	assert_int_equal(vx_grow((void **)&a, &cap, need, 8, 16), VX_ENOMEM);
	char want[128];
	snprintf(want, sizeof want, "mémoire insuffisante pour %zu éléments", need);
	assert_string_equal(vx_error_last(), want);

	vx_arena arena;
	vx_arena_init(&arena, 4096);
	assert_null(vx_arena_alloc(&arena, SIZE_MAX));
	assert_string_equal(vx_error_last(), "mémoire insuffisante : allocation trop grande");
	vx_arena_free(&arena);
}

static void test_nomem_formats(void **state)
{
	(void)state;
	assert_int_equal(vx_error_set(VX_ENOMEM, "out of memory"), VX_ENOMEM);
	assert_string_equal(vx_error_last(), NOMEM);
	assert_int_equal(vx_error_set(VX_ENOMEM, "out of memory reading %s", "export.csv"), VX_ENOMEM);
	assert_string_equal(vx_error_last(), "mémoire insuffisante pour lire export.csv");
	vx_error_set(VX_ENOMEM, "%s: out of memory reading %zu bytes", "export.csv", (size_t)12);
	assert_string_equal(vx_error_last(), "export.csv : mémoire insuffisante pour lire 12 octets");
	vx_error_set(VX_ENOMEM, "out of memory storing row %u of %s", 7u, "export.csv");
	assert_string_equal(vx_error_last(), "mémoire insuffisante pour enregistrer la ligne 7 de export.csv");
}

static void test_nomem_prefix_and_pass_through(void **state)
{
	(void)state;
	/* A caller that adds the file keeps the French message behind it. */
	vx_error_set(VX_ENOMEM, "out of memory reading a CSV record");
	assert_int_equal(vx_error_prefix(VX_ENOMEM, "%s : ", "a.csv"), VX_ENOMEM);
	assert_string_equal(vx_error_last(), "a.csv : mémoire insuffisante pour lire un enregistrement CSV");
	/* A message passed on, or already written in French, is kept. */
	char kept[256];
	snprintf(kept, sizeof kept, "%s", vx_error_last());
	vx_error_set(VX_ENOMEM, "%s", kept);
	assert_string_equal(vx_error_last(), kept);
	vx_error_set(VX_ENOMEM, "mémoire insuffisante pour %d sujets", 3);
	assert_string_equal(vx_error_last(), "mémoire insuffisante pour 3 sujets");
	/* Only out of memory is looked up: another code keeps its text. */
	vx_error_set(VX_EIO, "out of memory");
	assert_string_equal(vx_error_last(), "out of memory");
	vx_error_clear();
	assert_string_equal(vx_error_last(), "");
}

/* The printf conversions of fmt ("%s", "%zu", ...), "%%" left out, one
 * after the other in out. */
static void conversions(const char *fmt, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		const char *end = p + 1;
		while (*end && strchr("0123456789.-+ #*lhzjt", *end))
			end++;
		for (const char *q = p; q <= end && *q && n + 1 < cap; q++)
			out[n++] = *q;
		p = *end ? end : end - 1;
	}
	out[n] = '\0';
}

static void test_table_consistent(void **state)
{
	(void)state;
	size_t n = 0;
	const struct vx_error_nomem_pair *t = vx_error_nomem_pairs(&n);
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		char en[64], fr[64];
		if (i > 0 && strcmp(t[i - 1].english, t[i].english) >= 0)
			fail_msg("not sorted: \"%s\" before \"%s\"", t[i - 1].english, t[i].english);
		conversions(t[i].english, en, sizeof en);
		conversions(t[i].french, fr, sizeof fr);
		if (strcmp(en, fr) != 0)
			fail_msg("\"%s\" takes %s, its French twin %s", t[i].english, en, fr);
		if (strstr(t[i].french, NOMEM) == NULL || strstr(t[i].french, "out of memory") != NULL)
			fail_msg("\"%s\" is not a French out-of-memory message", t[i].french);
		assert_ptr_equal(vx_error_nomem_french(t[i].english), t[i].french);
	}
	assert_null(vx_error_nomem_french("out of memory somewhere unknown"));
	assert_null(vx_error_nomem_french(""));
}

static void test_code_names(void **state)
{
	(void)state;
	assert_string_equal(vx_error_name(VX_ENOMEM), NOMEM);
	assert_string_equal(vx_error_name(VX_EBUSY), "base occupée");
	for (int code = VX_OK; code >= VX_EBUSY; code--)
		assert_string_not_equal(vx_error_name(code), vx_error_name(1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nomem_from_a_call_site),
		cmocka_unit_test(test_nomem_formats),
		cmocka_unit_test(test_nomem_prefix_and_pass_through),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_code_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
