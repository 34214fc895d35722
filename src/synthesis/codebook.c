#include "synthesis/codebook.h"

#include <stdlib.h>
#include <string.h>

#include "util/fold.h"
#include "voix/note.h"
#include "util/error.h"
#include "voix/error.h"

/* The built-in codebook is data/codebook.txt, embedded at build time
 * (see CMakeLists.txt) so that the file users read and edit is the one the
 * program uses. */
extern const unsigned char vx_codebook_data[];

const char *vx_codebook_builtin(void)
{
	return (const char *)vx_codebook_data;
}

const char *vx_codebook_builtin_text(void)
{
	return vx_codebook_builtin();
}

void vx_codebook_free(vx_codebook *cb)
{
	if (cb == NULL)
		return;
	for (size_t i = 0; i < cb->n; i++) {
		vx_lever *l = &cb->levers[i];
		free(l->key);
		free(l->title);
		free(l->text);
		free(l->topic);
		for (size_t w = 0; w < l->n_words; w++)
			free(l->words[w]);
		for (size_t e = 0; e < l->n_exprs; e++)
			free(l->exprs[e].text);
	}
	free(cb->levers);
	cb->levers = NULL;
	cb->n = 0;
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

static int dimension_of(const char *name, vx_dimension *out)
{
	for (int d = 0; d < VX_DIM_COUNT; d++)
		if (vx_fold_equal(name, vx_dimension_name((vx_dimension)d))) {
			*out = (vx_dimension)d;
			return 1;
		}
	return 0;
}

/* Splits a comma-separated list; calls add for each trimmed item. */
static int split_list(const char *v, size_t n, int (*add)(vx_lever *, const char *, size_t), vx_lever *l)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || v[i] == ',') {
			const char *p = v + start;
			size_t len = i - start;
			while (len && *p == ' ') {
				p++;
				len--;
			}
			while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
				len--;
			if (len) {
				int rc = add(l, p, len);
				if (rc)
					return rc;
			}
			start = i + 1;
		}
	return 0;
}

static int add_word(vx_lever *l, const char *p, size_t len)
{
	if (memchr(p, ' ', len))
		return vx_error_set(VX_EFORMAT, "levier [%s] : un mot-signal est un seul mot (un mot composé à trait "
		                                "d'union compte pour un) ; séparer l'entrée ou la mettre dans expressions",
		                    l->key);
	if (l->n_words >= VX_CODEBOOK_MAX_WORDS)
		return vx_error_set(VX_EFORMAT, "levier [%s] : plus de %d mots", l->key, VX_CODEBOOK_MAX_WORDS);
	char *w = strndup(p, len);
	if (w == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	l->words[l->n_words++] = w;
	return 0;
}

/* Splits "e1 ; e2" into expressions of lever l, found on line. */
static int add_exprs(vx_lever *l, const char *v, size_t n, size_t line)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && v[i] != ';')
			continue;
		const char *p = v + start;
		size_t len = i - start;
		start = i + 1;
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		if (l->n_exprs >= VX_CODEBOOK_MAX_EXPRS)
			return vx_error_set(VX_EFORMAT, "au plus %d expressions par section", VX_CODEBOOK_MAX_EXPRS);
		char *e = strndup(p, len);
		if (e == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory");
		l->exprs[l->n_exprs++] = (vx_codebook_expr){e, line};
	}
	return 0;
}

static int add_dim(vx_lever *l, const char *p, size_t len)
{
	char name[128];
	vx_dimension d;
	if (len >= sizeof name)
		return vx_error_set(VX_EFORMAT, "levier [%s] : nom de dimension trop long", l->key);
	memcpy(name, p, len);
	name[len] = '\0';
	if (!dimension_of(name, &d))
		return vx_error_set(VX_EFORMAT, "levier [%s] : dimension DITP inconnue (attendu : Accessibilité, "
		                                "Information/Explication, Relation, Réactivité, Simplicité/Complexité)",
		                    l->key);
	for (size_t k = 0; k < l->n_dims; k++)
		if (l->dims[k] == d)
			return 0;
	l->dims[l->n_dims++] = d;
	return 0;
}

