/*
 * Checks shared by the commands before and after they write (an output
 * must not be one of the inputs, and every write to stdout must have
 * reached it: docs/cli.md, exit codes 6 and 7), and the warning about
 * repaired lines that import and note share.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "voix/util.h"
#include "voix/corpus.h"

/* Files SQLite keeps next to a database: writing over one corrupts it. */
static const char *const db_companions[] = {"", "-wal", "-shm", "-journal"};

/* Longest database path whose companions are compared. */
#define DB_PATH_MAX 4096

int vx_cli_output_conflict(const char *cmd, const char *option, const char *out, const char *const *inputs,
                           size_t n, const char *db)
{
	if (out == NULL || strcmp(out, "-") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (inputs[i] && vx_file_same(out, inputs[i])) {
			fprintf(stderr, "voix %s : %s %s est aussi un fichier d'entrée (%s) : refusé, rien n'a été écrit\n",
			        cmd, option, out, inputs[i]);
			return 1;
		}
	for (size_t c = 0; db && c < sizeof db_companions / sizeof db_companions[0]; c++) {
		char path[DB_PATH_MAX];
		int len = snprintf(path, sizeof path, "%s%s", db, db_companions[c]);
		if (len < 0 || (size_t)len >= sizeof path)
			continue;
		if (vx_file_same(out, path)) {
			fprintf(stderr, "voix %s : %s %s est %s la base de données %s : refusé, rien n'a été écrit\n", cmd,
			        option, out, c == 0 ? "aussi" : "un fichier de", db);
			return 1;
		}
	}
	return 0;
}

int vx_cli_flush_stdout(const char *cmd)
{
	errno = 0;
	int bad = fflush(stdout) != 0;
	int err = errno;
	if (!bad && !ferror(stdout))
		return VX_EXIT_OK;
	fprintf(stderr, "voix %s : écriture impossible sur la sortie standard%s%s%s\n", cmd, err ? " (" : "",
	        err ? strerror(err) : "", err ? ")" : "");
	return VX_EXIT_OUTPUT;
}

void vx_cli_report_repairs(const char *cmd, const vx_corpus *corpus)
{
	for (size_t i = 0; i < vx_corpus_source_count(corpus); i++) {
		const vx_source *s = vx_corpus_source(corpus, i);
		if (s->lines_repaired == 0)
			continue;
		fprintf(stderr,
		        "voix %s : attention : %s : %zu ligne%s réparée%s (octets invalides en UTF-8, lus en"
		        " Windows-1252 ; le reste du fichier est lu en UTF-8)\n",
		        cmd, s->path, s->lines_repaired, s->lines_repaired > 1 ? "s" : "", s->lines_repaired > 1 ? "s" : "");
	}
}
