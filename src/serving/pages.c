/*
 * The dashboard's pages: server-rendered French HTML that works without
 * JavaScript. Every text from users or exports goes through vx_html_text
 * (experience texts also through the masker).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serving/collect.h"
#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/collect.h"
#include "voix/error.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))

static vx_buf *out(vx_rq *rq)
{
	return &rq->resp->body;
}

int vx_page_begin(vx_rq *rq, const char *title)
{
	return vx_html_begin(out(rq), title, rq->role > VX_ROLE_NONE ? rq->user : NULL,
	                     rq->sess ? rq->sess->csrf : "", vx_account_role_allows(rq->role, VX_ROLE_ANALYST),
	                     rq->role == VX_ROLE_ADMIN);
}

/* The note filters of the request as "&name=value" pairs, for links. */
static int put_filters(vx_rq *rq, vx_buf *b)
{
	int rc = 0;
	for (size_t i = 0; i < vx_note_filter_count && rc == 0; i++) {
		const char *v = vx_params_get(&rq->query, vx_note_filter_names[i]);
		if (v && *v) {
			rc = vx_buf_printf(b, "&amp;%s=", vx_note_filter_names[i]);
			OK_OR(rc, vx_html_url(b, v));
		}
	}
	return rc;
}

static int csrf_field(vx_rq *rq)
{
	int rc = vx_buf_puts(out(rq), "<input type=\"hidden\" name=\"csrf\" value=\"");
	OK_OR(rc, vx_html_puts(out(rq), rq->sess ? rq->sess->csrf : ""));
	OK_OR(rc, vx_buf_puts(out(rq), "\">\n"));
	return rc;
}

static int login_form(vx_rq *rq, const char *error)
{
	size_t users = 0;
	int rc = vx_page_begin(rq, "Connexion");
	if (rc == 0 && vx_store_user_count(rq->store, &users) == 0 && users == 0)
		rc = vx_buf_puts(out(rq), "<p class=\"notice\">Aucun compte n'existe encore. Créez le premier sur le "
		                          "serveur : <code>voix user add NOM --role administrateur</code> (le mot de "
		                          "passe est lu sur l'entrée standard).</p>\n");
	if (rc == 0 && error) {
		rc = vx_buf_puts(out(rq), "<p class=\"error\" role=\"alert\">");
		OK_OR(rc, vx_html_puts(out(rq), error));
		OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "<form method=\"post\" action=\"/connexion\">\n"));
	OK_OR(rc, csrf_field(rq));
	OK_OR(rc, vx_buf_puts(out(rq), "<label for=\"nom\">Nom d'utilisateur</label>\n"
	                              "<input id=\"nom\" name=\"nom\" autocomplete=\"username\" required>\n"
	                              "<label for=\"motdepasse\">Mot de passe</label>\n"
	                              "<input id=\"motdepasse\" name=\"motdepasse\" type=\"password\" "
	                              "autocomplete=\"current-password\" required>\n"
	                              "<p><button type=\"submit\">Se connecter</button></p>\n</form>\n"));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_page_login(vx_rq *rq)
{
	if (rq->role > VX_ROLE_NONE) {
		vx_redirect(rq, "/note");
		return 0;
	}
	if (rq->sess == NULL) {
		if (vx_session_create(rq->srv, NULL, VX_ROLE_NONE, &rq->sess_copy) != 0)
			return vx_fail(rq, 503, "la base ne répond pas");
		rq->sess = &rq->sess_copy;
		vx_session_cookie(rq, rq->sess);
	}
	return login_form(rq, NULL);
}

