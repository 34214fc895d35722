/*
 * The moderation queue (/moderation, role moderateur) and the audit log
 * (/journal, role administrateur). The moderator reads the citizen's
 * original text with the personal data that voix's masker finds in
 * <mark class="pii">, and publishes (the library stores the texts masked)
 * or rejects with a motif. Every text is escaped.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serving/collect.h"
#include "serving/html.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/privacy.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))
/* Experiences per page of the queue, entries per page of the log. */
#define QUEUE_PAGE 20
#define JOURNAL_PAGE 100

static vx_buf *out(vx_rq *rq)
{
	return &rq->resp->body;
}

int vx_put_pii_marked(vx_rq *rq, vx_buf *b, const char *s)
{
	vx_pii_span *spans = NULL;
	size_t n = 0, at = 0, len = strlen(s);
	int rc = vx_masker_find(rq->masker, s, len, &spans, &n);
	if (rc)
		return rc == VX_ENOMEM ? rc : vx_html_text(b, s, len);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		OK_OR(rc, vx_html_text(b, s + at, spans[i].start - at));
		OK_OR(rc, vx_buf_puts(b, "<mark class=\"pii\" title=\"donnée personnelle, masquée à la publication : "));
		OK_OR(rc, vx_html_puts(b, vx_pii_placeholder(spans[i].kind)));
		OK_OR(rc, vx_buf_puts(b, "\">"));
		OK_OR(rc, vx_html_text(b, s + spans[i].start, spans[i].end - spans[i].start));
		OK_OR(rc, vx_buf_puts(b, "</mark>"));
		at = spans[i].end;
	}
	OK_OR(rc, vx_html_text(b, s + at, len - at));
	free(spans);
	return rc;
}

static int dimension_line(vx_buf *b, const vx_collected *c)
{
	static const char *const names[5] = {"accessibilité", "information", "relation", "réactivité", "simplicité"};
	int rc = 0, any = 0;
	for (int d = 0; d < 5 && rc == 0; d++)
		if (c->dimensions[d][0]) {
			rc = vx_buf_printf(b, "%s%s : ", any ? ", " : " ; ", names[d]);
			OK_OR(rc, vx_html_puts(b, c->dimensions[d]));
			any = 1;
		}
	return rc;
}

static int queue_item(const vx_collected *c, void *payload)
{
	vx_rq *rq = payload;
	vx_buf *b = out(rq);
	int rc = 0;
	OK_OR(rc, vx_buf_printf(b, "<article class=\"exp\" id=\"exp-%lld\">\n<h2>n° %lld : ", c->id, c->id));
	OK_OR(rc, vx_put_pii_marked(rq, b, c->title));
	OK_OR(rc, vx_buf_puts(b, "</h2>\n<p>"));
	OK_OR(rc, vx_html_puts(b, c->structure_name[0] ? c->structure_name : c->structure_code));
	OK_OR(rc, vx_buf_puts(b, " – le "));
	OK_OR(rc, vx_html_puts(b, c->date));
	OK_OR(rc, vx_buf_puts(b, " – "));
	OK_OR(rc, vx_html_puts(b, c->channels));
	OK_OR(rc, vx_buf_puts(b, " – ressenti "));
	OK_OR(rc, vx_html_puts(b, c->feeling));
	OK_OR(rc, dimension_line(b, c));
	OK_OR(rc, vx_buf_puts(b, "</p>\n<p class=\"text\">"));
	OK_OR(rc, vx_put_pii_marked(rq, b, c->description));
	OK_OR(rc, vx_buf_puts(b, "</p>\n<p>"));
	OK_OR(rc, vx_html_puts(b, c->posted_as));
	if (c->pseudonym[0]) {
		OK_OR(rc, vx_buf_puts(b, ", pseudonyme « "));
		OK_OR(rc, vx_put_pii_marked(rq, b, c->pseudonym));
		OK_OR(rc, vx_buf_puts(b, " »"));
	}
	OK_OR(rc, vx_buf_puts(b, " ; reçue le "));
	OK_OR(rc, vx_html_puts(b, c->written));
	OK_OR(rc, vx_buf_printf(b, " par %s.</p>\n<form method=\"post\" action=\"/moderation\">\n"
	                           "<input type=\"hidden\" name=\"csrf\" value=\"",
	                        strcmp(c->origin, "api") == 0 ? "l'API" : "le formulaire"));
	OK_OR(rc, vx_html_puts(b, rq->sess ? rq->sess->csrf : ""));
	OK_OR(rc, vx_buf_printf(b, "\"><input type=\"hidden\" name=\"id\" value=\"%lld\">\n"
	                           "<label for=\"motif-%lld\">Motif de rejet (pour rejeter)</label>"
	                           "<textarea id=\"motif-%lld\" name=\"motif\" rows=\"2\" maxlength=\"%d\"></textarea>\n"
	                           "<p><button type=\"submit\" name=\"decision\" value=\"publier\">Publier (données "
	                           "personnelles masquées)</button> "
	                           "<button type=\"submit\" name=\"decision\" value=\"rejeter\">Rejeter</button></p>\n"
	                           "</form>\n</article>\n",
	                        c->id, c->id, c->id, VX_REJECT_MOTIF_MAX));
	return rc;
}

