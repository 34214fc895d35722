/*
 * What the modules of the collection (structures.c, collect.c) share. Not
 * a public header.
 */
#ifndef VX_STORAGE_COLLECT_INTERNAL_H
#define VX_STORAGE_COLLECT_INTERNAL_H

#include "util/buf.h"
#include "voix/store.h"

/* The stored JSON array of channels json as "Accueil, Téléphone" into
 * joined (reset first); names is scratch. Errors: VX_EFORMAT, VX_ENOMEM. */
int vx_collect_channels_text(vx_buf *names, vx_buf *joined, const char *json);

/* Appends the audit entry (none when action is NULL) and commits the
 * write transaction s holds (vx_store_tx_begin); on failure the caller
 * rolls back. Errors: VX_EDB. */
int vx_audit_commit(vx_store *s, const char *actor, const char *action, const char *target, const char *detail);

#endif
