/*
 * The options of a note, checked in one place: their names as front ends
 * give them, their bounds (include/voix/note.h) and the French messages
 * that say what is expected. vx_note_build() and the command line both use
 * what is here, so a bound and its message exist once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/fold.h"
#include "voix/error.h"
#include "voix/note.h"
#include "voix/util.h"

/* Longest part of a user's value repeated in a message. */
#define SHOWN_VALUE_MAX 64

typedef enum option_kind {
	OPTION_COUNT, /* size_t in [1, max] */
	OPTION_TEXT,  /* const char *, any text */
	OPTION_DATE,  /* const char *, "YYYY-MM-DD" */
	OPTION_FLAG,  /* int, 0 or 1 */
	OPTION_CHOICE,/* int, the index of the value in choices */
	OPTION_FEELING,     /* const char *, a name vx_feeling_from_name() reads */
	OPTION_DEPARTMENTS, /* const char *, departments separated by commas, none empty */
} option_kind;

/* The values of --feelings and of the JSON note's feelings_source.mode, in
 * the order of vx_feeling_source: the one list of their names. */
static const char *const feeling_sources[] = {"auto", "export", "text", NULL};

const char *vx_feeling_source_name(int source)
{
	return source >= 0 && source <= VX_FEELINGS_TEXT ? feeling_sources[source] : NULL;
}

int vx_feeling_source_parse(int *source, const char *name)
{
	for (int i = 0; name && feeling_sources[i]; i++)
		if (strcmp(feeling_sources[i], name) == 0) {
			*source = i;
			return 0;
		}
	return VX_ENOTFOUND;
}

