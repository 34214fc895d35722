/*
 * Properties every synthesis note must have, checked on real inputs: the
 * bundled example and, when VX_SHARED_DATA is there, the shared corpora.
 * Each input is read, the note built with the default options, and then:
 * the counts add up; every topic's figures are consistent; every verbatim is
 * an exact, masked span of the experience it names, and no experience is quoted
 * twice; every axis rests on
 * negative experiences that exist; two builds render to the same bytes; and
 * (on the example) no planted personal data reaches any rendering.
 *
 * Usage: test_note_properties [PATTERN]  (runs only the inputs whose name
 * matches the cmocka PATTERN, e.g. "example" for a quick valgrind run).
 * Inputs that are absent are skipped with a message; exits 77 when none is
 * there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <utf8proc.h>

#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/feeling.h"
#include "voix/note.h"
#include "voix/privacy.h"
#include "voix/reader.h"

#define SHARED VX_SHARED_DATA "/"
/* The mappings documented in docs/reading.md for the shared corpora. */
#define GDN_MAP                                                                                              \
	"text=Quelles sont les propositions qui ont emerge des discussions,id=contribution_no,date=Création,"   \
	"title=Titre,department=Département"
#define ALLOCINE_MAP "text=text,feeling=label,feeling_scale=binary"
#define PLANTED VX_TEST_DATA "/synthesis/example-planted.txt"

/* Limits the note promises (docs/note-json.md, vx_note_options defaults). */
#define VERBATIM_MIN_CHARS 40
#define VERBATIM_MAX_CHARS 300
#define MAX_VERBATIMS 3
#define MAX_FACETS 5
#define MAX_AXIS_IDS 5
#define SHARE_EPSILON 1e-9

typedef struct input {
	const char *name;     /* test name, and what a PATTERN argument matches */
	const char *path;
	const char *map;      /* NULL: the layout is detected */
	int planted;          /* 1: the example, whose planted personal data is listed in PLANTED */
} input;

static const input inputs[] = {
	{"example", VX_EXAMPLES "/experiences-exemple.csv", NULL, 1},
	{"sp-plus-2023", SHARED "sp-plus-2023-sample/experiences.csv", NULL, 0},
	{"google-reviews", SHARED "google-reviews-pole-emploi/reviews.csv", NULL, 0},
	{"gdn-reunions", SHARED "gdn-reunions-locales/reunions.csv", GDN_MAP, 0},
	{"allocine-train", SHARED "allocine-reviews-sample/train_data_allocine.csv", ALLOCINE_MAP, 0},
};
#define N_INPUTS (sizeof inputs / sizeof inputs[0])

/* ---- Helpers ---------------------------------------------------------- */

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The experience with that id (the first one), or NULL. */
static const vx_experience *find_experience(const vx_corpus *c, const char *id)
{
	size_t n = vx_corpus_count(c);
	for (size_t i = 0; i < n; i++) {
		const vx_experience *e = vx_corpus_get(c, i);
		if (strcmp(e->id, id) == 0)
			return e;
	}
	return NULL;
}

static size_t feelings_sum(const vx_feelings *f)
{
	size_t s = 0;
	for (int k = 0; k < VX_FEELING_COUNT; k++)
		s += f->n[k];
	return s;
}

/* s masked with a fresh call (caller frees). */
static char *masked(vx_masker *m, const char *s, size_t len)
{
	char *out = NULL;
	assert_int_equal(vx_masker_mask(m, s, len, &out, NULL), 0);
	assert_non_null(out);
	return out;
}

static size_t pii_count(vx_masker *m, const char *s, size_t len)
{
	vx_pii_span *spans = NULL;
	size_t n = 0;
	assert_int_equal(vx_masker_find(m, s, len, &spans, &n), 0);
	free(spans);
	return n;
}

/* ---- Properties --------------------------------------------------------- */

static void check_counts(const vx_note *n)
{
	size_t excluded = 0;
	for (size_t i = 0; i < n->n_excluded; i++) {
		assert_non_null(n->excluded[i].reason);
		assert_true(n->excluded[i].reason[0] != '\0');
		assert_true(n->excluded[i].count > 0);
		excluded += n->excluded[i].count;
	}
	if (n->read != n->analysed + excluded)
		fail_msg("read %zu != analysed %zu + excluded %zu", n->read, n->analysed, excluded);
	assert_int_equal(feelings_sum(&n->feelings), n->analysed);
	assert_true(n->duplicates < n->analysed);
	assert_true(n->coverage >= 0.0 && n->coverage <= 1.0);
	assert_true(n->n_topics <= VX_NOTE_DEFAULT_TOPICS);
	assert_true(n->n_axes <= VX_NOTE_DEFAULT_AXES);
}

