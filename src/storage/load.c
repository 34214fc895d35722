/*
 * vx_store_load for SQLite: experiences back into a corpus, for the note.
 * Only the columns an experience needs are read (never the original rows),
 * in rowid order (import order: no sort, which would cost more than the
 * rest of the load for 100,000 rows), the dates, the feeling and the
 * departments of the filter are applied by SQLite too, and every filter
 * (service, structure and channel ignore case and accents) by
 * vx_filter_match (load_rows.c), so that the database and a file give the
 * same selection.
 */
#include <stdint.h>
#include <stdio.h>

#include "storage/load_rows.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/error.h"

static int source_row(const char *const *cols, int ncols, void *payload)
{
	return vx_load_source(payload, cols, ncols);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

/* The two integer columns come first in VX_LOAD_SELECT. */
#define VX_LOAD_FIRST_TEXT 2

int vx_sqlite_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter)
{
	int rc = 0;
	sqlite3_stmt *st = NULL;
	vx_load l;
	vx_buf sql = VX_BUF_INIT;
	vx_load_params params = {.n = 0};
	static const vx_load_dialect dialect = {"?%d", "trim(department, ' ' || char(9, 10, 13))"};
	vx_load_init(&l, corpus, filter);
	vx_buf_init(&params.text, 0);

	if ((rc = s->ops->rows(s, VX_LOAD_SOURCES, 0, NULL, "lecture des sources", source_row, &l)) != 0)
		goto done;
	if ((rc = vx_buf_puts(&sql, VX_LOAD_SELECT)) != 0 ||
	    (rc = vx_load_where(&sql, &params, filter, &dialect)) != 0)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "lecture des expériences");
		goto done;
	}
	for (int i = 0; i < params.n; i++)
		sqlite3_bind_text(st, i + 1, params.v[i], -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cols[VX_LOAD_COLS];
		for (int i = 0; i < VX_LOAD_COLS; i++)
			cols[i] = col(st, VX_LOAD_FIRST_TEXT + i);
		size_t chan_len = (size_t)sqlite3_column_bytes(st, VX_LOAD_FIRST_TEXT + VX_LOAD_CHANNELS);
		if ((rc = vx_load_row(&l, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), cols, chan_len)) != 0)
			goto done;
	}
	if (r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "lecture des expériences");
		goto done;
	}
	rc = vx_load_finish(&l);
done:
	sqlite3_finalize(st);
	vx_load_free(&l);
	vx_load_params_free(&params);
	vx_buf_free(&sql);
	return rc;
}
