/*
 * Replies (/reponses, role agent): the published experiences of the
 * structures an agent is attached to, with their reply status; the reply
 * form of one experience and, beside it, the three most similar earlier
 * experiences that received a reply (vx_collect_similar), with their
 * replies and similarity rate. Nothing is written for the agent and
 * nothing is sent automatically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serving/collect.h"
#include "serving/html.h"
#include "voix/accounts.h"
#include "voix/collect.h"
#include "voix/error.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))
/* Experiences listed per structure. */
#define REPLIES_PAGE 50
/* Structures an agent may be attached to, as listed. */
#define AGENT_STRUCTURES_MAX 64
#define SIMILAR_SHOWN 3

static vx_buf *out(vx_rq *rq)
{
	return &rq->resp->body;
}

typedef struct codes {
	char code[AGENT_STRUCTURES_MAX][VX_STRUCTURE_CODE_MAX + 1];
	size_t n;
} codes;

static int keep_code(const char *code, void *payload)
{
	codes *c = payload;
	if (c->n < AGENT_STRUCTURES_MAX)
		snprintf(c->code[c->n++], sizeof c->code[0], "%s", code);
	return 0;
}

static int list_item(const vx_collected *c, void *payload)
{
	vx_rq *rq = payload;
	int rc = vx_buf_printf(out(rq), "<tr><td><a href=\"/reponses?n=%lld\">n° %lld</a></td><td>", c->id, c->id);
	OK_OR(rc, vx_html_puts(out(rq), c->published_title));
	OK_OR(rc, vx_buf_puts(out(rq), "</td><td>"));
	OK_OR(rc, vx_html_puts(out(rq), c->date));
	OK_OR(rc, vx_buf_puts(out(rq), "</td><td>"));
	OK_OR(rc, vx_html_puts(out(rq), c->reply_status));
	OK_OR(rc, vx_buf_puts(out(rq), "</td><td>"));
	OK_OR(rc, vx_html_puts(out(rq), c->first_reply_at));
	OK_OR(rc, vx_buf_puts(out(rq), "</td></tr>\n"));
	return rc;
}

static int begin(vx_rq *rq, const char *title)
{
	return vx_html_begin(out(rq), title, rq->user, rq->sess ? rq->sess->csrf : "",
	                     vx_account_role_allows(rq->role, VX_ROLE_ANALYST), rq->role == VX_ROLE_ADMIN);
}

static int list_page(vx_rq *rq, const codes *mine)
{
	int rc = begin(rq, "Réponses");
	if (mine->n == 0)
		OK_OR(rc, vx_buf_puts(out(rq), "<p>Votre compte n'est rattaché à aucune structure : demandez à un "
		                               "administrateur (voix user add --structure).</p>\n"));
	for (size_t i = 0; rc == 0 && i < mine->n; i++) {
		OK_OR(rc, vx_buf_puts(out(rq), "<table>\n<caption>Expériences publiées : "));
		OK_OR(rc, vx_html_puts(out(rq), mine->code[i]));
		OK_OR(rc, vx_buf_puts(out(rq), "</caption>\n<thead><tr><th scope=\"col\">Expérience</th>"
		                               "<th scope=\"col\">Titre</th><th scope=\"col\">Date</th>"
		                               "<th scope=\"col\">Statut</th><th scope=\"col\">Première réponse</th>"
		                               "</tr></thead>\n<tbody>\n"));
		if (rc == 0 && (rc = vx_collect_list(rq->store, "publiée", mine->code[i], 0, REPLIES_PAGE, list_item, rq)) != 0)
			return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
		OK_OR(rc, vx_buf_puts(out(rq), "</tbody>\n</table>\n"));
	}
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

static int similar_item(const vx_similar *sim, void *payload)
{
	vx_rq *rq = payload;
	int rc = vx_buf_printf(out(rq), "<article class=\"exp\">\n<h3>n° %lld – similarité %d %%</h3>\n<p>", sim->id,
	                       sim->rate);
	OK_OR(rc, vx_html_puts(out(rq), sim->structure_name));
	OK_OR(rc, vx_buf_puts(out(rq), " : <strong>"));
	OK_OR(rc, vx_html_puts(out(rq), sim->title));
	OK_OR(rc, vx_buf_puts(out(rq), "</strong></p>\n<p class=\"text\">"));
	OK_OR(rc, vx_html_puts(out(rq), sim->description));
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n<blockquote class=\"reply\"><p>Réponse : "));
	OK_OR(rc, vx_html_puts(out(rq), sim->reply));
	OK_OR(rc, vx_buf_puts(out(rq), "</p></blockquote>\n</article>\n"));
	return rc;
}

