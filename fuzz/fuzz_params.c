/*
 * Fuzz target of the request parsers of voix serve that read text: query
 * strings and urlencoded forms (one parser, vx_params_parse), the Cookie
 * header (vx_cookie_get), and the HTML escaping every page uses. Checks,
 * besides the absence of crashes and sanitizer reports:
 *  - parsing fails only with VX_EFORMAT (a bad %-escape, a NUL in a name)
 *    or VX_ETOOBIG (too many pairs), and leaves no parameter on failure;
 *  - every parameter found is returned by vx_params_get unless its value
 *    holds a NUL byte, and a decoded value is never longer than the input;
 *  - a cookie value found is a piece of the header without ';';
 *  - the escaped input holds no '<', '>', '"' or '\'' byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serving/html.h"
#include "serving/params.h"
#include "voix/error.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	vx_params p;
	int rc = vx_params_parse(&p, s, size);
	CHECK(rc == 0 || rc == VX_EFORMAT || rc == VX_ETOOBIG || rc == VX_ENOMEM);
	if (rc)
		CHECK(p.n == 0);
	for (size_t i = 0; i < p.n; i++) {
		CHECK(p.items[i].value_len <= size);
		const char *v = vx_params_get(&p, p.items[i].name);
		if (v == NULL)
			continue;
		CHECK(strlen(v) <= size);
	}
	vx_params_free(&p);

	char *header = malloc(size + 1), cookie[64];
	if (header == NULL)
		return 0;
	memcpy(header, data, size);
	header[size] = '\0';
	if (vx_cookie_get(cookie, sizeof cookie, header, "voix_session") == 0) {
		CHECK(strchr(cookie, ';') == NULL);
		CHECK(strstr(header, cookie) != NULL);
	}
	free(header);

	vx_buf b = VX_BUF_INIT;
	if (vx_html_text(&b, s, size) == 0)
		for (size_t i = 0; i < b.len; i++)
			CHECK(b.data[i] != '<' && b.data[i] != '>' && b.data[i] != '"' && b.data[i] != '\'');
	vx_buf_free(&b);
	return 0;
}
