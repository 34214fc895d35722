/* The note as JSON: the "voix.note/1" contract, types, values, stable bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "unit/rendering/fixture.h"
#include "voix/error.h"
#include "voix/note.h"

static json_t *render_and_parse(const vx_note *n, char **text)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(vx_note_render_json(&out, &len, n), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	assert_true(len > 0 && out[len - 1] == '\n');
	json_error_t err;
	json_t *root = json_loads(out, 0, &err);
	if (root == NULL)
		fail_msg("JSON does not parse: %s at line %d", err.text, err.line);
	if (text != NULL)
		*text = out;
	else
		free(out);
	return root;
}

/* The member key of o, which must exist and have JSON type type. */
static json_t *member(json_t *o, const char *key, json_type type)
{
	assert_true(json_is_object(o));
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		fail_msg("missing key \"%s\"", key);
	if (json_typeof(v) != type)
		fail_msg("key \"%s\" has type %d, expected %d", key, (int)json_typeof(v), (int)type);
	return v;
}

static long long int_of(json_t *o, const char *key)
{
	return (long long)json_integer_value(member(o, key, JSON_INTEGER));
}

static const char *str_of(json_t *o, const char *key)
{
	return json_string_value(member(o, key, JSON_STRING));
}

static void check_feelings(json_t *f, const vx_feelings *want)
{
	assert_int_equal(json_object_size(f), 4);
	assert_int_equal(int_of(f, "positif"), want->n[VX_FEELING_POSITIVE]);
	assert_int_equal(int_of(f, "neutre"), want->n[VX_FEELING_NEUTRAL]);
	assert_int_equal(int_of(f, "negatif"), want->n[VX_FEELING_NEGATIVE]);
	assert_int_equal(int_of(f, "inconnu"), want->n[VX_FEELING_UNKNOWN]);
}

static void check_facets(json_t *a, const vx_facet_count *want, size_t n)
{
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), n);
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_array_get(a, i);
		assert_string_equal(str_of(f, "value"), want[i].value);
		assert_int_equal(int_of(f, "count"), want[i].count);
	}
}

static void check_topic(json_t *t, const vx_topic *want)
{
	assert_int_equal(int_of(t, "id"), want->id);
	assert_string_equal(str_of(t, "label"), want->label);
	json_t *terms = member(t, "terms", JSON_ARRAY);
	assert_int_equal(json_array_size(terms), want->n_terms);
	for (size_t i = 0; i < want->n_terms; i++)
		assert_string_equal(json_string_value(json_array_get(terms, i)), want->terms[i]);
	assert_int_equal(int_of(t, "count"), want->count);
	double share = json_real_value(member(t, "share", JSON_REAL));
	assert_true(share > want->share - 5e-5 && share < want->share + 5e-5);
	assert_int_equal(int_of(t, "denominator"), want->denominator);
	check_feelings(member(t, "feelings", JSON_OBJECT), &want->feelings);
	check_facets(member(t, "channels", JSON_ARRAY), want->channels, want->n_channels);
	check_facets(member(t, "services", JSON_ARRAY), want->services, want->n_services);
	check_facets(member(t, "structures", JSON_ARRAY), want->structures, want->n_structures);
	json_t *dims = member(t, "dimensions_negative", JSON_OBJECT);
	assert_int_equal(int_of(dims, "accessibilite"), want->dims_negative[VX_DIM_ACCESSIBILITY]);
	assert_int_equal(int_of(dims, "reactivite"), want->dims_negative[VX_DIM_REACTIVITY]);
	assert_int_equal(int_of(dims, "simplicite"), want->dims_negative[VX_DIM_SIMPLICITY]);
	json_t *trend = json_object_get(t, "trend");
	assert_non_null(trend);
	if (want->has_trend) {
		assert_int_equal(int_of(trend, "previous_count"), want->previous_count);
		assert_int_equal(int_of(trend, "previous_denominator"), want->previous_denominator);
		assert_int_equal(int_of(trend, "current_count"), want->current_count);
		assert_int_equal(int_of(trend, "current_denominator"), want->current_denominator);
	} else {
		assert_true(json_is_null(trend));
	}
	assert_true(json_is_boolean(json_object_get(t, "verbatims_withheld")));
	assert_int_equal(json_is_true(json_object_get(t, "verbatims_withheld")), want->verbatims_withheld);
	json_t *vs = member(t, "verbatims", JSON_ARRAY);
	assert_int_equal(json_array_size(vs), want->n_verbatims);
	for (size_t i = 0; i < want->n_verbatims; i++) {
		json_t *v = json_array_get(vs, i);
		const vx_verbatim *w = &want->verbatims[i];
		assert_string_equal(str_of(v, "experience_id"), w->experience_id);
		assert_string_equal(str_of(v, "field"), w->field);
		assert_int_equal(int_of(v, "start"), w->start);
		assert_int_equal(int_of(v, "end"), w->end);
		/* The text survives exactly: the JSON is data, not display. */
		assert_string_equal(str_of(v, "text"), w->text);
		assert_int_equal(int_of(v, "copies"), w->copies);
		assert_string_equal(str_of(v, "feeling"), vx_feeling_key(w->feeling));
	}
}