/* Personal data the masker finds in the whole text (where the context
 * before the quote is known) must not survive in the quote either. */
static void check_context_pii(vx_masker *m, const vx_experience *e, const vx_verbatim *v)
{
	vx_pii_span *spans = NULL;
	size_t n = 0;
	assert_int_equal(vx_masker_find(m, e->text, strlen(e->text), &spans, &n), 0);
	for (size_t i = 0; i < n; i++) {
		size_t s = spans[i].start > v->start ? spans[i].start : v->start;
		size_t t = spans[i].end < v->end ? spans[i].end : v->end;
		int inside = spans[i].start >= v->start && spans[i].end <= v->end;
		if (s >= t || (!inside && t - s < 6))
			continue;
		char *raw = strndup(e->text + s, t - s);
		assert_non_null(raw);
		int leaked = strstr(v->text, raw) != NULL;
		free(raw);
		if (leaked)
			fail_msg("experience %s: a %s item found in the whole text [%zu, %zu) is shown unmasked in the "
			         "verbatim [%zu, %zu)",
			         v->experience_id, vx_pii_key(spans[i].kind), spans[i].start, spans[i].end, v->start, v->end);
	}
	free(spans);
}

static void check_verbatim(const vx_verbatim *v, const vx_corpus *c, vx_masker *m)
{
	assert_non_null(v->experience_id);
	const vx_experience *e = find_experience(c, v->experience_id);
	if (e == NULL)
		fail_msg("verbatim names experience %s, which is not in the corpus", v->experience_id);
	assert_string_equal(v->field, "text");
	size_t len = strlen(e->text);
	if (!(v->start < v->end && v->end <= len))
		fail_msg("experience %s: verbatim span [%zu, %zu) outside its text of %zu bytes", v->experience_id,
		         v->start, v->end, len);
	const char *span = e->text + v->start;
	size_t span_len = v->end - v->start;
	size_t chars = utf8_chars(span, span_len);
	if (chars < VERBATIM_MIN_CHARS || chars > VERBATIM_MAX_CHARS)
		fail_msg("experience %s: verbatim of %zu characters", v->experience_id, chars);
	/* Offsets on character boundaries. */
	assert_true(((unsigned char)span[0] & 0xC0) != 0x80);
	assert_true(v->end == len || ((unsigned char)e->text[v->end] & 0xC0) != 0x80);
	char *want = masked(m, span, span_len);
	if (strcmp(want, v->text) != 0)
		fail_msg("experience %s [%zu, %zu): verbatim text differs from the masked span", v->experience_id,
		         v->start, v->end);
	free(want);
	if (pii_count(m, span, span_len) == 0) {
		assert_int_equal(strlen(v->text), span_len);
		assert_memory_equal(v->text, span, span_len);
	}
	/* What the note shows holds nothing the masker would still find. */
	if (pii_count(m, v->text, strlen(v->text)) != 0)
		fail_msg("experience %s: the shown verbatim still holds personal data", v->experience_id);
	check_context_pii(m, e, v);
	/* The export's feeling where it gives one; otherwise the one read from
	 * the words, never "inconnu" in the default mode. */
	if (e->feeling != VX_FEELING_UNKNOWN) {
		assert_int_equal(v->feeling, e->feeling);
		assert_false(v->feeling_read);
	} else {
		assert_true(v->feeling_read);
		assert_int_not_equal(v->feeling, VX_FEELING_UNKNOWN);
	}
	assert_true(v->copies >= 1);
}

