#include "rendering/render.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <utf8proc.h>

#include "voix/error.h"

void vx_render_puts(vx_render_out *o, const char *s)
{
	VX_OUT(o, vx_buf_puts(&o->buf, s));
}

void vx_render_printf(vx_render_out *o, const char *fmt, ...)
{
	if (o->rc != 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	o->rc = vx_buf_vprintf(&o->buf, fmt, ap);
	va_end(ap);
}

int vx_render_finish(vx_render_out *o, char **out, size_t *len)
{
	if (o->rc != 0) {
		vx_buf_free(&o->buf);
		return o->rc;
	}
	*out = vx_buf_detach(&o->buf, len);
	if (*out == NULL)
		return VX_ENOMEM;
	return 0;
}

/* Enough for the digits of a 64-bit number with a separator every three. */
#define COUNT_MAX 64

int vx_render_count(vx_buf *b, size_t n)
{
	char digits[24];
	int nd = 0;
	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	char out[COUNT_MAX];
	size_t o = 0;
	for (int k = nd - 1; k >= 0; k--) {
		out[o++] = digits[k];
		if (k > 0 && k % 3 == 0) {
			memcpy(out + o, VX_RENDER_NNBSP, sizeof VX_RENDER_NNBSP - 1);
			o += sizeof VX_RENDER_NNBSP - 1;
		}
	}
	return vx_buf_append(b, out, o);
}

long long vx_render_pct_tenths(size_t num, size_t den)
{
	if (den == 0)
		return 0;
	/* Long double keeps the ratio exact enough for any realistic count
	 * while avoiding overflow of num * 1000 on 64-bit sizes. */
	if (num <= (size_t)1 << 40 && den <= (size_t)1 << 40)
		return (long long)((num * 2000 + den) / (2 * (unsigned long long)den));
	/* Capped where the conversion to long long would overflow: only a
	 * count far above its denominator (a hand-written note) gets there. */
	long double tenths = floorl((long double)num * 1000.0L / (long double)den + 0.5L);
	return tenths < (long double)LLONG_MAX / 2 ? (long long)tenths : LLONG_MAX / 2;
}

long long vx_render_share_tenths(double share)
{
	if (!isfinite(share))
		return 0;
	return (long long)floor(share * 1000.0 + 0.5);
}

int vx_render_tenths(vx_buf *b, long long tenths)
{
	unsigned long long a = tenths < 0 ? 0ULL - (unsigned long long)tenths : (unsigned long long)tenths;
	int rc = 0;
	if (tenths < 0)
		rc = vx_buf_putc(b, '-');
	if (rc == 0)
		rc = vx_render_count(b, (size_t)(a / 10));
	if (rc == 0)
		rc = vx_buf_printf(b, ",%u", (unsigned)(a % 10));
	return rc;
}

int vx_render_pct(vx_buf *b, long long tenths)
{
	int rc = vx_render_tenths(b, tenths);
	return rc ? rc : vx_buf_puts(b, VX_RENDER_NNBSP "%");
}

static const char *const months[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                     "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

static int parse_iso(const char *s, int *y, int *m, int *d)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

int vx_render_iso_date_valid(const char *s)
{
	int y, m, d;
	return parse_iso(s, &y, &m, &d);
}

int vx_render_date(vx_buf *b, const char *iso)
{
	int y, m, d;
	if (!parse_iso(iso, &y, &m, &d))
		return vx_buf_puts(b, "date illisible");
	return vx_buf_printf(b, "%d%s %s %d", d, d == 1 ? "er" : "", months[m - 1], y);
}

const char *vx_render_experiences_word(size_t n)
{
	return n > 1 ? "expériences" : "expérience";
}

int vx_render_share_sentence(vx_buf *b, size_t count, size_t den, double share)
{
	int rc = vx_render_count(b, count);
	if (rc == 0)
		rc = vx_buf_printf(b, " %s", vx_render_experiences_word(count));
	if (rc == 0 && den > 0) {
		rc = vx_buf_puts(b, " sur ");
		if (rc == 0)
			rc = vx_render_count(b, den);
		if (rc == 0)
			rc = vx_buf_puts(b, ", soit ");
		if (rc == 0)
			rc = vx_render_pct(b, vx_render_pct_tenths(count, den));
	} else if (rc == 0 && isfinite(share) && share > 0) {
		rc = vx_buf_puts(b, ", soit ");
		if (rc == 0)
			rc = vx_render_pct(b, vx_render_share_tenths(share));
	}
	return rc;
}

static int count_of(vx_buf *b, size_t count, size_t den)
{
	int rc = vx_render_count(b, count);
	if (rc == 0)
		rc = vx_buf_puts(b, " sur ");
	if (rc == 0)
		rc = vx_render_count(b, den);
	if (rc == 0)
		rc = vx_buf_puts(b, " (");
	if (rc == 0)
		rc = vx_render_pct(b, vx_render_pct_tenths(count, den));
	if (rc == 0)
		rc = vx_buf_putc(b, ')');
	return rc;
}

int vx_render_trend_sentence(vx_buf *b, const vx_topic *t)
{
	/* The change is computed from the rounded percentages shown, so that
	 * the reader can check it by subtraction. */
	long long before = vx_render_pct_tenths(t->previous_count, t->previous_denominator);
	long long after = vx_render_pct_tenths(t->current_count, t->current_denominator);
	long long delta = after - before;
	int rc = vx_buf_puts(b, "période précédente" VX_RENDER_NBSP ": ");
	if (rc == 0)
		rc = count_of(b, t->previous_count, t->previous_denominator);
	if (rc == 0)
		rc = vx_buf_puts(b, " → période" VX_RENDER_NBSP ": ");
	if (rc == 0)
		rc = count_of(b, t->current_count, t->current_denominator);
	if (rc == 0)
		rc = vx_buf_puts(b, ", soit ");
	if (rc == 0 && delta > 0)
		rc = vx_buf_putc(b, '+');
	if (rc == 0)
		rc = vx_render_tenths(b, delta);
	if (rc == 0)
		/* French makes a quantity below two singular: "1,5 point". */
		rc = vx_buf_puts(b, delta > -20 && delta < 20 ? " point" : " points");
	return rc;
}

static int nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

int vx_render_range(vx_buf *b, const char *from, const char *to)
{
	int rc = 0;
	if (nonempty(from) && nonempty(to)) {
		rc = vx_buf_puts(b, "du ");
		if (rc == 0)
			rc = vx_render_date(b, from);
		if (rc == 0)
			rc = vx_buf_puts(b, " au ");
		if (rc == 0)
			rc = vx_render_date(b, to);
	} else if (nonempty(from)) {
		rc = vx_buf_puts(b, "à partir du ");
		if (rc == 0)
			rc = vx_render_date(b, from);
	} else if (nonempty(to)) {
		rc = vx_buf_puts(b, "jusqu’au ");
		if (rc == 0)
			rc = vx_render_date(b, to);
	} else {
		rc = vx_buf_puts(b, "non renseignée");
	}
	return rc;
}

int vx_render_period_sentence(vx_buf *b, const vx_note *n)
{
	if (!nonempty(n->period_from) && !nonempty(n->period_to))
		return vx_buf_puts(b, "non renseignée (aucune expérience datée)");
	return vx_render_range(b, n->period_from, n->period_to);
}

int vx_render_has_trend_windows(const vx_note *n)
{
	return (nonempty(n->trend_previous_from) || nonempty(n->trend_previous_to)) &&
	       (nonempty(n->trend_current_from) || nonempty(n->trend_current_to));
}

int vx_render_trend_windows_sentence(vx_buf *b, const vx_note *n)
{
	int rc = vx_buf_puts(b, "Les évolutions comparent la période ");
	if (rc == 0)
		rc = vx_render_range(b, n->trend_current_from, n->trend_current_to);
	if (rc == 0)
		rc = vx_buf_puts(b, " à la période précédente, ");
	if (rc == 0)
		rc = vx_render_range(b, n->trend_previous_from, n->trend_previous_to);
	if (rc == 0)
		rc = vx_buf_putc(b, '.');
	return rc;
}

int vx_render_topics_title(vx_buf *b, size_t n_topics)
{
	if (n_topics == 0)
		return vx_buf_puts(b, "Principaux sujets");
	if (n_topics == 1)
		return vx_buf_puts(b, "Le principal sujet");
	return vx_buf_printf(b, "Les %zu principaux sujets", n_topics);
}

const char *vx_render_origin(const vx_topic *t)
{
	return t->theme ? "thème du référentiel"
	                : "sujet émergent, hors référentiel (trouvé dans les expériences qu’aucun thème ne couvre)";
}

int vx_render_seconds(vx_buf *b, double seconds)
{
	long long hundredths = isfinite(seconds) && seconds > 0 ? (long long)floor(seconds * 100.0 + 0.5) : 0;
	int rc = vx_render_count(b, (size_t)(hundredths / 100));
	if (rc == 0)
		rc = vx_buf_printf(b, ",%02d" VX_RENDER_NNBSP "s", (int)(hundredths % 100));
	return rc;
}

int vx_render_memory(vx_buf *b, long kb)
{
	/* Tenths of a mebibyte, rounded half up. */
	long long tenths = kb > 0 ? ((long long)kb * 10 + 512) / 1024 : 0;
	int rc = vx_render_tenths(b, tenths);
	return rc ? rc : vx_buf_puts(b, VX_RENDER_NNBSP "Mo");
}

vx_feeling vx_render_feeling_at(size_t i)
{
	static const vx_feeling order[VX_FEELING_COUNT] = {VX_FEELING_POSITIVE, VX_FEELING_NEUTRAL,
	                                                   VX_FEELING_NEGATIVE, VX_FEELING_UNKNOWN};
	return i < VX_FEELING_COUNT ? order[i] : VX_FEELING_UNKNOWN;
}

size_t vx_render_feelings_total(const vx_feelings *f)
{
	size_t total = 0;
	for (size_t i = 0; i < VX_FEELING_COUNT; i++)
		total += f->n[i];
	return total;
}

size_t vx_render_dims_by_count(vx_dimension order[VX_DIM_COUNT], const vx_topic *t)
{
	size_t n = 0;
	for (size_t d = 0; d < VX_DIM_COUNT; d++) {
		if (t->dims_negative[d] == 0)
			continue;
		size_t k = n++;
		while (k > 0 && t->dims_negative[order[k - 1]] < t->dims_negative[d]) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = (vx_dimension)d;
	}
	return n;
}

const char *vx_render_dimension_key(vx_dimension d)
{
	static const char *const keys[VX_DIM_COUNT] = {"accessibilite", "information", "relation", "reactivite",
	                                                "simplicite"};
	return (unsigned)d < VX_DIM_COUNT ? keys[d] : "inconnue";
}

const char *vx_render_field_name(const char *field)
{
	if (field == NULL)
		return NULL;
	if (strcmp(field, "text") == 0)
		return "texte";
	if (strcmp(field, "title") == 0)
		return "titre";
	return NULL;
}

const vx_topic *vx_render_topic_by_id(const vx_note *n, int id)
{
	for (size_t i = 0; i < n->n_topics; i++)
		if (n->topics[i].id == id)
			return &n->topics[i];
	return NULL;
}

const char *vx_render_axis_title(const vx_axis *a)
{
	if (a->title != NULL && a->title[0] != '\0')
		return a->title;
	return vx_render_str(a->lever);
}

const char *vx_render_str(const char *s)
{
	return s != NULL ? s : "";
}

int32_t vx_render_next_cp(const char *s, size_t len, size_t *i)
{
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(len - *i), &cp);
	if (k <= 0 || cp < 0) {
		*i += 1;
		return 0xFFFD;
	}
	*i += (size_t)k;
	return cp;
}

int vx_render_put_cp(vx_buf *b, int32_t cp)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t k = utf8proc_encode_char(cp, enc);
	return vx_buf_append(b, enc, (size_t)k);
}

