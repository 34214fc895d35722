/*
 * Making a note outside vx_note_build(): for readers of a note's formats
 * (src/rendering/json_read.c), which fill its fields themselves.
 */
#ifndef VX_SYNTHESIS_NOTE_STORAGE_H
#define VX_SYNTHESIS_NOTE_STORAGE_H

#include "util/arena.h"
#include "voix/note.h"

/* A zeroed note with its storage: *arena is where its strings and arrays
 * go, freed with the note by vx_note_free(). Errors: VX_ENOMEM. */
int vx_note_new_empty(vx_note **out, vx_arena **arena);

/* What the selection of vx_note_build() keeps for vx_note_trends() when
 * the note is filtered by feeling: kept[i] is 1 when the feeling the note
 * reports for experience i of its corpus (rows experiences) is the
 * filter's. kept lives in the note's arena. */
void vx_note_set_feeling_kept(vx_note *n, const unsigned char *kept, size_t rows);
/* That array when the note has one for a corpus of rows experiences, else
 * NULL (no feeling filter, a note read from a file, another corpus). */
const unsigned char *vx_note_feeling_kept(const vx_note *n, size_t rows);

#endif
