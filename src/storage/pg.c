/*
 * The PostgreSQL backend: connection, migrations (a schema_version table,
 * the same steps as SQLite's in their PostgreSQL form), count, load,
 * search. Import is in pg_import.c. A store is one libpq connection, used
 * from one thread at a time like the SQLite one.
 */
#include "storage/pg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/fts_query.h"
#include "storage/load_rows.h"
#include "storage/schema.h"
#include "util/buf.h"
#include "util/error.h"
#include "voix/error.h"

/* Rows fetched at once from the load's cursor: enough that the round
 * trips cost little, few enough that one batch of texts stays a few MB. */
#define VX_PG_FETCH_ROWS 4096

/* The type oid of text (pg_type.h, which is a server header). */
#define VX_PG_TEXT_OID 25

/* SQLSTATE of a lock not granted within lock_timeout. */
#define VX_PG_LOCK_NOT_AVAILABLE "55P03"

/* A libpq message without its trailing newline, in buf. */
static const char *trimmed(char *buf, size_t cap, const char *msg)
{
	snprintf(buf, cap, "%s", msg && *msg ? msg : "erreur inconnue");
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

static int busy_error(vx_store *s, const char *what)
{
	return vx_error_set(VX_EBUSY,
	                    "%s : %s : un autre processus (une autre importation voix ?) écrit dans la base depuis"
	                    " plus de %u s",
	                    s->shown, what, s->wait_ms / 1000);
}

int vx_pg_error(vx_store *s, const PGresult *r, const char *what)
{
	char msg[1024];
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && strcmp(state, VX_PG_LOCK_NOT_AVAILABLE) == 0)
		return busy_error(s, what);
	const char *m = r ? PQresultErrorMessage(r) : NULL;
	if (m == NULL || *m == '\0')
		m = PQerrorMessage(s->pg);
	return vx_error_set(VX_EDB, "base de données : %s : %s", what, trimmed(msg, sizeof msg, m));
}

int vx_pg_exec(vx_store *s, const char *sql, const char *what)
{
	PGresult *r = PQexec(s->pg, sql);
	int rc = 0;
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = vx_pg_error(s, r, what);
	PQclear(r);
	return rc;
}

int vx_pg_query(PGresult **out, vx_store *s, const char *sql, int n, const char *const *params, const char *what)
{
	PGresult *r = PQexecParams(s->pg, sql, n, NULL, params, NULL, NULL, 0);
	*out = NULL;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		int rc = vx_pg_error(s, r, what);
		PQclear(r);
		return rc;
	}
	*out = r;
	return 0;
}

int vx_pg_rollback(vx_store *s, int rc)
{
	char msg[1024];
	snprintf(msg, sizeof msg, "%s", vx_error_last());
	PQclear(PQexec(s->pg, "ROLLBACK"));
	return vx_error_set(rc, "%s", msg);
}

