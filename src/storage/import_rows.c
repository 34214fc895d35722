/*
 * Identity, content hash and checks of an experience before it is stored;
 * shared by the SQLite import (import.c) and the PostgreSQL one
 * (pg_import.c).
 */
#include "storage/import_rows.h"

#include <string.h>

#include "storage/channels.h"
#include "util/file.h"
#include "voix/error.h"

/* Bumped when the fields that go into the content hash change, so that the
 * next import of unchanged rows reports them as updated (and rewrites them)
 * rather than silently keeping rows hashed another way. */
#define VX_CONTENT_HASH_VERSION "1"

/* The platform for exports whose ids are the platform's own (one id, one
 * experience, whatever the file is called), the format and file name for
 * anything else (mapped CSV, JSON Lines), whose ids are only known to be
 * unique within a file. */
int vx_import_scope(vx_buf *out, const vx_source *src)
{
	const char *format = src->format ? src->format : "";
	if (strncmp(format, "sp-plus", 7) == 0)
		return vx_buf_puts(out, "sp-plus");
	if (strcmp(format, "google-reviews") == 0)
		return vx_buf_puts(out, format);
	const char *path = src->path ? src->path : "";
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return vx_buf_printf(out, "%s:%s", format, base);
}

/* Hash of everything stored about e except where it was read from (source
 * path, line): the same experience in a re-downloaded file is unchanged.
 * Each field is hashed in place and the field hashes are hashed together,
 * so that nothing is copied (the original rows alone are 50 MB for 100,000
 * experiences). */
static int64_t content_hash(const vx_experience *e, const char *channels)
{
	const char *fields[] = {VX_CONTENT_HASH_VERSION, e->date, e->date_text, e->title, e->text,
	                        e->service, e->structure, e->department, e->reply, e->row_json,
	                        channels};
	enum { N_FIELDS = sizeof fields / sizeof fields[0] };
	unsigned long long h[N_FIELDS + 1];
	for (size_t k = 0; k < N_FIELDS; k++)
		h[k] = vx_hash64(fields[k] ? fields[k] : "", fields[k] ? strlen(fields[k]) : 0);
	unsigned long long codes = (unsigned long long)e->feeling;
	for (int d = 0; d < VX_DIM_COUNT; d++)
		codes = codes << 4 | (unsigned long long)e->dims[d];
	h[N_FIELDS] = codes;
	return (int64_t)vx_hash64(h, sizeof h);
}

const char *vx_import_feeling_name(vx_feeling f)
{
	return vx_feeling_name(f < VX_FEELING_COUNT ? f : VX_FEELING_UNKNOWN);
}

/* Which corpus source e was read from; *hint is the previous answer. */
static int source_index(const vx_corpus *corpus, const vx_experience *e, size_t *hint)
{
	size_t n = vx_corpus_source_count(corpus);
	for (size_t k = 0; k < n; k++) {
		size_t i = (*hint + k) % n;
		const vx_source *src = vx_corpus_source(corpus, i);
		if (src->path == e->source || strcmp(src->path, e->source ? e->source : "") == 0) {
			*hint = i;
			return 0;
		}
	}
	return vx_error_set(VX_EINVAL, "l'expérience %s renvoie à la source « %s », que le corpus ne contient pas",
	                    e->id ? e->id : "?", e->source ? e->source : "");
}

int vx_import_row(int64_t *hash, vx_buf *channels, const vx_corpus *corpus, const vx_experience *e,
                  size_t *hint)
{
	int rc = source_index(corpus, e, hint);
	if (rc)
		return rc;
	if (e->id == NULL || e->id[0] == '\0')
		return vx_error_set(VX_EINVAL, "%s : l'expérience de la ligne %u n'a pas d'identifiant",
		                    e->source ? e->source : "?", (unsigned)e->line);
	vx_buf_reset(channels);
	if ((rc = vx_channels_encode(channels, e->channels, e->n_channels)) != 0)
		return rc;
	*hash = content_hash(e, channels->data);
	return 0;
}
