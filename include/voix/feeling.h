/*
 * Feelings read from the words of an experience, for the rows whose export
 * gives none: positif, neutre or négatif, with a confidence and the cues
 * that decided it.
 *
 * A lexicon (data/feelings.txt is the built-in one; docs/feeling.md gives
 * the format) holds weighted cues, expressions in the codebook's syntax
 * ("satisfait*", "aucun ~ (problème*|souci*)"), and three word lists:
 * negations, intensifiers and contrasts. Reading a text finds its cues
 * (the longest where they overlap), reverses a cue that a negation precedes
 * within 3 words of the same clause ("pas du tout satisfait"), strengthens
 * one an intensifier precedes ("très aimable"), halves those before the last
 * contrast of a field ("accueil aimable mais aucune réponse"), and sums
 * them: positif from +1, négatif from -1, neutre in between or with no cue.
 * The reading is deterministic and explainable; irony is not read.
 */
#ifndef VOIX_FEELING_H
#define VOIX_FEELING_H

#include <stddef.h>
#include <stdint.h>

#include "voix/corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A reading at or above this confidence is called confident. */
#define VX_FEELING_CONFIDENT 0.5f
/* The rules of a reading (docs/feeling.md), named here so that what a note
 * says of them is what the reader does: a negation reverses a cue it
 * precedes by at most this many words of the same clause; */
#define VX_FEELING_NEGATION_WORDS 3
/* an intensifier at most this many words before a cue multiplies it by
 * VX_FEELING_INTENSIFIER_GAIN ("renforce de moitié"); */
#define VX_FEELING_INTENSIFIER_WORDS 2
#define VX_FEELING_INTENSIFIER_GAIN 1.5f
/* a cue before the last contrast of its field counts for this much of
 * itself ("pour moitié"); */
#define VX_FEELING_CONTRAST_FACTOR 0.5f
/* a score of at least this is positif, of at most its opposite négatif. */
#define VX_FEELING_THRESHOLD 1

typedef struct vx_feeling_reading {
	vx_feeling feeling;   /* VX_FEELING_POSITIVE, _NEUTRAL or _NEGATIVE, never _UNKNOWN */
	float score;          /* sum of the counted cues */
	float confidence;     /* 0 (no cue) to 1: |score| / (sum of |counted| + 1) for positif and
	                       * négatif; for neutre, (1 - |score|) * E / (E + 1), E the sum */
	uint32_t n_cues;      /* cues counted */
} vx_feeling_reading;

/* One cue found in a text, as it counted. */
typedef struct vx_feeling_cue {
	int field;            /* 0: the title, 1: the text */
	size_t start, end;    /* byte span of its words in that field */
	float weight;         /* its weight in the lexicon */
	float counted;        /* what it added to the score */
	unsigned char negated, intensified, before_contrast;
} vx_feeling_cue;

typedef struct vx_lexicon vx_lexicon;

/* The built-in lexicon, as the text vx_lexicon_new reads. */
const char *vx_lexicon_builtin_text(void);

/*
 * Compiles a lexicon from text[0..len), or the built-in one when text is
 * NULL. name (a path, for messages) may be NULL. Errors: VX_EFORMAT with
 * the line and what is wrong, VX_ENOMEM.
 */
int vx_lexicon_new(vx_lexicon **out, const char *text, size_t len, const char *name);
/* The same from the file at path (at most 1 MiB), or the built-in lexicon
 * when path is NULL. Errors also VX_EIO, VX_ETOOBIG for the file. */
int vx_lexicon_load(vx_lexicon **out, const char *path);
void vx_lexicon_free(vx_lexicon *lx);

/* Reads texts one after the other with one analyser (not thread-safe: one
 * reader per thread; the lexicon may be shared). */
typedef struct vx_feeling_reader vx_feeling_reader;

int vx_feeling_reader_new(vx_feeling_reader **out, const vx_lexicon *lx);
void vx_feeling_reader_free(vx_feeling_reader *r);

/*
 * Reads the feeling of an experience from its title and text (either may be
 * NULL or ""). cues, when not NULL, receives the first max_cues counted
 * cues in the order of the text (title first); *n_cues (may be NULL) the
 * number counted, which may exceed max_cues. Fails only with VX_ENOMEM.
 */
int vx_feeling_reader_read(vx_feeling_reading *out, vx_feeling_cue *cues, size_t max_cues, size_t *n_cues,
                           vx_feeling_reader *r, const char *title, const char *text);

#ifdef __cplusplus
}
#endif
#endif
