/*
 * The synthesis note on small invented corpora built in memory: errors and
 * tiny corpora, near-duplicate folding, filters, trend windows, masking of
 * personal data in verbatims, quotes that state the problem rather than
 * the scene, no quote that describes a person, a corpus large enough for the
 * two-thread document-term matrix, and long texts in a theme that join the
 * emergent topics. Every text and name here is invented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "voix/compare.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/feeling.h"
#include "voix/note.h"
#include "synthesis/note_internal.h"

/* Invented experiences, six themes of six, each a sentence or two. */
static const char *const texts[] = {
	/* 0-5: nobody reachable by phone */
	"Impossible de joindre un conseiller par téléphone, le standard sonne dans le vide puis la ligne raccroche toute seule.",
	"J'ai appelé le standard douze fois cette semaine, toujours la même musique d'attente et personne au téléphone.",
	"Au téléphone on raccroche après quarante minutes d'attente, je n'arrive jamais à joindre un conseiller.",
	"Le numéro de téléphone indiqué ne répond jamais, attente interminable puis la ligne coupe avant qu'un conseiller décroche.",
	"Joindre quelqu'un par téléphone relève de l'exploit : attente, musique, puis on vous raccroche au nez.",
	"Trois jours de suite j'ai tenté de joindre le standard par téléphone, une heure d'attente pour rien.",
	/* 6-11: appointments */
	"Aucun créneau de rendez-vous disponible en ligne depuis deux mois, le calendrier reste vide chaque matin.",
	"Mon rendez-vous a été annulé la veille sans explication et le prochain créneau proposé est dans trois mois.",
	"Pour obtenir un rendez-vous au guichet il faut se connecter à minuit, tous les créneaux partent en quelques minutes.",
	"Rendez-vous annulé deux fois par message automatique, aucun nouveau créneau proposé pour venir au guichet.",
	"Le site de prise de rendez-vous n'affiche jamais de créneau libre, impossible d'aller au guichet sans convocation.",
	"J'ai enfin eu un créneau de rendez-vous mais l'agent au guichet m'a dit qu'il avait été annulé dans le système.",
	/* 12-17: files waiting */
	"Mon dossier est en attente de traitement depuis cinq mois, aucune nouvelle malgré mes relances par courrier.",
	"Dossier complet envoyé en janvier, on me réclame encore les mêmes pièces justificatives et le traitement n'avance pas.",
	"Cela fait huit mois que mon dossier de retraite est en cours de traitement, sans aucune nouvelle ni date de versement.",
	"On m'a demandé trois fois les mêmes pièces pour mon dossier, à chaque envoi le délai de traitement repart à zéro.",
	"Mon dossier est bloqué depuis des mois, l'espace indique toujours en attente de traitement sans explication.",
	"Aucune nouvelle de mon dossier depuis l'envoi des pièces justificatives, les mois passent et le traitement ne commence pas.",
	/* 18-23: online procedures that fail */
	"Le site plante à l'étape de validation du formulaire en ligne, impossible de terminer ma démarche après trois essais.",
	"La pièce jointe est refusée par le site alors qu'elle respecte le format demandé, la démarche en ligne reste bloquée.",
	"Session expirée à chaque fois avant la fin du formulaire en ligne, il faut tout ressaisir depuis le début.",
	"Le site affiche un message d'erreur technique à la validation, ma démarche en ligne n'est jamais enregistrée.",
	"Impossible de valider le formulaire en ligne, le bouton ne fonctionne pas et le site ne donne aucune explication.",
	"La démarche en ligne bloque sur la pièce jointe, le site indique une erreur sans dire laquelle.",
	/* 24-29: payments */
	"Mon versement a été suspendu sans prévenir, j'ai découvert la suspension du paiement en consultant mon compte.",
	"On me réclame un trop-perçu de plusieurs centaines d'euros sans explication sur le calcul du versement.",
	"Le paiement de mon allocation arrive avec un mois de retard, le versement n'a toujours pas été régularisé.",
	"Double prélèvement sur mon compte ce mois-ci, le remboursement du paiement en trop se fait attendre.",
	"Versement interrompu depuis deux mois sans courrier, personne ne sait me dire quand le paiement reprendra.",
	"Le calcul du trop-perçu est faux et le remboursement est prélevé directement sur mon versement mensuel.",
	/* 30-35: kind agents */
	"Agent très aimable à l'accueil, des explications claires et mon dossier a été réglé en une seule visite, merci.",
	"Merci à la conseillère pour ses explications claires et sa patience, tout a été réglé rapidement à l'accueil.",
	"Accueil rapide et agent aimable qui a pris le temps de me donner des explications sur mes droits, merci beaucoup.",
	"Très bonne expérience : agent aimable, explications précises, démarche réglée en dix minutes à l'accueil.",
	"La conseillère de l'accueil a été patiente et aimable, ses explications m'ont enfin permis de comprendre.",
	"Un grand merci à l'agent d'accueil, aimable et efficace, qui a tout réglé avec des explications simples.",
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

static vx_feeling feeling_of(size_t i)
{
	return i % N_TEXTS >= 30 ? VX_FEELING_POSITIVE : VX_FEELING_NEGATIVE;
}

/* One experience; channels is a comma-separated list (NULL: none). */
typedef struct row {
	const char *id, *date, *service, *structure, *channels, *text;
	vx_feeling feeling;
} row;

/* r with department (NULL: none) into c. */
static void add_row_in(vx_corpus *c, const row *r, const char *department)
{
	char buf[256];
	const char *ch[8];
	uint32_t n_ch = 0;
	if (r->channels) {
		snprintf(buf, sizeof buf, "%s", r->channels);
		for (char *p = buf; p && *p && n_ch < 8;) {
			ch[n_ch++] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
	}
	vx_experience e = {0};
	e.source = "invented.csv";
	e.id = r->id;
	e.date = r->date ? r->date : "";
	e.date_text = e.date;
	e.text = r->text;
	e.feeling = r->feeling;
	e.service = r->service;
	e.structure = r->structure;
	e.department = department ? department : "";
	e.channels = n_ch ? ch : NULL;
	e.n_channels = n_ch;
	assert_int_equal(vx_corpus_add(c, &e), 0);
}

static void add_row(vx_corpus *c, const row *r)
{
	add_row_in(c, r, NULL);
}

static void add_text(vx_corpus *c, const char *id, const char *date, const char *text, vx_feeling f)
{
	row r = {id, date, "Service invent\xC3\xA9", "Structure de Villebelle", "Accueil", text, f};
	add_row(c, &r);
}

static vx_corpus *new_corpus(void)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	return c;
}

/* "2024-MM-DD" for day d (0-based) of month m. */
static void date_of(char out[16], int m, int d)
{
	snprintf(out, 16, "2024-%02u-%02u", (unsigned)m % 100u, (unsigned)(d + 1) % 100u);
}

static void render_each(vx_note *n)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(vx_note_render_markdown(&out, &len, n), 0);
	free(out);
	assert_int_equal(vx_note_render_html(&out, &len, n), 0);
	free(out);
	assert_int_equal(vx_note_render_json(&out, &len, n), 0);
	free(out);
}

