/*
 * The store's handle and the helpers its modules (import, load, search,
 * stats) share. Not a public header.
 */
#ifndef VX_STORAGE_STORE_INTERNAL_H
#define VX_STORAGE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "voix/privacy.h"
#include "voix/store.h"
#include "voix/text.h"

struct vx_store {
	sqlite3 *db;
	char *path;
	vx_text *text;        /* query analysis and snippets (the FTS tokenizer has its own) */
	vx_masker *masker;    /* created on the first search */
	vx_store_progress_fn progress;
	void *progress_payload;
};

/* Records the SQLite error of db as the last error, prefixed by what, and
 * returns VX_EDB. */
int vx_store_db_error(sqlite3 *db, const char *what);

/* Runs a statement without results (no bound parameters). */
int vx_store_exec(sqlite3 *db, const char *sql);

/* The names stored in the database for a feeling ("positif", "neutre",
 * "négatif", "inconnu") and back (unknown names give VX_FEELING_UNKNOWN). */
const char *vx_store_feeling_name(vx_feeling f);
vx_feeling vx_store_feeling_parse(const char *s);

#endif
