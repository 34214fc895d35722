/*
 * Internals of the privacy stage: the masker's state, shared by the
 * detectors (one file per family of personal data) and the span resolver.
 *
 * Each detector appends candidate spans with vx_pii_cand_add(); candidates
 * may overlap. vx_masker_find() then keeps a non-overlapping subset:
 * checksum-validated (and format-validated e-mails and phone numbers) first,
 * then the longest, then the kind listed first in vx_pii_kind.
 */
#ifndef VX_PRIVACY_DETECT_H
#define VX_PRIVACY_DETECT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "voix/privacy.h"

/* The PCRE2 patterns compiled once per masker (see patterns.c). */
enum vx_pii_re {
	VX_RE_EMAIL = 0,
	VX_RE_PHONE,
	VX_RE_PLATE,
	VX_RE_BIRTHDATE,
	VX_RE_ADDRESS,
	VX_RE_CASE,
	VX_RE_NAME_TRIGGER,
	VX_RE_SIGNOFF,
	VX_RE_COUNT
};

struct vx_masker {
	pcre2_code *re[VX_RE_COUNT];
	pcre2_match_data *md;
	vx_pii_span *cand;      /* candidates of the current text */
	size_t n_cand, cap_cand;
	unsigned char *taken;   /* per-byte marks used by the resolver */
	size_t cap_taken;
};

/* Appends a candidate span; fails only on out of memory. */
int vx_pii_cand_add(vx_masker *m, size_t start, size_t end, vx_pii_kind kind, int checksum_ok);

/* Detectors. Each scans text[0..len) and adds its candidates. */
int vx_pii_find_numbers(vx_masker *m, const char *text, size_t len);
int vx_pii_find_patterns(vx_masker *m, const char *text, size_t len);
int vx_pii_find_names(vx_masker *m, const char *text, size_t len);

/* Compiles and frees the patterns of patterns.c. */
int vx_pii_patterns_compile(vx_masker *m);
void vx_pii_patterns_free(vx_masker *m);

/* Validators on compact identifiers (upper-case letters and digits, no
 * separators), used by the detectors; see validate.c. */
int vx_pii_luhn_compact(const char *d, size_t n);
int vx_pii_nir_compact(const char *d, size_t n);
int vx_pii_nir_shape(const char *d, size_t n);
int vx_pii_fiscal_compact(const char *d, size_t n);
int vx_pii_iban_length(const char *cc);
int vx_pii_iban_shape(const char *d, size_t n);
int vx_pii_iban_compact(const char *d, size_t n);
int vx_pii_rib_compact(const char *d, size_t n);
int vx_pii_siren_compact(const char *d, size_t n);
int vx_pii_siret_compact(const char *d, size_t n);

/* Word lists of names.c, shared with the address detector: 1 when the
 * word (any case, accents ignored) is in the list. */
int vx_pii_is_name_stopword(const char *w, size_t len);

/* UTF-8 helpers shared by the detectors. */
/* 1 when s[i] starts an upper-case letter (ASCII or Latin-1 supplement). */
int vx_pii_is_upper_at(const char *s, size_t len, size_t i);
/* 1 when s[i] starts a letter (ASCII or Latin-1 supplement / Latin Extended-A). */
int vx_pii_is_letter_at(const char *s, size_t len, size_t i);
/* Byte length of the UTF-8 sequence starting at s[i] (1 for invalid bytes). */
size_t vx_pii_utf8_len(const char *s, size_t len, size_t i);

#endif
