/*
 * The masker, detector by detector: each case is a sentence and the text
 * it must become. Near misses (what must stay) sit next to the hits. Every
 * name, number and address below is invented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "voix/error.h"
#include "voix/privacy.h"

typedef struct mask_case {
	const char *in;
	const char *out;
} mask_case;

static int setup(void **state)
{
	vx_masker *m = NULL;
	if (vx_masker_new(&m) != 0)
		return -1;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	vx_masker_free(*state);
	return 0;
}

/* Runs every case and reports all the mismatches before failing. */
static void check_cases(vx_masker *m, const mask_case *cases, size_t n)
{
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		char *out = NULL;
		assert_int_equal(vx_masker_mask(m, cases[i].in, strlen(cases[i].in), &out, NULL), 0);
		if (strcmp(out, cases[i].out) != 0) {
			print_error("input:    %s\nexpected: %s\ngot:      %s\n", cases[i].in, cases[i].out, out);
			failed++;
		}
		free(out);
	}
	if (failed)
		fail_msg("%d of %zu cases differ", failed, n);
}

#define CHECK(m, cases) check_cases((m), (cases), sizeof(cases) / sizeof((cases)[0]))

static void test_email(void **state)
{
	static const mask_case cases[] = {
		{"écrire à jeanne.martinot@exemple.fr svp", "écrire à [EMAIL] svp"},
		{"mail: J.Durandal-75@Courrier.Exemple.COM.", "mail: [EMAIL]."},
		{"contact : paul_ferrandi+caf@exemple.org, merci", "contact : [EMAIL], merci"},
		{"paul.ferrandi (at) exemple.fr", "[EMAIL]"},
		{"adresse glued: a.b@exemple.frMerci", "adresse glued: [EMAIL]Merci"},
		{"pas une adresse : @exemple ni nom@ ni a@b", "pas une adresse : @exemple ni nom@ ni a@b"},
	};
	CHECK(*state, cases);
}

static void test_phone(void **state)
{
	static const mask_case cases[] = {
		{"tel 06 12 34 56 78.", "tel [TÉLÉPHONE]."},
		{"tel 0612345678", "tel [TÉLÉPHONE]"},
		{"tel 06.12.34.56.78 ou 06-12-34-56-78", "tel [TÉLÉPHONE] ou [TÉLÉPHONE]"},
		{"tel +33 6 12 34 56 78", "tel [TÉLÉPHONE]"},
		{"tel +33612345678", "tel [TÉLÉPHONE]"},
		{"tel 0033 6 12 34 56 78", "tel [TÉLÉPHONE]"},
		{"tel +33 (0)6 12 34 56 78", "tel [TÉLÉPHONE]"},
		{"tel 01 23 45 67 89 ou 09 87 65 43 21", "tel [TÉLÉPHONE] ou [TÉLÉPHONE]"},
		{"tel 06/12/34/56/78 ou 06  12  34  56  78", "tel [TÉLÉPHONE] ou [TÉLÉPHONE]"},
		{"le 01/02/2023 ou 06/12/34 56 78", "le 01/02/2023 ou 06/12/34 56 78"},
		{"Réunion 0262 12 34 56, +262 692 12 34 56", "Réunion [TÉLÉPHONE], [TÉLÉPHONE]"},
		{"Tahiti +689 87 12 34 56", "Tahiti [TÉLÉPHONE]"},
		{"Nouméa +687 12 34 56", "Nouméa [TÉLÉPHONE]"},
		/* public service numbers stay */
		{"appelez le 3949 ou le 3939", "appelez le 3949 ou le 3939"},
		{"le 09 72 72 39 49 ne répond pas", "le 09 72 72 39 49 ne répond pas"},
		{"numéro vert 0800 123 456 ou 08 06 12 34 56", "numéro vert 0800 123 456 ou 08 06 12 34 56"},
		{"le 0 800 00 00 00 est gratuit", "le 0 800 00 00 00 est gratuit"},
		/* dates and longer numbers are not phones */
		{"le 05.12.2023 10h30", "le 05.12.2023 10h30"},
		{"code 061234567890", "code 061234567890"},
	};
	CHECK(*state, cases);
}

