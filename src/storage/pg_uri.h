/*
 * PostgreSQL connection URIs as voix sees them: which --db names are one,
 * and how to name one in a message without its password. libpq itself
 * parses the URI to connect; this module never decides where to connect.
 */
#ifndef VX_STORAGE_PG_URI_H
#define VX_STORAGE_PG_URI_H

#include <stddef.h>

#include "util/buf.h"

/* 1 when name starts with "postgresql://" or "postgres://" (the two
 * designators libpq accepts), 0 otherwise (an SQLite file name). */
int vx_pg_uri_is(const char *name);

/* Writes into out (reset first) uri[0..len) with every password replaced by
 * "***": the one of the user information ("user:secret@host" becomes
 * "user:***@host") and the value of each "password" query parameter. The
 * rest is copied as it is, byte for byte (it may be invalid: only libpq
 * says so). A cursor over untrusted input: it never reads past len.
 * Errors: VX_ENOMEM. */
int vx_pg_uri_redact(vx_buf *out, const char *uri, size_t len);

/* vx_pg_uri_redact of a C string into a new string (free it), or NULL when
 * out of memory. */
char *vx_pg_uri_shown(const char *uri);

#endif
