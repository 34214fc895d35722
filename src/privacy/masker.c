/*
 * The masker: runs every detector on a text, resolves overlapping
 * candidates into disjoint spans and writes the masked text.
 *
 * The masker owns its scratch arrays (candidates, per-byte marks) and reuses
 * them from one text to the next, so that masking a whole export allocates
 * only when a text is longer or richer than every text before it.
 */
#include <stdlib.h>
#include <string.h>

#include "privacy/detect.h"
#include "privacy/mask.h"
#include "util/buf.h"
#include "voix/error.h"

static const char *const placeholders[VX_PII_COUNT] = {
	[VX_PII_EMAIL] = "[EMAIL]",
	[VX_PII_PHONE] = "[TÉLÉPHONE]",
	[VX_PII_NIR] = "[NIR]",
	[VX_PII_FISCAL] = "[NUMÉRO FISCAL]",
	[VX_PII_IBAN] = "[IBAN]",
	[VX_PII_SIREN] = "[SIREN]",
	[VX_PII_SIRET] = "[SIRET]",
	[VX_PII_CARD] = "[CARTE]",
	[VX_PII_PLATE] = "[IMMATRICULATION]",
	[VX_PII_CASE] = "[NUMÉRO DE DOSSIER]",
	[VX_PII_NAME] = "[NOM]",
	[VX_PII_BIRTHDATE] = "[DATE DE NAISSANCE]",
	[VX_PII_ADDRESS] = "[ADRESSE]",
};

static const char *const keys[VX_PII_COUNT] = {
	[VX_PII_EMAIL] = "email",
	[VX_PII_PHONE] = "telephone",
	[VX_PII_NIR] = "nir",
	[VX_PII_FISCAL] = "numero_fiscal",
	[VX_PII_IBAN] = "iban",
	[VX_PII_SIREN] = "siren",
	[VX_PII_SIRET] = "siret",
	[VX_PII_CARD] = "carte",
	[VX_PII_PLATE] = "immatriculation",
	[VX_PII_CASE] = "numero_dossier",
	[VX_PII_NAME] = "nom",
	[VX_PII_BIRTHDATE] = "date_naissance",
	[VX_PII_ADDRESS] = "adresse",
};

const char *vx_pii_placeholder(vx_pii_kind kind)
{
	return (unsigned)kind < VX_PII_COUNT ? placeholders[kind] : "[?]";
}

const char *vx_pii_key(vx_pii_kind kind)
{
	return (unsigned)kind < VX_PII_COUNT ? keys[kind] : "unknown";
}

