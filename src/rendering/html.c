/*
 * The note as one self-contained, accessible HTML file: inline CSS, no
 * script, no external resource; every chart is an inline SVG image with a
 * title and a description, next to a table holding the same numbers.
 * Printable on A4. See docs/rendering.md.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rendering/render.h"
#include "voix/error.h"
#include "voix/note.h"

/* Chart geometry, in SVG user units (one unit is one CSS pixel at 100 %). */
#define CHART_WIDTH 640
#define CHART_BAR_MAX 440   /* the longest bar; the rest holds its value */
#define CHART_ROW 40        /* label line + bar */
#define CHART_BAR_HEIGHT 14
#define CHART_PAD 6
#define CHART_LABEL_MAX 70  /* code points of a label drawn in a chart; the table has it whole */

/* Colours: each has a contrast ratio of at least 4.5:1 against white, and
 * every bar carries its label and value in text, so none relies on colour. */
#define COLOUR_TOPIC "#000091"
static const char *const feeling_colours[VX_FEELING_COUNT] = {
	[VX_FEELING_UNKNOWN] = "#666666",
	[VX_FEELING_POSITIVE] = "#18753c",
	[VX_FEELING_NEUTRAL] = "#53657d",
	[VX_FEELING_NEGATIVE] = "#ce0500",
};

static const char css[] =
	":root{color-scheme:light}\n"
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
	"color:#1e1e1e;background:#fff;line-height:1.5;margin:0 auto;max-width:60rem;padding:1.5rem}\n"
	"h1{font-size:1.8rem;line-height:1.2;margin:0 0 .5rem}\n"
	"h2{font-size:1.4rem;border-bottom:2px solid #000091;padding-bottom:.2rem;margin:2.5rem 0 1rem}\n"
	"h3{font-size:1.15rem;margin:2rem 0 .5rem}\n"
	"h4{font-size:1rem;margin:1rem 0 .5rem}\n"
	"a{color:#000091}\n"
	"nav ol{padding-left:1.5rem}\n"
	"dl.facts{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.2rem 1rem;margin:.5rem 0}\n"
	"dl.facts dt{font-weight:600}\n"
	"dl.facts dd{margin:0}\n"
	"table{border-collapse:collapse;margin:.5rem 0;font-size:.95rem}\n"
	"th,td{border:1px solid #929292;padding:.2rem .6rem;text-align:left;vertical-align:top}\n"
	"thead th{background:#eee}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"code{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:.85em;word-break:break-all}\n"
	"figure{margin:1rem 0}\n"
	"figure.chart>figcaption{font-weight:600;margin-bottom:.3rem}\n"
	".chart-body{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}\n"
	".chart-body svg{max-width:100%;height:auto}\n"
	"svg text{font-family:system-ui,sans-serif;font-size:13px;fill:#1e1e1e}\n"
	"figure.verbatim{border-left:4px solid #000091;background:#f6f6f6;padding:.4rem 1rem}\n"
	"figure.verbatim blockquote{margin:0}\n"
	"figure.verbatim blockquote p{margin:.2rem 0}\n"
	"figure.verbatim figcaption{font-size:.9rem;color:#3a3a3a}\n"
	".notice{border:1px solid #929292;padding:.5rem 1rem}\n"
	"@page{size:A4;margin:18mm 15mm}\n"
	"@media print{"
	"body{max-width:none;padding:0;font-size:10.5pt}"
	"nav{display:none}"
	"section.major+section.major{break-before:page}"
	"article,figure,table,dl{break-inside:avoid}"
	"h2,h3,h4{break-after:avoid}"
	"a{color:inherit;text-decoration:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"}\n";

/* Appends s[0..len) as HTML text: & < > " ' as references, control
 * characters as spaces, bidirectional controls dropped, invalid UTF-8 as
 * U+FFFD. Newlines become spaces (callers that keep lines split first). */
