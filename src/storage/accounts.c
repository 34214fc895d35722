/*
 * Users, API tokens and the reads of the dashboard (include/voix/accounts.h).
 * Passwords are hashed with libsodium's crypto_pwhash_str (argon2id, its
 * interactive limits: about 0.1 s and 64 MiB per check, which is what
 * makes guessing slow); tokens are 32 random bytes, stored as a SHA-256.
 * Every query goes through the store's ops (store_internal.h), in SQL
 * that SQLite and PostgreSQL read alike, so accounts work on both.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The current time as stored in the created columns (UTC, ISO 8601). */
static void now_iso(char out[32])
{
	vx_store_iso_time(out, (long long)time(NULL));
}

int vx_store_user_add(vx_store *s, const char *name, vx_role role, const char *password)
{
	char hash[crypto_pwhash_STRBYTES], created[32];
	long long rows = 0;
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
	now_iso(created);
	const char *params[] = {name, role_names[role], hash, created};
	rc = s->ops->rows(s,
	                  "INSERT INTO users(name, role, hash, created) VALUES($1, $2, $3, $4) "
	                  "ON CONFLICT(name) DO UPDATE SET role = excluded.role, hash = excluded.hash RETURNING id",
	                  4, params, "ajout d'un compte", vx_store_count_row, &rows);
	sodium_memzero(hash, sizeof hash);
	if (rc == 0 && rows != 1)
		rc = vx_error_set(VX_EDB, "base de données : ajout d'un compte : rien n'a été écrit");
	return rc;
}

typedef struct password_row {
	char hash[crypto_pwhash_STRBYTES];
	char role[32];
	int found;
} password_row;

static int password_of(const char *const *cols, int ncols, void *payload)
{
	password_row *p = payload;
	snprintf(p->hash, sizeof p->hash, "%s", vx_store_col(cols, ncols, 0));
	snprintf(p->role, sizeof p->role, "%s", vx_store_col(cols, ncols, 1));
	p->found = 1;
	return 0;
}

int vx_store_user_check(vx_store *s, const char *name, const char *password, vx_role *role)
{
	password_row p = {{0}, {0}, 0};
	const char *params[] = {name ? name : ""};
	int rc = sodium_ready();
	if (rc)
		return rc;
	if ((rc = s->ops->rows(s, "SELECT hash, role FROM users WHERE name = $1", 1, params,
	                       "vérification d'un mot de passe", password_of, &p)) != 0)
		return rc;
	if (p.found && password && crypto_pwhash_str_verify(p.hash, password, strlen(password)) == 0)
		return vx_account_role_parse(role, p.role);
	return vx_error_set(VX_ENOTFOUND, "nom d'utilisateur ou mot de passe incorrect");
}

int vx_store_user_count(vx_store *s, size_t *count)
{
	long long n = 0;
	int rc = vx_store_number(s, "SELECT count(*) FROM users", 0, NULL, "comptage des comptes", &n);
	*count = rc ? 0 : (size_t)n;
	return rc;
}

/* The hexadecimal SHA-256 of a token's digits, as stored. */
void vx_store_sha256_hex(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, d, sizeof d);
}

int vx_store_token_add(vx_store *s, const char *user, char out[VX_TOKEN_LEN + 1])
{
	unsigned char raw[VX_TOKEN_LEN / 2];
	char digest[65], created[32];
	long long rows = 0;
	int rc = sodium_ready();
	out[0] = '\0';
	if (rc)
		return rc;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, VX_TOKEN_LEN + 1, raw, sizeof raw);
	vx_store_sha256_hex(out, digest);
	now_iso(created);
	const char *params[] = {digest, user ? user : "", created};
	/* CAST: PostgreSQL cannot tell the type of a bare parameter in a
	 * SELECT list. */
	rc = s->ops->rows(s,
	                  "INSERT INTO tokens(sha256, user_id, created) SELECT CAST($1 AS TEXT), id, CAST($3 AS TEXT) "
	                  "FROM users WHERE name = $2 RETURNING sha256",
	                  3, params, "ajout d'un jeton", vx_store_count_row, &rows);
	if (rc == 0 && rows == 0)
		rc = vx_error_set(VX_ENOTFOUND, "utilisateur inconnu « %s »", user ? user : "");
	if (rc)
		out[0] = '\0';
	return rc;
}

typedef struct token_row {
	char *user;
	size_t cap;
	char role[32];
	int found;
} token_row;

static int token_of(const char *const *cols, int ncols, void *payload)
{
	token_row *t = payload;
	snprintf(t->user, t->cap, "%s", vx_store_col(cols, ncols, 0));
	snprintf(t->role, sizeof t->role, "%s", vx_store_col(cols, ncols, 1));
	t->found = 1;
	return 0;
}

int vx_store_token_check(vx_store *s, const char *token, char *user, size_t cap, vx_role *role)
{
	char digest[65];
	token_row t = {user, cap, {0}, 0};
	int rc = sodium_ready();
	if (rc)
		return rc;
	if (token == NULL || strlen(token) != VX_TOKEN_LEN)
		return vx_error_set(VX_ENOTFOUND, "jeton inconnu");
	vx_store_sha256_hex(token, digest);
	const char *params[] = {digest};
	if ((rc = s->ops->rows(s,
	                       "SELECT u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.sha256 = $1",
	                       1, params, "vérification d'un jeton", token_of, &t)) != 0)
		return rc;
	if (!t.found)
		return vx_error_set(VX_ENOTFOUND, "jeton inconnu");
	return vx_account_role_parse(role, t.role);
}

