/*
 * Opening and closing the store: the backend chosen from the name (an
 * SQLite file or a PostgreSQL URI), then, for SQLite, connection settings,
 * tokenizer registration, migrations. Import, load, search and stats live in
 * their own files; the public functions dispatch through s->ops.
 */
#include "voix/store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "storage/fts_tokenizer.h"
#include "storage/pg_uri.h"
#include "storage/schema.h"
#include "storage/store_internal.h"
#include "util/error.h"
#include "voix/error.h"

/* How long a command waits for another voix process that holds the write
 * lock (an import in progress) before giving up, in milliseconds. */
#define VX_STORE_BUSY_TIMEOUT_MS (VX_STORE_DEFAULT_WAIT * 1000)

/* Page cache per connection: 32 MiB (negative = KiB, per SQLite's
 * cache_size). Large enough that an import of 100,000 experiences rarely
 * spills, small enough for the 300 MB budget. */
#define VX_STORE_CACHE_KIB 32768

int vx_store_db_error(sqlite3 *db, const char *what)
{
	return vx_error_set(VX_EDB, "base de données : %s : %s", what, db ? sqlite3_errmsg(db) : "pas de connexion");
}

int vx_store_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = vx_error_set(VX_EDB, "base de données : %s", msg ? msg : sqlite3_errmsg(db));
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

/* 1 when the last failure on db was another connection's lock. */
static int is_busy(sqlite3 *db)
{
	int e = sqlite3_errcode(db) & 0xff;
	return e == SQLITE_BUSY || e == SQLITE_LOCKED;
}

/* The message for a database another process held for longer than we
 * wait: which database, what was waiting, for how long. */
static int busy_error(const vx_store *s, const char *what)
{
	return vx_error_set(VX_EBUSY,
	                    "%s : %s : un autre processus (une autre importation voix ?) écrit dans la base depuis"
	                    " plus de %u s",
	                    s->path, what, s->wait_ms / 1000);
}

int vx_store_begin_write(vx_store *s, const char *what)
{
	if (s->readonly)
		return vx_error_set(VX_EDB, "%s : %s : la base a été ouverte en lecture seule", s->path, what);
	/* A first try without waiting, so that the caller can say that it
	 * waits, and for which database. */
	sqlite3_busy_timeout(s->db, 0);
	int r = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, (int)s->wait_ms);
	if (r != SQLITE_OK && is_busy(s->db) && s->wait_ms > 0) {
		if (s->waiting)
			s->waiting(s->path, s->wait_ms / 1000, s->waiting_payload);
		r = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	}
	if (r == SQLITE_OK)
		return 0;
	if (is_busy(s->db))
		return busy_error(s, what);
	return vx_error_set(VX_EDB, "%s : %s : %s", s->path, what, sqlite3_errmsg(s->db));
}

static void sqlite_apply_wait(vx_store *s)
{
	sqlite3_busy_timeout(s->db, (int)s->wait_ms);
}

void vx_store_set_wait(vx_store *s, unsigned seconds, vx_store_wait_fn waiting, void *payload)
{
	s->waiting = waiting;
	s->waiting_payload = payload;
	/* sqlite3_busy_timeout (and PostgreSQL's lock_timeout) take an int of
	 * milliseconds. */
	unsigned max_s = (unsigned)(INT_MAX / 1000);
	s->wait_ms = (seconds > max_s ? max_s : seconds) * 1000;
	s->ops->apply_wait(s);
}

/* The URI "file:PATH?immutable=1" into out: PATH with '%', '?' and '#'
 * escaped, as SQLite's URI syntax wants. 0, or -1 when out is too small. */
static int immutable_uri(char *out, size_t cap, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	const char prefix[] = "file:", suffix[] = "?immutable=1";
	if (cap < sizeof prefix)
		return -1;
	memcpy(out, prefix, sizeof prefix - 1);
	n = sizeof prefix - 1;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 3 >= cap)
			return -1;
		if (c == '%' || c == '?' || c == '#') {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		} else {
			out[n++] = (char)c;
		}
	}
	if (n + sizeof suffix > cap)
		return -1;
	memcpy(out + n, suffix, sizeof suffix);
	return 0;
}

/* Opens s->db. readonly: SQLITE_OPEN_READONLY; immutable: through the
 * "immutable" URI parameter (no lock, no -shm file). */
static int connect(vx_store *s, int flags, int immutable)
{
	char uri[PATH_MAX + 64];
	const char *name = s->path;
	if (immutable) {
		if (immutable_uri(uri, sizeof uri, s->path) != 0)
			return vx_error_set(VX_EDB, "%s : chemin trop long", s->path);
		name = uri;
		flags |= SQLITE_OPEN_URI;
	}
	if (sqlite3_open_v2(name, &s->db, flags, NULL) != SQLITE_OK)
		return vx_error_set(VX_EDB, "%s : impossible d'ouvrir la base : %s", s->path,
		                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, (int)s->wait_ms);
	return 0;
}

