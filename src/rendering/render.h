/*
 * Helpers shared by the three renderers of the note (Markdown, HTML, JSON):
 * French number and date formatting, the French sentences that Markdown and
 * HTML print alike, and a UTF-8 walker that never fails.
 *
 * Every sentence written here is plain text made of digits, letters and a
 * few punctuation marks that are special neither in Markdown nor in HTML
 * (no & < > * _ ` | [ ] # \), so both renderers can append it unescaped.
 * Text that comes from the note's strings (labels, verbatims, paths) is
 * written only through a vx_render_writer, the small set of callbacks with
 * which each renderer escapes it in its own syntax.
 *
 * Numbers: thousands are grouped with U+202F NARROW NO-BREAK SPACE, the
 * separator of the French locale in CLDR; the same space comes before "%".
 * Decimals use a comma. Percentages have one decimal, rounded half up from
 * exact integer ratios, so that identical input gives identical text.
 */
#ifndef VX_RENDERING_RENDER_H
#define VX_RENDERING_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "voix/note.h"

/* U+202F NARROW NO-BREAK SPACE: thousands separator and space before "%". */
#define VX_RENDER_NNBSP "\xE2\x80\xAF"
/* U+00A0 NO-BREAK SPACE: before ":" and ";" in French sentences. */
#define VX_RENDER_NBSP "\xC2\xA0"

/* Section titles, in the order the note shows them. */
#define VX_RENDER_TITLE "Note de synthèse des expériences des usagers"
#define VX_RENDER_SEC_SCOPE "Périmètre"
#define VX_RENDER_SEC_STRENGTHS "Points forts"
#define VX_RENDER_SEC_AXES "Axes d’amélioration"
#define VX_RENDER_SEC_METHOD "Méthode et limites"

/*
 * A buffer with a sticky error: once an append fails, later writes are
 * skipped and rc keeps the first error, so that a renderer can write a whole
 * document and check once at the end.
 */
typedef struct vx_render_out {
	vx_buf buf;
	int rc;
} vx_render_out;

/* Runs call (an int-returning append) unless an earlier write failed. */
#define VX_OUT(o, call)                  \
	do {                                 \
		if ((o)->rc == 0)                \
			(o)->rc = (call);            \
	} while (0)

