/*
 * voix import FILE... [--db PATH] [--map SPEC] [--map-file F]
 *                     [--rejects FILE.csv] [--strict] [--quiet]
 *
 * Reads every file first, then stores them all in one transaction: when one
 * file cannot be read, nothing is stored and the exit code says why (see
 * docs/cli.md). Totals go to stdout, in French, in a fixed format:
 *   lues N, ajoutées N, mises à jour N, inchangées N, rejetées N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "voix/error.h"
#include "voix/privacy.h"
#include "voix/reader.h"
#include "voix/store.h"
#include "voix/util.h"

/* Progress appears only once a step has taken this long, in seconds. */
#define PROGRESS_DELAY 0.5

static void usage(FILE *out)
{
	fputs("usage: voix import FICHIER... [--db voix.db] [--map champ=colonne,...] [--map-file F]\n"
	      "                   [--rejects rejets.csv] [--strict] [--quiet] [--wait SECONDES]\n"
	      "                   [--mask-at-rest]\n"
	      "Lit les exports et les enregistre dans la base (une seule transaction : si un fichier\n"
	      "est illisible, rien n'est enregistré). Affiche à la fin :\n"
	      "  lues N, ajoutées N, mises à jour N, inchangées N, rejetées N\n"
	      "--mask-at-rest n'enregistre que des textes masqués ([EMAIL], [NOM]...) : la base ne garde\n"
	      "ni les textes bruts, ni les noms, ni les lignes d'origine non masquées.\n",
	      out);
}

typedef struct progress {
	int enabled;
	struct timespec start;
	const char *what;   /* "lecture de X" or "enregistrement" */
	int shown;
} progress;