static void test_contract_keys_types_and_values(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	json_t *root = render_and_parse(&n, NULL);

	assert_string_equal(str_of(root, "schema"), "voix.note/1");

	json_t *input = member(root, "input", JSON_OBJECT);
	json_t *files = member(input, "files", JSON_ARRAY);
	assert_int_equal(json_array_size(files), 2);
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(str_of(json_array_get(files, i), "path"), n.sources[i].path);
		assert_string_equal(str_of(json_array_get(files, i), "sha256"), n.sources[i].sha256);
	}
	json_t *filters = member(input, "filters", JSON_OBJECT);
	assert_string_equal(str_of(filters, "service"), "Préfecture");
	assert_true(json_is_null(json_object_get(filters, "structure")));
	assert_true(json_is_null(json_object_get(filters, "channel")));
	assert_string_equal(str_of(filters, "since"), "2024-03-01");
	assert_string_equal(str_of(filters, "until"), "2024-06-30");

	json_t *counts = member(root, "counts", JSON_OBJECT);
	assert_int_equal(int_of(counts, "read"), 1262);
	assert_int_equal(int_of(counts, "analysed"), 1180);
	assert_int_equal(int_of(counts, "duplicates"), 16);
	json_t *excluded = member(counts, "excluded", JSON_OBJECT);
	assert_int_equal(json_object_size(excluded), 3);
	assert_int_equal(int_of(excluded, "texte vide"), 40);
	assert_int_equal(int_of(excluded, "hors filtre"), 14);
	assert_int_equal(int_of(excluded, "doublon"), 16);

	check_feelings(member(root, "feelings", JSON_OBJECT), &n.feelings);
	json_t *period = member(root, "period", JSON_OBJECT);
	assert_string_equal(str_of(period, "from"), "2024-03-12");
	assert_string_equal(str_of(period, "to"), "2024-06-30");

	json_t *windows = member(root, "trend_windows", JSON_OBJECT);
	assert_string_equal(str_of(member(windows, "previous", JSON_OBJECT), "from"), "2024-01-01");
	assert_string_equal(str_of(member(windows, "previous", JSON_OBJECT), "to"), "2024-02-29");
	assert_string_equal(str_of(member(windows, "current", JSON_OBJECT), "from"), "2024-03-01");
	assert_string_equal(str_of(member(windows, "current", JSON_OBJECT), "to"), "2024-04-30");

	json_t *topics = member(root, "topics", JSON_ARRAY);
	assert_int_equal(json_array_size(topics), 4);
	for (size_t i = 0; i < 4; i++)
		check_topic(json_array_get(topics, i), &n.topics[i]);
	json_t *strengths = member(root, "strengths", JSON_ARRAY);
	assert_int_equal(json_array_size(strengths), 2);
	for (size_t i = 0; i < 2; i++)
		check_topic(json_array_get(strengths, i), &n.strengths[i]);

	json_t *axes = member(root, "axes", JSON_ARRAY);
	assert_int_equal(json_array_size(axes), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *a = json_array_get(axes, i);
		const vx_axis *w = &n.axes[i];
		assert_string_equal(str_of(a, "text"), w->text);
		assert_string_equal(str_of(a, "lever"), w->lever);
		assert_string_equal(str_of(a, "title"), w->title != NULL ? w->title : "");
		assert_string_equal(str_of(a, "rule"), w->rule);
		json_t *ts = member(a, "topics", JSON_ARRAY);
		assert_int_equal(json_array_size(ts), w->n_topics);
		for (size_t k = 0; k < w->n_topics; k++)
			assert_int_equal(json_integer_value(json_array_get(ts, k)), w->topics[k]);
		json_t *ds = member(a, "dimensions", JSON_ARRAY);
		assert_int_equal(json_array_size(ds), w->n_dimensions);
		for (size_t k = 0; k < w->n_dimensions; k++)
			assert_true(json_is_string(json_array_get(ds, k)));
		assert_int_equal(int_of(a, "evidence_count"), w->evidence_count);
		assert_true(json_is_boolean(json_object_get(a, "dimensions_observed")));
		assert_int_equal(json_is_true(json_object_get(a, "dimensions_observed")), w->dimensions_observed);
		json_t *sig = member(a, "signals", JSON_ARRAY);
		assert_int_equal(json_array_size(sig), w->n_signals);
		for (size_t k = 0; k < w->n_signals; k++)
			assert_string_equal(json_string_value(json_array_get(sig, k)), w->signals[k]);
		json_t *ids = member(a, "experience_ids", JSON_ARRAY);
		assert_int_equal(json_array_size(ids), w->n_experience_ids);
		for (size_t k = 0; k < w->n_experience_ids; k++)
			assert_string_equal(json_string_value(json_array_get(ids, k)), w->experience_ids[k]);
	}
	json_t *dims0 = member(json_array_get(axes, 0), "dimensions", JSON_ARRAY);
	assert_string_equal(json_string_value(json_array_get(dims0, 0)), "accessibilite");
	assert_string_equal(json_string_value(json_array_get(dims0, 1)), "reactivite");

	json_t *method = member(root, "method", JSON_OBJECT);
	json_t *steps = member(method, "steps", JSON_ARRAY);
	assert_int_equal(json_array_size(steps), 5);
	assert_string_equal(json_string_value(json_array_get(steps, 2)), "Extraction des sujets (NMF)");
	json_t *params = member(method, "parameters", JSON_ARRAY);
	assert_int_equal(json_array_size(params), 4);
	assert_string_equal(str_of(json_array_get(params, 3), "name"), "séparateur");
	assert_string_equal(str_of(json_array_get(params, 3), "value"), "a | b");
	assert_string_equal(str_of(method, "version"), "0.1.0");
	assert_true(json_real_value(member(method, "coverage", JSON_REAL)) == 0.7835);
	json_t *masked = member(method, "masked", JSON_OBJECT);
	assert_int_equal(json_object_size(masked), VX_PII_COUNT);
	for (size_t k = 0; k < VX_PII_COUNT; k++)
		assert_int_equal(int_of(masked, vx_pii_key((vx_pii_kind)k)), n.masked.by_kind[k]);
	assert_int_equal(int_of(method, "nir_bad_key"), 1);
	assert_int_equal(json_array_size(member(method, "limits", JSON_ARRAY)), 1);
	assert_int_equal(json_array_size(member(method, "messages", JSON_ARRAY)), 1);

	json_t *run = member(root, "run", JSON_OBJECT);
	assert_true(json_real_value(member(run, "seconds", JSON_REAL)) == 0.0);
	assert_int_equal(int_of(run, "peak_rss_kb"), 0);
	json_decref(root);
}