int vx_do_login(vx_rq *rq)
{
	const char *name = vx_params_get(&rq->form, "nom"), *password = vx_params_get(&rq->form, "motdepasse");
	vx_role role = VX_ROLE_NONE;
	/* The attempt counts as a failure until the password proves right. */
	int refused = vx_throttle_try(rq->srv, name ? name : "");
	if (refused < 0)
		return vx_fail(rq, 503, "la base ne répond pas");
	if (refused) {
		rq->resp->status = 429;
		return login_form(rq, "Trop d'essais pour ce compte : réessayez dans un quart d'heure.");
	}
	if (vx_store_user_check(rq->store, name ? name : "", password ? password : "", &role) != 0) {
		rq->resp->status = 401;
		return login_form(rq, "Nom d'utilisateur ou mot de passe incorrect.");
	}
	/* A new session id at sign-in: the login form's one is dropped. */
	if (vx_throttle_clear(rq->srv, name) != 0 || vx_session_end(rq->srv, rq->sess->id) != 0 ||
	    vx_session_create(rq->srv, name, role, &rq->sess_copy) != 0)
		return vx_fail(rq, 503, "la base ne répond pas");
	vx_session_cookie(rq, rq->sess);
	vx_redirect(rq, vx_collect_home(role));
	return 0;
}

int vx_do_logout(vx_rq *rq)
{
	if (rq->sess && vx_session_end(rq->srv, rq->sess->id) != 0)
		return vx_fail(rq, 503, "la base ne répond pas");
	vx_session_cookie(rq, NULL);
	vx_redirect(rq, "/connexion");
	return 0;
}

int vx_page_home(vx_rq *rq)
{
	vx_redirect(rq, vx_collect_home(rq->role));
	return 0;
}

int vx_static_css(vx_rq *rq)
{
	rq->resp->content_type = "text/css; charset=utf-8";
	return vx_buf_puts(out(rq), vx_html_css(rq->srv->dsfr));
}

static int filter_form(vx_rq *rq)
{
	static const struct {
		const char *name, *label, *type;
	} fields[] = {
		{"service", "Type de service", "text"},
		{"structure", "Structure", "text"},
		{"channel", "Canal", "text"},
		{"feeling", "Ressenti", "select"},
		{"department", "Département (codes séparés par des virgules)", "text"},
		{"since", "Depuis le", "date"},
		{"until", "Jusqu'au", "date"},
		{"topics", "Nombre de sujets", "number"},
	};
	int rc = vx_buf_puts(out(rq), "<form method=\"get\" action=\"/note\">\n<fieldset class=\"filters\">"
	                              "<legend>Filtres</legend>\n");
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == 0; i++) {
		const char *v = vx_params_get(&rq->query, fields[i].name);
		char id[32];
		snprintf(id, sizeof id, "f-%s", fields[i].name);
		if (strcmp(fields[i].type, "select") == 0) {
			rc = vx_feeling_select(out(rq), id, fields[i].name, fields[i].label, v);
			continue;
		}
		rc = vx_buf_printf(out(rq),
		                   "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"%s\"%s "
		                   "value=\"",
		                   id, fields[i].label, id, fields[i].name, fields[i].type,
		                   strcmp(fields[i].type, "number") == 0 ? " min=\"1\" max=\"20\"" : "");
		OK_OR(rc, vx_html_puts(out(rq), v ? v : ""));
		OK_OR(rc, vx_buf_puts(out(rq), "\"></div>\n"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "</fieldset>\n<p><button type=\"submit\">Afficher la note</button></p>\n</form>\n"));
	return rc;
}

/* What lies between open and close in html, or NULL. */
static const char *between(const char *html, const char *open, const char *close, size_t *len)
{
	const char *a = strstr(html, open), *b;
	if (a == NULL)
		return NULL;
	a += strlen(open);
	if ((b = strstr(a, close)) == NULL)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

static int topic_links(vx_rq *rq, const vx_note *n)
{
	int rc = vx_buf_puts(out(rq), "<section aria-labelledby=\"explorer\"><h2 id=\"explorer\">Explorer les "
	                              "expériences d'un sujet</h2>\n<ul>\n");
	for (size_t i = 0; i < n->n_topics && rc == 0; i++) {
		rc = vx_buf_printf(out(rq), "<li><a href=\"/note/sujet?n=%zu", i + 1);
		OK_OR(rc, put_filters(rq, out(rq)));
		OK_OR(rc, vx_buf_puts(out(rq), "\">"));
		OK_OR(rc, vx_html_puts(out(rq), n->topics[i].label));
		OK_OR(rc, vx_buf_printf(out(rq), "</a> (%zu expériences)</li>\n", n->topics[i].count));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "</ul>\n</section>\n"));
	return rc;
}

