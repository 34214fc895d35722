/*
 * Full-text search through the store: folding, French stems, phrases, FTS5
 * syntax in queries, masked excerpts, and the index kept in step with
 * updates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_fixture.h"
#include "voix/error.h"
#include "voix/reader.h"

typedef struct hits {
	char ids[16][32];
	char snippets[16][512];
	double rank[16];
	size_t n;
} hits;

static int collect(const vx_search_hit *hit, void *payload)
{
	hits *h = payload;
	if (h->n >= 16)
		return 1;
	snprintf(h->ids[h->n], sizeof h->ids[0], "%s", hit->id);
	snprintf(h->snippets[h->n], sizeof h->snippets[0], "%s", hit->snippet);
	h->rank[h->n] = hit->rank;
	h->n++;
	return 0;
}

typedef struct state {
	tmpdb db;
	vx_store *store;
} state;

static int setup(void **st)
{
	state *s = calloc(1, sizeof *s);
	tmpdb_make(&s->db);
	if (vx_store_open(&s->store, s->db.path) != 0)
		return -1;
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	vx_import_counts k;
	int rc = vx_store_import(s->store, c, &k);
	vx_corpus_free(c);
	*st = s;
	return rc;
}

static int teardown(void **st)
{
	state *s = *st;
	vx_store_free(s->store);
	tmpdb_remove(&s->db);
	free(s);
	return 0;
}

static void search(vx_store *s, const char *q, hits *h)
{
	memset(h, 0, sizeof *h);
	int rc = vx_store_search(s, q, 10, collect, h);
	if (rc)
		fail_msg("search '%s' failed: %s", q, vx_error_last());
}

static void assert_ids(const hits *h, const char *want)
{
	char got[256] = "";
	for (size_t i = 0; i < h->n; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, h->ids[i]);
	}
	if (strcmp(got, want) != 0)
		fail_msg("got '%s', want '%s'", got, want);
}

typedef struct query_case {
	const char *query;
	const char *ids;   /* expected ids, best first, space-separated */
} query_case;

static void test_folding_and_stemming(void **st)
{
	state *s = *st;
	static const query_case cases[] = {
		/* "rendez vous a été annulés" */
		{"rendez-vous annulé", "1001"},
		{"RENDEZ VOUS ANNULES", "1001"},
		{"annulation", "1001"},
		{"preFECTURE", "1002"},
		{"préfectures", "1002"},
		{"agents patients", "1002"},
		{"caf attente", "1003"},
		/* Both words must occur. */
		{"dossier préfecture", ""},
		/* A title matches too. */
		{"allocations", "1003"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hits h;
		search(s->store, cases[i].query, &h);
		char got[256] = "";
		for (size_t j = 0; j < h.n; j++) {
			if (j)
				strcat(got, " ");
			strcat(got, h.ids[j]);
		}
		if (strcmp(got, cases[i].ids) != 0)
			fail_msg("query '%s': got '%s', want '%s'", cases[i].query, got, cases[i].ids);
	}
}

static void test_phrases(void **st)
{
	state *s = *st;
	hits h;
	/* In that order: "rendez vous ... annulés" has rendez, then annul. */
	search(s->store, "\"rendez annulés\"", &h);
	assert_ids(&h, "1001");
	search(s->store, "\"annulés rendez\"", &h);
	assert_ids(&h, "");
	/* An unclosed quote runs to the end. */
	search(s->store, "\"deux fois", &h);
	assert_ids(&h, "1001");
}

/* FTS5 syntax typed by a user is text: it never raises a database error. */
static void test_query_syntax_is_inert(void **st)
{
	state *s = *st;
	static const char *const queries[] = {
		"annul*", "NEAR(rendez annulés)", "rendez OR caf", "rendez NOT annulé", "title:accueil",
		"-préfecture", "^accueil", "\"\"\"", "(caf", "caf)", "{title text}: caf", "a + b", "* * *",
		"\"rendez\" \"", "'; DROP TABLE experiences; --", "\xff\xfe caf",
	};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		hits h;
		memset(&h, 0, sizeof h);
		int rc = vx_store_search(s->store, queries[i], 10, collect, &h);
		if (rc != 0 && rc != VX_EINVAL)
			fail_msg("query '%s': %s", queries[i], vx_error_last());
	}
	/* The words are still searched: "NOT" is a word, not an operator. */
	hits h;
	search(s->store, "caf OR", &h);
	assert_ids(&h, "");
	search(s->store, "annul*", &h);
	assert_ids(&h, "1001");
	size_t n = 0;
	assert_int_equal(vx_store_count(s->store, &n), 0);
	assert_int_equal(n, FIXTURE_ROWS);
}

static void test_no_searchable_word(void **st)
{
	state *s = *st;
	static const char *const queries[] = {"", "   ", "le la les", "!!! ???", "\"\""};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		hits h;
		memset(&h, 0, sizeof h);
		assert_int_equal(vx_store_search(s->store, queries[i], 10, collect, &h), VX_EINVAL);
		assert_int_equal(h.n, 0);
	}
}

