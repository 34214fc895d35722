/*
 * The JSON API under /api/v1/ (docs/api.md, docs/openapi.yaml). Every
 * failure has the shape {"error": {"status", "code", "message"}}.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "serving/collect.h"
#include "serving/handlers.h"
#include "voix/error.h"

int vx_api_send_json(vx_rq *rq, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int rc;
	json_decref(j);
	if (s == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory writing JSON");
	rq->resp->content_type = "application/json";
	rc = vx_buf_puts(&rq->resp->body, s);
	if (rc == 0)
		rc = vx_buf_putc(&rq->resp->body, '\n');
	free(s);
	return rc;
}

/* A whole number in the query from 0 to max, def when absent; -1 when bad. */
static long long number(vx_rq *rq, const char *name, long long def, long long max)
{
	const char *v = vx_params_get(&rq->query, name);
	char *end = NULL;
	if (v == NULL || *v == '\0')
		return def;
	if (*v < '0' || *v > '9')
		return -1;
	long long n = strtoll(v, &end, 10);
	return *end || n > max ? -1 : n;
}

int vx_api_health(vx_rq *rq)
{
	size_t n = 0;
	if (vx_store_count(rq->store, &n) != 0)
		return vx_fail(rq, 503, "la base ne répond pas");
	return vx_api_send_json(rq, json_pack("{s:s,s:s}", "status", "ok", "version", VX_VERSION));
}

static int source_json(const vx_source_row *r, void *payload)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s}", "path", r->path, "sha256", r->sha256,
	                      "format", r->format, "rows_read", (json_int_t)r->rows_read, "rows_rejected",
	                      (json_int_t)r->rows_rejected, "experiences", (json_int_t)r->experiences,
	                      "first_imported", r->first_imported, "last_imported", r->last_imported,
	                      "period_from", r->period_from, "period_to", r->period_to);
	return o && json_array_append_new(payload, o) == 0 ? 0 : VX_ENOMEM;
}

int vx_api_sources(vx_rq *rq)
{
	json_t *a = json_array();
	int rc = a ? vx_store_sources(rq->store, source_json, a) : VX_ENOMEM;
	if (rc) {
		json_decref(a);
		return rc == VX_ENOMEM ? vx_error_set(rc, "out of memory listing sources") : vx_fail(rq, 503, vx_error_last());
	}
	return vx_api_send_json(rq, json_pack("{s:o}", "sources", a));
}

int vx_api_imports(vx_rq *rq)
{
	const char *name = vx_params_get(&rq->query, "name"), *data = rq->req->body;
	size_t name_len = name ? strlen(name) : 0, len = rq->req->body_len, rejected = 0;
	unsigned long number = 0;
	vx_import_counts c;
	/* A multipart upload, or the file as the body (?name=export.csv). */
	for (size_t i = 0; i < rq->n_parts; i++)
		if (rq->parts[i].filename) {
			name = rq->parts[i].filename;
			name_len = rq->parts[i].filename_len;
			data = rq->parts[i].data;
			len = rq->parts[i].len;
		}
	int rc = vx_import_upload(rq, name, name_len, data, len, &c, &rejected, &number);
	if (rc)
		return rc == 1 ? 0 : rc;
	rq->resp->status = 201;
	return vx_api_send_json(rq, json_pack("{s:I,s:I,s:I,s:I,s:I,s:s}", "read", (json_int_t)c.read, "inserted",
	                               (json_int_t)c.inserted, "updated", (json_int_t)c.updated, "unchanged",
	                               (json_int_t)c.unchanged, "rejected", (json_int_t)c.rejected, "rejects",
	                               rejected ? "/sources/rejets" : ""));
}

/* Renders the note of the query's filters in format f. */
static int send_note(vx_rq *rq, vx_note_format f)
{
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	vx_cache_entry *e = NULL;
	char *text = NULL;
	size_t len = 0;
	int hit = 0, rc = vx_note_for(rq, &e, &hit);
	if (rc)
		return rc == 1 ? 0 : rc;
	ro.format = f;
	if ((rc = vx_note_render(&text, &len, e->note, &ro)) != 0)
		return rc;
	static const char *const types[] = {"text/markdown; charset=utf-8", "text/html; charset=utf-8",
	                                    "application/json", "text/csv; charset=utf-8"};
	rq->resp->content_type = types[f];
	rq->resp->cache = hit ? "hit" : "miss";
	rc = vx_buf_append(&rq->resp->body, text, len);
	free(text);
	return rc;
}

int vx_api_note(vx_rq *rq)
{
	const char *name = vx_params_get(&rq->query, "format");
	vx_note_format f = VX_NOTE_FORMAT_JSON;
	if (name && vx_note_format_from_name(&f, name) != 0)
		return vx_fail(rq, 400, vx_error_last());
	return send_note(rq, f);
}

