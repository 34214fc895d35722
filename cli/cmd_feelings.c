/*
 * voix feelings FILE... [--map ...] [--map-file F] [--lexicon F]
 *
 * One line per experience: the export's feeling, the one read from its
 * words (voix/feeling.h), the score, the confidence and the cues that
 * decided it, so that every feeling the note reads can be checked. Cues
 * are quoted with personal data masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "voix/analysis.h"
#include "voix/error.h"
#include "voix/feeling.h"
#include "voix/privacy.h"
#include "voix/reader.h"

#define MAX_FILES 64
#define MAX_CUES 32

static void usage(FILE *out)
{
	fputs("usage: voix feelings FICHIER... [--map champ=colonne,...] [--map-file F] [--lexicon F]\n"
	      "Écrit, pour chaque expérience, le ressenti de l'export, celui lu dans le texte, le score,\n"
	      "la confiance et les indices qui l'ont décidé (CSV séparé par « ; » sur la sortie standard).\n",
	      out);
}

static int fail(int rc)
{
	return vx_cli_say("feelings", vx_cli_exit_for(rc), vx_error_last());
}

/* A CSV field between quotes, quotes doubled. */
static void put_quoted(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i] == '\n' || s[i] == '\r' ? ' ' : s[i], out);
	}
	fputc('"', out);
}

static int write_row(FILE *out, const vx_experience *e, vx_feeling_reader *r, vx_masker *mk)
{
	vx_feeling_reading rd;
	vx_feeling_cue cues[MAX_CUES];
	size_t n = 0;
	int rc = vx_feeling_reader_read(&rd, cues, MAX_CUES, &n, r, e->title, e->text);
	if (rc)
		return rc;
	char *id = NULL;
	if ((rc = vx_masker_mask(mk, e->id, strlen(e->id), &id, NULL)) != 0)
		return rc;
	put_quoted(out, id, strlen(id));
	free(id);
	fprintf(out, ";%s;%s;%.2f;%.2f;\"", vx_feeling_key(e->feeling), vx_feeling_key(rd.feeling), (double)rd.score,
	        (double)rd.confidence);
	for (size_t k = 0; k < n && k < MAX_CUES; k++) {
		const vx_feeling_cue *c = &cues[k];
		const char *field = c->field == 0 ? e->title : e->text;
		char *words = NULL;
		if ((rc = vx_masker_mask(mk, field + c->start, c->end - c->start, &words, NULL)) != 0)
			return rc;
		for (char *p = words; *p; p++)
			if (*p == '"' || *p == '\n' || *p == '\r' || *p == '|')
				*p = ' ';
		fprintf(out, "%s%s %+.1f%s%s%s", k ? " | " : "", words, (double)c->counted, c->negated ? " nié" : "",
		        c->intensified ? " renforcé" : "", c->before_contrast ? " avant « mais »" : "");
		free(words);
	}
	fputs("\"\n", out);
	return 0;
}

int cmd_feelings(int argc, char **argv)
{
	const char *files[MAX_FILES];
	size_t n_files = 0;
	enum { OPT_MAP, OPT_MAP_FILE, OPT_LEXICON };
	static const vx_cli_option options[] = {{"--map", NULL, 1}, {"--map-file", NULL, 1}, {"--lexicon", NULL, 1}};
	const char *map = NULL, *map_file = NULL, *lexicon_path = NULL, *v;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "feelings", argc, argv, 1, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_HELP: usage(stdout); return VX_EXIT_OK;
		case OPT_MAP: map = v; break;
		case OPT_MAP_FILE: map_file = v; break;
		case OPT_LEXICON: lexicon_path = v; break;
		case VX_CLI_ARG:
			if (n_files == MAX_FILES) {
				fprintf(stderr, "voix feelings : au plus %d fichiers\n", MAX_FILES);
				return VX_EXIT_USAGE;
			}
			files[n_files++] = v;
			break;
		default: usage(stderr); return VX_EXIT_USAGE;
		}
	}
	if (n_files == 0) {
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	int rc = 0, exit_code = VX_EXIT_OK;
	vx_analysis *analysis = NULL;
	vx_lexicon *lx = NULL;
	vx_feeling_reader *reader = NULL;
	vx_masker *mk = NULL;
	vx_read_options ro = VX_READ_OPTIONS_INIT;
	ro.map = map;
	ro.map_file = map_file;
	if ((rc = vx_lexicon_load(&lx, lexicon_path)) != 0 ||
	    (rc = vx_feeling_reader_new(&reader, lx)) != 0 || (rc = vx_masker_new(&mk)) != 0 ||
	    (rc = vx_analysis_new(&analysis, NULL)) != 0) {
		exit_code = fail(rc);
		goto done;
	}
	for (size_t f = 0; f < n_files; f++)
		if ((rc = vx_analysis_add_file(analysis, files[f], &ro)) != 0) {
			exit_code = fail(rc);
			goto done;
		}
	const vx_corpus *corpus = vx_analysis_corpus(analysis);
	vx_cli_report_repairs("feelings", corpus);
	fputs("experience_id;ressenti_export;ressenti_lu;score;confiance;indices\n", stdout);
	for (size_t i = 0; i < vx_corpus_count(corpus); i++)
		if ((rc = write_row(stdout, vx_corpus_get(corpus, i), reader, mk)) != 0) {
			exit_code = fail(rc);
			goto done;
		}
done:
	vx_masker_free(mk);
	vx_feeling_reader_free(reader);
	vx_lexicon_free(lx);
	vx_analysis_free(analysis);
	return exit_code;
}