static int html_escape(vx_buf *b, const char *s, size_t len)
{
	int rc = 0;
	size_t i = 0;
	while (rc == 0 && i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			switch (c) {
			case '&': rc = vx_buf_puts(b, "&amp;"); break;
			case '<': rc = vx_buf_puts(b, "&lt;"); break;
			case '>': rc = vx_buf_puts(b, "&gt;"); break;
			case '"': rc = vx_buf_puts(b, "&quot;"); break;
			case '\'': rc = vx_buf_puts(b, "&#39;"); break;
			default: rc = vx_buf_putc(b, c < 0x20 || c == 0x7F ? ' ' : (char)c); break;
			}
			continue;
		}
		int32_t cp = vx_render_next_cp(s, len, &i);
		if (vx_render_is_bidi_control(cp))
			continue;
		if (cp < 0xA0)
			cp = ' '; /* C1 controls are not allowed in HTML text */
		rc = vx_render_put_cp(b, cp);
	}
	return rc;
}

static void h_text(vx_render_out *o, const char *s)
{
	s = vx_render_str(s);
	VX_OUT(o, html_escape(&o->buf, s, strlen(s)));
}

/* At most max code points of s, escaped, with "…" when cut. */
static void h_text_cut(vx_render_out *o, const char *s, size_t max)
{
	s = vx_render_str(s);
	size_t len = strlen(s), i = 0, cps = 0;
	while (i < len && cps < max) {
		vx_render_next_cp(s, len, &i);
		cps++;
	}
	VX_OUT(o, html_escape(&o->buf, s, i));
	if (i < len)
		vx_render_puts(o, "…");
}

/* A topic label, first letter upper-cased; cut to max code points when max > 0. */
static void h_label(vx_render_out *o, const char *label, size_t max)
{
	vx_buf tmp = VX_BUF_INIT;
	VX_OUT(o, vx_render_capitalised(&tmp, label));
	if (o->rc == 0) {
		if (max > 0)
			h_text_cut(o, tmp.data, max);
		else
			h_text(o, tmp.data);
	}
	vx_buf_free(&tmp);
}

static void h_date(vx_render_out *o, const char *iso)
{
	vx_render_puts(o, "<time datetime=\"");
	h_text(o, iso);
	vx_render_puts(o, "\">");
	VX_OUT(o, vx_render_date(&o->buf, iso));
	vx_render_puts(o, "</time>");
}

/* User text for the shared writers of render.c. */
static const vx_render_writer h_writer = {h_text, h_date};

/* A verbatim's text as paragraphs: blank lines separate paragraphs, single
 * line breaks are kept as <br>. */
static void h_paragraphs(vx_render_out *o, const char *s)
{
	s = vx_render_str(s);
	size_t len = strlen(s), i = 0, start, end;
	int open = 0, pending_break = 0, blank_run = 0;
	while (o->rc == 0 && vx_render_next_line(s, len, &i, &start, &end)) {
		while (start < end && vx_render_is_trim_byte((unsigned char)s[start]))
			start++;
		while (end > start && vx_render_is_trim_byte((unsigned char)s[end - 1]))
			end--;
		if (start == end) {
			blank_run = open;
			continue;
		}
		if (open && blank_run) {
			vx_render_puts(o, "</p>");
			open = 0;
		}
		if (!open) {
			vx_render_puts(o, "<p>");
			open = 1;
		} else if (pending_break) {
			vx_render_puts(o, "<br>");
		}
		VX_OUT(o, html_escape(&o->buf, s + start, end - start));
		pending_break = 1;
		blank_run = 0;
	}
	if (open)
		vx_render_puts(o, "</p>");
	else
		vx_render_puts(o, "<p>(extrait vide)</p>");
}

/* One bar of a chart: a label (user text, escaped), a value and the
 * denominator its percentage is computed on. */
typedef struct bar {
	const char *prefix;  /* plain text before the label ("1. "), or NULL */
	const char *label;
	size_t value, den;
	const char *colour;
} bar;

/*
 * A horizontal bar chart: <figure> with a caption, an SVG image (role img,
 * <title>, <desc>) and a table of the same numbers. Bars are scaled to the
 * largest percentage of the chart; each shows its label and value as text.
 * id must be unique in the document; caption and head are plain text.
 */
