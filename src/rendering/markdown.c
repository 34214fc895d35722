/*
 * The note as Markdown (CommonMark with GFM tables), readable as plain text
 * in a terminal and in any Markdown viewer. See docs/rendering.md for the
 * layout and the escaping rules.
 */
#include <string.h>

#include "rendering/render.h"
#include "voix/error.h"
#include "voix/note.h"

/* Verbatim lines and the labels of facet lists are escaped; everything the
 * renderer writes itself is plain text without Markdown specials. */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when s[i..len) starts like an HTML entity ("&amp;", "&#39;"), which a
 * viewer would decode. */
static int entity_like(const char *s, size_t len, size_t i)
{
	size_t k = i + 1;
	while (k < len && (is_alnum(s[k]) || s[k] == '#'))
		k++;
	return k > i + 1 && k < len && s[k] == ';';
}

/*
 * Appends one line of user text (no newline inside) so that it reads as
 * plain text wherever it is placed: surrounding white space is trimmed,
 * characters that open Markdown constructs are backslash-escaped, control
 * characters become spaces and bidirectional controls are dropped.
 */
static int md_line(vx_buf *b, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && vx_render_is_trim_byte((unsigned char)s[i]))
		i++;
	while (len > i && vx_render_is_trim_byte((unsigned char)s[len - 1]))
		len--;
	int rc = 0;
	int at_start = 1;
	while (rc == 0 && i < len) {
		char c = s[i];
		if (at_start) {
			at_start = 0;
			/* Block markers: quote, bullet ("- ", "+ "), thematic break
			 * or setext underline ("---", "==="). '#' and '*' are
			 * escaped everywhere below. */
			char next = i + 1 < len ? s[i + 1] : ' ';
			if (c == '>' || ((c == '-' || c == '+' || c == '=') && (next == ' ' || next == '\t' || next == c))) {
				rc = vx_buf_putc(b, '\\');
				if (rc == 0)
					rc = vx_buf_putc(b, c);
				i++;
				continue;
			}
			/* "12. " or "3)" at the end would start an ordered list. */
			size_t k = i;
			while (k < len && k - i < 10 && is_digit(s[k]))
				k++;
			if (k > i && k < len && (s[k] == '.' || s[k] == ')') &&
			    (k + 1 == len || s[k + 1] == ' ' || s[k + 1] == '\t')) {
				rc = vx_buf_append(b, s + i, k - i);
				if (rc == 0)
					rc = vx_buf_putc(b, '\\');
				if (rc == 0)
					rc = vx_buf_putc(b, s[k]);
				i = k + 1;
				continue;
			}
		}
		if ((unsigned char)c < 0x80) {
			if ((unsigned char)c < 0x20 || c == 0x7F) {
				rc = vx_buf_putc(b, ' ');
			} else if (strchr("\\`*|<~#", c) != NULL ||
			           (c == '_' && !(i > 0 && is_alnum(s[i - 1]) && i + 1 < len && is_alnum(s[i + 1]))) ||
			           (c == ']' && i + 1 < len && strchr("([:", s[i + 1]) != NULL) ||
			           (c == '&' && entity_like(s, len, i))) {
				rc = vx_buf_putc(b, '\\');
				if (rc == 0)
					rc = vx_buf_putc(b, c);
			} else {
				rc = vx_buf_putc(b, c);
			}
			i++;
			continue;
		}
		int32_t cp = vx_render_next_cp(s, len, &i);
		if (vx_render_is_bidi_control(cp))
			continue;
		if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp < 0xA0))
			cp = ' ';
		rc = vx_render_put_cp(b, cp);
	}
	return rc;
}

static int blank(const char *s, size_t start, size_t end)
{
	for (size_t k = start; k < end; k++)
		if (!vx_render_is_trim_byte((unsigned char)s[k]))
			return 0;
	return 1;
}

/* Inline user text: its lines joined with " / ", empty lines skipped. */
static void md_inline(vx_render_out *o, const char *s)
{
	s = vx_render_str(s);
	size_t len = strlen(s), i = 0, start, end;
	int first = 1;
	while (o->rc == 0 && vx_render_next_line(s, len, &i, &start, &end)) {
		if (blank(s, start, end))
			continue;
		if (!first)
			vx_render_puts(o, " / ");
		first = 0;
		VX_OUT(o, md_line(&o->buf, s + start, end - start));
	}
}

