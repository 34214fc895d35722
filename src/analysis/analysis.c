/*
 * The analysis (include/voix/analysis.h): sources -> corpus -> note, and the
 * run figures measured once. vx_note_build() times its own steps and the
 * peak memory; the reading and loading of the sources are timed here, put
 * first among the steps and added to the total.
 */
#include "voix/analysis.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "voix/error.h"

/* The strings of vx_note_options, which the analysis keeps copies of. */
enum owned_string {
	OWN_SERVICE,
	OWN_STRUCTURE,
	OWN_CHANNEL,
	OWN_SINCE,
	OWN_UNTIL,
	OWN_FEELING,
	OWN_DEPARTMENT,
	OWN_CODEBOOK,
	OWN_COUNT
};

struct vx_analysis {
	vx_corpus *corpus;
	vx_note_options opt;      /* its strings point into owned[] */
	char *owned[OWN_COUNT];
	double reading_seconds;   /* spent in vx_analysis_add_file */
	double loading_seconds;   /* spent in vx_analysis_add_store */
	int has_files, has_store;
};

int vx_analysis_new(vx_analysis **out, const vx_note_options *opts)
{
	if (out == NULL)
		return vx_error_set(VX_EINVAL, "vx_analysis_new: out must not be NULL");
	*out = NULL;
	vx_analysis *a = calloc(1, sizeof *a);
	if (a == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	vx_note_options_init(&a->opt);
	int rc = vx_corpus_new(&a->corpus);
	if (rc == 0 && opts != NULL)
		rc = vx_analysis_set_options(a, opts);
	if (rc != 0) {
		vx_analysis_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void vx_analysis_free(vx_analysis *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < OWN_COUNT; i++)
		free(a->owned[i]);
	vx_corpus_free(a->corpus);
	free(a);
}

/* A malloc'ed copy of s in *copy (NULL for NULL); 0 or VX_ENOMEM. */
static int copy_string(char **copy, const char *s)
{
	*copy = NULL;
	if (s == NULL)
		return 0;
	size_t len = strlen(s) + 1;
	if ((*copy = malloc(len)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	memcpy(*copy, s, len);
	return 0;
}

int vx_analysis_set_options(vx_analysis *a, const vx_note_options *opts)
{
	if (a == NULL || opts == NULL)
		return vx_error_set(VX_EINVAL, "vx_analysis_set_options: analysis and options must not be NULL");
	if (opts->version == 0 || opts->version > VX_NOTE_OPTIONS_VERSION)
		return vx_error_set(VX_EINVAL,
		                    "vx_analysis_set_options: note options version %u is not known to this voix",
		                    opts->version);
	int rc = vx_note_options_check(opts);
	if (rc != 0)
		return rc;
	const char *from[OWN_COUNT] = {opts->filter.service,   opts->filter.structure, opts->filter.channel,
	                               opts->filter.since,     opts->filter.until,     opts->filter.feeling,
	                               opts->filter.department, opts->codebook_path};
	char *copies[OWN_COUNT] = {NULL};
	for (size_t i = 0; i < OWN_COUNT && rc == 0; i++)
		rc = copy_string(&copies[i], from[i]);
	if (rc != 0) {
		for (size_t i = 0; i < OWN_COUNT; i++)
			free(copies[i]);
		return rc;
	}
	for (size_t i = 0; i < OWN_COUNT; i++) {
		free(a->owned[i]);
		a->owned[i] = copies[i];
	}
	a->opt = *opts;
	a->opt.filter.service = a->owned[OWN_SERVICE];
	a->opt.filter.structure = a->owned[OWN_STRUCTURE];
	a->opt.filter.channel = a->owned[OWN_CHANNEL];
	a->opt.filter.since = a->owned[OWN_SINCE];
	a->opt.filter.until = a->owned[OWN_UNTIL];
	a->opt.filter.feeling = a->owned[OWN_FEELING];
	a->opt.filter.department = a->owned[OWN_DEPARTMENT];
	a->opt.codebook_path = a->owned[OWN_CODEBOOK];
	return 0;
}

/* The reader's progress, passed on as stage "reading". */
static void reading_progress(size_t done, size_t total, void *payload)
{
	const vx_analysis *a = payload;
	a->opt.progress("reading", done, total, a->opt.payload);
}

int vx_analysis_add_file(vx_analysis *a, const char *path, const vx_read_options *opts)
{
	if (a == NULL || path == NULL)
		return vx_error_set(VX_EINVAL, "vx_analysis_add_file: analysis and path must not be NULL");
	vx_read_options ro = VX_READ_OPTIONS_INIT;
	if (opts != NULL)
		ro = *opts;
	if (ro.progress == NULL && a->opt.progress != NULL) {
		ro.progress = reading_progress;
		ro.payload = a;
	}
	double t0 = vx_clock_now();
	int rc = vx_reader_read_file(a->corpus, path, &ro);
	a->reading_seconds += vx_clock_now() - t0;
	a->has_files = 1;
	return rc;
}

int vx_analysis_add_store(vx_analysis *a, vx_store *store)
{
	if (a == NULL || store == NULL)
		return vx_error_set(VX_EINVAL, "vx_analysis_add_store: analysis and store must not be NULL");
	if (a->opt.progress != NULL)
		a->opt.progress("loading", 0, 1, a->opt.payload);
	double t0 = vx_clock_now();
	int rc = vx_store_load(store, a->corpus, NULL);
	a->loading_seconds += vx_clock_now() - t0;
	a->has_store = 1;
	if (rc == 0 && a->opt.progress != NULL)
		a->opt.progress("loading", 1, 1, a->opt.payload);
	return rc;
}

/* Puts a step before the steps of the build, when there is room. */
static void first_stage(vx_note *n, const char *name, double seconds)
{
	if (n->n_stages >= VX_NOTE_MAX_STAGES)
		return;
	memmove(n->stage_names + 1, n->stage_names, n->n_stages * sizeof n->stage_names[0]);
	memmove(n->stage_seconds + 1, n->stage_seconds, n->n_stages * sizeof n->stage_seconds[0]);
	n->stage_names[0] = name;
	n->stage_seconds[0] = seconds;
	n->n_stages++;
}

int vx_analysis_run(vx_note **out, vx_analysis *a)
{
	if (out == NULL || a == NULL)
		return vx_error_set(VX_EINVAL, "vx_analysis_run: out and analysis must not be NULL");
	*out = NULL;
	vx_note *note = NULL;
	int rc = vx_note_build(&note, a->corpus, &a->opt);
	if (rc != 0)
		return rc;
	/* The sources were read before the build: their steps come first. */
	if (a->has_store)
		first_stage(note, "loading", a->loading_seconds);
	if (a->has_files)
		first_stage(note, "reading", a->reading_seconds);
	note->seconds += a->reading_seconds + a->loading_seconds;
	*out = note;
	return 0;
}

const vx_corpus *vx_analysis_corpus(const vx_analysis *a)
{
	return a != NULL ? a->corpus : NULL;
}