static const struct option_def {
	const char *name; /* without the dashes of the command line */
	option_kind kind;
	size_t offset;    /* of the field in vx_note_options */
	size_t max;       /* OPTION_COUNT: the largest value */
	const char *const *choices; /* OPTION_CHOICE: the values, NULL-terminated */
} options[] = {
	{"topics", OPTION_COUNT, offsetof(vx_note_options, topics), VX_NOTE_MAX_TOPICS, NULL},
	{"axes", OPTION_COUNT, offsetof(vx_note_options, axes), VX_NOTE_MAX_AXES, NULL},
	{"terms", OPTION_COUNT, offsetof(vx_note_options, terms), VX_NOTE_MAX_TERMS, NULL},
	{"min-support", OPTION_COUNT, offsetof(vx_note_options, min_verbatim_support), VX_NOTE_MAX_MIN_SUPPORT, NULL},
	{"service", OPTION_TEXT, offsetof(vx_note_options, filter.service), 0, NULL},
	{"structure", OPTION_TEXT, offsetof(vx_note_options, filter.structure), 0, NULL},
	{"channel", OPTION_TEXT, offsetof(vx_note_options, filter.channel), 0, NULL},
	{"since", OPTION_DATE, offsetof(vx_note_options, filter.since), 0, NULL},
	{"until", OPTION_DATE, offsetof(vx_note_options, filter.until), 0, NULL},
	{"feeling", OPTION_FEELING, offsetof(vx_note_options, filter.feeling), 0, NULL},
	{"department", OPTION_DEPARTMENTS, offsetof(vx_note_options, filter.department), 0, NULL},
	{"codebook", OPTION_TEXT, offsetof(vx_note_options, codebook_path), 0, NULL},
	{"keep-institution-terms", OPTION_FLAG, offsetof(vx_note_options, keep_institution_terms), 0, NULL},
	{"feelings", OPTION_CHOICE, offsetof(vx_note_options, feelings), 0, feeling_sources},
	{"lexicon", OPTION_TEXT, offsetof(vx_note_options, lexicon_path), 0, NULL},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

static void *field(vx_note_options *o, const struct option_def *d)
{
	return (char *)o + d->offset;
}

static const void *cfield(const vx_note_options *o, const struct option_def *d)
{
	return (const char *)o + d->offset;
}

static int date_error(const struct option_def *d, const char *text)
{
	return vx_error_set(VX_EINVAL, "--%s attend une date AAAA-MM-JJ (reçu « %.*s »)", d->name, SHOWN_VALUE_MAX,
	                    text);
}

static int choice_error(const struct option_def *d, const char *text)
{
	char expected[64] = "";
	size_t used = 0;
	for (size_t i = 0; d->choices[i] && used < sizeof expected; i++)
		used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s", i ? ", " : "", d->choices[i]);
	if (text != NULL)
		return vx_error_set(VX_EINVAL, "--%s attend %s (reçu « %.*s »)", d->name, expected, SHOWN_VALUE_MAX,
		                    text);
	return vx_error_set(VX_EINVAL, "--%s attend %s", d->name, expected);
}

/* A date option that is set: "" and NULL are not. */
static int date_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* 0 when every comma-separated item of s has a character other than a
 * blank, else VX_EINVAL. */
static int departments_check(const char *s)
{
	const char *item;
	size_t len;
	for (const char *p = s; vx_label_list_next(&p, &item, &len);)
		if (len == 0)
			return VX_EINVAL;
	return 0;
}

/* 0 when text, an option of kind d->kind, is a value it takes ("" is
 * one: it sets no filter), else the French message's error. */
static int text_check(const struct option_def *d, const char *text)
{
	int64_t days;
	vx_feeling f;
	if (!date_set(text))
		return 0;
	if (d->kind == OPTION_DATE && vx_date_to_days(text, &days) != 0)
		return date_error(d, text);
	if (d->kind == OPTION_FEELING && vx_feeling_from_name(&f, text) != 0)
		return vx_error_set(VX_EINVAL, "--%s attend positif, neutre ou négatif (reçu « %.*s »)", d->name,
		                    SHOWN_VALUE_MAX, text);
	if (d->kind == OPTION_DEPARTMENTS && departments_check(text) != 0)
		return vx_error_set(VX_EINVAL,
		                    "--%s attend un département ou plusieurs séparés par des virgules, comme 75 ou "
		                    "75,92,93 (reçu « %.*s »)",
		                    d->name, SHOWN_VALUE_MAX, text);
	return 0;
}

int vx_note_options_check(const vx_note_options *o)
{
	if (o == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_options_check: no options");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_def *d = &options[i];
		if (d->kind == OPTION_COUNT) {
			int rc = vx_option_count_check(d->name, *(const size_t *)cfield(o, d), 1, d->max);
			if (rc)
				return rc;
		} else if (d->kind == OPTION_CHOICE) {
			int v = *(const int *)cfield(o, d);
			size_t n = 0;
			while (d->choices[n])
				n++;
			if (v < 0 || (size_t)v >= n)
				return choice_error(d, NULL);
		} else if (d->kind != OPTION_FLAG) {
			int rc = text_check(d, *(const char *const *)cfield(o, d));
			if (rc)
				return rc;
		}
	}
	int64_t since, until;
	if (date_set(o->filter.since) && date_set(o->filter.until) && vx_date_to_days(o->filter.since, &since) == 0 &&
	    vx_date_to_days(o->filter.until, &until) == 0 && since > until)
		return vx_error_set(VX_EINVAL, "--since est postérieur à --until (%.*s après %.*s)", SHOWN_VALUE_MAX,
		                    o->filter.since, SHOWN_VALUE_MAX, o->filter.until);
	return 0;
}

const char *vx_note_option_name(size_t i, int *has_value)
{
	if (i >= N_OPTIONS)
		return NULL;
	if (has_value)
		*has_value = options[i].kind != OPTION_FLAG;
	return options[i].name;
}

int vx_note_options_set(vx_note_options *o, const char *name, const char *value)
{
	if (o == NULL || name == NULL)
		return vx_error_set(VX_EINVAL, "vx_note_options_set: no options or no name");
	const struct option_def *d = NULL;
	for (size_t i = 0; i < N_OPTIONS && d == NULL; i++)
		if (strcmp(options[i].name, name) == 0)
			d = &options[i];
	if (d == NULL)
		return vx_error_set(VX_ENOTFOUND, "aucune option de note ne s'appelle « %.*s »", SHOWN_VALUE_MAX, name);
	if (d->kind == OPTION_FLAG) {
		int on = value == NULL || strcmp(value, "1") == 0;
		if (!on && strcmp(value, "0") != 0)
			return vx_error_set(VX_EINVAL, "--%s attend 1 ou 0 (reçu « %.*s »)", d->name, SHOWN_VALUE_MAX,
			                    value);
		*(int *)field(o, d) = on;
		return 0;
	}
	if (value == NULL)
		return vx_error_set(VX_EINVAL, "--%s attend une valeur", d->name);
	if (d->kind == OPTION_CHOICE) {
		for (size_t i = 0; d->choices[i]; i++)
			if (strcmp(d->choices[i], value) == 0) {
				*(int *)field(o, d) = (int)i;
				return 0;
			}
		return choice_error(d, value);
	}
	if (d->kind == OPTION_COUNT)
		return vx_option_count((size_t *)field(o, d), d->name, value, 1, d->max);
	int rc = text_check(d, value);
	if (rc)
		return rc;
	*(const char **)field(o, d) = value;
	return 0;
}
