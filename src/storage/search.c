/*
 * vx_store_search: the user's words go through vx_fts_query_build (never as
 * FTS5 syntax), matches are ranked by BM25 with the title weighing twice the
 * text, and each hit's excerpt is cut from the text *after* masking personal
 * data, so that a name at the edge of an excerpt cannot escape the masker.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/fts_query.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/error.h"

/* BM25 weights of the indexed columns (title, text): a word in the title
 * says more about what the experience is about. The ranking and the LIMIT
 * are inside the subquery, on the full-text index alone (bm25 reads only
 * the index and its document sizes): the rows of experiences, with their
 * texts, are read for the LIMIT best matches only, not for every match
 * before the sort (a frequent word matches tens of thousands of rows;
 * bench/serve/RESULTS.md). */
#define VX_SEARCH_SQL                                                                                    \
	"SELECT e.ext_id, s.path, e.title, e.text, m.score FROM"                                             \
	" (SELECT rowid AS rid, bm25(experiences_fts, 2.0, 1.0) AS score FROM experiences_fts"               \
	"  WHERE experiences_fts MATCH ?1 ORDER BY score, rowid LIMIT ?2) m"                                  \
	" JOIN experiences e ON e.id = m.rid JOIN sources s ON s.id = e.source_id"                             \
	" ORDER BY m.score, m.rid"

/* The count of a search on the index alone (no bm25, which would read
 * each match's document sizes, and no row of experiences). */
#define VX_SEARCH_COUNT_SQL "SELECT count(*) FROM experiences_fts WHERE experiences_fts MATCH ?1"

/* Masks text and cuts the excerpt out of the masked copy. */
static int masked_snippet(vx_store *s, vx_buf *out, int *matched, const char *text, const vx_buf *stems)
{
	char *masked = NULL;
	size_t len = strlen(text);
	int rc = vx_masker_mask(s->masker, text, len, &masked, NULL);
	if (rc)
		return rc;
	rc = vx_fts_snippet(out, matched, s->text, masked, strlen(masked), stems, VX_SNIPPET_MAX_BYTES);
	free(masked);
	return rc;
}

int vx_store_search_begin(vx_store *s, vx_buf *fts, vx_buf *stems, const char *query)
{
	int rc = 0;
	if (query == NULL)
		return vx_error_set(VX_EINVAL, "vx_store_search_begin: no query");
	if ((rc = vx_fts_query_build(fts, stems, s->text, query, strlen(query))) != 0)
		return rc;
	if (s->masker == NULL && (rc = vx_masker_new(&s->masker)) != 0)
		return rc;
	return 0;
}

int vx_store_search_hit(vx_store *s, vx_store_hit_bufs *b, const vx_store_hit_row *row,
                        int (*cb)(const vx_search_hit *hit, void *payload), void *payload)
{
	int matched = 0, title_matched = 0, rc;
	const char *title = row->title, *text = row->text, *id = row->id;
	if ((rc = masked_snippet(s, &b->snippet, &matched, text ? text : "", b->stems)) != 0)
		return rc;
	/* The words may be in the title only. */
	if (!matched && (rc = masked_snippet(s, &b->title_snippet, &title_matched, title ? title : "", b->stems)) != 0)
		return rc;
	const vx_buf *shown = title_matched ? &b->title_snippet : &b->snippet;
	/* An id is whatever the export's id column held: masked too. */
	char *masked_id = NULL;
	if ((rc = vx_masker_mask(s->masker, id ? id : "", id ? strlen(id) : 0, &masked_id, NULL)) != 0)
		return rc;
	vx_search_hit hit = {
		.id = masked_id,
		.source = row->source,
		.snippet = shown->data ? shown->data : "",
		.rank = row->rank,
	};
	rc = cb(&hit, payload);
	free(masked_id);
	return rc;
}

void vx_store_hit_bufs_free(vx_store_hit_bufs *b)
{
	vx_buf_free(&b->snippet);
	vx_buf_free(&b->title_snippet);
}

int vx_sqlite_search(vx_store *s, const char *query, size_t limit,
                     int (*cb)(const vx_search_hit *hit, void *payload), void *payload)
{
	int rc = 0;
	sqlite3_stmt *st = NULL;
	vx_buf fts = VX_BUF_INIT, stems = VX_BUF_INIT;
	vx_store_hit_bufs bufs = {&stems, VX_BUF_INIT, VX_BUF_INIT};
	if ((rc = vx_store_search_begin(s, &fts, &stems, query)) != 0)
		goto done;
	if (sqlite3_prepare_v2(s->db, VX_SEARCH_SQL, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "recherche");
		goto done;
	}
	sqlite3_bind_text(st, 1, fts.data, (int)fts.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit > (size_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_store_hit_row row = {
			.id = (const char *)sqlite3_column_text(st, 0),
			.source = (const char *)sqlite3_column_text(st, 1),
			.title = (const char *)sqlite3_column_text(st, 2),
			.text = (const char *)sqlite3_column_text(st, 3),
			.rank = -sqlite3_column_double(st, 4),
		};
		if ((rc = vx_store_search_hit(s, &bufs, &row, cb, payload)) != 0)
			goto done;
	}
	if (r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "recherche");
done:
	sqlite3_finalize(st);
	vx_buf_free(&fts);
	vx_buf_free(&stems);
	vx_store_hit_bufs_free(&bufs);
	return rc;
}

int vx_sqlite_search_count(vx_store *s, const char *query, size_t *count)
{
	int rc = 0;
	sqlite3_stmt *st = NULL;
	vx_buf fts = VX_BUF_INIT, stems = VX_BUF_INIT;
	if ((rc = vx_store_search_begin(s, &fts, &stems, query)) != 0)
		goto done;
	if (sqlite3_prepare_v2(s->db, VX_SEARCH_COUNT_SQL, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "décompte des résultats");
		goto done;
	}
	sqlite3_bind_text(st, 1, fts.data, (int)fts.len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = vx_store_db_error(s->db, "décompte des résultats");
		goto done;
	}
	*count = (size_t)sqlite3_column_int64(st, 0);
done:
	sqlite3_finalize(st);
	vx_buf_free(&fts);
	vx_buf_free(&stems);
	return rc;
}