int vx_masker_new(vx_masker **out)
{
	*out = NULL;
	vx_masker *m = calloc(1, sizeof *m);
	if (m == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating a masker");
	int rc = vx_pii_patterns_compile(m);
	if (rc) {
		vx_masker_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void vx_masker_free(vx_masker *m)
{
	if (m == NULL)
		return;
	vx_pii_patterns_free(m);
	free(m->cand);
	free(m->taken);
	free(m);
}

int vx_pii_cand_add(vx_masker *m, size_t start, size_t end, vx_pii_kind kind, int checksum_ok)
{
	if (end <= start)
		return 0;
	if (m->n_cand == m->cap_cand) {
		size_t cap = m->cap_cand ? m->cap_cand * 2 : 32;
		vx_pii_span *grown = realloc(m->cand, cap * sizeof *grown);
		if (grown == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory: %zu candidate spans", cap);
		m->cand = grown;
		m->cap_cand = cap;
	}
	m->cand[m->n_cand++] = (vx_pii_span){start, end, kind, checksum_ok};
	return 0;
}

/* Validated spans (a checksum, or the strict syntax of e-mail addresses and
 * phone numbers) win over the others: they are the least likely to be
 * accidents. */
static int validated(const vx_pii_span *s)
{
	return s->checksum_ok == 1 || s->kind == VX_PII_EMAIL || s->kind == VX_PII_PHONE;
}

static int by_priority(const void *pa, const void *pb)
{
	const vx_pii_span *a = pa, *b = pb;
	int va = validated(a), vb = validated(b);
	if (va != vb)
		return vb - va;
	size_t la = a->end - a->start, lb = b->end - b->start;
	if (la != lb)
		return la < lb ? 1 : -1;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int by_start(const void *pa, const void *pb)
{
	const vx_pii_span *a = pa, *b = pb;
	return a->start < b->start ? -1 : a->start > b->start;
}

int vx_masker_scan(vx_masker *m, const char *text, size_t len, size_t *n)
{
	*n = 0;
	m->n_cand = 0;
	if (text == NULL || len == 0)
		return 0;
	int rc = vx_pii_find_numbers(m, text, len);
	if (rc == 0)
		rc = vx_pii_find_patterns(m, text, len);
	if (rc == 0)
		rc = vx_pii_find_names(m, text, len);
	if (rc)
		return rc;
	if (m->n_cand == 0)
		return 0;
	if (m->n_cand == 1) {
		*n = 1;
		return 0;
	}
	qsort(m->cand, m->n_cand, sizeof *m->cand, by_priority);
	if (m->cap_taken < len) {
		unsigned char *grown = realloc(m->taken, len);
		if (grown == NULL)
			return vx_error_set(VX_ENOMEM, "out of memory: %zu bytes of marks", len);
		m->taken = grown;
		m->cap_taken = len;
	}
	/* Only the bytes under some candidate are ever read: clear those. */
	for (size_t i = 0; i < m->n_cand; i++)
		memset(m->taken + m->cand[i].start, 0, m->cand[i].end - m->cand[i].start);
	size_t kept = 0;
	for (size_t i = 0; i < m->n_cand; i++) {
		vx_pii_span c = m->cand[i];
		/* A span is free when both ends and every byte between are. */
		int free_span = 1;
		for (size_t b = c.start; b < c.end; b++)
			if (m->taken[b]) {
				free_span = 0;
				break;
			}
		if (!free_span)
			continue;
		memset(m->taken + c.start, 1, c.end - c.start);
		m->cand[kept++] = c;
	}
	qsort(m->cand, kept, sizeof *m->cand, by_start);
	*n = kept;
	return 0;
}

const vx_pii_span *vx_masker_spans(const vx_masker *m)
{
	return m->cand;
}

int vx_masker_find(vx_masker *m, const char *text, size_t len, vx_pii_span **spans, size_t *n)
{
	*spans = NULL;
	*n = 0;
	size_t k;
	int rc = vx_masker_scan(m, text, len, &k);
	if (rc || k == 0)
		return rc;
	vx_pii_span *copy = malloc(k * sizeof *copy);
	if (copy == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory copying %zu spans", k);
	memcpy(copy, m->cand, k * sizeof *copy);
	*spans = copy;
	*n = k;
	return 0;
}

void vx_pii_counts_add(vx_pii_counts *counts, const vx_pii_span *spans, size_t n)
{
	if (counts == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		counts->by_kind[spans[i].kind]++;
		if (spans[i].kind == VX_PII_NIR && spans[i].checksum_ok == 0)
			counts->nir_bad_key++;
	}
}

int vx_pii_write_masked(vx_buf *out, const char *text, size_t len, const vx_pii_span *spans, size_t n)
{
	int rc = 0;
	size_t at = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = vx_buf_append(out, text + at, spans[i].start - at);
		if (rc == 0)
			rc = vx_buf_puts(out, placeholders[spans[i].kind]);
		at = spans[i].end;
	}
	if (rc == 0 && len > at)
		rc = vx_buf_append(out, text + at, len - at);
	return rc;
}

int vx_masker_mask_append(vx_masker *m, vx_buf *out, const char *text, size_t len, vx_pii_counts *counts)
{
	size_t n;
	int rc = vx_masker_scan(m, text, len, &n);
	if (rc == 0)
		rc = vx_pii_write_masked(out, text, len, m->cand, n);
	if (rc == 0)
		vx_pii_counts_add(counts, m->cand, n);
	return rc;
}

int vx_masker_mask(vx_masker *m, const char *text, size_t len, char **out, vx_pii_counts *counts)
{
	*out = NULL;
	vx_buf b;
	vx_buf_init(&b, 0);
	int rc = vx_buf_reserve(&b, len);
	if (rc == 0)
		rc = vx_buf_append(&b, "", 0); /* NUL-terminated even when empty */
	if (rc == 0)
		rc = vx_masker_mask_append(m, &b, text ? text : "", text ? len : 0, counts);
	if (rc) {
		vx_buf_free(&b);
		return rc;
	}
	*out = vx_buf_detach(&b, NULL);
	return *out ? 0 : vx_error_set(VX_ENOMEM, "out of memory detaching the masked text");
}
