/*
 * The dashboard and JSON API of voix (voix serve): an HTTP server over a
 * store, built on libmicrohttpd, that reads notes through voix/analysis.h
 * and voix/render.h. See docs/api.md and docs/deploy.md.
 *
 * A server answers on a pool of threads (libmicrohttpd's), each request
 * with a store connection of its own; its sessions and cache of notes are
 * shared under a lock, and requests that write (POST) go one at a time
 * through one read-write connection.
 */
#ifndef VOIX_SERVE_H
#define VOIX_SERVE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vx_server vx_server;

typedef struct vx_server_options {
	unsigned version;      /* VX_SERVER_OPTIONS_VERSION */
	const char *db_path;   /* the store (created when missing) */
	const char *theme;     /* "neutre" (default) or "dsfr" */
	int secure_cookies;    /* 1: the session cookie is marked Secure (behind TLS) */
	size_t max_upload;     /* largest request body in bytes, 0: VX_SERVER_DEFAULT_MAX_UPLOAD */
	unsigned threads;      /* threads that answer (at most VX_SERVER_THREADS_MAX), 0: one per processor */
} vx_server_options;

#define VX_SERVER_OPTIONS_VERSION 2
#define VX_SERVER_OPTIONS_INIT {VX_SERVER_OPTIONS_VERSION, "voix.db", "neutre", 0, 0, 0}
/* Most threads a server answers on: each holds a store connection. */
#define VX_SERVER_THREADS_MAX 256
/* 64 MiB: an export of a few hundred thousand experiences. */
#define VX_SERVER_DEFAULT_MAX_UPLOAD ((size_t)64 << 20)
/* Largest --max-upload a front end accepts, in MiB: 4 GiB, the largest
 * export voix reads (VX_REDACT_MAX_BYTES). */
#define VX_SERVER_MAX_UPLOAD_MIB 4096

/* Opens the store of opts (one read-write connection, and one read-only
 * connection per thread) and makes a server that does not listen yet.
 * Errors: VX_EINVAL (unknown theme or options version, too many threads),
 * those of vx_store_open() and vx_store_open_existing(), VX_ENOMEM. */
int vx_server_new(vx_server **out, const vx_server_options *opts);

/* Stops the server if it listens and frees it. NULL-safe. */
void vx_server_free(vx_server *srv);

/* Starts listening on listen ("127.0.0.1:8080", "[::1]:8080"; port 0
 * picks a free one, see vx_server_port) on threads of its own, and
 * returns. Errors: VX_EINVAL (a bad address), VX_EIO (the port cannot be
 * opened). */
int vx_server_start(vx_server *srv, const char *listen);

/* The port the server listens on, 0 when it does not. */
unsigned vx_server_port(const vx_server *srv);

/* Stops listening (requests in progress end first). */
void vx_server_stop(vx_server *srv);

#ifdef __cplusplus
}
#endif
#endif