int vx_render_capitalised(vx_buf *b, const char *s)
{
	s = vx_render_str(s);
	size_t len = strlen(s), i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return vx_buf_append(b, s, len);
	size_t first = i;
	int32_t cp = vx_render_next_cp(s, len, &i);
	int rc = vx_buf_append(b, s, first);
	if (rc == 0)
		rc = vx_render_put_cp(b, cp == 0xFFFD ? cp : utf8proc_toupper(cp));
	if (rc == 0)
		rc = vx_buf_append(b, s + i, len - i);
	return rc;
}

int vx_render_is_bidi_control(int32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void vx_render_put_count(vx_render_out *o, size_t n)
{
	VX_OUT(o, vx_render_count(&o->buf, n));
}

void vx_render_put_pct(vx_render_out *o, size_t num, size_t den)
{
	VX_OUT(o, vx_render_pct(&o->buf, vx_render_pct_tenths(num, den)));
}

static void filter_date(vx_render_out *o, const vx_render_writer *w, const char *what, const char *date)
{
	vx_render_printf(o, "%s ", what);
	if (vx_render_iso_date_valid(date))
		w->date(o, date);
	else
		w->text(o, date);
}

void vx_render_filters(vx_render_out *o, const vx_render_writer *w, const vx_filter *f)
{
	/* The feeling by its name ("négatif"), whichever way it was written. */
	vx_feeling feeling;
	const char *feeling_name =
		vx_feeling_from_name(&feeling, f->feeling) == 0 ? vx_feeling_name(feeling) : f->feeling;
	const char *names[] = {"type de service", "structure", "canal", "ressenti", "département"};
	const char *values[] = {f->service, f->structure, f->channel, feeling_name, f->department};
	int any = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!nonempty(values[i]))
			continue;
		if (any++)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		vx_render_printf(o, "%s = «" VX_RENDER_NBSP, names[i]);
		w->text(o, values[i]);
		vx_render_puts(o, VX_RENDER_NBSP "»");
	}
	if (nonempty(f->since)) {
		if (any++)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		filter_date(o, w, "depuis le", f->since);
	}
	if (nonempty(f->until)) {
		if (any++)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		filter_date(o, w, "jusqu’au", f->until);
	}
	if (!any)
		vx_render_puts(o, "aucun (toutes les expériences lues)");
}

