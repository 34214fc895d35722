/*
 * The corpus: the experiences voix works on, as read from files or loaded
 * from the database. Every stage after reading takes a const vx_corpus.
 *
 * All strings of an experience are UTF-8, NUL-terminated, never NULL (an
 * absent value is ""), and owned by the corpus: they live until
 * vx_corpus_free(). Text fields are stored as decoded to UTF-8 with C1
 * control characters repaired through Windows-1252 and nothing else changed;
 * verbatim offsets in a note are byte offsets into these strings.
 */
#ifndef VOIX_CORPUS_H
#define VOIX_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vx_feeling {
	VX_FEELING_UNKNOWN = 0, /* "inconnu" */
	VX_FEELING_POSITIVE,    /* "positif" */
	VX_FEELING_NEUTRAL,     /* "neutre" */
	VX_FEELING_NEGATIVE,    /* "négatif" */
	VX_FEELING_COUNT
} vx_feeling;

/* The five DITP dimensions, in the order of the Services Publics+ export. */
typedef enum vx_dimension {
	VX_DIM_ACCESSIBILITY = 0, /* Accessibilité */
	VX_DIM_INFORMATION,       /* Information/Explication */
	VX_DIM_RELATION,          /* Relation */
	VX_DIM_REACTIVITY,        /* Réactivité */
	VX_DIM_SIMPLICITY,        /* Simplicité/Complexité */
	VX_DIM_COUNT
} vx_dimension;

typedef struct vx_experience {
	const char *source;      /* path of the file it was read from */
	uint32_t line;           /* physical line where its record starts (1-based), 0 if unknown */
	const char *id;          /* the export's id, or "<file>:<line>" when it has none */
	const char *date;        /* normalised "YYYY-MM-DD", "" when absent or not absolute */
	const char *date_text;   /* the date as written ("2 months ago", "06/10/2022 15:07") */
	const char *title;
	const char *text;        /* the user's free text */
	vx_feeling feeling;
	const char *service;     /* service type (Intitulé Typologie 1) */
	const char *structure;   /* structure name (Intitulé structure 1) */
	const char *department;
	const char *reply;       /* the administration's reply, "" when none */
	const char **channels;   /* n_channels channel names */
	uint32_t n_channels;
	vx_feeling dims[VX_DIM_COUNT]; /* polarity per DITP dimension, UNKNOWN when empty */
	const char *row_json;    /* the original row as a JSON object, "" unless kept */
} vx_experience;

/* Where a file's experiences came from, kept for the note's scope section. */
typedef struct vx_source {
	const char *path;
	char sha256[65];
	const char *format;    /* "sp-plus-2023", "sp-plus-2025", "google-reviews", "mapped-csv", "jsonl", "database" */
	const char *encoding;  /* "utf-8", "utf-8-bom", "windows-1252" */
	char separator;        /* ',', ';', '\t', or 0 for JSON Lines */
	size_t rows_read;
	size_t rows_rejected;
	size_t c1_repaired;    /* C1 control characters mapped through Windows-1252 */
	size_t lines_repaired; /* lines of a UTF-8 file with invalid bytes, read as Windows-1252
	                        * byte by byte */
} vx_source;

/* Reasons of two rejects the note counts apart (other reasons name the
 * line and the fault: "guillemet mal placé ligne 12"...). */
#define VX_REJECT_EMPTY_TEXT "texte vide"
#define VX_REJECT_BAD_DATE "date illisible"

/* A row that could not be read, with the reason in words a user can act on. */
typedef struct vx_reject {
	const char *source;
	uint32_t line;
	const char *reason;
	const char *raw;       /* the raw record bytes (may be cut at 64 KiB) */
} vx_reject;

typedef struct vx_corpus vx_corpus;

int vx_corpus_new(vx_corpus **out);
void vx_corpus_free(vx_corpus *c);

size_t vx_corpus_count(const vx_corpus *c);
/* The i-th experience; NULL when i is out of range. Valid until the corpus
 * is freed; vx_corpus_add may not move existing experiences' strings but
 * may move the array, so do not keep this pointer across an add. */
