/*
 * voix structures import FILE [--db voix.db]: the Services Publics+
 * structures referential into the store (docs/collect.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/store.h"

static const char usage[] =
	"usage: voix structures import FICHIER [--db voix.db]\n"
	"Enregistre le référentiel des structures de Services Publics+ (CSV séparé par des ;).\n";

int cmd_structures(int argc, char **argv)
{
	enum { OPT_DB };
	static const vx_cli_option options[] = {{"--db", NULL, 1}};
	const char *db = VX_CLI_DEFAULT_DB, *file = NULL, *v;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return VX_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0) {
		fputs(usage, stderr);
		return VX_EXIT_USAGE;
	}
	vx_cli_parser p;
	vx_cli_parser_init(&p, "structures", argc, argv, 2, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		if (k == VX_CLI_HELP) {
			fputs(usage, stdout);
			return VX_EXIT_OK;
		} else if (k == OPT_DB) {
			db = v;
		} else if (k == VX_CLI_ARG && file == NULL) {
			file = v;
		} else {
			if (k == VX_CLI_ARG)
				fprintf(stderr, "voix structures : argument en trop « %s »\n", v);
			fputs(usage, stderr);
			return VX_EXIT_USAGE;
		}
	}
	if (file == NULL) {
		fprintf(stderr, "voix structures : FICHIER est nécessaire\n");
		return VX_EXIT_USAGE;
	}
	vx_store *store = NULL;
	vx_structures_counts c;
	int rc = vx_store_open(&store, db);
	if (rc == 0)
		rc = vx_structures_import_file(store, file, &c);
	if (rc)
		fprintf(stderr, "voix structures : %s\n", vx_error_last());
	else {
		printf("structures : lues %zu, ajoutées %zu, modifiées %zu, inchangées %zu, rejetées %zu\n", c.read,
		       c.inserted, c.updated, c.unchanged, c.rejected);
		if (c.rejected)
			fprintf(stderr, "voix structures : %zu lignes sans code ou sans intitulé, ou au code déjà vu "
			                "(la première à la ligne %zu)\n",
			        c.rejected, c.first_rejected_line);
	}
	vx_store_free(store);
	return vx_cli_exit_for(rc);
}
