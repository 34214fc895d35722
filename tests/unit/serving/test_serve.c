/*
 * The dashboard and API, in process: requests go to vx_server_handle()
 * without a socket. Invented data only.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "serving/params.h"
#include "serving/server.h"
#include "voix/accounts.h"
#include "voix/error.h"
#include "voix/store.h"

/* ---- parsers ---------------------------------------------------------- */

static void test_params_table(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		const char *name, *value;
		size_t n;
	} cases[] = {
		{"a=1&b=2", 0, "b", "2", 2},
		{"q=d%C3%A9lai+de+r%c3%a9ponse", 0, "q", "délai de réponse", 1},
		{"flag&x=", 0, "flag", "", 2},
		{"&&a=%41&", 0, "a", "A", 1},
		{"a=%G1", VX_EFORMAT, NULL, NULL, 0},
		{"a=%4", VX_EFORMAT, NULL, NULL, 0},
		{"a=%", VX_EFORMAT, NULL, NULL, 0},
		{"%00=1", VX_EFORMAT, NULL, NULL, 0},
		{"", 0, NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_params p;
		assert_int_equal(vx_params_parse(&p, cases[i].in, strlen(cases[i].in)), cases[i].rc);
		assert_int_equal(p.n, cases[i].n);
		if (cases[i].name)
			assert_string_equal(vx_params_get(&p, cases[i].name), cases[i].value);
		vx_params_free(&p);
	}
	/* A value with a NUL byte is not a text field. */
	vx_params p;
	assert_int_equal(vx_params_parse(&p, "a=x%00y", 7), 0);
	assert_null(vx_params_get(&p, "a"));
	vx_params_free(&p);
}

static void test_multipart(void **state)
{
	(void)state;
	static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
	                           "--XyZ\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"a;b.csv\"\r\n"
	                           "Content-Type: text/csv\r\n\r\nid,texte\r\n1,x\r\n--XyZ--\r\n";
	vx_part parts[VX_PARTS_MAX];
	size_t n = 0;
	assert_int_equal(vx_multipart_parse(parts, &n, "multipart/form-data; boundary=XyZ", body, sizeof body - 1), 0);
	assert_int_equal(n, 2);
	assert_int_equal(parts[0].len, 3);
	assert_null(parts[0].filename);
	assert_int_equal(parts[1].filename_len, 7);
	assert_memory_equal(parts[1].filename, "a;b.csv", 7);
	assert_int_equal(parts[1].len, strlen("id,texte\r\n1,x"));
	assert_int_equal(vx_multipart_parse(parts, &n, "multipart/form-data", body, sizeof body - 1), VX_EFORMAT);
	assert_int_equal(vx_multipart_parse(parts, &n, "multipart/form-data; boundary=XyZ", body, 40), VX_EFORMAT);
	char v[8];
	assert_int_equal(vx_cookie_get(v, sizeof v, "a=1; voix_session=abc", "voix_session"), 0);
	assert_string_equal(v, "abc");
	assert_int_equal(vx_cookie_get(v, sizeof v, "xvoix_session=abc", "voix_session"), VX_ENOTFOUND);
}

/* ---- a server on a temporary store ------------------------------------ */

typedef struct fixture {
	char dir[128], db[160];
	vx_server *srv;
	char reader_token[VX_TOKEN_LEN + 1], analyst_token[VX_TOKEN_LEN + 1];
	vx_http_response r;
} fixture;

static const char PASSWORD[] = "correct-horse-42";

/* The accounts are made once (argon2id is slow on purpose) in a template
 * database that each test copies. */
static char template_dir[32];

static int group_setup(void **state)
{
	fixture f;
	vx_store *s = NULL;
	(void)state;
	snprintf(template_dir, sizeof template_dir, "/tmp/voix-serve-XXXXXX");
	if (mkdtemp(template_dir) == NULL)
		return -1;
	snprintf(f.db, sizeof f.db, "%s/template.db", template_dir);
	if (vx_store_open(&s, f.db) || vx_store_user_add(s, "lea", VX_ROLE_READER, PASSWORD) ||
	    vx_store_user_add(s, "ana", VX_ROLE_ANALYST, PASSWORD) ||
	    vx_store_user_add(s, "adm", VX_ROLE_ADMIN, PASSWORD) || vx_store_token_add(s, "lea", f.reader_token) ||
	    vx_store_token_add(s, "ana", f.analyst_token))
		return -1;
	vx_store_free(s);
	snprintf(f.db, sizeof f.db, "%s/tokens", template_dir);
	FILE *out = fopen(f.db, "w");
	if (out == NULL)
		return -1;
	fprintf(out, "%s\n%s\n", f.reader_token, f.analyst_token);
	return fclose(out);
}

