/*
 * Fuzz target for an edited codebook (voix note --codebook FILE): the
 * codebook parser, then the theme expressions of every section compiled and
 * scanned over a text.
 *  - vx_codebook_parse on the input up to its first NUL byte: 0 or
 *    VX_EFORMAT with a message that names the file ("cb.txt"), never
 *    another error but VX_ENOMEM;
 *  - each expression given to vx_themes_add: 0 or VX_EFORMAT; a refused
 *    expression adds no theme;
 *  - the rest of the input (after the NUL) scanned as a title and a text:
 *    no crash, and the matches of a theme never exceed 255.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/themes.h"
#include "synthesis/codebook.h"
#include "voix/error.h"
#include "voix/text.h"
#include "fuzz_check.h"

typedef struct feed {
	vx_theme_scan *sc;
} feed;

static int on_token(const vx_token *tok, void *payload)
{
	feed *f = payload;
	CHECK(vx_theme_scan_token(f->sc, tok) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(data, 0, size);
	size_t cb_len = nul ? (size_t)(nul - text) : size;
	vx_codebook cb;
	int rc = vx_codebook_parse(&cb, text, cb_len, "cb.txt");
	if (rc != 0) {
		CHECK(rc == VX_EFORMAT || rc == VX_ENOMEM);
		CHECK(rc != VX_EFORMAT || strstr(vx_error_last(), "cb.txt") != NULL);
		return 0;
	}
	vx_text *t = NULL;
	vx_themes *th = NULL;
	vx_theme_scan *sc = NULL;
	CHECK(vx_text_new(&t) == 0 && vx_themes_new(&th) == 0);
	size_t n = 0;
	for (size_t i = 0; i < cb.n && n < VX_THEMES_MAX; i++) {
		int added = 0;
		for (size_t e = 0; e < cb.levers[i].n_exprs; e++) {
			size_t before = vx_themes_count(th);
			const char *x = cb.levers[i].exprs[e].text;
			rc = vx_themes_add(th, n, x, strlen(x), cb.levers[i].kind == VX_THEME_PRAISE, t);
			CHECK(rc == 0 || rc == VX_EFORMAT || rc == VX_ENOMEM);
			if (rc != 0)
				CHECK(vx_themes_count(th) == before);
			added |= rc == 0;
		}
		n += added;
	}
	CHECK(vx_theme_scan_new(&sc, th, t) == 0);
	if (nul) {
		const char *rest = nul + 1;
		size_t len = size - cb_len - 1;
		feed f = {sc};
		size_t half = len / 2;
		vx_text_tokens(t, rest, half, on_token, &f);
		vx_theme_scan_break(sc);
		vx_text_tokens(t, rest + half, len - half, on_token, &f);
		uint8_t hits[VX_THEMES_MAX];
		vx_theme_scan_take(sc, hits);
	}
	vx_theme_scan_free(sc);
	vx_themes_free(th);
	vx_text_free(t);
	vx_codebook_free(&cb);
	return 0;
}