int vx_store_data_version(vx_store *s, long long *version)
{
	/* Every change of the experiences is an import, which adds a row. */
	return vx_store_number(s, "SELECT coalesce(max(id), 0) FROM imports", 0, NULL,
	                       "lecture de la version des données", version);
}

typedef struct sources_ctx {
	int (*cb)(const vx_source_row *row, void *payload);
	void *payload;
} sources_ctx;

static int source_of(const char *const *cols, int ncols, void *payload)
{
	sources_ctx *c = payload;
	vx_source_row row = {vx_store_col(cols, ncols, 0), vx_store_col(cols, ncols, 1), vx_store_col(cols, ncols, 2),
	                     strtoll(vx_store_col(cols, ncols, 3), NULL, 10), strtoll(vx_store_col(cols, ncols, 4), NULL, 10),
	                     strtoll(vx_store_col(cols, ncols, 7), NULL, 10), vx_store_col(cols, ncols, 5), vx_store_col(cols, ncols, 6),
	                     vx_store_col(cols, ncols, 8), vx_store_col(cols, ncols, 9)};
	return c->cb(&row, c->payload);
}

int vx_store_sources(vx_store *s, int (*cb)(const vx_source_row *row, void *payload), void *payload)
{
	sources_ctx c = {cb, payload};
	return s->ops->rows(s,
	                    "SELECT s.path, s.sha256, s.format, s.rows_read, s.rows_rejected, "
	                    " s.first_imported, s.last_imported, count(e.id), "
	                    " min(nullif(e.date, '')), max(nullif(e.date, '')) "
	                    "FROM sources s LEFT JOIN experiences e ON e.source_id = s.id "
	                    "GROUP BY s.id ORDER BY s.last_imported DESC, s.id DESC",
	                    0, NULL, "liste des sources", source_of, &c);
}

typedef struct users_ctx {
	int (*cb)(const char *name, vx_role role, const char *created, void *payload);
	void *payload;
} users_ctx;

static int user_of(const char *const *cols, int ncols, void *payload)
{
	users_ctx *c = payload;
	vx_role role = VX_ROLE_NONE;
	vx_account_role_parse(&role, vx_store_col(cols, ncols, 1));
	return c->cb(vx_store_col(cols, ncols, 0), role, vx_store_col(cols, ncols, 2), c->payload);
}

int vx_store_users(vx_store *s, int (*cb)(const char *name, vx_role role, const char *created, void *payload),
                   void *payload)
{
	users_ctx c = {cb, payload};
	return s->ops->rows(s, "SELECT name, role, created FROM users ORDER BY name", 0, NULL, "liste des comptes",
	                    user_of, &c);
}

typedef struct agent_row {
	int found;
	char role[32];
	int structure_known;
} agent_row;

static int agent_of(const char *const *cols, int ncols, void *payload)
{
	agent_row *a = payload;
	a->found = 1;
	snprintf(a->role, sizeof a->role, "%s", vx_store_col(cols, ncols, 0));
	a->structure_known = strcmp(vx_store_col(cols, ncols, 1), "0") != 0;
	return 0;
}

int vx_store_agent_attach(vx_store *s, const char *user, const char *code)
{
	const char *params[] = {user ? user : "", code ? code : ""};
	agent_row a = {0};
	int rc = s->ops->rows(s,
	                      "SELECT u.role, (SELECT count(*) FROM structures WHERE code = $2) FROM users u "
	                      "WHERE u.name = $1",
	                      2, params, "rattachement d'un compte à une structure", agent_of, &a);
	if (rc)
		return rc;
	if (!a.found)
		return vx_error_set(VX_ENOTFOUND, "utilisateur inconnu « %s »", params[0]);
	if (strcmp(a.role, role_names[VX_ROLE_AGENT]) != 0)
		return vx_error_set(VX_EINVAL, "« %s » n'a pas le rôle agent", params[0]);
	if (!a.structure_known)
		return vx_error_set(VX_ENOTFOUND, "structure inconnue « %s » (voix structures import d'abord)", params[1]);
	long long rows = 0;
	return s->ops->rows(s,
	                    "INSERT INTO agent_structures(user_id, structure_code) "
	                    "SELECT id, $2 FROM users WHERE name = $1 ON CONFLICT DO NOTHING RETURNING user_id",
	                    2, params, "rattachement d'un compte à une structure", vx_store_count_row, &rows);
}

typedef struct code_ctx {
	int (*cb)(const char *code, void *payload);
	void *payload;
} code_ctx;

static int code_of(const char *const *cols, int ncols, void *payload)
{
	code_ctx *c = payload;
	return c->cb(vx_store_col(cols, ncols, 0), c->payload);
}

int vx_store_agent_structures(vx_store *s, const char *user, int (*cb)(const char *code, void *payload),
                              void *payload)
{
	const char *params[] = {user ? user : ""};
	code_ctx c = {cb, payload};
	return s->ops->rows(s,
	                    "SELECT a.structure_code FROM agent_structures a JOIN users u ON u.id = a.user_id "
	                    "WHERE u.name = $1 ORDER BY a.structure_code",
	                    1, params, "liste des structures d'un compte", code_of, &c);
}
