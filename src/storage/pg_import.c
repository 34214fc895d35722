/*
 * vx_store_import for PostgreSQL: the same decisions as the SQLite import
 * (insert a new (scope, id), update a changed one, leave an identical one;
 * a repeated id within an import compared with its previous occurrence),
 * the same counts, in one transaction, written with COPY.
 *
 * The SQLite import asks the database row by row; over a network that is
 * one round trip per experience. Here the decisions are taken in memory:
 * the identities of the corpus are copied to a temporary table and joined
 * with the stored ones (one COPY, one query), the corpus is then walked in
 * order exactly as the SQLite import walks it, and only what changes is
 * written: new experiences with COPY straight into their tables, changed
 * ones through a temporary table and one UPDATE. The import lock (an
 * advisory lock, pg.h) makes imports into one database one at a time, as
 * SQLite's single writer does, so that the ids given to new experiences
 * (the largest id plus one, and so on, in first-occurrence order) keep the
 * load order of the SQLite store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/channels.h"
#include "storage/import_rows.h"
#include "storage/pg.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "voix/error.h"

/* Experiences between two progress calls (as in the SQLite import). */
#define VX_PG_PROGRESS_STEP 2048

/* COPY data sent to the server in pieces of about this size. */
#define VX_PG_COPY_CHUNK (1 << 20)

#define NONE SIZE_MAX

/* What the import knows of one identity (scope, id) of the corpus. */
typedef struct key_state {
	int64_t db_id;   /* its id in the database, 0 when new */
	int64_t hash;    /* the content hash it has now (stored, or given by this import) */
	int64_t new_id;  /* the id given to a new experience */
	size_t writer;   /* the corpus row whose values it ends with, NONE when left as stored */
	size_t row_json; /* the corpus row whose original row it ends with, NONE: as stored */
	int known;       /* in the database, or seen earlier in this import */
} key_state;

typedef struct pg_import {
	vx_store *s;
	const vx_corpus *corpus;
	char now[32];
	vx_buf source_id_text; /* the sources' ids, as text, NUL after each */
	size_t *source_id_off;   /* per corpus source, into source_id_text */
	size_t *scope_off;   /* per corpus source, into scopes */
	vx_buf scopes;
	vx_strmap keys;      /* "scope\0id" -> key id */
	key_state *state;    /* per key */
	uint32_t *key_of;    /* per corpus row */
	size_t *src_of;      /* per corpus row: its source */
	vx_buf channels, line;
	int in_copy;
} pg_import;

/* Appends v to b in COPY's text format: backslash, tab, newline and
 * carriage return escaped (NUL cannot occur in a C string). */
static int copy_text(vx_buf *b, const char *v)
{
	int rc = 0;
	const char *run = v ? v : "";
	for (const char *p = run;; p++) {
		char esc = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : 0;
		if (esc == 0 && *p != '\0')
			continue;
		if (p > run && (rc = vx_buf_append(b, run, (size_t)(p - run))) != 0)
			return rc;
		if (*p == '\0')
			return 0;
		if ((rc = vx_buf_putc(b, '\\')) != 0 || (rc = vx_buf_putc(b, esc)) != 0)
			return rc;
		run = p + 1;
	}
}

/* Field separator or end of line, then the next field. */
static int copy_next(vx_buf *b, const char *v)
{
	int rc = b->len && b->data[b->len - 1] != '\n' ? vx_buf_putc(b, '\t') : 0;
	return rc ? rc : copy_text(b, v);
}

static int copy_int(vx_buf *b, long long v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", v);
	return copy_next(b, num);
}

static int copy_start(pg_import *c, const char *sql, const char *what)
{
	PGresult *r = PQexec(c->s->pg, sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COPY_IN)
		rc = vx_pg_error(c->s, r, what);
	else
		c->in_copy = 1;
	PQclear(r);
	return rc;
}

