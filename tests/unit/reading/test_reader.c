/*
 * vx_reader on small invented files, one per shape, and on buffers: every
 * field of an experience, every reject with its line and reason, the
 * totals, and the errors that leave the corpus untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

#define DATA VX_TEST_DATA "/reading/"

static vx_corpus *read_ok(const char *path, const vx_read_options *opts)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	int rc = vx_reader_read_file(c, path, opts);
	if (rc != 0)
		fail_msg("%s: %s", path, vx_error_last());
	return c;
}

static void check_reject(const vx_corpus *c, size_t i, uint32_t line, const char *reason)
{
	const vx_reject *r = vx_corpus_reject(c, i);
	assert_non_null(r);
	if (r->line != line || strcmp(r->reason, reason) != 0)
		fail_msg("reject %zu: line %u <%s>, want line %u <%s>", i, r->line, r->reason, line, reason);
}

/* Totals hold: every row read is either an experience or a reject. */
static void check_totals(const vx_corpus *c, size_t read, size_t rejected)
{
	const vx_source *s = vx_corpus_source(c, vx_corpus_source_count(c) - 1);
	assert_int_equal(s->rows_read, read);
	assert_int_equal(s->rows_rejected, rejected);
	assert_int_equal(vx_corpus_count(c), read - rejected);
	assert_int_equal(vx_corpus_reject_count(c), rejected);
}

static void test_spplus_2023(void **state)
{
	(void)state;
	vx_corpus *c = read_ok(DATA "sp2023.csv", NULL);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "sp-plus-2023");
	assert_string_equal(s->encoding, "utf-8");
	assert_int_equal(s->separator, ',');
	assert_int_equal(s->c1_repaired, 4);
	assert_int_equal(strlen(s->sha256), 64);
	check_totals(c, 6, 3);

	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->source, DATA "sp2023.csv");
	assert_int_equal(e->line, 2);
	assert_string_equal(e->id, "2904001");
	assert_string_equal(e->date, "2022-10-06"); /* DD/MM/YYYY */
	assert_string_equal(e->date_text, "06/10/2022 15:07");
	assert_string_equal(e->title, "Accueil à la CAF");
	/* C1 mapped, CRLF inside the field kept, nothing else changed */
	assert_string_equal(e->text, "Mme Durandal m’a reçu sans rendez-vous.\r\nMerci pour l’accueil, 10 € de frais évités…");
	assert_int_equal(e->feeling, VX_FEELING_POSITIVE);
	assert_string_equal(e->service, "CAF");
	assert_string_equal(e->structure, "CAF de Nulle-Part");
	assert_string_equal(e->department, "Val-Imaginaire");
	assert_string_equal(e->reply, "");
	assert_int_equal(e->n_channels, 2);
	assert_string_equal(e->channels[0], "Accueil");
	assert_string_equal(e->channels[1], "Téléphone");
	assert_int_equal(e->dims[VX_DIM_ACCESSIBILITY], VX_FEELING_POSITIVE);
	assert_int_equal(e->dims[VX_DIM_INFORMATION], VX_FEELING_UNKNOWN);
	assert_int_equal(e->dims[VX_DIM_RELATION], VX_FEELING_NEGATIVE);
	assert_int_equal(e->dims[VX_DIM_REACTIVITY], VX_FEELING_NEUTRAL);
	assert_int_equal(e->dims[VX_DIM_SIMPLICITY], VX_FEELING_UNKNOWN);
	assert_string_equal(e->row_json, ""); /* not asked for */

	e = vx_corpus_get(c, 1);
	assert_int_equal(e->line, 4);
	assert_string_equal(e->id, "2904002"); /* ".0" added by pandas dropped */
	assert_string_equal(e->title, "Dossier \"perdu\"");
	assert_string_equal(e->text, "Le dossier a été \"perdu\" deux fois ; personne ne répond.");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	assert_string_equal(e->structure, "Hors-structures");

	e = vx_corpus_get(c, 2);
	assert_int_equal(e->line, 8);
	assert_string_equal(e->date, "2023-05-10");
	assert_string_equal(e->text, "  Espaces gardés  ");
	assert_int_equal(e->feeling, VX_FEELING_NEUTRAL);

	check_reject(c, 0, 5, "texte vide");
	check_reject(c, 1, 6, "date illisible");
	check_reject(c, 2, 7, "48 champs au lieu de 49");
	const vx_reject *r = vx_corpus_reject(c, 2);
	assert_string_equal(r->source, DATA "sp2023.csv");
	assert_non_null(strstr(r->raw, "Il manque une colonne."));
	assert_null(strchr(r->raw, '\n'));
	vx_corpus_free(c);
}

