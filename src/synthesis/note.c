/*
 * Building the synthesis note: vx_note_build() runs the stages of
 * src/synthesis/stages.h in order (selection and trend windows, matrix,
 * topics, strengths, axes, method), timing each, and frees what they
 * leave. Every step is deterministic: the same corpus and options give the
 * same note. See docs/synthesis.md.
 */
#include "voix/note.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "synthesis/note_storage.h"
#include "synthesis/stages.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/fold.h"
#include "voix/error.h"

/* What a note owns besides its fields: the arena all its strings and arrays
 * live in, and, while vx_note_build() runs, the caller's progress callback. */
struct note_storage {
	vx_arena arena;
	vx_note_progress_fn progress;
	void *payload;
	const unsigned char *feeling_kept; /* in arena; NULL without a feeling filter */
	size_t feeling_rows;               /* experiences of the corpus feeling_kept covers */
};

void vx_note_set_feeling_kept(vx_note *n, const unsigned char *kept, size_t rows)
{
	struct note_storage *s = n->storage;
	s->feeling_kept = kept;
	s->feeling_rows = rows;
}

const unsigned char *vx_note_feeling_kept(const vx_note *n, size_t rows)
{
	const struct note_storage *s = n->storage;
	return s && s->feeling_kept && s->feeling_rows == rows ? s->feeling_kept : NULL;
}

void vx_note_options_init(vx_note_options *o)
{
	memset(o, 0, sizeof *o);
	o->version = VX_NOTE_OPTIONS_VERSION;
	o->topics = VX_NOTE_DEFAULT_TOPICS;
	o->axes = VX_NOTE_DEFAULT_AXES;
	o->min_verbatim_support = VX_NOTE_DEFAULT_MIN_SUPPORT;
	o->terms = VX_NOTE_DEFAULT_TERMS;
}

void vx_note_free(vx_note *n)
{
	if (n == NULL)
		return;
	struct note_storage *s = n->storage;
	if (s) {
		vx_arena_free(&s->arena);
		free(s);
	}
	free(n);
}

int vx_note_new_empty(vx_note **out, vx_arena **arena)
{
	vx_note *note = calloc(1, sizeof *note);
	struct note_storage *storage = calloc(1, sizeof *storage);
	if (note == NULL || storage == NULL) {
		free(note);
		free(storage);
		return vx_error_set(VX_ENOMEM, "out of memory");
	}
	vx_arena_init(&storage->arena, 1 << 16);
	note->storage = storage;
	*out = note;
	*arena = &storage->arena;
	return 0;
}

/* Records the wall time since *last as the step name, reports the step's
 * end to the caller's progress callback, and restarts *last. */
static void stage(vx_note *note, const char *name, double *last)
{
	double t = vx_clock_now();
	if (note->n_stages < VX_NOTE_MAX_STAGES) {
		note->stage_names[note->n_stages] = name;
		note->stage_seconds[note->n_stages] = t - *last;
		note->n_stages++;
	}
	struct note_storage *s = note->storage;
	if (s->progress != NULL)
		s->progress(name, 1, 1, s->payload);
	*last = t;
}