/* Sends the lines in b once they are a chunk (or all of them: last). */
static int copy_flush(pg_import *c, vx_buf *b, int last, const char *what)
{
	if (b->len == 0 || (!last && b->len < VX_PG_COPY_CHUNK))
		return 0;
	if (b->len > INT32_MAX || PQputCopyData(c->s->pg, b->data, (int)b->len) != 1)
		return vx_pg_error(c->s, NULL, what);
	vx_buf_reset(b);
	return 0;
}

/* Ends the COPY in progress: committed to the transaction when ok, else
 * abandoned (the transaction is rolled back after). */
static int copy_end(pg_import *c, vx_buf *b, int ok, const char *what)
{
	int rc = ok ? copy_flush(c, b, 1, what) : 0;
	if (!c->in_copy)
		return rc;
	c->in_copy = 0;
	if (PQputCopyEnd(c->s->pg, rc == 0 && ok ? NULL : "import abandoned") != 1 && rc == 0)
		rc = vx_pg_error(c->s, NULL, what);
	PGresult *r;
	while ((r = PQgetResult(c->s->pg)) != NULL) {
		if (rc == 0 && ok && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = vx_pg_error(c->s, r, what);
		PQclear(r);
	}
	vx_buf_reset(b);
	return rc;
}

/* Records (or refreshes) every source of the corpus, as the SQLite import
 * does; fills source ids and scopes. */
static int import_sources(pg_import *c)
{
	static const char sql[] =
		"INSERT INTO sources (path, sha256, format, encoding, separator, rows_read, rows_rejected,"
		" c1_repaired, first_imported, last_imported, lines_repaired)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)"
		" ON CONFLICT (path, sha256) DO UPDATE SET format = excluded.format, encoding = excluded.encoding,"
		" separator = excluded.separator, rows_read = excluded.rows_read,"
		" rows_rejected = excluded.rows_rejected, c1_repaired = excluded.c1_repaired,"
		" lines_repaired = excluded.lines_repaired, last_imported = excluded.last_imported"
		" RETURNING id";
	int rc = 0;
	size_t n = vx_corpus_source_count(c->corpus);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const vx_source *src = vx_corpus_source(c->corpus, i);
		char sep[2] = {src->separator, '\0'}, rd[24], rj[24], c1[24], lr[24];
		snprintf(rd, sizeof rd, "%zu", src->rows_read);
		snprintf(rj, sizeof rj, "%zu", src->rows_rejected);
		snprintf(c1, sizeof c1, "%zu", src->c1_repaired);
		snprintf(lr, sizeof lr, "%zu", src->lines_repaired);
		const char *p[10] = {src->path ? src->path : "", src->sha256, src->format ? src->format : "",
		                     src->encoding ? src->encoding : "", sep, rd, rj, c1, c->now, lr};
		PGresult *r = NULL;
		if ((rc = vx_pg_query(&r, c->s, sql, 10, p, "enregistrement d'un fichier source")) != 0)
			break;
		c->source_id_off[i] = c->source_id_text.len;
		if ((rc = vx_buf_puts(&c->source_id_text, PQgetvalue(r, 0, 0))) == 0)
			rc = vx_buf_putc(&c->source_id_text, '\0');
		PQclear(r);
		c->scope_off[i] = c->scopes.len;
		if (rc == 0 && (rc = vx_import_scope(&c->scopes, src)) == 0)
			rc = vx_buf_putc(&c->scopes, '\0');
	}
	return rc;
}

static const char *source_id(const pg_import *c, size_t src)
{
	return c->source_id_text.data + c->source_id_off[src];
}

static const char *scope(const pg_import *c, size_t src)
{
	return c->scopes.data + c->scope_off[src];
}

/* Pass 1: every row checked and hashed (as vx_import_row), its identity
 * interned. hashes[i] receives row i's hash. */
