/*
 * Topic labels that read like what users write: the most frequent short
 * phrase (2 to 4 words, starting and ending on model terms, at most two
 * small words between) among the topic's most typical experiences, shown in
 * its most frequent written form. Falls back to the two leading terms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "synthesis/note_internal.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/rank.h"
#include "voix/error.h"

#define LABEL_SAMPLE 200     /* typical documents scanned per topic */
#define LABEL_TOP_TERMS 6    /* a phrase must contain one of these */
#define LABEL_MAX_UNITS 4      /* words in a label, small words included */
#define LABEL_MAX_STOPS 2

/* Phrases frequent in any feedback that name no experience: a label never
 * is one of them (folded: lower case, no accents). */
static const char *const generic_phrases[] = {
	"service public", "services publics", "depuis plusieurs annees", "depuis plusieurs mois", "plusieurs mois",
	"plusieurs annees", "plusieurs fois", "plusieurs semaines", "ce jour", "a ce jour", "bonne journee",
	"merci beaucoup", "tout le monde", "chaque fois", "tous les jours", "cette annee", "l annee derniere",
	"depuis des mois", "depuis des annees", "fois de suite", "etc etc",
};

/* 1 when the written phrase folds to one of generic_phrases. */
static int is_generic(const char *phrase)
{
	char f[128];
	int n = vx_fold_label(f, sizeof f, phrase, strlen(phrase));
	if (n < 0)
		return 0;
	for (char *c = f; *c; c++)
		if (*c == '\'' || *c == '-')
			*c = ' ';
	for (size_t i = 0; i < sizeof generic_phrases / sizeof *generic_phrases; i++)
		if (strcmp(f, generic_phrases[i]) == 0)
			return 1;
	return 0;
}

/* Appends s with every run of white space written as one space. */
static int put_collapsed(vx_buf *out, const char *s)
{
	int rc = 0, space = 0;
	for (; *s && rc == 0; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space)
			rc = vx_buf_putc(out, ' ');
		space = 0;
		if (rc == 0)
			rc = vx_buf_putc(out, *s);
	}
	return rc;
}

typedef struct phrase_stats {
	vx_strmap keys;          /* normalised phrase -> id */
	uint32_t *df, *last_doc, *n_content;
	float *weight;           /* sum of the topic weights of the phrase's terms */
	vx_strmap surfaces;      /* "id\x1fsurface" -> id */
	uint32_t *surface_count;
	size_t cap, cap_s;
} phrase_stats;

/* Grows the zero-filled array *a from old to cap elements. */
static int grow_array(uint32_t **a, size_t old, size_t cap)
{
	uint32_t *p = realloc(*a, cap * sizeof *p);
	if (p == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	memset(p + old, 0, (cap - old) * sizeof *p);
	*a = p;
	return 0;
}

static size_t next_cap(size_t cap, size_t need)
{
	size_t nc = cap ? cap * 2 : 256;
	while (nc < need)
		nc *= 2;
	return nc;
}

static int grow_stats(phrase_stats *s, size_t need)
{
	if (need <= s->cap)
		return 0;
	size_t nc = next_cap(s->cap, need);
	int rc;
	if ((rc = grow_array(&s->df, s->cap, nc)) != 0 || (rc = grow_array(&s->last_doc, s->cap, nc)) != 0 ||
	    (rc = grow_array(&s->n_content, s->cap, nc)) != 0)
		return rc;
	float *w = realloc(s->weight, nc * sizeof *w);
	if (w == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	s->weight = w;
	s->cap = nc;
	return 0;
}

/* Lower-cases a UTF-8 span into buf (accents kept). */
static int lower_span(vx_buf *buf, const char *s, size_t len)
{
	vx_buf_reset(buf);
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		if (cp == '\n' || cp == '\r' || cp == '\t' || cp == 0x2019)
			cp = cp == 0x2019 ? '\'' : ' ';
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_tolower(cp), enc);
		int rc = vx_buf_append(buf, enc, (size_t)n);
		if (rc)
			return rc;
	}
	return 0;
}