static void test_row_json(void **state)
{
	(void)state;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.keep_row_json = 1;
	vx_corpus *c = read_ok(DATA "sp2023.csv", &o);
	const vx_experience *e = vx_corpus_get(c, 1);
	/* every column by its original name, the pandas index under "" */
	assert_non_null(strstr(e->row_json, "{\"\":\"1\",\"ID expérience\":\"2904002.0\","));
	assert_non_null(strstr(e->row_json, "\"Pays Typologie  1\":\"\""));
	assert_non_null(strstr(e->row_json, "\"sentiment_eval\":\"Négatif\"}"));
	assert_non_null(strstr(e->row_json, "\"Titre\":\"Dossier \\\"perdu\\\"\""));
	e = vx_corpus_get(c, 0);
	assert_non_null(strstr(e->row_json, "m’a reçu")); /* C1 mapped there too */
	vx_corpus_free(c);
}

static void test_spplus_2025(void **state)
{
	(void)state;
	vx_corpus *c = read_ok(DATA "sp2025.csv", NULL);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "sp-plus-2025");
	assert_string_equal(s->encoding, "utf-8-bom");
	assert_int_equal(s->separator, ';');
	check_totals(c, 5, 3);

	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->id, "EXP1");
	assert_string_equal(e->date, "2025-03-14"); /* "Écrit le" first */
	assert_string_equal(e->text, "Texte; avec un point-virgule\net une ligne");
	assert_string_equal(e->reply, "Bonjour, merci pour votre retour. M. Lefictif");
	assert_string_equal(e->structure, "Agence de Nulle-Part");
	assert_string_equal(e->service, "France Travail");
	e = vx_corpus_get(c, 1);
	assert_int_equal(e->line, 4);
	assert_string_equal(e->date, "2025-03-01"); /* falls back to "Date de publication" */
	assert_string_equal(e->date_text, "01/03/2025 10:00");
	assert_int_equal(e->dims[VX_DIM_SIMPLICITY], VX_FEELING_NEGATIVE);

	check_reject(c, 0, 5, "date illisible");
	/* The unclosed quote rejects its record, and the line after it is read
	 * again (and rejected for its own reason) instead of being swallowed. */
	check_reject(c, 1, 6, "guillemet ouvert ligne 6 jamais fermé");
	check_reject(c, 2, 7, "1 champs au lieu de 18");
	assert_non_null(strstr(vx_corpus_reject(c, 1)->raw, "Un texte jamais fermé"));
	vx_corpus_free(c);
}

static void test_google(void **state)
{
	(void)state;
	vx_corpus *c = read_ok(DATA "google.csv", NULL);
	assert_string_equal(vx_corpus_source(c, 0)->format, "google-reviews");
	check_totals(c, 5, 2);
	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->id, "google.csv:2"); /* no id column: file and line */
	assert_string_equal(e->date, "");           /* never invented */
	assert_string_equal(e->date_text, "2 months ago");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	assert_string_equal(e->structure, "1 Rue Imaginaire, 99000 Nulle-Part");
	assert_string_equal(e->service, "");
	assert_string_equal(e->text, "Attente interminable.\nPersonne au téléphone.");
	e = vx_corpus_get(c, 1);
	assert_string_equal(e->id, "google.csv:5");
	assert_int_equal(e->feeling, VX_FEELING_NEUTRAL);
	assert_string_equal(e->text, "Correct 👍");
	e = vx_corpus_get(c, 2);
	assert_string_equal(e->date, "2023-04-01");
	assert_int_equal(e->feeling, VX_FEELING_POSITIVE);
	check_reject(c, 0, 4, "texte vide");
	check_reject(c, 1, 6, "date illisible");
	vx_corpus_free(c);
}

static void test_cp1252_mapped(void **state)
{
	(void)state;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=Commentaire,id=reference,feeling=note,date=DATE";
	vx_corpus *c = read_ok(DATA "cp1252.csv", &o);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->encoding, "windows-1252");
	assert_string_equal(s->format, "mapped-csv");
	assert_int_equal(s->separator, ';');
	check_totals(c, 2, 0);
	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->id, "R1");
	assert_string_equal(e->text, "Très déçu, 15 € perdus ; l’agent était absent");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	assert_string_equal(e->date, "2024-01-05");
	e = vx_corpus_get(c, 1);
	assert_string_equal(e->text, "Accueil “chaleureux”");
	assert_int_equal(e->feeling, VX_FEELING_POSITIVE);
	vx_corpus_free(c);
}

