/*
 * Corpus operations reserved to the reading stage: appending experiences
 * whose strings are already in the corpus (no second copy on the hot path)
 * and rolling back a file that failed half-way, so that a failed read
 * leaves the corpus as it was.
 */
#ifndef VX_READING_CORPUS_PRIV_H
#define VX_READING_CORPUS_PRIV_H

#include <stddef.h>

#include "voix/corpus.h"

/* Appends e without copying its strings: every string of e (and the
 * channels array) must come from vx_corpus_intern() on c or be a string
 * literal. Returns 0 or VX_ENOMEM. */
int vx_corpus_add_interned(vx_corpus *c, const vx_experience *e);

/* Allocates n uninitialised string pointers in c's storage (NULL on OOM). */
const char **vx_corpus_alloc_ptrs(vx_corpus *c, size_t n);

/* Drops the experiences, sources and rejects added after the counts given
 * (their strings stay allocated until vx_corpus_free). */
void vx_corpus_truncate(vx_corpus *c, size_t n_items, size_t n_sources, size_t n_rejects);

#endif
