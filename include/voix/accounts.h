/*
 * Accounts of the dashboard (voix serve), kept in the store: users with a
 * role and a password hashed with argon2id (libsodium), and API tokens,
 * of which only a SHA-256 is stored. Also the few reads the dashboard needs
 * about what was imported. See docs/storage.md (schema versions 4 and 7).
 */
#ifndef VOIX_ACCOUNTS_H
#define VOIX_ACCOUNTS_H

#include <stddef.h>

#include "voix/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a user may do: see vx_account_role_allows. */
typedef enum vx_role {
	VX_ROLE_NONE = 0,      /* not signed in */
	VX_ROLE_READER = 1,    /* "lecteur": reads notes */
	VX_ROLE_ANALYST = 2,   /* "analyste": also imports and reads the experiences */
	VX_ROLE_ADMIN = 3,     /* "administrateur": everything, accounts and the audit log included */
	VX_ROLE_MODERATOR = 4, /* "moderateur": reads notes, moderates collected experiences */
	VX_ROLE_AGENT = 5,     /* "agent": reads notes, replies for the structures they are attached to */
} vx_role;

/* 1 when a user of role have may do what needs role need: anyone may do
 * what needs VX_ROLE_NONE; an administrator anything; reader < analyst <
 * administrator; a moderator and an agent are readers with one more right
 * each, which no other role but the administrator has. */
int vx_account_role_allows(vx_role have, vx_role need);

/* The role named name ("lecteur", "analyste", "administrateur",
 * "moderateur", "agent"). Returns 0 or VX_EINVAL with a French message
 * listing them. */
int vx_account_role_parse(vx_role *out, const char *name);

/* The French name of a role, "" for VX_ROLE_NONE. */
const char *vx_account_role_name(vx_role r);

/* Shortest password accepted. */
#define VX_PASSWORD_MIN 8
/* Longest user name. */
#define VX_USER_NAME_MAX 64
/* Length of a token as given to its user: 64 hexadecimal digits. */
#define VX_TOKEN_LEN 64

/* Creates the user name with role and password, or changes the role and
 * password of an existing one. Errors: VX_EINVAL (empty or too long name,
 * name with control characters, password shorter than VX_PASSWORD_MIN),
 * VX_EDB, VX_ENOMEM. */
int vx_store_user_add(vx_store *s, const char *name, vx_role role, const char *password);

/* Checks a password. Writes the user's role to *role. Errors: VX_ENOTFOUND
 * for an unknown user or a wrong password (one message for both), VX_EDB. */
int vx_store_user_check(vx_store *s, const char *name, const char *password, vx_role *role);

/* Number of users. Errors: VX_EDB. */
int vx_store_user_count(vx_store *s, size_t *count);

/* Calls cb for every user, by name (strings live until cb returns). A
 * non-zero return of cb stops and is returned. Errors: VX_EDB. */
int vx_store_users(vx_store *s, int (*cb)(const char *name, vx_role role, const char *created, void *payload),
                   void *payload);

/* Attaches the agent user to the structure code of the referential
 * (voix/collect.h): they may reply to its experiences. Errors:
 * VX_ENOTFOUND (no such user or structure), VX_EINVAL (user is not an
 * agent), VX_EDB. */
int vx_store_agent_attach(vx_store *s, const char *user, const char *code);

/* Calls cb with each structure code user is attached to, by code. A
 * non-zero return of cb stops and is returned. Errors: VX_EDB. */
int vx_store_agent_structures(vx_store *s, const char *user, int (*cb)(const char *code, void *payload),
                              void *payload);

/* Makes a new random API token for user and writes it to out (VX_TOKEN_LEN
 * digits and a NUL). Only its SHA-256 is stored. Errors: VX_ENOTFOUND (no
 * such user), VX_EDB. */
int vx_store_token_add(vx_store *s, const char *user, char out[VX_TOKEN_LEN + 1]);

/* The user (copied to user, cap bytes) and role of a token. Errors:
 * VX_ENOTFOUND for an unknown token, VX_EDB. */
int vx_store_token_check(vx_store *s, const char *token, char *user, size_t cap, vx_role *role);

/* A number that changes whenever an import changes the stored
 * experiences: a cache of notes keys on it. Errors: VX_EDB. */
int vx_store_data_version(vx_store *s, long long *version);

/* ---- what voix serve shares between its processes --------------------
 * Sessions, attempt counters and secrets live in the store, so that
 * several servers on one database (PostgreSQL) are one service: a login
 * on one is known to the others, attempts on all count together. Times
 * are Unix seconds given by the caller (its clock). */

/* Digits of a session id and of its CSRF token (32 random bytes). */
#define VX_SESSION_ID_LEN 64

typedef struct vx_store_session {
	char id[VX_SESSION_ID_LEN + 1];    /* given to the browser; the store keeps its SHA-256 */
	char csrf[VX_SESSION_ID_LEN + 1];
	char user[VX_USER_NAME_MAX + 1];   /* "" for a login form's session */
	vx_role role;                      /* VX_ROLE_NONE for a login form's session */
	long long expires;
} vx_store_session;

/* Creates a session of user (NULL: a login form's, VX_ROLE_NONE) with new
 * random id and token, lasting until expires, into *out. Sessions expired
 * at now are removed; beyond keep sessions, those that expire first.
 * Errors: VX_EDB (read-only store included). */
int vx_store_session_create(vx_store *s, const char *user, vx_role role, long long now, long long expires, size_t keep,
                            vx_store_session *out);

/* The session id, live at now, into *out. Errors: VX_ENOTFOUND (unknown,
 * expired or ended, or not VX_SESSION_ID_LEN digits), VX_EDB. */
int vx_store_session_find(vx_store *s, const char *id, long long now, vx_store_session *out);

/* Ends the session id (none: nothing happens). Errors: VX_EDB. */
int vx_store_session_end(vx_store *s, const char *id);

/* Attempt counters: login attempts per user name, submissions of the
 * public form per client address. */
typedef enum vx_limit {
	VX_LIMIT_LOGIN,
	VX_LIMIT_FORM,
} vx_limit;

/* Counts one attempt of name for limit: at most max in window seconds
 * from the first (then the count starts again). *wait: 0 when this one is
 * within the limit, else the seconds until the window ends (at least 1).
 * One statement, so that attempts on several servers at once all count.
 * Errors: VX_EDB, VX_EINVAL (unknown limit). */
int vx_store_limit_take(vx_store *s, vx_limit limit, const char *name, long long now, long long window, unsigned max,
                        long long *wait);

/* Forgets the attempts of name (a login that proved right). Errors:
 * VX_EDB, VX_EINVAL. */
int vx_store_limit_clear(vx_store *s, vx_limit limit, const char *name);

/* The secret called name (len random bytes, made by the first server that
 * asks and kept in the store: every server gets the same) into out.
 * Errors: VX_EDB, VX_EFORMAT (a stored secret of another length). */
int vx_store_secret(vx_store *s, const char *name, unsigned char *out, size_t len);

typedef struct vx_source_row {
	const char *path;
	const char *sha256;
	const char *format;
	long long rows_read, rows_rejected, experiences;
	const char *first_imported, *last_imported;
	const char *period_from, *period_to; /* dates of its experiences, "" when none */
} vx_source_row;

/* Calls cb for every stored source, the last imported first; the row's
 * strings live until cb returns. A non-zero return of cb stops and is
 * returned. Errors: VX_EDB. */
int vx_store_sources(vx_store *s, int (*cb)(const vx_source_row *row, void *payload), void *payload);

#ifdef __cplusplus
}
#endif
#endif