static void check_topic(const vx_topic *t, size_t index, const vx_note *n, const vx_corpus *c, vx_masker *m,
                        int strength)
{
	assert_int_equal(t->id, (int)index + 1);
	if (!(t->count > 0 && t->count <= t->denominator))
		fail_msg("topic %d: count %zu, denominator %zu", t->id, t->count, t->denominator);
	double share = (double)t->count / (double)t->denominator;
	if (t->share < share - SHARE_EPSILON || t->share > share + SHARE_EPSILON)
		fail_msg("topic %d: share %.12f, count/denominator %.12f", t->id, t->share, share);
	assert_int_equal(feelings_sum(&t->feelings), t->count);
	if (strength) {
		/* Strengths are topics of the positive experiences only. */
		assert_int_equal(t->feelings.n[VX_FEELING_POSITIVE], t->count);
		assert_true(t->denominator <= n->feelings.n[VX_FEELING_POSITIVE]);
	} else {
		/* Topics are counted over the distinct analysed experiences. */
		assert_int_equal(t->denominator, n->analysed - n->duplicates);
	}
	assert_true(t->n_terms > 0);
	for (size_t q = 0; q < t->n_terms; q++) {
		assert_non_null(t->terms[q]);
		assert_true(t->terms[q][0] != '\0');
	}
	assert_non_null(t->label);
	assert_true(t->label[0] != '\0');
	if (strchr(t->label, '[') != NULL)
		fail_msg("topic %d: label with a placeholder", t->id);
	/* An emergent topic's label is a phrase of words (or "a / b"): it never
	 * spans punctuation; a theme's is its codebook heading. No label has
	 * doubled, leading or trailing spaces. */
	if (t->theme == NULL && strpbrk(t->label, ".,;:!?()\"\n") != NULL)
		fail_msg("topic %d: label spans punctuation", t->id);
	if (strstr(t->label, "  ") != NULL || t->label[0] == ' ' || t->label[strlen(t->label) - 1] == ' ')
		fail_msg("topic %d: label with doubled or outer spaces", t->id);
	/* A label reads as a heading: its first letter is upper case, and an
	 * emergent one is never the second half of a coordination whose head
	 * it lacks ("etat et des services"). */
	utf8proc_int32_t first = 0;
	if (utf8proc_iterate((const utf8proc_uint8_t *)t->label, -1, &first) > 0 &&
	    utf8proc_category(first) == UTF8PROC_CATEGORY_LL)
		fail_msg("topic %d: label « %s » starts in lower case", t->id, t->label);
	static const char *const cut[] = {" et des ", " et du ", " et de ", " et la ", " et le ", " et les ",
	                                  " ou des ", " ou du ", " ou de "};
	for (size_t q = 0; t->theme == NULL && q < sizeof cut / sizeof *cut; q++)
		if (strstr(t->label, cut[q]) != NULL)
			fail_msg("topic %d: label « %s » is half a coordination", t->id, t->label);
	const vx_facet_count *lists[] = {t->channels, t->services, t->structures};
	size_t sizes[] = {t->n_channels, t->n_services, t->n_structures};
	for (size_t l = 0; l < 3; l++) {
		assert_true(sizes[l] <= MAX_FACETS);
		for (size_t q = 0; q < sizes[l]; q++) {
			assert_true(lists[l][q].count > 0 && lists[l][q].count <= t->count);
			assert_true(q == 0 || lists[l][q - 1].count >= lists[l][q].count);
		}
	}
	/* Verbatims: none under the minimum support, otherwise distinct experiences. */
	if (t->count < VX_NOTE_DEFAULT_MIN_SUPPORT) {
		assert_int_equal(t->verbatims_withheld, 1);
		assert_int_equal(t->n_verbatims, 0);
	} else
		assert_int_equal(t->verbatims_withheld, 0);
	assert_true(t->n_verbatims <= MAX_VERBATIMS);
	for (size_t v = 0; v < t->n_verbatims; v++) {
		check_verbatim(&t->verbatims[v], c, m);
		for (size_t w = 0; w < v; w++)
			if (strcmp(t->verbatims[v].experience_id, t->verbatims[w].experience_id) == 0)
				fail_msg("topic %d: two verbatims from experience %s", t->id, t->verbatims[v].experience_id);
	}
	if (t->has_trend) {
		assert_true(t->previous_denominator > 0 && t->current_denominator > 0);
		assert_true(t->previous_count <= t->previous_denominator);
		assert_true(t->current_count <= t->current_denominator);
		assert_true(t->current_count <= t->count);
	}
}

