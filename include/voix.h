/*
 * voix: synthesis notes of citizens' feedback about public services.
 * This header includes every public header of the library; a program may
 * include only the ones it uses instead. Build with pkg-config:
 *
 *     cc prog.c $(pkg-config --cflags --libs voix)
 *
 * Start with voix/analysis.h (sources -> note) and voix/render.h (note ->
 * Markdown, HTML or JSON); examples/note_example.c is a whole program.
 */
#ifndef VOIX_H
#define VOIX_H

#include "voix/accounts.h"
#include "voix/analysis.h"
#include "voix/collect.h"
#include "voix/compare.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/feeling.h"
#include "voix/note.h"
#include "voix/privacy.h"
#include "voix/reader.h"
#include "voix/render.h"
#include "voix/serve.h"
#include "voix/store.h"
#include "voix/text.h"
#include "voix/util.h"

#endif
