/*
 * The corpus container: experiences in a growable array, their strings in an
 * arena or in input buffers the corpus adopted (reading parses a file in
 * place), plus the list of sources and of rejected rows.
 */
#include "voix/corpus.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/corpus_priv.h"
#include "util/arena.h"
#include "util/fold.h"
#include "voix/error.h"

struct vx_corpus {
	vx_arena arena;
	vx_experience *items;
	size_t n, cap;
	vx_source *sources;
	size_t n_sources, cap_sources;
	vx_reject *rejects;
	size_t n_rejects, cap_rejects;
	void **adopted;        /* input buffers that strings point into */
	size_t n_adopted, cap_adopted;
};

int vx_corpus_new(vx_corpus **out)
{
	vx_corpus *c = calloc(1, sizeof *c);
	if (c == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating a corpus");
	vx_arena_init(&c->arena, 0);
	*out = c;
	return 0;
}

void vx_corpus_free(vx_corpus *c)
{
	if (c == NULL)
		return;
	vx_arena_free(&c->arena);
	free(c->items);
	free(c->sources);
	free(c->rejects);
	for (size_t k = 0; k < c->n_adopted; k++)
		free(c->adopted[k]);
	free(c->adopted);
	free(c);
}

size_t vx_corpus_count(const vx_corpus *c)
{
	return c->n;
}

const vx_experience *vx_corpus_get(const vx_corpus *c, size_t i)
{
	return i < c->n ? &c->items[i] : NULL;
}

/* Grows an array of elements of size sz to hold one more. The old pointer
 * is invalid after a successful call. */
static int grow(void **items, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*items, ncap * sz);
	if (p == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory growing the corpus to %zu items", ncap);
	*items = p;
	*cap = ncap;
	return 0;
}

const char *vx_corpus_intern(vx_corpus *c, const char *s, size_t len)
{
	if (s == NULL || len == 0)
		return "";
	return vx_arena_strndup(&c->arena, s, len);
}

static const char *dup(vx_corpus *c, const char *s)
{
	return s ? vx_corpus_intern(c, s, strlen(s)) : "";
}

int vx_corpus_add(vx_corpus *c, const vx_experience *e)
{
	int rc = grow((void **)&c->items, &c->cap, c->n, sizeof *c->items);
	if (rc)
		return rc;
	vx_experience x = *e;
	x.source = dup(c, e->source);
	x.id = dup(c, e->id);
	x.date = dup(c, e->date);
	x.date_text = dup(c, e->date_text);
	x.title = dup(c, e->title);
	x.text = dup(c, e->text);
	x.service = dup(c, e->service);
	x.structure = dup(c, e->structure);
	x.department = dup(c, e->department);
	x.reply = dup(c, e->reply);
	x.row_json = dup(c, e->row_json);
	x.channels = NULL;
	if (e->n_channels) {
		const char **ch = vx_arena_alloc(&c->arena, e->n_channels * sizeof *ch);
		if (ch == NULL)
			return VX_ENOMEM;
		for (uint32_t k = 0; k < e->n_channels; k++)
			ch[k] = dup(c, e->channels[k]);
		x.channels = ch;
	}
	if (!x.source || !x.id || !x.date || !x.date_text || !x.title || !x.text || !x.service ||
	    !x.structure || !x.department || !x.reply || !x.row_json)
		return VX_ENOMEM;
	c->items[c->n++] = x;
	return 0;
}

size_t vx_corpus_source_count(const vx_corpus *c)
{
	return c->n_sources;
}

const vx_source *vx_corpus_source(const vx_corpus *c, size_t i)
{
	return i < c->n_sources ? &c->sources[i] : NULL;
}

int vx_corpus_add_source(vx_corpus *c, const vx_source *s, size_t *index)
{
	int rc = grow((void **)&c->sources, &c->cap_sources, c->n_sources, sizeof *c->sources);
	if (rc)
		return rc;
	vx_source x = *s;
	x.path = dup(c, s->path);
	x.format = dup(c, s->format);
	x.encoding = dup(c, s->encoding);
	if (!x.path || !x.format || !x.encoding)
		return VX_ENOMEM;
	if (index)
		*index = c->n_sources;
	c->sources[c->n_sources++] = x;
	return 0;
}

void vx_corpus_update_source(vx_corpus *c, size_t i, const vx_source *s)
{
	if (i >= c->n_sources)
		return;
	c->sources[i].rows_read = s->rows_read;
	c->sources[i].rows_rejected = s->rows_rejected;
	c->sources[i].c1_repaired = s->c1_repaired;
	c->sources[i].lines_repaired = s->lines_repaired;
}

size_t vx_corpus_reject_count(const vx_corpus *c)
{
	return c->n_rejects;
}

const vx_reject *vx_corpus_reject(const vx_corpus *c, size_t i)
{
	return i < c->n_rejects ? &c->rejects[i] : NULL;
}

int vx_corpus_add_reject(vx_corpus *c, const vx_reject *r)
{
	int rc = grow((void **)&c->rejects, &c->cap_rejects, c->n_rejects, sizeof *c->rejects);
	if (rc)
		return rc;
	vx_reject x = *r;
	x.source = dup(c, r->source);
	x.reason = dup(c, r->reason);
	x.raw = dup(c, r->raw);
	if (!x.source || !x.reason || !x.raw)
		return VX_ENOMEM;
	c->rejects[c->n_rejects++] = x;
	return 0;
}

const char *vx_feeling_name(vx_feeling f)
{
	static const char *names[] = {"inconnu", "positif", "neutre", "négatif"};
	return f < VX_FEELING_COUNT ? names[f] : "inconnu";
}

const char *vx_feeling_key(vx_feeling f)
{
	static const char *keys[] = {"inconnu", "positif", "neutre", "negatif"};
	return f < VX_FEELING_COUNT ? keys[f] : "inconnu";
}

const char *vx_dimension_name(vx_dimension d)
{
	static const char *names[] = {"Accessibilité", "Information/Explication", "Relation", "Réactivité",
	                              "Simplicité/Complexité"};
	return d < VX_DIM_COUNT ? names[d] : "";
}

int vx_feeling_from_name(vx_feeling *out, const char *name)
{
	for (int f = VX_FEELING_POSITIVE; name && *name && f < VX_FEELING_COUNT; f++)
		if (vx_fold_equal(name, vx_feeling_name((vx_feeling)f))) {
			*out = (vx_feeling)f;
			return 0;
		}
	return VX_EINVAL;
}

/* 1 when s, blanks around it ignored, is one of the comma-separated items
 * of list (blanks around each ignored; an empty item matches nothing). */
static int in_list(const char *list, const char *s)
{
	size_t want_len = strlen(s), len;
	const char *item;
	vx_label_trim(&s, &want_len);
	for (const char *p = list; vx_label_list_next(&p, &item, &len);) {
		if (len > 0 && len == want_len && memcmp(item, s, len) == 0)
			return 1;
		const char *name = vx_department_name(item, len);
		char have[64];
		if (name && want_len > 0 && want_len < sizeof have) {
			memcpy(have, s, want_len);
			have[want_len] = '\0';
			if (vx_fold_equal(name, have))
				return 1;
		}
	}
	return 0;
}

int vx_filter_match(const vx_filter *f, const vx_experience *e)
{
	if (f == NULL)
		return 1;
	if (f->feeling && *f->feeling) {
		vx_feeling want;
		if (vx_feeling_from_name(&want, f->feeling) != 0 || e->feeling != want)
			return 0;
	}
	if (f->department && *f->department && !in_list(f->department, e->department))
		return 0;
	if (f->service && *f->service && !vx_fold_equal(f->service, e->service))
		return 0;
	if (f->structure && *f->structure && !vx_fold_equal(f->structure, e->structure))
		return 0;
	if (f->channel && *f->channel) {
		int found = 0;
		for (uint32_t k = 0; k < e->n_channels && !found; k++)
			found = vx_fold_equal(f->channel, e->channels[k]);
		if (!found)
			return 0;
	}
	if ((f->since && *f->since) || (f->until && *f->until)) {
		if (e->date[0] == '\0')
			return 0;
		if (f->since && *f->since && strncmp(e->date, f->since, 10) < 0)
			return 0;
		if (f->until && *f->until && strncmp(e->date, f->until, 10) > 0)
			return 0;
	}
	return 1;
}

int vx_corpus_add_interned(vx_corpus *c, const vx_experience *e)
{
	int rc = grow((void **)&c->items, &c->cap, c->n, sizeof *c->items);
	if (rc)
		return rc;
	c->items[c->n++] = *e;
	return 0;
}

const char **vx_corpus_alloc_ptrs(vx_corpus *c, size_t n)
{
	return vx_arena_alloc(&c->arena, n * sizeof(const char *));
}

void vx_corpus_truncate(vx_corpus *c, size_t n_items, size_t n_sources, size_t n_rejects)
{
	if (n_items < c->n)
		c->n = n_items;
	if (n_sources < c->n_sources)
		c->n_sources = n_sources;
	if (n_rejects < c->n_rejects)
		c->n_rejects = n_rejects;
}

int vx_corpus_adopt(vx_corpus *c, void *block)
{
	int rc = grow((void **)&c->adopted, &c->cap_adopted, c->n_adopted, sizeof *c->adopted);
	if (rc)
		return rc;
	c->adopted[c->n_adopted++] = block;
	return 0;
}

void vx_corpus_disown(vx_corpus *c, const void *block)
{
	if (block != NULL && c->n_adopted > 0 && c->adopted[c->n_adopted - 1] == block)
		c->n_adopted--;
}

/* The string fields of e that may point into an adopted block, at most
 * VX_CORPUS_SLOTS of them; returns how many were stored in slot. */
#define VX_CORPUS_SLOTS 16
static size_t string_slots(vx_experience *e, const char **slot[VX_CORPUS_SLOTS], uintptr_t lo, uintptr_t hi)
{
	const char **all[] = {&e->id,      &e->date,      &e->date_text,  &e->title, &e->text,
	                      &e->service, &e->structure, &e->department, &e->reply};
	size_t n = 0;
	for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
		if ((uintptr_t)*all[k] >= lo && (uintptr_t)*all[k] < hi)
			slot[n++] = all[k];
	for (uint32_t k = 0; k < e->n_channels && n < VX_CORPUS_SLOTS; k++)
		if ((uintptr_t)e->channels[k] >= lo && (uintptr_t)e->channels[k] < hi)
			slot[n++] = (const char **)&e->channels[k];
	return n;
}

void vx_corpus_compact(vx_corpus *c, size_t from, size_t size)
{
	if (c->n_adopted == 0 || from >= c->n)
		return;
	char *base = c->adopted[c->n_adopted - 1];
	uintptr_t lo = (uintptr_t)base, hi = lo + size + 1;
	char *w = base;
	for (size_t i = from; i < c->n; i++) {
		const char **slot[VX_CORPUS_SLOTS];
		size_t n = string_slots(&c->items[i], slot, lo, hi);
		/* In address order; a row has a handful of strings. */
		for (size_t a = 1; a < n; a++)
			for (size_t b = a; b > 0 && *slot[b] < *slot[b - 1]; b--) {
				const char **t = slot[b];
				slot[b] = slot[b - 1];
				slot[b - 1] = t;
			}
		const char *prev = NULL, *prev_end = NULL;
		char *prev_new = NULL;
		for (size_t k = 0; k < n; k++) {
			const char *p = *slot[k];
			if (prev != NULL && (uintptr_t)p < (uintptr_t)prev_end) {
				/* The same string, or its tail (a trimmed id in the same
				 * field): it ends where prev ends. */
				*slot[k] = prev_new + (p - prev);
				continue;
			}
			size_t len = strlen(p) + 1;
			memmove(w, p, len);
			prev = p;
			prev_end = p + len;
			prev_new = w;
			*slot[k] = w;
			w += len;
		}
	}
	size_t used = (size_t)(w - base);
	uintptr_t old = (uintptr_t)base; /* the old address, kept as a number: base is invalid after realloc */
	char *nb = realloc(base, used ? used : 1);
	if (nb == NULL || (uintptr_t)nb == old)
		return; /* a failed shrink keeps the block as it was: fine */
	/* The block moved: rebase every string that pointed into it. */
	c->adopted[c->n_adopted - 1] = nb;
	lo = old;
	hi = lo + used;
	for (size_t i = from; i < c->n; i++) {
		const char **slot[VX_CORPUS_SLOTS];
		size_t n = string_slots(&c->items[i], slot, lo, hi);
		for (size_t k = 0; k < n; k++)
			*slot[k] = nb + ((uintptr_t)*slot[k] - lo);
	}
}
