/*
 * The public form /avis and POST /api/v1/experiences, in process (no
 * socket): CSRF without a session, honeypot, rate limits, the messages
 * next to the fields, escaping, idempotency. Invented data only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "serving/collect.h"
#include "serving/handlers.h"
#include "serving/server.h"
#include "voix/accounts.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/store.h"

static const char PASSWORD[] = "correct-horse-42";
/* A structure whose name is an attribute and a script payload. */
static const char REFERENTIAL[] =
	"Code SP+ de la structure;Intitulé de la structure;Ville;Actif\n"
	"AAAA000001;Caf de Montclair;MONTCLAIR;Oui\n"
	"AAAA000002;\"Caf \"\"><script>alert(1)</script>\";VALBONNE;Oui\n";

typedef struct fixture {
	char dir[64], db[96];
	vx_server *srv;
	char token[VX_TOKEN_LEN + 1];
	vx_http_response r;
	char cookie[128], jeton[160];
	char bearer[100];
	time_t now;
} fixture;

static time_t clock_value;
static time_t test_clock(void)
{
	return clock_value;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	vx_store *s = NULL;
	vx_structures_counts c;
	snprintf(f->dir, sizeof f->dir, "/tmp/voix-collect-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	if (vx_store_open(&s, f->db) || vx_store_user_add(s, "partenaire", VX_ROLE_READER, PASSWORD) ||
	    vx_store_token_add(s, "partenaire", f->token) ||
	    vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c))
		return -1;
	vx_store_free(s);
	vx_server_options o = VX_SERVER_OPTIONS_INIT;
	o.db_path = f->db;
	o.max_upload = 1 << 20;
	if (vx_server_new(&f->srv, &o))
		return -1;
	clock_value = time(NULL);
	vx_server_set_clock(f->srv, test_clock);
	vx_http_response_init(&f->r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	vx_http_response_free(&f->r);
	vx_server_free(f->srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* One request from address addr; the response is f->r until the next. */
static int send_req(fixture *f, const char *method, const char *path, const char *query, const char *ctype,
                    const char *body, size_t len, const char *addr, const char *key, int with_token)
{
	vx_http_request rq = {method, path, query, body, len, 0, ctype, f->cookie[0] ? f->cookie : NULL, NULL, addr, key};
	if (with_token) {
		snprintf(f->bearer, sizeof f->bearer, "Bearer %s", f->token);
		rq.authorization = f->bearer;
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

/* GET /avis: keeps its cookie and the form's token. */
static void open_form(fixture *f)
{
	f->cookie[0] = '\0';
	assert_int_equal(send_req(f, "GET", "/avis", "", NULL, NULL, 0, "192.0.2.1", NULL, 0), 200);
	assert_true(strncmp(f->r.set_cookie, "voix_avis=", 10) == 0);
	assert_non_null(strstr(f->r.set_cookie, "HttpOnly; SameSite=Strict"));
	snprintf(f->cookie, sizeof f->cookie, "%.*s", (int)strcspn(f->r.set_cookie, ";"), f->r.set_cookie);
	const char *p = strstr(body(f), "name=\"jeton\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"jeton\" value=\"");
	snprintf(f->jeton, sizeof f->jeton, "%.*s", (int)strcspn(p, "\""), p);
}

/* Appends name=value percent-encoded to b (a & first unless empty). */
static void add(char *b, size_t cap, const char *name, const char *value)
{
	size_t n = strlen(b);
	if (n)
		b[n++] = '&';
	n += (size_t)snprintf(b + n, cap - n, "%s=", name);
	for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < cap; p++)
		n += (size_t)(((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		                  ? snprintf(b + n, cap - n, "%c", *p)
		                  : snprintf(b + n, cap - n, "%%%02X", *p));
}

/* A valid form body with field name set to value (NULL: none changed). */
static char *form(fixture *f, const char *name, const char *value)
{
	static char b[1 << 17];
	static const char *const fields[][2] = {
		{"structure", "AAAA000001"}, {"date", "2024-03-12"},      {"canaux", "Accueil"},
		{"canaux", "Téléphone"},     {"ressenti", "négatif"},     {"reactivite", "négatif"},
		{"titre", "Dossier perdu"},  {"poste_comme", "La personne concernée"},
		{"description", "Mon dossier a été perdu deux fois, personne ne répond."},
		{"consentement", "oui"},     {"action", "envoyer"},
	};
	b[0] = '\0';
	add(b, sizeof b, "jeton", f->jeton);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (name == NULL || strcmp(fields[i][0], name) != 0)
			add(b, sizeof b, fields[i][0], fields[i][1]);
	if (name && value)
		add(b, sizeof b, name, value);
	return b;
}

static int post_form(fixture *f, const char *b, const char *addr)
{
	return send_req(f, "POST", "/avis", "", "application/x-www-form-urlencoded", b, strlen(b), addr, NULL, 0);
}

static size_t stored(fixture *f)
{
	vx_store *s = NULL;
	size_t n = 0;
	assert_int_equal(vx_store_open(&s, f->db), 0);
	assert_int_equal(vx_collect_count(s, "à modérer", &n), 0);
	vx_store_free(s);
	return n;
}

static void test_form_page(void **state)
{
	fixture *f = *state;
	open_form(f);
	static const char *const must[] = {
		"<form method=\"post\" action=\"/avis\"", "<label for=\"q\">", "<label for=\"date\">",
		"<legend>Canal ou canaux", "<legend>Ressenti", "<label for=\"accessibilite\">", "<label for=\"titre\">",
		"<label for=\"description\">", "maxlength=\"5000\"", "<legend>Posté comme", "<label for=\"pseudonyme\">",
		"for=\"consentement\">J&#39;accepte", "name=\"site_web\"", "value=\"envoyer\"",
	};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		if (strstr(body(f), must[i]) == NULL)
			fail_msg("the form lacks %s", must[i]);
	/* No account needed, no navigation of the dashboard. */
	assert_null(strstr(body(f), "/deconnexion"));
	/* The search lists matching structures, names escaped. */
	char b[512] = "";
	add(b, sizeof b, "jeton", f->jeton);
	add(b, sizeof b, "q", "caf");
	add(b, sizeof b, "titre", "\"><script>alert(2)</script>");
	add(b, sizeof b, "action", "chercher");
	assert_int_equal(post_form(f, b, "192.0.2.1"), 200);
	assert_non_null(strstr(body(f), "value=\"AAAA000001\""));
	assert_non_null(strstr(body(f), "Caf &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(body(f), "<script>"));
	/* What was typed is kept, escaped. */
	assert_non_null(strstr(body(f), "value=\"&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\""));
	assert_int_equal(stored(f), 0);
	/* ?structure=CODE comes chosen. */
	assert_int_equal(send_req(f, "GET", "/avis", "structure=AAAA000001", NULL, NULL, 0, "192.0.2.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "value=\"AAAA000001\" checked"));
}

static void test_form_submit_and_csrf(void **state)
{
	fixture *f = *state;
	open_form(f);
	assert_int_equal(post_form(f, form(f, NULL, NULL), "192.0.2.1"), 303);
	assert_string_equal(f->r.location, "/avis/merci?n=1");
	assert_int_equal(stored(f), 1);
	assert_int_equal(send_req(f, "GET", "/avis/merci", "n=1", NULL, NULL, 0, "192.0.2.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "sous le numéro 1"));
	/* Without the token, with another visitor's cookie, or a token too old: refused. */
	assert_int_equal(post_form(f, form(f, "jeton", NULL) + strlen("jeton=") + strlen(f->jeton) + 1, "192.0.2.1"),
	                 403);
	char mine[128];
	snprintf(mine, sizeof mine, "%s", f->cookie);
	snprintf(f->cookie, sizeof f->cookie, "voix_avis=%064d", 7);
	assert_int_equal(post_form(f, form(f, NULL, NULL), "192.0.2.1"), 403);
	snprintf(f->cookie, sizeof f->cookie, "%s", mine);
	clock_value += VX_COLLECT_FORM_SECONDS + 1;
	assert_int_equal(post_form(f, form(f, NULL, NULL), "192.0.2.1"), 403);
	assert_non_null(strstr(body(f), "rechargez la page"));
	assert_int_equal(stored(f), 1);
}

static void test_form_errors_next_to_fields(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *name, *value, *field, *says;
	} cases[] = {
		{"titre", "", "titre", "ce champ est obligatoire"},
		{"description", "Court", "description", "10 caractères au moins"},
		{"date", "2999-01-01", "date", "futur"},
		{"ressenti", "", "ressenti", "positif, neutre ou négatif"},
		{"structure", "ZZZZ", "structure", "structure inconnue"},
		{"consentement", "non", "consentement", "cochez la case"},
	};
	open_form(f);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[64];
		if (post_form(f, form(f, cases[i].name, cases[i].value), "192.0.2.2") != 422)
			fail_msg("case %zu (%s) not refused", i, cases[i].name);
		snprintf(id, sizeof id, "<p class=\"field-error\" id=\"%s-erreur\">", cases[i].field);
		const char *p = strstr(body(f), id);
		if (p == NULL || strstr(p, cases[i].says) == NULL)
			fail_msg("no message « %s » next to %s", cases[i].says, cases[i].field);
		assert_non_null(strstr(body(f), "role=\"alert\" id=\"erreurs\""));
		clock_value += VX_COLLECT_RATE_WINDOW; /* not the rate limit's test */
		open_form(f);
	}
	/* An injection in a title too long is shown back escaped. */
	char payload[256] = "";
	for (int i = 0; i < 6; i++)
		strcat(payload, "<img src=x onerror=alert(3)>");
	assert_int_equal(post_form(f, form(f, "titre", payload), "192.0.2.2"), 422);
	assert_non_null(strstr(body(f), "value=\"&lt;img src=x onerror=alert(3)&gt;&lt;img"));
	assert_non_null(strstr(body(f), "150 caractères au plus (le vôtre en compte 168)"));
	assert_null(strstr(body(f), "<img"));
	/* 5,001 characters: refused with the count; a body past the form's limit: 413. */
	static char big[5002];
	memset(big, 'a', 5001);
	assert_int_equal(post_form(f, form(f, "description", big), "192.0.2.2"), 422);
	assert_non_null(strstr(body(f), "5000 caractères au plus (le vôtre en compte 5001)"));
	static char huge[VX_COLLECT_FORM_MAX / 3 + 16];
	memset(huge, '%', sizeof huge - 1); /* each byte encoded as %25 */
	assert_int_equal(post_form(f, form(f, "description", huge), "192.0.2.2"), 413);
	assert_int_equal(stored(f), 0);
}

static void test_form_honeypot_and_rate_limit(void **state)
{
	fixture *f = *state;
	open_form(f);
	/* A filled honeypot looks like a success; nothing is stored. */
	assert_int_equal(post_form(f, form(f, "site_web", "http://spam.example"), "198.51.100.7"), 303);
	assert_int_equal(stored(f), 0);
	for (int i = 1; i < VX_COLLECT_RATE_MAX; i++)
		assert_int_equal(post_form(f, form(f, NULL, NULL), "198.51.100.7"), 303);
	assert_int_equal(post_form(f, form(f, NULL, NULL), "198.51.100.7"), 429);
	assert_non_null(strstr(body(f), "trop d&#39;envois depuis votre adresse"));
	/* Searching is not counted; another address is not limited. */
	assert_int_equal(post_form(f, form(f, "action", "chercher"), "198.51.100.7"), 200);
	assert_int_equal(post_form(f, form(f, NULL, NULL), "198.51.100.8"), 303);
	assert_int_equal(stored(f), VX_COLLECT_RATE_MAX);
	/* The window ends. */
	clock_value += VX_COLLECT_RATE_WINDOW;
	open_form(f);
	assert_int_equal(post_form(f, form(f, NULL, NULL), "198.51.100.7"), 303);
}

static const char JSON_OK[] =
	"{\"structure\":\"AAAA000001\",\"date\":\"2024-03-12\",\"canaux\":[\"Accueil\"],\"ressenti\":\"positif\","
	"\"titre\":\"Accueil rapide\",\"description\":\"Reçu en dix minutes, dossier réglé.\","
	"\"poste_comme\":\"La personne concernée\",\"consentement\":true,\"relation\":\"positif\"}";

static int post_json(fixture *f, const char *json, const char *key, int token)
{
	f->cookie[0] = '\0';
	return send_req(f, "POST", "/api/v1/experiences", "", "application/json", json, strlen(json), "203.0.113.5", key,
	                token);
}

static void test_api_submit(void **state)
{
	fixture *f = *state;
	assert_int_equal(post_json(f, JSON_OK, NULL, 0), 401);
	assert_int_equal(send_req(f, "POST", "/api/v1/experiences", "", "text/plain", JSON_OK, strlen(JSON_OK),
	                          "203.0.113.5", NULL, 1),
	                 415);
	assert_int_equal(post_json(f, JSON_OK, "cle-A", 1), 201);
	assert_string_equal(body(f), "{\"id\":1,\"statut\":\"à modérer\",\"rejoue\":false}\n");
	assert_int_equal(post_json(f, JSON_OK, "cle-A", 1), 201);
	assert_string_equal(body(f), "{\"id\":1,\"statut\":\"à modérer\",\"rejoue\":true}\n");
	assert_int_equal(stored(f), 1);
	static const char other[] = "{\"structure\":\"AAAA000001\",\"date\":\"2024-03-12\",\"canaux\":[\"Accueil\"],"
	                            "\"ressenti\":\"neutre\",\"titre\":\"Autre\",\"description\":\"Un autre texte assez long.\","
	                            "\"poste_comme\":\"La personne concernée\",\"consentement\":true}";
	assert_int_equal(post_json(f, other, "cle-A", 1), 409);
	assert_non_null(strstr(body(f), "\"code\":\"conflict\""));
	assert_int_equal(post_json(f, other, NULL, 1), 201);
	assert_int_equal(stored(f), 2);
	static const struct {
		const char *json;
		int status;
		const char *says;
	} bad[] = {
		{"{\"titre\":", 400, "JSON illisible"},
		{"[1,2]", 400, "un objet JSON"},
		{"{\"titre\":\"a\",\"titre\":\"b\"}", 400, "JSON illisible"},
		{"{\"inconnu\":1}", 400, "membre inconnu"},
		{"{\"canaux\":\"Accueil\"}", 422, "\"canaux\":\"Canal ou canaux : une liste de textes attendu.\""},
		{"{\"consentement\":\"oui\"}", 422, "\"consentement\":"},
		{"{\"titre\":\"<script>x</script>\"}", 422, "\"description\":\"Description : ce champ est obligatoire.\""},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(post_json(f, bad[i].json, NULL, 1), bad[i].status);
		if (strstr(body(f), bad[i].says) == NULL)
			fail_msg("case %zu: %s lacks %s", i, body(f), bad[i].says);
	}
	/* Past the API's limit: 413. */
	static char huge[VX_SUBMISSION_JSON_MAX + 64];
	memset(huge, ' ', sizeof huge - 1);
	huge[0] = '{';
	huge[sizeof huge - 2] = '}';
	assert_int_equal(post_json(f, huge, NULL, 1), 413);
	assert_int_equal(stored(f), 2);
}

static void test_roles_moderator_agent(void **state)
{
	fixture *f = *state;
	static const struct {
		vx_role have, need;
		int allowed;
	} cases[] = {
		{VX_ROLE_MODERATOR, VX_ROLE_READER, 1},  {VX_ROLE_MODERATOR, VX_ROLE_ANALYST, 0},
		{VX_ROLE_MODERATOR, VX_ROLE_AGENT, 0},   {VX_ROLE_AGENT, VX_ROLE_MODERATOR, 0},
		{VX_ROLE_AGENT, VX_ROLE_AGENT, 1},       {VX_ROLE_ADMIN, VX_ROLE_MODERATOR, 1},
		{VX_ROLE_ANALYST, VX_ROLE_MODERATOR, 0}, {VX_ROLE_NONE, VX_ROLE_READER, 0},
		{VX_ROLE_READER, VX_ROLE_NONE, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(vx_account_role_allows(cases[i].have, cases[i].need), cases[i].allowed);
	vx_role r;
	assert_int_equal(vx_account_role_parse(&r, "moderateur"), 0);
	assert_int_equal(r, VX_ROLE_MODERATOR);
	assert_string_equal(vx_account_role_name(VX_ROLE_AGENT), "agent");
	/* An agent is attached to structures of the referential only. */
	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, f->db), 0);
	assert_int_equal(vx_store_user_add(s, "agt", VX_ROLE_AGENT, PASSWORD), 0);
	assert_int_equal(vx_store_user_add(s, "mod", VX_ROLE_MODERATOR, PASSWORD), 0);
	assert_int_equal(vx_store_agent_attach(s, "agt", "AAAA000001"), 0);
	assert_int_equal(vx_store_agent_attach(s, "agt", "AAAA000001"), 0); /* once */
	assert_int_equal(vx_store_agent_attach(s, "agt", "ZZZZ"), VX_ENOTFOUND);
	assert_int_equal(vx_store_agent_attach(s, "mod", "AAAA000001"), VX_EINVAL);
	assert_int_equal(vx_store_user_check(s, "mod", PASSWORD, &r), 0);
	assert_int_equal(r, VX_ROLE_MODERATOR);
	vx_store_free(s);
}

/* Signs name in with role straight in the server's sessions (login itself
 * is tested in test_serve); keeps the cookie in f and the CSRF in csrf. */
static void session_as(fixture *f, const char *name, vx_role role, char csrf[65])
{
	vx_session sess;
	vx_session_create(f->srv, name, role, &sess);
	snprintf(f->cookie, sizeof f->cookie, "voix_session=%s", sess.id);
	snprintf(csrf, 65, "%s", sess.csrf);
}

static int post_session_form(fixture *f, const char *b)
{
	return send_req(f, "POST", "/moderation", "", "application/x-www-form-urlencoded", b, strlen(b), "127.0.0.1",
	                NULL, 0);
}

typedef struct published {
	char status[32], text[512];
} published;

static int keep_published(const vx_collected *c, void *payload)
{
	published *p = payload;
	snprintf(p->status, sizeof p->status, "%s", c->status);
	snprintf(p->text, sizeof p->text, "%s", c->published_description);
	return 0;
}

static void test_moderation_queue(void **state)
{
	fixture *f = *state;
	static const char json[] =
		"{\"structure\":\"AAAA000001\",\"date\":\"2024-03-12\",\"canaux\":[\"Accueil\"],\"ressenti\":\"négatif\","
		"\"titre\":\"<script>alert(1)</script>\",\"description\":\"Écrivez à jean.durandal@exemple.fr "
		"\\\"><img src=x onerror=alert(2)> merci.\",\"poste_comme\":\"La personne concernée\",\"consentement\":true}";
	char csrf[65], b[1024];
	assert_int_equal(post_json(f, json, NULL, 1), 201);
	assert_int_equal(post_json(f, json, NULL, 1), 201);
	/* Only moderators (and administrators) see the queue. */
	session_as(f, "ana", VX_ROLE_ANALYST, csrf);
	assert_int_equal(send_req(f, "GET", "/moderation", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 403);
	session_as(f, "mod", VX_ROLE_MODERATOR, csrf);
	assert_int_equal(send_req(f, "GET", "/", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 303);
	assert_string_equal(f->r.location, "/moderation");
	assert_int_equal(send_req(f, "GET", "/moderation", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "2 expériences à modérer"));
	assert_non_null(strstr(body(f), "[EMAIL]\">jean.durandal@exemple.fr</mark>"));
	assert_non_null(strstr(body(f), "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(body(f), "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
	assert_null(strstr(body(f), "<script>"));
	assert_null(strstr(body(f), "<img"));
	/* CSRF enforced; a rejection needs its motif. */
	assert_int_equal(post_session_form(f, "id=1&decision=publier"), 403);
	snprintf(b, sizeof b, "csrf=%s&id=2&decision=rejeter&motif=", csrf);
	assert_int_equal(post_session_form(f, b), 422);
	assert_non_null(strstr(body(f), "Motif de rejet"));
	snprintf(b, sizeof b, "csrf=%s&id=2&decision=rejeter&motif=Doublon+du+n%%C2%%B0+1", csrf);
	assert_int_equal(post_session_form(f, b), 200);
	assert_non_null(strstr(body(f), "Expérience n° 2 rejetée."));
	snprintf(b, sizeof b, "csrf=%s&id=1&decision=publier", csrf);
	assert_int_equal(post_session_form(f, b), 200);
	assert_non_null(strstr(body(f), "0 expérience à modérer"));
	assert_int_equal(post_session_form(f, b), 422); /* already published */
	vx_store *s = NULL;
	published p = {"", ""};
	assert_int_equal(vx_store_open(&s, f->db), 0);
	assert_int_equal(vx_collect_get(s, 1, keep_published, &p), 0);
	vx_store_free(s);
	assert_string_equal(p.status, "publiée");
	assert_non_null(strstr(p.text, "[EMAIL]"));
	assert_null(strstr(p.text, "durandal"));
	/* The audit log: administrators only, escaped. */
	assert_int_equal(send_req(f, "GET", "/journal", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 403);
	session_as(f, "adm", VX_ROLE_ADMIN, csrf);
	assert_int_equal(send_req(f, "GET", "/journal", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "<td>mod</td><td>publication</td><td>expérience 1</td>"));
	assert_non_null(strstr(body(f), "<td>rejet</td><td>expérience 2</td><td>Doublon du n° 1</td>"));
}

static void test_reply_pages(void **state)
{
	fixture *f = *state;
	static const char first[] =
		"{\"structure\":\"AAAA000001\",\"date\":\"2024-03-12\",\"canaux\":[\"Accueil\"],\"ressenti\":\"négatif\","
		"\"titre\":\"Allocation suspendue\",\"description\":\"Mon allocation logement est suspendue depuis trois mois.\","
		"\"poste_comme\":\"La personne concernée\",\"consentement\":true}";
	static const char second[] =
		"{\"structure\":\"AAAA000001\",\"date\":\"2024-04-02\",\"canaux\":[\"Accueil\"],\"ressenti\":\"négatif\","
		"\"titre\":\"Logement\",\"description\":\"Allocation logement suspendue, toujours rien après trois mois.\","
		"\"poste_comme\":\"La personne concernée\",\"consentement\":true}";
	char csrf[65], b[512];
	assert_int_equal(post_json(f, first, NULL, 1), 201);
	assert_int_equal(post_json(f, second, NULL, 1), 201);
	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, f->db), 0);
	assert_int_equal(vx_collect_moderate(s, 1, "mod", 1, NULL), 0);
	assert_int_equal(vx_collect_moderate(s, 2, "mod", 1, NULL), 0);
	assert_int_equal(vx_store_user_add(s, "agt", VX_ROLE_AGENT, PASSWORD), 0);
	assert_int_equal(vx_store_user_add(s, "loin", VX_ROLE_AGENT, PASSWORD), 0);
	assert_int_equal(vx_store_agent_attach(s, "agt", "AAAA000001"), 0);
	assert_int_equal(vx_store_agent_attach(s, "loin", "AAAA000002"), 0);
	vx_store_free(s);
	/* Another structure's agent cannot open nor answer it. */
	session_as(f, "loin", VX_ROLE_AGENT, csrf);
	assert_int_equal(send_req(f, "GET", "/reponses", "n=1", NULL, NULL, 0, "127.0.0.1", NULL, 0), 403);
	snprintf(b, sizeof b, "csrf=%s&id=1&reponse=Bonjour", csrf);
	assert_int_equal(send_req(f, "POST", "/reponses", "", "application/x-www-form-urlencoded", b, strlen(b),
	                          "127.0.0.1", NULL, 0),
	                 422);
	session_as(f, "agt", VX_ROLE_AGENT, csrf);
	assert_int_equal(send_req(f, "GET", "/", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 303);
	assert_string_equal(f->r.location, "/reponses");
	assert_int_equal(send_req(f, "GET", "/moderation", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 403);
	/* CSRF; an empty reply; then a reply with markup, escaped everywhere. */
	assert_int_equal(send_req(f, "POST", "/reponses", "", "application/x-www-form-urlencoded", "id=1&reponse=x", 14,
	                          "127.0.0.1", NULL, 0),
	                 403);
	snprintf(b, sizeof b, "csrf=%s&id=1&reponse=+", csrf);
	assert_int_equal(send_req(f, "POST", "/reponses", "", "application/x-www-form-urlencoded", b, strlen(b),
	                          "127.0.0.1", NULL, 0),
	                 422);
	assert_non_null(strstr(body(f), "écrivez la réponse"));
	snprintf(b, sizeof b, "csrf=%s&id=1&reponse=Dossier+d%%C3%%A9bloqu%%C3%%A9+%%3Cscript%%3Ex%%3C%%2Fscript%%3E", csrf);
	assert_int_equal(send_req(f, "POST", "/reponses", "", "application/x-www-form-urlencoded", b, strlen(b),
	                          "127.0.0.1", NULL, 0),
	                 303);
	assert_int_equal(send_req(f, "GET", "/reponses", "", NULL, NULL, 0, "127.0.0.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "<td>avec réponse</td>"));
	assert_non_null(strstr(body(f), "<td>en attente de réponse</td>"));
	/* The assistance beside the second: the first, its reply and its rate. */
	assert_int_equal(send_req(f, "GET", "/reponses", "n=2", NULL, NULL, 0, "127.0.0.1", NULL, 0), 200);
	const char *sim = strstr(body(f), "<h3>n° 1 – similarité ");
	assert_non_null(sim);
	int rate = atoi(sim + strlen("<h3>n° 1 – similarité "));
	assert_true(rate > 0 && rate <= 100);
	assert_non_null(strstr(body(f), "Réponse : Dossier débloqué &lt;script&gt;x&lt;/script&gt;"));
	assert_null(strstr(body(f), "<script>"));
	assert_int_equal(send_req(f, "GET", "/reponses", "n=abc", NULL, NULL, 0, "127.0.0.1", NULL, 0), 404);
	/* The public page, without account: published texts and replies, escaped. */
	f->cookie[0] = '\0';
	assert_int_equal(send_req(f, "GET", "/structure", "code=AAAA000001", NULL, NULL, 0, "127.0.0.1", NULL, 0), 200);
	assert_non_null(strstr(body(f), "Dossier débloqué &lt;script&gt;x&lt;/script&gt;"));
	assert_non_null(strstr(body(f), "avec réponse"));
	assert_null(strstr(body(f), "<script>"));
	assert_int_equal(send_req(f, "GET", "/structure", "code=%22%3E%3Cscript%3E", NULL, NULL, 0, "127.0.0.1", NULL, 0),
	                 404);
	assert_null(strstr(body(f), "<script>"));
	/* The export: the 2025 header, the reply with its markup as CSV text. */
	char *csv = NULL;
	size_t len = 0, n = 0;
	assert_int_equal(vx_store_open(&s, f->db), 0);
	assert_int_equal(vx_collect_export(s, &csv, &len, &n), 0);
	vx_store_free(s);
	assert_int_equal(n, 2);
	static const char head[] = "\xEF\xBB\xBFID expérience;Écrit le;Date de publication;Pseudonyme usager;Titre;";
	assert_int_equal(strncmp(csv, head, sizeof head - 1), 0);
	assert_non_null(strstr(csv, ";Dossier débloqué <script>x</script>;Expérience avec réponse;"));
	assert_non_null(strstr(csv, ";;Expérience en attente de réponse;"));
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_form_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_submit_and_csrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_errors_next_to_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_honeypot_and_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_submit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roles_moderator_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moderation_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
