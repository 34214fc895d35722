/*
 * Reading a JSON note back (vx_note_read_json): JSON -> note -> JSON gives
 * the same bytes, on the bundled example's note, on the renderer tests'
 * fixture and on hand-made notes (tests/data/rendering/notes/: no topic,
 * empty strings, Unicode and escapes); the note read renders as Markdown
 * and HTML like the note it came from; the defaults of optional keys; and
 * every kind of bad input refused with the path of the member at fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "unit/rendering/fixture.h"
#include "voix/analysis.h"
#include "voix/error.h"
#include "voix/note.h"
#include "voix/render.h"

#define NOTES VX_TEST_DATA "/rendering/notes"
#define EXAMPLE "examples/experiences-exemple.csv"
#define GOLDEN VX_TEST_DATA "/../golden/example"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

/* Fails at the first byte where got differs from want, showing both. */
static void assert_same_bytes(const char *what, const char *got, size_t got_len, const char *want, size_t want_len)
{
	size_t i = 0;
	while (i < got_len && i < want_len && got[i] == want[i])
		i++;
	if (i == got_len && i == want_len)
		return;
	size_t from = i > 40 ? i - 40 : 0;
	fail_msg("%s: differs at byte %zu:\n got: %.80s\nwant: %.80s", what, i, got + from, want + from);
}

static char *render(const vx_note *n, vx_note_format format, size_t *len)
{
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	ro.format = format;
	char *out = NULL;
	if (vx_note_render(&out, len, n, &ro) != 0)
		fail_msg("render: %s", vx_error_last());
	return out;
}

/* JSON -> note -> JSON: the same bytes; returns the note read. */
static vx_note *round_trip(const char *what, const char *json, size_t len)
{
	vx_note *n = NULL;
	if (vx_note_read_json(&n, json, len) != 0)
		fail_msg("%s: %s", what, vx_error_last());
	size_t again_len = 0;
	char *again = render(n, VX_NOTE_FORMAT_JSON, &again_len);
	assert_same_bytes(what, again, again_len, json, len);
	free(again);
	return n;
}

/* The note read renders as Markdown and HTML like the original. */
static void assert_same_renderings(const vx_note *read, const vx_note *original)
{
	static const vx_note_format formats[] = {VX_NOTE_FORMAT_MARKDOWN, VX_NOTE_FORMAT_HTML};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		size_t a_len = 0, b_len = 0;
		char *a = render(read, formats[i], &a_len);
		char *b = render(original, formats[i], &b_len);
		assert_same_bytes(vx_note_format_name(formats[i]), a, a_len, b, b_len);
		free(a);
		free(b);
	}
}

static void test_example(void **state)
{
	(void)state;
	assert_int_equal(chdir(VX_EXAMPLES "/.."), 0); /* the golden notes' path */
	vx_analysis *a = NULL;
	vx_note *built = NULL;
	assert_int_equal(vx_analysis_new(&a, NULL), 0);
	assert_int_equal(vx_analysis_add_file(a, EXAMPLE, NULL), 0);
	assert_int_equal(vx_analysis_run(&built, a), 0);
	vx_analysis_free(a);
	size_t len = 0;
	char *json = render(built, VX_NOTE_FORMAT_JSON, &len);
	vx_note *read = round_trip("example", json, len);
	assert_same_renderings(read, built);
	/* And so the golden Markdown, from the JSON alone. */
	size_t md_len = 0, want_len = 0;
	char *md = render(read, VX_NOTE_FORMAT_MARKDOWN, &md_len);
	char *want = slurp(GOLDEN ".md", &want_len);
	assert_same_bytes("golden Markdown", md, md_len, want, want_len);
	free(md);
	free(want);
	free(json);
	vx_note_free(read);
	vx_note_free(built);
}

