#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

void vx_buf_init(vx_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void vx_buf_free(vx_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void vx_buf_reset(vx_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int vx_buf_reserve(vx_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		return vx_error_set(VX_ETOOBIG, "taille de tampon hors limites");
	size_t need = b->len + extra + 1;
	if (b->max && need > b->max + 1)
		return vx_error_set(VX_ETOOBIG, "le tampon dépasserait sa limite de %zu octets", b->max);
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *grown = realloc(b->data, cap);
	if (grown == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
	b->data = grown;
	b->cap = cap;
	return 0;
}

int vx_buf_append(vx_buf *b, const void *data, size_t len)
{
	int rc = vx_buf_reserve(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int vx_buf_puts(vx_buf *b, const char *s)
{
	return vx_buf_append(b, s, strlen(s));
}

int vx_buf_putc(vx_buf *b, char c)
{
	return vx_buf_append(b, &c, 1);
}

int vx_buf_vprintf(vx_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return vx_error_set(VX_EINVAL, "vx_buf_printf: bad format string");
	int rc = vx_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int vx_buf_printf(vx_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *vx_buf_detach(vx_buf *b, size_t *len)
{
	if (b->data == NULL && vx_buf_reserve(b, 0) != 0)
		return NULL;
	char *out = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return out;
}
