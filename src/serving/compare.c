/*
 * The compare and trends pages and their API (docs/api.md): two notes of
 * the cache side by side through vx_note_compare, and a note's topics
 * month by month through vx_note_trends, as tables and an SVG chart
 * without script.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/compare.h"
#include "voix/error.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))

/* The filters each side of a comparison sets apart ("a_since"...). */
static const char *const side_filters[] = {"since",   "until",   "service",
                                           "structure", "channel", "feeling", "department"};
#define N_SIDE_FILTERS (sizeof side_filters / sizeof side_filters[0])

static vx_buf *out(vx_rq *rq)
{
	return &rq->resp->body;
}

/* A share as French text: "12,5 %". */
static int put_percent(vx_buf *b, double share)
{
	char s[32];
	snprintf(s, sizeof s, "%.1f", share * 100.0);
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return vx_buf_printf(b, "%s\xc2\xa0%%", s);
}

/* A difference in points: "+3,2 pts", "−1,0 pt", "0,0 pt". */
static int put_points(vx_buf *b, double points)
{
	char s[32];
	double p = fabs(points) < 0.05 ? 0.0 : points;
	snprintf(s, sizeof s, "%.1f", fabs(p));
	for (char *q = s; *q; q++)
		if (*q == '.')
			*q = ',';
	return vx_buf_printf(b, "%s%s\xc2\xa0pt%s", p < 0 ? "\xe2\x88\x92" : p > 0 ? "+" : "", s,
	                     fabs(p) >= 2.0 ? "s" : "");
}

/* The value of side's filter name: prefix name, else name. */
static const char *side_value(vx_rq *rq, char side, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, "%c_%s", side, name);
	const char *v = vx_params_get(&rq->query, key);
	return v ? v : vx_params_get(&rq->query, name);
}

/* 1 when the query sets a filter of either side. */
static int sides_given(vx_rq *rq)
{
	for (size_t i = 0; i < N_SIDE_FILTERS; i++) {
		char key[32];
		for (char side = 'a'; side <= 'b'; side++) {
			snprintf(key, sizeof key, "%c_%s", side, side_filters[i]);
			const char *v = vx_params_get(&rq->query, key);
			if (v && *v)
				return 1;
		}
	}
	return 0;
}

/* Both notes of the comparison and their comparison. Returns 0, or 1
 * after answering the error; VX_ENOMEM. */
static int compare_notes(vx_rq *rq, vx_comparison **cmp)
{
	vx_cache_entry *a = NULL, *b = NULL;
	int hit = 0, rc;
	*cmp = NULL;
	if ((rc = vx_note_for_prefix(rq, "a_", &a, &hit)) != 0 || (rc = vx_note_for_prefix(rq, "b_", &b, &hit)) != 0)
		return rc;
	return vx_note_compare(cmp, a->note, b->note);
}

/* "depuis le 2024-01-01, service CAF" for side, "" for all. */
static int put_side(vx_rq *rq, vx_buf *b, char side)
{
	static const char *const words[] = {"depuis le", "jusqu'au", "service",    "structure",
	                                    "canal",     "ressenti", "département"};
	int rc = 0, any = 0;
	for (size_t i = 0; i < N_SIDE_FILTERS && rc == 0; i++) {
		const char *v = side_value(rq, side, side_filters[i]);
		if (v == NULL || *v == '\0')
			continue;
		vx_feeling f;
		if (strcmp(side_filters[i], "feeling") == 0 && vx_feeling_from_name(&f, v) == 0)
			v = vx_feeling_name(f);
		rc = vx_buf_printf(b, "%s%s ", any++ ? ", " : "", words[i]);
		OK_OR(rc, vx_html_puts(b, v));
	}
	if (rc == 0 && !any)
		rc = vx_buf_puts(b, "toutes les expériences");
	return rc;
}