static void h_chart(vx_render_out *o, const char *id, const char *caption, const char *head, const bar *bars,
                    size_t n)
{
	long long max = 0;
	for (size_t i = 0; i < n; i++) {
		long long p = vx_render_pct_tenths(bars[i].value, bars[i].den);
		if (p > max)
			max = p;
	}
	size_t height = n * CHART_ROW + 2 * CHART_PAD;
	vx_render_printf(o, "<figure class=\"chart\" id=\"%s\">\n<figcaption>%s</figcaption>\n<div class=\"chart-body\">\n",
	                 id, caption);
	vx_render_printf(o,
	                 "<svg role=\"img\" aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\" "
	                 "width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">\n<title id=\"%s-t\">%s</title>\n"
	                 "<desc id=\"%s-d\">",
	                 id, id, CHART_WIDTH, height, CHART_WIDTH, height, id, caption, id);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		vx_render_puts(o, vx_render_str(bars[i].prefix));
		h_label(o, bars[i].label, 0);
		vx_render_puts(o, VX_RENDER_NBSP ": ");
		vx_render_put_count(o, bars[i].value);
		vx_render_puts(o, " sur ");
		vx_render_put_count(o, bars[i].den);
		vx_render_puts(o, " (");
		vx_render_put_pct(o, bars[i].value, bars[i].den);
		vx_render_puts(o, ")");
	}
	vx_render_puts(o, "</desc>\n");
	for (size_t i = 0; i < n; i++) {
		size_t y = CHART_PAD + i * CHART_ROW;
		long long p = vx_render_pct_tenths(bars[i].value, bars[i].den);
		/* Width in tenths of a unit; a non-zero value stays visible. p is at
		 * most max; a percentage too large for the integer product (a count
		 * far above its denominator: only a hand-written note has one) is
		 * scaled in long double. */
		long long w = max <= 0                                 ? 0
		              : p <= LLONG_MAX / (CHART_BAR_MAX * 10) ? (p * CHART_BAR_MAX * 10 + max / 2) / max
		                                                      : (long long)((long double)p * (CHART_BAR_MAX * 10) /
		                                                                        (long double)max +
		                                                                    0.5L);
		if (bars[i].value > 0 && w < 10)
			w = 10;
		vx_render_printf(o, "<text x=\"0\" y=\"%zu\">", y + 13);
		vx_render_puts(o, vx_render_str(bars[i].prefix));
		h_label(o, bars[i].label, CHART_LABEL_MAX);
		vx_render_printf(o,
		                 "</text>\n<rect x=\"0\" y=\"%zu\" width=\"%lld.%lld\" height=\"%d\" fill=\"%s\"/>\n"
		                 "<text x=\"%lld.%lld\" y=\"%zu\">",
		                 y + 18, w / 10, w % 10, CHART_BAR_HEIGHT, bars[i].colour, (w + 60) / 10, (w + 60) % 10,
		                 y + 30);
		vx_render_put_count(o, bars[i].value);
		vx_render_puts(o, " (");
		vx_render_put_pct(o, bars[i].value, bars[i].den);
		vx_render_puts(o, ")</text>\n");
	}
	vx_render_printf(o, "</svg>\n<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
	                    "Expériences</th><th scope=\"col\" class=\"num\">Sur</th><th scope=\"col\" class=\"num\">"
	                    "Part</th></tr></thead>\n<tbody>\n",
	                 head);
	for (size_t i = 0; i < n; i++) {
		vx_render_puts(o, "<tr><th scope=\"row\">");
		vx_render_puts(o, vx_render_str(bars[i].prefix));
		h_label(o, bars[i].label, 0);
		vx_render_puts(o, "</th><td class=\"num\">");
		vx_render_put_count(o, bars[i].value);
		vx_render_puts(o, "</td><td class=\"num\">");
		vx_render_put_count(o, bars[i].den);
		vx_render_puts(o, "</td><td class=\"num\">");
		vx_render_put_pct(o, bars[i].value, bars[i].den);
		vx_render_puts(o, "</td></tr>\n");
	}
	vx_render_puts(o, "</tbody>\n</table>\n</div>\n</figure>\n");
}

