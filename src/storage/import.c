/*
 * vx_store_import: one transaction per call; every experience is looked up
 * by its identity (scope, id) and inserted, updated or left alone according
 * to a hash of its content.
 *
 * The full-text index is either maintained row by row or rebuilt once at the
 * end, whichever is cheaper: rebuilding costs the whole table, row by row
 * costs the changed rows (twice for an update: the old text is removed
 * first), so a first import rebuilds and a small re-import goes row by row.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/channels.h"
#include "storage/import_rows.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "util/file.h"
#include "voix/error.h"

/* Experiences between two progress calls. */
#define VX_IMPORT_PROGRESS_STEP 2048


enum {
	P_SCOPE = 1, P_EXT_ID, P_SOURCE, P_LINE, P_DATE, P_DATE_TEXT, P_FEELING, P_SERVICE, P_STRUCTURE,
	P_DEPARTMENT, P_CHANNELS, P_DIM0, P_HASH = P_DIM0 + VX_DIM_COUNT, P_TITLE, P_TEXT, P_REPLY, P_ROWID
};

static const char sql_select[] = "SELECT id, content_hash FROM experiences WHERE scope = ?1 AND ext_id = ?2";
static const char sql_insert[] =
	"INSERT INTO experiences (scope, ext_id, source_id, line, date, date_text, feeling, service,"
	" structure, department, channels, accessibilite, information, relation, reactivite, simplicite,"
	" content_hash, title, text, reply)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
	" ON CONFLICT (scope, ext_id) DO NOTHING";
static const char sql_update[] =
	"UPDATE experiences SET source_id = ?3, line = ?4, date = ?5, date_text = ?6, feeling = ?7,"
	" service = ?8, structure = ?9, department = ?10, channels = ?11, accessibilite = ?12,"
	" information = ?13, relation = ?14, reactivite = ?15, simplicite = ?16, content_hash = ?17,"
	" title = ?18, text = ?19, reply = ?20 WHERE id = ?21";
static const char sql_row[] = "INSERT OR REPLACE INTO original_rows (experience_id, row_json) VALUES (?1, ?2)";
static const char sql_old_text[] = "SELECT title, text FROM experiences WHERE id = ?1";
static const char sql_fts_delete[] =
	"INSERT INTO experiences_fts (experiences_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)";
static const char sql_fts_insert[] = "INSERT INTO experiences_fts (rowid, title, text) VALUES (?1, ?2, ?3)";
static const char sql_source[] =
	"INSERT INTO sources (path, sha256, format, encoding, separator, rows_read, rows_rejected,"
	" c1_repaired, first_imported, last_imported, lines_repaired)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)"
	" ON CONFLICT (path, sha256) DO UPDATE SET format = excluded.format, encoding = excluded.encoding,"
	" separator = excluded.separator, rows_read = excluded.rows_read,"
	" rows_rejected = excluded.rows_rejected, c1_repaired = excluded.c1_repaired,"
	" lines_repaired = excluded.lines_repaired,"
	" last_imported = excluded.last_imported"
	" RETURNING id";
static const char sql_import_log[] =
	"INSERT INTO imports (at, files, read, inserted, updated, unchanged, rejected)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

typedef struct stmts {
	sqlite3_stmt *select, *insert, *update, *row, *old_text, *fts_delete, *fts_insert;
} stmts;

typedef struct import_ctx {
	vx_store *s;
	const vx_corpus *corpus;
	stmts st;
	int64_t *source_ids;   /* per corpus source */
	size_t *scope_off;     /* per corpus source: offset of its scope in scopes */
	vx_buf scopes;
	vx_buf channels;       /* the channels JSON, reused per row */
	int fts_per_row;       /* 1: maintain the index row by row; 0: rebuild at the end */
	char now[32];
} import_ctx;

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return vx_store_db_error(db, "préparation de l'importation");
	return 0;
}