int vx_page_note(vx_rq *rq)
{
	vx_cache_entry *e = NULL;
	int hit = 0, rc = vx_note_for(rq, &e, &hit);
	if (rc)
		return rc == 1 ? 0 : rc;
	rq->resp->cache = hit ? "hit" : "miss";
	rc = vx_page_begin(rq, "Note de synthèse");
	OK_OR(rc, filter_form(rq));
	if (rc == 0 && hit)
		rc = vx_buf_printf(out(rq), "<p class=\"notice\" id=\"cache\">Note servie depuis le cache (mêmes données, "
		                            "mêmes options ; calculée en %.2f s).</p>\n", e->seconds);
	else if (rc == 0)
		rc = vx_buf_printf(out(rq), "<p class=\"notice\" id=\"cache\">Note calculée en %.2f s.</p>\n", e->seconds);
	OK_OR(rc, vx_buf_puts(out(rq), "<p>Télécharger : "));
	static const char *const formats[][2] = {
		{"md", "Markdown"}, {"html", "HTML"}, {"json", "JSON"}, {"assignments", "affectations (CSV)"}};
	for (size_t i = 0; i < 4 && rc == 0; i++) {
		rc = vx_buf_printf(out(rq), "%s<a href=\"/note/telecharger?format=%s", i ? " · " : "", formats[i][0]);
		OK_OR(rc, put_filters(rq, out(rq)));
		OK_OR(rc, vx_buf_printf(out(rq), "\">%s</a>", formats[i][1]));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	if (rc == 0 && vx_account_role_allows(rq->role, VX_ROLE_ANALYST))
		rc = topic_links(rq, e->note);
	size_t style_len = 0, body_len = 0;
	const char *style = between(e->html, "<style>", "</style>", &style_len);
	const char *body = between(e->html, "<body>", "</body>", &body_len);
	if (rc == 0 && style) {
		rc = vx_buf_puts(out(rq), "<style>");
		OK_OR(rc, vx_buf_append(out(rq), style, style_len));
		OK_OR(rc, vx_buf_puts(out(rq), "</style>\n"));
	}
	/* The library's rendering, already escaped; its <main> becomes a div. */
	if (rc == 0 && body) {
		rc = vx_buf_puts(out(rq), "<div class=\"note\">");
		for (const char *p = body; rc == 0 && p < body + body_len;) {
			const char *m = strstr(p, "<main");
			if (m == NULL || m >= body + body_len) {
				rc = vx_buf_append(out(rq), p, (size_t)(body + body_len - p));
				break;
			}
			rc = vx_buf_append(out(rq), p, (size_t)(m - p));
			OK_OR(rc, vx_buf_puts(out(rq), "<div"));
			p = m + 5;
		}
		OK_OR(rc, vx_buf_puts(out(rq), "</div>\n"));
	}
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_download_note(vx_rq *rq)
{
	const char *name = vx_params_get(&rq->query, "format");
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	vx_cache_entry *e = NULL;
	char *text = NULL;
	size_t len = 0;
	int hit = 0, rc;
	if (name && strcmp(name, "assignments") == 0)
		ro.format = VX_NOTE_FORMAT_ASSIGNMENTS;
	else if (vx_note_format_from_name(&ro.format, name ? name : "md") != 0)
		return vx_fail(rq, 400, vx_error_last());
	if ((rc = vx_note_for(rq, &e, &hit)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = vx_note_render(&text, &len, e->note, &ro)) != 0)
		return rc;
	static const char *const types[] = {"text/markdown; charset=utf-8", "text/html; charset=utf-8",
	                                    "application/json", "text/csv; charset=utf-8"};
	static const char *const names[] = {"note.md", "note.html", "note.json", "affectations.csv"};
	rq->resp->content_type = types[ro.format];
	rq->resp->cache = hit ? "hit" : "miss";
	snprintf(rq->resp->disposition, sizeof rq->resp->disposition, "attachment; filename=\"%s\"", names[ro.format]);
	rc = vx_buf_append(out(rq), text, len);
	free(text);
	return rc;
}

/* A whole number from 1 to max in the query, or def when absent; 0 when bad. */
static size_t query_number(vx_rq *rq, const char *name, size_t def, size_t max)
{
	const char *v = vx_params_get(&rq->query, name);
	char *end = NULL;
	if (v == NULL || *v == '\0')
		return def;
	if (*v < '0' || *v > '9')
		return 0;
	unsigned long long n = strtoull(v, &end, 10);
	return *end || n == 0 || n > max ? 0 : (size_t)n;
}

/* The experience's text with the topic's verbatim span in <mark>. */
static int put_experience(vx_rq *rq, const vx_experience *x, const vx_topic *t)
{
	const vx_verbatim *v = NULL;
	for (size_t i = 0; t && i < t->n_verbatims; i++)
		if (strcmp(t->verbatims[i].experience_id, x->id) == 0)
			v = &t->verbatims[i];
	int rc = vx_buf_puts(out(rq), "<article class=\"exp\"><h3>");
	OK_OR(rc, vx_html_puts(out(rq), x->id));
	OK_OR(rc, vx_buf_puts(out(rq), "</h3>\n<p class=\"meta\">"));
	OK_OR(rc, vx_html_puts(out(rq), x->date));
	OK_OR(rc, vx_buf_printf(out(rq), " · %s · ", vx_feeling_name(x->feeling)));
	OK_OR(rc, vx_put_masked(rq, out(rq), x->structure, strlen(x->structure)));
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	static const char *const fields[] = {"title", "text"};
	for (size_t f = 0; f < 2 && rc == 0; f++) {
		const char *s = f ? x->text : x->title;
		size_t n = strlen(s);
		if (n == 0)
			continue;
		rc = vx_buf_puts(out(rq), f ? "<p class=\"text\">" : "<p class=\"title\"><strong>");
		if (v && strcmp(v->field, fields[f]) == 0 && v->start <= v->end && v->end <= n) {
			OK_OR(rc, vx_put_masked(rq, out(rq), s, v->start));
			OK_OR(rc, vx_buf_puts(out(rq), "<mark class=\"verbatim\">"));
			OK_OR(rc, vx_put_masked(rq, out(rq), s + v->start, v->end - v->start));
			OK_OR(rc, vx_buf_puts(out(rq), "</mark>"));
			OK_OR(rc, vx_put_masked(rq, out(rq), s + v->end, n - v->end));
		} else {
			OK_OR(rc, vx_put_masked(rq, out(rq), s, n));
		}
		OK_OR(rc, vx_buf_puts(out(rq), f ? "</p>\n" : "</strong></p>\n"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "</article>\n"));
	return rc;
}

int vx_page_topic(vx_rq *rq)
{
	vx_cache_entry *e = NULL;
	int hit = 0, rc = vx_note_for(rq, &e, &hit);
	if (rc)
		return rc == 1 ? 0 : rc;
	const vx_note *n = e->note;
	size_t k = query_number(rq, "n", 0, n->n_topics), page = query_number(rq, "page", 1, (size_t)1 << 30);
	const char *feeling = vx_params_get(&rq->query, "ressenti");
	if (k == 0 || page == 0)
		return vx_fail(rq, 404, "ce sujet n'existe pas dans cette note");
	const vx_topic *t = &n->topics[k - 1];
	const vx_corpus *c = vx_analysis_corpus(e->loaded->analysis);
	char title[300];
	snprintf(title, sizeof title, "Sujet %zu : %s", k, t->label);
	rc = vx_page_begin(rq, title);
	OK_OR(rc, vx_buf_puts(out(rq), "<form method=\"get\" action=\"/note/sujet\">"));
	OK_OR(rc, vx_buf_printf(out(rq), "<input type=\"hidden\" name=\"n\" value=\"%zu\">", k));
	for (size_t i = 0; i < vx_note_filter_count && rc == 0; i++) {
		const char *v = vx_params_get(&rq->query, vx_note_filter_names[i]);
		if (v && *v) {
			rc = vx_buf_printf(out(rq), "<input type=\"hidden\" name=\"%s\" value=\"", vx_note_filter_names[i]);
			OK_OR(rc, vx_html_puts(out(rq), v));
			OK_OR(rc, vx_buf_puts(out(rq), "\">"));
		}
	}
	OK_OR(rc, vx_buf_puts(out(rq), "<label for=\"ressenti\">Ressenti</label><select id=\"ressenti\" "
	                              "name=\"ressenti\"><option value=\"\">tous</option>"));
	for (int f = VX_FEELING_POSITIVE; f <= VX_FEELING_NEGATIVE && rc == 0; f++)
		rc = vx_buf_printf(out(rq), "<option value=\"%s\"%s>%s</option>", vx_feeling_key((vx_feeling)f),
		                   feeling && strcmp(feeling, vx_feeling_key((vx_feeling)f)) == 0 ? " selected" : "",
		                   vx_feeling_name((vx_feeling)f));
	OK_OR(rc, vx_buf_puts(out(rq), "</select> <button type=\"submit\">Filtrer</button></form>\n"));
	/* Members are in the corpus's order: one walk finds them all. */
	size_t shown = 0, matching = 0, ci = 0, first = (page - 1) * VX_PAGE_SIZE;
	for (size_t m = 0; m < t->n_members && rc == 0; m++) {
		const vx_experience *x = NULL;
		while (ci < vx_corpus_count(c)) {
			const vx_experience *y = vx_corpus_get(c, ci++);
			if (strcmp(y->id, t->members[m].experience_id) == 0) {
				x = y;
				break;
			}
		}
		if (x == NULL)
			break;
		if (feeling && *feeling && strcmp(feeling, vx_feeling_key(x->feeling)) != 0)
			continue;
		if (matching++ >= first && shown < VX_PAGE_SIZE) {
			rc = put_experience(rq, x, t);
			shown++;
		}
	}
	OK_OR(rc, vx_buf_printf(out(rq), "<p>%zu expériences, page %zu.</p>\n<nav aria-label=\"Pages\"><p>", matching,
	                        page));
	for (int dir = -1; dir <= 1 && rc == 0; dir += 2) {
		if ((dir < 0 && page == 1) || (dir > 0 && first + VX_PAGE_SIZE >= matching))
			continue;
		rc = vx_buf_printf(out(rq), "<a href=\"/note/sujet?n=%zu&amp;page=%zu", k, page + (size_t)dir);
		OK_OR(rc, put_filters(rq, out(rq)));
		if (feeling && *feeling) {
			OK_OR(rc, vx_buf_puts(out(rq), "&amp;ressenti="));
			OK_OR(rc, vx_html_url(out(rq), feeling));
		}
		OK_OR(rc, vx_buf_puts(out(rq), dir < 0 ? "\">Page précédente</a> " : "\">Page suivante</a>"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "</p></nav>\n"));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

static int source_row(const vx_source_row *r, void *payload)
{
	vx_buf *b = payload;
	int rc = vx_buf_puts(b, "<tr><td>");
	OK_OR(rc, vx_html_puts(b, r->path));
	OK_OR(rc, vx_buf_puts(b, "</td><td><code>"));
	OK_OR(rc, vx_html_puts(b, r->sha256));
	OK_OR(rc, vx_buf_printf(b, "</code></td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
	                           "<td class=\"num\">%lld</td><td>",
	                        r->rows_read, r->rows_rejected, r->experiences));
	OK_OR(rc, vx_html_puts(b, r->period_from));
	OK_OR(rc, vx_buf_puts(b, " – "));
	OK_OR(rc, vx_html_puts(b, r->period_to));
	OK_OR(rc, vx_buf_puts(b, "</td><td>"));
	OK_OR(rc, vx_html_puts(b, r->last_imported));
	OK_OR(rc, vx_buf_puts(b, "</td></tr>\n"));
	return rc;
}

static int sources_body(vx_rq *rq)
{
	int rc = vx_buf_puts(out(rq), "<h2>Envoyer un export</h2>\n<form method=\"post\" action=\"/sources\" "
	                              "enctype=\"multipart/form-data\">\n");
	OK_OR(rc, csrf_field(rq));
	OK_OR(rc, vx_buf_puts(out(rq), "<label for=\"fichier\">Fichier CSV ou JSON Lines</label>\n"
	                              "<input id=\"fichier\" name=\"fichier\" type=\"file\" "
	                              "accept=\".csv,.jsonl,.ndjson,.txt\" required>\n"
	                              "<p><button type=\"submit\">Importer</button></p>\n</form>\n"
	                              "<h2>Fichiers importés</h2>\n<table>\n<caption>Sources de la base, la plus "
	                              "récente d'abord</caption>\n<thead><tr><th scope=\"col\">Fichier</th>"
	                              "<th scope=\"col\">SHA-256</th><th scope=\"col\">Lignes lues</th>"
	                              "<th scope=\"col\">Rejetées</th><th scope=\"col\">Expériences</th>"
	                              "<th scope=\"col\">Période</th><th scope=\"col\">Dernier import</th></tr>"
	                              "</thead>\n<tbody>\n"));
	if (rc == 0 && (rc = vx_store_sources(rq->store, source_row, out(rq))) == VX_EDB)
		return vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_buf_puts(out(rq), "</tbody>\n</table>\n"));
	return rc;
}

int vx_page_sources(vx_rq *rq)
{
	int rc = vx_page_begin(rq, "Sources");
	OK_OR(rc, sources_body(rq));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_do_upload(vx_rq *rq)
{
	const vx_part *file = NULL;
	vx_import_counts counts;
	size_t rejected = 0;
	unsigned long number = 0;
	for (size_t i = 0; i < rq->n_parts; i++)
		if (rq->parts[i].filename && rq->parts[i].name_len == 7 && memcmp(rq->parts[i].name, "fichier", 7) == 0)
			file = &rq->parts[i];
	if (file == NULL)
		return vx_fail(rq, 400, "aucun fichier envoyé (champ « fichier »)");
	int rc = vx_import_upload(rq, file->filename, file->filename_len, file->data, file->len, &counts, &rejected,
	                          &number);
	if (rc)
		return rc == 1 ? 0 : rc;
	rc = vx_page_begin(rq, "Sources");
	OK_OR(rc, vx_buf_printf(out(rq), "<p class=\"notice\" role=\"status\" id=\"resultat\">Import terminé : %zu lignes "
	                                 "lues, %zu nouvelles, %zu mises à jour, %zu inchangées, %zu rejetées.",
	                        counts.read, counts.inserted, counts.updated, counts.unchanged, counts.rejected));
	if (rc == 0 && rejected)
		rc = vx_buf_printf(out(rq), " <a href=\"/sources/rejets?import=%lu\">Télécharger les lignes rejetées</a>",
		                   number);
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	OK_OR(rc, sources_body(rq));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_download_rejects(vx_rq *rq)
{
	pthread_mutex_lock(&rq->srv->lock);
	int rc = rq->srv->rejects_csv ? vx_buf_puts(out(rq), rq->srv->rejects_csv) : VX_ENOTFOUND;
	pthread_mutex_unlock(&rq->srv->lock);
	if (rc == VX_ENOTFOUND)
		return vx_fail(rq, 404, "aucun fichier de rejets : aucun envoi depuis le démarrage");
	rq->resp->content_type = "text/csv; charset=utf-8";
	snprintf(rq->resp->disposition, sizeof rq->resp->disposition, "attachment; filename=\"rejets.csv\"");
	return rc;
}

/* An excerpt of vx_store_search, escaped, its "**word**" markers as <mark>. */
static int put_snippet(vx_buf *b, const char *s)
{
	int rc = 0, open = 0;
	const char *p = s;
	for (const char *m; rc == 0 && (m = strstr(p, "**")) != NULL; p = m + 2) {
		rc = vx_html_text(b, p, (size_t)(m - p));
		OK_OR(rc, vx_buf_puts(b, open ? "</mark>" : "<mark>"));
		open = !open;
	}
	OK_OR(rc, vx_html_puts(b, p));
	if (open)
		OK_OR(rc, vx_buf_puts(b, "</mark>"));
	return rc;
}

typedef struct search_page {
	vx_rq *rq;
	size_t skip, seen, shown;
	int rc;
} search_page;

static int search_hit(const vx_search_hit *hit, void *payload)
{
	search_page *sp = payload;
	vx_buf *b = out(sp->rq);
	if (sp->seen++ < sp->skip)
		return 0;
	int rc = vx_buf_puts(b, "<article class=\"exp\"><h3>");
	OK_OR(rc, vx_html_puts(b, hit->id));
	OK_OR(rc, vx_buf_puts(b, "</h3><p class=\"meta\">"));
	OK_OR(rc, vx_html_puts(b, hit->source));
	OK_OR(rc, vx_buf_puts(b, "</p><p>"));
	OK_OR(rc, put_snippet(b, hit->snippet));
	OK_OR(rc, vx_buf_puts(b, "</p></article>\n"));
	sp->shown++;
	return rc;
}

int vx_page_search(vx_rq *rq)
{
	const char *q = vx_params_get(&rq->query, "q");
	size_t page = query_number(rq, "page", 1, (size_t)1 << 20);
	if (page == 0)
		return vx_fail(rq, 400, "numéro de page invalide");
	int rc = vx_page_begin(rq, "Recherche dans les expériences");
	OK_OR(rc, vx_buf_puts(out(rq), "<form method=\"get\" action=\"/experiences\" role=\"search\">"
	                              "<label for=\"q\">Mots cherchés (toutes formes, sans accents ni majuscules)"
	                              "</label><input id=\"q\" name=\"q\" type=\"search\" value=\""));
	OK_OR(rc, vx_html_puts(out(rq), q ? q : ""));
	OK_OR(rc, vx_buf_puts(out(rq), "\"> <button type=\"submit\">Chercher</button></form>\n"));
	if (rc == 0 && q && *q) {
		search_page sp = {rq, (page - 1) * VX_PAGE_SIZE, 0, 0, 0};
		int s = vx_store_search(rq->store, q, page * VX_PAGE_SIZE, search_hit, &sp);
		if (s == VX_EINVAL) {
			rc = vx_buf_puts(out(rq), "<p class=\"error\" role=\"alert\">");
			OK_OR(rc, vx_html_puts(out(rq), vx_error_last()));
			OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
		} else if (s) {
			return s == VX_ENOMEM ? s : vx_fail(rq, 503, "la recherche a échoué");
		} else {
			OK_OR(rc, vx_buf_printf(out(rq), "<p role=\"status\">%zu résultats sur cette page (page %zu).</p>\n",
			                        sp.shown, page));
			if (rc == 0 && sp.seen == page * VX_PAGE_SIZE) {
				rc = vx_buf_printf(out(rq), "<p><a href=\"/experiences?page=%zu&amp;q=", page + 1);
				OK_OR(rc, vx_html_url(out(rq), q));
				OK_OR(rc, vx_buf_puts(out(rq), "\">Page suivante</a></p>\n"));
			}
		}
	}
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

static int user_row(const char *name, vx_role role, const char *created, void *payload)
{
	vx_buf *b = payload;
	int rc = vx_buf_puts(b, "<tr><td>");
	OK_OR(rc, vx_html_puts(b, name));
	OK_OR(rc, vx_buf_printf(b, "</td><td>%s</td><td>", vx_account_role_name(role)));
	OK_OR(rc, vx_html_puts(b, created));
	OK_OR(rc, vx_buf_puts(b, "</td></tr>\n"));
	return rc;
}

/* The accounts page, with a message (NULL for none; error: role alert). */
static int accounts_page(vx_rq *rq, const char *message, int error)
{
	int rc = vx_page_begin(rq, "Comptes");
	if (rc == 0 && message) {
		rc = vx_buf_puts(out(rq), error ? "<p class=\"error\" role=\"alert\">" : "<p class=\"notice\" role=\"status\">");
		OK_OR(rc, vx_html_puts(out(rq), message));
		OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "<table>\n<caption>Comptes du tableau de bord</caption>\n<thead><tr>"
	                              "<th scope=\"col\">Nom</th><th scope=\"col\">Rôle</th><th scope=\"col\">Créé le</th>"
	                              "</tr></thead>\n<tbody>\n"));
	if (rc == 0 && (rc = vx_store_users(rq->store, user_row, out(rq))) == VX_EDB)
		return vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_buf_puts(out(rq), "</tbody>\n</table>\n<h2>Créer un compte ou changer son mot de passe</h2>\n"
	                              "<form method=\"post\" action=\"/comptes\">\n"));
	OK_OR(rc, csrf_field(rq));
	OK_OR(rc, vx_buf_puts(out(rq), "<label for=\"nom\">Nom d'utilisateur</label><input id=\"nom\" name=\"nom\" required>\n"
	                              "<label for=\"role\">Rôle</label><select id=\"role\" name=\"role\">"
	                              "<option value=\"lecteur\">lecteur</option><option value=\"analyste\">analyste</option>"
	                              "<option value=\"administrateur\">administrateur</option>"
	                              "<option value=\"moderateur\">moderateur</option><option value=\"agent\">agent</option>"
	                              "</select>\n"
	                              "<label for=\"motdepasse\">Mot de passe (8 caractères au moins)</label>"
	                              "<input id=\"motdepasse\" name=\"motdepasse\" type=\"password\" "
	                              "autocomplete=\"new-password\" required minlength=\"8\">\n"
	                              "<p><button type=\"submit\">Enregistrer</button></p>\n</form>\n"));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_page_accounts(vx_rq *rq)
{
	return accounts_page(rq, NULL, 0);
}

int vx_do_account(vx_rq *rq)
{
	const char *name = vx_params_get(&rq->form, "nom"), *password = vx_params_get(&rq->form, "motdepasse");
	vx_role role = VX_ROLE_NONE;
	char message[200];
	int rc = vx_account_role_parse(&role, vx_params_get(&rq->form, "role"));
	if (rc == 0)
		rc = vx_store_user_add(rq->store, name ? name : "", role, password ? password : "");
	if (rc == VX_ENOMEM)
		return rc;
	if (rc) {
		rq->resp->status = rc == VX_EINVAL ? 400 : 503;
		snprintf(message, sizeof message, "%s", vx_error_last());
		return accounts_page(rq, message, 1);
	}
	snprintf(message, sizeof message, "Compte « %s » enregistré (%s).", name, vx_account_role_name(role));
	if ((rc = vx_audit_record(rq->store, rq->user, "compte", name, vx_account_role_name(role))) == VX_ENOMEM)
		return rc;
	return accounts_page(rq, message, 0);
}