/* 1 when only spaces and apostrophes separate two words. */
static int plain_gap(const char *text, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == ' ' || c == '\'')
			continue;
		if (c == 0xE2 && i + 2 < to && (unsigned char)text[i + 1] == 0x80 && (unsigned char)text[i + 2] == 0x99) {
			i += 2; /* ’ */
			continue;
		}
		return 0;
	}
	return 1;
}

/* Writes the first letter of out in upper case, as a heading starts
 * ("transports en commun" -> "Transports en commun"). */
static int capitalise(vx_buf *out)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = out->len ? utf8proc_iterate((const utf8proc_uint8_t *)out->data, (utf8proc_ssize_t)out->len,
	                                                 &cp)
	                              : 0;
	if (n <= 0)
		return 0;
	utf8proc_uint8_t up[4];
	utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(cp), up);
	if (m == n) {
		memcpy(out->data, up, (size_t)m);
		return 0;
	}
	vx_buf tmp = VX_BUF_INIT;
	int rc = vx_buf_append(&tmp, (const char *)up, (size_t)m);
	if (rc == 0)
		rc = vx_buf_append(&tmp, out->data + n, out->len - (size_t)n);
	if (rc == 0) {
		vx_buf_reset(out);
		rc = vx_buf_append(out, tmp.data, tmp.len);
	}
	vx_buf_free(&tmp);
	return rc;
}

/* 1 when units [e, e + 1] are "et" or "ou" then an article or a
 * preposition: the second half of a complement whose head lies before the
 * phrase ("l'Etat et des services publics" would give "etat et des
 * services"). */
static int cut_coordination(const vx_unit *u, size_t n, size_t e)
{
	static const char *const after[] = {"a", "au", "aux", "d", "de", "des", "du", "l", "la", "le", "les"};
	if (e + 1 >= n || !u[e + 1].stop || (strcmp(u[e].key, "et") != 0 && strcmp(u[e].key, "ou") != 0))
		return 0;
	for (size_t i = 0; i < sizeof after / sizeof *after; i++)
		if (strcmp(u[e + 1].key, after[i]) == 0)
			return 1;
	return 0;
}

/* Small words that may open a label though they are not model terms:
 * "aucune réponse", "pas de rendez-vous", "sans nouvelles". */
static int is_starter(const char *folded)
{
	static const char *const starters[] = {"aucun", "aucune", "jamais", "manque", "pas", "sans", "trop"};
	for (size_t i = 0; i < sizeof starters / sizeof starters[0]; i++)
		if (strcmp(folded, starters[i]) == 0)
			return 1;
	return 0;
}

static int is_top(const size_t *top, size_t n_top, int32_t term)
{
	for (size_t i = 0; i < n_top; i++)
		if ((int32_t)top[i] == term)
			return 1;
	return 0;
}

typedef struct weight_rank {
	const float *w;  /* weight of an id */
	size_t stride;   /* distance between the weights of consecutive ids */
} weight_rank;

static int heavier(uint32_t a, uint32_t b, const void *ctx)
{
	const weight_rank *r = ctx;
	return r->w[(size_t)a * r->stride] > r->w[(size_t)b * r->stride];
}

typedef struct topic_rank {
	const vx_topic_model *tm;
	size_t j;
} topic_rank;

static int heavier_in_topic(uint32_t a, uint32_t b, const void *ctx)
{
	const topic_rank *r = ctx;
	return vx_topic_weight(r->tm, a, r->j) > vx_topic_weight(r->tm, b, r->j);
}

/* Rows of topic j, most typical first (by weight, then row). */
static size_t typical_rows(uint32_t *out, size_t max, const vx_topic_model *tm, size_t j, const vx_build *b)
{
	size_t k = tm->nmf.k, n = 0;
	topic_rank rank = {tm, j};
	for (size_t r = 0; r < tm->n_rows; r++)
		if (tm->member[r * k + j] && tm->rows[r] < b->n_cur)
			vx_topk_insert(out, &n, max, (uint32_t)r, heavier_in_topic, &rank);
	return n;
}

size_t vx_topic_typical(uint32_t *out, size_t max, const vx_topic_model *tm, size_t j, const vx_build *b)
{
	return typical_rows(out, max, tm, j, b);
}

