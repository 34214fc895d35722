/*
 * Long identifiers (NIR, numéro fiscal, IBAN, RIB, SIREN, SIRET, bank card)
 * found by a hand-written scanner rather than a regular expression.
 *
 * People write these numbers whole ("295109912611193"), in the official
 * grouping ("2 95 10 99 126 111 93") or in any grouping of their own, with
 * spaces, dots or dashes. The scanner collects a chain of alphanumeric
 * groups that hold digits, joined by short separators, then tries every
 * sub-chain against every identifier. A sub-chain counts only when its
 * group boundaries fall where that identifier's fields end (so that "+33 6
 * 12 34 56 78" never yields a SIREN, nor a list of amounts a card number)
 * and when it has the exact length of the identifier: a SIREN inside a
 * longer run of digits is not a SIREN ("exact length and digit boundaries").
 */
#include <string.h>

#include "privacy/detect.h"

/* Groups kept per chain; a longer chain is cut and scanned in pieces. */
#define CHAIN_MAX_GROUPS 48
/* Longest identifier: an IBAN has at most 34 characters. */
#define ID_MAX 34
/* Separator run allowed between two groups, in bytes: " - " at most. */
#define SEP_MAX 3

typedef struct group {
	size_t start, end;
} group;

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Length of the separator at t[i], 0 when there is none: a run of at most
 * SEP_MAX spaces, dots and dashes, or one no-break space. */
static size_t sep_len(const char *t, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)t;
	if (i + 1 < len && u[i] == 0xC2 && u[i + 1] == 0xA0)
		return 2;
	if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 && (u[i + 2] == 0xAF || u[i + 2] == 0x89))
		return 3;
	size_t n = 0;
	while (i + n < len && n < SEP_MAX && (u[i + n] == ' ' || u[i + n] == '.' || u[i + n] == '-'))
		n++;
	if (n == 0 || (i + n < len && (u[i + n] == ' ' || u[i + n] == '.' || u[i + n] == '-')))
		return 0;
	/* Two dots in a row end a sentence ("..."), not a number. */
	if (n >= 2 && u[i] == '.' && u[i + 1] == '.')
		return 0;
	return n;
}

static int has_digit(const char *t, size_t start, size_t end)
{
	for (size_t i = start; i < end; i++)
		if (t[i] >= '0' && t[i] <= '9')
			return 1;
	return 0;
}

/* 1 when every internal boundary of the sub-chain is in allowed[]. */
static int aligned(const size_t *bounds, size_t nb, const size_t *allowed, size_t na)
{
	for (size_t i = 0; i < nb; i++) {
		size_t k = 0;
		while (k < na && allowed[k] != bounds[i])
			k++;
		if (k == na)
			return 0;
	}
	return 1;
}

/* 1 when every boundary is a multiple of step. */
static int aligned_every(const size_t *bounds, size_t nb, size_t step)
{
	for (size_t i = 0; i < nb; i++)
		if (bounds[i] % step != 0)
			return 0;
	return 1;
}

