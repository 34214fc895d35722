/*
 * Query strings, forms, multipart bodies and cookies (params.h). Nothing
 * here trusts a length it did not measure: every loop is bounded by the
 * end of the buffer it was given.
 */
#include "serving/params.h"

#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) into a new string; *out_len gets its length. */
static int decode(char **out, size_t *out_len, const char *s, size_t n)
{
	char *d = malloc(n + 1);
	size_t k = 0;
	if (d == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory decoding a form");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[k++] = ' ';
		} else if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(d);
				return vx_error_set(VX_EFORMAT, "échappement %% invalide à l'octet %zu d'un formulaire",
				                    i);
			}
			d[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[k++] = s[i];
		}
	}
	d[k] = '\0';
	*out = d;
	*out_len = k;
	return 0;
}

void vx_params_free(vx_params *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
	}
	p->n = 0;
}

int vx_params_parse(vx_params *p, const char *data, size_t len)
{
	int rc = 0;
	size_t i = 0;
	p->n = 0;
	while (i < len && rc == 0) {
		size_t end = i, eq;
		while (end < len && data[end] != '&')
			end++;
		for (eq = i; eq < end && data[eq] != '='; eq++)
			;
		if (end > i) {
			size_t name_len = 0;
			vx_param *it = &p->items[p->n];
			if (p->n == VX_PARAMS_MAX) {
				rc = vx_error_set(VX_ETOOBIG, "plus de %d paramètres", VX_PARAMS_MAX);
				break;
			}
			it->name = it->value = NULL;
			rc = decode(&it->name, &name_len, data + i, eq - i);
			if (rc == 0)
				rc = decode(&it->value, &it->value_len, data + (eq < end ? eq + 1 : end),
				            eq < end ? end - eq - 1 : 0);
			if (rc == 0 && strlen(it->name) != name_len) {
				rc = vx_error_set(VX_EFORMAT, "un nom de paramètre contient un octet NUL");
			}
			p->n++;
		}
		i = end + 1;
	}
	if (rc)
		vx_params_free(p);
	return rc;
}

const char *vx_params_get(const vx_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return strlen(p->items[i].value) == p->items[i].value_len ? p->items[i].value : NULL;
	return NULL;
}

/* strncasecmp for ASCII letters (strings.h is not C17). */
static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return x - y;
	}
	return 0;
}

/* First occurrence of needle[0..nl) in h[0..hl), or NULL. */
static const char *find(const char *h, size_t hl, const char *needle, size_t nl)
{
	if (nl == 0 || hl < nl)
		return NULL;
	for (size_t i = 0; i + nl <= hl; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, nl) == 0)
			return h + i;
	return NULL;
}

/* The value of attr="..." (or attr=token) in a header line [p, end). */
static void header_attr(const char *p, const char *end, const char *attr, const char **v, size_t *vl)
{
	size_t al = strlen(attr);
	*v = NULL;
	*vl = 0;
	for (const char *q = p; q + al < end; q++) {
		if ((q == p || q[-1] == ' ' || q[-1] == ';') && memcmp(q, attr, al) == 0 && q[al] == '=') {
			const char *s = q + al + 1;
			if (s < end && *s == '"') {
				const char *e = ++s;
				while (e < end && *e != '"')
					e++;
				*v = s;
				*vl = (size_t)(e - s);
			} else {
				const char *e = s;
				while (e < end && *e != ';' && *e != ' ')
					e++;
				*v = s;
				*vl = (size_t)(e - s);
			}
			return;
		}
	}
}

/* Longest boundary RFC 2046 allows. */
#define BOUNDARY_MAX 70

int vx_multipart_parse(vx_part parts[VX_PARTS_MAX], size_t *n, const char *content_type, const char *body,
                       size_t len)
{
	char delim[BOUNDARY_MAX + 5];
	const char *b = NULL;
	size_t bl = 0;
	*n = 0;
	if (content_type)
		header_attr(content_type, content_type + strlen(content_type), "boundary", &b, &bl);
	if (b == NULL || bl == 0 || bl > BOUNDARY_MAX)
		return vx_error_set(VX_EFORMAT, "envoi multipart sans délimiteur valide");
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b, bl);
	size_t dl = bl + 4;
	/* The first delimiter may start the body, without its CRLF. */
	const char *end = body + len, *p;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		p = body + dl - 2;
	else if ((p = find(body, len, delim, dl)) != NULL)
		p += dl;
	else
		return vx_error_set(VX_EFORMAT, "envoi multipart sans son premier délimiteur");
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return vx_error_set(VX_EFORMAT, "délimiteur multipart non suivi d'une fin de ligne");
		p += 2;
		const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL)
			return vx_error_set(VX_EFORMAT, "partie multipart %zu sans la fin de ses en-têtes", *n + 1);
		if (*n == VX_PARTS_MAX)
			return vx_error_set(VX_ETOOBIG, "plus de %d parties dans un envoi multipart", VX_PARTS_MAX);
		vx_part *part = &parts[*n];
		memset(part, 0, sizeof *part);
		for (const char *line = p; line < hend;) {
			const char *le = find(line, (size_t)(hend - line), "\r\n", 2);
			if (le == NULL)
				le = hend;
			static const char cd[] = "content-disposition:";
			if ((size_t)(le - line) > sizeof cd - 1 && strncasecmp_ascii(line, cd, sizeof cd - 1) == 0) {
				header_attr(line, le, "name", &part->name, &part->name_len);
				header_attr(line, le, "filename", &part->filename, &part->filename_len);
			}
			line = le + 2;
		}
		const char *data = hend + 4;
		const char *next = find(data, (size_t)(end - data), delim, dl);
		if (next == NULL)
			return vx_error_set(VX_EFORMAT, "envoi multipart sans son délimiteur final");
		part->data = data;
		part->len = (size_t)(next - data);
		(*n)++;
		p = next + dl;
	}
}

int vx_cookie_get(char *out, size_t cap, const char *header, const char *name)
{
	size_t nl = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *e = p;
		while (*e && *e != ';')
			e++;
		if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t vl = (size_t)(e - p - nl - 1);
			if (vl + 1 > cap)
				break;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
			return 0;
		}
		p = e;
	}
	if (cap)
		out[0] = '\0';
	return VX_ENOTFOUND;
}
