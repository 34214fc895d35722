/*
 * Fuzz target of the upload parser of voix serve (vx_multipart_parse). The
 * input's first line is the Content-Type header, the rest the body.
 * Checks, besides the absence of crashes and sanitizer reports:
 *  - it fails only with VX_EFORMAT or VX_ETOOBIG;
 *  - every part found lies inside the body, its name and file name too,
 *    and parts come in order without overlapping.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serving/params.h"
#include "voix/error.h"
#include "fuzz_check.h"

static int inside(const char *p, size_t n, const char *body, size_t len)
{
	return p >= body && p + n <= body + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	size_t ct_len = nl ? (size_t)(nl - s) : size;
	char *ct = malloc(ct_len + 1);
	if (ct == NULL)
		return 0;
	memcpy(ct, s, ct_len);
	ct[ct_len] = '\0';
	const char *body = nl ? nl + 1 : s + size;
	size_t len = (size_t)(s + size - body);
	vx_part parts[VX_PARTS_MAX];
	size_t n = 0;
	int rc = vx_multipart_parse(parts, &n, ct, body, len);
	CHECK(rc == 0 || rc == VX_EFORMAT || rc == VX_ETOOBIG);
	CHECK(n <= VX_PARTS_MAX);
	for (size_t i = 0; i < n; i++) {
		CHECK(inside(parts[i].data, parts[i].len, body, len));
		if (parts[i].name)
			CHECK(inside(parts[i].name, parts[i].name_len, body, len));
		if (parts[i].filename)
			CHECK(inside(parts[i].filename, parts[i].filename_len, body, len));
		if (i)
			CHECK(parts[i].data >= parts[i - 1].data + parts[i - 1].len);
	}
	free(ct);
	return 0;
}
