/*
 * The structures referential (include/voix/collect.h): the Services
 * Publics+ export of structures read with the CSV cursor parser, its
 * columns found by name, stored by code in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Every column is NOT NULL on both backends, so <> says "changed". */
static const char UPSERT[] =
	"INSERT INTO structures(code, name, network, typology, parent_code, postcode, city, department, active, "
	" folded, imported) VALUES($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS INTEGER), $10, $11) "
	"ON CONFLICT(code) DO UPDATE SET name = excluded.name, network = excluded.network, "
	" typology = excluded.typology, parent_code = excluded.parent_code, postcode = excluded.postcode, "
	" city = excluded.city, department = excluded.department, active = excluded.active, "
	" folded = excluded.folded, imported = excluded.imported "
	"WHERE structures.name <> excluded.name OR structures.network <> excluded.network "
	" OR structures.typology <> excluded.typology OR structures.parent_code <> excluded.parent_code "
	" OR structures.postcode <> excluded.postcode OR structures.city <> excluded.city "
	" OR structures.department <> excluded.department OR structures.active <> excluded.active "
	"RETURNING code";

/* Stores one data record; counts it. scratch holds its fields, each
 * ended by a NUL (parameters are strings). */
static int store_record(vx_store *s, vx_buf *scratch, vx_strmap *seen, const vx_csv_record *rec, const long *col,
                        const char *imported, vx_structures_counts *c)
{
	size_t len[C_COUNT], at[C_COUNT];
	const char *v[C_COUNT];
	char folded[FOLDED_MAX];
	uint32_t id;
	long long known = 0, changed = 0;
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
	vx_buf_reset(scratch);
	for (int i = 0; i < C_ACTIVE; i++) {
		at[i] = scratch->len;
		if (vx_buf_append(scratch, v[i], len[i]) != 0 || vx_buf_putc(scratch, '\0') != 0)
			return vx_error_set(VX_ENOMEM, "out of memory importing structures");
	}
	const char *params[11];
	for (int i = 0; i < C_ACTIVE; i++)
		params[i] = scratch->data + at[i];
	params[8] = is_active(v[C_ACTIVE], len[C_ACTIVE]) ? "1" : "0";
	params[9] = folded;
	params[10] = imported;
	if ((rc = s->ops->rows(s, "SELECT 1 FROM structures WHERE code = $1", 1, params, "importation des structures",
	                       vx_store_count_row, &known)) != 0 ||
	    (rc = s->ops->rows(s, UPSERT, 11, params, "importation des structures", vx_store_count_row, &changed)) != 0)
		return rc;
	if (!known)
		c->inserted++;
	else if (changed > 0)
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
	vx_buf scratch = VX_BUF_INIT;
	char imported[32];
	long col[C_COUNT];
	int rc, r, in_tx = 0;
	memset(counts, 0, sizeof *counts);
	memset(&dec, 0, sizeof dec);
	vx_strmap_init(&seen);
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
	vx_store_iso_time(imported, (long long)time(NULL));
	if ((rc = vx_store_tx_begin(s, "importation des structures")) != 0)
		goto done;
	in_tx = 1;
	while ((r = vx_csv_next(&p, &rec)) == 1) {
		if (rec.n_fields == 0)
			continue;
		counts->read++;
		if ((rc = store_record(s, &scratch, &seen, &rec, col, imported, counts)) != 0)
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
	rc = vx_store_tx_commit(s, "importation des structures");
	in_tx = rc != 0;
done:
	if (in_tx)
		vx_store_tx_rollback(s, rc);
	vx_buf_free(&scratch);
	if (rc)
		memset(counts, 0, sizeof *counts);
	vx_strmap_free(&seen);
	vx_csv_free(&p);
	vx_decoded_free(&dec);
	return rc;
}

typedef struct structure_ctx {
	int (*cb)(const vx_structure *st, void *payload);
	void *payload;
	size_t n;
} structure_ctx;

/* One row of STRUCTURE_COLUMNS to the caller's callback. */
static int structure_of(const char *const *cols, int ncols, void *payload)
{
	structure_ctx *x = payload;
	vx_structure st = {vx_store_col(cols, ncols, 0), vx_store_col(cols, ncols, 1), vx_store_col(cols, ncols, 2),
	                   vx_store_col(cols, ncols, 3), vx_store_col(cols, ncols, 4), vx_store_col(cols, ncols, 5),
	                   atoi(vx_store_col(cols, ncols, 6))};
	x->n++;
	return x->cb(&st, x->payload);
}

#define STRUCTURE_COLUMNS "code, name, network, typology, city, postcode, active"
/* Words of a search: the form's box, not a query language. */
#define SEARCH_WORDS_MAX 8

int vx_structures_search(vx_store *s, const char *query, size_t limit,
                         int (*cb)(const vx_structure *st, void *payload), void *payload)
{
	char folded[512], *words[SEARCH_WORDS_MAX];
	size_t n_words = 0;
	vx_buf sql = VX_BUF_INIT;
	structure_ctx x = {cb, payload, 0};
	int rc;
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
	/* instr and strpos: the same function, named by each backend. */
	for (size_t i = 0; rc == 0 && i < n_words; i++)
		rc = vx_buf_printf(&sql, " AND %s(folded, $%zu) > 0", vx_store_is_pg(s) ? "strpos" : "instr", i + 1);
	if (rc == 0)
		rc = vx_buf_printf(&sql, " ORDER BY name, code LIMIT %zu", limit);
	if (rc)
		goto done;
	rc = s->ops->rows(s, sql.data, (int)n_words, (const char *const *)words, "recherche de structures",
	                  structure_of, &x);
done:
	vx_buf_free(&sql);
	return rc;
}

int vx_structure_get(vx_store *s, const char *code, int (*cb)(const vx_structure *st, void *payload),
                     void *payload)
{
	structure_ctx x = {cb, payload, 0};
	const char *params[] = {code ? code : ""};
	int rc = s->ops->rows(s, "SELECT " STRUCTURE_COLUMNS " FROM structures WHERE code = $1", 1, params,
	                      "lecture d'une structure", structure_of, &x);
	if (rc == 0 && x.n == 0)
		rc = vx_error_set(VX_ENOTFOUND, "structure inconnue « %s »", code ? code : "");
	return rc;
}

int vx_structures_count(vx_store *s, size_t *count)
{
	long long n = 0;
	int rc = vx_store_number(s, "SELECT count(*) FROM structures", 0, NULL, "comptage des structures", &n);
	*count = rc ? 0 : (size_t)n;
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