static void test_snippets_are_masked(void **st)
{
	state *s = *st;
	hits h;
	search(s->store, "écrivez dossier", &h);
	assert_ids(&h, "1004");
	assert_null(strstr(h.snippets[0], "durandal@"));
	assert_non_null(strstr(h.snippets[0], "[EMAIL]"));
	assert_non_null(strstr(h.snippets[0], "**dossier**"));
	search(s->store, "répond", &h);
	assert_ids(&h, "1003");
	assert_null(strstr(h.snippets[0], "Durandal"));
	assert_non_null(strstr(h.snippets[0], "**répond**"));
	/* Matched words are marked, other text is as written. */
	search(s->store, "rendez-vous annulé", &h);
	assert_string_equal(h.snippets[0], "Mon **rendez** vous a été **annulés** deux fois sans prévenir.");
}

static void test_limit_and_rank(void **st)
{
	state *s = *st;
	hits h;
	memset(&h, 0, sizeof h);
	assert_int_equal(vx_store_search(s->store, "dossier", 1, collect, &h), 0);
	assert_int_equal(h.n, 1);
	search(s->store, "dossier", &h);
	assert_int_equal(h.n, 2);
	assert_true(h.rank[0] >= h.rank[1]);
	assert_true(h.rank[1] > 0);
}

/* Updated texts are searchable by their new words only. */
static void test_index_follows_updates(void **st)
{
	state *s = *st;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export.csv", "sp-plus-2025", 2);
	fixture_add(c, "export.csv", 0, "Le guichet numérique fonctionne enfin.");
	vx_import_counts k;
	assert_int_equal(vx_store_import(s->store, c, &k), 0);
	assert_int_equal(k.updated, 1);
	vx_corpus_free(c);
	hits h;
	search(s->store, "guichets numériques", &h);
	assert_ids(&h, "1001");
	search(s->store, "annulés", &h);
	assert_ids(&h, "");
	/* The title did not change and still matches. */
	search(s->store, "rendez-vous", &h);
	assert_ids(&h, "1001");
}

/* The id of a hit is masked like its excerpt: an export's id column can
 * hold anything, an e-mail included. */
static void test_hit_ids_are_masked(void **st)
{
	state *s = *st;
	vx_corpus *c = fixture_corpus("other.csv", "sp-plus-2025");
	vx_experience *e = (vx_experience *)vx_corpus_get(c, 0);
	e->id = "claire.vasseur@exemple.fr";
	vx_import_counts k;
	assert_int_equal(vx_store_import(s->store, c, &k), 0);
	vx_corpus_free(c);
	hits h = {0};
	assert_int_equal(vx_store_search(s->store, "annulé", 10, collect, &h), 0);
	int seen = 0;
	for (size_t i = 0; i < h.n; i++) {
		assert_null(strstr(h.ids[i], "claire"));
		seen += strcmp(h.ids[i], "[EMAIL]") == 0;
	}
	assert_int_equal(seen, 1);
}

static int count_hit(const vx_search_hit *hit, void *payload)
{
	(void)hit;
	(*(size_t *)payload)++;
	return 0;
}

/* The count of a search (on the index alone) is the number of hits the
 * search itself lists with no limit, on the bundled example (240
 * experiences): words, stems, phrases, several words, a word in titles,
 * none. */
static void test_count_is_the_number_of_hits(void **st)
{
	(void)st;
	tmpdb db;
	vx_store *store = NULL;
	vx_corpus *c = NULL;
	vx_import_counts k;
	tmpdb_make(&db);
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_file(c, VX_EXAMPLES "/experiences-exemple.csv", NULL), 0);
	assert_int_equal(vx_store_open(&store, db.path), 0);
	assert_int_equal(vx_store_import(store, c, &k), 0);
	static const char *const queries[] = {
		"rendez-vous", "dossier", "téléphone", "attente téléphone", "\"prendre rendez-vous\"",
		"RENDEZ VOUS", "délais", "caf", "annul*", "zzzqxw", "tchat",
	};
	size_t nonzero = 0;
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		size_t slow = 0, count = 99;
		if (vx_store_search(store, queries[i], SIZE_MAX / 2, count_hit, &slow) != 0)
			fail_msg("search '%s': %s", queries[i], vx_error_last());
		if (vx_store_search_count(store, queries[i], &count) != 0)
			fail_msg("count '%s': %s", queries[i], vx_error_last());
		if (count != slow)
			fail_msg("'%s': count %zu, but the search lists %zu hits", queries[i], count, slow);
		nonzero += slow > 0;
	}
	assert_true(nonzero >= 8);
	size_t count = 99;
	assert_int_equal(vx_store_search_count(store, "le la les", &count), VX_EINVAL);
	assert_int_equal(count, 0);
	vx_store_free(store);
	vx_corpus_free(c);
	tmpdb_remove(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_ids_are_masked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folding_and_stemming, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phrases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_syntax_is_inert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_searchable_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snippets_are_masked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_and_rank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_follows_updates, setup, teardown),
		cmocka_unit_test(test_count_is_the_number_of_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
