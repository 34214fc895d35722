/*
 * Reading feedback exports into a corpus.
 *
 * Recognised inputs (detected from the header, see docs/reading.md):
 *  - Services Publics+ "export-experiences" CSV, 2023 shape (46 columns) and
 *    2025 shape (pseudonym, "Écrit le", replies...);
 *  - Google-Maps-style review exports (review_text, rate, date...);
 *  - any CSV or JSON Lines file with a column mapping (--map).
 * Separator (; , tab), encoding (UTF-8 with/without BOM, Windows-1252), C1
 * repair, CRLF/LF and RFC 4180 quoting are handled here.
 */
#ifndef VOIX_READER_H
#define VOIX_READER_H

#include <stddef.h>

#include "voix/corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fields a mapping can name: "text=Commentaire,id=ref,date=Date,feeling=Note". */
typedef struct vx_read_options {
	unsigned version;        /* VX_READ_OPTIONS_VERSION */
	const char *map;         /* inline mapping, or NULL */
	const char *map_file;    /* path of a mapping file (one field=column per line), or NULL */
	int keep_row_json;       /* 1: fill vx_experience.row_json with the whole original row */
	size_t max_field_bytes;  /* 0 = default (VX_READ_MAX_FIELD) */
	/* Progress callback, called now and then with bytes done and total. */
	void (*progress)(size_t done, size_t total, void *payload);
	void *payload;
} vx_read_options;

#define VX_READ_OPTIONS_VERSION 1
#define VX_READ_OPTIONS_INIT {VX_READ_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL}
/* A single field larger than this is an error for the whole file: no real
 * export has one, and it is the shape of a truncated or binary file. */
#define VX_READ_MAX_FIELD (8u << 20)

/*
 * Reads the file at path and appends its experiences to corpus, its source
 * record to the corpus's sources, and each unreadable row to its rejects.
 * Returns 0 when the file was read (even with rejected rows), or:
 *  VX_EIO      the file cannot be opened or read;
 *  VX_EEMPTY   the file is empty or has a header and no row;
 *  VX_EFORMAT  binary data, no text column, an unknown shape without --map;
 *  VX_ETOOBIG  a single field exceeds max_field_bytes;
 *  VX_EINVAL   a bad mapping (or opts->version newer than this library).
 * On error nothing is appended to the corpus.
 * opts may be NULL (defaults); a version of 0 is taken as 1.
 * Each row is either an experience or a reject (reasons in French, e.g.
 * "texte vide", "date illisible", "guillemet ouvert ligne 12 jamais fermé",
 * "48 champs au lieu de 49"), so rows_read = experiences + rejects.
 */
int vx_reader_read_file(vx_corpus *corpus, const char *path, const vx_read_options *opts);

/* Same, from a buffer already in memory; name is used as the source path. */
int vx_reader_read_buffer(vx_corpus *corpus, const char *name, const char *data, size_t len,
                          const vx_read_options *opts);


/*
 * An export read row by row with every column as written, for programs
 * that copy a file instead of analysing it (voix redact). It reads what
 * vx_reader_read_file() reads, with the same rules (encodings and C1
 * repair, separator detection, RFC 4180 quoting, JSON Lines detection,
 * field limit, mapping), and can write a row back in the file's own shape.
 *
 * CSV: the columns are the header's fields (the first non-blank record);
 * each row's cells are its fields in order, cell i in column i (a row may
 * have more fields than the header: their columns are >= the column count).
 * JSON Lines: the columns are the keys of the first 1000 objects, then any
 * new key of a later line, in order of first appearance; each row's cells
 * are its object's members in the line's own order.
 */
typedef struct vx_table vx_table;

typedef enum vx_table_format { VX_TABLE_CSV = 0, VX_TABLE_JSONL } vx_table_format;

typedef enum vx_cell_type {
	VX_CELL_TEXT = 0, /* a CSV field, or a JSON string (unescaped, C1 mapped) */
	VX_CELL_JSON,     /* a JSON number, true, false, null, array or object, as compact JSON */
} vx_cell_type;

