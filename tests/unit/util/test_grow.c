/*
 * vx_grow: capacities start at `first` and double; an array that is big
 * enough is left alone; the contents are kept across a reallocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/grow.h"
#include "voix/error.h"

static void test_capacities(void **state)
{
	(void)state;
	static const struct {
		size_t cap, need, first, expected;
	} cases[] = {
		{0, 1, 16, 16}, {0, 17, 16, 32}, {16, 16, 16, 16}, {16, 17, 16, 32},
		{16, 100, 16, 128}, {0, 1, 0, 1}, {256, 257, 256, 512}, {4096, 10000, 4096, 16384},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int *a = NULL;
		size_t cap = 0;
		if (cases[i].cap)
			assert_int_equal(vx_grow((void **)&a, &cap, cases[i].cap, sizeof *a, cases[i].cap), 0);
		assert_int_equal(cap, cases[i].cap);
		int *before = a;
		assert_int_equal(vx_grow((void **)&a, &cap, cases[i].need, sizeof *a, cases[i].first), 0);
		assert_int_equal(cap, cases[i].expected);
		if (cases[i].need <= cases[i].cap)
			assert_ptr_equal(a, before);
		free(a);
	}
}

static void test_contents_kept(void **state)
{
	(void)state;
	size_t *a = NULL, cap = 0;
	for (size_t i = 0; i < 1000; i++) {
		assert_int_equal(vx_grow((void **)&a, &cap, i + 1, sizeof *a, 8), 0);
		a[i] = i * 3;
	}
	for (size_t i = 0; i < 1000; i++)
		assert_true(a[i] == i * 3);
	assert_int_equal(cap, 1024);
	free(a);
}

static void test_overflow_is_out_of_memory(void **state)
{
	(void)state;
	char *a = NULL;
	size_t cap = 0;
	assert_int_equal(vx_grow((void **)&a, &cap, SIZE_MAX / 4 + 1, 8, 16), VX_ENOMEM);
	assert_null(a);
	assert_int_equal(cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capacities),
		cmocka_unit_test(test_contents_kept),
		cmocka_unit_test(test_overflow_is_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