static void finalize_all(stmts *st)
{
	sqlite3_finalize(st->select);
	sqlite3_finalize(st->insert);
	sqlite3_finalize(st->update);
	sqlite3_finalize(st->row);
	sqlite3_finalize(st->old_text);
	sqlite3_finalize(st->fts_delete);
	sqlite3_finalize(st->fts_insert);
}

/* Runs a statement whose parameters are bound and that returns no row. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return vx_store_db_error(db, what);
	return 0;
}

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static void bind_experience(sqlite3_stmt *st, import_ctx *c, const vx_experience *e, size_t src, int64_t hash)
{
	bind_str(st, P_SCOPE, c->scopes.data + c->scope_off[src]);
	bind_str(st, P_EXT_ID, e->id);
	sqlite3_bind_int64(st, P_SOURCE, c->source_ids[src]);
	sqlite3_bind_int64(st, P_LINE, e->line);
	bind_str(st, P_DATE, e->date);
	bind_str(st, P_DATE_TEXT, e->date_text);
	bind_str(st, P_FEELING, vx_import_feeling_name(e->feeling));
	bind_str(st, P_SERVICE, e->service);
	bind_str(st, P_STRUCTURE, e->structure);
	bind_str(st, P_DEPARTMENT, e->department);
	bind_str(st, P_CHANNELS, c->channels.data);
	for (int d = 0; d < VX_DIM_COUNT; d++)
		bind_str(st, P_DIM0 + d, vx_import_feeling_name(e->dims[d]));
	sqlite3_bind_int64(st, P_HASH, hash);
	bind_str(st, P_TITLE, e->title);
	bind_str(st, P_TEXT, e->text);
	bind_str(st, P_REPLY, e->reply);
}

static int fts_insert(import_ctx *c, int64_t rowid, const char *title, const char *text)
{
	sqlite3_stmt *st = c->st.fts_insert;
	sqlite3_bind_int64(st, 1, rowid);
	bind_str(st, 2, title);
	bind_str(st, 3, text);
	return step_done(c->s->db, st, "indexation d'une expérience");
}

/* Removes the old text of rowid from the index (external content: FTS5
 * needs the exact text that was indexed). */
static int fts_remove(import_ctx *c, int64_t rowid)
{
	sqlite3 *db = c->s->db;
	sqlite3_stmt *old = c->st.old_text, *del = c->st.fts_delete;
	int rc = 0;
	sqlite3_bind_int64(old, 1, rowid);
	if (sqlite3_step(old) != SQLITE_ROW) {
		rc = vx_store_db_error(db, "lecture d'une expérience à mettre à jour");
		goto done;
	}
	sqlite3_bind_int64(del, 1, rowid);
	sqlite3_bind_value(del, 2, sqlite3_column_value(old, 0));
	sqlite3_bind_value(del, 3, sqlite3_column_value(old, 1));
	rc = step_done(db, del, "retrait d'une expérience de l'index");
done:
	sqlite3_reset(old);
	return rc;
}

static int store_row_json(import_ctx *c, int64_t rowid, const vx_experience *e)
{
	sqlite3_stmt *st = c->st.row;
	sqlite3_bind_int64(st, 1, rowid);
	bind_str(st, 2, e->row_json);
	return step_done(c->s->db, st, "enregistrement d'une ligne d'origine");
}

