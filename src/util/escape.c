#include "voix/util.h"

/* First byte of the UTF-8 form of U+0080..U+00BF. */
#define UTF8_LEAD_C2 0xC2
/* UTF-8 C1 characters: C2 followed by 80..9F. */
#define C1_LAST 0x9F
#define ASCII_DEL 0x7F

void vx_fputs_escaped(const char *s, FILE *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned c = *p;
		if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20 || c == ASCII_DEL) {
			fputs("\\x", out);
			fputc(hex[c >> 4], out);
			fputc(hex[c & 15], out);
		} else if (c == UTF8_LEAD_C2 && p[1] >= 0x80 && p[1] <= C1_LAST) {
			fputs("\\x", out);
			fputc(hex[p[1] >> 4], out);
			fputc(hex[p[1] & 15], out);
			p++;
		} else {
			fputc((int)c, out);
		}
	}
}
