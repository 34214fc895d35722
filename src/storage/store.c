/*
 * Opening and closing the store: connection settings, tokenizer
 * registration, migrations. Import, load, search and stats live in their own
 * files.
 */
#include "voix/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "storage/fts_tokenizer.h"
#include "storage/schema.h"
#include "storage/store_internal.h"
#include "voix/error.h"

/* How long a command waits for another voix process that holds the write
 * lock (an import in progress) before giving up, in milliseconds. */
#define VX_STORE_BUSY_TIMEOUT_MS 10000

/* Page cache per connection: 32 MiB (negative = KiB, per SQLite's
 * cache_size). Large enough that an import of 100,000 experiences rarely
 * spills, small enough for the 300 MB budget. */
#define VX_STORE_CACHE_KIB 32768

int vx_store_db_error(sqlite3 *db, const char *what)
{
	return vx_error_set(VX_EDB, "database: %s: %s", what, db ? sqlite3_errmsg(db) : "no connection");
}

int vx_store_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = vx_error_set(VX_EDB, "database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

vx_feeling vx_store_feeling_parse(const char *s)
{
	for (int f = 0; f < VX_FEELING_COUNT; f++)
		if (strcmp(s, vx_feeling_name((vx_feeling)f)) == 0)
			return (vx_feeling)f;
	return VX_FEELING_UNKNOWN;
}

static int open_db(vx_store **out, const char *path, int create)
{
	int rc = 0;
	*out = NULL;
	vx_store *s = calloc(1, sizeof *s);
	if (s == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory opening the database");
	size_t path_len = strlen(path);
	s->path = malloc(path_len + 1);
	if (s->path == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory opening the database");
		goto done;
	}
	memcpy(s->path, path, path_len + 1);
	if (!create) {
		struct stat st;
		if (stat(path, &st) != 0) {
			rc = vx_error_set(VX_ENOTFOUND, "%s: no database here (create it with voix import)", path);
			goto done;
		}
	}
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		rc = vx_error_set(VX_EDB, "%s: cannot open the database: %s", path,
		                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, VX_STORE_BUSY_TIMEOUT_MS);
	/* WAL: readers are never blocked by an import. synchronous=NORMAL is
	 * safe with WAL (a power cut can lose the last commit, never corrupt). */
	char pragmas[256];
	snprintf(pragmas, sizeof pragmas,
	         "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
	         " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -%d;",
	         VX_STORE_CACHE_KIB);
	if (vx_store_exec(s->db, pragmas) != 0) {
		/* The first statement that reads the file says whether it is a
		 * database at all. */
		rc = vx_error_set(VX_EDB, "%s: not a voix database (%s)", path, sqlite3_errmsg(s->db));
		goto done;
	}
	if ((rc = vx_fts_register(s->db)) != 0)
		goto done;
	if ((rc = vx_schema_migrate(s->db, vx_schema_current())) != 0) {
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		rc = vx_error_set(rc, "%s: %s", path, msg);
		goto done;
	}
	if ((rc = vx_text_new(&s->text)) != 0)
		goto done;
	*out = s;
	s = NULL;
done:
	vx_store_free(s);
	return rc;
}

int vx_store_open(vx_store **out, const char *path)
{
	return open_db(out, path, 1);
}

int vx_store_open_existing(vx_store **out, const char *path)
{
	return open_db(out, path, 0);
}

void vx_store_free(vx_store *s)
{
	if (s == NULL)
		return;
	/* sqlite3_close_v2 closes once the last statement is finalised; every
	 * function of the store finalises its own, so this closes now. */
	sqlite3_close_v2(s->db);
	vx_text_free(s->text);
	vx_masker_free(s->masker);
	free(s->path);
	free(s);
}

int vx_store_schema_version(vx_store *s)
{
	int v = 0;
	if (vx_schema_version(s->db, &v) != 0)
		return -1;
	return v;
}

void vx_store_set_progress(vx_store *s, vx_store_progress_fn fn, void *payload)
{
	s->progress = fn;
	s->progress_payload = payload;
}

int vx_store_count(vx_store *s, size_t *count)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	*count = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM experiences", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = vx_store_db_error(s->db, "counting experiences");
		goto done;
	}
	*count = (size_t)sqlite3_column_int64(st, 0);
done:
	sqlite3_finalize(st);
	return rc;
}