static size_t excluded_count(const vx_note *n, const char *reason)
{
	size_t s = 0;
	for (size_t i = 0; i < n->n_excluded; i++)
		if (strcmp(n->excluded[i].reason, reason) == 0)
			s += n->excluded[i].count;
	return s;
}

/* ---- Errors and tiny corpora ------------------------------------------ */

typedef struct error_case {
	const char *name;
	size_t n_texts;          /* invented experiences in the corpus */
	int blank;               /* 1: their texts are blank */
	size_t topics, axes;     /* 0: default */
	int zero_topics;         /* 1: topics = 0 */
	const char *service, *since, *until;
	int want_rc;
} error_case;

static const error_case error_cases[] = {
	{"empty corpus", 0, 0, 0, 0, 0, NULL, NULL, NULL, VX_EEMPTY},
	{"only blank texts", 5, 1, 0, 0, 0, NULL, NULL, NULL, VX_EEMPTY},
	{"filter that matches nothing", 10, 0, 0, 0, 0, "Service absent", NULL, NULL, VX_EEMPTY},
	{"dates that match nothing", 10, 0, 0, 0, 0, NULL, "2030-01-01", NULL, VX_EEMPTY},
	{"topics 0", 10, 0, 0, 0, 1, NULL, NULL, NULL, VX_EINVAL},
	{"topics 50", 10, 0, 50, 0, 0, NULL, NULL, NULL, VX_EINVAL},
	{"axes 50", 10, 0, 0, 50, 0, NULL, NULL, NULL, VX_EINVAL},
	{"since not a date", 10, 0, 0, 0, 0, NULL, "2024-02-30", NULL, VX_EINVAL},
	{"until not a date", 10, 0, 0, 0, 0, NULL, NULL, "01/03/2024", VX_EINVAL},
	{"since after until", 10, 0, 0, 0, 0, NULL, "2024-03-01", "2024-02-01", VX_EINVAL},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof error_cases / sizeof error_cases[0]; k++) {
		const error_case *ec = &error_cases[k];
		vx_corpus *c = new_corpus();
		for (size_t i = 0; i < ec->n_texts; i++) {
			char id[64], date[16];
			snprintf(id, sizeof id, "E%02zu", i);
			date_of(date, 3, (int)i);
			add_text(c, id, date, ec->blank ? " \t\r\n " : texts[i], feeling_of(i));
		}
		vx_note_options o;
		vx_note_options_init(&o);
		if (ec->topics || ec->zero_topics)
			o.topics = ec->topics;
		if (ec->axes)
			o.axes = ec->axes;
		o.filter.service = ec->service;
		o.filter.since = ec->since;
		o.filter.until = ec->until;
		vx_note *n = NULL;
		vx_error_clear();
		int rc = vx_note_build(&n, c, &o);
		if (rc != ec->want_rc)
			fail_msg("%s: rc %d (%s), want %d", ec->name, rc, vx_error_last(), ec->want_rc);
		if (vx_error_last()[0] == '\0')
			fail_msg("%s: no error message", ec->name);
		printf("  %s: %s\n", ec->name, vx_error_last());
		assert_null(n);
		vx_corpus_free(c);
	}
}