static int import_one(import_ctx *c, const vx_experience *e, size_t *hint, vx_import_counts *counts)
{
	sqlite3 *db = c->s->db;
	int64_t hash = 0;
	int rc = vx_import_row(&hash, &c->channels, c->corpus, e, hint);
	if (rc)
		return rc;
	/* Most rows of an import are new: try the insert first, the unique
	 * (scope, ext_id) index says whether the experience is known. */
	bind_experience(c->st.insert, c, e, *hint, hash);
	if ((rc = step_done(db, c->st.insert, "ajout d'une expérience")) != 0)
		return rc;
	if (sqlite3_changes(db) == 1) {
		int64_t rowid = sqlite3_last_insert_rowid(db);
		if ((rc = store_row_json(c, rowid, e)) != 0)
			return rc;
		if (c->fts_per_row && (rc = fts_insert(c, rowid, e->title, e->text)) != 0)
			return rc;
		counts->inserted++;
		return 0;
	}
	sqlite3_stmt *sel = c->st.select;
	bind_str(sel, 1, c->scopes.data + c->scope_off[*hint]);
	bind_str(sel, 2, e->id);
	int r = sqlite3_step(sel);
	int64_t rowid = 0, old_hash = 0;
	if (r == SQLITE_ROW) {
		rowid = sqlite3_column_int64(sel, 0);
		old_hash = sqlite3_column_int64(sel, 1);
	}
	sqlite3_reset(sel);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return vx_store_db_error(db, "recherche d'une expérience");

	if (r != SQLITE_ROW)
		return vx_error_set(VX_EDB, "base de données : l'expérience %s n'a été ni ajoutée ni trouvée", e->id);
	if (old_hash == hash) {
		counts->unchanged++;
		return 0;
	}
	if (c->fts_per_row && (rc = fts_remove(c, rowid)) != 0)
		return rc;
	bind_experience(c->st.update, c, e, *hint, hash);
	sqlite3_bind_int64(c->st.update, P_ROWID, rowid);
	if ((rc = step_done(db, c->st.update, "mise à jour d'une expérience")) != 0)
		return rc;
	/* A corpus read without keep_row_json never erases an original row. */
	if (e->row_json && e->row_json[0] && (rc = store_row_json(c, rowid, e)) != 0)
		return rc;
	if (c->fts_per_row && (rc = fts_insert(c, rowid, e->title, e->text)) != 0)
		return rc;
	counts->updated++;
	return 0;
}

/* Records (or refreshes) every source of the corpus; fills source_ids and
 * the scopes. */
static int import_sources(import_ctx *c)
{
	sqlite3 *db = c->s->db;
	sqlite3_stmt *st = NULL;
	int rc = prepare(db, sql_source, &st);
	size_t n = vx_corpus_source_count(c->corpus);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const vx_source *src = vx_corpus_source(c->corpus, i);
		char sep[2] = {src->separator, '\0'};
		bind_str(st, 1, src->path);
		bind_str(st, 2, src->sha256);
		bind_str(st, 3, src->format);
		bind_str(st, 4, src->encoding);
		bind_str(st, 5, sep);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)src->rows_read);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)src->rows_rejected);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)src->c1_repaired);
		bind_str(st, 9, c->now);
		sqlite3_bind_int64(st, 10, (sqlite3_int64)src->lines_repaired);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = vx_store_db_error(db, "enregistrement d'un fichier source");
			break;
		}
		c->source_ids[i] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		c->scope_off[i] = c->scopes.len;
		if ((rc = vx_import_scope(&c->scopes, src)) == 0)
			rc = vx_buf_putc(&c->scopes, '\0');
	}
	sqlite3_finalize(st);
	return rc;
}

static int log_import(import_ctx *c, const vx_import_counts *counts)
{
	sqlite3 *db = c->s->db;
	sqlite3_stmt *st = NULL;
	vx_buf files = VX_BUF_INIT;
	size_t n = vx_corpus_source_count(c->corpus);
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	if (paths == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory logging the import");
	for (size_t i = 0; i < n; i++)
		paths[i] = vx_corpus_source(c->corpus, i)->path;
	int rc = vx_channels_encode(&files, paths, (uint32_t)n);
	if (rc == 0)
		rc = prepare(db, sql_import_log, &st);
	if (rc == 0) {
		bind_str(st, 1, c->now);
		bind_str(st, 2, files.data);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)counts->read);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)counts->inserted);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)counts->updated);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)counts->unchanged);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)counts->rejected);
		rc = step_done(db, st, "journal de l'importation");
	}
	sqlite3_finalize(st);
	vx_buf_free(&files);
	free(paths);
	return rc;
}