static int compare_form(vx_rq *rq)
{
	static const struct {
		const char *name, *label, *type;
	} fields[] = {{"since", "Depuis le", "date"},       {"until", "Jusqu'au", "date"},
	              {"service", "Type de service", "text"}, {"structure", "Structure", "text"},
	              {"channel", "Canal", "text"},           {"feeling", "Ressenti", "select"},
	              {"department", "Département", "text"}};
	int rc = vx_buf_puts(out(rq), "<form method=\"get\" action=\"/compare\">\n");
	for (char side = 'a'; side <= 'b' && rc == 0; side++) {
		rc = vx_buf_printf(out(rq), "<fieldset class=\"filters\"><legend>%s</legend>\n",
		                   side == 'a' ? "A : la référence (période ou segment)" : "B : ce qui lui est comparé");
		for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == 0; i++) {
			char key[32];
			snprintf(key, sizeof key, "%c_%s", side, fields[i].name);
			const char *v = vx_params_get(&rq->query, key);
			if (strcmp(fields[i].type, "select") == 0) {
				char label[64];
				snprintf(label, sizeof label, "%s (%c)", fields[i].label, side - 'a' + 'A');
				char id[40];
				snprintf(id, sizeof id, "f-%s", key);
				rc = vx_feeling_select(out(rq), id, key, label, v);
				continue;
			}
			rc = vx_buf_printf(out(rq),
			                   "<div><label for=\"f-%s\">%s (%c)</label><input id=\"f-%s\" name=\"%s\" type=\"%s\" "
			                   "value=\"",
			                   key, fields[i].label, side - 'a' + 'A', key, key, fields[i].type);
			OK_OR(rc, vx_html_puts(out(rq), v ? v : ""));
			OK_OR(rc, vx_buf_puts(out(rq), "\"></div>\n"));
		}
		OK_OR(rc, vx_buf_puts(out(rq), "</fieldset>\n"));
	}
	const char *topics = vx_params_get(&rq->query, "topics");
	OK_OR(rc, vx_buf_puts(out(rq), "<div><label for=\"f-topics\">Nombre de sujets (les deux)</label><input "
	                              "id=\"f-topics\" name=\"topics\" type=\"number\" min=\"1\" max=\"20\" value=\""));
	OK_OR(rc, vx_html_puts(out(rq), topics ? topics : ""));
	OK_OR(rc, vx_buf_puts(out(rq), "\"></div>\n<p><button type=\"submit\">Comparer</button></p>\n</form>\n"));
	return rc;
}

static const char *change_word(const vx_compare_topic *t)
{
	if (!t->in_b)
		return "seulement dans A";
	if (!t->in_a)
		return "seulement dans B";
	return t->points >= 0.05 ? "en hausse" : t->points <= -0.05 ? "en baisse" : "stable";
}

