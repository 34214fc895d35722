/*
 * The store's handle and the helpers its modules (import, load, search,
 * stats) share. Not a public header.
 */
#ifndef VX_STORAGE_STORE_INTERNAL_H
#define VX_STORAGE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "voix/privacy.h"
#include "voix/store.h"
#include "util/buf.h"
#include "voix/text.h"

/* What a backend does behind the public functions of voix/store.h, each
 * with the contract of the public function it serves. The handle's shared
 * fields (path, text, masker, progress, wait) are set by store.c; the
 * backend owns its connection (db or pg) and frees it in close. */
typedef struct vx_store_ops {
	const char *name;   /* "sqlite", "postgresql" */
	void (*close)(vx_store *s);
	int (*schema_version)(vx_store *s, int *version);
	int (*count)(vx_store *s, size_t *count);
	int (*import)(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts);
	int (*load)(vx_store *s, vx_corpus *corpus, const vx_filter *filter);
	int (*search)(vx_store *s, const char *query, size_t limit,
	              int (*cb)(const vx_search_hit *hit, void *payload), void *payload);
	int (*search_count)(vx_store *s, const char *query, size_t *count);
	void (*apply_wait)(vx_store *s);   /* s->wait_ms changed */
	/* Runs sql (no parameters, no result) or calls row for each of its
	 * result rows (cols[i] NULL for an SQL NULL; a non-zero return of row
	 * stops and is returned; row NULL: the rows are read and dropped);
	 * errors are VX_EDB prefixed by what. rows binds the n text params to
	 * $1..$n in sql (NULL for an SQL NULL), which both backends read alike.
	 * For the queries both understand alike (vx_store_stats, accounts.c):
	 * a statement that writes and must say what it did ends with
	 * RETURNING. */
	int (*exec)(vx_store *s, const char *sql, const char *what);
	int (*rows)(vx_store *s, const char *sql, int n, const char *const *params, const char *what,
	            int (*row)(const char *const *cols, int ncols, void *payload), void *payload);
	const char *temp_schema;   /* where CREATE TEMP TABLE puts a table: "temp", "pg_temp" */
	/* Starts a write transaction (vx_store_tx_begin's contract). */
	int (*begin)(vx_store *s, const char *what);
} vx_store_ops;

/* Columns a row given by ops->rows has at most. */
#define VX_STORE_ROW_MAX 32

/* The SQLite backend (store.c, import.c, load.c, search.c, stats.c). */
extern const vx_store_ops vx_sqlite_ops;
int vx_sqlite_open(vx_store *s, int create);
int vx_sqlite_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts);
int vx_sqlite_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter);
int vx_sqlite_search(vx_store *s, const char *query, size_t limit,
                     int (*cb)(const vx_search_hit *hit, void *payload), void *payload);
int vx_sqlite_search_count(vx_store *s, const char *query, size_t *count);

extern const vx_store_ops vx_pg_ops;
/* The PostgreSQL backend (pg.c, pg_import.c, pg_load.c): s->path is a
 * postgresql:// URI (storage/pg_uri.h). */
int vx_pg_open(vx_store *s, int create);

struct pg_conn;

struct vx_store {
	const vx_store_ops *ops;
	sqlite3 *db;          /* SQLite backend */
	struct pg_conn *pg;   /* PostgreSQL backend (libpq's PGconn) */
	char *path;           /* file path, or the URI as given */
	char *shown;          /* what messages name: the path, or the URI without its password */
	vx_text *text;        /* query analysis and snippets (the FTS tokenizer has its own) */
	vx_masker *masker;    /* created on the first search */
	vx_store_progress_fn progress;
	void *progress_payload;
	int readonly;         /* opened by vx_store_open_existing: no write is tried */
	unsigned wait_ms;     /* busy timeout: how long a write waits for another writer */
	vx_store_wait_fn waiting;
	void *waiting_payload;
};