static int digits_only(const char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

/* Card numbers: length and issuer prefix of the networks seen in France
 * (Visa 13/16/19 from 4, Mastercard 16 from 51-55 and 2221-2720, CB and
 * Maestro 16-19 from 5 or 6, American Express 15 from 34/37, Diners 14 from
 * 30/36/38, Discover and UnionPay 16-19 from 6), then Luhn. */
static int card_ok(const char *d, size_t n, const size_t *bounds, size_t nb)
{
	if (n < 13 || n > 19 || !digits_only(d, n))
		return 0;
	int prefix_ok = 0;
	if (d[0] == '4')
		prefix_ok = n == 13 || n == 16 || n == 19;
	else if (d[0] == '5' || d[0] == '6')
		prefix_ok = n >= 16;
	else if (d[0] == '2')
		prefix_ok = n == 16;
	else if (d[0] == '3')
		prefix_ok = (n == 15 && (d[1] == '4' || d[1] == '7')) ||
		            (n == 14 && (d[1] == '0' || d[1] == '6' || d[1] == '8')) || n == 16;
	if (!prefix_ok)
		return 0;
	static const size_t amex[] = {4, 10};
	if (!aligned_every(bounds, nb, 4) && !aligned(bounds, nb, amex, 2))
		return 0;
	return vx_pii_luhn_compact(d, n);
}

/* Tries the sub-chain d[0..n) (groups a..b of the chain) against every
 * identifier and adds a candidate for each that fits. */
static int try_subchain(vx_masker *m, const char *d, size_t n, const size_t *bounds, size_t nb,
                        size_t start, size_t end)
{
	int rc = 0;
	if (n == 15 && vx_pii_nir_shape(d, n)) {
		static const size_t nir_fields[] = {1, 3, 5, 7, 10, 13};
		if (aligned(bounds, nb, nir_fields, 6))
			rc = vx_pii_cand_add(m, start, end, VX_PII_NIR, vx_pii_nir_compact(d, n));
	}
	if (rc == 0 && n == 13 && vx_pii_fiscal_compact(d, n)) {
		static const size_t fiscal_fields[] = {2, 4, 7, 10};
		if (aligned(bounds, nb, fiscal_fields, 4))
			rc = vx_pii_cand_add(m, start, end, VX_PII_FISCAL, 1);
	}
	/* French IBANs are also written with the RIB's fields: "FR76 30006
	 * 00001 12345678901 89". */
	static const size_t iban_rib_fields[] = {2, 4, 9, 14, 25};
	if (rc == 0 && vx_pii_iban_shape(d, n) &&
	    (aligned_every(bounds, nb, 4) || (n == 27 && aligned(bounds, nb, iban_rib_fields, 5)))) {
		int ok = vx_pii_iban_compact(d, n);
		/* A mistyped IBAN is still masked when its country and exact
		 * length are known: "FR76" followed by 23 characters is
		 * nothing else. */
		if (ok || vx_pii_iban_length(d) != 0)
			rc = vx_pii_cand_add(m, start, end, VX_PII_IBAN, ok);
	}
	if (rc == 0 && n == 23 && vx_pii_rib_compact(d, n)) {
		static const size_t rib_fields[] = {5, 10, 21};
		if (aligned(bounds, nb, rib_fields, 3))
			rc = vx_pii_cand_add(m, start, end, VX_PII_IBAN, 1);
	}
	if (rc == 0 && n == 14 && vx_pii_siret_compact(d, n)) {
		static const size_t siret_fields[] = {3, 6, 9, 12};
		if (aligned(bounds, nb, siret_fields, 4))
			rc = vx_pii_cand_add(m, start, end, VX_PII_SIRET, 1);
	}
	if (rc == 0 && n == 9 && vx_pii_siren_compact(d, n)) {
		static const size_t siren_fields[] = {3, 6};
		if (aligned(bounds, nb, siren_fields, 2))
			rc = vx_pii_cand_add(m, start, end, VX_PII_SIREN, 1);
	}
	if (rc == 0 && card_ok(d, n, bounds, nb))
		rc = vx_pii_cand_add(m, start, end, VX_PII_CARD, 1);
	return rc;
}

static int scan_chain(vx_masker *m, const char *t, const group *g, size_t ng)
{
	char d[ID_MAX + 1];
	size_t bounds[CHAIN_MAX_GROUPS];
	for (size_t a = 0; a < ng; a++) {
		size_t n = 0, nb = 0;
		for (size_t b = a; b < ng; b++) {
			size_t glen = g[b].end - g[b].start;
			if (n + glen > ID_MAX)
				break;
			if (b > a)
				bounds[nb++] = n;
			for (size_t i = g[b].start; i < g[b].end; i++) {
				char c = t[i];
				d[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
			}
			int rc = try_subchain(m, d, n, bounds, nb, g[a].start, g[b].end);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int vx_pii_find_numbers(vx_masker *m, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	group g[CHAIN_MAX_GROUPS];
	size_t i = 0;
	while (i < len) {
		if (!is_alnum(u[i])) {
			i++;
			continue;
		}
		size_t s = i;
		while (i < len && is_alnum(u[i]))
			i++;
		if (!has_digit(text, s, i))
			continue;
		size_t ng = 0;
		g[ng++] = (group){s, i};
		while (ng < CHAIN_MAX_GROUPS) {
			size_t sl = sep_len(text, len, i);
			if (sl == 0 || i + sl >= len || !is_alnum(u[i + sl]))
				break;
			size_t k = i + sl;
			while (k < len && is_alnum(u[k]))
				k++;
			if (!has_digit(text, i + sl, k))
				break;
			g[ng++] = (group){i + sl, k};
			i = k;
		}
		int rc = scan_chain(m, text, g, ng);
		if (rc)
			return rc;
	}
	return 0;
}