/* The first value of a one-row result of sql, into out; "" when none. */
static int scalar(vx_store *s, const char *sql, char *out, size_t cap, const char *what)
{
	PGresult *r = NULL;
	int rc = vx_pg_query(&r, s, sql, 0, NULL, what);
	if (rc)
		return rc;
	snprintf(out, cap, "%s", PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return 0;
}

int vx_pg_lock(vx_store *s, const char *what)
{
	char v[16], sql[128];
	int rc;
	if (s->readonly)
		return vx_error_set(VX_EDB, "%s : %s : la base a été ouverte en lecture seule", s->shown, what);
	/* A first try without waiting, so that the caller can say that it
	 * waits, and for which database. */
	snprintf(sql, sizeof sql, "SELECT pg_try_advisory_xact_lock(%d)", VX_PG_LOCK_KEY);
	if ((rc = scalar(s, sql, v, sizeof v, what)) != 0)
		return rc;
	if (strcmp(v, "t") == 0)
		return 0;
	if (s->wait_ms == 0)
		return busy_error(s, what);
	if (s->waiting)
		s->waiting(s->shown, s->wait_ms / 1000, s->waiting_payload);
	snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %u", s->wait_ms);
	if ((rc = vx_pg_exec(s, sql, what)) != 0)
		return rc;
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", VX_PG_LOCK_KEY);
	if ((rc = vx_pg_exec(s, sql, what)) != 0)
		return rc;
	return vx_pg_exec(s, "SET LOCAL lock_timeout = 0", what);
}

/* The schema version, 0 for a database voix never wrote to. */
static int read_version(vx_store *s, int *version)
{
	char v[32];
	int rc = scalar(s, "SELECT to_regclass('schema_version') IS NOT NULL", v, sizeof v,
	                "lecture de la version du schéma");
	*version = 0;
	if (rc || strcmp(v, "t") != 0)
		return rc;
	if ((rc = scalar(s, "SELECT max(version) FROM schema_version", v, sizeof v,
	                 "lecture de la version du schéma")) != 0)
		return rc;
	*version = atoi(v);
	return 0;
}

/* One step, in its own transaction, under the import lock so that two
 * processes opening a new database do not both create it; the version is
 * read again once the lock is held. *done: the database was already at
 * target (or beyond: an error). */
static int migrate_step(vx_store *s, int target, int *done)
{
	int rc = 0, version = 0;
	const char *what = "";
	char set[96];
	*done = 0;
	if ((rc = vx_pg_exec(s, "BEGIN", "mise à jour du schéma")) != 0)
		return rc;
	if ((rc = vx_pg_lock(s, "mise à jour du schéma")) != 0 ||
	    (rc = vx_pg_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
	                     "mise à jour du schéma")) != 0 ||
	    (rc = read_version(s, &version)) != 0)
		goto done;
	if (version > vx_schema_current()) {
		rc = vx_error_set(VX_EDB,
		                  "%s : la base est au schéma %d, ce voix connaît jusqu'au %d : "
		                  "elle a été écrite par un voix plus récent",
		                  s->shown, version, vx_schema_current());
		goto done;
	}
	if (version >= target) {
		*done = 1;
		rc = vx_pg_exec(s, "COMMIT", "mise à jour du schéma");
		return rc;
	}
	const char *sql = vx_schema_pg_step(version, &what);
	if (sql == NULL) {
		rc = vx_error_set(VX_EDB, "%s : la migration vers le schéma %d (%s) n'a pas de forme PostgreSQL",
		                  s->shown, version + 1, what);
		goto done;
	}
	snprintf(set, sizeof set, "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)", version + 1);
	if ((rc = vx_pg_exec(s, sql, "mise à jour du schéma")) != 0 ||
	    (rc = vx_pg_exec(s, set, "mise à jour du schéma")) ||
	    (rc = vx_pg_exec(s, "COMMIT", "mise à jour du schéma")) != 0) {
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		PQclear(PQexec(s->pg, "ROLLBACK"));
		return vx_error_set(rc == VX_EBUSY ? VX_EBUSY : VX_EDB,
		                    "%s : échec de la migration vers le schéma %d (%s) : %s", s->shown, version + 1,
		                    what, msg);
	}
	return 0;
done:
	return vx_pg_rollback(s, rc);
}

static int migrate(vx_store *s)
{
	int rc = 0, done = 0;
	/* A migration writes: a read-only store upgrades once, like SQLite's. */
	int readonly = s->readonly;
	s->readonly = 0;
	while (rc == 0 && !done)
		rc = migrate_step(s, vx_schema_current(), &done);
	s->readonly = readonly;
	return rc;
}

/* libpq prints NOTICEs (CREATE ... IF NOT EXISTS) on stderr by default. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int vx_pg_open(vx_store *s, int create)
{
	int rc = 0;
	char v[64], msg[1024];
	s->pg = PQconnectdb(s->path);
	if (s->pg == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory opening the database");
	if (PQstatus(s->pg) != CONNECTION_OK)
		return vx_error_set(VX_EDB, "%s : connexion à la base impossible : %s", s->shown,
		                    trimmed(msg, sizeof msg, PQerrorMessage(s->pg)));
	PQsetNoticeProcessor(s->pg, quiet_notice, NULL);
	if (PQsetClientEncoding(s->pg, "UTF8") != 0)
		return vx_error_set(VX_EDB, "%s : la connexion ne peut pas utiliser UTF-8", s->shown);
	/* Texts are UTF-8 and the index folds accents: a database in another
	 * encoding would refuse or mangle them. */
	if ((rc = scalar(s, "SHOW server_encoding", v, sizeof v, "ouverture")) != 0)
		return vx_error_prefix(rc, "%s : ", s->shown);
	if (strcmp(v, "UTF8") != 0)
		return vx_error_set(VX_EDB, "%s : la base est encodée en %s ; voix a besoin d'UTF8 (createdb -E UTF8)",
		                    s->shown, v);
	int version = 0;
	if ((rc = read_version(s, &version)) != 0)
		return vx_error_prefix(rc, "%s : ", s->shown);
	if (!create && version == 0)
		return vx_error_set(VX_ENOTFOUND, "%s : aucune base voix ici (créez-la avec voix import)", s->shown);
	if (version != vx_schema_current() && (rc = migrate(s)) != 0)
		return rc;
	return 0;
}

static void pg_close(vx_store *s)
{
	PQfinish(s->pg);
	s->pg = NULL;
}

static void pg_apply_wait(vx_store *s)
{
	/* The wait is set at each lock (vx_pg_lock). */
	(void)s;
}