static void h_feelings_chart(vx_render_out *o, const char *id, const char *caption, const vx_feelings *f)
{
	size_t total = vx_render_feelings_total(f);
	bar bars[VX_FEELING_COUNT];
	for (size_t i = 0; i < VX_FEELING_COUNT; i++) {
		vx_feeling fe = vx_render_feeling_at(i);
		bars[i] = (bar){NULL, vx_feeling_name(fe), f->n[fe], total, feeling_colours[fe]};
	}
	h_chart(o, id, caption, "Ressenti", bars, VX_FEELING_COUNT);
}

static void fact_open(vx_render_out *o, const char *term)
{
	vx_render_printf(o, "<dt>%s</dt><dd>", term);
}

static void h_facets(vx_render_out *o, const char *term, const vx_facet_count *v, size_t n)
{
	fact_open(o, term);
	vx_render_facets(o, &h_writer, v, n);
	vx_render_puts(o, "</dd>\n");
}

static void h_terms(vx_render_out *o, const vx_topic *t)
{
	fact_open(o, "Termes clés");
	vx_render_text_list(o, &h_writer, t->terms, t->n_terms, "aucun");
	vx_render_puts(o, "</dd>\n");
}

static void h_share(vx_render_out *o, const vx_topic *t)
{
	fact_open(o, "Fréquence");
	VX_OUT(o, vx_render_share_sentence(&o->buf, t->count, t->denominator, t->share));
	vx_render_puts(o, "</dd>\n");
}

static void h_verbatims(vx_render_out *o, const vx_topic *t)
{
	vx_render_puts(o, "<h4>Verbatims</h4>\n");
	if (t->verbatims_withheld) {
		vx_render_puts(o, "<p class=\"notice\">" VX_RENDER_VERBATIMS_WITHHELD "</p>\n");
		return;
	}
	if (t->n_verbatims == 0) {
		vx_render_puts(o, "<p>Aucun verbatim retenu pour ce sujet.</p>\n");
		return;
	}
	for (size_t i = 0; i < t->n_verbatims; i++) {
		const vx_verbatim *v = &t->verbatims[i];
		vx_render_puts(o, "<figure class=\"verbatim\">\n<blockquote>");
		h_paragraphs(o, v->text);
		vx_render_puts(o, "</blockquote>\n<figcaption>Expérience <code>");
		h_text(o, v->experience_id);
		vx_render_puts(o, "</code>");
		vx_render_verbatim_details(o, &h_writer, v);
		vx_render_puts(o, "</figcaption>\n</figure>\n");
	}
}

static void h_strength(vx_render_out *o, size_t index, const vx_topic *t)
{
	vx_render_printf(o, "<article class=\"topic\" id=\"fort-%zu\">\n<h3>", index + 1);
	h_label(o, t->label, 0);
	vx_render_puts(o, "</h3>\n<dl class=\"facts\">\n");
	h_share(o, t);
	h_terms(o, t);
	fact_open(o, "Origine");
	vx_render_puts(o, vx_render_origin(t));
	vx_render_puts(o, "</dd>\n");
	vx_render_puts(o, "</dl>\n");
	h_verbatims(o, t);
	vx_render_puts(o, "</article>\n");
}

