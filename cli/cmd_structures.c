/*
 * voix structures import FILE [--db voix.db]: the Services Publics+
 * structures referential into the store (docs/collect.md).
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
/* The 2023 referential has 14,800 structures in 4.6 MB. */
#define STRUCTURES_MAX_BYTES ((size_t)256 << 20)

static void usage(FILE *out)
{
	fputs("usage: voix structures import FICHIER [--db voix.db]\n"
	      "Enregistre le référentiel des structures de Services Publics+ (CSV séparé par des ;).\n",
	      out);
}

int cmd_structures(int argc, char **argv)
{
	const char *db = DEFAULT_DB, *file = NULL;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return VX_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0) {
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			db = argv[i] + 5;
		else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else {
			fprintf(stderr, "voix structures : argument inattendu « %s »\n", argv[i]);
			usage(stderr);
			return VX_EXIT_USAGE;
		}
	}
	if (file == NULL) {
		fprintf(stderr, "voix structures : FICHIER est nécessaire\n");
		return VX_EXIT_USAGE;
	}
	char *data = NULL;
	size_t len = 0;
	vx_store *store = NULL;
	vx_structures_counts c;
	int rc = vx_file_read(&data, &len, file, STRUCTURES_MAX_BYTES);
	if (rc == 0)
		rc = vx_store_open(&store, db);
	if (rc == 0)
		rc = vx_structures_import(store, file, data, len, &c);
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
	free(data);
	return vx_cli_exit_for(rc);
}
