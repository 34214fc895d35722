/*
 * Checksum validators of the identifiers masked by the privacy stage.
 *
 * Every public validator takes the identifier as written: spaces, dots and
 * dashes (and the UTF-8 no-break spaces) between characters are ignored,
 * letters are compared case-insensitively. Each returns 1 when the
 * identifier has the right length and checksum, 0 otherwise.
 */
#include "privacy/detect.h"

#include <string.h>

#include "voix/privacy.h"

/* Longest identifier handled here: an IBAN has at most 34 characters. */
#define COMPACT_MAX 40

/* Copies the alphanumeric characters of s into out (upper-cased), skipping
 * the separators people put in identifiers. Returns the compact length, or
 * -1 on any other character or when the result exceeds COMPACT_MAX. */
static int compact(char out[COMPACT_MAX + 1], const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '.' || c == '-' || c == '\t')
			continue;
		/* U+00A0 no-break space, U+202F narrow no-break space */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
			i++;
			continue;
		}
		if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0xAF) {
			i += 2;
			continue;
		}
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			return -1;
		if (o == COMPACT_MAX)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (int)o;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* s[0..n) as a number modulo m; s must be digits. */
static unsigned digits_mod(const char *s, size_t n, unsigned m)
{
	unsigned long long r = 0;
	for (size_t i = 0; i < n; i++)
		r = (r * 10 + (unsigned)(s[i] - '0')) % m;
	return (unsigned)r;
}

int vx_pii_luhn_compact(const char *d, size_t n)
{
	if (n < 2 || !all_digits(d, n))
		return 0;
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');
		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/*
 * NIR: 13 characters then a 2-digit key = 97 - (number mod 97). Corsican
 * departments 2A and 2B count as 19 and 18 for the key (INSEE rule).
 */
int vx_pii_nir_compact(const char *d, size_t n)
{
	if (n != 15 || !all_digits(d + 7, 8) || !all_digits(d, 5))
		return 0;
	char num[13];
	memcpy(num, d, 13);
	if (d[5] == '2' && (d[6] == 'A' || d[6] == 'B')) {
		num[5] = '1';
		num[6] = d[6] == 'A' ? '9' : '8';
	} else if (!all_digits(d + 5, 2)) {
		return 0;
	}
	unsigned key = (unsigned)(d[13] - '0') * 10 + (unsigned)(d[14] - '0');
	return key == 97 - digits_mod(num, 13, 97);
}

/*
 * The shape of a NIR, key aside: sex 1-4 or 7-8 (3, 4, 7, 8 are temporary
 * numbers), any year, month 01-12, 20-42 or 50-99 (INSEE codes for unknown
 * or special months), department 01-99, 2A or 2B, a commune and an order
 * number that are not 000. Any key: a mistyped NIR is still a NIR.
 */
int vx_pii_nir_shape(const char *d, size_t n)
{
	if (n != 15)
		return 0;
	if (!(d[0] >= '1' && d[0] <= '4') && d[0] != '7' && d[0] != '8')
		return 0;
	if (!all_digits(d + 1, 4) || !all_digits(d + 7, 8))
		return 0;
	unsigned month = (unsigned)(d[3] - '0') * 10 + (unsigned)(d[4] - '0');
	if (month == 0 || (month > 12 && month < 20) || (month > 42 && month < 50))
		return 0;
	int corsica = d[5] == '2' && (d[6] == 'A' || d[6] == 'B');
	if (!corsica && (!all_digits(d + 5, 2) || (d[5] == '0' && d[6] == '0')))
		return 0;
	return memcmp(d + 7, "000", 3) != 0 && memcmp(d + 10, "000", 3) != 0;
}

/* Numéro fiscal (SPI): 13 digits, the first 0-3, and the last three equal
 * to the first ten modulo 511 (DGFiP rule). */
int vx_pii_fiscal_compact(const char *d, size_t n)
{
	if (n != 13 || !all_digits(d, n) || d[0] > '3')
		return 0;
	unsigned long long first = 0;
	for (size_t i = 0; i < 10; i++)
		first = first * 10 + (unsigned)(d[i] - '0');
	unsigned key = digits_mod(d + 10, 3, 1000);
	return first % 511 == key;
}

/* IBAN lengths by country (ISO 13616 registry), for the countries whose
 * IBANs French users are likely to quote; other countries only need a
 * length in 15..34. */
static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
	{"AD", 24}, {"AT", 20}, {"BE", 16}, {"CH", 21}, {"DE", 22}, {"DK", 18}, {"ES", 24},
	{"FI", 18}, {"FR", 27}, {"GB", 22}, {"GR", 27}, {"IE", 22}, {"IT", 27}, {"LU", 20},
	{"MA", 28}, {"MC", 27}, {"NL", 18}, {"PL", 28}, {"PT", 25}, {"RO", 24}, {"SE", 24},
	{"SN", 28}, {"TN", 24}, {"DZ", 26}, {"CI", 28},
};

