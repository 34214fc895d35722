/*
 * What the server's modules share: the server's state, a request being
 * answered, the route table's entries and the handlers (pages.c, api.c),
 * and the cache of notes (notes.c).
 */
#ifndef VX_SERVING_HANDLERS_H
#define VX_SERVING_HANDLERS_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "serving/params.h"
#include "serving/server.h"
#include "voix/accounts.h"
#include "voix/analysis.h"
#include "voix/privacy.h"
#include "voix/render.h"
#include "voix/store.h"

/* Sessions kept at once (in the store, shared by the servers on one
 * database); beyond, those that expire first are dropped. Each is a row of
 * about 250 bytes. */
#define VX_SESSIONS_MAX 10000
/* A signed-in session lasts a working day; a login form's half an hour. */
#define VX_SESSION_SECONDS (8 * 3600)
#define VX_LOGIN_FORM_SECONDS 1800
/* After VX_LOGIN_MAX_FAILURES wrong passwords for a name, its logins are
 * refused for VX_LOGIN_LOCK_SECONDS (on top of argon2id's cost). */
#define VX_LOGIN_MAX_FAILURES 5
#define VX_LOGIN_LOCK_SECONDS 900
/* Notes kept (each with its rendered HTML): a few filter sets per day. */
#define VX_CACHE_MAX 8
/* Experiences per page of the drill-down and the search. */
#define VX_PAGE_SIZE 20
/* Largest page the API gives. */
#define VX_API_MAX_LIMIT 200

typedef struct vx_session {
	char id[65];
	char csrf[65];
	char user[VX_USER_NAME_MAX + 1];
	vx_role role;            /* VX_ROLE_NONE: a login form not yet sent */
	time_t expires;
} vx_session;

/* The store loaded once for a data version. Notes of that version are
 * built from its analysis one at a time (run: the options are the
 * analysis's own), while requests read its corpus at the same time (a
 * build does not change it). Freed when its last reference goes. */
typedef struct vx_loaded {
	vx_analysis *analysis;
	long long version;
	unsigned refs;           /* under srv->lock */
	pthread_mutex_t run;
} vx_loaded;

typedef struct vx_cache_entry {
	char *key;               /* data version and options */
	vx_note *note;           /* built with memberships */
	char *html;              /* the library's HTML rendering */
	size_t html_len;
	double seconds;          /* time spent building it */
	unsigned long used;      /* for least-recently-used eviction */
	vx_loaded *loaded;       /* what it was built from: its corpus */
	unsigned refs;           /* the cache's, and one per request using it; under srv->lock */
} vx_cache_entry;

/* What one request works with, taken from a pool for its duration: a
 * store connection (read-only) and a masker, neither of which may be used
 * from two threads at once. There are as many as threads that answer. */
typedef struct vx_worker {
	vx_store *store;
	vx_masker *masker;
	int busy;                /* under srv->pool_lock */
} vx_worker;

/* Threads when the options do not say and the number of processors is
 * unknown. */
#define VX_THREADS_DEFAULT 2

struct vx_server {
	/* Read-write connection, for the requests that write (POST), one at a
	 * time under write_lock (recursive: a POST's own session writes take it
	 * again); every other request reads through a worker. On a store with
	 * concurrent_writes (PostgreSQL) a POST writes through its worker's
	 * connection, which is read-write there, without the lock. */
	vx_store *store;
	pthread_mutex_t write_lock;
	int concurrent_writes;
	vx_worker *workers;
	size_t n_workers;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_free;
	/* lock guards what follows up to the options: the loaded store, the
	 * cache, the last rejects. Sessions and throttles are in the store. */
	pthread_mutex_t lock;
	pthread_mutex_t load_lock;  /* one load of the store at a time */
	vx_loaded *loaded;          /* the latest data version loaded, NULL: none */
	vx_cache_entry *cache[VX_CACHE_MAX];
	unsigned long tick;
	char *rejects_csv;       /* rejects of the last upload */
	unsigned long imports;   /* uploads so far: the rejects file's number */
	int dsfr, secure_cookies;
	size_t max_upload;
	unsigned threads;        /* libmicrohttpd's pool (listen.c) */
	time_t (*now)(void);
	void *daemon;            /* struct MHD_Daemon (listen.c) */
	struct vx_collect_state *collect; /* the public form's key, read from the store (collect.c) */
	unsigned port;
};

/* Notes a request may hold at once (the compare page holds two). */
#define VX_RQ_NOTES_MAX 2

typedef struct vx_rq {
	vx_server *srv;
	const vx_http_request *req;
	vx_http_response *resp;
	vx_store *store;         /* the worker's, or srv->store for a POST on SQLite */
	vx_masker *masker;
	vx_worker *worker;
	vx_params query, form;
	vx_part parts[VX_PARTS_MAX];
	size_t n_parts;
	vx_session *sess;        /* NULL, or &sess_copy */
	vx_session sess_copy;    /* the session as found or created */
	vx_role role;
	char user[VX_USER_NAME_MAX + 1];
	int api, by_token;
	vx_cache_entry *notes[VX_RQ_NOTES_MAX];  /* held until the request ends */
	size_t n_notes;
} vx_rq;

