/*
 * The public form « Je donne mon avis » (/avis): no account, no
 * JavaScript. One form whose "Rechercher" button lists the structures
 * matching the search box (keeping what was typed) and whose "Envoyer"
 * button submits through vx_collect_submit. Every value shown again is
 * escaped; each field's message sits next to it and in a summary on top.
 *
 * Its CSRF token needs no session (visitors would fill the session table):
 * a random nonce in a cookie, and in the form the time and an HMAC of both
 * under a key kept in the store (the same for every server of the
 * database). A honeypot field and a per-address rate limit, counted in the
 * store too, keep scripts out.
 */
#include "serving/collect.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serving/html.h"
#include "serving/params.h"
#include "voix/accounts.h"
#include "voix/collect.h"
#include "voix/error.h"

#define OK_OR(rc, expr) ((rc) == 0 ? ((rc) = (expr)) : (rc))
#define NONCE_HEX 64
#define COOKIE "voix_avis"
#define HONEYPOT "site_web"

/* The name of the form's key in the store (voix/accounts.h). */
#define FORM_KEY "avis_form_hmac"

struct vx_collect_state {
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
};

int vx_collect_state_new(struct vx_collect_state **out, vx_store *store)
{
	struct vx_collect_state *st = calloc(1, sizeof *st);
	int rc;
	*out = NULL;
	if (st == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating the form's state");
	/* The key is the store's: a token made by one server is good on the
	 * others of the same database. */
	if ((rc = vx_store_secret(store, FORM_KEY, st->key, sizeof st->key)) != 0) {
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void vx_collect_state_free(struct vx_collect_state *st)
{
	if (st == NULL)
		return;
	sodium_memzero(st->key, sizeof st->key);
	free(st);
}

/* The token of the form for nonce at time t: "T-HMAC". */
static void form_token(const vx_server *srv, const char *nonce, long long t, char *out, size_t cap)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[NONCE_HEX + 32], hex[2 * sizeof mac + 1];
	int n = snprintf(msg, sizeof msg, "%s|%lld", nonce, t);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, srv->collect->key);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, cap, "%lld-%s", t, hex);
}

static int is_nonce(const char *s)
{
	if (strlen(s) != NONCE_HEX)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* The nonce of the visitor's cookie into nonce, or a new one (and its
 * cookie set). */
static void visitor_nonce(vx_rq *rq, char nonce[NONCE_HEX + 1])
{
	if (rq->req->cookie && vx_cookie_get(nonce, NONCE_HEX + 1, rq->req->cookie, COOKIE) == 0 && is_nonce(nonce))
		return;
	unsigned char raw[NONCE_HEX / 2];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, NONCE_HEX + 1, raw, sizeof raw);
	snprintf(rq->resp->set_cookie, sizeof rq->resp->set_cookie, COOKIE "=%s; Path=/avis; HttpOnly; SameSite=Strict%s",
	         nonce, rq->srv->secure_cookies ? "; Secure" : "");
}

/* 1 when the form's token matches the cookie and is recent. */
static int token_ok(vx_rq *rq)
{
	char nonce[NONCE_HEX + 1], want[128];
	const char *got = vx_params_get(&rq->form, "jeton");
	char *end = NULL;
	if (got == NULL || rq->req->cookie == NULL || vx_cookie_get(nonce, sizeof nonce, rq->req->cookie, COOKIE) != 0 ||
	    !is_nonce(nonce))
		return 0;
	long long t = strtoll(got, &end, 10);
	time_t now = rq->srv->now();
	if (end == got || *end != '-' || t > (long long)now + 60 || (long long)now - t > VX_COLLECT_FORM_SECONDS)
		return 0;
	form_token(rq->srv, nonce, t, want, sizeof want);
	return strlen(got) == strlen(want) && sodium_memcmp(got, want, strlen(want)) == 0;
}

/* ---- the page ------------------------------------------------------------ */

typedef struct form_view {
	vx_rq *rq;
	const vx_params *v;          /* values to show again */
	const vx_submission_errors *e;
	vx_buf *b;
	size_t offered;
	const char *chosen;          /* the structure code chosen, if any */
} form_view;