static void check_axes(const vx_note *n, const vx_corpus *c)
{
	/* Reads the feeling of experiences whose export gives none. */
	vx_lexicon *lx = NULL;
	vx_feeling_reader *reader = NULL;
	assert_int_equal(vx_lexicon_new(&lx, NULL, 0, NULL), 0);
	assert_int_equal(vx_feeling_reader_new(&reader, lx), 0);
	for (size_t i = 0; i < n->n_axes; i++) {
		const vx_axis *a = &n->axes[i];
		assert_non_null(a->text);
		assert_true(a->text[0] != '\0');
		assert_true(a->evidence_count >= 1);
		assert_true(a->n_experience_ids >= 1 && a->n_experience_ids <= MAX_AXIS_IDS);
		assert_true(a->n_experience_ids <= a->evidence_count);
		for (size_t q = 0; q < a->n_experience_ids; q++) {
			const vx_experience *e = find_experience(c, a->experience_ids[q]);
			if (e == NULL)
				fail_msg("axis %zu names experience %s, which is not in the corpus", i + 1, a->experience_ids[q]);
			/* Négatif in the export, or read so from its words where the
			 * export gives no feeling. */
			vx_feeling f = e->feeling;
			if (f == VX_FEELING_UNKNOWN) {
				vx_feeling_reading rd;
				assert_int_equal(vx_feeling_reader_read(&rd, NULL, 0, NULL, reader, e->title, e->text), 0);
				f = rd.feeling;
			}
			if (f != VX_FEELING_NEGATIVE)
				fail_msg("axis %zu: experience %s is %s, not négatif", i + 1, e->id, vx_feeling_key(f));
		}
		for (size_t q = 0; q < a->n_topics; q++) {
			if (a->topics[q] < 1 || (size_t)a->topics[q] > n->n_topics)
				fail_msg("axis %zu: topic id %d outside 1..%zu", i + 1, a->topics[q], n->n_topics);
			for (size_t r = 0; r < q; r++)
				assert_int_not_equal(a->topics[q], a->topics[r]);
		}
		assert_true(a->n_dimensions >= 1 && a->n_dimensions <= VX_DIM_COUNT);
		for (size_t q = 0; q < a->n_dimensions; q++)
			assert_true(a->dimensions[q] >= 0 && a->dimensions[q] < VX_DIM_COUNT);
	}
	vx_feeling_reader_free(reader);
	vx_lexicon_free(lx);
}

/* ---- Rendering ---------------------------------------------------------- */

typedef struct renders {
	char *md, *html, *json;
	size_t md_len, html_len, json_len;
} renders;

/* Renders the three formats, with the run figures zeroed (the only part
 * allowed to differ between runs). */
/* One experience is quoted once in a note: a topic or strength quotes an
 * experience another one quotes only when it has nothing else to quote, which
 * a topic of 30 experiences or more always has on these inputs. */
static void check_distinct_quotes(const vx_note *n)
{
	const vx_topic *all[64];
	size_t n_all = 0;
	for (size_t i = 0; i < n->n_topics && n_all < 64; i++)
		all[n_all++] = &n->topics[i];
	for (size_t i = 0; i < n->n_strengths && n_all < 64; i++)
		all[n_all++] = &n->strengths[i];
	for (size_t a = 0; a < n_all; a++)
		for (size_t b = a + 1; b < n_all; b++) {
			if (all[b]->count < 30)
				continue;
			for (size_t x = 0; x < all[a]->n_verbatims; x++)
				for (size_t y = 0; y < all[b]->n_verbatims; y++)
					if (strcmp(all[a]->verbatims[x].experience_id, all[b]->verbatims[y].experience_id) == 0)
						fail_msg("experience %s quoted by \"%s\" and again by \"%s\"",
						         all[a]->verbatims[x].experience_id, all[a]->label, all[b]->label);
		}
}

static void render_all(renders *r, vx_note *n)
{
	n->seconds = 0;
	n->peak_rss_kb = 0;
	for (size_t i = 0; i < n->n_stages; i++)
		n->stage_seconds[i] = 0; /* run.stages: timings, allowed to differ */
	assert_int_equal(vx_note_render_markdown(&r->md, &r->md_len, n), 0);
	assert_int_equal(vx_note_render_html(&r->html, &r->html_len, n), 0);
	assert_int_equal(vx_note_render_json(&r->json, &r->json_len, n), 0);
}

static void renders_free(renders *r)
{
	free(r->md);
	free(r->html);
	free(r->json);
}