static void test_fixture(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	n.seconds = 0.412;
	n.peak_rss_kb = 204800;
	n.stage_names[0] = "reading";
	n.stage_seconds[0] = 0.061;
	n.stage_names[1] = "matrix";
	n.stage_seconds[1] = 0.12;
	n.n_stages = 2;
	/* The JSON keeps 4 decimals of a share: the fixture's coverage, with
	 * more, would show another rounding in Markdown once read back. */
	n.coverage = 0.7835;
	size_t len = 0;
	char *json = render(&n, VX_NOTE_FORMAT_JSON, &len);
	vx_note *read = round_trip("fixture", json, len);
	assert_same_renderings(read, &n);
	assert_int_equal(read->n_sources, n.n_sources);
	assert_int_equal(read->topics[0].has_trend, n.topics[0].has_trend);
	assert_int_equal(read->peak_rss_kb, 204800);
	assert_string_equal(read->stage_names[1], "matrix");
	free(json);
	vx_note_free(read);
}

/* The feeling and department filters come back, and so does their
 * line in the scope; a note without them has no such keys (those of
 * voix.note/1 before them read and write unchanged: test_hand_made). */
static void test_new_filters(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	n.coverage = 0.7835;
	n.filter.feeling = "negatif";
	n.filter.department = "75,92";
	size_t len = 0;
	char *json = render(&n, VX_NOTE_FORMAT_JSON, &len);
	static const char filters[] = "\"until\": \"2024-06-30\",\n      \"feeling\": \"negatif\",\n      "
	                              "\"department\": \"75,92\"\n    }";
	char *at = strstr(json, filters);
	assert_non_null(at);
	vx_note *read = round_trip("new filters", json, len);
	assert_string_equal(read->filter.feeling, "negatif");
	assert_string_equal(read->filter.department, "75,92");
	assert_same_renderings(read, &n);
	vx_note_free(read);
	/* A feeling that is none is refused, with where it is. */
	memcpy(at + strlen("\"until\": \"2024-06-30\",\n      \"feeling\": \""), "negati?", 7);
	assert_int_equal(vx_note_read_json(&read, json, len), VX_EFORMAT);
	assert_string_equal(vx_error_last(),
	                    "JSON de la note : input.filters.feeling : positif, neutre ou negatif attendu");
	free(json);
	n.filter.feeling = n.filter.department = NULL;
	json = render(&n, VX_NOTE_FORMAT_JSON, &len);
	assert_non_null(strstr(json, "\"until\": \"2024-06-30\"\n    }"));
	free(json);
}

static void test_hand_made(void **state)
{
	(void)state;
	static const char *const files[] = {"empty.json", "empty-strings.json", "unicode.json"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[512];
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", NOTES, files[i]);
		char *json = slurp(path, &len);
		vx_note *n = round_trip(files[i], json, len);
		/* Markdown and HTML of any valid note render. */
		size_t md_len = 0, html_len = 0;
		char *md = render(n, VX_NOTE_FORMAT_MARKDOWN, &md_len);
		char *html = render(n, VX_NOTE_FORMAT_HTML, &html_len);
		assert_true(md_len > 0 && html_len > 0);
		free(md);
		free(html);
		free(json);
		vx_note_free(n);
	}
}

