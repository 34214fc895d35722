/*
 * vx_csv: a cursor parser and a field writer for RFC 4180 CSV.
 *
 * The parser walks a buffer of explicit length (it never relies on a NUL
 * terminator) and hands back one record at a time: its fields as
 * pointer + length, the physical line where it starts, and its raw bytes.
 * Unquoted fields and quoted fields without doubled quotes point straight
 * into the input; the others are unescaped into a buffer owned by the
 * parser and reused from record to record. Every pointer of a record is
 * valid until the next call to vx_csv_next() or vx_csv_free().
 *
 * Line breaks are "\n", "\r\n" or a lone "\r"; each counts as one physical
 * line. Inside a quoted field they are kept as written.
 *
 * A record with a quoting error is still returned, with a status saying
 * what went wrong and where, so that the caller can reject it and go on:
 *  - VX_CSV_BAD_QUOTE: a closing quote is followed by something other than
 *    a separator or a line break (`"abc"def`). The record is read to its
 *    end as if the quote were literal; its fields are best effort.
 *  - VX_CSV_UNTERMINATED: a quoted field is still open at the end of the
 *    input. The record is cut at the end of the line where that quote
 *    opened, and parsing resumes on the next line, so the rest of the file
 *    is read again instead of being swallowed by the open quote.
 * Both cases cost linear time in total (see docs/reading.md).
 *
 * A blank line is returned as a record with zero fields.
 *
 * The writer quotes a field only when it must (it contains the separator, a
 * quote, "\r" or "\n"), doubling the quotes inside.
 */
#ifndef VX_READING_CSV_H
#define VX_READING_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* A record with more fields than this is an error for the whole input: no
 * export has that many columns, it is the shape of a binary file. */
#define VX_CSV_MAX_FIELDS 65536u

typedef struct vx_csv_field {
	const char *ptr;  /* not NUL-terminated; may be NULL when len is 0 */
	size_t len;
	int quoted;       /* 1 when the field was quoted in the input */
} vx_csv_field;

typedef enum vx_csv_status {
	VX_CSV_OK = 0,
	VX_CSV_BAD_QUOTE,    /* text after a closing quote */
	VX_CSV_UNTERMINATED, /* a quoted field runs to the end of the input */
} vx_csv_status;

typedef struct vx_csv_record {
	const vx_csv_field *fields;
	size_t n_fields;       /* 0 for a blank line */
	uint32_t line;         /* physical line where the record starts, 1-based */
	uint32_t end_line;     /* physical line where it ends */
	const char *raw;       /* the record's bytes, without its line break */
	size_t raw_len;
	size_t offset;         /* byte offset of raw in the input */
	vx_csv_status status;
	uint32_t error_line;   /* line of the faulty quote when status != OK */
} vx_csv_record;

typedef struct vx_csv_field_pos vx_csv_field_pos;

typedef struct vx_csv_parser {
	const char *data;
	size_t len;
	size_t pos;           /* next byte to read */
	uint32_t line;        /* physical line of pos */
	char sep;
	size_t max_field;     /* 0 = no limit */
	unsigned char cls[256];
	vx_csv_field *fields;
	vx_csv_field_pos *where;  /* per field: offset in scratch, or direct */
	size_t cap_fields;
	vx_buf scratch;
} vx_csv_parser;

/* Prepares p to read len bytes at data (which must outlive p) with the
 * given separator. max_field is the largest field accepted, 0 for none. */
void vx_csv_init(vx_csv_parser *p, const char *data, size_t len, char sep, size_t max_field);

/* Releases what p owns (not the input). NULL-safe. */
void vx_csv_free(vx_csv_parser *p);

/*
 * Reads the next record into *rec. Returns 1 when a record was read (check
 * rec->status), 0 at the end of the input, or:
 *  VX_ETOOBIG  a field is larger than max_field bytes, or a record has more
 *              than VX_CSV_MAX_FIELDS fields (the message gives the line);
 *  VX_ENOMEM   out of memory.
 * After an error the parser stays at the faulty record.
 */
int vx_csv_next(vx_csv_parser *p, vx_csv_record *rec);

/* The separator of the header line: whichever of ';', ',' and tab occurs
 * most often outside quotes in the first record (ties: ';' then ',' then
 * tab); ',' when none occurs. Looks at most at the first 1 MiB. */
char vx_csv_detect_separator(const char *data, size_t len);

/* 1 when a field with these bytes must be quoted to be written with sep. */
int vx_csv_needs_quotes(const char *s, size_t len, char sep);

/* Appends one field to out, quoted only when needed. Returns 0, or the
 * vx_buf error (VX_ENOMEM, VX_ETOOBIG). out->data may move. */
int vx_csv_write_field(vx_buf *out, const char *s, size_t len, char sep);

/* Appends n fields separated by sep, then eol (e.g. "\r\n"; NULL = none). */
int vx_csv_write_record(vx_buf *out, const vx_csv_field *fields, size_t n, char sep, const char *eol);

#endif
