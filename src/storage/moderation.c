/*
 * Moderation of collected experiences and the audit log
 * (include/voix/collect.h): the queue, publication with the texts masked,
 * rejection with a motif, the erasure of the originals after
 * VX_COLLECT_KEEP_DAYS, and an append-only log of who did what.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/channels.h"
#include "storage/collect_internal.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/privacy.h"

static const char *text(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

#define COLLECTED_COLUMNS                                                                                  \
	"s.id, s.structure_code, coalesce(t.name, ''), s.date, s.channels, s.feeling, s.accessibilite, "        \
	"s.information, s.relation, s.reactivite, s.simplicite, s.title, s.description, s.pseudonym, "         \
	"s.published_title, s.published_description, s.published_pseudonym, s.posted_as, s.origin, s.status, " \
	"s.written, s.moderated_at, s.moderated_by, s.reject_motif, s.original_erased, s.reply, "              \
	"s.first_reply_at, s.reply_by "                                                                        \
	"FROM submissions s LEFT JOIN structures t ON t.code = s.structure_code "

/* A dimension as shown: "" for the stored 'inconnu'. */
static const char *dimension(sqlite3_stmt *st, int i)
{
	const char *v = text(st, i);
	return strcmp(v, "inconnu") == 0 ? "" : v;
}

int vx_collect_channels_text(vx_buf *names, vx_buf *joined, const char *json)
{
	uint32_t n = 0;
	int rc = vx_channels_decode(names, &n, json, strlen(json));
	const char *p = names->data;
	vx_buf_reset(joined);
	for (uint32_t i = 0; rc == 0 && i < n; i++, p += strlen(p) + 1)
		if (vx_buf_puts(joined, i ? ", " : "") || vx_buf_puts(joined, p))
			rc = vx_error_set(VX_ENOMEM, "out of memory reading channels");
	return rc;
}

static int each_collected(vx_store *s, sqlite3_stmt *st, int (*cb)(const vx_collected *c, void *payload),
                          void *payload, size_t *n)
{
	vx_buf names = VX_BUF_INIT, joined = VX_BUF_INIT;
	int r, rc = 0;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = vx_collect_channels_text(&names, &joined, text(st, 4))) != 0)
			break;
		vx_collected c = {
			sqlite3_column_int64(st, 0), text(st, 1), text(st, 2), text(st, 3), joined.data ? joined.data : "",
			text(st, 5), {dimension(st, 6), dimension(st, 7), dimension(st, 8), dimension(st, 9), dimension(st, 10)},
			text(st, 11), text(st, 12), text(st, 13), text(st, 14), text(st, 15), text(st, 16), text(st, 17),
			text(st, 18), text(st, 19), text(st, 20), text(st, 21), text(st, 22), text(st, 23),
			text(st, 24)[0] != '\0', text(st, 25),
			strcmp(text(st, 19), "publiée") != 0 ? "" : text(st, 25)[0] ? "avec réponse" : "en attente de réponse",
			text(st, 26), text(st, 27),
		};
		(*n)++;
		if ((rc = cb(&c, payload)) != 0)
			break;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "reading collected experiences");
	vx_buf_free(&names);
	vx_buf_free(&joined);
	return rc;
}

static int known_status(const char *status)
{
	return status && (strcmp(status, "à modérer") == 0 || strcmp(status, "publiée") == 0 ||
	                  strcmp(status, "rejetée") == 0);
}

int vx_collect_list(vx_store *s, const char *status, const char *structure, size_t offset, size_t limit,
                    int (*cb)(const vx_collected *c, void *payload), void *payload)
{
	sqlite3_stmt *st = NULL;
	char sql[1024];
	size_t n;
	int rc = vx_collect_sqlite(s, "liste des expériences déposées");
	if (rc)
		return rc;
	if (!known_status(status))
		return vx_error_set(VX_EINVAL, "statut inconnu « %s »", status ? status : "");
	/* The queue is worked oldest first; what was decided, newest first. */
	snprintf(sql, sizeof sql,
	         "SELECT " COLLECTED_COLUMNS "WHERE s.status = ?1 AND (?2 IS NULL OR s.structure_code = ?2) "
	         "ORDER BY s.id %s LIMIT ?3 OFFSET ?4",
	         strcmp(status, "à modérer") == 0 ? "ASC" : "DESC");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "listing collected experiences");
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, structure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)offset);
	rc = each_collected(s, st, cb, payload, &n);
	sqlite3_finalize(st);
	return rc;
}