static int read_rows(pg_import *c, int64_t *hashes, size_t units)
{
	int rc = 0;
	size_t n = vx_corpus_count(c->corpus), hint = 0;
	vx_buf key = VX_BUF_INIT;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const vx_experience *e = vx_corpus_get(c->corpus, i);
		if ((rc = vx_import_row(&hashes[i], &c->channels, c->corpus, e, &hint)) != 0)
			break;
		c->src_of[i] = hint;
		vx_buf_reset(&key);
		const char *sc = scope(c, hint);
		if ((rc = vx_buf_append(&key, sc, strlen(sc) + 1)) != 0 || (rc = vx_buf_puts(&key, e->id)) != 0)
			break;
		rc = vx_strmap_intern(&c->keys, key.data, key.len, &c->key_of[i], NULL);
		if (c->s->progress && (i + 1) % VX_PG_PROGRESS_STEP == 0)
			c->s->progress(i + 1, units, c->s->progress_payload);
	}
	vx_buf_free(&key);
	return rc;
}

/* The stored id and hash of every identity of the corpus: the identities
 * go to a temporary table, joined with the experiences. */
static int read_stored(pg_import *c)
{
	int rc = 0;
	vx_buf b = VX_BUF_INIT;
	PGresult *r = NULL;
	size_t nkeys = vx_strmap_count(&c->keys);
	if ((rc = vx_pg_exec(c->s,
	                     "CREATE TEMP TABLE vx_keys (k INTEGER NOT NULL, scope TEXT COLLATE \"C\" NOT NULL,"
	                     " ext_id TEXT COLLATE \"C\" NOT NULL) ON COMMIT DROP",
	                     "recherche des expériences")) != 0 ||
	    (rc = copy_start(c, "COPY vx_keys FROM STDIN", "recherche des expériences")) != 0)
		goto done;
	for (size_t k = 0; k < nkeys && rc == 0; k++) {
		const char *sc = vx_strmap_key(&c->keys, (uint32_t)k);
		if ((rc = copy_int(&b, (long long)k)) || (rc = copy_next(&b, sc)) ||
		    (rc = copy_next(&b, sc + strlen(sc) + 1)) || (rc = vx_buf_putc(&b, '\n')))
			break;
		rc = copy_flush(c, &b, 0, "recherche des expériences");
	}
	if ((rc = copy_end(c, &b, rc == 0, "recherche des expériences")) != 0)
		goto done;
	if ((rc = vx_pg_query(&r, c->s,
	                      "SELECT k.k, e.id, e.content_hash FROM vx_keys k"
	                      " JOIN experiences e ON e.scope = k.scope AND e.ext_id = k.ext_id",
	                      0, NULL, "recherche des expériences")) != 0)
		goto done;
	for (int i = 0; i < PQntuples(r); i++) {
		size_t k = (size_t)strtoull(PQgetvalue(r, i, 0), NULL, 10);
		if (k >= nkeys) {
			rc = vx_error_set(
			        VX_EDB,
			        "base de données : recherche des expériences : une identité inconnue est revenue");
			goto done;
		}
		c->state[k].db_id = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		c->state[k].hash = strtoll(PQgetvalue(r, i, 2), NULL, 10);
		c->state[k].known = 1;
	}
done:
	PQclear(r);
	copy_end(c, &b, 0, "recherche des expériences");
	vx_buf_free(&b);
	return rc;
}

/* Pass 2: the decisions of the SQLite import, row by row, in corpus order. */
static void decide(pg_import *c, const int64_t *hashes, vx_import_counts *k)
{
	size_t n = vx_corpus_count(c->corpus);
	for (size_t i = 0; i < n; i++) {
		key_state *st = &c->state[c->key_of[i]];
		const vx_experience *e = vx_corpus_get(c->corpus, i);
		if (!st->known) {
			st->known = 1;
			st->hash = hashes[i];
			st->writer = st->row_json = i;
			k->inserted++;
		} else if (st->hash == hashes[i]) {
			k->unchanged++;
		} else {
			st->hash = hashes[i];
			st->writer = i;
			/* A corpus read without keep_row_json never erases an
			 * original row. */
			if (e->row_json && e->row_json[0])
				st->row_json = i;
			k->updated++;
		}
	}
}