static int pg_rows(vx_store *s, const char *sql, int n_params, const char *const *params, const char *what,
                   int (*row)(const char *const *cols, int ncols, void *payload), void *payload)
{
	enum { MAX_COLS = VX_STORE_ROW_MAX };
	const char *cols[MAX_COLS];
	PGresult *r = NULL;
	int rc = vx_pg_query(&r, s, sql, n_params, params, what);
	if (rc)
		return rc;
	int n = PQnfields(r) < MAX_COLS ? PQnfields(r) : MAX_COLS;
	for (int i = 0; row && i < PQntuples(r) && rc == 0; i++) {
		for (int k = 0; k < n; k++)
			cols[k] = PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k);
		rc = row(cols, n, payload);
	}
	PQclear(r);
	return rc;
}

static int pg_count(vx_store *s, size_t *count)
{
	char v[32];
	int rc = scalar(s, "SELECT count(*) FROM experiences", v, sizeof v, "comptage des expériences");
	*count = rc ? 0 : (size_t)strtoull(v, NULL, 10);
	return rc;
}

static int source_row(const char *const *cols, int ncols, void *payload)
{
	return vx_load_source(payload, cols, ncols);
}

/* One FETCH of the load's cursor into l; *n receives its row count. */
static int load_batch(vx_store *s, vx_load *l, size_t *n)
{
	char sql[64];
	PGresult *r = NULL;
	snprintf(sql, sizeof sql, "FETCH %d FROM vx_load", VX_PG_FETCH_ROWS);
	int rc = vx_pg_query(&r, s, sql, 0, NULL, "lecture des expériences");
	if (rc)
		return rc;
	int rows = PQntuples(r);
	for (int i = 0; i < rows && rc == 0; i++) {
		const char *cols[VX_LOAD_COLS];
		for (int k = 0; k < VX_LOAD_COLS; k++)
			cols[k] = PQgetvalue(r, i, 2 + k);
		rc = vx_load_row(l, strtoll(PQgetvalue(r, i, 0), NULL, 10), strtoll(PQgetvalue(r, i, 1), NULL, 10), cols,
		                 (size_t)PQgetlength(r, i, 2 + VX_LOAD_CHANNELS));
	}
	*n = (size_t)rows;
	PQclear(r);
	return rc;
}

/* The sources and the experiences are read in one snapshot (REPEATABLE
 * READ): an import committed meanwhile is wholly in or wholly out. */
static int pg_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter)
{
	int rc = 0, in_tx = 0;
	vx_load l;
	vx_buf sql = VX_BUF_INIT;
	vx_load_params params = {.n = 0};
	static const vx_load_dialect dialect = {"$%d::text", "btrim(department, E' \\t\\n\\r')"};
	PGresult *r = NULL;
	vx_load_init(&l, corpus, filter);
	vx_buf_init(&params.text, 0);
	if ((rc = vx_pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "lecture des expériences")) != 0)
		goto done;
	in_tx = 1;
	if ((rc = pg_rows(s, VX_LOAD_SOURCES, 0, NULL, "lecture des sources", source_row, &l)) != 0)
		goto done;
	if ((rc = vx_buf_puts(&sql, "DECLARE vx_load NO SCROLL CURSOR FOR " VX_LOAD_SELECT)) != 0 ||
	    (rc = vx_load_where(&sql, &params, filter, &dialect)) != 0)
		goto done;
	/* Every parameter is text, and used. */
	Oid types[sizeof params.v / sizeof params.v[0]];
	for (int i = 0; i < params.n; i++)
		types[i] = VX_PG_TEXT_OID;
	r = PQexecParams(s->pg, sql.data, params.n, types, params.v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = vx_pg_error(s, r, "lecture des expériences");
		goto done;
	}
	size_t n = 0;
	do {
		if ((rc = load_batch(s, &l, &n)) != 0)
			goto done;
	} while (n > 0);
	if ((rc = vx_pg_exec(s, "COMMIT", "lecture des expériences")) != 0)
		goto done;
	in_tx = 0;
	rc = vx_load_finish(&l);
done:
	PQclear(r);
	if (in_tx)
		vx_pg_rollback(s, rc);
	vx_load_free(&l);
	vx_load_params_free(&params);
	vx_buf_free(&sql);
	return rc;
}

/* Each piece of the FTS5 query (a word, or words in double quotes) is a
 * phrase for PostgreSQL too: phraseto_tsquery of its text, all of them
 * required (&&). The pieces are parameters, never SQL. Runs "WITH q AS
 * (the pieces' query AS q) " then rest, with first as $1 and the pieces
 * from $2 (first is the LIMIT of a search; NULL when rest has no $1: the
 * pieces are then $1...). Fills stems for the excerpts. Errors: those of
 * vx_store_search. */
