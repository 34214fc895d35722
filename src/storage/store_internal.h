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
	int readonly;         /* opened by vx_store_open_existing: no write is tried */
	unsigned wait_ms;     /* busy timeout: how long a write waits for another writer */
	vx_store_wait_fn waiting;
	void *waiting_payload;
};

/* Starts the write transaction of what ("importing"): BEGIN IMMEDIATE,
 * waiting up to s->wait_ms for another writer. Errors: VX_EBUSY (another
 * process kept the database that long; the message names the database and
 * the wait), VX_EDB (read-only store, other SQLite failures). */
int vx_store_begin_write(vx_store *s, const char *what);

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
