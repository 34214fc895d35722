#include "model/facets.h"

#include <stdlib.h>
#include <string.h>

#include "util/fold.h"
#include "util/strmap.h"
#include "voix/error.h"

/* Words of structure names that describe the experience itself and so must
 * stay topic terms even when a structure is named after them. */
static const char protected_words[] =
	"accueil service services public publique publics usager usagers information informations relation "
	"relations aide aides social sociale emploi travail santé famille familles prestations affaires "
	"rendez-vous téléphone courrier dossier dossiers demande demandes";

static int collect_stem(const vx_token *tok, void *payload)
{
	vx_strmap *m = payload;
	/* Institution words are rule 1's; their stems may be ordinary words'
	 * ("CAF" and "café"). */
	if (tok->stop || tok->numeric || vx_dtm_is_institution_word(tok->folded, tok->folded_len))
		return 0;
	uint32_t id;
	return vx_strmap_intern(m, tok->stem, tok->stem_len, &id, NULL) ? 1 : 0;
}


/* Adds the stems of the words of s to set. */
static int add_stems(vx_strmap *set, vx_text *text, const char *s)
{
	int rc = vx_text_tokens(text, s, strlen(s), collect_stem, set);
	return rc ? vx_error_set(VX_ENOMEM, "out of memory collecting stems") : 0;
}

/* Rule 1: institution words, which the matrix keeps as marked terms. */
static void flag_lexicon(unsigned char *drop, const vx_dtm *m, size_t *count)
{
	for (size_t t = 0; t < m->n_terms; t++)
		if (m->key[t][0] == VX_DTM_INSTITUTION_MARK && !drop[t]) {
			drop[t] = 1;
			(*count)++;
		}
}

/* Grows *a to hold need elements (doubling from first). The old pointer is
 * invalid after a successful call. */
static int grow_u32(uint32_t **a, size_t *cap, size_t need, size_t first)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : first;
	while (nc < need)
		nc *= 2;
	uint32_t *p = realloc(*a, nc * sizeof *p);
	if (p == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	*a = p;
	*cap = nc;
	return 0;
}

/* Rule 2: terms of service and structure names that users write mostly when
 * they deal with the institution so named: at least half of the documents
 * containing the term carry a service or structure whose name contains it. */
static int flag_labels(unsigned char *drop, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                       vx_text *text, size_t *count)
{
	int rc = 0;
	vx_strmap names, keep, stems;
	vx_strmap_init(&names);
	vx_strmap_init(&keep);
	vx_strmap_init(&stems);
	vx_strmap term_of_key;
	vx_strmap_init(&term_of_key);
	uint32_t *own = calloc(m->n_terms ? m->n_terms : 1, sizeof *own);
	uint32_t *name_off = NULL, *name_terms = NULL;
	size_t n_name_terms = 0, cap_name_terms = 0, cap_off = 0;
	if (own == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = add_stems(&keep, text, protected_words)) != 0)
		goto done;
	for (size_t t = 0; t < m->n_terms; t++) {
		uint32_t id;
		if ((rc = vx_strmap_intern(&term_of_key, m->key[t], strlen(m->key[t]), &id, NULL)) != 0)
			goto done;
	}
	for (size_t d = 0; d < m->n_docs; d++) {
		const vx_experience *e = vx_corpus_get(corpus, docs[d]);
		const char *label[2] = {e->service, e->structure};
		for (int k = 0; k < 2; k++) {
			if (*label[k] == '\0')
				continue;
			uint32_t id;
			int added = 0;
			if ((rc = vx_strmap_intern(&names, label[k], strlen(label[k]), &id, &added)) != 0)
				goto done;
			if (added) {
				/* The terms of this name, stored once per distinct name. */
				if ((rc = grow_u32(&name_off, &cap_off, (size_t)id + 2, 256)) != 0)
					goto done;
				name_off[id] = (uint32_t)n_name_terms;
				vx_strmap_free(&stems);
				vx_strmap_init(&stems);
				if ((rc = add_stems(&stems, text, label[k])) != 0)
					goto done;
				for (uint32_t q = 0; q < vx_strmap_count(&stems); q++) {
					const char *st = vx_strmap_key(&stems, q);
					int64_t t = vx_strmap_find(&term_of_key, st, strlen(st));
					if (t < 0 || vx_strmap_find(&keep, st, strlen(st)) >= 0)
						continue;
					if ((rc = grow_u32(&name_terms, &cap_name_terms, n_name_terms + 1, 1024)) != 0)
						goto done;
					name_terms[n_name_terms++] = (uint32_t)t;
				}
				name_off[id + 1] = (uint32_t)n_name_terms;
			}
			/* Terms of the document that its own names contain. */
			for (uint32_t p = m->row_ptr[d]; p < m->row_ptr[d + 1]; p++)
				for (uint32_t q = name_off[id]; q < name_off[id + 1]; q++)
					if (name_terms[q] == m->col[p]) {
						own[m->col[p]]++;
						break;
					}
		}
	}
	for (size_t t = 0; t < m->n_terms; t++)
		if (!drop[t] && m->df[t] >= 3 && own[t] * 2 >= m->df[t]) {
			drop[t] = 1;
			(*count)++;
		}
