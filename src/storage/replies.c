/*
 * Replies of the structures (include/voix/collect.h) and the reply
 * assistance: the earlier published experiences that received a reply and
 * are closest to the one being answered, found by voix's FTS5 index of
 * the published texts (submissions_fts) and ranked by the share of French
 * word stems both have (Jaccard). Nothing is generated: the assistance
 * only shows stored replies.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *text(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

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

int vx_collect_reply(vx_store *s, long long id, const char *agent, const char *reply)
{
	sqlite3_stmt *st = NULL;
	char target[32];
	int rc = vx_collect_sqlite(s, "réponse"), in_tx = 0, r;
	long n = reply ? reply_characters(reply) : 0;
	if (rc)
		return rc;
	if (n <= 0 || strspn(reply, " \t\r\n") == strlen(reply))
		return vx_error_set(VX_EINVAL, n < 0 ? "Réponse : le texte contient des caractères non autorisés."
		                                     : "Réponse : écrivez la réponse de la structure.");
	if (n > VX_REPLY_MAX)
		return vx_error_set(VX_EINVAL, "Réponse : %d caractères au plus (la vôtre en compte %ld).", VX_REPLY_MAX, n);
	if ((rc = vx_store_begin_write(s, "replying")) != 0)
		return rc;
	in_tx = 1;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT s.status, (SELECT count(*) FROM agent_structures a JOIN users u ON u.id = a.user_id "
	                       " WHERE u.name = ?2 AND a.structure_code = s.structure_code) FROM submissions s WHERE s.id = ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "replying");
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, agent ? agent : "", -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
	else if (r != SQLITE_ROW)
		rc = vx_store_db_error(s->db, "replying");
	else if (strcmp(text(st, 0), "publiée") != 0)
		rc = vx_error_set(VX_EINVAL, "l'expérience n° %lld n'est pas publiée : on ne peut pas y répondre", id);
	else if (sqlite3_column_int(st, 1) == 0)
		rc = vx_error_set(VX_EINVAL, "vous n'êtes pas rattaché à la structure de l'expérience n° %lld", id);
	sqlite3_finalize(st);
	st = NULL;
	if (rc)
		goto done;
	if (sqlite3_prepare_v2(s->db,
	                       "UPDATE submissions SET reply = ?2, reply_by = ?3, "
	                       " replied_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), first_reply_at = CASE "
	                       " WHEN first_reply_at = '' THEN strftime('%Y-%m-%dT%H:%M:%SZ','now') ELSE first_reply_at END "
	                       "WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "replying");
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, reply, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, agent ? agent : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "replying");
		goto done;
	}
	snprintf(target, sizeof target, "expérience %lld", id);
	rc = vx_audit_commit(s, agent, "réponse", target, "");
	in_tx = rc != 0;
done:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
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

/* The published texts of the experience id into t. */
static int experience_terms(vx_store *s, long long id, terms *t)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT CASE WHEN status = 'publiée' THEN published_title ELSE title END, "
	                       " CASE WHEN status = 'publiée' THEN published_description ELSE description END "
	                       "FROM submissions WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "reading an experience");
	sqlite3_bind_int64(st, 1, id);
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		rc = terms_of(s, t, text(st, 0), text(st, 1));
	else if (r == SQLITE_DONE)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
	else
		rc = vx_store_db_error(s->db, "reading an experience");
	sqlite3_finalize(st);
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

int vx_collect_similar(vx_store *s, long long id, size_t n, int (*cb)(const vx_similar *sim, void *payload),
                       void *payload)
{
	terms mine, other;
	candidate cand[CANDIDATES];
	size_t nc = 0;
	vx_buf q = VX_BUF_INIT;
	sqlite3_stmt *st = NULL, *one = NULL;
	int rc = vx_collect_sqlite(s, "aide à la réponse"), r;
	if (rc)
		return rc;
	vx_strmap_init(&mine.stems);
	vx_strmap_init(&mine.words);
	if ((rc = experience_terms(s, id, &mine)) != 0 || (rc = or_query(&mine, &q)) != 0 || q.len == 0)
		goto done;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT s.id, s.published_title, s.published_description FROM submissions_fts f "
	                       "JOIN submissions s ON s.id = f.rowid WHERE submissions_fts MATCH ?1 AND s.id < ?2 "
	                       " AND s.reply <> '' AND s.status = 'publiée' ORDER BY f.rank LIMIT ?3",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "finding similar experiences");
		goto done;
	}
	sqlite3_bind_text(st, 1, q.data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int(st, 3, CANDIDATES);
	while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		vx_strmap_init(&other.stems);
		vx_strmap_init(&other.words);
		rc = terms_of(s, &other, text(st, 1), text(st, 2));
		if (rc == 0) {
			cand[nc].id = sqlite3_column_int64(st, 0);
			cand[nc].rate = jaccard(&mine.stems, &other.stems);
			cand[nc].order = nc;
			nc++;
		}
		terms_free(&other);
	}
	if (rc == 0 && r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "finding similar experiences");
		goto done;
	}
	qsort(cand, nc, sizeof cand[0], by_rate);
	if (rc == 0 && sqlite3_prepare_v2(s->db,
	                                  "SELECT " SIMILAR_COLUMNS "FROM submissions s LEFT JOIN structures t "
	                                  "ON t.code = s.structure_code WHERE s.id = ?1",
	                                  -1, &one, NULL) != SQLITE_OK)
		rc = vx_store_db_error(s->db, "reading a similar experience");
	for (size_t i = 0; rc == 0 && i < nc && i < n; i++) {
		sqlite3_reset(one);
		sqlite3_bind_int64(one, 1, cand[i].id);
		if (sqlite3_step(one) != SQLITE_ROW) {
			rc = vx_store_db_error(s->db, "reading a similar experience");
			break;
		}
		vx_similar sim = {cand[i].id, text(one, 1), text(one, 2), text(one, 3), text(one, 4), cand[i].rate};
		rc = cb(&sim, payload);
	}
done:
	sqlite3_finalize(st);
	sqlite3_finalize(one);
	terms_free(&mine);
	vx_buf_free(&q);
	return rc;
}
