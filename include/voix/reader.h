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

#ifdef __cplusplus
}
#endif
#endif
