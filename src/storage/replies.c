/*
 * Replies of the structures (include/voix/collect.h) and the reply
 * assistance: the earlier published experiences that received a reply and
 * are closest to the one being answered, found by voix's FTS5 index of
 * the published texts (submissions_fts) and ranked by the share of French
 * word stems both have (Jaccard). Nothing is generated: the assistance
 * only shows stored replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/collect_internal.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/text.h"

/* Candidates read from the index before ranking by shared stems. */
#define CANDIDATES 30
/* Words of the experience put into the index query at most. */
#define QUERY_WORDS 48

/* Characters of s, a CR LF counting as one; -1 for control characters
 * other than line breaks and tabs. */
static long reply_characters(const char *s)
{
	long n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return -1;
		if (*p == '\r' && p[1] == '\n')
			continue;
		n += (*p & 0xc0) != 0x80;
	}
	return n;
}

typedef struct reply_row {
	int found, attached;
	char status[32];
} reply_row;

static int reply_of(const char *const *cols, int ncols, void *payload)
{
	reply_row *r = payload;
	r->found = 1;
	snprintf(r->status, sizeof r->status, "%s", vx_store_col(cols, ncols, 0));
	r->attached = strcmp(vx_store_col(cols, ncols, 1), "0") != 0;
	return 0;
}

int vx_collect_reply(vx_store *s, long long id, const char *agent, const char *reply)
{
	char target[32], ids[24], at[32];
	reply_row row = {0, 0, ""};
	long long changed = 0;
	int rc;
	long n = reply ? reply_characters(reply) : 0;
	if (n <= 0 || strspn(reply, " \t\r\n") == strlen(reply))
		return vx_error_set(VX_EINVAL, n < 0 ? "Réponse : le texte contient des caractères non autorisés."
		                                     : "Réponse : écrivez la réponse de la structure.");
	if (n > VX_REPLY_MAX)
		return vx_error_set(VX_EINVAL, "Réponse : %d caractères au plus (la vôtre en compte %ld).", VX_REPLY_MAX, n);
	snprintf(ids, sizeof ids, "%lld", id);
	vx_store_iso_time(at, (long long)time(NULL));
	const char *check[] = {ids, agent ? agent : ""};
	const char *params[] = {ids, reply, agent ? agent : "", at};
	if ((rc = vx_store_tx_begin(s, "réponse")) != 0)
		return rc;
	if ((rc = s->ops->rows(s,
	                       "SELECT s.status, (SELECT count(*) FROM agent_structures a JOIN users u ON u.id = a.user_id "
	                       " WHERE u.name = $2 AND a.structure_code = s.structure_code) FROM submissions s "
	                       "WHERE s.id = CAST($1 AS BIGINT)",
	                       2, check, "réponse", reply_of, &row)) != 0)
		goto fail;
	if (!row.found)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
	else if (strcmp(row.status, "publiée") != 0)
		rc = vx_error_set(VX_EINVAL, "l'expérience n° %lld n'est pas publiée : on ne peut pas y répondre", id);
	else if (!row.attached)
		rc = vx_error_set(VX_EINVAL, "vous n'êtes pas rattaché à la structure de l'expérience n° %lld", id);
	if (rc)
		goto fail;
	if ((rc = s->ops->rows(s,
	                       "UPDATE submissions SET reply = $2, reply_by = $3, replied_at = $4, first_reply_at = CASE "
	                       " WHEN first_reply_at = '' THEN $4 ELSE first_reply_at END "
	                       "WHERE id = CAST($1 AS BIGINT) RETURNING id",
	                       4, params, "réponse", vx_store_count_row, &changed)) != 0)
		goto fail;
	snprintf(target, sizeof target, "expérience %lld", id);
	if ((rc = vx_audit_commit(s, agent, "réponse", target, "")) == 0)
		return 0;
fail:
	return vx_store_tx_rollback(s, rc);
}

/* The stems of a text (content words: no stop word, no number) and, for
 * the query, its distinct folded words. */