static void md_date(vx_render_out *o, const char *iso)
{
	VX_OUT(o, vx_render_date(&o->buf, iso));
}

/* User text for the shared writers of render.c. */
static const vx_render_writer md_writer = {md_inline, md_date};

/* A verbatim as a block quote: one "> " line per line of the text, one ">"
 * line for each run of blank lines between two lines of text. */
static void md_quote(vx_render_out *o, const char *s)
{
	s = vx_render_str(s);
	size_t len = strlen(s), i = 0, start, end;
	int lines = 0, pending_blank = 0;
	while (o->rc == 0 && vx_render_next_line(s, len, &i, &start, &end)) {
		if (blank(s, start, end)) {
			pending_blank = lines > 0;
			continue;
		}
		if (pending_blank)
			vx_render_puts(o, ">\n");
		pending_blank = 0;
		vx_render_puts(o, "> ");
		VX_OUT(o, md_line(&o->buf, s + start, end - start));
		vx_render_puts(o, "\n");
		lines++;
	}
	if (lines == 0)
		vx_render_puts(o, "> (extrait vide)\n");
}

/* A topic label, first letter upper-cased (labels are in users' words,
 * usually lower-case). */
static void md_label(vx_render_out *o, const char *label)
{
	vx_buf tmp = VX_BUF_INIT;
	VX_OUT(o, vx_render_capitalised(&tmp, label));
	if (o->rc == 0)
		md_inline(o, tmp.data);
	vx_buf_free(&tmp);
}

/* "positif 10 (2,4 %) ; neutre 3 (0,7 %) ; ..." */
static void md_feelings_inline(vx_render_out *o, const vx_feelings *f)
{
	size_t total = vx_render_feelings_total(f);
	for (size_t i = 0; i < VX_FEELING_COUNT; i++) {
		vx_feeling fe = vx_render_feeling_at(i);
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		vx_render_printf(o, "%s ", vx_feeling_name(fe));
		vx_render_put_count(o, f->n[fe]);
		vx_render_puts(o, " (");
		vx_render_put_pct(o, f->n[fe], total);
		vx_render_puts(o, ")");
	}
	size_t read = vx_render_feelings_read(f);
	if (read > 0) {
		vx_render_puts(o, ", dont ");
		vx_render_put_count(o, read);
		vx_render_puts(o, " lus dans le texte");
	}
}

static void md_facets(vx_render_out *o, const char *label, const vx_facet_count *v, size_t n)
{
	vx_render_printf(o, "- %s" VX_RENDER_NBSP ": ", label);
	vx_render_facets(o, &md_writer, v, n);
	vx_render_puts(o, "\n");
}

static void md_verbatims(vx_render_out *o, const vx_topic *t)
{
	if (t->verbatims_withheld) {
		vx_render_puts(o, VX_RENDER_VERBATIMS_WITHHELD "\n\n");
		return;
	}
	if (t->n_verbatims == 0) {
		vx_render_puts(o, "Aucun verbatim retenu pour ce sujet.\n\n");
		return;
	}
	vx_render_puts(o, "Verbatims" VX_RENDER_NBSP ":\n\n");
	for (size_t i = 0; i < t->n_verbatims; i++) {
		const vx_verbatim *v = &t->verbatims[i];
		md_quote(o, v->text);
		vx_render_puts(o, ">\n> — expérience ");
		md_inline(o, v->experience_id);
		vx_render_verbatim_details(o, &md_writer, v);
		vx_render_puts(o, "\n\n");
	}
}

static void md_terms(vx_render_out *o, const vx_topic *t)
{
	vx_render_puts(o, "- Termes clés" VX_RENDER_NBSP ": ");
	vx_render_text_list(o, &md_writer, t->terms, t->n_terms, "aucun");
	vx_render_puts(o, "\n");
}

static void md_share(vx_render_out *o, const vx_topic *t)
{
	vx_render_puts(o, "- Fréquence" VX_RENDER_NBSP ": ");
	VX_OUT(o, vx_render_share_sentence(&o->buf, t->count, t->denominator, t->share));
	vx_render_puts(o, "\n");
}

static void md_strength(vx_render_out *o, const vx_topic *t)
{
	vx_render_puts(o, "### ");
	md_label(o, t->label);
	vx_render_puts(o, "\n\n");
	md_share(o, t);
	md_terms(o, t);
	vx_render_printf(o, "- Origine" VX_RENDER_NBSP ": %s\n", vx_render_origin(t));
	vx_render_puts(o, "\n");
	md_verbatims(o, t);
}

