/*
 * The FTS5 tokenizer "voix": French analysis for the full-text index.
 *
 * Every word is indexed by its Snowball French stem, folded (lower case, no
 * accents), so that "Annulés", "annulé" and "ANNULEE" are one term; stop
 * words ("le", "vous", "de"...) are not indexed, at index time and at query
 * time alike, so phrases still match ("rendez-vous annulé" is the phrase
 * "rendez annul"). Offsets are byte offsets into the original text.
 */
#ifndef VX_STORAGE_FTS_TOKENIZER_H
#define VX_STORAGE_FTS_TOKENIZER_H

#include <sqlite3.h>

/* The name used in the schema (tokenize='voix'). The index holds what this
 * tokenizer produced when it was built: a change to tokens or stems (here or
 * in src/text) needs a new schema migration that rebuilds the index (see
 * docs/storage.md). */
#define VX_FTS_TOKENIZER_NAME "voix"

/* Registers the tokenizer on db (needed on every connection, before the
 * FTS table is used). Errors: VX_EDB when SQLite has no FTS5. */
int vx_fts_register(sqlite3 *db);

#endif
