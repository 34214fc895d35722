/*
 * Collecting experiences (« Je donne mon avis »), kept in the store: the
 * Services Publics+ structures referential that experiences name. See
 * docs/collect.md.
 *
 * Like the accounts (voix/accounts.h), these functions need an SQLite
 * store: on a PostgreSQL store they fail with VX_EINVAL (the tables exist
 * there, with the same columns, for a later version).
 */
#ifndef VOIX_COLLECT_H
#define VOIX_COLLECT_H

#include <stddef.h>

#include "voix/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- structures referential --------------------------------------------- */

/* Longest structure code accepted (the SP+ codes have 10 characters). */
#define VX_STRUCTURE_CODE_MAX 64

typedef struct vx_structures_counts {
	size_t read;       /* data records of the file */
	size_t inserted;   /* codes new to the store */
	size_t updated;    /* known codes whose fields changed */
	size_t unchanged;
	size_t rejected;   /* no code, no name, a code too long, a code seen before in the file */
	size_t first_rejected_line; /* physical line of the first rejected record, 0 for none */
} vx_structures_counts;

/* Reads a structures referential in the shape of the Services Publics+
 * export (`;`-separated, header with "Code SP+ de la structure" and
 * "Intitulé de la structure", the other columns optional; UTF-8 with or
 * without a byte order mark, or Windows-1252) from len bytes at data, and
 * stores it in one transaction: a new code is inserted, a known one
 * updated. name is only used in messages. Records without a code or a
 * name are counted as rejected, not stored. On failure the store is left
 * as it was and counts are zero. Errors: VX_EFORMAT (binary data, or a
 * header without the two columns: the message names the missing one),
 * VX_EEMPTY (no data record), VX_EDB, VX_EINVAL (PostgreSQL store),
 * VX_ENOMEM. */
int vx_structures_import(vx_store *s, const char *name, const char *data, size_t len,
                         vx_structures_counts *counts);

typedef struct vx_structure {
	const char *code;       /* "Code SP+ de la structure" */
	const char *name;       /* "Intitulé de la structure" */
	const char *network;    /* "Intitulé du réseau", "" when none */
	const char *typology;   /* "Intitulé de la typologie", "" when none */
	const char *city;       /* "Ville" */
	const char *postcode;   /* "Code postal de la structure" */
	int active;             /* "Actif": 0 for "Non", else 1 */
} vx_structure;

/* Calls cb for the structures whose name, city, network or typology holds
 * every word of query (case and accents ignored), active ones only, by
 * name, at most limit; query "" lists the first ones by name. The
 * structure's strings live until cb returns; a non-zero return of cb stops
 * and is returned. Errors: VX_EDB, VX_EINVAL (PostgreSQL store),
 * VX_ENOMEM. */
int vx_structures_search(vx_store *s, const char *query, size_t limit,
                         int (*cb)(const vx_structure *st, void *payload), void *payload);

/* Calls cb once with the structure of code. Errors: VX_ENOTFOUND (no such
 * code), VX_EDB, VX_EINVAL (PostgreSQL store). */
int vx_structure_get(vx_store *s, const char *code, int (*cb)(const vx_structure *st, void *payload),
                     void *payload);

/* Number of structures stored. Errors: VX_EDB, VX_EINVAL. */
int vx_structures_count(vx_store *s, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