static double elapsed(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

static void progress_start(progress *p, const char *what)
{
	p->what = what;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static void progress_show(size_t done, size_t total, void *payload)
{
	progress *p = payload;
	if (!p->enabled || total == 0 || elapsed(&p->start) < PROGRESS_DELAY)
		return;
	fprintf(stderr, "\rvoix import : %s… %3u %%", p->what, (unsigned)(done * 100 / total));
	p->shown = 1;
}

/* Clears the progress line, if any was written. */
static void progress_end(progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r%-78s\r", "");
	p->shown = 0;
}

/* Prints an error on one line: the library's message never holds user text,
 * but it may hold a line break from a file name. */
static void error_line(const char *prefix, const char *msg, const char *suffix)
{
	fprintf(stderr, "voix import : %s", prefix);
	for (const char *p = msg; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
	fprintf(stderr, "%s\n", suffix);
}

/* Says on stderr that the import waits for another one, once. */
static void show_waiting(const char *path, unsigned seconds, void *payload)
{
	progress *p = payload;
	progress_end(p);
	fprintf(stderr, "voix import : la base %s est tenue par une autre importation ; attente (au plus %u s)…\n",
	        path, seconds);
}

int cmd_import(int argc, char **argv)
{
	enum { OPT_QUIET, OPT_STRICT, OPT_MASK, OPT_DB, OPT_MAP_FILE, OPT_MAP, OPT_WAIT, OPT_REJECTS };
	static const vx_cli_option options[] = {
		{"--quiet", "-q", 0}, {"--strict", NULL, 0}, {"--mask-at-rest", NULL, 0}, {"--db", NULL, 1},
		{"--map-file", NULL, 1}, {"--map", NULL, 1},  {"--wait", NULL, 1},        {"--rejects", NULL, 1},
	};
	int rc = VX_EXIT_OK;
	const char *db = VX_CLI_DEFAULT_DB, *rejects = NULL, *v;
	vx_read_options ropts = VX_READ_OPTIONS_INIT;
	int quiet = 0, strict = 0, nfiles = 0, mask_at_rest = 0;
	size_t wait = VX_STORE_DEFAULT_WAIT;
	char **files = calloc((size_t)argc, sizeof *files);
	vx_corpus *corpus = NULL;
	vx_store *store = NULL;
	if (files == NULL) {
		fprintf(stderr, "voix import : mémoire insuffisante\n");
		return VX_EXIT_FAILURE;
	}
	vx_cli_parser p;
	vx_cli_parser_init(&p, "import", argc, argv, 1, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_ARG: files[nfiles++] = (char *)v; break;
		case VX_CLI_HELP: usage(stdout); goto done;
		case OPT_QUIET: quiet = 1; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_MASK: mask_at_rest = 1; break;
		case OPT_DB: db = v; break;
		case OPT_MAP_FILE: ropts.map_file = v; break;
		case OPT_MAP: ropts.map = v; break;
		case OPT_WAIT:
			if (vx_option_count(&wait, "wait", v, 0, VX_STORE_MAX_WAIT) != 0) {
				vx_cli_say("import", VX_EXIT_USAGE, vx_error_last());
				goto usage_error;
			}
			break;
		case OPT_REJECTS: rejects = v; break;
		default: goto usage_error;
		}
	}
	if (nfiles == 0) {
		fprintf(stderr, "voix import : aucun fichier à importer\n");
		goto usage_error;
	}
	if (*db == '\0') {
		fprintf(stderr, "voix import : --db demande un chemin\n");
		goto usage_error;
	}

	/* Before anything is read or written: the rejects file must be none of
	 * the inputs, nor the database. */
	if (rejects) {
		const char *inputs[] = {ropts.map_file};
		if (vx_cli_output_conflict("import", "--rejects", rejects, (const char *const *)files, (size_t)nfiles,
		                           db) ||
		    vx_cli_output_conflict("import", "--rejects", rejects, inputs, 1, NULL)) {
			rc = VX_EXIT_CONFLICT;
			goto done;
		}
	}

	progress prog = {.enabled = !quiet && isatty(STDERR_FILENO)};
	ropts.keep_row_json = 1;
	ropts.progress = progress_show;
	ropts.payload = &prog;
	int err = vx_corpus_new(&corpus);
	char what[512];
	for (int f = 0; f < nfiles && err == 0; f++) {
		snprintf(what, sizeof what, "lecture de %s", files[f]);
		progress_start(&prog, what);
		err = vx_reader_read_file(corpus, files[f], &ropts);
		progress_end(&prog);
		if (err) {
			/* The reader's messages name the file; make sure of it. */
			const char *msg = vx_error_last();
			char prefix[512] = "";
			if (strstr(msg, files[f]) == NULL)
				snprintf(prefix, sizeof prefix, "%s: ", files[f]);
			error_line(prefix, msg, " (rien n'a été importé)");
			rc = vx_cli_exit_for(err);
			goto done;
		}
	}
	if (err) {
		error_line("", vx_error_last(), "");
		rc = vx_cli_exit_for(err);
		goto done;
	}
	vx_cli_report_repairs("import", corpus);
	size_t n_rejects = vx_corpus_reject_count(corpus);
	int refuse = strict && n_rejects;
	if (n_rejects) {
		/* One line on the first rejected row, so that a cut or damaged file
		 * is noticed even without --rejects. */
		const vx_reject *r = vx_corpus_reject(corpus, 0);
		fprintf(stderr, "voix import : %s : %zu ligne%s rejetée%s ; la première : %s, ligne %u : %s%s\n",
		        refuse || vx_corpus_count(corpus) == 0 ? "erreur" : "attention", n_rejects,
		        n_rejects > 1 ? "s" : "", n_rejects > 1 ? "s" : "", r->source, (unsigned)r->line, r->reason,
		        refuse ? " ; --strict : rien n'a été importé"
		        : vx_corpus_count(corpus) == 0 ? " ; aucune expérience lisible : rien n'a été importé"
		        : rejects ? "" : " ; --rejects rejets.csv les écrit avec leur motif");
	}
	/* Rejects are written before storing: if the file cannot be written,
	 * nothing is stored either. */
	if (rejects && (err = vx_corpus_rejects_write(corpus, rejects)) != 0) {
		error_line("", vx_error_last(), " (rien n'a été importé)");
		rc = vx_cli_exit_for(err);
		goto done;
	}
	if (refuse) {
		rc = VX_EXIT_INPUT;
		goto done;
	}
	if (vx_corpus_count(corpus) == 0) {
		if (n_rejects == 0)
			fprintf(stderr, "voix import : aucune expérience lisible : rien n'a été importé\n");
		rc = VX_EXIT_EMPTY;
		goto done;
	}
	if (mask_at_rest) {
		/* Only masked text reaches the database (docs/storage.md). */
		vx_corpus *masked = NULL;
		progress_start(&prog, "masquage");
		if ((err = vx_corpus_mask(&masked, corpus, NULL)) != 0) {
			error_line("", vx_error_last(), " (rien n'a été importé)");
			rc = vx_cli_exit_for(err);
			goto done;
		}
		vx_corpus_free(corpus);
		corpus = masked;
	}
	if ((err = vx_store_open(&store, db)) != 0) {
		error_line("", vx_error_last(), " (rien n'a été importé)");
		rc = err == VX_ENOMEM ? VX_EXIT_FAILURE : VX_EXIT_DB;
		goto done;
	}
	vx_store_set_progress(store, progress_show, &prog);
	vx_store_set_wait(store, (unsigned)wait, show_waiting, &prog);
	progress_start(&prog, "enregistrement");
	vx_import_counts k;
	err = vx_store_import(store, corpus, &k);
	progress_end(&prog);
	if (err == VX_EBUSY) {
		fprintf(stderr,
		        "voix import : la base %s est tenue par une autre importation depuis plus de %u s ; relancer"
		        " quand elle aura fini, ou attendre plus longtemps avec --wait SECONDES (rien n'a été importé)\n",
		        db, (unsigned)wait);
		rc = VX_EXIT_DB;
		goto done;
	}
	if (err) {
		error_line("", vx_error_last(), " (rien n'a été importé)");
		rc = err == VX_ENOMEM ? VX_EXIT_FAILURE : err == VX_EDB ? VX_EXIT_DB : vx_cli_exit_for(err);
		goto done;
	}
	printf("lues %zu, ajoutées %zu, mises à jour %zu, inchangées %zu, rejetées %zu\n", k.read, k.inserted,
	       k.updated, k.unchanged, k.rejected);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "voix import : écriture impossible sur la sortie standard (les totaux sont perdus ;"
		                " l'import, lui, est enregistré)\n");
		rc = VX_EXIT_OUTPUT;
		goto done;
	}
	goto done;
usage_error:
	usage(stderr);
	rc = VX_EXIT_USAGE;
done:
	vx_store_free(store);
	vx_corpus_free(corpus);
	free(files);
	return rc;
}
