/*
 * Reading a note written as JSON, schema "voix.note/1" (docs/note-json.md),
 * back into a vx_note. The input is untrusted: every member is checked for
 * its type and range, and an error names the member at fault by its path
 * ("topics[2].count"), never its text. The keys marked "contract" in
 * docs/note-json.md are required; the others, added later to the same
 * version, take their default when absent (0, "", false, null, []); keys
 * this reader does not know are ignored, as the schema's rules ask.
 * Rendering the note read gives the JSON back byte for byte when the JSON
 * came from vx_note_render_json().
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rendering/render.h"
#include "synthesis/note_storage.h"
#include "util/file.h"
#include "util/error.h"
#include "voix/error.h"
#include "voix/render.h"

#define SCHEMA "voix.note/1"
/* A member path in messages: "topics[12].verbatims[3].experience_id" fits. */
#define PATH_MAX_LEN 128
/* Longest run time accepted, in seconds (over 30 years): beyond it the
 * renderer's rounding to the millisecond would overflow. */
#define MAX_SECONDS 1e9
/* The sha256 of a source: 64 hexadecimal digits. */
#define SHA256_HEX_LEN 64

typedef struct reader {
	vx_arena *arena;
} reader;

enum { OPTIONAL = 0, REQUIRED = 1 };

/* VX_EFORMAT naming the member key of the object at path at. */
static int bad(const char *at, const char *key, const char *what)
{
	return vx_error_set(VX_EFORMAT, "JSON de la note : %s%s%s : %s", at, at[0] != '\0' && key[0] != '\0' ? "." : "",
	                    key, what);
}

/* "at.key" (or "key" at the top) into buf, for the members of a member. */
static const char *path_key(char buf[PATH_MAX_LEN], const char *at, const char *key)
{
	snprintf(buf, PATH_MAX_LEN, "%s%s%s", at, at[0] != '\0' ? "." : "", key);
	return buf;
}

/* "at[i]" into buf, for the items of an array. */
static const char *path_index(char buf[PATH_MAX_LEN], const char *at, size_t i)
{
	snprintf(buf, PATH_MAX_LEN, "%s[%zu]", at, i);
	return buf;
}

/* *v = member key of o; NULL when absent, which is an error when required.
 * A member that is null counts as absent only where the caller allows it. */
static int get(json_t **v, json_t *o, const char *key, int required, const char *at)
{
	*v = json_object_get(o, key);
	if (*v == NULL && required)
		return bad(at, key, "absent");
	return 0;
}

static int get_typed(json_t **v, json_t *o, const char *key, int required, const char *at, json_type type,
                     const char *expected)
{
	int rc = get(v, o, key, required, at);
	if (rc == 0 && *v != NULL && json_typeof(*v) != type)
		rc = bad(at, key, expected);
	return rc;
}

static int get_object(json_t **v, json_t *o, const char *key, int required, const char *at)
{
	return get_typed(v, o, key, required, at, JSON_OBJECT, "objet attendu");
}

static int get_array(json_t **v, json_t *o, const char *key, int required, const char *at)
{
	return get_typed(v, o, key, required, at, JSON_ARRAY, "tableau attendu");
}

static int get_count(size_t *out, json_t *o, const char *key, int required, const char *at)
{
	json_t *v;
	int rc = get(&v, o, key, required, at);
	if (rc != 0 || v == NULL)
		return rc;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(at, key, "entier positif ou nul attendu");
	*out = (size_t)json_integer_value(v);
	return 0;
}

static int get_int(int *out, json_t *o, const char *key, int required, const char *at)
{
	json_t *v;
	int rc = get(&v, o, key, required, at);
	if (rc != 0 || v == NULL)
		return rc;
	if (!json_is_integer(v) || json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX)
		return bad(at, key, "entier attendu");
	*out = (int)json_integer_value(v);
	return 0;
}

