/*
 * The note as JSON, schema "voix.note/1" (docs/note-json.md). Keys are
 * written in a fixed order and reals are rounded before formatting, so the
 * same note always gives the same bytes; only the values of "run" come from
 * the clock.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "rendering/render.h"
#include "voix/error.h"
#include "voix/note.h"

#define SCHEMA "voix.note/1"
/* Shares and coverage keep 4 decimals (0.01 % resolution); run seconds 3. */
#define SHARE_SCALE 1e4
#define SECONDS_SCALE 1e3
/* 15 significant digits print every value rounded as above in its
 * shortest form ("0.3492", not "0.34920000000000001"). */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* A JSON string for s: null for NULL, and invalid UTF-8 replaced by U+FFFD
 * (Jansson refuses invalid UTF-8; the note's strings should never have it). */
static json_t *jstr(const char *s)
{
	if (s == NULL)
		return json_null();
	json_t *v = json_string(s);
	if (v != NULL)
		return v;
	vx_buf b = VX_BUF_INIT;
	size_t len = strlen(s), i = 0;
	int rc = 0;
	while (rc == 0 && i < len)
		rc = vx_render_put_cp(&b, vx_render_next_cp(s, len, &i));
	v = rc == 0 && b.data != NULL ? json_stringn(b.data, b.len) : NULL;
	vx_buf_free(&b);
	return v;
}

/* "" instead of null, for fields whose type is always string. */
static json_t *jtext(const char *s)
{
	return jstr(vx_render_str(s));
}

static json_t *jcount(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *jround(double x, double scale)
{
	if (!isfinite(x))
		return json_null();
	double r = round(x * scale) / scale;
	return json_real(r == 0 ? 0.0 : r); /* no "-0.0" */
}

/* Each json_object_set_new / json_array_append_new below takes ownership of
 * its value, also on failure, and fails when the value is NULL (an earlier
 * allocation failed); so checking the result of each is enough. */
#define SET(obj, key, val)                             \
	do {                                               \
		if (json_object_set_new((obj), (key), (val)))  \
			goto oom;                                  \
	} while (0)
#define PUSH(arr, val)                                 \
	do {                                               \
		if (json_array_append_new((arr), (val)))       \
			goto oom;                                  \
	} while (0)

/* The counts per feeling: all of them (read 0), or those read from the
 * text (read 1). */
static json_t *j_feelings(const vx_feelings *f, int read)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < VX_FEELING_COUNT; i++) {
		vx_feeling fe = vx_render_feeling_at(i);
		SET(o, vx_feeling_key(fe), jcount(read ? f->read[fe] : f->n[fe]));
	}
	return o;
oom:
	json_decref(o);
	return NULL;
}

/* Where the feelings come from, and how far the reading agrees with the
 * export where both exist. */
static json_t *j_feelings_source(const vx_note *n)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	const char *mode = vx_feeling_source_name(n->feeling_source);
	SET(o, "mode", json_string(mode ? mode : vx_feeling_source_name(VX_FEELINGS_AUTO)));
	SET(o, "checked", jcount(n->feelings_checked));
	SET(o, "agreed", jcount(n->feelings_agreed));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_facets(const vx_facet_count *v, size_t n)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		PUSH(a, o);
		SET(o, "value", jtext(v[i].value));
		SET(o, "count", jcount(v[i].count));
	}
	return a;
oom:
	json_decref(a);
	return NULL;
}

static json_t *j_strings(const char *const *s, size_t n)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		PUSH(a, jtext(s[i]));
	return a;
oom:
	json_decref(a);
	return NULL;
}