static void test_jsonl(void **state)
{
	(void)state;
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=avis,id=ref,feeling=note,channels=canaux,date=quand";
	o.keep_row_json = 1;
	vx_corpus *c = read_ok(DATA "avis.jsonl", &o);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "jsonl");
	assert_int_equal(s->separator, 0);
	assert_int_equal(s->c1_repaired, 1);
	check_totals(c, 6, 4);
	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->id, "J1");
	assert_int_equal(e->line, 1);
	assert_string_equal(e->text, "Très bien, l'agent m'a aidé");
	assert_int_equal(e->feeling, VX_FEELING_POSITIVE);
	assert_string_equal(e->date, "2024-02-01");
	assert_int_equal(e->n_channels, 2);
	assert_string_equal(e->channels[1], "Téléphone");
	assert_non_null(strstr(e->row_json, "\"extra\":{\"a\":1}"));
	e = vx_corpus_get(c, 1);
	assert_int_equal(e->line, 3);
	assert_string_equal(e->text, "Escaped C1: d’accord");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	assert_string_equal(e->date, "");
	assert_int_equal(e->n_channels, 2);
	assert_string_equal(e->channels[0], "E-mail");
	assert_string_equal(e->channels[1], "Courrier");
	assert_non_null(strstr(vx_corpus_reject(c, 0)->reason, "JSON illisible"));
	assert_int_equal(vx_corpus_reject(c, 0)->line, 4);
	check_reject(c, 1, 5, "la ligne n'est pas un objet JSON");
	check_reject(c, 2, 6, "texte vide");
	check_reject(c, 3, 7, "date illisible");
	vx_corpus_free(c);
}

/* A key missing from the first objects (omitted when empty) can still be
 * mapped: the columns are the keys of the first 1,000 lines. */
static void test_jsonl_keys_union(void **state)
{
	(void)state;
	const char *jsonl = "{\"avis\":\"sans réponse\"}\n"
	                    "{\"avis\":\"avec réponse\",\"reponse\":\"Merci, M. Lefictif\"}\n";
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=avis,reply=reponse";
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "r.jsonl", jsonl, strlen(jsonl), &o), 0);
	check_totals(c, 2, 0);
	assert_string_equal(vx_corpus_get(c, 0)->reply, "");
	assert_string_equal(vx_corpus_get(c, 1)->reply, "Merci, M. Lefictif");
	vx_corpus_free(c);
}

/* A tab-separated Windows-1252 re-save of the 2023 export, and a JSON
 * Lines export with the export's own names: both detected without --map. */
static void test_resaved_exports(void **state)
{
	(void)state;
	const char tsv[] = "ID exp\xE9rience\tDate de publication\tDescription\tRessenti usager\tR\xE9" "activit\xE9\r\n"
	                   "41.0\t02/01/2023 08:30\tL\x92" "agent \xE9" "tait absent \x85\tN\xE9gatif\tN\xE9gatif\r\n";
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "resave.tsv", tsv, sizeof tsv - 1, NULL), 0);
	const vx_source *s = vx_corpus_source(c, 0);
	assert_string_equal(s->format, "sp-plus-2023");
	assert_string_equal(s->encoding, "windows-1252");
	assert_int_equal(s->separator, '\t');
	assert_int_equal(s->c1_repaired, 0); /* decoded, not repaired */
	const vx_experience *e = vx_corpus_get(c, 0);
	assert_string_equal(e->id, "41");
	assert_string_equal(e->date, "2023-01-02");
	assert_string_equal(e->text, "L’agent était absent …");
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	assert_int_equal(e->dims[VX_DIM_REACTIVITY], VX_FEELING_NEGATIVE);

	const char *jsonl = "{\"ID expérience\": 7, \"Écrit le\": \"2025-03-14\", \"Description\": \"Très bien\", "
	                    "\"Ressenti usager\": \"Positif\", \"Réponse structure 1\": \"Merci\"}\n";
	assert_int_equal(vx_reader_read_buffer(c, "export.jsonl", jsonl, strlen(jsonl), NULL), 0);
	s = vx_corpus_source(c, 1);
	assert_string_equal(s->format, "jsonl");
	e = vx_corpus_get(c, 1);
	assert_string_equal(e->id, "7");
	assert_string_equal(e->date, "2025-03-14");
	assert_string_equal(e->reply, "Merci");
	assert_int_equal(e->feeling, VX_FEELING_POSITIVE);
	vx_corpus_free(c);
}

