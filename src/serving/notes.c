/*
 * The cache of notes and the import of uploads. A note is keyed by the
 * store's data version and the filters it was asked with; the store is
 * loaded once per data version and every note of that version is built
 * from the same analysis (vx_analysis_set_options, then run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serving/handlers.h"
#include "serving/html.h"
#include "voix/error.h"
#include "voix/reader.h"

const char *const vx_note_filter_names[] = {"service", "structure", "channel", "since", "until", "topics"};
const size_t vx_note_filter_count = sizeof vx_note_filter_names / sizeof vx_note_filter_names[0];

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	timespec_get(&t1, TIME_UTC);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Loads the store into srv->analysis when an import changed it. */
static int load(vx_server *srv)
{
	long long version = 0;
	int rc = vx_store_data_version(srv->store, &version);
	if (rc)
		return rc;
	if (srv->analysis && version == srv->data_version)
		return 0;
	vx_server_cache_clear(srv);
	if ((rc = vx_analysis_new(&srv->analysis, NULL)) == 0 &&
	    (rc = vx_analysis_add_store(srv->analysis, srv->store)) == 0)
		srv->data_version = version;
	else
		vx_server_cache_clear(srv);
	return rc;
}

int vx_note_for(vx_rq *rq, vx_cache_entry **entry, int *hit)
{
	vx_server *srv = rq->srv;
	vx_note_options o;
	vx_buf key = VX_BUF_INIT;
	vx_cache_entry *slot = NULL;
	vx_note_render_options ro = VX_NOTE_RENDER_OPTIONS_INIT;
	struct timespec t0;
	int rc;
	*entry = NULL;
	*hit = 0;
	vx_note_options_init(&o);
	o.memberships = 1;
	for (size_t i = 0; i < vx_note_filter_count; i++) {
		const char *v = vx_params_get(&rq->query, vx_note_filter_names[i]);
		if (v && *v && vx_note_options_set(&o, vx_note_filter_names[i], v) != 0)
			return vx_fail(rq, 400, vx_error_last()) ? VX_ENOMEM : 1;
	}
	if (vx_note_options_check(&o) != 0)
		return vx_fail(rq, 400, vx_error_last()) ? VX_ENOMEM : 1;
	if ((rc = load(srv)) != 0)
		return rc == VX_ENOMEM ? rc : (vx_fail(rq, 503, "la base ne répond pas") ? VX_ENOMEM : 1);
	rc = vx_buf_printf(&key, "%lld", srv->data_version);
	for (size_t i = 0; i < vx_note_filter_count && rc == 0; i++) {
		const char *v = vx_params_get(&rq->query, vx_note_filter_names[i]);
		rc = vx_buf_printf(&key, "\x1f%s", v ? v : "");
	}
	if (rc)
		goto done;
	for (size_t i = 0; i < VX_CACHE_MAX; i++) {
		vx_cache_entry *c = &srv->cache[i];
		if (c->key && strcmp(c->key, key.data) == 0) {
			c->used = ++srv->tick;
			*entry = c;
			*hit = 1;
			goto done;
		}
		/* An empty slot, else the least recently used one. */
		if (slot == NULL || (slot->key && (c->key == NULL || c->used < slot->used)))
			slot = c;
	}
	timespec_get(&t0, TIME_UTC);
	vx_note *note = NULL;
	char *html = NULL;
	size_t html_len = 0;
	ro.format = VX_NOTE_FORMAT_HTML;
	if ((rc = vx_analysis_set_options(srv->analysis, &o)) != 0 ||
	    (rc = vx_analysis_run(&note, srv->analysis)) != 0 ||
	    (rc = vx_note_render(&html, &html_len, note, &ro)) != 0) {
		vx_note_free(note);
		if (rc == VX_EEMPTY || rc == VX_EINVAL)
			rc = vx_fail(rq, rc == VX_EEMPTY ? 422 : 400, vx_error_last()) ? VX_ENOMEM : 1;
		goto done;
	}
	free(slot->key);
	free(slot->html);
	vx_note_free(slot->note);
	slot->key = vx_buf_detach(&key, NULL);
	slot->note = note;
	slot->html = html;
	slot->html_len = html_len;
	slot->seconds = seconds_since(&t0);
	slot->used = ++srv->tick;
	*entry = slot;
done:
	vx_buf_free(&key);
	return rc;
}

int vx_put_masked(vx_rq *rq, vx_buf *b, const char *s, size_t len)
{
	char *masked = NULL;
	int rc = vx_masker_mask(rq->srv->masker, s, len, &masked, NULL);
	if (rc == 0)
		rc = vx_html_text(b, masked, strlen(masked));
	free(masked);
	return rc;
}

/* Longest file name kept from an upload. */
#define UPLOAD_NAME_MAX 200

int vx_import_upload(vx_rq *rq, const char *name, size_t name_len, const char *data, size_t len,
                     vx_import_counts *counts, size_t *rejected)
{
	char clean[UPLOAD_NAME_MAX + 1];
	size_t k = 0;
	vx_corpus *corpus = NULL;
	char *csv = NULL;
	int rc;
	memset(counts, 0, sizeof *counts);
	*rejected = 0;
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
	if ((rc = vx_store_import(rq->srv->store, corpus, counts)) != 0) {
		if (rc != VX_ENOMEM)
			rc = vx_fail(rq, rc == VX_EBUSY ? 503 : 400, vx_error_last()) ? VX_ENOMEM : 1;
		goto done;
	}
	*rejected = vx_corpus_reject_count(corpus);
	/* As voix import --rejects writes them. */
	if ((rc = vx_corpus_rejects_csv(&csv, NULL, corpus)) != 0)
		goto done;
	free(rq->srv->rejects_csv);
	rq->srv->rejects_csv = csv;
	csv = NULL;
	rq->srv->imports++;
done:
	free(csv);
	vx_corpus_free(corpus);
	return rc;
}
