/*
 * The server's request handling, without the network: a request in, a
 * response out. listen.c feeds it from libmicrohttpd; the tests call
 * vx_server_handle() directly.
 */
#ifndef VX_SERVING_SERVER_H
#define VX_SERVING_SERVER_H

#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "voix/serve.h"

typedef struct vx_http_request {
	const char *method;        /* "GET", "POST"... */
	const char *path;          /* without the query string */
	const char *query;         /* raw query string, "" or NULL when none */
	const char *body;
	size_t body_len;
	int body_too_big;          /* 1: the body was longer than the limit and dropped */
	const char *content_type;  /* headers, NULL when absent */
	const char *cookie;
	const char *authorization;
	const char *remote_addr;     /* the client's address, NULL when unknown (rate limits) */
	const char *idempotency_key; /* Idempotency-Key header, NULL when absent */
} vx_http_request;

typedef struct vx_http_response {
	int status;
	const char *content_type;
	vx_buf body;
	char set_cookie[256];
	char location[512];
	char disposition[256];     /* Content-Disposition, "" for none */
	const char *cache;         /* X-Voix-Cache: "hit" or "miss", NULL for none */
} vx_http_response;

void vx_http_response_init(vx_http_response *r);
void vx_http_response_free(vx_http_response *r);

/* Answers req into resp (initialised by the caller): always a complete
 * response, errors included (4xx with the JSON error shape under /api/,
 * an HTML page elsewhere); returns 0, or VX_ENOMEM when even that failed. */
int vx_server_handle(vx_server *srv, const vx_http_request *req, vx_http_response *resp);

/* The request body limit of srv. */
size_t vx_server_max_body(const vx_server *srv);

/* The routes, for the test that checks docs/openapi.yaml: the i-th route's
 * method and path, 0; VX_ENOTFOUND past the last. */
int vx_server_route(size_t i, const char **method, const char **path);

/* Sets the clock the server reads (tests of expiry and throttling); NULL:
 * time(). */
void vx_server_set_clock(vx_server *srv, time_t (*now)(void));

#endif
