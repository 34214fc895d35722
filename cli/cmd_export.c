/*
 * voix export --format sp-plus-2025 [--db voix.db] [-o FILE]: the
 * published experiences collected by voix serve, in the shape of the
 * Services Publics+ 2025 export (docs/collect.md). Recorded in the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/store.h"

static const char usage[] =
	"usage: voix export --format sp-plus-2025 [--db voix.db] [-o FICHIER]\n"
	"Écrit les expériences publiées (textes masqués, réponses) au format de l'export 2025 de\n"
	"Services Publics+, que voix import relit.\n";

int cmd_export(int argc, char **argv)
{
	enum { OPT_DB, OPT_FORMAT, OPT_OUTPUT };
	static const vx_cli_option options[] = {{"--db", NULL, 1}, {"--format", NULL, 1}, {"--output", "-o", 1}};
	const char *db = VX_CLI_DEFAULT_DB, *format = NULL, *output = NULL, *v;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "export", argc, argv, 1, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_HELP: fputs(usage, stdout); return VX_EXIT_OK;
		case OPT_DB: db = v; break;
		case OPT_FORMAT: format = v; break;
		case OPT_OUTPUT: output = v; break;
		case VX_CLI_ARG: fprintf(stderr, "voix export : argument en trop « %s »\n", v); return VX_EXIT_USAGE;
		default: fputs(usage, stderr); return VX_EXIT_USAGE;
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
	int to_file = output && strcmp(output, "-") != 0;
	int rc = vx_store_open(&store, db);
	if (rc == 0)
		rc = to_file ? vx_collect_export_file(store, output, &n) : vx_collect_export(store, &csv, &len, &n);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "%zu expériences, sp-plus-2025", n);
		rc = vx_audit_record(store, "voix export", "export", to_file ? output : "sortie standard", detail);
	}
	if (rc == 0 && !to_file)
		fwrite(csv, 1, len, stdout);
	if (rc)
		fprintf(stderr, "voix export : %s\n", vx_error_last());
	else
		fprintf(stderr, "voix export : %zu expériences publiées\n", n);
	free(csv);
	vx_store_free(store);
	return vx_cli_exit_for(rc);
}
