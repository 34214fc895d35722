/*
 * What a user types becomes FTS5 strings only; excerpts are cut around the
 * first matched word at word boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "storage/fts_query.h"
#include "voix/error.h"

typedef struct build_case {
	const char *query;
	const char *fts;     /* NULL: VX_EINVAL */
	const char *stems;   /* stems joined by '|' */
} build_case;

static void stems_joined(const vx_buf *stems, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < stems->len; i += strlen(stems->data + i) + 1) {
		if (out[0])
			strncat(out, "|", cap - strlen(out) - 1);
		strncat(out, stems->data + i, cap - strlen(out) - 1);
	}
}

static void test_query_build(void **state)
{
	(void)state;
	static const build_case cases[] = {
		{"rendez-vous annulé", "\"rendez-vous\" \"annulé\"", "rend|annul"},
		{"  Préfecture  ", "\"Préfecture\"", "prefectur"},
		{"\"deux fois\" caf", "\"deux fois\" \"caf\"", "deux|fois|caf"},
		{"\"unclosed phrase", "\"unclosed phrase\"", "unclosed|phras"},
		{"NEAR(a b)", "\"NEAR(a\" \"b)\"", "near|b"},
		{"annul* OR -caf", "\"annul*\" \"OR\" \"-caf\"", "annul|or|caf"},
		{"le \"la\" les", NULL, ""},
		{"", NULL, ""},
		{"!!! ...", NULL, ""},
		{"x\"mot\"z", "\"x\" \"mot\" \"z\"", "x|mot|z"},
	};
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_buf fts = VX_BUF_INIT, stems = VX_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const build_case *c = &cases[i];
		int rc = vx_fts_query_build(&fts, &stems, t, c->query, strlen(c->query));
		if (c->fts == NULL) {
			assert_int_equal(rc, VX_EINVAL);
			continue;
		}
		assert_int_equal(rc, 0);
		if (strcmp(fts.data, c->fts) != 0)
			fail_msg("query '%s': fts '%s', want '%s'", c->query, fts.data, c->fts);
		char joined[256];
		stems_joined(&stems, joined, sizeof joined);
		if (strcmp(joined, c->stems) != 0)
			fail_msg("query '%s': stems '%s', want '%s'", c->query, joined, c->stems);
	}
	vx_buf_free(&fts);
	vx_buf_free(&stems);
	vx_text_free(t);
}

typedef struct snippet_case {
	const char *text;
	const char *query;
	size_t max;
	const char *want;
	int matched;
} snippet_case;

static void test_snippets(void **state)
{
	(void)state;
	static const snippet_case cases[] = {
		{"Mon rendez-vous est annulé.", "annulé", 200, "Mon rendez-vous est **annulé**.", 1},
		{"Ligne un\r\n\r\n\tligne  deux", "deux", 200, "Ligne un ligne **deux**", 1},
		/* Six words of context before the match, then cut with an ellipsis. */
		{"un deux trois quatre cinq six sept huit neuf dix onze douze treize", "neuf", 40,
		 "… trois quatre cinq six sept huit **neuf** dix …", 1},
		/* No match: the start of the text. */
		{"Premier mot second mot troisième mot", "absent", 18, "Premier mot second …", 0},
		{"Élan élans ÉLAN", "élan", 200, "**Élan** **élans** **ÉLAN**", 1},
		{"", "mot", 200, "", 0},
	};
	vx_text *t = NULL;
	assert_int_equal(vx_text_new(&t), 0);
	vx_buf fts = VX_BUF_INIT, stems = VX_BUF_INIT, out = VX_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const snippet_case *c = &cases[i];
		assert_int_equal(vx_fts_query_build(&fts, &stems, t, c->query, strlen(c->query)), 0);
		int matched = -1;
		assert_int_equal(vx_fts_snippet(&out, &matched, t, c->text, strlen(c->text), &stems, c->max), 0);
		const char *got = out.data ? out.data : "";
		if (strcmp(got, c->want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got, c->want);
		assert_int_equal(matched, c->matched);
	}
	vx_buf_free(&fts);
	vx_buf_free(&stems);
	vx_buf_free(&out);
	vx_text_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_build),
		cmocka_unit_test(test_snippets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
