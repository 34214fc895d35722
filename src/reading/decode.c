/*
 * Encoding detection and decoding to UTF-8. See decode.h.
 */
#include "reading/decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "voix/error.h"

/* Windows-1252 code points of bytes 0x80..0x9F; 0 where the code page has
 * no character (those bytes map to the C1 code point of the same value). */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Writes code point cp (< 0x10000) as UTF-8 at o; returns the bytes written. */
static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] > 0x9F)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[1] > 0x8F)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

int vx_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_seq(u + i, len - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int is_c1(const unsigned char *u, size_t i, size_t len)
{
	return u[i] == 0xC2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F &&
	       cp1252_high[u[i + 1] - 0x80] != 0;
}

int vx_c1_present(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *p = u;
	while ((p = memchr(p, 0xC2, len - (size_t)(p - u))) != NULL) {
		if (is_c1(u, (size_t)(p - u), len))
			return 1;
		p++;
	}
	return 0;
}

int vx_c1_repair(vx_buf *out, const char *s, size_t len, size_t *repaired)
{
	/* Each 2-byte C1 sequence becomes at most 3 bytes. */
	int rc = vx_buf_reserve(out, len + len / 2 + 1);
	if (rc)
		return rc;
	const unsigned char *u = (const unsigned char *)s;
	char *o = out->data + out->len;
	size_t i = 0, n = 0;
	while (i < len) {
		const unsigned char *p = memchr(u + i, 0xC2, len - i);
		size_t stop = p ? (size_t)(p - u) : len;
		memcpy(o, u + i, stop - i);
		o += stop - i;
		i = stop;
		if (i >= len)
			break;
		if (is_c1(u, i, len)) {
			o += put_utf8(o, cp1252_high[u[i + 1] - 0x80]);
			i += 2;
			n++;
		} else {
			*o++ = (char)u[i++];
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	if (repaired)
		*repaired += n;
	return 0;
}

/* Facts gathered in one pass over the input. */
typedef struct scan {
	int utf8_ok;
	size_t c1;       /* C1 characters that vx_c1_repair maps */
	size_t controls;
	size_t nul_at;   /* offset of the first NUL, or SIZE_MAX */
} scan;

static int is_control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
}

/* Handles the byte (or UTF-8 sequence) at u[i]; returns the next index. */
static size_t scan_one(scan *sc, const unsigned char *u, size_t i, size_t len)
{
	unsigned char c = u[i];
	if (c < 0x80) {
		if (c == 0 && sc->nul_at == SIZE_MAX)
			sc->nul_at = i;
		sc->controls += is_control(c);
		return i + 1;
	}
	if (!sc->utf8_ok)
		return i + 1;
	/* Two-byte sequences (all accented Latin letters) first. */
	if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
		if (c == 0xC2 && u[i + 1] <= 0x9F && cp1252_high[u[i + 1] - 0x80])
			sc->c1++;
		return i + 2;
	}
	size_t k = utf8_seq(u + i, len - i);
	if (k == 0) {
		sc->utf8_ok = 0;
		return i + 1;
	}
	return i + k;
}

#if defined(__SSE2__)
/* Bit k of the result is the top bit of byte k of the 64 bytes in v[]. */
static uint64_t mask64(const __m128i v[4])
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(v[0]) | (uint64_t)(unsigned)_mm_movemask_epi8(v[1]) << 16 |
	       (uint64_t)(unsigned)_mm_movemask_epi8(v[2]) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(v[3]) << 48;
}

/* Bytes of x (bytes xor 0x80, so that signed compares order them as
 * unsigned) within [lo, hi] in that unsigned order. */
static uint64_t in_range(const __m128i x[4], int lo, int hi)
{
	const __m128i below = _mm_set1_epi8((char)((lo ^ 0x80) - 1)), above = _mm_set1_epi8((char)((hi ^ 0x80) + 1));
	__m128i m[4];
	for (int q = 0; q < 4; q++)
		m[q] = _mm_and_si128(_mm_cmpgt_epi8(x[q], below), _mm_cmplt_epi8(x[q], above));
	return mask64(m);
}

/*
 * Checks the 64 bytes at u[i] at once when they hold only ASCII and whole
 * two- and three-byte sequences without C1 (French text is mostly that:
 * é, à, ç, ’, €...), one branch per 64 bytes. Returns the bytes consumed
 * (64, or 62-63 when a sequence runs into the next chunk), or 0 when the
 * chunk needs the byte-by-byte path (four-byte sequences, E0/ED leads, C1,
 * anything invalid).
 */
