/*
 * Feelings read from the words (voix/feeling.h, model/feeling.h).
 *
 * The cues of a lexicon are compiled as themes (model/themes.h), one theme
 * per weight (-3..+3), so that they are matched exactly as the codebook's
 * expressions are. The scanner keeps the tokens of the current document
 * (span, field, clause, and whether the word is a negation, an intensifier
 * or a contrast) and the matches the theme scanner reports; at the end of
 * the document it keeps the longest of overlapping matches and counts each
 * with the words around it.
 */
#include "model/feeling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/themes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/grow.h"
#include "util/strmap.h"
#include "voix/error.h"

#define MAX_WEIGHT 3
#define N_CLASSES (2 * MAX_WEIGHT + 1)
#define NEG_WINDOW VX_FEELING_NEGATION_WORDS        /* words before a cue searched for a negation */
#define INTENS_WINDOW VX_FEELING_INTENSIFIER_WORDS  /* words before a cue searched for an intensifier */
#define CONFIDENCE_PRIOR 2.0 /* confidence = |score| / (evidence + this) */

enum { W_KNOWN = 1, W_NEG = 2, W_INTENS = 4, W_CONTRAST = 8, W_LONE = 16 };

/* What a lone negation (W_LONE) adds when it reverses no cue. */
#define LONE_NEGATION -0.5f

/* The built-in lexicon is data/feelings.txt, embedded at build time. */
extern const unsigned char vx_feelings_data[];

const char *vx_lexicon_builtin_text(void)
{
	return (const char *)vx_feelings_data;
}

struct vx_lexicon {
	vx_themes *th;
	vx_strmap words;       /* folded words of the three lists */
	unsigned char *flags;  /* per word of words: W_NEG | W_INTENS | W_CONTRAST */
	size_t cap_flags;
};

void vx_lexicon_free(vx_lexicon *lx)
{
	if (lx == NULL)
		return;
	vx_themes_free(lx->th);
	vx_strmap_free(&lx->words);
	free(lx->flags);
	free(lx);
}

typedef struct list_acc {
	vx_lexicon *lx;
	unsigned char flag;
	int rc;
} list_acc;

static int add_list_word(const vx_token *tok, void *payload)
{
	list_acc *a = payload;
	uint32_t id;
	if ((a->rc = vx_strmap_intern(&a->lx->words, tok->folded, tok->folded_len, &id, NULL)) != 0)
		return 1;
	if (id >= a->lx->cap_flags) {
		size_t nc = a->lx->cap_flags ? a->lx->cap_flags * 2 : 64;
		while (nc <= id)
			nc *= 2;
		unsigned char *q = realloc(a->lx->flags, nc);
		if (q == NULL) {
			a->rc = vx_error_set(VX_ENOMEM, "out of memory");
			return 1;
		}
		memset(q + a->lx->cap_flags, 0, nc - a->lx->cap_flags);
		a->lx->flags = q;
		a->lx->cap_flags = nc;
	}
	a->lx->flags[id] |= a->flag;
	return 0;
}

/* "négations: pas jamais ..." and the two other lists: the flag of a list
 * line, 0 when the line is not one. *rest receives what follows the colon. */
static unsigned char list_of(const char *line, size_t len, size_t *rest)
{
	static const struct {
		const char *name;
		unsigned char flag;
	} lists[] = {{"négations:", W_NEG},        {"negations:", W_NEG},        {"intensifs:", W_INTENS},
	             {"négations seules:", W_LONE}, {"negations seules:", W_LONE}, {"contrastes:", W_CONTRAST}};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		size_t n = strlen(lists[i].name);
		if (len >= n && memcmp(line, lists[i].name, n) == 0) {
			*rest = n;
			return lists[i].flag;
		}
	}
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One cue, "+2 satisfait*", trimmed. */
static int add_cue(vx_lexicon *lx, const char *s, size_t n, vx_text *text)
{
	size_t i = 0;
	int sign = 1;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		sign = s[i++] == '-' ? -1 : 1;
	if (i >= n || s[i] < '0' || s[i] > '0' + MAX_WEIGHT || (i + 1 < n && !is_space(s[i + 1])))
		return vx_error_set(VX_EFORMAT, "« %.*s » : un indice commence par son poids, de -%d à +%d (« +2 "
		                                "satisfait* », « 0 projet professionnel »)", (int)n, s, MAX_WEIGHT,
		                    MAX_WEIGHT);
	int w = sign * (s[i] - '0');
	i++;
	while (i < n && is_space(s[i]))
		i++;
	if (i == n)
		return vx_error_set(VX_EFORMAT, "« %.*s » : le poids n'est suivi d'aucune expression", (int)n, s);
	return vx_themes_add(lx->th, (size_t)(w + MAX_WEIGHT), s + i, n - i, 0, text);
}

