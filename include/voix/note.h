/*
 * The synthesis note: what voix exists for.
 *
 * vx_note_build() analyses a corpus and fills a vx_note: scope, strengths,
 * main topics with verbatims, improvement axes, method. Every string in a
 * vx_note that comes from users' text is already masked (personal data
 * replaced by placeholders); renderers only format and escape.
 * The structure is owned by the note and freed with vx_note_free().
 */
#ifndef VOIX_NOTE_H
#define VOIX_NOTE_H

#include <stddef.h>

#include "voix/corpus.h"
#include "voix/privacy.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Progress of a run, for a front end that shows it: stage is the name of a
 * step, as in the note's run.stages ("reading", "loading", "selection",
 * "matrix", "duplicates_terms", "weights", "topic_model", "topics",
 * "strengths", "axes"; docs/note-json.md), done and total how much of it is
 * done. Reading reports the bytes of the file being read; each step of
 * vx_note_build() is reported once, when it ends, with done == total == 1.
 * Called on the thread that runs the analysis; it must not call back into it.
 */
typedef void (*vx_note_progress_fn)(const char *stage, size_t done, size_t total, void *payload);

typedef struct vx_note_options {
	unsigned version;          /* VX_NOTE_OPTIONS_VERSION */
	size_t topics;             /* topics shown, default 4 */
	size_t axes;               /* maximum axes, default 5 */
	size_t min_verbatim_support;/* topics with fewer experiences get no verbatims, default 5 */
	vx_filter filter;
	const char *codebook_path; /* NULL: the built-in codebook of public-service levers */
	int keep_institution_terms;/* 1: do not remove the terms that name the administration
	                            * (for comparison; topics then tend to follow services) */
	size_t terms;              /* top terms listed per topic and strength, default 8, at most
	                            * VX_NOTE_MAX_TERMS */
	int memberships;           /* 1: fill vx_topic.members (for vx_note_render_assignments);
	                            * off by default: it costs one id copy per membership */
	vx_note_progress_fn progress; /* NULL: no progress reported */
	void *payload;             /* passed to progress */
	int feelings;              /* where feelings come from (vx_feeling_source), default
	                            * VX_FEELINGS_AUTO */
	const char *lexicon_path;  /* lexicon of feelings (voix/feeling.h); NULL: the built-in one */
} vx_note_options;

/* Where the feelings a note counts come from. */
typedef enum vx_feeling_source {
	VX_FEELINGS_AUTO = 0, /* the export's where it gives one, else read from the text */
	VX_FEELINGS_EXPORT,   /* the export's only ("inconnu" where it gives none) */
	VX_FEELINGS_TEXT      /* read from the text for every experience (to compare with the export) */
} vx_feeling_source;

/* The name of a source as options and the JSON note write it: "auto",
 * "export" or "text"; NULL for a value that is no source. */
const char *vx_feeling_source_name(int source);
/* The source named name (a name of vx_feeling_source_name()): 0, or
 * VX_ENOTFOUND (no message set: the caller says what it expected). */
int vx_feeling_source_parse(int *source, const char *name);

#define VX_NOTE_OPTIONS_VERSION 1
#define VX_NOTE_DEFAULT_TOPICS 4
#define VX_NOTE_DEFAULT_AXES 5
#define VX_NOTE_DEFAULT_MIN_SUPPORT 5
#define VX_NOTE_DEFAULT_TERMS 8
/* The bounds of the counts; the smallest value of each is 1. They are the
 * limits of the first versions of the command line (docs/cli.md): beyond
 * them a note is no longer a synthesis one can read. */
#define VX_NOTE_MAX_TOPICS 20
#define VX_NOTE_MAX_AXES 10
#define VX_NOTE_MAX_TERMS 50
#define VX_NOTE_MAX_MIN_SUPPORT 1000

/* Fills o with the defaults above (version set, no filter, built-in codebook). */
void vx_note_options_init(vx_note_options *o);

/*
 * Checks the options a note is built with: topics, axes, terms and
 * min_verbatim_support within their bounds, since and until valid dates
 * (YYYY-MM-DD) with since not after until. vx_note_build() checks the same.
 * Returns 0 or VX_EINVAL, with a French message for the user that names the
 * option as the command line does ("--topics doit être entre 1 et 20 (reçu
 * 50)").
 */
