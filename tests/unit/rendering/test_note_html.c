/* The note as HTML: self-contained, accessible, escaped, well nested, printable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/rendering/fixture.h"
#include "voix/note.h"

#define NB "\xC2\xA0"
#define NN "\xE2\x80\xAF"

static char *render(const vx_note *n)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(vx_note_render_html(&out, &len, n), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

static void assert_contains(const char *html, const char *needle)
{
	if (strstr(html, needle) == NULL)
		fail_msg("missing from the HTML: %s", needle);
}

/*
 * Checks that every element is closed in order (void elements and "/>"
 * excepted) and that no "<" appears in text: a tag parser that would break
 * on unescaped user text.
 */
static void assert_well_nested(const char *html)
{
	static const char *const voids[] = {"meta", "br", "link", "img", "hr", "input"};
	char stack[128][16];
	size_t depth = 0;
	const char *p = html;
	while ((p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p, '>');
		assert_non_null(end);
		if (p[1] == '!') {
			p = end + 1;
			continue;
		}
		int closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (len == 0 || len >= 16)
			fail_msg("not a tag at byte %zu: %.20s", (size_t)(p - html), p);
		char tag[16];
		memcpy(tag, name, len);
		tag[len] = '\0';
		if (closing) {
			if (depth == 0 || strcmp(stack[depth - 1], tag) != 0)
				fail_msg("</%s> at byte %zu closes <%s>", tag, (size_t)(p - html), depth ? stack[depth - 1] : "");
			depth--;
		} else {
			int is_void = end[-1] == '/';
			for (size_t k = 0; k < sizeof voids / sizeof *voids; k++)
				is_void |= strcmp(tag, voids[k]) == 0;
			if (!is_void) {
				assert_true(depth < 128);
				memcpy(stack[depth++], tag, len + 1);
			}
		}
		p = end + 1;
	}
	assert_int_equal(depth, 0);
}

static void test_document_shape(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *html = render(&n);
	assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"fr\">\n", 33) == 0);
	assert_contains(html, "<meta charset=\"utf-8\">");
	assert_int_equal(fx_count(html, "<h1"), 1);
	assert_int_equal(fx_count(html, "<h2"), 5);
	assert_int_equal(fx_count(html, "<h3>1. Rendez-vous &amp; délais &lt;urgent&gt;</h3>"), 1);
	/* Sections in order. */
	const char *ids[] = {"id=\"perimetre\"", "id=\"points-forts\"", "id=\"sujets\"", "id=\"axes\"",
	                     "id=\"methode\""};
	const char *prev = html;
	for (size_t i = 0; i < 5; i++) {
		const char *at = strstr(html, ids[i]);
		assert_non_null(at);
		assert_true(at > prev);
		prev = at;
	}
	assert_contains(html, "<h2 id=\"sujets-titre\">Les 4 principaux sujets</h2>");
	assert_well_nested(html);
	free(html);
}

static void test_self_contained_and_printable(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *html = render(&n);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "href=\"http"));
	/* The only absolute URL is the SVG namespace. */
	assert_int_equal(fx_count(html, "http://"), fx_count(html, "xmlns=\"http://www.w3.org/2000/svg\"") + 1);
	assert_contains(html, "http://exemple.invalid"); /* ... and the text of a verbatim */
	assert_contains(html, "@page{size:A4;");
	assert_contains(html, "@media print{");
	assert_contains(html, "break-inside:avoid");
	free(html);
}

/* Each chart: a figure with an SVG image (role, title, desc) and a table. */
static void test_every_chart_has_svg_and_table(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *html = render(&n);
	size_t charts = 0;
	for (const char *p = strstr(html, "<figure class=\"chart\""); p != NULL;
	     p = strstr(p + 1, "<figure class=\"chart\"")) {
		const char *end = strstr(p, "</figure>");
		assert_non_null(end);
		size_t len = (size_t)(end - p);
		char *fig = malloc(len + 1);
		assert_non_null(fig);
		memcpy(fig, p, len);
		fig[len] = '\0';
		assert_int_equal(fx_count(fig, "<svg role=\"img\" aria-labelledby=\""), 1);
		assert_int_equal(fx_count(fig, "<title id=\""), 1);
		assert_int_equal(fx_count(fig, "<desc id=\""), 1);
		assert_int_equal(fx_count(fig, "<table>"), 1);
		assert_int_equal(fx_count(fig, "<figcaption>"), 1);
		free(fig);
		charts++;
	}
	/* Feelings, topic shares, and one feelings chart per topic. */
	assert_int_equal(charts, 1 + 1 + 4);
	assert_int_equal(fx_count(html, "<svg"), charts);
	/* Values are written on the bars, and in the table. */
	assert_contains(html, ">300 (25,4" NN "%)</text>");
	assert_contains(html, "<tr><th scope=\"row\">Positif</th><td class=\"num\">300</td><td class=\"num\">1" NN
	                      "180</td><td class=\"num\">25,4" NN "%</td></tr>");
	assert_contains(html, "<desc id=\"parts-sujets-d\">1. Rendez-vous &amp; délais &lt;urgent&gt;" NB ": 412 sur 1" NN
	                      "180 (34,9" NN "%)");
	/* The largest bar of a chart has the full width. */
	assert_contains(html, "width=\"440.0\" height=\"14\" fill=\"#000091\"");
	free(html);
}

