/*
 * The collection's side of the server: the public form « Je donne mon
 * avis » (/avis, collect.c) and the submission API (collect_api.c), over
 * voix/collect.h. The router (server.c) takes their routes from
 * VX_COLLECT_ROUTES and creates their state with the server.
 */
#ifndef VX_SERVING_COLLECT_H
#define VX_SERVING_COLLECT_H

#include <jansson.h>

#include "serving/handlers.h"

/* Submissions of the form per client address: at most
 * VX_COLLECT_RATE_MAX in VX_COLLECT_RATE_WINDOW seconds (a citizen sends
 * one or two; a script sends hundreds), counted in the store
 * (vx_store_limit_take) over every server of the database. */
#define VX_COLLECT_RATE_MAX 10
#define VX_COLLECT_RATE_WINDOW 600
/* A form's token is good for two hours after the page was sent. */
#define VX_COLLECT_FORM_SECONDS 7200
/* Largest form body: 5,000 four-byte characters percent-encoded (60,000
 * bytes) and the other fields. */
#define VX_COLLECT_FORM_MAX ((size_t)96 << 10)
/* Structures offered by one search of the form. */
#define VX_COLLECT_SEARCH_MAX 20

struct vx_collect_state;

/* The form's HMAC key, read from store (made there by the first server:
 * vx_store_secret). Errors: VX_ENOMEM, VX_EDB. */
int vx_collect_state_new(struct vx_collect_state **out, vx_store *store);
void vx_collect_state_free(struct vx_collect_state *st);

int vx_page_avis(vx_rq *rq);
int vx_do_avis(vx_rq *rq);
int vx_page_avis_thanks(vx_rq *rq);
int vx_api_submit(vx_rq *rq);
int vx_page_moderation(vx_rq *rq);
int vx_do_moderation(vx_rq *rq);
int vx_page_journal(vx_rq *rq);
int vx_page_replies(vx_rq *rq);
int vx_do_reply(vx_rq *rq);
int vx_page_structure(vx_rq *rq);

/* Appends s escaped, with the personal data the server's masker finds in
 * <mark class="pii"> (collect_moderation.c). Returns 0 or VX_ENOMEM. */
int vx_put_pii_marked(vx_rq *rq, vx_buf *b, const char *s);

/* Where a signed-in user of role starts: the queue for a moderator, the
 * replies for an agent, the note for the others. */
const char *vx_collect_home(vx_role role);

/* The routes, in the router's table. */
#define VX_COLLECT_ROUTES                                                \
	{"GET", "/avis", VX_ROLE_NONE, 0, vx_page_avis},                     \
	{"POST", "/avis", VX_ROLE_NONE, 0, vx_do_avis},                      \
	{"GET", "/avis/merci", VX_ROLE_NONE, 0, vx_page_avis_thanks},        \
	{"POST", "/api/v1/experiences", VX_ROLE_READER, 1, vx_api_submit},   \
	{"GET", "/moderation", VX_ROLE_MODERATOR, 0, vx_page_moderation},     \
	{"POST", "/moderation", VX_ROLE_MODERATOR, 0, vx_do_moderation},      \
	{"GET", "/journal", VX_ROLE_ADMIN, 0, vx_page_journal},               \
	{"GET", "/reponses", VX_ROLE_AGENT, 0, vx_page_replies},              \
	{"POST", "/reponses", VX_ROLE_AGENT, 0, vx_do_reply},                 \
	{"GET", "/structure", VX_ROLE_NONE, 0, vx_page_structure},

/* 1 when route is a form without account that checks its own token
 * instead of the session's (the router skips its CSRF check). */
int vx_collect_own_token(const vx_route *route);

#endif