typedef struct vx_cell {
	size_t column;     /* index for vx_table_column() */
	const char *ptr;   /* UTF-8, not NUL-terminated; may be NULL when len is 0 */
	size_t len;
	vx_cell_type type;
} vx_cell;

typedef enum vx_row_status {
	VX_ROW_OK = 0,
	VX_ROW_BAD_QUOTE,    /* CSV: text after a closing quote; cells are best effort */
	VX_ROW_UNTERMINATED, /* CSV: a quote never closed; the row ends with the line where it opened */
	VX_ROW_NOT_OBJECT,   /* JSON Lines: the line is not a JSON object (no cells; raw holds it) */
} vx_row_status;

typedef struct vx_row {
	const vx_cell *cells; /* valid until the next vx_table_next() or vx_table_free() */
	size_t n_cells;       /* 0 for a blank line or a line that is not an object */
	unsigned line;        /* physical line where the row starts, 1-based */
	const char *raw;      /* the row's decoded text, without its line break */
	size_t raw_len;
	vx_row_status status;
} vx_row;

/*
 * Opens the len bytes at data (which must outlive the table) for reading
 * row by row; name is used in messages and for the JSON Lines detection
 * (".jsonl", ".ndjson"). opts may be NULL; its map and map_file name
 * columns for vx_table_column_role(), max_field_bytes bounds a field, the
 * rest is ignored. Returns 0 and *out (free with vx_table_free()), or
 * VX_EEMPTY (empty file, no header), VX_EFORMAT (binary data, a header
 * with a misplaced quote, no JSON object), VX_ETOOBIG (a header field over
 * the limit), VX_EINVAL (a bad mapping, or one naming a column the file
 * lacks), VX_ENOMEM.
 */
int vx_table_open(vx_table **out, const char *name, const char *data, size_t len, const vx_read_options *opts);

void vx_table_free(vx_table *t);

/*
 * Reads the next row into *row. Returns 1 (check row->status), 0 at the
 * end of the input, or VX_ETOOBIG (a field over the limit or too many
 * fields: the message gives the file and the line), VX_ENOMEM. A new JSON
 * key adds a column: vx_table_columns() may grow after each call.
 */
int vx_table_next(vx_table *t, vx_row *row);

vx_table_format vx_table_format_of(const vx_table *t);
/* "utf-8", "utf-8-bom" or "windows-1252": the encoding the file was read in. */
const char *vx_table_encoding(const vx_table *t);
/* "\r\n" or "\n": the line break of the input's first line. */
const char *vx_table_eol(const vx_table *t);
size_t vx_table_columns(const vx_table *t);
/* Name of column i (NUL-terminated UTF-8), NULL when i is out of range. */
const char *vx_table_column(const vx_table *t, size_t i);
/* The field a mapping gave column i ("text", "id", "date"...), or NULL. */
const char *vx_table_column_role(const vx_table *t, size_t i);

/* Output for vx_table_write_*: called with each piece; returns 0 or a
 * negative VX_E... code, which stops the writing and is returned. */
typedef int (*vx_table_write_fn)(const char *data, size_t len, void *payload);

/*
 * Writes what precedes the rows in the table's shape: for CSV a UTF-8 byte
 * order mark when the input had one, then the header (fields quoted when
 * they must be or hold another separator, the input's separator and first
 * line break); nothing for JSON Lines.
 */
int vx_table_write_header(const vx_table *t, vx_table_write_fn write, void *payload);

/*
 * Writes n cells as one row in the table's shape, then the line break of
 * the input's first line. CSV: the cells in order, quoted only when they
 * must be. JSON Lines: an object of the cells' columns and values ("key":
 * value, ", " between members), a VX_CELL_TEXT cell as a string, a
 * VX_CELL_JSON cell as its JSON when it parses, else as a string; n = 0
 * writes an empty line. VX_ENOMEM, or what write returned.
 */
int vx_table_write_row(const vx_table *t, const vx_cell *cells, size_t n, vx_table_write_fn write, void *payload);

#ifdef __cplusplus
}
#endif
#endif
