/*
 * vx_store_load for SQLite: experiences back into a corpus, for the note.
 * Only the columns an experience needs are read (never the original rows),
 * in rowid order (import order: no sort, which would cost more than the
 * rest of the load for 100,000 rows), the dates, the feeling and the
 * departments of the filter are applied by SQLite too, and every filter
 * (service, structure and channel ignore case and accents) by
 * vx_filter_match (load_rows.c), so that the database and a file give the
 * same selection.
 *
 * The load is two halves of about the same cost: SQLite stepping through
 * the rows, and adding each one to the corpus (which copies its strings).
 * They run on two threads: a reader steps the statement and copies each
 * row's columns into a batch (a buffer reused from batch to batch, so it
 * stays in the cache and faults no new page), and the calling thread adds
 * the rows of the full batches to the corpus, in order, while the reader
 * fills the next one (bench/serve/RESULTS.md). The connection is used by
 * the reader alone until it ends; when no thread can be started, the
 * calling thread does both, one row at a time.
 *
 * During the load the connection reads the file through a memory map
 * (SQLite's mmap_size), which spares a read() and a page-cache copy of
 * every page of the table (a third of the load's system time for 100,000
 * rows); the map is dropped at the end, so the pages of a loaded store are
 * not kept in the process (its corpus holds what the note needs).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/load_rows.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/error.h"

static int source_row(const char *const *cols, int ncols, void *payload)
{
	return vx_load_source(payload, cols, ncols);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

/* The two integer columns come first in VX_LOAD_SELECT. */
#define VX_LOAD_FIRST_TEXT 2

/* The memory map of a load: larger than the tables an experience is read
 * from for a few million rows; SQLite maps only what the file holds. */
#define LOAD_MMAP_SQL "PRAGMA mmap_size = 4294967296"
#define LOAD_UNMAP_SQL "PRAGMA mmap_size = 0"

/* Rows and text bytes of a batch: large enough that the two threads meet
 * a few hundred times for 100,000 rows, small enough that the batches
 * stay in the processor's cache (about 600 bytes a row). */
#define BATCH_ROWS 1024
#define BATCH_TEXT (1024 * 1024)
/* Batches in flight: one being filled while the other is added. */
#define BATCHES 2

/* A row of a batch: its integers, and where its columns start in text. */
typedef struct batch_row {
	int64_t source_id, line;
	size_t off[VX_LOAD_COLS];
	size_t channels_len;
} batch_row;

typedef struct batch {
	batch_row rows[BATCH_ROWS];
	size_t n;
	vx_buf text; /* each column NUL-terminated */
} batch;

/* The reader and the adder share this under lock: a batch is the
 * reader's while it is not full, the adder's while it is. */
typedef struct pipe {
	sqlite3_stmt *st;
	vx_store *store;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	batch b[BATCHES];
	int full[BATCHES];
	int done;      /* the reader has ended (rc says how) */
	int stop;      /* the adder failed: the reader stops */
	int rc;        /* the reader's */
	char message[512];
} pipe_t;

/* Copies the current row of st into b. Errors: VX_ENOMEM. */
static int batch_put(batch *b, sqlite3_stmt *st)
{
	batch_row *r = &b->rows[b->n];
	r->source_id = sqlite3_column_int64(st, 0);
	r->line = sqlite3_column_int64(st, 1);
	for (int i = 0; i < VX_LOAD_COLS; i++) {
		const char *s = col(st, VX_LOAD_FIRST_TEXT + i);
		size_t len = (size_t)sqlite3_column_bytes(st, VX_LOAD_FIRST_TEXT + i);
		r->off[i] = b->text.len;
		int rc = vx_buf_append(&b->text, s, len);
		if (rc == 0)
			rc = vx_buf_putc(&b->text, '\0');
		if (rc)
			return rc;
		if (i == VX_LOAD_CHANNELS)
			r->channels_len = len;
	}
	b->n++;
	return 0;
}