static const char *value(const form_view *f, const char *name)
{
	const char *v = f->v ? vx_params_get(f->v, name) : NULL;
	return v ? v : "";
}

/* 1 when parameter name has value v among f's values (check boxes). */
static int has_value(const form_view *f, const char *name, const char *v)
{
	for (size_t i = 0; f->v && i < f->v->n; i++)
		if (strcmp(f->v->items[i].name, name) == 0 && strlen(f->v->items[i].value) == f->v->items[i].value_len &&
		    strcmp(f->v->items[i].value, v) == 0)
			return 1;
	return 0;
}

static const char *err(const form_view *f, vx_submission_field field)
{
	return f->e && f->e->message[field][0] ? f->e->message[field] : NULL;
}

/* aria attributes of a control whose field may be in error. */
static int aria(form_view *f, vx_submission_field field)
{
	if (!err(f, field))
		return 0;
	return vx_buf_printf(f->b, " aria-invalid=\"true\" aria-describedby=\"%s-erreur\"",
	                     vx_submission_field_name(field));
}

/* The message of a field, under its label. */
static int field_error(form_view *f, vx_submission_field field)
{
	int rc = 0;
	if (!err(f, field))
		return 0;
	OK_OR(rc, vx_buf_printf(f->b, "<p class=\"field-error\" id=\"%s-erreur\">", vx_submission_field_name(field)));
	OK_OR(rc, vx_html_puts(f->b, err(f, field)));
	OK_OR(rc, vx_buf_puts(f->b, "</p>\n"));
	return rc;
}

static int structure_radio(const vx_structure *st, void *payload)
{
	form_view *f = payload;
	int rc = 0;
	char id[32];
	snprintf(id, sizeof id, "structure-%zu", f->offered++);
	OK_OR(rc, vx_buf_printf(f->b, "<div><input type=\"radio\" name=\"structure\" id=\"%s\" value=\"", id));
	OK_OR(rc, vx_html_puts(f->b, st->code));
	OK_OR(rc, vx_buf_printf(f->b, "\"%s required> <label class=\"inline\" for=\"%s\">",
	                        f->chosen && strcmp(f->chosen, st->code) == 0 ? " checked" : "", id));
	OK_OR(rc, vx_html_puts(f->b, st->name));
	if (st->city[0]) {
		OK_OR(rc, vx_buf_puts(f->b, " – "));
		OK_OR(rc, vx_html_puts(f->b, st->city));
	}
	OK_OR(rc, vx_buf_puts(f->b, "</label></div>\n"));
	return rc;
}

static int structure_part(form_view *f)
{
	vx_store *store = f->rq->store;
	const char *q = value(f, "q");
	int rc = 0;
	f->chosen = value(f, "structure")[0] ? value(f, "structure") : NULL;
	OK_OR(rc, vx_buf_puts(f->b, "<fieldset><legend>Structure concernée</legend>\n"));
	OK_OR(rc, field_error(f, VX_FIELD_STRUCTURE));
	OK_OR(rc, vx_buf_puts(f->b, "<label for=\"q\">Rechercher la structure (nom, ville)</label>"
	                            "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\" value=\""));
	OK_OR(rc, vx_html_puts(f->b, q));
	OK_OR(rc, vx_buf_puts(f->b, "\"> <button type=\"submit\" name=\"action\" value=\"chercher\" formnovalidate>Rechercher</button>\n"));
	/* The chosen one first, then the matches of the search. */
	if (rc == 0 && f->chosen) {
		int r = vx_structure_get(store, f->chosen, structure_radio, f);
		rc = r == VX_ENOTFOUND ? 0 : r;
	}
	if (rc == 0 && q[0]) {
		size_t before = f->offered;
		const char *keep = f->chosen;
		f->chosen = NULL; /* already shown checked */
		rc = vx_structures_search(store, q, VX_COLLECT_SEARCH_MAX, structure_radio, f);
		f->chosen = keep;
		if (rc == 0 && f->offered == before)
			rc = vx_buf_puts(f->b, "<p role=\"status\">Aucune structure ne correspond : essayez un autre mot.</p>\n");
	} else if (rc == 0 && f->offered == 0) {
		rc = vx_buf_puts(f->b, "<p>Recherchez la structure, puis choisissez-la dans la liste.</p>\n");
	}
	OK_OR(rc, vx_buf_puts(f->b, "</fieldset>\n"));
	return rc;
}

