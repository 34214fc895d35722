/*
 * Allocation-light masking for callers inside the library (the redaction of
 * whole exports, the note's verbatims): the spans stay in the masker's own
 * array and the masked text is appended to a caller's buffer.
 */
#ifndef VX_PRIVACY_MASK_H
#define VX_PRIVACY_MASK_H

#include <stddef.h>

#include "util/buf.h"
#include "voix/privacy.h"

/*
 * Finds the personal data of text[0..len) and leaves *n disjoint spans,
 * sorted by start, in the masker (see vx_masker_spans). They stay valid
 * until the next call on the same masker. Fails only on out of memory.
 */
int vx_masker_scan(vx_masker *m, const char *text, size_t len, size_t *n);

/* The spans of the last vx_masker_scan(). */
const vx_pii_span *vx_masker_spans(const vx_masker *m);

/* Appends the masked text[0..len) to out (which may move) and adds the
 * masked items to counts when it is not NULL. */
int vx_masker_mask_append(vx_masker *m, vx_buf *out, const char *text, size_t len, vx_pii_counts *counts);

/* Appends text[0..len) to out with the n sorted, disjoint spans replaced
 * by their placeholders. out->data may move. */
int vx_pii_write_masked(vx_buf *out, const char *text, size_t len, const vx_pii_span *spans, size_t n);

/* Adds n spans to counts (NULL-safe). */
void vx_pii_counts_add(vx_pii_counts *counts, const vx_pii_span *spans, size_t n);

#endif