static void test_nir(void **state)
{
	static const mask_case cases[] = {
		{"NIR 295109912611193.", "NIR [NIR]."},
		{"NIR 2 95 10 99 126 111 93", "NIR [NIR]"},
		{"NIR 2951099126111 93", "NIR [NIR]"},
		{"NIR 2.95.10.99.126.111.93", "NIR [NIR]"},
		{"Corse 2 53 07 2B 073 004 70", "Corse [NIR]"},
		{"Corse 253072B07300470", "Corse [NIR]"},
		/* a wrong key is still a NIR */
		{"NIR 295109912611199", "NIR [NIR]"},
		/* 15 digits with the wrong shape: an order number */
		{"commande 123456789012345 livrée", "commande 123456789012345 livrée"},
		{"commande 915109912611193", "commande 915109912611193"},
	};
	CHECK(*state, cases);
}

static void test_fiscal(void **state)
{
	static const mask_case cases[] = {
		{"numéro fiscal 3023217600053", "numéro fiscal [NUMÉRO FISCAL]"},
		{"numéro fiscal 30 23 217 600 053", "numéro fiscal [NUMÉRO FISCAL]"},
		{"numéro fiscal 3023217600054", "numéro fiscal 3023217600054"},
	};
	CHECK(*state, cases);
}

static void test_iban(void **state)
{
	static const mask_case cases[] = {
		{"IBAN FR76 3000 6000 0112 3456 7890 189 merci", "IBAN [IBAN] merci"},
		{"IBAN FR7630006000011234567890189", "IBAN [IBAN]"},
		{"iban fr76 3000 6000 0112 3456 7890 189", "iban [IBAN]"},
		{"IBAN DE89 3704 0044 0532 0130 00", "IBAN [IBAN]"},
		{"RIB 30006 00001 12345678901 89", "RIB [IBAN]"},
		{"IBAN FR76 30006 00001 12345678901 89", "IBAN [IBAN]"},
		/* a French IBAN with a typo is still masked (known length) */
		{"IBAN FR76 3000 6000 0112 3456 7890 188", "IBAN [IBAN]"},
		{"RIB 30006 00001 12345678901 88", "RIB 30006 00001 12345678901 88"},
	};
	CHECK(*state, cases);
}

static void test_siren_siret(void **state)
{
	static const mask_case cases[] = {
		{"SIREN 404833048", "SIREN [SIREN]"},
		{"SIREN 404 833 048.", "SIREN [SIREN]."},
		{"SIREN 404833047", "SIREN 404833047"},
		{"SIRET 73282932000074", "SIRET [SIRET]"},
		{"SIRET 732 829 320 00074", "SIRET [SIRET]"},
		/* exact length and digit boundaries */
		{"code 1404833048 ou 4048330481", "code 1404833048 ou 4048330481"},
		{"tel +33 4 04 83 30 48", "tel [TÉLÉPHONE]"},
	};
	CHECK(*state, cases);
}

static void test_card(void **state)
{
	static const mask_case cases[] = {
		{"carte 4111 1111 1111 1111 expire", "carte [CARTE] expire"},
		{"carte 4111111111111111", "carte [CARTE]"},
		{"carte 4111-1111-1111-1111", "carte [CARTE]"},
		{"Amex 3782 822463 10005", "Amex [CARTE]"},
		{"carte 4111 1111 1111 1112", "carte 4111 1111 1111 1112"},
	};
	CHECK(*state, cases);
}