/* The registered length for the country of d, or 0 when unknown. */
int vx_pii_iban_length(const char *cc)
{
	for (size_t i = 0; i < sizeof iban_lengths / sizeof iban_lengths[0]; i++)
		if (cc[0] == iban_lengths[i].cc[0] && cc[1] == iban_lengths[i].cc[1])
			return iban_lengths[i].len;
	return 0;
}

int vx_pii_iban_shape(const char *d, size_t n)
{
	if (n < 15 || n > 34)
		return 0;
	if (d[0] < 'A' || d[0] > 'Z' || d[1] < 'A' || d[1] > 'Z' || !all_digits(d + 2, 2))
		return 0;
	int want = vx_pii_iban_length(d);
	return want == 0 || (size_t)want == n;
}

/* ISO 7064 MOD 97-10: move the first four characters to the end, letters
 * become 10..35, and the number must be 1 modulo 97. */
int vx_pii_iban_compact(const char *d, size_t n)
{
	if (!vx_pii_iban_shape(d, n))
		return 0;
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		char c = d[(k + 4) % n];
		if (c >= '0' && c <= '9')
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r == 1;
}

/* Letters of a RIB account number count as digits (Banque de France table):
 * A,J->1 B,K,S->2 C,L,T->3 D,M,U->4 E,N,V->5 F,O,W->6 G,P,X->7 H,Q,Y->8 I,R,Z->9. */
static unsigned rib_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'A' && c <= 'I')
		return (unsigned)(c - 'A' + 1);
	if (c >= 'J' && c <= 'R')
		return (unsigned)(c - 'J' + 1);
	return (unsigned)(c - 'S' + 2);
}

/* RIB: bank (5 digits), branch (5), account (11 alphanumerics), key (2) with
 * key = 97 - ((89 bank + 15 branch + 3 account) mod 97). */
int vx_pii_rib_compact(const char *d, size_t n)
{
	if (n != 23 || !all_digits(d, 10) || !all_digits(d + 21, 2))
		return 0;
	unsigned long long account = 0;
	for (size_t i = 10; i < 21; i++) {
		if (!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'A' && d[i] <= 'Z')))
			return 0;
		account = account * 10 + rib_digit(d[i]);
	}
	unsigned long long bank = digits_mod(d, 5, 97), branch = digits_mod(d + 5, 5, 97);
	unsigned long long sum = (89 * bank + 15 * branch + 3 * (account % 97)) % 97;
	unsigned key = (unsigned)(d[21] - '0') * 10 + (unsigned)(d[22] - '0');
	return key == 97 - sum;
}

int vx_pii_siren_compact(const char *d, size_t n)
{
	return n == 9 && vx_pii_luhn_compact(d, n);
}

/* SIRET: Luhn over 14 digits, except the establishments of La Poste (SIREN
 * 356 000 000), numbered so that the sum of the digits is a multiple of 5. */
int vx_pii_siret_compact(const char *d, size_t n)
{
	if (n != 14 || !all_digits(d, n))
		return 0;
	if (memcmp(d, "356000000", 9) == 0) {
		unsigned sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += (unsigned)(d[i] - '0');
		return sum % 5 == 0;
	}
	return vx_pii_luhn_compact(d, n);
}

/* Drops the separators of s, then applies check to the digits left. */
static int compact_then(const char *s, size_t len, int (*check)(const char *d, size_t n))
{
	char d[COMPACT_MAX + 1];
	int n = compact(d, s, len);
	return n > 0 && check(d, (size_t)n);
}

int vx_pii_nir_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_nir_compact);
}

int vx_pii_fiscal_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_fiscal_compact);
}

int vx_pii_iban_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_iban_compact);
}

int vx_pii_rib_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_rib_compact);
}

int vx_pii_siren_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_siren_compact);
}

int vx_pii_siret_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_siret_compact);
}

int vx_pii_luhn_valid(const char *s, size_t len)
{
	return compact_then(s, len, vx_pii_luhn_compact);
}