static json_t *j_trend(const vx_topic *t)
{
	if (!t->has_trend)
		return json_null();
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "previous_count", jcount(t->previous_count));
	SET(o, "previous_denominator", jcount(t->previous_denominator));
	SET(o, "current_count", jcount(t->current_count));
	SET(o, "current_denominator", jcount(t->current_denominator));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_verbatim(const vx_verbatim *v)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "experience_id", jtext(v->experience_id));
	SET(o, "field", jtext(v->field));
	SET(o, "start", jcount(v->start));
	SET(o, "end", jcount(v->end));
	SET(o, "text", jtext(v->text));
	SET(o, "feeling", json_string(vx_feeling_key(v->feeling)));
	SET(o, "feeling_read", json_boolean(v->feeling_read));
	SET(o, "copies", jcount(v->copies));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_topic(const vx_topic *t)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "id", json_integer(t->id));
	SET(o, "label", jtext(t->label));
	SET(o, "theme", jstr(t->theme));
	SET(o, "terms", j_strings(t->terms, t->n_terms));
	SET(o, "count", jcount(t->count));
	SET(o, "share", jround(t->share, SHARE_SCALE));
	SET(o, "denominator", jcount(t->denominator));
	SET(o, "feelings", j_feelings(&t->feelings, 0));
	SET(o, "feelings_read", j_feelings(&t->feelings, 1));
	SET(o, "channels", j_facets(t->channels, t->n_channels));
	SET(o, "services", j_facets(t->services, t->n_services));
	SET(o, "structures", j_facets(t->structures, t->n_structures));
	json_t *dims = json_object();
	SET(o, "dimensions_negative", dims);
	for (size_t d = 0; d < VX_DIM_COUNT; d++)
		SET(dims, vx_render_dimension_key((vx_dimension)d), jcount(t->dims_negative[d]));
	SET(o, "trend", j_trend(t));
	SET(o, "verbatims_withheld", json_boolean(t->verbatims_withheld));
	json_t *vs = json_array();
	SET(o, "verbatims", vs);
	for (size_t i = 0; i < t->n_verbatims; i++)
		PUSH(vs, j_verbatim(&t->verbatims[i]));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_topics(const vx_topic *t, size_t n)
{
	json_t *a = json_array();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		PUSH(a, j_topic(&t[i]));
	return a;
oom:
	json_decref(a);
	return NULL;
}

static json_t *j_axis(const vx_axis *ax)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "lever", jtext(ax->lever));
	SET(o, "title", jtext(ax->title));
	SET(o, "text", jtext(ax->text));
	json_t *topics = json_array();
	SET(o, "topics", topics);
	for (size_t i = 0; i < ax->n_topics; i++)
		PUSH(topics, json_integer(ax->topics[i]));
	json_t *dims = json_array();
	SET(o, "dimensions", dims);
	for (size_t i = 0; i < ax->n_dimensions; i++)
		PUSH(dims, json_string(vx_render_dimension_key(ax->dimensions[i])));
	SET(o, "dimensions_observed", json_boolean(ax->dimensions_observed));
	SET(o, "signals", j_strings(ax->signals, ax->n_signals));
	SET(o, "evidence_count", jcount(ax->evidence_count));
	SET(o, "experience_ids", j_strings(ax->experience_ids, ax->n_experience_ids));
	SET(o, "rule", jtext(ax->rule));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_input(const vx_note *n)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	json_t *files = json_array();
	SET(o, "files", files);
	for (size_t i = 0; i < n->n_sources; i++) {
		const vx_source *s = &n->sources[i];
		json_t *f = json_object();
		PUSH(files, f);
		SET(f, "path", jtext(s->path));
		SET(f, "sha256", jtext(s->sha256));
		SET(f, "format", jtext(s->format));
		SET(f, "encoding", jtext(s->encoding));
		SET(f, "rows_read", jcount(s->rows_read));
		SET(f, "rows_rejected", jcount(s->rows_rejected));
		SET(f, "c1_repaired", jcount(s->c1_repaired));
		SET(f, "lines_repaired", jcount(s->lines_repaired));
	}
	json_t *filters = json_object();
	SET(o, "filters", filters);
	enum { FILTERS_ALWAYS_WRITTEN = 5 };
	const char *names[] = {"service", "structure", "channel", "since", "until", "feeling", "department"};
	const char *values[] = {n->filter.service, n->filter.structure, n->filter.channel, n->filter.since,
	                        n->filter.until,   n->filter.feeling,   n->filter.department};
	/* The first five are always there (null when unset); feeling and
	 * department, which voix.note/1 gained later, only when set, so that a
	 * note without them reads and writes as before. */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int set = values[i] != NULL && values[i][0] != '\0';
		if (set || i < FILTERS_ALWAYS_WRITTEN)
			SET(filters, names[i], set ? jstr(values[i]) : json_null());
	}
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_counts(const vx_note *n)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "read", jcount(n->read));
	SET(o, "analysed", jcount(n->analysed));
	json_t *ex = json_object();
	SET(o, "excluded", ex);
	for (size_t i = 0; i < n->n_excluded; i++) {
		/* A reason listed twice is summed rather than overwritten. */
		const char *reason = vx_render_str(n->excluded[i].reason);
		json_t *key = jstr(reason);
		if (key == NULL)
			goto oom;
		const char *k = json_string_value(key);
		json_t *prev = json_object_get(ex, k);
		size_t total = n->excluded[i].count + (prev != NULL ? (size_t)json_integer_value(prev) : 0);
		int failed = json_object_set_new(ex, k, jcount(total));
		json_decref(key);
		if (failed)
			goto oom;
	}
	SET(o, "duplicates", jcount(n->duplicates));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_range(const char *from, const char *to)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "from", from != NULL && from[0] != '\0' ? jstr(from) : json_null());
	SET(o, "to", to != NULL && to[0] != '\0' ? jstr(to) : json_null());
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_trend_windows(const vx_note *n)
{
	if (!vx_render_has_trend_windows(n))
		return json_null();
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "previous", j_range(n->trend_previous_from, n->trend_previous_to));
	SET(o, "current", j_range(n->trend_current_from, n->trend_current_to));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_period(const vx_note *n)
{
	int has_from = n->period_from != NULL && n->period_from[0] != '\0';
	int has_to = n->period_to != NULL && n->period_to[0] != '\0';
	return has_from || has_to ? j_range(n->period_from, n->period_to) : json_null();
}

