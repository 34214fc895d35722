/*
 * The structures referential (include/voix/collect.h): the Services
 * Publics+ export of structures read with the CSV cursor parser, its
 * columns found by name, stored by code in one transaction.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reading/csv.h"
#include "reading/decode.h"
#include "reading/values.h"
#include "util/file.h"
#include "storage/collect_internal.h"
#include "storage/store_internal.h"
#include "util/fold.h"
#include "util/strmap.h"
#include "voix/collect.h"
#include "voix/error.h"

/* A field of the referential is a name or an address line; the longest
 * seen in the 2023 export has 529 bytes (a description). */
#define FIELD_MAX ((size_t)64 << 10)
/* What the search looks in: four labels folded, with room to spare. */
#define FOLDED_MAX 2048

enum { C_CODE, C_NAME, C_NETWORK, C_TYPOLOGY, C_PARENT, C_POSTCODE, C_CITY, C_DEPARTMENT, C_ACTIVE, C_COUNT };

/* The header names of the 2023 referential (export-structures.csv). */
static const char *const column_names[C_COUNT] = {
	"Code SP+ de la structure", "Intitulé de la structure", "Intitulé du réseau",
	"Intitulé de la typologie", "Code SP+ structure parent", "Code postal de la structure",
	"Ville", "INSEE Département", "Actif",
};

int vx_collect_sqlite(vx_store *s, const char *what)
{
	if (s->db == NULL)
		return vx_error_set(VX_EINVAL, "%s : disponible seulement sur une base SQLite", what);
	return 0;
}

/* A header name as the export writes it: the byte order mark and the
 * quotes of "\xEF\xBB\xBF\"Code SP+ de la structure\"" (a quoted field
 * holding a quoted name) are not part of it. */
static int header_is(const vx_csv_field *f, const char *name)
{
	const char *p = f->ptr ? f->ptr : "";
	size_t n = f->len;
	char buf[256];
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3;
	while (n && (*p == '"' || *p == ' '))
		p++, n--;
	while (n && (p[n - 1] == '"' || p[n - 1] == ' '))
		n--;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return vx_fold_equal(buf, name);
}

/* Field i of rec trimmed, as pointer and length ("" when absent). */
static const char *field(const vx_csv_record *rec, const long *col, int c, size_t *len)
{
	size_t start = 0;
	if (col[c] < 0 || (size_t)col[c] >= rec->n_fields || rec->fields[col[c]].ptr == NULL) {
		*len = 0;
		return "";
	}
	const vx_csv_field *f = &rec->fields[col[c]];
	*len = vx_trim(f->ptr, f->len, &start);
	return f->ptr + start;
}

/* The folded search text of a record: its labels, each folded, spaced;
 * a label that does not fit is left out. */
static void folded_text(char *out, size_t cap, const vx_csv_record *rec, const long *col)
{
	static const int parts[] = {C_NAME, C_CITY, C_NETWORK, C_TYPOLOGY};
	char one[FOLDED_MAX];
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t len;
		const char *v = field(rec, col, parts[i], &len);
		int n = len ? vx_fold_label(one, sizeof one, v, len) : 0;
		if (n <= 0 || at + (size_t)n + 2 > cap)
			continue;
		if (at)
			out[at++] = ' ';
		memcpy(out + at, one, (size_t)n + 1);
		at += (size_t)n;
	}
}

/* "Actif": only "Non" (any case) makes a structure inactive. */
static int is_active(const char *v, size_t len)
{
	char buf[8];
	if (len >= sizeof buf)
		return 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return !vx_fold_equal(buf, "non");
}

static const char UPSERT[] =
	"INSERT INTO structures(code, name, network, typology, parent_code, postcode, city, department, active, "
	" folded, imported) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, strftime('%Y-%m-%dT%H:%M:%SZ','now')) "
	"ON CONFLICT(code) DO UPDATE SET name = excluded.name, network = excluded.network, "
	" typology = excluded.typology, parent_code = excluded.parent_code, postcode = excluded.postcode, "
	" city = excluded.city, department = excluded.department, active = excluded.active, "
	" folded = excluded.folded, imported = excluded.imported "
	"WHERE name IS NOT excluded.name OR network IS NOT excluded.network OR typology IS NOT excluded.typology "
	" OR parent_code IS NOT excluded.parent_code OR postcode IS NOT excluded.postcode "
	" OR city IS NOT excluded.city OR department IS NOT excluded.department OR active IS NOT excluded.active";