int vx_codebook_parse(vx_codebook *out, const char *text, size_t len, const char *name)
{
	int rc = 0;
	size_t cap = 0, line_no = 0, pos = 0;
	memset(out, 0, sizeof *out);
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		const char *line = text + pos;
		size_t n = end - pos;
		pos = end + 1;
		line_no++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		while (n && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (line[0] == '[') {
			if (n < 3 || line[n - 1] != ']') {
				rc = vx_error_set(VX_EFORMAT, "%s:%zu: une section s'écrit [clé]", name, line_no);
				goto done;
			}
			if (out->n == cap) {
				cap = cap ? cap * 2 : 16;
				vx_lever *p = realloc(out->levers, cap * sizeof *p);
				if (p == NULL) {
					rc = vx_error_set(VX_ENOMEM, "out of memory");
					goto done;
				}
				out->levers = p;
			}
			vx_lever *l = &out->levers[out->n++];
			memset(l, 0, sizeof *l);
			l->key = strndup(line + 1, n - 2);
			l->line = line_no;
			if (l->key == NULL) {
				rc = vx_error_set(VX_ENOMEM, "out of memory");
				goto done;
			}
			continue;
		}
		const char *colon = memchr(line, ':', n);
		if (colon == NULL || out->n == 0) {
			rc = vx_error_set(VX_EFORMAT, "%s:%zu: « nom: valeur » attendu dans une section [levier]", name,
			                  line_no);
			goto done;
		}
		vx_lever *l = &out->levers[out->n - 1];
		size_t kl = (size_t)(colon - line);
		const char *v = colon + 1;
		size_t vl = n - kl - 1;
		if (kl == 5 && memcmp(line, "sujet", 5) == 0) {
			free(l->topic);
			l->topic = trim_dup(v, vl);
		} else if (kl == 4 && memcmp(line, "type", 4) == 0) {
			char *t = trim_dup(v, vl);
			int ok = t && (strcmp(t, "plainte") == 0 || strcmp(t, "point_fort") == 0 || strcmp(t, "renvoi") == 0);
			l->kind = !t                              ? VX_THEME_COMPLAINT
			          : strcmp(t, "point_fort") == 0 ? VX_THEME_PRAISE
			          : strcmp(t, "renvoi") == 0     ? VX_THEME_REFERRAL
			                                          : VX_THEME_COMPLAINT;
			free(t);
			if (!ok) {
				rc = vx_error_set(VX_EFORMAT, "%s:%zu: type attendu : plainte, point_fort ou renvoi", name,
				                  line_no);
				goto done;
			}
		} else if (kl == 11 && memcmp(line, "expressions", 11) == 0) {
			if ((rc = add_exprs(l, v, vl, line_no)) != 0)
				goto located;
		} else if (kl == 5 && memcmp(line, "titre", 5) == 0) {
			free(l->title);
			l->title = trim_dup(v, vl);
		} else if (kl == 5 && memcmp(line, "texte", 5) == 0) {
			free(l->text);
			l->text = trim_dup(v, vl);
		} else if (kl == 4 && memcmp(line, "mots", 4) == 0) {
			if ((rc = split_list(v, vl, add_word, l)) != 0)
				goto located;
		} else if (kl == 10 && memcmp(line, "dimensions", 10) == 0) {
			if ((rc = split_list(v, vl, add_dim, l)) != 0)
				goto located;
		} else {
			rc = vx_error_set(VX_EFORMAT,
			                  "%s:%zu: champ inconnu (attendu : titre, texte, mots, dimensions, sujet, type, "
			                  "expressions)",
			                  name, line_no);
			goto done;
		}
	}
	for (size_t i = 0; i < out->n; i++) {
		vx_lever *l = &out->levers[i];
		int bad = l->kind == VX_THEME_PRAISE     ? !l->topic || l->n_exprs == 0
		          : l->kind == VX_THEME_REFERRAL ? l->n_exprs == 0
		                                         : !l->title || !l->text || (l->n_words == 0 && l->n_exprs == 0);
		if (bad) {
			rc = vx_error_set(VX_EFORMAT,
			                  l->kind == VX_THEME_PRAISE      ? "%s:%zu: le point fort [%s] demande sujet et expressions"
			                  : l->kind == VX_THEME_REFERRAL ? "%s:%zu: le renvoi [%s] demande des expressions"
			                                                 : "%s:%zu: le levier [%s] demande titre, texte et mots "
			                                                   "ou expressions",
			                  name, l->line, l->key);
			goto done;
		}
	}
	if (out->n == 0)
		rc = vx_error_set(VX_EFORMAT, "%s : aucun levier", name);
	goto done;
located: /* the message of a field's parser, with the file and line in front */
	rc = vx_error_prefix(rc, "%s:%zu: ", name, line_no);
done:
	if (rc)
		vx_codebook_free(out);
	return rc;
}
