/*
 * The formats of the note (voix/render.h): one table of names and
 * extensions, one entry point for every format, the run figures only where
 * they belong, and files written whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit/rendering/fixture.h"
#include "voix/error.h"
#include "voix/note.h"
#include "voix/render.h"

typedef struct name_case {
	const char *text;
	int rc;
	vx_note_format format;
} name_case;

static void test_format_names(void **state)
{
	(void)state;
	static const name_case cases[] = {
		{"md", 0, VX_NOTE_FORMAT_MARKDOWN},     {"markdown", 0, VX_NOTE_FORMAT_MARKDOWN},
		{"html", 0, VX_NOTE_FORMAT_HTML},       {"json", 0, VX_NOTE_FORMAT_JSON},
		{"pdf", VX_EINVAL, 0},                  {"", VX_EINVAL, 0},
		{"HTML", VX_EINVAL, 0},                 {"htm", VX_EINVAL, 0},
		{"jsonx", VX_EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_note_format f = VX_NOTE_FORMAT_COUNT;
		int rc = vx_note_format_from_name(&f, cases[i].text);
		if (rc != cases[i].rc)
			fail_msg("format \"%s\": %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(f, cases[i].format);
		else
			assert_int_equal(f, VX_NOTE_FORMAT_COUNT); /* untouched */
	}
	vx_note_format f;
	assert_int_equal(vx_note_format_from_name(&f, "pdf"), VX_EINVAL);
	assert_string_equal(vx_error_last(), "format inconnu « pdf » (md, html ou json)");
	assert_int_equal(vx_note_format_from_name(&f, NULL), VX_EINVAL);
	/* Every format of the note has a name that gives it back; the
	 * assignments have a name but are not chosen by it. */
	for (int k = 0; k < VX_NOTE_FORMAT_COUNT; k++) {
		const char *name = vx_note_format_name((vx_note_format)k);
		assert_non_null(name);
		if (k == VX_NOTE_FORMAT_ASSIGNMENTS) {
			assert_string_equal(name, "assignments");
			assert_int_equal(vx_note_format_from_name(&f, name), VX_EINVAL);
			continue;
		}
		assert_int_equal(vx_note_format_from_name(&f, name), 0);
		assert_int_equal(f, k);
	}
	assert_null(vx_note_format_name(VX_NOTE_FORMAT_COUNT));
}

