/*
 * An export read row by row with every column as written, and written
 * back in its own shape: see include/voix/reader.h (vx_table). The rules
 * are the corpus reader's (reader.c): the same decoder, CSV parser, JSON
 * Lines helpers and mapping; only what is kept differs.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/csv.h"
#include "reading/decode.h"
#include "reading/jsonl.h"
#include "reading/mapping.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/error.h"
#include "util/strmap.h"
#include "voix/error.h"
#include "voix/reader.h"

struct vx_table {
	const char *name;
	vx_table_format format;
	vx_decoded dec;
	char sep;                /* CSV separator; 0 for JSON Lines */
	const char *eol;         /* line break of the first line */
	size_t max_field;
	vx_strmap columns;       /* JSON Lines: the keys, ids dense in order of first appearance */
	const char **role;       /* per column: mapped field name or NULL (role_cap entries) */
	size_t role_cap;
	vx_csv_parser csv;
	vx_csv_field *header;    /* CSV: the header's fields, NUL-terminated in hdr */
	size_t n_header;
	vx_buf hdr;
	size_t pos;              /* JSON Lines: next byte */
	unsigned line;           /* JSON Lines: line of the last row */
	vx_cell *cells;
	size_t cap_cells;
	vx_buf values;           /* JSON Lines: the unescaped values of the row */
};

