/*
 * The feeling scanner behind voix/feeling.h, fed the tokens of the
 * document-term matrix's pass (model/dtm.h) so that the texts are read once:
 * one scanner per analyser (thread), a document at a time.
 */
#ifndef VX_MODEL_FEELING_H
#define VX_MODEL_FEELING_H

#include <stddef.h>

#include "voix/feeling.h"
#include "voix/text.h"

typedef struct vx_feeling_scan vx_feeling_scan;

int vx_feeling_scan_new(vx_feeling_scan **out, const vx_lexicon *lx);
void vx_feeling_scan_free(vx_feeling_scan *fs);

/* Starts a field of the current document (0: title, 1: text); field is its
 * text, which the tokens that follow index, until the next field. */
void vx_feeling_scan_field(vx_feeling_scan *fs, const char *field, int which);

/* Feeds the next token of the current field. Fails only with VX_ENOMEM. */
int vx_feeling_scan_token(vx_feeling_scan *fs, const vx_token *tok);

/* Ends the document: its reading, and its cues as vx_feeling_reader_read
 * gives them (cues may be NULL). The scanner is ready for the next one. */
void vx_feeling_scan_take(vx_feeling_scan *fs, vx_feeling_reading *out, vx_feeling_cue *cues, size_t max_cues,
                          size_t *n_cues);

#endif
