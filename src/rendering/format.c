/*
 * The note's formats in one table: their names, the file extensions that
 * choose them, their renderer, whether the run figures belong to the format
 * and whether it is chosen by name. A new format is one line here (and its
 * value in voix/render.h).
 */
#include "voix/render.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/file.h"
#include "voix/error.h"

static const struct format_def {
	vx_note_format format;
	const char *name;  /* for --format, and the file extension that chooses it */
	const char *alias; /* another name and extension, or NULL */
	int (*render)(char **out, size_t *len, const vx_note *n);
	int run_always;    /* 1: the run time and peak memory are part of the format (JSON "run") */
	int by_name;       /* 1: chosen by --format or a file's extension (a format of the note itself) */
} formats[] = {
	{VX_NOTE_FORMAT_MARKDOWN, "md", "markdown", vx_note_render_markdown, 0, 1},
	{VX_NOTE_FORMAT_HTML, "html", NULL, vx_note_render_html, 0, 1},
	{VX_NOTE_FORMAT_JSON, "json", NULL, vx_note_render_json, 1, 1},
	{VX_NOTE_FORMAT_ASSIGNMENTS, "assignments", NULL, vx_note_render_assignments, 0, 0},
};

#define N_FORMATS (sizeof formats / sizeof formats[0])
_Static_assert(N_FORMATS == VX_NOTE_FORMAT_COUNT, "one line of formats[] per vx_note_format");

/* Longest part of a user's value repeated in a message. */
#define SHOWN_VALUE_MAX 64

static const struct format_def *find(vx_note_format f)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (formats[i].format == f)
			return &formats[i];
	return NULL;
}

static const struct format_def *find_name(const char *name, size_t len)
{
	for (size_t i = 0; i < N_FORMATS; i++) {
		const struct format_def *d = &formats[i];
		if (!d->by_name)
			continue;
		if ((strlen(d->name) == len && memcmp(d->name, name, len) == 0) ||
		    (d->alias != NULL && strlen(d->alias) == len && memcmp(d->alias, name, len) == 0))
			return d;
	}
	return NULL;
}

/* VX_EINVAL with the message "what « shown » (md, html ou json)", the
 * names prefixed with dot ("." for extensions). */
static int list_error(const char *dot, const char *what, const char *shown)
{
	vx_buf b = VX_BUF_INIT;
	int rc = 0;
	size_t listed = 0, written = 0;
	for (size_t i = 0; i < N_FORMATS; i++)
		listed += formats[i].by_name != 0;
	for (size_t i = 0; i < N_FORMATS && rc == 0; i++) {
		if (!formats[i].by_name)
			continue;
		if (written > 0)
			rc = vx_buf_puts(&b, written + 1 == listed ? " ou " : ", ");
		if (rc == 0)
			rc = vx_buf_printf(&b, "%s%s", dot, formats[i].name);
		written++;
	}
	if (rc != 0) {
		vx_buf_free(&b);
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	if (shown != NULL)
		rc = vx_error_set(VX_EINVAL, "%s « %.*s » (%s)", what, SHOWN_VALUE_MAX, shown, b.data);
	else
		rc = vx_error_set(VX_EINVAL, "%s (%s)", what, b.data);
	vx_buf_free(&b);
	return rc;
}

int vx_note_format_from_name(vx_note_format *out, const char *name)
{
	const struct format_def *d = name != NULL ? find_name(name, strlen(name)) : NULL;
	if (d == NULL)
		return list_error("", "format inconnu", name != NULL ? name : "");
	*out = d->format;
	return 0;
}

int vx_note_format_from_path(vx_note_format *out, const char *path)
{
	const char *base = path != NULL ? strrchr(path, '/') : NULL;
	base = base != NULL ? base + 1 : path;
	const char *dot = base != NULL ? strrchr(base, '.') : NULL;
	const struct format_def *d = dot != NULL ? find_name(dot + 1, strlen(dot + 1)) : NULL;
	if (d == NULL)
		return list_error(".", "extension de sortie inconnue", NULL);
	*out = d->format;
	return 0;
}

const char *vx_note_format_name(vx_note_format f)
{
	const struct format_def *d = find(f);
	return d != NULL ? d->name : NULL;
}

int vx_note_render(char **out, size_t *len, const vx_note *n, const vx_note_render_options *opts)
{
	vx_note_render_options defaults = VX_NOTE_RENDER_OPTIONS_INIT;
	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (opts == NULL)
		opts = &defaults;
	if (out == NULL || n == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render: out and note must not be NULL");
	if (opts->version == 0 || opts->version > VX_NOTE_RENDER_OPTIONS_VERSION)
		return vx_error_set(VX_EINVAL, "vx_note_render: options version %u is not known to this voix",
		                    opts->version);
	const struct format_def *d = find(opts->format);
	if (d == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render: no format %d", (int)opts->format);
	if (d->run_always || opts->timings)
		return d->render(out, len, n);
	/* Without timings, the document shows no run figure: a shallow copy of
	 * the note without them, so that the caller's note is left as it is. */
	vx_note quiet = *n;
	quiet.seconds = 0;
	quiet.peak_rss_kb = 0;
	return d->render(out, len, &quiet);
}

int vx_note_render_file(const char *path, const vx_note *n, const vx_note_render_options *opts)
{
	if (path == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_render_file: no path");
	char *text = NULL;
	size_t len = 0;
	int rc = vx_note_render(&text, &len, n, opts);
	if (rc == 0)
		rc = vx_file_write(path, text, len);
	free(text);
	return rc;
}