static int compare_tables(vx_rq *rq, const vx_comparison *c)
{
	vx_buf *b = out(rq);
	int rc = vx_buf_puts(b, "<p id=\"cote-a\"><strong>A</strong> : ");
	OK_OR(rc, put_side(rq, b, 'a'));
	OK_OR(rc, vx_buf_printf(b, " (%zu expériences analysées).</p>\n<p id=\"cote-b\"><strong>B</strong> : ",
	                        c->analysed_a));
	OK_OR(rc, put_side(rq, b, 'b'));
	OK_OR(rc, vx_buf_printf(b, " (%zu expériences analysées).</p>\n", c->analysed_b));
	/* What rose and fell, in words, before the tables. */
	for (int rose = 1; rose >= 0 && rc == 0; rose--) {
		size_t n = 0;
		rc = vx_buf_printf(b, "<h2>Sujets en %s</h2>\n<ul id=\"%s\">\n", rose ? "hausse" : "baisse",
		                   rose ? "hausse" : "baisse");
		for (size_t k = 0; k < c->n_both && rc == 0; k++) {
			size_t i = rose ? k : c->n_both - 1 - k;
			const vx_compare_topic *t = &c->topics[i];
			if (rose ? t->points < 0.05 : t->points > -0.05)
				continue;
			n++;
			rc = vx_buf_puts(b, "<li>");
			OK_OR(rc, vx_html_puts(b, t->label));
			OK_OR(rc, vx_buf_puts(b, " : "));
			OK_OR(rc, put_percent(b, t->share_a));
			OK_OR(rc, vx_buf_puts(b, " → "));
			OK_OR(rc, put_percent(b, t->share_b));
			OK_OR(rc, vx_buf_puts(b, " ("));
			OK_OR(rc, put_points(b, t->points));
			OK_OR(rc, vx_buf_puts(b, ")</li>\n"));
		}
		if (rc == 0 && n == 0)
			rc = vx_buf_puts(b, "<li>aucun</li>\n");
		OK_OR(rc, vx_buf_puts(b, "</ul>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "<table id=\"sujets\">\n<caption>Part de chaque sujet parmi les expériences analysées, "
	                         "A puis B, et l'écart en points</caption>\n<thead><tr><th scope=\"col\">Sujet</th>"
	                         "<th scope=\"col\">A</th><th scope=\"col\">B</th><th scope=\"col\">Écart</th>"
	                         "<th scope=\"col\">Évolution</th></tr></thead>\n<tbody>\n"));
	for (size_t i = 0; i < c->n_topics && rc == 0; i++) {
		const vx_compare_topic *t = &c->topics[i];
		rc = vx_buf_puts(b, "<tr><th scope=\"row\">");
		OK_OR(rc, vx_html_puts(b, t->label));
		for (int side = 0; side < 2 && rc == 0; side++) {
			rc = vx_buf_puts(b, side ? "</td><td>" : "</th><td>");
			if (side ? t->in_b : t->in_a) {
				OK_OR(rc, put_percent(b, side ? t->share_b : t->share_a));
				OK_OR(rc, vx_buf_printf(b, " (%zu)", side ? t->count_b : t->count_a));
			} else {
				OK_OR(rc, vx_buf_puts(b, "non montré"));
			}
		}
		OK_OR(rc, vx_buf_puts(b, "</td><td>"));
		if (t->in_a && t->in_b)
			OK_OR(rc, put_points(b, t->points));
		else
			OK_OR(rc, vx_buf_puts(b, "–"));
		OK_OR(rc, vx_buf_printf(b, "</td><td>%s</td></tr>\n", change_word(t)));
	}
	OK_OR(rc, vx_buf_puts(b, "</tbody>\n</table>\n<p class=\"notice\">« Non montré » : le sujet n'est pas parmi "
	                         "les sujets de cette note (il peut exister avec une part plus faible).</p>\n"
	                         "<table id=\"ressentis\">\n<caption>Ressentis parmi les expériences analysées</caption>\n"
	                         "<thead><tr><th scope=\"col\">Ressenti</th><th scope=\"col\">A</th>"
	                         "<th scope=\"col\">B</th><th scope=\"col\">Écart</th></tr></thead>\n<tbody>\n"));
	for (int f = 0; f < VX_FEELING_COUNT && rc == 0; f++) {
		rc = vx_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", vx_feeling_name((vx_feeling)f));
		OK_OR(rc, put_percent(b, c->feelings_a[f]));
		OK_OR(rc, vx_buf_puts(b, "</td><td>"));
		OK_OR(rc, put_percent(b, c->feelings_b[f]));
		OK_OR(rc, vx_buf_puts(b, "</td><td>"));
		OK_OR(rc, put_points(b, c->feelings_points[f]));
		OK_OR(rc, vx_buf_puts(b, "</td></tr>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "</tbody>\n</table>\n"));
	return rc;
}

int vx_page_compare(vx_rq *rq)
{
	vx_comparison *c = NULL;
	int rc = 0;
	if (sides_given(rq) && (rc = compare_notes(rq, &c)) != 0)
		return rc == 1 ? 0 : rc;
	rc = vx_page_begin(rq, "Comparer deux périodes ou deux segments");
	OK_OR(rc, vx_buf_puts(out(rq), "<p>Choisissez ce qui distingue A et B (une période, un type de service, une "
	                              "structure…) ; les champs laissés vides valent pour les deux.</p>\n"));
	OK_OR(rc, compare_form(rq));
	if (c)
		OK_OR(rc, compare_tables(rq, c));
	OK_OR(rc, vx_html_end(out(rq)));
	vx_comparison_free(c);
	return rc;
}

static json_t *side_json(vx_rq *rq, char side, size_t analysed, const double *feelings)
{
	json_t *filters = json_object(), *f = json_object();
	for (size_t i = 0; i < N_SIDE_FILTERS && filters; i++) {
		const char *v = side_value(rq, side, side_filters[i]);
		if (v && *v && json_object_set_new(filters, side_filters[i], json_string(v)) != 0) {
			json_decref(filters);
			filters = NULL;
		}
	}
	for (int k = 0; k < VX_FEELING_COUNT && f; k++)
		if (json_object_set_new(f, vx_feeling_key((vx_feeling)k), json_real(feelings[k])) != 0) {
			json_decref(f);
			f = NULL;
		}
	return json_pack("{s:o,s:I,s:o}", "filters", filters, "analysed", (json_int_t)analysed, "feelings", f);
}

static const char *change_key(const vx_compare_topic *t)
{
	if (!t->in_b)
		return "only_a";
	if (!t->in_a)
		return "only_b";
	return t->points >= 0.05 ? "rose" : t->points <= -0.05 ? "fell" : "same";
}

int vx_api_compare(vx_rq *rq)
{
	vx_comparison *c = NULL;
	int rc = compare_notes(rq, &c);
	if (rc)
		return rc == 1 ? 0 : rc;
	json_t *topics = json_array(), *points = json_object();
	for (size_t i = 0; i < c->n_topics && topics; i++) {
		const vx_compare_topic *t = &c->topics[i];
		json_t *o = json_pack("{s:s,s:s?,s:b,s:b,s:I,s:I,s:f,s:f,s:o,s:s}", "label", t->label, "theme", t->theme,
		                      "in_a", t->in_a, "in_b", t->in_b, "count_a", (json_int_t)t->count_a, "count_b",
		                      (json_int_t)t->count_b, "share_a", t->share_a, "share_b", t->share_b, "points",
		                      t->in_a && t->in_b ? json_real(t->points) : json_null(), "change", change_key(t));
		if (o == NULL || json_array_append_new(topics, o) != 0) {
			json_decref(topics);
			topics = NULL;
		}
	}
	for (int k = 0; k < VX_FEELING_COUNT && points; k++)
		if (json_object_set_new(points, vx_feeling_key((vx_feeling)k), json_real(c->feelings_points[k])) != 0) {
			json_decref(points);
			points = NULL;
		}
	json_t *j = json_pack("{s:o,s:o,s:o,s:o}", "a", side_json(rq, 'a', c->analysed_a, c->feelings_a), "b",
	                      side_json(rq, 'b', c->analysed_b, c->feelings_b), "feelings_points", points, "topics",
	                      topics);
	vx_comparison_free(c);
	return j ? vx_api_send_json(rq, j) : vx_error_set(VX_ENOMEM, "out of memory writing a comparison");
}

/* The trends of the note of the query's filters. Returns 0, or 1 after
 * answering the error; VX_ENOMEM. */
static int trends_of(vx_rq *rq, vx_trends **tr)
{
	vx_cache_entry *e = NULL;
	int hit = 0, rc = vx_note_for(rq, &e, &hit);
	*tr = NULL;
	if (rc)
		return rc;
	rc = vx_note_trends(tr, e->note, vx_analysis_corpus(e->loaded->analysis));
	if (rc == VX_EEMPTY)
		return vx_fail(rq, 422, vx_error_last()) ? VX_ENOMEM : 1;
	return rc;
}

/* The chart's size and margins, in SVG user units. */
#define CHART_W 720
#define CHART_H 320
#define CHART_LEFT 56
#define CHART_RIGHT 16
#define CHART_TOP 16
#define CHART_BOTTOM 48
/* Line colours (contrast 4.5:1 at least on white) and dash patterns, so
 * that no line is told apart by its colour alone. */
static const char *const line_colours[] = {"#1f4e99", "#b3261e", "#1b6b3a", "#7a4b00", "#6a1b9a", "#00616e"};
static const char *const line_dashes[] = {"", "8 4", "2 3", "10 3 2 3", "4 4", "1 6"};
#define N_LINE_STYLES (sizeof line_colours / sizeof line_colours[0])

static int trends_chart(vx_buf *b, const vx_trends *tr)
{
	double top = 0.0;
	for (size_t t = 0; t < tr->n_topics; t++)
		for (size_t m = 0; m < tr->n_months; m++)
			if (vx_trends_share(tr, t, m) > top)
				top = vx_trends_share(tr, t, m);
	/* The axis goes to the next 10 %, at least 10 %. */
	top = ceil(top * 10.0 - 1e-9) / 10.0;
	if (top < 0.1)
		top = 0.1;
	double w = CHART_W - CHART_LEFT - CHART_RIGHT, h = CHART_H - CHART_TOP - CHART_BOTTOM;
	double step = tr->n_months > 1 ? w / (double)(tr->n_months - 1) : 0.0;
	int rc = vx_buf_printf(b, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
	                          "aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">Part des sujets "
	                          "mois par mois</title>\n<desc id=\"chart-desc\">Une ligne par sujet, de %s à %s ; "
	                          "les valeurs sont dans le tableau qui suit.</desc>\n",
	                       CHART_W, CHART_H, tr->months[0], tr->months[tr->n_months - 1]);
	for (int k = 0; k <= 4 && rc == 0; k++) {
		double y = CHART_TOP + h - h * k / 4.0;
		rc = vx_buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d0d0\"/>"
		                      "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">",
		                   CHART_LEFT, CHART_W - CHART_RIGHT, y, y, CHART_LEFT - 6, y + 4);
		OK_OR(rc, put_percent(b, top * k / 4.0));
		OK_OR(rc, vx_buf_puts(b, "</text>\n"));
	}
	/* At most 12 month labels along the axis. */
	size_t every = tr->n_months > 12 ? (tr->n_months + 11) / 12 : 1;
	for (size_t m = 0; m < tr->n_months && rc == 0; m += every)
		rc = vx_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>\n",
		                   CHART_LEFT + step * (double)m, CHART_H - CHART_BOTTOM + 18, tr->months[m]);
	for (size_t t = 0; t < tr->n_topics && rc == 0; t++) {
		rc = vx_buf_printf(b, "<polyline fill=\"none\" stroke-width=\"2.5\" stroke=\"%s\" stroke-dasharray=\"%s\" "
		                      "points=\"",
		                   line_colours[t % N_LINE_STYLES], line_dashes[t % N_LINE_STYLES]);
		for (size_t m = 0; m < tr->n_months && rc == 0; m++)
			rc = vx_buf_printf(b, "%s%.1f,%.1f", m ? " " : "", CHART_LEFT + step * (double)m,
			                   CHART_TOP + h - h * vx_trends_share(tr, t, m) / top);
		OK_OR(rc, vx_buf_puts(b, "\"/>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "</svg>\n<figcaption><ul class=\"legend\">\n"));
	for (size_t t = 0; t < tr->n_topics && rc == 0; t++) {
		rc = vx_buf_printf(b, "<li><svg width=\"36\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" x2=\"36\" "
		                      "y1=\"5\" y2=\"5\" stroke-width=\"2.5\" stroke=\"%s\" stroke-dasharray=\"%s\"/></svg> ",
		                   line_colours[t % N_LINE_STYLES], line_dashes[t % N_LINE_STYLES]);
		OK_OR(rc, vx_html_puts(b, tr->labels[t]));
		OK_OR(rc, vx_buf_puts(b, "</li>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "</ul></figcaption>\n</figure>\n"));
	return rc;
}

static int trends_table(vx_buf *b, const vx_trends *tr)
{
	int rc = vx_buf_puts(b, "<table id=\"evolution\">\n<caption>Part de chaque sujet parmi les expériences du mois "
	                        "(nombre d'expériences du sujet entre parenthèses)</caption>\n<thead><tr>"
	                        "<th scope=\"col\">Mois</th><th scope=\"col\">Expériences</th>");
	for (size_t t = 0; t < tr->n_topics && rc == 0; t++) {
		rc = vx_buf_puts(b, "<th scope=\"col\">");
		OK_OR(rc, vx_html_puts(b, tr->labels[t]));
		OK_OR(rc, vx_buf_puts(b, "</th>"));
	}
	OK_OR(rc, vx_buf_puts(b, "</tr></thead>\n<tbody>\n"));
	for (size_t m = 0; m < tr->n_months && rc == 0; m++) {
		rc = vx_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>%zu</td>", tr->months[m], tr->totals[m]);
		for (size_t t = 0; t < tr->n_topics && rc == 0; t++) {
			rc = vx_buf_puts(b, "<td>");
			OK_OR(rc, put_percent(b, vx_trends_share(tr, t, m)));
			OK_OR(rc, vx_buf_printf(b, " (%zu)</td>", tr->counts[t * tr->n_months + m]));
		}
		OK_OR(rc, vx_buf_puts(b, "</tr>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "</tbody>\n</table>\n"));
	if (rc == 0 && tr->undated)
		rc = vx_buf_printf(b, "<p class=\"notice\">%zu expériences des sujets sans date ne sont pas comptées ici.</p>\n",
		                   tr->undated);
	return rc;
}

int vx_page_trends(vx_rq *rq)
{
	vx_trends *tr = NULL;
	int rc = trends_of(rq, &tr);
	if (rc)
		return rc == 1 ? 0 : rc;
	rc = vx_page_begin(rq, "Évolution des sujets mois par mois");
	OK_OR(rc, vx_buf_puts(out(rq), "<p>Les sujets de la note (mêmes filtres que la note : <a href=\"/note\">choisir "
	                              "les filtres</a>), comptés mois par mois.</p>\n"));
	OK_OR(rc, trends_chart(out(rq), tr));
	OK_OR(rc, trends_table(out(rq), tr));
	OK_OR(rc, vx_html_end(out(rq)));
	vx_trends_free(tr);
	return rc;
}

/* An array of n numbers, counts or shares. */
static json_t *numbers(const size_t *counts, const vx_trends *tr, size_t t, size_t n)
{
	json_t *a = json_array();
	for (size_t m = 0; m < n && a; m++)
		if (json_array_append_new(a, counts ? json_integer((json_int_t)counts[m]) : json_real(vx_trends_share(tr, t, m))) != 0) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

int vx_api_trends(vx_rq *rq)
{
	vx_trends *tr = NULL;
	int rc = trends_of(rq, &tr);
	if (rc)
		return rc == 1 ? 0 : rc;
	json_t *months = json_array(), *topics = json_array();
	for (size_t m = 0; m < tr->n_months && months; m++)
		if (json_array_append_new(months, json_string(tr->months[m])) != 0) {
			json_decref(months);
			months = NULL;
		}
	for (size_t t = 0; t < tr->n_topics && topics; t++) {
		json_t *o = json_pack("{s:s,s:o,s:o}", "label", tr->labels[t], "counts",
		                      numbers(tr->counts + t * tr->n_months, tr, t, tr->n_months), "shares",
		                      numbers(NULL, tr, t, tr->n_months));
		if (o == NULL || json_array_append_new(topics, o) != 0) {
			json_decref(topics);
			topics = NULL;
		}
	}
	json_t *j = json_pack("{s:o,s:o,s:o,s:I}", "months", months, "totals", numbers(tr->totals, tr, 0, tr->n_months),
	                      "topics", topics, "undated", (json_int_t)tr->undated);
	vx_trends_free(tr);
	return j ? vx_api_send_json(rq, j) : vx_error_set(VX_ENOMEM, "out of memory writing trends");
}