typedef struct terms {
	vx_strmap stems;
	vx_strmap words;
} terms;

static int add_token(const vx_token *tok, void *payload)
{
	terms *t = payload;
	uint32_t id;
	int added;
	if (tok->stop || tok->numeric || tok->stem_len < 2)
		return 0;
	int rc = vx_strmap_intern(&t->stems, tok->stem, tok->stem_len, &id, &added);
	if (rc == 0)
		rc = vx_strmap_intern(&t->words, tok->folded, tok->folded_len, &id, &added);
	return rc;
}

static int terms_of(vx_store *s, terms *t, const char *title, const char *description)
{
	int rc = vx_text_tokens(s->text, title, strlen(title), add_token, t);
	if (rc == 0)
		rc = vx_text_tokens(s->text, description, strlen(description), add_token, t);
	return rc;
}

static void terms_free(terms *t)
{
	vx_strmap_free(&t->stems);
	vx_strmap_free(&t->words);
}

/* Jaccard similarity of two stem sets, in percent (rounded). */
static int jaccard(const vx_strmap *a, const vx_strmap *b)
{
	size_t common = 0, na = vx_strmap_count(a), nb = vx_strmap_count(b);
	for (uint32_t i = 0; i < na; i++) {
		const char *k = vx_strmap_key(a, i);
		common += vx_strmap_find(b, k, strlen(k)) >= 0;
	}
	size_t uni = na + nb - common;
	return uni ? (int)((200 * common + uni) / (2 * uni)) : 0;
}

typedef struct candidate {
	long long id;
	int rate;
	size_t order;
} candidate;

static int by_rate(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->rate != y->rate)
		return y->rate - x->rate;
	return x->order < y->order ? -1 : x->order > y->order;
}

typedef struct terms_ctx {
	vx_store *s;
	terms *t;
	int found;
} terms_ctx;

static int terms_row(const char *const *cols, int ncols, void *payload)
{
	terms_ctx *c = payload;
	c->found = 1;
	return terms_of(c->s, c->t, vx_store_col(cols, ncols, 0), vx_store_col(cols, ncols, 1));
}

/* The published texts of the experience id into t. */
static int experience_terms(vx_store *s, const char *id, terms *t)
{
	terms_ctx c = {s, t, 0};
	const char *params[] = {id};
	int rc = s->ops->rows(s,
	                      "SELECT CASE WHEN status = 'publiée' THEN published_title ELSE title END, "
	                      " CASE WHEN status = 'publiée' THEN published_description ELSE description END "
	                      "FROM submissions WHERE id = CAST($1 AS BIGINT)",
	                      1, params, "lecture d'une expérience", terms_row, &c);
	if (rc == 0 && !c.found)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %s inconnue", id);
	return rc;
}

/* The index query: the experience's words, each quoted, any of them. */
static int or_query(const terms *t, vx_buf *q)
{
	int rc = 0;
	size_t n = vx_strmap_count(&t->words);
	for (uint32_t i = 0; rc == 0 && i < n && i < QUERY_WORDS; i++) {
		const char *w = vx_strmap_key(&t->words, i);
		rc = vx_buf_puts(q, i ? " OR \"" : "\"");
		for (const char *p = w; rc == 0 && *p; p++)
			rc = *p == '"' ? vx_buf_puts(q, "\"\"") : vx_buf_putc(q, *p);
		if (rc == 0)
			rc = vx_buf_putc(q, '"');
	}
	return rc;
}

#define SIMILAR_COLUMNS "s.id, coalesce(t.name, s.structure_code), s.published_title, s.published_description, s.reply "

/* The candidates: the published experiences before id that received a
 * reply and match the query, best first. The same query reads as an FTS5
 * one (SQLite's index of voix's tokenizer) and as a web search one
 * (PostgreSQL's French configuration: words in quotes, OR between them). */
