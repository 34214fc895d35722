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

/* Departments of a filter pushed into the query at most; a longer list
 * is matched after loading only (vx_filter_match matches every row). */
#define VX_LOAD_MAX_DEPARTMENTS 32

/* The parameters of the experiences query, numbered from 1 in the order
 * of v: NUL-terminated texts, in text (v points into it). */
typedef struct vx_load_params {
	const char *v[2 + 1 + VX_LOAD_MAX_DEPARTMENTS]; /* since, until, feeling, departments */
	int n;
	vx_buf text;
} vx_load_params;

/* How a backend writes a parameter and the department trimmed. */
typedef struct vx_load_dialect {
	const char *param;      /* printf format of parameter number %d: "?%d", "$%d::text" */
	const char *department; /* the column without the blanks around it */
} vx_load_dialect;

/*
 * The WHERE and ORDER BY of the experiences query into sql, and its
 * parameters into *params (vx_load_params_free() frees them, also on
 * error): the date bounds, the stored feeling and the departments of the
 * filter that are set, each as a parameter written as d says. The rows
 * still go through vx_filter_match (vx_load_row), which the SQL only
 * narrows: the same rows come from either backend and from a file.
 * Errors: VX_ENOMEM.
 */
int vx_load_where(vx_buf *sql, vx_load_params *params, const vx_filter *filter, const vx_load_dialect *d);
void vx_load_params_free(vx_load_params *params);

/* One experience row: its source id, line, and cols[VX_LOAD_COLS] (never
 * NULL), channels_len the length of cols[VX_LOAD_CHANNELS]. Added to the
 * corpus when it passes the filter. Errors: VX_EDB (a missing source,
 * channels that are not a JSON list), VX_ENOMEM. */
int vx_load_row(vx_load *l, int64_t source_id, int64_t line, const char *const *cols, size_t channels_len);

/* Adds to the corpus the sources of the experiences added. Errors:
 * VX_ENOMEM. */
int vx_load_finish(vx_load *l);

#endif
