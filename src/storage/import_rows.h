/*
 * What both backends' imports compute alike for each experience, so that
 * an SQLite file and a PostgreSQL database hold the same identities,
 * hashes and names for the same corpus (docs/storage.md, "Identity").
 */
#ifndef VX_STORAGE_IMPORT_ROWS_H
#define VX_STORAGE_IMPORT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "voix/corpus.h"

/* Appends to out the identity scope of src's experiences: "sp-plus" for
 * Services Publics+ exports, "google-reviews", otherwise
 * "<format>:<file name>". Errors: VX_ENOMEM. */
int vx_import_scope(vx_buf *out, const vx_source *src);

/* Checks e for storing and computes what is stored about it: *hint
 * receives the index of e's source in corpus (and is where the search
 * starts: the previous answer), channels (reset first) the JSON array of
 * its channels, *hash its content hash (every stored field and the original
 * row, not where it was read from). Errors: VX_EINVAL (no id, a source the
 * corpus does not list), VX_ENOMEM. */
int vx_import_row(int64_t *hash, vx_buf *channels, const vx_corpus *corpus, const vx_experience *e,
                  size_t *hint);

/* The stored name of a feeling ("positif"...); anything out of range is
 * "inconnu". */
const char *vx_import_feeling_name(vx_feeling f);

#endif