static int choice_fieldset(form_view *f, vx_submission_field field, const char *type, const char *const *choices,
                           size_t n, const char *extra)
{
	const char *name = vx_submission_field_name(field);
	int rc = 0;
	OK_OR(rc, vx_buf_printf(f->b, "<fieldset><legend>%s%s</legend>\n", vx_submission_field_label(field), extra));
	OK_OR(rc, field_error(f, field));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		OK_OR(rc, vx_buf_printf(f->b, "<div><input type=\"%s\" name=\"%s\" id=\"%s-%zu\" value=\"", type, name, name, i));
		OK_OR(rc, vx_html_puts(f->b, choices[i]));
		OK_OR(rc, vx_buf_printf(f->b, "\"%s> <label class=\"inline\" for=\"%s-%zu\">",
		                        has_value(f, name, choices[i]) ? " checked" : "", name, i));
		OK_OR(rc, vx_html_puts(f->b, choices[i]));
		OK_OR(rc, vx_buf_puts(f->b, "</label></div>\n"));
	}
	OK_OR(rc, vx_buf_puts(f->b, "</fieldset>\n"));
	return rc;
}

static const char *const feelings[] = {"positif", "neutre", "négatif"};

static int dimension_select(form_view *f, vx_submission_field field)
{
	const char *name = vx_submission_field_name(field);
	int rc = 0;
	OK_OR(rc, vx_buf_printf(f->b, "<label for=\"%s\">%s (facultatif)</label>\n", name, vx_submission_field_label(field)));
	OK_OR(rc, field_error(f, field));
	OK_OR(rc, vx_buf_printf(f->b, "<select id=\"%s\" name=\"%s\"", name, name));
	OK_OR(rc, aria(f, field));
	OK_OR(rc, vx_buf_puts(f->b, "><option value=\"\">Sans avis</option>"));
	for (size_t i = 0; rc == 0 && i < 3; i++)
		rc = vx_buf_printf(f->b, "<option value=\"%s\"%s>%s</option>", feelings[i],
		                   strcmp(value(f, name), feelings[i]) == 0 ? " selected" : "", feelings[i]);
	OK_OR(rc, vx_buf_puts(f->b, "</select>\n"));
	return rc;
}

static int text_input(form_view *f, vx_submission_field field, const char *type, int max, const char *hint,
                      int required)
{
	const char *name = vx_submission_field_name(field);
	int rc = 0;
	OK_OR(rc, vx_buf_printf(f->b, "<label for=\"%s\">%s%s</label>\n", name, vx_submission_field_label(field),
	                        required ? "" : " (facultatif)"));
	if (hint)
		OK_OR(rc, vx_buf_printf(f->b, "<p class=\"hint\" id=\"%s-aide\">%s</p>\n", name, hint));
	OK_OR(rc, field_error(f, field));
	if (field == VX_FIELD_DESCRIPTION)
		OK_OR(rc, vx_buf_printf(f->b, "<textarea id=\"%s\" name=\"%s\" rows=\"10\" maxlength=\"%d\"%s", name, name, max,
		                        required ? " required" : ""));
	else
		OK_OR(rc, vx_buf_printf(f->b, "<input id=\"%s\" name=\"%s\" type=\"%s\"%s%s", name, name, type,
		                        required ? " required" : "", field == VX_FIELD_PSEUDONYM ? " autocomplete=\"nickname\"" : ""));
	if (max && field != VX_FIELD_DESCRIPTION)
		OK_OR(rc, vx_buf_printf(f->b, " maxlength=\"%d\"", max));
	if (hint && !err(f, field))
		OK_OR(rc, vx_buf_printf(f->b, " aria-describedby=\"%s-aide\"", name));
	OK_OR(rc, aria(f, field));
	if (field == VX_FIELD_DESCRIPTION) {
		OK_OR(rc, vx_buf_puts(f->b, ">"));
		OK_OR(rc, vx_html_puts(f->b, value(f, name)));
		OK_OR(rc, vx_buf_puts(f->b, "</textarea>\n"));
	} else {
		OK_OR(rc, vx_buf_puts(f->b, " value=\""));
		OK_OR(rc, vx_html_puts(f->b, value(f, name)));
		OK_OR(rc, vx_buf_puts(f->b, "\">\n"));
	}
	return rc;
}