/* The columns of an experience after its id, as COPY fields, from row i. */
static int copy_experience(pg_import *c, vx_buf *b, size_t i, int with_scope)
{
	const vx_experience *e = vx_corpus_get(c->corpus, i);
	size_t src = c->src_of[i];
	int64_t hash = 0;
	int rc = vx_import_row(&hash, &c->channels, c->corpus, e, &src);
	if (rc == 0 && with_scope)
		rc = copy_next(b, scope(c, src));
	if (rc == 0 && with_scope)
		rc = copy_next(b, e->id);
	if (rc || (rc = copy_next(b, source_id(c, src))) || (rc = copy_int(b, (long long)e->line)) ||
	    (rc = copy_next(b, e->date)) || (rc = copy_next(b, e->date_text)) ||
	    (rc = copy_next(b, vx_import_feeling_name(e->feeling))) || (rc = copy_next(b, e->service)) ||
	    (rc = copy_next(b, e->structure)) || (rc = copy_next(b, e->department)) ||
	    (rc = copy_next(b, c->channels.data)))
		return rc;
	for (int d = 0; d < VX_DIM_COUNT && rc == 0; d++)
		rc = copy_next(b, vx_import_feeling_name(e->dims[d]));
	if (rc || (rc = copy_int(b, (long long)hash)) || (rc = copy_next(b, e->title)) ||
	    (rc = copy_next(b, e->text)) || (rc = copy_next(b, e->reply)))
		return rc;
	return 0;
}

#define EXPERIENCE_COLUMNS                                                                                   \
	"source_id, line, date, date_text, feeling, service, structure, department, channels, accessibilite," \
	" information, relation, reactivite, simplicite, content_hash, title, text, reply"

/* New experiences, then their original rows, with COPY; ids from base + 1
 * in first-occurrence order (the keys' order). */
static int write_new(pg_import *c, int64_t base, size_t units, size_t *done_units)
{
	int rc = 0;
	vx_buf b = VX_BUF_INIT;
	size_t nkeys = vx_strmap_count(&c->keys);
	int64_t next = base;
	const char *what = "ajout des expériences";
	if ((rc = copy_start(c, "COPY experiences (id, scope, ext_id, " EXPERIENCE_COLUMNS ") FROM STDIN", what)) != 0)
		goto done;
	for (size_t k = 0; k < nkeys && rc == 0; k++) {
		key_state *st = &c->state[k];
		if (st->db_id != 0)
			continue;
		st->new_id = ++next;
		if ((rc = copy_int(&b, st->new_id)) || (rc = copy_experience(c, &b, st->writer, 1)) ||
		    (rc = vx_buf_putc(&b, '\n')) || (rc = copy_flush(c, &b, 0, what)))
			break;
		if (c->s->progress && ++*done_units % VX_PG_PROGRESS_STEP == 0)
			c->s->progress(*done_units, units, c->s->progress_payload);
	}
	if ((rc = copy_end(c, &b, rc == 0, what)) != 0)
		goto done;
	what = "enregistrement des lignes d'origine";
	if ((rc = copy_start(c, "COPY original_rows (experience_id, row_json) FROM STDIN", what)) != 0)
		goto done;
	for (size_t k = 0; k < nkeys && rc == 0; k++) {
		const key_state *st = &c->state[k];
		if (st->db_id != 0)
			continue;
		const vx_experience *e = vx_corpus_get(c->corpus, st->row_json);
		if ((rc = copy_int(&b, st->new_id)) || (rc = copy_next(&b, e->row_json)) ||
		    (rc = vx_buf_putc(&b, '\n')) || (rc = copy_flush(c, &b, 0, what)))
			break;
	}
	rc = copy_end(c, &b, rc == 0, what);
done:
	copy_end(c, &b, 0, what);
	vx_buf_free(&b);
	return rc;
}

/* Stored experiences that changed: their new values to a temporary table,
 * then one UPDATE, and their original rows when the corpus has them. */
