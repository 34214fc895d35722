/*
 * Redaction of a whole export, CSV or JSON Lines: the same columns, rows
 * and separator (or keys), in UTF-8, with personal data masked in every
 * free-text column. The file is read through the public row reader
 * (vx_table, voix/reader.h), which also writes each row back in the
 * file's own shape.
 *
 * The choice of columns errs on the side of masking: only the columns that
 * known exports fill with codes, dates, numbers, enumerations or the names
 * of the administration's own structures are copied unmasked; any other
 * column (an unknown export's included) goes through the masker. Masking a
 * code column would change nothing anyway (the detectors need context), so
 * the list only saves time and keeps structure names intact.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privacy/mask.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/fold.h"
#include "voix/error.h"
#include "voix/privacy.h"
#include "voix/reader.h"

struct vx_redact_report {
	size_t rows;
	size_t not_objects;    /* JSON Lines: lines that are no object, masked as text */
	size_t n_cols, cap_cols;
	char **names;          /* header names, UTF-8 */
	unsigned char *masked; /* per column */
	unsigned char *kind;   /* per column: safe_kind of a column copied unmasked */
	size_t *unsafe_cells;  /* per column copied unmasked: cells masked because of their shape */
	size_t *counts;        /* n_cols * VX_PII_COUNT */
	vx_pii_counts totals;
};

/*
 * The columns copied unmasked, and only cell by cell: a column declared to
 * hold ids, dates or numbers keeps a cell that has that shape; a cell that
 * does not (a shifted row, a comment typed where a number was expected) is
 * masked like any other. Everything else is masked: titles, texts,
 * replies, pseudonyms, service, structure and channel names, closed-list
 * columns (the masker leaves "Positif" or "France" as they are) and every
 * column of an unknown export.
 */
typedef enum safe_kind { SAFE_NONE = 0, SAFE_ID, SAFE_DATE, SAFE_NUMBER } safe_kind;

typedef struct safe_column {
	const char *name; /* folded */
	safe_kind kind;
} safe_column;

/* Services Publics+ 2023 and 2025 exports, Google-Maps review exports,
 * mapped files (docs/privacy.md). */
static const safe_column safe_columns[] = {
	{"id experience", SAFE_ID}, {"", SAFE_ID}, {"id", SAFE_ID}, {"review_num", SAFE_ID},
	{"date de publication", SAFE_DATE}, {"ecrit le", SAFE_DATE}, {"date action realisee", SAFE_DATE},
	{"date action engagee", SAFE_DATE}, {"date de premiere reponse", SAFE_DATE}, {"date", SAFE_DATE},
	{"code insee departement usager", SAFE_NUMBER}, {"code insee region usager", SAFE_NUMBER},
	{"code postal usager", SAFE_NUMBER}, {"experiences similaires", SAFE_NUMBER}, {"eval", SAFE_NUMBER},
	{"rate", SAFE_NUMBER}, {"overall_rating", SAFE_NUMBER}, {"label", SAFE_NUMBER},
};

/* Numbered families ("ID structure 1"...), by prefix. */
static const safe_column safe_prefixes[] = {
	{"id structure ", SAFE_ID},
	{"code postal typologie ", SAFE_NUMBER},
	{"evaluation utile reponse structure ", SAFE_NUMBER},
	{"evaluation inutile reponse structure ", SAFE_NUMBER},
	{"evaluation reponse structure ", SAFE_NUMBER},
	{"taux de similarite reponse ia structure ", SAFE_NUMBER},
};

/* Longest column name compared; longer names are masked. */
#define COLUMN_NAME_MAX 256
/* Longest id and date kept: real ones are 7 to 24 bytes. */
#define SAFE_ID_MAX 64
#define SAFE_DATE_MAX 40
#define SAFE_NUMBER_MAX 16
/* Most digits kept in an id made of digits and separators only (Services
 * Publics+ ids have 7): a phone number (10 digits, however written), a NIR
 * (13-15) or a card number is masked instead. Ids with letters (hashes,
 * "STR-906") may hold more, in runs of at most this many. */
#define SAFE_ID_DIGITS 9
/* Longest run of digits in a date: a year. */
#define SAFE_DATE_DIGITS 4
/* Most digits in a number: a postcode with decimals ("35000.0"), an
 * evaluation, a rate; a phone number has 10. */
#define SAFE_NUMBER_DIGITS 8