/* The reader: fills the batches in turn until the last row. */
static void *read_rows(void *arg)
{
	pipe_t *p = arg;
	int rc = 0, r = SQLITE_ROW;
	for (size_t k = 0; rc == 0 && r == SQLITE_ROW; k = (k + 1) % BATCHES) {
		pthread_mutex_lock(&p->lock);
		while (p->full[k] && !p->stop)
			pthread_cond_wait(&p->changed, &p->lock);
		int stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		batch *b = &p->b[k];
		b->n = 0;
		vx_buf_reset(&b->text);
		while (b->n < BATCH_ROWS && b->text.len < BATCH_TEXT && (r = sqlite3_step(p->st)) == SQLITE_ROW)
			if ((rc = batch_put(b, p->st)) != 0)
				break;
		if (rc == 0 && r != SQLITE_ROW && r != SQLITE_DONE)
			rc = vx_store_db_error(p->store->db, "lecture des expériences");
		pthread_mutex_lock(&p->lock);
		p->full[k] = rc == 0 && b->n > 0;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	p->rc = rc;
	if (rc)
		snprintf(p->message, sizeof p->message, "%s", vx_error_last());
	p->done = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Adds the rows of b to l. Errors: those of vx_load_row. */
static int batch_add(vx_load *l, const batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const batch_row *r = &b->rows[i];
		const char *cols[VX_LOAD_COLS];
		for (int c = 0; c < VX_LOAD_COLS; c++)
			cols[c] = b->text.data + r->off[c];
		int rc = vx_load_row(l, r->source_id, r->line, cols, r->channels_len);
		if (rc)
			return rc;
	}
	return 0;
}

/* The rows of st into l on the calling thread, one at a time. */
static int add_rows_serially(vx_store *s, sqlite3_stmt *st, vx_load *l)
{
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cols[VX_LOAD_COLS];
		for (int i = 0; i < VX_LOAD_COLS; i++)
			cols[i] = col(st, VX_LOAD_FIRST_TEXT + i);
		size_t chan_len = (size_t)sqlite3_column_bytes(st, VX_LOAD_FIRST_TEXT + VX_LOAD_CHANNELS);
		int rc = vx_load_row(l, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), cols, chan_len);
		if (rc)
			return rc;
	}
	return r == SQLITE_DONE ? 0 : vx_store_db_error(s->db, "lecture des expériences");
}

/* The rows of st into l, read on a thread of their own and added on the
 * calling one; serially when the thread cannot be started. Errors: the
 * reader's (VX_EDB, VX_ENOMEM, with its message), vx_load_row's. */
static int add_rows(vx_store *s, sqlite3_stmt *st, vx_load *l)
{
	pipe_t *p = calloc(1, sizeof *p);
	pthread_t thread;
	int rc = 0;
	if (p == NULL)
		return add_rows_serially(s, st, l);
	p->st = st;
	p->store = s;
	for (int k = 0; k < BATCHES; k++)
		vx_buf_init(&p->b[k].text, 0);
	int locks = pthread_mutex_init(&p->lock, NULL) == 0;
	int conds = locks && pthread_cond_init(&p->changed, NULL) == 0;
	if (!conds || pthread_create(&thread, NULL, read_rows, p) != 0) {
		rc = add_rows_serially(s, st, l);
		goto done;
	}
	for (size_t k = 0;; k = (k + 1) % BATCHES) {
		pthread_mutex_lock(&p->lock);
		while (!p->full[k] && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		int ready = p->full[k];
		pthread_mutex_unlock(&p->lock);
		if (!ready)
			break; /* the reader ended and left nothing in this batch */
		rc = batch_add(l, &p->b[k]);
		pthread_mutex_lock(&p->lock);
		p->full[k] = 0;
		p->stop = rc != 0;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	if (rc == 0 && p->rc != 0)
		rc = vx_error_set(p->rc, "%s", p->message);
done:
	if (conds)
		pthread_cond_destroy(&p->changed);
	if (locks)
		pthread_mutex_destroy(&p->lock);
	for (int k = 0; k < BATCHES; k++)
		vx_buf_free(&p->b[k].text);
	free(p);
	return rc;
}

int vx_sqlite_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter)
{
	int rc = 0;
	sqlite3_stmt *st = NULL;
	vx_load l;
	vx_buf sql = VX_BUF_INIT;
	vx_load_params params = {.n = 0};
	int mapped = 0;
	static const vx_load_dialect dialect = {"?%d", "trim(department, ' ' || char(9, 10, 13))"};
	vx_load_init(&l, corpus, filter);
	vx_buf_init(&params.text, 0);

	if ((rc = s->ops->rows(s, VX_LOAD_SOURCES, 0, NULL, "lecture des sources", source_row, &l)) != 0)
		goto done;
	/* Without a map (an SQLite built without them), the load reads. */
	mapped = vx_store_exec(s->db, LOAD_MMAP_SQL) == 0;
	if ((rc = vx_buf_puts(&sql, VX_LOAD_SELECT)) != 0 ||
	    (rc = vx_load_where(&sql, &params, filter, &dialect)) != 0)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "lecture des expériences");
		goto done;
	}
	for (int i = 0; i < params.n; i++)
		sqlite3_bind_text(st, i + 1, params.v[i], -1, SQLITE_STATIC);
	if ((rc = add_rows(s, st, &l)) != 0)
		goto done;
	rc = vx_load_finish(&l);
done:
	sqlite3_finalize(st);
	if (mapped && vx_store_exec(s->db, LOAD_UNMAP_SQL) != 0 && rc == 0)
		rc = VX_EDB;
	vx_load_free(&l);
	vx_load_params_free(&params);
	vx_buf_free(&sql);
	return rc;
}
