/*
 * RFC 4180 cursor parser and field writer. See csv.h for the contract and
 * docs/reading.md for the error recovery rules.
 */
#include "reading/csv.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "voix/error.h"

/* Byte classes of the scanning table. */
enum { C_TEXT = 0, C_SEP = 1, C_QUOTE = 2, C_CR = 4, C_LF = 8 };

/* Where a field's bytes are: directly in the input, or at an offset of the
 * scratch buffer (which may move while the record is read, so pointers are
 * resolved once the record is complete). */
struct vx_csv_field_pos {
	size_t off;
	int in_scratch;
};

void vx_csv_init(vx_csv_parser *p, const char *data, size_t len, char sep, size_t max_field)
{
	memset(p, 0, sizeof *p);
	p->data = data;
	p->len = data ? len : 0;
	p->line = 1;
	p->sep = sep;
	p->max_field = max_field;
	p->cls[(unsigned char)sep] = C_SEP;
	p->cls['"'] = C_QUOTE;
	p->cls['\r'] = C_CR;
	p->cls['\n'] = C_LF;
	vx_buf_init(&p->scratch, 0);
}

void vx_csv_free(vx_csv_parser *p)
{
	if (p == NULL)
		return;
	free(p->fields);
	free(p->where);
	p->fields = NULL;
	p->where = NULL;
	p->cap_fields = 0;
	vx_buf_free(&p->scratch);
}

static uint32_t next_line(uint32_t line)
{
	return line < UINT32_MAX ? line + 1 : line;
}

/* Makes room for field number n (0-based). */
static int reserve_field(vx_csv_parser *p, size_t n, uint32_t line)
{
	if (n < p->cap_fields)
		return 0;
	if (n >= VX_CSV_MAX_FIELDS)
		return vx_error_set(VX_ETOOBIG, "ligne %u : plus de %u champs dans un enregistrement", line,
		                    VX_CSV_MAX_FIELDS);
	size_t cap = p->cap_fields ? p->cap_fields * 2 : 64;
	vx_csv_field *f = realloc(p->fields, cap * sizeof *f);
	if (f == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a CSV record");
	p->fields = f;
	vx_csv_field_pos *w = realloc(p->where, cap * sizeof *w);
	if (w == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a CSV record");
	p->where = w;
	p->cap_fields = cap;
	return 0;
}

static int too_big(const vx_csv_parser *p, size_t len, uint32_t line)
{
	if (p->max_field && len > p->max_field)
		return vx_error_set(VX_ETOOBIG,
		                    "ligne %u : un champ de %zu octets dépasse la limite de %zu octets "
		                    "(fichier tronqué ou binaire ?)",
		                    line, len, p->max_field);
	return 0;
}

#if !defined(__SSE2__)
/* A word with every byte set to c. */
static uint64_t splat(unsigned char c)
{
	return 0x0101010101010101ull * c;
}

/* Nonzero when a byte of w is zero; the lowest flagged byte is exact (the
 * borrow can only flag bytes above a real zero). */
static uint64_t zero_bytes(uint64_t w)
{
	return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}
#endif

/*
 * Index of the first byte at or after i equal to a, b or c, or len. Sixteen
 * (SSE2) or eight (portable) bytes at a time: fields are long runs of
 * ordinary text.
 */
static size_t find3(const vx_csv_parser *p, size_t i, unsigned char a, unsigned char b, unsigned char c)
{
	const char *d = p->data;
	const size_t len = p->len;
#if defined(__SSE2__)
	const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c);
	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
		__m128i eq = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
		                          _mm_cmpeq_epi8(v, vc));
		unsigned m = (unsigned)_mm_movemask_epi8(eq);
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#else
	const uint64_t wa = splat(a), wb = splat(b), wc = splat(c);
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, d + i, 8);
		uint64_t m = zero_bytes(w ^ wa) | zero_bytes(w ^ wb) | zero_bytes(w ^ wc);
		if (m == 0) {
			i += 8;
			continue;
		}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		i += (size_t)__builtin_clzll(m) / 8;
#else
		i += (size_t)__builtin_ctzll(m) / 8;