static void assert_same(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen || memcmp(a, b, alen) != 0) {
		size_t k = 0;
		while (k < alen && k < blen && a[k] == b[k])
			k++;
		fail_msg("%s differs between two builds (lengths %zu and %zu, first difference at byte %zu)", what, alen,
		         blen, k);
	}
}

static void check_sections(const char *md)
{
	static const char *const headings[] = {"## Périmètre", "## Points forts", "principaux sujets", "## Axes d",
	                                       "## Méthode et limites"};
	const char *p = md;
	for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++) {
		const char *q = strstr(p, headings[i]);
		if (q == NULL)
			fail_msg("Markdown: heading \"%s\" missing or out of order", headings[i]);
		p = q;
	}
}

/* No value of the planted list appears in any rendering (in JSON, a '/'
 * may also be written "\/"). */
static void check_planted(const renders *r)
{
	FILE *f = fopen(PLANTED, "r");
	if (f == NULL)
		fail_msg("cannot open %s", PLANTED);
	char line[256], esc[512];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		n++;
		size_t k = 0;
		for (const char *s = line; *s && k + 2 < sizeof esc; s++) {
			if (*s == '/')
				esc[k++] = '\\';
			esc[k++] = *s;
		}
		esc[k] = '\0';
		const char *found = strstr(r->md, line) ? "Markdown" : strstr(r->html, line) ? "HTML"
		                    : strstr(r->json, line) || strstr(r->json, esc)          ? "JSON"
		                                                                             : NULL;
		if (found) {
			fclose(f);
			fail_msg("planted value \"%s\" appears in the %s note", line, found);
		}
	}
	fclose(f);
	assert_true(n >= 20);
}

/* ---- The test per input ------------------------------------------------- */

static void test_input(void **state)
{
	const input *in = *state;
	if (access(in->path, R_OK) != 0) {
		printf("  skipped %s: %s not found\n", in->name, in->path);
		skip();
	}
	vx_corpus *c = NULL;
	vx_masker *m = NULL;
	vx_note *a = NULL, *b = NULL;
	vx_read_options ro = VX_READ_OPTIONS_INIT;
	ro.map = in->map;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_masker_new(&m), 0);
	if (vx_reader_read_file(c, in->path, &ro) != 0)
		fail_msg("%s: %s", in->path, vx_error_last());
	if (vx_note_build(&a, c, NULL) != 0)
		fail_msg("%s: note: %s", in->name, vx_error_last());
	printf("  %s: read %zu, analysed %zu, duplicates %zu, %zu topics, %zu strengths, %zu axes, coverage %.3f\n",
	       in->name, a->read, a->analysed, a->duplicates, a->n_topics, a->n_strengths, a->n_axes, a->coverage);

	check_counts(a);
	for (size_t i = 0; i < a->n_topics; i++)
		check_topic(&a->topics[i], i, a, c, m, 0);
	for (size_t i = 0; i < a->n_strengths; i++)
		check_topic(&a->strengths[i], i, a, c, m, 1);
	check_axes(a, c);
	check_distinct_quotes(a);

	/* Determinism: a second build renders to the same bytes. */
	if (vx_note_build(&b, c, NULL) != 0)
		fail_msg("%s: second note: %s", in->name, vx_error_last());
	renders ra = {0}, rb = {0};
	render_all(&ra, a);
	render_all(&rb, b);
	assert_same("Markdown", ra.md, ra.md_len, rb.md, rb.md_len);
	assert_same("HTML", ra.html, ra.html_len, rb.html, rb.html_len);
	assert_same("JSON", ra.json, ra.json_len, rb.json, rb.json_len);
	check_sections(ra.md);
	if (in->planted)
		check_planted(&ra);

	renders_free(&ra);
	renders_free(&rb);
	vx_note_free(a);
	vx_note_free(b);
	vx_masker_free(m);
	vx_corpus_free(c);
}

int main(int argc, char **argv)
{
	struct CMUnitTest tests[N_INPUTS];
	size_t present = 0;
	for (size_t i = 0; i < N_INPUTS; i++) {
		tests[i] = (struct CMUnitTest){inputs[i].name, test_input, NULL, NULL, (void *)&inputs[i]};
		present += access(inputs[i].path, R_OK) == 0;
	}
	if (present == 0) {
		printf("skipped: none of the inputs is there (bundled example and %s)\n", VX_SHARED_DATA);
		return 77;
	}
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("note properties", tests, NULL, NULL);
}