static void test_user_text_is_escaped(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *html = render(&n);
	assert_contains(html, "<blockquote><p>Le guichet &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	                      "&quot;l&#39;accueil&quot; était *fermé* _encore_ | # titre `code`</p></blockquote>");
	assert_contains(html, "<figcaption>Expérience <code>EXP-0001</code> · texte · négatif</figcaption>");
	/* Line breaks: blank lines separate paragraphs, single ones are <br>. */
	assert_contains(html, "<p>Merci à Mme Durandal 😀 pour sa réactivité !<br>Deuxième ligne</p><p>&gt; pas une "
	                      "citation<br>- pas une liste<br>1. pas une liste numérotée</p>");
	assert_contains(html, "<p>### Rendez-vous annulé trois fois<br>sans prévenir ! ~~barré~~ \\ fin</p>");
	assert_contains(html, "· ×" NB "3 copies</figcaption>");
	assert_contains(html, "[cliquez ici](http://exemple.invalid) &amp;amp; &lt;b&gt;gras&lt;/b&gt;");
	assert_contains(html, "Écrivez-moi à [EMAIL] ou au [TÉLÉPHONE]");
	assert_contains(html, "<code>exports/avis &lt;guichet&gt; &amp; co.csv</code>");
	assert_contains(html, "Corpus &lt;petit&gt; : prudence.");
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<urgent>"));
	assert_null(strstr(html, "\xE2\x80\xAE"));
	assert_null(strstr(html, "\r"));
	free(html);
}

static void test_topics_axes_method(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *html = render(&n);
	assert_contains(html, "<dt>Fréquence</dt><dd>412 expériences sur 1" NN "180, soit 34,9" NN "%</dd>");
	assert_contains(html, "<dt>Évolution</dt><dd>période précédente" NB ": 120 sur 900 (13,3" NN "%) → période" NB
	                      ": 150 sur 950 (15,8" NN "%), soit +2,5 points</dd>");
	assert_contains(html, "<dt>Période couverte</dt><dd>du 12 mars 2024 au 30 juin 2024</dd>");
	assert_contains(html, "depuis le <time datetime=\"2024-03-01\">1er mars 2024</time>");
	assert_int_equal(fx_count(html, "<p class=\"notice\">Verbatims non présentés"), 2);
	assert_contains(html, "<a href=\"#sujet-1\">1. Rendez-vous &amp; délais &lt;urgent&gt;</a>");
	assert_contains(html, "<dt>Appuyé par</dt><dd>570 expériences négatives</dd>");
	assert_contains(html, "9. (sujet non présenté)");
	assert_contains(html, "<dt>Mots relevés dans les expériences</dt><dd>injoignable, rappel, *standard*</dd>");
	assert_contains(html, "<p>Les évolutions comparent la période du 1er mars 2024 au 30 avril 2024 à la période "
	                      "précédente, du 1er janvier 2024 au 29 février 2024.</p>");
	assert_contains(html, "<tr><th scope=\"row\">[TÉLÉPHONE]</th><td class=\"num\">5</td></tr>");
	assert_contains(html, "<tr><th scope=\"row\">séparateur</th><td>a | b</td></tr>");
	assert_null(strstr(html, "Durée d’exécution"));
	n.seconds = 2.5;
	n.peak_rss_kb = 2048;
	free(html);
	html = render(&n);
	assert_contains(html, "<dt>Durée d’exécution</dt><dd>2,50" NN "s</dd>");
	assert_contains(html, "<dt>Mémoire maximale</dt><dd>2,0" NN "Mo</dd>");
	free(html);
}

static void test_identical_bytes(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *a = NULL, *b = NULL;
	size_t la, lb;
	assert_int_equal(vx_note_render_html(&a, &la, &n), 0);
	assert_int_equal(vx_note_render_html(&b, &lb, &n), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
}

static void test_empty_note(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	char *html = render(&n);
	assert_contains(html, "<p>Aucun sujet n’a pu être dégagé de ces expériences.</p>");
	assert_contains(html, "<p>Aucun point fort ne se dégage nettement de ces expériences.</p>");
	assert_contains(html, "<p>Aucun axe d’amélioration n’a été retenu pour ces expériences.</p>");
	assert_contains(html, "non renseignée (aucune expérience datée)");
	assert_int_equal(fx_count(html, "<h1"), 1);
	assert_int_equal(fx_count(html, "<svg"), 0);
	assert_well_nested(html);
	free(html);
}

/* Invalid UTF-8 and control characters never reach the document. */
static void test_invalid_bytes(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	n.version = "v\xC3\x28\x01\x7F\xC2\x85x";
	char *html = render(&n);
	assert_contains(html, "<dd>v\xEF\xBF\xBD(   x</dd>");
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_shape),
		cmocka_unit_test(test_self_contained_and_printable),
		cmocka_unit_test(test_every_chart_has_svg_and_table),
		cmocka_unit_test(test_user_text_is_escaped),
		cmocka_unit_test(test_topics_axes_method),
		cmocka_unit_test(test_identical_bytes),
		cmocka_unit_test(test_empty_note),
		cmocka_unit_test(test_invalid_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
