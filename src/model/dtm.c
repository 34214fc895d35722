/*
 * Building the document-term matrix in one pass over the texts.
 *
 * Every distinct lower-cased word is classified once (stop word, number,
 * domain stop word, or a term keyed by its stem) through the analyser's
 * dense word ids, so the per-token cost is an array lookup. Hyphenated
 * compounds ("rendez-vous", "sous-préfecture") are kept as one term: their
 * parts mean little alone.
 */
#include "model/dtm.h"
#include "model/feeling.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "util/rank.h"
#include "util/strmap.h"
#include "voix/error.h"

/* Words that carry no topic in feedback: greetings, politeness, generic
 * verbs and adverbs, number words, pieces of web addresses, and bare verdicts ("super", "nul") that say how the
 * user felt (the feeling facet) but not what happened. Folded forms. Kept
 * sorted (a unit test checks it through vx_dtm_is_domain_stopword). */
static const char *const domain_stop[] = {
	"afin", "ainsi", "alors", "apres", "aucun", "aucune", "aussi", "autre", "autres", "avant", "avoir", "bad",
	"bcp", "beaucoup", "bien", "bon", "bonjour", "bonne", "bonsoir", "bravo", "ca", "car", "catastrophe", "cent",
	"cents", "cest", "chez", "chose", "choses", "cinq", "cinquante", "com", "comme", "comment", "cordialement",
	"deplorable", "deux", "dire", "dit", "dix", "doit", "donc", "dont", "douze", "encore", "enfin", "entre",
	"etc", "etre", "excellent", "excellente", "faire", "fais", "fait", "faut", "fois", "fr", "genial", "good",
	"gouv", "grand", "great", "honte", "html", "http", "https", "huit", "ici", "jai", "jamais", "lamentable",
	"lors", "madame", "meme", "merci", "mille", "mlle", "mme", "moins", "monsieur", "mr", "nai", "neuf", "non",
	"nul", "nulle", "ny", "onze", "oui", "parfait", "parfaite", "peu", "peut", "peux", "php", "pire", "plus",
	"pourquoi", "puis", "quand", "quarante", "quatre", "quil", "quinze", "quon", "rien", "sais", "selon", "sept",
	"si", "six", "soixante", "sous", "super", "svp", "tant", "tjs", "top", "toujours", "tous", "tout", "toute",
	"toutes", "trente", "tres", "trois", "trop", "va", "vais", "veut", "veux", "vingt", "voir", "vont",
	"vraiment", "www", "zero",
};


int vx_dtm_is_domain_stopword(const char *folded, size_t len)
{
	return vx_sorted_contains(domain_stop, sizeof domain_stop / sizeof domain_stop[0], folded, len);
}

int vx_dtm_is_number_word(const char *folded, size_t len)
{
	static const char *const numbers[] = {"cent", "cents", "cinq", "cinquante", "deux", "dix", "douze", "huit",
	                                      "mille", "neuf", "onze", "quarante", "quatre", "quinze", "sept",
	                                      "six", "soixante", "trente", "trois", "vingt"};
	return vx_sorted_contains(numbers, sizeof numbers / sizeof numbers[0], folded, len);
}

/* Institutions and the objects of their procedures, as users name them
 * (folded, sorted). Each is its own term, marked so the model can leave it
 * out (docs/model.md). */
static const char *const institutions[] = {
	"ambassade", "ameli", "ants", "antai", "caf", "carsat", "cnaf", "cnam", "cnav", "consul", "consulaire",
	"consulat", "consulats", "cpam", "dgfip", "francetravail", "gouvernement", "impots", "mairie", "ministere",
	"msa", "passeport", "passeports", "pole", "prefecture", "prefet", "republique", "retraite", "retraites",
	"tresor", "urssaf", "visa", "visas",
};

int vx_dtm_is_institution_word(const char *folded, size_t len)
{
	return vx_sorted_contains(institutions, sizeof institutions / sizeof institutions[0], folded, len);
}

static int is_rendezvous(const char *folded, size_t len)
{
	return (len == 6 && memcmp(folded, "rendez", 6) == 0) || (len == 3 && memcmp(folded, "rdv", 3) == 0);
}

enum { WORD_UNKNOWN = -1, WORD_IGNORED = -2 };
#define MAX_KEY 64

/* What a token touches, kept together so that it costs one memory access:
 * per word id, and per provisional term. */
typedef struct word_info {
	int32_t term;           /* term id, WORD_IGNORED or WORD_UNKNOWN */
	uint32_t count;         /* occurrences (for surface forms) */
} word_info;

