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
	      "                 [--since AAAA-MM-JJ] [--until AAAA-MM-JJ] [--topics 4] [--axes 5]\n"
	      "                 [--map champ=colonne,...] [--codebook F] [--min-support 5] [--timings]\n"
	      "                 [--terms 8] [--keep-institution-terms] [--assignments affectations.csv]\n"
	      "                 [--feelings auto|export|text] [--lexicon F]\n"
	      "       voix note --print-codebook | --print-lexicon\n"
	      "Écrit la note de synthèse : périmètre, points forts, principaux sujets avec verbatims,\n"
	      "axes d'amélioration, méthode et limites. Markdown sur la sortie standard sans -o.\n",
	      out);
}

/* 1 for the options that take a value. */
static int takes_value(const char *a)
{
	static const char *const names[] = {"--db",      "-o",         "--output",   "--format",      "--service",
	                                    "--structure", "--channel", "--since",    "--until",       "--map",
	                                    "--map-file", "--codebook", "--topics",   "--axes",        "--min-support",
	                                    "--terms",    "--assignments", "--feelings", "--lexicon"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(a, names[i]) == 0)
			return 1;
	return 0;
}

static int fail(int rc)
{
	fprintf(stderr, "voix note : %s\n", vx_error_last());
	return vx_cli_exit_for(rc);
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
	int options_done = 0, set = 0;
	char name[64];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		/* "--name=value" is "--name value". */
		const char *eq = strncmp(a, "--", 2) == 0 && !options_done ? strchr(a, '=') : NULL;
		if (eq && (size_t)(eq - a) < sizeof name) {
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			a = name;
			v = eq + 1;
			takes = 0;
		}
		if (options_done || strcmp(a, "--") == 0) {
			if (!options_done) {
				options_done = 1;
				continue;
			}
			if (n_files == MAX_FILES) {
				fprintf(stderr, "voix note : au plus %d fichiers\n", MAX_FILES);
				return VX_EXIT_USAGE;
			}
			files[n_files++] = argv[i];
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (strcmp(a, "--print-codebook") == 0) {
			fputs(vx_codebook_builtin_text(), stdout);
			return VX_EXIT_OK;
		} else if (strcmp(a, "--print-lexicon") == 0) {
			fputs(vx_lexicon_builtin_text(), stdout);
			return VX_EXIT_OK;
		} else if (strcmp(a, "--timings") == 0) {
			render.timings = 1;
			takes = 0;
		} else if (strcmp(a, "--keep-institution-terms") == 0) {
			opt.keep_institution_terms = 1;
			takes = 0;
		} else if (eq == NULL && v == NULL && takes_value(a)) {
			fprintf(stderr, "voix note : l'option %s attend une valeur\n", a);
			return VX_EXIT_USAGE;
		} else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
			out_path = v;
		else if (strcmp(a, "--format") == 0) {
			if (vx_note_format_from_name(&render.format, v) != 0) {
				fprintf(stderr, "voix note : %s\n", vx_error_last());
				return VX_EXIT_USAGE;
			}
			has_format = 1;
		} else if (strcmp(a, "--map") == 0)
			map = v;
		else if (strcmp(a, "--map-file") == 0)
			map_file = v;
		else if (strcmp(a, "--assignments") == 0) {
			assign_path = v;
			opt.memberships = 1;
		} else if (strncmp(a, "--", 2) == 0 && (set = vx_note_options_set(&opt, a + 2, v)) != VX_ENOTFOUND) {
			/* --topics, --since, --codebook...: the library's note options. */
			if (set != 0) {
				fprintf(stderr, "voix note : %s\n", vx_error_last());
				return VX_EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "voix note : option inconnue « %s »\n", a);
			usage(stderr);
			return VX_EXIT_USAGE;
		} else {
			if (n_files == MAX_FILES) {
				fprintf(stderr, "voix note : au plus %d fichiers\n", MAX_FILES);
				return VX_EXIT_USAGE;
			}
			files[n_files++] = a;
			takes = 0;
		}
		i += takes;
	}
	/* Every bound at once (--since after --until), before anything is read. */
	if (vx_note_options_check(&opt) != 0) {
		fprintf(stderr, "voix note : %s\n", vx_error_last());
		return VX_EXIT_USAGE;
	}
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
