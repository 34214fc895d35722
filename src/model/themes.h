/*
 * Themes of the codebook found in the experiences: each theme (a problem
 * users meet, or a quality they praise) has expressions, sequences of words
 * matched on the analyser's tokens, so that "impossible de joindre le
 * service" and "Impossible de JOINDRE" are the same words, and elisions
 * ("d'attente") are split as in the texts.
 *
 * Expression syntax (docs/codebook.md), words separated by spaces:
 *   word      that word, folded (lower case, no accents)
 *   word*     any word starting with it
 *   #         a number written in digits or in words ("3", "trois", "plusieurs")
 *   (a|b*|c)  one of the alternatives (each a single word, with or without *)
 *   ~         0 to VX_THEME_GAP_MAX words of any kind
 * A theme marked negatable ignores a match preceded, within
 * VX_THEME_NEG_WINDOW words, by a negation (pas, peu, jamais, aucun, sans,
 * manque, ni...): praise expressions are negatable ("pas aimable" is not
 * courtesy).
 *
 * Scanning runs inside the document-term matrix's pass over the tokens
 * (model/dtm.h), one scanner per thread, so the texts are read once.
 */
#ifndef VX_MODEL_THEMES_H
#define VX_MODEL_THEMES_H

#include <stddef.h>
#include <stdint.h>

#include "voix/text.h"

#define VX_THEMES_MAX 32      /* themes in one set */
#define VX_THEME_GAP_MAX 3    /* words a "~" may skip */
#define VX_THEME_NEG_WINDOW 3 /* words before a negatable match searched for a negation */
#define VX_THEME_MAX_SLOTS 12 /* words and gaps in one expression */

typedef struct vx_themes vx_themes;
typedef struct vx_theme_scan vx_theme_scan;

int vx_themes_new(vx_themes **out);
void vx_themes_free(vx_themes *th);

/*
 * Adds expression expr[0..len) to theme (0-based, below VX_THEMES_MAX);
 * text is an analyser used to fold and split its words. Errors: VX_EFORMAT
 * with a message saying what is wrong in the expression (the caller adds
 * where it was written), VX_ENOMEM.
 */
int vx_themes_add(vx_themes *th, size_t theme, const char *expr, size_t len, int negatable, vx_text *text);

/* Themes in the set: the largest theme index given to vx_themes_add, plus one. */
size_t vx_themes_count(const vx_themes *th);

/* A scanner reads the tokens of one analyser (word ids are the analyser's). */
int vx_theme_scan_new(vx_theme_scan **out, const vx_themes *th, const vx_text *text);
void vx_theme_scan_free(vx_theme_scan *sc);

/* Feeds the next token of the current document. Fails only with VX_ENOMEM. */
int vx_theme_scan_token(vx_theme_scan *sc, const vx_token *tok);

/* Called for every match, with the positions of its first and last words
 * (see vx_theme_scan_position), after the theme's count has grown. */
typedef void (*vx_theme_match_cb)(size_t theme, uint64_t first, uint64_t last, void *payload);

/* Tells cb (NULL: nobody) of every match from now on. */
void vx_theme_scan_on_match(vx_theme_scan *sc, vx_theme_match_cb cb, void *payload);

/* Words fed since the scanner was made: the position of the last one (the
 * first word fed is 1). */
uint64_t vx_theme_scan_position(const vx_theme_scan *sc);

/* Ends a field: no expression spans it (title and text of one experience). */
void vx_theme_scan_break(vx_theme_scan *sc);

/* Ends the document: hits[t] receives the matches of theme t (at most
 * 255) for t < vx_themes_count(); the scanner is ready for the next one. */
void vx_theme_scan_take(vx_theme_scan *sc, uint8_t *hits);

#endif
