/*
 * Terms that name the administration rather than the experience.
 *
 * A multi-service export is dominated by words such as "CAF", "consulat",
 * "passeport" or "retraite": a naive topic model returns one topic per
 * administration. These rules find such terms so they can be left out of
 * the topic model (they stay in the facets: service type, structure):
 *  1. a term listed in the institutions lexicon;
 *  2. a term that appears in a service-type or structure name of the corpus
 *     (unless it is a generic service word such as "accueil");
 *  3. a term concentrated in one facet value: P(value | term) >= 0.6 and at
 *     least 4 times what the feelings of its documents would predict.
 * Measurements and reasons: docs/model.md.
 */
#ifndef VX_MODEL_FACETS_H
#define VX_MODEL_FACETS_H

#include <stddef.h>
#include <stdint.h>

#include "model/dtm.h"
#include "voix/corpus.h"
#include "voix/text.h"

#define VX_FACET_MIN_SHARE 0.6
#define VX_FACET_MIN_LIFT 4.0
#define VX_FACET_MIN_DF 5

typedef struct vx_facet_report {
	size_t lexicon, label, concentrated;  /* terms flagged by each rule */
} vx_facet_report;

/*
 * Sets drop[t] = 1 for the terms of m that name the administration. docs
 * maps the rows of m to corpus indices. report may be NULL.
 */
int vx_facets_flag_terms(unsigned char *drop, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                         vx_text *text, vx_facet_report *report);

#endif