static void h_topic(vx_render_out *o, size_t index, const vx_topic *t)
{
	vx_render_printf(o, "<article class=\"topic\" id=\"sujet-%zu\">\n<h3>%d. ", index + 1, t->id);
	h_label(o, t->label, 0);
	vx_render_puts(o, "</h3>\n<dl class=\"facts\">\n");
	h_terms(o, t);
	h_share(o, t);
	fact_open(o, "Origine");
	vx_render_puts(o, vx_render_origin(t));
	vx_render_puts(o, "</dd>\n");
	h_facets(o, "Canaux principaux", t->channels, t->n_channels);
	h_facets(o, "Types de service", t->services, t->n_services);
	h_facets(o, "Structures", t->structures, t->n_structures);
	fact_open(o, "Dimensions DITP jugées négatives");
	vx_render_negative_dims(o, t);
	vx_render_puts(o, "</dd>\n");
	if (t->has_trend) {
		fact_open(o, "Évolution");
		VX_OUT(o, vx_render_trend_sentence(&o->buf, t));
		vx_render_puts(o, "</dd>\n");
	}
	vx_render_puts(o, "</dl>\n");

	char id[48];
	vx_buf cap = VX_BUF_INIT;
	snprintf(id, sizeof id, "sujet-%zu-ressentis", index + 1);
	VX_OUT(o, vx_buf_printf(&cap, "Ressentis des expériences du sujet %d (sur ", t->id));
	VX_OUT(o, vx_render_count(&cap, vx_render_feelings_total(&t->feelings)));
	if (vx_render_feelings_read(&t->feelings) > 0) {
		VX_OUT(o, vx_buf_puts(&cap, ", dont "));
		VX_OUT(o, vx_render_count(&cap, vx_render_feelings_read(&t->feelings)));
		VX_OUT(o, vx_buf_puts(&cap, " lus dans le texte"));
	}
	VX_OUT(o, vx_buf_puts(&cap, ")"));
	if (o->rc == 0)
		h_feelings_chart(o, id, cap.data, &t->feelings);
	vx_buf_free(&cap);
	h_verbatims(o, t);
	vx_render_puts(o, "</article>\n");
}

static void h_filters(vx_render_out *o, const vx_filter *f)
{
	fact_open(o, "Filtres");
	vx_render_filters(o, &h_writer, f);
	vx_render_puts(o, "</dd>\n");
}

static void h_section_open(vx_render_out *o, const char *id, const char *title)
{
	vx_render_printf(o, "<section class=\"major\" id=\"%s\" aria-labelledby=\"%s-titre\">\n<h2 id=\"%s-titre\">%s"
	                    "</h2>\n",
	                 id, id, id, title);
}

static void h_scope(vx_render_out *o, const vx_note *n)
{
	h_section_open(o, "perimetre", VX_RENDER_SEC_SCOPE);
	vx_render_puts(o, "<dl class=\"facts\">\n");
	fact_open(o, "Sources");
	if (n->n_sources == 0)
		vx_render_puts(o, "aucune");
	else
		vx_render_puts(o, "<ul>\n");
	for (size_t i = 0; i < n->n_sources; i++) {
		const vx_source *s = &n->sources[i];
		vx_render_puts(o, "<li><code>");
		h_text(o, s->path);
		vx_render_puts(o, "</code> (");
		vx_render_source_details(o, &h_writer, s);
		vx_render_puts(o, ")<br>SHA-256" VX_RENDER_NBSP ": <code>");
		h_text(o, s->sha256);
		vx_render_puts(o, "</code></li>\n");
	}
	if (n->n_sources > 0)
		vx_render_puts(o, "</ul>");
	vx_render_puts(o, "</dd>\n");
	h_filters(o, &n->filter);
	fact_open(o, "Période couverte");
	VX_OUT(o, vx_render_period_sentence(&o->buf, n));
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Expériences lues");
	vx_render_put_count(o, n->read);
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Expériences analysées");
	vx_render_put_count(o, n->analysed);
	vx_render_puts(o, "</dd>\n");
	size_t excluded = vx_render_excluded_total(n);
	fact_open(o, "Expériences écartées");
	if (excluded == 0) {
		vx_render_puts(o, "aucune");
	} else {
		vx_render_put_count(o, excluded);
		vx_render_puts(o, "<ul>\n");
		for (size_t i = 0; i < n->n_excluded; i++) {
			vx_render_puts(o, "<li>");
			h_text(o, n->excluded[i].reason);
			vx_render_puts(o, VX_RENDER_NBSP ": ");
			vx_render_put_count(o, n->excluded[i].count);
			vx_render_puts(o, "</li>\n");
		}
		vx_render_puts(o, "</ul>");
	}
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Quasi-doublons regroupés");
	vx_render_put_count(o, n->duplicates);
	if (n->duplicates > 0)
		vx_render_puts(o, " (chacun compté une seule fois)");
	vx_render_puts(o, "</dd>\n</dl>\n");

	size_t total = vx_render_feelings_total(&n->feelings);
	if (total == 0) {
		vx_render_puts(o, "<p>Ressentis" VX_RENDER_NBSP ": aucun ressenti renseigné.</p>\n");
	} else {
		vx_buf cap = VX_BUF_INIT;
		VX_OUT(o, vx_render_feelings_caption(&cap, n, total));
		if (o->rc == 0)
			h_feelings_chart(o, "ressentis", cap.data, &n->feelings);
		vx_buf_free(&cap);
		if (vx_render_feelings_read(&n->feelings) > 0 || n->feelings_checked > 0) {
			vx_render_puts(o, "<p>");
			VX_OUT(o, vx_render_feelings_origin(&o->buf, n));
			vx_render_puts(o, "</p>\n");
		}
	}
	vx_render_puts(o, "</section>\n");
}

