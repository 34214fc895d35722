/*
 * The network side: libmicrohttpd feeds vx_server_handle() from its pool of
 * srv->threads threads (each polls its share of the connections), with the body gathered up to the limit
 * (beyond it the body is dropped and the answer is 413), and adds the
 * security headers to every response.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/error.h"

typedef struct conn {
	vx_buf body;
	int too_big;
} conn;

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	vx_buf *b = cls;
	(void)kind;
	if ((b->len && vx_buf_putc(b, '&')) || vx_html_url(b, key) || vx_buf_putc(b, '=') || vx_html_url(b, value))
		return MHD_NO;
	return MHD_YES;
}

/* The query string again: libmicrohttpd gives the path and the decoded
 * arguments apart; they are encoded back for vx_server_handle's parser. */
static const char *query_string(struct MHD_Connection *c, vx_buf *b)
{
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, b);
	return b->data ? b->data : "";
}

/* The client's address as text into buf, or NULL. */
static const char *vx_listen_client_address(struct MHD_Connection *c, char *buf, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, (socklen_t)cap);
	if (sa && sa->sa_family == AF_INET6)
		return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, (socklen_t)cap);
	return NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	vx_server *srv = cls;
	conn *st = *con_cls;
	(void)version;
	if (st == NULL) {
		if ((st = calloc(1, sizeof *st)) == NULL)
			return MHD_NO;
		vx_buf_init(&st->body, srv->max_upload);
		*con_cls = st;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!st->too_big && vx_buf_append(&st->body, upload_data, *upload_size) != 0) {
			st->too_big = 1;
			vx_buf_free(&st->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	vx_buf query = VX_BUF_INIT;
	vx_http_request req = {method, url, NULL, st->body.data, st->body.len, st->too_big,
	                       MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
	                       MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE),
	                       MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION), NULL, NULL};
	vx_http_response resp;
	vx_http_response_init(&resp);
	req.query = query_string(c, &query);
	char addr[INET6_ADDRSTRLEN];
	req.remote_addr = vx_listen_client_address(c, addr, sizeof addr);
	req.idempotency_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
	int rc = vx_server_handle(srv, &req, &resp);
	vx_buf_free(&query);
	struct MHD_Response *r = MHD_create_response_from_buffer(resp.body.len, resp.body.data ? resp.body.data : "",
	                                                         MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret = MHD_NO;
	if (r && rc == 0) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type);
		MHD_add_response_header(r, "Content-Security-Policy", CSP);
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(r, "Cache-Control", "no-store");
		if (resp.set_cookie[0])
			MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, resp.set_cookie);
		if (resp.location[0])
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, resp.location);
		if (resp.disposition[0])
			MHD_add_response_header(r, "Content-Disposition", resp.disposition);
		if (resp.cache)
			MHD_add_response_header(r, "X-Voix-Cache", resp.cache);
		ret = MHD_queue_response(c, (unsigned)resp.status, r);
	}
	MHD_destroy_response(r);
	vx_http_response_free(&resp);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
	conn *st = *con_cls;
	(void)cls;
	(void)c;
	(void)t;
	if (st) {
		vx_buf_free(&st->body);
		free(st);
	}
	*con_cls = NULL;
}

int vx_server_start(vx_server *srv, const char *listen)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	struct sockaddr *addr;
	char host[64];
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	char *end = NULL;
	/* epoll: with select() the pool's threads left some connections
	 * waiting for more than 2 s under 64 busy connections while others
	 * were served; with epoll none (bench/serve/RESULTS.md). */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_EPOLL;
	if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
		return vx_error_set(VX_EINVAL, "adresse d'écoute « %s » : HÔTE:PORT attendu", listen ? listen : "");
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || end == colon + 1)
		return vx_error_set(VX_EINVAL, "port invalide dans « %s »", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a6.sin6_addr) != 1)
			return vx_error_set(VX_EINVAL, "adresse IPv6 invalide « %s »", host + 1);
		addr = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &a4.sin_addr) != 1)
			return vx_error_set(VX_EINVAL, "adresse IPv4 invalide « %s »", host);
		addr = (struct sockaddr *)&a4;
	}
	struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, answer, srv, MHD_OPTION_SOCK_ADDR,
	                                        addr, MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
	                                        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 512u,
	                                        MHD_OPTION_THREAD_POOL_SIZE, srv->threads, MHD_OPTION_END);
	if (d == NULL)
		return vx_error_set(VX_EIO, "impossible d'écouter sur %s (port déjà pris ?)", listen);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	srv->daemon = d;
	srv->port = info ? info->port : (unsigned)port;
	return 0;
}

unsigned vx_server_port(const vx_server *srv)
{
	return srv && srv->daemon ? srv->port : 0;
}

void vx_server_stop(vx_server *srv)
{
	if (srv && srv->daemon) {
		MHD_stop_daemon(srv->daemon);
		srv->daemon = NULL;
		srv->port = 0;
	}
}