static int write_updates(pg_import *c, size_t n_updated, size_t units, size_t *done_units)
{
	int rc = 0;
	vx_buf b = VX_BUF_INIT;
	size_t nkeys = vx_strmap_count(&c->keys);
	const char *what = "mise à jour des expériences";
	if (n_updated == 0)
		return 0;
	if ((rc = vx_pg_exec(c->s,
	                     "CREATE TEMP TABLE vx_updates ON COMMIT DROP AS SELECT id, " EXPERIENCE_COLUMNS
	                     ", ''::text AS row_json FROM experiences WITH NO DATA",
	                     what)) != 0 ||
	    (rc = copy_start(c, "COPY vx_updates (id, " EXPERIENCE_COLUMNS ", row_json) FROM STDIN", what)) != 0)
		goto done;
	for (size_t k = 0; k < nkeys && rc == 0; k++) {
		const key_state *st = &c->state[k];
		if (st->db_id == 0 || st->writer == NONE)
			continue;
		const char *row_json = st->row_json == NONE ? NULL : vx_corpus_get(c->corpus, st->row_json)->row_json;
		if ((rc = copy_int(&b, st->db_id)) || (rc = copy_experience(c, &b, st->writer, 0)))
			break;
		rc = row_json ? copy_next(&b, row_json) : vx_buf_puts(&b, "\t\\N");
		if (rc || (rc = vx_buf_putc(&b, '\n')) || (rc = copy_flush(c, &b, 0, what)))
			break;
		if (c->s->progress && ++*done_units % VX_PG_PROGRESS_STEP == 0)
			c->s->progress(*done_units, units, c->s->progress_payload);
	}
	if ((rc = copy_end(c, &b, rc == 0, what)) != 0)
		goto done;
	if ((rc = vx_pg_exec(c->s,
	                     "UPDATE experiences e SET source_id = u.source_id, line = u.line, date = u.date,"
	                     " date_text = u.date_text, feeling = u.feeling, service = u.service,"
	                     " structure = u.structure, department = u.department, channels = u.channels,"
	                     " accessibilite = u.accessibilite, information = u.information, relation = u.relation,"
	                     " reactivite = u.reactivite, simplicite = u.simplicite, content_hash = u.content_hash,"
	                     " title = u.title, text = u.text, reply = u.reply FROM vx_updates u WHERE e.id = u.id",
	                     what)) != 0)
		goto done;
	rc = vx_pg_exec(c->s,
	                "INSERT INTO original_rows (experience_id, row_json)"
	                " SELECT id, row_json FROM vx_updates WHERE row_json IS NOT NULL"
	                " ON CONFLICT (experience_id) DO UPDATE SET row_json = excluded.row_json",
	                "enregistrement des lignes d'origine");
done:
	copy_end(c, &b, 0, what);
	vx_buf_free(&b);
	return rc;
}