int vx_collect_get(vx_store *s, long long id, int (*cb)(const vx_collected *c, void *payload), void *payload)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc = vx_collect_sqlite(s, "lecture d'une expérience déposée");
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT " COLLECTED_COLUMNS "WHERE s.id = ?1", -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "reading a collected experience");
	sqlite3_bind_int64(st, 1, id);
	rc = each_collected(s, st, cb, payload, &n);
	sqlite3_finalize(st);
	if (rc == 0 && n == 0)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
	return rc;
}

int vx_audit_commit(vx_store *s, const char *actor, const char *action, const char *target, const char *detail)
{
	int rc = action ? vx_audit_record(s, actor, action, target, detail) : 0;
	return rc ? rc : vx_store_exec(s->db, "COMMIT");
}

static int no_row(const char *const *cols, int ncols, void *payload)
{
	(void)cols;
	(void)ncols;
	(void)payload;
	return 0;
}

/* On either store, inside the caller's transaction when there is one. */
int vx_audit_record(vx_store *s, const char *actor, const char *action, const char *target, const char *detail)
{
	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *params[] = {at, actor ? actor : "", action ? action : "", target ? target : "", detail ? detail : ""};
	return s->ops->rows(s, "INSERT INTO audit_log(at, actor, action, target, detail) VALUES($1, $2, $3, $4, $5) RETURNING id", 5,
	                    params, "writing the audit log", no_row, NULL);
}

typedef struct audit_ctx {
	int (*cb)(const char *at, const char *actor, const char *action, const char *target, const char *detail,
	          void *payload);
	void *payload;
} audit_ctx;

static int audit_of(const char *const *cols, int ncols, void *payload)
{
	audit_ctx *c = payload;
	const char *v[5];
	for (int i = 0; i < 5; i++)
		v[i] = i < ncols && cols[i] ? cols[i] : "";
	return c->cb(v[0], v[1], v[2], v[3], v[4], c->payload);
}

int vx_audit_list(vx_store *s, size_t offset, size_t limit,
                  int (*cb)(const char *at, const char *actor, const char *action, const char *target,
                            const char *detail, void *payload),
                  void *payload)
{
	char lim[24], off[24];
	snprintf(lim, sizeof lim, "%zu", limit);
	snprintf(off, sizeof off, "%zu", offset);
	const char *params[] = {lim, off};
	audit_ctx c = {cb, payload};
	return s->ops->rows(s,
	                    "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC "
	                    "LIMIT CAST($1 AS INTEGER) OFFSET CAST($2 AS INTEGER)",
	                    2, params, "reading the audit log", audit_of, &c);
}

/* The three texts of a row to publish, masked. */
typedef struct masked_texts {
	char *title, *description, *pseudonym;
	char status[32];
	int found;
} masked_texts;

static int mask_row(vx_store *s, long long id, masked_texts *m)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(s->db, "SELECT status, title, description, pseudonym FROM submissions WHERE id = ?1", -1,
	                       &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "reading a collected experience");
	sqlite3_bind_int64(st, 1, id);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		m->found = 1;
		snprintf(m->status, sizeof m->status, "%s", text(st, 0));
		const char *t = text(st, 1), *d = text(st, 2), *p = text(st, 3);
		if ((rc = vx_masker_mask(s->masker, t, strlen(t), &m->title, NULL)) == 0 &&
		    (rc = vx_masker_mask(s->masker, d, strlen(d), &m->description, NULL)) == 0)
			rc = vx_masker_mask(s->masker, p, strlen(p), &m->pseudonym, NULL);
	} else if (r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "reading a collected experience");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Adds the published texts of id to the reply assistance's index. */
