/*
 * vx_store_load: experiences back into a corpus, for the note. Only the
 * columns an experience needs are read (never the original rows), in rowid
 * order (import order: no sort, which would cost more than the rest of the
 * load for 100,000 rows), the date
 * filter is applied by SQLite and the others (which ignore case and accents)
 * by vx_filter_match, so that the database and a file give the same
 * selection.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/channels.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/error.h"

typedef struct loaded_source {
	int64_t id;
	vx_source src;   /* strings point into strings */
	size_t path_off, format_off, encoding_off;
	int used;
} loaded_source;

typedef struct source_table {
	loaded_source *items;
	size_t n;
	vx_buf strings;
} source_table;

static void source_table_free(source_table *t)
{
	free(t->items);
	vx_buf_free(&t->strings);
}

static int put_str(vx_buf *b, const unsigned char *s, size_t *off)
{
	*off = b->len;
	int rc = vx_buf_puts(b, s ? (const char *)s : "");
	return rc ? rc : vx_buf_putc(b, '\0');
}

/* Reads the sources table (a few rows) in id order. */
static int read_sources(sqlite3 *db, source_table *t)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
	                       "SELECT id, path, sha256, format, encoding, separator, rows_read, rows_rejected,"
	                       " c1_repaired, (SELECT count(*) FROM sources), lines_repaired FROM sources ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(db, "reading the sources");
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->items == NULL) {
			size_t total = (size_t)sqlite3_column_int64(st, 9);
			t->items = calloc(total ? total : 1, sizeof *t->items);
			if (t->items == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory reading the sources");
				goto done;
			}
		}
		if (t->n >= (size_t)sqlite3_column_int64(st, 9))
			break;
		loaded_source *ls = &t->items[t->n];
		ls->id = sqlite3_column_int64(st, 0);
		if ((rc = put_str(&t->strings, sqlite3_column_text(st, 1), &ls->path_off)) ||
		    (rc = put_str(&t->strings, sqlite3_column_text(st, 3), &ls->format_off)) ||
		    (rc = put_str(&t->strings, sqlite3_column_text(st, 4), &ls->encoding_off)))
			goto done;
		const unsigned char *sha = sqlite3_column_text(st, 2);
		snprintf(ls->src.sha256, sizeof ls->src.sha256, "%s", sha ? (const char *)sha : "");
		const unsigned char *sep = sqlite3_column_text(st, 5);
		ls->src.separator = '\0';
		if (sep != NULL)
			ls->src.separator = (char)sep[0];
		ls->src.rows_read = (size_t)sqlite3_column_int64(st, 6);
		ls->src.rows_rejected = (size_t)sqlite3_column_int64(st, 7);
		ls->src.c1_repaired = (size_t)sqlite3_column_int64(st, 8);
		ls->src.lines_repaired = (size_t)sqlite3_column_int64(st, 10);
		t->n++;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = vx_store_db_error(db, "reading the sources");
	/* The strings buffer no longer moves: point into it. */
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		t->items[i].src.path = t->strings.data + t->items[i].path_off;
		t->items[i].src.format = t->strings.data + t->items[i].format_off;
		t->items[i].src.encoding = t->strings.data + t->items[i].encoding_off;
	}
done:
	sqlite3_finalize(st);
	return rc;
}