static safe_kind column_kind(const char *name, size_t len)
{
	char f[COLUMN_NAME_MAX];
	int n = vx_fold_label(f, sizeof f, name, len);
	if (n < 0)
		return SAFE_NONE;
	for (size_t i = 0; i < sizeof safe_columns / sizeof safe_columns[0]; i++)
		if (strcmp(f, safe_columns[i].name) == 0)
			return safe_columns[i].kind;
	for (size_t i = 0; i < sizeof safe_prefixes / sizeof safe_prefixes[0]; i++)
		if (strncmp(f, safe_prefixes[i].name, strlen(safe_prefixes[i].name)) == 0)
			return safe_prefixes[i].kind;
	return SAFE_NONE;
}

/* 1 when the cell has the shape of its column's kind (and may be copied
 * unmasked), 0 when it must go through the masker. */
static int cell_is_safe(safe_kind kind, const char *s, size_t len)
{
	size_t max = kind == SAFE_ID ? SAFE_ID_MAX : kind == SAFE_DATE ? SAFE_DATE_MAX : SAFE_NUMBER_MAX;
	size_t max_digits = kind == SAFE_ID ? SAFE_ID_DIGITS : kind == SAFE_DATE ? SAFE_DATE_DIGITS : SAFE_NUMBER_DIGITS;
	size_t run = 0, digits = 0, letters = 0;
	if (kind == SAFE_NONE || len > max)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int digit = c >= '0' && c <= '9';
		run = digit ? run + 1 : 0;
		digits += digit;
		if (run > max_digits)
			return 0;
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		letters += letter;
		int ok;
		switch (kind) {
		case SAFE_ID: ok = digit || letter || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '#'; break;
		/* "06/10/2022 15:07", "2024-03-02T10:00:00Z", "5 years ago", "il y a 2 mois" */
		case SAFE_DATE: ok = digit || letter || c == ' ' || c == '/' || c == '-' || c == ':' || c == '.' || c == '+' || c >= 0x80; break;
		default: ok = digit || c == '.' || c == ',' || c == '-' || c == '+' || c == '%' || c == ' '; break;
		}
		if (!ok)
			return 0;
	}
	if (kind == SAFE_NUMBER || (kind == SAFE_ID && letters == 0))
		return digits <= max_digits;
	/* A date holds a number; "Jean Martin" in a date column is masked. */
	return kind != SAFE_DATE || digits > 0;
}

void vx_redact_report_free(vx_redact_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_cols; i++)
		free(r->names[i]);
	free(r->names);
	free(r->masked);
	free(r->kind);
	free(r->unsafe_cells);
	free(r->counts);
	free(r);
}

size_t vx_redact_report_rows(const vx_redact_report *r)
{
	return r ? r->rows : 0;
}

size_t vx_redact_report_columns(const vx_redact_report *r)
{
	return r ? r->n_cols : 0;
}

const char *vx_redact_report_column(const vx_redact_report *r, size_t i, int *masked)
{
	if (r == NULL || i >= r->n_cols)
		return NULL;
	if (masked)
		*masked = r->masked[i];
	return r->names[i];
}

size_t vx_redact_report_count(const vx_redact_report *r, size_t i, vx_pii_kind k)
{
	if (r == NULL || i >= r->n_cols || (unsigned)k >= VX_PII_COUNT)
		return 0;
	return r->counts[i * VX_PII_COUNT + k];
}

const char *vx_redact_report_kept(const vx_redact_report *r, size_t i, size_t *masked_cells)
{
	static const char *const names[] = {NULL, "id", "date", "number"};
	if (r == NULL || i >= r->n_cols || r->masked[i])
		return NULL;
	if (masked_cells)
		*masked_cells = r->unsafe_cells[i];
	return names[r->kind[i]];
}

const vx_pii_counts *vx_redact_report_totals(const vx_redact_report *r)
{
	return r ? &r->totals : NULL;
}

size_t vx_redact_report_unreadable(const vx_redact_report *r)
{
	return r ? r->not_objects : 0;
}

