/*
 * The analysis (voix/analysis.h): the pipeline every front end uses. On the
 * bundled example it gives the command line's golden notes byte for byte;
 * it measures the run once (reading first, then the build's steps, their
 * sum as seconds); it reports progress step by step; it owns copies of its
 * options; its notes outlive it; a store is a source like a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "voix/analysis.h"
#include "voix/error.h"
#include "voix/note.h"
#include "voix/render.h"
#include "voix/store.h"

/* The golden notes are made from the repository's root with this path. */
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

static int setup(void **state)
{
	(void)state;
	/* The repository's root, so that the note names the example as the
	 * golden notes do. */
	return chdir(VX_EXAMPLES "/..");
}

static vx_note *example_note(const vx_note_options *opts)
{
	vx_analysis *a = NULL;
	vx_note *note = NULL;
	assert_int_equal(vx_analysis_new(&a, opts), 0);
	if (vx_analysis_add_file(a, EXAMPLE, NULL) != 0 || vx_analysis_run(&note, a) != 0)
		fail_msg("%s", vx_error_last());
	vx_analysis_free(a); /* the note does not borrow from the analysis */
	return note;
}

/* The JSON note without its last member, "run" (as tests/e2e/golden.sh). */
static void cut_run(char *json, size_t *len)
{
	char *run = strstr(json, ",\n  \"run\": {");
	assert_non_null(run);
	memcpy(run, "\n}\n", 4);
	*len = (size_t)(run - json) + 3;
}

static void test_golden(void **state)
{
	(void)state;
	vx_note *note = example_note(NULL);
	static const struct {
		vx_note_format format;
		const char *ext;
	} formats[] = {{VX_NOTE_FORMAT_MARKDOWN, "md"}, {VX_NOTE_FORMAT_HTML, "html"}, {VX_NOTE_FORMAT_JSON, "json"}};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
		ro.format = formats[i].format;
		char *got = NULL, path[512];
		size_t got_len = 0, want_len = 0;
		assert_int_equal(vx_note_render(&got, &got_len, note, &ro), 0);
		if (formats[i].format == VX_NOTE_FORMAT_JSON)
			cut_run(got, &got_len);
		snprintf(path, sizeof path, "%s.%s", GOLDEN, formats[i].ext);
		char *want = slurp(path, &want_len);
		if (got_len != want_len || memcmp(got, want, want_len) != 0)
			fail_msg("the %s note differs from tests/golden/example.%s", formats[i].ext, formats[i].ext);
		free(got);
		free(want);
	}
	vx_note_free(note);
}

/* The run figures: reading first, then the build's nine steps; the total is
 * at least their sum and the peak memory is set. */
static void test_run_figures(void **state)
{
	(void)state;
	vx_note *note = example_note(NULL);
	static const char *const steps[] = {"reading", "selection", "matrix",   "duplicates_terms", "weights",
	                                    "topic_model", "topics", "strengths", "axes"};
	assert_int_equal(note->n_stages, sizeof steps / sizeof steps[0]);
	double sum = 0;
	for (size_t i = 0; i < note->n_stages; i++) {
		assert_string_equal(note->stage_names[i], steps[i]);
		assert_true(note->stage_seconds[i] >= 0);
		sum += note->stage_seconds[i];
	}
	assert_true(note->stage_seconds[0] > 0);
	assert_true(note->seconds >= sum - 1e-9);
	assert_true(note->seconds < sum + 0.5);
	assert_true(note->peak_rss_kb > 0);
	vx_note_free(note);
}

typedef struct progress_log {
	char stages[32][24];
	size_t n;
	size_t reading_calls, reading_total, reading_done;
} progress_log;

static void on_progress(const char *stage, size_t done, size_t total, void *payload)
{
	progress_log *log = payload;
	assert_true(done <= total);
	if (strcmp(stage, "reading") == 0) {
		log->reading_calls++;
		log->reading_done = done;
		log->reading_total = total;
		if (log->n > 0 && strcmp(log->stages[log->n - 1], "reading") == 0)
			return;
	} else {
		/* Loading says when it starts (0 of 1); every step when it ends. */
		assert_int_equal(total, 1);
		if (done == 0) {
			assert_string_equal(stage, "loading");
			return;
		}
	}
	assert_true(log->n < 32);
	snprintf(log->stages[log->n++], sizeof log->stages[0], "%s", stage);
}

/* Progress comes in the order of the run's steps, reading by bytes. */
static void test_progress(void **state)
{
	(void)state;
	progress_log log;
	memset(&log, 0, sizeof log);
	vx_note_options o;
	vx_note_options_init(&o);
	o.progress = on_progress;
	o.payload = &log;
	vx_note *note = example_note(&o);
	assert_int_equal(log.n, note->n_stages);
	for (size_t i = 0; i < note->n_stages; i++)
		assert_string_equal(log.stages[i], note->stage_names[i]);
	assert_true(log.reading_calls >= 1);
	assert_true(log.reading_total > 0);
	assert_int_equal(log.reading_done, log.reading_total);
	vx_note_free(note);
}

