/*
 * From the selected experiences to the weighted matrix the models read
 * (stage 3 of vx_note_build, src/synthesis/stages.h): the codebook's themes
 * and the feelings found in the same pass as the document-term matrix, the
 * near-duplicates, the terms that name the administration rather than the
 * experience, the public-service share, TF-IDF weights.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dedup.h"
#include "synthesis/stages.h"
#include "synthesis/units.h"
#include "util/error.h"
#include "util/file.h"
#include "voix/error.h"

/* Longest codebook file read. */
#define CODEBOOK_MAX_BYTES (1 << 20)

/*
 * Compiles the expressions of the codebook's themes: theme t is the t-th
 * lever with expressions. Errors name the codebook and the line.
 */
static int compile_themes(vx_themes **out, vx_build *b, const vx_codebook *cb, const char *name)
{
	int rc = 0;
	vx_themes *th = NULL;
	b->theme_lever = malloc((cb->n ? cb->n : 1) * sizeof *b->theme_lever);
	b->lever_theme = malloc((cb->n ? cb->n : 1) * sizeof *b->lever_theme);
	if (!b->theme_lever || !b->lever_theme || (rc = vx_themes_new(&th)) != 0) {
		rc = rc ? rc : vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cb->n; i++) {
		const vx_lever *l = &cb->levers[i];
		b->lever_theme[i] = -1;
		if (l->n_exprs == 0)
			continue;
		if (b->n_themes == VX_THEMES_MAX) {
			rc = vx_error_set(VX_EFORMAT, "%s:%zu: au plus %d thèmes avec des expressions", name, l->line,
			                  VX_THEMES_MAX);
			goto done;
		}
		for (size_t e = 0; e < l->n_exprs; e++)
			if ((rc = vx_themes_add(th, b->n_themes, l->exprs[e].text, strlen(l->exprs[e].text),
			                        l->kind == VX_THEME_PRAISE,
			                        b->text)) != 0) {
				rc = vx_error_prefix(rc, "%s:%zu: [%s] ", name, l->exprs[e].line, l->key);
				goto done;
			}
		b->theme_lever[b->n_themes] = (int)i;
		b->lever_theme[i] = (int)b->n_themes;
		b->n_themes++;
	}
done:
	if (rc)
		vx_themes_free(th);
	else
		*out = th;
	return rc;
}

/* Near-duplicate detection on its own thread. */
typedef struct dedup_job {
	uint32_t *rep;
	const vx_dtm *m;
	const vx_corpus *corpus;
	const size_t *docs;
	int rc;
	char error[256];
} dedup_job;

static void *run_dedup_job(void *arg)
{
	dedup_job *job = arg;
	job->rc = vx_dedup_groups(job->rep, job->m, job->corpus, job->docs);
	if (job->rc)
		snprintf(job->error, sizeof job->error, "%s", vx_error_last());
	return NULL;
}

/* ---- Public-service context ------------------------------------------ */

/* Words that mark feedback about a public service: its procedures, files,
 * agents and places. With the institution words (marked terms), they tell
 * a public-service corpus (64 to 79 % of the distinct experiences of the
 * shared Services Publics+ and Pôle emploi data, 28 % of the Grand Débat
 * proposals) from another (10 to 12 % of film reviews). docs/codebook.md. */
static const char context_words[] =
	"administration administratif administrative service services dossier dossiers démarche démarches agent "
	"agents guichet conseiller conseillère conseillers agence accueil rendez-vous rdv courrier formulaire "
	"allocation allocations prestation prestations usager usagers fonctionnaire fonctionnaires téléservice "
	"justificatif justificatifs droits";

static int collect_context(const vx_token *tok, void *payload)
{
	vx_strmap *m = payload;
	uint32_t id;
	if (tok->stop)
		return 0;
	if (tok->folded_len == 6 && memcmp(tok->folded, "rendez", 6) == 0)
		return vx_strmap_intern(m, "rendez-vous", 11, &id, NULL) ? 1 : 0;
	return vx_strmap_intern(m, tok->stem, tok->stem_len, &id, NULL) ? 1 : 0;
}

/* The share of distinct analysed experiences holding a context word or an
 * institution word (terms still in the matrix). */
