/*
 * Moderation of collected experiences and the audit log
 * (include/voix/collect.h): the queue, publication with the texts masked,
 * rejection with a motif, the erasure of the originals after
 * VX_COLLECT_KEEP_DAYS, and an append-only log of who did what.
 */
#include <stdint.h>
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

#define COLLECTED_COLUMNS                                                                                  \
	"s.id, s.structure_code, coalesce(t.name, ''), s.date, s.channels, s.feeling, s.accessibilite, "        \
	"s.information, s.relation, s.reactivite, s.simplicite, s.title, s.description, s.pseudonym, "         \
	"s.published_title, s.published_description, s.published_pseudonym, s.posted_as, s.origin, s.status, " \
	"s.written, s.moderated_at, s.moderated_by, s.reject_motif, s.original_erased, s.reply, "              \
	"s.first_reply_at, s.reply_by "                                                                        \
	"FROM submissions s LEFT JOIN structures t ON t.code = s.structure_code "

/* A dimension as shown: "" for the stored 'inconnu'. */
static const char *dimension(const char *const *cols, int ncols, int i)
{
	const char *v = vx_store_col(cols, ncols, i);
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

typedef struct collected_ctx {
	int (*cb)(const vx_collected *c, void *payload);
	void *payload;
	size_t n;
	vx_buf names, joined;
} collected_ctx;

/* One row of COLLECTED_COLUMNS to the caller's callback. */
static int collected_of(const char *const *cols, int ncols, void *payload)
{
	collected_ctx *x = payload;
#define T(i) vx_store_col(cols, ncols, i)
	int rc = vx_collect_channels_text(&x->names, &x->joined, T(4));
	if (rc)
		return rc;
	vx_collected c = {
		strtoll(T(0), NULL, 10), T(1), T(2), T(3), x->joined.data ? x->joined.data : "", T(5),
		{dimension(cols, ncols, 6), dimension(cols, ncols, 7), dimension(cols, ncols, 8), dimension(cols, ncols, 9),
		 dimension(cols, ncols, 10)},
		T(11), T(12), T(13), T(14), T(15), T(16), T(17), T(18), T(19), T(20), T(21), T(22), T(23),
		T(24)[0] != '\0', T(25),
		strcmp(T(19), "publiée") != 0 ? "" : T(25)[0] ? "avec réponse" : "en attente de réponse",
		T(26), T(27),
	};
#undef T
	x->n++;
	return x->cb(&c, x->payload);
}

/* Runs sql (n params) and calls cb for each collected experience; *found
 * receives how many. */
static int each_collected(vx_store *s, const char *sql, int n, const char *const *params, const char *what,
                          int (*cb)(const vx_collected *c, void *payload), void *payload, size_t *found)
{
	collected_ctx x = {cb, payload, 0, VX_BUF_INIT, VX_BUF_INIT};
	int rc = s->ops->rows(s, sql, n, params, what, collected_of, &x);
	*found = x.n;
	vx_buf_free(&x.names);
	vx_buf_free(&x.joined);
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
	char sql[1024], lim[24], off[24];
	size_t n;
	if (!known_status(status))
		return vx_error_set(VX_EINVAL, "statut inconnu « %s »", status ? status : "");
	/* The queue is worked oldest first; what was decided, newest first. */
	snprintf(sql, sizeof sql,
	         "SELECT " COLLECTED_COLUMNS "WHERE s.status = $1 AND (CAST($2 AS TEXT) IS NULL OR s.structure_code = $2) "
	         "ORDER BY s.id %s LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)",
	         strcmp(status, "à modérer") == 0 ? "ASC" : "DESC");
	snprintf(lim, sizeof lim, "%zu", limit > (size_t)INT64_MAX ? (size_t)INT64_MAX : limit);
	snprintf(off, sizeof off, "%zu", offset > (size_t)INT64_MAX ? (size_t)INT64_MAX : offset);
	const char *params[] = {status, structure, lim, off};
	return each_collected(s, sql, 4, params, "liste des expériences collectées", cb, payload, &n);
}

int vx_collect_get(vx_store *s, long long id, int (*cb)(const vx_collected *c, void *payload), void *payload)
{
	char ids[24];
	size_t n = 0;
	snprintf(ids, sizeof ids, "%lld", id);
	const char *params[] = {ids};
	int rc = each_collected(s, "SELECT " COLLECTED_COLUMNS "WHERE s.id = CAST($1 AS BIGINT)", 1, params,
	                        "lecture d'une expérience collectée", cb, payload, &n);
	if (rc == 0 && n == 0)
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
	return rc;
}

int vx_audit_commit(vx_store *s, const char *actor, const char *action, const char *target, const char *detail)
{
	int rc = action ? vx_audit_record(s, actor, action, target, detail) : 0;
	return rc ? rc : vx_store_tx_commit(s, "écriture du journal d'audit");
}

/* On either store, inside the caller's transaction when there is one. */
int vx_audit_record(vx_store *s, const char *actor, const char *action, const char *target, const char *detail)
{
	char at[32];
	vx_store_iso_time(at, (long long)time(NULL));
	const char *params[] = {at, actor ? actor : "", action ? action : "", target ? target : "", detail ? detail : ""};
	return s->ops->rows(s, "INSERT INTO audit_log(at, actor, action, target, detail) VALUES($1, $2, $3, $4, $5) RETURNING id", 5,
	                    params, "écriture du journal d'audit", NULL, NULL);
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
	                    2, params, "lecture du journal d'audit", audit_of, &c);
}

