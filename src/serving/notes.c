/*
 * The cache of notes and the import of uploads. A note is keyed by the
 * store's data version and the filters it was asked with; the store is
 * loaded once per data version and every note of that version is built
 * from the same analysis (vx_analysis_set_options, then run), one at a
 * time. Entries and loaded stores are counted references, so that an
 * entry evicted, or a store replaced by an import, stays valid for the
 * requests still reading it (the server answers on several threads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/error.h"
#include "voix/reader.h"

const char *const vx_note_filter_names[] = {"service", "structure", "channel",    "since",
                                            "until",   "feeling",   "department", "topics"};
const size_t vx_note_filter_count = sizeof vx_note_filter_names / sizeof vx_note_filter_names[0];

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	timespec_get(&t1, TIME_UTC);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void loaded_unref(vx_loaded *l)
{
	if (l == NULL || --l->refs > 0)
		return;
	vx_analysis_free(l->analysis);
	pthread_mutex_destroy(&l->run);
	free(l);
}

void vx_cache_entry_unref(vx_cache_entry *e)
{
	if (e == NULL || --e->refs > 0)
		return;
	free(e->key);
	free(e->html);
	vx_note_free(e->note);
	loaded_unref(e->loaded);
	free(e);
}

void vx_server_cache_clear(vx_server *srv)
{
	for (size_t i = 0; i < VX_CACHE_MAX; i++) {
		vx_cache_entry_unref(srv->cache[i]);
		srv->cache[i] = NULL;
	}
	loaded_unref(srv->loaded);
	srv->loaded = NULL;
}

/* The latest loaded store, with a reference for the caller, when it is of
 * version or newer (a request that read the version just before an import
 * must not bring back the older data); NULL otherwise. Takes srv->lock. */
static vx_loaded *loaded_get(vx_server *srv, long long version)
{
	vx_loaded *l = NULL;
	pthread_mutex_lock(&srv->lock);
	if (srv->loaded && srv->loaded->version >= version) {
		l = srv->loaded;
		l->refs++;
	}
	pthread_mutex_unlock(&srv->lock);
	return l;
}

/* The store loaded at its current data version, loaded through rq->store
 * when an import changed it (one load at a time; the others wait for it),
 * with a reference for the caller. The notes of older versions leave the
 * cache; requests that hold them keep them until they end. */
static int load(vx_rq *rq, vx_loaded **out)
{
	vx_server *srv = rq->srv;
	long long version = 0;
	vx_loaded *l = NULL;
	int rc = vx_store_data_version(rq->store, &version);
	*out = NULL;
	if (rc)
		return rc;
	if ((*out = loaded_get(srv, version)) != NULL)
		return 0;
	pthread_mutex_lock(&srv->load_lock);
	if ((*out = loaded_get(srv, version)) != NULL)
		goto done;
	if ((l = calloc(1, sizeof *l)) == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory loading the store");
		goto done;
	}
	l->version = version;
	l->refs = 1;
	if (pthread_mutex_init(&l->run, NULL) != 0) {
		free(l);
		rc = vx_error_set(VX_ENOMEM, "cannot create a lock");
		goto done;
	}
	if ((rc = vx_analysis_new(&l->analysis, NULL)) != 0 || (rc = vx_analysis_add_store(l->analysis, rq->store)) != 0) {
		loaded_unref(l);
		goto done;
	}
	pthread_mutex_lock(&srv->lock);
	vx_server_cache_clear(srv);
	l->refs++; /* the server's and the caller's */
	srv->loaded = l;
	pthread_mutex_unlock(&srv->lock);
	*out = l;
done:
	pthread_mutex_unlock(&srv->load_lock);
	return rc;
}

/* The cached note of key, with a reference for the caller; NULL when
 * none. srv->lock must be held. */
static vx_cache_entry *cache_find(vx_server *srv, const char *key)
{
	for (size_t i = 0; i < VX_CACHE_MAX; i++) {
		vx_cache_entry *c = srv->cache[i];
		if (c && strcmp(c->key, key) == 0) {
			c->used = ++srv->tick;
			c->refs++;
			return c;
		}
	}
	return NULL;
}