/* The line break of the first line: "\r\n" when it ends so. */
static const char *first_eol(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static int grow_cells(vx_table *t, size_t n)
{
	if (n <= t->cap_cells)
		return 0;
	vx_cell *c = realloc(t->cells, n * sizeof *c);
	if (c == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu fields", n);
	t->cells = c;
	t->cap_cells = n;
	return 0;
}

/* Keeps role[] as long as the columns (new ones without a field). */
static int grow_roles(vx_table *t)
{
	size_t n = vx_table_columns(t);
	if (n <= t->role_cap)
		return 0;
	size_t cap = t->role_cap ? t->role_cap * 2 : 16;
	while (cap < n)
		cap *= 2;
	const char **r = realloc(t->role, cap * sizeof *r);
	if (r == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory for %zu columns", n);
	memset(r + t->role_cap, 0, (cap - t->role_cap) * sizeof *r);
	t->role = r;
	t->role_cap = cap;
	return 0;
}

/* Gives each column the mapping names its field; a mapped column the file
 * lacks is an error (VX_EINVAL). */
static int apply_mapping(vx_table *t, const vx_read_options *o)
{
	int rc = 0;
	vx_mapping map = VX_MAPPING_INIT;
	if (o->map_file)
		rc = vx_mapping_parse_file(&map, o->map_file);
	if (rc == 0 && o->map)
		rc = vx_mapping_parse(&map, o->map);
	if (rc == 0)
		rc = grow_roles(t);
	size_t n = vx_table_columns(t);
	for (int role = 0; rc == 0 && role < VX_ROLE_COUNT; role++) {
		const char *col = map.column[role];
		if (col == NULL)
			continue;
		size_t i = 0;
		while (i < n && !vx_fold_equal(vx_table_column(t, i), col))
			i++;
		if (i == n)
			rc = vx_error_set(VX_EINVAL, "%s : la correspondance nomme la colonne « %s » (%s), absente de l'en-tête",
			                  t->name, col, vx_role_name((vx_role)role));
		else
			t->role[i] = vx_role_name((vx_role)role);
	}
	vx_mapping_free(&map);
	return rc;
}

/* CSV: reads the header (the first non-blank record): column k is its
 * k-th field, even when a name repeats. */
static int open_csv(vx_table *t)
{
	vx_csv_record rec;
	int rc;
	t->sep = vx_csv_detect_separator(t->dec.text, t->dec.len);
	vx_csv_init(&t->csv, t->dec.text, t->dec.len, t->sep, t->max_field);
	do
		rc = vx_csv_next(&t->csv, &rec);
	while (rc == 1 && rec.n_fields == 0);
	if (rc < 0)
		return vx_error_prefix(rc, "%s : ", t->name);
	if (rc == 0)
		return vx_error_set(VX_EEMPTY, "%s : fichier vide", t->name);
	if (rec.status != VX_CSV_OK)
		return vx_error_set(VX_EFORMAT, "%s : ligne %u : la ligne d'en-tête a un guillemet mal placé ou jamais fermé", t->name,
		                    rec.error_line);
	t->header = malloc(rec.n_fields * sizeof *t->header);
	if (t->header == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading the header of %s", t->name);
	t->n_header = rec.n_fields;
	/* The names, each NUL-terminated, in hdr; pointers set once it is
	 * complete (it may move while it grows). */
	rc = 0;
	for (size_t k = 0; k < rec.n_fields && rc == 0; k++) {
		rc = vx_buf_append(&t->hdr, rec.fields[k].ptr ? rec.fields[k].ptr : "", rec.fields[k].len);
		if (rc == 0)
			rc = vx_buf_putc(&t->hdr, '\0');
	}
	for (size_t k = 0, off = 0; k < rec.n_fields && rc == 0; k++) {
		t->header[k] = (vx_csv_field){t->hdr.data + off, rec.fields[k].len, 0};
		off += rec.fields[k].len + 1;
	}
	return rc;
}

int vx_table_open(vx_table **out, const char *name, const char *data, size_t len, const vx_read_options *opts)
{
	static const vx_read_options defaults = VX_READ_OPTIONS_INIT;
	const vx_read_options *o = opts ? opts : &defaults;
	int rc = 0;
	*out = NULL;
	if (data == NULL && len > 0)
		return vx_error_set(VX_EINVAL, "vx_table_open: no data");
	if (o->version > VX_READ_OPTIONS_VERSION)
		return vx_error_set(VX_EINVAL, "vx_read_options version %u is newer than this library (%u)", o->version,
		                    VX_READ_OPTIONS_VERSION);
	vx_table *t = calloc(1, sizeof *t);
	if (t == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory opening %s", name ? name : "<buffer>");
	t->name = name ? name : "<buffer>";
	t->max_field = o->max_field_bytes ? o->max_field_bytes : VX_READ_MAX_FIELD;
	vx_strmap_init(&t->columns);
	vx_buf_init(&t->hdr, 0);
	vx_buf_init(&t->values, 0);
	vx_csv_init(&t->csv, "", 0, ',', 0);
	if (len == 0) {
		rc = vx_error_set(VX_EEMPTY, "%s : fichier vide", t->name);
		goto done;
	}
	rc = vx_decode_text(&t->dec, t->name, data, len, 0);
	if (rc)
		goto done;
	t->eol = first_eol(t->dec.text, t->dec.len);
	if (vx_jsonl_detect(t->name, t->dec.text, t->dec.len)) {
		t->format = VX_TABLE_JSONL;
		rc = vx_jsonl_keys(&t->columns, t->name, t->dec.text, t->dec.len);
	} else {
		t->format = VX_TABLE_CSV;
		rc = open_csv(t);
	}
	if (rc == 0)
		rc = apply_mapping(t, o);
done:
	if (rc) {
		vx_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void vx_table_free(vx_table *t)
{
	if (t == NULL)
		return;
	vx_csv_free(&t->csv);
	vx_decoded_free(&t->dec);
	vx_strmap_free(&t->columns);
	vx_buf_free(&t->hdr);
	vx_buf_free(&t->values);
	free(t->header);
	free(t->role);
	free(t->cells);
	free(t);
}

static int next_csv(vx_table *t, vx_row *row)
{
	vx_csv_record rec;
	int got = vx_csv_next(&t->csv, &rec);
	if (got < 0)
		return vx_error_prefix(got, "%s : ", t->name);
	if (got == 0)
		return 0;
	int rc = grow_cells(t, rec.n_fields);
	if (rc)
		return rc;
	for (size_t i = 0; i < rec.n_fields; i++)
		t->cells[i] = (vx_cell){i, rec.fields[i].ptr, rec.fields[i].len, VX_CELL_TEXT};
	*row = (vx_row){t->cells, rec.n_fields, rec.line, rec.raw, rec.raw_len,
	                rec.status == VX_CSV_BAD_QUOTE      ? VX_ROW_BAD_QUOTE
	                : rec.status == VX_CSV_UNTERMINATED ? VX_ROW_UNTERMINATED
	                                                    : VX_ROW_OK};
	return 1;
}

/* JSON Lines: one line, its members as cells (values in t->values). */
static int next_jsonl(vx_table *t, vx_row *row)
{
	const char *text = t->dec.text;
	size_t len = t->dec.len;
	if (t->pos >= len)
		return 0;
	const char *nl = memchr(text + t->pos, '\n', len - t->pos);
	size_t end = nl ? (size_t)(nl - text) : len;
	const char *raw = text + t->pos;
	size_t raw_len = end - t->pos;
	if (raw_len && raw[raw_len - 1] == '\r')
		raw_len--;
	t->pos = end + 1;
	t->line = t->line < UINT32_MAX ? t->line + 1 : t->line;
	*row = (vx_row){t->cells, 0, t->line, raw, raw_len, VX_ROW_OK};
	size_t k = 0;
	while (k < raw_len && vx_jsonl_space(raw[k]))
		k++;
	if (k == raw_len)
		return 1; /* blank line */
	json_t *obj = json_loadb(raw, raw_len, 0, NULL);
	if (obj == NULL || !json_is_object(obj)) {
		json_decref(obj);
		row->status = VX_ROW_NOT_OBJECT;
		return 1;
	}
	int rc = grow_cells(t, json_object_size(obj));
	size_t n = 0, *offs = NULL;
	if (rc == 0 && (offs = malloc((json_object_size(obj) + 1) * sizeof *offs)) == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory reading %s", t->name);
	vx_buf_reset(&t->values);
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		uint32_t id;
		if (rc == 0)
			rc = vx_strmap_intern(&t->columns, key, strlen(key), &id, NULL);
		if (rc == 0)
			rc = grow_roles(t);
		if (rc)
			break;
		offs[n] = t->values.len;
		rc = json_is_null(v) ? vx_buf_puts(&t->values, "null") : vx_jsonl_value_text(&t->values, v, 0, NULL);
		if (rc == VX_EFORMAT) {
			/* A NUL in a string: the line cannot be written back as
			 * it was read; it is handed over as a line of text. */
			json_decref(obj);
			free(offs);
			*row = (vx_row){t->cells, 0, t->line, raw, raw_len, VX_ROW_NOT_OBJECT};
			return 1;
		}
		size_t vlen = t->values.len - offs[n];
		if (rc == 0 && vlen > t->max_field)
			rc = vx_error_set(VX_ETOOBIG, "%s : ligne %u : une valeur de %zu octets dépasse la limite de %zu octets", t->name,
			                  t->line, vlen, t->max_field);
		if (rc)
			break;
		t->cells[n++] = (vx_cell){id, NULL, vlen, json_is_string(v) ? VX_CELL_TEXT : VX_CELL_JSON};
	}
	json_decref(obj);
	for (size_t i = 0; rc == 0 && i < n; i++)
		t->cells[i].ptr = t->values.data + offs[i];
	free(offs);
	if (rc)
		return rc;
	row->cells = t->cells;
	row->n_cells = n;
	return 1;
}

int vx_table_next(vx_table *t, vx_row *row)
{
	return t->format == VX_TABLE_CSV ? next_csv(t, row) : next_jsonl(t, row);
}

vx_table_format vx_table_format_of(const vx_table *t)
{
	return t->format;
}

const char *vx_table_encoding(const vx_table *t)
{
	return t->dec.encoding;
}

const char *vx_table_eol(const vx_table *t)
{
	return t->eol;
}

size_t vx_table_columns(const vx_table *t)
{
	return t->format == VX_TABLE_CSV ? t->n_header : vx_strmap_count(&t->columns);
}

const char *vx_table_column(const vx_table *t, size_t i)
{
	if (i >= vx_table_columns(t))
		return NULL;
	return t->format == VX_TABLE_CSV ? t->header[i].ptr : vx_strmap_key(&t->columns, (uint32_t)i);
}

const char *vx_table_column_role(const vx_table *t, size_t i)
{
	return i < vx_table_columns(t) && i < t->role_cap ? t->role[i] : NULL;
}

int vx_table_write_header(const vx_table *t, vx_table_write_fn write, void *payload)
{
	if (t->format != VX_TABLE_CSV)
		return 0;
	vx_buf b = VX_BUF_INIT;
	int rc = 0;
	if (strcmp(t->dec.encoding, "utf-8-bom") == 0)
		rc = vx_buf_append(&b, "\xEF\xBB\xBF", 3);
	for (size_t k = 0; k < t->n_header && rc == 0; k++) {
		/* A name holding another separator is quoted too, so that the
		 * copy's separator is found from the header as this one's is
		 * (vx_csv_detect_separator skips what is quoted): passing
		 * that separator makes vx_csv_write_field quote the name. */
		const vx_csv_field *f = &t->header[k];
		size_t other = strcspn(f->ptr, ";,\t");
		if (k)
			rc = vx_buf_putc(&b, t->sep);
		if (rc == 0)
			rc = vx_csv_write_field(&b, f->ptr, f->len, other < f->len ? f->ptr[other] : t->sep);
	}
	if (rc == 0)
		rc = vx_buf_puts(&b, t->eol);
	if (rc == 0)
		rc = write(b.data, b.len, payload);
	vx_buf_free(&b);
	return rc;
}

/* A JSON value for a cell: its JSON when it is a VX_CELL_JSON that still
 * parses, else a string. NULL on OOM. */
static json_t *cell_value(const vx_cell *c)
{
	if (c->type == VX_CELL_JSON) {
		json_t *v = json_loadb(c->ptr ? c->ptr : "", c->len, JSON_DECODE_ANY, NULL);
		if (v != NULL)
			return v;
	}
	return json_stringn_nocheck(c->ptr ? c->ptr : "", c->len);
}

static int write_jsonl_row(const vx_table *t, const vx_cell *cells, size_t n, vx_buf *b)
{
	if (n == 0)
		return vx_buf_puts(b, t->eol);
	json_t *obj = json_object();
	int rc = obj ? 0 : VX_ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *key = vx_table_column(t, cells[i].column);
		json_t *v = cell_value(&cells[i]);
		if (key == NULL || v == NULL || json_object_set_new_nocheck(obj, key, v) != 0)
			rc = vx_error_set(VX_ENOMEM, "out of memory writing a JSON line");
	}
	char *line = rc == 0 ? json_dumps(obj, JSON_PRESERVE_ORDER) : NULL;
	if (rc == 0 && line == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory writing a JSON line");
	if (rc == 0)
		rc = vx_buf_puts(b, line);
	if (rc == 0)
		rc = vx_buf_puts(b, t->eol);
	free(line);
	json_decref(obj);
	return rc;
}

int vx_table_write_row(const vx_table *t, const vx_cell *cells, size_t n, vx_table_write_fn write, void *payload)
{
	vx_buf b = VX_BUF_INIT;
	int rc = 0;
	if (t->format == VX_TABLE_JSONL) {
		rc = write_jsonl_row(t, cells, n, &b);
	} else {
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (i)
				rc = vx_buf_putc(&b, t->sep);
			if (rc == 0)
				rc = vx_csv_write_field(&b, cells[i].ptr ? cells[i].ptr : "", cells[i].len, t->sep);
		}
		if (rc == 0)
			rc = vx_buf_puts(&b, t->eol);
	}
	if (rc == 0)
		rc = write(b.data ? b.data : "", b.len, payload);
	vx_buf_free(&b);
	return rc;
}
