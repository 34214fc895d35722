/*
 * The store: experiences kept in an SQLite database (WAL), with a versioned
 * schema and an FTS5 index that folds case and accents and stems French.
 */
#ifndef VOIX_STORE_H
#define VOIX_STORE_H

#include <stddef.h>
#include <stdio.h>

#include "voix/corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vx_store vx_store;

/* Opens (creating and migrating when needed) the database at path. */
int vx_store_open(vx_store **out, const char *path);
void vx_store_free(vx_store *s);

typedef struct vx_import_counts {
	size_t read, inserted, updated, unchanged, rejected;
} vx_import_counts;

/* Stores every experience of corpus in one transaction: a new id is
 * inserted, a known id with changed content updated, an identical one left.
 * counts->rejected is taken from the corpus's rejects. On failure the
 * database is left as it was. */
int vx_store_import(vx_store *s, const vx_corpus *corpus, vx_import_counts *counts);

/* Appends to corpus the stored experiences that pass filter (NULL = all),
 * in a stable order (source, then id). Sources are added as they were
 * recorded at import (path, sha256, format). */
int vx_store_load(vx_store *s, vx_corpus *corpus, const vx_filter *filter);

typedef struct vx_search_hit {
	const char *id;
	const char *source;
	const char *snippet;   /* masked excerpt around the match */
	double rank;
} vx_search_hit;

/* Full-text search; results are written with cb, best first, at most limit. */
int vx_store_search(vx_store *s, const char *query, size_t limit,
                    int (*cb)(const vx_search_hit *hit, void *payload), void *payload);

/* Writes the counts by source, service type, structure, feeling and month. */
int vx_store_stats(vx_store *s, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
