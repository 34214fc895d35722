/*
 * Migrations: each entry takes the database from version i to i + 1. Never
 * edit a released entry: add a new one (a database in the field has already
 * run the old ones).
 */
#include "storage/schema.h"

#include <stddef.h>
#include <stdio.h>

#include "storage/store_internal.h"
#include "voix/error.h"

/* A feeling column holds one of the four names. Written as comparisons,
 * not IN (...): SQLite builds a temporary index for an IN list on every
 * row inserted, which made imports several times slower. */
#define FEELING_CHECK(col)                                                                              \
	"CHECK (" col " = 'positif' OR " col " = 'neutre' OR " col " = 'négatif' OR " col " = 'inconnu')"

typedef struct migration {
	const char *what;
	const char *sql;
} migration;

static const migration migrations[] = {
	{"tables of sources, experiences, original rows and imports",
	 /* One row per file version imported: the same path with other bytes is
	  * another source. */
	 "CREATE TABLE sources ("
	 " id INTEGER PRIMARY KEY,"
	 " path TEXT NOT NULL,"
	 " sha256 TEXT NOT NULL,"
	 " format TEXT NOT NULL,"
	 " encoding TEXT NOT NULL,"
	 " separator TEXT NOT NULL,"
	 " rows_read INTEGER NOT NULL,"
	 " rows_rejected INTEGER NOT NULL,"
	 " c1_repaired INTEGER NOT NULL,"
	 " first_imported TEXT NOT NULL,"
	 " last_imported TEXT NOT NULL,"
	 " UNIQUE (path, sha256));"
	 /* An experience is identified by (scope, ext_id); see docs/storage.md.
	  * Columns read by vx_store_load come first; the original row lives in
	  * its own table so that scans of this one stay small. */
	 "CREATE TABLE experiences ("
	 " id INTEGER PRIMARY KEY,"
	 " scope TEXT NOT NULL,"
	 " ext_id TEXT NOT NULL,"
	 " source_id INTEGER NOT NULL REFERENCES sources(id),"
	 " line INTEGER NOT NULL,"
	 " date TEXT NOT NULL,"
	 " date_text TEXT NOT NULL,"
	 " feeling TEXT NOT NULL " FEELING_CHECK("feeling") ","
	 " service TEXT NOT NULL,"
	 " structure TEXT NOT NULL,"
	 " department TEXT NOT NULL,"
	 " channels TEXT NOT NULL," /* JSON array of strings */
	 " accessibilite TEXT NOT NULL " FEELING_CHECK("accessibilite") ","
	 " information TEXT NOT NULL " FEELING_CHECK("information") ","
	 " relation TEXT NOT NULL " FEELING_CHECK("relation") ","
	 " reactivite TEXT NOT NULL " FEELING_CHECK("reactivite") ","
	 " simplicite TEXT NOT NULL " FEELING_CHECK("simplicite") ","
	 " content_hash INTEGER NOT NULL,"
	 " title TEXT NOT NULL,"
	 " text TEXT NOT NULL,"
	 " reply TEXT NOT NULL,"
	 " UNIQUE (scope, ext_id));"
	 "CREATE TABLE original_rows ("
	 " experience_id INTEGER PRIMARY KEY REFERENCES experiences(id),"
	 " row_json TEXT NOT NULL);"
	 "CREATE TABLE imports ("
	 " id INTEGER PRIMARY KEY,"
	 " at TEXT NOT NULL,"
	 " files TEXT NOT NULL,"
	 " read INTEGER NOT NULL, inserted INTEGER NOT NULL, updated INTEGER NOT NULL,"
	 " unchanged INTEGER NOT NULL, rejected INTEGER NOT NULL);"},
	{"full-text index of titles and texts (French stems, no stop words)",
	 /* External content: the text is stored once, in experiences. */
	 "CREATE VIRTUAL TABLE experiences_fts USING fts5("
	 " title, text, content='experiences', content_rowid='id', tokenize='voix');"
	 /* Terms held in memory before a segment is written: 16 MiB instead
	  * of 1 MiB makes building the index of 100,000 experiences a quarter
	  * faster (fewer segments to merge); see bench/import/RESULTS.md. */
	 "INSERT INTO experiences_fts(experiences_fts, rank) VALUES('hashsize', 16777216);"
	 "INSERT INTO experiences_fts(experiences_fts) VALUES('rebuild');"},
	{"lines of UTF-8 files whose invalid bytes were read as Windows-1252",
	 /* vx_source.lines_repaired, so that a note from the database says
	  * it as a note from the file does; 0 for files imported before. */
	 "ALTER TABLE sources ADD COLUMN lines_repaired INTEGER NOT NULL DEFAULT 0;"},
	{"accounts of the dashboard: users and API tokens",
	 /* voix serve (include/voix/accounts.h): hash is an argon2id string,
	  * a token is kept as the SHA-256 of its digits. */
	 "CREATE TABLE users ("
	 " id INTEGER PRIMARY KEY,"
	 " name TEXT NOT NULL UNIQUE,"
	 " role TEXT NOT NULL CHECK (role = 'lecteur' OR role = 'analyste' OR role = 'administrateur'),"
	 " hash TEXT NOT NULL,"
	 " created TEXT NOT NULL);"
	 "CREATE TABLE tokens ("
	 " sha256 TEXT PRIMARY KEY,"
	 " user_id INTEGER NOT NULL REFERENCES users(id),"
	 " created TEXT NOT NULL);"},
};

int vx_schema_current(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

int vx_schema_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = vx_store_db_error(db, "reading the schema version");
		goto done;
	}
	*version = sqlite3_column_int(st, 0);
done:
	sqlite3_finalize(st);
	return rc;
}

int vx_schema_migrate(sqlite3 *db, int target)
{
	int version = 0;
	int rc = vx_schema_version(db, &version);
	if (rc)
		return rc;
	if (version > vx_schema_current())
		return vx_error_set(VX_EDB,
		                    "the database has schema version %d, this voix knows up to %d: "
		                    "it was written by a newer voix",
		                    version, vx_schema_current());
	if (target > vx_schema_current())
		target = vx_schema_current();
	while (version < target) {
		const migration *m = &migrations[version];
		char set_version[64];
		rc = vx_store_exec(db, "BEGIN IMMEDIATE");
		if (rc)
			return rc;
		rc = vx_store_exec(db, m->sql);
		if (rc == 0) {
			snprintf(set_version, sizeof set_version, "PRAGMA user_version = %d", version + 1);
			rc = vx_store_exec(db, set_version);
		}
		if (rc == 0)
			rc = vx_store_exec(db, "COMMIT");
		if (rc) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", vx_error_last());
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return vx_error_set(VX_EDB, "migration to schema version %d (%s) failed: %s", version + 1,
			                    m->what, msg);
		}
		version++;
	}
	return 0;
}
