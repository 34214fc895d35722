/*
 * Fuzz target of the API's submission body (vx_submission_from_json,
 * src/storage/collect_json.c). Checks, besides the absence of crashes and
 * sanitizer reports:
 *  - the only errors are VX_EFORMAT, VX_EINVAL, VX_ETOOBIG (and VX_ENOMEM);
 *  - on error nothing is owned and the submission is cleared; VX_EINVAL
 *    always comes with at least one field's message;
 *  - on success every string is valid UTF-8 without a NUL before its end
 *    (Jansson refuses \u0000), inside the input's size once decoded, and
 *    the channels are at most one past VX_CHANNELS_MAX (so that the check
 *    can say "too many").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/decode.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "fuzz.h"

static void check_string(const char *s, size_t size)
{
	if (s == NULL)
		return;
	size_t n = strlen(s);
	CHECK(n <= size);
	CHECK(vx_utf8_valid(s, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vx_submission_json *doc = NULL;
	vx_submission sub;
	vx_submission_errors e;
	int rc = vx_submission_from_json(&doc, &sub, (const char *)data, size, &e);
	CHECK(rc == 0 || rc == VX_EFORMAT || rc == VX_EINVAL || rc == VX_ETOOBIG || rc == VX_ENOMEM);
	if (rc) {
		CHECK(doc == NULL);
		CHECK(sub.structure == NULL && sub.title == NULL && sub.n_channels == 0 && sub.consent == 0);
		if (rc == VX_EINVAL)
			CHECK(e.n > 0);
		return 0;
	}
	CHECK(e.n == 0);
	CHECK(sub.n_channels <= VX_CHANNELS_MAX + 1);
	const char *strings[] = {sub.structure, sub.date, sub.feeling, sub.title, sub.description, sub.posted_as,
	                         sub.pseudonym, sub.dimensions[0], sub.dimensions[1], sub.dimensions[2],
	                         sub.dimensions[3], sub.dimensions[4]};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		check_string(strings[i], size);
	for (size_t i = 0; i < sub.n_channels; i++)
		check_string(sub.channels[i], size);
	vx_submission_json_free(doc);
	return 0;
}
