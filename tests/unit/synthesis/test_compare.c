/*
 * Two notes side by side and a note's topics month by month
 * (voix/compare.h), on notes written out by hand: which topics are the
 * same, the difference in points, the order of rises and falls, the
 * feelings; the months, their totals and each topic's count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "voix/compare.h"
#include "voix/error.h"

static vx_topic topic(const char *label, const char *theme, size_t count, size_t of)
{
	vx_topic t;
	memset(&t, 0, sizeof t);
	t.label = label;
	t.theme = theme;
	t.count = count;
	t.denominator = of;
	t.share = (double)count / (double)of;
	return t;
}

static void test_compare_matches_and_orders(void **state)
{
	(void)state;
	/* a: 200 analysed; b: 100. The theme "joignabilite" has another label
	 * in b (a label follows the words users write): still the same topic.
	 * The emergent "carte grise" is in both; "délais" only in a, "accueil"
	 * only in b. */
	vx_topic ta[] = {topic("Joindre le service", "joignabilite", 80, 200), topic("délais", "delais", 40, 200),
	                 topic("carte grise", NULL, 20, 200), topic("dossier perdu", NULL, 10, 200)};
	vx_topic tb[] = {topic("Joignabilité", "joignabilite", 20, 100), topic("carte grise", NULL, 30, 100),
	                 topic("accueil", "accueil", 25, 100), topic("dossier perdu", NULL, 5, 100)};
	vx_note a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.topics = ta;
	a.n_topics = 4;
	a.analysed = 200;
	a.feelings.n[VX_FEELING_POSITIVE] = 50;
	a.feelings.n[VX_FEELING_NEGATIVE] = 150;
	b.topics = tb;
	b.n_topics = 4;
	b.analysed = 100;
	b.feelings.n[VX_FEELING_POSITIVE] = 40;
	b.feelings.n[VX_FEELING_NEGATIVE] = 60;
	vx_comparison *c = NULL;
	assert_int_equal(vx_note_compare(&c, &a, &b), 0);
	assert_int_equal(c->n_topics, 5);
	assert_int_equal(c->n_both, 3);
	/* Rises first: carte grise +20 points, dossier perdu 0, joignabilité -20. */
	static const struct {
		const char *label;
		int in_a, in_b;
		double points;
	} want[] = {{"carte grise", 1, 1, 20.0}, {"dossier perdu", 1, 1, 0.0}, {"Joindre le service", 1, 1, -20.0},
	            {"délais", 1, 0, 0.0},       {"accueil", 0, 1, 0.0}};
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(c->topics[i].label, want[i].label);
		assert_int_equal(c->topics[i].in_a, want[i].in_a);
		assert_int_equal(c->topics[i].in_b, want[i].in_b);
		assert_true(c->topics[i].points > want[i].points - 1e-9 && c->topics[i].points < want[i].points + 1e-9);
	}
	assert_int_equal(c->topics[2].count_a, 80);
	assert_int_equal(c->topics[2].count_b, 20);
	assert_true(c->topics[4].share_b > 0.2499 && c->topics[4].share_b < 0.2501);
	/* Feelings: positive 25 % then 40 %, +15 points; negative -15. */
	assert_true(c->feelings_points[VX_FEELING_POSITIVE] > 14.999 && c->feelings_points[VX_FEELING_POSITIVE] < 15.001);
	assert_true(c->feelings_points[VX_FEELING_NEGATIVE] > -15.001 && c->feelings_points[VX_FEELING_NEGATIVE] < -14.999);
	assert_int_equal(c->analysed_a, 200);
	assert_int_equal(c->analysed_b, 100);
	vx_comparison_free(c);
	/* A note against itself: every topic in both, 0 points each. */
	assert_int_equal(vx_note_compare(&c, &a, &a), 0);
	assert_int_equal(c->n_both, 4);
	for (size_t i = 0; i < c->n_topics; i++)
		assert_true(c->topics[i].points == 0.0);
	assert_string_equal(c->topics[0].label, "Joindre le service");
	vx_comparison_free(c);
	assert_int_equal(vx_note_compare(&c, &a, NULL), VX_EINVAL);
	vx_comparison_free(NULL);
}

static void add(vx_corpus *c, const char *id, const char *date, const char *text, const char *service)
{
	vx_experience e;
	memset(&e, 0, sizeof e);
	e.source = "t.csv";
	e.id = id;
	e.date = date;
	e.date_text = date;
	e.title = "";
	e.text = text;
	e.service = service;
	e.structure = "";
	e.department = "";
	e.reply = "";
	e.row_json = "";
	assert_int_equal(vx_corpus_add(c, &e), 0);
}

static void test_trends_by_month(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	/* January and March 2024 (February has none: a month at 0), an
	 * undated one, an empty text, and one the filter leaves out. */
	add(c, "1", "2024-01-05", "attente au téléphone", "CAF");
	add(c, "2", "2024-01-20", "accueil aimable", "CAF");
	add(c, "3", "2024-03-02", "attente interminable", "CAF");
	add(c, "4", "2024-03-15", "attente", "CAF");
	add(c, "5", "", "attente sans date", "CAF");
	add(c, "6", "2024-03-16", "", "CAF");
	add(c, "7", "2023-11-01", "attente ailleurs", "Préfecture");
	vx_member attente[] = {{"1", 1}, {"3", 1}, {"4", 1}, {"5", 1}};
	vx_member accueil[] = {{"2", 1}};
	vx_topic t[] = {topic("attente", NULL, 4, 5), topic("accueil", NULL, 1, 5)};
	t[0].members = attente;
	t[0].n_members = 4;
	t[1].members = accueil;
	t[1].n_members = 1;
	vx_note n;
	memset(&n, 0, sizeof n);
	n.topics = t;
	n.n_topics = 2;
	n.filter.service = "CAF";
	vx_trends *tr = NULL;
	assert_int_equal(vx_note_trends(&tr, &n, c), VX_EINVAL); /* no memberships */
	n.has_members = 1;
	assert_int_equal(vx_note_trends(&tr, &n, c), 0);
	assert_int_equal(tr->n_months, 3);
	assert_string_equal(tr->months[0], "2024-01");
	assert_string_equal(tr->months[1], "2024-02");
	assert_string_equal(tr->months[2], "2024-03");
	static const size_t totals[] = {2, 0, 2}, attente_n[] = {1, 0, 2}, accueil_n[] = {1, 0, 0};
	for (size_t m = 0; m < 3; m++) {
		assert_int_equal(tr->totals[m], totals[m]);
		assert_int_equal(tr->counts[m], attente_n[m]);
		assert_int_equal(tr->counts[tr->n_months + m], accueil_n[m]);
	}
	assert_true(vx_trends_share(tr, 0, 2) == 1.0);
	assert_true(vx_trends_share(tr, 0, 0) == 0.5);
	assert_true(vx_trends_share(tr, 0, 1) == 0.0);
	assert_int_equal(tr->undated, 1);
	assert_string_equal(tr->labels[1], "accueil");
	vx_trends_free(tr);
	/* Nothing dated within the filter. */
	n.filter.service = "Mairie";
	assert_int_equal(vx_note_trends(&tr, &n, c), VX_EEMPTY);
	vx_trends_free(NULL);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_matches_and_orders),
		cmocka_unit_test(test_trends_by_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
