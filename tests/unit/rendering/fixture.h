/*
 * Hand-built notes for the renderer tests: the renderers are tested without
 * running the analysis. Every text here is invented (names like "Mme
 * Durandal" are fake) and chosen to break a careless renderer: HTML and
 * Markdown specials, quotes, emoji, accents, line breaks of every kind,
 * personal-data placeholders, a bidirectional override.
 */
#ifndef VX_TEST_RENDERING_FIXTURE_H
#define VX_TEST_RENDERING_FIXTURE_H

#include <string.h>

#include "voix/note.h"

/* Texts the tests look for in the output. */
#define FX_SCRIPT_VERBATIM "Le guichet <script>alert('x')</script> & \"l'accueil\" était *fermé* _encore_ | # titre `code`"
#define FX_MULTILINE_VERBATIM \
	"Merci à Mme Durandal 😀 pour sa réactivité !\nDeuxième ligne\n\n\n> pas une citation\n- pas une liste\n1. pas une liste numérotée"
#define FX_PLACEHOLDER_VERBATIM "Écrivez-moi à [EMAIL] ou au [TÉLÉPHONE], je n'ai jamais eu de réponse."
#define FX_LINK_VERBATIM "[cliquez ici](http://exemple.invalid) &amp; <b>gras</b> [x]: /url"
#define FX_CRLF_VERBATIM "\r\n  ### Rendez-vous annulé trois fois\r\nsans prévenir ! ~~barré~~ \\ fin\r\n"
#define FX_BIDI_VERBATIM "Délai abc\xE2\x80\xAE" "def trop long"
#define FX_TOPIC1_LABEL "Rendez-vous & délais <urgent>"

/* Fills *n with a complete note: 2 strengths, 4 topics, 5 axes, 2 sources,
 * filters, a period, trends, a withheld topic, masked items and a run. */
