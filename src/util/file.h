/*
 * Whole-file reading and hashing helpers.
 */
#ifndef VX_UTIL_FILE_H
#define VX_UTIL_FILE_H

#include <stddef.h>

/* Reads the whole file at path into *out (NUL-terminated, caller frees).
 * Fails with VX_EIO (cannot open/read) or VX_ETOOBIG (larger than max bytes,
 * 0 = no limit). */
int vx_file_read(char **out, size_t *len, const char *path, size_t max);

/* Writes len bytes to path atomically enough for our use (write then rename). */
int vx_file_write(const char *path, const char *data, size_t len);

/* Lower-case hexadecimal SHA-256 of data into hex (65 bytes with the NUL). */
void vx_sha256_hex(char hex[65], const void *data, size_t len);

/* 64-bit hash of a byte string (XXH3). */
unsigned long long vx_hash64(const void *data, size_t len);

#endif