const vx_experience *vx_corpus_get(const vx_corpus *c, size_t i);

/* Appends a copy of e: every string is copied into the corpus. */
int vx_corpus_add(vx_corpus *c, const vx_experience *e);

size_t vx_corpus_source_count(const vx_corpus *c);
const vx_source *vx_corpus_source(const vx_corpus *c, size_t i);
/* Appends a copy of s (strings copied); returns its index through *index. */
int vx_corpus_add_source(vx_corpus *c, const vx_source *s, size_t *index);
/* Updates the counters of source i (rows_read, rows_rejected, c1_repaired). */
void vx_corpus_update_source(vx_corpus *c, size_t i, const vx_source *s);

size_t vx_corpus_reject_count(const vx_corpus *c);
const vx_reject *vx_corpus_reject(const vx_corpus *c, size_t i);
int vx_corpus_add_reject(vx_corpus *c, const vx_reject *r);

/*
 * The rejected rows as CSV: a header "fichier,ligne,motif,enregistrement",
 * then one line per reject (its source, line, reason and raw record),
 * "," between fields, "\n" line breaks, fields quoted only when they must
 * be. *out (malloc'ed, NUL-terminated, the caller frees it) and *len (may
 * be NULL). Returns 0 or VX_ENOMEM.
 */
int vx_corpus_rejects_csv(char **out, size_t *len, const vx_corpus *c);

/* The same CSV written to path (whole, then renamed into place, so that
 * path is never left half written). Returns 0, VX_EWRITE (the message
 * names path) or VX_ENOMEM. */
int vx_corpus_rejects_write(const vx_corpus *c, const char *path);

/* Copies a string into the corpus's storage (NUL added). NULL on OOM. */
const char *vx_corpus_intern(vx_corpus *c, const char *s, size_t len);

/* Names of feelings and dimensions, as shown in notes (French). */
const char *vx_feeling_name(vx_feeling f);      /* "positif", "neutre", "négatif", "inconnu" */
const char *vx_feeling_key(vx_feeling f);       /* "positif", "neutre", "negatif", "inconnu" (JSON keys) */
const char *vx_dimension_name(vx_dimension d);  /* "Accessibilité", ... */

/* The feeling a name gives: "positif", "neutre", "négatif" (or "negatif"),
 * ignoring case, accents and surrounding blanks. Returns 0, or VX_EINVAL
 * for any other name (NULL or "" included); *out is unchanged then. */
int vx_feeling_from_name(vx_feeling *out, const char *name);

/* Selection of experiences by facets. NULL or "" fields do not filter.
 * service/structure/channel match exactly, ignoring case and accents;
 * since/until compare the normalised date (inclusive); an experience without
 * a date is excluded when since or until is set. feeling is a name
 * vx_feeling_from_name() reads, matched against e->feeling (the export's: a note
 * whose feelings are read from the text applies it to the feeling it reports
 * instead, voix/note.h); a name it does not read matches nothing.
 * department is one department or several separated by commas ("75,92,93"),
 * each matched exactly, blanks around it and around e->department ignored. */
typedef struct vx_filter {
	const char *service;
	const char *structure;
	const char *channel;
	const char *since;  /* "YYYY-MM-DD" */
	const char *until;
	const char *feeling;    /* "positif", "neutre", "négatif" */
	const char *department; /* "75", "2A", "971", "75,92,93" */
} vx_filter;

/* The name of the French department whose INSEE code is code[0..len)
 * ("75", "6", "06", "6.0", "2A", "971"), as exports write it ("Paris"),
 * or NULL for no known code. A department filter given as a code also
 * matches the experiences whose department is that name. */
const char *vx_department_name(const char *code, size_t len);

/* 1 when e passes f, else 0. */
int vx_filter_match(const vx_filter *f, const vx_experience *e);

#ifdef __cplusplus
}
#endif
#endif