/* Keys come in the documented order, and reals in their short form. */
static void test_key_order_and_number_format(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *text = NULL;
	json_t *root = render_and_parse(&n, &text);
	const char *top[] = {"schema",    "input",  "counts", "feelings", "period", "trend_windows",
	                     "strengths", "topics", "axes",   "method",   "run"};
	const char *prev = text;
	char needle[64];
	for (size_t i = 0; i < sizeof top / sizeof *top; i++) {
		snprintf(needle, sizeof needle, "\n  \"%s\":", top[i]);
		const char *at = strstr(text, needle);
		if (at == NULL || at < prev)
			fail_msg("top-level key \"%s\" missing or out of order", top[i]);
		prev = at;
	}
	assert_non_null(strstr(text, "\"share\": 0.3492,"));  /* 412 / 1180 */
	assert_non_null(strstr(text, "\"coverage\": 0.7835,"));
	assert_null(strstr(text, "0000000"));                 /* no binary noise */
	free(text);
	json_decref(root);
}

static void test_identical_bytes_and_only_run_differs(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *a = NULL, *b = NULL, *c = NULL;
	size_t la, lb, lc;
	assert_int_equal(vx_note_render_json(&a, &la, &n), 0);
	assert_int_equal(vx_note_render_json(&b, &lb, &n), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);

	n.seconds = 1.23456;
	n.peak_rss_kb = 204800;
	assert_int_equal(vx_note_render_json(&c, &lc, &n), 0);
	const char *run_a = strstr(a, "\n  \"run\":");
	const char *run_c = strstr(c, "\n  \"run\":");
	assert_non_null(run_a);
	assert_non_null(run_c);
	assert_int_equal(run_a - a, run_c - c);
	assert_memory_equal(a, c, (size_t)(run_a - a));
	assert_non_null(strstr(run_c, "\"seconds\": 1.235"));
	assert_non_null(strstr(run_c, "\"peak_rss_kb\": 204800"));
	free(a);
	free(b);
	free(c);
}