/* Stores one data record; counts it. */
static int store_record(vx_store *s, sqlite3_stmt *up, sqlite3_stmt *exists, vx_strmap *seen,
                        const vx_csv_record *rec, const long *col, vx_structures_counts *c)
{
	size_t len[C_COUNT];
	const char *v[C_COUNT];
	char folded[FOLDED_MAX];
	uint32_t id;
	int added = 0, rc;
	for (int i = 0; i < C_COUNT; i++)
		v[i] = field(rec, col, i, &len[i]);
	if (rec->status != VX_CSV_OK || len[C_CODE] == 0 || len[C_NAME] == 0 || len[C_CODE] > VX_STRUCTURE_CODE_MAX)
		goto reject;
	if ((rc = vx_strmap_intern(seen, v[C_CODE], len[C_CODE], &id, &added)) != 0)
		return rc;
	if (!added)
		goto reject;
	folded_text(folded, sizeof folded, rec, col);
	sqlite3_reset(exists);
	sqlite3_bind_text(exists, 1, v[C_CODE], (int)len[C_CODE], SQLITE_TRANSIENT);
	int r = sqlite3_step(exists);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return vx_store_db_error(s->db, "importing structures");
	int known = r == SQLITE_ROW;
	sqlite3_reset(up);
	for (int i = 0; i < C_ACTIVE; i++)
		sqlite3_bind_text(up, i + 1, v[i], (int)len[i], SQLITE_TRANSIENT);
	sqlite3_bind_int(up, 9, is_active(v[C_ACTIVE], len[C_ACTIVE]));
	sqlite3_bind_text(up, 10, folded, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(up) != SQLITE_DONE)
		return vx_store_db_error(s->db, "importing structures");
	if (!known)
		c->inserted++;
	else if (sqlite3_changes(s->db) > 0)
		c->updated++;
	else
		c->unchanged++;
	return 0;
reject:
	c->rejected++;
	if (c->first_rejected_line == 0)
		c->first_rejected_line = rec->line;
	return 0;
}

int vx_structures_import(vx_store *s, const char *name, const char *data, size_t len,
                         vx_structures_counts *counts)
{
	vx_decoded dec;
	vx_csv_parser p;
	vx_csv_record rec;
	vx_strmap seen;
	sqlite3_stmt *up = NULL, *exists = NULL;
	long col[C_COUNT];
	int rc, r, in_tx = 0;
	memset(counts, 0, sizeof *counts);
	memset(&dec, 0, sizeof dec);
	vx_strmap_init(&seen);
	if ((rc = vx_collect_sqlite(s, "import des structures")) != 0)
		return rc;
	if ((rc = vx_decode_text(&dec, name, data, len, 0)) != 0)
		return rc;
	vx_csv_init(&p, dec.text, dec.len, vx_csv_detect_separator(dec.text, dec.len), FIELD_MAX);
	if ((r = vx_csv_next(&p, &rec)) < 0) {
		rc = r;
		goto done;
	}
	for (int c = 0; c < C_COUNT; c++) {
		col[c] = -1;
		for (size_t i = 0; r == 1 && i < rec.n_fields && col[c] < 0; i++)
			if (header_is(&rec.fields[i], column_names[c]))
				col[c] = (long)i;
	}
	for (int c = C_CODE; c <= C_NAME; c++)
		if (col[c] < 0) {
			rc = vx_error_set(VX_EFORMAT, "%s : colonne « %s » absente de l'en-tête", name, column_names[c]);
			goto done;
		}
	if ((rc = vx_store_begin_write(s, "importing structures")) != 0)
		goto done;
	in_tx = 1;
	if (sqlite3_prepare_v2(s->db, UPSERT, -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT 1 FROM structures WHERE code = ?1", -1, &exists, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "importing structures");
		goto done;
	}
	while ((r = vx_csv_next(&p, &rec)) == 1) {
		if (rec.n_fields == 0)
			continue;
		counts->read++;
		if ((rc = store_record(s, up, exists, &seen, &rec, col, counts)) != 0)
			goto done;
	}
	if (r < 0) {
		rc = r;
		goto done;
	}
	if (counts->read == 0) {
		rc = vx_error_set(VX_EEMPTY, "%s : aucune structure après l'en-tête", name);
		goto done;
	}
	rc = vx_store_exec(s->db, "COMMIT");
	in_tx = rc != 0;
done:
	sqlite3_finalize(up);
	sqlite3_finalize(exists);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc)
		memset(counts, 0, sizeof *counts);
	vx_strmap_free(&seen);
	vx_csv_free(&p);
	vx_decoded_free(&dec);
	return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* Calls cb for each row of st (columns as in STRUCTURE_COLUMNS). */
static int each_structure(vx_store *s, sqlite3_stmt *st, int (*cb)(const vx_structure *st, void *payload),
                          void *payload, size_t *n)
{
	int r, rc = 0;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_structure x = {col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
		                  col_text(st, 4), col_text(st, 5), sqlite3_column_int(st, 6)};
		(*n)++;
		if ((rc = cb(&x, payload)) != 0)
			return rc;
	}
	return r == SQLITE_DONE ? 0 : vx_store_db_error(s->db, "reading structures");
}