static int group_teardown(void **state)
{
	char cmd[256];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", template_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char cmd[256];
	snprintf(f->dir, sizeof f->dir, "%s/XXXXXX", template_dir);
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	snprintf(cmd, sizeof cmd, "cp %s/template.db %s", template_dir, f->db);
	if (system(cmd) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "%s/tokens", template_dir);
	FILE *in = fopen(cmd, "r");
	if (in == NULL || fscanf(in, "%64s %64s", f->reader_token, f->analyst_token) != 2)
		return -1;
	fclose(in);
	vx_server_options o = VX_SERVER_OPTIONS_INIT;
	o.db_path = f->db;
	o.max_upload = 1 << 20;
	if (vx_server_new(&f->srv, &o))
		return -1;
	vx_http_response_init(&f->r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[256];
	vx_http_response_free(&f->r);
	vx_server_free(f->srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Sends one request; the response is f->r until the next call. */
static int req(fixture *f, const char *method, const char *path, const char *query, const char *auth,
               const char *cookie, const char *ctype, const char *body, size_t body_len)
{
	char bearer[100];
	vx_http_request rq = {method, path, query, body, body_len, 0, ctype, cookie, NULL, NULL, NULL};
	if (auth) {
		snprintf(bearer, sizeof bearer, "Bearer %s", auth);
		rq.authorization = bearer;
	}
	vx_http_response_free(&f->r);
	vx_http_response_init(&f->r);
	assert_int_equal(vx_server_handle(f->srv, &rq, &f->r), 0);
	return f->r.status;
}

static const char *body(fixture *f)
{
	return f->r.body.data ? f->r.body.data : "";
}

/* The bundled example (invented experiences) with markup put into texts
 * ("agent" becomes a script) and a structure name (an attribute payload). */
static size_t make_export(char *out, size_t cap)
{
	static const struct {
		const char *from, *to;
	} subst[] = {
		{"agent", "agent <script>alert(1)</script>"},
		{"\"CAF de la Côte-d'Or\"", "\"CAF \"\"><img src=x onerror=alert(1)>\""},
	};
	FILE *in = fopen(VX_EXAMPLES "/experiences-exemple.csv", "rb");
	static char raw[1 << 18];
	size_t len = in ? fread(raw, 1, sizeof raw - 1, in) : 0, k = 0;
	if (in)
		fclose(in);
	raw[len] = '\0';
	for (const char *p = raw; *p && k + 64 < cap;) {
		size_t i = 0;
		for (; i < sizeof subst / sizeof subst[0]; i++)
			if (strncmp(p, subst[i].from, strlen(subst[i].from)) == 0)
				break;
		if (i < sizeof subst / sizeof subst[0]) {
			k += (size_t)snprintf(out + k, cap - k, "%s", subst[i].to);
			p += strlen(subst[i].from);
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
	return k;
}

static void upload(fixture *f, const char *token)
{
	static char csv[1 << 18];
	size_t len = make_export(csv, sizeof csv);
	assert_int_equal(req(f, "POST", "/api/v1/imports", "name=%3Cb%3Eexport%22.csv", token, NULL, "text/csv", csv, len),
	                 201);
	assert_non_null(strstr(body(f), "\"read\":240"));
}

static void test_open_and_closed_routes(void **state)
{
	fixture *f = *state;
	assert_int_equal(req(f, "GET", "/api/v1/health", NULL, NULL, NULL, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "\"status\":\"ok\""));
	assert_int_equal(req(f, "GET", "/static/voix.css", NULL, NULL, NULL, NULL, NULL, 0), 200);
	/* Pages send a browser to the login form, the API answers 401. */
	assert_int_equal(req(f, "GET", "/note", NULL, NULL, NULL, NULL, NULL, 0), 303);
	assert_string_equal(f->r.location, "/connexion");
	assert_int_equal(req(f, "GET", "/api/v1/note", NULL, NULL, NULL, NULL, NULL, 0), 401);
	assert_non_null(strstr(body(f), "{\"error\":{\"status\":401,\"code\":\"unauthorized\""));
	assert_int_equal(req(f, "GET", "/api/v1/note", NULL, "00", NULL, NULL, NULL, 0), 401);
	assert_int_equal(req(f, "GET", "/api/v1/nope", NULL, NULL, NULL, NULL, NULL, 0), 404);
	assert_non_null(strstr(body(f), "\"code\":\"not_found\""));
	assert_int_equal(req(f, "DELETE", "/api/v1/note", NULL, NULL, NULL, NULL, NULL, 0), 405);
	assert_int_equal(req(f, "GET", "/../../etc/passwd", NULL, NULL, NULL, NULL, NULL, 0), 404);
}

static void test_roles(void **state)
{
	fixture *f = *state;
	/* lecteur: notes only. */
	assert_int_equal(req(f, "GET", "/api/v1/sources", NULL, f->reader_token, NULL, NULL, NULL, 0), 403);
	assert_int_equal(req(f, "GET", "/api/v1/experiences", NULL, f->reader_token, NULL, NULL, NULL, 0), 403);
	assert_int_equal(req(f, "POST", "/api/v1/imports", NULL, f->reader_token, NULL, "text/csv", "id,texte\n", 9), 403);
	assert_int_equal(req(f, "GET", "/api/v1/sources", NULL, f->analyst_token, NULL, NULL, NULL, 0), 200);
	/* Nothing imported yet: the note says why, not a 500. */
	assert_int_equal(req(f, "GET", "/api/v1/note", NULL, f->reader_token, NULL, NULL, NULL, 0), 422);
}

static void test_bad_input(void **state)
{
	fixture *f = *state;
	upload(f, f->analyst_token);
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=99", f->reader_token, NULL, NULL, NULL, 0), 400);
	assert_non_null(strstr(body(f), "--topics doit être entre 1 et 20"));
	assert_int_equal(req(f, "GET", "/api/v1/note", "since=%ZZ", f->reader_token, NULL, NULL, NULL, 0), 400);
	assert_int_equal(req(f, "GET", "/api/v1/note", "format=pdf", f->reader_token, NULL, NULL, NULL, 0), 400);
	assert_int_equal(req(f, "GET", "/api/v1/experiences", "limit=100000", f->analyst_token, NULL, NULL, NULL, 0),
	                 400);
	assert_int_equal(req(f, "GET", "/api/v1/experiences", "topic=19", f->analyst_token, NULL, NULL, NULL, 0), 404);
	assert_int_equal(req(f, "POST", "/api/v1/imports", NULL, f->analyst_token, NULL, "text/csv", "", 0), 422);
	assert_int_equal(req(f, "POST", "/api/v1/imports", NULL, f->analyst_token, NULL, "text/csv", "\x01\x02\x00zz", 5),
	                 400);
	assert_int_equal(req(f, "POST", "/api/v1/imports", NULL, f->analyst_token, NULL,
	                     "multipart/form-data; boundary=q", "--q\r\nbroken", 11),
	                 400);
	vx_http_request big = {"POST", "/api/v1/imports", NULL, NULL, 0, 1, "text/csv", NULL, NULL, NULL, NULL};
	char bearer[100];
	snprintf(bearer, sizeof bearer, "Bearer %s", f->analyst_token);
	big.authorization = bearer;
	vx_http_response_free(&f->r);
	vx_http_response_init(&f->r);
	assert_int_equal(vx_server_handle(f->srv, &big, &f->r), 0);
	assert_int_equal(f->r.status, 413);
	assert_non_null(strstr(body(f), "payload_too_large"));
}

static void test_note_cache_and_formats(void **state)
{
	fixture *f = *state;
	upload(f, f->analyst_token);
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=2", f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_string_equal(f->r.cache, "miss");
	assert_non_null(strstr(body(f), "\"schema\": \"voix.note/1\""));
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=2&format=md", f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_string_equal(f->r.cache, "hit");
	assert_non_null(strstr(body(f), "# Note de synthèse"));
	assert_int_equal(req(f, "GET", "/api/v1/assignments", "topics=2", f->analyst_token, NULL, NULL, NULL, 0), 200);
	/* Another import makes the cached notes stale. */
	upload(f, f->analyst_token);
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=2", f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_string_equal(f->r.cache, "miss");
	assert_int_equal(req(f, "GET", "/api/v1/experiences", "topic=1&limit=3", f->analyst_token, NULL, NULL, NULL, 0),
	                 200);
	assert_non_null(strstr(body(f), "\"items\":[{\"id\":\""));
	assert_int_equal(req(f, "GET", "/api/v1/experiences", "q=rendez-vous&limit=5", f->analyst_token, NULL, NULL,
	                     NULL, 0),
	                 200);
	assert_non_null(strstr(body(f), "\"snippet\""));
}

/* The value of attribute name="csrf" in the page, copied to out. */
static void csrf_of(fixture *f, char out[65])
{
	const char *p = strstr(body(f), "name=\"csrf\" value=\"");
	assert_non_null(p);
	memcpy(out, p + 19, 64);
	out[64] = '\0';
}

/* "voix_session=ID" from Set-Cookie, to send back. */
static void cookie_of(fixture *f, char out[100])
{
	assert_non_null(strstr(f->r.set_cookie, "HttpOnly; SameSite=Strict"));
	snprintf(out, 100, "%.*s", (int)strcspn(f->r.set_cookie, ";"), f->r.set_cookie);
}

static void login(fixture *f, const char *name, char cookie[100], char csrf[65])
{
	char form[200];
	assert_int_equal(req(f, "GET", "/connexion", NULL, NULL, NULL, NULL, NULL, 0), 200);
	cookie_of(f, cookie);
	csrf_of(f, csrf);
	snprintf(form, sizeof form, "csrf=%s&nom=%s&motdepasse=%s", csrf, name, PASSWORD);
	assert_int_equal(req(f, "POST", "/connexion", NULL, NULL, cookie, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 303);
	cookie_of(f, cookie);
	assert_int_equal(req(f, "GET", "/note", NULL, NULL, cookie, NULL, NULL, 0) >= 200, 1);
	if (strstr(body(f), "name=\"csrf\""))
		csrf_of(f, csrf);
}

static void test_login_csrf_and_throttle(void **state)
{
	fixture *f = *state;
	char cookie[100], csrf[65], form[200];
	assert_int_equal(req(f, "GET", "/connexion", NULL, NULL, NULL, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "<html lang=\"fr\">"));
	assert_non_null(strstr(body(f), "<label for=\"motdepasse\">"));
	cookie_of(f, cookie);
	csrf_of(f, csrf);
	/* No CSRF token: refused before the password is looked at. */
	assert_int_equal(req(f, "POST", "/connexion", NULL, NULL, cookie, "application/x-www-form-urlencoded",
	                     "nom=lea&motdepasse=x", 20),
	                 403);
	snprintf(form, sizeof form, "csrf=%s&nom=lea&motdepasse=wrong-password", csrf);
	for (int i = 0; i < 5; i++)
		assert_int_equal(req(f, "POST", "/connexion", NULL, NULL, cookie, "application/x-www-form-urlencoded",
		                     form, strlen(form)),
		                 401);
	/* The sixth try is refused even with the right password. */
	snprintf(form, sizeof form, "csrf=%s&nom=lea&motdepasse=%s", csrf, PASSWORD);
	assert_int_equal(req(f, "POST", "/connexion", NULL, NULL, cookie, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 429);
	/* Another account is not locked. */
	snprintf(form, sizeof form, "csrf=%s&nom=ana&motdepasse=%s", csrf, PASSWORD);
	assert_int_equal(req(f, "POST", "/connexion", NULL, NULL, cookie, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 303);
	char session[100];
	cookie_of(f, session);
	assert_string_not_equal(session, cookie);
	assert_int_equal(req(f, "GET", "/sources", NULL, NULL, session, NULL, NULL, 0), 200);
	csrf_of(f, csrf);
	/* Sign-out needs the token; then the session is gone. */
	assert_int_equal(req(f, "POST", "/deconnexion", NULL, NULL, session, "application/x-www-form-urlencoded", "", 0),
	                 403);
	snprintf(form, sizeof form, "csrf=%s", csrf);
	assert_int_equal(req(f, "POST", "/deconnexion", NULL, NULL, session, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 303);
	assert_int_equal(req(f, "GET", "/sources", NULL, NULL, session, NULL, NULL, 0), 303);
}

static void test_pages_escape_and_highlight(void **state)
{
	fixture *f = *state;
	char cookie[100], csrf[65];
	static char csv[1 << 18], mp[(1 << 18) + 1024];
	login(f, "ana", cookie, csrf);
	make_export(csv, sizeof csv);
	int n = snprintf(mp, sizeof mp,
	                 "--B0\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	                 "--B0\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"../<img src=x>.csv\"\r\n"
	                 "Content-Type: text/csv\r\n\r\n%s\r\n--B0--\r\n",
	                 csrf, csv);
	assert_int_equal(req(f, "POST", "/sources", NULL, NULL, cookie, "multipart/form-data; boundary=B0", mp,
	                     (size_t)n),
	                 200);
	assert_non_null(strstr(body(f), "240 nouvelles"));
	assert_non_null(strstr(body(f), "&lt;img src=x&gt;.csv"));
	assert_null(strstr(body(f), "<img"));
	assert_null(strstr(body(f), "../"));
	assert_int_equal(req(f, "GET", "/note", "topics=2", NULL, cookie, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "Note calculée"));
	assert_null(strstr(body(f), "<script"));
	assert_int_equal(req(f, "GET", "/note", "topics=2", NULL, cookie, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "Note servie depuis le cache"));
	assert_int_equal(req(f, "GET", "/note/sujet", "n=1&topics=2", NULL, cookie, NULL, NULL, 0), 200);
	assert_null(strstr(body(f), "<script"));
	assert_null(strstr(body(f), "<img"));
	assert_non_null(strstr(body(f), "&lt;script&gt;"));
	assert_non_null(strstr(body(f), "&quot;&gt;&lt;img"));
	assert_non_null(strstr(body(f), "<mark class=\"verbatim\">"));
	assert_int_equal(req(f, "GET", "/note/sujet", "n=9&topics=2", NULL, cookie, NULL, NULL, 0), 404);
	assert_int_equal(req(f, "GET", "/experiences", "q=agent", NULL, cookie, NULL, NULL, 0), 200);
	assert_null(strstr(body(f), "<script"));
	assert_non_null(strstr(body(f), "<mark>"));
	assert_null(strstr(body(f), "**"));
	assert_int_equal(req(f, "GET", "/note/telecharger", "format=json&topics=2", NULL, cookie, NULL, NULL, 0), 200);
	assert_string_equal(f->r.content_type, "application/json");
	assert_non_null(strstr(f->r.disposition, "attachment"));
}

static void test_accounts_admin_only(void **state)
{
	fixture *f = *state;
	char cookie[100], csrf[65], form[300];
	login(f, "ana", cookie, csrf);
	assert_int_equal(req(f, "GET", "/comptes", NULL, NULL, cookie, NULL, NULL, 0), 403);
	login(f, "adm", cookie, csrf);
	assert_int_equal(req(f, "GET", "/comptes", NULL, NULL, cookie, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "<th scope=\"col\">Rôle</th>"));
	csrf_of(f, csrf);
	snprintf(form, sizeof form, "csrf=%s&nom=%%3Cb%%3Ezoe&role=lecteur&motdepasse=court", csrf);
	assert_int_equal(req(f, "POST", "/comptes", NULL, NULL, cookie, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 400);
	assert_non_null(strstr(body(f), "mot de passe trop court"));
	snprintf(form, sizeof form, "csrf=%s&nom=%%3Cb%%3Ezoe&role=lecteur&motdepasse=assez-long-1", csrf);
	assert_int_equal(req(f, "POST", "/comptes", NULL, NULL, cookie, "application/x-www-form-urlencoded", form,
	                     strlen(form)),
	                 200);
	assert_non_null(strstr(body(f), "<td>&lt;b&gt;zoe</td><td>lecteur</td>"));
	assert_null(strstr(body(f), "<b>zoe"));
}

/* ---- requests from several threads at once ---------------------------- */

#define CONCURRENT_THREADS 4
#define CONCURRENT_ROUNDS 6

typedef struct concurrent {
	fixture *f;
	int n;              /* the thread's number */
	const char *csv;    /* the export that thread 0 imports again midway */
	size_t csv_len;
	int failures;       /* answers that were not what they should be */
} concurrent;

/* One request on its own response (cmocka's asserts must stay on the main
 * thread): 1 when the status is want and the body holds needle. */
static int answer_is(concurrent *c, const char *method, const char *path, const char *query, const char *token,
                     const char *body_data, size_t body_len, int want, const char *needle)
{
	char bearer[100];
	snprintf(bearer, sizeof bearer, "Bearer %s", token);
	vx_http_request rq = {method, path, query, body_data, body_len, 0, body_data ? "text/csv" : NULL, NULL, bearer, NULL, NULL};
	vx_http_response r;
	vx_http_response_init(&r);
	int ok = vx_server_handle(c->f->srv, &rq, &r) == 0 && r.status == want && r.body.data &&
	         strstr(r.body.data, needle) != NULL;
	vx_http_response_free(&r);
	return ok;
}

static void *concurrent_client(void *arg)
{
	concurrent *c = arg;
	char query[64];
	for (int i = 0; i < CONCURRENT_ROUNDS; i++) {
		/* More filter sets than the cache holds: entries are evicted
		 * while other threads read them. */
		snprintf(query, sizeof query, "topics=%d", 2 + (c->n * CONCURRENT_ROUNDS + i) % 10);
		c->failures += !answer_is(c, "GET", "/api/v1/note", query, c->f->reader_token, NULL, 0, 200,
		                          "\"schema\": \"voix.note/1\"");
		c->failures += !answer_is(c, "GET", "/api/v1/experiences", "q=rendez-vous&limit=5", c->f->analyst_token,
		                          NULL, 0, 200, "\"snippet\"");
		c->failures += !answer_is(c, "GET", "/api/v1/experiences", "topic=1&limit=3", c->f->analyst_token, NULL,
		                          0, 200, "\"items\":[{\"id\":\"");
		/* An import midway: the loaded store is replaced while notes of
		 * the old one are being read. */
		if (c->n == 0 && i == CONCURRENT_ROUNDS / 2)
			c->failures += !answer_is(c, "POST", "/api/v1/imports", "name=again.csv", c->f->analyst_token, c->csv,
			                          c->csv_len, 201, "\"read\":240");
	}
	return NULL;
}

static void test_concurrent_requests(void **state)
{
	fixture *f = *state;
	static char csv[1 << 18];
	pthread_t th[CONCURRENT_THREADS];
	concurrent c[CONCURRENT_THREADS];
	upload(f, f->analyst_token);
	size_t len = make_export(csv, sizeof csv);
	for (int i = 0; i < CONCURRENT_THREADS; i++) {
		c[i] = (concurrent){f, i, csv, len, 0};
		assert_int_equal(pthread_create(&th[i], NULL, concurrent_client, &c[i]), 0);
	}
	for (int i = 0; i < CONCURRENT_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(c[i].failures, 0);
	}
	/* After the import, the notes are of the new data: a miss, then hits. */
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=2&since=2000-01-01", f->reader_token, NULL, NULL, NULL, 0),
	                 200);
	assert_string_equal(f->r.cache, "miss");
	assert_int_equal(req(f, "GET", "/api/v1/note", "topics=2&since=2000-01-01", f->reader_token, NULL, NULL, NULL, 0),
	                 200);
	assert_string_equal(f->r.cache, "hit");
}

/* Two periods compared, through the API and the page; the topics month by
 * month, through the API and the page. */
static void test_compare_and_trends(void **state)
{
	fixture *f = *state;
	upload(f, f->analyst_token);
	const char *periods = "a_until=2024-06-30&b_since=2024-07-01&topics=5";
	assert_int_equal(req(f, "GET", "/api/v1/compare", periods, NULL, NULL, NULL, NULL, 0), 401);
	assert_int_equal(req(f, "GET", "/api/v1/compare", periods, f->reader_token, NULL, NULL, NULL, 0), 200);
	json_error_t err;
	json_t *j = json_loads(body(f), 0, &err);
	assert_non_null(j);
	/* A: January to June 2024 (82 experiences read), B: from July. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "a"), "filters"), "until")),
	                    "2024-06-30");
	json_t *topics = json_object_get(j, "topics");
	assert_true(json_array_size(topics) >= 5);
	double last = 1e9;
	size_t both = 0;
	for (size_t i = 0; i < json_array_size(topics); i++) {
		json_t *t = json_array_get(topics, i);
		int in_a = json_is_true(json_object_get(t, "in_a")), in_b = json_is_true(json_object_get(t, "in_b"));
		const char *change = json_string_value(json_object_get(t, "change"));
		if (in_a && in_b) {
			/* Topics in both first, by points, largest rise first. */
			assert_int_equal(both, i);
			both++;
			double points = json_real_value(json_object_get(t, "points"));
			double want = (json_real_value(json_object_get(t, "share_b")) -
			               json_real_value(json_object_get(t, "share_a"))) * 100.0;
			assert_true(points > want - 1e-9 && points < want + 1e-9);
			assert_true(points <= last);
			last = points;
			assert_string_equal(change, points >= 0.05 ? "rose" : points <= -0.05 ? "fell" : "same");
		} else {
			assert_true(json_is_null(json_object_get(t, "points")));
			assert_string_equal(change, in_a ? "only_a" : "only_b");
		}
	}
	assert_true(both >= 1);
	json_t *fa = json_object_get(json_object_get(j, "a"), "feelings");
	json_t *fp = json_object_get(j, "feelings_points");
	double pos = (json_real_value(json_object_get(json_object_get(json_object_get(j, "b"), "feelings"), "positif")) -
	              json_real_value(json_object_get(fa, "positif"))) * 100.0;
	assert_true(json_real_value(json_object_get(fp, "positif")) > pos - 1e-9 &&
	            json_real_value(json_object_get(fp, "positif")) < pos + 1e-9);
	json_decref(j);
	/* The page: both sides said, rises and falls, tables with headers. */
	assert_int_equal(req(f, "GET", "/compare", periods, f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "<p id=\"cote-a\"><strong>A</strong> : jusqu'au 2024-06-30"));
	assert_non_null(strstr(body(f), "<p id=\"cote-b\"><strong>B</strong> : depuis le 2024-07-01"));
	assert_non_null(strstr(body(f), "<h2>Sujets en hausse</h2>"));
	assert_non_null(strstr(body(f), "<table id=\"sujets\">\n<caption>"));
	assert_non_null(strstr(body(f), "<th scope=\"row\">positif</th>"));
	assert_null(strstr(body(f), "<script"));
	/* Without sides, only the form; a bad date is a 400. */
	assert_int_equal(req(f, "GET", "/compare", NULL, f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "name=\"b_since\""));
	assert_null(strstr(body(f), "id=\"sujets\""));
	assert_int_equal(req(f, "GET", "/api/v1/compare", "a_since=2024-13-01", f->reader_token, NULL, NULL, NULL, 0), 400);
	assert_non_null(strstr(body(f), "\"code\":\"bad_request\""));

	/* Trends: 18 months of the example, each share its count over the
	 * month's total. */
	assert_int_equal(req(f, "GET", "/api/v1/trends", "topics=3", f->reader_token, NULL, NULL, NULL, 0), 200);
	j = json_loads(body(f), 0, &err);
	assert_non_null(j);
	json_t *months = json_object_get(j, "months"), *totals = json_object_get(j, "totals");
	assert_int_equal(json_array_size(months), 18);
	assert_string_equal(json_string_value(json_array_get(months, 0)), "2024-01");
	assert_string_equal(json_string_value(json_array_get(months, 17)), "2025-06");
	assert_int_equal(json_integer_value(json_array_get(totals, 0)), 17);
	topics = json_object_get(j, "topics");
	assert_int_equal(json_array_size(topics), 3);
	for (size_t t = 0; t < 3; t++) {
		json_t *counts = json_object_get(json_array_get(topics, t), "counts");
		json_t *shares = json_object_get(json_array_get(topics, t), "shares");
		for (size_t m = 0; m < 18; m++) {
			double want = (double)json_integer_value(json_array_get(counts, m)) /
			              (double)json_integer_value(json_array_get(totals, m));
			double got = json_real_value(json_array_get(shares, m));
			assert_true(got > want - 1e-9 && got < want + 1e-9);
		}
	}
	json_decref(j);
	assert_int_equal(req(f, "GET", "/trends", "topics=3", f->reader_token, NULL, NULL, NULL, 0), 200);
	assert_non_null(strstr(body(f), "<svg class=\"chart\" viewBox=\"0 0 720 320\" role=\"img\" "
	                                "aria-labelledby=\"chart-title chart-desc\">"));
	assert_non_null(strstr(body(f), "<desc id=\"chart-desc\">Une ligne par sujet, de 2024-01 à 2025-06"));
	assert_non_null(strstr(body(f), "<th scope=\"row\">2024-01</th><td>17</td>"));
	assert_null(strstr(body(f), "<script"));
	/* A period without experiences: nothing to analyse. */
	assert_int_equal(req(f, "GET", "/api/v1/trends", "since=2030-01-01", f->reader_token, NULL, NULL, NULL, 0), 422);
}

/* GET path?query with token; the response's status. */
static int get(fixture *f, const char *path, const char *query, const char *token)
{
	return req(f, "GET", path, query, token, NULL, NULL, NULL, 0);
}

/* The integer a.b (b NULL: a) of the last response's JSON; -1 when there
 * is none. */
static long long json_count_at(fixture *f, const char *a, const char *b)
{
	json_error_t err;
	json_t *j = json_loads(body(f), 0, &err), *v = j ? json_object_get(j, a) : NULL;
	if (v && b)
		v = json_object_get(v, b);
	long long n = json_is_integer(v) ? (long long)json_integer_value(v) : -1;
	json_decref(j);
	return n;
}

/* The feeling and department filters through the API's query string, the
 * dashboard's form, the comparison and the trends. The example's rows
 * carry the department's name (« Intitulé département usager »): in
 * Gironde and Nord, 6 and 5 exported négatif, 7 and 9 positif; 132 négatif
 * and 60 positif in all. */
static void test_feeling_and_department(void **state)
{
	fixture *f = *state;
	upload(f, f->analyst_token);
	assert_int_equal(get(f, "/api/v1/note", "feeling=negatif&department=Gironde,Nord&topics=2",
	                     f->reader_token),
	                 200);
	assert_int_equal(json_count_at(f, "counts", "analysed"), 11);
	assert_int_equal(json_count_at(f, "feelings", "negatif"), 11);
	assert_non_null(strstr(body(f), "\"feeling\": \"negatif\",\n      \"department\": \"Gironde,Nord\""));
	/* The accented spelling, encoded, with blanks: the same selection. */
	assert_int_equal(get(f, "/api/v1/note", "feeling=n%C3%A9gatif&department=+Nord+&topics=2",
	                     f->reader_token),
	                 200);
	assert_int_equal(json_count_at(f, "counts", "analysed"), 5);
	/* Bad values: 400 with the option's message. */
	assert_int_equal(get(f, "/api/v1/note", "feeling=bof", f->reader_token), 400);
	assert_non_null(strstr(body(f), "--feeling attend positif, neutre ou négatif (reçu « bof »)"));
	assert_int_equal(get(f, "/api/v1/note", "department=75%2C%2C92", f->reader_token), 400);
	/* Nothing left: 422. */
	assert_int_equal(get(f, "/api/v1/note", "feeling=neutre&department=Nowhere", f->reader_token), 422);

	/* The dashboard: the select keeps the choice, the input the text, the
	 * scope says both, and links carry them. */
	assert_int_equal(get(f, "/note", "feeling=positif&department=Nord&topics=2", f->reader_token), 200);
	assert_non_null(strstr(body(f), "<label for=\"f-feeling\">Ressenti</label><select id=\"f-feeling\" "
	                                "name=\"feeling\"><option value=\"\">tous</option><option value=\"positif\" "
	                                "selected>positif</option>"));
	assert_non_null(strstr(body(f), "<label for=\"f-department\">"));
	assert_non_null(strstr(body(f), "id=\"f-department\" name=\"department\" type=\"text\" value=\"Nord\""));
	assert_non_null(strstr(body(f), "ressenti = «\xc2\xa0positif\xc2\xa0»\xc2\xa0; département = «\xc2\xa0Nord"));
	assert_non_null(strstr(body(f), "&amp;feeling=positif&amp;department=Nord"));
	assert_int_equal(get(f, "/api/v1/note", "feeling=positif&department=Nord&topics=2", f->reader_token), 200);
	assert_int_equal(json_count_at(f, "counts", "analysed"), 9);

	/* The experiences of a topic: feeling picks among them by the export's
	 * feeling (inconnu too), as before; the topic is that of the note of the
	 * other filters, so the same topic as the note without feeling shows. */
	assert_int_equal(get(f, "/api/v1/experiences", "topic=1&topics=2&limit=200", f->analyst_token), 200);
	long long all = json_count_at(f, "total", NULL);
	long long by_feeling = 0;
	for (int k = VX_FEELING_UNKNOWN; k <= VX_FEELING_NEGATIVE; k++) {
		char query[96];
		snprintf(query, sizeof query, "topic=1&topics=2&limit=200&feeling=%s", vx_feeling_key((vx_feeling)k));
		assert_int_equal(get(f, "/api/v1/experiences", query, f->analyst_token), 200);
		by_feeling += json_count_at(f, "total", NULL);
	}
	assert_true(all > 0);
	assert_int_equal(by_feeling, all);
	/* department there is a filter of the note. */
	assert_int_equal(get(f, "/api/v1/experiences", "topic=1&topics=2&department=Nowhere", f->analyst_token), 422);

	/* Compare one feeling with another: each side its filter. */
	assert_int_equal(get(f, "/api/v1/compare", "a_feeling=negatif&b_feeling=positif&topics=3",
	                     f->reader_token),
	                 200);
	assert_int_equal(json_count_at(f, "a", "analysed"), 132);
	assert_int_equal(json_count_at(f, "b", "analysed"), 60);
	assert_non_null(strstr(body(f), "\"filters\":{\"feeling\":\"negatif\"}"));
	assert_int_equal(get(f, "/compare", "a_feeling=negatif&b_feeling=positif&b_department=Nord&topics=3",
	                     f->reader_token),
	                 200);
	assert_non_null(strstr(body(f), "<strong>A</strong> : ressenti négatif"));
	assert_non_null(strstr(body(f), "<strong>B</strong> : ressenti positif, département Nord"));
	assert_non_null(strstr(body(f), "<select id=\"f-b_feeling\" name=\"b_feeling\">"));
	assert_non_null(strstr(body(f), "<option value=\"negatif\" selected>négatif</option>"));

	/* Trends of the négatif experiences: every month's total is of them. */
	assert_int_equal(get(f, "/api/v1/trends", "feeling=negatif&topics=2", f->reader_token), 200);
	json_error_t err;
	json_t *j = json_loads(body(f), 0, &err), *totals = json_object_get(j, "totals");
	long long sum = 0;
	for (size_t m = 0; m < json_array_size(totals); m++)
		sum += json_integer_value(json_array_get(totals, m));
	json_decref(j);
	assert_int_equal(sum, 132);
}

/* Every API route of the server is a path of docs/openapi.yaml with its
 * method, and the file has no path the server lacks. */
static void test_openapi_matches_routes(void **state)
{
	(void)state;
	FILE *in = fopen(VX_EXAMPLES "/../docs/openapi.yaml", "r");
	assert_non_null(in);
	static char doc[65536];
	size_t len = fread(doc, 1, sizeof doc - 1, in);
	fclose(in);
	doc[len] = '\0';
	const char *method, *path;
	size_t api = 0;
	for (size_t i = 0; vx_server_route(i, &method, &path) == 0; i++) {
		if (strncmp(path, "/api/v1/", 8) != 0)
			continue;
		char key[128], verb[16];
		snprintf(key, sizeof key, "\n  %s:\n", path + 7);
		const char *p = strstr(doc, key);
		assert_non_null(p);
		size_t k = 0;
		for (; method[k] && k < sizeof verb - 6; k++)
			verb[k] = (char)(method[k] - 'A' + 'a');
		verb[k] = '\0';
		char want[32];
		snprintf(want, sizeof want, "\n    %s:", verb);
		const char *next = strstr(p + 1, "\n  /");
		const char *m = strstr(p, want);
		assert_true(m != NULL && (next == NULL || m < next));
		/* A path is documented once, whatever its methods. */
		const char *other_method, *other_path;
		int seen = 0;
		for (size_t j = 0; j < i && vx_server_route(j, &other_method, &other_path) == 0; j++)
			seen |= strcmp(other_path, path) == 0;
		api += !seen;
	}
	size_t documented = 0;
	for (const char *p = doc; (p = strstr(p, "\n  /")) != NULL; p++) {
		const char *end = strchr(p + 3, ':');
		documented++;
		assert_non_null(end);
		for (size_t i = 0; vx_server_route(i, &method, &path) == 0; i++)
			if (strncmp(path, "/api/v1/", 8) == 0 && strncmp(path + 7, p + 3, (size_t)(end - p - 3)) == 0 && strlen(path + 7) == (size_t)(end - p - 3))
				goto found;
		fail_msg("docs/openapi.yaml documents a path the server does not have");
	found:;
	}
	assert_true(api >= 6);
	assert_int_equal(documented, api);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_table),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_openapi_matches_routes),
		cmocka_unit_test_setup_teardown(test_open_and_closed_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_note_cache_and_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_csrf_and_throttle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_escape_and_highlight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts_admin_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_and_trends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feeling_and_department, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