void vx_fr_decimals(char *s)
{
	for (size_t i = 1; s[i] != '\0'; i++)
		if (s[i] == '.' && s[i - 1] >= '0' && s[i - 1] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9')
			s[i] = ',';
}

/* printf into the note's storage, numbers written the French way. */
const char *vx_build_fmt(vx_build *b, const char *f, ...)
{
	vx_buf buf = VX_BUF_INIT;
	va_list ap;
	va_start(ap, f);
	int rc = vx_buf_vprintf(&buf, f, ap);
	va_end(ap);
	char *out = rc ? NULL : vx_arena_strndup(b->arena, buf.data ? buf.data : "", buf.len);
	vx_buf_free(&buf);
	if (out)
		vx_fr_decimals(out);
	return out;
}

int vx_build_list_add(vx_build *b, vx_str_list *l, const char *s)
{
	if (s == NULL)
		return VX_ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const char **p = vx_arena_alloc(b->arena, cap * sizeof *p);
		if (p == NULL)
			return VX_ENOMEM;
		if (l->n)
			memcpy(p, l->items, l->n * sizeof *p);
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = s;
	return 0;
}

/* Frees what the stages left in r (the note itself aside). */
static void run_free(vx_note_run *r)
{
	vx_build *b = &r->b;
	if (r->sstarted)
		pthread_join(r->sthread, NULL);
	vx_topic_model_free(&r->tm);
	vx_topic_model_free(&r->sm);
	vx_verbatims_free(b);
	vx_themes_free(r->themes);
	vx_lexicon_free(r->lexicon);
	free(r->readings);
	free(b->feel);
	free(b->feel_read);
	free(b->feel_model);
	free(b->theme_hits);
	free(b->theme_lever);
	free(b->lever_theme);
	free(r->resid);
	free(r->resid_fit);
	vx_codebook_free(&r->cb);
	free(r->cb_text);
	free(r->fit);
	free(r->proj);
	free(r->pos_rows);
	free(r->order);
	free(r->drop);
	free(b->docs);
	free(b->day);
	free(b->rep);
	free(b->copies);
	free(b->win);
	vx_dtm_free(&b->m);
	vx_strmap_free(&b->term_map);
	vx_units_free(&b->units);
	vx_text_free(b->text);
	vx_masker_free(b->masker);
}

/* A copy of the department filter s in arena, as the note records it:
 * each department without the blanks around it, "," between them ("75,92"
 * for " 75 , 92"); NULL for NULL and on out of memory. */
static const char *departments_copy(vx_arena *arena, const char *s)
{
	char *out = s ? vx_arena_alloc(arena, strlen(s) + 1) : NULL;
	if (out == NULL)
		return NULL;
	size_t n = 0, len;
	const char *item;
	for (const char *p = s; vx_label_list_next(&p, &item, &len);) {
		memcpy(out + n, item, len);
		n += len;
		if (p != NULL)
			out[n++] = ',';
	}
	out[n] = '\0';
	return out;
}

/* The stages in order, each with the name its time is recorded under
 * (NULL: timed with the next one). */
static const struct {
	int (*run)(vx_note_run *r);
	const char *name;
} stages[] = {
	{vx_stage_select, NULL},
	{vx_stage_codebook, "selection"},
	{vx_stage_matrix, "matrix"},
	{vx_stage_duplicates, NULL},
	{vx_stage_trends, "duplicates_terms"},
	{vx_stage_weights, "weights"},
	{vx_stage_topic_model, "topic_model"},
	{vx_stage_topics, "topics"},
	{vx_stage_strengths, "strengths"},
	{vx_stage_axes, "axes"},
	{vx_stage_method, NULL},
};

int vx_note_build(vx_note **out, const vx_corpus *corpus, const vx_note_options *opts)
{
	int rc = 0;
	double t0 = vx_clock_now(), t_stage = t0;
	vx_note_run *r = calloc(1, sizeof *r);
	if (r == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	if (opts)
		r->opt = *opts;
	else
		vx_note_options_init(&r->opt);
	const vx_note_options *opt = &r->opt;
	if ((rc = vx_note_options_check(opt)) != 0) {
		free(r);
		return rc;
	}
	/* Both valid when set: vx_note_options_check() said so. */
	r->since_days = INT64_MIN;
	r->until_days = INT64_MAX;
	if (opt->filter.since && *opt->filter.since)
		vx_date_to_days(opt->filter.since, &r->since_days);
	if (opt->filter.until && *opt->filter.until)
		vx_date_to_days(opt->filter.until, &r->until_days);

	vx_note *note = NULL;
	vx_arena *arena = NULL;
	if ((rc = vx_note_new_empty(&note, &arena)) != 0) {
		free(r);
		return rc;
	}
	vx_build *b = &r->b;
	struct note_storage *storage = note->storage;
	storage->progress = opt->progress;
	storage->payload = opt->payload;
	r->note = note;
	b->corpus = corpus;
	b->opt = opt;
	b->note = note;
	b->arena = arena;
	vx_strmap_init(&b->term_map);
	if ((rc = vx_text_new(&b->text)) != 0 || (rc = vx_masker_new(&b->masker)) != 0)
		goto done;
	note->version = VX_VERSION;
	note->filter = opt->filter;
	note->has_members = opt->memberships != 0;
	note->filter.service = opt->filter.service ? vx_arena_strdup(b->arena, opt->filter.service) : NULL;
	note->filter.structure = opt->filter.structure ? vx_arena_strdup(b->arena, opt->filter.structure) : NULL;
	note->filter.channel = opt->filter.channel ? vx_arena_strdup(b->arena, opt->filter.channel) : NULL;
	note->filter.since = opt->filter.since ? vx_arena_strdup(b->arena, opt->filter.since) : NULL;
	note->filter.until = opt->filter.until ? vx_arena_strdup(b->arena, opt->filter.until) : NULL;
	note->filter.department = departments_copy(b->arena, opt->filter.department);
	/* The feeling by its key, whichever way it was written. */
	vx_feeling want;
	note->filter.feeling = vx_feeling_from_name(&want, opt->filter.feeling) == 0 ? vx_feeling_key(want) : NULL;
	for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
		if ((rc = stages[s].run(r)) != 0)
			goto done;
		if (stages[s].name)
			stage(note, stages[s].name, &t_stage);
	}
	/* Names and ids are shown too: masked like the texts. */
	if ((rc = vx_note_mask_fields(b)) != 0)
		goto done;
	note->seconds = vx_clock_now() - t0;
	note->peak_rss_kb = vx_clock_peak_rss_kb();
done:
	run_free(r);
	free(r);
	if (rc) {
		vx_note_free(note);
		return rc;
	}
	*out = note;
	return 0;
}
