/*
 * voix note FILE... | --db PATH [-o OUT] [--format md|html|json] [filters]
 *                   [--topics N] [--axes N] [--terms N] [--codebook F] [--min-support N]
 *                   [--timings] [--keep-institution-terms] [--assignments F] [--print-codebook]
 *
 * Reads the exports (or loads the database), builds the note with the
 * library's analysis (voix/analysis.h) and writes it. Markdown goes to
 * stdout when there is no -o. Markdown and HTML are byte-identical between
 * runs; their run time and peak memory line appears only with --timings.
 * JSON always carries `run`. The options of the note, their bounds and
 * their messages are the library's (vx_note_options_set).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "voix/analysis.h"
#include "voix/error.h"
#include "voix/feeling.h"
#include "voix/note.h"
#include "voix/reader.h"
#include "voix/render.h"
#include "voix/store.h"

#define MAX_FILES 64

static void usage(FILE *out)
{
	fputs("usage: voix note FICHIER... | --db voix.db [-o note.html|note.md|note.json]\n"
	      "                 [--format md|html|json] [--service S] [--structure S] [--channel C]\n"
	      "                 [--since AAAA-MM-JJ] [--until AAAA-MM-JJ] [--feeling positif|neutre|négatif]\n"
	      "                 [--department 75,92,...] [--topics 4] [--axes 5]\n"
	      "                 [--map champ=colonne,...] [--codebook F] [--min-support 5] [--timings]\n"
	      "                 [--terms 8] [--keep-institution-terms] [--assignments affectations.csv]\n"
	      "                 [--feelings auto|export|text] [--lexicon F]\n"
	      "       voix note --print-codebook | --print-lexicon\n"
	      "Écrit la note de synthèse : périmètre, points forts, principaux sujets avec verbatims,\n"
	      "axes d'amélioration, méthode et limites. Markdown sur la sortie standard sans -o.\n"
	      "--feeling garde les expériences de ce ressenti, tel que la note le compte (--feelings) ;\n"
	      "--department celles de ce département ou de ces départements séparés par des virgules.\n",
	      out);
}

/* The note's own options, then the library's (vx_note_option_name). */
enum {
	OPT_DB,
	OPT_OUTPUT,
	OPT_FORMAT,
	OPT_MAP,
	OPT_MAP_FILE,
	OPT_ASSIGNMENTS,
	OPT_TIMINGS,
	OPT_PRINT_CODEBOOK,
	OPT_PRINT_LEXICON,
	OPT_LIBRARY, /* the first of the library's */
};
static const vx_cli_option own_options[OPT_LIBRARY] = {
	{"--db", NULL, 1},           {"--output", "-o", 1},     {"--format", NULL, 1},
	{"--map", NULL, 1},          {"--map-file", NULL, 1},   {"--assignments", NULL, 1},
	{"--timings", NULL, 0},      {"--print-codebook", NULL, 0}, {"--print-lexicon", NULL, 0},
};
/* Room for the library's note options and their names with dashes. */
#define MAX_LIBRARY_OPTIONS 32
#define OPTION_NAME_MAX 48

static int fail(int rc)
{
	return vx_cli_say("note", vx_cli_exit_for(rc), vx_error_last());
}

