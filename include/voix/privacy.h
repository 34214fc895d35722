/*
 * Personal data: detection and masking.
 *
 * Masking replaces each detected span with a bracketed upper-case
 * placeholder ("[EMAIL]", "[NOM]"...) and changes nothing else. Detection
 * runs on UTF-8 text. See docs/privacy.md for every rule and its reason.
 */
#ifndef VOIX_PRIVACY_H
#define VOIX_PRIVACY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vx_pii_kind {
	VX_PII_EMAIL = 0,
	VX_PII_PHONE,
	VX_PII_NIR,
	VX_PII_FISCAL,
	VX_PII_IBAN,
	VX_PII_SIREN,
	VX_PII_SIRET,
	VX_PII_CARD,
	VX_PII_PLATE,
	VX_PII_CASE,
	VX_PII_NAME,
	VX_PII_BIRTHDATE,
	VX_PII_ADDRESS,
	VX_PII_COUNT
} vx_pii_kind;

typedef struct vx_pii_span {
	size_t start, end;   /* byte offsets in the input text */
	vx_pii_kind kind;
	int checksum_ok;     /* 1 valid, 0 invalid (still masked), -1 no checksum for this kind */
} vx_pii_span;

/* Items masked per category; nir_bad_key counts NIR-shaped strings whose key is wrong. */
typedef struct vx_pii_counts {
	size_t by_kind[VX_PII_COUNT];
	size_t nir_bad_key;
} vx_pii_counts;

typedef struct vx_masker vx_masker;

/* Creates a masker (compiles its patterns once; reuse it). Not thread-safe:
 * use one per thread. */
int vx_masker_new(vx_masker **out);
void vx_masker_free(vx_masker *m);

/*
 * Finds the personal data in text[0..len). *spans receives a malloc'ed array
 * (caller frees) of *n non-overlapping spans sorted by start; NULL when *n is
 * 0. text need not be NUL-terminated nor valid UTF-8 (invalid bytes never
 * match). Returns 0, VX_ENOMEM, or VX_EINVAL when PCRE2 reports a matching
 * error (the message gives the pattern and the byte offset).
 */
int vx_masker_find(vx_masker *m, const char *text, size_t len, vx_pii_span **spans, size_t *n);

/*
 * Writes the masked text to *out (malloc'ed, NUL-terminated, caller frees):
 * text with each span of vx_masker_find() replaced by its placeholder and
 * nothing else changed. Adds the masked items to counts when counts is not
 * NULL (counts accumulate over calls). Errors as vx_masker_find().
 */
int vx_masker_mask(vx_masker *m, const char *text, size_t len, char **out, vx_pii_counts *counts);

/* "[EMAIL]", "[TÉLÉPHONE]", ... */
const char *vx_pii_placeholder(vx_pii_kind kind);
/* A stable lower-case key for reports and JSON: "email", "telephone", "nir"... */
const char *vx_pii_key(vx_pii_kind kind);

/* Validators, exposed for tests and for the benchmark. Digits may be given
 * with spaces, dots or dashes; they are ignored. Each returns 1 when valid. */
int vx_pii_nir_valid(const char *s, size_t len);
int vx_pii_fiscal_valid(const char *s, size_t len);
int vx_pii_iban_valid(const char *s, size_t len);
int vx_pii_rib_valid(const char *s, size_t len);
int vx_pii_siren_valid(const char *s, size_t len);
int vx_pii_siret_valid(const char *s, size_t len);
int vx_pii_luhn_valid(const char *s, size_t len);

/* A copy of corpus in, into a new corpus *out (the caller frees it), where
 * every text a person can type is masked: id, date as written, title, text,
 * reply, service, structure, department, channels, and each string value of
 * the original row (a row that is not a JSON object is dropped). Sources and
 * rejected rows are copied as they are (a reject's raw record only goes to
 * voix import --rejects, never to the database). counts (may be NULL)
 * receives the items masked. For voix import --mask-at-rest. Errors:
 * VX_ENOMEM. */