static int index_published(vx_store *s, long long id, const masked_texts *m)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO submissions_fts(rowid, published_title, published_description) VALUES(?1, ?2, ?3)",
	                       -1, &st, NULL) != SQLITE_OK)
		return vx_store_db_error(s->db, "indexing a published experience");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, m->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->description, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = vx_store_db_error(s->db, "indexing a published experience");
	sqlite3_finalize(st);
	return rc;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

int vx_collect_moderate(vx_store *s, long long id, const char *moderator, int publish, const char *motif)
{
	masked_texts m = {NULL, NULL, NULL, "", 0};
	sqlite3_stmt *st = NULL;
	char target[32];
	int rc = vx_collect_sqlite(s, "modération"), in_tx = 0;
	if (rc)
		return rc;
	if (!publish && blank(motif))
		return vx_error_set(VX_EINVAL, "Motif de rejet : indiquez pourquoi l'expérience n'est pas publiée.");
	if (!publish && strlen(motif) > VX_REJECT_MOTIF_MAX)
		return vx_error_set(VX_EINVAL, "Motif de rejet : %d caractères au plus.", VX_REJECT_MOTIF_MAX);
	if (s->masker == NULL && (rc = vx_masker_new(&s->masker)) != 0)
		return rc;
	if ((rc = vx_store_begin_write(s, "moderating")) != 0)
		return rc;
	in_tx = 1;
	if ((rc = mask_row(s, id, &m)) != 0)
		goto done;
	if (!m.found) {
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
		goto done;
	}
	if (strcmp(m.status, "à modérer") != 0) {
		rc = vx_error_set(VX_EINVAL, "l'expérience n° %lld est déjà %s", id, m.status);
		goto done;
	}
	if (sqlite3_prepare_v2(s->db,
	                       publish ? "UPDATE submissions SET status = 'publiée', published_title = ?2, "
	                                 " published_description = ?3, published_pseudonym = ?4, moderated_by = ?5, "
	                                 " moderated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1"
	                               : "UPDATE submissions SET status = 'rejetée', reject_motif = ?6, moderated_by = ?5, "
	                                 " moderated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "moderating");
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	if (publish) {
		sqlite3_bind_text(st, 2, m.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m.description, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m.pseudonym, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, 6, motif, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 5, moderator ? moderator : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "moderating");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (publish && (rc = index_published(s, id, &m)) != 0)
		goto done;
	snprintf(target, sizeof target, "expérience %lld", id);
	rc = vx_audit_commit(s, moderator, publish ? "publication" : "rejet", target, publish ? "" : motif);
	in_tx = rc != 0;
done:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	free(m.title);
	free(m.description);
	free(m.pseudonym);
	return rc;
}

int vx_collect_purge(vx_store *s, long long now, size_t *erased)
{
	sqlite3_stmt *st = NULL;
	char detail[64];
	int rc = vx_collect_sqlite(s, "effacement des textes d'origine"), in_tx = 0, n = 0;
	if (erased)
		*erased = 0;
	if (rc)
		return rc;
	if ((rc = vx_store_begin_write(s, "erasing original texts")) != 0)
		return rc;
	in_tx = 1;
	if (sqlite3_prepare_v2(s->db,
	                       "UPDATE submissions SET title = '', description = '', pseudonym = '', "
	                       " original_erased = strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch') "
	                       "WHERE status <> 'à modérer' AND original_erased = '' AND moderated_at <> '' "
	                       " AND moderated_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1 - ?2, 'unixepoch')",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "erasing original texts");
		goto done;
	}
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)VX_COLLECT_KEEP_DAYS * 86400);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "erasing original texts");
		goto done;
	}
	n = sqlite3_changes(s->db);
	snprintf(detail, sizeof detail, "%d textes d'origine effacés", n);
	rc = vx_audit_commit(s, "voix", n > 0 ? "effacement" : NULL, "expériences modérées", detail);
	in_tx = rc != 0;
	if (rc == 0 && erased)
		*erased = (size_t)n;
done:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