static int error_summary(form_view *f)
{
	int rc = 0;
	if (f->e == NULL || f->e->n == 0)
		return 0;
	OK_OR(rc, vx_buf_printf(f->b, "<div class=\"error\" role=\"alert\" id=\"erreurs\"><p>%zu champ%s à corriger :</p><ul>\n",
	                        f->e->n, f->e->n > 1 ? "s" : ""));
	for (int i = 0; rc == 0 && i < VX_FIELD_COUNT; i++) {
		if (!f->e->message[i][0])
			continue;
		/* A group of choices is reached through its first choice. */
		int group = i == VX_FIELD_STRUCTURE || i == VX_FIELD_CHANNELS || i == VX_FIELD_FEELING ||
		            i == VX_FIELD_POSTED_AS;
		OK_OR(rc, vx_buf_printf(f->b, "<li><a href=\"#%s%s\">", i == VX_FIELD_STRUCTURE ? "q" : vx_submission_field_name((vx_submission_field)i),
		                        group && i != VX_FIELD_STRUCTURE ? "-0" : ""));
		OK_OR(rc, vx_html_puts(f->b, f->e->message[i]));
		OK_OR(rc, vx_buf_puts(f->b, "</a></li>\n"));
	}
	OK_OR(rc, vx_buf_puts(f->b, "</ul></div>\n"));
	return rc;
}

