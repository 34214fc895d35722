/*
 * The API's submission body (vx_submission_from_json): a JSON object read
 * with jansson, each member to its field, with a French message for a
 * member of the wrong type. Untrusted input: fuzz/fuzz_submission_json.c.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "voix/collect.h"
#include "voix/error.h"

struct vx_submission_json {
	json_t *root;
};

void vx_submission_json_free(vx_submission_json *j)
{
	if (j == NULL)
		return;
	json_decref(j->root);
	free(j);
}

static void type_error(vx_submission_errors *e, vx_submission_field f, const char *want)
{
	if (e->message[f][0] == '\0')
		e->n++;
	snprintf(e->message[f], sizeof e->message[f], "%s : %s attendu.", vx_submission_field_label(f), want);
}

/* The string of member v into *out (NULL for null); a type error else. */
static void string_member(vx_submission_errors *e, vx_submission_field f, json_t *v, const char **out)
{
	if (json_is_null(v))
		*out = NULL;
	else if (json_is_string(v))
		*out = json_string_value(v);
	else
		type_error(e, f, "un texte");
}

static void channels_member(vx_submission_errors *e, json_t *v, vx_submission *sub)
{
	size_t i;
	json_t *item;
	if (json_is_null(v))
		return;
	if (!json_is_array(v)) {
		type_error(e, VX_FIELD_CHANNELS, "une liste de textes");
		return;
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			type_error(e, VX_FIELD_CHANNELS, "une liste de textes");
			return;
		}
		if (sub->n_channels <= VX_CHANNELS_MAX)
			sub->channels[sub->n_channels] = json_string_value(item);
		/* Counted beyond the room, so that the check says "too many". */
		if (sub->n_channels <= VX_CHANNELS_MAX)
			sub->n_channels++;
	}
}

static int field_of(const char *key, vx_submission_field *f)
{
	for (int i = 0; i < VX_FIELD_COUNT; i++)
		if (strcmp(key, vx_submission_field_name((vx_submission_field)i)) == 0) {
			*f = (vx_submission_field)i;
			return 0;
		}
	return -1;
}

int vx_submission_from_json(vx_submission_json **out, vx_submission *sub, const char *data, size_t len,
                            vx_submission_errors *errs)
{
	json_error_t jerr;
	const char *key;
	json_t *v;
	vx_submission_json *j = NULL;
	int rc = 0;
	*out = NULL;
	memset(sub, 0, sizeof *sub);
	memset(errs, 0, sizeof *errs);
	if (len > VX_SUBMISSION_JSON_MAX)
		return vx_error_set(VX_ETOOBIG, "expérience de %zu octets : %zu au plus", len, VX_SUBMISSION_JSON_MAX);
	if ((j = calloc(1, sizeof *j)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a submission");
	/* Duplicate members are refused: which one counts would be a guess. */
	j->root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (j->root == NULL) {
		rc = vx_error_set(VX_EFORMAT, "JSON illisible à l'octet %d : %s", jerr.position, jerr.text);
		goto done;
	}
	if (!json_is_object(j->root)) {
		rc = vx_error_set(VX_EFORMAT, "un objet JSON est attendu");
		goto done;
	}
	json_object_foreach(j->root, key, v) {
		vx_submission_field f;
		if (field_of(key, &f) != 0) {
			rc = vx_error_set(VX_EFORMAT, "membre inconnu « %.60s » (voir docs/api.md)", key);
			goto done;
		}
		switch (f) {
		case VX_FIELD_STRUCTURE: string_member(errs, f, v, &sub->structure); break;
		case VX_FIELD_DATE: string_member(errs, f, v, &sub->date); break;
		case VX_FIELD_CHANNELS: channels_member(errs, v, sub); break;
		case VX_FIELD_FEELING: string_member(errs, f, v, &sub->feeling); break;
		case VX_FIELD_TITLE: string_member(errs, f, v, &sub->title); break;
		case VX_FIELD_DESCRIPTION: string_member(errs, f, v, &sub->description); break;
		case VX_FIELD_POSTED_AS: string_member(errs, f, v, &sub->posted_as); break;
		case VX_FIELD_PSEUDONYM: string_member(errs, f, v, &sub->pseudonym); break;
		case VX_FIELD_CONSENT:
			if (json_is_boolean(v))
				sub->consent = json_is_true(v);
			else if (!json_is_null(v))
				type_error(errs, f, "true ou false");
			break;
		default: /* the five dimensions */
			string_member(errs, f, v, &sub->dimensions[f - VX_FIELD_ACCESSIBILITY]);
			break;
		}
	}
	if (errs->n) {
		for (int f = 0; f < VX_FIELD_COUNT; f++)
			if (errs->message[f][0]) {
				rc = vx_error_set(VX_EINVAL, "%s", errs->message[f]);
				break;
			}
	}
done:
	if (rc) {
		vx_submission_json_free(j);
		memset(sub, 0, sizeof *sub);
	} else {
		*out = j;
	}
	return rc;
}