static void test_format_paths(void **state)
{
	(void)state;
	static const name_case cases[] = {
		{"note.md", 0, VX_NOTE_FORMAT_MARKDOWN},
		{"out/note.markdown", 0, VX_NOTE_FORMAT_MARKDOWN},
		{"/tmp/x.y/note.html", 0, VX_NOTE_FORMAT_HTML},
		{"note.json", 0, VX_NOTE_FORMAT_JSON},
		{"note.tar.json", 0, VX_NOTE_FORMAT_JSON},
		{"note.txt", VX_EINVAL, 0},
		{"note", VX_EINVAL, 0},
		{"dir.html/note", VX_EINVAL, 0},
		{"note.", VX_EINVAL, 0},
		{"note.assignments", VX_EINVAL, 0},
		{"note.csv", VX_EINVAL, 0},
		{".json/", VX_EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_note_format f = VX_NOTE_FORMAT_COUNT;
		int rc = vx_note_format_from_path(&f, cases[i].text);
		if (rc != cases[i].rc)
			fail_msg("path \"%s\": %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(f, cases[i].format);
	}
	vx_note_format f;
	assert_int_equal(vx_note_format_from_path(&f, "note.txt"), VX_EINVAL);
	assert_string_equal(vx_error_last(), "extension de sortie inconnue (.md, .html ou .json)");
}

/* vx_note_render gives what each format's renderer gives; without timings,
 * Markdown and HTML carry no run figure while JSON always does. */
static void test_render_dispatch(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	n.seconds = 1.234;
	n.peak_rss_kb = 123456;
	int (*renderers[])(char **, size_t *, const vx_note *) = {vx_note_render_markdown, vx_note_render_html,
	                                                          vx_note_render_json};
	for (int k = 0; k <= VX_NOTE_FORMAT_JSON; k++) {
		vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
		ro.format = (vx_note_format)k;
		ro.timings = 1;
		char *want = NULL, *got = NULL, *quiet = NULL;
		size_t want_len = 0, got_len = 0, quiet_len = 0;
		assert_int_equal(renderers[k](&want, &want_len, &n), 0);
		assert_int_equal(vx_note_render(&got, &got_len, &n, &ro), 0);
		assert_int_equal(got_len, want_len);
		assert_memory_equal(got, want, want_len);
		/* Without timings: the renderer of a note without run figures. */
		ro.timings = 0;
		vx_note zero = n;
		zero.seconds = 0;
		zero.peak_rss_kb = 0;
		free(want);
		assert_int_equal(renderers[k](&want, &want_len, k == VX_NOTE_FORMAT_JSON ? &n : &zero), 0);
		assert_int_equal(vx_note_render(&quiet, &quiet_len, &n, &ro), 0);
		assert_int_equal(quiet_len, want_len);
		assert_memory_equal(quiet, want, want_len);
		if (k == VX_NOTE_FORMAT_JSON)
			assert_int_equal(quiet_len, got_len);
		else
			assert_true(quiet_len < got_len);
		free(want);
		free(got);
		free(quiet);
	}
	/* The caller's note keeps its figures. */
	assert_true(n.seconds == 1.234 && n.peak_rss_kb == 123456);
}

/* The assignments go through the same entry point: the renderer's bytes
 * for a note with its memberships, VX_EINVAL for one without. */
static void test_render_assignments(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	ro.format = VX_NOTE_FORMAT_ASSIGNMENTS;
	char *got = NULL, *want = NULL;
	size_t got_len = 0, want_len = 0;
	assert_int_equal(vx_note_render(&got, &got_len, &n, &ro), VX_EINVAL);
	assert_null(got);
	vx_member members[] = {{"EXP-0001", 0.5}, {"EXP-0002", 0.25}};
	vx_topic topic = n.topics[0];
	topic.members = members;
	topic.n_members = 2;
	n.topics = &topic;
	n.n_topics = 1;
	n.n_strengths = 0;
	n.has_members = 1;
	assert_int_equal(vx_note_render_assignments(&want, &want_len, &n), 0);
	assert_int_equal(vx_note_render(&got, &got_len, &n, &ro), 0);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
	free(want);
}

static void test_render_defaults_and_errors(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	n.seconds = 1.234;
	n.peak_rss_kb = 123456;
	char *md = NULL, *def = NULL;
	size_t len = 0;
	vx_note zero = n;
	zero.seconds = 0;
	zero.peak_rss_kb = 0;
	assert_int_equal(vx_note_render_markdown(&md, NULL, &zero), 0);
	assert_int_equal(vx_note_render(&def, &len, &n, NULL), 0); /* Markdown, no timings */
	assert_string_equal(def, md);
	assert_int_equal(len, strlen(md));
	free(md);
	free(def);

	char *out = (char *)"sentinel";
	len = 99;
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	ro.format = VX_NOTE_FORMAT_COUNT;
	assert_int_equal(vx_note_render(&out, &len, &n, &ro), VX_EINVAL);
	assert_null(out);
	assert_int_equal(len, 0);
	ro.format = VX_NOTE_FORMAT_HTML;
	ro.version = VX_NOTE_RENDER_OPTIONS_VERSION + 1;
	assert_int_equal(vx_note_render(&out, &len, &n, &ro), VX_EINVAL);
	ro.version = VX_NOTE_RENDER_OPTIONS_VERSION;
	assert_int_equal(vx_note_render(&out, &len, NULL, &ro), VX_EINVAL);
	assert_int_equal(vx_note_render(NULL, &len, &n, &ro), VX_EINVAL);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
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

static void test_render_file(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char dir[] = "/tmp/vx-render-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], tmp[300];
	snprintf(path, sizeof path, "%s/note.html", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	ro.format = VX_NOTE_FORMAT_HTML;
	/* An old file is replaced whole. */
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("old note, much longer than nothing at all", f);
	fclose(f);
	assert_int_equal(vx_note_render_file(path, &n, &ro), 0);
	char *want = NULL, *got = NULL;
	size_t want_len = 0, got_len = 0;
	assert_int_equal(vx_note_render(&want, &want_len, &n, &ro), 0);
	got = slurp(path, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	struct stat st;
	assert_int_not_equal(stat(tmp, &st), 0); /* no temporary file left */
	free(want);
	free(got);

	/* A folder that does not exist: VX_EWRITE naming the file, nothing created. */
	char bad[300];
	snprintf(bad, sizeof bad, "%s/absent/note.md", dir);
	assert_int_equal(vx_note_render_file(bad, &n, NULL), VX_EWRITE);
	assert_non_null(strstr(vx_error_last(), "absent/note.md"));
	assert_int_equal(vx_note_render_file(NULL, &n, NULL), VX_EINVAL);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_format_paths),
		cmocka_unit_test(test_render_dispatch),
		cmocka_unit_test(test_render_assignments),
		cmocka_unit_test(test_render_defaults_and_errors),
		cmocka_unit_test(test_render_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