/* Puts e in the cache in an empty slot, else in the least recently used
 * one's. srv->lock must be held. */
static void cache_put(vx_server *srv, vx_cache_entry *e)
{
	size_t slot = 0;
	for (size_t i = 0; i < VX_CACHE_MAX; i++) {
		if (srv->cache[i] == NULL) {
			slot = i;
			break;
		}
		if (srv->cache[i]->used < srv->cache[slot]->used)
			slot = i;
	}
	vx_cache_entry_unref(srv->cache[slot]);
	e->refs++;
	e->used = ++srv->tick;
	srv->cache[slot] = e;
}

/* The note of o from l, built and rendered to HTML, keyed by key (taken),
 * with one reference (the caller's); e->loaded is l, whose reference the
 * caller adds. l's run lock is held by the caller. */
static int build(vx_cache_entry **out, vx_loaded *l, const vx_note_options *o, vx_buf *key)
{
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	struct timespec t0;
	vx_cache_entry *e = calloc(1, sizeof *e);
	int rc;
	*out = NULL;
	if (e == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory building a note");
	timespec_get(&t0, TIME_UTC);
	ro.format = VX_NOTE_FORMAT_HTML;
	if ((rc = vx_analysis_set_options(l->analysis, o)) != 0 || (rc = vx_analysis_run(&e->note, l->analysis)) != 0 ||
	    (rc = vx_note_render(&e->html, &e->html_len, e->note, &ro)) != 0) {
		vx_note_free(e->note);
		free(e);
		return rc;
	}
	e->seconds = seconds_since(&t0);
	e->key = vx_buf_detach(key, NULL);
	e->loaded = l;
	e->refs = 1;
	*out = e;
	return 0;
}

int vx_note_for_prefix(vx_rq *rq, const char *prefix, vx_cache_entry **entry, int *hit)
{
	vx_server *srv = rq->srv;
	vx_note_options o;
	vx_buf key = VX_BUF_INIT;
	vx_loaded *l = NULL;
	vx_cache_entry *e = NULL;
	const char *values[16];
	char name[64];
	int rc = 0;
	*entry = NULL;
	*hit = 0;
	if (rq->n_notes >= VX_RQ_NOTES_MAX || vx_note_filter_count > sizeof values / sizeof values[0])
		return vx_error_set(VX_EINVAL, "too many notes for one request");
	vx_note_options_init(&o);
	o.memberships = 1;
	for (size_t i = 0; i < vx_note_filter_count; i++) {
		snprintf(name, sizeof name, "%s%s", prefix, vx_note_filter_names[i]);
		values[i] = vx_params_get(&rq->query, name);
		if (values[i] == NULL)
			values[i] = vx_params_get(&rq->query, vx_note_filter_names[i]);
		if (values[i] && *values[i] && vx_note_options_set(&o, vx_note_filter_names[i], values[i]) != 0)
			return vx_fail(rq, 400, vx_error_last()) ? VX_ENOMEM : 1;
	}
	if (vx_note_options_check(&o) != 0)
		return vx_fail(rq, 400, vx_error_last()) ? VX_ENOMEM : 1;
	if ((rc = load(rq, &l)) != 0)
		return rc == VX_ENOMEM ? rc : (vx_fail(rq, 503, "la base ne répond pas") ? VX_ENOMEM : 1);
	rc = vx_buf_printf(&key, "%lld", l->version);
	for (size_t i = 0; i < vx_note_filter_count && rc == 0; i++)
		rc = vx_buf_printf(&key, "\x1f%s", values[i] ? values[i] : "");
	if (rc)
		goto done;
	pthread_mutex_lock(&srv->lock);
	e = cache_find(srv, key.data);
	pthread_mutex_unlock(&srv->lock);
	if (e == NULL) {
		int built = 0;
		/* One build at a time on an analysis; a request that waited for
		 * the same note finds it made. */
		pthread_mutex_lock(&l->run);
		pthread_mutex_lock(&srv->lock);
		e = cache_find(srv, key.data);
		pthread_mutex_unlock(&srv->lock);
		if (e == NULL)
			built = (rc = build(&e, l, &o, &key)) == 0;
		pthread_mutex_unlock(&l->run);
		if (rc) {
			if (rc == VX_EEMPTY || rc == VX_EINVAL)
				rc = vx_fail(rq, rc == VX_EEMPTY ? 422 : 400, vx_error_last()) ? VX_ENOMEM : 1;
			goto done;
		}
		if (built) {
			/* e holds l; the cache takes e unless an import made it
			 * stale meanwhile. */
			pthread_mutex_lock(&srv->lock);
			l->refs++;
			if (srv->loaded == l)
				cache_put(srv, e);
			pthread_mutex_unlock(&srv->lock);
		}
		*hit = !built;
	} else {
		*hit = 1;
	}
	rq->notes[rq->n_notes++] = e;
	*entry = e;
done:
	if (l) {
		pthread_mutex_lock(&srv->lock);
		loaded_unref(l);
		pthread_mutex_unlock(&srv->lock);
	}
	vx_buf_free(&key);
	return rc;
}

int vx_note_for(vx_rq *rq, vx_cache_entry **entry, int *hit)
{
	return vx_note_for_prefix(rq, "", entry, hit);
}

int vx_put_masked(vx_rq *rq, vx_buf *b, const char *s, size_t len)
{
	char *masked = NULL;
	int rc = vx_masker_mask(rq->masker, s, len, &masked, NULL);
	if (rc == 0)
		rc = vx_html_text(b, masked, strlen(masked));
	free(masked);
	return rc;
}

/* Longest file name kept from an upload. */
#define UPLOAD_NAME_MAX 200

int vx_import_upload(vx_rq *rq, const char *name, size_t name_len, const char *data, size_t len,
                     vx_import_counts *counts, size_t *rejected, unsigned long *number)
{
	char clean[UPLOAD_NAME_MAX + 1];
	size_t k = 0;
	vx_corpus *corpus = NULL;
	char *csv = NULL;
	int rc;
	memset(counts, 0, sizeof *counts);
	*rejected = 0;
	*number = 0;
	/* The file name is a label: only its last component, no control
	 * characters, never a path the server opens. */
	for (size_t i = 0; name && i < name_len; i++)
		if (name[i] == '/' || name[i] == '\\')
			k = 0;
		else if (k < UPLOAD_NAME_MAX)
			clean[k++] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '_' : name[i];
	clean[k] = '\0';
	if (k == 0 || strcmp(clean, ".") == 0 || strcmp(clean, "..") == 0)
		snprintf(clean, sizeof clean, "envoi.csv");
	if ((rc = vx_corpus_new(&corpus)) != 0)
		goto done;
	rc = vx_reader_read_buffer(corpus, clean, data ? data : "", len, NULL);
	if (rc == VX_EEMPTY || rc == VX_EFORMAT || rc == VX_ETOOBIG || rc == VX_EIO || rc == VX_EINVAL) {
		rc = vx_fail(rq, rc == VX_EEMPTY ? 422 : 400, vx_error_last()) ? VX_ENOMEM : 1;
		goto done;
	}
	if (rc)
		goto done;
	if ((rc = vx_store_import(rq->store, corpus, counts)) != 0) {
		if (rc != VX_ENOMEM)
			rc = vx_fail(rq, rc == VX_EBUSY ? 503 : 400, vx_error_last()) ? VX_ENOMEM : 1;
		goto done;
	}
	*rejected = vx_corpus_reject_count(corpus);
	/* As voix import --rejects writes them. */
	if ((rc = vx_corpus_rejects_csv(&csv, NULL, corpus)) != 0)
		goto done;
	pthread_mutex_lock(&rq->srv->lock);
	free(rq->srv->rejects_csv);
	rq->srv->rejects_csv = csv;
	csv = NULL;
	*number = ++rq->srv->imports;
	pthread_mutex_unlock(&rq->srv->lock);
done:
	free(csv);
	vx_corpus_free(corpus);
	return rc;
}
