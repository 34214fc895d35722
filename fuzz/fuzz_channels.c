/*
 * Fuzz target for the channels JSON of the storage stage (the array of
 * strings in experiences.channels, written and read without a JSON
 * library):
 *  - the input as JSON: vx_channels_decode either fails with VX_EFORMAT or
 *    gives n NUL-free strings; on valid UTF-8 it agrees with Jansson about
 *    whether the input is an array of strings and about every string; what
 *    it decodes, encoded again, decodes to the same strings;
 *  - the input as a list of channel names (split at NUL bytes): encoded,
 *    it is JSON that Jansson reads back to the same names, and that
 *    vx_channels_decode reads back to the same names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reading/decode.h"
#include "storage/channels.h"
#include "util/buf.h"
#include "voix/error.h"
#include "fuzz_check.h"

/* At most this many names from one input (keeps each run fast). */
#define FUZZ_MAX_NAMES 256

/* Checks that strings holds exactly the n NUL-terminated strings of want
 * (a NUL-separated list of n strings too). */
static void same_list(const vx_buf *strings, uint32_t n, const vx_buf *want, uint32_t want_n)
{
	CHECK(n == want_n);
	CHECK(strings->len == want->len);
	CHECK(strings->len == 0 || memcmp(strings->data, want->data, strings->len) == 0);
}

/* Jansson's reading of json as an array of strings: 1 and the strings
 * (each followed by a NUL) in out, or 0 when it is not one. */
static int jansson_list(vx_buf *out, uint32_t *n, const char *json, size_t len)
{
	vx_buf_reset(out);
	*n = 0;
	json_t *v = json_loadb(json, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int ok = v != NULL && json_is_array(v);
	size_t i;
	json_t *x;
	if (ok) {
		json_array_foreach(v, i, x) {
			/* A string holding U+0000 is refused by vx_channels_decode. */
			if (!json_is_string(x) || memchr(json_string_value(x), '\0', json_string_length(x)) != NULL) {
				ok = 0;
				break;
			}
			CHECK(vx_buf_append(out, json_string_value(x), json_string_length(x) + 1) == 0);
			(*n)++;
		}
	}
	json_decref(v);
	return ok;
}

static void fuzz_decode(const char *text, size_t size)
{
	vx_buf strings = VX_BUF_INIT, again = VX_BUF_INIT, json = VX_BUF_INIT, ref = VX_BUF_INIT;
	const char **items = NULL;
	uint32_t n = 0;
	int rc = vx_channels_decode(&strings, &n, text, size);
	CHECK(rc == 0 || rc == VX_EFORMAT);

	int valid = vx_utf8_valid(text, size);
	uint32_t ref_n = 0;
	int ref_ok = valid ? jansson_list(&ref, &ref_n, text, size) : -1;
	if (ref_ok >= 0)
		CHECK(ref_ok == (rc == 0));

	if (rc == 0) {
		/* n strings, each NUL-terminated, none holding a NUL. */
		uint32_t nuls = 0;
		for (size_t i = 0; i < strings.len; i++)
			nuls += strings.data[i] == '\0';
		CHECK(nuls == n);
		CHECK(strings.len == 0 || strings.data[strings.len - 1] == '\0');
		if (ref_ok == 1) {
			same_list(&strings, n, &ref, ref_n);
			CHECK(vx_utf8_valid(strings.data, strings.len));
		}

		items = malloc((n ? n : 1) * sizeof *items);
		CHECK(items != NULL);
		const char *p = strings.data;
		for (uint32_t k = 0; k < n; k++) {
			items[k] = p;
			p += strlen(p) + 1;
		}
		CHECK(vx_channels_encode(&json, items, n) == 0);
		uint32_t back = 0;
		CHECK(vx_channels_decode(&again, &back, json.data, json.len) == 0);
		same_list(&again, back, &strings, n);
	}
	free(items);
	vx_buf_free(&strings);
	vx_buf_free(&again);
	vx_buf_free(&json);
	vx_buf_free(&ref);
}

static void fuzz_encode(const char *text, size_t size)
{
	const char *items[FUZZ_MAX_NAMES];
	vx_buf names = VX_BUF_INIT, json = VX_BUF_INIT, back = VX_BUF_INIT, ref = VX_BUF_INIT;
	/* The names: the input cut at NUL bytes, each copied with its NUL. */
	uint32_t n = 0;
	size_t i = 0;
	while (i < size && n < FUZZ_MAX_NAMES) {
		const char *nul = memchr(text + i, '\0', size - i);
		size_t end = nul ? (size_t)(nul - text) : size;
		CHECK(vx_buf_append(&names, text + i, end - i) == 0);
		CHECK(vx_buf_putc(&names, '\0') == 0);
		n++;
		i = end + 1;
	}
	const char *p = names.data;
	for (uint32_t k = 0; k < n; k++) {
		items[k] = p;
		p += strlen(p) + 1;
	}
	CHECK(vx_channels_encode(&json, items, n) == 0);
	uint32_t got = 0;
	CHECK(vx_channels_decode(&back, &got, json.data, json.len) == 0);
	same_list(&back, got, &names, n);
	if (vx_utf8_valid(names.data, names.len)) {
		uint32_t ref_n = 0;
		CHECK(jansson_list(&ref, &ref_n, json.data, json.len) == 1);
		same_list(&ref, ref_n, &names, n);
	}
	vx_buf_free(&names);
	vx_buf_free(&json);
	vx_buf_free(&back);
	vx_buf_free(&ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	fuzz_decode(text, size);
	fuzz_encode(text, size);
	return 0;
}