static void test_values(void **state)
{
	(void)state;
	vx_note *n = NULL;
	assert_int_equal(vx_note_read_json_file(&n, NOTES "/unicode.json"), 0);
	assert_int_equal(n->n_sources, 2);
	assert_string_equal(n->sources[0].path, "exports/été 2024/avis «guichet» 😀.csv");
	assert_int_equal(n->sources[0].rows_read, 9007199254740993ull);
	assert_string_equal(n->sources[1].path, "C:\\exports\\\"quoted\"\\tab\there.jsonl");
	assert_string_equal(n->filter.service, "Préfecture — Île-de-France");
	assert_null(n->filter.structure);
	assert_int_equal(n->n_excluded, 3);
	assert_string_equal(n->excluded[2].reason, "illisible (rejetée à la lecture)"); /* in the order read */
	assert_int_equal(n->excluded[2].count, 28);
	assert_string_equal(n->period_from, "2024-01-01");
	assert_string_equal(n->period_to, "");
	assert_string_equal(n->trend_current_to, "2024-06-30");
	assert_int_equal(n->n_topics, 2);
	const vx_topic *t = &n->topics[0];
	assert_int_equal(t->id, 1);
	assert_string_equal(t->theme, "delais");
	assert_null(n->topics[1].theme);
	assert_int_equal(n->sources[0].lines_repaired, 7);
	assert_true(t->share == 0.3492);
	assert_int_equal(t->dims_negative[VX_DIM_REACTIVITY], 45);
	assert_true(t->has_trend);
	assert_int_equal(t->current_denominator, 950);
	assert_int_equal(t->n_verbatims, 3);
	assert_int_equal(t->verbatims[0].feeling, VX_FEELING_NEGATIVE);
	assert_int_equal(t->verbatims[0].copies, 3);
	assert_string_equal(t->verbatims[1].field, "title");
	assert_true(n->topics[1].verbatims_withheld);
	assert_int_equal(n->n_axes, 2);
	assert_int_equal(n->axes[0].n_topics, 3);
	assert_int_equal(n->axes[0].topics[2], 7);
	assert_int_equal(n->axes[0].dimensions[1], VX_DIM_REACTIVITY);
	assert_true(n->axes[0].dimensions_observed);
	assert_int_equal(n->masked.by_kind[VX_PII_ADDRESS], VX_PII_ADDRESS);
	assert_true(n->coverage == 0.7835);
	assert_true(n->seconds == 12.345);
	assert_int_equal(n->n_stages, 3);
	assert_string_equal(n->stage_names[2], "étape inconnue");
	vx_note_free(n);
}

/* Keys that are not "contract" may be absent (an older note of the same
 * schema): they take their defaults. Keys this reader does not know are
 * ignored. */
static void test_optional_keys(void **state)
{
	(void)state;
	static const char json[] =
		"{\"schema\": \"voix.note/1\", \"future\": [1, {\"x\": null}],"
		" \"input\": {\"files\": [{\"path\": \"a.csv\", \"sha256\": "
		"\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}], \"filters\": {}},"
		" \"counts\": {\"read\": 5, \"analysed\": 5, \"excluded\": {}, \"duplicates\": 0},"
		" \"feelings\": {\"positif\": 1, \"neutre\": 1, \"negatif\": 2, \"inconnu\": 1}, \"period\": null,"
		" \"strengths\": [], \"topics\": [{\"id\": 1, \"label\": \"l\", \"terms\": [\"t\"], \"count\": 5,"
		" \"share\": 1, \"feelings\": {\"positif\": 1, \"neutre\": 1, \"negatif\": 2, \"inconnu\": 1},"
		" \"channels\": [], \"services\": [], \"verbatims\": [{\"experience_id\": \"e\", \"field\": \"text\","
		" \"start\": 0, \"end\": 4, \"text\": \"abcd\"}]}],"
		" \"axes\": [{\"text\": \"do\", \"topics\": [1], \"dimensions\": [], \"evidence_count\": 2,"
		" \"experience_ids\": [\"e\"]}],"
		" \"method\": {\"steps\": [], \"parameters\": [], \"version\": \"0.0.9\", \"coverage\": 0, \"masked\": "
		"{\"email\": 2, \"categorie_future\": 9}},"
		" \"run\": {\"seconds\": 0, \"peak_rss_kb\": 0}}";
	vx_note *n = NULL;
	if (vx_note_read_json(&n, json, strlen(json)) != 0)
		fail_msg("%s", vx_error_last());
	assert_string_equal(n->sources[0].format, "");
	assert_int_equal(n->sources[0].lines_repaired, 0);
	assert_null(n->topics[0].theme);
	assert_int_equal(n->sources[0].rows_read, 0);
	assert_null(n->filter.service);
	assert_string_equal(n->trend_previous_from, "");
	const vx_topic *t = &n->topics[0];
	assert_true(t->share == 1.0);
	assert_int_equal(t->denominator, 0);
	assert_int_equal(t->n_structures, 0);
	assert_false(t->has_trend);
	assert_false(t->verbatims_withheld);
	assert_int_equal(t->verbatims[0].feeling, VX_FEELING_UNKNOWN);
	assert_int_equal(t->verbatims[0].copies, 1);
	assert_string_equal(n->axes[0].lever, "");
	assert_string_equal(n->axes[0].rule, "");
	assert_int_equal(n->axes[0].n_signals, 0);
	assert_int_equal(n->masked.by_kind[VX_PII_EMAIL], 2);
	assert_int_equal(n->n_limits, 0);
	assert_int_equal(n->n_stages, 0);
	/* Written again, it has every key of the schema and reads the same. */
	size_t len = 0;
	char *again = render(n, VX_NOTE_FORMAT_JSON, &len);
	vx_note_free(round_trip("optional keys, written again", again, len));
	free(again);
	vx_note_free(n);
}