static void md_topic(vx_render_out *o, const vx_topic *t)
{
	vx_render_printf(o, "### %d. ", t->id);
	md_label(o, t->label);
	vx_render_puts(o, "\n\n");
	md_terms(o, t);
	md_share(o, t);
	vx_render_printf(o, "- Origine" VX_RENDER_NBSP ": %s\n", vx_render_origin(t));
	vx_render_puts(o, "- Ressentis (sur ");
	vx_render_put_count(o, vx_render_feelings_total(&t->feelings));
	vx_render_puts(o, ")" VX_RENDER_NBSP ": ");
	md_feelings_inline(o, &t->feelings);
	vx_render_puts(o, "\n");
	md_facets(o, "Canaux principaux", t->channels, t->n_channels);
	md_facets(o, "Types de service", t->services, t->n_services);
	md_facets(o, "Structures", t->structures, t->n_structures);
	vx_render_puts(o, "- Dimensions DITP jugées négatives" VX_RENDER_NBSP ": ");
	vx_render_negative_dims(o, t);
	vx_render_puts(o, "\n");
	if (t->has_trend) {
		vx_render_puts(o, "- Évolution" VX_RENDER_NBSP ": ");
		VX_OUT(o, vx_render_trend_sentence(&o->buf, t));
		vx_render_puts(o, "\n");
	}
	vx_render_puts(o, "\n");
	md_verbatims(o, t);
}

static void md_filters(vx_render_out *o, const vx_filter *f)
{
	vx_render_puts(o, "- Filtres" VX_RENDER_NBSP ": ");
	vx_render_filters(o, &md_writer, f);
	vx_render_puts(o, "\n");
}

static void md_scope(vx_render_out *o, const vx_note *n)
{
	vx_render_puts(o, "## " VX_RENDER_SEC_SCOPE "\n\n");
	vx_render_puts(o, n->n_sources == 0 ? "- Sources" VX_RENDER_NBSP ": aucune\n" : "- Sources" VX_RENDER_NBSP ":\n");
	for (size_t i = 0; i < n->n_sources; i++) {
		const vx_source *s = &n->sources[i];
		vx_render_puts(o, "  - ");
		md_inline(o, s->path);
		vx_render_puts(o, " (");
		vx_render_source_details(o, &md_writer, s);
		vx_render_puts(o, ") — SHA-256" VX_RENDER_NBSP ": ");
		md_inline(o, s->sha256);
		vx_render_puts(o, "\n");
	}
	md_filters(o, &n->filter);
	vx_render_puts(o, "- Période couverte" VX_RENDER_NBSP ": ");
	VX_OUT(o, vx_render_period_sentence(&o->buf, n));
	vx_render_puts(o, "\n- Expériences lues" VX_RENDER_NBSP ": ");
	vx_render_put_count(o, n->read);
	vx_render_puts(o, "\n- Expériences analysées" VX_RENDER_NBSP ": ");
	vx_render_put_count(o, n->analysed);
	size_t excluded = vx_render_excluded_total(n);
	vx_render_puts(o, "\n- Expériences écartées" VX_RENDER_NBSP ": ");
	if (excluded == 0)
		vx_render_puts(o, "aucune");
	else
		vx_render_put_count(o, excluded);
	vx_render_puts(o, "\n");
	for (size_t i = 0; i < n->n_excluded; i++) {
		vx_render_puts(o, "  - ");
		md_inline(o, n->excluded[i].reason);
		vx_render_puts(o, VX_RENDER_NBSP ": ");
		vx_render_put_count(o, n->excluded[i].count);
		vx_render_puts(o, "\n");
	}
	vx_render_puts(o, "- Quasi-doublons regroupés" VX_RENDER_NBSP ": ");
	vx_render_put_count(o, n->duplicates);
	vx_render_puts(o, n->duplicates > 0 ? " (chacun compté une seule fois)\n\n" : "\n\n");

	size_t total = vx_render_feelings_total(&n->feelings);
	if (total == 0) {
		vx_render_puts(o, "Ressentis" VX_RENDER_NBSP ": aucun ressenti renseigné.\n\n");
		return;
	}
	VX_OUT(o, vx_render_feelings_caption(&o->buf, n, total));
	vx_render_puts(o, VX_RENDER_NBSP ":\n\n");
	vx_render_puts(o, "| Ressenti | Expériences | Part |\n| --- | ---: | ---: |\n");
	for (size_t i = 0; i < VX_FEELING_COUNT; i++) {
		vx_feeling fe = vx_render_feeling_at(i);
		vx_render_puts(o, "| ");
		VX_OUT(o, vx_render_capitalised(&o->buf, vx_feeling_name(fe)));
		vx_render_puts(o, " | ");
		vx_render_put_count(o, n->feelings.n[fe]);
		vx_render_puts(o, " | ");
		vx_render_put_pct(o, n->feelings.n[fe], total);
		vx_render_puts(o, " |\n");
	}
	vx_render_puts(o, "| Total | ");
	vx_render_put_count(o, total);
	vx_render_puts(o, " | ");
	vx_render_put_pct(o, total, total);
	vx_render_puts(o, " |\n\n");
	if (vx_render_feelings_read(&n->feelings) > 0 || n->feelings_checked > 0) {
		VX_OUT(o, vx_render_feelings_origin(&o->buf, n));
		vx_render_puts(o, "\n\n");
	}
}

