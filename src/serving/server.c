/*
 * The server's state and its routing (server.h): sessions, CSRF tokens,
 * login throttling, roles, and the one error shape. Requests are answered
 * on several threads: each takes a worker (its own read-only store
 * connection and masker) for its duration, POST requests also take the
 * read-write connection. Sessions and login throttles are kept in the
 * store (several servers on one database share them); the cache is under
 * srv->lock. The pages are in
 * pages.c, the JSON API in api.c; both only call the public API of the
 * library (analysis, render, store, accounts).
 */
#include "serving/server.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "serving/collect.h"
#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/error.h"

void vx_http_response_init(vx_http_response *r)
{
	memset(r, 0, sizeof *r);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	vx_buf_init(&r->body, 0);
}

void vx_http_response_free(vx_http_response *r)
{
	if (r)
		vx_buf_free(&r->body);
}

static const vx_route routes[] = {
	{"GET", "/connexion", VX_ROLE_NONE, 0, vx_page_login},
	{"POST", "/connexion", VX_ROLE_NONE, 0, vx_do_login},
	{"POST", "/deconnexion", VX_ROLE_READER, 0, vx_do_logout},
	{"GET", "/", VX_ROLE_READER, 0, vx_page_home},
	{"GET", "/note", VX_ROLE_READER, 0, vx_page_note},
	{"GET", "/note/telecharger", VX_ROLE_READER, 0, vx_download_note},
	{"GET", "/note/sujet", VX_ROLE_ANALYST, 0, vx_page_topic},
	{"GET", "/compare", VX_ROLE_READER, 0, vx_page_compare},
	{"GET", "/trends", VX_ROLE_READER, 0, vx_page_trends},
	{"GET", "/sources", VX_ROLE_ANALYST, 0, vx_page_sources},
	{"POST", "/sources", VX_ROLE_ANALYST, 0, vx_do_upload},
	{"GET", "/sources/rejets", VX_ROLE_ANALYST, 0, vx_download_rejects},
	{"GET", "/experiences", VX_ROLE_ANALYST, 0, vx_page_search},
	{"GET", "/comptes", VX_ROLE_ADMIN, 0, vx_page_accounts},
	{"POST", "/comptes", VX_ROLE_ADMIN, 0, vx_do_account},
	{"GET", "/static/voix.css", VX_ROLE_NONE, 0, vx_static_css},
	{"GET", "/api/v1/health", VX_ROLE_NONE, 1, vx_api_health},
	{"GET", "/api/v1/sources", VX_ROLE_ANALYST, 1, vx_api_sources},
	{"POST", "/api/v1/imports", VX_ROLE_ANALYST, 1, vx_api_imports},
	{"GET", "/api/v1/note", VX_ROLE_READER, 1, vx_api_note},
	{"GET", "/api/v1/experiences", VX_ROLE_ANALYST, 1, vx_api_experiences},
	{"GET", "/api/v1/assignments", VX_ROLE_ANALYST, 1, vx_api_assignments},
	{"GET", "/api/v1/compare", VX_ROLE_READER, 1, vx_api_compare},
	{"GET", "/api/v1/trends", VX_ROLE_READER, 1, vx_api_trends},
	VX_COLLECT_ROUTES
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

int vx_server_route(size_t i, const char **method, const char **path)
{
	if (i >= N_ROUTES)
		return VX_ENOTFOUND;
	*method = routes[i].method;
	*path = routes[i].path;
	return 0;
}

static time_t default_clock(void)
{
	return time(NULL);
}

void vx_server_set_clock(vx_server *srv, time_t (*now)(void))
{
	srv->now = now ? now : default_clock;
}

size_t vx_server_max_body(const vx_server *srv)
{
	return srv->max_upload;
}

/* The threads that answer when the options do not say: one per
 * processor. */
static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? VX_THREADS_DEFAULT : n > VX_SERVER_THREADS_MAX ? VX_SERVER_THREADS_MAX : (unsigned)n;
}