done:
	vx_strmap_free(&names);
	vx_strmap_free(&keep);
	vx_strmap_free(&stems);
	vx_strmap_free(&term_of_key);
	free(own);
	free(name_off);
	free(name_terms);
	return rc;
}

/* Rule 3 on one facet: facet(e) gives the value of an experience. */
static int flag_concentrated(unsigned char *drop, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                             const char *(*facet)(const vx_experience *), size_t *count)
{
	int rc = 0;
	size_t n = m->n_docs, V = m->n_terms;
	vx_strmap values;
	vx_strmap_init(&values);
	uint32_t *value = malloc((n ? n : 1) * sizeof *value);
	uint32_t *order = NULL, *cnt = NULL, *best = NULL, *best_value = NULL, *touched = NULL;
	uint32_t *term_feel = NULL, *value_feel = NULL, *term_known = NULL;
	size_t feel_total[VX_FEELING_COUNT] = {0};
	if (value == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t d = 0; d < n; d++) {
		const char *v = facet(vx_corpus_get(corpus, docs[d]));
		if (*v == '\0') {
			value[d] = UINT32_MAX;
			continue;
		}
		if ((rc = vx_strmap_intern(&values, v, strlen(v), &value[d], NULL)) != 0)
			goto done;
	}
	size_t nv = vx_strmap_count(&values);
	if (nv < 2)
		goto done; /* one value: nothing to tell apart */
	order = malloc(n * sizeof *order);
	cnt = calloc(V, sizeof *cnt);
	best = calloc(V, sizeof *best);
	best_value = calloc(V, sizeof *best_value);
	touched = malloc(V * sizeof *touched);
	term_feel = calloc(V * VX_FEELING_COUNT, sizeof *term_feel);
	value_feel = calloc(nv * VX_FEELING_COUNT, sizeof *value_feel);
	term_known = calloc(V, sizeof *term_known);
	if (!order || !cnt || !best || !best_value || !touched || !term_feel || !value_feel || !term_known) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	/* Counting sort of the documents by value. */
	uint32_t *start = calloc(nv + 1, sizeof *start);
	if (start == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t d = 0; d < n; d++)
		if (value[d] != UINT32_MAX)
			start[value[d] + 1]++;
	for (size_t v = 0; v < nv; v++)
		start[v + 1] += start[v];
	for (size_t d = 0; d < n; d++)
		if (value[d] != UINT32_MAX)
			order[start[value[d]]++] = (uint32_t)d;
	for (size_t v = nv; v > 0; v--)
		start[v] = start[v - 1];
	start[0] = 0;
	for (size_t v = 0; v < nv; v++) {
		size_t nt = 0;
		for (uint32_t q = start[v]; q < start[v + 1]; q++) {
			uint32_t d = order[q];
			vx_feeling f = vx_corpus_get(corpus, docs[d])->feeling;
			value_feel[v * VX_FEELING_COUNT + f]++;
			feel_total[f]++;
			for (uint32_t p = m->row_ptr[d]; p < m->row_ptr[d + 1]; p++) {
				uint32_t t = m->col[p];
				if (cnt[t]++ == 0)
					touched[nt++] = t;
				term_feel[t * VX_FEELING_COUNT + f]++;
				term_known[t]++;
			}
		}
		for (size_t k = 0; k < nt; k++) {
			uint32_t t = touched[k];
			if (cnt[t] > best[t]) {
				best[t] = cnt[t];
				best_value[t] = (uint32_t)v;
			}
			cnt[t] = 0;
		}
	}
	free(start);
	for (size_t t = 0; t < V; t++) {
		if (term_known[t] < VX_FACET_MIN_DF || drop[t])
			continue;
		double share = (double)best[t] / term_known[t];
		if (share < VX_FACET_MIN_SHARE)
			continue;
		/* What the feelings of the term's documents alone would predict. */
		double expected = 0;
		for (int f = 0; f < VX_FEELING_COUNT; f++)
			if (feel_total[f])
				expected += (double)term_feel[t * VX_FEELING_COUNT + f] / term_known[t] *
				            ((double)value_feel[best_value[t] * VX_FEELING_COUNT + f] / feel_total[f]);
		if (expected > 0 && share / expected >= VX_FACET_MIN_LIFT) {
			drop[t] = 1;
			(*count)++;
		}
	}
done:
	vx_strmap_free(&values);
	free(value);
	free(order);
	free(cnt);
	free(best);
	free(best_value);
	free(touched);
	free(term_feel);
	free(value_feel);
	free(term_known);
	return rc;
}

static const char *facet_service(const vx_experience *e)
{
	return e->service;
}

static const char *facet_structure(const vx_experience *e)
{
	return e->structure;
}

int vx_facets_flag_terms(unsigned char *drop, const vx_dtm *m, const vx_corpus *corpus, const size_t *docs,
                         vx_text *text, vx_facet_report *report)
{
	int rc;
	vx_facet_report r = {0};
	flag_lexicon(drop, m, &r.lexicon);
	if ((rc = flag_labels(drop, m, corpus, docs, text, &r.label)) != 0 ||
	    (rc = flag_concentrated(drop, m, corpus, docs, facet_service, &r.concentrated)) != 0 ||
	    (rc = flag_concentrated(drop, m, corpus, docs, facet_structure, &r.concentrated)) != 0)
		return rc;
	if (report)
		*report = r;
	return 0;
}