static void test_plate(void **state)
{
	static const mask_case cases[] = {
		{"ma voiture AB-123-CD est", "ma voiture [IMMATRICULATION] est"},
		{"plaque AB 123 CD", "plaque [IMMATRICULATION]"},
		{"plaque GH456JK", "plaque [IMMATRICULATION]"},
		{"ancienne 123 ABC 75 et 4521 XY 13", "ancienne [IMMATRICULATION] et [IMMATRICULATION]"},
		/* I, O and U are never used in the current series */
		{"code AI-123-CD ou AB-123-CO", "code AI-123-CD ou AB-123-CO"},
		{"un AB-000-CD n'existe pas", "un AB-000-CD n'existe pas"},
		/* acronyms of the field */
		{"15 CDD 13 et 2 RSA 75", "15 CDD 13 et 2 RSA 75"},
	};
	CHECK(*state, cases);
}

static void test_case_number(void **state)
{
	static const mask_case cases[] = {
		{"numéro allocataire 7654321", "numéro allocataire [NUMÉRO DE DOSSIER]"},
		{"mon n° CAF : 1234567", "mon n° CAF : [NUMÉRO DE DOSSIER]"},
		{"identifiant France Travail 1234567A", "identifiant France Travail [NUMÉRO DE DOSSIER]"},
		{"dossier n° 2023-045678 en cours", "dossier n° [NUMÉRO DE DOSSIER] en cours"},
		{"MSA, matricule 00345678", "MSA, matricule [NUMÉRO DE DOSSIER]"},
		/* only with a context word */
		{"j'ai attendu 1234567 secondes", "j'ai attendu 1234567 secondes"},
		/* amounts, dates, times, short numbers, years stay */
		{"une demande de 150000 euros", "une demande de 150000 euros"},
		{"dossier du 12/03/2023", "dossier du 12/03/2023"},
		{"dossier déposé à 14h30", "dossier déposé à 14h30"},
		{"dossier 2019-2023", "dossier 2019-2023"},
		{"dossier en attente depuis 2021", "dossier en attente depuis 2021"},
		{"CAF de 75011", "CAF de 75011"},
		{"dossier. Ensuite 1234567", "dossier. Ensuite 1234567"},
	};
	CHECK(*state, cases);
}

static void test_names(void **state)
{
	static const mask_case cases[] = {
		{"Merci à Mme Durandal pour son aide.", "Merci à Mme [NOM] pour son aide."},
		{"Merci à Mme. Durandal", "Merci à Mme. [NOM]"},
		{"M. Jean-Pierre Martinot m'a reçu", "M. [NOM] m'a reçu"},
		{"Madame Le Guennec est top", "Madame [NOM] est top"},
		{"Monsieur de Villecourt a répondu", "Monsieur [NOM] a répondu"},
		{"Merci M. Da Costa !", "Merci M. [NOM] !"},
		{"Mme DUPONTEL Sophie est absente", "Mme [NOM] est absente"},
		{"madame Bertillon a été odieuse", "madame [NOM] a été odieuse"},
		{"Mlle Quentric, Dr Hamelin et Maître Vasselin", "Mlle [NOM], Dr [NOM] et Maître [NOM]"},
		{"j'ai vu Mme R. hier", "j'ai vu Mme [NOM] hier"},
		/* a lower-case surname after a capitalised abbreviation only */
		{"Mme durandal est absente, Mr kerbrat aussi", "Mme [NOM] est absente, Mr [NOM] aussi"},
		{"Mme la directrice, Mr le directeur, Mme m'a dit", "Mme la directrice, Mr le directeur, Mme m'a dit"},
		{"monsieur désagréable, madame qui rit", "monsieur désagréable, madame qui rit"},
		{"Mme Duc..... ne répond pas", "Mme [NOM] ne répond pas"},
		{"le conseiller (P.Lambrequin) est absent", "le conseiller ([NOM]) est absent"},
		{"mon conseiller Pierre Lambrequin est nul", "mon conseiller [NOM] est nul"},
		{"mon conseiller ( Paul Ferrandi ) est top", "mon conseiller ( [NOM] ) est top"},
		{"ma conseillère Mme Vasseur m'aide", "ma conseillère Mme [NOM] m'aide"},
		{"ma conseillère, Mme Vasseur, m'aide", "ma conseillère, Mme [NOM], m'aide"},
		{"l'agent Morvan m'a dit non", "l'agent [NOM] m'a dit non"},
		{"l'agent Le Guennec m'a reçu", "l'agent [NOM] m'a reçu"},
		{"l’agente Kerbrat", "l’agente [NOM]"},
		{"Bonjour, je m'appelle Julie Barnabé et", "Bonjour, je m'appelle [NOM] et"},
		{"la conseillère s'appelle Fanchon.", "la conseillère s'appelle [NOM]."},
		/* titles, institutions and common words keep every word */
		{"Monsieur le Maire et Madame la Préfète", "Monsieur le Maire et Madame la Préfète"},
		{"Monsieur Le Directeur, Madame la Directrice", "Monsieur Le Directeur, Madame la Directrice"},
		{"Madame, Monsieur, je vous écris", "Madame, Monsieur, je vous écris"},
		{"Bonjour Madame Je vous écris", "Bonjour Madame Je vous écris"},
		{"France Travail et Pôle emploi", "France Travail et Pôle emploi"},
		{"ma conseillère Pôle emploi est absente", "ma conseillère Pôle emploi est absente"},
		{"mon conseiller France Travail", "mon conseiller France Travail"},
		{"ma conseillère de Nancy était mieux", "ma conseillère de Nancy était mieux"},
		{"un conseiller PE aussi désagréable", "un conseiller PE aussi désagréable"},
		{"Monsieur le MaireJe", "Monsieur le MaireJe"},
		{"c'est comme ça, mme si", "c'est comme ça, mme si"},
		{"il a pris la ligne M. Il faut", "il a pris la ligne M. Il faut"},
		{"mon conseiller est absent", "mon conseiller est absent"},
		{"l'agent d'accueil était gentil", "l'agent d'accueil était gentil"},
	};
	CHECK(*state, cases);
}