#endif
		break;
	}
#endif
	/* The word step may stop on a false match (big-endian) or leave a tail. */
	while (i < len) {
		unsigned char x = (unsigned char)d[i];
		if (x == a || x == b || x == c)
			return i;
		i++;
	}
	return len;
}

/* Length of the line break at i (0 when none). */
static size_t eol_len(const vx_csv_parser *p, size_t i)
{
	if (i >= p->len)
		return 0;
	if (p->data[i] == '\n')
		return 1;
	if (p->data[i] == '\r')
		return i + 1 < p->len && p->data[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Index of the first line break at or after i, or len. */
static size_t find_eol(const vx_csv_parser *p, size_t i)
{
	while (i < p->len && !(p->cls[(unsigned char)p->data[i]] & (C_CR | C_LF)))
		i++;
	return i;
}

/* Copies the quoted content data[from, to) into scratch, turning each
 * doubled quote into one. Returns the offset of the copy in scratch. */
static int unescape(vx_csv_parser *p, size_t from, size_t to, size_t *off)
{
	int rc = vx_buf_reserve(&p->scratch, to - from);
	if (rc)
		return rc;
	*off = p->scratch.len;
	char *o = p->scratch.data + p->scratch.len;
	const char *d = p->data;
	size_t i = from;
	while (i < to) {
		const char *q = memchr(d + i, '"', to - i);
		size_t end = q ? (size_t)(q - d) + 1 : to; /* copy up to and including the quote */
		memcpy(o, d + i, end - i);
		o += end - i;
		i = end;
		if (q)
			i++; /* skip the second quote of the pair */
	}
	p->scratch.len = (size_t)(o - p->scratch.data);
	p->scratch.data[p->scratch.len] = '\0';
	return 0;
}

int vx_csv_next(vx_csv_parser *p, vx_csv_record *rec)
{
	const char *d = p->data;
	const size_t len = p->len;
	const unsigned char *cls = p->cls;
	memset(rec, 0, sizeof *rec);
	if (p->pos >= len)
		return 0;

	size_t start = p->pos;
	uint32_t line = p->line;
	rec->line = line;
	rec->offset = start;
	vx_buf_reset(&p->scratch);

	size_t brk = eol_len(p, start);
	if (brk) {
		/* A blank line: a record without fields. */
		rec->raw = d + start;
		rec->end_line = line;
		p->pos = start + brk;
		p->line = next_line(line);
		return 1;
	}

	size_t i = start, n = 0;
	uint32_t cur = line;   /* physical line of i */
	size_t record_end = 0; /* index of the record's line break (or len) */
	for (;;) {
		int rc = reserve_field(p, n, line);
		if (rc)
			return rc;
		vx_csv_field *f = &p->fields[n];
		vx_csv_field_pos *w = &p->where[n];
		n++;
		f->quoted = 0;
		w->in_scratch = 0;
		if (i < len && d[i] == '"') {
			size_t open = i;
			uint32_t open_line = cur;
			int doubled = 0;
			size_t j = i + 1;
			uint32_t l = cur;
			for (;;) {
				j = find3(p, j, '"', '\r', '\n');
				if (j >= len)
					break;
				unsigned char c = (unsigned char)d[j];
				if (c == '"') {
					if (j + 1 < len && d[j + 1] == '"') {
						doubled = 1;
						j += 2;
						continue;
					}
					break;
				}
				if (c == '\n' || j + 1 >= len || d[j + 1] != '\n')
					l = next_line(l);
				j++;
			}
			if (j >= len) {
				/* The quote never closes: cut the record at the end of
				 * the line where it opened and resume on the next one. */
				size_t cut = find_eol(p, open);
				f->ptr = d + open + 1;
				f->len = cut - open - 1;
				f->quoted = 1;
				rec->status = VX_CSV_UNTERMINATED;
				rec->error_line = open_line;
				record_end = cut;
				cur = open_line;
				break;
			}
			/* d[j] is the closing quote. */
			rc = too_big(p, j - open - 1, line);
			if (rc)
				return rc;
			f->quoted = 1;
			if (doubled) {
				rc = unescape(p, open + 1, j, &w->off);
				if (rc)
					return rc;
				w->in_scratch = 1;
				f->len = p->scratch.len - w->off;
			} else {
				f->ptr = d + open + 1;
				f->len = j - open - 1;
			}
			cur = l;
			i = j + 1;
			if (i < len && !(cls[(unsigned char)d[i]] & (C_SEP | C_CR | C_LF))) {
				/* Text after the closing quote: read on to the end of the
				 * field as if the quotes were literal, keep the raw bytes. */
				if (rec->status == VX_CSV_OK) {
					rec->status = VX_CSV_BAD_QUOTE;
					rec->error_line = cur;
				}
				while (i < len && !(cls[(unsigned char)d[i]] & (C_SEP | C_CR | C_LF)))
					i++;
				rc = too_big(p, i - open, line);
				if (rc)
					return rc;
				w->in_scratch = 0;
				f->ptr = d + open;
				f->len = i - open;
			}
		} else {
			size_t j = find3(p, i, (unsigned char)p->sep, '\r', '\n');
			rc = too_big(p, j - i, line);
			if (rc)
				return rc;
			f->ptr = d + i;
			f->len = j - i;
			i = j;
		}
		if (i < len && cls[(unsigned char)d[i]] == C_SEP) {
			i++;
			continue;
		}
		record_end = i; /* a line break or the end of the input */
		break;
	}

	for (size_t k = 0; k < n; k++)
		if (p->where[k].in_scratch)
			p->fields[k].ptr = p->scratch.data + p->where[k].off;
	rec->fields = p->fields;
	rec->n_fields = n;
	rec->raw = d + start;
	rec->raw_len = record_end - start;
	rec->end_line = cur;
	size_t b = eol_len(p, record_end);
	p->pos = record_end + b;
	p->line = b ? next_line(cur) : cur;
	return 1;
}

char vx_csv_detect_separator(const char *data, size_t len)
{
	/* The header of any real export is far shorter than this. */
	const size_t window = (size_t)1 << 20;
	size_t semi = 0, comma = 0, tab = 0;
	int in_quotes = 0;
	if (data == NULL)
		return ',';
	if (len > window)
		len = window;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '"') {
			in_quotes = !in_quotes;
			continue;
		}
		if (in_quotes)
			continue;
		if (c == '\n' || c == '\r') {
			if (semi + comma + tab > 0)
				break;
			continue; /* blank lines before the header */
		}
		semi += c == ';';
		comma += c == ',';
		tab += c == '\t';
	}
	if (semi == 0 && comma == 0 && tab == 0)
		return ',';
	if (semi >= comma && semi >= tab)
		return ';';
	if (comma >= tab)
		return ',';
	return '\t';
}