void vx_render_facets(vx_render_out *o, const vx_render_writer *w, const vx_facet_count *v, size_t n)
{
	if (n == 0)
		vx_render_puts(o, "non renseigné");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		w->text(o, v[i].value);
		vx_render_puts(o, " (");
		vx_render_put_count(o, v[i].count);
		vx_render_puts(o, ")");
	}
}

void vx_render_text_list(vx_render_out *o, const vx_render_writer *w, const char **items, size_t n, const char *none)
{
	if (n == 0)
		vx_render_puts(o, none);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			vx_render_puts(o, ", ");
		w->text(o, items[i]);
	}
}

void vx_render_verbatim_details(vx_render_out *o, const vx_render_writer *w, const vx_verbatim *v)
{
	const char *field = vx_render_field_name(v->field);
	if (field != NULL) {
		vx_render_printf(o, " · %s", field);
	} else if (nonempty(v->field)) {
		vx_render_puts(o, " · ");
		w->text(o, v->field);
	}
	vx_render_printf(o, " · %s%s", vx_feeling_name(v->feeling), v->feeling_read ? " (lu dans le texte)" : "");
	if (v->copies > 1) {
		vx_render_puts(o, " · ×" VX_RENDER_NBSP);
		vx_render_put_count(o, v->copies);
		vx_render_puts(o, " copies");
	}
}