static void md_axis(vx_render_out *o, const vx_note *n, size_t index, const vx_axis *a)
{
	vx_render_printf(o, "### Axe %zu" VX_RENDER_NBSP ": ", index + 1);
	md_inline(o, vx_render_axis_title(a));
	vx_render_puts(o, "\n\n");
	md_inline(o, a->text);
	vx_render_puts(o, "\n\n- Sujets liés" VX_RENDER_NBSP ": ");
	if (a->n_topics == 0)
		vx_render_puts(o, "aucun");
	for (size_t i = 0; i < a->n_topics; i++) {
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		const vx_topic *t = vx_render_topic_by_id(n, a->topics[i]);
		vx_render_printf(o, "%d. ", a->topics[i]);
		if (t != NULL)
			md_label(o, t->label);
		else
			vx_render_puts(o, "(sujet non présenté)");
	}
	vx_render_puts(o, "\n- Dimensions DITP" VX_RENDER_NBSP ": ");
	vx_render_axis_dimensions(o, a);
	if (a->n_signals > 0) {
		vx_render_puts(o, "\n- Mots relevés dans les expériences" VX_RENDER_NBSP ": ");
		vx_render_text_list(o, &md_writer, a->signals, a->n_signals, "");
	}
	vx_render_puts(o, "\n- Appuyé par ");
	vx_render_evidence(o, a);
	vx_render_puts(o, "\n- Exemples d’expériences" VX_RENDER_NBSP ": ");
	vx_render_text_list(o, &md_writer, a->experience_ids, a->n_experience_ids, "aucun");
	vx_render_puts(o, "\n- Règle de sélection" VX_RENDER_NBSP ": ");
	md_inline(o, a->rule);
	vx_render_puts(o, "\n\n");
}

static void md_list(vx_render_out *o, const char *title, const char **items, size_t n, int ordered)
{
	if (n == 0)
		return;
	vx_render_printf(o, "%s" VX_RENDER_NBSP ":\n\n", title);
	for (size_t i = 0; i < n; i++) {
		if (ordered)
			vx_render_printf(o, "%zu. ", i + 1);
		else
			vx_render_puts(o, "- ");
		md_inline(o, items[i]);
		vx_render_puts(o, "\n");
	}
	vx_render_puts(o, "\n");
}

