/*
 * Reading an export file into the corpus: decode, split into records (CSV
 * or JSON Lines), detect the layout from the header, then turn each record
 * into an experience or a reject. See include/voix/reader.h and
 * docs/reading.md.
 */
#include "voix/reader.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reading/corpus_priv.h"
#include "reading/csv.h"
#include "reading/decode.h"
#include "reading/jsonl.h"
#include "reading/jsonw.h"
#include "reading/layout.h"
#include "reading/mapping.h"
#include "reading/values.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/strmap.h"
#include "util/error.h"
#include "voix/error.h"

/* A reject keeps at most this much of the raw record (see vx_reject.raw). */
#define RAW_KEEP (64u << 10)
/* Smaller inputs are hashed inline: a thread would cost more than it saves. */
#define HASH_THREAD_MIN (1u << 20)
/* The progress callback is called after every this many bytes. */
#define PROGRESS_STEP (4u << 20)
/* The hashing thread says how far it got after every this many bytes. */
#define HASH_CHUNK (1u << 20)

typedef struct hash_job hash_job;

typedef struct reader {
	vx_corpus *corpus;
	const char *name;              /* source path as given */
	const char *base;              /* its last component, for synthetic ids */
	const vx_read_options *opts;
	size_t max_field;
	vx_layout layout;
	vx_source src;
	size_t n_cols;
	char **keys;                   /* row_json keys (unique), only when kept */
	vx_buf tmp;
	int c1_deferred;               /* text still holds C1 characters: map on copy */
	vx_buf c1;                     /* the mapped copy of the last string */
	vx_buf json;                   /* the row_json being written */
	size_t total, next_progress;
	/* In-place reading (see keep()): strings of whole fields within
	 * [place, place_end) are NUL-terminated where they are; input is the
	 * start of the hashed bytes, so that no byte is written before the
	 * hashing thread has read it. place is NULL when strings are copied. */
	char *place;
	const char *place_end;
	const char *input;
	hash_job *hash;
} reader;

static void hash_wait(hash_job *j, size_t need);

/* The bytes at p with C1 characters mapped when the decoder deferred that
 * (see VX_DECODE_DEFER_C1). *out is p, or r->c1's data until the next call. */
static int repaired(reader *r, const char *p, size_t len, const char **out, size_t *out_len)
{
	*out = p;
	*out_len = len;
	if (!r->c1_deferred || len == 0 || !vx_c1_present(p, len))
		return 0;
	vx_buf_reset(&r->c1);
	int rc = vx_c1_repair(&r->c1, p, len, NULL);
	if (rc)
		return rc;
	*out = r->c1.data;
	*out_len = r->c1.len;
	return 0;
}

/* Copies len bytes at p into the corpus, C1 mapped; NULL on OOM. */
static const char *intern_n(reader *r, const char *p, size_t len)
{
	const char *q;
	size_t n;
	if (repaired(r, p, len, &q, &n) != 0)
		return NULL;
	return vx_corpus_intern(r->corpus, q, n);
}