static int parse_line(vx_lexicon *lx, const char *line, size_t len, vx_text *text)
{
	size_t rest = 0;
	unsigned char flag = list_of(line, len, &rest);
	if (flag) {
		list_acc a = {lx, flag, 0};
		int rc = vx_text_tokens(text, line + rest, len - rest, add_list_word, &a);
		return a.rc ? a.rc : rc;
	}
	/* Cues separated by " ; ". */
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != ';')
			continue;
		size_t a = start, b = i;
		start = i + 1;
		while (a < b && is_space(line[a]))
			a++;
		while (b > a && is_space(line[b - 1]))
			b--;
		if (a == b)
			continue;
		int rc = add_cue(lx, line + a, b - a, text);
		if (rc)
			return rc;
	}
	return 0;
}

int vx_lexicon_new(vx_lexicon **out, const char *text, size_t len, const char *name)
{
	int rc = 0;
	vx_text *t = NULL;
	vx_lexicon *lx = calloc(1, sizeof *lx);
	if (lx == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	vx_strmap_init(&lx->words);
	if (text == NULL) {
		text = vx_lexicon_builtin_text();
		len = strlen(text);
		name = "lexique intégré";
	}
	if (name == NULL)
		name = "lexique";
	if ((rc = vx_themes_new(&lx->th)) != 0 || (rc = vx_text_new(&t)) != 0)
		goto done;
	size_t line_no = 0;
	for (size_t p = 0; p < len;) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - text) : len;
		line_no++;
		size_t a = p, b = e;
		while (a < b && is_space(text[a]))
			a++;
		while (b > a && is_space(text[b - 1]))
			b--;
		if (b > a && text[a] != '#' && (rc = parse_line(lx, text + a, b - a, t)) != 0) {
			rc = vx_error_prefix(rc, "%s:%zu: ", name, line_no);
			goto done;
		}
		p = e + 1;
	}
	if (vx_themes_count(lx->th) == 0) {
		rc = vx_error_set(VX_EFORMAT, "%s : aucun indice", name);
		goto done;
	}
done:
	vx_text_free(t);
	if (rc) {
		vx_lexicon_free(lx);
		return rc;
	}
	*out = lx;
	return 0;
}

int vx_lexicon_load(vx_lexicon **out, const char *path)
{
	if (path == NULL)
		return vx_lexicon_new(out, NULL, 0, NULL);
	char *text = NULL;
	size_t len = 0;
	int rc = vx_file_read(&text, &len, path, 1 << 20);
	if (rc == 0)
		rc = vx_lexicon_new(out, text, len, path);
	free(text);
	return rc;
}

/* ---- Scanning ---------------------------------------------------------- */

typedef struct tok_info {
	uint32_t start, end;   /* byte span in its field */
	uint32_t clause;       /* clauses counted from the document's start */
	unsigned char field, flags;
} tok_info;

typedef struct match {
	uint32_t first, last;  /* token indices in the document */
	unsigned char cls;     /* weight + MAX_WEIGHT */
} match;

