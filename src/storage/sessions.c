/*
 * What voix serve shares between its processes (include/voix/accounts.h):
 * sessions, attempt counters (logins, the public form) and secrets, each
 * in a table of schema version 12, in SQL that SQLite and PostgreSQL read
 * alike. Every write that must stay right with several servers at once is
 * one statement: an INSERT ... ON CONFLICT whose row the database locks.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/store_internal.h"
#include "voix/accounts.h"
#include "voix/error.h"

/* 32 random bytes as 64 hexadecimal digits. */
static void random_hex(char out[VX_SESSION_ID_LEN + 1])
{
	unsigned char raw[VX_SESSION_ID_LEN / 2];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, VX_SESSION_ID_LEN + 1, raw, sizeof raw);
}

static int is_hex_id(const char *id)
{
	if (id == NULL || strlen(id) != VX_SESSION_ID_LEN)
		return 0;
	return strspn(id, "0123456789abcdef") == VX_SESSION_ID_LEN;
}

int vx_store_session_create(vx_store *s, const char *user, vx_role role, long long now, long long expires, size_t keep,
                            vx_store_session *out)
{
	char digest[65], exp[24], at[24], kept[24];
	long long n = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return vx_error_set(VX_ENOMEM, "libsodium could not be initialised");
	random_hex(out->id);
	random_hex(out->csrf);
	snprintf(out->user, sizeof out->user, "%s", user ? user : "");
	out->role = user ? role : VX_ROLE_NONE;
	out->expires = expires;
	vx_store_sha256_hex(out->id, digest);
	snprintf(exp, sizeof exp, "%lld", expires);
	snprintf(at, sizeof at, "%lld", now);
	snprintf(kept, sizeof kept, "%zu", keep > 0 ? keep - 1 : 0);
	const char *add[] = {digest, out->csrf, out->user, vx_account_role_name(out->role), exp};
	const char *prune[] = {at, kept};
	if ((rc = s->ops->rows(s,
	                       "INSERT INTO sessions(id_sha256, csrf, user_name, role, expires) "
	                       "VALUES($1, $2, $3, $4, CAST($5 AS BIGINT)) RETURNING expires",
	                       5, add, "ouverture d'une session", vx_store_count_row, &n)) != 0 ||
	    (rc = s->ops->rows(s,
	                       "DELETE FROM sessions WHERE expires <= CAST($1 AS BIGINT) OR expires < (SELECT expires "
	                       " FROM sessions ORDER BY expires DESC LIMIT 1 OFFSET CAST($2 AS BIGINT)) RETURNING expires",
	                       2, prune, "suppression des anciennes sessions", NULL, NULL)) != 0) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	return 0;
}

typedef struct session_ctx {
	vx_store_session *out;
	int found;
} session_ctx;

static int session_of(const char *const *cols, int ncols, void *payload)
{
	session_ctx *c = payload;
	const char *role = vx_store_col(cols, ncols, 2);
	snprintf(c->out->csrf, sizeof c->out->csrf, "%s", vx_store_col(cols, ncols, 0));
	snprintf(c->out->user, sizeof c->out->user, "%s", vx_store_col(cols, ncols, 1));
	c->out->role = VX_ROLE_NONE;
	if (role[0] && vx_account_role_parse(&c->out->role, role) != 0)
		return vx_error_set(VX_EDB, "base de données : une session a le rôle inconnu « %s »", role);
	c->out->expires = strtoll(vx_store_col(cols, ncols, 3), NULL, 10);
	c->found = 1;
	return 0;
}

int vx_store_session_find(vx_store *s, const char *id, long long now, vx_store_session *out)
{
	char digest[65], at[24];
	session_ctx c = {out, 0};
	memset(out, 0, sizeof *out);
	if (!is_hex_id(id))
		return vx_error_set(VX_ENOTFOUND, "session inconnue");
	vx_store_sha256_hex(id, digest);
	snprintf(at, sizeof at, "%lld", now);
	const char *params[] = {digest, at};
	int rc = s->ops->rows(s,
	                      "SELECT csrf, user_name, role, expires FROM sessions "
	                      "WHERE id_sha256 = $1 AND expires > CAST($2 AS BIGINT)",
	                      2, params, "lecture d'une session", session_of, &c);
	if (rc == 0 && !c.found)
		rc = vx_error_set(VX_ENOTFOUND, "session inconnue");
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	snprintf(out->id, sizeof out->id, "%s", id);
	return 0;
}

int vx_store_session_end(vx_store *s, const char *id)
{
	char digest[65];
	if (!is_hex_id(id))
		return 0;
	vx_store_sha256_hex(id, digest);
	const char *params[] = {digest};
	return s->ops->rows(s, "DELETE FROM sessions WHERE id_sha256 = $1 RETURNING id_sha256", 1, params,
	                    "fin d'une session", NULL, NULL);
}

/* The table of each limit. */
static const char *limit_table(vx_limit limit)
{
	switch (limit) {
	case VX_LIMIT_LOGIN: return "login_throttles";
	case VX_LIMIT_FORM: return "form_rates";
	}
	return NULL;
}

