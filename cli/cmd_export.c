/*
 * voix export --format sp-plus-2025 [--db voix.db] [-o FILE]: the
 * published experiences collected by voix serve, in the shape of the
 * Services Publics+ 2025 export (docs/collect.md). Recorded in the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/file.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/store.h"

#define DEFAULT_DB "voix.db"

static void usage(FILE *out)
{
	fputs("usage: voix export --format sp-plus-2025 [--db voix.db] [-o FICHIER]\n"
	      "Écrit les expériences publiées (textes masqués, réponses) au format de l'export 2025 de\n"
	      "Services Publics+, que voix import relit.\n",
	      out);
}

int cmd_export(int argc, char **argv)
{
	const char *db = DEFAULT_DB, *format = NULL, *output = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			format = argv[++i];
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			output = argv[++i];
		} else {
			fprintf(stderr, "voix export : argument inattendu « %s »\n", argv[i]);
			usage(stderr);
			return VX_EXIT_USAGE;
		}
	}
	if (format == NULL || strcmp(format, "sp-plus-2025") != 0) {
		fprintf(stderr, "voix export : --format sp-plus-2025 est le seul format\n");
		return VX_EXIT_USAGE;
	}
	if (vx_cli_output_conflict("export", "-o", output, NULL, 0, db))
		return VX_EXIT_CONFLICT;
	vx_store *store = NULL;
	char *csv = NULL;
	size_t len = 0, n = 0;
	int rc = vx_store_open(&store, db);
	if (rc == 0)
		rc = vx_collect_export(store, &csv, &len, &n);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "%zu expériences, sp-plus-2025", n);
		rc = vx_audit_record(store, "voix export", "export", output ? output : "sortie standard", detail);
	}
	if (rc == 0 && output && strcmp(output, "-") != 0)
		rc = vx_file_write(output, csv, len);
	else if (rc == 0)
		fwrite(csv, 1, len, stdout);
	if (rc)
		fprintf(stderr, "voix export : %s\n", vx_error_last());
	else
		fprintf(stderr, "voix export : %zu expériences publiées\n", n);
	free(csv);
	vx_store_free(store);
	return vx_cli_exit_for(rc);
}