static inline void fixture_note(vx_note *n)
{
	static const vx_source sources[] = {
		{.path = "exports/experiences-2024.csv",
		 .sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		 .format = "sp-plus-2025",
		 .encoding = "utf-8",
		 .separator = ';',
		 .rows_read = 1250,
		 .rows_rejected = 3,
		 .c1_repaired = 0},
		{.path = "exports/avis <guichet> & co.csv",
		 .sha256 = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
		 .format = "google-reviews",
		 .encoding = "windows-1252",
		 .separator = ',',
		 .rows_read = 12,
		 .rows_rejected = 0,
		 .c1_repaired = 2},
	};
	static vx_excluded excluded[] = {{"texte vide", 40}, {"hors filtre", 14}, {"doublon", 16}};

	static const char *terms1[] = {"rendez-vous", "*créneau*", "annulé"};
	static const char *terms2[] = {"téléphone", "attente"};
	static const char *terms3[] = {"dossier", "pièces_justificatives"};
	static const char *terms4[] = {"site"};
	static vx_facet_count channels1[] = {{"Guichet | accueil", 120}, {"Téléphone", 80}};
	static vx_facet_count services1[] = {{"Préfecture", 300}, {"CAF", 50}};
	static vx_facet_count structures1[] = {{"Préfecture de l'Exemple", 210}};
	static vx_facet_count channels2[] = {{"Téléphone", 190}};

	static vx_verbatim verbatims1[] = {
		{"EXP-0001", "text", 0, 93, FX_SCRIPT_VERBATIM, VX_FEELING_NEGATIVE, 1, 0},
		{"EXP-0002", "text", 10, 120, FX_CRLF_VERBATIM, VX_FEELING_NEGATIVE, 3, 0},
		{"EXP-0003", "title", 0, 40, FX_BIDI_VERBATIM, VX_FEELING_NEUTRAL, 1, 1},
	};
	static vx_verbatim verbatims2[] = {
		{"EXP-0010", "text", 5, 80, FX_PLACEHOLDER_VERBATIM, VX_FEELING_NEGATIVE, 2, 0},
		{"EXP-0011", "text", 0, 70, FX_LINK_VERBATIM, VX_FEELING_UNKNOWN, 1, 0},
	};
	static vx_verbatim verbatims3[] = {
		{"EXP-0020", "text", 0, 60, "Il manquait toujours une pièce | jamais la même.", VX_FEELING_NEGATIVE, 1, 0},
	};
	static vx_verbatim strength_verbatims[] = {
		{"EXP-0100", "text", 0, 120, FX_MULTILINE_VERBATIM, VX_FEELING_POSITIVE, 1, 0},
		{"EXP-0101", "text", 3, 50, "Agent très aimable, « top » ✨", VX_FEELING_POSITIVE, 4, 0},
	};

	static vx_topic topics[4];
	memset(topics, 0, sizeof topics);
	topics[0] = (vx_topic){.id = 1,
	                       .label = FX_TOPIC1_LABEL,
	                       .terms = terms1,
	                       .n_terms = 3,
	                       .count = 412,
	                       .share = 412.0 / 1180.0,
	                       .denominator = 1180,
	                       .feelings = {{[VX_FEELING_UNKNOWN] = 12,
	                                     [VX_FEELING_POSITIVE] = 10,
	                                     [VX_FEELING_NEUTRAL] = 30,
	                                     [VX_FEELING_NEGATIVE] = 360}},
	                       .channels = channels1,
	                       .n_channels = 2,
	                       .services = services1,
	                       .n_services = 2,
	                       .structures = structures1,
	                       .n_structures = 1,
	                       .dims_negative = {[VX_DIM_ACCESSIBILITY] = 30, [VX_DIM_REACTIVITY] = 45},
	                       .has_trend = 1,
	                       .previous_count = 120,
	                       .previous_denominator = 900,
	                       .current_count = 150,
	                       .current_denominator = 950,
	                       .verbatims = verbatims1,
	                       .n_verbatims = 3};
	topics[1] = (vx_topic){.id = 2,
	                       .label = "Joindre le service au téléphone",
	                       .terms = terms2,
	                       .n_terms = 2,
	                       .count = 230,
	                       .share = 230.0 / 1180.0,
	                       .denominator = 1180,
	                       .feelings = {{[VX_FEELING_POSITIVE] = 20, [VX_FEELING_NEGATIVE] = 210}},
	                       .channels = channels2,
	                       .n_channels = 1,
	                       .dims_negative = {[VX_DIM_ACCESSIBILITY] = 150},
	                       .verbatims = verbatims2,
	                       .n_verbatims = 2};
	topics[2] = (vx_topic){.id = 3,
	                       .label = "Pièces justificatives demandées plusieurs fois",
	                       .terms = terms3,
	                       .n_terms = 2,
	                       .count = 95,
	                       .share = 95.0 / 1180.0,
	                       .denominator = 1180,
	                       .feelings = {{[VX_FEELING_NEUTRAL] = 15, [VX_FEELING_NEGATIVE] = 80}},
	                       .dims_negative = {[VX_DIM_SIMPLICITY] = 70, [VX_DIM_INFORMATION] = 70},
	                       .verbatims = verbatims3,
	                       .n_verbatims = 1};
	topics[3] = (vx_topic){.id = 4,
	                       .label = "# Site | en panne",
	                       .terms = terms4,
	                       .n_terms = 1,
	                       .count = 3,
	                       .share = 3.0 / 1180.0,
	                       .denominator = 1180,
	                       .feelings = {{[VX_FEELING_NEGATIVE] = 3}},
	                       .verbatims_withheld = 1};

	static vx_topic strengths[2];
	memset(strengths, 0, sizeof strengths);
	strengths[0] = (vx_topic){.id = 1,
	                          .label = "Accueil aimable et _efficace_",
	                          .terms = terms2,
	                          .n_terms = 1,
	                          .count = 310,
	                          .share = 310.0 / 1180.0,
	                          .denominator = 1180,
	                          .feelings = {{[VX_FEELING_POSITIVE] = 310}},
	                          .verbatims = strength_verbatims,
	                          .n_verbatims = 2};
	strengths[1] = (vx_topic){.id = 2,
	                          .label = "Conseils clairs",
	                          .count = 4,
	                          .share = 4.0 / 1180.0,
	                          .denominator = 1180,
	                          .feelings = {{[VX_FEELING_POSITIVE] = 4}},
	                          .verbatims_withheld = 1};

	static int axis_topics_a[] = {1, 2};
	static int axis_topics_b[] = {3};
	static int axis_topics_c[] = {9}; /* not among the topics shown */
	static vx_dimension axis_dims_a[] = {VX_DIM_ACCESSIBILITY, VX_DIM_REACTIVITY};
	static vx_dimension axis_dims_b[] = {VX_DIM_SIMPLICITY};
	static const char *axis_ids_a[] = {"EXP-0001", "EXP-0002", "EXP-0010"};
	static const char *axis_ids_b[] = {"EXP-0020"};
	static vx_axis axes[5];
	memset(axes, 0, sizeof axes);
	static const char *signals_a[] = {"injoignable", "rappel", "*standard*"};
	axes[0] = (vx_axis){.lever = "joignabilite",
	                    .title = "Rendre le service joignable",
	                    .text = "Ouvrir des créneaux de rappel & publier les horaires <réels>.",
	                    .topics = axis_topics_a,
	                    .n_topics = 2,
	                    .dimensions = axis_dims_a,
	                    .n_dimensions = 2,
	                    .evidence_count = 570,
	                    .experience_ids = axis_ids_a,
	                    .n_experience_ids = 3,
	                    .rule = "levier « joignabilité » : au moins 20 expériences négatives liées",
	                    .dimensions_observed = 1,
	                    .signals = signals_a,
	                    .n_signals = 3};
	axes[1] = (vx_axis){.lever = "pieces",
	                    .title = "Demander chaque pièce une seule fois",
	                    .text = "Publier une liste unique des pièces | par démarche.",
	                    .topics = axis_topics_b,
	                    .n_topics = 1,
	                    .dimensions = axis_dims_b,
	                    .n_dimensions = 1,
	                    .evidence_count = 80,
	                    .experience_ids = axis_ids_b,
	                    .n_experience_ids = 1,
	                    .rule = "levier « pièces » : dimension Simplicité négative"};
	axes[2] = (vx_axis){.lever = "rendez-vous",
	                    .title = "Tenir les rendez-vous",
	                    .text = "Prévenir 48 h avant toute annulation.",
	                    .topics = axis_topics_a,
	                    .n_topics = 1,
	                    .evidence_count = 360,
	                    .experience_ids = axis_ids_a,
	                    .n_experience_ids = 2,
	                    .rule = "levier « rendez-vous »"};
	axes[3] = (vx_axis){.lever = "information",
	                    .text = "Expliquer où en est le dossier.",
	                    .topics = axis_topics_c,
	                    .n_topics = 1,
	                    .evidence_count = 1,
	                    .rule = "levier « information »"};
	axes[4] = (vx_axis){.lever = "accueil",
	                    .title = "Former à l'accueil",
	                    .text = "Généraliser les *bonnes* pratiques.",
	                    .evidence_count = 25,
	                    .rule = "levier « accueil »"};

	static const char *steps[] = {"Lecture des fichiers et contrôle", "Masquage des données personnelles",
	                              "Extraction des sujets (NMF)", "Choix des verbatims", "Axes par règles"};
	static vx_method_param params[] = {
		{"sujets", "4"}, {"axes", "5"}, {"min_verbatim_support", "5"}, {"séparateur", "a | b"}};
	static const char *limits[] = {"Les ressentis sont ceux déclarés par les usagers."};
	static const char *messages[] = {"Corpus <petit> : prudence."};

	memset(n, 0, sizeof *n);
	n->sources = sources;
	n->n_sources = 2;
	n->filter = (vx_filter){.service = "Préfecture", .since = "2024-03-01", .until = "2024-06-30"};
	n->read = 1262;
	n->analysed = 1180;
	n->duplicates = 16;
	n->excluded = excluded;
	n->n_excluded = 3;
	n->feelings = (vx_feelings){.n = {[VX_FEELING_UNKNOWN] = 80,
	                             [VX_FEELING_POSITIVE] = 300,
	                             [VX_FEELING_NEUTRAL] = 100,
	                             [VX_FEELING_NEGATIVE] = 700}, .read = {0}};
	n->period_from = "2024-03-12";
	n->period_to = "2024-06-30";
	n->trend_previous_from = "2024-01-01";
	n->trend_previous_to = "2024-02-29";
	n->trend_current_from = "2024-03-01";
	n->trend_current_to = "2024-04-30";
	n->strengths = strengths;
	n->n_strengths = 2;
	n->topics = topics;
	n->n_topics = 4;
	n->axes = axes;
	n->n_axes = 5;
	n->steps = steps;
	n->n_steps = 5;
	n->params = params;
	n->n_params = 4;
	n->limits = limits;
	n->n_limits = 1;
	n->messages = messages;
	n->n_messages = 1;
	n->version = "0.1.0";
	n->coverage = 0.78349;
	n->masked.by_kind[VX_PII_EMAIL] = 3;
	n->masked.by_kind[VX_PII_PHONE] = 5;
	n->masked.by_kind[VX_PII_NAME] = 12;
	n->masked.nir_bad_key = 1;
	n->seconds = 0;
	n->peak_rss_kb = 0;
}

/* A note with nothing in it: no source, no topic, no axis, no period. */
static inline void fixture_empty(vx_note *n)
{
	memset(n, 0, sizeof *n);
	n->period_from = "";
	n->period_to = "";
	n->trend_previous_from = n->trend_previous_to = "";
	n->trend_current_from = n->trend_current_to = "";
	n->version = "0.1.0";
}

/* Occurrences of needle in hay. */
static inline size_t fx_count(const char *hay, const char *needle)
{
	size_t c = 0, len = strlen(needle);
	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + len, needle))
		c++;
	return c;
}

#endif
