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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"
#include "voix/error.h"

/* Words that carry no topic in feedback: greetings, politeness, generic
 * verbs and adverbs, and bare verdicts ("super", "nul") that say how the
 * user felt (the feeling facet) but not what happened. Folded forms. Kept
 * sorted (a unit test checks it through vx_dtm_is_domain_stopword). */
static const char *const domain_stop[] = {
	"afin", "ainsi", "alors", "apres", "aucun", "aucune", "aussi", "autre", "autres", "avant", "avoir", "bad",
	"bcp", "beaucoup", "bien", "bon", "bonjour", "bonne", "bonsoir", "bravo", "ca", "car", "catastrophe", "cest",
	"chez", "chose", "choses", "comme", "comment", "cordialement", "deplorable", "dire", "dit", "doit", "donc",
	"dont", "encore", "enfin", "entre", "etc", "etre", "excellent", "excellente", "faire", "fais", "fait", "faut",
	"fois", "genial", "good", "grand", "great", "honte", "ici", "jai", "jamais", "lamentable", "lors", "madame",
	"meme", "merci", "mlle", "mme", "moins", "monsieur", "mr", "nai", "non", "nul", "nulle", "ny", "oui",
	"parfait", "parfaite", "peu", "peut", "peux", "pire", "plus", "pourquoi", "puis", "quand", "quil", "quon",
	"rien", "sais", "selon", "si", "sous", "super", "svp", "tant", "tjs", "top", "toujours", "tous", "tout", "toute",
	"toutes", "tres", "trop", "va", "vais", "veut", "veux", "voir", "vont", "vraiment", "zero",
};