/* Top terms of topic j by weight. */
static size_t top_terms(size_t *out, size_t max, const vx_topic_model *tm, size_t j)
{
	size_t V = tm->nmf.n_terms, n = 0;
	uint32_t ids[64] = {0};
	weight_rank rank = {tm->nmf.H + j * V, 1};
	if (max > 64)
		max = 64;
	for (size_t t = 0; t < V; t++)
		vx_topk_insert(ids, &n, max, (uint32_t)t, heavier, &rank);
	for (size_t q = 0; q < n; q++)
		out[q] = ids[q];
	return n;
}

size_t vx_topic_top_terms(size_t *out, size_t max, const vx_topic_model *tm, size_t j)
{
	return top_terms(out, max, tm, j);
}

static int scan_doc(phrase_stats *s, vx_build *b, const char *text, uint32_t doc, const size_t *top, size_t n_top,
                    const float *h, vx_buf *key, vx_buf *surf)
{
	int rc = vx_units_split(&b->units, b->text, &b->term_map, text, strlen(text));
	if (rc)
		return rc;
	const vx_unit *u = b->units.u;
	size_t n = b->units.n;
	for (size_t i = 0; i < n; i++) {
		int starter = u[i].term < 0 && is_starter(u[i].key);
		if (u[i].term < 0 && !starter)
			continue;
		size_t stops = 0, content = starter ? 0 : 1;
		size_t tops = starter ? 0 : is_top(top, n_top, u[i].term);
		float weight = starter ? 0.0f : h[u[i].term];
		for (size_t e = i + 1; e < n && e < i + LABEL_MAX_UNITS; e++) {
			if (!plain_gap(text, u[e - 1].end, u[e].start))
				break; /* a label never spans punctuation */
			if (u[e].numeric)
				break; /* "en 5 minutes" describes one case, not the topic */
			if (u[e].stop) {
				if (++stops > LABEL_MAX_STOPS || cut_coordination(u, n, e))
					break;
				continue;
			}
			if (u[e].term < 0)
				break;
			content++;
			tops += is_top(top, n_top, u[e].term);
			weight += h[u[e].term];
			if (tops == 0 || content < (starter ? 1u : 2u))
				continue;
			/* Key: unit keys joined by spaces. */
			vx_buf_reset(key);
			for (size_t q = i; q <= e; q++)
				if ((rc = vx_buf_puts(key, u[q].key)) != 0 || (q < e && (rc = vx_buf_putc(key, ' ')) != 0))
					return rc;
			uint32_t id;
			int added;
			if ((rc = vx_strmap_intern(&s->keys, key->data, key->len, &id, &added)) != 0 ||
			    (rc = grow_stats(s, (size_t)id + 1)) != 0)
				return rc;
			if (s->last_doc[id] == doc + 1)
				continue;
			s->last_doc[id] = doc + 1;
			s->df[id]++;
			s->n_content[id] = (uint32_t)content;
			s->weight[id] = weight;
			if ((rc = lower_span(surf, text + u[i].start, u[e].end - u[i].start)) != 0)
				return rc;
			/* Surface counts keyed by phrase id. */
			char prefix[16];
			int pl = snprintf(prefix, sizeof prefix, "%u\x1f", id);
			vx_buf_reset(key);
			if ((rc = vx_buf_append(key, prefix, (size_t)pl)) != 0 || (rc = vx_buf_append(key, surf->data, surf->len)) != 0)
				return rc;
			uint32_t sid;
			if ((rc = vx_strmap_intern(&s->surfaces, key->data, key->len, &sid, NULL)) != 0)
				return rc;
			if (sid >= s->cap_s) {
				size_t nc = next_cap(s->cap_s, (size_t)sid + 1);
				if ((rc = grow_array(&s->surface_count, s->cap_s, nc)) != 0)
					return rc;
				s->cap_s = nc;
			}
			s->surface_count[sid]++;
		}
	}
	return 0;
}

