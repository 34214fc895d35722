/*
 * The "voix" FTS5 tokenizer: a thin adapter from vx_text_tokens to FTS5's
 * xToken callback. Each tokenizer instance owns its own analyser, since an
 * analyser is not thread-safe and FTS5 creates one instance per table and
 * connection.
 */
#include "storage/fts_tokenizer.h"

#include <stdlib.h>

#include "storage/store_internal.h"
#include "voix/error.h"
#include "voix/text.h"

typedef struct voix_tokenizer {
	vx_text *text;
} voix_tokenizer;

typedef struct emit_ctx {
	void *fts_ctx;
	int (*token)(void *ctx, int tflags, const char *tok, int ntok, int start, int end);
	int sqlite_rc;
} emit_ctx;

static int tok_create(void *user, const char **args, int nargs, Fts5Tokenizer **out)
{
	(void)user;
	(void)args;
	(void)nargs;
	voix_tokenizer *t = calloc(1, sizeof *t);
	if (t == NULL)
		return SQLITE_NOMEM;
	if (vx_text_new(&t->text) != 0) {
		free(t);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	voix_tokenizer *t = (voix_tokenizer *)p;
	if (t == NULL)
		return;
	vx_text_free(t->text);
	free(t);
}

static int emit(const vx_token *tok, void *payload)
{
	emit_ctx *c = payload;
	if (tok->stop || tok->stem_len == 0)
		return 0;
	/* Offsets fit: FTS5 hands us at most INT_MAX bytes. */
	int rc = c->token(c->fts_ctx, 0, tok->stem, (int)tok->stem_len, (int)tok->start, (int)tok->end);
	if (rc != SQLITE_OK) {
		c->sqlite_rc = rc;
		return 1;
	}
	return 0;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
                        int (*token)(void *, int, const char *, int, int, int))
{
	(void)flags;
	voix_tokenizer *t = (voix_tokenizer *)p;
	emit_ctx c = {ctx, token, SQLITE_OK};
	if (text == NULL || ntext <= 0)
		return SQLITE_OK;
	int rc = vx_text_tokens(t->text, text, (size_t)ntext, emit, &c);
	if (c.sqlite_rc != SQLITE_OK)
		return c.sqlite_rc;
	return rc < 0 ? SQLITE_NOMEM : SQLITE_OK;
}

/* The fts5_api pointer of db, per the FTS5 documentation ("SELECT fts5(?)"
 * with a bound pointer). */
static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int vx_fts_register(sqlite3 *db)
{
	fts5_api *api = fts5_api_of(db);
	if (api == NULL || api->iVersion < 2)
		return vx_error_set(VX_EDB, "cette bibliothèque SQLite n'a pas la recherche en texte intégral FTS5");
	static const fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};
	fts5_tokenizer copy = tokenizer;
	if (api->xCreateTokenizer(api, VX_FTS_TOKENIZER_NAME, NULL, &copy, NULL) != SQLITE_OK)
		return vx_store_db_error(db, "enregistrement du découpage pour la recherche en texte intégral");
	return 0;
}
