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

#endif
