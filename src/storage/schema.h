/*
 * The database schema and its migrations. The schema version is kept in
 * PRAGMA user_version; migrations[] in schema.c lists the steps from an
 * empty database to the current version, each applied in its own
 * transaction.
 */
#ifndef VX_STORAGE_SCHEMA_H
#define VX_STORAGE_SCHEMA_H

#include <sqlite3.h>

/* The version a database has once every migration is applied. */
int vx_schema_current(void);

/* The PostgreSQL form of the step from version to version + 1 (what it
 * does into *what), or NULL when there is none (pg.c applies the steps). */
const char *vx_schema_pg_step(int version, const char **what);

/* Reads the version of db into *version. */
int vx_schema_version(sqlite3 *db, int *version);

/* Applies the migrations from db's version up to target (0 < target <=
 * vx_schema_current()). A database already at or above target is left
 * alone, except that a version above vx_schema_current() is an error
 * (VX_EDB: written by a newer voix). Each step is one transaction: a failed
 * step leaves the database at the previous version. The FTS tokenizer must
 * be registered on db first. */
int vx_schema_migrate(sqlite3 *db, int target);

#endif