void vx_render_source_details(vx_render_out *o, const vx_render_writer *w, const vx_source *s)
{
	w->text(o, s->format);
	vx_render_puts(o, ", ");
	w->text(o, s->encoding);
	vx_render_puts(o, ", ");
	vx_render_put_count(o, s->rows_read);
	vx_render_puts(o, s->rows_read > 1 ? " lignes lues, " : " ligne lue, ");
	vx_render_put_count(o, s->rows_rejected);
	vx_render_puts(o, s->rows_rejected > 1 ? " rejetées" : " rejetée");
	if (s->c1_repaired > 0) {
		vx_render_puts(o, ", ");
		vx_render_put_count(o, s->c1_repaired);
		vx_render_puts(o, " caractères de contrôle réparés");
	}
	if (s->lines_repaired > 0) {
		vx_render_puts(o, ", ");
		vx_render_put_count(o, s->lines_repaired);
		vx_render_puts(o, s->lines_repaired > 1 ? " lignes réparées" : " ligne réparée");
		vx_render_puts(o, " (octets invalides en UTF-8 lus en Windows-1252)");
	}
}

void vx_render_negative_dims(vx_render_out *o, const vx_topic *t)
{
	vx_dimension order[VX_DIM_COUNT];
	size_t nd = vx_render_dims_by_count(order, t);
	if (nd == 0)
		vx_render_puts(o, "aucune");
	for (size_t i = 0; i < nd; i++) {
		if (i > 0)
			vx_render_puts(o, VX_RENDER_NBSP "; ");
		vx_render_printf(o, "%s (", vx_dimension_name(order[i]));
		vx_render_put_count(o, t->dims_negative[order[i]]);
		vx_render_puts(o, ")");
	}
}