static int in_sorted(const char *const *list, size_t n, const char *w, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		size_t ml = strlen(list[mid]);
		int c = memcmp(w, list[mid], len < ml ? len : ml);
		if (c == 0)
			c = len < ml ? -1 : len > ml;
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int vx_dtm_is_domain_stopword(const char *folded, size_t len)
{
	return in_sorted(domain_stop, sizeof domain_stop / sizeof domain_stop[0], folded, len);
}

enum { WORD_UNKNOWN = -1, WORD_IGNORED = -2 };
#define MAX_KEY 64

typedef struct build_state {
	vx_text *text;
	vx_strmap terms;        /* stem key -> provisional term id */
	int32_t *word_term;     /* per word id: term id, WORD_IGNORED or WORD_UNKNOWN */
	size_t n_word_term;
	uint32_t *word_count;   /* per word id: occurrences (for surface forms) */
	/* per provisional term */
	uint32_t *df;
	uint64_t *tf;
	int64_t *best_word;     /* word id of the surface, or -(1 + compound surface id) */
	size_t cap_terms;
	vx_strmap compound_surface;
	/* current document */
	const char *doc;
	uint32_t *mark;         /* per term: 1 + index of the last document that used it */
	uint32_t *slot;         /* per term: its position in the current row */
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
	unsigned pending_word;
	int failed;
} build_state;

static int grow_terms(build_state *s, size_t need)
{
	if (need <= s->cap_terms)
		return 0;
	size_t cap = s->cap_terms ? s->cap_terms * 2 : 4096;
	while (cap < need)
		cap *= 2;
	uint32_t *df = realloc(s->df, cap * sizeof *df);
	if (df) s->df = df;
	uint64_t *tf = realloc(s->tf, cap * sizeof *tf);
	if (tf) s->tf = tf;
	int64_t *bw = realloc(s->best_word, cap * sizeof *bw);
	if (bw) s->best_word = bw;
	uint32_t *mark = realloc(s->mark, cap * sizeof *mark);
	if (mark) s->mark = mark;
	uint32_t *slot = realloc(s->slot, cap * sizeof *slot);
	if (slot) s->slot = slot;
	if (!df || !tf || !bw || !mark || !slot)
		return vx_error_set(VX_ENOMEM, "out of memory growing the vocabulary");
	for (size_t k = s->cap_terms; k < cap; k++) {
		s->df[k] = 0;
		s->tf[k] = 0;
		s->best_word[k] = -1;
		s->mark[k] = 0;
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
		size_t n = s->n_word_term ? s->n_word_term * 2 : 8192;
		while (n <= tok->word_id)
			n *= 2;
		int32_t *wt = realloc(s->word_term, n * sizeof *wt);
		if (wt) s->word_term = wt;
		uint32_t *wc = realloc(s->word_count, n * sizeof *wc);
		if (wc) s->word_count = wc;
		if (!wt || !wc)
			return vx_error_set(VX_ENOMEM, "out of memory growing the word table");
		for (size_t k = s->n_word_term; k < n; k++) {
			s->word_term[k] = WORD_UNKNOWN;
			s->word_count[k] = 0;
		}
		s->n_word_term = n;
	}
	int32_t t = s->word_term[tok->word_id];
	if (t == WORD_UNKNOWN) {
		if (tok->stop || tok->numeric || tok->folded_len < 2 || tok->stem_len < 2 ||
		    vx_dtm_is_domain_stopword(tok->folded, tok->folded_len) ||
		    vx_dtm_is_domain_stopword(tok->stem, tok->stem_len))
			t = WORD_IGNORED;
		else if (tok->folded_len == 3 && memcmp(tok->folded, "rdv", 3) == 0) {
			int rc = intern_term(s, "rendez-vous", 11, &t);
			if (rc)
				return rc;
		} else {
			int rc = intern_term(s, tok->stem, tok->stem_len, &t);
			if (rc)
				return rc;
		}
		s->word_term[tok->word_id] = t;
	}
	*out = t;
	return 0;
}

static int add_to_row(build_state *s, int32_t term)
{
	if (s->mark[term] == s->doc_index + 1) {
		s->row_val[s->slot[term]] += 1.0f;
		s->tf[term]++;
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
	s->mark[term] = s->doc_index + 1;
	s->slot[term] = (uint32_t)s->row_n;
	s->row_col[s->row_n] = (uint32_t)term;
	s->row_val[s->row_n] = 1.0f;
	s->row_n++;
	s->df[term]++;
	s->tf[term]++;
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

static int on_token(const vx_token *tok, void *payload)
{
	build_state *s = payload;
	int32_t term;
	int rc = classify(s, tok, &term);
	if (rc) {
		s->failed = rc;
		return 1;
	}
	s->word_count[tok->word_id]++;
	s->sig = (s->sig ^ (tok->word_id + 1u)) * 0x100000001b3ull;
	if (term >= 0)
		s->n_words++;
	/* A hyphen right between the pending content word and this one makes
	 * a compound; so does "rendez vous" written with a space. */
	int hyphen = s->has_pending && s->pending_content && tok->start == s->pending_end + 1 &&
	             s->doc[s->pending_end] == '-' && tok->folded_len >= 2 && !tok->numeric;
	int rdv = s->has_pending && s->pending_key_len == 6 && memcmp(s->pending_key, "rendez", 6) == 0 &&
	          tok->folded_len == 4 && memcmp(tok->folded, "vous", 4) == 0;
	size_t wl = 0;
	const char *w = vx_text_word(s->text, tok->word_id, &wl);
	if ((hyphen || rdv) && s->pending_key_len + 1 + tok->stem_len < MAX_KEY &&
	    s->pending_surface_len + 1 + wl < MAX_KEY) {
		s->pending_key[s->pending_key_len++] = '-';
		const char *part = rdv ? "vous" : tok->stem;
		size_t part_len = rdv ? 4 : tok->stem_len;
		memcpy(s->pending_key + s->pending_key_len, part, part_len);
		s->pending_key_len += part_len;
		s->pending_surface[s->pending_surface_len++] = '-';
		memcpy(s->pending_surface + s->pending_surface_len, w, wl);
		s->pending_surface_len += wl;
		rc = intern_term(s, s->pending_key, s->pending_key_len, &s->pending_term);
		if (rc == 0 && s->best_word[s->pending_term] == -1) {
			uint32_t sid;
			rc = vx_strmap_intern(&s->compound_surface, s->pending_surface, s->pending_surface_len, &sid, NULL);
			s->best_word[s->pending_term] = -2 - (int64_t)sid;
		}
		if (rc) {
			s->failed = rc;
			return 1;
		}
		s->pending_end = tok->end;
		return 0;
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
	if (term >= 0) {
		const char *key = vx_strmap_key(&s->terms, (uint32_t)term);
		size_t kl = strlen(key);
		if (kl < MAX_KEY && wl < MAX_KEY) {
			memcpy(s->pending_key, key, kl);
			s->pending_key_len = kl;
			memcpy(s->pending_surface, w, wl);
			s->pending_surface_len = wl;
		} else
			s->pending_content = 0;
	} else if (tok->folded_len == 6 && memcmp(tok->folded, "rendez", 6) == 0) {
		memcpy(s->pending_key, "rendez", 6);
		s->pending_key_len = 6;
	}
	return 0;
}

static int analyse_field(build_state *s, const char *field)
{
	size_t len = strlen(field);
	if (len == 0)
		return 0;
	s->doc = field;
	s->has_pending = 0;
	int rc = vx_text_tokens(s->text, field, len, on_token, s);
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
	free(s->word_term);
	free(s->word_count);
	free(s->df);
	free(s->tf);
	free(s->best_word);
	free(s->mark);
	free(s->slot);
	free(s->row_col);
	free(s->row_val);
}

int vx_dtm_build(vx_dtm *out, const vx_corpus *corpus, const size_t *docs, size_t n, vx_text *text,
                 uint32_t min_df, double max_df_share)
{
	int rc = 0;
	build_state s;
	memset(&s, 0, sizeof s);
	memset(out, 0, sizeof *out);
	s.text = text;
	vx_strmap_init(&s.terms);
	vx_strmap_init(&s.compound_surface);
	uint32_t *col = NULL, *remap = NULL;
	float *val = NULL;
	size_t nnz = 0, cap = 0;
	uint32_t *row_ptr = calloc(n + 1, sizeof *row_ptr);
	out->doc_sig = calloc(n ? n : 1, sizeof *out->doc_sig);
	out->doc_len = calloc(n ? n : 1, sizeof *out->doc_len);
	if (!row_ptr || !out->doc_sig || !out->doc_len) {
		rc = vx_error_set(VX_ENOMEM, "out of memory for %zu documents", n);
		goto done;
	}
	for (size_t d = 0; d < n; d++) {
		const vx_experience *e = vx_corpus_get(corpus, docs[d]);
		s.doc_index = (uint32_t)d;
		s.row_n = 0;
		s.sig = 0xcbf29ce484222325ull;
		s.n_words = 0;
		if ((rc = analyse_field(&s, e->title)) != 0 || (rc = analyse_field(&s, e->text)) != 0)
			goto done;
		out->doc_sig[d] = s.sig;
		out->doc_len[d] = s.n_words;
		if (nnz + s.row_n > cap) {
			size_t ncap = cap ? cap * 2 : 1 << 16;
			while (ncap < nnz + s.row_n)
				ncap *= 2;
			uint32_t *c = realloc(col, ncap * sizeof *c);
			if (c) col = c;
			float *v = realloc(val, ncap * sizeof *v);
			if (v) val = v;
			if (!c || !v) {
				rc = vx_error_set(VX_ENOMEM, "out of memory for the document-term matrix");
				goto done;
			}
			cap = ncap;
		}
		memcpy(col + nnz, s.row_col, s.row_n * sizeof *col);
		memcpy(val + nnz, s.row_val, s.row_n * sizeof *val);
		nnz += s.row_n;
		row_ptr[d + 1] = (uint32_t)nnz;
	}
	/* Keep the terms within the document-frequency bounds. */
	size_t n_prov = vx_strmap_count(&s.terms);
	remap = malloc((n_prov ? n_prov : 1) * sizeof *remap);
	if (remap == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	double max_df = max_df_share * (double)n;
	size_t kept = 0;
	for (size_t t = 0; t < n_prov; t++)
		remap[t] = s.df[t] >= min_df && (double)s.df[t] <= max_df ? (uint32_t)kept++ : UINT32_MAX;
	out->n_docs = n;
	out->n_terms = kept;
	out->df = calloc(kept ? kept : 1, sizeof *out->df);
	out->tf_total = calloc(kept ? kept : 1, sizeof *out->tf_total);
	out->key = calloc(kept ? kept : 1, sizeof *out->key);
	out->surface = calloc(kept ? kept : 1, sizeof *out->surface);
	if (!out->df || !out->tf_total || !out->key || !out->surface) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	/* Surface form: the most frequent written word of each stem. */
	int64_t *best = s.best_word;
	for (size_t w = 0; w < s.n_word_term; w++) {
		int32_t t = s.word_term[w];
		if (t < 0 || s.word_count[w] == 0)
			continue;
		if (best[t] == -1 || (best[t] >= 0 && s.word_count[w] > s.word_count[best[t]]))
			best[t] = (int64_t)w;
	}
	for (size_t t = 0; t < n_prov; t++) {
		uint32_t k = remap[t];
		if (k == UINT32_MAX)
			continue;
		out->df[k] = s.df[t];
		out->tf_total[k] = s.tf[t];
		out->key[k] = strdup(vx_strmap_key(&s.terms, (uint32_t)t));
		const char *surf = out->key[k];
		size_t sl = surf ? strlen(surf) : 0;
		if (best[t] >= 0)
			surf = vx_text_word(text, (unsigned)best[t], &sl);
		else if (best[t] <= -2) {
			surf = vx_strmap_key(&s.compound_surface, (uint32_t)(-2 - best[t]));
			sl = strlen(surf);
		}
		if (out->key[k] && strcmp(out->key[k], "rendez-vous") == 0) {
			surf = "rendez-vous";
			sl = 11;
		}
		out->surface[k] = strndup(surf, sl);
		if (!out->key[k] || !out->surface[k]) {
			rc = vx_error_set(VX_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* Rewrite the rows with the kept terms, sorted by term id. */
	size_t o = 0;
	uint32_t start = 0;
	for (size_t d = 0; d < n; d++) {
		uint32_t end = row_ptr[d + 1];
		size_t row_start = o;
		for (uint32_t k = start; k < end; k++) {
			uint32_t t = remap[col[k]];
			if (t == UINT32_MAX)
				continue;
			col[o] = t;
			val[o] = val[k];
			o++;
		}
		/* Sort (term, value) pairs of the row by term. Rows are short. */
		for (size_t a = row_start + 1; a < o; a++) {
			uint32_t ct = col[a];
			float cv = val[a];
			size_t b = a;
			while (b > row_start && col[b - 1] > ct) {
				col[b] = col[b - 1];
				val[b] = val[b - 1];
				b--;
			}
			col[b] = ct;
			val[b] = cv;
		}
		start = end;
		row_ptr[d + 1] = (uint32_t)o;
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
	free_state(&s);
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

void vx_dtm_tfidf(vx_dtm *m)
{
	double n = (double)m->n_docs;
	for (size_t d = 0; d < m->n_docs; d++) {
		double norm = 0;
		for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			double idf = log((1.0 + n) / (1.0 + m->df[m->col[k]])) + 1.0;
			double w = (1.0 + log(m->val[k])) * idf;
			m->val[k] = (float)w;
			norm += w * w;
		}
		if (norm > 0) {
			float inv = (float)(1.0 / sqrt(norm));
			for (uint32_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++)
				m->val[k] *= inv;
		}
	}
}
