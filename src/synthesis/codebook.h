/*
 * The codebook of public-service levers from which improvement axes are
 * worded. Each lever has a key, a title, an actionable text, the words that
 * signal it in users' experiences and the DITP dimensions it concerns.
 * The built-in codebook is text in the same format a user can edit and pass
 * with --codebook (docs/codebook.md).
 *
 * Format: UTF-8 lines; "# ..." comments; "[key]" starts a lever; then
 * "titre: ...", "texte: ...", "mots: a, b, c", "dimensions: X, Y", and for
 * a theme "sujet: heading", "type: plainte|point_fort|renvoi" and
 * "expressions: e1 ; e2" (repeatable). A complaint lever needs titre,
 * texte and mots or expressions; a praise theme needs sujet and
 * expressions; a referral theme needs expressions.
 */
#ifndef VX_SYNTHESIS_CODEBOOK_H
#define VX_SYNTHESIS_CODEBOOK_H

#include <stddef.h>

#include "voix/corpus.h"

#define VX_CODEBOOK_MAX_WORDS 48
#define VX_CODEBOOK_MAX_EXPRS 96

enum { VX_THEME_COMPLAINT = 0, VX_THEME_PRAISE = 1, VX_THEME_REFERRAL = 2 };

/* One theme expression (syntax in model/themes.h) and the line it is on. */
typedef struct vx_codebook_expr {
	char *text;
	size_t line;
} vx_codebook_expr;

typedef struct vx_lever {
	char *key, *title, *text;
	char *topic;            /* "sujet:": the heading of the theme as a topic, or NULL */
	int kind;               /* "type:": VX_THEME_COMPLAINT (plainte, the default),
	                         * VX_THEME_PRAISE (point_fort: heads a strength, no axis) or
	                         * VX_THEME_REFERRAL (renvoi: a text that only points to a document) */
	char *words[VX_CODEBOOK_MAX_WORDS];
	size_t n_words;
	vx_codebook_expr exprs[VX_CODEBOOK_MAX_EXPRS];
	size_t n_exprs;
	vx_dimension dims[VX_DIM_COUNT];
	size_t n_dims;
	size_t line;            /* line of its [key] */
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
