#include "synthesis/units.h"

#include <stdlib.h>
#include <string.h>

#include "voix/error.h"

typedef struct split_state {
	vx_units *out;
	const vx_strmap *terms;
	const char *text;
	int failed;
	vx_token_cb also;   /* also told of every token, NULL: nobody */
	void *also_payload;
} split_state;

static int push(split_state *s, const vx_token *tok)
{
	vx_units *o = s->out;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		vx_unit *p = realloc(o->u, cap * sizeof *p);
		if (p == NULL) {
			s->failed = vx_error_set(VX_ENOMEM, "out of memory splitting a text");
			return 1;
		}
		o->u = p;
		o->cap = cap;
	}
	vx_unit *u = &o->u[o->n++];
	u->start = tok->start;
	u->end = tok->end;
	u->numeric = tok->numeric || vx_dtm_is_number_word(tok->folded, tok->folded_len);
	u->stop = tok->stop || tok->numeric || vx_dtm_is_domain_stopword(tok->folded, tok->folded_len);
	const char *k = u->stop ? tok->folded : tok->stem;
	size_t kl = u->stop ? tok->folded_len : tok->stem_len;
	char mark[64];
	if (!u->stop && ((tok->folded_len == 3 && memcmp(tok->folded, "rdv", 3) == 0) ||
	                 (tok->folded_len == 6 && memcmp(tok->folded, "rendez", 6) == 0))) {
		k = "rendez-vous";
		kl = 11;
	} else if (!u->stop && vx_dtm_is_institution_word(tok->folded, tok->folded_len) &&
	           tok->folded_len + 1 < sizeof mark) {
		mark[0] = VX_DTM_INSTITUTION_MARK;
		memcpy(mark + 1, tok->folded, tok->folded_len);
		k = mark;
		kl = tok->folded_len + 1;
	}
	if (kl >= sizeof u->key)
		kl = sizeof u->key - 1;
	memcpy(u->key, k, kl);
	u->key[kl] = '\0';
	return 0;
}

static int on_token(const vx_token *tok, void *payload)
{
	split_state *s = payload;
	vx_units *o = s->out;
	if (s->also) {
		int rc = s->also(tok, s->also_payload);
		if (rc) {
			s->failed = rc;
			return rc;
		}
	}
	if (o->n > 0) {
		vx_unit *prev = &o->u[o->n - 1];
		int hyphen = !prev->stop && tok->start == prev->end + 1 && s->text[prev->end] == '-' && !tok->numeric &&
		             tok->folded_len >= 2;
		if (strcmp(prev->key, "rendez-vous") == 0 && tok->folded_len == 4 && memcmp(tok->folded, "vous", 4) == 0) {
			prev->end = tok->end; /* "rendez" already stands for "rendez-vous" */
			return 0;
		}
		size_t kl = strlen(prev->key);
		const char *part = tok->stem;
		size_t pl = tok->stem_len;
		if (hyphen && kl + 1 + pl < sizeof prev->key) {
			prev->key[kl] = '-';
			memcpy(prev->key + kl + 1, part, pl);
			prev->key[kl + 1 + pl] = '\0';
			prev->end = tok->end;
			return 0;
		}
	}
	return push(s, tok);
}

int vx_units_split(vx_units *out, vx_text *t, const vx_strmap *terms, const char *text, size_t len)
{
	return vx_units_split_with(out, t, terms, text, len, NULL, NULL);
}

int vx_units_split_with(vx_units *out, vx_text *t, const vx_strmap *terms, const char *text, size_t len,
                        vx_token_cb also, void *payload)
{
	split_state s = {out, terms, text, 0, also, payload};
	out->n = 0;
	int rc = vx_text_tokens(t, text, len, on_token, &s);
	if (s.failed)
		return s.failed;
	if (rc)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		vx_unit *u = &out->u[i];
		int64_t id = u->stop ? -1 : vx_strmap_find(terms, u->key, strlen(u->key));
		u->term = (int32_t)id;
	}
	return 0;
}

void vx_units_free(vx_units *u)
{
	free(u->u);
	u->u = NULL;
	u->n = u->cap = 0;
}

int vx_units_term_map(vx_strmap *out, const vx_dtm *m)
{
	vx_strmap_init(out);
	for (size_t t = 0; t < m->n_terms; t++) {
		uint32_t id;
		int rc = vx_strmap_intern(out, m->key[t], strlen(m->key[t]), &id, NULL);
		if (rc)
			return rc;
	}
	return 0;
}