static void h_topics(vx_render_out *o, const vx_note *n)
{
	vx_buf title = VX_BUF_INIT;
	VX_OUT(o, vx_render_topics_title(&title, n->n_topics));
	if (o->rc == 0)
		h_section_open(o, "sujets", title.data);
	vx_buf_free(&title);
	if (n->n_topics == 0) {
		vx_render_puts(o, "<p>Aucun sujet n’a pu être dégagé de ces expériences.</p>\n</section>\n");
		return;
	}
	bar *bars = calloc(n->n_topics, sizeof *bars);
	char(*prefixes)[24] = calloc(n->n_topics, sizeof *prefixes);
	if (bars == NULL || prefixes == NULL) {
		if (o->rc == 0)
			o->rc = vx_error_set(VX_ENOMEM, "out of memory rendering the topics chart");
	} else {
		for (size_t i = 0; i < n->n_topics; i++) {
			const vx_topic *t = &n->topics[i];
			snprintf(prefixes[i], sizeof prefixes[i], "%d. ", t->id);
			bars[i] = (bar){prefixes[i], t->label, t->count, t->denominator, COLOUR_TOPIC};
		}
		h_chart(o, "parts-sujets", "Part des expériences analysées qui relèvent de chaque sujet", "Sujet", bars,
		        n->n_topics);
	}
	free(bars);
	free(prefixes);
	for (size_t i = 0; i < n->n_topics; i++) {
		if (n->topics[i].has_trend && vx_render_has_trend_windows(n)) {
			vx_render_puts(o, "<p>");
			VX_OUT(o, vx_render_trend_windows_sentence(&o->buf, n));
			vx_render_puts(o, "</p>\n");
			break;
		}
	}
	for (size_t i = 0; i < n->n_topics; i++)
		h_topic(o, i, &n->topics[i]);
	vx_render_puts(o, "</section>\n");
}

