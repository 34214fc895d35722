/*
 * The loading both backends share (load_rows.h). Sources are a few rows:
 * read as text from either backend. Experience rows come with their
 * numbers already as integers, the SQLite side reads them so.
 */
#include "storage/load_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/channels.h"
#include "storage/store_internal.h"
#include "util/fold.h"
#include "voix/error.h"

struct vx_load_source_row {
	int64_t id;
	vx_source src;   /* strings point into l->strings once all are read */
	size_t path_off, format_off, encoding_off;
	int used;
};

void vx_load_init(vx_load *l, vx_corpus *corpus, const vx_filter *filter)
{
	memset(l, 0, sizeof *l);
	l->corpus = corpus;
	l->filter = filter;
	vx_buf_init(&l->strings, 0);
	vx_buf_init(&l->chan, 0);
}

void vx_load_free(vx_load *l)
{
	free(l->sources);
	vx_buf_free(&l->strings);
	vx_buf_free(&l->chan);
	free(l->chan_ptrs);
}

static int put_str(vx_buf *b, const char *s, size_t *off)
{
	*off = b->len;
	int rc = vx_buf_puts(b, s ? s : "");
	return rc ? rc : vx_buf_putc(b, '\0');
}

static size_t count_col(const char *s)
{
	return s ? (size_t)strtoull(s, NULL, 10) : 0;
}