/* The whole page: values v (NULL: empty), errors e (NULL: none). */
static int render(vx_rq *rq, const vx_params *v, const vx_submission_errors *e)
{
	form_view f = {rq, v, e, &rq->resp->body, 0, NULL};
	const char *channel_list[VX_CHANNELS_MAX], *posted[4];
	char nonce[NONCE_HEX + 1], token[128], today[16];
	size_t n_channels = 0, n_posted = 0;
	int rc = 0;
	while (n_channels < VX_CHANNELS_MAX && (channel_list[n_channels] = vx_collect_channel(n_channels)) != NULL)
		n_channels++;
	while (n_posted < 4 && (posted[n_posted] = vx_collect_posted_as(n_posted)) != NULL)
		n_posted++;
	visitor_nonce(rq, nonce);
	form_token(rq->srv, nonce, (long long)rq->srv->now(), token, sizeof token);
	time_t now = rq->srv->now();
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	vx_buf_reset(f.b);
	rq->resp->content_type = "text/html; charset=utf-8";
	OK_OR(rc, vx_html_begin(f.b, "Je donne mon avis", NULL, "", 0, 0));
	OK_OR(rc, vx_buf_puts(f.b, "<p>Racontez ce qui s'est passé avec un service public. Un modérateur relit chaque "
	                           "expérience et retire les données personnelles avant de la publier ; la structure "
	                           "concernée peut y répondre. Les champs sont obligatoires sauf mention "
	                           "« facultatif ».</p>\n"));
	OK_OR(rc, error_summary(&f));
	OK_OR(rc, vx_buf_puts(f.b, "<form method=\"post\" action=\"/avis\" class=\"avis\">\n"
	                           "<input type=\"hidden\" name=\"jeton\" value=\""));
	OK_OR(rc, vx_html_puts(f.b, token));
	OK_OR(rc, vx_buf_puts(f.b, "\">\n"));
	OK_OR(rc, structure_part(&f));
	OK_OR(rc, vx_buf_puts(f.b, "<label for=\"date\">Date de l'expérience</label>\n"));
	OK_OR(rc, field_error(&f, VX_FIELD_DATE));
	OK_OR(rc, vx_buf_printf(f.b, "<input id=\"date\" name=\"date\" type=\"date\" required min=\"2000-01-01\" max=\"%s\"",
	                        today));
	OK_OR(rc, aria(&f, VX_FIELD_DATE));
	OK_OR(rc, vx_buf_puts(f.b, " value=\""));
	OK_OR(rc, vx_html_puts(f.b, value(&f, "date")));
	OK_OR(rc, vx_buf_puts(f.b, "\">\n"));
	OK_OR(rc, choice_fieldset(&f, VX_FIELD_CHANNELS, "checkbox", channel_list, n_channels, " (un ou plusieurs)"));
	OK_OR(rc, choice_fieldset(&f, VX_FIELD_FEELING, "radio", feelings, 3, ""));
	OK_OR(rc, vx_buf_puts(f.b, "<fieldset><legend>Votre avis sur… (facultatif)</legend>\n"));
	for (int d = VX_FIELD_ACCESSIBILITY; d <= VX_FIELD_SIMPLICITY; d++)
		OK_OR(rc, dimension_select(&f, (vx_submission_field)d));
	OK_OR(rc, vx_buf_puts(f.b, "</fieldset>\n"));
	OK_OR(rc, text_input(&f, VX_FIELD_TITLE, "text", VX_TITLE_MAX, NULL, 1));
	OK_OR(rc, text_input(&f, VX_FIELD_DESCRIPTION, NULL, VX_DESCRIPTION_MAX,
	                     "Ce qui s'est passé, de 10 à 5 000 caractères. N'indiquez ni nom, ni numéro de dossier, "
	                     "ni coordonnées.", 1));
	OK_OR(rc, choice_fieldset(&f, VX_FIELD_POSTED_AS, "radio", posted, n_posted, ""));
	OK_OR(rc, text_input(&f, VX_FIELD_PSEUDONYM, "text", VX_PSEUDONYM_MAX,
	                     "Le nom affiché avec votre expérience ; pas votre vrai nom.", 0));
	OK_OR(rc, vx_buf_puts(f.b, "<div class=\"hp\"><label for=\"" HONEYPOT "\">Laissez ce champ vide</label>"
	                           "<input id=\"" HONEYPOT "\" name=\"" HONEYPOT "\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"));
	OK_OR(rc, vx_buf_puts(f.b, "<fieldset><legend>Consentement</legend>\n"));
	OK_OR(rc, field_error(&f, VX_FIELD_CONSENT));
	OK_OR(rc, vx_buf_printf(f.b, "<div><input type=\"checkbox\" id=\"consentement\" name=\"consentement\" value=\"oui\"%s required",
	                        has_value(&f, "consentement", "oui") ? " checked" : ""));
	OK_OR(rc, aria(&f, VX_FIELD_CONSENT));
	OK_OR(rc, vx_buf_puts(f.b, "> <label class=\"inline\" for=\"consentement\">"));
	OK_OR(rc, vx_html_puts(f.b, vx_collect_consent_text()));
	OK_OR(rc, vx_buf_puts(f.b, "</label></div>\n</fieldset>\n"
	                           "<p><button type=\"submit\" name=\"action\" value=\"envoyer\">Envoyer mon expérience</button></p>\n"
	                           "</form>\n"));
	OK_OR(rc, vx_html_end(f.b));
	return rc;
}

int vx_collect_own_token(const vx_route *route)
{
	return route->fn == vx_do_avis;
}

int vx_page_avis(vx_rq *rq)
{
	return render(rq, &rq->query, NULL);
}

