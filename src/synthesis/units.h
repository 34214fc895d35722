/*
 * Word units of one text, for labels and verbatims: tokens with hyphenated
 * compounds joined (as in the document-term matrix), each with its byte
 * span and, when it is a kept model term, the term id.
 */
#ifndef VX_SYNTHESIS_UNITS_H
#define VX_SYNTHESIS_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"
#include "util/strmap.h"
#include "voix/text.h"

typedef struct vx_unit {
	size_t start, end;     /* bytes in the text */
	int32_t term;          /* model term id, -1 when not a kept term */
	int stop;              /* a stop word (may sit inside a phrase) */
	int numeric;           /* holds a digit */
	char key[64];          /* stem key (compounds joined by '-') or folded stop word */
} vx_unit;

typedef struct vx_units {
	vx_unit *u;
	size_t n, cap;
} vx_units;

/* Splits text into units; term ids come from terms (dtm key -> id).
 * The array is reused between calls (it may move). */
int vx_units_split(vx_units *out, vx_text *t, const vx_strmap *terms, const char *text, size_t len);
/* The same, telling also (when not NULL) of every token of the text as the
 * analyser gives it, before compounds are joined; a non-zero return from
 * also stops the split and is returned. */
int vx_units_split_with(vx_units *out, vx_text *t, const vx_strmap *terms, const char *text, size_t len,
                        vx_token_cb also, void *payload);
void vx_units_free(vx_units *u);

/* Builds the key -> term id map of a matrix. */
int vx_units_term_map(vx_strmap *out, const vx_dtm *m);

#endif