/* Starts the write transaction of what ("importation"): BEGIN IMMEDIATE,
 * waiting up to s->wait_ms for another writer. Errors: VX_EBUSY (another
 * process kept the database that long; the message names the database and
 * the wait), VX_EDB (read-only store, other SQLite failures). */
int vx_store_begin_write(vx_store *s, const char *what);

/* A write transaction on either backend, for the writes of several
 * statements (the collection, sessions): SQLite takes the write lock at
 * once (BEGIN IMMEDIATE, waiting up to s->wait_ms: writers of several
 * processes queue), PostgreSQL begins a READ COMMITTED transaction, in
 * which each statement is written so that two servers at once stay right
 * (a conditional UPDATE, INSERT ... ON CONFLICT). Errors: VX_EBUSY, VX_EDB
 * (read-only store included). */
int vx_store_tx_begin(vx_store *s, const char *what);
/* Commits it. Errors: VX_EDB (then the caller rolls back). */
int vx_store_tx_commit(vx_store *s, const char *what);
/* Rolls it back, keeping the message of the failure that made the caller
 * give up; returns rc. */
int vx_store_tx_rollback(vx_store *s, int rc);

/* 1 for a PostgreSQL store: where the SQL of the two backends differs
 * (the full-text index of the collection, a function name). */
int vx_store_is_pg(const vx_store *s);

/* The time t as stored in the date columns: UTC, ISO 8601, seconds
 * ("2024-05-01T09:30:00Z"). */
void vx_store_iso_time(char out[32], long long t);

/* Counts the rows of ops->rows into the long long payload (a write's
 * RETURNING: what it changed). */
int vx_store_count_row(const char *const *cols, int ncols, void *payload);

/* The first column of the first row of sql (n params) as a number into
 * *out; 0 when there is no row. Errors: VX_EDB. */
int vx_store_number(vx_store *s, const char *sql, int n, const char *const *params, const char *what,
                    long long *out);

/* The SHA-256 of the string text as 64 hexadecimal digits (tokens and
 * session ids are kept so; accounts.c). */
void vx_store_sha256_hex(const char *text, char out[65]);

/* Column i of a row of ops->rows, "" for a NULL or a missing one. */
const char *vx_store_col(const char *const *cols, int ncols, int i);

/* Records the SQLite error of db as the last error, prefixed by what, and
 * returns VX_EDB. */
int vx_store_db_error(sqlite3 *db, const char *what);

/* Runs a statement without results (no bound parameters). */
int vx_store_exec(sqlite3 *db, const char *sql);

/* Search, shared by both backends (search.c). vx_store_search_begin
 * checks query and builds the FTS5 query (fts) and the stems to highlight
 * (stems), and creates the masker; errors as vx_store_search. */
int vx_store_search_begin(vx_store *s, vx_buf *fts, vx_buf *stems, const char *query);

/* A matched row as a backend read it (strings may be NULL). */
typedef struct vx_store_hit_row {
	const char *id, *source, *title, *text;
	double rank;   /* higher is better */
} vx_store_hit_row;

/* The excerpts' buffers, reused from hit to hit. */
typedef struct vx_store_hit_bufs {
	const vx_buf *stems;
	vx_buf snippet, title_snippet;
} vx_store_hit_bufs;

/* Masks row's id and texts, cuts the excerpt around the stems, and calls
 * cb; returns cb's value or an error (VX_ENOMEM). */
int vx_store_search_hit(vx_store *s, vx_store_hit_bufs *b, const vx_store_hit_row *row,
                        int (*cb)(const vx_search_hit *hit, void *payload), void *payload);
void vx_store_hit_bufs_free(vx_store_hit_bufs *b);

/* The names stored in the database for a feeling ("positif", "neutre",
 * "négatif", "inconnu") and back (unknown names give VX_FEELING_UNKNOWN). */
const char *vx_store_feeling_name(vx_feeling f);
vx_feeling vx_store_feeling_parse(const char *s);

#endif
