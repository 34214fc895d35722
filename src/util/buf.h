/*
 * vx_buf: a growable byte buffer with an optional maximum size.
 *
 * The content is always NUL-terminated (the terminator is not counted in
 * len). Appending past max fails with VX_ETOOBIG and leaves the buffer as it
 * was. Functions that grow the buffer may move buf->data: pointers into it
 * are invalid after any append.
 */
#ifndef VX_UTIL_BUF_H
#define VX_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vx_buf {
	char *data;  /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;  /* 0 = unbounded */
} vx_buf;

#define VX_BUF_INIT {NULL, 0, 0, 0}

void vx_buf_init(vx_buf *b, size_t max);
void vx_buf_free(vx_buf *b);
void vx_buf_reset(vx_buf *b);
int vx_buf_reserve(vx_buf *b, size_t extra);
int vx_buf_append(vx_buf *b, const void *data, size_t len);
int vx_buf_puts(vx_buf *b, const char *s);
int vx_buf_putc(vx_buf *b, char c);
int vx_buf_printf(vx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vx_buf_vprintf(vx_buf *b, const char *fmt, va_list ap);
/* Hands the content to the caller (who frees it) and resets the buffer. */
char *vx_buf_detach(vx_buf *b, size_t *len);

#endif