void vx_render_puts(vx_render_out *o, const char *s);
void vx_render_printf(vx_render_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the document to *out / *len, or frees it and returns the error. */
int vx_render_finish(vx_render_out *o, char **out, size_t *len);

/* "1 180": n with its thousands grouped. */
int vx_render_count(vx_buf *b, size_t n);

/* num/den in tenths of a percent, rounded half up; 0 when den is 0. */
long long vx_render_pct_tenths(size_t num, size_t den);
/* A share in [0, 1] in tenths of a percent, rounded half up; 0 when not finite. */
long long vx_render_share_tenths(double share);
/* "34,9" from 349, "-2,5" from -25. */
int vx_render_tenths(vx_buf *b, long long tenths);
/* "34,9 %" from 349. */
int vx_render_pct(vx_buf *b, long long tenths);

/* 1 when s is a valid "YYYY-MM-DD" date (month 1-12, day valid for the month). */
int vx_render_iso_date_valid(const char *s);
/* "12 mars 2024", "1er avril 2024" for a valid ISO date; any other string is
 * written as "date illisible" (dates reach the note normalised, so this only
 * guards the layout). */
int vx_render_date(vx_buf *b, const char *iso);

/* "412 expériences sur 1 180, soit 34,9 %"; "1 expérience" when den is 0.
 * The percentage is count/den when den > 0, else share. */
int vx_render_share_sentence(vx_buf *b, size_t count, size_t den, double share);
/* "période précédente : 120 sur 900 (13,3 %) → période : 150 sur 950
 * (15,8 %), soit +2,5 points". Only meaningful when t->has_trend. */
int vx_render_trend_sentence(vx_buf *b, const vx_topic *t);
/* "du 12 mars 2024 au 30 juin 2024", "à partir du ...", "jusqu’au ...", or
 * "non renseignée" when both are NULL or "". */
int vx_render_range(vx_buf *b, const char *from, const char *to);
/* The note's period as vx_render_range, or "non renseignée (aucune
 * expérience datée)". */
int vx_render_period_sentence(vx_buf *b, const vx_note *n);
/* 1 when the note names both trend windows. */
int vx_render_has_trend_windows(const vx_note *n);
/* "Les évolutions comparent la période du ... au ... à la période
 * précédente, du ... au ...." */
int vx_render_trend_windows_sentence(vx_buf *b, const vx_note *n);
/* "Les 4 principaux sujets", "Le principal sujet", or "Principaux sujets"
 * when there are none. */
int vx_render_topics_title(vx_buf *b, size_t n_topics);
/* Where a topic comes from: a theme of the codebook, or emergent (found by
 * the factorisation in the experiences no theme covers). */
const char *vx_render_origin(const vx_topic *t);
/* "1,23 s" (seconds rounded to the hundredth). */
int vx_render_seconds(vx_buf *b, double seconds);
/* "120,6 Mo" (kibibytes as mebibytes, one decimal). */
int vx_render_memory(vx_buf *b, long kb);
/* "expérience" or "expériences" after a count. */
const char *vx_render_experiences_word(size_t n);

/* The feelings in the order the note lists them: positif, neutre, négatif,
 * inconnu. i < VX_FEELING_COUNT. */
vx_feeling vx_render_feeling_at(size_t i);
/* Sum of the four counts: the denominator of a feelings breakdown. */
size_t vx_render_feelings_total(const vx_feelings *f);
/* The DITP dimensions with at least one negative experience in t, most
 * frequent first (ties in the export's order); returns how many. */
size_t vx_render_dims_by_count(vx_dimension order[VX_DIM_COUNT], const vx_topic *t);
/* A stable ASCII key per DITP dimension for JSON ("accessibilite", ...). */
const char *vx_render_dimension_key(vx_dimension d);
/* "texte" for "text", "titre" for "title", NULL for anything else. */
const char *vx_render_field_name(const char *field);
/* The topic of n->topics with that id, or NULL. */
const vx_topic *vx_render_topic_by_id(const vx_note *n, int id);
/* The axis' title, or its lever, or "" when both are missing. */
const char *vx_render_axis_title(const vx_axis *a);
/* s, or "" when s is NULL. */
const char *vx_render_str(const char *s);

/* The notice shown instead of the verbatims of a topic too small to quote. */
#define VX_RENDER_VERBATIMS_WITHHELD                                                                                   \
	"Verbatims non présentés" VX_RENDER_NBSP ": ce sujet réunit trop peu d’expériences pour citer des "        \
	"extraits sans risquer de permettre d’en reconnaître les auteurs (seuil minimal indiqué dans la "          \
	"section Méthode et limites)."

/* "1 180" appended to o (vx_render_count). */
void vx_render_put_count(vx_render_out *o, size_t n);
/* "34,9 %" for num/den appended to o (vx_render_pct_tenths). */
void vx_render_put_pct(vx_render_out *o, size_t num, size_t den);

/*
 * What a text renderer (Markdown, HTML) supplies so that the writers below,
 * which hold the logic both share, can put user text in its own syntax.
 */
typedef struct vx_render_writer {
	/* Appends user text (a label, an identifier, a value), escaped; NULL
	 * is written as "". */
	void (*text)(vx_render_out *o, const char *s);
	/* Appends a valid ISO date (vx_render_iso_date_valid) as vx_render_date
	 * writes it, with any markup the format puts around a date. */
	void (*date)(vx_render_out *o, const char *iso);
} vx_render_writer;

/* The filters of the run: "canal = « Téléphone » ; depuis le 1er mars
 * 2024", or "aucun (toutes les expériences lues)". */
void vx_render_filters(vx_render_out *o, const vx_render_writer *w, const vx_filter *f);
/* "Téléphone (12) ; Guichet (3)", or "non renseigné" when n is 0. */
void vx_render_facets(vx_render_out *o, const vx_render_writer *w, const vx_facet_count *v, size_t n);
/* items joined with ", ", or none when n is 0. */
void vx_render_text_list(vx_render_out *o, const vx_render_writer *w, const char **items, size_t n, const char *none);
/* What follows a verbatim's experience id: " · texte · négatif · × 3 copies". */
void vx_render_verbatim_details(vx_render_out *o, const vx_render_writer *w, const vx_verbatim *v);
/* What a source line says between its path and its digest: "csv, UTF-8, 120
 * lignes lues, 0 rejetée, 2 caractères de contrôle réparés". */
void vx_render_source_details(vx_render_out *o, const vx_render_writer *w, const vx_source *s);
/* The DITP dimensions judged negative in t, most frequent first:
 * "Simplicité (12) ; Relation (3)", or "aucune". */
void vx_render_negative_dims(vx_render_out *o, const vx_topic *t);
/* An axis' DITP dimensions and where they come from, or "aucune". */
void vx_render_axis_dimensions(vx_render_out *o, const vx_axis *a);
/* "12 expériences négatives": the evidence behind an axis. */
void vx_render_evidence(vx_render_out *o, const vx_axis *a);
/* "34,9 % des expériences analysées relèvent d’au moins un des sujets
 * présentés". */
void vx_render_coverage(vx_render_out *o, const vx_note *n);
/* "Répartition des ressentis, sur les 412 expériences analysées" (without
 * "les ... analysées" when total is not n->analysed). */
int vx_render_feelings_caption(vx_buf *b, const vx_note *n, size_t total);
/* Of the feelings counted in f, those read from the text. */
size_t vx_render_feelings_read(const vx_feelings *f);
/* "Origine des ressentis : 34 donnés par l'export, 126 lus dans le texte ;
 * là où l'export en donne un, la lecture concorde dans 81,2 % des cas
 * (34 expériences)." Shown when any feeling was read or checked. */
int vx_render_feelings_origin(vx_buf *b, const vx_note *n);
/* Experiences left out of the analysis, all reasons together. */
size_t vx_render_excluded_total(const vx_note *n);
/* Elements masked in the quoted texts, all categories together. */
size_t vx_render_masked_total(const vx_note *n);

/* 1 for the bytes trimmed around a line of user text: ASCII controls,
 * space and DEL. */
int vx_render_is_trim_byte(unsigned char c);
/* The next line of s[*i..len) as s[*start..*end), cut at "\r\n", "\r" or
 * "\n", and advances *i past its end; 0 when *i is at len. */
int vx_render_next_line(const char *s, size_t len, size_t *i, size_t *start, size_t *end);

/*
 * Decodes the code point at s[*i] (s has len bytes) and advances *i.
 * Invalid UTF-8 yields U+FFFD and advances by one byte, so every byte
 * string can be walked to its end.
 */
int32_t vx_render_next_cp(const char *s, size_t len, size_t *i);
/* Appends code point cp in UTF-8. */
int vx_render_put_cp(vx_buf *b, int32_t cp);
/* Appends s with its first letter upper-cased ("trois mois" -> "Trois
 * mois"), for topic labels used as headings; the rest is unchanged and
 * still needs escaping. */
int vx_render_capitalised(vx_buf *b, const char *s);
/* 1 for the bidirectional embedding, override and isolate controls
 * (U+202A..U+202E, U+2066..U+2069), which the text renderers drop so that
 * user text cannot reorder the text around it. */
int vx_render_is_bidi_control(int32_t cp);

#endif