typedef struct term_info {
	uint64_t tf;            /* occurrences */
	uint32_t df;            /* documents */
	uint32_t mark;          /* 1 + index of the last document that used it */
	uint32_t slot;          /* its position in the current row */
} term_info;

typedef struct build_state {
	vx_text *text;
	vx_strmap terms;        /* stem key -> provisional term id */
	word_info *word;        /* per word id */
	size_t n_word_term;
	term_info *term;        /* per provisional term */
	int64_t *best_word;     /* per provisional term: word id of the surface, or -(1 + compound surface id) */
	size_t cap_terms;
	vx_strmap compound_surface;
	/* current document */
	const char *doc;
	uint32_t doc_index;
	uint32_t *row_col;
	float *row_val;
	size_t row_n, row_cap;
	uint64_t sig;
	uint32_t n_words;
	/* pending token, for compounds */
	int has_pending;
	int32_t pending_term;
	size_t pending_end;
	char pending_key[MAX_KEY];
	size_t pending_key_len;
	char pending_surface[MAX_KEY];
	size_t pending_surface_len;
	int pending_content;    /* the pending token may start a compound */
	int32_t rendezvous_term;/* the term id of "rendez-vous", -1 until seen */
	unsigned pending_word;
	int failed;
	vx_theme_scan *scan;    /* codebook themes found in the same pass, or NULL */
	vx_feeling_scan *fscan; /* feelings read in the same pass, or NULL */
} build_state;

/* First capacities of the vocabulary (terms) and of the word table. */
#define FIRST_TERMS 4096
#define FIRST_WORDS 8192

static int grow_terms(build_state *s, size_t need)
{
	/* Both arrays keep the same capacity: vx_grow gives both the same. */
	size_t old = s->cap_terms, cap = old, cap_best = old;
	if (vx_grow((void **)&s->term, &cap, need, sizeof *s->term, FIRST_TERMS) != 0 ||
	    vx_grow((void **)&s->best_word, &cap_best, need, sizeof *s->best_word, FIRST_TERMS) != 0)
		return vx_error_set(VX_ENOMEM, "out of memory growing the vocabulary");
	for (size_t k = old; k < cap; k++) {
		s->term[k] = (term_info){0};
		s->best_word[k] = -1;
	}
	s->cap_terms = cap;
	return 0;
}

static int intern_term(build_state *s, const char *key, size_t len, int32_t *term)
{
	uint32_t id;
	int rc = vx_strmap_intern(&s->terms, key, len, &id, NULL);
	if (rc == 0)
		rc = grow_terms(s, (size_t)id + 1);
	*term = (int32_t)id;
	return rc;
}

/* Classifies a word id once: a term id, or WORD_IGNORED. */
static int classify(build_state *s, const vx_token *tok, int32_t *out)
{
	if (tok->word_id >= s->n_word_term) {
		size_t old = s->n_word_term, n = old;
		if (vx_grow((void **)&s->word, &n, (size_t)tok->word_id + 1, sizeof *s->word, FIRST_WORDS) != 0)
			return vx_error_set(VX_ENOMEM, "out of memory growing the word table");
		for (size_t k = old; k < n; k++)
			s->word[k] = (word_info){.term = WORD_UNKNOWN, .count = 0};
		s->n_word_term = n;
	}
	int32_t t = s->word[tok->word_id].term;
	if (t == WORD_UNKNOWN) {
		if (tok->stop || tok->numeric || tok->folded_len < 2 || tok->stem_len < 2 ||
		    vx_dtm_is_domain_stopword(tok->folded, tok->folded_len) ||
		    vx_dtm_is_domain_stopword(tok->stem, tok->stem_len))
			t = WORD_IGNORED;
		else if (is_rendezvous(tok->folded, tok->folded_len)) {
			int rc = intern_term(s, "rendez-vous", 11, &t);
			if (rc)
				return rc;
			s->rendezvous_term = t;
		} else if (vx_dtm_is_institution_word(tok->folded, tok->folded_len)) {
			/* Its own term, apart from words of the same stem ("café"). */
			char key[MAX_KEY];
			if (tok->folded_len + 1 >= sizeof key)
				t = WORD_IGNORED;
			else {
				key[0] = VX_DTM_INSTITUTION_MARK;
				memcpy(key + 1, tok->folded, tok->folded_len);
				int rc = intern_term(s, key, tok->folded_len + 1, &t);
				if (rc)
					return rc;
			}
		} else {
			int rc = intern_term(s, tok->stem, tok->stem_len, &t);
			if (rc)
				return rc;
		}
		s->word[tok->word_id].term = t;
	}
	*out = t;
	return 0;
}

