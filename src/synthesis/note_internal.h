/*
 * Shared state of one note build, passed between the synthesis steps
 * (note.c orchestrates; label.c, verbatim.c and axes.c each fill a part).
 */
#ifndef VX_SYNTHESIS_NOTE_INTERNAL_H
#define VX_SYNTHESIS_NOTE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"
#include "model/themes.h"
#include "voix/feeling.h"
#include "model/nmf.h"
#include "synthesis/codebook.h"
#include "synthesis/units.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "model/consensus.h"
#include "voix/note.h"
#include "voix/privacy.h"
#include "voix/text.h"

/* The verbatims' length in characters (verbatim.c), which the method text
 * (method.c) states. */
#define VERBATIM_MIN_CHARS 40
#define VERBATIM_MAX_CHARS 300

/* A fitted topic model over a set of unique documents. */
typedef struct vx_topic_model {
	vx_nmf nmf;           /* the consensus topics (model/consensus.h) */
	vx_consensus_stats consensus;
	size_t fit_k;         /* topics asked of each fit */
	size_t fit_rows;      /* rows each fit saw */
	uint32_t *rows;       /* matrix rows projected */
	uint32_t *row_of;     /* per matrix row: its index in rows, UINT32_MAX when not projected */
	size_t n_rows;
	float *W;             /* weights of the factorisation's topics, k - n_themed a row, columns
	                       * scaled so H rows have unit norm (read with vx_topic_weight) */
	uint32_t *w_row;      /* per row: its row in W, UINT32_MAX for none (weights 0); NULL when
	                       * row r of W is row r */
	unsigned char *member;/* n_rows x k: 1 when the row belongs to the topic */
	int *lever;           /* per topic: the codebook lever whose theme it is, -1 for an
	                       * emergent topic (NULL: all emergent) */
	size_t n_emergent;    /* topics of the factorisation among the k */
	/* The first n_themed topics are codebook themes: their weight in a row is
	 * the number of the theme's expressions found there, read from hits
	 * (matrix row x hits_stride, theme theme_col[j]) rather than stored. */
	size_t n_themed;
	const uint8_t *hits;
	size_t hits_stride;
	size_t *theme_col;
	int kind;             /* VX_THEME_COMPLAINT or VX_THEME_PRAISE: what its quotes state */
} vx_topic_model;

/* The weight of topic j in row r (an index into tm->rows). */
static inline float vx_topic_weight(const vx_topic_model *tm, size_t r, size_t j)
{
	if (j < tm->n_themed)
		return (float)tm->hits[(size_t)tm->rows[r] * tm->hits_stride + tm->theme_col[j]];
	size_t wr = tm->w_row ? tm->w_row[r] : r;
	return wr == UINT32_MAX ? 0.0f : tm->W[wr * (tm->nmf.k - tm->n_themed) + (j - tm->n_themed)];
}

typedef struct vx_build {
	const vx_corpus *corpus;
	const vx_note_options *opt;
	vx_note *note;
	vx_arena *arena;          /* the note's storage */
	vx_text *text;
	vx_masker *masker;
	size_t *docs;             /* matrix row -> corpus index */
	size_t n_docs;            /* rows of the matrix */
	size_t n_cur;             /* rows [0, n_cur) are the analysed selection; the rest the previous window */
	vx_dtm m;
	uint32_t *rep;            /* near-duplicate representative of each row */
	uint32_t *copies;         /* copies of each representative */
	int64_t *day;             /* date of each row in days, INT64_MIN when none */
	unsigned char *win;       /* per row: 1 first of its group in the previous trend window,
	                           * 2 in the current one, 0 otherwise (NULL without trend) */
	vx_strmap term_map;       /* term key -> id */
	const vx_codebook *codebook;
	uint8_t *theme_hits;      /* n_docs x n_themes: matches of each codebook theme in each row */
	size_t n_themes;
	int *theme_lever;         /* per theme: its lever in the codebook */
	int *lever_theme;         /* per lever: its theme, -1 when it has no expressions */
	unsigned char *feel;      /* per row: the feeling counted (vx_feeling), the export's or read */
	unsigned char *feel_read; /* per row: 1 when feel was read from the text */
	unsigned char *feel_model;/* per row: the feeling the model's choices use (praise to the
	                           * strengths, negative evidence of the axes): the export's, or a
	                           * confident reading, else VX_FEELING_UNKNOWN */
	vx_units units;           /* scratch */
	/* What the verbatims look for besides the topic's terms (verbatim.c):
	 * the theme's expressions and the complaint's (or praise's) cues. */
	const vx_themes *themes;        /* the codebook's themes, NULL when none */
	const vx_lexicon *quote_lexicon;/* the feelings' lexicon */
	struct vx_quote_scan *quote;    /* scanners, made on first use; vx_verbatims_free */
	uint32_t *quoted;         /* rows quoted so far, in the order of quoting; vx_verbatims_free */
	size_t n_quoted, cap_quoted;
} vx_build;

/* The feeling the model's choices use for matrix row row. */
static inline vx_feeling vx_row_model_feeling(const vx_build *b, size_t row)
{
	return (vx_feeling)b->feel_model[row];
}

/* The feeling counted for matrix row row. */
static inline vx_feeling vx_row_feeling(const vx_build *b, size_t row)
{
	return (vx_feeling)b->feel[row];
}

/* The rows (indices into tm->rows) of topic j in the analysed selection,
 * most typical (highest weight) first; at most max. */
size_t vx_topic_typical(uint32_t *out, size_t max, const vx_topic_model *tm, size_t j, const vx_build *b);

/* The max terms of highest weight in topic j. */
size_t vx_topic_top_terms(size_t *out, size_t max, const vx_topic_model *tm, size_t j);

/* Chooses a label that reads like what users write for topic j of model. */
int vx_label_topic(const char **label, vx_build *b, const vx_topic_model *tm, size_t j);

/* Picks up to max verbatims for topic j; fills t->verbatims. */
int vx_verbatims_pick(vx_topic *t, vx_build *b, const vx_topic_model *tm, size_t j, size_t max);

/* Frees what vx_verbatims_pick keeps between topics (b->quote). */
void vx_verbatims_free(vx_build *b);
/* 1 when the folded word describes a person by origin, religion or looks:
 * a sentence that holds one is not quoted (verbatim.c). */
int vx_quote_person_word(const char *folded, size_t len);

/* Masks s[0..len) into the note's storage and counts what was masked. */
const char *vx_build_mask(vx_build *b, const char *s, size_t len);

/* Masks the service, structure and channel names, and the experience ids,
 * that the note shows (src/synthesis/mask_fields.c). */
int vx_note_mask_fields(vx_build *b);

/* Rewrites in place the decimal points of numbers ("67.7") as French
 * decimal commas ("67,7"). */
void vx_fr_decimals(char *s);

/* Selects and words the improvement axes. */
int vx_axes_build(vx_build *b, const vx_codebook *cb, const vx_topic_model *tm, const size_t *shown, size_t n_shown);

#endif
