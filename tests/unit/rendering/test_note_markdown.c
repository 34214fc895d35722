/* The note as Markdown: sections, French numbers, escaping, stable bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/rendering/fixture.h"
#include "voix/note.h"

#define NB "\xC2\xA0"     /* no-break space (before ":" and ";") */
#define NN "\xE2\x80\xAF" /* narrow no-break space (thousands, before "%") */

static char *render(const vx_note *n)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(vx_note_render_markdown(&out, &len, n), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

static void assert_contains(const char *md, const char *needle)
{
	if (strstr(md, needle) == NULL)
		fail_msg("missing from the Markdown: %s", needle);
}

static void test_sections_in_order(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	const char *headings[] = {"\n## Périmètre\n", "\n## Points forts\n", "\n## Les 4 principaux sujets\n",
	                          "\n## Axes d’amélioration\n", "\n## Méthode et limites\n"};
	const char *prev = md;
	for (size_t i = 0; i < 5; i++) {
		const char *at = strstr(md, headings[i]);
		if (at == NULL || at < prev)
			fail_msg("heading %zu missing or out of order", i);
		assert_int_equal(fx_count(md, headings[i]), 1);
		prev = at;
	}
	/* One title, and no other level-1 or level-2 heading than the five. */
	assert_true(strncmp(md, "# ", 2) == 0);
	assert_int_equal(fx_count(md, "\n# "), 0);
	assert_int_equal(fx_count(md, "\n## "), 5);
	/* 4 topics, 2 strengths and 5 axes as level-3 headings. */
	assert_int_equal(fx_count(md, "\n### "), 11);
	assert_contains(md, "\n### 1. Rendez-vous & délais \\<urgent>\n");
	assert_contains(md, "\n### 4. \\# Site \\| en panne\n");
	assert_contains(md, "\n### Accueil aimable et \\_efficace\\_\n");
	assert_contains(md, "\n### Conseils clairs\n");
	assert_contains(md, "\n### Axe 1" NB ": Rendre le service joignable\n");
	assert_contains(md, "\n### Axe 4" NB ": information\n"); /* no title: the lever */
	free(md);
}

static void test_scope(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	assert_contains(md, "  - exports/experiences-2024.csv (sp-plus-2025, utf-8, 1" NN "250 lignes lues, 3 rejetées) — "
	                    "SHA-256" NB ": 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
	assert_contains(md, "  - exports/avis \\<guichet> & co.csv (google-reviews, windows-1252, 12 lignes lues, 0 "
	                    "rejetée, 2 caractères de contrôle réparés)");
	assert_contains(md, "- Filtres" NB ": type de service = «" NB "Préfecture" NB "»" NB "; depuis le 1er mars 2024" NB
	                    "; jusqu’au 30 juin 2024\n");
	assert_contains(md, "- Période couverte" NB ": du 12 mars 2024 au 30 juin 2024\n");
	free(md);
	/* The feeling by its French name, whichever way the filter wrote it. */
	n.filter.feeling = "negatif";
	n.filter.department = "75,92";
	md = render(&n);
	assert_contains(md, "- Filtres" NB ": type de service = «" NB "Préfecture" NB "»" NB "; ressenti = «" NB
	                    "négatif" NB "»" NB "; département = «" NB "75,92" NB "»" NB "; depuis le 1er mars 2024");
	n.filter.feeling = n.filter.department = NULL;
	assert_contains(md, "- Expériences lues" NB ": 1" NN "262\n");
	assert_contains(md, "- Expériences analysées" NB ": 1" NN "180\n");
	assert_contains(md, "- Expériences écartées" NB ": 70\n  - texte vide" NB ": 40\n  - hors filtre" NB ": 14\n");
	assert_contains(md, "- Quasi-doublons regroupés" NB ": 16 (chacun compté une seule fois)\n");
	assert_contains(md, "Répartition des ressentis, sur les 1" NN "180 expériences analysées" NB ":\n");
	assert_contains(md, "| Positif | 300 | 25,4" NN "% |\n| Neutre | 100 | 8,5" NN "% |\n| Négatif | 700 | 59,3" NN
	                    "% |\n| Inconnu | 80 | 6,8" NN "% |\n| Total | 1" NN "180 | 100,0" NN "% |\n");
	free(md);
}

static void test_topic_details(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	assert_contains(md, "- Termes clés" NB ": rendez-vous, \\*créneau\\*, annulé\n");
	assert_contains(md, "- Fréquence" NB ": 412 expériences sur 1" NN "180, soit 34,9" NN "%\n");
	assert_contains(md, "- Ressentis (sur 412)" NB ": positif 10 (2,4" NN "%)" NB "; neutre 30 (7,3" NN "%)" NB
	                    "; négatif 360 (87,4" NN "%)" NB "; inconnu 12 (2,9" NN "%)\n");
	assert_contains(md, "- Canaux principaux" NB ": Guichet \\| accueil (120)" NB "; Téléphone (80)\n");
	assert_contains(md, "- Structures" NB ": Préfecture de l'Exemple (210)\n");
	assert_contains(md, "- Dimensions DITP jugées négatives" NB ": Réactivité (45)" NB "; Accessibilité (30)\n");
	/* Ties keep the export's order of dimensions. */
	assert_contains(md, "négatives" NB ": Information/Explication (70)" NB "; Simplicité/Complexité (70)\n");
	assert_contains(md, "- Évolution" NB ": période précédente" NB ": 120 sur 900 (13,3" NN "%) → période" NB
	                    ": 150 sur 950 (15,8" NN "%), soit +2,5 points\n");
	assert_int_equal(fx_count(md, "- Évolution"), 1);
	assert_contains(md, "\n## Les 4 principaux sujets\n\nLes évolutions comparent la période du 1er mars 2024 au 30 "
	                    "avril 2024 à la période précédente, du 1er janvier 2024 au 29 février 2024.\n\n### 1. ");
	/* A topic under the support threshold shows no verbatim, and says why. */
	assert_int_equal(fx_count(md, "Verbatims non présentés"), 2);
	const char *t4 = strstr(md, "\n### 4. ");
	assert_non_null(t4);
	assert_non_null(strstr(t4, "Verbatims non présentés"));
	free(md);
}

static void test_verbatims_are_escaped_quotes(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	assert_contains(md, "> Le guichet \\<script>alert('x')\\</script> & \"l'accueil\" était \\*fermé\\* \\_encore\\_ "
	                    "\\| \\# titre \\`code\\`\n>\n> — expérience EXP-0001 · texte · négatif\n");
	/* CRLF lines, leading blanks and a heading marker inside a quote. */
	assert_contains(md, "\n> \\#\\#\\# Rendez-vous annulé trois fois\n> sans prévenir ! \\~\\~barré\\~\\~ \\\\ fin\n>\n"
	                    "> — expérience EXP-0002 · texte · négatif · ×" NB "3 copies\n");
	/* Every line of a multi-line verbatim stays inside the quote; runs of
	 * blank lines become one empty quote line. */
	assert_contains(md, "\n> Merci à Mme Durandal 😀 pour sa réactivité !\n> Deuxième ligne\n>\n> \\> pas une "
	                    "citation\n> \\- pas une liste\n> 1\\. pas une liste numérotée\n>\n> — expérience EXP-0100");
	/* Placeholders stay readable; links and entities are neutralised. */
	assert_contains(md, "> Écrivez-moi à [EMAIL] ou au [TÉLÉPHONE], je n'ai jamais eu de réponse.\n");
	assert_contains(md, "> [cliquez ici\\](http://exemple.invalid) \\&amp; \\<b>gras\\</b> [x\\]: /url\n");
	/* The bidirectional override is dropped, the rest kept. */
	assert_contains(md, "> Délai abcdef trop long\n>\n> — expérience EXP-0003 · titre · neutre (lu dans le texte)\n");
	assert_null(strstr(md, "\xE2\x80\xAE"));
	assert_null(strstr(md, "\r"));
	/* No HTML tag from user text survives unescaped. */
	assert_int_equal(fx_count(md, "<script>"), fx_count(md, "\\<script>"));
	assert_int_equal(fx_count(md, "<"), fx_count(md, "\\<"));
	free(md);
}

/* Every row of a table has as many unescaped pipes as its header. */
static void test_tables_keep_their_columns(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	size_t tables = 0, expected = 0;
	int in_table = 0;
	for (char *line = md; *line != '\0';) {
		char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		if (len > 0 && line[0] == '|') {
			size_t pipes = 0;
			for (size_t k = 0; k < len; k++)
				if (line[k] == '|' && (k == 0 || line[k - 1] != '\\'))
					pipes++;
			if (!in_table) {
				expected = pipes;
				tables++;
			}
			assert_int_equal(pipes, expected);
			in_table = 1;
		} else {
			in_table = 0;
		}
		line += len + (end != NULL);
	}
	assert_int_equal(tables, 3); /* feelings, parameters, masked items */
	assert_contains(md, "| séparateur | a \\| b |\n");
	assert_contains(md, "| min_verbatim_support | 5 |\n"); /* intraword "_" is not emphasis */
	free(md);
}

static void test_axes_and_method(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *md = render(&n);
	assert_contains(md, "Ouvrir des créneaux de rappel & publier les horaires \\<réels>.\n\n- Sujets liés" NB
	                    ": 1. Rendez-vous & délais \\<urgent>" NB "; 2. Joindre le service au téléphone\n"
	                    "- Dimensions DITP" NB ": Accessibilité, Réactivité (lues dans les colonnes DITP de l’export)\n"
	                    "- Mots relevés dans les expériences" NB ": injoignable, rappel, \\*standard\\*\n"
	                    "- Appuyé par 570 expériences négatives\n"
	                    "- Exemples d’expériences" NB ": EXP-0001, EXP-0002, EXP-0010\n- Règle de sélection" NB
	                    ": levier « joignabilité » : au moins 20 expériences négatives liées\n");
	assert_contains(md, "- Sujets liés" NB ": 9. (sujet non présenté)\n");
	assert_contains(md, "- Dimensions DITP" NB ": Simplicité/Complexité (d’après le référentiel des leviers)\n");
	assert_contains(md, "- Appuyé par 1 expérience négative\n");
	assert_contains(md, "1. Lecture des fichiers et contrôle\n2. Masquage");
	assert_contains(md, "- Couverture" NB ": 78,3" NN "% des expériences analysées");
	assert_contains(md, "| [EMAIL] | 3 |\n");
	assert_contains(md, "| Total | 20 |\n");
	assert_contains(md, "à clé de contrôle invalide (masqués par prudence, compris dans le total)" NB ": 1\n");
	assert_contains(md, "Avertissements" NB ":\n\n- Corpus \\<petit> : prudence.\n");
	/* Run time only when the caller kept it. */
	assert_null(strstr(md, "Durée d’exécution"));
	n.seconds = 1.234;
	n.peak_rss_kb = 123456;
	free(md);
	md = render(&n);
	assert_contains(md, "- Durée d’exécution" NB ": 1,23" NN "s" NB "; mémoire maximale" NB ": 120,6" NN "Mo\n");
	free(md);
}

/* Inline user text, one case per Markdown construct it must not open. */
static void test_inline_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *label, *want;
	} cases[] = {
		{"plain text, accents é and emoji 😀", "Plain text, accents é and emoji 😀"},
		{"état civil", "État civil"},
		{"- not a list", "\\- not a list"},
		{"-5 % de délai", "-5 % de délai"},
		{"+ not a list", "\\+ not a list"},
		{"---", "\\---"},
		{"===", "\\==="},
		{"> not a quote", "\\> not a quote"},
		{"12. not a list", "12\\. not a list"},
		{"3) not a list", "3\\) not a list"},
		{"0.1.0", "0.1.0"},
		{"snake_case_word", "Snake_case_word"},
		{"# not a heading #", "\\# not a heading \\#"},
		{"*em* **strong** _em_ snake_case_word", "\\*em\\* \\*\\*strong\\*\\* \\_em\\_ snake_case_word"},
		{"`code` ~~del~~ a|b", "\\`code\\` \\~\\~del\\~\\~ a\\|b"},
		{"<b>html</b> &amp; & fin", "\\<b>html\\</b> \\&amp; & fin"},
		{"[lien](http://x) [ref][r] [def]: /u [EMAIL]", "[lien\\](http://x) [ref\\][r] [def\\]: /u [EMAIL]"},
		{"back\\slash", "Back\\\\slash"},
		{"  spaces around  ", "Spaces around"},
		{"line one\nline two\r\n\r\nline three", "Line one / line two / line three"},
		{"tab\there\x01" "ctl", "Tab here ctl"},
		{"bidi \xE2\x80\xAEover\xE2\x80\xACride", "Bidi override"},
		{"bad \xC3\x28 byte", "Bad \xEF\xBF\xBD( byte"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_note n;
		vx_topic t;
		fixture_empty(&n);
		memset(&t, 0, sizeof t);
		t.id = 1;
		t.label = cases[i].label;
		n.topics = &t;
		n.n_topics = 1;
		char *md = render(&n);
		char want[256];
		snprintf(want, sizeof want, "\n### 1. %s\n", cases[i].want);
		if (strstr(md, want) == NULL)
			fail_msg("case %zu: \"%s\" not rendered as \"%s\"", i, cases[i].label, cases[i].want);
		free(md);
	}
}

static void test_identical_bytes(void **state)
{
	(void)state;
	vx_note n;
	fixture_note(&n);
	char *a = NULL, *b = NULL;
	size_t la, lb;
	assert_int_equal(vx_note_render_markdown(&a, &la, &n), 0);
	assert_int_equal(vx_note_render_markdown(&b, &lb, &n), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_true(la > 1 && a[la - 1] == '\n' && a[la - 2] != '\n');
	free(a);
	free(b);
}

static void test_empty_note(void **state)
{
	(void)state;
	vx_note n;
	fixture_empty(&n);
	char *md = render(&n);
	assert_contains(md, "\n## Principaux sujets\n\nAucun sujet n’a pu être dégagé de ces expériences.\n");
	assert_contains(md, "Aucun point fort ne se dégage nettement de ces expériences.");
	assert_contains(md, "Aucun axe d’amélioration n’a été retenu pour ces expériences.");
	assert_contains(md, "- Période couverte" NB ": non renseignée (aucune expérience datée)\n");
	assert_contains(md, "- Sources" NB ": aucune\n");
	assert_contains(md, "- Filtres" NB ": aucun (toutes les expériences lues)\n");
	assert_contains(md, "Ressentis" NB ": aucun ressenti renseigné.");
	assert_contains(md, "Données personnelles masquées" NB ": aucune dans les textes cités.");
	assert_int_equal(fx_count(md, "\n## "), 5);
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_in_order),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_topic_details),
		cmocka_unit_test(test_verbatims_are_escaped_quotes),
		cmocka_unit_test(test_tables_keep_their_columns),
		cmocka_unit_test(test_axes_and_method),
		cmocka_unit_test(test_inline_escaping),
		cmocka_unit_test(test_identical_bytes),
		cmocka_unit_test(test_empty_note),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
