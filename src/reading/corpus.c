/*
 * The corpus container: experiences in a growable array, their strings in an
 * arena, plus the list of sources and of rejected rows.
 */
#include "voix/corpus.h"

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

int vx_filter_match(const vx_filter *f, const vx_experience *e)
{
	if (f == NULL)
		return 1;
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