static int add_to_row(build_state *s, int32_t term)
{
	term_info *ti = &s->term[term];
	if (ti->mark == s->doc_index + 1) {
		s->row_val[ti->slot] += 1.0f;
		ti->tf++;
		return 0;
	}
	if (s->row_n == s->row_cap) {
		size_t cap = s->row_cap ? s->row_cap * 2 : 256;
		uint32_t *c = realloc(s->row_col, cap * sizeof *c);
		if (c) s->row_col = c;
		float *v = realloc(s->row_val, cap * sizeof *v);
		if (v) s->row_val = v;
		if (!c || !v)
			return vx_error_set(VX_ENOMEM, "out of memory building a document row");
		s->row_cap = cap;
	}
	ti->mark = s->doc_index + 1;
	ti->slot = (uint32_t)s->row_n;
	s->row_col[s->row_n] = (uint32_t)term;
	s->row_val[s->row_n] = 1.0f;
	s->row_n++;
	ti->df++;
	ti->tf++;
	return 0;
}

static int flush_pending(build_state *s)
{
	if (!s->has_pending)
		return 0;
	s->has_pending = 0;
	if (s->pending_term < 0)
		return 0;
	return add_to_row(s, s->pending_term);
}

/* Copies the pending term's key and written form into the pending buffers,
 * the first time a compound needs them. 0 when they do not fit. */
static int materialise_pending(build_state *s)
{
	if (s->pending_key_len)
		return 1;
	const char *key = vx_strmap_key(&s->terms, (uint32_t)s->pending_term);
	size_t kl = strlen(key), wl = 0;
	const char *w = vx_text_word(s->text, s->pending_word, &wl);
	if (kl >= MAX_KEY || wl >= MAX_KEY)
		return 0;
	memcpy(s->pending_key, key, kl);
	s->pending_key_len = kl;
	memcpy(s->pending_surface, w, wl);
	s->pending_surface_len = wl;
	return 1;
}

static int on_token(const vx_token *tok, void *payload)
{
	build_state *s = payload;
	int32_t term = WORD_IGNORED;
	int rc = classify(s, tok, &term);
	if (rc == 0 && s->scan)
		rc = vx_theme_scan_token(s->scan, tok);
	if (rc == 0 && s->fscan)
		rc = vx_feeling_scan_token(s->fscan, tok);
	if (rc) {
		s->failed = rc;
		return 1;
	}
	s->word[tok->word_id].count++;
	s->sig = (s->sig ^ tok->word_hash) * 0x100000001b3ull;
	if (term >= 0)
		s->n_words++;
	/* "rendez" already stands for "rendez-vous": its "vous" adds nothing. */
	if (s->has_pending && s->pending_term >= 0 && s->pending_term == s->rendezvous_term && tok->folded_len == 4 &&
	    memcmp(tok->folded, "vous", 4) == 0) {
		s->pending_end = tok->end;
		return 0;
	}
	/* A hyphen right between the pending content word and this one makes
	 * a compound. The pending key and written form are only copied then:
	 * most words are in no compound. */
	int hyphen = s->has_pending && s->pending_content && tok->start == s->pending_end + 1 &&
	             s->doc[s->pending_end] == '-' && tok->folded_len >= 2 && !tok->numeric;
	if (hyphen && materialise_pending(s)) {
		size_t wl = 0;
		const char *w = vx_text_word(s->text, tok->word_id, &wl);
		if (s->pending_key_len + 1 + tok->stem_len < MAX_KEY && s->pending_surface_len + 1 + wl < MAX_KEY) {
			s->pending_key[s->pending_key_len++] = '-';
			memcpy(s->pending_key + s->pending_key_len, tok->stem, tok->stem_len);
			s->pending_key_len += tok->stem_len;
			s->pending_surface[s->pending_surface_len++] = '-';
			memcpy(s->pending_surface + s->pending_surface_len, w, wl);
			s->pending_surface_len += wl;
			rc = intern_term(s, s->pending_key, s->pending_key_len, &s->pending_term);
			if (rc == 0 && s->best_word[s->pending_term] == -1) {
				uint32_t sid;
				rc = vx_strmap_intern(&s->compound_surface, s->pending_surface, s->pending_surface_len, &sid,
				                      NULL);
				s->best_word[s->pending_term] = -2 - (int64_t)sid;
			}
			if (rc) {
				s->failed = rc;
				return 1;
			}
			s->pending_end = tok->end;
			return 0;
		}
	}
	rc = flush_pending(s);
	if (rc) {
		s->failed = rc;
		return 1;
	}
	s->has_pending = 1;
	s->pending_term = term;
	s->pending_end = tok->end;
	s->pending_word = tok->word_id;
	s->pending_content = term >= 0;
	s->pending_key_len = 0;
	s->pending_surface_len = 0;
	return 0;
}