/* A change to the hand-made Unicode note that makes it invalid. */
typedef struct bad_case {
	const char *path;  /* "topics.0.share": object keys and array indices */
	const char *value; /* JSON text of the new value, or NULL to remove the member */
	const char *message;
} bad_case;

static const bad_case bad_cases[] = {
	{"schema", NULL, "JSON de la note : schema : absent"},
	{"schema", "\"voix.note/2\"", "JSON de la note : schema : \"voix.note/1\" attendu"},
	{"input", "[]", "JSON de la note : input : objet attendu"},
	{"input.files.0.sha256", "\"ABC\"",
	 "JSON de la note : input.files[0].sha256 : 64 chiffres hexadécimaux en minuscules attendus"},
	{"input.files.1.sha256", "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"",
	 "input.files[1].sha256"},
	{"input.files.0.path", "null", "JSON de la note : input.files[0].path : chaîne attendue"},
	{"input.filters.service", "3", "JSON de la note : input.filters.service : chaîne ou null attendue"},
	{"counts.read", "-1", "JSON de la note : counts.read : entier positif ou nul attendu"},
	{"counts.read", "\"1262\"", "counts.read : entier positif ou nul attendu"},
	{"counts.read", "1262.0", "counts.read : entier positif ou nul attendu"},
	{"counts.analysed", NULL, "JSON de la note : counts.analysed : absent"},
	{"counts.excluded.texte vide", "true", "JSON de la note : counts.excluded.texte vide : entier positif ou nul attendu"},
	{"feelings.negatif", NULL, "JSON de la note : feelings.negatif : absent"},
	{"period", "\"2024\"", "JSON de la note : period : objet ou null attendu"},
	{"period.to", NULL, "JSON de la note : period.to : absent"},
	{"trend_windows.current.from", "1", "trend_windows.current.from : chaîne ou null attendue"},
	{"topics", "{}", "JSON de la note : topics : tableau attendu"},
	{"topics.0", "[]", "JSON de la note : topics[0] : objet attendu"},
	{"topics.1.id", "2147483648", "JSON de la note : topics[1].id : entier attendu"},
	{"topics.0.share", "1.5", "JSON de la note : topics[0].share : nombre de 0 à 1 attendu"},
	{"topics.0.share", "-0.1", "topics[0].share"},
	{"topics.0.terms.2", "7", "JSON de la note : topics[0].terms[2] : chaîne attendue"},
	{"topics.0.theme", "3", "JSON de la note : topics[0].theme : chaîne ou null attendue"},
	{"input.files.0.lines_repaired", "-1", "input.files[0].lines_repaired : entier positif ou nul attendu"},
	{"topics.0.channels.1.count", NULL, "JSON de la note : topics[0].channels[1].count : absent"},
	{"topics.0.trend", "[]", "JSON de la note : topics[0].trend : objet ou null attendu"},
	{"topics.0.trend.current_count", NULL, "topics[0].trend.current_count : absent"},
	{"topics.0.verbatims_withheld", "0", "topics[0].verbatims_withheld : true ou false attendu"},
	{"topics.0.verbatims.1.feeling", "\"joyeux\"", "topics[0].verbatims[1].feeling : positif, neutre, negatif ou inconnu"},
	{"topics.0.verbatims.2.text", NULL, "JSON de la note : topics[0].verbatims[2].text : absent"},
	{"topics.0.dimensions_negative.relation", "-2", "topics[0].dimensions_negative.relation"},
	{"strengths.0.label", NULL, "JSON de la note : strengths[0].label : absent"},
	{"axes.0.topics.1", "\"2\"", "JSON de la note : axes[0].topics[1] : entier attendu"},
	{"axes.0.dimensions.0", "\"accessibilité\"", "axes[0].dimensions[0] : clé de dimension DITP attendue"},
	{"axes.1.experience_ids", NULL, "JSON de la note : axes[1].experience_ids : absent"},
	{"method.coverage", "\"78 %\"", "JSON de la note : method.coverage : nombre attendu"},
	{"method.parameters.1.value", "4", "method.parameters[1].value : chaîne attendue"},
	{"method.masked", "null", "JSON de la note : method.masked : objet attendu"},
	{"run.seconds", "1e12", "JSON de la note : run.seconds : nombre de 0 à 1e+09 attendu"},
	{"run.peak_rss_kb", "-5", "run.peak_rss_kb"},
	{"run.stages.matrix", "\"fast\"", "JSON de la note : run.stages.matrix : nombre attendu"},
	{"run", NULL, "JSON de la note : run : absent"},
};