/* The analysis keeps copies of the options' strings. */
static void test_options_copied(void **state)
{
	(void)state;
	char service[16], since[16];
	snprintf(service, sizeof service, "caf");
	snprintf(since, sizeof since, "2000-01-01");
	vx_note_options o;
	vx_note_options_init(&o);
	assert_int_equal(vx_note_options_set(&o, "service", service), 0);
	assert_int_equal(vx_note_options_set(&o, "since", since), 0);
	vx_analysis *a = NULL;
	assert_int_equal(vx_analysis_new(&a, &o), 0);
	memset(service, 'x', sizeof service - 1);
	memset(since, 'x', sizeof since - 1);
	vx_note *note = NULL;
	assert_int_equal(vx_analysis_add_file(a, EXAMPLE, NULL), 0);
	assert_int_equal(vx_analysis_run(&note, a), 0);
	assert_string_equal(note->filter.service, "caf");
	assert_string_equal(note->filter.since, "2000-01-01");
	assert_int_equal(note->analysed, 33); /* the example's CAF experiences (tests/e2e/note.sh) */
	vx_note_free(note);

	/* Bad options are refused and leave the analysis as it was. */
	o.topics = VX_NOTE_MAX_TOPICS + 1;
	assert_int_equal(vx_analysis_set_options(a, &o), VX_EINVAL);
	assert_string_equal(vx_error_last(), "--topics doit être entre 1 et 20 (reçu 21)");
	o.topics = 2;
	o.filter.service = NULL;
	o.filter.since = NULL;
	assert_int_equal(vx_analysis_run(&note, a), 0);
	assert_int_equal(note->analysed, 33);
	vx_note_free(note);
	/* A second run with other options on the same corpus. */
	assert_int_equal(vx_analysis_set_options(a, &o), 0);
	assert_int_equal(vx_analysis_run(&note, a), 0);
	assert_int_equal(note->analysed, 240);
	assert_int_equal(note->n_topics, 2);
	assert_int_equal(vx_corpus_count(vx_analysis_corpus(a)), 240);
	vx_note_free(note);
	vx_analysis_free(a);
}

static void test_errors(void **state)
{
	(void)state;
	vx_analysis *a = NULL;
	vx_note *note = (vx_note *)&a; /* set to NULL on error */
	assert_int_equal(vx_analysis_new(&a, NULL), 0);
	assert_int_equal(vx_analysis_run(&note, a), VX_EEMPTY);
	assert_null(note);
	assert_int_equal(vx_analysis_add_file(a, "tests/absent.csv", NULL), VX_EIO);
	assert_non_null(strstr(vx_error_last(), "tests/absent.csv"));
	assert_int_equal(vx_analysis_add_store(a, NULL), VX_EINVAL);
	assert_int_equal(vx_analysis_add_file(a, NULL, NULL), VX_EINVAL);
	assert_int_equal(vx_analysis_run(NULL, a), VX_EINVAL);
	vx_note_options o;
	vx_note_options_init(&o);
	o.version = VX_NOTE_OPTIONS_VERSION + 1;
	assert_int_equal(vx_analysis_set_options(a, &o), VX_EINVAL);
	vx_analysis_free(a);
	vx_analysis_free(NULL);
	assert_null(vx_analysis_corpus(NULL));
	o.version = VX_NOTE_OPTIONS_VERSION;
	o.axes = 0;
	a = (vx_analysis *)&o;
	assert_int_equal(vx_analysis_new(&a, &o), VX_EINVAL);
	assert_null(a);
}

/* A store is a source like a file: the same topics, "loading" first. */
static void test_store(void **state)
{
	(void)state;
	char dir[] = "/tmp/vx-analysis-test-XXXXXX", db[128];
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/voix.db", dir);
	vx_corpus *c = NULL;
	vx_store *s = NULL;
	vx_import_counts counts;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_file(c, EXAMPLE, NULL), 0);
	assert_int_equal(vx_store_open(&s, db), 0);
	assert_int_equal(vx_store_import(s, c, &counts), 0);
	vx_corpus_free(c);

	progress_log log;
	memset(&log, 0, sizeof log);
	vx_note_options o;
	vx_note_options_init(&o);
	o.progress = on_progress;
	o.payload = &log;
	vx_analysis *a = NULL;
	vx_note *from_db = NULL;
	assert_int_equal(vx_analysis_new(&a, &o), 0);
	assert_int_equal(vx_analysis_add_store(a, s), 0);
	assert_int_equal(vx_analysis_run(&from_db, a), 0);
	vx_analysis_free(a);
	vx_store_free(s);
	assert_string_equal(from_db->stage_names[0], "loading");
	assert_string_equal(log.stages[0], "loading");
	assert_string_equal(log.stages[1], "selection");

	vx_note *from_file = example_note(NULL);
	assert_int_equal(from_db->n_topics, from_file->n_topics);
	for (size_t i = 0; i < from_db->n_topics; i++)
		assert_string_equal(from_db->topics[i].label, from_file->topics[i].label);
	assert_int_equal(from_db->analysed, from_file->analysed);
	vx_note_free(from_db);
	vx_note_free(from_file);
	const char *suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),   cmocka_unit_test(test_run_figures),
		cmocka_unit_test(test_progress), cmocka_unit_test(test_options_copied),
		cmocka_unit_test(test_errors),   cmocka_unit_test(test_store),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
