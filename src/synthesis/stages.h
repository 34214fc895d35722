/*
 * The stages of vx_note_build() and what they share. note.c runs them in
 * order on one vx_note_run; each stage reads what the earlier ones filled
 * and fills its own part, as its contract comment says:
 *
 *   select.c     selection, exclusions, period; the trend windows
 *   matrix.c     codebook themes, feelings, document-term matrix,
 *                near-duplicates, administration terms, TF-IDF weights
 *   topics.c     the topic models (codebook themes and emergent topics) and
 *                the main topics shown
 *   strengths.c  the strengths: the same on the positive experiences
 *   axes.c       the improvement axes
 *   method.c     the method steps, limits and parameters, worded from the
 *                constants below and those of the model stage, so that what
 *                the note says is what the code does
 *
 * Every constant of the model that the method section names is here.
 */
#ifndef VX_SYNTHESIS_STAGES_H
#define VX_SYNTHESIS_STAGES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "model/facets.h"
#include "model/feeling.h"
#include "model/themes.h"
#include "synthesis/codebook.h"
#include "synthesis/note_internal.h"
#include "voix/feeling.h"
#include "voix/note.h"

#define NMF_SEED 20241201u        /* fixed: the start of the subspace iteration */
#define NMF_ITERATIONS 15        /* per fit: 15, 20 and 30 gave the same quality figures (docs/model.md) */
#define NMF_TRANSFORM_PASSES 8
#define FIT_SAMPLE 5000           /* documents each fit sees (spread over the corpus) */
#define CONSENSUS_RUNS 5          /* fits on different samples; topics most of them find are kept */
#define CONSENSUS_MIN_RUNS 4
#define CONSENSUS_MIN_SIMILARITY 0.5 /* mean cosine of the term vectors grouped as one topic */
#define REFIT_PASSES 2            /* term weights re-estimated from every document (docs/model.md) */
#define REFIT_SAMPLE 100000       /* ... or from this many, evenly spread, beyond */
#define EXTRA_TOPICS 2            /* topics fitted beyond those shown, so small or mixed ones drop out */
#define FIT_MAX_WORDS 60          /* emergent topics are fitted on texts of at most this many content words */
#define FIT_SHORT_MIN_SHARE 0.5   /* ... when they are at least half of the texts */
#define EMERGENT_WORDS_PER_EXPRESSION 80 /* a text in a complaint theme with more content words than this per
                                   * expression found also joins the emergent topics: with 40 the Pôle emploi
                                   * reviews' « prendre rdv » grew over « Service injoignable » */
#define REFERRAL_MAX_WORDS 12     /* a text this short that points to a document says nothing itself */
#define EMERGENT_TOPICS 10       /* topics fitted at least in what no theme covers: with 6, one of them
                                   * gathered a sixth of the Services Publics+ sample under a vague label */
#define MEMBER_RELATIVE 0.5       /* a document belongs to topics within half of its strongest weight */
#define MEMBER_ABSOLUTE 0.10      /* ... and with a weight of at least this (H rows of unit norm): with
                                   * 0.04 every text no theme holds joined an emergent topic, which then
                                   * outnumbered themes stated by explicit expressions */
#define MIN_TOPIC_DOCS 3          /* a topic needs at least this many documents to be shown */
#define MAX_STRENGTHS 3
#define MIN_POSITIVE_DOCS 20      /* below this, no strengths model */
#define MAX_FACETS 5
#define MAX_VERBATIMS 3
#define MIN_TREND_DAYS 14         /* a period shorter than this gives no trend */
#define CONTEXT_MIN_SHARE 0.20    /* below this share of experiences about a service, no axes and no service themes (see context_words) */
#define METHOD_PARAMS_MAX 20       /* room for the method's parameters (16 today) */
#define FEW_AXES 4                /* fewer axes than this (and than asked) are said to be few */
#define MAX_DF_SHARE 0.5          /* a term in more than this share of the experiences says nothing of any */
/* A term is kept when at least this many experiences hold it: 2 below
 * DF_SMALL_CORPUS experiences, 3 below DF_MEDIUM_CORPUS, 5 beyond. */
#define DF_SMALL_CORPUS 2000
#define DF_MEDIUM_CORPUS 20000

/* A growable list of strings in the note's storage. */
typedef struct vx_str_list {
	const char **items;
	size_t n, cap;
} vx_str_list;

/* A period: inclusive days; from > to when empty. */
typedef struct vx_window {
	int64_t from, to;
} vx_window;

/* The strengths' themed model on its own thread, beside the main one. */
typedef struct vx_themed_job {
	vx_topic_model *tm;
	vx_build *b;
	const uint32_t *universe, *residual;
	size_t n_universe, n_residual, k;
	int rc;
	char error[256];
} vx_themed_job;

/* One build: the options, the shared state of the synthesis (b) and what
 * one stage leaves to the next. vx_note_build() frees it all. */
