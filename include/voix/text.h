/*
 * French text analysis shared by the search index and the topic model:
 * tokenisation with byte offsets, case and accent folding, elisions
 * (l', d', qu'...), stop words and Snowball French stemming.
 */
#ifndef VOIX_TEXT_H
#define VOIX_TEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vx_token {
	size_t start, end;    /* byte span of the word in the input (elision excluded) */
	const char *folded;   /* lower-case, accents removed, ligatures expanded */
	size_t folded_len;
	const char *stem;     /* Snowball French stem of the folded word */
	size_t stem_len;
	int stop;             /* 1 for a stop word (article, pronoun, auxiliary...) */
	int numeric;          /* 1 when the word contains a digit */
	unsigned word_id;     /* dense id of the lower-cased word within this analyser
	                       * (0, 1, 2... in order of first sight): lets callers
	                       * keep per-word arrays instead of hashing again */
	unsigned long long word_hash; /* hash of the lower-cased word: the same in every
	                               * analyser, unlike word_id */
} vx_token;

/* Returns non-zero to stop the iteration (that value is returned). */
typedef int (*vx_token_cb)(const vx_token *tok, void *payload);

typedef struct vx_text vx_text;

/* An analyser: owns a stemmer and a stem cache. Not thread-safe; use one per
 * thread. */
int vx_text_new(vx_text **out);
void vx_text_free(vx_text *t);

/* Calls cb for every word of s[0..len) in order. Token strings are valid only
 * during the callback. Invalid UTF-8 bytes are treated as separators. */
int vx_text_tokens(vx_text *t, const char *s, size_t len, vx_token_cb cb, void *payload);

/* Number of distinct lower-cased words seen so far (the bound of word_id). */
unsigned vx_text_word_count(const vx_text *t);

/* The lower-cased word of a word_id (not folded: accents kept), or NULL when
 * id is out of range. Valid until the next call to vx_text_tokens. */
const char *vx_text_word(const vx_text *t, unsigned id, size_t *len);

/* 1 when the folded word is a French stop word. */
int vx_text_is_stopword(const char *folded, size_t len);

#ifdef __cplusplus
}
#endif
#endif