static void progress(reader *r, size_t done)
{
	if (r->opts->progress == NULL || done < r->next_progress)
		return;
	r->opts->progress(done, r->total, r->opts->payload);
	r->next_progress = done + PROGRESS_STEP;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Records a rejected row with its raw bytes (cut at RAW_KEEP, on a UTF-8
 * boundary). */
static int reject(reader *r, uint32_t line, const char *reason, const char *raw, size_t raw_len)
{
	if (raw_len > RAW_KEEP) {
		raw_len = RAW_KEEP;
		while (raw_len > 0 && ((unsigned char)raw[raw_len] & 0xC0) == 0x80)
			raw_len--;
	}
	const char *q;
	size_t n;
	int rc = repaired(r, raw, raw_len, &q, &n);
	if (rc)
		return rc;
	vx_buf_reset(&r->tmp);
	rc = vx_buf_append(&r->tmp, q, n);
	if (rc)
		return rc;
	vx_reject rj = {r->name, line, reason, r->tmp.data};
	rc = vx_corpus_add_reject(r->corpus, &rj);
	if (rc)
		return rc;
	r->src.rows_read++;
	r->src.rows_rejected++;
	return 0;
}

static const vx_csv_field *field(const vx_csv_field *v, size_t n, long col)
{
	static const vx_csv_field none = {"", 0, 0};
	return col >= 0 && (size_t)col < n ? &v[col] : &none;
}

/*
 * The len bytes at p as a corpus string. In place when p lies in the
 * buffer being parsed in place and ends where its field ends (whole != 0):
 * the byte after a field is its separator, closing quote or line break,
 * which no string and no row_json needs, so a NUL there costs no copy (and
 * the corpus owns the buffer). Anything else is copied: an unescaped field
 * (in the parser's scratch), a trimmed part of a field, a string with C1
 * characters (their repair makes it longer). NULL on OOM.
 */
static const char *keep(reader *r, const char *p, size_t len, int whole)
{
	uintptr_t at = (uintptr_t)p, lo = (uintptr_t)r->place, hi = (uintptr_t)r->place_end;
	if (len == 0 || !whole || r->place == NULL || at < lo || at >= hi || len > hi - at ||
	    (r->c1_deferred && vx_c1_present(p, len)))
		return intern_n(r, p, len);
	char *w = r->place + (p - r->place) + len;
	hash_wait(r->hash, (size_t)(w - r->input) + 1);
	*w = '\0';
	return p;
}

static const char *intern(reader *r, const vx_csv_field *f)
{
	return keep(r, f->ptr, f->len, 1);
}

/* Splits a channel list on ',' (spaces around each name dropped, empty
 * names skipped) into strings interned in the corpus. */
static int split_channels(reader *r, const vx_csv_field *f, const char ***out, uint32_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	size_t n = 0;
	for (size_t i = 0; i < f->len; i++)
		n += f->ptr[i] == ',';
	const char **list = vx_corpus_alloc_ptrs(r->corpus, n + 1);
	if (list == NULL)
		return VX_ENOMEM;
	uint32_t k = 0;
	size_t i = 0;
	while (i <= f->len) {
		size_t j = i;
		while (j < f->len && f->ptr[j] != ',')
			j++;
		size_t a;
		size_t len = vx_trim(f->ptr + i, j - i, &a);
		if (len) {
			list[k] = intern_n(r, f->ptr + i + a, len);
			if (list[k] == NULL)
				return VX_ENOMEM;
			k++;
		}
		i = j + 1;
	}
	*out = k ? list : NULL;
	*n_out = k;
	return 0;
}

/* The whole row as a JSON object keyed by the original column names,
 * written by hand: Jansson cost 0.7 s of CPU per 100,000 rows here, more
 * than the rest of the reading (docs/reading.md). */
static int row_json(reader *r, const vx_csv_field *v, size_t n, const char **out)
{
	vx_jsonw_object obj;
	vx_buf_reset(&r->json);
	int rc = vx_jsonw_object_begin(&obj, &r->json);
	for (size_t k = 0; rc == 0 && k < n && k < r->n_cols; k++) {
		const char *q;
		size_t qn;
		rc = repaired(r, v[k].ptr ? v[k].ptr : "", v[k].len, &q, &qn);
		if (rc == 0)
			rc = vx_jsonw_object_member(&obj, r->keys[k], strlen(r->keys[k]), q, qn);
	}
	if (rc == 0)
		rc = vx_jsonw_object_end(&obj);
	if (rc)
		return vx_error_set(rc, "%s: out of memory building the JSON of a row", r->name);
	*out = vx_corpus_intern(r->corpus, r->json.data, r->json.len);
	return *out ? 0 : VX_ENOMEM;
}

/*
 * Turns one record (n values in column order) into an experience, or a
 * reject when it has no text or an unreadable date. json_row, when not
 * NULL, is the row as JSON already (JSON Lines).
 */
static int add_row(reader *r, const vx_csv_field *v, size_t n, uint32_t line, const char *raw, size_t raw_len,
                   const char *json_row)
{
	const vx_layout *L = &r->layout;
	const vx_csv_field *text = field(v, n, L->col[VX_ROLE_TEXT]);
	if (vx_trim(text->ptr, text->len, NULL) == 0)
		return reject(r, line, VX_REJECT_EMPTY_TEXT, raw, raw_len);

	vx_experience e;
	memset(&e, 0, sizeof e);
	char date[11] = "";
	const vx_csv_field *df = field(v, n, L->col[VX_ROLE_DATE]);
	if (vx_trim(df->ptr, df->len, NULL) == 0)
		df = field(v, n, L->date_alt);
	switch (vx_date_parse(date, df->ptr, df->len)) {
	case VX_DATE_EMPTY:
	case VX_DATE_ABSOLUTE:
		break;
	case VX_DATE_RELATIVE:
		if (L->relative_dates)
			break;
		return reject(r, line, VX_REJECT_BAD_DATE, raw, raw_len);
	case VX_DATE_INVALID:
		return reject(r, line, VX_REJECT_BAD_DATE, raw, raw_len);
	}

	vx_corpus *c = r->corpus;
	e.source = r->src.path; /* interned once per file */
	e.line = line;
	const vx_csv_field *idf = field(v, n, L->col[VX_ROLE_ID]);
	size_t a, idlen = vx_trim(idf->ptr, idf->len, &a);
	if (idlen) {
		idlen = vx_id_trim(idf->ptr + a, idlen);
		e.id = keep(r, idf->ptr + a, idlen, a + idlen == idf->len);
	} else {
		char id[512];
		int k = snprintf(id, sizeof id, "%s:%u", r->base, (unsigned)line);
		e.id = vx_corpus_intern(c, id, k > 0 && (size_t)k < sizeof id ? (size_t)k : strlen(id));
	}
	e.date_text = intern(r, df);
	/* An ISO date as written is its own normalised form: one string. */
	size_t dlen = strlen(date);
	if (e.date_text && dlen == df->len && strcmp(e.date_text, date) == 0)
		e.date = e.date_text;
	else
		e.date = vx_corpus_intern(c, date, dlen);
	e.title = intern(r, field(v, n, L->col[VX_ROLE_TITLE]));
	e.text = intern(r, text);
	const vx_csv_field *ff = field(v, n, L->col[VX_ROLE_FEELING]);
	e.feeling = vx_feeling_parse(ff->ptr, ff->len, L->scale);
	e.service = intern(r, field(v, n, L->col[VX_ROLE_SERVICE]));
	e.structure = intern(r, field(v, n, L->col[VX_ROLE_STRUCTURE]));
	e.department = intern(r, field(v, n, L->col[VX_ROLE_DEPARTMENT]));
	e.reply = intern(r, field(v, n, L->col[VX_ROLE_REPLY]));
	for (int d = 0; d < VX_DIM_COUNT; d++) {
		const vx_csv_field *xf = field(v, n, L->dim[d]);
		e.dims[d] = vx_feeling_parse(xf->ptr, xf->len, VX_SCALE_STARS);
	}
	int rc = split_channels(r, field(v, n, L->col[VX_ROLE_CHANNELS]), &e.channels, &e.n_channels);
	if (rc)
		return rc;
	e.row_json = "";
	if (json_row)
		e.row_json = vx_corpus_intern(c, json_row, strlen(json_row));
	else if (r->opts->keep_row_json && (rc = row_json(r, v, n, &e.row_json)) != 0)
		return rc;
	if (!e.id || !e.date || !e.date_text || !e.title || !e.text || !e.service || !e.structure ||
	    !e.department || !e.reply || !e.row_json)
		return vx_error_set(VX_ENOMEM, "out of memory storing row %u of %s", line, r->name);
	rc = vx_corpus_add_interned(c, &e);
	if (rc)
		return rc;
	r->src.rows_read++;
	return 0;
}

/* Unique row_json keys: a repeated column name gets " (2)", " (3)"...
 * Linear in the number of columns (a hostile header may have 65,536). */
static int make_keys(reader *r, const vx_csv_field *names, size_t n)
{
	int rc = 0;
	vx_strmap taken;
	vx_buf b = VX_BUF_INIT;
	uint32_t *next = NULL; /* per key id: the next suffix to try */
	vx_strmap_init(&taken);
	r->keys = calloc(n ? n : 1, sizeof *r->keys);
	next = calloc(2 * n + 1, sizeof *next);
	if (r->keys == NULL || next == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory reading a header");
		goto done;
	}
	r->n_cols = n;
	for (size_t k = 0; k < n; k++) {
		const char *name = names[k].ptr ? names[k].ptr : "";
		uint32_t id;
		int added;
		rc = vx_strmap_intern(&taken, name, names[k].len, &id, &added);
		uint32_t base = id;
		while (rc == 0 && !added) {
			vx_buf_reset(&b);
			rc = vx_buf_append(&b, name, names[k].len);
			if (rc == 0)
				rc = vx_buf_printf(&b, " (%u)", next[base] < 2 ? (next[base] = 2) : next[base]);
			next[base]++;
			if (rc == 0)
				rc = vx_strmap_intern(&taken, b.data, b.len, &id, &added);
		}
		if (rc)
			goto done;
		size_t klen = taken.len[id];
		r->keys[k] = malloc(klen + 1);
		if (r->keys[k] == NULL) {
			rc = vx_error_set(VX_ENOMEM, "out of memory reading a header");
			goto done;
		}
		memcpy(r->keys[k], vx_strmap_key(&taken, id), klen + 1);
	}
done:
	free(next);
	vx_buf_free(&b);
	vx_strmap_free(&taken);
	return rc;
}

static void free_keys(reader *r)
{
	for (size_t k = 0; r->keys && k < r->n_cols; k++)
		free(r->keys[k]);
	free(r->keys);
	r->keys = NULL;
}

/* Prefixes the parser's last message with the file name. */
static int parser_error(reader *r, int rc)
{
	return vx_error_prefix(rc, "%s : ", r->name);
}

static int read_csv(reader *r, const char *text, size_t len, const vx_mapping *map)
{
	int rc = 0;
	vx_csv_parser p;
	vx_csv_record rec;
	vx_csv_field *names = NULL;
	r->src.separator = vx_csv_detect_separator(text, len);
	vx_csv_init(&p, text, len, r->src.separator, r->max_field);

	/* The header: the first non-blank record. */
	do {
		rc = vx_csv_next(&p, &rec);
		if (rc < 0) {
			rc = parser_error(r, rc);
			goto done;
		}
	} while (rc == 1 && rec.n_fields == 0);
	if (rc == 0) {
		rc = vx_error_set(VX_EEMPTY, "%s : fichier vide", r->name);
		goto done;
	}
	if (rec.status != VX_CSV_OK) {
		rc = vx_error_set(VX_EFORMAT, "%s : ligne %u : la ligne d'en-tête a un guillemet mal placé ou jamais fermé", r->name,
		                  rec.error_line);
		goto done;
	}
	rc = 0;
	/* The header's fields are copied: the parser reuses its arrays. */
	size_t n_cols = rec.n_fields;
	names = malloc(n_cols * sizeof *names);
	if (names == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory reading the header of %s", r->name);
		goto done;
	}
	vx_buf hdr = VX_BUF_INIT;
	for (size_t k = 0; k < n_cols && rc == 0; k++) {
		const char *q;
		size_t qn;
		rc = repaired(r, rec.fields[k].ptr ? rec.fields[k].ptr : "", rec.fields[k].len, &q, &qn);
		if (rc == 0)
			rc = vx_buf_append(&hdr, q, qn);
		names[k].len = qn;
		names[k].quoted = rec.fields[k].quoted;
	}
	if (rc) {
		vx_buf_free(&hdr);
		goto done;
	}
	size_t off = 0;
	for (size_t k = 0; k < n_cols; k++) {
		names[k].ptr = hdr.data ? hdr.data + off : "";
		off += names[k].len;
	}
	rc = vx_layout_detect(&r->layout, names, n_cols, map, 0, r->name);
	if (rc == 0 && r->opts->keep_row_json)
		rc = make_keys(r, names, n_cols);
	vx_buf_free(&hdr);
	if (rc)
		goto done;

	size_t rows = 0;
	for (;;) {
		rc = vx_csv_next(&p, &rec);
		if (rc < 0) {
			rc = parser_error(r, rc);
			goto done;
		}
		if (rc == 0)
			break;
		progress(r, p.pos);
		if (rec.n_fields == 0)
			continue;
		rows++;
		char reason[160];
		if (rec.status == VX_CSV_UNTERMINATED) {
			snprintf(reason, sizeof reason, "guillemet ouvert ligne %u jamais fermé", rec.error_line);
			rc = reject(r, rec.line, reason, rec.raw, rec.raw_len);
		} else if (rec.status == VX_CSV_BAD_QUOTE) {
			snprintf(reason, sizeof reason, "guillemet mal placé ligne %u", rec.error_line);
			rc = reject(r, rec.line, reason, rec.raw, rec.raw_len);
		} else if (rec.n_fields != n_cols) {
			snprintf(reason, sizeof reason, "%zu champs au lieu de %zu", rec.n_fields, n_cols);
			rc = reject(r, rec.line, reason, rec.raw, rec.raw_len);
		} else {
			rc = add_row(r, rec.fields, rec.n_fields, rec.line, rec.raw, rec.raw_len, NULL);
		}
		if (rc)
			goto done;
	}
	if (rows == 0)
		rc = vx_error_set(VX_EEMPTY, "%s : un en-tête et aucune ligne", r->name);
done:
	free(names);
	vx_csv_free(&p);
	return rc;
}

/* ---- JSON Lines ---------------------------------------------------- */

static int read_jsonl(reader *r, const char *text, size_t len, const vx_mapping *map)
{
	int rc = 0;
	vx_csv_field *names = NULL, *vals = NULL;
	size_t *offs = NULL;
	vx_strmap keys;
	vx_buf vb = VX_BUF_INIT;
	vx_strmap_init(&keys);
	r->src.separator = 0;

	/* The columns: jsonl.h. */
	if ((rc = vx_jsonl_keys(&keys, r->name, text, len)) != 0)
		goto done;
	size_t n_cols = vx_strmap_count(&keys);
	names = calloc(n_cols ? n_cols : 1, sizeof *names);
	vals = calloc(n_cols ? n_cols : 1, sizeof *vals);
	offs = calloc(n_cols ? n_cols : 1, sizeof *offs);
	if (names == NULL || vals == NULL || offs == NULL) {
		rc = vx_error_set(VX_ENOMEM, "out of memory reading %s", r->name);
		goto done;
	}
	for (size_t k = 0; k < n_cols; k++) {
		names[k].ptr = vx_strmap_key(&keys, (uint32_t)k);
		names[k].len = keys.len[k];
	}
	rc = vx_layout_detect(&r->layout, names, n_cols, map, 1, r->name);
	if (rc)
		goto done;

	size_t rows = 0;
	uint32_t line = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *raw = text + i;
		size_t raw_len = end - i;
		if (raw_len && raw[raw_len - 1] == '\r')
			raw_len--;
		line = line < UINT32_MAX ? line + 1 : line;
		i = end + 1;
		progress(r, i < len ? i : len);
		size_t k = 0;
		while (k < raw_len && vx_jsonl_space(raw[k]))
			k++;
		if (k == raw_len)
			continue; /* blank line */
		rows++;
		json_error_t err;
		json_t *obj = json_loadb(raw, raw_len, 0, &err);
		if (obj == NULL || !json_is_object(obj)) {
			char reason[160];
			if (obj == NULL)
				snprintf(reason, sizeof reason, "JSON illisible (colonne %d)", err.column);
			else
				snprintf(reason, sizeof reason, "la ligne n'est pas un objet JSON");
			json_decref(obj);
			rc = reject(r, line, reason, raw, raw_len);
			if (rc)
				goto done;
			continue;
		}
		vx_buf_reset(&vb);
		for (size_t c = 0; c < n_cols && rc == 0; c++) {
			offs[c] = vb.len;
			rc = vx_jsonl_value_text(&vb, json_object_get(obj, names[c].ptr),
			                         (long)c == r->layout.col[VX_ROLE_CHANNELS], &r->src.c1_repaired);
			vals[c].len = vb.len - offs[c];
			if (rc == 0 && vals[c].len > r->max_field)
				rc = vx_error_set(VX_ETOOBIG, "%s : ligne %u : une valeur de %zu octets dépasse la limite de %zu octets",
				                  r->name, line, vals[c].len, r->max_field);
		}
		if (rc == VX_EFORMAT) {
			json_decref(obj);
			rc = reject(r, line, "caractère NUL dans une valeur JSON", raw, raw_len);
			if (rc)
				goto done;
			continue;
		}
		for (size_t c = 0; c < n_cols; c++)
			vals[c].ptr = vb.data ? vb.data + offs[c] : "";
		char *dump = NULL;
		if (rc == 0 && r->opts->keep_row_json) {
			dump = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (dump == NULL)
				rc = vx_error_set(VX_ENOMEM, "out of memory reading %s", r->name);
		}
		json_decref(obj);
		if (rc == 0)
			rc = add_row(r, vals, n_cols, line, raw, raw_len, dump);
		free(dump);
		if (rc)
			goto done;
	}
	if (rows == 0)
		rc = vx_error_set(VX_EEMPTY, "%s : aucune ligne", r->name);
done:
	vx_strmap_free(&keys);
	free(names);
	free(vals);
	free(offs);
	vx_buf_free(&vb);
	return rc;
}