static void test_map_file(void **state)
{
	(void)state;
	const char *csv = "text,label\n\"Film superbe, à voir\",1\nNavrant,0\n";
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map_file = DATA "mapping-allocine.txt";
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "avis.csv", csv, strlen(csv), &o), 0);
	char hex[65];
	vx_sha256_hex(hex, csv, strlen(csv));
	assert_string_equal(vx_corpus_source(c, 0)->sha256, hex);
	check_totals(c, 2, 0);
	assert_int_equal(vx_corpus_get(c, 0)->feeling, VX_FEELING_POSITIVE);
	assert_int_equal(vx_corpus_get(c, 1)->feeling, VX_FEELING_NEGATIVE);
	assert_string_equal(vx_corpus_get(c, 1)->id, "avis.csv:3");
	/* an inline mapping given too wins over the file */
	o.map = "feeling_scale=stars";
	assert_int_equal(vx_reader_read_buffer(c, "avis.csv", csv, strlen(csv), &o), 0);
	assert_int_equal(vx_corpus_get(c, 2)->feeling, VX_FEELING_NEGATIVE); /* 1 star */
	assert_int_equal(vx_corpus_get(c, 3)->feeling, VX_FEELING_UNKNOWN);  /* 0 stars */
	assert_int_equal(vx_corpus_source_count(c), 2);
	vx_corpus_free(c);
}

/* Errors for the whole file: nothing is added to the corpus, even when
 * some rows were read before the error was found. */
static void test_file_errors(void **state)
{
	(void)state;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_file(c, DATA "google.csv", NULL), 0);
	size_t n = vx_corpus_count(c), nr = vx_corpus_reject_count(c);

	static const struct {
		const char *name, *data;
		size_t len; /* 0: the string's length */
		const char *map;
		size_t max_field;
		int rc;
		const char *says;
	} cases[] = {
		{"vide.csv", "", 0, NULL, 0, VX_EEMPTY, "fichier vide"},
		{"blancs.csv", "\n\r\n\n", 0, NULL, 0, VX_EEMPTY, "fichier vide"},
		{"entete.csv", "ID expérience;Description;Ressenti usager\r\n\r\n", 0, NULL, 0, VX_EEMPTY, "aucune ligne"},
		{"inconnu.csv", "nom,valeur\na,1\n", 0, NULL, 0, VX_EFORMAT, "--map"},
		{"binaire.csv", "Description,x\n\0\0\0\0", 18, NULL, 0, VX_EFORMAT, "données binaires"},
		{"carte.csv", "Description,ID expérience\na,1\n", 0, "text=Avis", 0, VX_EINVAL, "« Avis »"},
		{"carte2.csv", "Description,ID expérience\na,1\n", 0, "colour=x", 0, VX_EINVAL, "inconnu dans la correspondance"},
		{"entete2.csv", "\"Description,x\nok,1\n", 0, NULL, 0, VX_EFORMAT, "en-tête"},
		{"gros.csv", "t,i\nun,1\ndeux,2\ntrès long texte,3\n", 0, "text=t", 8, VX_ETOOBIG, "gros.csv : ligne 4"},
		{"gros2.csv", "t,i\nun,1\n\"très long texte\",3\n", 0, "text=t", 8, VX_ETOOBIG, "gros2.csv : ligne 3"},
		{"vide.jsonl", "\n\n", 0, "text=a", 0, VX_EEMPTY, "fichier vide"},
		{"faux.jsonl", "[1]\n{broken\n", 0, "text=a", 0, VX_EFORMAT, "objet JSON"},
		{"gros.jsonl", "{\"a\":\"court\"}\n{\"a\":\"beaucoup trop long\"}\n", 0, "text=a", 8, VX_ETOOBIG,
		 "gros.jsonl : ligne 2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		vx_read_options o = VX_READ_OPTIONS_INIT;
		o.map = cases[i].map;
		o.max_field_bytes = cases[i].max_field;
		vx_error_clear();
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].data);
		int rc = vx_reader_read_buffer(c, cases[i].name, cases[i].data, len, &o);
		if (rc != cases[i].rc || strstr(vx_error_last(), cases[i].says) == NULL)
			fail_msg("case %zu (%s): rc %d <%s>, want %d <%s>", i, cases[i].name, rc, vx_error_last(), cases[i].rc,
			         cases[i].says);
		assert_null(strchr(vx_error_last(), '\n'));
		assert_int_equal(vx_corpus_count(c), n);
		assert_int_equal(vx_corpus_reject_count(c), nr);
		assert_int_equal(vx_corpus_source_count(c), 1);
	}
	assert_int_equal(vx_reader_read_file(c, DATA "no-such-file.csv", NULL), VX_EIO);
	vx_read_options future = VX_READ_OPTIONS_INIT;
	future.version = VX_READ_OPTIONS_VERSION + 1;
	assert_int_equal(vx_reader_read_file(c, DATA "google.csv", &future), VX_EINVAL);
	vx_read_options zeroed;
	memset(&zeroed, 0, sizeof zeroed);
	assert_int_equal(vx_reader_read_buffer(c, "z.csv", "t\nx\n", 4, &zeroed), VX_EFORMAT);
	assert_int_equal(vx_reader_read_file(c, DATA "header-only.csv", NULL), VX_EEMPTY);
	assert_int_equal(vx_reader_read_file(c, DATA "unknown.csv", NULL), VX_EFORMAT);
	assert_int_equal(vx_corpus_count(c), n);
	vx_corpus_free(c);
}