/* The submission of the form's values. */
static void from_form(const vx_params *p, vx_submission *sub)
{
	memset(sub, 0, sizeof *sub);
	sub->structure = vx_params_get(p, "structure");
	sub->date = vx_params_get(p, "date");
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].name, "canaux") == 0 && sub->n_channels <= VX_CHANNELS_MAX &&
		    strlen(p->items[i].value) == p->items[i].value_len)
			sub->channels[sub->n_channels++] = p->items[i].value;
	sub->feeling = vx_params_get(p, "ressenti");
	for (int d = 0; d < 5; d++)
		sub->dimensions[d] = vx_params_get(p, vx_submission_field_name((vx_submission_field)(VX_FIELD_ACCESSIBILITY + d)));
	sub->title = vx_params_get(p, "titre");
	sub->description = vx_params_get(p, "description");
	sub->posted_as = vx_params_get(p, "poste_comme");
	sub->pseudonym = vx_params_get(p, "pseudonyme");
	const char *c = vx_params_get(p, "consentement");
	sub->consent = c && strcmp(c, "oui") == 0;
}

int vx_do_avis(vx_rq *rq)
{
	const char *action = vx_params_get(&rq->form, "action");
	const char *trap = vx_params_get(&rq->form, HONEYPOT);
	vx_submission sub;
	vx_submission_errors e;
	vx_submit_result res;
	char to[64], msg[160];
	if (rq->req->body_len > VX_COLLECT_FORM_MAX)
		return vx_fail(rq, 413, "envoi trop grand : la description compte 5 000 caractères au plus");
	if (!token_ok(rq))
		return vx_fail(rq, 403, "formulaire périmé ou envoyé d'ailleurs : rechargez la page /avis et recommencez");
	if (action && strcmp(action, "chercher") == 0)
		return render(rq, &rq->form, NULL);
	long long wait = 0;
	/* Counted in the store, so that the servers of one database share
	 * the limit. */
	if (vx_store_limit_take(rq->store, VX_LIMIT_FORM, rq->req->remote_addr ? rq->req->remote_addr : "",
	                        (long long)rq->srv->now(), VX_COLLECT_RATE_WINDOW, VX_COLLECT_RATE_MAX, &wait) != 0)
		return vx_fail(rq, 503, "la base ne répond pas : votre expérience n'est pas enregistrée, réessayez");
	if (wait > 0) {
		snprintf(msg, sizeof msg, "trop d'envois depuis votre adresse : réessayez dans %lld minute%s", (wait + 59) / 60,
		         wait > 60 ? "s" : "");
		return vx_fail(rq, 429, msg);
	}
	/* A filled honeypot looks like a success to its script; nothing is kept. */
	if (trap && trap[0]) {
		vx_redirect(rq, "/avis/merci");
		return 0;
	}
	from_form(&rq->form, &sub);
	int rc = vx_collect_submit(rq->store, &sub, "formulaire", NULL, &e, &res);
	if (rc == VX_EINVAL && e.n) {
		rq->resp->status = 422;
		return render(rq, &rq->form, &e);
	}
	if (rc == VX_EBUSY || rc == VX_EDB)
		return vx_fail(rq, 503, "la base ne répond pas : votre expérience n'est pas enregistrée, réessayez");
	if (rc)
		return rc == VX_EINVAL ? vx_fail(rq, 400, vx_error_last()) : rc;
	snprintf(to, sizeof to, "/avis/merci?n=%lld", res.id);
	vx_redirect(rq, to);
	return 0;
}

int vx_page_avis_thanks(vx_rq *rq)
{
	const char *n = vx_params_get(&rq->query, "n");
	vx_buf *b = &rq->resp->body;
	int rc = 0, number = n && n[0] && strspn(n, "0123456789") == strlen(n) && strlen(n) < 20;
	OK_OR(rc, vx_html_begin(b, "Merci pour votre expérience", NULL, "", 0, 0));
	OK_OR(rc, vx_buf_puts(b, "<p class=\"notice\" role=\"status\">Votre expérience est enregistrée"));
	if (number) {
		OK_OR(rc, vx_buf_puts(b, " sous le numéro "));
		OK_OR(rc, vx_html_puts(b, n));
	}
	OK_OR(rc, vx_buf_puts(b, ". Un modérateur la relira avant sa publication.</p>\n"
	                         "<p><a href=\"/avis\">Raconter une autre expérience</a></p>\n"));
	OK_OR(rc, vx_html_end(b));
	return rc;
}
