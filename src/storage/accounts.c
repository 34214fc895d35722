/*
 * Users, API tokens and the reads of the dashboard (include/voix/accounts.h).
 * Passwords are hashed with libsodium's crypto_pwhash_str (argon2id, its
 * interactive limits: about 0.1 s and 64 MiB per check, which is what
 * makes guessing slow); tokens are 32 random bytes, stored as a SHA-256.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "storage/store_internal.h"
#include "voix/accounts.h"
#include "voix/error.h"

static const char *const role_names[] = {"", "lecteur", "analyste", "administrateur", "moderateur", "agent"};

int vx_account_role_parse(vx_role *out, const char *name)
{
	for (int r = VX_ROLE_READER; r <= VX_ROLE_AGENT; r++)
		if (name && strcmp(name, role_names[r]) == 0) {
			*out = (vx_role)r;
			return 0;
		}
	return vx_error_set(VX_EINVAL, "rôle inconnu « %s » (lecteur, analyste, administrateur, moderateur ou agent)",
	                    name ? name : "");
}

const char *vx_account_role_name(vx_role r)
{
	return r >= VX_ROLE_NONE && r <= VX_ROLE_AGENT ? role_names[r] : "";
}

int vx_account_role_allows(vx_role have, vx_role need)
{
	if (need == VX_ROLE_NONE || have == need || have == VX_ROLE_ADMIN)
		return 1;
	/* Every account reads notes; no other right is shared. */
	return need == VX_ROLE_READER && have != VX_ROLE_NONE;
}

static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return vx_error_set(VX_ENOMEM, "libsodium could not be initialised");
	return 0;
}

static int valid_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > VX_USER_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

int vx_store_user_add(vx_store *s, const char *name, vx_role role, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st = NULL;
	int rc = sodium_ready();
	if (rc)
		return rc;
	if (!valid_name(name))
		return vx_error_set(VX_EINVAL, "nom d'utilisateur vide, trop long (plus de %d octets) ou avec des "
		                               "caractères de contrôle", VX_USER_NAME_MAX);
	if (role < VX_ROLE_READER || role > VX_ROLE_AGENT)
		return vx_error_set(VX_EINVAL, "rôle inconnu");
	if (password == NULL || strlen(password) < VX_PASSWORD_MIN)
		return vx_error_set(VX_EINVAL, "mot de passe trop court (au moins %d caractères)", VX_PASSWORD_MIN);
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return vx_error_set(VX_ENOMEM, "out of memory hashing the password");
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO users(name, role, hash, created) VALUES(?1, ?2, ?3, "
	                       "strftime('%Y-%m-%dT%H:%M:%SZ','now')) "
	                       "ON CONFLICT(name) DO UPDATE SET role = excluded.role, hash = excluded.hash",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "adding a user");
		goto done;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role_names[role], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "adding a user");
done:
	sqlite3_finalize(st);
	return rc;
}

int vx_store_user_check(vx_store *s, const char *name, const char *password, vx_role *role)
{
	sqlite3_stmt *st = NULL;
	int rc = sodium_ready(), r;
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT hash, role FROM users WHERE name = ?1", -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "checking a password");
		goto done;
	}
	sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(st, 0);
		if (password && hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0) {
			rc = vx_account_role_parse(role, (const char *)sqlite3_column_text(st, 1));
			goto done;
		}
	} else if (r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "checking a password");
		goto done;
	}
	rc = vx_error_set(VX_ENOTFOUND, "nom d'utilisateur ou mot de passe incorrect");
done:
	sqlite3_finalize(st);
	return rc;
}

static int count_rows(vx_store *s, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		rc = vx_store_db_error(s->db, "counting");
	else
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int vx_store_user_count(vx_store *s, size_t *count)
{
	long long n = 0;
	int rc = count_rows(s, "SELECT count(*) FROM users", &n);
	*count = rc ? 0 : (size_t)n;
	return rc;
}

/* The hexadecimal SHA-256 of a token's digits, as stored. */
static void token_digest(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, d, sizeof d);
}

int vx_store_token_add(vx_store *s, const char *user, char out[VX_TOKEN_LEN + 1])
{
	unsigned char raw[VX_TOKEN_LEN / 2];
	char digest[65];
	sqlite3_stmt *st = NULL;
	int rc = sodium_ready();
	out[0] = '\0';
	if (rc)
		return rc;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, VX_TOKEN_LEN + 1, raw, sizeof raw);
	token_digest(out, digest);
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO tokens(sha256, user_id, created) SELECT ?1, id, "
	                       "strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM users WHERE name = ?2",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "adding a token");
		goto done;
	}
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user ? user : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "adding a token");
	else if (sqlite3_changes(s->db) == 0)
		rc = vx_error_set(VX_ENOTFOUND, "utilisateur inconnu « %s »", user ? user : "");
