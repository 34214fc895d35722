/*
 * Fuzz target for the search path of the storage stage: what a user types
 * becomes FTS5 strings only, never FTS5 syntax.
 *  - vx_fts_query_build on the input (up to its first NUL byte): fails only
 *    with VX_EINVAL (no word), otherwise writes space-separated FTS5
 *    strings, each a piece of the query with its quotes doubled, and at
 *    least one stem per string;
 *  - vx_store_search with the same query on a small store of invented
 *    experiences: never an SQLite error (no FTS5 syntax error whatever the
 *    quotes, AND/OR/NOT/NEAR, *, ^, column filters or bytes), VX_EINVAL
 *    exactly when the builder found no word, every hit with its excerpt;
 *  - vx_fts_snippet of the rest of the input (after the NUL, or the whole
 *    input) around the query's stems: valid UTF-8 when the text is, no
 *    control character, "**" markers when a word matched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/decode.h"
#include "storage/fts_query.h"
#include "util/buf.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"
#include "voix/store.h"
#include "voix/text.h"
#include "fuzz_check.h"

/* Invented experiences whose words the fuzzer can find (and a name for the
 * masker). */
static const char stored_csv[] =
	"id,titre,texte\n"
	"1,Rendez-vous annulé,\"Mon rendez-vous à la préfecture a été annulé deux fois, sans explication.\"\n"
	"2,Téléphone,\"Impossible de joindre la CAF par téléphone : NEAR(attente) OR rien, AND NOT text:\"\"oui\"\"\"\n"
	"3,Accueil,\"Mme Durandal m'a très bien reçu ; l'accueil était rapide * ^ (merci) -- title:ok\"\n"
	"4,\"\",\"Dossier perdu \xf0\x9f\x98\xa0, documents renvoyés trois fois\"\n";

static int count_hit(const vx_search_hit *hit, void *payload)
{
	(void)hit;
	(*(size_t *)payload)++;
	return 0;
}

/* The analyser and the store live for the whole fuzzing run (opening them
 * costs more than a query), freed at exit. */
static vx_text *analyser;
static vx_store *store;

static void teardown(void)
{
	vx_store_free(store);
	vx_text_free(analyser);
}

static void setup(void)
{
	if (store != NULL)
		return;
	CHECK(atexit(teardown) == 0);
	CHECK(vx_text_new(&analyser) == 0);
	CHECK(vx_store_open(&store, ":memory:") == 0);
	vx_corpus *c = NULL;
	CHECK(vx_corpus_new(&c) == 0);
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "id=id,title=titre,text=texte";
	CHECK(vx_reader_read_buffer(c, "fuzz-store.csv", stored_csv, sizeof stored_csv - 1, &o) == 0);
	vx_import_counts counts;
	CHECK(vx_store_import(store, c, &counts) == 0 && counts.inserted == 4);
	vx_corpus_free(c);
	size_t hits = 0;
	CHECK(vx_store_search(store, "ANNULÉS", 5, count_hit, &hits) == 0 && hits == 1);
}

/* 1 when needle[0..n) occurs in hay[0..len). */
static int contains(const char *hay, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* fts is "S1 S2 ... Sn": each S a '"', bytes with '"' doubled, a '"'; each
 * unquoted S a piece of query. Returns n. */
static size_t check_fts(const vx_buf *fts, const char *query, size_t len)
{
	vx_buf piece = VX_BUF_INIT;
	size_t i = 0, n = 0;
	while (i < fts->len) {
		if (n)
			CHECK(fts->data[i++] == ' ');
		CHECK(i < fts->len && fts->data[i++] == '"');
		vx_buf_reset(&piece);
		for (;;) {
			CHECK(i < fts->len);
			if (fts->data[i] == '"') {
				if (i + 1 < fts->len && fts->data[i + 1] == '"') {
					CHECK(vx_buf_putc(&piece, '"') == 0);
					i += 2;
					continue;
				}
				i++;
				break;
			}
			CHECK(vx_buf_putc(&piece, fts->data[i++]) == 0);
		}
		CHECK(piece.len > 0 && piece.len <= len);
		CHECK(contains(query, len, piece.data, piece.len));
		n++;
	}
	vx_buf_free(&piece);
	return n;
}

static size_t count_strings(const vx_buf *stems)
{
	size_t n = 0;
	for (size_t i = 0; i < stems->len; i += strlen(stems->data + i) + 1)
		n++;
	return n;
}

static int on_hit(const vx_search_hit *hit, void *payload)
{
	size_t *hits = payload;
	CHECK(hit->id != NULL && hit->source != NULL && hit->snippet != NULL);
	CHECK(vx_utf8_valid(hit->snippet, strlen(hit->snippet)));
	(*hits)++;
	return 0;
}

static void check_snippet(const vx_buf *out, int matched, const char *text, size_t len)
{
	if (vx_utf8_valid(text, len))
		CHECK(vx_utf8_valid(out->data ? out->data : "", out->len));
	for (size_t i = 0; i < out->len; i++)
		CHECK((unsigned char)out->data[i] >= 0x20 && out->data[i] != 0x7f);
	if (matched)
		CHECK(out->len >= 4 && contains(out->data, out->len, "**", 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	const char *in = (const char *)data;
	const char *nul = memchr(in, '\0', size);
	size_t qlen = nul ? (size_t)(nul - in) : size;
	const char *text = nul ? nul + 1 : in;
	size_t tlen = nul ? size - qlen - 1 : size;

	vx_buf fts = VX_BUF_INIT, stems = VX_BUF_INIT, out = VX_BUF_INIT;
	int rc = vx_fts_query_build(&fts, &stems, analyser, in, qlen);
	CHECK(rc == 0 || rc == VX_EINVAL);
	if (rc == 0)
		CHECK(count_strings(&stems) >= check_fts(&fts, in, qlen));
	else
		CHECK(fts.len == 0);

	/* The store takes a C string: the query up to the NUL, copied. */
	char *query = malloc(qlen + 1);
	CHECK(query != NULL);
	memcpy(query, in, qlen);
	query[qlen] = '\0';
	size_t hits = 0;
	int src = vx_store_search(store, query, 5, on_hit, &hits);
	CHECK(src == (rc == 0 ? 0 : VX_EINVAL));
	CHECK(hits <= 5);
	free(query);

	int matched = 0;
	CHECK(vx_fts_snippet(&out, &matched, analyser, text, tlen, &stems, VX_SNIPPET_MAX_BYTES) == 0);
	check_snippet(&out, matched, text, tlen);
	if (rc == 0) {
		/* The stored texts hold only valid UTF-8: so does any excerpt. */
		CHECK(vx_fts_snippet(&out, &matched, analyser, stored_csv, sizeof stored_csv - 1, &stems,
		                     VX_SNIPPET_MAX_BYTES) == 0);
		check_snippet(&out, matched, stored_csv, sizeof stored_csv - 1);
	}
	vx_buf_free(&fts);
	vx_buf_free(&stems);
	vx_buf_free(&out);
	return 0;
}
