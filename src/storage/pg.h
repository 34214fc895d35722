/*
 * What the PostgreSQL backend's files (pg.c, pg_import.c) share: errors
 * from libpq results, statements, the import lock.
 */
#ifndef VX_STORAGE_PG_H
#define VX_STORAGE_PG_H

#include <libpq-fe.h>

#include "storage/store_internal.h"

/* The key of the transaction-level advisory lock that serialises imports
 * and migrations on one database, as SQLite's single writer does (readers
 * never take it). An arbitrary constant: "voix" in ASCII. */
#define VX_PG_LOCK_KEY 0x766f6978

/* Records the error of r (or of the connection when r is NULL) as the last
 * error, prefixed by what, and returns VX_EDB, or VX_EBUSY when a lock was
 * not granted within lock_timeout (SQLSTATE 55P03). */
int vx_pg_error(vx_store *s, const PGresult *r, const char *what);

/* Runs sql (no parameters); 0, or the error of vx_pg_error. */
int vx_pg_exec(vx_store *s, const char *sql, const char *what);

/* Runs sql with n text parameters (NULL for SQL NULL) and expects rows:
 * *out receives the result (PQclear it) or NULL on failure. */
int vx_pg_query(PGresult **out, vx_store *s, const char *sql, int n, const char *const *params,
                const char *what);

/* Inside a transaction: takes the import lock, waiting up to s->wait_ms
 * (and telling s->waiting once when it has to wait). Errors: VX_EBUSY (the
 * message names the database and the wait), VX_EDB. */
int vx_pg_lock(vx_store *s, const char *what);

/* Rolls back the transaction in progress, keeping the last error's
 * message; returns rc. */
int vx_pg_rollback(vx_store *s, int rc);

int vx_pg_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts);

#endif