done:
	sqlite3_finalize(st);
	if (rc)
		out[0] = '\0';
	return rc;
}

int vx_store_token_check(vx_store *s, const char *token, char *user, size_t cap, vx_role *role)
{
	char digest[65];
	sqlite3_stmt *st = NULL;
	int rc = sodium_ready(), r;
	if (rc)
		return rc;
	if (token == NULL || strlen(token) != VX_TOKEN_LEN)
		return vx_error_set(VX_ENOTFOUND, "jeton inconnu");
	token_digest(token, digest);
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id "
	                       "WHERE t.sha256 = ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "checking a token");
		goto done;
	}
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		snprintf(user, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = vx_account_role_parse(role, (const char *)sqlite3_column_text(st, 1));
	} else if (r == SQLITE_DONE) {
		rc = vx_error_set(VX_ENOTFOUND, "jeton inconnu");
	} else {
		rc = vx_store_db_error(s->db, "checking a token");
	}
done:
	sqlite3_finalize(st);
	return rc;
}

int vx_store_data_version(vx_store *s, long long *version)
{
	/* Every change of the experiences is an import, which adds a row. */
	return count_rows(s, "SELECT coalesce(max(id), 0) FROM imports", version);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

int vx_store_sources(vx_store *s, int (*cb)(const vx_source_row *row, void *payload), void *payload)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT s.path, s.sha256, s.format, s.rows_read, s.rows_rejected, "
	                       " s.first_imported, s.last_imported, count(e.id), "
	                       " min(nullif(e.date, '')), max(nullif(e.date, '')) "
	                       "FROM sources s LEFT JOIN experiences e ON e.source_id = s.id "
	                       "GROUP BY s.id ORDER BY s.last_imported DESC, s.id DESC",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "listing the sources");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_source_row row = {col(st, 0), col(st, 1), col(st, 2), sqlite3_column_int64(st, 3),
		                     sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 7), col(st, 5),
		                     col(st, 6), col(st, 8), col(st, 9)};
		if ((rc = cb(&row, payload)) != 0)
			break;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "listing the sources");
	sqlite3_finalize(st);
	return rc;
}

int vx_store_users(vx_store *s, int (*cb)(const char *name, vx_role role, const char *created, void *payload),
                   void *payload)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db, "SELECT name, role, created FROM users ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "listing the users");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_role role = VX_ROLE_NONE;
		vx_account_role_parse(&role, col(st, 1));
		if ((rc = cb(col(st, 0), role, col(st, 2), payload)) != 0)
			break;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "listing the users");
	sqlite3_finalize(st);
	return rc;
}

int vx_store_agent_attach(vx_store *s, const char *user, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT u.id, u.role, (SELECT count(*) FROM structures WHERE code = ?2) "
	                       "FROM users u WHERE u.name = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "attaching an agent");
	sqlite3_bind_text(st, 1, user ? user : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code ? code : "", -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		rc = vx_error_set(VX_ENOTFOUND, "utilisateur inconnu « %s »", user ? user : "");
	else if (r != SQLITE_ROW)
		rc = vx_store_db_error(s->db, "attaching an agent");
	else if (strcmp(col(st, 1), role_names[VX_ROLE_AGENT]) != 0)
		rc = vx_error_set(VX_EINVAL, "« %s » n'a pas le rôle agent", user);
	else if (sqlite3_column_int(st, 2) == 0)
		rc = vx_error_set(VX_ENOTFOUND, "structure inconnue « %s » (voix structures import d'abord)", code ? code : "");
	long long id = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO agent_structures(user_id, structure_code) VALUES(?1, ?2) "
	                       "ON CONFLICT DO NOTHING",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "attaching an agent");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "attaching an agent");
	sqlite3_finalize(st);
	return rc;
}

int vx_store_agent_structures(vx_store *s, const char *user, int (*cb)(const char *code, void *payload),
                              void *payload)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT a.structure_code FROM agent_structures a JOIN users u ON u.id = a.user_id "
	                       "WHERE u.name = ?1 ORDER BY a.structure_code",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "listing an agent's structures");
	sqlite3_bind_text(st, 1, user ? user : "", -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(col(st, 0), payload)) != 0)
			break;
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "listing an agent's structures");
	sqlite3_finalize(st);
	return rc;
}
