/*
 * Whole-file reading and hashing helpers.
 */
#ifndef VX_UTIL_FILE_H
#define VX_UTIL_FILE_H

#include <stddef.h>

#include "voix/util.h"

/* Reads the whole file at path into *out (NUL-terminated, caller frees).
 * Fails with VX_EIO (cannot open/read) or VX_ETOOBIG (larger than max bytes,
 * 0 = no limit). */
int vx_file_read(char **out, size_t *len, const char *path, size_t max);

/* Writes len bytes to path: to a new temporary file in the same folder,
 * then renamed over path, so that path is never truncated first and is left
 * as it was on failure. Fails with VX_EWRITE (folder missing, not writable,
 * disk full...), the message naming path. */
int vx_file_write(const char *path, const char *data, size_t len);

/* vx_file_same() is public: include/voix/util.h. */

/* Lower-case hexadecimal SHA-256 of data into hex (65 bytes with the NUL). */
void vx_sha256_hex(char hex[65], const void *data, size_t len);

/* 64-bit hash of a byte string (XXH3). */
unsigned long long vx_hash64(const void *data, size_t len);

#endif
