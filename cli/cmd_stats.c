/*
 * voix stats [--db PATH]: counts by source, service type, structure,
 * feeling and month (format in docs/storage.md).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "voix/error.h"
#include "voix/store.h"

#define DEFAULT_DB "voix.db"

static void usage(FILE *out)
{
	fputs("usage: voix stats [--db voix.db]\n"
	      "Compte les expériences de la base par source, type de service, structure, ressenti et mois.\n",
	      out);
}

int cmd_stats(int argc, char **argv)
{
	const char *db = DEFAULT_DB;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db = argv[i] + 5;
		} else {
			fprintf(stderr, argv[i][0] == '-' ? "voix stats : option inconnue « %s »\n"
			                                  : "voix stats : argument en trop « %s »\n",
			        argv[i]);
			usage(stderr);
			return VX_EXIT_USAGE;
		}
	}
	vx_store *store = NULL;
	int err = vx_store_open_existing(&store, db);
	if (err) {
		fprintf(stderr, "voix stats : %s\n", vx_error_last());
		return err == VX_ENOMEM ? VX_EXIT_FAILURE : VX_EXIT_DB;
	}
	err = vx_store_stats(store, stdout);
	vx_store_free(store);
	if (err == VX_EWRITE)
		return vx_cli_flush_stdout("stats");
	if (err) {
		fprintf(stderr, "voix stats : %s\n", vx_error_last());
		return err == VX_EDB ? VX_EXIT_DB : VX_EXIT_FAILURE;
	}
	return VX_EXIT_OK;
}