static json_t *j_method(const vx_note *n)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "steps", j_strings(n->steps, n->n_steps));
	json_t *params = json_array();
	SET(o, "parameters", params);
	for (size_t i = 0; i < n->n_params; i++) {
		json_t *p = json_object();
		PUSH(params, p);
		SET(p, "name", jtext(n->params[i].name));
		SET(p, "value", jtext(n->params[i].value));
	}
	SET(o, "version", jtext(n->version));
	SET(o, "coverage", jround(n->coverage, SHARE_SCALE));
	json_t *masked = json_object();
	SET(o, "masked", masked);
	for (size_t k = 0; k < VX_PII_COUNT; k++)
		SET(masked, vx_pii_key((vx_pii_kind)k), jcount(n->masked.by_kind[k]));
	SET(o, "nir_bad_key", jcount(n->masked.nir_bad_key));
	SET(o, "limits", j_strings(n->limits, n->n_limits));
	SET(o, "messages", j_strings(n->messages, n->n_messages));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static json_t *j_note(const vx_note *n)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	SET(o, "schema", json_string(SCHEMA));
	SET(o, "input", j_input(n));
	SET(o, "counts", j_counts(n));
	SET(o, "feelings", j_feelings(&n->feelings, 0));
	SET(o, "feelings_read", j_feelings(&n->feelings, 1));
	SET(o, "feelings_source", j_feelings_source(n));
	SET(o, "period", j_period(n));
	SET(o, "trend_windows", j_trend_windows(n));
	SET(o, "strengths", j_topics(n->strengths, n->n_strengths));
	SET(o, "topics", j_topics(n->topics, n->n_topics));
	json_t *axes = json_array();
	SET(o, "axes", axes);
	for (size_t i = 0; i < n->n_axes; i++)
		PUSH(axes, j_axis(&n->axes[i]));
	SET(o, "method", j_method(n));
	json_t *run = json_object();
	SET(o, "run", run);
	SET(run, "seconds", jround(n->seconds, SECONDS_SCALE));
	SET(run, "peak_rss_kb", json_integer(n->peak_rss_kb));
	json_t *stages = json_object();
	SET(run, "stages", stages);
	for (size_t i = 0; i < n->n_stages && i < VX_NOTE_MAX_STAGES; i++)
		SET(stages, n->stage_names[i], jround(n->stage_seconds[i], SECONDS_SCALE));
	return o;
oom:
	json_decref(o);
	return NULL;
}

static int dump_to_buf(const char *data, size_t size, void *payload)
{
	return vx_buf_append(payload, data, size) == 0 ? 0 : -1;
}

int vx_note_render_json(char **out, size_t *len, const vx_note *n)
{
	if (out == NULL || n == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render_json: out and note must not be NULL");
	*out = NULL;
	if (len != NULL)
		*len = 0;
	int rc = 0;
	vx_buf b = VX_BUF_INIT;
	json_t *root = j_note(n);
	if (root == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory building the note's JSON");
		goto done;
	}
	if (json_dump_callback(root, dump_to_buf, &b, JSON_FLAGS) != 0) {
		rc = vx_error_set(VX_ENOMEM, "out of memory writing the note's JSON");
		goto done;
	}
	rc = vx_buf_putc(&b, '\n');
	if (rc)
		goto done;
	*out = vx_buf_detach(&b, len);
	if (*out == NULL)
		rc = VX_ENOMEM;
done:
	json_decref(root);
	vx_buf_free(&b);
	return rc;
}
