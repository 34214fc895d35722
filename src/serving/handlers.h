/*
 * What the server's modules share: the server's state, a request being
 * answered, the route table's entries and the handlers (pages.c, api.c),
 * and the cache of notes (notes.c).
 */
#ifndef VX_SERVING_HANDLERS_H
#define VX_SERVING_HANDLERS_H

#include <stddef.h>
#include <time.h>

#include "serving/params.h"
#include "serving/server.h"
#include "voix/accounts.h"
#include "voix/analysis.h"
#include "voix/privacy.h"
#include "voix/render.h"
#include "voix/store.h"

/* Sessions kept at once; beyond, the one that expires first is dropped. */
#define VX_SESSIONS_MAX 256
/* A signed-in session lasts a working day; a login form's half an hour. */
#define VX_SESSION_SECONDS (8 * 3600)
#define VX_LOGIN_FORM_SECONDS 1800
/* After VX_LOGIN_MAX_FAILURES wrong passwords for a name, its logins are
 * refused for VX_LOGIN_LOCK_SECONDS (on top of argon2id's cost). */
#define VX_LOGIN_MAX_FAILURES 5
#define VX_LOGIN_LOCK_SECONDS 900
#define VX_THROTTLE_MAX 64
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

typedef struct vx_throttle {
	char name[VX_USER_NAME_MAX + 1];
	unsigned failures;
	time_t since;            /* 0: free slot */
} vx_throttle;

typedef struct vx_cache_entry {
	char *key;               /* data version and options */
	vx_note *note;           /* built with memberships */
	char *html;              /* the library's HTML rendering */
	size_t html_len;
	double seconds;          /* time spent building it */
	unsigned long used;      /* for least-recently-used eviction */
} vx_cache_entry;

struct vx_server {
	vx_store *store;
	vx_masker *masker;
	vx_analysis *analysis;   /* the store loaded at data_version */
	long long data_version;  /* -1: not loaded */
	vx_cache_entry cache[VX_CACHE_MAX];
	unsigned long tick;
	vx_session sessions[VX_SESSIONS_MAX];
	vx_throttle throttles[VX_THROTTLE_MAX];
	int dsfr, secure_cookies;
	size_t max_upload;
	time_t (*now)(void);
	char *rejects_csv;       /* rejects of the last upload */
	unsigned long imports;   /* uploads so far: the rejects file's number */
	void *daemon;            /* struct MHD_Daemon (listen.c) */
	struct vx_collect_state *collect; /* the public form's keys and rate limits (collect.c) */
	unsigned port;
};

typedef struct vx_rq {
	vx_server *srv;
	const vx_http_request *req;
	vx_http_response *resp;
	vx_params query, form;
	vx_part parts[VX_PARTS_MAX];
	size_t n_parts;
	vx_session *sess;
	vx_role role;
	char user[VX_USER_NAME_MAX + 1];
	int api, by_token;
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

vx_session *vx_session_find(vx_server *srv, const char *id);
vx_session *vx_session_create(vx_server *srv, const char *user, vx_role role);
/* Sets the session cookie of s, or clears it (s NULL). */
void vx_session_cookie(vx_rq *rq, const vx_session *s);
vx_throttle *vx_throttle_for(vx_server *srv, const char *name);
/* Drops the cache and the loaded store (after an import). */
void vx_server_cache_clear(vx_server *srv);

/* The note of the filters in rq's query string, from the cache or built.
 * Returns 0 with *entry set, or an error already answered (status >= 400
 * in rq->resp: bad filter 400, nothing to analyse 422) as 1; VX_ENOMEM. */
int vx_note_for(vx_rq *rq, vx_cache_entry **entry, int *hit);

/* The names of the note filters read from a query string. */
extern const char *const vx_note_filter_names[];
extern const size_t vx_note_filter_count;

/* Reads an uploaded export (name, data) and imports it. Fills counts and
 * keeps its rejects as srv->rejects_csv. Returns 0, or 1 after answering
 * the error (400 unreadable, 422 empty); VX_ENOMEM. */
int vx_import_upload(vx_rq *rq, const char *name, size_t name_len, const char *data, size_t len,
                     vx_import_counts *counts, size_t *rejected);

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

#endif