/* The three texts of a row to publish, masked. */
typedef struct masked_texts {
	vx_masker *masker;
	char *title, *description, *pseudonym;
	char status[32];
	int found;
} masked_texts;

static int masked_of(const char *const *cols, int ncols, void *payload)
{
	masked_texts *m = payload;
	const char *t = vx_store_col(cols, ncols, 1), *d = vx_store_col(cols, ncols, 2), *p = vx_store_col(cols, ncols, 3);
	int rc;
	m->found = 1;
	snprintf(m->status, sizeof m->status, "%s", vx_store_col(cols, ncols, 0));
	if ((rc = vx_masker_mask(m->masker, t, strlen(t), &m->title, NULL)) == 0 &&
	    (rc = vx_masker_mask(m->masker, d, strlen(d), &m->description, NULL)) == 0)
		rc = vx_masker_mask(m->masker, p, strlen(p), &m->pseudonym, NULL);
	return rc;
}

static int mask_row(vx_store *s, const char *id, masked_texts *m)
{
	const char *params[] = {id};
	m->masker = s->masker;
	return s->ops->rows(s, "SELECT status, title, description, pseudonym FROM submissions WHERE id = CAST($1 AS BIGINT)",
	                    1, params, "lecture d'une expérience collectée", masked_of, m);
}

/* Adds the published texts of id to the reply assistance's index: an
 * FTS5 table on SQLite; PostgreSQL computes its column itself. */