/* Reads the file's header and schema: says whether it is a database at
 * all, or busy. 0 or an SQLite result code, its message in s->db. */
static int first_read(vx_store *s)
{
	return sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

/* A WAL database in a folder we cannot write to (a read-only mount, a
 * shared folder) cannot be read the ordinary way: SQLite needs its -shm
 * file. When there is no -wal file either, no write is pending and nobody
 * can be writing through this folder, so the file is read as immutable. */
static int readonly_folder_fallback(vx_store *s, int err)
{
	char wal[PATH_MAX];
	struct stat st;
	if ((err & 0xff) != SQLITE_CANTOPEN)
		return 0;
	if (snprintf(wal, sizeof wal, "%s-wal", s->path) >= (int)sizeof wal || stat(wal, &st) == 0)
		return 0;
	return 1;
}

/* The SQLite side of opening: s->path, s->readonly and s->wait_ms are
 * set; on failure s->db may be left for vx_store_free to close. */
int vx_sqlite_open(vx_store *s, int create)
{
	int rc = 0;
	const char *path = s->path;
	if (!create) {
		struct stat st;
		if (stat(path, &st) != 0)
			return vx_error_set(VX_ENOTFOUND, "%s : aucune base ici (créez-la avec voix import)", path);
	}
	/* NOMUTEX: a store is used from one thread at a time (voix/store.h), so
	 * SQLite's own locking of every call is pure cost: a search takes a
	 * statement step per match for its ranking (bench/serve/RESULTS.md). */
	int flags = (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
	if ((rc = connect(s, flags, 0)) != 0)
		return rc;
	int err = first_read(s);
	if (err != SQLITE_OK && s->readonly && readonly_folder_fallback(s, sqlite3_extended_errcode(s->db))) {
		sqlite3_close_v2(s->db);
		s->db = NULL;
		if ((rc = connect(s, flags, 1)) != 0)
			return rc;
		err = first_read(s);
	}
	if (err != SQLITE_OK) {
		if (is_busy(s->db))
			return busy_error(s, "ouverture");
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			return vx_error_set(VX_EDB, "%s : ce n'est pas une base voix (%s)", path, sqlite3_errmsg(s->db));
		return vx_error_set(VX_EDB, "%s : impossible de lire la base : %s", path, sqlite3_errmsg(s->db));
	}
	/* WAL: readers are never blocked by an import (every import runs in
	 * WAL, the first included). synchronous=FULL: the log is synced at
	 * every commit, so an import that said "ajoutées N" survives a power
	 * cut; an import is one transaction, so this costs one fsync per
	 * import (NORMAL could lose the last imports: docs/storage.md). A
	 * read-only connection keeps the file's own settings. */
	char pragmas[256];
	snprintf(pragmas, sizeof pragmas, "%s PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -%d;",
	         s->readonly ? "" : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", VX_STORE_CACHE_KIB);
	if (vx_store_exec(s->db, pragmas) != 0)
		return is_busy(s->db) ? busy_error(s, "ouverture")
		                      : vx_error_set(VX_EDB, "%s : impossible d'ouvrir la base : %s", path, sqlite3_errmsg(s->db));
	if ((rc = vx_fts_register(s->db)) != 0)
		return rc;
	int version = 0;
	if ((rc = vx_schema_version(s->db, &version)) != 0)
		return rc;
	if (s->readonly && version < vx_schema_current()) {
		/* A database from an older voix is upgraded once, by whichever
		 * command opens it first; that needs a writable connection. */
		sqlite3_close_v2(s->db);
		s->db = NULL;
		s->readonly = 0;
		return vx_sqlite_open(s, 1);
	}
	if ((rc = vx_schema_migrate(s->db, vx_schema_current())) != 0)
		return is_busy(s->db) ? busy_error(s, "mise à jour du schéma") : vx_error_prefix(rc, "%s : ", path);
	return 0;
}

/* Copies str into a new string; NULL on out-of-memory. */
static char *copy_str(const char *str)
{
	size_t n = strlen(str);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, str, n + 1);
	return p;
}

/* The backend is chosen by the name: a postgresql:// or postgres:// URI
 * is a PostgreSQL database, anything else an SQLite file. */
static int open_db(vx_store **out, const char *path, int create)
{
	int rc = 0;
	*out = NULL;
	vx_store *s = calloc(1, sizeof *s);
	if (s == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory opening the database");
	int pg = vx_pg_uri_is(path);
	s->ops = pg ? &vx_pg_ops : &vx_sqlite_ops;
	s->path = copy_str(path);
	s->shown = pg ? vx_pg_uri_shown(path) : copy_str(path);
	if (s->path == NULL || s->shown == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory opening the database");
		goto done;
	}
	s->wait_ms = VX_STORE_BUSY_TIMEOUT_MS;
	s->readonly = !create;
	if ((rc = pg ? vx_pg_open(s, create) : vx_sqlite_open(s, create)) != 0)
		goto done;
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

static void sqlite_close(vx_store *s)
{
	/* sqlite3_close_v2 closes once the last statement is finalised; every
	 * function of the store finalises its own, so this closes now. */
	sqlite3_close_v2(s->db);
	s->db = NULL;
}

void vx_store_free(vx_store *s)
{
	if (s == NULL)
		return;
	if (s->ops)
		s->ops->close(s);
	vx_text_free(s->text);
	vx_masker_free(s->masker);
	free(s->path);
	free(s->shown);
	free(s);
}

static int sqlite_schema_version(vx_store *s, int *version)
{
	return vx_schema_version(s->db, version);
}

int vx_store_schema_version(vx_store *s)
{
	int v = 0;
	if (s->ops->schema_version(s, &v) != 0)
		return -1;
	return v;
}

void vx_store_set_progress(vx_store *s, vx_store_progress_fn fn, void *payload)
{
	s->progress = fn;
	s->progress_payload = payload;
}

static int sqlite_count(vx_store *s, size_t *count)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	*count = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM experiences", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = vx_store_db_error(s->db, "comptage des expériences");
		goto done;
	}
	*count = (size_t)sqlite3_column_int64(st, 0);
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_exec(vx_store *s, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, what);
	return 0;
}


static int sqlite_rows(vx_store *s, const char *sql, int n_params, const char *const *params, const char *what,
                       int (*row)(const char *const *cols, int ncols, void *payload), void *payload)
{
	sqlite3_stmt *st = NULL;
	const char *cols[VX_STORE_ROW_MAX];
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, what);
	/* "$1" is a named parameter to SQLite: bound by its name. */
	for (int i = 0; i < n_params; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i + 1);
		int k = sqlite3_bind_parameter_index(st, name);
		if (k > 0 && (params[i] ? sqlite3_bind_text(st, k, params[i], -1, SQLITE_STATIC)
		                        : sqlite3_bind_null(st, k)) != SQLITE_OK) {
			rc = vx_store_db_error(s->db, what);
			goto done;
		}
	}
	int n = sqlite3_column_count(st);
	if (n > VX_STORE_ROW_MAX)
		n = VX_STORE_ROW_MAX;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if (row && (rc = row(cols, n, payload)) != 0)
			break;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, what);
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_begin(vx_store *s, const char *what)
{
	return vx_store_begin_write(s, what);
}