static const char SIMILAR_SQLITE[] =
	"SELECT s.id, s.published_title, s.published_description FROM submissions_fts f "
	"JOIN submissions s ON s.id = f.rowid WHERE submissions_fts MATCH $1 AND s.id < CAST($2 AS BIGINT) "
	" AND s.reply <> '' AND s.status = 'publiée' ORDER BY f.rank LIMIT CAST($3 AS INTEGER)";
static const char SIMILAR_PG[] =
	"SELECT s.id, s.published_title, s.published_description "
	"FROM submissions s, websearch_to_tsquery('voix_fr', $1) q WHERE s.fts @@ q AND s.id < CAST($2 AS BIGINT) "
	" AND s.reply <> '' AND s.status = 'publiée' ORDER BY ts_rank('{0, 0, 0.5, 1}', s.fts, q) DESC, s.id "
	"LIMIT CAST($3 AS INTEGER)";

typedef struct candidates {
	vx_store *s;
	const terms *mine;
	candidate c[CANDIDATES];
	size_t n;
} candidates;

static int candidate_of(const char *const *cols, int ncols, void *payload)
{
	candidates *x = payload;
	terms other;
	if (x->n >= CANDIDATES)
		return 0;
	vx_strmap_init(&other.stems);
	vx_strmap_init(&other.words);
	int rc = terms_of(x->s, &other, vx_store_col(cols, ncols, 1), vx_store_col(cols, ncols, 2));
	if (rc == 0) {
		x->c[x->n].id = strtoll(vx_store_col(cols, ncols, 0), NULL, 10);
		x->c[x->n].rate = jaccard(&x->mine->stems, &other.stems);
		x->c[x->n].order = x->n;
		x->n++;
	}
	terms_free(&other);
	return rc;
}

typedef struct similar_ctx {
	const candidate *c;
	int (*cb)(const vx_similar *sim, void *payload);
	void *payload;
} similar_ctx;

static int similar_of(const char *const *cols, int ncols, void *payload)
{
	similar_ctx *x = payload;
	vx_similar sim = {x->c->id, vx_store_col(cols, ncols, 1), vx_store_col(cols, ncols, 2),
	                  vx_store_col(cols, ncols, 3), vx_store_col(cols, ncols, 4), x->c->rate};
	return x->cb(&sim, x->payload);
}

int vx_collect_similar(vx_store *s, long long id, size_t n, int (*cb)(const vx_similar *sim, void *payload),
                       void *payload)
{
	terms mine;
	candidates cand;
	char ids[24], lim[16];
	vx_buf q = VX_BUF_INIT;
	int rc;
	cand.s = s;
	cand.mine = &mine;
	cand.n = 0;
	vx_strmap_init(&mine.stems);
	vx_strmap_init(&mine.words);
	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(lim, sizeof lim, "%d", CANDIDATES);
	if ((rc = experience_terms(s, ids, &mine)) != 0 || (rc = or_query(&mine, &q)) != 0 || q.len == 0)
		goto done;
	const char *params[] = {q.data, ids, lim};
	if ((rc = s->ops->rows(s, vx_store_is_pg(s) ? SIMILAR_PG : SIMILAR_SQLITE, 3, params,
	                       "recherche d'expériences semblables", candidate_of, &cand)) != 0)
		goto done;
	qsort(cand.c, cand.n, sizeof cand.c[0], by_rate);
	for (size_t i = 0; rc == 0 && i < cand.n && i < n; i++) {
		char one[24];
		similar_ctx x = {&cand.c[i], cb, payload};
		snprintf(one, sizeof one, "%lld", cand.c[i].id);
		const char *p1[] = {one};
		rc = s->ops->rows(s,
		                  "SELECT " SIMILAR_COLUMNS "FROM submissions s LEFT JOIN structures t "
		                  "ON t.code = s.structure_code WHERE s.id = CAST($1 AS BIGINT)",
		                  1, p1, "lecture d'une expérience semblable", similar_of, &x);
	}
done:
	terms_free(&mine);
	vx_buf_free(&q);
	return rc;
}