typedef struct taken {
	long long attempts, since;
} taken;

static int taken_of(const char *const *cols, int ncols, void *payload)
{
	taken *t = payload;
	t->attempts = strtoll(vx_store_col(cols, ncols, 0), NULL, 10);
	t->since = strtoll(vx_store_col(cols, ncols, 1), NULL, 10);
	return 0;
}

int vx_store_limit_take(vx_store *s, vx_limit limit, const char *name, long long now, long long window, unsigned max,
                        long long *wait)
{
	const char *table = limit_table(limit);
	char sql[768], at[24], start[24];
	taken t = {0, now};
	int rc;
	*wait = 0;
	if (table == NULL)
		return vx_error_set(VX_EINVAL, "%s: unknown limit %d", __func__, (int)limit);
	snprintf(at, sizeof at, "%lld", now);
	/* A window that began at or before start is over. */
	snprintf(start, sizeof start, "%lld", now - window);
	/* Both sides of each CASE read the row as it was: the count starts
	 * again with a new window. */
	snprintf(sql, sizeof sql,
	         "INSERT INTO %s(name, attempts, since) VALUES($1, 1, CAST($2 AS BIGINT)) "
	         "ON CONFLICT(name) DO UPDATE SET "
	         " attempts = CASE WHEN %s.since <= CAST($3 AS BIGINT) THEN 1 ELSE %s.attempts + 1 END, "
	         " since = CASE WHEN %s.since <= CAST($3 AS BIGINT) THEN excluded.since ELSE %s.since END "
	         "RETURNING attempts, since",
	         table, table, table, table, table);
	const char *params[] = {name ? name : "", at, start};
	if ((rc = s->ops->rows(s, sql, 3, params, "comptage d'une tentative", taken_of, &t)) != 0)
		return rc;
	if (t.attempts > (long long)max) {
		*wait = t.since + window - now;
		if (*wait < 1)
			*wait = 1;
	} else if (t.attempts == 1) {
		/* A new window: the windows over are removed now and then, here. */
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE since <= CAST($1 AS BIGINT) RETURNING name", table);
		rc = s->ops->rows(s, sql, 1, params + 2, "suppression des anciennes tentatives", NULL, NULL);
	}
	return rc;
}

int vx_store_limit_clear(vx_store *s, vx_limit limit, const char *name)
{
	const char *table = limit_table(limit);
	char sql[128];
	if (table == NULL)
		return vx_error_set(VX_EINVAL, "%s: unknown limit %d", __func__, (int)limit);
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE name = $1 RETURNING name", table);
	const char *params[] = {name ? name : ""};
	return s->ops->rows(s, sql, 1, params, "oubli des tentatives", NULL, NULL);
}

typedef struct secret_ctx {
	char hex[2 * 64 + 1];
	int found;
} secret_ctx;

static int secret_of(const char *const *cols, int ncols, void *payload)
{
	secret_ctx *c = payload;
	snprintf(c->hex, sizeof c->hex, "%s", vx_store_col(cols, ncols, 0));
	c->found = 1;
	return 0;
}

/* Longest secret, in bytes. */
#define SECRET_MAX 64

int vx_store_secret(vx_store *s, const char *name, unsigned char *out, size_t len)
{
	unsigned char raw[SECRET_MAX];
	char hex[2 * SECRET_MAX + 1], created[32];
	secret_ctx c = {"", 0};
	size_t got = 0;
	int rc;
	if (len == 0 || len > SECRET_MAX)
		return vx_error_set(VX_EINVAL, "vx_store_secret: a secret has 1 to %d bytes", SECRET_MAX);
	if (sodium_init() < 0)
		return vx_error_set(VX_ENOMEM, "libsodium could not be initialised");
	randombytes_buf(raw, len);
	sodium_bin2hex(hex, sizeof hex, raw, len);
	sodium_memzero(raw, sizeof raw);
	vx_store_iso_time(created, (long long)time(NULL));
	const char *params[] = {name, hex, created};
	/* The first server's wins; the others read it. */
	rc = s->ops->rows(s,
	                  "INSERT INTO server_secrets(name, value, created) VALUES($1, $2, $3) "
	                  "ON CONFLICT(name) DO NOTHING RETURNING name",
	                  3, params, "enregistrement d'un secret", NULL, NULL);
	sodium_memzero(hex, sizeof hex);
	if (rc == 0)
		rc = s->ops->rows(s, "SELECT value FROM server_secrets WHERE name = $1", 1, params,
		                  "lecture d'un secret", secret_of, &c);
	if (rc == 0 && (!c.found || sodium_hex2bin(out, len, c.hex, strlen(c.hex), NULL, &got, NULL) != 0 || got != len))
		rc = vx_error_set(VX_EFORMAT, "base de données : le secret « %s » ne fait pas %zu octets", name, len);
	sodium_memzero(c.hex, sizeof c.hex);
	return rc;
}