static size_t scan_chunk(scan *sc, const unsigned char *u, size_t i)
{
	__m128i v[4], x[4], t[4];
	for (int q = 0; q < 4; q++) {
		v[q] = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 16 * (size_t)q));
		x[q] = _mm_xor_si128(v[q], _mm_set1_epi8((char)0x80));
		t[q] = _mm_cmplt_epi8(v[q], _mm_set1_epi8(0x20)); /* C0, and every byte >= 0x80 */
	}
	uint64_t high = mask64(v);
	uint64_t low = mask64(t) & ~high;
	if ((high | low) == 0)
		return 64;
	size_t take = 64;
	uint64_t keep = ~0ull;
	if (sc->utf8_ok && high) {
		/* Leads of two-byte (C2..DF) and three-byte sequences (E1..EC,
		 * EE..EF: E0 and ED restrict their second byte, they take the
		 * byte-by-byte path like four-byte sequences do). */
		uint64_t lead2 = in_range(x, 0xC2, 0xDF);
		uint64_t lead3 = in_range(x, 0xE1, 0xEC) | in_range(x, 0xEE, 0xEF);
		uint64_t cont = in_range(x, 0x80, 0xBF);
		/* A sequence that ends in the next chunk is left to it. */
		if (lead3 >> 62 & 1)
			take = 62;
		else if ((lead3 | lead2) >> 63)
			take = 63;
		if (take < 64) {
			keep = (1ull << take) - 1;
			lead2 &= keep;
			lead3 &= keep;
		}
		if ((high & keep & ~(lead2 | lead3 | cont)) != 0 ||
		    (cont & keep) != (lead2 << 1 | lead3 << 1 | lead3 << 2))
			return 0;
		/* C2 followed by 80..9F: a C1 character, counted byte by byte. */
		if (((in_range(x, 0xC2, 0xC2) & lead2) << 1) & in_range(x, 0x80, 0x9F))
			return 0;
	}
	low &= keep;
	if (low) {
		for (int q = 0; q < 4; q++)
			t[q] = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v[q], _mm_set1_epi8('\t')),
			                                 _mm_cmpeq_epi8(v[q], _mm_set1_epi8('\n'))),
			                    _mm_or_si128(_mm_cmpeq_epi8(v[q], _mm_set1_epi8('\r')),
			                                 _mm_cmpeq_epi8(v[q], _mm_set1_epi8('\f'))));
		uint64_t bad = low & ~mask64(t);
		if (bad) {
			for (int q = 0; q < 4; q++)
				t[q] = _mm_cmpeq_epi8(v[q], _mm_setzero_si128());
			uint64_t nul = mask64(t) & keep;
			if (nul && sc->nul_at == SIZE_MAX)
				sc->nul_at = i + (size_t)__builtin_ctzll(nul);
			sc->controls += (size_t)__builtin_popcountll(bad);
		}
	}
	return take;
}
#endif

static void scan_bytes(scan *sc, const unsigned char *u, size_t len)
{
	sc->utf8_ok = 1;
	sc->c1 = 0;
	sc->controls = 0;
	sc->nul_at = SIZE_MAX;
	size_t i = 0;
#if defined(__SSE2__)
	while (i + 64 <= len) {
		size_t k = scan_chunk(sc, u, i);
		if (k) {
			i += k;
			continue;
		}
		/* Byte by byte over the next 16 bytes (a sequence may run past). */
		size_t end = i + 16;
		while (i < end)
			i = scan_one(sc, u, i, len);
	}
#else
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, u + i, 8);
		/* High bit set, or below 0x20. The borrow of the subtraction can
		 * only flag bytes above a real match, so the first flagged byte in
		 * memory order is never past a real one. */
		uint64_t m = (w & highs) | ((w - ones * 0x20) & ~w & highs);
		if (m == 0) {
			i += 8;
			continue;
		}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		i += (size_t)__builtin_clzll(m) / 8;
#else
		i += (size_t)__builtin_ctzll(m) / 8;
#endif
		i = scan_one(sc, u, i, len);
	}
#endif
	while (i < len)
		i = scan_one(sc, u, i, len);
}

