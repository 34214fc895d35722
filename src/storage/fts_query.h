/*
 * From what a user types to an FTS5 query, and from a matched text to a
 * short excerpt around the match.
 *
 * The user's words are never passed to FTS5 as syntax: every word, or
 * "double-quoted group of words", becomes one FTS5 string ("..." with inner
 * quotes doubled), and the strings are joined by spaces (FTS5's implicit
 * AND). So *, ^, :, (, ), -, +, NEAR, AND, OR and NOT are plain text.
 */
#ifndef VX_STORAGE_FTS_QUERY_H
#define VX_STORAGE_FTS_QUERY_H

#include <stddef.h>

#include "util/buf.h"
#include "voix/text.h"

/*
 * Writes into fts (reset first) the FTS5 query for query[0..len), and into
 * stems (reset first) the stems of its indexed words, each followed by a NUL,
 * for highlighting. Words that the index does not hold (stop words,
 * punctuation) are dropped. Errors: VX_EINVAL when no searchable word is
 * left; VX_ENOMEM.
 */
int vx_fts_query_build(vx_buf *fts, vx_buf *stems, vx_text *t, const char *query, size_t len);

/*
 * Writes into pieces (reset first) the strings of an FTS5 query made by
 * vx_fts_query_build (fts[0..len)), unquoted, each followed by a NUL, and
 * their number into *n: the words and phrases for another engine to match
 * (the PostgreSQL store). Errors: VX_EINVAL when fts is not such a query,
 * VX_ENOMEM.
 */
int vx_fts_query_pieces(vx_buf *pieces, size_t *n, const char *fts, size_t len);

/* Maximum size of an excerpt's text, in bytes, without the markers. */
#define VX_SNIPPET_MAX_BYTES 200

/*
 * Writes into out (reset first) an excerpt of text[0..len) of about
 * max_bytes: a few words before the first word whose stem is in stems (the
 * NUL-separated list of vx_fts_query_build), the matched words wrapped in
 * "**", white space runs shown as one space, and "…" where text was cut.
 * When no word matches, the excerpt is the start of the text. *matched
 * receives 1 when a word matched. Errors: VX_ENOMEM.
 */
int vx_fts_snippet(vx_buf *out, int *matched, vx_text *t, const char *text, size_t len,
                   const vx_buf *stems, size_t max_bytes);

#endif