static int analyse_field(build_state *s, const char *field, int which)
{
	size_t len = strlen(field);
	if (len == 0)
		return 0;
	if (s->fscan)
		vx_feeling_scan_field(s->fscan, field, which);
	s->doc = field;
	s->has_pending = 0;
	int rc = vx_text_tokens(s->text, field, len, on_token, s);
	if (s->scan)
		vx_theme_scan_break(s->scan);
	if (s->failed)
		return s->failed;
	if (rc)
		return rc;
	return flush_pending(s);
}

void vx_dtm_free(vx_dtm *m)
{
	if (m == NULL)
		return;
	free(m->row_ptr);
	free(m->col);
	free(m->val);
	free(m->df);
	free(m->tf_total);
	if (m->key)
		for (size_t t = 0; t < m->n_terms; t++)
			free(m->key[t]);
	if (m->surface)
		for (size_t t = 0; t < m->n_terms; t++)
			free(m->surface[t]);
	free(m->key);
	free(m->surface);
	free(m->doc_sig);
	free(m->doc_len);
	memset(m, 0, sizeof *m);
}

static void free_state(build_state *s)
{
	vx_strmap_free(&s->terms);
	vx_strmap_free(&s->compound_surface);
	free(s->word);
	free(s->term);
	free(s->best_word);
	free(s->row_col);
	free(s->row_val);
}

/* One contiguous range of documents, analysed by one thread with its own
 * analyser and vocabulary; the parts are merged afterwards. */
typedef struct part {
	build_state s;
	vx_text *own_text;      /* created for this part, or NULL when borrowed */
	const vx_corpus *corpus;
	const size_t *docs;
	size_t from, to;
	uint32_t *row_ptr;      /* to - from + 1 offsets */
	uint32_t *col;
	float *val;
	size_t nnz, cap;
	uint64_t *sig;
	uint32_t *len;
	const vx_themes *themes;/* NULL: no theme scan */
	uint8_t *hits;          /* per document of the whole build, vx_themes_count() counts */
	const vx_lexicon *lexicon; /* NULL: no feeling read */
	vx_feeling_reading *feelings; /* per document of the whole build */
	int rc;
} part;

static void *run_part(void *arg)
{
	part *p = arg;
	build_state *s = &p->s;
	size_t n = p->to - p->from;
	p->row_ptr = calloc(n + 1, sizeof *p->row_ptr);
	p->sig = calloc(n ? n : 1, sizeof *p->sig);
	p->len = calloc(n ? n : 1, sizeof *p->len);
	if (!p->row_ptr || !p->sig || !p->len) {
		p->rc = vx_error_set(VX_ENOMEM, "out of memory for %zu documents", n);
		return NULL;
	}
	size_t n_themes = vx_themes_count(p->themes);
	if (p->themes && (p->rc = vx_theme_scan_new(&s->scan, p->themes, s->text)) != 0)
		return NULL;
	if (p->lexicon && (p->rc = vx_feeling_scan_new(&s->fscan, p->lexicon)) != 0)
		return NULL;
	for (size_t d = 0; d < n; d++) {
		const vx_experience *e = vx_corpus_get(p->corpus, p->docs[p->from + d]);
		s->doc_index = (uint32_t)d;
		s->row_n = 0;
		s->sig = 0xcbf29ce484222325ull;
		s->n_words = 0;
		int rc;
		if ((rc = analyse_field(s, e->title, 0)) != 0 || (rc = analyse_field(s, e->text, 1)) != 0) {
			p->rc = rc;
			return NULL;
		}
		p->sig[d] = s->sig;
		p->len[d] = s->n_words;
		if (s->scan)
			vx_theme_scan_take(s->scan, p->hits + (p->from + d) * n_themes);
		if (s->fscan)
			vx_feeling_scan_take(s->fscan, &p->feelings[p->from + d], NULL, 0, NULL);
		if (p->nnz + s->row_n > p->cap) {
			size_t ncap = p->cap ? p->cap * 2 : 1 << 16;
			while (ncap < p->nnz + s->row_n)
				ncap *= 2;
			uint32_t *c = realloc(p->col, ncap * sizeof *c);
			if (c)
				p->col = c;
			float *v = realloc(p->val, ncap * sizeof *v);
			if (v)
				p->val = v;
			if (!c || !v) {
				p->rc = vx_error_set(VX_ENOMEM, "out of memory for the document-term matrix");
				return NULL;
			}
			p->cap = ncap;
		}
		if (s->row_n) { /* a row of stop words only has no term, and the arrays may not exist yet */
			memcpy(p->col + p->nnz, s->row_col, s->row_n * sizeof *p->col);
			memcpy(p->val + p->nnz, s->row_val, s->row_n * sizeof *p->val);
		}
		p->nnz += s->row_n;
		p->row_ptr[d + 1] = (uint32_t)p->nnz;
	}
	/* The scanner's word tables are not needed for the merge. */
	vx_theme_scan_free(s->scan);
	s->scan = NULL;
	vx_feeling_scan_free(s->fscan);
	s->fscan = NULL;
	return NULL;
}

