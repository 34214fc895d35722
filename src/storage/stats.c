/*
 * vx_store_stats: counts for a first look at what was imported. Plain
 * French text for people; scripts should query the database (docs/storage.md
 * lists the tables).
 *
 * The experiences table holds the texts, so each scan of it reads the whole
 * database: the facets are copied once into a temporary table and every
 * count reads that (0.7 s down to 0.15 s for 100,000 experiences). The
 * queries are the same for both backends (the PostgreSQL schema compares
 * text bytewise, as SQLite does: docs/storage.md), run through s->ops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/store_internal.h"
#include "voix/util.h"
#include "voix/error.h"

/* Shown for an empty facet value. */
#define VX_STATS_EMPTY "(non renseigné)"

typedef struct list_ctx {
	FILE *out;
	const char *empty;
	vx_masker *masker;
} list_ctx;

/* One "<count>  <label>[ extra]" line from a row (label, count[, extra]). */
static int list_row(const char *const *cols, int ncols, void *payload)
{
	list_ctx *c = payload;
	const char *label = cols[0];
	char *masked = NULL;
	int rc = 0;
	if (label == NULL || *label == '\0')
		label = c->empty;
	else if (c->masker && (rc = vx_masker_mask(c->masker, label, strlen(label), &masked, NULL)) != 0)
		return rc;
	fprintf(c->out, "%9lld  ", cols[1] ? strtoll(cols[1], NULL, 10) : 0LL);
	vx_fputs_escaped(masked ? masked : label, c->out);
	free(masked);
	if (ncols > 2 && cols[2] != NULL) {
		fputc(' ', c->out);
		vx_fputs_escaped(cols[2], c->out);
	}
	fputc('\n', c->out);
	return 0;
}

/* Writes "<count>  <label>" for every row of sql (label, count[, extra]).
 * Labels typed by people (service types, structure names: masked != NULL)
 * go through the masker, since an e-mail or a phone number can sit there
 * as well as in a text; every label is written with its control
 * characters escaped, so that one cannot break the line format. */
static int list(vx_store *s, FILE *out, const char *title, const char *sql, const char *empty, vx_masker *masker)
{
	list_ctx c = {out, empty, masker};
	fprintf(out, "%s\n", title);
	return s->ops->rows(s, sql, 0, NULL, "calcul des statistiques", list_row, &c);
}

static int scalar_row(const char *const *cols, int ncols, void *payload)
{
	*(long long *)payload = ncols > 0 && cols[0] ? strtoll(cols[0], NULL, 10) : 0;
	return 0;
}

static int scalar(vx_store *s, const char *sql, long long *v)
{
	*v = 0;
	return s->ops->rows(s, sql, 0, NULL, "calcul des statistiques", scalar_row, v);
}

int vx_store_stats(vx_store *s, FILE *out)
{
	int rc;
	long long total = 0, structures = 0;
	char title[512], sql[512];
	if (s->masker == NULL && (rc = vx_masker_new(&s->masker)) != 0)
		return rc;
	snprintf(sql, sizeof sql,
	         "DROP TABLE IF EXISTS %s.vx_stats;"
	         " CREATE TEMP TABLE vx_stats AS SELECT source_id, service, structure, feeling,"
	         " substr(date, 1, 7) AS month FROM experiences",
	         s->ops->temp_schema);
	if ((rc = s->ops->exec(s, sql, "calcul des statistiques")) != 0)
		return rc;
	if ((rc = scalar(s, "SELECT count(*) FROM vx_stats", &total)) != 0 ||
	    (rc = scalar(s, "SELECT count(DISTINCT structure) FROM vx_stats", &structures)) != 0)
		goto done;
	fprintf(out, "expériences : %lld\n", total);
	/* Every recorded file version, with the experiences it holds now (a
	 * later version of an export takes over the experiences it updates). */
	rc = list(s, out, "par source :",
	          "SELECT s.path, (SELECT count(*) FROM vx_stats e WHERE e.source_id = s.id),"
	          " '(' || s.format || ', importé le ' || substr(s.last_imported, 1, 10) || ')'"
	          " FROM sources s ORDER BY s.id",
	          VX_STATS_EMPTY, NULL);
	if (rc == 0)
		rc = list(s, out, "par type de service :",
		          "SELECT service, count(*) AS n FROM vx_stats GROUP BY service ORDER BY n DESC, service",
		          VX_STATS_EMPTY, s->masker);
	if (rc == 0) {
		snprintf(title, sizeof title, "par structure (les %d plus fréquentes sur %lld) :", VX_STORE_STATS_TOP,
		         structures);
		snprintf(sql, sizeof sql,
		         "SELECT structure, count(*) AS n FROM vx_stats GROUP BY structure"
		         " ORDER BY n DESC, structure LIMIT %d",
		         VX_STORE_STATS_TOP);
		rc = list(s, out, title, sql, VX_STATS_EMPTY, s->masker);
	}
	/* Every feeling, even at zero, in the usual order. */
	if (rc == 0)
		rc = list(s, out, "par ressenti :",
		          "WITH f(name, k) AS (VALUES ('positif', 1), ('neutre', 2), ('négatif', 3), ('inconnu', 4))"
		          " SELECT f.name, (SELECT count(*) FROM vx_stats e WHERE e.feeling = f.name)"
		          " FROM f ORDER BY f.k",
		          VX_STATS_EMPTY, NULL);
	if (rc == 0)
		rc = list(s, out, "par mois :",
		          "SELECT month, count(*) FROM vx_stats GROUP BY month ORDER BY month = '', month",
		          "(sans date)", NULL);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = vx_error_set(VX_EWRITE, "écriture des statistiques impossible");
done:
	/* The table goes with the connection anyway: a failure to drop it
	 * now changes nothing, and must not hide the error being returned. */
	snprintf(title, sizeof title, "%s", rc ? vx_error_last() : "");
	snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s.vx_stats", s->ops->temp_schema);
	s->ops->exec(s, sql, "calcul des statistiques");
	if (rc)
		vx_error_set(rc, "%s", title);
	return rc;
}