static void h_axis(vx_render_out *o, const vx_note *n, size_t index, const vx_axis *a)
{
	vx_render_printf(o, "<article class=\"axis\" id=\"axe-%zu\">\n<h3>Axe %zu" VX_RENDER_NBSP ": ", index + 1,
	                 index + 1);
	h_text(o, vx_render_axis_title(a));
	vx_render_puts(o, "</h3>\n<p>");
	h_text(o, a->text);
	vx_render_puts(o, "</p>\n<dl class=\"facts\">\n");
	fact_open(o, "Sujets liés");
	if (a->n_topics == 0)
		vx_render_puts(o, "aucun");
	for (size_t i = 0; i < a->n_topics; i++) {
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		const vx_topic *t = vx_render_topic_by_id(n, a->topics[i]);
		if (t != NULL) {
			vx_render_printf(o, "<a href=\"#sujet-%zu\">%d. ", (size_t)(t - n->topics) + 1, a->topics[i]);
			h_label(o, t->label, 0);
			vx_render_puts(o, "</a>");
		} else {
			vx_render_printf(o, "%d. (sujet non présenté)", a->topics[i]);
		}
	}
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Dimensions DITP");
	vx_render_axis_dimensions(o, a);
	vx_render_puts(o, "</dd>\n");
	if (a->n_signals > 0) {
		fact_open(o, "Mots relevés dans les expériences");
		vx_render_text_list(o, &h_writer, a->signals, a->n_signals, "");
		vx_render_puts(o, "</dd>\n");
	}
	fact_open(o, "Appuyé par");
	vx_render_evidence(o, a);
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Exemples d’expériences");
	if (a->n_experience_ids == 0)
		vx_render_puts(o, "aucun");
	for (size_t i = 0; i < a->n_experience_ids; i++) {
		vx_render_puts(o, i > 0 ? ", <code>" : "<code>");
		h_text(o, a->experience_ids[i]);
		vx_render_puts(o, "</code>");
	}
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Règle de sélection");
	h_text(o, a->rule);
	vx_render_puts(o, "</dd>\n</dl>\n</article>\n");
}

static void h_list(vx_render_out *o, const char *title, const char **items, size_t n, int ordered)
{
	if (n == 0)
		return;
	vx_render_printf(o, "<h3>%s</h3>\n<%s>\n", title, ordered ? "ol" : "ul");
	for (size_t i = 0; i < n; i++) {
		vx_render_puts(o, "<li>");
		h_text(o, items[i]);
		vx_render_puts(o, "</li>\n");
	}
	vx_render_printf(o, "</%s>\n", ordered ? "ol" : "ul");
}

static void h_method(vx_render_out *o, const vx_note *n)
{
	h_section_open(o, "methode", VX_RENDER_SEC_METHOD);
	h_list(o, "Étapes", n->steps, n->n_steps, 1);
	if (n->n_params > 0) {
		vx_render_puts(o, "<h3>Paramètres</h3>\n<table>\n<thead><tr><th scope=\"col\">Paramètre</th>"
		                  "<th scope=\"col\">Valeur</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n->n_params; i++) {
			vx_render_puts(o, "<tr><th scope=\"row\">");
			h_text(o, n->params[i].name);
			vx_render_puts(o, "</th><td>");
			h_text(o, n->params[i].value);
			vx_render_puts(o, "</td></tr>\n");
		}
		vx_render_puts(o, "</tbody>\n</table>\n");
	}
	vx_render_puts(o, "<h3>Exécution</h3>\n<dl class=\"facts\">\n");
	fact_open(o, "Version de voix");
	h_text(o, n->version);
	vx_render_puts(o, "</dd>\n");
	fact_open(o, "Couverture");
	vx_render_coverage(o, n);
	vx_render_puts(o, "</dd>\n");
	if (n->seconds > 0) {
		fact_open(o, "Durée d’exécution");
		VX_OUT(o, vx_render_seconds(&o->buf, n->seconds));
		vx_render_puts(o, "</dd>\n");
		if (n->peak_rss_kb > 0) {
			fact_open(o, "Mémoire maximale");
			VX_OUT(o, vx_render_memory(&o->buf, n->peak_rss_kb));
			vx_render_puts(o, "</dd>\n");
		}
	}
	vx_render_puts(o, "</dl>\n<h3>Données personnelles masquées</h3>\n");
	size_t masked = vx_render_masked_total(n);
	if (masked == 0) {
		vx_render_puts(o, "<p>Aucune donnée personnelle n’a été masquée dans les textes cités.</p>\n");
	} else {
		vx_render_puts(o, "<table>\n<caption>Éléments masqués dans les textes cités, par catégorie</caption>\n"
		                  "<thead><tr><th scope=\"col\">Catégorie</th><th scope=\"col\" class=\"num\">Éléments "
		                  "masqués</th></tr></thead>\n<tbody>\n");
		for (size_t k = 0; k < VX_PII_COUNT; k++) {
			if (n->masked.by_kind[k] == 0)
				continue;
			vx_render_puts(o, "<tr><th scope=\"row\">");
			h_text(o, vx_pii_placeholder((vx_pii_kind)k));
			vx_render_puts(o, "</th><td class=\"num\">");
			vx_render_put_count(o, n->masked.by_kind[k]);
			vx_render_puts(o, "</td></tr>\n");
		}
		vx_render_puts(o, "<tr><th scope=\"row\">Total</th><td class=\"num\">");
		vx_render_put_count(o, masked);
		vx_render_puts(o, "</td></tr>\n</tbody>\n</table>\n");
	}
	if (n->masked.nir_bad_key > 0) {
		vx_render_puts(o, "<p>Numéros de sécurité sociale à clé de contrôle invalide (masqués par prudence, compris dans "
		                  "le total)" VX_RENDER_NBSP ": ");
		vx_render_put_count(o, n->masked.nir_bad_key);
		vx_render_puts(o, "</p>\n");
	}
	h_list(o, "Limites", n->limits, n->n_limits, 0);
	h_list(o, "Avertissements", n->messages, n->n_messages, 0);
	vx_render_puts(o, "</section>\n");
}