/* Grows the per-column arrays to cap columns (new ones zeroed). */
static int grow_columns(vx_redact_report *r, size_t cap)
{
	if (cap <= r->cap_cols)
		return 0;
	char **names = realloc(r->names, cap * sizeof *names);
	if (names)
		r->names = names;
	unsigned char *masked = realloc(r->masked, cap);
	if (masked)
		r->masked = masked;
	unsigned char *kind = realloc(r->kind, cap);
	if (kind)
		r->kind = kind;
	size_t *unsafe = realloc(r->unsafe_cells, cap * sizeof *unsafe);
	if (unsafe)
		r->unsafe_cells = unsafe;
	size_t *counts = realloc(r->counts, cap * VX_PII_COUNT * sizeof *counts);
	if (counts)
		r->counts = counts;
	if (names == NULL || masked == NULL || kind == NULL || unsafe == NULL || counts == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu columns", cap);
	size_t old = r->cap_cols;
	memset(r->names + old, 0, (cap - old) * sizeof *r->names);
	memset(r->masked + old, 0, cap - old);
	memset(r->kind + old, 0, cap - old);
	memset(r->unsafe_cells + old, 0, (cap - old) * sizeof *r->unsafe_cells);
	memset(r->counts + old * VX_PII_COUNT, 0, (cap - old) * VX_PII_COUNT * sizeof *r->counts);
	r->cap_cols = cap;
	return 0;
}

/* Adds the table's columns the report does not have yet (all of a CSV
 * header at once; a JSON key when a line first has it) and marks which are
 * masked: all but the kept ones, plus every column the mapping names but
 * as an id or a date. */
static int add_columns(vx_redact_report *r, const vx_table *t)
{
	size_t n = vx_table_columns(t);
	if (n <= r->n_cols)
		return 0;
	size_t cap = r->cap_cols ? r->cap_cols : 16;
	while (cap < n)
		cap *= 2;
	int rc = grow_columns(r, cap);
	for (size_t i = r->n_cols; i < n && rc == 0; i++) {
		const char *name = vx_table_column(t, i);
		size_t len = strlen(name);
		r->names[i] = malloc(len + 1);
		if (r->names[i] == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory for the header");
		memcpy(r->names[i], name, len + 1);
		r->n_cols = i + 1;
		r->kind[i] = (unsigned char)column_kind(name, len);
		r->masked[i] = r->kind[i] == SAFE_NONE;
		/* An id or a date named by the mapping is checked like the
		 * known ones; every other field (text, title, reply, feeling,
		 * service...) is masked. */
		const char *role = vx_table_column_role(t, i);
		if (role && (strcmp(role, "id") == 0 || strcmp(role, "date") == 0)) {
			if (r->masked[i]) {
				r->kind[i] = strcmp(role, "id") == 0 ? SAFE_ID : SAFE_DATE;
				r->masked[i] = 0;
			}
		} else if (role) {
			r->masked[i] = 1;
			r->kind[i] = SAFE_NONE;
		}
	}
	return rc;
}

static int append_out(const char *data, size_t len, void *payload)
{
	return vx_buf_append(payload, data, len);
}

/* Appends the masked copy of s to out, with its items counted in column
 * col (in none when col is past the report's columns), and sets *changed
 * to 1, when s holds something to mask; else leaves out as it is. */
static int mask_cell(vx_redact_report *r, vx_masker *m, vx_buf *out, const char *s, size_t len, size_t col,
                     int *changed)
{
	size_t n;
	*changed = 0;
	int rc = vx_masker_scan(m, s, len, &n);
	if (rc || n == 0)
		return rc;
	const vx_pii_span *spans = vx_masker_spans(m);
	vx_pii_counts_add(&r->totals, spans, n);
	for (size_t k = 0; k < n && col < r->n_cols; k++)
		r->counts[col * VX_PII_COUNT + spans[k].kind]++;
	*changed = 1;
	return vx_pii_write_masked(out, s, len, spans, n);
}

static int redact_text(vx_redact_report *r, vx_buf *out, const char *name, const char *data, size_t len,
                       const vx_redact_options *o)
{
	int rc = 0, got = 0;
	vx_read_options ro = VX_READ_OPTIONS_INIT;
	vx_table *t = NULL;
	vx_masker *m = NULL;
	vx_buf cell;
	vx_cell *cells = NULL;
	size_t *cell_at = NULL; /* per cell: offset of its masked copy in cell, or SIZE_MAX */
	size_t cap_cells = 0;
	vx_buf_init(&cell, 0);

	ro.map = o->map;
	ro.map_file = o->map_file;
	rc = vx_table_open(&t, name, data, len, &ro);
	if (rc == 0)
		rc = add_columns(r, t);
	if (rc == 0)
		rc = vx_table_write_header(t, append_out, out);
	if (rc == 0)
		rc = vx_masker_new(&m);
	vx_row row;
	while (rc == 0 && (got = vx_table_next(t, &row)) == 1) {
		r->rows++;
		if ((rc = add_columns(r, t)) != 0)
			break;
		if (row.status == VX_ROW_NOT_OBJECT) {
			/* Not JSON: masked as one text, written as it was. */
			int changed;
			r->not_objects++;
			vx_buf_reset(&cell);
			rc = mask_cell(r, m, &cell, row.raw, row.raw_len, SIZE_MAX, &changed);
			if (rc == 0)
				rc = changed ? vx_buf_append(out, cell.data, cell.len) : vx_buf_append(out, row.raw, row.raw_len);
			if (rc == 0)
				rc = vx_buf_puts(out, vx_table_eol(t));
			continue;
		}
		if (row.n_cells > cap_cells) {
			vx_cell *grown = realloc(cells, row.n_cells * sizeof *grown);
			if (grown == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory for %zu fields", row.n_cells);
				break;
			}
			cells = grown;
			size_t *grown_at = realloc(cell_at, row.n_cells * sizeof *grown_at);
			if (grown_at == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory for %zu fields", row.n_cells);
				break;
			}
			cell_at = grown_at;
			cap_cells = row.n_cells;
		}
		/* Masked cells are appended one after the other to `cell`, and
		 * their pointers are fixed up once the row is complete (the
		 * buffer may move while it grows). */
		vx_buf_reset(&cell);
		for (size_t i = 0; i < row.n_cells && rc == 0; i++) {
			const vx_cell *f = &row.cells[i];
			size_t col = f->column;
			cells[i] = *f;
			cell_at[i] = SIZE_MAX;
			/* cells past the header's columns are masked too; a cell
			 * of a column kept unmasked only when it has its shape */
			if (f->len == 0)
				continue;
			if (col < r->n_cols && !r->masked[col]) {
				if (cell_is_safe((safe_kind)r->kind[col], f->ptr, f->len))
					continue;
				r->unsafe_cells[col]++;
			}
			int changed;
			size_t at = cell.len;
			rc = mask_cell(r, m, &cell, f->ptr, f->len, col, &changed);
			if (rc || !changed)
				continue;
			cell_at[i] = at;
			cells[i].len = cell.len - at;
		}
		for (size_t i = 0; i < row.n_cells && rc == 0; i++)
			if (cell_at[i] != SIZE_MAX)
				cells[i].ptr = cell.data + cell_at[i];
		if (rc == 0)
			rc = vx_table_write_row(t, cells, row.n_cells, append_out, out);
	}
	if (rc == 0 && got < 0)
		rc = got;
	vx_masker_free(m);
	free(cells);
	free(cell_at);
	vx_buf_free(&cell);
	vx_table_free(t);
	return rc;
}

int vx_redact_buffer(vx_redact_report **report, char **out, size_t *out_len, const char *name,
                     const char *data, size_t len, const vx_redact_options *opts)
{
	static const vx_redact_options defaults = VX_REDACT_OPTIONS_INIT;
	const vx_redact_options *o = opts ? opts : &defaults;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (report)
		*report = NULL;
	vx_redact_report *r = calloc(1, sizeof *r);
	if (r == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for a redaction report");
	vx_buf b;
	vx_buf_init(&b, 0);
	int rc = vx_buf_reserve(&b, len + len / 8);
	if (rc == 0)
		rc = redact_text(r, &b, name, data, len, o);
	if (rc == 0)
		rc = vx_buf_append(&b, "", 0);
	if (rc) {
		vx_buf_free(&b);
		vx_redact_report_free(r);
		return rc;
	}
	*out = vx_buf_detach(&b, out_len);
	if (report)
		*report = r;
	else
		vx_redact_report_free(r);
	return 0;
}

int vx_redact_file(vx_redact_report **report, const char *in_path, const char *out_path,
                   const vx_redact_options *opts)
{
	static const vx_redact_options defaults = VX_REDACT_OPTIONS_INIT;
	const vx_redact_options *o = opts ? opts : &defaults;
	char *data = NULL, *out = NULL;
	size_t len = 0, out_len = 0;
	vx_redact_report *r = NULL;
	if (report)
		*report = NULL;
	int rc = vx_file_read(&data, &len, in_path, o->max_bytes ? o->max_bytes : VX_REDACT_MAX_BYTES);
	if (rc)
		goto done;
	rc = vx_redact_buffer(&r, &out, &out_len, in_path, data, len, o);
	if (rc)
		goto done;
	if (out_path == NULL || strcmp(out_path, "-") == 0) {
		if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout) != 0)
			rc = vx_error_set(VX_EWRITE,
			                  "écriture impossible sur la sortie standard (la copie masquée est perdue)");
	} else {
		rc = vx_file_write(out_path, out, out_len);
	}
done:
	free(data);
	free(out);
	if (rc == 0 && report)
		*report = r;
	else
		vx_redact_report_free(r);
	return rc;
}
