/*
 * voix note FILE... | --db PATH [-o OUT] [--format md|html|json] [filters]
 *                   [--topics N] [--axes N] [--terms N] [--codebook F] [--min-support N]
 *                   [--timings] [--keep-institution-terms] [--print-codebook]
 *
 * Reads the exports (or loads the database), builds the note with the
 * library and writes it. Markdown goes to stdout when there is no -o.
 * Markdown and HTML are byte-identical between runs; their run time and
 * peak memory line appears only with --timings. JSON always carries `run`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "util/date.h"
#include "util/file.h"
#include "voix/error.h"
#include "voix/note.h"
#include "voix/reader.h"
#include "voix/store.h"

#define MAX_FILES 64

enum format { FORMAT_NONE, FORMAT_MD, FORMAT_HTML, FORMAT_JSON };

static void usage(FILE *out)
{
	fputs("usage: voix note FICHIER... | --db voix.db [-o note.html|note.md|note.json]\n"
	      "                 [--format md|html|json] [--service S] [--structure S] [--channel C]\n"
	      "                 [--since AAAA-MM-JJ] [--until AAAA-MM-JJ] [--topics 4] [--axes 5]\n"
	      "                 [--map champ=colonne,...] [--codebook F] [--min-support 5] [--timings]\n"
	      "                 [--terms 8] [--keep-institution-terms] [--assignments affectations.csv]\n"
	      "       voix note --print-codebook\n"
	      "Écrit la note de synthèse : périmètre, points forts, principaux sujets avec verbatims,\n"
	      "axes d'amélioration, méthode et limites. Markdown sur la sortie standard sans -o.\n",
	      out);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static enum format format_of(const char *s)
{
	if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
		return FORMAT_MD;
	if (strcmp(s, "html") == 0)
		return FORMAT_HTML;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	return FORMAT_NONE;
}

static enum format format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? format_of(dot + 1) : FORMAT_NONE;
}

/* Parses a positive count option. */
static int parse_count(const char *s, size_t *out)
{
	char *end = NULL;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end != '\0' || v == 0 || v > 1000)
		return -1;
	*out = v;
	return 0;
}

/* 1 for the options that take a value. */
static int takes_value(const char *a)
{
	static const char *const names[] = {"--db", "-o", "--output", "--format", "--service", "--structure",
	                                    "--channel", "--since", "--until", "--map", "--map-file", "--codebook",
	                                    "--topics", "--axes", "--min-support", "--terms"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(a, names[i]) == 0)
			return 1;
	return 0;
}

/* Upper bounds of the counts, as vx_note_build checks them; said here in
 * French, before anything is read. */
#define MAX_TOPICS 20
#define MAX_AXES 10

static int fail(int rc)
{
	fprintf(stderr, "voix note : %s\n", vx_error_last());
	return vx_cli_exit_for(rc);
}

