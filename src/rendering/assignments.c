/*
 * The note's memberships as CSV (voix note --assignments): one row per
 * experience counted in a topic or a strength, so that an analyst can code
 * the same experiences in a spreadsheet and anyone can recompute every count
 * of the note. Separator ";" (what French spreadsheets open directly), a
 * header row, fields quoted only when they must be (RFC 4180), weights with
 * 4 decimals. The rows follow the note: topics in rank order, then
 * strengths, each topic's experiences in the order of the corpus.
 */
#include <stdio.h>
#include <string.h>

#include "reading/csv.h"
#include "rendering/render.h"
#include "voix/error.h"
#include "voix/note.h"

#define SEP ';'
/* Weights keep 4 decimals, as the JSON keeps shares. */
#define WEIGHT_FORMAT "%.4f"

static int write_topics(vx_buf *b, const vx_topic *topics, size_t n, const char *kind)
{
	int rc = 0;
	for (size_t t = 0; t < n && rc == 0; t++) {
		const vx_topic *tp = &topics[t];
		char num[24], weight[32];
		snprintf(num, sizeof num, "%d", tp->id);
		for (size_t m = 0; m < tp->n_members && rc == 0; m++) {
			const vx_member *mb = &tp->members[m];
			snprintf(weight, sizeof weight, WEIGHT_FORMAT, mb->weight);
			const char *label = vx_render_str(tp->label);
			vx_csv_field f[5] = {{mb->experience_id, strlen(mb->experience_id), 0},
			                     {kind, strlen(kind), 0},
			                     {num, strlen(num), 0},
			                     {label, strlen(label), 0},
			                     {weight, strlen(weight), 0}};
			rc = vx_csv_write_record(b, f, 5, SEP, "\n");
		}
	}
	return rc;
}

int vx_note_render_assignments(char **out, size_t *len, const vx_note *n)
{
	if (!n->has_members)
		return vx_error_set(VX_EINVAL, "note construite sans les appartenances (option memberships)");
	vx_render_out o = {VX_BUF_INIT, 0};
	vx_render_puts(&o, "experience_id;kind;topic;label;weight\n");
	VX_OUT(&o, write_topics(&o.buf, n->topics, n->n_topics, "sujet"));
	VX_OUT(&o, write_topics(&o.buf, n->strengths, n->n_strengths, "point_fort"));
	return vx_render_finish(&o, out, len);
}