static int search_query(PGresult **out, vx_store *s, vx_buf *stems, const char *query, const char *first,
                        const char *rest)
{
	int rc = 0;
	vx_buf fts = VX_BUF_INIT, pieces = VX_BUF_INIT, sql = VX_BUF_INIT;
	const char **params = NULL;
	*out = NULL;
	if ((rc = vx_store_search_begin(s, &fts, stems, query)) != 0)
		goto done;
	size_t n = 0;
	if ((rc = vx_fts_query_pieces(&pieces, &n, fts.data, fts.len)) != 0)
		goto done;
	if (n > (size_t)INT32_MAX - 1) {
		rc = vx_error_set(VX_EINVAL, "la recherche a trop de mots");
		goto done;
	}
	params = calloc(n + 1, sizeof *params);
	if (params == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory searching");
		goto done;
	}
	/* Without a $1 in rest, PostgreSQL would not know its type: the
	 * pieces are then numbered from $1. */
	size_t base = first ? 1 : 0;
	if (first)
		params[0] = first;
	const char *p = pieces.data;
	for (size_t i = 0; i < n; i++) {
		params[i + base] = p;
		p += strlen(p) + 1;
	}
	rc = vx_buf_puts(&sql, "WITH q AS (SELECT ");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = vx_buf_printf(&sql, "%sphraseto_tsquery('voix_fr', $%zu::text)", i ? " && " : "", i + base + 1);
	if (rc == 0)
		rc = vx_buf_printf(&sql, " AS q) %s", rest);
	if (rc == 0)
		rc = vx_pg_query(out, s, sql.data, (int)(n + base), params, "recherche");
done:
	free(params);
	vx_buf_free(&fts);
	vx_buf_free(&pieces);
	vx_buf_free(&sql);
	return rc;
}

static int pg_search(vx_store *s, const char *query, size_t limit,
                     int (*cb)(const vx_search_hit *hit, void *payload), void *payload)
{
	int rc = 0;
	PGresult *r = NULL;
	vx_buf stems = VX_BUF_INIT;
	vx_store_hit_bufs bufs = {&stems, VX_BUF_INIT, VX_BUF_INIT};
	char lim[32];
	snprintf(lim, sizeof lim, "%zu", limit > (size_t)INT64_MAX ? (size_t)INT64_MAX : limit);
	/* ts_rank weights {D, C, B, A}: the title (A) weighs twice the text
	 * (B), as in the SQLite ranking. */
	if ((rc = search_query(&r, s, &stems, query, lim,
	                       "SELECT e.ext_id, s.path, e.title, e.text, ts_rank('{0, 0, 0.5, 1}', e.fts, q.q) AS score"
	                       " FROM q, experiences e JOIN sources s ON s.id = e.source_id"
	                       " WHERE e.fts @@ q.q ORDER BY score DESC, e.id LIMIT $1::bigint")) != 0)
		goto done;
	for (int i = 0; i < PQntuples(r); i++) {
		vx_store_hit_row row = {
			.id = PQgetvalue(r, i, 0),
			.source = PQgetvalue(r, i, 1),
			.title = PQgetvalue(r, i, 2),
			.text = PQgetvalue(r, i, 3),
			.rank = strtod(PQgetvalue(r, i, 4), NULL),
		};
		if ((rc = vx_store_search_hit(s, &bufs, &row, cb, payload)) != 0)
			goto done;
	}
done:
	PQclear(r);
	vx_buf_free(&stems);
	vx_store_hit_bufs_free(&bufs);
	return rc;
}

/* The matches counted on the index of experiences.fts alone: no join, no
 * ranking. */
static int pg_search_count(vx_store *s, const char *query, size_t *count)
{
	PGresult *r = NULL;
	vx_buf stems = VX_BUF_INIT;
	int rc = search_query(&r, s, &stems, query, NULL, "SELECT count(*) FROM q, experiences e WHERE e.fts @@ q.q");
	if (rc == 0)
		*count = PQntuples(r) > 0 ? (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	vx_buf_free(&stems);
	return rc;
}

static int pg_begin(vx_store *s, const char *what)
{
	if (s->readonly)
		return vx_error_set(VX_EDB, "%s : %s : la base a été ouverte en lecture seule", s->shown, what);
	return vx_pg_exec(s, "BEGIN", what);
}

const vx_store_ops vx_pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.schema_version = read_version,
	.count = pg_count,
	.import = vx_pg_import,
	.load = pg_load,
	.search = pg_search,
	.search_count = pg_search_count,
	.apply_wait = pg_apply_wait,
	.exec = vx_pg_exec,
	.rows = pg_rows,
	.temp_schema = "pg_temp",
	.begin = pg_begin,
};