static int queue_page(vx_rq *rq, const char *message, int error)
{
	size_t waiting = 0, erased = 0;
	int rc;
	vx_store *s = rq->store;
	/* The retention of docs/collect.md is enforced whenever the queue is
	 * read: a write, through the server's one read-write connection (which
	 * a POST already holds). */
	int take = rq->store != rq->srv->store;
	if (take)
		pthread_mutex_lock(&rq->srv->write_lock);
	rc = vx_collect_purge(rq->srv->store, (long long)rq->srv->now(), &erased);
	if (take)
		pthread_mutex_unlock(&rq->srv->write_lock);
	if (rc != 0 || (rc = vx_collect_count(s, "à modérer", &waiting)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	vx_buf_reset(out(rq));
	rc = vx_html_begin(out(rq), "Modération", rq->user, rq->sess ? rq->sess->csrf : "",
	                   vx_account_role_allows(rq->role, VX_ROLE_ANALYST), rq->role == VX_ROLE_ADMIN);
	if (message) {
		OK_OR(rc, vx_buf_puts(out(rq), error ? "<p class=\"error\" role=\"alert\">" : "<p class=\"notice\" role=\"status\">"));
		OK_OR(rc, vx_html_puts(out(rq), message));
		OK_OR(rc, vx_buf_puts(out(rq), "</p>\n"));
	}
	OK_OR(rc, vx_buf_printf(out(rq), "<p>%zu expérience%s à modérer, la plus ancienne d'abord. Les données "
	                                 "personnelles que voix repère sont <mark class=\"pii\">surlignées</mark> : "
	                                 "elles sont masquées dans ce qui est publié.</p>\n",
	                        waiting, waiting > 1 ? "s" : ""));
	if (rc == 0 && (rc = vx_collect_list(s, "à modérer", NULL, 0, QUEUE_PAGE, queue_item, rq)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}

int vx_page_moderation(vx_rq *rq)
{
	return queue_page(rq, NULL, 0);
}

int vx_do_moderation(vx_rq *rq)
{
	const char *id_s = vx_params_get(&rq->form, "id"), *decision = vx_params_get(&rq->form, "decision");
	char *end = NULL, message[300];
	long long id = id_s ? strtoll(id_s, &end, 10) : 0;
	if (id_s == NULL || end == id_s || *end || id <= 0 || decision == NULL ||
	    (strcmp(decision, "publier") != 0 && strcmp(decision, "rejeter") != 0))
		return vx_fail(rq, 400, "décision illisible : publier ou rejeter une expérience de la liste");
	int publish = strcmp(decision, "publier") == 0;
	int rc = vx_collect_moderate(rq->store, id, rq->user, publish, vx_params_get(&rq->form, "motif"));
	if (rc == VX_ENOMEM)
		return rc;
	if (rc) {
		rq->resp->status = rc == VX_ENOTFOUND ? 404 : rc == VX_EINVAL ? 422 : 503;
		snprintf(message, sizeof message, "n° %lld : %s", id, vx_error_last());
		return queue_page(rq, message, 1);
	}
	snprintf(message, sizeof message, "Expérience n° %lld %s.", id, publish ? "publiée" : "rejetée");
	return queue_page(rq, message, 0);
}

static int journal_row(const char *at, const char *actor, const char *action, const char *target, const char *detail,
                       void *payload)
{
	vx_buf *b = payload;
	const char *cells[] = {at, actor, action, target, detail};
	int rc = vx_buf_puts(b, "<tr>");
	for (size_t i = 0; i < 5 && rc == 0; i++) {
		OK_OR(rc, vx_buf_puts(b, "<td>"));
		OK_OR(rc, vx_html_puts(b, cells[i]));
		OK_OR(rc, vx_buf_puts(b, "</td>"));
	}
	OK_OR(rc, vx_buf_puts(b, "</tr>\n"));
	return rc;
}

int vx_page_journal(vx_rq *rq)
{
	int rc = vx_html_begin(out(rq), "Journal d'audit", rq->user, rq->sess ? rq->sess->csrf : "", 1, 1);
	OK_OR(rc, vx_buf_printf(out(rq), "<p>Qui a modéré, répondu, exporté ou changé un compte, et quand ; les %d "
	                                 "dernières entrées. Le journal ne peut être ni modifié ni effacé.</p>\n"
	                                 "<table>\n<caption>Journal d'audit</caption>\n<thead><tr>"
	                                 "<th scope=\"col\">Date (UTC)</th><th scope=\"col\">Qui</th>"
	                                 "<th scope=\"col\">Action</th><th scope=\"col\">Objet</th>"
	                                 "<th scope=\"col\">Détail</th></tr></thead>\n<tbody>\n",
	                        JOURNAL_PAGE));
	if (rc == 0 && (rc = vx_audit_list(rq->store, 0, JOURNAL_PAGE, journal_row, out(rq))) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_buf_puts(out(rq), "</tbody>\n</table>\n"));
	OK_OR(rc, vx_html_end(out(rq)));
	return rc;
}