static void test_signature(void **state)
{
	static const mask_case cases[] = {
		{"Merci pour tout.\nCordialement,\nJean Marchetti", "Merci pour tout.\nCordialement,\n[NOM]"},
		{"Très bien.\nBien cordialement\nAnnick", "Très bien.\nBien cordialement\n[NOM]"},
		{"Cordialement, Sylvain Quéméner.", "Cordialement, [NOM]."},
		{"Super accueil.\nMerci\nLéna :)", "Super accueil.\nMerci\n[NOM] :)"},
		/* not at the end, or not a name */
		{"Cordialement, Jean Marchetti, et la suite du texte", "Cordialement, Jean Marchetti, et la suite du texte"},
		{"Cordialement,\nUn usager mécontent", "Cordialement,\nUn usager mécontent"},
		{"Merci Pôle Emploi", "Merci Pôle Emploi"},
		{"Merci Sophie", "Merci Sophie"},
	};
	CHECK(*state, cases);
}

static void test_birthdate(void **state)
{
	static const mask_case cases[] = {
		{"je suis né le 12/03/1985 à Lyon", "je suis né le [DATE DE NAISSANCE] à Lyon"},
		{"née le 3 mars 1990", "née le [DATE DE NAISSANCE]"},
		{"né(e) le 1er janvier 1980", "né(e) le [DATE DE NAISSANCE]"},
		{"Date de naissance : 01.02.1975", "Date de naissance : [DATE DE NAISSANCE]"},
		{"date de naissance 1975-02-01", "date de naissance [DATE DE NAISSANCE]"},
		{"Né le 29/02/2000", "Né le [DATE DE NAISSANCE]"},
		/* calendar validity */
		{"né le 31/02/1980", "né le 31/02/1980"},
		{"né le 29/02/1999", "né le 29/02/1999"},
		{"né le 12/13/1985", "né le 12/13/1985"},
		/* no context: a date */
		{"rendez-vous le 12/03/1985", "rendez-vous le 12/03/1985"},
		{"donné le 12/03/2023", "donné le 12/03/2023"},
	};
	CHECK(*state, cases);
}

