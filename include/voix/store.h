/*
 * The store: experiences kept in an SQLite database (WAL), with a versioned
 * schema and an FTS5 index that folds case and accents and stems French.
 * See docs/storage.md. A vx_store is one connection: use it from one thread
 * at a time (open one per thread; WAL lets them read while one writes).
 */
#ifndef VOIX_STORE_H
#define VOIX_STORE_H

#include <stddef.h>
#include <stdio.h>

#include "voix/corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vx_store vx_store;

/* Opens (creating and migrating when needed) the database at path.
 * Errors: VX_EDB when the file is not a voix database, was written by a
 * newer voix (its schema version is above ours) or cannot be created;
 * VX_ENOMEM. See docs/storage.md for the schema. */
int vx_store_open(vx_store **out, const char *path);

/* Opens the database at path read-only, for commands that only read
 * (stats, search, note --db): nothing is written, so a database in a
 * read-only folder or on a read-only mount can be read (when it has no -wal
 * file there, it is read as immutable: docs/storage.md). The one exception
 * is a database of an older schema, which is upgraded once through a
 * writable connection. vx_store_import on such a store fails with VX_EDB.
 * Errors: VX_ENOTFOUND when no file exists at path (none is created),
 * VX_EDB (not a voix database, newer schema, unreadable), VX_EBUSY (another
 * process held it longer than the wait), VX_ENOMEM. */
int vx_store_open_existing(vx_store **out, const char *path);

/* Default time a store waits for another process that holds the database
 * (an import in progress) before failing with VX_EBUSY, in seconds. */
#define VX_STORE_DEFAULT_WAIT 10
/* Longest wait a front end asks for: a day, in seconds. */
#define VX_STORE_MAX_WAIT 86400

/* Called once when a write (an import) finds the database held by another
 * process and starts waiting, with the database's path and the wait. */
typedef void (*vx_store_wait_fn)(const char *path, unsigned seconds, void *payload);

/* Sets how long s waits for another writer (default
 * VX_STORE_DEFAULT_WAIT seconds; 0: fail at once), and a function told
 * when the wait starts (NULL for none). Readers never wait for an import:
 * the database is in WAL mode. */
void vx_store_set_wait(vx_store *s, unsigned seconds, vx_store_wait_fn waiting, void *payload);

/* Closes the database and frees s. NULL-safe. */
void vx_store_free(vx_store *s);

/* The schema version of an open store (PRAGMA user_version). */
int vx_store_schema_version(vx_store *s);

/* Called now and then during vx_store_import with the work done and its
 * total (experiences, plus as many again when the full-text index is built
 * at the end), and once with done == total at the end; NULL (the default)
 * for none. */
typedef void (*vx_store_progress_fn)(size_t done, size_t total, void *payload);
void vx_store_set_progress(vx_store *s, vx_store_progress_fn fn, void *payload);

/* 1 when several connections to this store may write at once, each
 * waiting only for the rows another one holds (PostgreSQL: its commits
 * are grouped); 0 when writers take the whole database in turn (SQLite:
 * a process with several connections does better to queue its own
 * writes than to have them wait for each other's lock). */
int vx_store_concurrent_writes(const vx_store *s);

/* Number of stored experiences. */
int vx_store_count(vx_store *s, size_t *count);

typedef struct vx_import_counts {
	size_t read, inserted, updated, unchanged, rejected;
} vx_import_counts;

/* Stores every experience of corpus in one transaction: a new id is
 * inserted, a known id with changed content updated, an identical one left.
 * Identity is (scope, id), the scope being the platform for Services
 * Publics+ and Google-reviews exports and the format and file name for
 * mapped files (docs/storage.md). Every experience's source must be among
 * the corpus's sources. An experience without row_json (a corpus read
 * without keep_row_json) never erases a stored original row.
 * counts->rejected is taken from the corpus's rejects and
 * read = inserted + updated + unchanged + rejected. On failure the database
 * is left as it was and counts are zero. Errors: VX_EDB, VX_EBUSY (another
 * import held the database for longer than the wait: vx_store_set_wait),
 * VX_EINVAL (an experience without id or with an unlisted source),
 * VX_ENOMEM. */
int vx_store_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts);

/* Appends to corpus the stored experiences that pass filter (NULL = all),
 * in a stable order: the order in which they were first imported (file
 * order, then the next import's new experiences), so that a file imported
 * alone loads in the order vx_reader_read_file gives. An update keeps an
 * experience's place. Sources are added as they were recorded at import
 * (path, sha256, format, encoding, separator, counters), those of the
 * loaded experiences only, in import order; row_json is "" (the original
 * rows are not read: loading 100,000 experiences takes about 0.2 s).
 * Errors: VX_EDB, VX_ENOMEM. */
int vx_store_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter);

typedef struct vx_search_hit {
	const char *id;
	const char *source;
	const char *snippet;   /* masked excerpt around the match */
	double rank;
} vx_search_hit;

/* Full-text search; results are written with cb, best first, at most limit.
 * Each word of query must occur (in any form: case, accents and French
 * inflections are ignored); "double-quoted words" must occur in that order.
 * FTS5 operators in query have no effect. hit strings live until cb returns;
 * hit->rank is higher for better matches. A non-zero return of cb stops the
 * search and is returned. Errors: VX_EINVAL when the query has no word that
 * can be searched (empty, only punctuation or very common words), VX_EDB. */
int vx_store_search(vx_store *s, const char *query, size_t limit,
                    int (*cb)(const vx_search_hit *hit, void *payload), void *payload);
/* The number of experiences vx_store_search gives for query without a
 * limit, counted exactly but on the full-text index alone: no experience
 * row is read, nothing is ranked. *count is 0 on error. Errors: those of
 * vx_store_search. */
int vx_store_search_count(vx_store *s, const char *query, size_t *count);
/* The smallest limit a front end asks for (0 hits is no search). */
#define VX_STORE_SEARCH_MIN_LIMIT 1

/* Structures listed by vx_store_stats (the most frequent ones). */
#define VX_STORE_STATS_TOP 10

/* Writes the counts by source, service type, structure (the
 * VX_STORE_STATS_TOP most frequent), feeling and month, in French, in the
 * format described in docs/storage.md. Errors: VX_EDB, VX_EWRITE (out could not be written). */
int vx_store_stats(vx_store *s, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