/* Three experiences: a note all the same, without topics, saying why. */
static void test_tiny_corpus(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	add_text(c, "T1", "2024-03-01", texts[0], VX_FEELING_NEGATIVE);
	add_text(c, "T2", "2024-03-02", texts[6], VX_FEELING_NEGATIVE);
	add_text(c, "T3", "2024-03-03", texts[30], VX_FEELING_POSITIVE);
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	assert_int_equal(n->read, 3);
	assert_int_equal(n->analysed, 3);
	assert_int_equal(n->n_topics, 0);
	assert_int_equal(n->n_strengths, 0);
	assert_true(n->n_messages >= 1);
	for (size_t i = 0; i < n->n_messages; i++)
		assert_true(n->messages[i] != NULL && n->messages[i][0] != '\0');
	assert_true(n->coverage == 0.0);
	render_each(n);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* Texts of stop words only: no row has a term, the matrix is empty; the
 * note is still built, without topics (under UBSan this copied rows of
 * nothing from a null array). */
static void test_stop_words_only(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	add_text(c, "S1", "2024-03-01", "le la les", VX_FEELING_NEGATIVE);
	add_text(c, "S2", "2024-03-02", "de des du", VX_FEELING_NEGATIVE);
	add_text(c, "S3", "2024-03-03", "et ou mais", VX_FEELING_NEUTRAL);
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	assert_int_equal(n->analysed, 3);
	assert_int_equal(n->n_topics, 0);
	assert_true(n->n_messages >= 1);
	render_each(n);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Fewer topics than asked ------------------------------------------ */

/* Three themes with no word in common and 20 topics asked: each fit has
 * 22, most of them splinters of a theme that do not recur or hold too few
 * experiences, so the note shows fewer and says why. */
static const char *const theme_words[3][6] = {
	{"téléphone", "injoignable", "standard", "répondeur", "appel", "attente"},
	{"site", "connexion", "bug", "formulaire", "valider", "mot-de-passe"},
	{"accueil", "agent", "aimable", "souriant", "guichet", "courtois"},
};

static void test_fewer_topics_than_asked(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	for (size_t i = 0; i < 300; i++) {
		char text[256], id[16], date[16];
		size_t g = i % 3;
		snprintf(text, sizeof text, "Le %s puis le %s, encore le %s et %s.", theme_words[g][i % 6],
		         theme_words[g][(i / 3) % 6], theme_words[g][(i / 7) % 6], theme_words[g][(i + 2) % 6]);
		snprintf(id, sizeof id, "F%zu", i);
		date_of(date, (int)(i % 12), (int)(i % 28));
		add_text(c, id, date, text, i % 2 ? VX_FEELING_NEGATIVE : VX_FEELING_POSITIVE);
	}
	vx_note_options o;
	vx_note_options_init(&o);
	o.topics = 20;
	vx_note *n = NULL;
	if (vx_note_build(&n, c, &o) != 0)
		fail_msg("%s", vx_error_last());
	assert_true(n->n_topics >= 3 && n->n_topics < 20);
	char want[64];
	snprintf(want, sizeof want, "%zu sujet(s) seulement au lieu de 20 : ", n->n_topics);
	int said = 0;
	for (size_t i = 0; i < n->n_messages; i++)
		said |= strncmp(n->messages[i], want, strlen(want)) == 0;
	assert_true(said);
	render_each(n);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* Above 5,000 distinct experiences each fit takes exactly 5,000 of them,
 * chosen by the hash of their text (the cut of the keys must land on the
 * 5,000th), and the five samples differ. */
static void test_fit_samples_above_the_cut(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	for (size_t i = 0; i < 6000; i++) {
		char text[256], id[16], date[16];
		size_t g = i % 3;
		/* the number makes every text distinct, so none is folded as a copy */
		/* words of no codebook theme, so that every text is left to the factorisation */
		static const char *const places[3][6] = {
			{"jardin", "piscine", "parc", "fontaine", "pelouse", "bassin"},
			{"bibliothèque", "musée", "livre", "exposition", "tableau", "archive"},
			{"stade", "gymnase", "tennis", "terrain", "vestiaire", "tribune"},
		};
		snprintf(text, sizeof text, "Le %s puis le %s, encore le %s et %s, numéro %zu.", places[g][i % 6],
		         places[g][(i / 3) % 6], places[g][(i / 7) % 6], places[g][(i + 2) % 6], i);
		snprintf(id, sizeof id, "S%zu", i);
		date_of(date, (int)(i % 12), (int)(i % 28));
		add_text(c, id, date, text, VX_FEELING_NEUTRAL);
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	int said = 0;
	for (size_t i = 0; i < n->n_steps; i++)
		said |= strstr(n->steps[i], "5 ajustements de 10 sujets, chacun sur un échantillon différent de "
		                            "5000 expériences") != NULL;
	assert_true(said);
	assert_true(n->n_topics >= 3);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Near-duplicates --------------------------------------------------- */

#define COPIED 12   /* the text pasted again */
#define N_COPIES 5

static void test_duplicates(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	char id[64];
	for (size_t i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "D%02zu", i);
		add_text(c, id, "2024-03-01", texts[i], feeling_of(i));
	}
	for (size_t k = 0; k < N_COPIES; k++) {
		snprintf(id, sizeof id, "D%02zu-copie%zu", (size_t)COPIED, k + 1);
		add_text(c, id, "2024-03-02", texts[COPIED], feeling_of(COPIED));
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	assert_int_equal(n->analysed, 20 + N_COPIES);
	assert_int_equal(n->duplicates, N_COPIES);
	snprintf(id, sizeof id, "D%02zu", (size_t)COPIED);
	int shown = 0;
	for (size_t t = 0; t < n->n_topics; t++) {
		const vx_topic *tp = &n->topics[t];
		assert_int_equal(tp->denominator, 20);
		for (size_t v = 0; v < tp->n_verbatims; v++) {
			const vx_verbatim *vb = &tp->verbatims[v];
			/* A group is shown under its first copy, with the number of copies. */
			assert_null(strstr(vb->experience_id, "copie"));
			if (strcmp(vb->experience_id, id) == 0) {
				assert_int_equal(vb->copies, N_COPIES + 1);
				shown = 1;
			} else
				assert_int_equal(vb->copies, 1);
		}
	}
	printf("  %zu topics; the copied text is %s\n", n->n_topics, shown ? "quoted (copies checked)" : "not quoted");
	render_each(n);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Filters ------------------------------------------------------------ */

static const row filter_rows[] = {
	{"F01", "2024-01-10", "CAF", "CAF du Nord", "Téléphone", texts[0], VX_FEELING_NEGATIVE},
	{"F02", "2024-02-10", "CAF", "CAF du Nord", "Accueil", texts[6], VX_FEELING_NEGATIVE},
	{"F03", "2024-03-10", "CAF", "CAF du Sud", "Téléphone,E-mail", texts[12], VX_FEELING_NEGATIVE},
	{"F04", "2024-01-20", "Préfecture", "Préfecture de Villebelle", "Démarche en ligne", texts[18], VX_FEELING_NEGATIVE},
	{"F05", "2024-02-20", "Préfecture", "Préfecture de Villebelle", "Accueil", texts[24], VX_FEELING_NEGATIVE},
	{"F06", "2024-03-20", "Préfecture", "Préfecture de Villebelle", "Téléphone", texts[30], VX_FEELING_POSITIVE},
	{"F07", "2024-01-31", "Mairie", "Mairie de Villebelle", "Accueil", texts[1], VX_FEELING_NEGATIVE},
	{"F08", "2024-02-29", "Mairie", "Mairie de Villebelle", "Démarche en ligne,Téléphone", texts[7], VX_FEELING_NEGATIVE},
	{"F09", "2024-03-31", "Mairie", "Mairie de Villebelle", "Courrier", texts[13], VX_FEELING_NEGATIVE},
	{"F10", NULL, "CAF", "CAF du Sud", "Téléphone", texts[19], VX_FEELING_NEGATIVE},
	{"F11", "2024-02-15", "Préfecture", "Préfecture de Villebelle", "Accueil", "  \n ", VX_FEELING_NEUTRAL},
	{"F12", "2024-04-01", "Mairie", "Mairie de Villebelle", NULL, texts[25], VX_FEELING_NEGATIVE},
};
#define N_FILTER_ROWS (sizeof filter_rows / sizeof filter_rows[0])
/* The department of each filter row, as exports write them. */
static const char *const filter_departments[] = {"75", "92", " 75 ", "2A", "75", "971", "93", "92", "2A", "", "75",
                                                 "971"};

typedef struct filter_case {
	const char *name;
	vx_filter filter;
	const char *ids;         /* the experiences analysed, in corpus order */
	size_t blank;            /* of those passing the filter, with a blank text */
} filter_case;

static const filter_case filter_cases[] = {
	{"no filter", {0}, "F01 F02 F03 F04 F05 F06 F07 F08 F09 F10 F12", 1},
	{"service, other case", {.service = "caf"}, "F01 F02 F03 F10", 0},
	{"service, no accent", {.service = "PREFECTURE"}, "F04 F05 F06", 1},
	{"structure", {.structure = "CAF du Nord"}, "F01 F02", 0},
	{"channel", {.channel = "téléphone"}, "F01 F03 F06 F08 F10", 0},
	{"channel, no accent", {.channel = "TELEPHONE"}, "F01 F03 F06 F08 F10", 0},
	{"service and channel", {.service = "CAF", .channel = "Téléphone"}, "F01 F03 F10", 0},
	{"since", {.since = "2024-02-15"}, "F03 F05 F06 F08 F09 F12", 1},
	{"until", {.until = "2024-02-15"}, "F01 F02 F04 F07", 1},
	{"since and until", {.since = "2024-02-01", .until = "2024-02-29"}, "F02 F05 F08", 1},
	{"one day", {.since = "2024-03-31", .until = "2024-03-31"}, "F09", 0},
	{"feeling", {.feeling = "positif"}, "F06", 0},
	{"feeling, no accent", {.feeling = "negatif"}, "F01 F02 F03 F04 F05 F07 F08 F09 F10 F12", 0},
	{"feeling and service", {.feeling = "négatif", .service = "Préfecture"}, "F04 F05", 0},
	{"department", {.department = "75"}, "F01 F03 F05", 1},
	{"departments", {.department = "92,2A"}, "F02 F04 F08 F09", 0},
	{"departments with blanks", {.department = " 971 , 93"}, "F06 F07 F12", 0},
	{"feeling and department", {.feeling = "négatif", .department = "75,971"}, "F01 F03 F05 F12", 0},
	{"department and since", {.department = "75,92", .since = "2024-02-01"}, "F02 F03 F05 F08", 1},
};

static void test_filters(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	for (size_t i = 0; i < N_FILTER_ROWS; i++)
		add_row_in(c, &filter_rows[i], filter_departments[i]);
	for (size_t k = 0; k < sizeof filter_cases / sizeof filter_cases[0]; k++) {
		const filter_case *fc = &filter_cases[k];
		size_t want = (strlen(fc->ids) + 1) / 4;
		vx_note_options o;
		vx_note_options_init(&o);
		o.filter = fc->filter;
		vx_note *n = NULL;
		if (vx_note_build(&n, c, &o) != 0)
			fail_msg("%s: %s", fc->name, vx_error_last());
		printf("  %s: analysed %zu\n", fc->name, n->analysed);
		if (n->analysed != want)
			fail_msg("%s: analysed %zu, want %zu (%s)", fc->name, n->analysed, want, fc->ids);
		assert_int_equal(n->read, N_FILTER_ROWS);
		assert_int_equal(excluded_count(n, "hors filtre"), N_FILTER_ROWS - want - fc->blank);
		assert_int_equal(excluded_count(n, "texte vide"), fc->blank);
		/* Only the two reasons, each listed once and only when it counts. */
		assert_int_equal(n->n_excluded, (N_FILTER_ROWS - want - fc->blank > 0) + (fc->blank > 0));
		/* The right experiences: their feelings add up to the selection's. */
		size_t neg = 0;
		for (size_t i = 0; i < N_FILTER_ROWS; i++)
			if (strstr(fc->ids, filter_rows[i].id))
				neg += filter_rows[i].feeling == VX_FEELING_NEGATIVE;
		assert_int_equal(n->feelings.n[VX_FEELING_NEGATIVE], neg);
		assert_int_equal(n->feelings.n[VX_FEELING_NEGATIVE] + n->feelings.n[VX_FEELING_POSITIVE], want);
		/* The note records the filter it applied. */
		if (fc->filter.service)
			assert_string_equal(n->filter.service, fc->filter.service);
		if (fc->filter.since)
			assert_string_equal(n->filter.since, fc->filter.since);
		if (fc->filter.department) {
			/* Without the blanks around each department. */
			char want_dep[64];
			size_t w = 0;
			for (const char *p = fc->filter.department; *p && w + 1 < sizeof want_dep; p++)
				if (*p != ' ')
					want_dep[w++] = *p;
			want_dep[w] = '\0';
			assert_string_equal(n->filter.department, want_dep);
		}
		/* The feeling by its key, however it was written. */
		if (fc->filter.feeling)
			assert_string_equal(n->filter.feeling, fc->filter.feeling[0] == 'p' ? "positif" : "negatif");
		render_each(n);
		vx_note_free(n);
	}
	vx_corpus_free(c);
}

/* The feeling filter keeps the experiences the note counts with that
 * feeling, wherever the note takes it from: rows without an exported
 * feeling are kept or not by what their words say (auto), rows whose
 * export says otherwise than their words by the export (auto) or by the
 * words (text). The expected rows are found with the public reader. */
static void test_feeling_filter_reads_texts(void **state)
{
	(void)state;
	static const struct {
		const char *prefix;
		size_t from, count;
		vx_feeling exported;
	} groups[] = {
		{"K", 0, 6, VX_FEELING_NEGATIVE},   /* phone, exported négatif */
		{"U", 6, 6, VX_FEELING_UNKNOWN},    /* appointments, no feeling exported */
		{"P", 30, 3, VX_FEELING_POSITIVE},  /* kind agents, exported positif */
		{"T", 12, 4, VX_FEELING_POSITIVE},  /* files waiting, exported positif against their words */
		{"Q", 33, 3, VX_FEELING_UNKNOWN},   /* kind agents, no feeling exported */
	};
	vx_corpus *c = new_corpus();
	vx_lexicon *lx = NULL;
	vx_feeling_reader *reader = NULL;
	assert_int_equal(vx_lexicon_new(&lx, NULL, 0, NULL), 0);
	assert_int_equal(vx_feeling_reader_new(&reader, lx), 0);
	size_t want[3] = {0}, total = 0, unknown_read_negative = 0; /* per source: auto, export, text */
	char id[32];
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		for (size_t i = 0; i < groups[g].count; i++) {
			snprintf(id, sizeof id, "%s%02zu", groups[g].prefix, i);
			const char *text = texts[groups[g].from + i];
			add_text(c, id, "2024-03-01", text, groups[g].exported);
			vx_feeling_reading rd;
			assert_int_equal(vx_feeling_reader_read(&rd, NULL, 0, NULL, reader, NULL, text), 0);
			vx_feeling exported = groups[g].exported;
			vx_feeling counted = exported != VX_FEELING_UNKNOWN ? exported : rd.feeling;
			want[VX_FEELINGS_AUTO] += counted == VX_FEELING_NEGATIVE;
			want[VX_FEELINGS_EXPORT] += exported == VX_FEELING_NEGATIVE;
			want[VX_FEELINGS_TEXT] += rd.feeling == VX_FEELING_NEGATIVE;
			unknown_read_negative += exported == VX_FEELING_UNKNOWN && rd.feeling == VX_FEELING_NEGATIVE;
			total++;
		}
	vx_feeling_reader_free(reader);
	vx_lexicon_free(lx);
	/* The corpus does what it is for: words decide some rows in each mode. */
	assert_true(unknown_read_negative > 0);
	assert_true(want[VX_FEELINGS_AUTO] > want[VX_FEELINGS_EXPORT]);
	assert_true(want[VX_FEELINGS_TEXT] > want[VX_FEELINGS_AUTO]);
	for (int source = VX_FEELINGS_AUTO; source <= VX_FEELINGS_TEXT; source++) {
		vx_note_options o;
		vx_note_options_init(&o);
		o.feelings = source;
		o.memberships = 1;
		assert_int_equal(vx_note_options_set(&o, "feeling", "négatif"), 0);
		vx_note *n = NULL;
		if (vx_note_build(&n, c, &o) != 0)
			fail_msg("--feelings %s: %s", vx_feeling_source_name(source), vx_error_last());
		printf("  --feelings %s --feeling négatif: %zu of %zu analysed\n", vx_feeling_source_name(source),
		       n->analysed, total);
		assert_int_equal(n->analysed, want[source]);
		assert_int_equal(excluded_count(n, "hors filtre"), total - want[source]);
		/* Every experience analysed is counted négatif. */
		assert_int_equal(n->feelings.n[VX_FEELING_NEGATIVE], n->analysed);
		assert_string_equal(n->filter.feeling, "negatif");
		/* The months' totals are the experiences the note analysed. */
		vx_trends *tr = NULL;
		assert_int_equal(vx_note_trends(&tr, n, c), 0);
		size_t sum = 0;
		for (size_t m = 0; m < tr->n_months; m++)
			sum += tr->totals[m];
		assert_int_equal(sum, n->analysed);
		vx_trends_free(tr);
		/* Another corpus does not know which feelings were read. */
		vx_corpus *other = new_corpus();
		add_text(other, "X", "2024-03-01", texts[0], VX_FEELING_NEGATIVE);
		assert_int_equal(vx_note_trends(&tr, n, other), source == VX_FEELINGS_EXPORT ? 0 : VX_EINVAL);
		vx_trends_free(tr);
		vx_corpus_free(other);
		render_each(n);
		vx_note_free(n);
	}
	vx_corpus_free(c);
}

/* ---- Trends ------------------------------------------------------------- */

/* Builds a corpus: texts [0, n_cur) dated in March 2024, then n_prev
 * texts from prev_from dated in February 2024, then copies_prev copies of
 * texts[0] dated in February. */
static vx_corpus *trend_corpus(size_t n_cur, size_t prev_from, size_t n_prev, size_t copies_prev)
{
	vx_corpus *c = new_corpus();
	char id[64], date[16];
	for (size_t i = 0; i < n_cur; i++) {
		snprintf(id, sizeof id, "M%02zu", i);
		date_of(date, 3, (int)(i % 31));
		add_text(c, id, date, texts[i], feeling_of(i));
	}
	for (size_t i = 0; i < n_prev; i++) {
		snprintf(id, sizeof id, "P%02zu", prev_from + i);
		date_of(date, 2, (int)(i % 29));
		add_text(c, id, date, texts[prev_from + i], feeling_of(prev_from + i));
	}
	for (size_t i = 0; i < copies_prev; i++) {
		snprintf(id, sizeof id, "PC%zu", i);
		date_of(date, 2, (int)(10 + i));
		add_text(c, id, date, texts[0], feeling_of(0));
	}
	return c;
}

typedef struct trend_case {
	const char *name;
	size_t n_cur, prev_from, n_prev, copies_prev;
	const char *since, *until;
	int want_trend;
	size_t want_prev_den, want_cur_den;  /* distinct experiences in each window */
	const char *prev_from_date, *prev_to_date;
} trend_case;

static const trend_case trend_cases[] = {
	{"both windows", 24, 24, 12, 0, "2024-03-01", "2024-03-31", 1, 12, 24, "2024-01-30", "2024-02-29"},
	{"since only", 24, 24, 12, 0, "2024-03-01", NULL, 1, 7, 24, "2024-02-06", "2024-02-29"},
	{"no previous data", 24, 0, 0, 0, "2024-03-01", "2024-03-31", 0, 0, 0, NULL, NULL},
	{"previous window inside the data", 24, 24, 12, 0, "2024-03-10", "2024-03-31", 1, 9, 15, "2024-02-17", "2024-03-09"},
	/* A text pasted again in the previous window is one experience there. */
	{"previous window holds a copy", 24, 0, 0, 1, "2024-03-01", "2024-03-31", 1, 1, 24, NULL, NULL},
	{"copy and others in the previous window", 24, 24, 6, 1, "2024-03-01", "2024-03-31", 1, 7, 24, NULL, NULL},
};

/* Appends to why (at most cap bytes) what case tc got wrong in note n. */
static void trend_mismatch(char *why, size_t cap, const trend_case *tc, const vx_note *n)
{
	size_t used = strlen(why);
	char msg[512] = "";
	if (n->n_topics == 0)
		snprintf(msg, sizeof msg, "no topic to check");
	else if (tc->prev_from_date &&
	         (strcmp(n->trend_previous_from, tc->prev_from_date) != 0 ||
	          strcmp(n->trend_previous_to, tc->prev_to_date) != 0 || strcmp(n->trend_current_from, tc->since) != 0 ||
	          strcmp(n->trend_current_to, tc->until ? tc->until : n->period_to) != 0))
		snprintf(msg, sizeof msg, "windows %s..%s / %s..%s, want %s..%s / %s..", n->trend_previous_from,
		         n->trend_previous_to, n->trend_current_from, n->trend_current_to, tc->prev_from_date,
		         tc->prev_to_date, tc->since);
	else if (!tc->want_trend && n->trend_previous_from[0] != '\0')
		snprintf(msg, sizeof msg, "trend windows without a previous window");
	for (size_t t = 0; t < n->n_topics && msg[0] == '\0'; t++) {
		const vx_topic *tp = &n->topics[t];
		if (tp->has_trend != tc->want_trend)
			snprintf(msg, sizeof msg, "topic %d has_trend %d, want %d (previous %zu of %zu)", tp->id, tp->has_trend,
			         tc->want_trend, tp->previous_count, tp->previous_denominator);
		else if (tp->has_trend &&
		         (tp->previous_denominator != tc->want_prev_den || tp->current_denominator != tc->want_cur_den))
			snprintf(msg, sizeof msg, "topic %d: denominators %zu and %zu, want %zu and %zu distinct experiences",
			         tp->id, tp->previous_denominator, tp->current_denominator, tc->want_prev_den, tc->want_cur_den);
		else if (tp->has_trend &&
		         (tp->previous_count > tp->previous_denominator || tp->current_count > tp->count))
			snprintf(msg, sizeof msg, "topic %d: counts %zu of %zu and %zu of %zu", tp->id, tp->previous_count,
			         tp->previous_denominator, tp->current_count, tp->count);
	}
	if (msg[0] != '\0')
		snprintf(why + used, cap - used, "\n  %s: %s", tc->name, msg);
}

static void test_trends(void **state)
{
	(void)state;
	char why[4096] = "";
	for (size_t k = 0; k < sizeof trend_cases / sizeof trend_cases[0]; k++) {
		const trend_case *tc = &trend_cases[k];
		vx_corpus *c = trend_corpus(tc->n_cur, tc->prev_from, tc->n_prev, tc->copies_prev);
		vx_note_options o;
		vx_note_options_init(&o);
		o.filter.since = tc->since;
		o.filter.until = tc->until;
		vx_note *n = NULL;
		if (vx_note_build(&n, c, &o) != 0)
			fail_msg("%s: %s", tc->name, vx_error_last());
		printf("  %s: analysed %zu, %zu topics, windows %s..%s / %s..%s\n", tc->name, n->analysed, n->n_topics,
		       n->trend_previous_from, n->trend_previous_to, n->trend_current_from, n->trend_current_to);
		trend_mismatch(why, sizeof why, tc, n);
		render_each(n);
		vx_note_free(n);
		vx_corpus_free(c);
	}
	if (why[0] != '\0')
		fail_msg("trend windows:%s", why);
}

/* Without date filters the period is cut in two halves; every distinct
 * dated experience is in exactly one of them. */
static void test_trend_halves(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	char id[64], date[16];
	size_t before_mid = 0;
	for (size_t i = 0; i < N_TEXTS; i++) {
		snprintf(id, sizeof id, "H%02zu", i);
		/* Spread over January to March 2024. */
		date_of(date, 1 + (int)(i % 3), (int)((i * 7) % 28));
		add_text(c, id, date, texts[i], feeling_of(i));
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	assert_int_equal(n->duplicates, 0);
	assert_true(n->n_topics > 0);
	assert_true(n->trend_current_from[0] != '\0');
	for (size_t i = 0; i < N_TEXTS; i++)
		before_mid += strcmp(vx_corpus_get(c, i)->date, n->trend_current_from) < 0;
	for (size_t t = 0; t < n->n_topics; t++) {
		const vx_topic *tp = &n->topics[t];
		assert_int_equal(tp->has_trend, 1);
		assert_int_equal(tp->previous_denominator, before_mid);
		assert_int_equal(tp->current_denominator, N_TEXTS - before_mid);
		assert_int_equal(tp->previous_count + tp->current_count, tp->count);
	}
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Personal data in verbatims ----------------------------------------- */

static const char *const pii_texts[] = {
	"Je n'ai jamais reçu de réponse à ma réclamation, écrivez-moi à claire.fontanel@exemple.org svp.",
	"Ma réclamation reste sans réponse depuis des semaines, rappelez-moi au 06 11 22 33 44 s'il vous plaît.",
	"Aucune réponse à ma réclamation écrite, mon adresse est pierre.grangeon@exemple.fr pour me répondre.",
	"Toujours aucune réponse à la réclamation envoyée en mars, mon numéro est le 07 98 76 54 32 en journée.",
	"Réclamation déposée deux fois sans réponse, contactez-moi sur martine.vauclair@exemple.net rapidement.",
	"Je relance ma réclamation sans réponse, vous pouvez me joindre au 06.55.44.33.22 tous les matins.",
	"Pas la moindre réponse à ma réclamation du mois dernier, écrivez à jules.pradinel@exemple.org merci.",
	"Une réclamation sans aucune réponse malgré mes relances, mon téléphone est le +33 6 12 21 34 43.",
};
static const char *const pii_values[] = {
	"claire.fontanel@exemple.org", "fontanel", "06 11 22 33 44", "pierre.grangeon@exemple.fr", "grangeon",
	"07 98 76 54 32", "martine.vauclair@exemple.net", "vauclair", "06.55.44.33.22", "jules.pradinel@exemple.org",
	"pradinel", "+33 6 12 21 34 43",
};

static int verbatims_clean(const vx_topic *list, size_t n, size_t *placeholders)
{
	for (size_t t = 0; t < n; t++)
		for (size_t v = 0; v < list[t].n_verbatims; v++) {
			const char *s = list[t].verbatims[v].text;
			for (size_t p = 0; p < sizeof pii_values / sizeof pii_values[0]; p++)
				if (strstr(s, pii_values[p]))
					return 0;
			*placeholders += strstr(s, "[EMAIL]") != NULL || strstr(s, "[TÉLÉPHONE]") != NULL;
		}
	return 1;
}

static void test_verbatims_masked(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	char id[64];
	for (size_t i = 0; i < sizeof pii_texts / sizeof pii_texts[0]; i++) {
		snprintf(id, sizeof id, "R%02zu", i);
		add_text(c, id, "2024-03-01", pii_texts[i], VX_FEELING_NEGATIVE);
	}
	for (size_t i = 0; i < 18; i++) {
		snprintf(id, sizeof id, "X%02zu", i);
		add_text(c, id, "2024-03-02", texts[i], feeling_of(i));
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	size_t placeholders = 0;
	assert_true(verbatims_clean(n->topics, n->n_topics, &placeholders));
	assert_true(verbatims_clean(n->strengths, n->n_strengths, &placeholders));
	printf("  %zu topics, %zu verbatims with a placeholder\n", n->n_topics, placeholders);
	assert_true(placeholders > 0);
	/* Nor anywhere in the rendered note. */
	char *out[3] = {NULL, NULL, NULL};
	size_t len;
	assert_int_equal(vx_note_render_markdown(&out[0], &len, n), 0);
	assert_int_equal(vx_note_render_html(&out[1], &len, n), 0);
	assert_int_equal(vx_note_render_json(&out[2], &len, n), 0);
	for (size_t f = 0; f < 3; f++) {
		for (size_t p = 0; p < sizeof pii_values / sizeof pii_values[0]; p++)
			if (strstr(out[f], pii_values[p]))
				fail_msg("rendering %zu shows \"%s\"", f, pii_values[p]);
		free(out[f]);
	}
	assert_true(n->masked.by_kind[VX_PII_EMAIL] + n->masked.by_kind[VX_PII_PHONE] > 0);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Quotes that state the problem --------------------------------------- */

/* Each experience of files waiting opens with the scene (the same words in
 * all: the topic's most typical terms) and then says what went wrong, with
 * the delay theme's expression and a complaint the feelings lexicon knows. */
static const char *const scene =
    "J'ai déposé en préfecture ma demande de titre de séjour avec le formulaire cerfa, le passeport, "
    "la photo et le justificatif de domicile du titre de séjour.";
static const char *const problems[] = {
	"Depuis six mois mon dossier est bloqué, c'est inadmissible.",
	"Cela fait huit mois que j'attends, aucune nouvelle, c'est scandaleux.",
	"Depuis quatre mois rien ne bouge, je suis déçue et furieuse.",
	"Toujours rien reçu après sept mois, c'est honteux et inacceptable.",
	"Depuis cinq mois le traitement est bloqué, une situation catastrophique.",
	"Cela fait trois mois sans réponse, je suis très mécontent.",
	"Depuis neuf mois mon dossier est en souffrance, c'est lamentable.",
	"Depuis dix mois j'attends en vain, c'est scandaleux et épuisant.",
};
#define N_PROBLEMS (sizeof problems / sizeof problems[0])

static void test_quotes_state_the_problem(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	char id[64], text[512];
	for (size_t i = 0; i < N_PROBLEMS; i++) {
		snprintf(id, sizeof id, "D%02zu", i);
		snprintf(text, sizeof text, "%s %s", scene, problems[i]);
		add_text(c, id, "2024-03-01", text, VX_FEELING_NEGATIVE);
	}
	for (size_t i = 0; i < N_TEXTS; i++) {
		if (i >= 12 && i < 18)
			continue; /* the files waiting of the shared texts: only the ones above */
		snprintf(id, sizeof id, "T%02zu", i);
		add_text(c, id, "2024-03-02", texts[i], feeling_of(i));
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	const vx_topic *delays = NULL;
	for (size_t t = 0; t < n->n_topics; t++)
		if (n->topics[t].theme && strcmp(n->topics[t].theme, "delais") == 0)
			delays = &n->topics[t];
	if (delays == NULL)
		fail_msg("no delay topic among the %zu shown", n->n_topics);
	assert_true(delays->n_verbatims > 0);
	size_t ours = 0;
	for (size_t v = 0; v < delays->n_verbatims; v++) {
		const vx_verbatim *vb = &delays->verbatims[v];
		printf("  quote %zu: %s\n", v, vb->text);
		/* An exact span of its experience: the problem, not the scene. */
		const vx_experience *e = NULL;
		for (size_t k = 0; k < vx_corpus_count(c) && e == NULL; k++)
			if (strcmp(vx_corpus_get(c, k)->id, vb->experience_id) == 0)
				e = vx_corpus_get(c, k);
		assert_non_null(e);
		assert_true(vb->end <= strlen(e->text));
		assert_int_equal(strlen(vb->text), vb->end - vb->start);
		assert_memory_equal(vb->text, e->text + vb->start, vb->end - vb->start);
		if (strstr(vb->text, "passeport") != NULL)
			fail_msg("quote %zu of the delays is the scene, not the problem: %s", v, vb->text);
		/* Other members of the theme may be quoted too (a payment "en
		 * retard"); ours are quoted by their problem. */
		if (vb->experience_id[0] == 'D') {
			size_t p = (size_t)atoi(vb->experience_id + 1);
			assert_true(p < N_PROBLEMS);
			assert_string_equal(vb->text, problems[p]);
			ours++;
		}
		for (size_t w = 0; w < v; w++)
			assert_string_not_equal(vb->text, delays->verbatims[w].text);
	}
	assert_true(ours > 0);
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- A corpus for the two-thread document-term matrix ------------------- */

#define BIG_DOCS 4400   /* above the matrix's one-thread limit (4,000) */
#define NEW_WORDS 4     /* invented words per document of the second half */

/* An invented word made of four syllables, distinct for each k < 12^4. */
static void invented_word(char *out, size_t cap, size_t k)
{
	static const char *const syl[] = {"ba", "ke", "lo", "mu", "ri", "sa", "to", "vi", "ze", "no", "pa", "du"};
	snprintf(out, cap, "%s%s%s%s", syl[k % 12], syl[(k / 12) % 12], syl[(k / 144) % 12], syl[(k / 1728) % 12]);
}

/* The second half of the corpus brings thousands of words the first half
 * never uses: the merged vocabulary outgrows the first half's arrays. */
/* ---- No quote that describes a person ---------------------------------- */

/* An unpleasant reception, told ten times; in eight the agent is described
 * by origin or looks (invented texts). Those sentences are never quoted. */
static const char *const described[] = {
	"Au guichet la conseillère arabe m'a parlé avec mépris, accueil désagréable et ton hautain.",
	"La dame brune de l'accueil a été désagréable et hautaine, aucun respect pour les usagers.",
	"Agent chauve très désagréable au guichet, ton hautain et méprisant, aucun respect.",
	"Une employée voilée nous a reçus avec mépris, accueil désagréable et irrespectueux.",
	"Le conseiller maghrébin du guichet était hautain et désagréable, un mépris total des usagers.",
	"La blonde de l'accueil est désagréable et hautaine avec tout le monde, aucun respect au guichet.",
	"Accueil désagréable par une agente noire très hautaine, mépris et aucun respect au guichet.",
	"Le conseiller africain m'a parlé avec mépris, ton hautain et désagréable au guichet.",
	"Accueil désagréable au guichet, l'agent m'a parlé avec mépris et sur un ton hautain.",
	"Ton hautain et méprisant à l'accueil, agent désagréable, aucun respect pour les usagers.",
};

static void test_no_quote_describes_a_person(void **state)
{
	(void)state;
	/* The words are found: the list is sorted for the binary search. */
	const char *const words[] = {"africain", "arabe", "barbu", "blonde", "brune", "chauve", "juive",
	                             "maghrebin", "musulmanes", "noire", "rousse", "voilee"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		assert_true(vx_quote_person_word(words[i], strlen(words[i])));
	const char *const others[] = {"arabesque", "brun", "noir", "juin", "conseiller", "", "maghrebinesques"};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		assert_false(vx_quote_person_word(others[i], strlen(others[i])));

	vx_corpus *c = new_corpus();
	char id[64];
	for (size_t i = 0; i < 18; i++) {
		snprintf(id, sizeof id, "X%02zu", i);
		add_text(c, id, "2024-03-02", texts[i], feeling_of(i));
	}
	for (size_t r = 0; r < 3; r++)
		for (size_t i = 0; i < sizeof described / sizeof described[0]; i++) {
			char text[512];
			snprintf(id, sizeof id, "D%zu-%02zu", r, i);
			snprintf(text, sizeof text, "%s Avis %zu.", described[i], r * 10 + i);
			add_text(c, id, "2024-03-03", text, VX_FEELING_NEGATIVE);
		}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	size_t quoted_d = 0;
	const vx_topic *lists[2] = {n->topics, n->strengths};
	size_t counts[2] = {n->n_topics, n->n_strengths};
	for (size_t l = 0; l < 2; l++)
		for (size_t t = 0; t < counts[l]; t++)
			for (size_t v = 0; v < lists[l][t].n_verbatims; v++) {
				const vx_verbatim *vb = &lists[l][t].verbatims[v];
				quoted_d += vb->experience_id[0] == 'D';
				const char *bad[] = {"arabe", "brune", "chauve", "voil", "maghr", "blonde", "noire", "africain"};
				for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
					if (strstr(vb->text, bad[k]))
						fail_msg("%s quoted: %s", vb->experience_id, vb->text);
			}
	/* The reception topic is still quoted, from the two plain texts. */
	printf("  %zu verbatims from the reception texts\n", quoted_d);
	assert_true(quoted_d >= 1);
	vx_note_free(n);
	vx_corpus_free(c);
}

static void test_large_new_vocabulary(void **state)
{
	(void)state;
	vx_corpus *c = new_corpus();
	char id[64], text[512], w[NEW_WORDS][16];
	for (size_t i = 0; i < BIG_DOCS; i++) {
		snprintf(id, sizeof id, "G%04zu", i);
		if (i < BIG_DOCS / 2)
			snprintf(text, sizeof text, "%s", texts[i % N_TEXTS]);
		else {
			for (size_t k = 0; k < NEW_WORDS; k++)
				invented_word(w[k], sizeof w[k], (i - BIG_DOCS / 2) * NEW_WORDS + k);
			snprintf(text, sizeof text, "%s Le %s et le %s du %s sont %s.", texts[i % N_TEXTS], w[0], w[1], w[2],
			         w[3]);
		}
		add_text(c, id, "2024-03-01", text, feeling_of(i));
	}
	vx_note *n = NULL;
	if (vx_note_build(&n, c, NULL) != 0)
		fail_msg("%s", vx_error_last());
	assert_int_equal(n->analysed, BIG_DOCS);
	/* The first half repeats the 36 texts: all but the first copies fold. */
	assert_true(n->duplicates >= BIG_DOCS / 2 - N_TEXTS);
	assert_true(n->n_topics > 0);
	for (size_t t = 0; t < n->n_topics; t++) {
		assert_true(n->topics[t].count <= n->topics[t].denominator);
		assert_int_equal(n->topics[t].denominator, n->analysed - n->duplicates);
	}
	vx_note_free(n);
	vx_corpus_free(c);
}

/* ---- Long texts in a theme and the emergent topics --------------------- */

/* 1 when id is a member of an emergent topic of n; *in_theme set when it is
 * a member of a codebook theme. */
static int in_emergent(const vx_note *n, const char *id, int *in_theme)
{
	int found = 0;
	*in_theme = 0;
	for (size_t t = 0; t < n->n_topics; t++)
		for (size_t m = 0; m < n->topics[t].n_members; m++)
			if (strcmp(n->topics[t].members[m].experience_id, id) == 0) {
				if (n->topics[t].theme)
					*in_theme = 1;
				else
					found = 1;
			}
	return found;
}

/* A long text (a meeting's list of proposals) that names a codebook problem
 * once is about something else too: it stays in the theme and joins the
 * emergent topic of what it mostly says. A short text, or a long one dense
 * with the theme's expressions (at most EMERGENT_WORDS_PER_EXPRESSION
 * content words per expression), stays in the theme only. */
static void test_long_text_in_a_theme_joins_emergent_topics(void **state)
{
	(void)state;
	static const char *const places[3][6] = {
		{"jardin", "piscine", "parc", "fontaine", "pelouse", "bassin"},
		{"bibliothèque", "musée", "livre", "exposition", "tableau", "archive"},
		{"stade", "gymnase", "tennis", "terrain", "vestiaire", "tribune"},
	};
	vx_corpus *c = new_corpus();
	char text[2048], id[16];
	for (size_t i = 0; i < 150; i++) {
		size_t g = i % 3;
		snprintf(text, sizeof text, "Le %s puis le %s, encore le %s et %s, numéro %zu.", places[g][i % 6],
		         places[g][(i / 3) % 6], places[g][(i / 7) % 6], places[g][(i + 2) % 6], i);
		snprintf(id, sizeof id, "P%zu", i);
		add_text(c, id, "2024-03-01", text, VX_FEELING_NEUTRAL);
	}
	/* After the expressions, 15 x 6 content words of one group: about 90
	 * content words for 1 expression (long), or for 2 (dense; another group,
	 * so that it is not a copy of the long one). */
	char list[2][1024] = {"", ""};
	for (size_t g = 0; g < 2; g++)
		for (size_t r = 0; r < 15; r++) {
			size_t len = strlen(list[g]);
			snprintf(list[g] + len, sizeof list[g] - len, "le %s, le %s, la %s, la %s, la %s, le %s ; ",
			         places[g][0], places[g][1], places[g][2], places[g][3], places[g][4], places[g][5]);
		}
	snprintf(text, sizeof text, "Impossible de joindre le standard. Propositions : %s", list[0]);
	add_text(c, "LONG", "2024-03-01", text, VX_FEELING_NEUTRAL);
	snprintf(text, sizeof text, "Impossible de joindre le standard, toujours injoignable. Propositions : %s",
	         list[1]);
	add_text(c, "DENSE", "2024-03-01", text, VX_FEELING_NEUTRAL);
	add_text(c, "SHORT", "2024-03-01", "Impossible de joindre le standard pour le jardin et le parc.",
	         VX_FEELING_NEUTRAL);
	/* more short texts of the theme, so that it is among the topics shown; they
	 * name the service, so that the corpus reads as feedback on a public
	 * service and the themes apply (rule 0) */
	for (size_t i = 0; i < 40; i++) {
		snprintf(text, sizeof text, "Standard du service injoignable pour le %s, appel %zu.", places[i % 3][i % 6],
		         i);
		snprintf(id, sizeof id, "T%zu", i);
		add_text(c, id, "2024-03-01", text, VX_FEELING_NEUTRAL);
	}
	vx_note_options o;
	vx_note_options_init(&o);
	o.memberships = 1;
	o.topics = 8;
	vx_note *n = NULL;
	if (vx_note_build(&n, c, &o) != 0)
		fail_msg("%s", vx_error_last());
	int theme = 0;
	assert_true(in_emergent(n, "LONG", &theme));
	assert_true(theme);
	assert_false(in_emergent(n, "DENSE", &theme));
	assert_true(theme);
	assert_false(in_emergent(n, "SHORT", &theme));
	assert_true(theme);
	/* The emergent topics LONG joins are those of its words: most of their
	 * members are texts of the first group (P0, P3, P6...). */
	size_t joined = 0;
	for (size_t t = 0; t < n->n_topics; t++) {
		const vx_topic *tp = &n->topics[t];
		size_t first = 0, other = 0;
		int has_long = 0;
		for (size_t m = 0; m < tp->n_members; m++) {
			const char *mid = tp->members[m].experience_id;
			has_long |= strcmp(mid, "LONG") == 0;
			if (mid[0] == 'P')
				*(strtoul(mid + 1, NULL, 10) % 3 == 0 ? &first : &other) += 1;
		}
		if (tp->theme == NULL && has_long) {
			joined++;
			assert_true(first > other);
		}
	}
	assert_true(joined >= 1);
	vx_note_free(n);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tiny_corpus),
		cmocka_unit_test(test_stop_words_only),
		cmocka_unit_test(test_fewer_topics_than_asked),
		cmocka_unit_test(test_fit_samples_above_the_cut),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_feeling_filter_reads_texts),
		cmocka_unit_test(test_trends),
		cmocka_unit_test(test_trend_halves),
		cmocka_unit_test(test_verbatims_masked),
		cmocka_unit_test(test_quotes_state_the_problem),
		cmocka_unit_test(test_no_quote_describes_a_person),
		cmocka_unit_test(test_large_new_vocabulary),
		cmocka_unit_test(test_long_text_in_a_theme_joins_emergent_topics),
	};
	return cmocka_run_group_tests_name("note cases", tests, NULL, NULL);
}