/* The server's locks; 0 or VX_ENOMEM (then none is left initialised). */
static int locks_init(vx_server *srv)
{
	int made = 0;
	pthread_mutexattr_t recursive;
	if (pthread_mutexattr_init(&recursive) != 0)
		return vx_error_set(VX_ENOMEM, "cannot create the server's locks");
	if (pthread_mutexattr_settype(&recursive, PTHREAD_MUTEX_RECURSIVE) == 0)
		made += pthread_mutex_init(&srv->write_lock, &recursive) == 0;
	pthread_mutexattr_destroy(&recursive);
	made += pthread_mutex_init(&srv->pool_lock, NULL) == 0;
	made += pthread_mutex_init(&srv->lock, NULL) == 0;
	made += pthread_mutex_init(&srv->load_lock, NULL) == 0;
	made += pthread_cond_init(&srv->pool_free, NULL) == 0;
	if (made == 5)
		return 0;
	return vx_error_set(VX_ENOMEM, "cannot create the server's locks");
}

int vx_server_new(vx_server **out, const vx_server_options *opts)
{
	vx_server_options def = VX_SERVER_OPTIONS_INIT;
	vx_server *srv = NULL;
	int rc = 0;
	*out = NULL;
	if (opts == NULL)
		opts = &def;
	if (opts->version != VX_SERVER_OPTIONS_VERSION)
		return vx_error_set(VX_EINVAL, "vx_server_new: unknown server options version %u", opts->version);
	if (opts->theme && strcmp(opts->theme, "neutre") != 0 && strcmp(opts->theme, "dsfr") != 0)
		return vx_error_set(VX_EINVAL, "thème inconnu « %s » (neutre ou dsfr)", opts->theme);
	if (opts->threads > VX_SERVER_THREADS_MAX)
		return vx_error_set(VX_EINVAL, "%u fils d'exécution : %d au plus", opts->threads, VX_SERVER_THREADS_MAX);
	if (sodium_init() < 0)
		return vx_error_set(VX_ENOMEM, "libsodium could not be initialised");
	if ((srv = calloc(1, sizeof *srv)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating the server");
	if (locks_init(srv) != 0) {
		free(srv);
		return VX_ENOMEM;
	}
	const char *db = opts->db_path ? opts->db_path : "voix.db";
	srv->dsfr = opts->theme && strcmp(opts->theme, "dsfr") == 0;
	srv->secure_cookies = opts->secure_cookies;
	srv->max_upload = opts->max_upload ? opts->max_upload : VX_SERVER_DEFAULT_MAX_UPLOAD;
	srv->threads = opts->threads ? opts->threads : default_threads();
	srv->now = default_clock;
	if ((rc = vx_store_open(&srv->store, db)) != 0)
		goto done;
	/* One connection and masker per answering thread: read-only, or, on
	 * a store whose writers do not wait for each other (PostgreSQL), for
	 * the thread's writes too. */
	srv->concurrent_writes = vx_store_concurrent_writes(srv->store);
	if ((srv->workers = calloc(srv->threads, sizeof *srv->workers)) == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory creating the server");
		goto done;
	}
	for (; srv->n_workers < srv->threads; srv->n_workers++) {
		vx_worker *w = &srv->workers[srv->n_workers];
		if ((rc = srv->concurrent_writes ? vx_store_open(&w->store, db) : vx_store_open_existing(&w->store, db)) != 0 ||
		    (rc = vx_masker_new(&w->masker)) != 0) {
			vx_store_free(w->store);
			goto done;
		}
	}
	if ((rc = vx_collect_state_new(&srv->collect, srv->store)) != 0)
		goto done;
done:
	if (rc)
		vx_server_free(srv);
	else
		*out = srv;
	return rc;
}

void vx_server_free(vx_server *srv)
{
	if (srv == NULL)
		return;
	vx_server_stop(srv);
	vx_server_cache_clear(srv);
	for (size_t i = 0; i < srv->n_workers; i++) {
		vx_masker_free(srv->workers[i].masker);
		vx_store_free(srv->workers[i].store);
	}
	free(srv->workers);
	vx_collect_state_free(srv->collect);
	vx_store_free(srv->store);
	free(srv->rejects_csv);
	pthread_cond_destroy(&srv->pool_free);
	pthread_mutex_destroy(&srv->load_lock);
	pthread_mutex_destroy(&srv->lock);
	pthread_mutex_destroy(&srv->pool_lock);
	pthread_mutex_destroy(&srv->write_lock);
	free(srv);
}

/* A free worker, waiting for one when every one is busy (more requests
 * than threads: only when vx_server_handle is called from elsewhere). */
static vx_worker *worker_take(vx_server *srv)
{
	vx_worker *w = NULL;
	pthread_mutex_lock(&srv->pool_lock);
	while (w == NULL) {
		for (size_t i = 0; i < srv->n_workers && w == NULL; i++)
			if (!srv->workers[i].busy)
				w = &srv->workers[i];
		if (w == NULL)
			pthread_cond_wait(&srv->pool_free, &srv->pool_lock);
	}
	w->busy = 1;
	pthread_mutex_unlock(&srv->pool_lock);
	return w;
}

static void worker_give(vx_server *srv, vx_worker *w)
{
	pthread_mutex_lock(&srv->pool_lock);
	w->busy = 0;
	pthread_cond_signal(&srv->pool_free);
	pthread_mutex_unlock(&srv->pool_lock);
}

/* The read-write connection for a write outside a POST (the login form's
 * session, on GET): write_lock is recursive, so that a POST, which holds
 * it already, writes the same way. */
static vx_store *write_begin(vx_server *srv)
{
	pthread_mutex_lock(&srv->write_lock);
	return srv->store;
}

static void write_end(vx_server *srv)
{
	pthread_mutex_unlock(&srv->write_lock);
}

/* A session as the store keeps it, as the pages use it. */
static void session_from(vx_session *out, const vx_store_session *in)
{
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", in->id);
	snprintf(out->csrf, sizeof out->csrf, "%s", in->csrf);
	snprintf(out->user, sizeof out->user, "%s", in->user);
	out->role = in->role;
	out->expires = (time_t)in->expires;
}

/* The live session id, read through rq's connection: 1 found, 0 none,
 * a negative VX_E... when the store failed. */
static int session_find(vx_rq *rq, const char *id, vx_session *out)
{
	vx_store_session row;
	memset(&row, 0, sizeof row);
	int rc = vx_store_session_find(rq->store, id, (long long)rq->srv->now(), &row);
	if (rc == VX_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	session_from(out, &row);
	sodium_memzero(&row, sizeof row);
	return 1;
}

int vx_session_create(vx_server *srv, const char *user, vx_role role, vx_session *out)
{
	vx_store_session row;
	memset(&row, 0, sizeof row);
	long long now = (long long)srv->now();
	vx_store *store = write_begin(srv);
	int rc = vx_store_session_create(store, user, role, now,
	                                 now + (user == NULL ? VX_LOGIN_FORM_SECONDS : VX_SESSION_SECONDS),
	                                 VX_SESSIONS_MAX, &row);
	write_end(srv);
	memset(out, 0, sizeof *out);
	if (rc == 0)
		session_from(out, &row);
	sodium_memzero(&row, sizeof row);
	return rc;
}

int vx_session_end(vx_server *srv, const char *id)
{
	vx_store *store = write_begin(srv);
	int rc = vx_store_session_end(store, id);
	write_end(srv);
	return rc;
}

void vx_session_cookie(vx_rq *rq, const vx_session *s)
{
	snprintf(rq->resp->set_cookie, sizeof rq->resp->set_cookie,
	         "voix_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", s ? s->id : "",
	         rq->srv->secure_cookies ? "; Secure" : "", s ? "" : "; Max-Age=0");
}

int vx_throttle_try(vx_server *srv, const char *name)
{
	long long wait = 0;
	vx_store *store = write_begin(srv);
	int rc = vx_store_limit_take(store, VX_LIMIT_LOGIN, name, (long long)srv->now(), VX_LOGIN_LOCK_SECONDS,
	                             VX_LOGIN_MAX_FAILURES, &wait);
	write_end(srv);
	return rc ? rc : wait > 0;
}

int vx_throttle_clear(vx_server *srv, const char *name)
{
	vx_store *store = write_begin(srv);
	int rc = vx_store_limit_clear(store, VX_LIMIT_LOGIN, name);
	write_end(srv);
	return rc;
}

/* The error codes of the API's error shape, by HTTP status. */
static const char *status_code(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "payload_too_large";
	case 415: return "unsupported_media_type";
	case 422: return "unprocessable";
	case 429: return "too_many_requests";
	case 503: return "unavailable";
	default: return "error";
	}
}

int vx_fail(vx_rq *rq, int status, const char *message)
{
	vx_http_response *r = rq->resp;
	int rc;
	vx_buf_reset(&r->body);
	r->status = status;
	r->disposition[0] = '\0';
	if (rq->api) {
		json_t *o = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status, "code", status_code(status),
		                      "message", message ? message : "");
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (s == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory writing an error");
		r->content_type = "application/json";
		rc = vx_buf_puts(&r->body, s);
		if (rc == 0)
			rc = vx_buf_putc(&r->body, '\n');
		free(s);
		return rc;
	}
	r->content_type = "text/html; charset=utf-8";
	rc = vx_html_begin(&r->body, status == 404 ? "Page introuvable" : "Erreur",
	                   rq->role > VX_ROLE_NONE ? rq->user : NULL, rq->sess ? rq->sess->csrf : "",
	                   vx_account_role_allows(rq->role, VX_ROLE_ANALYST), rq->role == VX_ROLE_ADMIN);
	if (rc == 0)
		rc = vx_buf_puts(&r->body, "<p class=\"error\" role=\"alert\">");
	if (rc == 0)
		rc = vx_html_puts(&r->body, message);
	if (rc == 0)
		rc = vx_buf_puts(&r->body, "</p>\n<p><a href=\"/note\">Retour à la note</a></p>\n");
	if (rc == 0)
		rc = vx_html_end(&r->body);
	return rc;
}

void vx_redirect(vx_rq *rq, const char *to)
{
	rq->resp->status = 303;
	snprintf(rq->resp->location, sizeof rq->resp->location, "%s", to);
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Who sends rq: a Bearer token, else a session cookie. */
static int identify(vx_rq *rq)
{
	const vx_http_request *req = rq->req;
	char sid[80];
	if (starts_with(req->authorization, "Bearer ")) {
		int rc = vx_store_token_check(rq->store, req->authorization + 7, rq->user, sizeof rq->user,
		                              &rq->role);
		if (rc == VX_ENOTFOUND) {
			rq->role = VX_ROLE_NONE;
			return 1; /* a wrong token is refused even on open routes */
		}
		rq->by_token = rc == 0;
		return rc;
	}
	if (req->cookie && vx_cookie_get(sid, sizeof sid, req->cookie, "voix_session") == 0) {
		int found = session_find(rq, sid, &rq->sess_copy);
		if (found < 0)
			return found;
		if (found == 0)
			return 0;
		rq->sess = &rq->sess_copy;
		rq->role = rq->sess->role;
		snprintf(rq->user, sizeof rq->user, "%s", rq->sess->user);
	}
	return 0;
}

/* Copies the text fields of a multipart body into rq->form. */
static int form_from_parts(vx_rq *rq)
{
	for (size_t i = 0; i < rq->n_parts && rq->form.n < VX_PARAMS_MAX; i++) {
		const vx_part *p = &rq->parts[i];
		vx_param *it = &rq->form.items[rq->form.n];
		if (p->filename || p->name == NULL)
			continue;
		it->name = malloc(p->name_len + 1);
		it->value = malloc(p->len + 1);
		if (it->name == NULL || it->value == NULL) {
			free(it->name);
			free(it->value);
			return vx_error_set(VX_ENOMEM, "out of memory reading a form");
		}
		memcpy(it->name, p->name, p->name_len);
		it->name[p->name_len] = '\0';
		memcpy(it->value, p->data, p->len);
		it->value[p->len] = '\0';
		it->value_len = p->len;
		rq->form.n++;
	}
	return 0;
}

static int read_body(vx_rq *rq)
{
	const vx_http_request *req = rq->req;
	const char *ct = req->content_type ? req->content_type : "";
	if (starts_with(ct, "application/x-www-form-urlencoded")) {
		if (vx_params_parse(&rq->form, req->body ? req->body : "", req->body_len) != 0)
			return vx_fail(rq, 400, "formulaire illisible");
	} else if (starts_with(ct, "multipart/form-data")) {
		if (vx_multipart_parse(rq->parts, &rq->n_parts, ct, req->body ? req->body : "", req->body_len) != 0)
			return vx_fail(rq, 400, "envoi de fichier illisible");
		return form_from_parts(rq) ? VX_ENOMEM : 0;
	}
	return 0;
}

int vx_server_handle(vx_server *srv, const vx_http_request *req, vx_http_response *resp)
{
	vx_rq rq;
	const vx_route *route = NULL;
	int path_known = 0, rc = 0;
	/* On SQLite writes go through the one read-write connection, one at
	 * a time; on PostgreSQL through the worker's, at once. */
	int writes = req->method && strcmp(req->method, "POST") == 0 && !srv->concurrent_writes;
	memset(&rq, 0, sizeof rq);
	rq.srv = srv;
	rq.req = req;
	rq.resp = resp;
	rq.api = starts_with(req->path, "/api/");
	rq.worker = worker_take(srv);
	rq.store = rq.worker->store;
	rq.masker = rq.worker->masker;
	/* Writes go through the one read-write connection, one at a time. */
	if (writes) {
		pthread_mutex_lock(&srv->write_lock);
		rq.store = srv->store;
	}
	for (size_t i = 0; i < N_ROUTES; i++)
		if (strcmp(routes[i].path, req->path ? req->path : "") == 0) {
			path_known = 1;
			if (strcmp(routes[i].method, req->method ? req->method : "") == 0)
				route = &routes[i];
		}
	if ((rc = identify(&rq)) > 0) {
		rc = vx_fail(&rq, 401, "jeton inconnu");
		goto done;
	} else if (rc) {
		rc = vx_fail(&rq, 503, "la base ne répond pas");
		goto done;
	}
	if (route == NULL) {
		rc = vx_fail(&rq, path_known ? 405 : 404,
		             path_known ? "méthode non autorisée sur cette adresse" : "cette adresse n'existe pas");
		goto done;
	}
	if (req->body_too_big) {
		rc = vx_fail(&rq, 413, "requête trop grande");
		goto done;
	}
	if (vx_params_parse(&rq.query, req->query ? req->query : "", req->query ? strlen(req->query) : 0) != 0) {
		rc = vx_fail(&rq, 400, "paramètres d'adresse illisibles");
		goto done;
	}
	if (!vx_account_role_allows(rq.role, route->min_role)) {
		if (rq.role == VX_ROLE_NONE && !rq.api && strcmp(req->method, "GET") == 0) {
			vx_redirect(&rq, "/connexion");
			goto done;
		}
		rc = vx_fail(&rq, rq.role == VX_ROLE_NONE ? 401 : 403,
		             rq.role == VX_ROLE_NONE ? "connexion nécessaire" : "votre rôle ne permet pas cette action");
		goto done;
	}
	if (strcmp(req->method, "POST") == 0) {
		if ((rc = read_body(&rq)) != 0 || resp->status >= 400)
			goto done;
		/* Forms need the session's CSRF token; the API's POST needs a
		 * token, which a browser never sends by itself; the public form
		 * checks its own (collect.c). */
		if (!vx_collect_own_token(route) &&
		    (rq.api ? !rq.by_token : (rq.sess == NULL || vx_params_get(&rq.form, "csrf") == NULL ||
		                             strlen(vx_params_get(&rq.form, "csrf")) != 64 ||
		                             sodium_memcmp(vx_params_get(&rq.form, "csrf"), rq.sess->csrf, 64) != 0))) {
			rc = vx_fail(&rq, 403, rq.api ? "un jeton d'API est nécessaire pour écrire"
			                             : "jeton de formulaire absent ou périmé : rechargez la page");
			goto done;
		}
	}
	rc = route->fn(&rq);
done:
	vx_params_free(&rq.query);
	vx_params_free(&rq.form);
	if (rc && rc != VX_ENOMEM)
		rc = vx_fail(&rq, 500, "erreur interne");
	if (rq.n_notes) {
		pthread_mutex_lock(&srv->lock);
		for (size_t i = 0; i < rq.n_notes; i++)
			vx_cache_entry_unref(rq.notes[i]);
		pthread_mutex_unlock(&srv->lock);
	}
	if (writes)
		pthread_mutex_unlock(&srv->write_lock);
	worker_give(srv, rq.worker);
	return rc;
}