struct vx_feeling_scan {
	const vx_lexicon *lx;
	vx_theme_scan *ts;
	unsigned char *wflags; /* per word id of the analyser: W_KNOWN | list flags */
	size_t cap_w;
	tok_info *tok;
	size_t n_tok, cap_tok;
	match *m;
	size_t n_m, cap_m;
	unsigned char *covered;/* per token: 1 in a kept cue, 2 a negation that reversed one */
	size_t cap_cov;
	vx_feeling_cue *cues;  /* the current document's, before they are sorted */
	size_t cap_cues;
	uint64_t base;         /* theme scanner position before the document's first token */
	const char *field;
	int which;
	int field_start;       /* the next token is the first of its field */
	uint32_t clause;
	int failed;
};

/* First capacity of the scan's arrays (matches, tokens, cues). */
#define FIRST_CAP 256

/* Grows *p to hold at least n + 1 elements of size bytes; the old pointer is
 * invalid. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	return vx_grow(p, cap, n + 1, size, FIRST_CAP);
}

static void on_match(size_t theme, uint64_t first, uint64_t last, void *payload)
{
	vx_feeling_scan *fs = payload;
	if (grow((void **)&fs->m, &fs->cap_m, fs->n_m, sizeof *fs->m) != 0) {
		fs->failed = VX_ENOMEM;
		return;
	}
	fs->m[fs->n_m++] = (match){(uint32_t)(first - fs->base - 1), (uint32_t)(last - fs->base - 1),
	                           (unsigned char)theme};
}

void vx_feeling_scan_free(vx_feeling_scan *fs)
{
	if (fs == NULL)
		return;
	vx_theme_scan_free(fs->ts);
	free(fs->wflags);
	free(fs->tok);
	free(fs->m);
	free(fs->covered);
	free(fs->cues);
	free(fs);
}

int vx_feeling_scan_new(vx_feeling_scan **out, const vx_lexicon *lx)
{
	vx_feeling_scan *fs = calloc(1, sizeof *fs);
	if (fs == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	fs->lx = lx;
	int rc = vx_theme_scan_new(&fs->ts, lx->th, NULL);
	if (rc) {
		vx_feeling_scan_free(fs);
		return rc;
	}
	vx_theme_scan_on_match(fs->ts, on_match, fs);
	*out = fs;
	return 0;
}

void vx_feeling_scan_field(vx_feeling_scan *fs, const char *field, int which)
{
	vx_theme_scan_break(fs->ts);
	fs->field = field;
	fs->which = which;
	fs->field_start = 1;
}

/* 1 when the bytes between two words end a clause. */
static int ends_clause(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		switch (s[i]) {
		case ',': case ';': case '.': case ':': case '!': case '?': case '\n': case '(': case ')':
			return 1;
		case '\xe2': /* "…" */
			if (i + 2 < to && s[i + 1] == '\x80' && s[i + 2] == '\xa6')
				return 1;
			break;
		default:
			break;
		}
	return 0;
}

static unsigned char word_flags(vx_feeling_scan *fs, const vx_token *tok)
{
	if (tok->word_id >= fs->cap_w) {
		size_t nc = fs->cap_w ? fs->cap_w * 2 : 4096;
		while (nc <= tok->word_id)
			nc *= 2;
		unsigned char *q = realloc(fs->wflags, nc);
		if (q == NULL)
			return 0; /* the word is then no negation: a reading less nuanced, not wrong */
		memset(q + fs->cap_w, 0, nc - fs->cap_w);
		fs->wflags = q;
		fs->cap_w = nc;
	}
	unsigned char *f = &fs->wflags[tok->word_id];
	if (!(*f & W_KNOWN)) {
		int64_t id = vx_strmap_find(&fs->lx->words, tok->folded, tok->folded_len);
		*f = (unsigned char)(W_KNOWN | (id >= 0 ? fs->lx->flags[id] : 0));
	}
	return *f;
}

int vx_feeling_scan_token(vx_feeling_scan *fs, const vx_token *tok)
{
	int rc;
	if (fs->n_tok == 0)
		fs->base = vx_theme_scan_position(fs->ts);
	if ((rc = grow((void **)&fs->tok, &fs->cap_tok, fs->n_tok, sizeof *fs->tok)) != 0)
		return rc;
	if (fs->field_start ||
	    (fs->n_tok > 0 && ends_clause(fs->field, fs->tok[fs->n_tok - 1].end, tok->start)))
		fs->clause++;
	fs->field_start = 0;
	fs->tok[fs->n_tok++] = (tok_info){(uint32_t)tok->start, (uint32_t)tok->end, fs->clause,
	                                  (unsigned char)fs->which, word_flags(fs, tok)};
	if ((rc = vx_theme_scan_token(fs->ts, tok)) != 0)
		return rc;
	return fs->failed;
}