const vx_store_ops vx_sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.count = sqlite_count,
	.import = vx_sqlite_import,
	.load = vx_sqlite_load,
	.search = vx_sqlite_search,
	.search_count = vx_sqlite_search_count,
	.apply_wait = sqlite_apply_wait,
	.exec = sqlite_exec,
	.rows = sqlite_rows,
	.temp_schema = "temp",
	.begin = sqlite_begin,
};

int vx_store_tx_begin(vx_store *s, const char *what)
{
	return s->ops->begin(s, what);
}

int vx_store_tx_commit(vx_store *s, const char *what)
{
	return s->ops->exec(s, "COMMIT", what);
}

int vx_store_tx_rollback(vx_store *s, int rc)
{
	char msg[1024];
	snprintf(msg, sizeof msg, "%s", vx_error_last());
	s->ops->exec(s, "ROLLBACK", "annulation");
	return vx_error_set(rc, "%s", msg);
}

int vx_store_is_pg(const vx_store *s)
{
	return s->ops == &vx_pg_ops;
}

int vx_store_concurrent_writes(const vx_store *s)
{
	return vx_store_is_pg(s);
}

void vx_store_iso_time(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

int vx_store_count_row(const char *const *cols, int ncols, void *payload)
{
	(void)cols;
	(void)ncols;
	(*(long long *)payload)++;
	return 0;
}

/* The first column of the first row as a number. */
static int number_row(const char *const *cols, int ncols, void *payload)
{
	*(long long *)payload = ncols > 0 && cols[0] ? strtoll(cols[0], NULL, 10) : 0;
	return 1; /* one row is enough */
}

int vx_store_number(vx_store *s, const char *sql, int n, const char *const *params, const char *what,
                    long long *out)
{
	*out = 0;
	int rc = s->ops->rows(s, sql, n, params, what, number_row, out);
	return rc == 1 ? 0 : rc;
}

const char *vx_store_col(const char *const *cols, int ncols, int i)
{
	return i < ncols && cols[i] ? cols[i] : "";
}

int vx_store_count(vx_store *s, size_t *count)
{
	return s->ops->count(s, count);
}

int vx_store_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts)
{
	return s->ops->import(s, corpus, counts);
}

int vx_store_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter)
{
	return s->ops->load(s, corpus, filter);
}

int vx_store_search(vx_store *s, const char *query, size_t limit,
                    int (*cb)(const vx_search_hit *hit, void *payload), void *payload)
{
	return s->ops->search(s, query, limit, cb, payload);
}

int vx_store_search_count(vx_store *s, const char *query, size_t *count)
{
	*count = 0;
	return s->ops->search_count(s, query, count);
}
