/*
 * Fuzz target for the JSON Lines path of the reading stage and for the
 * mapping parser: vx_reader_read_buffer on the input as a .jsonl file with
 * a mapping, then the input itself used as an inline mapping.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/decode.h"
#include "reading/mapping.h"
#include "voix/corpus.h"
#include "voix/reader.h"
#include "fuzz_check.h"

#define FUZZ_MAX_FIELD 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	vx_corpus *c = NULL;
	if (vx_corpus_new(&c) != 0)
		return 0;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.max_field_bytes = FUZZ_MAX_FIELD;
	o.map = "text=text,id=id,date=date,feeling=note,channels=canaux,reply=reponse";
	int rc = vx_reader_read_buffer(c, "fuzz.jsonl", text, size, &o);
	if (rc == 0) {
		const vx_source *src = vx_corpus_source(c, 0);
		CHECK(src->separator == 0);
		CHECK(src->rows_read == vx_corpus_count(c) + vx_corpus_reject_count(c));
		for (size_t i = 0; i < vx_corpus_count(c); i++) {
			const vx_experience *e = vx_corpus_get(c, i);
			CHECK(vx_utf8_valid(e->text, strlen(e->text)));
			CHECK(e->text[0] != '\0');
		}
	} else {
		CHECK(vx_corpus_count(c) == 0 && vx_corpus_reject_count(c) == 0);
	}
	o.keep_row_json = 1;
	o.map = "texte=text,feeling=note,feeling_scale=binary";
	(void)vx_reader_read_buffer(c, "fuzz.ndjson", text, size, &o);
	vx_corpus_free(c);

	/* The input as a mapping (NUL-terminated copy, cut at the first NUL). */
	char *spec = malloc(size + 1);
	if (spec == NULL)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	vx_mapping m = VX_MAPPING_INIT;
	(void)vx_mapping_parse(&m, spec);
	vx_mapping_free(&m);
	free(spec);
	return 0;
}
