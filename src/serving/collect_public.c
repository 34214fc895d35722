/*
 * The public page of a structure (/structure?code=CODE, no account): its
 * published experiences, newest first, with the structure's replies. Only
 * the published texts (masked at moderation) are read; all escaped.
 */
#include <stdio.h>
#include <string.h>

#include "serving/collect.h"
#include "serving/html.h"
#include "voix/collect.h"
#include "voix/error.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))
/* Experiences shown on a structure's page. */
#define PUBLIC_PAGE 50

typedef struct public_view {
	vx_buf *b;
	char name[512];
} public_view;

static int keep_name(const vx_structure *st, void *payload)
{
	public_view *v = payload;
	snprintf(v->name, sizeof v->name, "%s", st->name);
	return 0;
}

static int public_item(const vx_collected *c, void *payload)
{
	vx_buf *b = ((public_view *)payload)->b;
	int rc = vx_buf_printf(b, "<article class=\"exp\" id=\"exp-%lld\">\n<h2>", c->id);
	OK_OR(rc, vx_html_puts(b, c->published_title));
	OK_OR(rc, vx_buf_puts(b, "</h2>\n<p>"));
	OK_OR(rc, vx_html_puts(b, c->published_pseudonym[0] ? c->published_pseudonym : "Anonyme"));
	OK_OR(rc, vx_buf_puts(b, ", le "));
	OK_OR(rc, vx_html_puts(b, c->date));
	OK_OR(rc, vx_buf_puts(b, " – ressenti "));
	OK_OR(rc, vx_html_puts(b, c->feeling));
	OK_OR(rc, vx_buf_puts(b, " – "));
	OK_OR(rc, vx_html_puts(b, c->reply_status));
	OK_OR(rc, vx_buf_puts(b, "</p>\n<p class=\"text\">"));
	OK_OR(rc, vx_html_puts(b, c->published_description));
	OK_OR(rc, vx_buf_puts(b, "</p>\n"));
	if (c->reply[0]) {
		OK_OR(rc, vx_buf_puts(b, "<blockquote class=\"reply\"><p><strong>Réponse de la structure</strong> ("));
		OK_OR(rc, vx_html_puts(b, c->first_reply_at));
		OK_OR(rc, vx_buf_puts(b, ") : "));
		OK_OR(rc, vx_html_puts(b, c->reply));
		OK_OR(rc, vx_buf_puts(b, "</p></blockquote>\n"));
	}
	OK_OR(rc, vx_buf_puts(b, "</article>\n"));
	return rc;
}

int vx_page_structure(vx_rq *rq)
{
	const char *code = vx_params_get(&rq->query, "code");
	public_view v = {&rq->resp->body, ""};
	char title[600];
	int rc = code ? vx_structure_get(rq->store, code, keep_name, &v) : VX_ENOTFOUND;
	if (rc)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, rc == VX_ENOTFOUND ? 404 : 503, "structure inconnue");
	snprintf(title, sizeof title, "Expériences : %s", v.name);
	rc = vx_html_begin(v.b, title, NULL, "", 0, 0);
	OK_OR(rc, vx_buf_puts(v.b, "<p>Les expériences publiées après modération (données personnelles masquées) et "
	                           "les réponses de la structure. <a href=\"/avis?structure="));
	OK_OR(rc, vx_html_url(v.b, code));
	OK_OR(rc, vx_buf_puts(v.b, "\">Donner mon avis sur cette structure</a></p>\n"));
	if (rc == 0 && (rc = vx_collect_list(rq->store, "publiée", code, 0, PUBLIC_PAGE, public_item, &v)) != 0)
		return rc == VX_ENOMEM ? rc : vx_fail(rq, 503, vx_error_last());
	OK_OR(rc, vx_html_end(v.b));
	return rc;
}