static void md_method(vx_render_out *o, const vx_note *n)
{
	vx_render_puts(o, "## " VX_RENDER_SEC_METHOD "\n\n");
	md_list(o, "Étapes", n->steps, n->n_steps, 1);
	if (n->n_params > 0) {
		vx_render_puts(o, "Paramètres" VX_RENDER_NBSP ":\n\n| Paramètre | Valeur |\n| --- | --- |\n");
		for (size_t i = 0; i < n->n_params; i++) {
			vx_render_puts(o, "| ");
			md_inline(o, n->params[i].name);
			vx_render_puts(o, " | ");
			md_inline(o, n->params[i].value);
			vx_render_puts(o, " |\n");
		}
		vx_render_puts(o, "\n");
	}
	vx_render_puts(o, "- Version de voix" VX_RENDER_NBSP ": ");
	md_inline(o, n->version);
	vx_render_puts(o, "\n- Couverture" VX_RENDER_NBSP ": ");
	vx_render_coverage(o, n);
	vx_render_puts(o, "\n");
	if (n->seconds > 0) {
		vx_render_puts(o, "- Durée d’exécution" VX_RENDER_NBSP ": ");
		VX_OUT(o, vx_render_seconds(&o->buf, n->seconds));
		if (n->peak_rss_kb > 0) {
			vx_render_puts(o, VX_RENDER_NBSP "; mémoire maximale" VX_RENDER_NBSP ": ");
			VX_OUT(o, vx_render_memory(&o->buf, n->peak_rss_kb));
		}
		vx_render_puts(o, "\n");
	}
	vx_render_puts(o, "\n");

	size_t masked = vx_render_masked_total(n);
	if (masked == 0) {
		vx_render_puts(o, "Données personnelles masquées" VX_RENDER_NBSP ": aucune dans les textes cités.\n\n");
	} else {
		vx_render_puts(o, "Données personnelles masquées dans les textes cités, par catégorie" VX_RENDER_NBSP
		                  ":\n\n| Catégorie | Éléments masqués |\n| --- | ---: |\n");
		for (size_t k = 0; k < VX_PII_COUNT; k++) {
			if (n->masked.by_kind[k] == 0)
				continue;
			vx_render_puts(o, "| ");
			md_inline(o, vx_pii_placeholder((vx_pii_kind)k));
			vx_render_puts(o, " | ");
			vx_render_put_count(o, n->masked.by_kind[k]);
			vx_render_puts(o, " |\n");
		}
		vx_render_puts(o, "| Total | ");
		vx_render_put_count(o, masked);
		vx_render_puts(o, " |\n\n");
	}
	if (n->masked.nir_bad_key > 0) {
		vx_render_puts(o, "Numéros de sécurité sociale à clé de contrôle invalide (masqués par prudence, compris dans "
		                  "le total)" VX_RENDER_NBSP ": ");
		vx_render_put_count(o, n->masked.nir_bad_key);
		vx_render_puts(o, "\n\n");
	}
	md_list(o, "Limites", n->limits, n->n_limits, 0);
	md_list(o, "Avertissements", n->messages, n->n_messages, 0);
}

/* 1 when some topic shows a trend and the note names its windows. */
static int any_trend(const vx_note *n)
{
	for (size_t i = 0; i < n->n_topics; i++)
		if (n->topics[i].has_trend)
			return vx_render_has_trend_windows(n);
	return 0;
}

int vx_note_render_markdown(char **out, size_t *len, const vx_note *n)
{
	if (out == NULL || n == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render_markdown: out and note must not be NULL");
	*out = NULL;
	if (len != NULL)
		*len = 0;
	vx_render_out o = {VX_BUF_INIT, 0};
	vx_render_puts(&o, "# " VX_RENDER_TITLE "\n\n");
	md_scope(&o, n);

	vx_render_puts(&o, "## " VX_RENDER_SEC_STRENGTHS "\n\n");
	if (n->n_strengths == 0)
		vx_render_puts(&o, "Aucun point fort ne se dégage nettement de ces expériences.\n\n");
	for (size_t i = 0; i < n->n_strengths; i++)
		md_strength(&o, &n->strengths[i]);

	vx_render_puts(&o, "## ");
	VX_OUT(&o, vx_render_topics_title(&o.buf, n->n_topics));
	vx_render_puts(&o, "\n\n");
	if (n->n_topics == 0)
		vx_render_puts(&o, "Aucun sujet n’a pu être dégagé de ces expériences.\n\n");
	else if (any_trend(n)) {
		VX_OUT(&o, vx_render_trend_windows_sentence(&o.buf, n));
		vx_render_puts(&o, "\n\n");
	}
	for (size_t i = 0; i < n->n_topics; i++)
		md_topic(&o, &n->topics[i]);

	vx_render_puts(&o, "## " VX_RENDER_SEC_AXES "\n\n");
	if (n->n_axes == 0)
		vx_render_puts(&o, "Aucun axe d’amélioration n’a été retenu pour ces expériences.\n\n");
	for (size_t i = 0; i < n->n_axes; i++)
		md_axis(&o, n, i, &n->axes[i]);

	md_method(&o, n);
	/* Exactly one trailing newline. */
	while (o.rc == 0 && o.buf.len > 1 && o.buf.data[o.buf.len - 1] == '\n' && o.buf.data[o.buf.len - 2] == '\n')
		o.buf.data[--o.buf.len] = '\0';
	size_t dummy;
	return vx_render_finish(&o, out, len != NULL ? len : &dummy);
}