static void test_empty_note(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	json_t *root = render_and_parse(&n, NULL);
	assert_true(json_is_null(json_object_get(root, "period")));
	assert_true(json_is_null(json_object_get(root, "trend_windows")));
	assert_int_equal(json_array_size(member(root, "topics", JSON_ARRAY)), 0);
	assert_int_equal(json_array_size(member(root, "strengths", JSON_ARRAY)), 0);
	assert_int_equal(json_array_size(member(root, "axes", JSON_ARRAY)), 0);
	assert_int_equal(json_array_size(member(member(root, "input", JSON_OBJECT), "files", JSON_ARRAY)), 0);
	assert_int_equal(json_object_size(member(member(root, "counts", JSON_OBJECT), "excluded", JSON_OBJECT)), 0);
	json_decref(root);
}

/* Strings that are not valid UTF-8 cannot stop the note: the bad bytes are
 * replaced by U+FFFD. A reason listed twice is summed. */
static void test_invalid_utf8_and_repeated_reason(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	vx_excluded ex[] = {{"texte vide", 2}, {"texte vide", 3}};
	n.excluded = ex;
	n.n_excluded = 2;
	n.version = "bad \xC3\x28 byte";
	json_t *root = render_and_parse(&n, NULL);
	assert_string_equal(str_of(member(root, "method", JSON_OBJECT), "version"), "bad \xEF\xBF\xBD( byte");
	assert_int_equal(int_of(member(member(root, "counts", JSON_OBJECT), "excluded", JSON_OBJECT), "texte vide"), 5);
	json_decref(root);
}

/* Jansson allocations fail one after the other: each failure gives
 * VX_ENOMEM, no output and no leak (the sanitizers and valgrind check). */
static size_t alloc_calls, alloc_fail_at;

static void *failing_malloc(size_t size)
{
	if (++alloc_calls == alloc_fail_at)
		return NULL;
	return malloc(size);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *want = NULL;
	size_t want_len = 0;
	assert_int_equal(vx_note_render_json(&want, &want_len, &n), 0);
	size_t failures = 0;
	for (alloc_fail_at = 1;; alloc_fail_at++) {
		alloc_calls = 0;
		json_set_alloc_funcs(failing_malloc, free);
		char *out = (char *)1;
		size_t len = 1;
		int rc = vx_note_render_json(&out, &len, &n);
		json_set_alloc_funcs(malloc, free);
		if (rc == 0) {
			/* A failure that was recovered from must not change a byte. */
			assert_int_equal(len, want_len);
			assert_memory_equal(out, want, len);
			free(out);
			if (alloc_calls < alloc_fail_at)
				break; /* no allocation left to fail */
			continue;
		}
		assert_int_equal(rc, VX_ENOMEM);
		assert_null(out);
		assert_int_equal(len, 0);
		failures++;
	}
	assert_true(failures > 100); /* every allocation of the document was tried */
	free(want);
}

static void test_null_arguments(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	char *out = NULL;
	assert_int_equal(vx_note_render_json(NULL, NULL, &n), VX_EINVAL);
	assert_int_equal(vx_note_render_json(&out, NULL, NULL), VX_EINVAL);
	assert_int_equal(vx_note_render_json(&out, NULL, &n), 0); /* len is optional */
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract_keys_types_and_values),
		cmocka_unit_test(test_key_order_and_number_format),
		cmocka_unit_test(test_identical_bytes_and_only_run_differs),
		cmocka_unit_test(test_empty_note),
		cmocka_unit_test(test_invalid_utf8_and_repeated_reason),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_null_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