int vx_note_options_check(const vx_note_options *o);

/*
 * Sets one option of o from its text, as a front end receives it (a command
 * line, a query string). name is the option without its dashes: "topics",
 * "axes", "terms", "min-support" (whole numbers within the bounds above),
 * "service", "structure", "channel" (any text), "since", "until" (dates
 * YYYY-MM-DD), "feeling" (positif, neutre, négatif or negatif), "department"
 * (departments separated by commas, none blank), "codebook" (a path) and "keep-institution-terms" (a flag:
 * value NULL or "1" sets it, "0" clears it). o keeps pointers into value,
 * which must outlive it. Returns 0, VX_ENOTFOUND for a name that is not an
 * option (message in English, naming it), or VX_EINVAL for a bad value (the
 * French message of vx_note_options_check()); o is unchanged on error.
 */
int vx_note_options_set(vx_note_options *o, const char *name, const char *value);

/* The name of the i-th option vx_note_options_set() takes ("topics",
 * "since"...), NULL past the last; *has_value (may be NULL) is 0 for a
 * flag, which is set without a value. A front end lists its options from
 * here, so that a new note option needs no change to it. */
const char *vx_note_option_name(size_t i, int *has_value);

/* Counts of experiences per feeling (index: vx_feeling). */
typedef struct vx_feelings {
	size_t n[VX_FEELING_COUNT];
	size_t read[VX_FEELING_COUNT]; /* of n[f], those read from the text (voix/feeling.h) */
} vx_feelings;

/* A facet value and how many experiences of the topic carry it. */
typedef struct vx_facet_count {
	const char *value;
	size_t count;
} vx_facet_count;

typedef struct vx_verbatim {
	const char *experience_id;
	const char *field;       /* "text" or "title" */
	size_t start, end;       /* byte offsets into that field's stored text */
	const char *text;        /* the span, personal data masked */
	vx_feeling feeling;
	size_t copies;           /* near-duplicate copies of the experience (1 = unique) */
	int feeling_read;        /* 1 when the feeling was read from the text, not the export's */
} vx_verbatim;

/* One experience counted in a topic, with its weight in the topic (the
 * model's weight for an emergent topic, the number of the theme's
 * expressions found for a codebook theme). */
typedef struct vx_member {
	const char *experience_id;
	double weight;
} vx_member;

typedef struct vx_topic {
	int id;                  /* 1-based rank in its list */
	const char *label;       /* the theme's heading, or for an emergent topic the phrase users write most */
	const char *theme;       /* key of the codebook theme it is, NULL for an emergent topic
	                          * (found by the factorisation in what no theme covers) */
	const char **terms;      /* key terms in their most frequent surface form */
	size_t n_terms;
	size_t count;            /* experiences in the topic (near-duplicates counted once) */
	double share;            /* count / denominator */
	size_t denominator;      /* analysed experiences the share is computed on */
	vx_feelings feelings;
	vx_facet_count *channels; size_t n_channels;   /* most frequent first, at most 5 */
	vx_facet_count *services; size_t n_services;
	vx_facet_count *structures; size_t n_structures;
	size_t dims_negative[VX_DIM_COUNT];  /* experiences with that DITP dimension négatif */
	int has_trend;           /* 1 when both trend windows (see vx_note) have data */
	size_t previous_count;   /* experiences of the topic in the previous period */
	size_t previous_denominator;
	size_t current_count;    /* experiences of the topic in the current window */
	size_t current_denominator;
	vx_verbatim *verbatims; size_t n_verbatims;
	int verbatims_withheld;  /* 1 when count < min support: no verbatim shown */
	/* The distinct analysed experiences counted in count, in the order of the
	 * corpus (filled only with vx_note_options.memberships). */
	vx_member *members; size_t n_members;
} vx_topic;

typedef struct vx_axis {
	const char *lever;       /* codebook key, e.g. "joignabilite" */
	const char *title;       /* short French title */
	const char *text;        /* the concrete, actionable recommendation */
	int *topics; size_t n_topics;         /* ids of vx_note.topics it is tied to */
	vx_dimension *dimensions; size_t n_dimensions;
	size_t evidence_count;   /* negative experiences that support it */
	const char **experience_ids; size_t n_experience_ids;  /* examples, at most 5 */
	const char *rule;        /* the rule that selected it, in words */
	int dimensions_observed; /* 1: dimensions read from the export's DITP columns; 0: from the codebook */
	const char **signals; size_t n_signals; /* codebook words found in the evidence, most frequent first */
} vx_axis;

