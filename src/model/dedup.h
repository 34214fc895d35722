/*
 * Near-duplicate detection: experiences pasted several times, or with a
 * small change, count once in a note (with the number of copies shown).
 *
 * Two documents are copies when their normalised word sequences are equal,
 * or when they share the same rarest content terms and the Jaccard
 * similarity of their term sets is at least VX_DEDUP_JACCARD.
 */
#ifndef VX_MODEL_DEDUP_H
#define VX_MODEL_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"

#define VX_DEDUP_JACCARD 0.8
#define VX_DEDUP_MIN_TERMS 8   /* shorter texts are only folded when identical */

/* rep[d] receives the index of the first document of d's group (rep[d] == d
 * for the first copy). Deterministic: groups are keyed by first appearance. */
int vx_dedup_groups(uint32_t *rep, const vx_dtm *m);

#endif