static int public_service_share(double *share, vx_build *b)
{
	vx_strmap stems;
	vx_strmap_init(&stems);
	unsigned char *is_context = calloc(b->m.n_terms ? b->m.n_terms : 1, 1);
	int rc = is_context ? 0 : vx_error_set(VX_ENOMEM, "out of memory");
	if (rc == 0 && vx_text_tokens(b->text, context_words, sizeof context_words - 1, collect_context, &stems) != 0)
		rc = vx_error_set(VX_ENOMEM, "out of memory");
	if (rc == 0) {
		for (size_t t = 0; t < b->m.n_terms; t++)
			is_context[t] = b->m.key[t][0] == VX_DTM_INSTITUTION_MARK ||
			                vx_strmap_find(&stems, b->m.key[t], strlen(b->m.key[t])) >= 0;
		size_t n = 0, with = 0;
		for (uint32_t r = 0; r < b->n_cur; r++) {
			if (b->rep[r] != r)
				continue;
			n++;
			for (uint32_t p = b->m.row_ptr[r]; p < b->m.row_ptr[r + 1]; p++)
				if (is_context[b->m.col[p]]) {
					with++;
					break;
				}
		}
		*share = n ? (double)with / (double)n : 0;
	}
	free(is_context);
	vx_strmap_free(&stems);
	return rc;
}

/* ---- Feelings ---------------------------------------------------------- */

/*
 * The feeling each row counts with: the export's where it gives one (unless
 * the options ask for the text's everywhere), else the one read from the
 * words (readings NULL: none read, "inconnu" stays). Fills the note's
 * totals over the analysed rows, and how often the reading agrees with
 * the export where both exist.
 */