static void test_address(void **state)
{
	static const mask_case cases[] = {
		{"j'habite au 12 rue des Lilas depuis", "j'habite au [ADRESSE] depuis"},
		{"au 3 bis avenue Jean Jaurès, 75011 Paris.", "au [ADRESSE]."},
		{"45, boulevard de la République", "[ADRESSE]"},
		{"8 impasse du Moulin 13001 Marseille", "[ADRESSE]"},
		{"12 rue de la paix", "[ADRESSE]"},
		{"7 place Bellecour", "[ADRESSE]"},
		/* a number and a common noun */
		{"il reste 2 places libres et 3 cours de maths", "il reste 2 places libres et 3 cours de maths"},
		{"2 route barrées", "2 route barrées"},
		{"3 rue", "3 rue"},
	};
	CHECK(*state, cases);
}

/* Overlaps resolve to one span; the validated one wins. */
static void test_overlaps(void **state)
{
	static const mask_case cases[] = {
		{"dossier 295109912611193", "dossier [NIR]"},
		{"identifiant 404833048", "identifiant [SIREN]"},
		{"allocataire 0612345678", "allocataire [TÉLÉPHONE]"},
	};
	CHECK(*state, cases);
}

/* find() spans are sorted, disjoint, inside the text, and mask() replaces
 * exactly them. */
static void test_find_matches_mask(void **state)
{
	vx_masker *m = *state;
	const char *t = "Mme Durandal (06 12 34 56 78, durandal@exemple.fr) NIR 295109912611199, "
	                "SIRET 73282932000074, né le 12/03/1985, 12 rue des Lilas.";
	vx_pii_span *spans = NULL;
	size_t n = 0;
	assert_int_equal(vx_masker_find(m, t, strlen(t), &spans, &n), 0);
	assert_int_equal(n, 7);
	static const vx_pii_kind kinds[] = {VX_PII_NAME, VX_PII_PHONE, VX_PII_EMAIL, VX_PII_NIR,
	                                    VX_PII_SIRET, VX_PII_BIRTHDATE, VX_PII_ADDRESS};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(spans[i].kind, kinds[i]);
		assert_true(spans[i].start < spans[i].end && spans[i].end <= strlen(t));
		if (i)
			assert_true(spans[i - 1].end <= spans[i].start);
	}
	assert_int_equal(spans[3].checksum_ok, 0);
	assert_int_equal(spans[4].checksum_ok, 1);
	assert_int_equal(spans[0].checksum_ok, -1);
	free(spans);

	vx_pii_counts counts = {0};
	char *out = NULL;
	assert_int_equal(vx_masker_mask(m, t, strlen(t), &out, &counts), 0);
	assert_string_equal(out, "Mme [NOM] ([TÉLÉPHONE], [EMAIL]) NIR [NIR], SIRET [SIRET], né le "
	                         "[DATE DE NAISSANCE], [ADRESSE].");
	free(out);
	assert_int_equal(counts.by_kind[VX_PII_NIR], 1);
	assert_int_equal(counts.nir_bad_key, 1);
	assert_int_equal(counts.by_kind[VX_PII_NAME], 1);
	/* counts add up over calls */
	assert_int_equal(vx_masker_mask(m, "NIR 295109912611193", 19, &out, &counts), 0);
	free(out);
	assert_int_equal(counts.by_kind[VX_PII_NIR], 2);
	assert_int_equal(counts.nir_bad_key, 1);
}

