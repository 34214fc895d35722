/*
 * Fuzz target for the PostgreSQL URI redaction (src/storage/pg_uri.c),
 * which names a --db URI in messages without its password:
 *  - vx_pg_uri_redact never fails but for memory and never reads past the
 *    input's length;
 *  - the result keeps the scheme, and no password: the user information
 *    before the authority's last '@' has "***" after its first ':', every
 *    "password=" parameter has the value "***";
 *  - redacting the result again gives it unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/pg_uri.h"
#include "util/buf.h"
#include "fuzz_check.h"

/* Every "password=" parameter of the query in b[q..len) has the value ***. */
static void check_params(const vx_buf *b, size_t q)
{
	static const char key[] = "password=";
	size_t i = q;
	while (i < b->len) {
		size_t end = i;
		while (end < b->len && b->data[end] != '&')
			end++;
		if (end - i >= sizeof key - 1 && memcmp(b->data + i, key, sizeof key - 1) == 0)
			CHECK(end - i == sizeof key - 1 + 3 && memcmp(b->data + i + sizeof key - 1, "***", 3) == 0);
		i = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy of exactly size bytes, so that a read past it is
	 * caught by the sanitizers. */
	char *in = malloc(size ? size : 1);
	CHECK(in != NULL);
	if (size)
		memcpy(in, data, size);
	vx_buf out = VX_BUF_INIT, again = VX_BUF_INIT;
	CHECK(vx_pg_uri_redact(&out, in, size) == 0);
	size_t scheme = 0;
	if (size >= 13 && memcmp(in, "postgresql://", 13) == 0)
		scheme = 13;
	else if (size >= 11 && memcmp(in, "postgres://", 11) == 0)
		scheme = 11;
	CHECK(out.len >= scheme && (scheme == 0 || memcmp(out.data, in, scheme) == 0));
	/* The authority of the output: its user information has no password
	 * left but "***". */
	size_t auth_end = scheme;
	while (auth_end < out.len && out.data[auth_end] != '/' && out.data[auth_end] != '?')
		auth_end++;
	size_t at = auth_end;
	for (size_t k = scheme; k < auth_end; k++)
		if (out.data[k] == '@')
			at = k;
	if (at < auth_end) {
		const char *colon = memchr(out.data + scheme, ':', at - scheme);
		if (colon)
			CHECK((size_t)(out.data + at - colon) == 4 && memcmp(colon + 1, "***", 3) == 0);
	}
	size_t q = scheme;
	while (q < out.len && out.data[q] != '?')
		q++;
	if (q < out.len)
		check_params(&out, q + 1);
	CHECK(vx_pg_uri_redact(&again, out.data ? out.data : "", out.len) == 0);
	CHECK(again.len == out.len && (out.len == 0 || memcmp(again.data, out.data, out.len) == 0));
	vx_buf_free(&out);
	vx_buf_free(&again);
	free(in);
	return 0;
}