int cmd_note(int argc, char **argv)
{
	double t0 = now();
	const char *files[MAX_FILES];
	size_t n_files = 0;
	const char *db = NULL, *out_path = NULL, *map = NULL, *map_file = NULL, *assign_path = NULL;
	enum format format = FORMAT_NONE;
	int timings = 0;
	vx_note_options opt;
	vx_note_options_init(&opt);
	int options_done = 0;
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
		} else if (strcmp(a, "--timings") == 0) {
			timings = 1;
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
			if ((format = format_of(v)) == FORMAT_NONE) {
				fprintf(stderr, "voix note : format inconnu « %s » (md, html ou json)\n", v);
				return VX_EXIT_USAGE;
			}
		} else if (strcmp(a, "--service") == 0)
			opt.filter.service = v;
		else if (strcmp(a, "--structure") == 0)
			opt.filter.structure = v;
		else if (strcmp(a, "--channel") == 0)
			opt.filter.channel = v;
		else if (strcmp(a, "--since") == 0)
			opt.filter.since = v;
		else if (strcmp(a, "--until") == 0)
			opt.filter.until = v;
		else if (strcmp(a, "--map") == 0)
			map = v;
		else if (strcmp(a, "--map-file") == 0)
			map_file = v;
		else if (strcmp(a, "--codebook") == 0)
			opt.codebook_path = v;
		else if (strcmp(a, "--assignments") == 0) {
			assign_path = v;
			opt.memberships = 1;
		}
		else if (strcmp(a, "--topics") == 0 || strcmp(a, "--axes") == 0 || strcmp(a, "--min-support") == 0 ||
		         strcmp(a, "--terms") == 0) {
			size_t *dst = strcmp(a, "--topics") == 0 ? &opt.topics
			              : strcmp(a, "--terms") == 0 ? &opt.terms
			              : a[2] == 'a'               ? &opt.axes
			                                          : &opt.min_verbatim_support;
			if (parse_count(v, dst) != 0) {
				fprintf(stderr, "voix note : %s attend un nombre entier positif\n", a);
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
	if (opt.topics > MAX_TOPICS || opt.axes > MAX_AXES || opt.terms > VX_NOTE_MAX_TERMS) {
		fprintf(stderr, "voix note : %s doit être entre 1 et %d\n",
		        opt.topics > MAX_TOPICS ? "--topics" : opt.axes > MAX_AXES ? "--axes" : "--terms",
		        opt.topics > MAX_TOPICS ? MAX_TOPICS : opt.axes > MAX_AXES ? MAX_AXES : VX_NOTE_MAX_TERMS);
		return VX_EXIT_USAGE;
	}
	int64_t since_days = INT64_MIN, until_days = INT64_MAX;
	if ((opt.filter.since && *opt.filter.since && vx_date_to_days(opt.filter.since, &since_days) != 0) ||
	    (opt.filter.until && *opt.filter.until && vx_date_to_days(opt.filter.until, &until_days) != 0)) {
		fprintf(stderr, "voix note : %s attend une date AAAA-MM-JJ\n",
		        since_days == INT64_MIN && opt.filter.since && *opt.filter.since ? "--since" : "--until");
		return VX_EXIT_USAGE;
	}
	if (since_days != INT64_MIN && until_days != INT64_MAX && since_days > until_days) {
		fprintf(stderr, "voix note : --since est postérieur à --until\n");
		return VX_EXIT_USAGE;
	}
	if ((n_files == 0) == (db == NULL)) {
		fprintf(stderr, "voix note : donner soit des fichiers, soit --db (pas les deux)\n");
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	if (format == FORMAT_NONE)
		format = out_path ? format_of_path(out_path) : FORMAT_MD;
	if (format == FORMAT_NONE) {
		fprintf(stderr, "voix note : extension de sortie inconnue (.md, .html ou .json), ou --format\n");
		return VX_EXIT_USAGE;
	}

	const char *inputs[MAX_FILES + 2];
	memcpy(inputs, files, n_files * sizeof files[0]);
	inputs[n_files] = map_file;
	inputs[n_files + 1] = opt.codebook_path;
	if (vx_cli_output_conflict("note", "-o", out_path, inputs, n_files + 2, db))
		return VX_EXIT_CONFLICT;

	int rc = 0, exit_code = VX_EXIT_OK;
	vx_corpus *corpus = NULL;
	vx_store *store = NULL;
	vx_note *note = NULL;
	char *text = NULL;
	size_t len = 0;
	if ((rc = vx_corpus_new(&corpus)) != 0) {
		exit_code = fail(rc);
		goto done;
	}
	if (db) {
		/* As for stats and search: a database that cannot be opened or read is exit 4. */
		if ((rc = vx_store_open_existing(&store, db)) != 0 || (rc = vx_store_load(store, corpus, NULL)) != 0) {
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
			if ((rc = vx_reader_read_file(corpus, files[f], &ro)) != 0) {
				exit_code = fail(rc);
				goto done;
			}
	}
	vx_cli_report_repairs("note", corpus);
	double t_read = now() - t0;
	if ((rc = vx_note_build(&note, corpus, &opt)) != 0) {
		exit_code = fail(rc);
		goto done;
	}
	for (size_t m = 0; m < note->n_messages; m++)
		fprintf(stderr, "voix note : %s\n", note->messages[m]);
	/* The reading step comes first among the steps of the run. */
	if (note->n_stages < VX_NOTE_MAX_STAGES) {
		memmove(note->stage_names + 1, note->stage_names, note->n_stages * sizeof note->stage_names[0]);
		memmove(note->stage_seconds + 1, note->stage_seconds, note->n_stages * sizeof note->stage_seconds[0]);
		note->stage_names[0] = db ? "loading" : "reading";
		note->stage_seconds[0] = t_read;
		note->n_stages++;
	}
	/* The run figures cover the whole command up to rendering. */
	struct rusage ru;
	note->seconds = now() - t0;
	note->peak_rss_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
	if (format != FORMAT_JSON && !timings)
		note->seconds = 0, note->peak_rss_kb = 0;
	rc = format == FORMAT_JSON ? vx_note_render_json(&text, &len, note)
	     : format == FORMAT_HTML ? vx_note_render_html(&text, &len, note)
	                             : vx_note_render_markdown(&text, &len, note);
	if (rc) {
		exit_code = fail(rc);
		goto done;
	}
	if (out_path) {
		if ((rc = vx_file_write(out_path, text, len)) != 0) {
			exit_code = fail(rc);
			goto done;
		}
	} else if (fwrite(text, 1, len, stdout) != len) {
		exit_code = vx_cli_flush_stdout("note");
	}
	if (assign_path && exit_code == VX_EXIT_OK) {
		free(text);
		text = NULL;
		if ((rc = vx_note_render_assignments(&text, &len, note)) != 0 ||
		    (rc = vx_file_write(assign_path, text, len)) != 0)
			exit_code = fail(rc);
	}
done:
	free(text);
	vx_note_free(note);
	vx_store_free(store);
	vx_corpus_free(corpus);
	return exit_code;
}
