/*
 * Fuzz target for the JSON note reader (vx_note_read_json, src/rendering):
 * the input either is refused with VX_EFORMAT (or VX_ENOMEM), or gives a
 * note that Markdown, HTML and JSON render; that note's JSON reads back, and renders
 * to the same bytes again (what the reader accepts, the writer and the
 * reader agree on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "voix/error.h"
#include "voix/note.h"
#include "voix/render.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vx_note *n = NULL, *again = NULL;
	int rc = vx_note_read_json(&n, (const char *)data, size);
	if (rc != 0) {
		CHECK(rc == VX_EFORMAT || rc == VX_ENOMEM);
		CHECK(n == NULL);
		return 0;
	}
	/* The formats of the note itself (the assignments need memberships,
	 * which the JSON does not carry). */
	char *text[VX_NOTE_FORMAT_JSON + 1] = {NULL};
	size_t len[VX_NOTE_FORMAT_JSON + 1] = {0};
	for (int f = 0; f <= VX_NOTE_FORMAT_JSON; f++) {
		vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
		ro.format = (vx_note_format)f;
		ro.timings = 1;
		CHECK(vx_note_render(&text[f], &len[f], n, &ro) == 0);
		CHECK(len[f] > 0 && strlen(text[f]) == len[f]);
	}
	CHECK(vx_note_read_json(&again, text[VX_NOTE_FORMAT_JSON], len[VX_NOTE_FORMAT_JSON]) == 0);
	char *json = NULL;
	size_t json_len = 0;
	CHECK(vx_note_render_json(&json, &json_len, again) == 0);
	CHECK(json_len == len[VX_NOTE_FORMAT_JSON] && memcmp(json, text[VX_NOTE_FORMAT_JSON], json_len) == 0);
	free(json);
	for (int f = 0; f <= VX_NOTE_FORMAT_JSON; f++)
		free(text[f]);
	vx_note_free(again);
	vx_note_free(n);
	return 0;
}