int vx_load_source(vx_load *l, const char *const *cols, int ncols)
{
	int rc = 0;
	if (ncols < 10)
		return vx_error_set(VX_EDB, "base de données : il manque des colonnes à la table des sources");
	if (l->n_sources == l->cap_sources) {
		size_t cap = l->cap_sources ? 2 * l->cap_sources : 16;
		vx_load_source_row *p = realloc(l->sources, cap * sizeof *p);
		if (p == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory reading the sources");
		l->sources = p;
		l->cap_sources = cap;
	}
	vx_load_source_row *ls = &l->sources[l->n_sources];
	memset(ls, 0, sizeof *ls);
	ls->id = cols[0] ? strtoll(cols[0], NULL, 10) : 0;
	if ((rc = put_str(&l->strings, cols[1], &ls->path_off)) ||
	    (rc = put_str(&l->strings, cols[3], &ls->format_off)) ||
	    (rc = put_str(&l->strings, cols[4], &ls->encoding_off)))
		return rc;
	snprintf(ls->src.sha256, sizeof ls->src.sha256, "%s", cols[2] ? cols[2] : "");
	ls->src.separator = cols[5] ? cols[5][0] : '\0';
	ls->src.rows_read = count_col(cols[6]);
	ls->src.rows_rejected = count_col(cols[7]);
	ls->src.c1_repaired = count_col(cols[8]);
	ls->src.lines_repaired = count_col(cols[9]);
	l->n_sources++;
	return 0;
}

void vx_load_params_free(vx_load_params *params)
{
	vx_buf_free(&params->text);
	params->n = 0;
}

/* Appends to sql the next parameter of p, s[0..len) (its offset in off). */
static int put_param(vx_buf *sql, vx_load_params *p, size_t *off, const vx_load_dialect *d, const char *s,
                     size_t len)
{
	off[p->n] = p->text.len;
	int rc = vx_buf_append(&p->text, s, len);
	if (rc == 0)
		rc = vx_buf_putc(&p->text, '\0');
	if (rc == 0)
		rc = vx_buf_printf(sql, d->param, ++p->n);
	return rc;
}

/* The departments of list, each without the blanks around it and none
 * empty: their count, and the first max in start[] and len[]. */
static size_t departments(const char *list, const char **start, size_t *len, size_t max)
{
	size_t n = 0, item_len;
	const char *item;
	for (const char *p = list; vx_label_list_next(&p, &item, &item_len);) {
		if (item_len == 0)
			continue;
		if (n < max) {
			start[n] = item;
			len[n] = item_len;
		}
		n++;
	}
	return n;
}

int vx_load_where(vx_buf *sql, vx_load_params *params, const vx_filter *filter, const vx_load_dialect *d)
{
	int rc = 0;
	size_t off[sizeof params->v / sizeof params->v[0]];
	memset(params, 0, sizeof *params);
	vx_buf_init(&params->text, 0);
	const char *since = filter && filter->since && *filter->since ? filter->since : NULL;
	const char *until = filter && filter->until && *filter->until ? filter->until : NULL;
	const char *dep[VX_LOAD_MAX_DEPARTMENTS];
	size_t dep_len[VX_LOAD_MAX_DEPARTMENTS];
	size_t n_dep = filter && filter->department ? departments(filter->department, dep, dep_len, VX_LOAD_MAX_DEPARTMENTS)
	                                            : 0;
	vx_feeling feeling;
	int by_feeling = filter && vx_feeling_from_name(&feeling, filter->feeling) == 0;
	const char *sep = " WHERE ";
	/* Dates are "YYYY-MM-DD" or "": text comparison is date order, and an
	 * experience without a date is left out when a bound is set. */
	if (since || until) {
		rc = vx_buf_printf(sql, "%sdate <> ''", sep);
		sep = " AND ";
	}
	if (rc == 0 && since && (rc = vx_buf_puts(sql, " AND substr(date, 1, 10) >= substr(")) == 0 &&
	    (rc = put_param(sql, params, off, d, since, strlen(since))) == 0)
		rc = vx_buf_puts(sql, ", 1, 10)");
	if (rc == 0 && until && (rc = vx_buf_puts(sql, " AND substr(date, 1, 10) <= substr(")) == 0 &&
	    (rc = put_param(sql, params, off, d, until, strlen(until))) == 0)
		rc = vx_buf_puts(sql, ", 1, 10)");
	/* The feeling as stored (by its name: vx_store_feeling_parse). */
	if (rc == 0 && by_feeling && (rc = vx_buf_printf(sql, "%sfeeling = ", sep)) == 0) {
		const char *name = vx_feeling_name(feeling);
		rc = put_param(sql, params, off, d, name, strlen(name));
		sep = " AND ";
	}
	/* A list too long stays out of the SQL: vx_filter_match applies it;
	 * so does a list with a department code, which also matches the
	 * department's name ("75": "Paris"). */
	int has_code = 0;
	for (size_t i = 0; i < n_dep && i < VX_LOAD_MAX_DEPARTMENTS; i++)
		has_code |= vx_department_name(dep[i], dep_len[i]) != NULL;
	if (rc == 0 && n_dep > 0 && n_dep <= VX_LOAD_MAX_DEPARTMENTS && !has_code) {
		rc = vx_buf_printf(sql, "%s%s IN (", sep, d->department);
		for (size_t i = 0; i < n_dep && rc == 0; i++)
			if ((rc = vx_buf_puts(sql, i ? ", " : "")) == 0)
				rc = put_param(sql, params, off, d, dep[i], dep_len[i]);
		if (rc == 0)
			rc = vx_buf_puts(sql, ")");
	}
	if (rc == 0)
		rc = vx_buf_puts(sql, " ORDER BY id");
	/* The text no longer moves. */
	for (int i = 0; i < params->n; i++)
		params->v[i] = params->text.data + off[i];
	return rc;
}

/* Source ids are dense in practice; a binary search keeps any gaps cheap. */
static vx_load_source_row *find_source(vx_load *l, int64_t id)
{
	size_t lo = 0, hi = l->n_sources;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->sources[mid].id == id)
			return &l->sources[mid];
		if (l->sources[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The strings buffer no longer moves once the first experience comes. */
static void point_sources(vx_load *l)
{
	for (size_t i = 0; i < l->n_sources; i++) {
		l->sources[i].src.path = l->strings.data + l->sources[i].path_off;
		l->sources[i].src.format = l->strings.data + l->sources[i].format_off;
		l->sources[i].src.encoding = l->strings.data + l->sources[i].encoding_off;
	}
}

int vx_load_row(vx_load *l, int64_t source_id, int64_t line, const char *const *cols, size_t channels_len)
{
	int rc = 0;
	vx_experience e;
	memset(&e, 0, sizeof e);
	if (l->n_sources && l->sources[0].src.path == NULL)
		point_sources(l);
	vx_load_source_row *ls = find_source(l, source_id);
	if (ls == NULL)
		return vx_error_set(VX_EDB, "base de données : l'expérience %s renvoie à une source absente",
		                    cols[VX_LOAD_ID]);
	e.source = ls->src.path;
	e.line = (uint32_t)line;
	e.id = cols[VX_LOAD_ID];
	e.date = cols[VX_LOAD_DATE];
	e.date_text = cols[VX_LOAD_DATE_TEXT];
	e.feeling = vx_store_feeling_parse(cols[VX_LOAD_FEELING]);
	e.service = cols[VX_LOAD_SERVICE];
	e.structure = cols[VX_LOAD_STRUCTURE];
	e.department = cols[VX_LOAD_DEPARTMENT];
	for (int d = 0; d < VX_DIM_COUNT; d++)
		e.dims[d] = vx_store_feeling_parse(cols[VX_LOAD_DIM0 + d]);
	e.title = cols[VX_LOAD_TITLE];
	e.text = cols[VX_LOAD_TEXT];
	e.reply = cols[VX_LOAD_REPLY];
	e.row_json = "";
	uint32_t nch = 0;
	if ((rc = vx_channels_decode(&l->chan, &nch, cols[VX_LOAD_CHANNELS], channels_len)) != 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		return vx_error_set(
		        VX_EDB, "base de données : expérience %s : les canaux ne sont pas une liste JSON de noms (%s)",
		        e.id, msg);
	}
	if (nch > l->chan_cap) {
		const char **p = realloc(l->chan_ptrs, nch * sizeof *p);
		if (p == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory loading experiences");
		l->chan_ptrs = p;
		l->chan_cap = nch;
	}
	const char *q = l->chan.data;
	for (uint32_t k = 0; k < nch; k++) {
		l->chan_ptrs[k] = q;
		q += strlen(q) + 1;
	}
	e.channels = l->chan_ptrs;
	e.n_channels = nch;
	if (!vx_filter_match(l->filter, &e))
		return 0;
	if ((rc = vx_corpus_add(l->corpus, &e)) != 0)
		return rc;
	ls->used = 1;
	return 0;
}

int vx_load_finish(vx_load *l)
{
	if (l->n_sources && l->sources[0].src.path == NULL)
		point_sources(l);
	for (size_t i = 0; i < l->n_sources; i++) {
		if (!l->sources[i].used)
			continue;
		int rc = vx_corpus_add_source(l->corpus, &l->sources[i].src, NULL);
		if (rc)
			return rc;
	}
	return 0;
}
