/*
 * The document-term matrix: each analysed experience as a sparse vector of
 * content terms (Snowball stems of non-stop words, hyphenated compounds kept
 * whole), with document frequencies and the most frequent surface form of
 * every term, ready for weighting (TF-IDF) and topic extraction.
 */
#ifndef VX_MODEL_DTM_H
#define VX_MODEL_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "voix/corpus.h"
#include "model/themes.h"
#include "voix/feeling.h"
#include "voix/text.h"

typedef struct vx_dtm {
	size_t n_docs;
	size_t n_terms;
	uint32_t *row_ptr;    /* n_docs + 1 offsets into col/val */
	uint32_t *col;        /* term ids, increasing within a row */
	float *val;           /* term counts, later weights */
	uint32_t *df;         /* documents containing each term */
	uint64_t *tf_total;   /* occurrences of each term */
	char **key;           /* the folded stem key of each term ("rendez-vous", "delai") */
	char **surface;       /* its most frequent written form, lower case */
	uint64_t *doc_sig;    /* per document: hash of its normalised word sequence */
	uint32_t *doc_len;    /* per document: content words */
} vx_dtm;

/*
 * Builds the matrix of the experiences docs[0..n) of corpus (title and text).
 * Terms are kept when min_df <= df <= max_df_share * n and they are not in
 * the domain stop list. Term ids are assigned in order of first appearance,
 * so the result is deterministic for a given corpus order.
 */
int vx_dtm_build(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                 uint32_t min_df, double max_df_share);
void vx_dtm_free(vx_dtm *m);

/* The same with an explicit number of threads (1 or 2): the result does not
 * depend on it (vx_dtm_build uses 2 from 4,000 documents on). */
int vx_dtm_build_parts(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                       uint32_t min_df, double max_df_share, size_t n_parts);

/* The same, finding the themes' expressions in the same pass over the
 * tokens: hits[row * vx_themes_count(themes) + t] receives the matches of
 * theme t in document row (title and text). n_parts 0 chooses as
 * vx_dtm_build does. */
int vx_dtm_build_themes(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                        uint32_t min_df, double max_df_share, size_t n_parts, const vx_themes *themes,
                        uint8_t *hits);

/* What the pass over the tokens finds besides the terms. */
typedef struct vx_dtm_scan {
	const vx_themes *themes;       /* NULL: no theme scan */
	uint8_t *hits;                 /* n x vx_themes_count(themes), as vx_dtm_build_themes fills it */
	const vx_lexicon *lexicon;     /* NULL: no feeling read */
	vx_feeling_reading *feelings;  /* n readings: the feeling read from each document's words */
} vx_dtm_scan;

/* The same, with the scans of scan (NULL: none). */
int vx_dtm_build_scan(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                      uint32_t min_df, double max_df_share, size_t n_parts, const vx_dtm_scan *scan);

/* Removes the terms whose drop[t] is non-zero, renumbering the others (in the
 * same relative order). */
int vx_dtm_drop_terms(vx_dtm *m, const unsigned char *drop);

/* Replaces counts with sublinear TF-IDF weights, rows L2-normalised.
 * idf = ln((1 + n) / (1 + df)) + 1, tf = 1 + ln(count). */
int vx_dtm_tfidf(vx_dtm *m);

/* 1 when the folded word is in the feedback stop list (greetings, verdicts...). */
int vx_dtm_is_domain_stopword(const char *folded, size_t len);

/* Terms of institution words are keyed by this mark and the folded word
 * ("=caf"), apart from the stems of ordinary words. */
#define VX_DTM_INSTITUTION_MARK '='

/* 1 when the folded word names an institution or the object of its
 * procedure (caf, consulat, passeport...). */
int vx_dtm_is_institution_word(const char *folded, size_t len);

/* 1 when the folded word is a French number word ("deux", "trois"...). */
int vx_dtm_is_number_word(const char *folded, size_t len);

#endif
