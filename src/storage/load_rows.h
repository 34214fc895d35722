/*
 * Stored rows back into a corpus, for both backends' vx_store_load: the
 * sources table, then each experience row as its backend reads it, checked
 * against the filter (which ignores case and accents as on a file) and
 * added; at the end, the sources of the experiences added, in import order.
 */
#ifndef VX_STORAGE_LOAD_ROWS_H
#define VX_STORAGE_LOAD_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "voix/corpus.h"

/* The query's columns after source_id and line, in the order of
 * vx_load_row's cols (both backends select them alike). */
#define VX_LOAD_SELECT                                                                                      \
	"SELECT source_id, line, ext_id, date, date_text, feeling, service, structure,"                       \
	" department, channels, accessibilite, information, relation, reactivite,"                          \
	" simplicite, title, text, reply FROM experiences"

/* The sources query; vx_load_source takes its columns. */
#define VX_LOAD_SOURCES                                                                                     \
	"SELECT id, path, sha256, format, encoding, separator, rows_read, rows_rejected, c1_repaired,"        \
	" lines_repaired FROM sources ORDER BY id"

enum {
	VX_LOAD_ID, VX_LOAD_DATE, VX_LOAD_DATE_TEXT, VX_LOAD_FEELING, VX_LOAD_SERVICE, VX_LOAD_STRUCTURE,
	VX_LOAD_DEPARTMENT, VX_LOAD_CHANNELS, VX_LOAD_DIM0, VX_LOAD_TITLE = VX_LOAD_DIM0 + VX_DIM_COUNT,
	VX_LOAD_TEXT, VX_LOAD_REPLY, VX_LOAD_COLS
};

typedef struct vx_load_source_row vx_load_source_row;

typedef struct vx_load {
	vx_corpus *corpus;
	const vx_filter *filter;
	vx_load_source_row *sources;
	size_t n_sources, cap_sources;
	vx_buf strings;            /* the sources' strings */
	vx_buf chan;               /* the channels of the current row */
	const char **chan_ptrs;
	uint32_t chan_cap;
} vx_load;

void vx_load_init(vx_load *l, vx_corpus *corpus, const vx_filter *filter);
void vx_load_free(vx_load *l);

/* One row of VX_LOAD_SOURCES (cols[0..10), as text), in id order, before
 * any experience. Errors: VX_ENOMEM. */
int vx_load_source(vx_load *l, const char *const *cols, int ncols);

/* The WHERE and ORDER BY of the experiences query into sql: the date
 * bounds of the filter as parameters p1 (since) and p2 (until), which the
 * caller binds to the bounds set, which it receives in *since and
 * *until (NULL when unset). Errors: VX_ENOMEM. */
int vx_load_where(vx_buf *sql, const vx_filter *filter, const char *p1, const char *p2, const char **since,
                  const char **until);

/* One experience row: its source id, line, and cols[VX_LOAD_COLS] (never
 * NULL), channels_len the length of cols[VX_LOAD_CHANNELS]. Added to the
 * corpus when it passes the filter. Errors: VX_EDB (a missing source,
 * channels that are not a JSON list), VX_ENOMEM. */
int vx_load_row(vx_load *l, int64_t source_id, int64_t line, const char *const *cols, size_t channels_len);

/* Adds to the corpus the sources of the experiences added. Errors:
 * VX_ENOMEM. */
int vx_load_finish(vx_load *l);

#endif
