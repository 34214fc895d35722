/*
 * The codebook of public-service levers from which improvement axes are
 * worded. Each lever has a key, a title, an actionable text, the words that
 * signal it in users' experiences and the DITP dimensions it concerns.
 * The built-in codebook is text in the same format a user can edit and pass
 * with --codebook (docs/codebook.md).
 *
 * Format: UTF-8 lines; "# ..." comments; "[key]" starts a lever; then
 * "titre: ...", "texte: ...", "mots: a, b, c", "dimensions: X, Y".
 */
#ifndef VX_SYNTHESIS_CODEBOOK_H
#define VX_SYNTHESIS_CODEBOOK_H

#include <stddef.h>

#include "voix/corpus.h"

#define VX_CODEBOOK_MAX_WORDS 48

typedef struct vx_lever {
	char *key, *title, *text;
	char *words[VX_CODEBOOK_MAX_WORDS];
	size_t n_words;
	vx_dimension dims[VX_DIM_COUNT];
	size_t n_dims;
} vx_lever;

typedef struct vx_codebook {
	vx_lever *levers;
	size_t n;
} vx_codebook;

/* The built-in codebook text. */
const char *vx_codebook_builtin(void);

/* Parses codebook text; errors (VX_EFORMAT) name the line. */
int vx_codebook_parse(vx_codebook *out, const char *text, size_t len, const char *name);
void vx_codebook_free(vx_codebook *cb);

#endif