typedef struct vx_excluded {
	const char *reason;      /* "texte vide", "hors filtre", "doublon"... */
	size_t count;
} vx_excluded;

typedef struct vx_method_param {
	const char *name;
	const char *value;
} vx_method_param;

#define VX_NOTE_MAX_STAGES 12

typedef struct vx_note {
	/* Périmètre */
	const vx_source *sources; size_t n_sources;
	vx_filter filter;
	size_t read, analysed, duplicates;   /* duplicates: copies folded into others */
	vx_excluded *excluded; size_t n_excluded;
	vx_feelings feelings;
	int feeling_source;      /* vx_feeling_source of the options */
	/* Analysed experiences whose export gives a feeling and whose text was
	 * read too (VX_FEELINGS_AUTO and _TEXT), and of them those where both
	 * agree: how far the reading can be trusted on this corpus. */
	size_t feelings_checked, feelings_agreed;
	const char *period_from, *period_to; /* "" when no dates */
	/* The two windows compared for each topic's trend ("" when no trend):
	 * with --since/--until, the previous window of equal length and the
	 * selected one; otherwise the first and second halves of the period. */
	const char *trend_previous_from, *trend_previous_to;
	const char *trend_current_from, *trend_current_to;
	/* Points forts, topics, axes */
	vx_topic *strengths; size_t n_strengths;
	vx_topic *topics; size_t n_topics;
	vx_axis *axes; size_t n_axes;
	/* Méthode et limites */
	const char **steps; size_t n_steps;
	vx_method_param *params; size_t n_params;
	const char **limits; size_t n_limits;
	const char **messages; size_t n_messages; /* warnings for the reader (small corpus...) */
	const char *version;
	double coverage;         /* share of analysed experiences in at least one topic shown */
	vx_pii_counts masked;    /* items masked in what the note shows */
	/* run: the only part that differs between two identical runs */
	double seconds;
	long peak_rss_kb;
	/* Wall time of each step of the run, in order (reading, matrix...). */
	const char *stage_names[VX_NOTE_MAX_STAGES];
	double stage_seconds[VX_NOTE_MAX_STAGES];
	size_t n_stages;
	int has_members;         /* 1 when topics and strengths carry their members */
	void *storage;           /* owned by the note: do not touch */
} vx_note;

/*
 * Analyses the experiences of corpus that pass opts->filter and writes the
 * note to *out (caller frees with vx_note_free). The filter's feeling
 * applies to the feeling the note reports for an experience, which
 * opts->feelings decides: the export's (VX_FEELINGS_EXPORT, or AUTO where
 * the export gives one), else the one read from its title and text with
 * opts->lexicon_path, read while selecting so that an experience kept as
 * "négatif" is counted négatif by the note. The note's filter.feeling is
 * the feeling's key ("negatif", vx_feeling_key), its filter.department the
 * departments without the blanks around them ("75,92" for " 75 , 92"). Errors: VX_EEMPTY when no
 * experience with text remains (the message says why), VX_EINVAL for bad
 * options, VX_ENOMEM. A corpus too small for the requested number of topics
 * gives a smaller note with a message saying so.
 */
int vx_note_build(vx_note **out, const vx_corpus *corpus, const vx_note_options *opts);
void vx_note_free(vx_note *n);

/* The built-in codebook of improvement levers, as editable text
 * (the format --codebook reads; see docs/codebook.md). */
const char *vx_codebook_builtin_text(void);

/* Renderers: append the note to *out (malloc'ed, NUL-terminated, caller frees). */
int vx_note_render_markdown(char **out, size_t *len, const vx_note *n);
int vx_note_render_html(char **out, size_t *len, const vx_note *n);
int vx_note_render_json(char **out, size_t *len, const vx_note *n);
/* One CSV row per membership the note counts ("experience_id;kind;topic;
 * label;weight", kind "sujet" or "point_fort"), so that every count of the
 * note can be recomputed. Needs a note built with opts.memberships = 1
 * (VX_EINVAL otherwise). */
int vx_note_render_assignments(char **out, size_t *len, const vx_note *n);

#ifdef __cplusplus
}
#endif
#endif