int vx_label_topic(const char **label, vx_build *b, const vx_topic_model *tm, size_t j)
{
	int rc = 0;
	phrase_stats s;
	memset(&s, 0, sizeof s);
	vx_strmap_init(&s.keys);
	vx_strmap_init(&s.surfaces);
	vx_buf key = VX_BUF_INIT, surf = VX_BUF_INIT, out = VX_BUF_INIT;
	uint32_t *best_sid = NULL;
	size_t top[LABEL_TOP_TERMS];
	size_t n_top = top_terms(top, LABEL_TOP_TERMS, tm, j);
	const float *h = tm->nmf.H + j * tm->nmf.n_terms;
	uint32_t *rows = malloc(LABEL_SAMPLE * sizeof *rows);
	if (rows == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	size_t n_rows = typical_rows(rows, LABEL_SAMPLE, tm, j, b);
	for (size_t q = 0; q < n_rows; q++) {
		uint32_t row = tm->rows[rows[q]];
		const vx_experience *e = vx_corpus_get(b->corpus, b->docs[row]);
		if ((rc = scan_doc(&s, b, e->title, (uint32_t)q, top, n_top, h, &key, &surf)) != 0 ||
		    (rc = scan_doc(&s, b, e->text, (uint32_t)q, top, n_top, h, &key, &surf)) != 0)
			goto done;
	}
	/* Best phrase: how often it is written, times how much of the topic it
	 * carries (the topic weights of its terms, relative to the leading
	 * term), a little more for each content word, so that "dossier en
	 * attente" beats a frequent aside. */
	size_t min_df = n_rows / 30 > 2 ? n_rows / 30 : 2;
	int64_t best = -1;
	double best_score = 0, h0 = n_top ? h[top[0]] : 1.0;
	/* The most frequent written form of each phrase, to leave out the generic ones. */
	size_t n_keys = vx_strmap_count(&s.keys);
	best_sid = malloc((n_keys ? n_keys : 1) * sizeof *best_sid);
	if (best_sid == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t id = 0; id < n_keys; id++)
		best_sid[id] = UINT32_MAX;
	for (size_t sid = 0; sid < vx_strmap_count(&s.surfaces); sid++) {
		unsigned long id = strtoul(vx_strmap_key(&s.surfaces, (uint32_t)sid), NULL, 10);
		if (id < n_keys && (best_sid[id] == UINT32_MAX || s.surface_count[sid] > s.surface_count[best_sid[id]]))
			best_sid[id] = (uint32_t)sid;
	}
	for (size_t id = 0; id < n_keys; id++) {
		if (s.df[id] < min_df || best_sid[id] == UINT32_MAX ||
		    is_generic(strchr(vx_strmap_key(&s.surfaces, best_sid[id]), '\x1f') + 1))
			continue;
		double score = (double)s.df[id] * (s.weight[id] / (h0 > 0 ? h0 : 1.0)) *
		               (1.0 + 0.25 * (double)(s.n_content[id] - 1));
		if (score > best_score) {
			best_score = score;
			best = (int64_t)id;
		}
	}
	const char *chosen = NULL;
	if (best >= 0) /* its most frequent written form */
		chosen = strchr(vx_strmap_key(&s.surfaces, best_sid[best]), '\x1f') + 1;
	if (chosen) {
		/* A label never shows personal data: fall back when the masker finds any. */
		vx_pii_span *spans = NULL;
		size_t ns = 0;
		if ((rc = vx_masker_find(b->masker, chosen, strlen(chosen), &spans, &ns)) != 0)
			goto done;
		free(spans);
		if (ns == 0)
			rc = put_collapsed(&out, chosen);
		else
			chosen = NULL;

	}
	if (!chosen) {
		for (size_t q = 0; q < n_top && q < 2 && rc == 0; q++)
			rc = vx_buf_printf(&out, "%s%s", q ? " / " : "", b->m.surface[top[q]]);
	}
	if (rc == 0)
		rc = capitalise(&out);
	if (rc)
		goto done;
	*label = vx_arena_strndup(b->arena, out.data ? out.data : "", out.len);
	if (*label == NULL)
		rc = VX_ENOMEM;
done:
	free(rows);
	free(best_sid);
	vx_strmap_free(&s.keys);
	vx_strmap_free(&s.surfaces);
	free(s.df);
	free(s.last_doc);
	free(s.n_content);
	free(s.weight);
	free(s.surface_count);
	vx_buf_free(&key);
	vx_buf_free(&surf);
	vx_buf_free(&out);
	return rc;
}