int vx_note_render_html(char **out, size_t *len, const vx_note *n)
{
	if (out == NULL || n == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render_html: out and note must not be NULL");
	*out = NULL;
	if (len != NULL)
		*len = 0;
	vx_render_out o = {VX_BUF_INIT, 0};
	vx_render_puts(&o, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                   "<meta name=\"generator\" content=\"voix ");
	h_text(&o, n->version);
	vx_render_puts(&o, "\">\n<title>" VX_RENDER_TITLE "</title>\n<style>\n");
	vx_render_puts(&o, css);
	vx_render_puts(&o, "</style>\n</head>\n<body>\n<header>\n<h1>" VX_RENDER_TITLE "</h1>\n<p>Période" VX_RENDER_NBSP
	                   ": ");
	VX_OUT(&o, vx_render_period_sentence(&o.buf, n));
	vx_render_puts(&o, ". Expériences analysées" VX_RENDER_NBSP ": ");
	vx_render_put_count(&o, n->analysed);
	vx_render_puts(&o, ".</p>\n</header>\n<nav aria-label=\"Sommaire\">\n<ol>\n"
	                   "<li><a href=\"#perimetre\">" VX_RENDER_SEC_SCOPE "</a></li>\n"
	                   "<li><a href=\"#points-forts\">" VX_RENDER_SEC_STRENGTHS "</a></li>\n"
	                   "<li><a href=\"#sujets\">");
	VX_OUT(&o, vx_render_topics_title(&o.buf, n->n_topics));
	vx_render_puts(&o, "</a></li>\n<li><a href=\"#axes\">" VX_RENDER_SEC_AXES "</a></li>\n"
	                   "<li><a href=\"#methode\">" VX_RENDER_SEC_METHOD "</a></li>\n</ol>\n</nav>\n<main>\n");
	h_scope(&o, n);

	h_section_open(&o, "points-forts", VX_RENDER_SEC_STRENGTHS);
	if (n->n_strengths == 0)
		vx_render_puts(&o, "<p>Aucun point fort ne se dégage nettement de ces expériences.</p>\n");
	for (size_t i = 0; i < n->n_strengths; i++)
		h_strength(&o, i, &n->strengths[i]);
	vx_render_puts(&o, "</section>\n");

	h_topics(&o, n);

	h_section_open(&o, "axes", VX_RENDER_SEC_AXES);
	if (n->n_axes == 0)
		vx_render_puts(&o, "<p>Aucun axe d’amélioration n’a été retenu pour ces expériences.</p>\n");
	for (size_t i = 0; i < n->n_axes; i++)
		h_axis(&o, n, i, &n->axes[i]);
	vx_render_puts(&o, "</section>\n");

	h_method(&o, n);
	vx_render_puts(&o, "</main>\n</body>\n</html>\n");
	size_t dummy;
	return vx_render_finish(&o, out, len != NULL ? len : &dummy);
}