typedef struct one_view {
	vx_rq *rq;
	const char *error;
	const char *draft;
	int found;
} one_view;

static int one_item(const vx_collected *c, void *payload)
{
	one_view *v = payload;
	vx_rq *rq = v->rq;
	int rc = 0;
	v->found = 1;
	OK_OR(rc, vx_buf_printf(out(rq), "<article class=\"exp\">\n<h2>n° %lld : ", c->id));
	OK_OR(rc, vx_html_puts(out(rq), c->published_title));
	OK_OR(rc, vx_buf_puts(out(rq), "</h2>\n<p>"));
	OK_OR(rc, vx_html_puts(out(rq), c->structure_name));
	OK_OR(rc, vx_buf_puts(out(rq), " – le "));
	OK_OR(rc, vx_html_puts(out(rq), c->date));
	OK_OR(rc, vx_buf_puts(out(rq), " – ressenti "));
	OK_OR(rc, vx_html_puts(out(rq), c->feeling));
	OK_OR(rc, vx_buf_puts(out(rq), " – "));
	OK_OR(rc, vx_html_puts(out(rq), c->reply_status));
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n<p class=\"text\">"));
	OK_OR(rc, vx_html_puts(out(rq), c->published_description));
	OK_OR(rc, vx_buf_puts(out(rq), "</p>\n</article>\n"));
	if (v->error) {
		OK_OR(rc, vx_buf_puts(out(rq), "<p class=\"error\" role=\"alert\" id=\"reponse-erreur\">"));
		OK_OR(rc, vx_html_puts(out(rq), v->error));
		OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	}
	OK_OR(rc, vx_buf_puts(out(rq), "<form method=\"post\" action=\"/reponses\">\n<input type=\"hidden\" name=\"csrf\" value=\""));
	OK_OR(rc, vx_html_puts(out(rq), rq->sess ? rq->sess->csrf : ""));
	OK_OR(rc, vx_buf_printf(out(rq), "\"><input type=\"hidden\" name=\"id\" value=\"%lld\">\n"
	                                 "<label for=\"reponse\">Réponse de la structure (publique)</label>\n"
	                                 "<textarea id=\"reponse\" name=\"reponse\" rows=\"8\" maxlength=\"%d\" required%s>",
	                        c->id, VX_REPLY_MAX, v->error ? " aria-invalid=\"true\" aria-describedby=\"reponse-erreur\"" : ""));
	OK_OR(rc, vx_html_puts(out(rq), v->draft ? v->draft : c->reply));
	OK_OR(rc, vx_buf_puts(out(rq), "</textarea>\n<p><button type=\"submit\">Publier la réponse</button></p>\n</form>\n"));
	return rc;
}

