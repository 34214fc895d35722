/*
 * Parsers of untrusted request parts: query strings and urlencoded forms
 * (a=1&b=%C3%A9), multipart/form-data bodies (an uploaded export) and the
 * Cookie header. Cursor parsers over explicit lengths; each has a fuzz
 * target (fuzz/fuzz_params.c, fuzz/fuzz_multipart.c).
 */
#ifndef VX_SERVING_PARAMS_H
#define VX_SERVING_PARAMS_H

#include <stddef.h>

/* Most parameters kept from one query string or form; more is VX_ETOOBIG. */
#define VX_PARAMS_MAX 64

typedef struct vx_param {
	char *name, *value; /* decoded, NUL-terminated (may hold a NUL byte before it: see len) */
	size_t value_len;
} vx_param;

typedef struct vx_params {
	vx_param items[VX_PARAMS_MAX];
	size_t n;
} vx_params;

/* Decodes "a=1&b=x+y%21" from data[0..len) into p (which it resets):
 * '+' is a space, %XX a byte; a name without '=' has value "". A bad
 * escape (%G1, % at the end) is VX_EFORMAT; more than VX_PARAMS_MAX
 * pairs VX_ETOOBIG; VX_ENOMEM. p is left empty on error. */
int vx_params_parse(vx_params *p, const char *data, size_t len);

/* The value of the first parameter called name, NULL when absent. A value
 * holding a NUL byte is returned as absent (no text field has one). */
const char *vx_params_get(const vx_params *p, const char *name);

/* Frees the decoded strings. */
void vx_params_free(vx_params *p);

/* One part of a multipart/form-data body: pointers into the body. */
typedef struct vx_part {
	const char *name; size_t name_len;         /* form field name */
	const char *filename; size_t filename_len; /* NULL when not a file */
	const char *data; size_t len;
} vx_part;

#define VX_PARTS_MAX 16

/* Splits body[0..len) by the boundary of content_type
 * ("multipart/form-data; boundary=XYZ"). Writes at most VX_PARTS_MAX
 * parts to parts and their number to *n. Errors: VX_EFORMAT (no boundary,
 * a part without its headers' end, no closing boundary), VX_ETOOBIG. */
int vx_multipart_parse(vx_part parts[VX_PARTS_MAX], size_t *n, const char *content_type, const char *body,
                       size_t len);

/* The value of cookie name in a Cookie header ("a=1; b=2"), copied to out
 * (cap bytes); 0, or VX_ENOTFOUND when absent or longer than cap - 1. */
int vx_cookie_get(char *out, size_t cap, const char *header, const char *name);

#endif
