/*
 * Near-duplicate detection: experiences pasted several times, or with a
 * small change, count once in a note (with the number of copies shown).
 *
 * Two documents are copies when
 *  1. their normalised word sequences are equal; or
 *  2. they share the same rarest content terms and the Jaccard similarity of
 *     their term sets is at least VX_DEDUP_JACCARD; or
 *  3. their skeletons match: the skeleton of a text (title and text) keeps
 *     only its ASCII consonants other than 'c', lower-cased, and its digits,
 *     so that dropped or mangled accents ("déplacer", "deplacer", "dplacer",
 *     "d?placer", "d\uFFFDplacer" all give "dplr") leave it unchanged. The
 *     shorter skeleton A (at least VX_DEDUP_MIN_SKELETON characters) matches
 *     the longer B when at least VX_DEDUP_CONTAINMENT of A's
 *     VX_DEDUP_SHINGLE-character shingles occur in B, no run of more than
 *     VX_DEDUP_MAX_GAP consecutive shingles of A is missing from B, and either
 *     A and B begin with the same VX_DEDUP_MIN_SKELETON characters (A is a
 *     truncated copy) or A is at least VX_DEDUP_SIMILAR_LENGTH of B's length.
 * docs/model.md gives the reasons for each value.
 */
#ifndef VX_MODEL_DEDUP_H
#define VX_MODEL_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"
#include "voix/corpus.h"

#define VX_DEDUP_JACCARD 0.8
#define VX_DEDUP_MIN_TERMS 8   /* shorter texts are only folded when identical */
#define VX_DEDUP_RARE_TERMS 8  /* rule 2: the rarest terms that must be the same */

#define VX_DEDUP_SHINGLE 6               /* skeleton characters per shingle */
#define VX_DEDUP_MIN_SKELETON 40         /* about 70 characters of text: a sentence */
#define VX_DEDUP_CONTAINMENT 0.9
#define VX_DEDUP_MAX_GAP (VX_DEDUP_SHINGLE - 1) /* one consonant inserted or deleted */
#define VX_DEDUP_SIMILAR_LENGTH 0.8
#define VX_DEDUP_MAX_SKELETON 16384      /* longer skeletons are compared on their start */

/*
 * rep[d] receives the index of the first document of d's group (rep[d] == d
 * for the first copy), for the n_docs documents of m. Rules 1 and 2 read m;
 * rule 3 reads the title and text of corpus experience docs[d] for row d, and
 * is skipped when corpus is NULL. Deterministic: documents are taken in
 * order and join the group of an earlier copy, so the representative is the
 * group's earliest row. Linear in the total text length (candidates come from
 * hash tables, at most a few per document are checked). Returns 0, or
 * VX_ENOMEM.
 */
int vx_dedup_groups(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs);

/*
 * The same on at most max_threads threads (0: the default, two). The keys of
 * the rows are computed in fixed chunks of rows, each row's from that row
 * alone, and the groups are then formed in row order on one thread: rep is
 * the same whatever max_threads. Returns 0, or VX_ENOMEM.
 */
int vx_dedup_groups_threads(uint32_t *rep, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                            size_t max_threads);

/*
 * Writes the skeleton of s[0..len) (rule 3 above) to out, at most cap
 * characters, and returns its length. No terminating NUL. Stops early at a
 * NUL byte, so that a NUL-terminated text is read without its length first
 * (len SIZE_MAX).
 */
size_t vx_dedup_skeleton(char *out, size_t cap, const char *s, size_t len);

#endif