/* The member at a dotted path of root, and its parent. */
static json_t *walk(json_t *root, const char *path, json_t **parent, char *last, size_t last_size)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *cur = root;
	*parent = NULL;
	char *save = NULL;
	for (char *part = strtok_r(buf, ".", &save); part != NULL; part = strtok_r(NULL, ".", &save)) {
		*parent = cur;
		snprintf(last, last_size, "%s", part);
		cur = json_is_array(cur) ? json_array_get(cur, strtoul(part, NULL, 10)) : json_object_get(cur, part);
	}
	return cur;
}

static void test_bad_members(void **state)
{
	(void)state;
	json_error_t err;
	json_t *base = json_load_file(NOTES "/unicode.json", 0, &err);
	assert_non_null(base);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const bad_case *c = &bad_cases[i];
		json_t *root = json_deep_copy(base), *parent = NULL;
		char last[64];
		if (walk(root, c->path, &parent, last, sizeof last) == NULL)
			fail_msg("%s: no such member in unicode.json", c->path);
		if (c->value == NULL) {
			assert_int_equal(json_object_del(parent, last), 0);
		} else {
			json_t *v = json_loads(c->value, JSON_DECODE_ANY, &err);
			assert_non_null(v);
			if (json_is_array(parent))
				assert_int_equal(json_array_set_new(parent, strtoul(last, NULL, 10), v), 0);
			else
				assert_int_equal(json_object_set_new(parent, last, v), 0);
		}
		char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		vx_note *n = (vx_note *)text;
		int rc = vx_note_read_json(&n, text, strlen(text));
		if (rc != VX_EFORMAT)
			fail_msg("%s = %s: returned %d, want VX_EFORMAT", c->path, c->value ? c->value : "(removed)", rc);
		assert_null(n);
		if (strstr(vx_error_last(), c->message) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", c->path, vx_error_last(), c->message);
		free(text);
		json_decref(root);
	}
	json_decref(base);
}