static int log_import(pg_import *c, const vx_import_counts *k)
{
	vx_buf files = VX_BUF_INIT;
	size_t n = vx_corpus_source_count(c->corpus);
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	char num[5][24];
	PGresult *r = NULL;
	if (paths == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory logging the import");
	for (size_t i = 0; i < n; i++)
		paths[i] = vx_corpus_source(c->corpus, i)->path;
	int rc = vx_channels_encode(&files, paths, (uint32_t)n);
	const size_t v[5] = {k->read, k->inserted, k->updated, k->unchanged, k->rejected};
	for (int i = 0; i < 5; i++)
		snprintf(num[i], sizeof num[i], "%zu", v[i]);
	const char *p[7] = {c->now, files.data ? files.data : "[]", num[0], num[1], num[2], num[3], num[4]};
	if (rc == 0)
		rc = vx_pg_query(&r, c->s,
		                 "INSERT INTO imports (at, files, read, inserted, updated, unchanged, rejected)"
		                 " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		                 7, p, "journal de l'importation");
	PQclear(r);
	vx_buf_free(&files);
	free(paths);
	return rc;
}

static int utc_now(pg_import *c)
{
	PGresult *r = NULL;
	int rc = vx_pg_query(&r, c->s, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", 0,
	                     NULL, "importation");
	if (rc == 0)
		snprintf(c->now, sizeof c->now, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

static int max_id(pg_import *c, int64_t *base)
{
	PGresult *r = NULL;
	int rc = vx_pg_query(&r, c->s, "SELECT COALESCE(max(id), 0) FROM experiences", 0, NULL, "importation");
	if (rc == 0)
		*base = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc;
}

int vx_pg_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts)
{
	int rc = 0, in_tx = 0;
	vx_import_counts k = {0};
	pg_import c = {.s = s, .corpus = corpus};
	int64_t *hashes = NULL, base = 0;
	size_t n = vx_corpus_count(corpus), nsrc = vx_corpus_source_count(corpus);
	size_t units = 2 * n, done_units = n;
	memset(counts, 0, sizeof *counts);
	vx_buf_init(&c.scopes, 0);
	vx_buf_init(&c.source_id_text, 0);
	vx_buf_init(&c.channels, 0);
	vx_strmap_init(&c.keys);
	c.source_id_off = calloc(nsrc ? nsrc : 1, sizeof *c.source_id_off);
	c.scope_off = calloc(nsrc ? nsrc : 1, sizeof *c.scope_off);
	c.key_of = calloc(n ? n : 1, sizeof *c.key_of);
	c.src_of = calloc(n ? n : 1, sizeof *c.src_of);
	hashes = calloc(n ? n : 1, sizeof *hashes);
	if (!c.source_id_off || !c.scope_off || !c.key_of || !c.src_of || !hashes) {
		rc = vx_error_set(VX_ENOMEM, "out of memory starting the import");
		goto done;
	}
	if ((rc = vx_pg_exec(s, "BEGIN", "importation")) != 0)
		goto done;
	in_tx = 1;
	if ((rc = vx_pg_lock(s, "importation")) != 0 || (rc = utc_now(&c)) != 0 || (rc = import_sources(&c)) != 0 ||
	    (rc = read_rows(&c, hashes, units)) != 0)
		goto done;
	size_t nkeys = vx_strmap_count(&c.keys);
	c.state = calloc(nkeys ? nkeys : 1, sizeof *c.state);
	if (c.state == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory importing");
		goto done;
	}
	for (size_t i = 0; i < nkeys; i++)
		c.state[i].writer = c.state[i].row_json = NONE;
	if ((rc = read_stored(&c)) != 0)
		goto done;
	decide(&c, hashes, &k);
	done_units = n;
	if ((rc = max_id(&c, &base)) != 0 || (rc = write_new(&c, base, units, &done_units)) != 0 ||
	    (rc = write_updates(&c, k.updated, units, &done_units)) != 0)
		goto done;
	k.rejected = vx_corpus_reject_count(corpus);
	k.read = n + k.rejected;
	if ((rc = log_import(&c, &k)) != 0 || (rc = vx_pg_exec(s, "COMMIT", "importation")) != 0)
		goto done;
	in_tx = 0;
	if (s->progress)
		s->progress(units, units, s->progress_payload);
	*counts = k;
done:
	if (in_tx) {
		/* Keep the message of the failure, not of the rollback, and say
		 * which database and that it is as it was. */
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		PQclear(PQexec(s->pg, "ROLLBACK"));
		vx_error_set(rc, "%s : %s ; l'import a été annulé : la base contient ce qu'elle contenait avant", s->shown,
		             msg);
	}
	vx_strmap_free(&c.keys);
	vx_buf_free(&c.scopes);
	vx_buf_free(&c.source_id_text);
	vx_buf_free(&c.channels);
	free(c.source_id_off);
	free(c.scope_off);
	free(c.key_of);
	free(c.src_of);
	free(c.state);
	free(hashes);
	return rc;
}
