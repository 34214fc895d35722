/*
 * URI redaction: postgresql://[userinfo@][hosts][/dbname][?params], where
 * userinfo is user[:password] and ends at the last '@' of the authority
 * (libpq wants a literal '@' in a password percent-encoded, but a careless
 * one must not leak either), params are key=value joined by '&'.
 */
#include "storage/pg_uri.h"

#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

#define VX_PG_MASK "***"

static const char *const schemes[] = {"postgresql://", "postgres://"};

/* Length of the scheme uri[0..len) starts with, or 0. */
static size_t scheme_len(const char *uri, size_t len)
{
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i]);
		if (len >= n && memcmp(uri, schemes[i], n) == 0)
			return n;
	}
	return 0;
}

int vx_pg_uri_is(const char *name)
{
	return name != NULL && scheme_len(name, strlen(name)) > 0;
}

/* Copies one query parameter p[0..n), its value masked when its key is
 * "password". */
static int put_param(vx_buf *out, const char *p, size_t n)
{
	static const char key[] = "password=";
	if (n >= sizeof key - 1 && memcmp(p, key, sizeof key - 1) == 0) {
		int rc = vx_buf_append(out, p, sizeof key - 1);
		return rc ? rc : vx_buf_puts(out, VX_PG_MASK);
	}
	return n ? vx_buf_append(out, p, n) : 0;
}

int vx_pg_uri_redact(vx_buf *out, const char *uri, size_t len)
{
	int rc = 0;
	vx_buf_reset(out);
	size_t i = scheme_len(uri, len);
	if ((rc = vx_buf_append(out, uri, i)) != 0)
		return rc;
	/* The authority runs to the first '/' or '?'. */
	size_t auth_end = i;
	while (auth_end < len && uri[auth_end] != '/' && uri[auth_end] != '?')
		auth_end++;
	size_t at = auth_end;
	for (size_t k = i; k < auth_end; k++)
		if (uri[k] == '@')
			at = k;
	if (at < auth_end) {
		const char *colon = memchr(uri + i, ':', at - i);
		size_t user_end = colon ? (size_t)(colon - uri) : at;
		if ((rc = vx_buf_append(out, uri + i, user_end - i)) != 0)
			return rc;
		if (colon && (rc = vx_buf_puts(out, ":" VX_PG_MASK)) != 0)
			return rc;
		i = at;
	}
	/* The hosts, the database name, up to the query. */
	size_t q = i;
	while (q < len && uri[q] != '?')
		q++;
	if ((rc = vx_buf_append(out, uri + i, q - i)) != 0)
		return rc;
	if (q == len)
		return 0;
	if ((rc = vx_buf_putc(out, '?')) != 0)
		return rc;
	i = q + 1;
	while (i <= len) {
		size_t end = i;
		while (end < len && uri[end] != '&')
			end++;
		if ((rc = put_param(out, uri + i, end - i)) != 0)
			return rc;
		if (end < len && (rc = vx_buf_putc(out, '&')) != 0)
			return rc;
		i = end + 1;
	}
	return 0;
}

char *vx_pg_uri_shown(const char *uri)
{
	vx_buf b = VX_BUF_INIT;
	char *copy = NULL;
	/* The scheme is always copied: the buffer is never empty. */
	if (vx_pg_uri_redact(&b, uri, strlen(uri)) == 0)
		copy = vx_buf_detach(&b, NULL);
	vx_buf_free(&b);
	return copy;
}