typedef struct vx_route {
	const char *method, *path;
	vx_role min_role;
	int api;
	int (*fn)(vx_rq *rq);
} vx_route;

/* An error response: the JSON error shape under /api/, a page elsewhere.
 * Returns 0 or VX_ENOMEM. */
int vx_fail(vx_rq *rq, int status, const char *message);
void vx_redirect(vx_rq *rq, const char *to);

/* Sessions live in the store (voix/accounts.h), written through the
 * read-write connection, so that every server on the database knows them.
 * Creates a session (user NULL and VX_ROLE_NONE: a login form's) and
 * copies it to *out (zeroed on failure). Returns 0 or an error of the
 * store (VX_EDB). */
int vx_session_create(vx_server *srv, const char *user, vx_role role, vx_session *out);
/* Ends the session id (signed out, or replaced at sign-in). 0 or VX_EDB. */
int vx_session_end(vx_server *srv, const char *id);
/* Sets the session cookie of s, or clears it (s NULL). */
void vx_session_cookie(vx_rq *rq, const vx_session *s);
/* Counts a login attempt for name before its password is checked, so that
 * attempts at the same time (on any server of the database) count too: 0
 * when it may go on, 1 when name has had too many failures lately, a
 * negative VX_E... when the store failed. */
int vx_throttle_try(vx_server *srv, const char *name);
/* The password of name was right: its attempts are forgotten. 0 or
 * VX_EDB. */
int vx_throttle_clear(vx_server *srv, const char *name);
/* Frees the cache and the loaded store. */
void vx_server_cache_clear(vx_server *srv);
/* Drops one reference to e (NULL-safe), and frees it with the last one;
 * srv->lock must be held. */
void vx_cache_entry_unref(vx_cache_entry *e);

/* The note of the filters in rq's query string, from the cache or built;
 * rq holds it (and the corpus it was built from, (*entry)->loaded) until
 * the request ends. Returns 0 with *entry set, or an error already answered (status >= 400
 * in rq->resp: bad filter 400, nothing to analyse 422) as 1; VX_ENOMEM. */
int vx_note_for(vx_rq *rq, vx_cache_entry **entry, int *hit);
/* The same with each filter NAME read from the query as prefix NAME
 * ("a_since"), else as NAME: two notes side by side share the filters
 * they do not set apart. */
int vx_note_for_prefix(vx_rq *rq, const char *prefix, vx_cache_entry **entry, int *hit);

/* The names of the note filters read from a query string. */
extern const char *const vx_note_filter_names[];
extern const size_t vx_note_filter_count;

/* Reads an uploaded export (name, data) and imports it. Fills counts and
 * keeps its rejects as srv->rejects_csv, numbered *number. Writes through rq->store (a POST's
 * is the server's read-write connection). Returns 0, or 1 after answering
 * the error (400 unreadable, 422 empty); VX_ENOMEM. */
int vx_import_upload(vx_rq *rq, const char *name, size_t name_len, const char *data, size_t len,
                     vx_import_counts *counts, size_t *rejected, unsigned long *number);

/* The page's head, title and navigation for rq's user (pages.c). */
int vx_page_begin(vx_rq *rq, const char *title);

/* Writes j (a json_t *, stolen) as the response (api.c). */
struct json_t;
int vx_api_send_json(vx_rq *rq, struct json_t *j);

/* Appends s masked (personal data replaced) and HTML-escaped. */
int vx_put_masked(vx_rq *rq, vx_buf *b, const char *s, size_t len);

int vx_page_login(vx_rq *rq);
int vx_do_login(vx_rq *rq);
int vx_do_logout(vx_rq *rq);
int vx_page_home(vx_rq *rq);
int vx_page_note(vx_rq *rq);
int vx_download_note(vx_rq *rq);
int vx_page_topic(vx_rq *rq);
int vx_page_sources(vx_rq *rq);
int vx_do_upload(vx_rq *rq);
int vx_download_rejects(vx_rq *rq);
int vx_page_search(vx_rq *rq);
int vx_static_css(vx_rq *rq);
int vx_page_accounts(vx_rq *rq);
int vx_do_account(vx_rq *rq);
int vx_api_health(vx_rq *rq);
int vx_api_sources(vx_rq *rq);
int vx_api_imports(vx_rq *rq);
int vx_api_note(vx_rq *rq);
int vx_api_experiences(vx_rq *rq);
int vx_api_assignments(vx_rq *rq);
int vx_page_compare(vx_rq *rq);
int vx_api_compare(vx_rq *rq);
int vx_page_trends(vx_rq *rq);
int vx_api_trends(vx_rq *rq);

#endif