int vx_api_assignments(vx_rq *rq)
{
	return send_note(rq, VX_NOTE_FORMAT_ASSIGNMENTS);
}

static char *masked(vx_rq *rq, const char *s)
{
	char *m = NULL;
	return vx_masker_mask(rq->masker, s, strlen(s), &m, NULL) == 0 ? m : NULL;
}

static json_t *experience_json(vx_rq *rq, const vx_experience *x)
{
	char *title = masked(rq, x->title), *text = masked(rq, x->text), *structure = masked(rq, x->structure);
	json_t *o = title && text && structure
	                ? json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", x->id, "date", x->date, "feeling",
	                            vx_feeling_key(x->feeling), "service", x->service, "structure", structure,
	                            "title", title, "text", text)
	                : NULL;
	free(title);
	free(text);
	free(structure);
	return o;
}

typedef struct hits {
	json_t *items;
	long long skip, seen;
} hits;

static int hit_json(const vx_search_hit *h, void *payload)
{
	hits *hs = payload;
	if (hs->seen++ < hs->skip)
		return 0;
	json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "id", h->id, "source", h->source, "snippet", h->snippet, "rank",
	                      h->rank);
	return o && json_array_append_new(hs->items, o) == 0 ? 0 : VX_ENOMEM;
}

int vx_api_experiences(vx_rq *rq)
{
	const char *q = vx_params_get(&rq->query, "q"), *feeling = vx_params_get(&rq->query, "feeling");
	long long offset = number(rq, "offset", 0, 1LL << 40), limit = number(rq, "limit", VX_PAGE_SIZE, VX_API_MAX_LIMIT);
	long long topic = number(rq, "topic", 0, VX_NOTE_MAX_TOPICS);
	if (offset < 0 || limit <= 0 || topic < 0)
		return vx_fail(rq, 400, "offset, limit (1 à 200) et topic doivent être des nombres entiers");
	json_t *items = json_array();
	long long total = 0;
	int rc = items ? 0 : VX_ENOMEM;
	if (rc == 0 && q && *q) {
		hits hs = {items, offset, 0};
		rc = vx_store_search(rq->store, q, (size_t)(offset + limit), hit_json, &hs);
		total = hs.seen;
		/* Fewer hits than asked for are all the matches; a full page may
		 * have more after it, which the index counts without ranking or
		 * reading them (bench/serve/RESULTS.md). */
		size_t all = 0;
		if (rc == 0 && hs.seen == offset + limit && (rc = vx_store_search_count(rq->store, q, &all)) == 0)
			total = (long long)all;
		if (rc == VX_EINVAL || rc == VX_EDB) {
			json_decref(items);
			return vx_fail(rq, rc == VX_EINVAL ? 400 : 503, vx_error_last());
		}
	} else if (rc == 0) {
		vx_cache_entry *e = NULL;
		int hit = 0;
		/* feeling here picks among the experiences listed (by the export's
		 * feeling, inconnu included), as it did before the notes had a
		 * feeling filter: the note whose topic is listed is that of the
		 * other filters, so that its topic numbers are those of the note
		 * without it. The query is seen without feeling while the note is
		 * found (a shallow copy: the strings stay the query's). */
		vx_params all = rq->query, others = {.n = 0};
		for (size_t i = 0; i < all.n; i++)
			if (strcmp(all.items[i].name, "feeling") != 0)
				others.items[others.n++] = all.items[i];
		rq->query = others;
		rc = vx_note_for(rq, &e, &hit);
		rq->query = all;
		if (rc != 0) {
			json_decref(items);
			return rc == 1 ? 0 : rc;
		}
		const vx_corpus *c = vx_analysis_corpus(e->loaded->analysis);
		const vx_topic *t = topic ? (topic <= (long long)e->note->n_topics ? &e->note->topics[topic - 1] : NULL)
		                          : NULL;
		if (topic && t == NULL) {
			json_decref(items);
			return vx_fail(rq, 404, "ce sujet n'existe pas dans cette note");
		}
		size_t m = 0;
		for (size_t i = 0; i < vx_corpus_count(c) && rc == 0; i++) {
			const vx_experience *x = vx_corpus_get(c, i);
			if (t) {
				if (m >= t->n_members)
					break;
				if (strcmp(x->id, t->members[m].experience_id) != 0)
					continue;
				m++;
			}
			if (feeling && *feeling && strcmp(feeling, vx_feeling_key(x->feeling)) != 0)
				continue;
			if (total++ < offset || (long long)json_array_size(items) >= limit)
				continue;
			json_t *o = experience_json(rq, x);
			rc = o && json_array_append_new(items, o) == 0 ? 0 : vx_error_set(VX_ENOMEM, "out of memory");
		}
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	return vx_api_send_json(rq, json_pack("{s:I,s:I,s:I,s:o}", "offset", (json_int_t)offset, "limit", (json_int_t)limit,
	                               "total", (json_int_t)total, "items", items));
}