typedef struct progress_log {
	int calls;
	size_t last_done, last_total;
} progress_log;

static void on_progress(size_t done, size_t total, void *payload)
{
	progress_log *log = payload;
	assert_true(done <= total);
	assert_true(done >= log->last_done);
	log->calls++;
	log->last_done = done;
	log->last_total = total;
}

static void test_progress_and_rows(void **state)
{
	(void)state;
	/* 20,000 rows of about 500 bytes: progress is reported every few MB
	 * and once at the end. */
	vx_buf in = VX_BUF_INIT;
	vx_buf_puts(&in, "ID expérience;Date de publication;Description;Ressenti usager\r\n");
	for (int k = 0; k < 20000; k++) {
		vx_buf_printf(&in, "%d;%02d/%02d/2023 10:00;\"Ligne %d : l'accueil était ", k, 1 + k % 28, 1 + k % 12, k);
		for (int w = 0; w < 80; w++)
			vx_buf_puts(&in, "très ");
		vx_buf_printf(&in, "\"\"lent\"\"\r\net froid.\";%s\r\n", k % 3 ? "Négatif" : "Positif");
	}
	progress_log log = {0, 0, 0};
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.progress = on_progress;
	o.payload = &log;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "gen.csv", in.data, in.len, &o), 0);
	check_totals(c, 20000, 0);
	char hex[65];
	vx_sha256_hex(hex, in.data, in.len); /* hashed beside the parse: same result */
	assert_string_equal(vx_corpus_source(c, 0)->sha256, hex);
	assert_true(log.calls >= 3);
	assert_int_equal(log.last_done, log.last_total);
	const vx_experience *e = vx_corpus_get(c, 19999);
	assert_string_equal(e->id, "19999");
	assert_int_equal(e->line, 2 + 2 * 19999);
	assert_non_null(strstr(e->text, "\"lent\"\r\net froid."));
	assert_int_equal(e->feeling, VX_FEELING_NEGATIVE);
	vx_corpus_free(c);
	vx_buf_free(&in);
}

/* Repeated column names stay distinct in row_json, and a hostile header of
 * thousands of empty names is handled in linear time. */
static void test_repeated_names(void **state)
{
	(void)state;
	const char *csv = "text,x,x,,x (2),\nbonjour,1,2,3,4,5\n";
	vx_read_options o = VX_READ_OPTIONS_INIT;
	o.map = "text=text";
	o.keep_row_json = 1;
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	assert_int_equal(vx_reader_read_buffer(c, "dup.csv", csv, strlen(csv), &o), 0);
	assert_string_equal(vx_corpus_get(c, 0)->row_json,
	                    "{\"text\":\"bonjour\",\"x\":\"1\",\"x (2)\":\"2\",\"\":\"3\",\"x (2) (2)\":\"4\",\" (2)\":\"5\"}");

	vx_buf in = VX_BUF_INIT;
	vx_buf_puts(&in, "text");
	for (int k = 0; k < 60000; k++)
		vx_buf_putc(&in, ',');
	vx_buf_puts(&in, "\nbonjour");
	for (int k = 0; k < 60000; k++)
		vx_buf_putc(&in, ',');
	vx_buf_puts(&in, "\n");
	assert_int_equal(vx_reader_read_buffer(c, "vides.csv", in.data, in.len, &o), 0);
	assert_int_equal(vx_corpus_count(c), 2);
	assert_non_null(strstr(vx_corpus_get(c, 1)->row_json, "\" (60000)\":\"\"}"));
	vx_buf_free(&in);
	vx_corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spplus_2023),   cmocka_unit_test(test_row_json),
		cmocka_unit_test(test_spplus_2025),   cmocka_unit_test(test_google),
		cmocka_unit_test(test_cp1252_mapped), cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_jsonl_keys_union), cmocka_unit_test(test_resaved_exports),
		cmocka_unit_test(test_map_file),      cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_progress_and_rows), cmocka_unit_test(test_repeated_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
