/*
 * Huge-page buffers: small ones are ordinary allocations, large ones start
 * on a huge page; all are writable from end to end, zeroed when asked, and
 * released by free(). An impossible size is an out-of-memory, not a wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/mem.h"

static void test_sizes_and_alignment(void **state)
{
	(void)state;
	static const size_t sizes[] = {1, 4096, VX_MEM_HUGE_MIN - 1, VX_MEM_HUGE_MIN, VX_MEM_HUGE_MIN + 12345,
	                               3 * VX_MEM_HUGE_MIN};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = vx_mem_alloc_huge(sizes[i]);
		assert_non_null(p);
		if (sizes[i] >= VX_MEM_HUGE_MIN)
			assert_int_equal((uintptr_t)p % VX_MEM_HUGE_PAGE, 0);
		memset(p, 0xA5, sizes[i]);
		assert_int_equal(p[sizes[i] - 1], 0xA5);
		free(p);
	}
}

static void test_zeroed(void **state)
{
	(void)state;
	static const size_t counts[] = {1, 1000, VX_MEM_HUGE_MIN / 8, VX_MEM_HUGE_MIN / 8 + 3};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		uint64_t *p = vx_mem_calloc_huge(counts[i], sizeof *p);
		assert_non_null(p);
		for (size_t j = 0; j < counts[i]; j++)
			assert_true(p[j] == 0);
		free(p);
	}
	assert_null(vx_mem_calloc_huge(SIZE_MAX / 4, 8));
}

static void test_advice_on_any_buffer(void **state)
{
	(void)state;
	vx_mem_advise_huge(NULL, VX_MEM_HUGE_MIN);
	size_t n = VX_MEM_HUGE_MIN + 5000;
	char *p = malloc(n);
	assert_non_null(p);
	vx_mem_advise_huge(p + 1, n - 1); /* not aligned: only the whole huge pages inside */
	vx_mem_advise_huge(p, 100);       /* too small: nothing */
	memset(p, 1, n);
	assert_int_equal(p[n - 1], 1);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_alignment),
		cmocka_unit_test(test_zeroed),
		cmocka_unit_test(test_advice_on_any_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
