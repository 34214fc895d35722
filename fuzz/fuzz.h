/*
 * What every fuzz target shares: the libFuzzer entry point (also called by
 * replay_main.c) and CHECK, which stops the run on a broken invariant so
 * that libFuzzer (or the replay under the sanitizers) reports the input.
 */
#ifndef VX_FUZZ_H
#define VX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                          \
	do {                                                                                                 \
		if (!(cond))                                                                                 \
			__builtin_trap();                                                                    \
	} while (0)

#endif