typedef struct vx_note_run {
	vx_note_options opt;
	vx_build b;
	vx_note *note;
	int64_t since_days, until_days; /* the date filters, INT64_MIN / INT64_MAX when unset */
	/* select */
	size_t n, rejected;             /* experiences of the corpus, rows rejected when read */
	int64_t first, last;            /* first and last date of the selection (INT64_MAX, INT64_MIN: none) */
	vx_window prev, cur;            /* the trend windows */
	int has_trend;
	size_t prev_den, cur_den;       /* distinct experiences of each window */
	/* matrix */
	vx_codebook cb;
	char *cb_text;
	vx_themes *themes;
	vx_lexicon *lexicon;
	vx_feeling_reading *readings;
	unsigned char *drop;
	uint32_t min_df;
	size_t terms_before;            /* terms before the administration's were dropped */
	vx_facet_report fr;
	double context_share;           /* of distinct experiences about a public service */
	size_t unique_cur, unique_pos;  /* distinct analysed experiences, and positive ones */
	/* topics */
	vx_topic_model tm, sm;          /* the main topics' model, the strengths' */
	uint32_t *fit, *proj, *pos_rows, *resid, *resid_fit;
	size_t *order, order_cap;       /* topics shown (order), strengths (order + order_cap) */
	size_t n_fit, n_proj, n_pos, referrals, n_resid, n_resid_fit, n_resid_pos, n_shown;
	vx_themed_job sjob;
	pthread_t sthread;
	int sstarted;                   /* the strengths' thread runs: join before freeing */
	/* what the note says */
	vx_str_list steps, limits, messages;
} vx_note_run;

/* 1 when too few distinct experiences are about a public service
 * (context_share, known after vx_stage_duplicates): the service themes are
 * not applied and no axis is proposed (rule 0 of docs/codebook.md). */
static inline int vx_run_off_public_service(const vx_note_run *r)
{
	return r->context_share < CONTEXT_MIN_SHARE;
}

/* printf into the note's storage, numbers written the French way; NULL on
 * out of memory (which vx_build_list_add turns into VX_ENOMEM). */
const char *vx_build_fmt(vx_build *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* Appends s (NULL: VX_ENOMEM) to l, in the note's storage. */
int vx_build_list_add(vx_build *b, vx_str_list *l, const char *s);

/* ---- select.c ---- */

/* Copies the sources into the note; selects the analysed experiences
 * (filters, non-blank text) into b.docs and b.day, b.n_cur of them, and
 * counts the exclusions; sets the period; chooses the trend windows (the
 * previous window of equal length when dates are filtered, whose
 * experiences are appended to b.docs after the selection; otherwise the
 * two halves). VX_EEMPTY when nothing is left to analyse, VX_ENOMEM. */
int vx_stage_select(vx_note_run *r);

/* After the near-duplicates (b.rep): marks each row's trend window (b.win)
 * counting each distinct experience once per window, keeps the trend only
 * when both windows hold some, and writes the windows' dates to the note. */
int vx_stage_trends(vx_note_run *r);

/* ---- matrix.c ---- */

/* Parses the codebook (the option's file or the built-in one) and compiles
 * its themes; loads the lexicon (it reads the feelings unless only the
 * export's count, and the verbatims look for its cues: b.themes,
 * b.quote_lexicon). Errors: the codebook's and the lexicon's (file, line). */
int vx_stage_codebook(vx_note_run *r);

/* Builds the document-term matrix of the rows of b.docs, finding the
 * themes (b.theme_hits) and reading the feelings in the same pass; sets
 * the feeling each row counts with (b.feel, b.feel_read, b.feel_model) and
 * the note's feeling totals. */
int vx_stage_matrix(vx_note_run *r);

/* Near-duplicate groups (b.rep, b.copies; the note's duplicates) on a
 * thread while the terms that name the administration are flagged; the
 * public-service share; then those terms leave the matrix. Counts the
 * distinct analysed experiences (unique_cur, and positive: unique_pos). */
int vx_stage_duplicates(vx_note_run *r);

/* TF-IDF weights of the matrix and the map of term keys. */
int vx_stage_weights(vx_note_run *r);

/* ---- topics.c ---- */

/* Frees what a topic model owns and zeroes it. NULL-safe fields. */
void vx_topic_model_free(vx_topic_model *tm);

/* Orders the topics of tm by documents of the selection (then index),
 * keeps those with at least MIN_TOPIC_DOCS, writes their indices to order
 * and returns how many, at most max. */
size_t vx_topics_rank(size_t *order, const vx_topic_model *tm, const vx_build *b, size_t max);

/* Fills t with topic j of tm: counts over the analysed distinct documents
 * (denominator), feelings, facets, trend, key terms, label, verbatims. */
int vx_topic_fill(vx_topic *t, vx_build *b, const vx_topic_model *tm, size_t j, int id, size_t denominator,
                  int has_trend, size_t prev_den, size_t cur_den);

/* The rows each model sees: the distinct experiences (proj), those of the
 * selection with words (fit), the positive ones (pos_rows), and of them
 * those no theme covers (resid, resid_fit, and the strengths' after
 * resid); counts the referrals. Starts the strengths' model on its own
 * thread when there are MIN_POSITIVE_DOCS positive experiences; fits the
 * main model (codebook complaint themes, then emergent topics) and ranks
 * its topics (order, n_shown), with a message when fewer than asked. */
int vx_stage_topic_model(vx_note_run *r);

/* The main topics shown in the note, and the share of the distinct
 * experiences they cover. */
int vx_stage_topics(vx_note_run *r);

/* ---- strengths.c ---- */

/* Waits for the strengths' model and fills the note's strengths, or says
 * why there are none. */
int vx_stage_strengths(vx_note_run *r);

/* ---- axes.c ---- */

/* The improvement axes from the codebook's levers, when enough distinct
 * experiences are about a public service (CONTEXT_MIN_SHARE), with a
 * message when there are none or few. */
int vx_stage_axes(vx_note_run *r);

/* ---- method.c ---- */

/* The method steps, the limits, the messages and the parameters of the
 * note, every number taken from what the stages did and from the
 * constants they used. */
int vx_stage_method(vx_note_run *r);

#endif