int cmd_note(int argc, char **argv)
{
	const char *files[MAX_FILES];
	size_t n_files = 0;
	const char *db = NULL, *out_path = NULL, *map = NULL, *map_file = NULL, *assign_path = NULL;
	vx_note_render_options render = VX_NOTE_RENDER_OPTIONS_INIT;
	int has_format = 0;
	vx_note_options opt;
	vx_note_options_init(&opt);
	vx_cli_option options[OPT_LIBRARY + MAX_LIBRARY_OPTIONS];
	char names[MAX_LIBRARY_OPTIONS][OPTION_NAME_MAX];
	size_t n_options = OPT_LIBRARY;
	memcpy(options, own_options, sizeof own_options);
	int has_value;
	for (const char *lib; n_options < OPT_LIBRARY + MAX_LIBRARY_OPTIONS &&
	                      (lib = vx_note_option_name(n_options - OPT_LIBRARY, &has_value)) != NULL;
	     n_options++) {
		snprintf(names[n_options - OPT_LIBRARY], OPTION_NAME_MAX, "--%s", lib);
		options[n_options] = (vx_cli_option){names[n_options - OPT_LIBRARY], NULL, has_value};
	}
	const char *v;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "note", argc, argv, 1, options, n_options);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_HELP: usage(stdout); return VX_EXIT_OK;
		case VX_CLI_BAD: usage(stderr); return VX_EXIT_USAGE;
		case VX_CLI_ARG:
			if (n_files == MAX_FILES) {
				fprintf(stderr, "voix note : au plus %d fichiers\n", MAX_FILES);
				return VX_EXIT_USAGE;
			}
			files[n_files++] = v;
			break;
		case OPT_PRINT_CODEBOOK: fputs(vx_codebook_builtin_text(), stdout); return VX_EXIT_OK;
		case OPT_PRINT_LEXICON: fputs(vx_lexicon_builtin_text(), stdout); return VX_EXIT_OK;
		case OPT_TIMINGS: render.timings = 1; break;
		case OPT_DB: db = v; break;
		case OPT_OUTPUT: out_path = v; break;
		case OPT_FORMAT:
			if (vx_note_format_from_name(&render.format, v) != 0)
				return vx_cli_say("note", VX_EXIT_USAGE, vx_error_last());
			has_format = 1;
			break;
		case OPT_MAP: map = v; break;
		case OPT_MAP_FILE: map_file = v; break;
		case OPT_ASSIGNMENTS:
			assign_path = v;
			opt.memberships = 1;
			break;
		default:
			/* --topics, --since, --codebook...: the library's note options. */
			if (vx_note_options_set(&opt, options[k].name + 2, v) != 0)
				return vx_cli_say("note", VX_EXIT_USAGE, vx_error_last());
		}
	}
	/* Every bound at once (--since after --until), before anything is read. */
	if (vx_note_options_check(&opt) != 0)
		return vx_cli_say("note", VX_EXIT_USAGE, vx_error_last());
	if ((n_files == 0) == (db == NULL)) {
		fprintf(stderr, "voix note : donner soit des fichiers, soit --db (pas les deux)\n");
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	if (!has_format && out_path && vx_note_format_from_path(&render.format, out_path) != 0) {
		fprintf(stderr, "voix note : %s, ou --format\n", vx_error_last());
		return VX_EXIT_USAGE;
	}

	const char *inputs[MAX_FILES + 2];
	memcpy(inputs, files, n_files * sizeof files[0]);
	inputs[n_files] = map_file;
	inputs[n_files + 1] = opt.codebook_path;
	if (vx_cli_output_conflict("note", "-o", out_path, inputs, n_files + 2, db))
		return VX_EXIT_CONFLICT;

	int rc = 0, exit_code = VX_EXIT_OK;
	vx_analysis *analysis = NULL;
	vx_store *store = NULL;
	vx_note *note = NULL;
	char *text = NULL;
	size_t len = 0;
	if ((rc = vx_analysis_new(&analysis, &opt)) != 0) {
		exit_code = fail(rc);
		goto done;
	}
	if (db) {
		/* As for stats and search: a database that cannot be opened or read is exit 4. */
		if ((rc = vx_store_open_existing(&store, db)) != 0 || (rc = vx_analysis_add_store(analysis, store)) != 0) {
			exit_code = fail(rc);
			if (rc != VX_ENOMEM)
				exit_code = VX_EXIT_DB;
			goto done;
		}
	} else {
		vx_read_options ro = VX_READ_OPTIONS_INIT;
		ro.map = map;
		ro.map_file = map_file;
		for (size_t f = 0; f < n_files; f++)
			if ((rc = vx_analysis_add_file(analysis, files[f], &ro)) != 0) {
				exit_code = fail(rc);
				goto done;
			}
	}
	vx_cli_report_repairs("note", vx_analysis_corpus(analysis));
	if ((rc = vx_analysis_run(&note, analysis)) != 0) {
		exit_code = fail(rc);
		goto done;
	}
	for (size_t m = 0; m < note->n_messages; m++)
		fprintf(stderr, "voix note : %s\n", note->messages[m]);
	if (out_path)
		rc = vx_note_render_file(out_path, note, &render);
	else if ((rc = vx_note_render(&text, &len, note, &render)) == 0 && fwrite(text, 1, len, stdout) != len)
		exit_code = vx_cli_flush_stdout("note");
	if (rc == 0 && assign_path && exit_code == VX_EXIT_OK) {
		vx_note_render_options assignments = VX_NOTE_RENDER_OPTIONS_INIT;
		assignments.format = VX_NOTE_FORMAT_ASSIGNMENTS;
		rc = vx_note_render_file(assign_path, note, &assignments);
	}
	if (rc != 0)
		exit_code = fail(rc);
done:
	free(text);
	vx_note_free(note);
	vx_store_free(store);
	vx_analysis_free(analysis);
	return exit_code;
}