/* Source ids are dense in practice; a binary search keeps any gaps cheap. */
static loaded_source *find_source(source_table *t, int64_t id)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->items[mid].id == id)
			return &t->items[mid];
		if (t->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

enum {
	C_SOURCE, C_LINE, C_ID, C_DATE, C_DATE_TEXT, C_FEELING, C_SERVICE, C_STRUCTURE, C_DEPARTMENT,
	C_CHANNELS, C_DIM0, C_TITLE = C_DIM0 + VX_DIM_COUNT, C_TEXT, C_REPLY
};

int vx_store_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter)
{
	int rc = 0;
	sqlite3_stmt *st = NULL;
	source_table sources = {0};
	vx_buf sql = VX_BUF_INIT, chan = VX_BUF_INIT;
	const char **chan_ptrs = NULL;
	uint32_t chan_cap = 0;
	const char *since = filter && filter->since && *filter->since ? filter->since : NULL;
	const char *until = filter && filter->until && *filter->until ? filter->until : NULL;

	if ((rc = read_sources(s->db, &sources)) != 0)
		goto done;
	rc = vx_buf_puts(&sql, "SELECT source_id, line, ext_id, date, date_text, feeling, service, structure,"
	                       " department, channels, accessibilite, information, relation, reactivite,"
	                       " simplicite, title, text, reply FROM experiences");
	/* Dates are "YYYY-MM-DD" or "": text comparison is date order, and an
	 * experience without a date is left out when a bound is set. */
	if (rc == 0 && (since || until))
		rc = vx_buf_puts(&sql, " WHERE date <> ''");
	if (rc == 0 && since)
		rc = vx_buf_puts(&sql, " AND substr(date, 1, 10) >= substr(?1, 1, 10)");
	if (rc == 0 && until)
		rc = vx_buf_puts(&sql, " AND substr(date, 1, 10) <= substr(?2, 1, 10)");
	if (rc == 0)
		rc = vx_buf_puts(&sql, " ORDER BY id");
	if (rc)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "reading experiences");
		goto done;
	}
	if (since)
		sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
	if (until)
		sqlite3_bind_text(st, 2, until, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_experience e;
		memset(&e, 0, sizeof e);
		loaded_source *ls = find_source(&sources, sqlite3_column_int64(st, C_SOURCE));
		if (ls == NULL) {
			rc = vx_error_set(VX_EDB, "database: experience %s refers to a missing source", col(st, C_ID));
			goto done;
		}
		e.source = ls->src.path;
		e.line = (uint32_t)sqlite3_column_int64(st, C_LINE);
		e.id = col(st, C_ID);
		e.date = col(st, C_DATE);
		e.date_text = col(st, C_DATE_TEXT);
		e.feeling = vx_store_feeling_parse(col(st, C_FEELING));
		e.service = col(st, C_SERVICE);
		e.structure = col(st, C_STRUCTURE);
		e.department = col(st, C_DEPARTMENT);
		for (int d = 0; d < VX_DIM_COUNT; d++)
			e.dims[d] = vx_store_feeling_parse(col(st, C_DIM0 + d));
		e.title = col(st, C_TITLE);
		e.text = col(st, C_TEXT);
		e.reply = col(st, C_REPLY);
		e.row_json = "";
		const char *cj = col(st, C_CHANNELS);
		uint32_t nch = 0;
		if ((rc = vx_channels_decode(&chan, &nch, cj, (size_t)sqlite3_column_bytes(st, C_CHANNELS))) != 0) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", vx_error_last());
			rc = vx_error_set(VX_EDB, "database: experience %s: channels are not a JSON list of names (%s)",
			                  e.id, msg);
			goto done;
		}
		if (nch > chan_cap) {
			const char **p = realloc(chan_ptrs, nch * sizeof *p);
			if (p == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory loading experiences");
				goto done;
			}
			chan_ptrs = p;
			chan_cap = nch;
		}
		const char *q = chan.data;
		for (uint32_t k = 0; k < nch; k++) {
			chan_ptrs[k] = q;
			q += strlen(q) + 1;
		}
		e.channels = chan_ptrs;
		e.n_channels = nch;
		if (!vx_filter_match(filter, &e))
			continue;
		if ((rc = vx_corpus_add(corpus, &e)) != 0)
			goto done;
		ls->used = 1;
	}
	if (r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "reading experiences");
		goto done;
	}
	for (size_t i = 0; i < sources.n; i++) {
		if (!sources.items[i].used)
			continue;
		if ((rc = vx_corpus_add_source(corpus, &sources.items[i].src, NULL)) != 0)
			goto done;
	}
done:
	sqlite3_finalize(st);
	source_table_free(&sources);
	vx_buf_free(&sql);
	vx_buf_free(&chan);
	free(chan_ptrs);
	return rc;
}
