/*
 * Checksum validators: the reference vectors of the issue, the spellings
 * people use (spaces, dots, dashes, lower case), and near misses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "voix/privacy.h"

typedef struct vector {
	const char *what;
	int (*valid)(const char *, size_t);
	const char *input;
	int expected;
} vector;

static const vector vectors[] = {
	/* NIR: key = 97 - (13 digits mod 97), 2A -> 19, 2B -> 18 */
	{"NIR reference", vx_pii_nir_valid, "295109912611193", 1},
	{"NIR wrong key", vx_pii_nir_valid, "295109912611199", 0},
	{"NIR Corsica 2B", vx_pii_nir_valid, "253072B07300470", 1},
	{"NIR Corsica lower case", vx_pii_nir_valid, "253072b07300470", 1},
	{"NIR spaced", vx_pii_nir_valid, "2 95 10 99 126 111 93", 1},
	{"NIR dotted", vx_pii_nir_valid, "2.95.10.99.126.111.93", 1},
	{"NIR no-break spaces", vx_pii_nir_valid, "2\xC2\xA0" "95\xC2\xA0" "10 99 126 111 93", 1},
	{"NIR too short", vx_pii_nir_valid, "29510991261119", 0},
	{"NIR too long", vx_pii_nir_valid, "2951099126111930", 0},
	{"NIR with a letter", vx_pii_nir_valid, "2951099X2611193", 0},
	{"NIR Corsica wrong letter", vx_pii_nir_valid, "253072C07300470", 0},
	/* numéro fiscal: last 3 digits = first 10 mod 511 */
	{"fiscal reference", vx_pii_fiscal_valid, "3023217600053", 1},
	{"fiscal wrong key", vx_pii_fiscal_valid, "3023217600054", 0},
	{"fiscal spaced", vx_pii_fiscal_valid, "30 23 217 600 053", 1},
	{"fiscal first digit above 3", vx_pii_fiscal_valid, "4023217600053", 0},
	{"fiscal 12 digits", vx_pii_fiscal_valid, "302321760005", 0},
	/* IBAN: ISO 7064 mod 97-10 */
	{"IBAN reference", vx_pii_iban_valid, "FR7630006000011234567890189", 1},
	{"IBAN grouped", vx_pii_iban_valid, "FR76 3000 6000 0112 3456 7890 189", 1},
	{"IBAN lower case", vx_pii_iban_valid, "fr76 3000 6000 0112 3456 7890 189", 1},
	{"IBAN Germany", vx_pii_iban_valid, "DE89 3704 0044 0532 0130 00", 1},
	{"IBAN Belgium", vx_pii_iban_valid, "BE68 5390 0754 7034", 1},
	{"IBAN one digit changed", vx_pii_iban_valid, "FR7630006000011234567890188", 0},
	{"IBAN two digits swapped", vx_pii_iban_valid, "FR7630006000011234567809189", 0},
	{"IBAN wrong length for FR", vx_pii_iban_valid, "FR763000600001123456789018", 0},
	/* RIB key: 97 - ((89 bank + 15 branch + 3 account) mod 97) */
	{"RIB of the reference IBAN", vx_pii_rib_valid, "30006 00001 12345678901 89", 1},
	{"RIB wrong key", vx_pii_rib_valid, "30006 00001 12345678901 88", 0},
	{"RIB letters in account", vx_pii_rib_valid, "20041 01005 0500013M026 06", 1},
	{"RIB too short", vx_pii_rib_valid, "30006 00001 1234567890 89", 0},
	/* SIREN / SIRET: Luhn; La Poste SIRETs: digit sum multiple of 5 */
	{"SIREN reference", vx_pii_siren_valid, "404833048", 1},
	{"SIREN wrong digit", vx_pii_siren_valid, "404833047", 0},
	{"SIREN spaced", vx_pii_siren_valid, "404 833 048", 1},
	{"SIREN 10 digits", vx_pii_siren_valid, "4048330480", 0},
	{"SIRET reference", vx_pii_siret_valid, "73282932000074", 1},
	{"SIRET spaced", vx_pii_siret_valid, "732 829 320 00074", 1},
	{"SIRET wrong digit", vx_pii_siret_valid, "73282932000075", 0},
	{"SIRET La Poste (digit sum 15)", vx_pii_siret_valid, "35600000000001", 1},
	{"SIRET La Poste, sum not a multiple of 5", vx_pii_siret_valid, "35600000000002", 0},
	{"SIRET La Poste digit sum rule, Luhn invalid", vx_pii_siret_valid, "35600000049837", 1},
	/* Luhn */
	{"Luhn Visa test card", vx_pii_luhn_valid, "4111 1111 1111 1111", 1},
	{"Luhn Visa test card, dashes", vx_pii_luhn_valid, "4111-1111-1111-1111", 1},
	{"Luhn wrong digit", vx_pii_luhn_valid, "4111 1111 1111 1112", 0},
	{"Luhn Amex test card", vx_pii_luhn_valid, "3782 822463 10005", 1},
	{"Luhn empty", vx_pii_luhn_valid, "", 0},
	{"Luhn not digits", vx_pii_luhn_valid, "41x1", 0},
};

static void test_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		const vector *v = &vectors[i];
		int got = v->valid(v->input, strlen(v->input));
		if (got != v->expected)
			fail_msg("%s: \"%s\" gave %d, expected %d", v->what, v->input, got, v->expected);
	}
}

/* Every validator refuses input that is not an identifier at all. */
static void test_garbage(void **state)
{
	(void)state;
	int (*const all[])(const char *, size_t) = {vx_pii_nir_valid,   vx_pii_fiscal_valid, vx_pii_iban_valid,
	                                            vx_pii_rib_valid,   vx_pii_siren_valid,  vx_pii_siret_valid,
	                                            vx_pii_luhn_valid};
	const char *garbage[] = {"", " ", "----", "France Travail", "\xFF\xFE", "0000000000000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		for (size_t k = 0; k < sizeof garbage / sizeof garbage[0]; k++)
			assert_int_equal(all[i](garbage[k], strlen(garbage[k])), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
