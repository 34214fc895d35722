/*
 * vx_layout: which known export a header belongs to, and the index of the
 * column holding each field of an experience. Columns are matched by name
 * ignoring case, accents and repeated spaces, in any order.
 */
#ifndef VX_READING_LAYOUT_H
#define VX_READING_LAYOUT_H

#include <stddef.h>

#include "reading/csv.h"
#include "reading/mapping.h"

typedef enum vx_shape {
	VX_SHAPE_UNKNOWN = 0,
	VX_SHAPE_SPPLUS_2023,
	VX_SHAPE_SPPLUS_2025,
	VX_SHAPE_GOOGLE,
} vx_shape;

typedef struct vx_layout {
	vx_shape shape;
	const char *format;           /* vx_source.format (static string) */
	long col[VX_ROLE_COUNT];      /* column index per field, -1 when absent */
	long date_alt;                /* date column used when col[DATE] is empty, or -1 */
	long dim[VX_DIM_COUNT];       /* the five DITP axes, -1 when absent */
	vx_feeling_scale scale;
	int relative_dates;           /* 1: "2 months ago" is kept as date_text */
} vx_layout;

/*
 * Fills *out for a file whose n column names are names[] (pointer +
 * length, UTF-8), with the mapping m (may be empty) applied over the
 * detected shape. is_jsonl selects the "jsonl" format name.
 * Returns 0, or:
 *  VX_EINVAL   the mapping names a column the file does not have;
 *  VX_EFORMAT  an unknown shape and no mapping (or a mapping without text);
 * the messages list the columns found (cut to fit) and say to use --map.
 */
int vx_layout_detect(vx_layout *out, const vx_csv_field *names, size_t n, const vx_mapping *m,
                     int is_jsonl, const char *source_name);

#endif