static int count_feelings(vx_build *b, const vx_feeling_reading *readings)
{
	vx_note *note = b->note;
	b->feel = malloc(b->n_docs ? b->n_docs : 1);
	b->feel_read = calloc(b->n_docs ? b->n_docs : 1, 1);
	b->feel_model = malloc(b->n_docs ? b->n_docs : 1);
	if (b->feel == NULL || b->feel_read == NULL || b->feel_model == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	note->feeling_source = b->opt->feelings;
	for (size_t r = 0; r < b->n_docs; r++) {
		vx_feeling f = vx_corpus_get(b->corpus, b->docs[r])->feeling;
		if (readings && r < b->n_cur && f != VX_FEELING_UNKNOWN) {
			note->feelings_checked++;
			note->feelings_agreed += readings[r].feeling == f;
		}
		if (readings && (f == VX_FEELING_UNKNOWN || b->opt->feelings == VX_FEELINGS_TEXT)) {
			f = readings[r].feeling;
			b->feel_read[r] = 1;
		}
		b->feel[r] = (unsigned char)f;
		b->feel_model[r] = (unsigned char)(b->feel_read[r] && readings[r].confidence < VX_FEELING_CONFIDENT
		                                       ? VX_FEELING_UNKNOWN
		                                       : f);
		if (r < b->n_cur) {
			note->feelings.n[f]++;
			note->feelings.read[f] += b->feel_read[r];
		}
	}
	return 0;
}

/* The lexicon feelings are read with: none when only the export's count. */
static const vx_lexicon *read_lexicon(const vx_note_run *r)
{
	return r->opt.feelings != VX_FEELINGS_EXPORT ? r->lexicon : NULL;
}

int vx_stage_codebook(vx_note_run *r)
{
	vx_build *b = &r->b;
	const vx_note_options *opt = &r->opt;
	int rc;
	/* The codebook: its themes are found while the matrix is built, its
	 * levers word the axes. */
	const char *cb_name = opt->codebook_path ? opt->codebook_path : "codebook intégré";
	if (opt->codebook_path) {
		size_t len = 0;
		if ((rc = vx_file_read(&r->cb_text, &len, opt->codebook_path, CODEBOOK_MAX_BYTES)) != 0 ||
		    (rc = vx_codebook_parse(&r->cb, r->cb_text, len, opt->codebook_path)) != 0)
			return rc;
	} else if ((rc = vx_codebook_parse(&r->cb, vx_codebook_builtin(), strlen(vx_codebook_builtin()), cb_name)) != 0)
		return rc;
	b->codebook = &r->cb;
	if ((rc = compile_themes(&r->themes, b, &r->cb, cb_name)) != 0)
		return rc;
	b->theme_hits = calloc((b->n_docs ? b->n_docs : 1) * (b->n_themes ? b->n_themes : 1), 1);
	/* The lexicon reads feelings (unless only the export's count) and
	 * tells complaints from praise in the verbatims (always); the
	 * selection loaded it already when it filters by a feeling read. */
	if (r->lexicon == NULL && (rc = vx_lexicon_load(&r->lexicon, opt->lexicon_path)) != 0)
		return rc;
	b->themes = r->themes;
	b->quote_lexicon = r->lexicon;
	if (read_lexicon(r) && (r->readings = calloc(b->n_docs ? b->n_docs : 1, sizeof *r->readings)) == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	if (b->theme_hits == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	return 0;
}

int vx_stage_matrix(vx_note_run *r)
{
	vx_build *b = &r->b;
	int rc;
	/* 3. Document-term matrix (and themes), near-duplicates, administration terms. */
	r->min_df = b->n_docs < DF_SMALL_CORPUS ? 2 : b->n_docs < DF_MEDIUM_CORPUS ? 3 : 5;
	vx_dtm_scan scan = {r->themes, b->theme_hits, read_lexicon(r), r->readings};
	if ((rc = vx_dtm_build_scan(&b->m, b->corpus, b->docs, b->n_docs, b->text, r->min_df, MAX_DF_SHARE, 0, &scan)) !=
	        0 ||
	    (rc = count_feelings(b, r->readings)) != 0)
		return rc;
	return 0;
}

int vx_stage_duplicates(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	int rc = 0;
	b->rep = malloc(b->n_docs * sizeof *b->rep);
	b->copies = calloc(b->n_docs, sizeof *b->copies);
	r->drop = calloc(b->m.n_terms ? b->m.n_terms : 1, 1);
	if (!b->rep || !b->copies || !r->drop)
		return vx_error_set(VX_ENOMEM, "out of memory");
	/* Near-duplicates on another thread while the institution terms are
	 * flagged here: both only read the matrix and the corpus. */
	dedup_job djob = {b->rep, &b->m, b->corpus, b->docs, 0, ""};
	pthread_t dthread;
	int dstarted = pthread_create(&dthread, NULL, run_dedup_job, &djob) == 0;
	if (!dstarted)
		run_dedup_job(&djob);
	r->terms_before = b->m.n_terms;
	if (!r->opt.keep_institution_terms)
		rc = vx_facets_flag_terms(r->drop, &b->m, b->corpus, b->docs, b->text, &r->fr);
	if (dstarted)
		pthread_join(dthread, NULL);
	if (rc == 0 && djob.rc)
		rc = vx_error_set(djob.rc, "%s", djob.error);
	if (rc)
		return rc;
	/* How many distinct experiences speak of a service, a procedure or an
	 * agent, before the institution terms leave the matrix. */
	if ((rc = public_service_share(&r->context_share, b)) != 0 ||
	    (!r->opt.keep_institution_terms && (rc = vx_dtm_drop_terms(&b->m, r->drop)) != 0))
		return rc;
	/* The complaint and praise themes name what users meet in a public
	 * service ("Service injoignable", "Accueil aimable"): on texts about
	 * something else their expressions still match ("insupportable",
	 * "incompréhensible" in a film review) and would head topics with a
	 * claim the data does not support. They are not applied there; every
	 * topic is then emergent. */
	if (vx_run_off_public_service(r))
		for (size_t q = 0; q < b->n_docs; q++)
			for (size_t t = 0; t < b->n_themes; t++)
				if (b->codebook->levers[b->theme_lever[t]].kind != VX_THEME_REFERRAL)
					b->theme_hits[q * b->n_themes + t] = 0;
	for (size_t q = 0; q < b->n_docs; q++) {
		b->copies[b->rep[q]]++;
		if (q < b->n_cur && b->rep[q] == q) {
			r->unique_cur++;
			r->unique_pos += vx_row_model_feeling(b, q) == VX_FEELING_POSITIVE;
		}
	}
	for (size_t q = 0; q < b->n_cur; q++)
		note->duplicates += b->rep[q] != q;
	return 0;
}

int vx_stage_weights(vx_note_run *r)
{
	vx_build *b = &r->b;
	int rc;
	if ((rc = vx_dtm_tfidf(&b->m)) != 0 || (rc = vx_units_term_map(&b->term_map, &b->m)) != 0)
		return rc;
	return 0;
}