/* The SHA-256 of the input (vx_source.sha256), computed on another core
 * while the text is decoded and parsed: on a 45 MB export it takes as long
 * as the parse. The thread only reads the input, which the caller keeps
 * until the read returns, after the join; an in-place read writes into it,
 * but only behind the thread (hash_wait), so the hash is of the bytes as
 * they were in the file. */
struct hash_job {
	const char *data;
	size_t len;
	char hex[65];
	pthread_t thread;
	int running;
	/* Bytes of data already hashed: an in-place read writes a byte only
	 * after the thread is past it (hash_wait). */
	atomic_size_t done;
	pthread_mutex_t lock;
	pthread_cond_t moved;
};

/* Publishes that the first n bytes are hashed. */
static void hash_advance(hash_job *j, size_t n)
{
	pthread_mutex_lock(&j->lock);
	atomic_store_explicit(&j->done, n, memory_order_release);
	pthread_cond_broadcast(&j->moved);
	pthread_mutex_unlock(&j->lock);
}

/* Hashes in HASH_CHUNK steps, saying how far it got after each. */
static void *hash_run(void *arg)
{
	hash_job *j = arg;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (size_t off = 0; ok && off < j->len;) {
		size_t n = j->len - off < HASH_CHUNK ? j->len - off : HASH_CHUNK;
		ok = EVP_DigestUpdate(ctx, j->data + off, n) == 1;
		off += n;
		if (ok)
			hash_advance(j, off);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (ok) {
		static const char digits[] = "0123456789abcdef";
		for (unsigned k = 0; k < 32; k++) {
			j->hex[2 * k] = digits[md[k] >> 4];
			j->hex[2 * k + 1] = digits[md[k] & 15];
		}
		j->hex[64] = '\0';
	} else {
		vx_sha256_hex(j->hex, j->data, j->len); /* cannot fail */
	}
	hash_advance(j, j->len);
	return NULL;
}

static void hash_start(hash_job *j, const char *data, size_t len)
{
	j->data = data;
	j->len = len;
	atomic_init(&j->done, 0);
	j->running = 0;
	if (len >= HASH_THREAD_MIN && pthread_mutex_init(&j->lock, NULL) == 0) {
		if (pthread_cond_init(&j->moved, NULL) == 0) {
			j->running = pthread_create(&j->thread, NULL, hash_run, j) == 0;
			if (!j->running)
				pthread_cond_destroy(&j->moved);
		}
		if (!j->running)
			pthread_mutex_destroy(&j->lock);
	}
	if (!j->running) {
		vx_sha256_hex(j->hex, data, len);
		atomic_store(&j->done, len);
	}
}

/* Returns once the first need bytes of the input are hashed (at once when
 * they are: the thread hashes far faster than the parser reads). */
static void hash_wait(hash_job *j, size_t need)
{
	if (need > j->len)
		need = j->len;
	if (atomic_load_explicit(&j->done, memory_order_acquire) >= need)
		return;
	pthread_mutex_lock(&j->lock);
	while (atomic_load_explicit(&j->done, memory_order_acquire) < need)
		pthread_cond_wait(&j->moved, &j->lock);
	pthread_mutex_unlock(&j->lock);
}

static void hash_finish(hash_job *j)
{
	if (j->running) {
		pthread_join(j->thread, NULL);
		pthread_cond_destroy(&j->moved);
		pthread_mutex_destroy(&j->lock);
	}
	j->running = 0;
}

/*
 * Reads len bytes at data. own is NULL, or data itself when the caller lets
 * the reader write into it and hand it to the corpus: then, for CSV in
 * UTF-8 (the usual export), strings are kept in place instead of copied and
 * *taken is set to 1 on success (the corpus frees the buffer); otherwise
 * the caller still owns data.
 */
static int read_input(vx_corpus *corpus, const char *name, const char *data, size_t len, const vx_read_options *opts,
                      char *own, int *taken)
{
	static const vx_read_options defaults = VX_READ_OPTIONS_INIT;
	int rc = 0;
	vx_mapping map = VX_MAPPING_INIT;
	vx_decoded dec = {0};
	hash_job hash = {0};
	reader r;
	memset(&r, 0, sizeof r);
	if (corpus == NULL || (data == NULL && len > 0))
		return vx_error_set(VX_EINVAL, "vx_reader_read_buffer: no corpus or no data");
	if (opts == NULL)
		opts = &defaults;
	/* 0 is taken as version 1 so that a zeroed struct works. */
	if (opts->version > VX_READ_OPTIONS_VERSION)
		return vx_error_set(VX_EINVAL, "vx_read_options version %u is newer than this library (%u)",
		                    opts->version, VX_READ_OPTIONS_VERSION);
	if (name == NULL)
		name = "<buffer>";
	int adopted = 0;
	size_t n_items = vx_corpus_count(corpus), n_sources = vx_corpus_source_count(corpus),
	       n_rejects = vx_corpus_reject_count(corpus);
	r.corpus = corpus;
	r.name = name;
	r.base = base_name(name);
	r.opts = opts;
	r.max_field = opts->max_field_bytes ? opts->max_field_bytes : VX_READ_MAX_FIELD;
	r.src.path = vx_corpus_intern(corpus, name, strlen(name));
	if (r.src.path == NULL) {
		rc = VX_ENOMEM;
		goto done;
	}
	if (opts->map_file && (rc = vx_mapping_parse_file(&map, opts->map_file)) != 0)
		goto done;
	if (opts->map && (rc = vx_mapping_parse(&map, opts->map)) != 0)
		goto done;
	if (len == 0) {
		rc = vx_error_set(VX_EEMPTY, "%s : fichier vide", name);
		goto done;
	}
	hash_start(&hash, data, len);
	/* CSV keeps C1 characters in the text and maps them in what it copies
	 * (most of a file is not kept); JSON values are unescaped by Jansson,
	 * so JSON Lines gets the whole text mapped first. */
	rc = vx_decode_text(&dec, name, data, len, VX_DECODE_DEFER_C1);
	if (rc)
		goto done;
	int jsonl = vx_jsonl_detect(name, dec.text, dec.len);
	if (jsonl && dec.c1_deferred) {
		vx_decoded_free(&dec);
		rc = vx_decode_text(&dec, name, data, len, 0);
		if (rc)
			goto done;
	}
	if (own != NULL && !jsonl && dec.owned == NULL) {
		rc = vx_corpus_adopt(corpus, own);
		if (rc)
			goto done;
		adopted = 1;
		r.place = own + (dec.text - data);
		r.place_end = dec.text + dec.len;
		r.input = data;
		r.hash = &hash;
	}
	r.c1_deferred = dec.c1_deferred;
	r.src.encoding = dec.encoding;
	r.src.c1_repaired = dec.c1_repaired;
	r.src.lines_repaired = dec.lines_repaired;
	r.total = dec.len;
	r.next_progress = PROGRESS_STEP;
	if (jsonl)
		rc = read_jsonl(&r, dec.text, dec.len, &map);
	else
		rc = read_csv(&r, dec.text, dec.len, &map);
	if (rc)
		goto done;
	r.src.format = r.layout.format;
	hash_finish(&hash);
	/* The buffer holds every column; the experiences keep a few. */
	if (adopted)
		vx_corpus_compact(corpus, n_items, len);
	memcpy(r.src.sha256, hash.hex, sizeof r.src.sha256);
	rc = vx_corpus_add_source(corpus, &r.src, NULL);
	if (rc == 0 && opts->progress)
		opts->progress(dec.len, dec.len, opts->payload);
done:
	hash_finish(&hash);
	if (rc)
		vx_corpus_truncate(corpus, n_items, n_sources, n_rejects);
	if (adopted && rc)
		vx_corpus_disown(corpus, own);
	if (taken)
		*taken = adopted && rc == 0;
	free_keys(&r);
	vx_buf_free(&r.tmp);
	vx_buf_free(&r.c1);
	vx_buf_free(&r.json);
	vx_decoded_free(&dec);
	vx_mapping_free(&map);
	return rc;
}

int vx_reader_read_buffer(vx_corpus *corpus, const char *name, const char *data, size_t len,
                          const vx_read_options *opts)
{
	return read_input(corpus, name, data, len, opts, NULL, NULL);
}

int vx_reader_read_file(vx_corpus *corpus, const char *path, const vx_read_options *opts)
{
	char *data = NULL;
	size_t len = 0;
	int taken = 0;
	if (path == NULL)
		return vx_error_set(VX_EINVAL, "vx_reader_read_file: no path");
	/* vx_file_read puts a NUL after the last byte, so the last field of a
	 * file without a final line break can be terminated in place too. */
	int rc = vx_file_read(&data, &len, path, 0);
	if (rc == 0)
		rc = read_input(corpus, path, data, len, opts, data, &taken);
	if (!taken)
		free(data);
	return rc;
}
