/*
 * Redaction of a whole CSV export: the same columns, rows and separator,
 * in UTF-8, with personal data masked in every free-text column.
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
#include "reading/csv.h"
#include "reading/decode.h"
#include "reading/mapping.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/fold.h"
#include "voix/error.h"
#include "voix/privacy.h"
#include "voix/reader.h"

struct vx_redact_report {
	size_t rows;
	size_t n_cols;
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

/* Builds the report's columns from the header and marks which are masked:
 * all but the kept ones, plus every column the mapping names. */
static int setup_columns(vx_redact_report *r, const vx_csv_record *hdr, const vx_redact_options *o,
                         const char *name)
{
	int rc = 0;
	vx_mapping map = VX_MAPPING_INIT;
	size_t n = hdr->n_fields;
	r->n_cols = 0;
	r->names = calloc(n ? n : 1, sizeof *r->names);
	r->masked = calloc(n ? n : 1, 1);
	r->kind = calloc(n ? n : 1, 1);
	r->unsafe_cells = calloc(n ? n : 1, sizeof *r->unsafe_cells);
	r->counts = calloc((n ? n : 1) * VX_PII_COUNT, sizeof *r->counts);
	if (r->names == NULL || r->masked == NULL || r->kind == NULL || r->unsafe_cells == NULL || r->counts == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu columns", n);
	for (size_t i = 0; i < n; i++) {
		const vx_csv_field *f = &hdr->fields[i];
		r->names[i] = malloc(f->len + 1);
		if (r->names[i] == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory for the header");
		if (f->len)
			memcpy(r->names[i], f->ptr, f->len);
		r->names[i][f->len] = '\0';
		r->n_cols = i + 1;
		r->kind[i] = (unsigned char)column_kind(f->ptr ? f->ptr : "", f->len);
		r->masked[i] = r->kind[i] == SAFE_NONE;
	}
	if (o->map)
		rc = vx_mapping_parse(&map, o->map);
	if (rc == 0 && o->map_file)
		rc = vx_mapping_parse_file(&map, o->map_file);
	for (int role = 0; rc == 0 && role < VX_ROLE_COUNT; role++) {
		const char *col = map.column[role];
		if (col == NULL)
			continue;
		size_t i = 0;
		while (i < n && !vx_fold_equal(r->names[i], col))
			i++;
		if (i == n) {
			rc = vx_error_set(VX_EINVAL, "%s: the mapping names column \"%s\" (%s), which the header does not have",
			                  name, col, vx_role_name((vx_role)role));
			break;
		}
		/* An id or a date named by the mapping is checked like the
		 * known ones; every other field (text, title, reply, feeling,
		 * service...) is masked. */
		if (role == VX_ROLE_ID || role == VX_ROLE_DATE) {
			if (r->masked[i]) {
				r->kind[i] = role == VX_ROLE_ID ? SAFE_ID : SAFE_DATE;
				r->masked[i] = 0;
			}
		} else {
			r->masked[i] = 1;
			r->kind[i] = SAFE_NONE;
		}
	}
	vx_mapping_free(&map);
	return rc;
}

/* The line break of the header: "\r\n" when the first line ends so. */
static const char *detect_eol(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static int redact_text(vx_redact_report *r, vx_buf *out, const char *name, const char *data, size_t len,
                       const vx_redact_options *o)
{
	int rc = 0;
	vx_decoded dec = {0};
	vx_csv_parser p;
	vx_masker *m = NULL;
	vx_buf cell;
	vx_csv_field *fields = NULL;
	size_t *cell_at = NULL; /* per field: offset of its masked copy in cell, or SIZE_MAX */
	size_t cap_fields = 0;
	vx_buf_init(&cell, 0);
	vx_csv_init(&p, "", 0, ',', 0);

	if (len == 0)
		return vx_error_set(VX_EEMPTY, "%s: the file is empty", name);
	rc = vx_decode_text(&dec, name, data, len, 0);
	if (rc)
		goto done;
	char sep = vx_csv_detect_separator(dec.text, dec.len);
	const char *eol = detect_eol(dec.text, dec.len);
	vx_csv_free(&p);
	vx_csv_init(&p, dec.text, dec.len, sep, VX_READ_MAX_FIELD);
	if (strcmp(dec.encoding, "utf-8-bom") == 0)
		rc = vx_buf_append(out, "\xEF\xBB\xBF", 3);
	if (rc)
		goto done;

	vx_csv_record rec;
	int got = vx_csv_next(&p, &rec);
	if (got < 0) {
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		rc = vx_error_set(got, "%s: %s", name, msg);
		goto done;
	}
	if (got == 0 || rec.n_fields == 0) {
		rc = vx_error_set(VX_EEMPTY, "%s: no header line", name);
		goto done;
	}
	rc = setup_columns(r, &rec, o, name);
	if (rc == 0)
		rc = vx_csv_write_record(out, rec.fields, rec.n_fields, sep, eol);
	if (rc == 0)
		rc = vx_masker_new(&m);
	while (rc == 0 && (got = vx_csv_next(&p, &rec)) == 1) {
		r->rows++;
		if (rec.n_fields > cap_fields) {
			vx_csv_field *grown = realloc(fields, rec.n_fields * sizeof *grown);
			if (grown == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory for %zu fields", rec.n_fields);
				break;
			}
			fields = grown;
			size_t *grown_at = realloc(cell_at, rec.n_fields * sizeof *grown_at);
			if (grown_at == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory for %zu fields", rec.n_fields);
				break;
			}
			cell_at = grown_at;
			cap_fields = rec.n_fields;
		}
		/* Masked cells are appended one after the other to `cell`, and
		 * their pointers are fixed up once the row is complete (the
		 * buffer may move while it grows). */
		vx_buf_reset(&cell);
		for (size_t i = 0; i < rec.n_fields && rc == 0; i++) {
			const vx_csv_field *f = &rec.fields[i];
			fields[i] = *f;
			cell_at[i] = SIZE_MAX;
			/* fields past the header's columns are masked too; a cell
			 * of a column kept unmasked only when it has its shape */
			if (f->len == 0)
				continue;
			if (i < r->n_cols && !r->masked[i]) {
				if (cell_is_safe((safe_kind)r->kind[i], f->ptr, f->len))
					continue;
				r->unsafe_cells[i]++;
			}
			size_t n;
			rc = vx_masker_scan(m, f->ptr, f->len, &n);
			if (rc || n == 0)
				continue;
			const vx_pii_span *spans = vx_masker_spans(m);
			vx_pii_counts_add(&r->totals, spans, n);
			for (size_t k = 0; k < n && i < r->n_cols; k++)
				r->counts[i * VX_PII_COUNT + spans[k].kind]++;
			cell_at[i] = cell.len;
			rc = vx_pii_write_masked(&cell, f->ptr, f->len, spans, n);
			fields[i].len = cell.len - cell_at[i];
		}
		for (size_t i = 0; i < rec.n_fields && rc == 0; i++)
			if (cell_at[i] != SIZE_MAX)
				fields[i].ptr = cell.data + cell_at[i];
		if (rc == 0)
			rc = vx_csv_write_record(out, fields, rec.n_fields, sep, eol);
	}
	if (rc == 0 && got < 0)
		rc = got;
	if (got < 0 && rc == got) {
		/* The parser's message says where (line, size); add the file. */
		char msg[768];
		snprintf(msg, sizeof msg, "%s", vx_error_last());
		rc = vx_error_set(rc, "%s: %s", name, msg);
	}
done:
	vx_masker_free(m);
	free(fields);
	free(cell_at);
	vx_buf_free(&cell);
	vx_csv_free(&p);
	vx_decoded_free(&dec);
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
			rc = vx_error_set(VX_EWRITE, "cannot write the redacted copy to standard output");
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
