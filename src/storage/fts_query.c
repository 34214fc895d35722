/*
 * Query building is a small cursor parser over untrusted input: it only
 * splits on white space and double quotes and never interprets anything
 * else. Excerpts are cut at word boundaries so that a UTF-8 sequence is
 * never split.
 */
#include "storage/fts_query.h"

#include <stdint.h>
#include <string.h>

#include "voix/error.h"

typedef struct stem_collect {
	vx_buf *stems;
	size_t indexed;   /* words of the piece that the index holds */
	int rc;
} stem_collect;

static int collect_stem(const vx_token *tok, void *payload)
{
	stem_collect *c = payload;
	if (tok->stop || tok->stem_len == 0)
		return 0;
	c->indexed++;
	int rc = vx_buf_append(c->stems, tok->stem, tok->stem_len);
	if (rc == 0)
		rc = vx_buf_putc(c->stems, '\0');
	if (rc) {
		c->rc = rc;
		return 1;
	}
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends piece as one FTS5 string when it holds an indexed word. */
static int add_piece(vx_buf *fts, vx_buf *stems, vx_text *t, const char *p, size_t n)
{
	stem_collect c = {stems, 0, 0};
	size_t mark = stems->len;
	int rc = vx_text_tokens(t, p, n, collect_stem, &c);
	if (c.rc)
		return c.rc;
	if (rc < 0)
		return rc;
	if (c.indexed == 0) {
		stems->len = mark;
		if (stems->data)
			stems->data[mark] = '\0';
		return 0;
	}
	if (fts->len && (rc = vx_buf_putc(fts, ' ')) != 0)
		return rc;
	if ((rc = vx_buf_putc(fts, '"')) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"' && (rc = vx_buf_putc(fts, '"')) != 0)
			return rc;
		if ((rc = vx_buf_putc(fts, p[i])) != 0)
			return rc;
	}
	return vx_buf_putc(fts, '"');
}

int vx_fts_query_build(vx_buf *fts, vx_buf *stems, vx_text *t, const char *query, size_t len)
{
	int rc = 0;
	vx_buf_reset(fts);
	vx_buf_reset(stems);
	size_t i = 0;
	while (i < len) {
		if (is_space(query[i])) {
			i++;
			continue;
		}
		size_t start, end;
		if (query[i] == '"') {
			/* A group of words; an unclosed quote runs to the end. */
			start = ++i;
			while (i < len && query[i] != '"')
				i++;
			end = i;
			if (i < len)
				i++;
		} else {
			start = i;
			while (i < len && !is_space(query[i]) && query[i] != '"')
				i++;
			end = i;
		}
		rc = add_piece(fts, stems, t, query + start, end - start);
		if (rc)
			return rc;
	}
	if (fts->len == 0)
		return vx_error_set(VX_EINVAL,
		                    "la recherche n'a aucun mot à chercher (seulement de la ponctuation ou des mots très courants)");
	return 0;
}

int vx_fts_query_pieces(vx_buf *pieces, size_t *n, const char *fts, size_t len)
{
	int rc = 0;
	size_t i = 0;
	vx_buf_reset(pieces);
	*n = 0;
	while (i < len) {
		if (*n && fts[i++] != ' ')
			return vx_error_set(VX_EINVAL, "not a query of vx_fts_query_build");
		if (i >= len || fts[i++] != '"')
			return vx_error_set(VX_EINVAL, "not a query of vx_fts_query_build");
		for (;;) {
			if (i >= len)
				return vx_error_set(VX_EINVAL, "not a query of vx_fts_query_build");
			if (fts[i] == '"') {
				if (i + 1 < len && fts[i + 1] == '"') {
					i += 2;
					if ((rc = vx_buf_putc(pieces, '"')) != 0)
						return rc;
					continue;
				}
				i++;
				break;
			}
			if ((rc = vx_buf_putc(pieces, fts[i++])) != 0)
				return rc;
		}
		if ((rc = vx_buf_putc(pieces, '\0')) != 0)
			return rc;
		(*n)++;
	}
	return 0;
}

typedef struct span {
	size_t start, end;
	int matched;
} span;

typedef struct span_collect {
	vx_buf *spans;   /* array of span */
	const vx_buf *stems;
	int rc;
} span_collect;

static int stem_listed(const vx_buf *stems, const char *s, size_t n)
{
	size_t i = 0;
	while (i < stems->len) {
		size_t k = strlen(stems->data + i);
		if (k == n && memcmp(stems->data + i, s, n) == 0)
			return 1;
		i += k + 1;
	}
	return 0;
}

static int collect_span(const vx_token *tok, void *payload)
{
	span_collect *c = payload;
	span sp = {tok->start, tok->end, 0};
	if (!tok->stop && tok->stem_len && c->stems->len)
		sp.matched = stem_listed(c->stems, tok->stem, tok->stem_len);
	int rc = vx_buf_append(c->spans, &sp, sizeof sp);
	if (rc) {
		c->rc = rc;
		return 1;
	}
	return 0;
}

/* Words shown before the first match, for context. */
#define VX_SNIPPET_WORDS_BEFORE 6

/* Appends text[from..to) with white space and control characters shown as
 * single spaces; *space tracks whether the output ends with one. */
static int put_flat(vx_buf *out, const char *text, size_t from, size_t to, int *space)
{
	for (size_t i = from; i < to; i++) {
		unsigned char ch = (unsigned char)text[i];
		int rc;
		if (ch < 0x20 || ch == 0x7f || ch == ' ') {
			if (*space)
				continue;
			rc = vx_buf_putc(out, ' ');
			*space = 1;
		} else {
			rc = vx_buf_putc(out, (char)ch);
			*space = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int vx_fts_snippet(vx_buf *out, int *matched, vx_text *t, const char *text, size_t len,
                   const vx_buf *stems, size_t max_bytes)
{
	int rc = 0;
	vx_buf spans = VX_BUF_INIT;
	span_collect c = {&spans, stems, 0};
	vx_buf_reset(out);
	*matched = 0;
	rc = vx_text_tokens(t, text, len, collect_span, &c);
	if (c.rc)
		rc = c.rc;
	if (rc < 0)
		goto done;
	rc = 0;
	const span *sp = (const span *)spans.data;
	size_t n = spans.len / sizeof *sp;
	if (n == 0)
		goto done;
	size_t first = n;
	for (size_t k = 0; k < n && first == n; k++)
		if (sp[k].matched)
			first = k;
	*matched = first < n;
	size_t w0 = 0;
	if (first < n && first > VX_SNIPPET_WORDS_BEFORE)
		w0 = first - VX_SNIPPET_WORDS_BEFORE;
	size_t from = w0 == 0 ? 0 : sp[w0].start;
	/* Last word shown: as many as fit in max_bytes, at least up to the match. */
	size_t w1 = w0;
	while (w1 + 1 < n && (sp[w1 + 1].end - from <= max_bytes || (first < n && w1 + 1 <= first)))
		w1++;
	size_t to = w1 + 1 == n ? len : sp[w1].end;
	int space = 1;
	if (from > 0 && (rc = vx_buf_puts(out, "… ")) != 0)
		goto done;
	size_t at = from;
	for (size_t k = w0; k <= w1; k++) {
		if (!sp[k].matched)
			continue;
		if ((rc = put_flat(out, text, at, sp[k].start, &space)) != 0 ||
		    (rc = vx_buf_puts(out, "**")) != 0 ||
		    (rc = put_flat(out, text, sp[k].start, sp[k].end, &space)) != 0 ||
		    (rc = vx_buf_puts(out, "**")) != 0)
			goto done;
		at = sp[k].end;
	}
	if ((rc = put_flat(out, text, at, to, &space)) != 0)
		goto done;
	while (out->len && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	if (to < len)
		rc = vx_buf_puts(out, " …");
done:
	vx_buf_free(&spans);
	return rc;
}