struct vx_corpus;
int vx_corpus_mask(struct vx_corpus **out, const struct vx_corpus *in, vx_pii_counts *counts);

/*
 * Redaction of a whole export (voix redact): a copy of the file with the
 * same columns, rows and separator, in UTF-8, where every column is masked
 * except those declared to hold ids, dates or numbers (the list is in
 * docs/privacy.md), whose cells are copied only when they have that shape:
 * a cell that does not is masked. Service, structure and channel names,
 * closed lists and every column of an unknown export are masked; a column
 * the mapping names as text, title, reply... is masked, one it names as id
 * or date is checked like the known ones.
 */
typedef struct vx_redact_options {
	unsigned version;        /* VX_REDACT_OPTIONS_VERSION */
	const char *map;         /* inline mapping ("text=Commentaire,title=Objet"), or NULL */
	const char *map_file;    /* mapping file, or NULL */
	size_t max_bytes;        /* largest input accepted, 0 = VX_REDACT_MAX_BYTES */
} vx_redact_options;

#define VX_REDACT_OPTIONS_VERSION 1
#define VX_REDACT_OPTIONS_INIT {VX_REDACT_OPTIONS_VERSION, NULL, NULL, 0}
/* Default input limit: far above the largest real export (210 MB in 2025). */
#define VX_REDACT_MAX_BYTES ((size_t)4 << 30)

typedef struct vx_redact_report vx_redact_report;

/*
 * Reads the export at in_path (CSV or JSON Lines, read with vx_table:
 * voix/reader.h) and writes its masked copy to out_path
 * ("-" or NULL: standard output; a file is written whole, then renamed
 * into place). *report (may be NULL) receives the counts per column and
 * category; the caller frees it with vx_redact_report_free().
 * Returns 0, or:
 *  VX_EIO      the input cannot be read;
 *  VX_EWRITE   the output cannot be written;
 *  VX_EEMPTY   the input is empty;
 *  VX_EFORMAT  the input is binary, not text;
 *  VX_ETOOBIG  the input exceeds max_bytes, or a field exceeds the reader's
 *              limit (VX_READ_MAX_FIELD);
 *  VX_EINVAL   a bad mapping, or one that names a column the file lacks;
 *  VX_ENOMEM   out of memory.
 * Error messages name files, lines and columns, never the text of a cell.
 */
int vx_redact_file(vx_redact_report **report, const char *in_path, const char *out_path,
                   const vx_redact_options *opts);

/* Same, from a buffer (name is used in messages); the masked copy is
 * returned in *out (malloc'ed, NUL-terminated, caller frees), its length in
 * *out_len. */
int vx_redact_buffer(vx_redact_report **report, char **out, size_t *out_len, const char *name,
                     const char *data, size_t len, const vx_redact_options *opts);

void vx_redact_report_free(vx_redact_report *r);
/* Data rows read (the header excluded; blank lines included). */
size_t vx_redact_report_rows(const vx_redact_report *r);
/* JSON Lines: lines that are not a JSON object (or hold a NUL in a
 * string), masked as plain text and written as they were. */
size_t vx_redact_report_unreadable(const vx_redact_report *r);
/* Number of columns: of the header, or the keys of JSON Lines. */
size_t vx_redact_report_columns(const vx_redact_report *r);
/* Name of column i as written in the header (UTF-8); *masked (may be NULL)
 * is set to 1 when the column was masked. NULL when i is out of range. */
const char *vx_redact_report_column(const vx_redact_report *r, size_t i, int *masked);
/* For a column copied unmasked: the shape its cells were checked against
 * ("id", "date" or "number"), and through *masked_cells (may be NULL) the
 * cells masked because they did not have it. NULL for a masked column. */
const char *vx_redact_report_kept(const vx_redact_report *r, size_t i, size_t *masked_cells);
/* Items of kind k masked in column i. */
size_t vx_redact_report_count(const vx_redact_report *r, size_t i, vx_pii_kind k);
/* Items masked in the whole file, per category. */
const vx_pii_counts *vx_redact_report_totals(const vx_redact_report *r);

#ifdef __cplusplus
}
#endif
#endif