static int decode_cp1252(vx_decoded *out, const unsigned char *u, size_t len)
{
	/* Every byte becomes at most 3 bytes of UTF-8. */
	if (len > (SIZE_MAX - 1) / 3)
		return vx_error_set(VX_ENOMEM, "input too large to decode");
	char *o = malloc(len * 3 + 1);
	if (o == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory decoding %zu bytes of Windows-1252", len);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = u[i];
		if (c < 0x80)
			o[n++] = (char)c;
		else if (c < 0xA0 && cp1252_high[c - 0x80])
			n += put_utf8(o + n, cp1252_high[c - 0x80]);
		else
			n += put_utf8(o + n, c);
	}
	o[n] = '\0';
	out->owned = o;
	out->text = o;
	out->len = n;
	out->encoding = "windows-1252";
	return 0;
}

/* Valid UTF-8 with a few invalid bytes (a file edited by two programs, a
 * cut and paste from a Windows-1252 document): each invalid byte is read as
 * Windows-1252, every valid sequence is kept (C1 characters mapped as
 * usual), so that one bad byte does not turn every "é" of the file into
 * "Ã©". Counts the lines holding a repaired byte. A file without a single
 * valid multi-byte sequence is Windows-1252 through and through: decoded
 * whole. */
static int decode_mixed(vx_decoded *out, const unsigned char *u, size_t len)
{
	size_t multibyte = 0;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_seq(u + i, len - i);
		multibyte += k > 1;
		i += k ? k : 1;
	}
	if (multibyte == 0)
		return decode_cp1252(out, u, len);
	if (len > (SIZE_MAX - 1) / 3)
		return vx_error_set(VX_ENOMEM, "input too large to decode");
	char *o = malloc(len * 3 + 1);
	if (o == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory decoding %zu bytes", len);
	size_t n = 0, line_had_repair = 0;
	for (size_t i = 0; i < len;) {
		unsigned c = u[i];
		if (c < 0x80) {
			if (c == '\n')
				line_had_repair = 0;
			o[n++] = (char)c;
			i++;
			continue;
		}
		size_t k = utf8_seq(u + i, len - i);
		if (k == 0) {
			n += put_utf8(o + n, c < 0xA0 && cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : c);
			out->bytes_repaired++;
			out->lines_repaired += !line_had_repair;
			line_had_repair = 1;
			i++;
		} else if (is_c1(u, i, len)) {
			n += put_utf8(o + n, cp1252_high[u[i + 1] - 0x80]);
			out->c1_repaired++;
			i += 2;
		} else {
			memcpy(o + n, u + i, k);
			n += k;
			i += k;
		}
	}
	o[n] = '\0';
	out->owned = o;
	out->text = o;
	out->len = n;
	return 0;
}

int vx_decode_text(vx_decoded *out, const char *name, const char *data, size_t len, unsigned flags)
{
	memset(out, 0, sizeof *out);
	const unsigned char *u = (const unsigned char *)data;
	if (data == NULL)
		len = 0;
	if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
	    (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF))
		return vx_error_set(VX_EFORMAT, "%s : texte en UTF-16 ou UTF-32 ; enregistrez-le en UTF-8 et recommencez",
		                    name);
	out->encoding = "utf-8";
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		u += 3;
		len -= 3;
		out->encoding = "utf-8-bom";
	}
	scan sc;
	scan_bytes(&sc, u, len);
	if (sc.nul_at != SIZE_MAX)
		return vx_error_set(VX_EFORMAT, "%s : données binaires (octet NUL à la position %zu), pas un export CSV ou JSON Lines",
		                    name, sc.nul_at + (size_t)(u - (const unsigned char *)data));
	if (sc.controls > len / 1000 * VX_DECODE_MAX_CONTROL_PERMILLE +
	                      len % 1000 * VX_DECODE_MAX_CONTROL_PERMILLE / 1000)
		return vx_error_set(VX_EFORMAT, "%s : données binaires (%zu octets de contrôle sur %zu), pas un export CSV ou JSON Lines",
		                    name, sc.controls, len);
	if (!sc.utf8_ok)
		return decode_mixed(out, u, len);
	out->text = (const char *)u;
	out->len = len;
	if (!sc.c1)
		return 0;
	if (flags & VX_DECODE_DEFER_C1) {
		out->c1_repaired = sc.c1;
		out->c1_deferred = 1;
		return 0;
	}
	vx_buf b = VX_BUF_INIT;
	int rc = vx_c1_repair(&b, (const char *)u, len, &out->c1_repaired);
	if (rc) {
		vx_buf_free(&b);
		return rc;
	}
	out->owned = b.data;
	out->text = b.data;
	out->len = b.len;
	return 0;
}

void vx_decoded_free(vx_decoded *d)
{
	if (d == NULL)
		return;
	free(d->owned);
	d->owned = NULL;
	d->text = NULL;
	d->len = 0;
}