void vx_render_axis_dimensions(vx_render_out *o, const vx_axis *a)
{
	if (a->n_dimensions == 0)
		vx_render_puts(o, "aucune");
	for (size_t i = 0; i < a->n_dimensions; i++)
		vx_render_printf(o, "%s%s", i > 0 ? ", " : "", vx_dimension_name(a->dimensions[i]));
	if (a->n_dimensions > 0)
		vx_render_puts(o, a->dimensions_observed ? " (lues dans les colonnes DITP de l’export)"
		                                         : " (d’après le référentiel des leviers)");
}

void vx_render_evidence(vx_render_out *o, const vx_axis *a)
{
	vx_render_put_count(o, a->evidence_count);
	vx_render_printf(o, " %s %s", vx_render_experiences_word(a->evidence_count),
	                 a->evidence_count > 1 ? "négatives" : "négative");
}

void vx_render_coverage(vx_render_out *o, const vx_note *n)
{
	VX_OUT(o, vx_render_pct(&o->buf, vx_render_share_tenths(n->coverage)));
	vx_render_puts(o, " des expériences analysées relèvent d’au moins un des sujets présentés");
}

size_t vx_render_feelings_read(const vx_feelings *f)
{
	size_t read = 0;
	for (size_t i = 0; i < VX_FEELING_COUNT; i++)
		read += f->read[i];
	return read;
}

int vx_render_feelings_origin(vx_buf *b, const vx_note *n)
{
	size_t total = vx_render_feelings_total(&n->feelings), read = vx_render_feelings_read(&n->feelings);
	size_t unknown = n->feelings.n[VX_FEELING_UNKNOWN];
	int rc = vx_buf_puts(b, "Origine des ressentis" VX_RENDER_NBSP ": ");
	if (rc == 0)
		rc = vx_render_count(b, total - read - unknown);
	if (rc == 0)
		rc = vx_buf_puts(b, " donnés par l’export, ");
	if (rc == 0)
		rc = vx_render_count(b, read);
	if (rc == 0)
		rc = vx_buf_puts(b, " lus dans le texte");
	if (rc == 0 && unknown > 0) {
		rc = vx_buf_puts(b, ", ");
		if (rc == 0)
			rc = vx_render_count(b, unknown);
		if (rc == 0)
			rc = vx_buf_puts(b, " inconnus");
	}
	if (rc == 0 && n->feelings_checked > 0) {
		rc = vx_buf_puts(b, " ; là où l’export en donne un, la lecture du texte concorde dans ");
		if (rc == 0)
			rc = vx_render_pct(b, vx_render_share_tenths((double)n->feelings_agreed / (double)n->feelings_checked));
		if (rc == 0)
			rc = vx_buf_puts(b, " des cas (");
		if (rc == 0)
			rc = vx_render_count(b, n->feelings_checked);
		if (rc == 0)
			rc = vx_buf_puts(b, " expériences)");
	}
	return rc ? rc : vx_buf_puts(b, ".");
}

int vx_render_feelings_caption(vx_buf *b, const vx_note *n, size_t total)
{
	int all = total == n->analysed;
	int rc = vx_buf_puts(b, all ? "Répartition des ressentis, sur les " : "Répartition des ressentis, sur ");
	if (rc == 0)
		rc = vx_render_count(b, total);
	if (rc == 0)
		rc = vx_buf_printf(b, " %s%s", vx_render_experiences_word(total),
		                   all ? (total > 1 ? " analysées" : " analysée") : "");
	return rc;
}

size_t vx_render_excluded_total(const vx_note *n)
{
	size_t total = 0;
	for (size_t i = 0; i < n->n_excluded; i++)
		total += n->excluded[i].count;
	return total;
}

size_t vx_render_masked_total(const vx_note *n)
{
	size_t total = 0;
	for (size_t k = 0; k < VX_PII_COUNT; k++)
		total += n->masked.by_kind[k];
	return total;
}

int vx_render_is_trim_byte(unsigned char c)
{
	return c <= 0x20 || c == 0x7F;
}

int vx_render_next_line(const char *s, size_t len, size_t *i, size_t *start, size_t *end)
{
	if (*i >= len)
		return 0;
	*start = *i;
	size_t k = *i;
	while (k < len && s[k] != '\n' && s[k] != '\r')
		k++;
	*end = k;
	if (k < len && s[k] == '\r' && k + 1 < len && s[k + 1] == '\n')
		k++;
	*i = k < len ? k + 1 : k;
	return 1;
}
