/*
 * Personal data: detection and masking.
 *
 * Masking replaces each detected span with a bracketed upper-case
 * placeholder ("[EMAIL]", "[NOM]"...) and changes nothing else. Detection
 * runs on UTF-8 text. See docs/privacy.md for every rule and its reason.
 */
#ifndef VOIX_PRIVACY_H
#define VOIX_PRIVACY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vx_pii_kind {
	VX_PII_EMAIL = 0,
	VX_PII_PHONE,
	VX_PII_NIR,
	VX_PII_FISCAL,
	VX_PII_IBAN,
	VX_PII_SIREN,
	VX_PII_SIRET,
	VX_PII_CARD,
	VX_PII_PLATE,
	VX_PII_CASE,
	VX_PII_NAME,
	VX_PII_BIRTHDATE,
	VX_PII_ADDRESS,
	VX_PII_COUNT
} vx_pii_kind;

typedef struct vx_pii_span {
	size_t start, end;   /* byte offsets in the input text */
	vx_pii_kind kind;
	int checksum_ok;     /* 1 valid, 0 invalid (still masked), -1 no checksum for this kind */
} vx_pii_span;

/* Items masked per category; nir_bad_key counts NIR-shaped strings whose key is wrong. */
typedef struct vx_pii_counts {
	size_t by_kind[VX_PII_COUNT];
	size_t nir_bad_key;
} vx_pii_counts;

typedef struct vx_masker vx_masker;

/* Creates a masker (compiles its patterns once; reuse it). Not thread-safe:
 * use one per thread. */
int vx_masker_new(vx_masker **out);
void vx_masker_free(vx_masker *m);

/*
 * Finds the personal data in text[0..len). *spans receives a malloc'ed array
 * (caller frees) of *n non-overlapping spans sorted by start.
 */
int vx_masker_find(vx_masker *m, const char *text, size_t len, vx_pii_span **spans, size_t *n);

/*
 * Writes the masked text to *out (malloc'ed, NUL-terminated, caller frees)
 * and adds the number of masked items to counts when counts is not NULL.
 */
int vx_masker_mask(vx_masker *m, const char *text, size_t len, char **out, vx_pii_counts *counts);

/* "[EMAIL]", "[TÉLÉPHONE]", ... */
const char *vx_pii_placeholder(vx_pii_kind kind);
/* A stable lower-case key for reports and JSON: "email", "telephone", "nir"... */
const char *vx_pii_key(vx_pii_kind kind);

/* Validators, exposed for tests and for the benchmark. Digits may be given
 * with spaces, dots or dashes; they are ignored. Each returns 1 when valid. */
int vx_pii_nir_valid(const char *s, size_t len);
int vx_pii_fiscal_valid(const char *s, size_t len);
int vx_pii_iban_valid(const char *s, size_t len);
int vx_pii_rib_valid(const char *s, size_t len);
int vx_pii_siren_valid(const char *s, size_t len);
int vx_pii_siret_valid(const char *s, size_t len);
int vx_pii_luhn_valid(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