static void free_part(part *p)
{
	vx_theme_scan_free(p->s.scan);
	vx_feeling_scan_free(p->s.fscan);
	free_state(&p->s);
	vx_text_free(p->own_text);
	free(p->row_ptr);
	free(p->col);
	free(p->val);
	free(p->sig);
	free(p->len);
}

/* The rows from..to of the merged matrix, rewritten in place with the kept
 * terms (remap, UINT32_MAX for a dropped one) and sorted by term: the kept
 * entries are packed from begin on, and end is where they stop. */
typedef struct rewrite_job {
	uint32_t *col;
	float *val;
	uint32_t *row_ptr;
	const uint32_t *remap;
	size_t from, to;
	size_t begin, end;
} rewrite_job;

static void *rewrite_rows(void *arg)
{
	rewrite_job *j = arg;
	uint32_t *col = j->col, *row_ptr = j->row_ptr;
	float *val = j->val;
	size_t o = j->begin;
	size_t start = o;
	for (size_t d = j->from; d < j->to; d++) {
		size_t end = row_ptr[d + 1];
		size_t row_start = o;
		for (size_t k = start; k < end; k++) {
			uint32_t t = j->remap[col[k]];
			if (t == UINT32_MAX)
				continue;
			col[o] = t;
			val[o] = val[k];
			o++;
		}
		/* Insertion sort of the row by term: rows are short. */
		for (size_t a = row_start + 1; a < o; a++) {
			uint32_t ct = col[a];
			float cv = val[a];
			size_t q = a;
			while (q > row_start && col[q - 1] > ct) {
				col[q] = col[q - 1];
				val[q] = val[q - 1];
				q--;
			}
			col[q] = ct;
			val[q] = cv;
		}
		start = end;
		row_ptr[d + 1] = (uint32_t)o;
	}
	j->end = o;
	return NULL;
}

/* Below this many documents one thread does it all. */
#define PARALLEL_MIN_DOCS 4000
#define MAX_PARTS 2

int vx_dtm_build(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                 uint32_t min_df, double max_df_share)
{
	return vx_dtm_build_parts(out, corpus, docs, n, text, min_df, max_df_share,
	                          n >= PARALLEL_MIN_DOCS ? MAX_PARTS : 1);
}

int vx_dtm_build_parts(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                       uint32_t min_df, double max_df_share, size_t n_parts)
{
	return vx_dtm_build_themes(out, corpus, docs, n, text, min_df, max_df_share, n_parts, NULL, NULL);
}

int vx_dtm_build_themes(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                        uint32_t min_df, double max_df_share, size_t n_parts, const vx_themes *themes,
                        uint8_t *hits)
{
	vx_dtm_scan scan = {themes, hits, NULL, NULL};
	return vx_dtm_build_scan(out, corpus, docs, n, text, min_df, max_df_share, n_parts, &scan);
}

