/*
 * Fuzz target of the masker: arbitrary bytes go through vx_masker_find and
 * vx_masker_mask. Checks, besides the absence of crashes and sanitizer
 * reports:
 *  - spans are sorted, disjoint and inside the input;
 *  - the masked text is the input with exactly those spans replaced by
 *    their placeholders (nothing else changes);
 *  - valid UTF-8 in gives valid UTF-8 out;
 *  - masking the masked text again masks nothing new inside placeholders.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "voix/privacy.h"

/* 1 when s[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, min = 0x10000;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		unsigned cp = c & (0xFF >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vx_masker *m = NULL;
	if (vx_masker_new(&m) != 0)
		abort();
	const char *text = (const char *)data;
	vx_pii_span *spans = NULL;
	size_t n = 0;
	if (vx_masker_find(m, text, size, &spans, &n) != 0)
		abort();
	char *out = NULL;
	vx_pii_counts counts = {0};
	if (vx_masker_mask(m, text, size, &out, &counts) != 0)
		abort();
	/* rebuild the expected output from the spans */
	size_t at = 0, o = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		if (spans[i].start < at || spans[i].end <= spans[i].start || spans[i].end > size)
			abort();
		size_t keep = spans[i].start - at;
		if (memcmp(out + o, text + at, keep) != 0)
			abort();
		o += keep;
		const char *ph = vx_pii_placeholder(spans[i].kind);
		if (memcmp(out + o, ph, strlen(ph)) != 0)
			abort();
		o += strlen(ph);
		at = spans[i].end;
	}
	if (memcmp(out + o, text + at, size - at) != 0 || out[o + size - at] != '\0')
		abort();
	for (int k = 0; k < VX_PII_COUNT; k++)
		total += counts.by_kind[k];
	if (total != n)
		abort();
	size_t out_len = o + size - at;
	if (utf8_ok(data, size) && !utf8_ok((const unsigned char *)out, out_len))
		abort();
	/* placeholders are never masked again */
	char *again = NULL;
	if (vx_masker_mask(m, out, out_len, &again, NULL) != 0)
		abort();
	for (int k = 0; k < VX_PII_COUNT; k++) {
		const char *ph = vx_pii_placeholder((vx_pii_kind)k);
		size_t c1 = 0, c2 = 0;
		for (const char *p = out; (p = strstr(p, ph)) != NULL; p++)
			c1++;
		for (const char *p = again; (p = strstr(p, ph)) != NULL; p++)
			c2++;
		if (c2 < c1)
			abort();
	}
	free(again);
	free(out);
	free(spans);
	vx_masker_free(m);
	return 0;
}
