/*
 * A cursor parser for the one JSON shape we write: an array of strings.
 * Escapes (\" \\ \/ \b \f \n \r \t \uXXXX with surrogate pairs) are decoded
 * to UTF-8; anything else is an error with its offset.
 */
#include "storage/channels.h"

#include "voix/error.h"

int vx_channels_encode(vx_buf *out, const char *const *items, uint32_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = vx_buf_putc(out, '[');
	for (uint32_t k = 0; k < n && rc == 0; k++) {
		if (k)
			rc = vx_buf_putc(out, ',');
		if (rc == 0)
			rc = vx_buf_putc(out, '"');
		for (const unsigned char *p = (const unsigned char *)items[k]; *p && rc == 0; p++) {
			if (*p == '"' || *p == '\\') {
				char esc[2] = {'\\', (char)*p};
				rc = vx_buf_append(out, esc, 2);
			} else if (*p < 0x20) {
				char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
				rc = vx_buf_append(out, esc, 6);
			} else {
				rc = vx_buf_putc(out, (char)*p);
			}
		}
		if (rc == 0)
			rc = vx_buf_putc(out, '"');
	}
	if (rc == 0)
		rc = vx_buf_putc(out, ']');
	return rc;
}

static void skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r'))
		(*i)++;
}

static int hex4(const char *s, size_t len, size_t i, unsigned *v)
{
	if (len - i < 4)
		return -1;
	unsigned x = 0;
	for (size_t k = 0; k < 4; k++) {
		char c = s[i + k];
		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

static int put_utf8(vx_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return vx_buf_append(b, u, n);
}

/* Parses the string starting at s[*i] == '"'; appends it NUL-terminated. */
static int parse_string(vx_buf *out, const char *s, size_t len, size_t *i)
{
	size_t p = *i + 1;
	int rc = 0;
	while (p < len && s[p] != '"') {
		size_t run = p;
		while (p < len && s[p] != '"' && s[p] != '\\' && (unsigned char)s[p] >= 0x20)
			p++;
		if ((rc = vx_buf_append(out, s + run, p - run)) != 0)
			return rc;
		if (p >= len || s[p] == '"')
			break;
		if ((unsigned char)s[p] < 0x20)
			return vx_error_set(VX_EFORMAT, "caractère de contrôle dans une chaîne à l'octet %zu", p);
		/* An escape. */
		if (++p >= len)
			break;
		char e = s[p++];
		unsigned cp;
		switch (e) {
		case '"': case '\\': case '/': rc = vx_buf_putc(out, e); break;
		case 'b': rc = vx_buf_putc(out, '\b'); break;
		case 'f': rc = vx_buf_putc(out, '\f'); break;
		case 'n': rc = vx_buf_putc(out, '\n'); break;
		case 'r': rc = vx_buf_putc(out, '\r'); break;
		case 't': rc = vx_buf_putc(out, '\t'); break;
		case 'u':
			if (hex4(s, len, p, &cp) != 0)
				return vx_error_set(VX_EFORMAT, "échappement \\u invalide à l'octet %zu", p);
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (len - p < 6 || s[p] != '\\' || s[p + 1] != 'u' || hex4(s, len, p + 2, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return vx_error_set(VX_EFORMAT, "demi-code UTF-16 isolé à l'octet %zu", p);
				p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return vx_error_set(VX_EFORMAT, "demi-code UTF-16 isolé à l'octet %zu", p);
			}
			if (cp == 0)
				return vx_error_set(VX_EFORMAT, "caractère NUL dans une chaîne à l'octet %zu", p);
			rc = put_utf8(out, cp);
			break;
		default:
			return vx_error_set(VX_EFORMAT, "échappement invalide à l'octet %zu", p - 1);
		}
		if (rc)
			return rc;
	}
	if (p >= len)
		return vx_error_set(VX_EFORMAT, "chaîne non terminée à l'octet %zu", *i);
	*i = p + 1;
	return vx_buf_putc(out, '\0');
}

int vx_channels_decode(vx_buf *strings, uint32_t *n, const char *json, size_t len)
{
	size_t i = 0;
	int rc;
	vx_buf_reset(strings);
	*n = 0;
	skip_ws(json, len, &i);
	if (i >= len || json[i] != '[')
		return vx_error_set(VX_EFORMAT, "« [ » attendu à l'octet %zu", i);
	i++;
	skip_ws(json, len, &i);
	if (i < len && json[i] == ']') {
		i++;
	} else {
		for (;;) {
			skip_ws(json, len, &i);
			if (i >= len || json[i] != '"')
				return vx_error_set(VX_EFORMAT, "chaîne attendue à l'octet %zu", i);
			if ((rc = parse_string(strings, json, len, &i)) != 0)
				return rc;
			(*n)++;
			skip_ws(json, len, &i);
			if (i < len && json[i] == ',') {
				i++;
				continue;
			}
			if (i < len && json[i] == ']') {
				i++;
				break;
			}
			return vx_error_set(VX_EFORMAT, "« , » ou « ] » attendu à l'octet %zu", i);
		}
	}
	skip_ws(json, len, &i);
	if (i != len)
		return vx_error_set(VX_EFORMAT, "données inattendues après la liste à l'octet %zu", i);
	return 0;
}
