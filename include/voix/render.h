/*
 * The note's formats: choosing one by name or by file extension, rendering
 * a note to a buffer or to a file, and reading a JSON note back.
 *
 * The formats are listed in one table (src/rendering/format.c): adding one
 * is a value of vx_note_format and a line of that table. The renderers of
 * each format (vx_note_render_markdown...) stay in voix/note.h.
 */
#ifndef VOIX_RENDER_H
#define VOIX_RENDER_H

#include <stddef.h>

#include "voix/note.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vx_note_format {
	VX_NOTE_FORMAT_MARKDOWN = 0, /* "md" (or "markdown"): for people, in a viewer or a terminal */
	VX_NOTE_FORMAT_HTML,         /* "html": one self-contained page */
	VX_NOTE_FORMAT_JSON,         /* "json": schema voix.note/1, for programs (docs/note-json.md) */
	VX_NOTE_FORMAT_ASSIGNMENTS,  /* CSV, one row per topic membership (voix note --assignments);
	                              * not chosen by name or extension; needs a note built with
	                              * vx_note_options.memberships */
	VX_NOTE_FORMAT_COUNT
} vx_note_format;

/* The format named name ("md", "markdown", "html", "json": the formats of
 * the note itself, not the assignments). Returns 0, or
 * VX_EINVAL with a French message listing the formats ("format inconnu
 * « pdf » (md, html ou json)"). */
int vx_note_format_from_name(vx_note_format *out, const char *name);

/* The format a file name asks for by its extension ("note.html"). Returns 0,
 * or VX_EINVAL with a French message listing the extensions ("extension de
 * sortie inconnue (.md, .html ou .json)"). */
int vx_note_format_from_path(vx_note_format *out, const char *path);

/* The name of a format ("md", "html", "json", "assignments"), or NULL when
 * f is not one. */
const char *vx_note_format_name(vx_note_format f);

typedef struct vx_note_render_options {
	unsigned version;      /* VX_NOTE_RENDER_OPTIONS_VERSION */
	vx_note_format format; /* default Markdown */
	int timings;           /* 1: Markdown and HTML show the run time and peak memory. Without it
	                        * they are byte-identical between two runs on the same input; JSON
	                        * always carries them in "run" */
} vx_note_render_options;

#define VX_NOTE_RENDER_OPTIONS_VERSION 1
#define VX_NOTE_RENDER_OPTIONS_INIT {VX_NOTE_RENDER_OPTIONS_VERSION, VX_NOTE_FORMAT_MARKDOWN, 0}

/*
 * Writes the note in opts->format (opts may be NULL: Markdown without
 * timings) to *out, malloc'ed and NUL-terminated (the caller frees it), and
 * its length to *len (len may be NULL). The note is not changed. Errors:
 * VX_EINVAL (out or n NULL, an unknown format or options version),
 * VX_ENOMEM; *out is NULL on error.
 */
int vx_note_render(char **out, size_t *len, const vx_note *n, const vx_note_render_options *opts);

/*
 * Renders as vx_note_render() and writes the document to path, atomically:
 * it is written whole beside path, then renamed over it, so that path never
 * holds half a note. Errors: those of vx_note_render(), VX_EWRITE when the
 * file cannot be written (the message names it; path is left as it was).
 */
int vx_note_render_file(const char *path, const vx_note *n, const vx_note_render_options *opts);

/* Largest file vx_note_read_json_file() reads: a note is tens of kilobytes;
 * this leaves room for notes that list every experience of their topics. */
#define VX_NOTE_JSON_MAX_BYTES ((size_t)256 << 20)

/*
 * Reads a note written as JSON in the schema voix.note/1 (docs/note-json.md)
 * from data[0..len) and writes it to *out (the caller frees it with
 * vx_note_free). The input may come from anywhere: it is checked member by
 * member. The keys the schema calls "contract" are required; the others
 * take their default when absent; keys it does not know are ignored. The
 * JSON of the note read, rendered again by vx_note_render_json(), is the
 * input byte for byte when the input was written by it. Errors: VX_EFORMAT
 * (not JSON, another schema, a member missing or of the wrong type or
 * range; the message gives the line and column or the member's path, never
 * its text), VX_EINVAL, VX_ENOMEM; *out is NULL on error.
 */
int vx_note_read_json(vx_note **out, const char *data, size_t len);

/* Same, from the file at path (at most VX_NOTE_JSON_MAX_BYTES). Errors
 * also: VX_EIO, VX_ETOOBIG; messages name the file. */
int vx_note_read_json_file(vx_note **out, const char *path);

#ifdef __cplusplus
}
#endif
#endif