int vx_csv_needs_quotes(const char *s, size_t len, char sep)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == sep || c == '"' || c == '\r' || c == '\n')
			return 1;
	}
	return 0;
}

int vx_csv_write_field(vx_buf *out, const char *s, size_t len, char sep)
{
	if (!vx_csv_needs_quotes(s, len, sep))
		return vx_buf_append(out, s, len);
	int rc = vx_buf_reserve(out, len + 2);
	if (rc)
		return rc;
	rc = vx_buf_putc(out, '"');
	size_t i = 0;
	while (rc == 0 && i < len) {
		const char *q = memchr(s + i, '"', len - i);
		size_t end = q ? (size_t)(q - s) + 1 : len;
		rc = vx_buf_append(out, s + i, end - i);
		if (rc == 0 && q)
			rc = vx_buf_putc(out, '"');
		i = end;
	}
	if (rc == 0)
		rc = vx_buf_putc(out, '"');
	return rc;
}

int vx_csv_write_record(vx_buf *out, const vx_csv_field *fields, size_t n, char sep, const char *eol)
{
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		if (k)
			rc = vx_buf_putc(out, sep);
		if (rc == 0)
			rc = vx_csv_write_field(out, fields[k].ptr, fields[k].len, sep);
	}
	if (rc == 0 && eol)
		rc = vx_buf_puts(out, eol);
	return rc;
}