static void test_edges(void **state)
{
	vx_masker *m = *state;
	char *out = NULL;
	vx_pii_span *spans = (vx_pii_span *)1;
	size_t n = 5;
	assert_int_equal(vx_masker_mask(m, "", 0, &out, NULL), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(vx_masker_find(m, "", 0, &spans, &n), 0);
	assert_null(spans);
	assert_int_equal(n, 0);
	/* a text without personal data comes back byte for byte */
	const char *clean = "Accueil très agréable, rendez-vous rapide. Merci à toute l'équipe !";
	assert_int_equal(vx_masker_mask(m, clean, strlen(clean), &out, NULL), 0);
	assert_string_equal(out, clean);
	free(out);
	/* invalid UTF-8 around personal data: no error, data still masked,
	 * the invalid bytes kept as they were */
	const char bad[] = "\xFF\xFE Mme Durandal \xC3 tel 0612345678 \xE2\x82";
	assert_int_equal(vx_masker_mask(m, bad, sizeof bad - 1, &out, NULL), 0);
	assert_string_equal(out, "\xFF\xFE Mme [NOM] \xC3 tel [TÉLÉPHONE] \xE2\x82");
	free(out);
	/* embedded NUL bytes: the length, not the terminator, bounds the text */
	const char nul[] = "tel 0612345678\0 Mme Durandal";
	assert_int_equal(vx_masker_find(m, nul, sizeof nul - 1, &spans, &n), 0);
	assert_int_equal(n, 2);
	free(spans);
}

static void test_placeholders(void **state)
{
	(void)state;
	assert_string_equal(vx_pii_placeholder(VX_PII_EMAIL), "[EMAIL]");
	assert_string_equal(vx_pii_placeholder(VX_PII_PHONE), "[TÉLÉPHONE]");
	assert_string_equal(vx_pii_placeholder(VX_PII_FISCAL), "[NUMÉRO FISCAL]");
	assert_string_equal(vx_pii_placeholder(VX_PII_CASE), "[NUMÉRO DE DOSSIER]");
	assert_string_equal(vx_pii_placeholder(VX_PII_BIRTHDATE), "[DATE DE NAISSANCE]");
	assert_string_equal(vx_pii_key(VX_PII_PHONE), "telephone");
	assert_string_equal(vx_pii_key(VX_PII_NIR), "nir");
	for (int k = 0; k < VX_PII_COUNT; k++) {
		const char *p = vx_pii_placeholder((vx_pii_kind)k);
		assert_true(p[0] == '[' && p[strlen(p) - 1] == ']');
		assert_string_not_equal(vx_pii_key((vx_pii_kind)k), "unknown");
	}
	assert_string_equal(vx_pii_key(VX_PII_COUNT), "unknown");
}

/* A long text with many candidates: masking stays linear (this would time
 * out if the resolver were quadratic in the text length). */
static void test_long_text(void **state)
{
	vx_masker *m = *state;
	const char *unit = "Mme Durandal 06 12 34 56 78 et 404 833 048, ";
	size_t ul = strlen(unit), reps = 20000;
	char *big = malloc(ul * reps + 1);
	assert_non_null(big);
	for (size_t i = 0; i < reps; i++)
		memcpy(big + i * ul, unit, ul);
	big[ul * reps] = '\0';
	vx_pii_counts counts = {0};
	char *out = NULL;
	assert_int_equal(vx_masker_mask(m, big, ul * reps, &out, &counts), 0);
	assert_int_equal(counts.by_kind[VX_PII_NAME], reps);
	assert_int_equal(counts.by_kind[VX_PII_PHONE], reps);
	assert_int_equal(counts.by_kind[VX_PII_SIREN], reps);
	free(out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email),        cmocka_unit_test(test_phone),
		cmocka_unit_test(test_nir),          cmocka_unit_test(test_fiscal),
		cmocka_unit_test(test_iban),         cmocka_unit_test(test_siren_siret),
		cmocka_unit_test(test_card),         cmocka_unit_test(test_plate),
		cmocka_unit_test(test_case_number),  cmocka_unit_test(test_names),
		cmocka_unit_test(test_signature),    cmocka_unit_test(test_birthdate),
		cmocka_unit_test(test_address),      cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_find_matches_mask), cmocka_unit_test(test_edges),
		cmocka_unit_test(test_placeholders), cmocka_unit_test(test_long_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