/* Longest first, then earliest, then lightest: the order in which
 * overlapping matches are kept. */
static int by_length(const void *a, const void *b)
{
	const match *x = a, *y = b;
	uint32_t lx = x->last - x->first, ly = y->last - y->first;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->cls > y->cls) - (x->cls < y->cls);
}

static int by_position(const void *a, const void *b)
{
	const match *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

/* The distance back (1..window) of a word of the lists (flag) before
 * token i, in the same field and clause, and in no kept cue; 0 for none. */
static uint32_t preceded_by(const vx_feeling_scan *fs, uint32_t i, unsigned char flag, uint32_t window)
{
	const tok_info *t = &fs->tok[i];
	for (uint32_t b = 1; b <= window && b <= i; b++) {
		const tok_info *p = &fs->tok[i - b];
		if (p->field != t->field || p->clause != t->clause)
			return 0;
		if ((p->flags & flag) && !fs->covered[i - b])
			return b;
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const vx_feeling_cue *x = a, *y = b;
	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* Keeps the longest of overlapping matches (fs->m[0..*kept), in the order
 * of the text) and marks their words covered. */
static int keep_longest(vx_feeling_scan *fs, size_t *kept)
{
	*kept = 0;
	if (grow((void **)&fs->covered, &fs->cap_cov, fs->n_tok, 1) != 0)
		return VX_ENOMEM;
	memset(fs->covered, 0, fs->n_tok);
	if (fs->n_m > 1)
		qsort(fs->m, fs->n_m, sizeof *fs->m, by_length);
	for (size_t k = 0; k < fs->n_m; k++) {
		match mt = fs->m[k];
		int free_span = mt.last < fs->n_tok;
		for (uint32_t i = mt.first; free_span && i <= mt.last; i++)
			free_span = !fs->covered[i];
		if (!free_span)
			continue;
		memset(fs->covered + mt.first, 1, mt.last - mt.first + 1);
		fs->m[(*kept)++] = mt;
	}
	if (*kept > 1)
		qsort(fs->m, *kept, sizeof *fs->m, by_position);
	return 0;
}

void vx_feeling_scan_take(vx_feeling_scan *fs, vx_feeling_reading *out, vx_feeling_cue *cues, size_t max_cues,
                          size_t *n_cues)
{
	memset(out, 0, sizeof *out);
	out->feeling = VX_FEELING_NEUTRAL;
	size_t kept = 0, n = 0;
	if (fs->n_tok == 0 || keep_longest(fs, &kept) != 0 ||
	    grow((void **)&fs->cues, &fs->cap_cues, kept + fs->n_tok, sizeof *fs->cues) != 0)
		goto reset; /* out of memory: no cue read, neutre */
	/* The last contrast word of each field outside the cues. */
	int64_t last_contrast[2] = {-1, -1};
	for (size_t i = 0; i < fs->n_tok; i++)
		if ((fs->tok[i].flags & W_CONTRAST) && !fs->covered[i])
			last_contrast[fs->tok[i].field & 1] = (int64_t)i;
	for (size_t k = 0; k < kept; k++) {
		const match *mt = &fs->m[k];
		const tok_info *t = &fs->tok[mt->first];
		float w = (float)((int)mt->cls - MAX_WEIGHT);
		/* A cue of weight 0 only keeps the shorter cues inside it from
		 * counting ("0 projet professionnel": no praise there). */
		if (mt->cls == MAX_WEIGHT)
			continue;
		vx_feeling_cue c = {t->field, t->start, fs->tok[mt->last].end, w, w, 0, 0, 0};
		uint32_t neg = preceded_by(fs, mt->first, W_NEG, NEG_WINDOW);
		if (neg) {
			c.negated = 1;
			c.counted = w > 0 ? -w : -0.5f * w;
			fs->covered[mt->first - neg] = 2; /* used: not a lone negation */
		} else if (preceded_by(fs, mt->first, W_INTENS, INTENS_WINDOW)) {
			c.intensified = 1;
			c.counted = VX_FEELING_INTENSIFIER_GAIN * w;
		}
		if ((int64_t)mt->first < last_contrast[t->field & 1]) {
			c.before_contrast = 1;
			c.counted *= VX_FEELING_CONTRAST_FACTOR;
		}
		fs->cues[n++] = c;
	}
	/* Negations that reverse no cue: what did not happen. */
	for (size_t i = 0; i < fs->n_tok; i++) {
		const tok_info *t = &fs->tok[i];
		if (!(t->flags & W_LONE) || fs->covered[i])
			continue;
		vx_feeling_cue c = {t->field, t->start, t->end, LONE_NEGATION, LONE_NEGATION, 0, 0, 0};
		if ((int64_t)i < last_contrast[t->field & 1]) {
			c.before_contrast = 1;
			c.counted *= VX_FEELING_CONTRAST_FACTOR;
		}
		fs->cues[n++] = c;
	}
	if (n > 1)
		qsort(fs->cues, n, sizeof *fs->cues, by_start);
	double score = 0, evidence = 0;
	for (size_t k = 0; k < n; k++) {
		score += fs->cues[k].counted;
		evidence += fabs(fs->cues[k].counted);
		if (cues && k < max_cues)
			cues[k] = fs->cues[k];
	}
	out->score = (float)score;
	out->n_cues = (uint32_t)n;
	if (score >= VX_FEELING_THRESHOLD || score <= -VX_FEELING_THRESHOLD) {
		out->feeling = score > 0 ? VX_FEELING_POSITIVE : VX_FEELING_NEGATIVE;
		out->confidence = (float)(fabs(score) / (evidence + CONFIDENCE_PRIOR));
	} else if (evidence > 0)
		out->confidence = (float)((1 - fabs(score)) * evidence / (evidence + CONFIDENCE_PRIOR));
reset:
	if (n_cues)
		*n_cues = n;
	fs->n_tok = 0;
	fs->n_m = 0;
	fs->failed = 0;
	vx_theme_scan_break(fs->ts);
}

/* ---- Reader ------------------------------------------------------------ */

struct vx_feeling_reader {
	vx_text *text;
	vx_feeling_scan *scan;
	int rc;
};

void vx_feeling_reader_free(vx_feeling_reader *r)
{
	if (r == NULL)
		return;
	vx_feeling_scan_free(r->scan);
	vx_text_free(r->text);
	free(r);
}

int vx_feeling_reader_new(vx_feeling_reader **out, const vx_lexicon *lx)
{
	vx_feeling_reader *r = calloc(1, sizeof *r);
	if (r == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory");
	int rc = vx_text_new(&r->text);
	if (rc == 0)
		rc = vx_feeling_scan_new(&r->scan, lx);
	if (rc) {
		vx_feeling_reader_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static int feed(const vx_token *tok, void *payload)
{
	vx_feeling_reader *r = payload;
	r->rc = vx_feeling_scan_token(r->scan, tok);
	return r->rc != 0;
}

int vx_feeling_reader_read(vx_feeling_reading *out, vx_feeling_cue *cues, size_t max_cues, size_t *n_cues,
                           vx_feeling_reader *r, const char *title, const char *text)
{
	const char *fields[2] = {title ? title : "", text ? text : ""};
	int rc = 0;
	r->rc = 0;
	for (int f = 0; f < 2 && rc == 0; f++) {
		vx_feeling_scan_field(r->scan, fields[f], f);
		rc = vx_text_tokens(r->text, fields[f], strlen(fields[f]), feed, r);
		if (r->rc)
			rc = r->rc;
	}
	vx_feeling_scan_take(r->scan, out, cues, max_cues, n_cues);
	return rc < 0 ? rc : 0;
}