/* Input that is not a JSON note at all. */
static void test_bad_documents(void **state)
{
	(void)state;
	static const struct {
		const char *data;
		size_t len;
		const char *message;
	} cases[] = {
		{"", 0, "JSON de la note : ligne 1"},
		{"[]", 2, "JSON de la note : un objet est attendu au premier niveau"},
		{"\"voix.note/1\"", 13, "JSON de la note : ligne 1"},
		{"{\"schema\": \"voix.note/1\"} trailing", 35, "JSON de la note : ligne 1"},
		{"{\"schema\": \"voix.note/1\", \"schema\": \"voix.note/1\"}", 50, "duplicate"},
		{"{\"schema\": \"voix.note/1\", \"x\": \"a\\u0000b\"}", 42, "JSON de la note : ligne 1"},
		{"{\"schema\": \"voix.note/1\", \"x\": \"\xff\"}", 35, "JSON de la note : ligne 1"},
		{"{\"schema\": \"voix.note/1\" \"secret text\"}", 39, "JSON de la note : ligne 1"},
		{"{\"schema\": 1e999}", 17, "JSON de la note"},
		{"{\"schema\": \"voix.note/1\"}", 25, "JSON de la note : input : absent"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_note *n = NULL;
		int rc = vx_note_read_json(&n, cases[i].data, cases[i].len);
		if (rc != VX_EFORMAT)
			fail_msg("case %zu: returned %d, want VX_EFORMAT (%s)", i, rc, vx_error_last());
		assert_null(n);
		if (strstr(vx_error_last(), cases[i].message) == NULL)
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, vx_error_last(), cases[i].message);
		/* The input's text is never quoted back. */
		assert_null(strstr(vx_error_last(), "secret"));
	}
	/* Nested beyond Jansson's depth limit. */
	size_t depth = 100000;
	char *deep = malloc(2 * depth);
	assert_non_null(deep);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	vx_note *n = NULL;
	assert_int_equal(vx_note_read_json(&n, deep, 2 * depth), VX_EFORMAT);
	free(deep);
	assert_int_equal(vx_note_read_json(NULL, "{}", 2), VX_EINVAL);
	assert_int_equal(vx_note_read_json(&n, NULL, 2), VX_EINVAL);
	assert_int_equal(vx_note_read_json_file(&n, NOTES "/absent.json"), VX_EIO);
	assert_non_null(strstr(vx_error_last(), "absent.json"));
	/* A bad file is named in the message. */
	char path[] = "/tmp/vx-read-json-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[]", 2), 2);
	close(fd);
	assert_int_equal(vx_note_read_json_file(&n, path), VX_EFORMAT);
	assert_true(strncmp(vx_error_last(), path, strlen(path)) == 0);
	assert_non_null(strstr(vx_error_last(), "un objet est attendu au premier niveau"));
	unlink(path);
}

/* Jansson allocations fail one after the other: each failure is VX_ENOMEM
 * (or, when Jansson reports it as a parse error, VX_EFORMAT), never a
 * crash or a leak; once none fails, the note reads. Jansson 2.14's lexer
 * ignores a failure to grow the buffer of the token it reads and drops
 * that byte (load.c, lex_save; akheron/jansson#362): such a run gives a
 * note with one string cut short, which is counted, not failed. */
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
	size_t len = 0;
	char *json = slurp(NOTES "/unicode.json", &len);
	size_t failures = 0, dropped = 0;
	for (alloc_fail_at = 1;; alloc_fail_at++) {
		alloc_calls = 0;
		vx_note *n = NULL;
		json_set_alloc_funcs(failing_malloc, free);
		int rc = vx_note_read_json(&n, json, len);
		json_set_alloc_funcs(malloc, free);
		if (rc == 0) {
			/* Jansson recovers from some failures (a table it could not
			 * grow): then the note must be the right one. */
			size_t again_len = 0;
			char *again = render(n, VX_NOTE_FORMAT_JSON, &again_len);
			if (again_len != len || memcmp(again, json, len) != 0)
				dropped++;
			free(again);
			vx_note_free(n);
			if (alloc_calls < alloc_fail_at)
				break; /* no allocation left to fail */
			continue;
		}
		assert_true(rc == VX_ENOMEM || rc == VX_EFORMAT);
		assert_null(n);
		failures++;
	}
	assert_true(failures > 100);
	assert_true(dropped < failures / 10);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),      cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_new_filters),
		cmocka_unit_test(test_hand_made),    cmocka_unit_test(test_values),
		cmocka_unit_test(test_optional_keys), cmocka_unit_test(test_bad_members),
		cmocka_unit_test(test_bad_documents), cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
