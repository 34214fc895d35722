/*
 * Corpus operations reserved to the reading stage: appending experiences
 * whose strings are already in the corpus (no second copy on the hot path)
 * and rolling back a file that failed half-way, so that a failed read
 * leaves the corpus as it was; adopting the buffer of a file parsed in
 * place, whose strings then point into it.
 */
#ifndef VX_READING_CORPUS_PRIV_H
#define VX_READING_CORPUS_PRIV_H

#include <stddef.h>

#include "voix/corpus.h"

/* Appends e without copying its strings: every string of e (and the
 * channels array) must come from vx_corpus_intern() on c, lie in a block c
 * adopted, or be a string literal. Returns 0 or VX_ENOMEM. */
int vx_corpus_add_interned(vx_corpus *c, const vx_experience *e);

/* Allocates n uninitialised string pointers in c's storage (NULL on OOM). */
const char **vx_corpus_alloc_ptrs(vx_corpus *c, size_t n);

/* Drops the experiences, sources and rejects added after the counts given
 * (their strings stay allocated until vx_corpus_free). */
void vx_corpus_truncate(vx_corpus *c, size_t n_items, size_t n_sources, size_t n_rejects);

/* Hands the malloc'd block to c, which frees it in vx_corpus_free: strings
 * of experiences may then point into it (see the in-place reading in
 * reader.c). Returns 0 or VX_ENOMEM (block not taken). */
int vx_corpus_adopt(vx_corpus *c, void *block);

/* Gives block back to the caller (not freed) when it is the last one c
 * adopted: for a read that failed after vx_corpus_adopt, once the
 * experiences pointing into it are truncated away. */
void vx_corpus_disown(vx_corpus *c, const void *block);

/* Moves the strings of experiences from..count-1 that point into the last
 * adopted block (size bytes, plus the NUL after them) to its start, in
 * order, and shrinks the block to what they use: the bytes of columns no
 * experience keeps are given back. The experiences' pointers are updated;
 * no string may point into the block from elsewhere. Cannot fail (a failed
 * shrink keeps the block as it is). */
void vx_corpus_compact(vx_corpus *c, size_t from, size_t size);

#endif