#define STRUCTURE_COLUMNS "code, name, network, typology, city, postcode, active"
/* Words of a search: the form's box, not a query language. */
#define SEARCH_WORDS_MAX 8

int vx_structures_search(vx_store *s, const char *query, size_t limit,
                         int (*cb)(const vx_structure *st, void *payload), void *payload)
{
	char folded[512], *words[SEARCH_WORDS_MAX];
	size_t n_words = 0, n = 0;
	vx_buf sql = VX_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = vx_collect_sqlite(s, "recherche de structures");
	if (rc)
		return rc;
	int flen = vx_fold_label(folded, sizeof folded, query ? query : "", query ? strlen(query) : 0);
	if (flen < 0)
		folded[0] = '\0';
	for (char *w = folded; *w && n_words < SEARCH_WORDS_MAX;) {
		char *sp = strchr(w, ' ');
		words[n_words++] = w;
		if (sp == NULL)
			break;
		*sp = '\0';
		w = sp + 1;
	}
	rc = vx_buf_puts(&sql, "SELECT " STRUCTURE_COLUMNS " FROM structures WHERE active = 1");
	for (size_t i = 0; rc == 0 && i < n_words; i++)
		rc = vx_buf_printf(&sql, " AND instr(folded, ?%zu) > 0", i + 1);
	if (rc == 0)
		rc = vx_buf_printf(&sql, " ORDER BY name, code LIMIT %zu", limit);
	if (rc)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "searching structures");
		goto done;
	}
	for (size_t i = 0; i < n_words; i++)
		sqlite3_bind_text(st, (int)i + 1, words[i], -1, SQLITE_STATIC);
	rc = each_structure(s, st, cb, payload, &n);
done:
	sqlite3_finalize(st);
	vx_buf_free(&sql);
	return rc;
}

int vx_structure_get(vx_store *s, const char *code, int (*cb)(const vx_structure *st, void *payload),
                     void *payload)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc = vx_collect_sqlite(s, "lecture d'une structure");
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT " STRUCTURE_COLUMNS " FROM structures WHERE code = ?1", -1, &st,
	                       NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "reading a structure");
	sqlite3_bind_text(st, 1, code ? code : "", -1, SQLITE_STATIC);
	rc = each_structure(s, st, cb, payload, &n);
	sqlite3_finalize(st);
	if (rc == 0 && n == 0)
		rc = vx_error_set(VX_ENOTFOUND, "structure inconnue « %s »", code ? code : "");
	return rc;
}

int vx_structures_count(vx_store *s, size_t *count)
{
	sqlite3_stmt *st = NULL;
	int rc = vx_collect_sqlite(s, "comptage des structures");
	*count = 0;
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM structures", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = vx_store_db_error(s->db, "counting structures");
	else
		*count = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int vx_structures_import_file(vx_store *s, const char *path, vx_structures_counts *counts)
{
	char *data = NULL;
	size_t len = 0;
	memset(counts, 0, sizeof *counts);
	int rc = vx_file_read(&data, &len, path, VX_STRUCTURES_MAX_BYTES);
	if (rc == 0)
		rc = vx_structures_import(s, path, data, len, counts);
	free(data);
	return rc;
}