static void utc_now(char out[32], sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	snprintf(out, 32, "%s", "");
	if (sqlite3_prepare_v2(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 32, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int vx_sqlite_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts)
{
	int rc = 0, in_tx = 0;
	vx_import_counts k = {0};
	import_ctx c = {.s = s, .corpus = corpus};
	vx_buf_init(&c.scopes, 0);
	vx_buf_init(&c.channels, 0);
	memset(counts, 0, sizeof *counts);
	size_t n = vx_corpus_count(corpus), nsrc = vx_corpus_source_count(corpus);
	c.source_ids = calloc(nsrc ? nsrc : 1, sizeof *c.source_ids);
	c.scope_off = calloc(nsrc ? nsrc : 1, sizeof *c.scope_off);
	if (c.source_ids == NULL || c.scope_off == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory starting the import");
		goto done;
	}
	size_t existing = 0;
	/* The database stays in WAL during every import, the first one
	 * included, so that stats, search and note --db keep reading the last
	 * committed state meanwhile. (A rollback journal for the first import
	 * wrote each page once instead of twice, but locked every reader out
	 * for the whole import: docs/storage.md.) */
	if ((rc = vx_store_begin_write(s, "importation")) != 0)
		goto done;
	in_tx = 1;
	utc_now(c.now, s->db);
	if ((rc = vx_store_count(s, &existing)) != 0)
		goto done;
	c.fts_per_row = n <= existing;
	if ((rc = import_sources(&c)) != 0)
		goto done;
	sqlite3 *db = s->db;
	if ((rc = prepare(db, sql_select, &c.st.select)) || (rc = prepare(db, sql_insert, &c.st.insert)) ||
	    (rc = prepare(db, sql_update, &c.st.update)) || (rc = prepare(db, sql_row, &c.st.row)) ||
	    (rc = prepare(db, sql_old_text, &c.st.old_text)) ||
	    (rc = prepare(db, sql_fts_delete, &c.st.fts_delete)) ||
	    (rc = prepare(db, sql_fts_insert, &c.st.fts_insert)))
		goto done;
	/* Progress counts the rows, then the index build as much again (it
	 * takes about as long and reports nothing while it runs). */
	size_t hint = 0, units = c.fts_per_row ? n : 2 * n;
	for (size_t i = 0; i < n; i++) {
		if ((rc = import_one(&c, vx_corpus_get(corpus, i), &hint, &k)) != 0)
			goto done;
		if (s->progress && (i + 1) % VX_IMPORT_PROGRESS_STEP == 0)
			s->progress(i + 1, units, s->progress_payload);
	}
	if (!c.fts_per_row && k.inserted + k.updated > 0 &&
	    (rc = vx_store_exec(db, "INSERT INTO experiences_fts (experiences_fts) VALUES ('rebuild')")) != 0)
		goto done;
	k.rejected = vx_corpus_reject_count(corpus);
	k.read = n + k.rejected;
	if ((rc = log_import(&c, &k)) != 0)
		goto done;
	if ((rc = vx_store_exec(db, "COMMIT")) != 0)
		goto done;
	in_tx = 0;
	if (s->progress)
		s->progress(units, units, s->progress_payload);
	*counts = k;
done:
	finalize_all(&c.st);
	if (in_tx) {
		/* Keep the message of the failure, not of the rollback, and say
		 * which database and that it is as it was. */
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		int full = (sqlite3_errcode(s->db) & 0xff) == SQLITE_FULL;
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		vx_error_set(rc, "%s : %s%s ; l'import a été annulé : la base contient ce qu'elle contenait avant", s->path,
		             full ? "le disque est plein : " : "", msg);
	}
	vx_buf_free(&c.scopes);
	vx_buf_free(&c.channels);
	free(c.source_ids);
	free(c.scope_off);
	return rc;
}
