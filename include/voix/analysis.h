/*
 * The analysis: the whole pipeline behind a note, one for every front end
 * (the command line, a server, a program). It reads the sources into a
 * corpus, builds the note and measures the run once: the reading or loading
 * of the sources, each step of the build, the total time and the peak
 * memory (the note's run part, docs/note-json.md). Rendering the note is
 * voix/render.h.
 *
 *     vx_note_options opts;
 *     vx_note_options_init(&opts);
 *     vx_analysis *a = NULL;
 *     vx_note *note = NULL;
 *     vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
 *     ro.format = VX_NOTE_FORMAT_HTML;
 *     int rc = vx_analysis_new(&a, &opts);
 *     if (rc == 0) rc = vx_analysis_add_file(a, "export.csv", NULL);
 *     if (rc == 0) rc = vx_analysis_run(&note, a);
 *     if (rc == 0) rc = vx_note_render_file("note.html", note, &ro);
 *     if (rc != 0) fprintf(stderr, "%s\n", vx_error_last());
 *     vx_note_free(note);
 *     vx_analysis_free(a);
 *
 * An analysis is used from one thread at a time.
 */
#ifndef VOIX_ANALYSIS_H
#define VOIX_ANALYSIS_H

#include <stddef.h>

#include "voix/corpus.h"
#include "voix/note.h"
#include "voix/reader.h"
#include "voix/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vx_analysis vx_analysis;

/*
 * Creates an analysis with no source yet; opts (NULL: the defaults of
 * vx_note_options_init) says what the note shows and where progress goes,
 * as vx_analysis_set_options(). Errors: those of vx_analysis_set_options(),
 * VX_ENOMEM.
 */
int vx_analysis_new(vx_analysis **out, const vx_note_options *opts);

/* Frees the analysis and its corpus. NULL-safe. Notes already made by
 * vx_analysis_run() belong to the caller and stay valid. */
void vx_analysis_free(vx_analysis *a);

/*
 * Replaces the options of the next runs with a copy of opts (its strings
 * are copied: the caller may free them on return). opts->progress, when
 * set, also receives the progress of the sources added afterwards. Returns
 * 0, or VX_EINVAL with the French message of vx_note_options_check();
 * VX_ENOMEM. The options are unchanged on error.
 */
int vx_analysis_set_options(vx_analysis *a, const vx_note_options *opts);

/*
 * Reads the export at path (CSV or JSON Lines, opts as for
 * vx_reader_read_file(), NULL for the defaults; a mapping goes in
 * opts->map or opts->map_file) and adds its experiences. Its progress is
 * reported as stage "reading" with the bytes of the file, unless
 * opts->progress is set. Errors: those of vx_reader_read_file(); nothing
 * is added on error.
 */
int vx_analysis_add_file(vx_analysis *a, const char *path, const vx_read_options *opts);

/*
 * Adds every experience of an open store (voix/store.h), which is only
 * used during the call. The note's filters are applied when it is built,
 * so that experiences left out are counted. Progress: stage "loading",
 * 0 of 1 then 1 of 1. Errors: those of vx_store_load() (VX_EDB,
 * VX_ENOMEM); VX_EINVAL when store is NULL.
 */
int vx_analysis_add_store(vx_analysis *a, vx_store *store);

/*
 * Builds the note of the experiences added so far with the current
 * options, and writes it to *out (the caller frees it with vx_note_free;
 * it does not borrow from the analysis). Its run part holds the time spent
 * reading ("reading") or loading ("loading") the sources, then each step of
 * vx_note_build(); seconds is their sum and peak_rss_kb the peak memory of
 * the process. May be called again, for instance after changing the
 * options: each note counts the reading once. Errors: those of
 * vx_note_build() (VX_EEMPTY when nothing is left to analyse, with the
 * reason; VX_EINVAL; VX_ENOMEM); *out is NULL on error.
 */
int vx_analysis_run(vx_note **out, vx_analysis *a);

/* The experiences added so far; valid until the next add or the free. */
const vx_corpus *vx_analysis_corpus(const vx_analysis *a);

#ifdef __cplusplus
}
#endif
#endif
