#include "util/fold.h"

#include <string.h>
#include <utf8proc.h>

int vx_fold_label(char *out, size_t cap, const char *s, size_t len)
{
	size_t o = 0;
	int pending_space = 0;
	utf8proc_ssize_t i = 0;
	while ((size_t)i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)len - i, &cp);
		if (n <= 0)
			return -1;
		i += n;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == '\t' || cp == '\n' || cp == '\r') {
			pending_space = o > 0;
			continue;
		}
		utf8proc_int32_t dec[8];
		int lb = 0;
		utf8proc_ssize_t nd = utf8proc_decompose_char(
			cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT, &lb);
		if (nd < 0)
			return -1;
		if (pending_space) {
			if (o + 1 >= cap)
				return -1;
			out[o++] = ' ';
			pending_space = 0;
		}
		for (utf8proc_ssize_t k = 0; k < nd && k < 8; k++) {
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t ne = utf8proc_encode_char(dec[k], enc);
			if (o + (size_t)ne >= cap)
				return -1;
			memcpy(out + o, enc, (size_t)ne);
			o += (size_t)ne;
		}
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return (int)o;
}

int vx_fold_equal(const char *a, const char *b)
{
	char fa[512], fb[512];
	int na = vx_fold_label(fa, sizeof fa, a, strlen(a));
	int nb = vx_fold_label(fb, sizeof fb, b, strlen(b));
	if (na < 0 || nb < 0)
		return strcmp(a, b) == 0;
	return na == nb && memcmp(fa, fb, (size_t)na) == 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void vx_label_trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

int vx_label_list_next(const char **p, const char **item, size_t *len)
{
	if (*p == NULL)
		return 0;
	const char *end = strchr(*p, ',');
	*item = *p;
	*len = end ? (size_t)(end - *p) : strlen(*p);
	vx_label_trim(item, len);
	*p = end ? end + 1 : NULL;
	return 1;
}
