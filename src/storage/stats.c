/*
 * vx_store_stats: counts for a first look at what was imported. Plain
 * French text for people; scripts should query the database (docs/storage.md
 * lists the tables).
 *
 * The experiences table holds the texts, so each scan of it reads the whole
 * database: the facets are copied once into a temporary table and every
 * count reads that (0.7 s down to 0.15 s for 100,000 experiences).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/store_internal.h"
#include "util/escape.h"
#include "voix/error.h"

/* Shown for an empty facet value. */
#define VX_STATS_EMPTY "(non renseigné)"

/* Writes "<count>  <label>" for every row of sql (label, count[, extra]).
 * Labels typed by people (service types, structure names: masked != NULL)
 * go through the masker, since an e-mail or a phone number can sit there
 * as well as in a text; every label is written with its control
 * characters escaped, so that one cannot break the line format. */
static int list(sqlite3 *db, FILE *out, const char *title, const char *sql, const char *empty, vx_masker *masker)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(db, "computing statistics");
	fprintf(out, "%s\n", title);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *label = (const char *)sqlite3_column_text(st, 0);
		char *masked = NULL;
		if (label == NULL || *label == '\0')
			label = empty;
		else if (masker && (rc = vx_masker_mask(masker, label, strlen(label), &masked, NULL)) != 0)
			break;
		fprintf(out, "%9lld  ", (long long)sqlite3_column_int64(st, 1));
		vx_fputs_escaped(masked ? masked : label, out);
		free(masked);
		if (sqlite3_column_count(st) > 2 && sqlite3_column_type(st, 2) != SQLITE_NULL) {
			fputc(' ', out);
			vx_fputs_escaped((const char *)sqlite3_column_text(st, 2), out);
		}
		fputc('\n', out);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(db, "computing statistics");
	sqlite3_finalize(st);
	return rc;
}

static int scalar(sqlite3 *db, const char *sql, long long *v)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		rc = vx_store_db_error(db, "computing statistics");
	else
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int vx_store_stats(vx_store *s, FILE *out)
{
	sqlite3 *db = s->db;
	int rc;
	long long total = 0, structures = 0;
	char title[128], sql[512];
	if (s->masker == NULL && (rc = vx_masker_new(&s->masker)) != 0)
		return rc;
	if ((rc = vx_store_exec(db, "DROP TABLE IF EXISTS temp.vx_stats;"
	                            " CREATE TEMP TABLE vx_stats AS SELECT source_id, service, structure, feeling,"
	                            " substr(date, 1, 7) AS month FROM experiences")) != 0)
		return rc;
	if ((rc = scalar(db, "SELECT count(*) FROM vx_stats", &total)) != 0 ||
	    (rc = scalar(db, "SELECT count(DISTINCT structure) FROM vx_stats", &structures)) != 0)
		goto done;
	fprintf(out, "expériences : %lld\n", total);
	/* Every recorded file version, with the experiences it holds now (a
	 * later version of an export takes over the experiences it updates). */
	rc = list(db, out, "par source :",
	          "SELECT s.path, (SELECT count(*) FROM vx_stats e WHERE e.source_id = s.id),"
	          " '(' || s.format || ', importé le ' || substr(s.last_imported, 1, 10) || ')'"
	          " FROM sources s ORDER BY s.id",
	          VX_STATS_EMPTY, NULL);
	if (rc == 0)
		rc = list(db, out, "par type de service :",
		          "SELECT service, count(*) AS n FROM vx_stats GROUP BY service ORDER BY n DESC, service",
		          VX_STATS_EMPTY, s->masker);
	if (rc == 0) {
		snprintf(title, sizeof title, "par structure (les %d plus fréquentes sur %lld) :", VX_STORE_STATS_TOP,
		         structures);
		snprintf(sql, sizeof sql,
		         "SELECT structure, count(*) AS n FROM vx_stats GROUP BY structure"
		         " ORDER BY n DESC, structure LIMIT %d",
		         VX_STORE_STATS_TOP);
		rc = list(db, out, title, sql, VX_STATS_EMPTY, s->masker);
	}
	/* Every feeling, even at zero, in the usual order. */
	if (rc == 0)
		rc = list(db, out, "par ressenti :",
		          "WITH f(name, k) AS (VALUES ('positif', 1), ('neutre', 2), ('négatif', 3), ('inconnu', 4))"
		          " SELECT f.name, (SELECT count(*) FROM vx_stats e WHERE e.feeling = f.name)"
		          " FROM f ORDER BY f.k",
		          VX_STATS_EMPTY, NULL);
	if (rc == 0)
		rc = list(db, out, "par mois :",
		          "SELECT month, count(*) FROM vx_stats GROUP BY month ORDER BY month = '', month",
		          "(sans date)", NULL);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = vx_error_set(VX_EWRITE, "cannot write the statistics");
done:
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.vx_stats", NULL, NULL, NULL);
	return rc;
}