int vx_dtm_build_scan(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                      uint32_t min_df, double max_df_share, size_t n_parts, const vx_dtm_scan *scan)
{
	static const vx_dtm_scan none = {NULL, NULL, NULL, NULL};
	if (scan == NULL)
		scan = &none;
	if (n_parts == 0)
		n_parts = n >= PARALLEL_MIN_DOCS ? MAX_PARTS : 1;
	int rc = 0;
	part parts[MAX_PARTS];
	if (n_parts < 1)
		n_parts = 1;
	if (n_parts > MAX_PARTS)
		n_parts = MAX_PARTS;
	memset(parts, 0, sizeof parts);
	memset(out, 0, sizeof *out);
	vx_strmap surf;          /* "term id \x1f word" -> occurrences, for surface forms */
	vx_strmap_init(&surf);
	uint64_t *surf_count = NULL;
	size_t surf_cap = 0;
	uint32_t *col = NULL, *remap = NULL, *row_ptr = NULL, *map1 = NULL;
	float *val = NULL;
	const char **compound = NULL;
	vx_strmap *terms = NULL;
	for (size_t p = 0; p < n_parts; p++) {
		part *pt = &parts[p];
		pt->corpus = corpus;
		pt->docs = docs;
		pt->from = n * p / n_parts;
		pt->to = n * (p + 1) / n_parts;
		pt->themes = scan->themes;
		pt->hits = scan->hits;
		pt->lexicon = scan->feelings ? scan->lexicon : NULL;
		pt->feelings = scan->feelings;
		if (p == 0)
			pt->s.text = text;
		else if ((rc = vx_text_new(&pt->own_text)) != 0)
			goto done;
		else
			pt->s.text = pt->own_text;
		vx_strmap_init(&pt->s.terms);
		vx_strmap_init(&pt->s.compound_surface);
		pt->s.rendezvous_term = -1;
	}
	/* Analyse the parts: the first in this thread, the others in their own. */
	pthread_t threads[MAX_PARTS];
	int started[MAX_PARTS] = {0};
	for (size_t p = 1; p < n_parts; p++)
		started[p] = pthread_create(&threads[p], NULL, run_part, &parts[p]) == 0;
	run_part(&parts[0]);
	for (size_t p = 1; p < n_parts; p++) {
		if (started[p])
			pthread_join(threads[p], NULL);
		else
			run_part(&parts[p]); /* no thread: do it here */
	}
	for (size_t p = 0; p < n_parts; p++)
		if (parts[p].rc) {
			rc = parts[p].rc;
			goto done;
		}
	/* Merge the vocabularies into the first part's, in order of first sight. */
	terms = &parts[0].s.terms;
	size_t n0 = vx_strmap_count(terms); /* the first part's own terms: its arrays end there */
	size_t n1 = n_parts > 1 ? vx_strmap_count(&parts[1].s.terms) : 0;
	map1 = malloc((n1 ? n1 : 1) * sizeof *map1);
	if (map1 == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t t = 0; t < n1; t++) {
		const char *key = vx_strmap_key(&parts[1].s.terms, (uint32_t)t);
		if ((rc = vx_strmap_intern(terms, key, strlen(key), &map1[t], NULL)) != 0)
			goto done;
	}
	size_t n_prov = vx_strmap_count(terms);
	uint32_t *df = calloc(n_prov ? n_prov : 1, sizeof *df);
	uint64_t *tf = calloc(n_prov ? n_prov : 1, sizeof *tf);
	compound = calloc(n_prov ? n_prov : 1, sizeof *compound);
	remap = malloc((n_prov ? n_prov : 1) * sizeof *remap);
	row_ptr = calloc(n + 1, sizeof *row_ptr);
	out->doc_sig = malloc((n ? n : 1) * sizeof *out->doc_sig);
	out->doc_len = malloc((n ? n : 1) * sizeof *out->doc_len);
	out->df = df;
	out->tf_total = tf;
	if (!df || !tf || !compound || !remap || !row_ptr || !out->doc_sig || !out->doc_len) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	/* Counts and surface forms of every part, on the merged ids. */
	size_t nnz = 0;
	for (size_t p = 0; p < n_parts; p++) {
		part *pt = &parts[p];
		build_state *s = &pt->s;
		size_t np = p == 0 ? n0 : vx_strmap_count(&s->terms);
		for (size_t t = 0; t < np; t++) {
			uint32_t g = p == 0 ? (uint32_t)t : map1[t];
			df[g] += s->term[t].df;
			tf[g] += s->term[t].tf;
			if (s->best_word[t] <= -2 && compound[g] == NULL)
				compound[g] = vx_strmap_key(&s->compound_surface, (uint32_t)(-2 - s->best_word[t]));
		}
		for (size_t w = 0; w < s->n_word_term; w++) {
			int32_t t = s->word[w].term;
			if (t < 0 || s->word[w].count == 0)
				continue;
			uint32_t g = p == 0 ? (uint32_t)t : map1[t];
			size_t wl = 0;
			const char *word = vx_text_word(s->text, (unsigned)w, &wl);
			char key[16 + MAX_KEY * 2];
			int kl = snprintf(key, sizeof key, "%u\x1f%.*s", g, (int)wl, word);
			if (kl < 0 || (size_t)kl >= sizeof key)
				continue;
			uint32_t id;
			if ((rc = vx_strmap_intern(&surf, key, (size_t)kl, &id, NULL)) != 0)
				goto done;
			if (id >= surf_cap) {
				size_t cap = surf_cap ? surf_cap * 2 : 4096;
				uint64_t *c = realloc(surf_count, cap * sizeof *c);
				if (c == NULL) {
					rc = vx_error_set(VX_ENOMEM, "out of memory");
					goto done;
				}
				memset(c + surf_cap, 0, (cap - surf_cap) * sizeof *c);
				surf_count = c;
				surf_cap = cap;
			}
			surf_count[id] += s->word[w].count;
		}
		nnz += pt->nnz;
	}
	/* The first part's arrays grow to hold the others (no second copy of the
	 * whole matrix: at a million rows that is hundreds of megabytes). */
	col = realloc(parts[0].col, (nnz ? nnz : 1) * sizeof *col);
	if (col)
		parts[0].col = NULL;
	val = col ? realloc(parts[0].val, (nnz ? nnz : 1) * sizeof *val) : NULL;
	if (val)
		parts[0].val = NULL;
	if (!col || !val) {
		rc = vx_error_set(VX_ENOMEM, "out of memory for the document-term matrix");
		goto done;
	}
	size_t o = 0;
	for (size_t p = 0; p < n_parts; p++) {
		part *pt = &parts[p];
		if (p > 0) {
			for (size_t k = 0; k < pt->nnz; k++) {
				col[o + k] = map1[pt->col[k]];
				val[o + k] = pt->val[k];
			}
			free(pt->col);
			free(pt->val);
			pt->col = NULL;
			pt->val = NULL;
		}
		for (size_t d = 0; d < pt->to - pt->from; d++) {
			row_ptr[pt->from + d + 1] = (uint32_t)(o + pt->row_ptr[d + 1]);
			out->doc_sig[pt->from + d] = pt->sig[d];
			out->doc_len[pt->from + d] = pt->len[d];
		}
		o += pt->nnz;
	}
	/* Keep the terms within the document-frequency bounds. */
	double max_df = max_df_share * (double)n;
	size_t kept = 0;
	for (size_t t = 0; t < n_prov; t++)
		remap[t] = df[t] >= min_df && (double)df[t] <= max_df ? (uint32_t)kept++ : UINT32_MAX;
	out->n_docs = n;
	out->n_terms = kept;
	out->key = calloc(kept ? kept : 1, sizeof *out->key);
	out->surface = calloc(kept ? kept : 1, sizeof *out->surface);
	uint64_t *best_count = calloc(kept ? kept : 1, sizeof *best_count);
	if (!out->key || !out->surface || !best_count) {
		free(best_count);
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	/* Surface form: the most frequent written word of each stem (ties: the
	 * first seen). Compounds keep their first written form. */
	for (uint32_t id = 0; id < vx_strmap_count(&surf); id++) {
		const char *k = vx_strmap_key(&surf, id);
		char *sep = NULL;
		unsigned long g = strtoul(k, &sep, 10);
		uint32_t kt = g < n_prov ? remap[g] : UINT32_MAX;
		if (kt == UINT32_MAX || sep == NULL || *sep != '\x1f' || surf_count[id] <= best_count[kt])
			continue;
		free(out->surface[kt]);
		out->surface[kt] = strdup(sep + 1);
		best_count[kt] = surf_count[id];
	}
	free(best_count);
	for (size_t t = 0; t < n_prov; t++) {
		uint32_t k = remap[t];
		if (k == UINT32_MAX)
			continue;
		out->df[k] = df[t]; /* in place: k <= t */
		out->tf_total[k] = tf[t];
		out->key[k] = strdup(vx_strmap_key(terms, (uint32_t)t));
		if (out->key[k] && strcmp(out->key[k], "rendez-vous") == 0) {
			free(out->surface[k]);
			out->surface[k] = strdup("rendez-vous");
		} else if (compound[t] && out->surface[k] == NULL)
			out->surface[k] = strdup(compound[t]);
		else if (out->surface[k] == NULL && out->key[k])
			out->surface[k] = strdup(out->key[k]);
		if (!out->key[k] || !out->surface[k]) {
			rc = vx_error_set(VX_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* Rewrite the rows with the kept terms, sorted by term id: each part's rows
	 * in its own thread, within its own range of col and val; the ranges are
	 * then joined. */
	rewrite_job jobs[MAX_PARTS] = {{0}};
	for (size_t p = 0; p < n_parts; p++)
		jobs[p] = (rewrite_job){.col = col, .val = val, .row_ptr = row_ptr, .remap = remap,
		                        .from = parts[p].from, .to = parts[p].to, .begin = row_ptr[parts[p].from]};
	for (size_t p = 1; p < n_parts; p++)
		started[p] = pthread_create(&threads[p], NULL, rewrite_rows, &jobs[p]) == 0;
	rewrite_rows(&jobs[0]);
	for (size_t p = 1; p < n_parts; p++) {
		if (started[p])
			pthread_join(threads[p], NULL);
		else
			rewrite_rows(&jobs[p]);
	}
	o = jobs[0].end;
	for (size_t p = 1; p < n_parts; p++) {
		size_t shift = jobs[p].begin - o, kept_nnz = jobs[p].end - jobs[p].begin;
		memmove(col + o, col + jobs[p].begin, kept_nnz * sizeof *col);
		memmove(val + o, val + jobs[p].begin, kept_nnz * sizeof *val);
		for (size_t d = jobs[p].from; d < jobs[p].to; d++)
			row_ptr[d + 1] -= (uint32_t)shift;
		o += kept_nnz;
	}
	out->row_ptr = row_ptr;
	out->col = col;
	out->val = val;
	row_ptr = NULL;
	col = NULL;
	val = NULL;
done:
	free(row_ptr);
	free(col);
	free(val);
	free(remap);
	free(map1);
	free(compound);
	free(surf_count);
	vx_strmap_free(&surf);
	for (size_t p = 0; p < n_parts; p++)
		free_part(&parts[p]);
	if (rc)
		vx_dtm_free(out);
	return rc;
}

int vx_dtm_drop_terms(vx_dtm *m, const unsigned char *drop)
{
	uint32_t *remap = malloc((m->n_terms ? m->n_terms : 1) * sizeof *remap);
	if (remap == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	size_t kept = 0;
	for (size_t t = 0; t < m->n_terms; t++) {
		if (drop[t]) {
			remap[t] = UINT32_MAX;
			free(m->key[t]);
			free(m->surface[t]);
			continue;
		}
		remap[t] = (uint32_t)kept;
		m->key[kept] = m->key[t];
		m->surface[kept] = m->surface[t];
		m->df[kept] = m->df[t];
		m->tf_total[kept] = m->tf_total[t];
		kept++;
	}
	size_t o = 0;
	uint32_t start = 0;
	for (size_t d = 0; d < m->n_docs; d++) {
		uint32_t end = m->row_ptr[d + 1];
		for (uint32_t k = start; k < end; k++) {
			uint32_t t = remap[m->col[k]];
			if (t == UINT32_MAX)
				continue;
			m->col[o] = t;
			m->val[o] = m->val[k];
			o++;
		}
		start = end;
		m->row_ptr[d + 1] = (uint32_t)o;
	}
	m->n_terms = kept;
	free(remap);
	return 0;
}

int vx_dtm_tfidf(vx_dtm *m)
{
	double n = (double)m->n_docs;
	/* idf per term and 1 + ln(tf) for small counts, computed once. */
	enum { SMALL_TF = 64 };
	double log_tf[SMALL_TF];
	double *idf = malloc((m->n_terms ? m->n_terms : 1) * sizeof *idf);
	if (idf == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	for (size_t t = 0; t < m->n_terms; t++)
		idf[t] = log((1.0 + n) / (1.0 + m->df[t])) + 1.0;
	for (int c = 1; c < SMALL_TF; c++)
		log_tf[c] = 1.0 + log((double)c);
	for (size_t d = 0; d < m->n_docs; d++) {
		double norm = 0;
		for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			float c = m->val[k];
			double tf = c >= 1.0f && c < (float)SMALL_TF ? log_tf[(int)c] : 1.0 + log(c);
			double w = tf * idf[m->col[k]];
			m->val[k] = (float)w;
			norm += w * w;
		}
		if (norm > 0) {
			float inv = (float)(1.0 / sqrt(norm));
			for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++)
				m->val[k] *= inv;
		}
	}
	free(idf);
	return 0;
}