/* A number in [min, max]; integers are accepted for reals. */
static int get_real(double *out, json_t *o, const char *key, int required, const char *at, double min, double max)
{
	json_t *v;
	int rc = get(&v, o, key, required, at);
	if (rc != 0 || v == NULL)
		return rc;
	if (!json_is_number(v))
		return bad(at, key, "nombre attendu");
	double x = json_number_value(v);
	if (!(x >= min && x <= max)) {
		char what[64];
		snprintf(what, sizeof what, "nombre de %g à %g attendu", min, max);
		return bad(at, key, what);
	}
	*out = x;
	return 0;
}

static int get_bool(int *out, json_t *o, const char *key, int required, const char *at)
{
	json_t *v;
	int rc = get(&v, o, key, required, at);
	if (rc != 0 || v == NULL)
		return rc;
	if (!json_is_boolean(v))
		return bad(at, key, "true ou false attendu");
	*out = json_is_true(v);
	return 0;
}

/* A copy of string v in the note's storage. */
static int copy_string(const char **out, reader *r, json_t *v)
{
	char *s = vx_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	if (s == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading the note's JSON");
	*out = s;
	return 0;
}

/* A string member; absent and optional gives "". With nullable, null gives
 * NULL. */
static int get_string_at(const char **out, reader *r, json_t *o, const char *key, int required, int nullable,
                         const char *at)
{
	json_t *v;
	int rc = get(&v, o, key, required, at);
	if (rc != 0)
		return rc;
	if (v == NULL) {
		*out = nullable ? NULL : "";
		return 0;
	}
	if (nullable && json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return bad(at, key, nullable ? "chaîne ou null attendue" : "chaîne attendue");
	return copy_string(out, r, v);
}

static int get_string(const char **out, reader *r, json_t *o, const char *key, int required, const char *at)
{
	return get_string_at(out, r, o, key, required, 0, at);
}

/* An array in the note's storage with room for n items (NULL when n is 0). */
static int alloc_items(void **out, reader *r, size_t n, size_t size)
{
	*out = NULL;
	if (n == 0)
		return 0;
	if ((*out = vx_arena_calloc(r->arena, n, size)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading the note's JSON");
	return 0;
}

/* An array of strings; absent and optional gives none. */
static int get_strings(const char ***out, size_t *n, reader *r, json_t *o, const char *key, int required,
                       const char *at)
{
	json_t *a;
	char list[PATH_MAX_LEN], here[PATH_MAX_LEN];
	int rc = get_array(&a, o, key, required, at);
	*n = 0;
	*out = NULL;
	if (rc != 0 || a == NULL)
		return rc;
	size_t count = json_array_size(a);
	if ((rc = alloc_items((void **)out, r, count, sizeof **out)) != 0)
		return rc;
	for (size_t i = 0; i < count; i++) {
		json_t *s = json_array_get(a, i);
		if (!json_is_string(s))
			return bad(path_index(here, path_key(list, at, key), i), "", "chaîne attendue");
		if ((rc = copy_string(&(*out)[i], r, s)) != 0)
			return rc;
	}
	*n = count;
	return 0;
}

static int feeling_of(vx_feeling *out, const char *key)
{
	for (int f = 0; f < VX_FEELING_COUNT; f++)
		if (strcmp(vx_feeling_key((vx_feeling)f), key) == 0) {
			*out = (vx_feeling)f;
			return 0;
		}
	return -1;
}

static int dimension_of(vx_dimension *out, const char *key)
{
	for (int d = 0; d < VX_DIM_COUNT; d++)
		if (strcmp(vx_render_dimension_key((vx_dimension)d), key) == 0) {
			*out = (vx_dimension)d;
			return 0;
		}
	return -1;
}

/* The four feelings, all required, then the optional "<key>_read" counts
 * of those read from the text (notes written before it: none read). */
static int read_feelings(vx_feelings *out, json_t *o, const char *key, const char *at)
{
	json_t *f;
	char here[PATH_MAX_LEN], read_key[64];
	int rc = get_object(&f, o, key, REQUIRED, at);
	path_key(here, at, key);
	for (int k = 0; rc == 0 && k < VX_FEELING_COUNT; k++)
		rc = get_count(&out->n[k], f, vx_feeling_key((vx_feeling)k), REQUIRED, here);
	snprintf(read_key, sizeof read_key, "%s_read", key);
	f = NULL;
	if (rc == 0)
		rc = get_object(&f, o, read_key, OPTIONAL, at);
	path_key(here, at, read_key);
	for (int k = 0; rc == 0 && f != NULL && k < VX_FEELING_COUNT; k++) {
		rc = get_count(&out->read[k], f, vx_feeling_key((vx_feeling)k), REQUIRED, here);
		if (rc == 0 && out->read[k] > out->n[k])
			return bad(here, vx_feeling_key((vx_feeling)k), "plus de ressentis lus que comptés");
	}
	return rc;
}

/* {"from": string or null, "to": string or null} into *from, *to ("" for
 * null, as in a built note). */
static int read_range(const char **from, const char **to, reader *r, json_t *range, const char *at)
{
	int rc = get_string_at(from, r, range, "from", REQUIRED, 1, at);
	if (rc == 0)
		rc = get_string_at(to, r, range, "to", REQUIRED, 1, at);
	if (rc == 0 && *from == NULL)
		*from = "";
	if (rc == 0 && *to == NULL)
		*to = "";
	return rc;
}

/* A range or null member; null or absent (when optional) gives "" and "". */
static int get_range(const char **from, const char **to, reader *r, json_t *o, const char *key, int required,
                     const char *at)
{
	json_t *v;
	char here[PATH_MAX_LEN];
	int rc = get(&v, o, key, required, at);
	*from = *to = "";
	if (rc != 0 || v == NULL || json_is_null(v))
		return rc;
	if (!json_is_object(v))
		return bad(at, key, "objet ou null attendu");
	return read_range(from, to, r, v, path_key(here, at, key));
}

static int read_facets(vx_facet_count **out, size_t *n, reader *r, json_t *o, const char *key, int required,
                       const char *at)
{
	json_t *a;
	char list[PATH_MAX_LEN], here[PATH_MAX_LEN];
	int rc = get_array(&a, o, key, required, at);
	*out = NULL;
	*n = 0;
	if (rc != 0 || a == NULL)
		return rc;
	size_t count = json_array_size(a);
	if ((rc = alloc_items((void **)out, r, count, sizeof **out)) != 0)
		return rc;
	path_key(list, at, key);
	for (size_t i = 0; i < count && rc == 0; i++) {
		json_t *f = json_array_get(a, i);
		path_index(here, list, i);
		if (!json_is_object(f))
			return bad(here, "", "objet attendu");
		rc = get_string(&(*out)[i].value, r, f, "value", REQUIRED, here);
		if (rc == 0)
			rc = get_count(&(*out)[i].count, f, "count", REQUIRED, here);
	}
	*n = count;
	return rc;
}

/* {"mode": "auto"|"export"|"text", "checked": n, "agreed": n}, optional. */
static int read_feelings_source(vx_note *n, reader *r, json_t *root)
{
	json_t *o = NULL;
	const char *mode = NULL;
	int rc = get_object(&o, root, "feelings_source", OPTIONAL, "");
	if (rc != 0 || o == NULL)
		return rc;
	if ((rc = get_string(&mode, r, o, "mode", REQUIRED, "feelings_source")) != 0 ||
	    (rc = get_count(&n->feelings_checked, o, "checked", REQUIRED, "feelings_source")) != 0 ||
	    (rc = get_count(&n->feelings_agreed, o, "agreed", REQUIRED, "feelings_source")) != 0)
		return rc;
	if (n->feelings_agreed > n->feelings_checked)
		return bad("feelings_source", "agreed", "plus d'accords que de vérifications");
	if (vx_feeling_source_parse(&n->feeling_source, mode) == 0)
		return 0;
	return bad("feelings_source", "mode", "auto, export ou text attendu");
}

static int read_verbatim(vx_verbatim *v, reader *r, json_t *o, const char *at)
{
	int rc = 0;
	if (!json_is_object(o))
		return bad(at, "", "objet attendu");
	const char *feeling = NULL;
	v->copies = 1;
	v->feeling = VX_FEELING_UNKNOWN;
	if ((rc = get_string(&v->experience_id, r, o, "experience_id", REQUIRED, at)) != 0 ||
	    (rc = get_string(&v->field, r, o, "field", REQUIRED, at)) != 0 ||
	    (rc = get_count(&v->start, o, "start", REQUIRED, at)) != 0 ||
	    (rc = get_count(&v->end, o, "end", REQUIRED, at)) != 0 ||
	    (rc = get_string(&v->text, r, o, "text", REQUIRED, at)) != 0 ||
	    (rc = get_string_at(&feeling, r, o, "feeling", OPTIONAL, 1, at)) != 0 ||
	    (rc = get_count(&v->copies, o, "copies", OPTIONAL, at)) != 0 ||
	    (rc = get_bool(&v->feeling_read, o, "feeling_read", OPTIONAL, at)) != 0)
		return rc;
	if (feeling != NULL && feeling_of(&v->feeling, feeling) != 0)
		return bad(at, "feeling", "positif, neutre, negatif ou inconnu attendu");
	return 0;
}

static int read_trend(vx_topic *t, json_t *o, const char *at)
{
	json_t *v;
	char here[PATH_MAX_LEN];
	int rc = get(&v, o, "trend", OPTIONAL, at);
	if (rc != 0 || v == NULL || json_is_null(v))
		return rc;
	if (!json_is_object(v))
		return bad(at, "trend", "objet ou null attendu");
	path_key(here, at, "trend");
	t->has_trend = 1;
	if ((rc = get_count(&t->previous_count, v, "previous_count", REQUIRED, here)) != 0 ||
	    (rc = get_count(&t->previous_denominator, v, "previous_denominator", REQUIRED, here)) != 0 ||
	    (rc = get_count(&t->current_count, v, "current_count", REQUIRED, here)) != 0 ||
	    (rc = get_count(&t->current_denominator, v, "current_denominator", REQUIRED, here)) != 0)
		return rc;
	return 0;
}

static int read_topic(vx_topic *t, reader *r, json_t *o, const char *at)
{
	int rc = 0;
	json_t *dims = NULL, *vs = NULL;
	char here[PATH_MAX_LEN], item[PATH_MAX_LEN];
	if (!json_is_object(o))
		return bad(at, "", "objet attendu");
	if ((rc = get_int(&t->id, o, "id", REQUIRED, at)) != 0 ||
	    (rc = get_string(&t->label, r, o, "label", REQUIRED, at)) != 0 ||
	    (rc = get_string_at(&t->theme, r, o, "theme", OPTIONAL, 1, at)) != 0 ||
	    (rc = get_strings(&t->terms, &t->n_terms, r, o, "terms", REQUIRED, at)) != 0 ||
	    (rc = get_count(&t->count, o, "count", REQUIRED, at)) != 0 ||
	    (rc = get_real(&t->share, o, "share", REQUIRED, at, 0, 1)) != 0 ||
	    (rc = get_count(&t->denominator, o, "denominator", OPTIONAL, at)) != 0 ||
	    (rc = read_feelings(&t->feelings, o, "feelings", at)) != 0 ||
	    (rc = read_facets(&t->channels, &t->n_channels, r, o, "channels", REQUIRED, at)) != 0 ||
	    (rc = read_facets(&t->services, &t->n_services, r, o, "services", REQUIRED, at)) != 0 ||
	    (rc = read_facets(&t->structures, &t->n_structures, r, o, "structures", OPTIONAL, at)) != 0 ||
	    (rc = get_object(&dims, o, "dimensions_negative", OPTIONAL, at)) != 0)
		return rc;
	path_key(here, at, "dimensions_negative");
	for (int d = 0; dims != NULL && d < VX_DIM_COUNT && rc == 0; d++)
		rc = get_count(&t->dims_negative[d], dims, vx_render_dimension_key((vx_dimension)d), OPTIONAL, here);
	if (rc != 0 || (rc = read_trend(t, o, at)) != 0 ||
	    (rc = get_bool(&t->verbatims_withheld, o, "verbatims_withheld", OPTIONAL, at)) != 0 ||
	    (rc = get_array(&vs, o, "verbatims", REQUIRED, at)) != 0)
		return rc;
	size_t n = json_array_size(vs);
	if ((rc = alloc_items((void **)&t->verbatims, r, n, sizeof *t->verbatims)) != 0)
		return rc;
	path_key(here, at, "verbatims");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = read_verbatim(&t->verbatims[i], r, json_array_get(vs, i), path_index(item, here, i));
	t->n_verbatims = n;
	return rc;
}

static int read_topics(vx_topic **out, size_t *n, reader *r, json_t *o, const char *key)
{
	json_t *a;
	char here[PATH_MAX_LEN];
	int rc = get_array(&a, o, key, REQUIRED, "");
	if (rc != 0)
		return rc;
	size_t count = json_array_size(a);
	if ((rc = alloc_items((void **)out, r, count, sizeof **out)) != 0)
		return rc;
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = read_topic(&(*out)[i], r, json_array_get(a, i), path_index(here, key, i));
	*n = count;
	return rc;
}

static int read_axis(vx_axis *ax, reader *r, json_t *o, const char *at)
{
	int rc = 0;
	json_t *topics = NULL, *dims = NULL;
	char here[PATH_MAX_LEN], item[PATH_MAX_LEN];
	if (!json_is_object(o))
		return bad(at, "", "objet attendu");
	if ((rc = get_string(&ax->lever, r, o, "lever", OPTIONAL, at)) != 0 ||
	    (rc = get_string(&ax->title, r, o, "title", OPTIONAL, at)) != 0 ||
	    (rc = get_string(&ax->text, r, o, "text", REQUIRED, at)) != 0 ||
	    (rc = get_array(&topics, o, "topics", REQUIRED, at)) != 0 ||
	    (rc = get_array(&dims, o, "dimensions", REQUIRED, at)) != 0 ||
	    (rc = get_bool(&ax->dimensions_observed, o, "dimensions_observed", OPTIONAL, at)) != 0 ||
	    (rc = get_strings(&ax->signals, &ax->n_signals, r, o, "signals", OPTIONAL, at)) != 0 ||
	    (rc = get_count(&ax->evidence_count, o, "evidence_count", REQUIRED, at)) != 0 ||
	    (rc = get_strings(&ax->experience_ids, &ax->n_experience_ids, r, o, "experience_ids", REQUIRED, at)) !=
	        0 ||
	    (rc = get_string(&ax->rule, r, o, "rule", OPTIONAL, at)) != 0)
		return rc;
	size_t n = json_array_size(topics);
	if ((rc = alloc_items((void **)&ax->topics, r, n, sizeof *ax->topics)) != 0)
		return rc;
	path_key(here, at, "topics");
	for (size_t i = 0; i < n; i++) {
		json_t *id = json_array_get(topics, i);
		if (!json_is_integer(id) || json_integer_value(id) < INT_MIN || json_integer_value(id) > INT_MAX)
			return bad(path_index(item, here, i), "", "entier attendu");
		ax->topics[i] = (int)json_integer_value(id);
	}
	ax->n_topics = n;
	n = json_array_size(dims);
	if ((rc = alloc_items((void **)&ax->dimensions, r, n, sizeof *ax->dimensions)) != 0)
		return rc;
	path_key(here, at, "dimensions");
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(dims, i);
		if (!json_is_string(d) || dimension_of(&ax->dimensions[i], json_string_value(d)) != 0)
			return bad(path_index(item, here, i), "", "clé de dimension DITP attendue (accessibilite...)");
	}
	ax->n_dimensions = n;
	return 0;
}

static int read_input(vx_note *n, reader *r, json_t *root)
{
	json_t *input, *files, *filters;
	char here[PATH_MAX_LEN];
	int rc = get_object(&input, root, "input", REQUIRED, "");
	if (rc != 0 || (rc = get_array(&files, input, "files", REQUIRED, "input")) != 0 ||
	    (rc = get_object(&filters, input, "filters", REQUIRED, "input")) != 0)
		return rc;
	size_t count = json_array_size(files);
	vx_source *src = NULL;
	if ((rc = alloc_items((void **)&src, r, count, sizeof *src)) != 0)
		return rc;
	n->sources = src;
	n->n_sources = count;
	for (size_t i = 0; i < count && rc == 0; i++) {
		json_t *f = json_array_get(files, i);
		const char *sha = NULL;
		path_index(here, "input.files", i);
		if (!json_is_object(f))
			return bad(here, "", "objet attendu");
		if ((rc = get_string(&src[i].path, r, f, "path", REQUIRED, here)) != 0 ||
		    (rc = get_string(&sha, r, f, "sha256", REQUIRED, here)) != 0 ||
		    (rc = get_string(&src[i].format, r, f, "format", OPTIONAL, here)) != 0 ||
		    (rc = get_string(&src[i].encoding, r, f, "encoding", OPTIONAL, here)) != 0 ||
		    (rc = get_count(&src[i].rows_read, f, "rows_read", OPTIONAL, here)) != 0 ||
		    (rc = get_count(&src[i].rows_rejected, f, "rows_rejected", OPTIONAL, here)) != 0 ||
		    (rc = get_count(&src[i].c1_repaired, f, "c1_repaired", OPTIONAL, here)) != 0 ||
		    (rc = get_count(&src[i].lines_repaired, f, "lines_repaired", OPTIONAL, here)) != 0)
			return rc;
		size_t len = strlen(sha);
		if (len != SHA256_HEX_LEN || strspn(sha, "0123456789abcdef") != len)
			return bad(here, "sha256", "64 chiffres hexadécimaux en minuscules attendus");
		memcpy(src[i].sha256, sha, SHA256_HEX_LEN + 1);
	}
	const char **values[] = {&n->filter.service, &n->filter.structure, &n->filter.channel,
	                         &n->filter.since,   &n->filter.until,     &n->filter.feeling,
	                         &n->filter.department};
	/* feeling and department came after voix.note/1's first notes: optional
	 * like the others, absent in those notes. */
	const char *names[] = {"service", "structure", "channel", "since", "until", "feeling", "department"};
	for (size_t i = 0; i < sizeof names / sizeof names[0] && rc == 0; i++)
		rc = get_string_at(values[i], r, filters, names[i], OPTIONAL, 1, "input.filters");
	vx_feeling f;
	if (rc == 0 && n->filter.feeling && *n->filter.feeling && vx_feeling_from_name(&f, n->filter.feeling) != 0)
		return bad("input.filters", "feeling", "positif, neutre ou negatif attendu");
	return rc;
}

static int read_counts(vx_note *n, reader *r, json_t *root)
{
	json_t *counts, *excluded;
	int rc = get_object(&counts, root, "counts", REQUIRED, "");
	if (rc != 0 || (rc = get_count(&n->read, counts, "read", REQUIRED, "counts")) != 0 ||
	    (rc = get_count(&n->analysed, counts, "analysed", REQUIRED, "counts")) != 0 ||
	    (rc = get_object(&excluded, counts, "excluded", REQUIRED, "counts")) != 0 ||
	    (rc = get_count(&n->duplicates, counts, "duplicates", REQUIRED, "counts")) != 0)
		return rc;
	size_t count = json_object_size(excluded), i = 0;
	if ((rc = alloc_items((void **)&n->excluded, r, count, sizeof *n->excluded)) != 0)
		return rc;
	const char *reason;
	json_t *v;
	/* Jansson keeps the members of an object in the order read. */
	json_object_foreach(excluded, reason, v) {
		if ((rc = get_count(&n->excluded[i].count, excluded, reason, REQUIRED, "counts.excluded")) != 0)
			return rc;
		char *copy = vx_arena_strdup(r->arena, reason);
		if (copy == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory reading the note's JSON");
		n->excluded[i++].reason = copy;
	}
	n->n_excluded = i;
	return 0;
}

static int read_method(vx_note *n, reader *r, json_t *root)
{
	json_t *method, *params, *masked;
	char here[PATH_MAX_LEN];
	int rc = get_object(&method, root, "method", REQUIRED, "");
	if (rc != 0 || (rc = get_strings(&n->steps, &n->n_steps, r, method, "steps", REQUIRED, "method")) != 0 ||
	    (rc = get_array(&params, method, "parameters", REQUIRED, "method")) != 0 ||
	    (rc = get_string(&n->version, r, method, "version", REQUIRED, "method")) != 0 ||
	    (rc = get_real(&n->coverage, method, "coverage", REQUIRED, "method", 0, 1)) != 0 ||
	    (rc = get_object(&masked, method, "masked", REQUIRED, "method")) != 0 ||
	    (rc = get_count(&n->masked.nir_bad_key, method, "nir_bad_key", OPTIONAL, "method")) != 0 ||
	    (rc = get_strings(&n->limits, &n->n_limits, r, method, "limits", OPTIONAL, "method")) != 0 ||
	    (rc = get_strings(&n->messages, &n->n_messages, r, method, "messages", OPTIONAL, "method")) != 0)
		return rc;
	/* A category this reader does not know is ignored, one it knows and
	 * the note lacks is 0: categories may be added to the schema. */
	for (int k = 0; k < VX_PII_COUNT && rc == 0; k++)
		rc = get_count(&n->masked.by_kind[k], masked, vx_pii_key((vx_pii_kind)k), OPTIONAL, "method.masked");
	size_t count = json_array_size(params);
	vx_method_param *p = NULL;
	if (rc != 0 || (rc = alloc_items((void **)&p, r, count, sizeof *p)) != 0)
		return rc;
	n->params = p;
	n->n_params = count;
	for (size_t i = 0; i < count && rc == 0; i++) {
		json_t *o = json_array_get(params, i);
		path_index(here, "method.parameters", i);
		if (!json_is_object(o))
			return bad(here, "", "objet attendu");
		if ((rc = get_string(&p[i].name, r, o, "name", REQUIRED, here)) == 0)
			rc = get_string(&p[i].value, r, o, "value", REQUIRED, here);
	}
	return rc;
}

static int read_run(vx_note *n, reader *r, json_t *root)
{
	json_t *run, *stages, *v;
	size_t peak = 0;
	int rc = get_object(&run, root, "run", REQUIRED, "");
	if (rc != 0 || (rc = get_real(&n->seconds, run, "seconds", REQUIRED, "run", 0, MAX_SECONDS)) != 0 ||
	    (rc = get_count(&peak, run, "peak_rss_kb", REQUIRED, "run")) != 0 ||
	    (rc = get_object(&stages, run, "stages", OPTIONAL, "run")) != 0)
		return rc;
	if (peak > LONG_MAX)
		return bad("run", "peak_rss_kb", "trop grand");
	n->peak_rss_kb = (long)peak;
	if (stages == NULL)
		return 0;
	if (json_object_size(stages) > VX_NOTE_MAX_STAGES)
		return bad("run", "stages", "trop d'étapes");
	const char *name;
	json_object_foreach(stages, name, v) {
		size_t i = n->n_stages;
		if ((rc = get_real(&n->stage_seconds[i], stages, name, REQUIRED, "run.stages", 0, MAX_SECONDS)) != 0)
			return rc;
		if ((n->stage_names[i] = vx_arena_strdup(r->arena, name)) == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory reading the note's JSON");
		n->n_stages++;
	}
	return 0;
}

static int read_note(vx_note *n, reader *r, json_t *root)
{
	json_t *schema, *tw, *axes;
	int rc = 0;
	if (!json_is_object(root))
		return vx_error_set(VX_EFORMAT, "JSON de la note : un objet est attendu au premier niveau");
	if ((rc = get(&schema, root, "schema", REQUIRED, "")) != 0)
		return rc;
	if (!json_is_string(schema) || strcmp(json_string_value(schema), SCHEMA) != 0)
		return bad("", "schema", "\"" SCHEMA "\" attendu");
	if ((rc = read_input(n, r, root)) != 0 || (rc = read_counts(n, r, root)) != 0 ||
	    (rc = read_feelings(&n->feelings, root, "feelings", "")) != 0 ||
	    (rc = read_feelings_source(n, r, root)) != 0 ||
	    (rc = get_range(&n->period_from, &n->period_to, r, root, "period", REQUIRED, "")) != 0 ||
	    (rc = get(&tw, root, "trend_windows", OPTIONAL, "")) != 0)
		return rc;
	n->trend_previous_from = n->trend_previous_to = n->trend_current_from = n->trend_current_to = "";
	if (tw != NULL && !json_is_null(tw)) {
		if (!json_is_object(tw))
			return bad("", "trend_windows", "objet ou null attendu");
		if ((rc = get_range(&n->trend_previous_from, &n->trend_previous_to, r, tw, "previous", REQUIRED,
		                    "trend_windows")) != 0 ||
		    (rc = get_range(&n->trend_current_from, &n->trend_current_to, r, tw, "current", REQUIRED,
		                    "trend_windows")) != 0)
			return rc;
	}
	if ((rc = read_topics(&n->strengths, &n->n_strengths, r, root, "strengths")) != 0 ||
	    (rc = read_topics(&n->topics, &n->n_topics, r, root, "topics")) != 0 ||
	    (rc = get_array(&axes, root, "axes", REQUIRED, "")) != 0)
		return rc;
	size_t count = json_array_size(axes);
	char here[PATH_MAX_LEN];
	if ((rc = alloc_items((void **)&n->axes, r, count, sizeof *n->axes)) != 0)
		return rc;
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = read_axis(&n->axes[i], r, json_array_get(axes, i), path_index(here, "axes", i));
	n->n_axes = count;
	if (rc != 0 || (rc = read_method(n, r, root)) != 0)
		return rc;
	return read_run(n, r, root);
}

/* Jansson's message without what follows " near ": that part quotes the
 * input, which may hold users' text. */
static int parse_error(const json_error_t *err)
{
	/* Jansson leaves the error empty when an allocation fails in some
	 * places (err was zeroed before the call). */
	if (json_error_code(err) == json_error_out_of_memory || err->text[0] == '\0')
		return vx_error_set(VX_ENOMEM, "out of memory reading the note's JSON");
	const char *near = strstr(err->text, " near ");
	int len = near != NULL ? (int)(near - err->text) : (int)strlen(err->text);
	return vx_error_set(VX_EFORMAT, "JSON de la note : ligne %d, colonne %d (octet %d) : %.*s", err->line,
	                    err->column, err->position, len, err->text);
}

int vx_note_read_json(vx_note **out, const char *data, size_t len)
{
	if (out == NULL || (data == NULL && len > 0))
		return vx_error_set(VX_EINVAL, "vx_note_read_json: out and data must not be NULL");
	*out = NULL;
	json_error_t err;
	memset(&err, 0, sizeof err);
	json_t *root = json_loadb(data != NULL ? data : "", len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return parse_error(&err);
	vx_note *note = NULL;
	reader r;
	int rc = vx_note_new_empty(&note, &r.arena);
	if (rc == 0)
		rc = read_note(note, &r, root);
	json_decref(root);
	if (rc != 0) {
		vx_note_free(note);
		return rc;
	}
	*out = note;
	return 0;
}

int vx_note_read_json_file(vx_note **out, const char *path)
{
	if (out == NULL || path == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_read_json_file: out and path must not be NULL");
	*out = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = vx_file_read(&data, &len, path, VX_NOTE_JSON_MAX_BYTES);
	if (rc == 0) {
		rc = vx_note_read_json(out, data, len);
		if (rc == VX_EFORMAT) { /* the message names the file */
			rc = vx_error_prefix(VX_EFORMAT, "%s: ", path);
		}
	}
	free(data);
	return rc;
}
