/*
 * The JSON object writer of jsonw.h. A string is copied in runs between the
 * bytes that need an escape (16 bytes at a time with SSE2, through a
 * 256-entry table otherwise): in French text they are rare (quotes, line
 * breaks), so nearly every value is one scan and one memcpy.
 */
#include "reading/jsonw.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* For each byte: 0 = copied as it is; 'u' = written \u00XX; any other
 * letter = written as '\' and that letter. The same choices as Jansson's
 * dump (short escapes for the five that have one, upper-case hex). */
static const char escape[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u', /* 0x00 */
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x10 */
	0,   0,   '"', 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x20 */
	0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x30 */
	0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x40 */
	0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   '\\', 0,  0,   0,   /* 0x50 */
	/* 0x60 and up: 0 */
};

/* Index of the first byte at or after i that needs an escape, or len.
 * Sixteen bytes at a time with SSE2: values are long runs of plain text. */
static size_t plain_end(const unsigned char *p, size_t i, size_t len)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), last_ctl = _mm_set1_epi8(0x1F);
	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* x <= 0x1F (unsigned) exactly when min(x, 0x1F) == x. */
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, last_ctl), v),
		                         _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i < len && escape[p[i]] == 0)
		i++;
	return i;
}

/* Appends c to out; the call into vx_buf only when out must grow. */
static int put(vx_buf *out, char c)
{
	if (out->len + 1 >= out->cap)
		return vx_buf_putc(out, c);
	out->data[out->len++] = c;
	out->data[out->len] = '\0';
	return 0;
}

int vx_jsonw_string(vx_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	/* Room for the quotes and every byte as it is; each escape then
	 * reserves again for the rest (an escape is up to 6 bytes). */
	int rc = vx_buf_reserve(out, len + 2);
	if (rc)
		return rc;
	char *d = out->data + out->len;
	*d++ = '"';
	size_t i = 0;
	for (;;) {
		size_t run = i;
		i = plain_end(p, i, len);
		if (i > run) {
			memcpy(d, s + run, i - run);
			d += i - run;
		}
		if (i == len)
			break;
		out->len = (size_t)(d - out->data);
		out->data[out->len] = '\0';
		rc = vx_buf_reserve(out, len - i + 6);
		if (rc)
			return rc;
		d = out->data + out->len;
		char e = escape[p[i]];
		*d++ = '\\';
		*d++ = e;
		if (e == 'u') {
			*d++ = '0';
			*d++ = '0';
			*d++ = hex[p[i] >> 4];
			*d++ = hex[p[i] & 15];
		}
		i++;
	}
	*d++ = '"';
	*d = '\0';
	out->len = (size_t)(d - out->data);
	return 0;
}

int vx_jsonw_object_begin(vx_jsonw_object *obj, vx_buf *out)
{
	obj->out = out;
	obj->members = 0;
	return put(out, '{');
}

int vx_jsonw_object_member(vx_jsonw_object *obj, const char *key, size_t key_len, const char *value,
                           size_t value_len)
{
	int rc = obj->members ? put(obj->out, ',') : 0;
	if (rc == 0)
		rc = vx_jsonw_string(obj->out, key, key_len);
	if (rc == 0)
		rc = put(obj->out, ':');
	if (rc == 0)
		rc = vx_jsonw_string(obj->out, value, value_len);
	if (rc == 0)
		obj->members++;
	return rc;
}

int vx_jsonw_object_end(vx_jsonw_object *obj)
{
	return put(obj->out, '}');
}