static int reply_page(vx_rq *rq, long long id, const char *error, const char *draft)
{
	one_view v = {rq, error, draft, 0};
	int rc = begin(rq, "Répondre à une expérience");
	OK_OR(rc, vx_buf_puts(out(rq), "<p><a href=\"/reponses\">Toutes les expériences de vos structures</a></p>\n"));
	if (rc == 0 && (rc = vx_collect_get(rq->store, id, one_item, &v)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, rc == VX_ENOTFOUND ? 404 : 503, vx_error_last());
	OK_OR(rc, vx_buf_printf(out(rq), "<section aria-labelledby=\"proches\">\n<h2 id=\"proches\">Réponses déjà "
	                                 "données à des expériences proches</h2>\n<p>Les %d expériences antérieures les "
	                                 "plus proches qui ont reçu une réponse, trouvées dans l'index de voix ; la "
	                                 "similarité est la part des mots (racines) qu'elles ont en commun avec celle-ci. "
	                                 "Rien n'est rédigé ni envoyé à votre place.</p>\n",
	                        SIMILAR_SHOWN));
	if (rc == 0 && (rc = vx_collect_similar(rq->store, id, SIMILAR_SHOWN, similar_item, rq)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_buf_puts(out(rq), "</section>\n"));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

static int keep_structure(const vx_collected *c, void *payload)
{
	snprintf(payload, VX_STRUCTURE_CODE_MAX + 1, "%s", c->structure_code);
	return 0;
}

/* *yes: 1 when experience id is one of mine's structures'. Errors those
 * of vx_collect_get. */
static int is_mine(vx_rq *rq, const codes *mine, long long id, int *yes)
{
	char code[VX_STRUCTURE_CODE_MAX + 1] = "";
	int rc = vx_collect_get(rq->store, id, keep_structure, code);
	*yes = 0;
	for (size_t i = 0; rc == 0 && i < mine->n; i++)
		*yes |= strcmp(mine->code[i], code) == 0;
	return rc;
}

/* The experience number of ?n=, 0 when absent or unreadable. */
static long long query_id(const vx_params *p)
{
	const char *v = vx_params_get(p, "n");
	char *end = NULL;
	long long id = v ? strtoll(v, &end, 10) : 0;
	return v && end != v && *end == '\0' && id > 0 ? id : 0;
}

const char *vx_collect_home(vx_role role)
{
	return role == VX_ROLE_MODERATOR ? "/moderation" : role == VX_ROLE_AGENT ? "/reponses" : "/note";
}

int vx_page_replies(vx_rq *rq)
{
	codes mine = {0};
	int rc = vx_store_agent_structures(rq->store, rq->user, keep_code, &mine);
	if (rc)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	long long id = query_id(&rq->query);
	if (vx_params_get(&rq->query, "n") && id == 0)
		return vx_fail(rq, 404, "cette expérience n'existe pas");
	if (id == 0)
		return list_page(rq, &mine);
	int yes = 0;
	if ((rc = is_mine(rq, &mine, id, &yes)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, rc == VX_ENOTFOUND ? 404 : 503, vx_error_last());
	if (!yes)
		return vx_fail(rq, 403, "cette expérience n'est pas celle d'une de vos structures");
	return reply_page(rq, id, NULL, NULL);
}

int vx_do_reply(vx_rq *rq)
{
	const char *id_s = vx_params_get(&rq->form, "id"), *reply = vx_params_get(&rq->form, "reponse");
	char *end = NULL, to[64], message[300];
	long long id = id_s ? strtoll(id_s, &end, 10) : 0;
	if (id_s == NULL || end == id_s || *end || id <= 0)
		return vx_fail(rq, 400, "expérience illisible");
	int rc = vx_collect_reply(rq->store, id, rq->user, reply);
	if (rc == VX_ENOMEM)
		return rc;
	if (rc == VX_ENOTFOUND)
		return vx_fail(rq, 404, vx_error_last());
	if (rc) {
		rq->resp->status = rc == VX_EINVAL ? 422 : 503;
		snprintf(message, sizeof message, "%s", vx_error_last());
		return reply_page(rq, id, message, reply);
	}
	snprintf(to, sizeof to, "/reponses?n=%lld", id);
	vx_redirect(rq, to);
	return 0;
}
