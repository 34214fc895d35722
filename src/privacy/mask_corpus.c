/*
 * vx_corpus_mask: a copy of a corpus in which every text a person can type
 * is masked, for `voix import --mask-at-rest` (docs/storage.md): the
 * database then never holds the raw texts, names or original rows.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/privacy.h"

/* Masks s into the corpus's storage; *out is s itself when nothing was
 * found (no copy). */
static int mask_into(vx_corpus *c, vx_masker *m, const char *s, const char **out, vx_pii_counts *counts)
{
	char *masked = NULL;
	*out = s;
	if (s == NULL || *s == '\0')
		return 0;
	size_t len = strlen(s);
	int rc = vx_masker_mask(m, s, len, &masked, counts);
	if (rc)
		return rc;
	if (strcmp(masked, s) != 0 && (*out = vx_corpus_intern(c, masked, strlen(masked))) == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory masking the corpus");
	free(masked);
	return rc;
}

/* Fields of the experience already masked: a value of the original row
 * equal to one of them (the text, the title...) is not masked twice. */
typedef struct known {
	const char *raw[8], *masked[8];
	size_t n;
} known;

/* The original row with each of its string values masked, in the same
 * order; "" stays "". */
static int mask_row_json(vx_corpus *c, vx_masker *m, const char *row, const char **out, vx_pii_counts *counts,
                         const known *k)
{
	int rc = 0;
	*out = row;
	if (row == NULL || *row == '\0')
		return 0;
	json_error_t jerr;
	json_t *obj = json_loads(row, JSON_DECODE_ANY, &jerr);
	if (obj == NULL || !json_is_object(obj)) {
		json_decref(obj);
		/* Never stored raw: a row that cannot be read back is dropped. */
		*out = "";
		return 0;
	}
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value)
	{
		if (!json_is_string(value))
			continue;
		const char *v = json_string_value(value);
		size_t q = 0;
		while (q < k->n && (k->raw[q] == NULL || strcmp(k->raw[q], v) != 0))
			q++;
		if (q < k->n) {
			if (k->masked[q] != k->raw[q] && json_string_set(value, k->masked[q]) != 0)
				rc = vx_error_set(VX_ENOMEM, "out of memory masking an original row");
			if (rc)
				break;
			continue;
		}
		char *masked = NULL;
		if ((rc = vx_masker_mask(m, json_string_value(value), json_string_length(value), &masked, counts)) != 0)
			break;
		if (json_string_set(value, masked) != 0)
			rc = vx_error_set(VX_ENOMEM, "out of memory masking an original row");
		free(masked);
		if (rc)
			break;
	}
	char *dump = rc ? NULL : json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (rc == 0 && dump == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory masking an original row");
	if (dump && (*out = vx_corpus_intern(c, dump, strlen(dump))) == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory masking an original row");
	free(dump);
	json_decref(obj);
	return rc;
}

/* Hex digits of the raw id's SHA-256 kept after a masked id. */
#define ID_HASH_HEX 16

/* The identity of an experience must survive masking: two ids that mask to
 * the same "[EMAIL]" would be one experience. A masked id is followed by a
 * hash of the raw one ("[EMAIL]#3f2a..."): stable from one import to the
 * next, and the raw id is not stored (a hash of an e-mail can be matched
 * against a guessed e-mail: docs/storage.md says so). */
static int mask_id(vx_corpus *c, vx_masker *m, const char *id, const char **out, vx_pii_counts *counts)
{
	int rc = mask_into(c, m, id, out, counts);
	if (rc || *out == id)
		return rc;
	char hex[65], buf[512];
	vx_sha256_hex(hex, id, strlen(id));
	int n = snprintf(buf, sizeof buf, "%.*s#%.*s", (int)(sizeof buf - ID_HASH_HEX - 2), *out, ID_HASH_HEX, hex);
	if ((*out = vx_corpus_intern(c, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory masking the corpus");
	return 0;
}

/* Channels of one experience masked without an allocation; a longer list
 * takes one. */
#define CHANNELS_ON_STACK 16

static int mask_one(vx_corpus *c, vx_masker *m, const vx_experience *in, vx_pii_counts *counts)
{
	vx_experience e = *in;
	const char *stack[CHANNELS_ON_STACK];
	const char **channels = e.n_channels <= CHANNELS_ON_STACK ? stack : malloc(e.n_channels * sizeof *channels);
	int rc = channels ? 0 : vx_error_set(VX_ENOMEM, "out of memory masking the corpus");
	if (rc == 0)
		rc = mask_id(c, m, in->id, &e.id, counts);
	const char **fields[] = {&e.date_text, &e.title, &e.text, &e.service, &e.structure, &e.department,
	                         &e.reply};
	known k = {.n = 0};
	for (size_t f = 0; f < sizeof fields / sizeof fields[0] && rc == 0; f++) {
		k.raw[k.n] = *fields[f];
		rc = mask_into(c, m, *fields[f], fields[f], counts);
		k.masked[k.n++] = *fields[f];
	}
	k.raw[k.n] = in->id;
	k.masked[k.n++] = e.id;
	for (uint32_t ch = 0; ch < e.n_channels && rc == 0; ch++)
		rc = mask_into(c, m, in->channels[ch], &channels[ch], counts);
	if (rc == 0)
		rc = mask_row_json(c, m, in->row_json, &e.row_json, counts, &k);
	if (rc == 0) {
		e.channels = channels;
		rc = vx_corpus_add(c, &e);
	}
	if (channels != stack)
		free(channels);
	return rc;
}

int vx_corpus_mask(vx_corpus **out, const vx_corpus *in, vx_pii_counts *counts)
{
	vx_corpus *c = NULL;
	vx_masker *m = NULL;
	*out = NULL;
	int rc = vx_corpus_new(&c);
	if (rc == 0)
		rc = vx_masker_new(&m);
	for (size_t i = 0; rc == 0 && i < vx_corpus_source_count(in); i++)
		rc = vx_corpus_add_source(c, vx_corpus_source(in, i), NULL);
	for (size_t i = 0; rc == 0 && i < vx_corpus_reject_count(in); i++)
		rc = vx_corpus_add_reject(c, vx_corpus_reject(in, i));
	for (size_t i = 0; rc == 0 && i < vx_corpus_count(in); i++)
		rc = mask_one(c, m, vx_corpus_get(in, i), counts);
	vx_masker_free(m);
	if (rc) {
		vx_corpus_free(c);
		return rc == VX_ENOMEM ? vx_error_set(VX_ENOMEM, "out of memory masking the corpus") : rc;
	}
	*out = c;
	return 0;
}
