/*
 * What every fuzz target shares: libFuzzer's entry point and CHECK, which
 * stops the run on a property that does not hold (a trap, which libFuzzer
 * and the corpus replay both report as a crash).
 */
#ifndef VX_FUZZ_CHECK_H
#define VX_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                          \
	do {                                                                                                 \
		if (!(cond))                                                                                 \
			__builtin_trap();                                                                    \
	} while (0)

#endif