static int index_published(vx_store *s, const char *id, const masked_texts *m)
{
	if (vx_store_is_pg(s))
		return 0;
	const char *params[] = {id, m->title, m->description};
	return s->ops->rows(s,
	                    "INSERT INTO submissions_fts(rowid, published_title, published_description) "
	                    "VALUES(CAST($1 AS BIGINT), $2, $3)",
	                    3, params, "indexation d'une expérience publiée", NULL, NULL);
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
	masked_texts m = {NULL, NULL, NULL, NULL, "", 0};
	char target[32], ids[24], at[32];
	long long changed = 0;
	int rc = 0;
	if (!publish && blank(motif))
		return vx_error_set(VX_EINVAL, "Motif de rejet : indiquez pourquoi l'expérience n'est pas publiée.");
	if (!publish && strlen(motif) > VX_REJECT_MOTIF_MAX)
		return vx_error_set(VX_EINVAL, "Motif de rejet : %d caractères au plus.", VX_REJECT_MOTIF_MAX);
	if (s->masker == NULL && (rc = vx_masker_new(&s->masker)) != 0)
		return rc;
	snprintf(ids, sizeof ids, "%lld", id);
	vx_store_iso_time(at, (long long)time(NULL));
	if ((rc = vx_store_tx_begin(s, "modération")) != 0)
		return rc;
	if ((rc = mask_row(s, ids, &m)) != 0)
		goto fail;
	if (!m.found) {
		rc = vx_error_set(VX_ENOTFOUND, "expérience n° %lld inconnue", id);
		goto fail;
	}
	if (strcmp(m.status, "à modérer") != 0) {
		rc = vx_error_set(VX_EINVAL, "l'expérience n° %lld est déjà %s", id, m.status);
		goto fail;
	}
	/* Still to moderate when written: two moderators on two servers
	 * cannot both decide (PostgreSQL reads the row again once the other's
	 * decision is committed, and then changes nothing). */
	const char *pub[] = {ids, moderator ? moderator : "", at, m.title, m.description, m.pseudonym};
	const char *rej[] = {ids, moderator ? moderator : "", at, motif};
	rc = s->ops->rows(s,
	                  publish ? "UPDATE submissions SET status = 'publiée', moderated_by = $2, moderated_at = $3, "
	                            " published_title = $4, published_description = $5, published_pseudonym = $6 "
	                            "WHERE id = CAST($1 AS BIGINT) AND status = 'à modérer' RETURNING id"
	                          : "UPDATE submissions SET status = 'rejetée', moderated_by = $2, moderated_at = $3, "
	                            " reject_motif = $4 WHERE id = CAST($1 AS BIGINT) AND status = 'à modérer' RETURNING id",
	                  publish ? 6 : 4, publish ? pub : rej, "modération", vx_store_count_row, &changed);
	if (rc)
		goto fail;
	if (changed == 0) {
		rc = vx_error_set(VX_EINVAL, "l'expérience n° %lld vient d'être modérée par quelqu'un d'autre", id);
		goto fail;
	}
	if (publish && (rc = index_published(s, ids, &m)) != 0)
		goto fail;
	snprintf(target, sizeof target, "expérience %lld", id);
	if ((rc = vx_audit_commit(s, moderator, publish ? "publication" : "rejet", target, publish ? "" : motif)) != 0)
		goto fail;
	goto done;
fail:
	vx_store_tx_rollback(s, rc);
done:
	free(m.title);
	free(m.description);
	free(m.pseudonym);
	return rc;
}

int vx_collect_purge(vx_store *s, long long now, size_t *erased)
{
	char detail[64], at[32], before[32];
	long long n = 0;
	int rc;
	if (erased)
		*erased = 0;
	vx_store_iso_time(at, now);
	vx_store_iso_time(before, now - (long long)VX_COLLECT_KEEP_DAYS * 86400);
	if ((rc = vx_store_tx_begin(s, "effacement des textes d'origine")) != 0)
		return rc;
	const char *params[] = {at, before};
	if ((rc = s->ops->rows(s,
	                       "UPDATE submissions SET title = '', description = '', pseudonym = '', original_erased = $1 "
	                       "WHERE status <> 'à modérer' AND original_erased = '' AND moderated_at <> '' "
	                       " AND moderated_at < $2 RETURNING id",
	                       2, params, "effacement des textes d'origine", vx_store_count_row, &n)) != 0)
		return vx_store_tx_rollback(s, rc);
	snprintf(detail, sizeof detail, "%lld textes d'origine effacés", n);
	if ((rc = vx_audit_commit(s, "voix", n > 0 ? "effacement" : NULL, "expériences modérées", detail)) != 0)
		return vx_store_tx_rollback(s, rc);
	if (erased)
		*erased = (size_t)n;
	return 0;
}
